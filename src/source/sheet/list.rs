//! The sheets of a workbook with their sizes, for `collectmaxx sheets`.

use std::fs::File;
use std::io::BufReader;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Ods, Reader, Sheet, SheetType, SheetVisible, Xlsb, Xlsx};
use serde::Serialize;

use super::cells::{self, column_letters};
use super::feed::{self, RowGrouper, SparseRow};
use super::{foreign_zip, guard};
use crate::source::{Format, SourceError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetInfo {
    /// 0-based, as `--sheet` takes it.
    pub index: usize,
    pub name: String,
    /// `worksheet`, `chart`, `dialog`, `macro` or `vba`.
    pub kind: &'static str,
    pub visible: bool,
    /// Rows that hold at least one value (the header included).
    pub rows: u64,
    /// The used area, e.g. `A1:K21` (empty for an empty sheet).
    pub area: String,
}

fn kind(t: SheetType) -> &'static str {
    match t {
        SheetType::WorkSheet => "worksheet",
        SheetType::ChartSheet => "chart",
        SheetType::DialogSheet => "dialog",
        SheetType::MacroSheet => "macro",
        SheetType::Vba => "vba",
    }
}

fn info(index: usize, sheet: &Sheet, rows: u64, area: String) -> SheetInfo {
    SheetInfo {
        index,
        name: sheet.name.clone(),
        kind: kind(sheet.typ),
        visible: sheet.visible == SheetVisible::Visible,
        rows,
        area,
    }
}

/// Counts rows and the used area of a stream of sparse rows. A cell that holds only empty or
/// blank text (a formula giving `""` is the common case) is no value, as for the reader, which
/// finds no header in a sheet of such cells: both must say the same of a sheet.
#[derive(Default)]
struct Tally {
    rows: u64,
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Tally {
    fn add(&mut self, row: &SparseRow) {
        let mut values = row.cells.iter().filter(|(_, c)| !c.is_blank()).peekable();
        if values.peek().is_none() {
            return;
        }
        self.rows += 1;
        for (col, _) in values {
            let b = self.bounds.get_or_insert((row.row, row.row, *col, *col));
            *b = (
                b.0.min(row.row),
                b.1.max(row.row),
                b.2.min(*col),
                b.3.max(*col),
            );
        }
    }

    fn area(&self) -> String {
        match self.bounds {
            Some((r0, r1, c0, c1)) => format!(
                "{}{}:{}{}",
                column_letters(u64::from(c0)),
                u64::from(r0) + 1,
                column_letters(u64::from(c1)),
                u64::from(r1) + 1
            ),
            None => String::new(),
        }
    }
}

macro_rules! stream_tally {
    ($wb:expr, $name:expr, $is_1904:expr) => {{
        let mut tally = Tally::default();
        let mut rows = RowGrouper::new();
        let mut reader = $wb
            .worksheet_cells_reader($name)
            .map_err(|e| format!("sheet '{}': {e}", $name))?;
        while let Some(c) = reader
            .next_cell()
            .map_err(|e| format!("sheet '{}': {e}", $name))?
        {
            let (r, col) = c.get_position();
            if let Some(done) = rows.push(r, col, cells::from_data_ref(c.get_value(), $is_1904)) {
                tally.add(&done);
            }
        }
        if let Some(last) = rows.finish() {
            tally.add(&last);
        }
        tally
    }};
}

/// Lists every sheet of a workbook that calamine reads as whole ranges (ODS, XLS), counted
/// from the cells as the reader gets them.
fn tally_ranges<RS, R>(
    wb: &mut R,
    is_1904: bool,
    errors_as_text: bool,
    out: &mut Vec<SheetInfo>,
) -> Result<(), String>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    for (i, s) in wb.sheets_metadata().to_vec().iter().enumerate() {
        let range = wb
            .worksheet_range(&s.name)
            .map_err(|e| format!("sheet '{}': {e}", s.name))?;
        let mut t = Tally::default();
        for row in feed::from_range(range, is_1904, errors_as_text, None).flatten() {
            t.add(&row);
        }
        out.push(info(i, s, t.rows, t.area()));
    }
    Ok(())
}

