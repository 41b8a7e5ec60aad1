//! XLSB: the number formats of one sheet's number cells, from the workbook's binary records.
//!
//! `xl/styles.bin` holds the formats (BrtFmt: id and code) and the cell formats (BrtXF inside
//! BrtBeginCellXfs: which format id each uses); every cell record of the sheet part names its
//! cell format (MS-XLSB 2.5.9, `iStyleRef`). The sheet part is found as calamine finds it:
//! BrtBundleSh in `xl/workbook.bin` names a relationship of `xl/_rels/workbook.bin.rels`.
//!
//! The same walk finds cells written in the short form (BrtShort*, the column left out): Excel
//! never writes them, but other programs do, and calamine skips them without a word, so such a
//! file is refused rather than read with cells missing.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::sync::Arc;

use quick_xml::events::Event;

use super::{builtin_code, classify, FormatMap};
use crate::source::sheet::guard::ods::attr;

const BRT_ROW_HDR: u16 = 0x0000;
const BRT_CELL_RK: u16 = 0x0002;
const BRT_CELL_REAL: u16 = 0x0005;
const BRT_FMLA_NUM: u16 = 0x0009;
const BRT_SHORT_FIRST: u16 = 0x000C;
const BRT_SHORT_LAST: u16 = 0x0012;
const BRT_SHORT_RSTRING: u16 = 0x003F;
const BRT_END_SHEET_DATA: u16 = 0x0092;
const BRT_FMT: u16 = 0x002C;
const BRT_XF: u16 = 0x002F;
const BRT_BEGIN_CELL_XFS: u16 = 0x0269;
const BRT_END_CELL_XFS: u16 = 0x026A;
const BRT_BUNDLE_SH: u16 = 0x009C;
const BRT_END_BUNDLE_SHS: u16 = 0x0090;

/// Why an XLSB file's formats could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum XlsbError {
    /// The formats cannot be read: amounts are judged by their values (a file note).
    Unread(String),
    /// The sheet has cells that calamine would skip: the file must not be read at all.
    ShortCells { cells: u64, first_row: u32 },
}

