//! XLS: the number formats of one sheet's number cells, from one pass over the BIFF records.
//!
//! The workbook globals hold the formats (FORMAT: id and code) and the cell formats (XF: which
//! format id each uses); every number cell names its XF. calamine reads none of this beyond
//! telling dates apart, so it is read here (BIFF5 and BIFF8, as calamine reads them).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use super::{builtin_code, classify, FormatMap};
use crate::source::sheet::guard::xls::{boundsheet_name, u16_at, u32_at, BiffRecords};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;

/// The number cells of sheet `sheet` (by name, else by its place `index` among the sheets)
/// whose format shows decimals or a currency.
pub(crate) fn xls_formats(path: &Path, sheet: &str, index: usize) -> Result<FormatMap, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut cfb = cfb::CompoundFile::open(BufReader::new(file))
        .map_err(|e| format!("not a valid XLS file: {e}"))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or("no Workbook stream")?;
    let stream = cfb
        .open_stream(name)
        .map_err(|e| format!("not a valid XLS file: {e}"))?;
    scan(BufReader::new(stream), sheet, index)
}

/// A FORMAT record's id and code: BIFF8 stores a Unicode string, BIFF5 bytes.
fn format_record(d: &[u8], biff8: bool) -> Option<(u64, String)> {
    let id = u16_at(d, 0)?;
    if !biff8 {
        let n = usize::from(*d.get(2)?);
        let bytes = d.get(3..3 + n)?;
        return Some((id, bytes.iter().map(|&b| char::from(b)).collect()));
    }
    let n = u16_at(d, 2)? as usize;
    let flags = *d.get(4)?;
    let mut at = 5;
    if flags & 0x08 != 0 {
        at += 2; // rich text runs follow the string
    }
    if flags & 0x04 != 0 {
        at += 4; // phonetic data follows the string
    }
    let code = if flags & 1 == 0 {
        d.get(at..at + n)?.iter().map(|&b| char::from(b)).collect()
    } else {
        let units: Vec<u16> = d
            .get(at..at + 2 * n)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    Some((id, code))
}

fn scan<R: Read>(stream: R, sheet: &str, index: usize) -> Result<FormatMap, String> {
    let mut biff8 = true;
    let mut codes: HashMap<u64, String> = HashMap::new();
    let mut xf_formats: Vec<u64> = Vec::new();
    let mut sheets: Vec<(u64, String)> = Vec::new();
    // Per XF: the code of a format that shows major units.
    let mut major: Option<Vec<Option<Arc<str>>>> = None;
    let mut map = FormatMap::default();
    let mut depth = 0usize;
    let mut in_sheet = false;
    let mut found = false;
    let mut records = BiffRecords::new(stream);
    let mut data = Vec::new();
    while let Some((at, typ)) = records.next_record(&mut data)? {
        let len = data.len();
        match typ {
            BOF => {
                depth += 1;
                if depth == 1 && at == 0 {
                    biff8 = u16_at(&data, 0) == Some(0x0600);
                } else if depth == 1 {
                    // A sheet's records; from the first on, the globals are complete.
                    let target = sheets
                        .iter()
                        .position(|(_, n)| n == sheet)
                        .or((index < sheets.len()).then_some(index))
                        .and_then(|i| sheets.get(i))
                        .map(|(pos, _)| *pos);
                    in_sheet = target == Some(at);
                    found |= in_sheet;
                    major.get_or_insert_with(|| {
                        xf_formats
                            .iter()
                            .map(|id| {
                                let code = codes
                                    .get(id)
                                    .map(String::as_str)
                                    .or_else(|| builtin_code(*id as u32))
                                    .unwrap_or("General");
                                classify(code).is_major().then(|| Arc::from(code))
                            })
                            .collect()
                    });
                }
            }
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 && in_sheet {
                    break;
                }
            }
            FORMAT if major.is_none() => {
                if let Some((id, code)) = format_record(&data, biff8) {
                    codes.insert(id, code);
                }
            }
            XF if major.is_none() => xf_formats.push(u16_at(&data, 2).unwrap_or(0)),
            BOUNDSHEET if major.is_none() => {
                if let Some(pos) = u32_at(&data, 0) {
                    sheets.push((pos, boundsheet_name(&data)));
                }
            }
            NUMBER | RK | FORMULA | MULRK if in_sheet => {
                let formats = major.as_deref().unwrap_or(&[]);
                let mut note = |row: u64, col: u64, xf: u64| -> Result<(), String> {
                    if let Some(Some(code)) = formats.get(xf as usize) {
                        if !map.add(row as u32, col as u32, code) {
                            return Err("too many differently formatted cells".into());
                        }
                    }
                    Ok(())
                };
                let (Some(row), Some(col)) = (u16_at(&data, 0), u16_at(&data, 2)) else {
                    continue;
                };
                match typ {
                    MULRK => {
                        let count = len.saturating_sub(6) / 6;
                        for k in 0..count {
                            if let Some(xf) = u16_at(&data, 4 + 6 * k) {
                                note(row, col + k as u64, xf)?;
                            }
                        }
                    }
                    // A formula's cached result is a number unless its last two bytes are
                    // 0xFFFF (text, a boolean or an error).
                    FORMULA if data.get(12..14) == Some(&[0xFF, 0xFF]) => {}
                    _ => {
                        if let Some(xf) = u16_at(&data, 4) {
                            note(row, col, xf)?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if !found {
        return Err(format!(
            "sheet '{sheet}' was not found among the BIFF records"
        ));
    }
    map.finish();
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::sheet::guard::xls::tests::record;

    fn xf(format: u16) -> Vec<u8> {
        let mut d = vec![0u8; 20];
        d[2..4].copy_from_slice(&format.to_le_bytes());
        record(XF, &d)
    }

    fn cell(typ: u16, row: u16, col: u16, xf: u16, rest: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        for v in [row, col, xf] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(rest);
        record(typ, &d)
    }

    /// A BIFF8 stream: globals with a custom format 164 `€ #,##0.00`, XFs 0 (General),
    /// 1 (built-in 4, `#,##0.00`), 2 (164) and 3 (built-in 10, a percentage); one sheet.
    fn stream() -> Vec<u8> {
        let mut bof = vec![0u8; 16];
        bof[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        let mut s = record(BOF, &bof);
        let mut fmt = vec![164, 0];
        let code = "€ #,##0.00";
        let units: Vec<u16> = code.encode_utf16().collect();
        fmt.extend_from_slice(&(units.len() as u16).to_le_bytes());
        fmt.push(1);
        for u in units {
            fmt.extend_from_slice(&u.to_le_bytes());
        }
        s.extend(record(FORMAT, &fmt));
        for f in [0, 4, 164, 10] {
            s.extend(xf(f));
        }
        let mut sheet = vec![0u8; 6];
        sheet.extend_from_slice(&[6, 0]);
        sheet.extend_from_slice(b"Blad 1");
        let pos_at = s.len() + 4;
        s.extend(record(BOUNDSHEET, &sheet));
        s.extend(record(EOF, &[]));
        let pos = s.len() as u32;
        s[pos_at..pos_at + 4].copy_from_slice(&pos.to_le_bytes());
        s.extend(record(BOF, &bof));
        s.extend(cell(NUMBER, 1, 0, 1, &[0; 8]));
        s.extend(cell(RK, 2, 0, 0, &[0; 4]));
        s.extend(cell(RK, 3, 0, 3, &[0; 4]));
        // MULRK on row 4 from column 0: XFs 2, 0, 1; then the last column (2).
        let mut mulrk = vec![4, 0, 0, 0];
        for x in [2u16, 0, 1] {
            mulrk.extend_from_slice(&x.to_le_bytes());
            mulrk.extend_from_slice(&[0; 4]);
        }
        mulrk.extend_from_slice(&2u16.to_le_bytes());
        s.extend(record(MULRK, &mulrk));
        // Formulas: a number result, then a text result.
        s.extend(cell(FORMULA, 5, 0, 1, &[0; 14]));
        let mut text = [0u8; 14];
        text[0] = 0;
        text[6] = 0xFF;
        text[7] = 0xFF;
        s.extend(cell(FORMULA, 6, 0, 1, &text));
        s.extend(record(EOF, &[]));
        s
    }

    #[test]
    fn number_cells_get_their_xfs_format() {
        let map = scan(&stream()[..], "Blad 1", 9).unwrap();
        let got = |r, c| map.get(r, c).map(|f| f.to_string());
        assert_eq!(got(1, 0).as_deref(), Some("#,##0.00"));
        assert_eq!(got(2, 0), None, "General");
        assert_eq!(got(3, 0), None, "a percentage");
        assert_eq!(got(4, 0).as_deref(), Some("€ #,##0.00"));
        assert_eq!(got(4, 1), None);
        assert_eq!(got(4, 2).as_deref(), Some("#,##0.00"));
        assert_eq!(got(5, 0).as_deref(), Some("#,##0.00"));
        assert_eq!(got(6, 0), None, "a formula with a text result");
        // By index when the name differs; an unknown sheet is an error.
        assert!(scan(&stream()[..], "Sheet1", 0)
            .unwrap()
            .get(1, 0)
            .is_some());
        assert!(scan(&stream()[..], "Sheet1", 3).is_err());
    }

    proptest::proptest! {
        /// Damaged records (bytes flipped, the stream cut) never make the walk panic.
        #[test]
        fn damaged_streams_never_panic(flips in proptest::collection::vec((0usize..400, 0u8..8), 0..12), cut in 0usize..400) {
            let mut s = stream();
            for (at, bit) in flips {
                let i = at % s.len();
                s[i] ^= 1 << bit;
            }
            s.truncate(cut.max(1).min(s.len()));
            let _ = scan(&s[..], "Blad 1", 0);
        }
    }
}