/// Lists the sheets of a workbook, in workbook order, with the rows each holds. A zip-based
/// workbook with a part larger than `max_part_bytes` is refused (see [`super::guard`]).
pub fn list_sheets(
    path: &Path,
    format: Format,
    max_cells: u64,
    max_part_bytes: u64,
) -> Result<Vec<SheetInfo>, SourceError> {
    let shown = path.display().to_string();
    let listed = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<SheetInfo>, String> {
        let mut out = Vec::new();
        guard::refuse_encrypted(path).map_err(|e| e.to_string())?;
        if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
            let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
            super::guard::check_parts(BufReader::new(file), max_part_bytes)
                .map_err(|e| e.to_string())?;
        }
        match format {
            Format::Xlsx => {
                let mut wb: Xlsx<BufReader<File>> = calamine::open_workbook(path).map_err(|e| {
                    foreign_zip(path).unwrap_or_else(|| format!("cannot read as .xlsx: {e}"))
                })?;
                let is_1904 = wb.has_1904_epoch();
                for (i, s) in wb.sheets_metadata().to_vec().iter().enumerate() {
                    if s.typ != SheetType::WorkSheet {
                        out.push(info(i, s, 0, String::new()));
                        continue;
                    }
                    let t = stream_tally!(wb, &s.name, is_1904);
                    out.push(info(i, s, t.rows, t.area()));
                }
            }
            Format::Xlsb => {
                let mut wb: Xlsb<BufReader<File>> = calamine::open_workbook(path).map_err(|e| {
                    foreign_zip(path).unwrap_or_else(|| format!("cannot read as .xlsb: {e}"))
                })?;
                let is_1904 = wb.has_1904_epoch();
                for (i, s) in wb.sheets_metadata().to_vec().iter().enumerate() {
                    if s.typ != SheetType::WorkSheet {
                        out.push(info(i, s, 0, String::new()));
                        continue;
                    }
                    let t = stream_tally!(wb, &s.name, is_1904);
                    out.push(info(i, s, t.rows, t.area()));
                }
            }
            Format::Ods => {
                // Measured from content.xml alone: no grid is built, so even a workbook that
                // the guard refuses can be listed (which shows where the stray cell is).
                let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
                let extents = guard::ods_extents(BufReader::new(file))?;
                let mut wb: Ods<BufReader<File>> = if extents.iter().all(|e| e.cells() <= max_cells)
                {
                    calamine::open_workbook(path)
                        .map_err(|e| format!("cannot read as .ods: {e}"))?
                } else {
                    for (i, e) in extents.iter().enumerate() {
                        let s = Sheet {
                            name: e.sheet.clone(),
                            typ: SheetType::WorkSheet,
                            visible: SheetVisible::Visible,
                        };
                        out.push(info(i, &s, e.rows_used, e.area()));
                    }
                    return Ok(out);
                };
                // Counted from the cells as the reader gets them, so that a cell holding empty
                // text (a formula giving "") is no value here either.
                tally_ranges(&mut wb, false, true, &mut out)?;
            }
            Format::Xls => {
                let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
                for extent in guard::xls_extents(BufReader::new(file))? {
                    guard::check(&extent, max_cells).map_err(|e| e.to_string())?;
                }
                let mut wb = guard::open_xls(path)?;
                let is_1904 = wb.has_1904_epoch();
                tally_ranges(&mut wb, is_1904, false, &mut out)?;
            }
            other => return Err(format!("{} is not a spreadsheet format", other.name())),
        }
        Ok(out)
    }));
    match listed {
        Ok(Ok(list)) => Ok(list),
        Ok(Err(message)) => Err(SourceError::new(shown, message)),
        Err(_) => Err(SourceError::new(
            shown,
            "the spreadsheet library failed on this file (it is probably damaged)",
        )),
    }
}
