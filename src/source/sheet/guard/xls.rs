//! XLS: the declared and the real area of each sheet, from one pass over the BIFF records;
//! and opening the workbook so that its text is decoded as the BIFF version defines it.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Xls, XlsOptions};

use super::Extent;

/// Opens an XLS workbook with calamine, its text decoded by the rules of its BIFF version.
///
/// BIFF8 (Excel 97 and later) stores every string as UTF-16, the "compressed" ones as their
/// low bytes only; its CODEPAGE record is meant to say 1200 and matters only for BIFF5 and
/// older, whose strings are bytes in that code page. calamine applies the CODEPAGE record to
/// BIFF8 strings too: a BIFF8 file whose record says 1252 (some export libraries write that)
/// has every cell read as `T\0i\0t\0e\0l\0`, and a header `Titel` matches nothing (calamine's
/// `tests/sheet_name_parsing.xls`; it only strips the NULs from sheet names). So a BIFF8
/// workbook is read with the code page forced to UTF-16, which is what its strings are.
pub(crate) fn open_xls(path: &Path) -> Result<Xls<BufReader<File>>, String> {
    let open = || File::open(path).map_err(|e| format!("cannot open: {e}"));
    let mut options = XlsOptions::default();
    if is_biff8(BufReader::new(open()?)) {
        options.force_codepage = Some(UTF_16_CODEPAGE);
    }
    Xls::new_with_options(BufReader::new(open()?), options)
        .map_err(|e| format!("cannot read as .xls: {e}"))
}

/// The Windows code page number of UTF-16 (little-endian), the encoding of BIFF8 strings.
const UTF_16_CODEPAGE: u16 = 1200;

/// Whether the workbook stream's first BOF record says BIFF8, the same way calamine reads the
/// version (an unknown version is BIFF8). Anything unreadable counts as BIFF8: calamine then
/// reports the damage.
fn is_biff8<R: Read + Seek>(file: R) -> bool {
    let Ok(mut cfb) = cfb::CompoundFile::open(file) else {
        return true;
    };
    let Some(name) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
    else {
        return true;
    };
    let mut head = [0u8; 8];
    match cfb
        .open_stream(name)
        .and_then(|mut s| s.read_exact(&mut head))
    {
        Ok(()) if u16::from_le_bytes([head[0], head[1]]) == BOF => {
            biff8_version(u16_at(&head, 4).unwrap_or(0), u16_at(&head, 6).unwrap_or(0))
        }
        _ => true,
    }
}

/// The BOF record's version and document type, read as calamine reads them.
fn biff8_version(version: u64, doc_type: u64) -> bool {
    match version {
        0x0002 | 0x0007 | 0x0200 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => doc_type != 0x1000,
        _ => true,
    }
}

/// Measures every sheet of an XLS workbook (BIFF5/BIFF8 in an OLE2 compound file) by walking
/// its record stream, before calamine reads it: both the area a sheet declares (its DIMENSIONS
/// record, which calamine reserves memory for) and the area its cells really span. A damaged or
/// crafted declaration of four billion rows is refused here instead of aborting the process.
pub(crate) fn xls_extents<R: Read + Seek>(file: R) -> Result<Vec<Extent>, String> {
    let mut cfb =
        cfb::CompoundFile::open(file).map_err(|e| format!("not a valid XLS file: {e}"))?;
    let Some(name) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
    else {
        // Other Office files share the container: say which one it is.
        let what = if cfb.is_stream("/WordDocument") {
            "a Word document (.doc), not a workbook"
        } else if cfb.is_stream("/PowerPoint Document") {
            "a PowerPoint presentation (.ppt), not a workbook"
        } else {
            "not an Excel workbook (an OLE2 compound file without a Workbook stream)"
        };
        return Err(format!("is {what}"));
    };
    let stream = cfb
        .open_stream(name)
        .map_err(|e| format!("not a valid XLS file: {e}"))?;
    scan_biff(BufReader::new(stream))
}