/// Reads one record: its type and its data (into `buf`). `None` at the end of the part.
fn record<R: Read>(r: &mut R, buf: &mut Vec<u8>) -> Result<Option<u16>, String> {
    let mut byte = [0u8; 1];
    let mut next = |r: &mut R| -> Result<Option<u8>, String> {
        match r.read(&mut byte) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(byte[0])),
            Err(e) => Err(e.to_string()),
        }
    };
    let Some(b0) = next(r)? else { return Ok(None) };
    let mut typ = u16::from(b0 & 0x7F);
    if b0 & 0x80 != 0 {
        let b1 = next(r)?.ok_or("a record is cut off")?;
        typ |= u16::from(b1 & 0x7F) << 7;
    }
    let mut len = 0usize;
    for i in 0..4 {
        let b = next(r)?.ok_or("a record is cut off")?;
        len |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    // Read through `take`: a crafted size (up to 256 MiB) costs only the bytes really there.
    buf.clear();
    let got = Read::take(&mut *r, len as u64)
        .read_to_end(buf)
        .map_err(|e| e.to_string())?;
    if got < len {
        return Err("a record is cut off".into());
    }
    Ok(Some(typ))
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// An XLWideString at `at`: a u32 count of UTF-16 units, then the units. Returns the string and
/// the offset after it; `None` for a null string (count 0xFFFFFFFF) or a cut-off one.
fn wide_string(d: &[u8], at: usize) -> Option<(String, usize)> {
    let n = u32_at(d, at)?;
    if n == u32::MAX {
        return None;
    }
    let end = at + 4 + 2 * n as usize;
    let units: Vec<u16> = d
        .get(at + 4..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// Per cell format (XF): the code of its number format when that shows major units.
fn read_styles<R: Read>(mut part: R) -> Result<Vec<Option<Arc<str>>>, String> {
    let mut buf = Vec::new();
    let mut codes: HashMap<u16, String> = HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut in_cell_xfs = false;
    while let Some(typ) = record(&mut part, &mut buf)? {
        match typ {
            BRT_FMT => {
                if let (Some(id), Some((code, _))) = (u16_at(&buf, 0), wide_string(&buf, 2)) {
                    codes.insert(id, code);
                }
            }
            BRT_BEGIN_CELL_XFS => in_cell_xfs = true,
            BRT_END_CELL_XFS => break,
            BRT_XF if in_cell_xfs => xf_formats.push(u16_at(&buf, 2).unwrap_or(0)),
            _ => {}
        }
    }
    Ok(xf_formats
        .iter()
        .map(|id| {
            let code = codes
                .get(id)
                .map(String::as_str)
                .or_else(|| builtin_code(u32::from(*id)))
                .unwrap_or("General");
            classify(code).is_major().then(|| Arc::from(code))
        })
        .collect())
}

/// The part of the sheet named `sheet` (else the `index`th), as calamine finds it.
fn sheet_part<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    sheet: &str,
    index: usize,
) -> Result<String, String> {
    let mut rels = HashMap::new();
    {
        let part = zip
            .by_name("xl/_rels/workbook.bin.rels")
            .map_err(|e| format!("xl/_rels/workbook.bin.rels: {e}"))?;
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                        rels.insert(id, target);
                    }
                }
                Ok(Event::Eof) => break,
                Err(e) => return Err(format!("xl/_rels/workbook.bin.rels: {e}")),
                _ => {}
            }
        }
    }
    let mut sheets: Vec<(String, String)> = Vec::new();
    {
        let mut part = BufReader::new(
            zip.by_name("xl/workbook.bin")
                .map_err(|e| format!("xl/workbook.bin: {e}"))?,
        );
        let mut buf = Vec::new();
        while let Some(typ) = record(&mut part, &mut buf)? {
            match typ {
                BRT_BUNDLE_SH => {
                    let Some((rel, after)) = wide_string(&buf, 8) else {
                        continue;
                    };
                    let name = wide_string(&buf, after).map(|(n, _)| n).unwrap_or_default();
                    sheets.push((name, rel));
                }
                BRT_END_BUNDLE_SHS => break,
                _ => {}
            }
        }
    }
    let rel = sheets
        .iter()
        .find(|(n, _)| n == sheet)
        .or_else(|| sheets.get(index))
        .map(|(_, r)| r)
        .ok_or_else(|| format!("sheet '{sheet}' is not in xl/workbook.bin"))?;
    let target = rels
        .get(rel)
        .ok_or_else(|| format!("sheet '{sheet}' has no part in xl/_rels/workbook.bin.rels"))?;
    Ok(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// The number cells of sheet `sheet` (by name, else by its place `index`) whose format shows
/// decimals or a currency.
pub(crate) fn xlsb_formats(path: &Path, sheet: &str, index: usize) -> Result<FormatMap, XlsbError> {
    let unread = XlsbError::Unread;
    let file = File::open(path).map_err(|e| unread(format!("cannot open: {e}")))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| unread(format!("not a valid XLSB file: {e}")))?;
    let major = match zip.by_name("xl/styles.bin") {
        Ok(part) => read_styles(BufReader::new(part)).map_err(unread)?,
        Err(_) => Vec::new(),
    };
    let path = sheet_part(&mut zip, sheet, index).map_err(unread)?;
    let part = zip
        .by_name(&path)
        .map_err(|e| unread(format!("{path}: {e}")))?;
    scan_sheet(BufReader::new(part), &major)
}

