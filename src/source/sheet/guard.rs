//! The dimension guard for workbook formats that calamine can only read whole (ODS, XLS).
//!
//! calamine builds an ODS or XLS sheet as a dense grid (every cell between the first and the
//! last value), for every sheet of the file, as soon as the workbook is opened. One stray value
//! at the sheet's far corner would make that grid gigabytes. So before calamine sees such a
//! file, this module walks it once (ODS: `content.xml` as a stream; XLS: the BIFF records) and
//! measures each sheet's used area; the caller refuses files whose grid would be too large.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Default largest grid (rows x columns of the used area) read from a non-streamed format:
/// 10 million cells, about 0.5 GB in calamine's grid. Larger files are refused with a message
/// that names the sheet and its area.
pub const DEFAULT_MAX_CELLS: u64 = 10_000_000;

/// The limit that `--max-cells` cannot raise: past it calamine's grid would not fit in the
/// memory of any machine the tool runs on (200 million cells, about 6 GB).
pub const HARD_MAX_CELLS: u64 = 200_000_000;

/// The used area of one sheet, in 0-based rows and columns (inclusive bounds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extent {
    pub sheet: String,
    pub first_row: u64,
    pub last_row: u64,
    pub first_col: u64,
    pub last_col: u64,
    /// False for a sheet without any value.
    pub used: bool,
    /// Rows that hold at least one value.
    pub rows_used: u64,
}

impl Extent {
    fn new(sheet: String) -> Extent {
        Extent {
            sheet,
            first_row: u64::MAX,
            last_row: 0,
            first_col: u64::MAX,
            last_col: 0,
            used: false,
            rows_used: 0,
        }
    }

    fn include(&mut self, rows: (u64, u64), cols: (u64, u64)) {
        self.used = true;
        self.first_row = self.first_row.min(rows.0);
        self.last_row = self.last_row.max(rows.1);
        self.first_col = self.first_col.min(cols.0);
        self.last_col = self.last_col.max(cols.1);
    }

    /// Cells in the used area's grid.
    pub fn cells(&self) -> u64 {
        if !self.used {
            return 0;
        }
        (self.last_row - self.first_row + 1).saturating_mul(self.last_col - self.first_col + 1)
    }

    /// The used area in spreadsheet notation, e.g. `A1:K21`.
    pub fn area(&self) -> String {
        if !self.used {
            return String::new();
        }
        format!(
            "{}{}:{}{}",
            super::column_letters(self.first_col),
            self.first_row + 1,
            super::column_letters(self.last_col),
            self.last_row + 1
        )
    }
}

/// Refuses an extent whose grid exceeds `max_cells`.
pub fn check(extent: &Extent, max_cells: u64) -> Result<(), String> {
    let max_cells = max_cells.min(HARD_MAX_CELLS);
    let cells = extent.cells();
    if cells <= max_cells {
        return Ok(());
    }
    Err(format!(
        "sheet '{}' spans {} ({} cells), more than the {} cells this format can be read with; \
         a stray value far from the data often causes this: delete the rows and columns past \
         the data, save as .xlsx (which is read as a stream), or raise the limit with \
         --max-cells",
        extent.sheet,
        extent.area(),
        cells,
        max_cells
    ))
}

/// Measures every sheet of an OpenDocument spreadsheet by streaming its `content.xml`.
pub fn ods_extents<R: Read + Seek>(file: R) -> Result<Vec<Extent>, String> {
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("not a valid ODS file: {e}"))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|e| format!("not a valid ODS file (content.xml: {e})"))?;
    scan_content(BufReader::new(content))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

struct RowScan {
    repeats: u64,
    first_col: u64,
    last_col: u64,
    used: bool,
}

