//! The performance floor: a plain CSV copy with the `csv` crate and nothing else.
//!
//! ```text
//! cargo run --release --example floor -- IN OUT [DELIMITER]
//! ```
//!
//! Reads every record of IN (split on DELIMITER, by default whichever of `,` `;` and tab the
//! first line has most of) as a byte record and writes it to OUT `;`-delimited, every field
//! quoted, `\n`-terminated. `convert` on the same file is measured against this (see
//! docs/performance.md): it is the least any tool that parses and rewrites the file must do.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: floor IN OUT");
    };
    let mut file = File::open(&input).with_context(|| format!("cannot open {input:?}"))?;
    let delimiter = match args.next() {
        Some(d) => match d.as_encoded_bytes() {
            [b] => *b,
            _ => anyhow::bail!("the delimiter must be one byte"),
        },
        None => sniff(&mut file)?,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    let out = File::create(&output).with_context(|| format!("cannot create {output:?}"))?;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(BufWriter::new(out));
    let mut record = csv::ByteRecord::new();
    let mut records = 0u64;
    while reader.read_byte_record(&mut record)? {
        writer.write_byte_record(&record)?;
        records += 1;
    }
    writer.flush()?;
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot finish {output:?}: {}", e.error()))?
        .flush()?;
    eprintln!("{records} records copied");
    Ok(())
}

/// The delimiter the first line uses most of, then back to the start of the file.
fn sniff(file: &mut File) -> anyhow::Result<u8> {
    use std::io::{Read, Seek};
    let mut head = vec![0u8; 64 * 1024];
    let n = file.read(&mut head)?;
    file.rewind()?;
    let line = head[..n].split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    Ok([b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(*d))
        .unwrap_or(b','))
}
