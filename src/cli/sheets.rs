//! `collectmaxx sheets FILE`: the sheets of a workbook with their sizes, to choose `--sheet`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use collectmaxx::delivery::Exit;
use collectmaxx::source::sheet::{guard, list_sheets, SheetInfo};
use collectmaxx::source::stdin::{self, Spool};
use collectmaxx::source::{detect_file, disguise, Format, ReadOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetsFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx sheets customers.xlsx")]
pub struct Args {
    /// The workbook: .xlsx, .xlsm, .xlsb, .xls or .ods (detected by content); `-` reads it
    /// from standard input.
    pub file: PathBuf,

    #[arg(long, value_enum, default_value = "table")]
    pub format: SheetsFormat,

    /// Read the file as this format instead of detecting it.
    #[arg(long = "input-format", value_parser = super::common::input_format(), value_name = "FORMAT")]
    pub input_format: Option<Format>,

    /// Largest sheet grid (rows x columns) read from a format that cannot be streamed (ODS).
    #[arg(long, value_name = "CELLS", default_value_t = guard::DEFAULT_MAX_CELLS)]
    pub max_cells: u64,

    /// Refuse zip-based workbooks with a part larger than this uncompressed (bytes, or with
    /// K, M, G): a zip bomb is refused before it is inflated.
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = super::flags::parse_size)]
    pub max_sheet_size: u64,

    /// Refuse standard input (`-`) larger than this (bytes, or with K, M, G); it is read
    /// whole into a temporary file first.
    #[arg(long, value_name = "SIZE", default_value = "16G", value_parser = super::flags::parse_size)]
    pub max_file_size: u64,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    // `-`: standard input, spooled to a temporary file that lives until the listing is done.
    let _stdin = match stdin::is_stdin(&args.file) {
        true => Some(Spool::stdin(args.max_file_size)?),
        false => None,
    };
    let real = stdin::resolve(&args.file)?;
    let opts = ReadOptions {
        format: args.input_format,
        ..ReadOptions::default()
    };
    // Errors about the spool name it `-`, as given.
    let named = |e| match &_stdin {
        Some(_) => stdin::rename_error(e, &real),
        None => e,
    };
    let format = detect_file(&args.file, &opts).map_err(named)?;
    if !matches!(
        format,
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods
    ) {
        return Err(not_a_workbook(&args.file, &real, format));
    }
    let sheets = list_sheets(&real, format, args.max_cells, args.max_sheet_size).map_err(named)?;
    let mut out = super::pipe::stdout();
    match args.format {
        SheetsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &sheets)?;
            writeln!(out)?;
        }
        SheetsFormat::Table => table(&mut out, &sheets)?,
    }
    out.flush().context("writing to standard output")?;
    Ok(Exit::Ok)
}

/// The sheets as a table, one line each.
fn table(out: &mut impl Write, sheets: &[SheetInfo]) -> std::io::Result<()> {
    let width = sheets
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    writeln!(
        out,
        "{:<5}  {:<width$}  {:>8}  {:<14}  {:<9}  VISIBLE",
        "INDEX", "NAME", "ROWS", "AREA", "KIND"
    )?;
    for s in sheets {
        writeln!(
            out,
            "{:<5}  {:<width$}  {:>8}  {:<14}  {:<9}  {}",
            s.index,
            s.name,
            s.rows,
            if s.area.is_empty() { "-" } else { &s.area },
            s.kind,
            if s.visible { "yes" } else { "no" }
        )?;
    }
    Ok(())
}

/// The refusal of a file that is no workbook, saying what it is instead: a web page,
/// tab-separated text, ... `file` is the input as given, `real` the file read (the spool of `-`).
fn not_a_workbook(file: &Path, real: &Path, format: Format) -> anyhow::Error {
    let mut head = Vec::new();
    if let Ok(f) = std::fs::File::open(real) {
        let _ = f.take(512).read_to_end(&mut head);
    }
    let claimed = collectmaxx::source::mismatch::claimed_format(file);
    let what = disguise::refusal(&head, format, claimed).unwrap_or_else(|| {
        format!(
            "is {}, not a workbook (it is read as {} by convert and validate)",
            disguise::describe(&head, format),
            format.name()
        )
    });
    anyhow::anyhow!(
        "{}: {what}; `sheets` lists the sheets of .xlsx, .xlsm, .xlsb, .xls and .ods files",
        file.display()
    )
}
