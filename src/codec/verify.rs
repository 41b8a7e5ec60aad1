//! The check of a written delivery: read back from disk, its shape and record count, and the
//! SHA-256 of its bytes.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::csv::reader;
use super::format::DeliveryFormat;
use crate::registry::Slot;

/// Re-reads the delivery, checks its shape and record count, and returns its SHA-256.
pub(crate) fn verify(
    path: &Path,
    format: DeliveryFormat,
    columns: &[Slot],
    records: u64,
) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let file = HashingReader {
        inner: std::fs::File::open(path)?,
        hasher: &mut hasher,
    };
    let fail =
        |msg: String| io::Error::other(format!("the written delivery does not check out: {msg}"));
    if format == DeliveryFormat::Csv {
        let mut reader = reader(BufReader::with_capacity(1 << 16, file));
        let mut rec = csv::ByteRecord::new();
        if !reader
            .read_byte_record(&mut rec)
            .map_err(io::Error::other)?
        {
            return Err(fail("it is empty".into()));
        }
        let expected: Vec<&str> = columns.iter().map(|s| s.column()).collect();
        if rec.iter().ne(expected.iter().map(|c| c.as_bytes())) {
            return Err(fail("its header is not the delivery's columns".into()));
        }
        let mut n = 0u64;
        while reader
            .read_byte_record(&mut rec)
            .map_err(io::Error::other)?
        {
            n += 1;
            if rec.len() != expected.len() {
                return Err(fail(format!(
                    "record {n} has {} fields instead of {}",
                    rec.len(),
                    expected.len()
                )));
            }
            if std::str::from_utf8(rec.as_slice()).is_err() {
                return Err(fail(format!("record {n} is not valid UTF-8")));
            }
        }
        if n != records {
            return Err(fail(format!("it holds {n} records instead of {records}")));
        }
    } else {
        // XML and JSON Lines: one record per `<record>` line or per line.
        let mut n = 0u64;
        for line in BufReader::with_capacity(1 << 16, file).lines() {
            let line = line.map_err(|e| fail(format!("it is not valid UTF-8 ({e})")))?;
            let counts = match format {
                DeliveryFormat::Xml => line == "  <record>",
                _ => {
                    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&line)
                        .map_err(|e| fail(format!("line {} is not a JSON object: {e}", n + 1)))?;
                    true
                }
            };
            n += u64::from(counts);
        }
        if n != records {
            return Err(fail(format!("it holds {n} records instead of {records}")));
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

struct HashingReader<'a, R> {
    inner: R,
    hasher: &'a mut Sha256,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}