fn scan_sheet<R: Read>(mut part: R, major: &[Option<Arc<str>>]) -> Result<FormatMap, XlsbError> {
    let mut map = FormatMap::default();
    let mut buf = Vec::new();
    let mut row = 0u32;
    let mut short = 0u64;
    let mut first_short = 0u32;
    loop {
        let typ = match record(&mut part, &mut buf) {
            Ok(Some(t)) => t,
            Ok(None) => break,
            Err(e) => return Err(XlsbError::Unread(e)),
        };
        match typ {
            BRT_ROW_HDR => row = u32_at(&buf, 0).unwrap_or(row),
            BRT_CELL_RK | BRT_CELL_REAL | BRT_FMLA_NUM => {
                let (Some(col), Some(style)) = (u32_at(&buf, 0), u32_at(&buf, 4)) else {
                    continue;
                };
                if let Some(Some(code)) = major.get((style & 0x00FF_FFFF) as usize) {
                    if !map.add(row, col, code) {
                        return Err(XlsbError::Unread(
                            "too many differently formatted cells".into(),
                        ));
                    }
                }
            }
            BRT_SHORT_FIRST..=BRT_SHORT_LAST | BRT_SHORT_RSTRING => {
                if short == 0 {
                    first_short = row;
                }
                short += 1;
            }
            BRT_END_SHEET_DATA => break,
            _ => {}
        }
    }
    if short > 0 {
        return Err(XlsbError::ShortCells {
            cells: short,
            first_row: first_short,
        });
    }
    map.finish();
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = Vec::new();
        if typ < 0x80 {
            r.push(typ as u8);
        } else {
            r.push((typ & 0x7F) as u8 | 0x80);
            r.push((typ >> 7) as u8);
        }
        let mut n = data.len();
        loop {
            let b = (n & 0x7F) as u8;
            n >>= 7;
            if n == 0 {
                r.push(b);
                break;
            }
            r.push(b | 0x80);
        }
        r.extend_from_slice(data);
        r
    }

    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut d = (units.len() as u32).to_le_bytes().to_vec();
        for u in units {
            d.extend_from_slice(&u.to_le_bytes());
        }
        d
    }

    fn cell(typ: u16, col: u32, style: u32, value: &[u8]) -> Vec<u8> {
        let mut d = col.to_le_bytes().to_vec();
        d.extend_from_slice(&style.to_le_bytes());
        d.extend_from_slice(value);
        rec(typ, &d)
    }

    fn styles_part() -> Vec<u8> {
        let mut styles = Vec::new();
        let mut fmt = 164u16.to_le_bytes().to_vec();
        fmt.extend(wide("[$€-413] #,##0.00"));
        styles.extend(rec(BRT_FMT, &fmt));
        // A cell style XF (ignored), then the cell XFs: General, 164, built-in 2, 10.
        styles.extend(rec(0x0272, &[]));
        styles.extend(rec(BRT_XF, &[0, 0, 164, 0]));
        styles.extend(rec(BRT_BEGIN_CELL_XFS, &[4, 0, 0, 0]));
        for id in [0u16, 164, 2, 10] {
            let mut d = vec![0, 0];
            d.extend_from_slice(&id.to_le_bytes());
            styles.extend(rec(BRT_XF, &d));
        }
        styles.extend(rec(BRT_END_CELL_XFS, &[]));
        styles
    }

    fn sheet_part() -> Vec<u8> {
        let mut sheet = Vec::new();
        sheet.extend(rec(BRT_ROW_HDR, &1u32.to_le_bytes()));
        sheet.extend(cell(BRT_CELL_RK, 1, 1, &[0; 4]));
        sheet.extend(cell(BRT_CELL_REAL, 2, 0, &[0; 8]));
        sheet.extend(rec(BRT_ROW_HDR, &2u32.to_le_bytes()));
        sheet.extend(cell(BRT_FMLA_NUM, 1, 2, &[0; 10]));
        sheet.extend(cell(BRT_CELL_RK, 2, 3, &[0; 4]));
        sheet.extend(rec(BRT_END_SHEET_DATA, &[]));
        sheet
    }

    #[test]
    fn styles_and_cells_give_the_formats() {
        let major = read_styles(&styles_part()[..]).unwrap();
        assert_eq!(major.len(), 4);
        assert!(major[0].is_none() && major[3].is_none());
        assert_eq!(major[1].as_deref(), Some("[$€-413] #,##0.00"));
        assert_eq!(major[2].as_deref(), Some("0.00"));

        let sheet = sheet_part();
        let map = scan_sheet(&sheet[..], &major).unwrap();
        let got = |r, c| map.get(r, c).map(|f| f.to_string());
        assert_eq!(got(1, 1).as_deref(), Some("[$€-413] #,##0.00"));
        assert_eq!(got(1, 2), None);
        assert_eq!(got(2, 1).as_deref(), Some("0.00"));
        assert_eq!(got(2, 2), None);

        // A short cell record (no column) is refused, with its count and first row.
        let end = rec(BRT_END_SHEET_DATA, &[]);
        let mut short = sheet[..sheet.len() - end.len()].to_vec();
        short.extend(rec(0x000D, &[1, 0, 0, 0, 0xB6, 0, 0, 0]));
        short.extend(rec(BRT_END_SHEET_DATA, &[]));
        assert_eq!(
            scan_sheet(&short[..], &major).unwrap_err(),
            XlsbError::ShortCells {
                cells: 1,
                first_row: 2
            }
        );
    }

    proptest::proptest! {
        /// Damaged parts (bytes flipped, cut short) never make the walk panic.
        #[test]
        fn damaged_parts_never_panic(flips in proptest::collection::vec((0usize..200, 0u8..8), 0..12), cut in 0usize..200) {
            let damage = |mut part: Vec<u8>| {
                for (at, bit) in &flips {
                    let i = at % part.len();
                    part[i] ^= 1 << bit;
                }
                part.truncate(cut.max(1).min(part.len()));
                part
            };
            let major = read_styles(&damage(styles_part())[..]).unwrap_or_default();
            let _ = scan_sheet(&damage(sheet_part())[..], &major);
        }
    }
}