fn scan_content<R: std::io::BufRead>(content: R) -> Result<Vec<Extent>, String> {
    let mut xml = Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut sheet: Option<Extent> = None;
    let mut row_index: u64 = 0;
    let mut row: Option<RowScan> = None;
    let mut col: u64 = 0;
    // A cell opened with a start tag but no value type yet: (column, repeats, seen text).
    let mut open_cell: Option<(u64, u64, bool)> = None;

    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("damaged ODS content.xml: {e}"))?;
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" if is_start => {
                    sheet = Some(Extent::new(attr(&e, "table:name").unwrap_or_default()));
                    row_index = 0;
                }
                "table:table-row" => {
                    let repeats = repeat(&e, "table:number-rows-repeated");
                    if is_start {
                        row = Some(RowScan {
                            repeats,
                            first_col: u64::MAX,
                            last_col: 0,
                            used: false,
                        });
                        col = 0;
                    } else {
                        row_index = row_index.saturating_add(repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeats = repeat(&e, "table:number-columns-repeated");
                    let valued = attr(&e, "office:value-type").is_some()
                        || attr(&e, "table:formula").is_some();
                    if is_start && !valued {
                        open_cell = Some((col, repeats, false));
                    } else {
                        if valued {
                            mark(&mut row, col, repeats);
                        }
                        col = col.saturating_add(repeats);
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(cell) = open_cell.as_mut() {
                    if !t.xml10_content().trim().is_empty() {
                        cell.2 = true;
                    }
                }
            }
            Event::GeneralRef(_) | Event::CData(_) => {
                if let Some(cell) = open_cell.as_mut() {
                    cell.2 = true;
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((c, repeats, seen)) = open_cell.take() {
                        if seen {
                            mark(&mut row, c, repeats);
                        }
                        col = c.saturating_add(repeats);
                    }
                }
                "table:table-row" => {
                    if let Some(r) = row.take() {
                        let last = row_index.saturating_add(r.repeats - 1);
                        if r.used {
                            if let Some(s) = sheet.as_mut() {
                                s.include((row_index, last), (r.first_col, r.last_col));
                                s.rows_used = s.rows_used.saturating_add(r.repeats);
                            }
                        }
                        row_index = row_index.saturating_add(r.repeats);
                    }
                }
                "table:table" => {
                    if let Some(s) = sheet.take() {
                        sheets.push(s);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

fn mark(row: &mut Option<RowScan>, col: u64, repeats: u64) {
    if let Some(r) = row.as_mut() {
        r.used = true;
        r.first_col = r.first_col.min(col);
        r.last_col = r.last_col.max(col.saturating_add(repeats - 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENT: &str = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="Data">
 <table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p>h</text:p></table:table-cell></table:table-row>
 <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
 <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="Stray">
 <table:table-row><table:table-cell office:value-type="string"><text:p>h</text:p></table:table-cell></table:table-row>
 <table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
 <table:table-row><table:table-cell table:number-columns-repeated="1023"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
</table:table>
<table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;

    #[test]
    fn measures_used_areas_with_repeats() {
        let sheets = scan_content(CONTENT.as_bytes()).unwrap();
        assert_eq!(sheets.len(), 3);
        assert_eq!(sheets[0].area(), "B1:C5");
        assert_eq!(sheets[0].cells(), 10);
        assert_eq!(sheets[0].rows_used, 2);
        assert_eq!(sheets[1].area(), "A1:AMJ1048576");
        assert!(check(&sheets[1], DEFAULT_MAX_CELLS).is_err());
        assert!(!sheets[2].used);
        assert_eq!(sheets[2].cells(), 0);
    }

    #[test]
    fn refuses_a_grid_above_the_limit_naming_the_sheet() {
        let mut e = Extent::new("Blad1".into());
        e.include((0, 1_048_575), (0, 16_383));
        let msg = check(&e, DEFAULT_MAX_CELLS).unwrap_err();
        assert!(msg.contains("'Blad1'") && msg.contains("A1:XFD1048576"), "{msg}");
        assert!(check(&e, u64::MAX).is_err(), "the hard limit holds");
        let mut small = Extent::new("Blad1".into());
        small.include((0, 99), (0, 9));
        assert!(check(&small, 1_000).is_ok());
        assert!(check(&small, 999).is_err());
    }

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
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
}

/// Measures every sheet of an XLS workbook (BIFF5/BIFF8 in an OLE2 compound file) by walking
/// its record stream, before calamine reads it: both the area a sheet declares (its DIMENSIONS
/// record, which calamine reserves memory for) and the area its cells really span. A damaged or
/// crafted declaration of four billion rows is refused here instead of aborting the process.
pub fn xls_extents<R: Read + Seek>(file: R) -> Result<Vec<Extent>, String> {
    let mut cfb = cfb::CompoundFile::open(file).map_err(|e| format!("not a valid XLS file: {e}"))?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or("not an Excel workbook (no Workbook stream)")?;
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

fn u16_at(d: &[u8], i: usize) -> Option<u64> {
    d.get(i..i + 2)
        .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], i: usize) -> Option<u64> {
    d.get(i..i + 4)
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// A sheet name from a BOUNDSHEET record: BIFF8 `ShortXLUnicodeString` or BIFF5 bytes.
fn boundsheet_name(d: &[u8]) -> String {
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

fn scan_biff<R: Read>(mut stream: R) -> Result<Vec<Extent>, String> {
    let mut names: Vec<(u64, String)> = Vec::new();
    let mut sheets = Vec::new();
    let mut current: Option<Extent> = None;
    let mut depth = 0usize;
    let mut offset = 0u64;
    let mut head = [0u8; 4];
    let mut data = Vec::new();
    loop {
        match stream.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(format!("damaged XLS file: {e}")),
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        data.resize(len, 0);
        if stream.read_exact(&mut data).is_err() {
            break; // a cut-off last record: calamine reports the damage
        }
        let at = offset;
        offset += 4 + len as u64;
        match typ {
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
                        (u32_at(&data, 0), u32_at(&data, 4), u16_at(&data, 8), u16_at(&data, 10))
                    } else {
                        (u16_at(&data, 0), u16_at(&data, 2), u16_at(&data, 4), u16_at(&data, 6))
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
