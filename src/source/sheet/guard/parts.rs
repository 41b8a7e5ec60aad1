//! Zip-based workbooks (XLSX, XLSM, XLSB, ODS): a zip bomb is refused before any part of it is
//! inflated.
//!
//! A workbook is a zip whose parts (sheet XML, shared strings, styles, ...) calamine inflates,
//! some of them whole into memory. This check reads only the zip's central directory and
//! refuses the file when a part declares more than `--max-sheet-size` bytes uncompressed, or
//! declares a size that deflate cannot produce from its compressed bytes. A declared size
//! cannot understate the truth: the zip crate that calamine reads through (the same version,
//! one copy in the build) stops with an error once an entry inflates past its declared size,
//! so the declared sizes checked here bound what is ever inflated.

use super::GuardError;
use std::io::{Read, Seek};

/// The default `max_part_bytes`, kept with the other limits' defaults.
pub use crate::source::DEFAULT_MAX_PART_BYTES;

/// Deflate produces at most about 1032 bytes per compressed byte; a part that declares more
/// than this ratio (plus [`RATIO_SLACK`]) is damaged or crafted.
pub const MAX_RATIO: u64 = 1100;

/// Small parts are never refused for their ratio.
const RATIO_SLACK: u64 = 64 << 10;

/// Checks every part of a zip-based workbook against `max_part_bytes` and the ratio that
/// deflate can reach. Reads the central directory only.
pub fn check_parts<R: Read + Seek>(file: R, max_part_bytes: u64) -> Result<(), GuardError> {
    let zip = zip::ZipArchive::new(file).map_err(|e| GuardError::NotAZip(e.to_string()))?;
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(|e| GuardError::BadEntry {
            entry: i,
            detail: e.to_string(),
        })?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {i}"));
        let size = entry.size();
        let packed = entry.compressed_size();
        if size > max_part_bytes {
            return Err(GuardError::PartTooLarge {
                name,
                size,
                max: max_part_bytes,
            });
        }
        if size > packed.saturating_mul(MAX_RATIO).saturating_add(RATIO_SLACK) {
            return Err(GuardError::ImpossibleRatio { name, size, packed });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_over_the_limit_is_refused_by_name() {
        let zeros = vec![0u8; 200_000];
        let bytes = zip_with(&[
            ("xl/workbook.xml", b"<w/>"),
            ("xl/worksheets/sheet1.xml", &zeros),
        ]);
        assert!(check_parts(Cursor::new(&bytes), 1 << 20).is_ok());
        let e = check_parts(Cursor::new(&bytes), 100_000)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'xl/worksheets/sheet1.xml'") && e.contains("200000"),
            "{e}"
        );
        assert!(e.contains("--max-sheet-size"), "{e}");
    }

    #[test]
    fn a_declared_size_beyond_deflate_is_refused() {
        let bytes = zip_with(&[("xl/worksheets/sheet1.xml", &[b'a'; 10])]);
        let lied = declare_size(bytes, "xl/worksheets/sheet1.xml", 3_000_000_000);
        let e = check_parts(Cursor::new(&lied), u64::MAX)
            .unwrap_err()
            .to_string();
        assert!(e.contains("damaged or crafted"), "{e}");
        let e = check_parts(Cursor::new(&lied), DEFAULT_MAX_PART_BYTES)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("damaged or crafted") || e.contains("over the limit"),
            "{e}"
        );
    }

    /// A part that inflates past the size its headers declare stops with an error: the guard
    /// relies on this behaviour of the zip crate, which calamine shares.
    #[test]
    fn the_zip_crate_stops_at_the_declared_size() {
        let data = vec![b'x'; 100_000];
        let bytes = zip_with(&[("xl/worksheets/sheet1.xml", &data)]);
        let lied = declare_size(bytes, "xl/worksheets/sheet1.xml", 1_000);
        let mut zip = zip::ZipArchive::new(Cursor::new(lied)).unwrap();
        let mut part = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
        let mut out = Vec::new();
        assert!(part.read_to_end(&mut out).is_err());
        assert!(out.len() <= 1_001, "inflated {} bytes", out.len());
    }

    /// Rewrites the uncompressed size of `name` in its local and central headers (no zip64).
    pub(crate) fn declare_size(mut bytes: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
        for (sig, at) in [(b"PK\x03\x04", 22usize), (b"PK\x01\x02", 24)] {
            let name_at = if sig == b"PK\x03\x04" { 30 } else { 46 };
            let mut i = 0;
            while let Some(p) = bytes[i..].windows(4).position(|w| w == sig) {
                let h = i + p;
                if bytes[h + name_at..].starts_with(name.as_bytes()) {
                    bytes[h + at..h + at + 4].copy_from_slice(&size.to_le_bytes());
                }
                i = h + 4;
            }
        }
        bytes
    }
}