/// BIFF record types that place one cell at (row u16, column u16) at the start of their data.
const CELL_RECORDS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
const MULRK: u16 = 0x00BD;
const DIMENSIONS: u16 = 0x0200;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
/// FILEPASS: the records after it are encrypted (RC4, or XOR obfuscation, which calamine would
/// read as if it were plain).
const FILEPASS: u16 = 0x002F;

pub(crate) fn u16_at(d: &[u8], i: usize) -> Option<u64> {
    d.get(i..i + 2)
        .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

pub(crate) fn u32_at(d: &[u8], i: usize) -> Option<u64> {
    d.get(i..i + 4)
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// A sheet name from a BOUNDSHEET record: BIFF8 `ShortXLUnicodeString` or BIFF5 bytes.
pub(crate) fn boundsheet_name(d: &[u8]) -> String {
    let Some(&cch) = d.get(6) else {
        return String::new();
    };
    let cch = usize::from(cch);
    match d.get(7) {
        Some(flags) if d.len() >= 8 + cch && (flags & 1 == 0 || d.len() >= 8 + cch * 2) => {
            if flags & 1 == 0 {
                d[8..8 + cch].iter().map(|&b| char::from(b)).collect()
            } else {
                let units: Vec<u16> = d[8..8 + cch * 2]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            }
        }
        _ => d
            .get(7..7 + cch)
            .map(|b| b.iter().map(|&c| char::from(c)).collect())
            .unwrap_or_default(),
    }
}

/// The records of a BIFF stream, one at a time: type, data and the record's offset in the
/// stream (which BOUNDSHEET records point at).
pub(crate) struct BiffRecords<R> {
    stream: R,
    offset: u64,
}

impl<R: Read> BiffRecords<R> {
    pub(crate) fn new(stream: R) -> BiffRecords<R> {
        BiffRecords { stream, offset: 0 }
    }

    /// The next record's (offset, type), its data in `data`; `None` at the end of the stream
    /// or at a cut-off last record (calamine reports the damage).
    pub(crate) fn next_record(&mut self, data: &mut Vec<u8>) -> Result<Option<(u64, u16)>, String> {
        let mut head = [0u8; 4];
        match self.stream.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(format!("damaged XLS file: {e}")),
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        data.resize(len, 0);
        if self.stream.read_exact(data).is_err() {
            return Ok(None);
        }
        let at = self.offset;
        self.offset += 4 + len as u64;
        Ok(Some((at, typ)))
    }
}

fn scan_biff<R: Read>(stream: R) -> Result<Vec<Extent>, String> {
    let mut names: Vec<(u64, String)> = Vec::new();
    let mut sheets = Vec::new();
    let mut current: Option<Extent> = None;
    let mut depth = 0usize;
    let mut records = BiffRecords::new(stream);
    let mut data = Vec::new();
    while let Some((at, typ)) = records.next_record(&mut data)? {
        let len = data.len();
        match typ {
            FILEPASS => return Err(super::encrypted::xls_message()),
            BOUNDSHEET => {
                if let Some(pos) = u32_at(&data, 0) {
                    names.push((pos, boundsheet_name(&data)));
                }
            }
            BOF => {
                depth += 1;
                if depth == 2 || (depth == 1 && names.iter().any(|(p, _)| *p == at)) {
                    let name = names
                        .iter()
                        .find(|(p, _)| *p == at)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_else(|| format!("sheet {}", sheets.len() + 1));
                    current = Some(Extent::new(name));
                }
            }
            EOF => {
                depth = depth.saturating_sub(1);
                if let Some(e) = current.take() {
                    sheets.push(e);
                }
            }
            DIMENSIONS => {
                if let Some(e) = current.as_mut() {
                    let (rf, rl, cf, cl) = if len >= 14 {
                        (
                            u32_at(&data, 0),
                            u32_at(&data, 4),
                            u16_at(&data, 8),
                            u16_at(&data, 10),
                        )
                    } else {
                        (
                            u16_at(&data, 0),
                            u16_at(&data, 2),
                            u16_at(&data, 4),
                            u16_at(&data, 6),
                        )
                    };
                    if let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) {
                        // The same reading as calamine's: an end is one past the last.
                        let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                        if rl > rf && cl > cf {
                            e.include((rf, rl - 1), (cf, cl - 1));
                        }
                    }
                }
            }
            MULRK => {
                if let (Some(e), Some(row), Some(first)) =
                    (current.as_mut(), u16_at(&data, 0), u16_at(&data, 2))
                {
                    let last = len.checked_sub(2).and_then(|i| u16_at(&data, i));
                    e.include((row, row), (first, last.unwrap_or(first).max(first)));
                }
            }
            t if CELL_RECORDS.contains(&t) => {
                if let (Some(e), Some(row), Some(col)) =
                    (current.as_mut(), u16_at(&data, 0), u16_at(&data, 2))
                {
                    e.include((row, row), (col, col));
                }
            }
            _ => {}
        }
    }
    if let Some(e) = current.take() {
        sheets.push(e);
    }
    Ok(sheets)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A BIFF record as bytes (also for the format walk's tests).
    pub(crate) fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    #[test]
    fn biff_records_give_declared_and_real_areas_per_sheet() {
        let bof = record(BOF, &[0; 16]);
        // Globals: BOF, a BOUNDSHEET naming the sheet whose BOF follows, EOF.
        let mut sheet_name = vec![0u8; 6];
        sheet_name.extend_from_slice(&[5, 0]);
        sheet_name.extend_from_slice(b"Blad1");
        let globals_len = (bof.len() + 4 + sheet_name.len() + 4) as u32;
        sheet_name[..4].copy_from_slice(&globals_len.to_le_bytes());
        let mut s = bof.clone();
        s.extend(record(BOUNDSHEET, &sheet_name));
        s.extend(record(EOF, &[]));
        assert_eq!(s.len() as u32, globals_len);
        // The sheet: declares rows 0..21 and columns 0..3, has a number cell at (2, 1)
        // and a MULRK on row 40 from column 2 to 6.
        s.extend(bof);
        let mut dims = Vec::new();
        dims.extend_from_slice(&0u32.to_le_bytes());
        dims.extend_from_slice(&21u32.to_le_bytes());
        dims.extend_from_slice(&0u16.to_le_bytes());
        dims.extend_from_slice(&3u16.to_le_bytes());
        dims.extend_from_slice(&0u16.to_le_bytes());
        s.extend(record(DIMENSIONS, &dims));
        s.extend(record(0x0203, &[2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        s.extend(record(MULRK, &[40, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0]));
        s.extend(record(EOF, &[]));
        let sheets = scan_biff(&s[..]).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].sheet, "Blad1");
        assert_eq!(sheets[0].area(), "A1:G41");
        // A cut-off stream ends the scan without an error (calamine reports the damage).
        assert!(scan_biff(&s[..s.len() - 3]).is_ok());
        assert!(scan_biff(&b"\x01"[..]).unwrap().is_empty());
    }

    #[test]
    fn other_office_files_in_the_same_container_are_named() {
        use std::io::{Cursor, Write};
        let container = |stream: &str| {
            let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
            cfb.create_stream(stream).unwrap().write_all(b"x").unwrap();
            cfb.flush().unwrap();
            Cursor::new(cfb.into_inner().into_inner())
        };
        let e = xls_extents(container("/WordDocument")).unwrap_err();
        assert!(e.contains("a Word document (.doc)"), "{e}");
        let e = xls_extents(container("/PowerPoint Document")).unwrap_err();
        assert!(e.contains("PowerPoint"), "{e}");
        let e = xls_extents(container("/Other")).unwrap_err();
        assert!(e.contains("without a Workbook stream"), "{e}");
    }

    #[test]
    fn a_filepass_record_means_password_protected() {
        // RC4 (type 1) and XOR obfuscation (type 0) alike: calamine would read the second as
        // if it were plain.
        for kind in [0u8, 1] {
            let mut s = record(BOF, &[0; 16]);
            s.extend(record(FILEPASS, &[kind, 0, 1, 0, 1, 0]));
            s.extend(record(EOF, &[]));
            let e = scan_biff(&s[..]).unwrap_err();
            assert!(e.contains("password-protected .xls"), "{e}");
        }
    }
}
