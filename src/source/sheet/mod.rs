//! Spreadsheet reader (calamine): `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and `.ods`.
//!
//! - One sheet is read: the first visible worksheet, or the one `--sheet` names (by name, or
//!   by 0-based index as `collectmaxx sheets` lists them).
//! - The header is the first row with values. A row with a single value above a row with
//!   several (a title such as "Debiteuren januari") is taken for a title and skipped, with a
//!   note, when a row with two or more values follows within [`TITLE_LOOKAHEAD`] rows.
//! - Rows keep the spreadsheet's own number (row 1 is the sheet's first row, whatever row the
//!   header is on). Rows without any value are not data rows and are not reported.
//! - A value in a column that has no header is not read; the reader says so in a note.
//! - XLSX and XLSB are streamed; ODS and XLS are read whole after the dimension guard (see
//!   [`guard`]) has checked that their grids are of a sane size.

pub(crate) mod cells;
pub(crate) mod feed;
pub(crate) mod formats;
pub mod guard;
mod list;

pub(crate) use cells::column_letters;
pub use list::{list_sheets, SheetInfo};

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Ods, Reader, Sheet, SheetType, SheetVisible, Xlsb, Xlsx};

use std::sync::Arc;

use self::feed::{Feed, RowGrouper, SparseRow};
use self::formats::FormatMap;
use super::{Cell, FileNote, Format, ReadOptions, Row, RowResult, Source, SourceError};
use crate::shown;

/// How many rows past a lone-value title row the reader looks for the real header.
pub(crate) const TITLE_LOOKAHEAD: usize = 10;

/// Notes about values outside the header's columns, before they are only counted.
const OUTSIDE_NOTES: u64 = 10;

pub(crate) struct SheetSource {
    format: &'static str,
    path: String,
    sheet: String,
    header: Vec<String>,
    header_row: u64,
    first_col: u32,
    pending: VecDeque<SparseRow>,
    feed: Feed,
    notes: Vec<FileNote>,
    outside: u64,
    last_row: u64,
    max_cell_bytes: usize,
    done: bool,
}

/// Chooses the sheet to read: `wanted` by exact name, by name in any case, or by 0-based
/// index; without `wanted`, the first visible worksheet.
pub(crate) fn select_sheet(sheets: &[Sheet], wanted: Option<&str>) -> Result<String, SheetError> {
    let names = || {
        sheets
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{i}: '{}'", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(wanted) = wanted else {
        let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
        return worksheets()
            .find(|s| s.visible == SheetVisible::Visible)
            .or_else(|| worksheets().next())
            .map(|s| s.name.clone())
            .ok_or(SheetError::NoWorksheet);
    };
    if let Some(s) = sheets.iter().find(|s| s.name == wanted) {
        return Ok(s.name.clone());
    }
    let folded: Vec<&Sheet> = sheets
        .iter()
        .filter(|s| s.name.to_lowercase() == wanted.trim().to_lowercase())
        .collect();
    if let [only] = folded.as_slice() {
        return Ok(only.name.clone());
    }
    if let Ok(i) = wanted.trim().parse::<usize>() {
        if let Some(s) = sheets.get(i) {
            return Ok(s.name.clone());
        }
    }
    Err(SheetError::NoSuchSheet {
        wanted: wanted.to_string(),
        names: names(),
    })
}

/// Why no sheet of a workbook can be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SheetError {
    #[error("the workbook has no worksheet")]
    NoWorksheet,
    /// `names` lists the sheets with their 0-based indexes.
    #[error(
        "there is no sheet '{wanted}'; the workbook has {names} (use a name or a 0-based index)"
    )]
    NoSuchSheet { wanted: String, names: String },
}

/// Looks inside a zip that the first bytes called XLSX: a workbook stored in binary parts
/// (`xl/workbook.bin`) is XLSB, whatever its name says. Anything unreadable is left to the
/// reader, which reports it.
pub(crate) fn refine_zip(path: &Path, detected: Format) -> Format {
    if detected != Format::Xlsx && detected != Format::Xlsb {
        return detected;
    }
    let Ok(file) = File::open(path) else {
        return detected;
    };
    let Ok(zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return detected;
    };
    let has = |name: &str| zip.index_for_name(name).is_some();
    if has("xl/workbook.bin") {
        Format::Xlsb
    } else if has("xl/workbook.xml") {
        Format::Xlsx
    } else {
        detected
    }
}

/// What a zip that calamine could not open as a workbook holds instead, when it is plainly
/// something else: another Office or OpenDocument file, or an archive of other files (an
/// `export.xlsx` that is a zipped CSV). `None` when it may be a damaged workbook after all.
pub(crate) fn foreign_zip(path: &Path) -> Option<String> {
    let file = File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(std::borrow::Cow::into_owned))
        .collect();
    if names.iter().any(|n| n.starts_with("xl/")) {
        return None;
    }
    if names.iter().any(|n| n.starts_with("word/")) {
        return Some("is a Word document (.docx), not a workbook".to_string());
    }
    if names.iter().any(|n| n.starts_with("ppt/")) {
        return Some("is a PowerPoint presentation (.pptx), not a workbook".to_string());
    }
    if let Ok(mut entry) = zip.by_name("mimetype") {
        let mut mime = String::new();
        use std::io::Read;
        let _ = entry.by_ref().take(200).read_to_string(&mut mime);
        if let Some(kind) = mime
            .trim()
            .strip_prefix("application/vnd.oasis.opendocument.")
        {
            return Some(format!(
                "is an OpenDocument {kind} file, not a spreadsheet (an .ods file says \
                 'spreadsheet' in its mimetype)"
            ));
        }
    }
    if names
        .iter()
        .any(|n| n == "[Content_Types].xml" || n == "_rels/.rels")
    {
        return None;
    }
    let mut shown: Vec<&str> = names.iter().map(String::as_str).take(5).collect();
    if names.len() > shown.len() {
        shown.push("…");
    }
    Some(format!(
        "is a zip archive of other files ({}), not a workbook: unzip it and pass the export \
         inside",
        shown.join(", ")
    ))
}

/// Opens a workbook of the given spreadsheet format.
pub(crate) fn open(
    path: &Path,
    format: Format,
    opts: &ReadOptions,
) -> Result<SheetSource, SourceError> {
    let shown = path.display().to_string();
    let fail = |message: String| SourceError::new(&shown, message);
    let max_cells = opts.max_cells.unwrap_or(guard::DEFAULT_MAX_CELLS);
    let wanted = opts.sheet.as_deref();
    // calamine is a large parser of untrusted files: a panic inside it must become a
    // file-level error, never a crash of the whole run.
    let opened = catch_unwind(AssertUnwindSafe(
        || -> Result<(String, Feed, Vec<FileNote>), String> {
            guard::refuse_encrypted(path).map_err(|e| e.to_string())?;
            let mut notes = Vec::new();
            let index_of = |sheets: &[Sheet], name: &str| {
                sheets
                    .iter()
                    .position(|s| s.name == name)
                    .unwrap_or(usize::MAX)
            };
            if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
                let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
                guard::check_parts(BufReader::new(file), opts.limits.max_part_bytes)
                    .map_err(|e| e.to_string())?;
            }
            match format {
                Format::Xlsx => {
                    let wb: Xlsx<BufReader<File>> = calamine::open_workbook(path).map_err(|e| {
                        foreign_zip(path).unwrap_or_else(|| format!("cannot read as .xlsx: {e}"))
                    })?;
                    let sheet =
                        select_sheet(wb.sheets_metadata(), wanted).map_err(|e| e.to_string())?;
                    let feed = stream_xlsx(wb, sheet.clone());
                    Ok((sheet, feed, notes))
                }
                Format::Xlsb => {
                    let wb: Xlsb<BufReader<File>> = calamine::open_workbook(path).map_err(|e| {
                        foreign_zip(path).unwrap_or_else(|| format!("cannot read as .xlsb: {e}"))
                    })?;
                    let sheet =
                        select_sheet(wb.sheets_metadata(), wanted).map_err(|e| e.to_string())?;
                    let index = index_of(wb.sheets_metadata(), &sheet);
                    let found = match formats::xlsb::xlsb_formats(path, &sheet, index) {
                        Err(formats::xlsb::XlsbError::ShortCells { cells, first_row }) => {
                            return Err(format!(
                                "sheet '{sheet}' holds {cells} cells in the short form that some \
                             programs (not Excel) write, from row {} on; the spreadsheet library \
                             skips them, so they would be lost without a word. Open the file in \
                             Excel or LibreOffice and save it again, or save it as .xlsx",
                                u64::from(first_row) + 1
                            ))
                        }
                        Err(formats::xlsb::XlsbError::Unread(why)) => Err(why),
                        Ok(map) => Ok(map),
                    };
                    let map = read_formats(found, &mut notes);
                    let feed = stream_xlsb(wb, sheet.clone(), map);
                    Ok((sheet, feed, notes))
                }
                Format::Ods => {
                    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
                    for extent in guard::ods_extents(BufReader::new(file))? {
                        guard::check(&extent, max_cells).map_err(|e| e.to_string())?;
                    }
                    let mut wb: Ods<BufReader<File>> = calamine::open_workbook(path)
                        .map_err(|e| format!("cannot read as .ods: {e}"))?;
                    let sheet =
                        select_sheet(wb.sheets_metadata(), wanted).map_err(|e| e.to_string())?;
                    let range = wb
                        .worksheet_range(&sheet)
                        .map_err(|e| format!("cannot read sheet '{sheet}': {e}"))?;
                    let map = read_formats(formats::ods::ods_formats(path, &sheet), &mut notes);
                    Ok((sheet, feed::from_range(range, false, true, map), notes))
                }
                Format::Xls => {
                    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
                    for extent in guard::xls_extents(BufReader::new(file))? {
                        guard::check(&extent, max_cells).map_err(|e| e.to_string())?;
                    }
                    let mut wb = guard::open_xls(path)?;
                    let is_1904 = wb.has_1904_epoch();
                    let sheet =
                        select_sheet(wb.sheets_metadata(), wanted).map_err(|e| e.to_string())?;
                    let index = index_of(wb.sheets_metadata(), &sheet);
                    let range = wb
                        .worksheet_range(&sheet)
                        .map_err(|e| format!("cannot read sheet '{sheet}': {e}"))?;
                    let found = formats::xls::xls_formats(path, &sheet, index);
                    let map = read_formats(found, &mut notes);
                    Ok((sheet, feed::from_range(range, is_1904, false, map), notes))
                }
                other => Err(format!("{} is not a spreadsheet format", other.name())),
            }
        },
    ));
    let (sheet, feed, format_notes) = match opened {
        Ok(Ok(found)) => found,
        Ok(Err(message)) => return Err(fail(message)),
        Err(_) => {
            return Err(fail(format!(
                "the spreadsheet library failed on this file (it is probably damaged or not \
                 really {}); open and save it again in a spreadsheet program",
                format.name()
            )))
        }
    };
    let mut src = SheetSource::start(
        format,
        shown,
        sheet,
        feed,
        opts.limits.max_columns,
        opts.header_row,
    )?;
    src.max_cell_bytes = opts.limits.max_cell_bytes;
    src.notes.extend(format_notes);
    Ok(src)
}

/// Groups a sheet's positioned cells into rows for `sink`, until the sheet ends or the sink
/// refuses a row (the reader was dropped).
fn group_cells<E: std::fmt::Display>(
    sink: &mut dyn FnMut(SparseRow) -> bool,
    mut next: impl FnMut() -> Result<Option<(u32, u32, Cell)>, E>,
) -> Result<(), String> {
    let mut rows = RowGrouper::new();
    while let Some((r, col, cell)) = next().map_err(|e| e.to_string())? {
        if let Some(done) = rows.push(r, col, cell) {
            if !sink(done) {
                return Ok(());
            }
        }
    }
    if let Some(last) = rows.finish() {
        sink(last);
    }
    Ok(())
}

/// Streams an XLSX sheet; each number cell's style says whether it shows decimals or a
/// currency.
fn stream_xlsx(mut wb: Xlsx<BufReader<File>>, sheet: String) -> Feed {
    feed::streamed(move |sink| {
        let is_1904 = wb.has_1904_epoch();
        let mut reader = wb
            .worksheet_cells_reader(&sheet)
            .map_err(|e| e.to_string())?;
        let major: Vec<Option<Arc<str>>> =
            reader.styles().iter().map(formats::style_major).collect();
        group_cells(sink, || {
            Ok::<_, calamine::XlsxError>(reader.next_cell_with_style_id()?.map(|(c, style)| {
                let (r, col) = c.get_position();
                let cell = cells::from_data_ref(c.get_value(), is_1904);
                let format = major.get(style).and_then(Option::as_ref);
                (r, col, cells::formatted(cell, format))
            }))
        })
    })
}

/// Streams an XLSB sheet; `formats` (read beforehand, see [`formats::xlsb`]) says which number
/// cells show decimals or a currency.
fn stream_xlsb(mut wb: Xlsb<BufReader<File>>, sheet: String, formats: Option<FormatMap>) -> Feed {
    feed::streamed(move |sink| {
        let is_1904 = wb.has_1904_epoch();
        let mut reader = wb
            .worksheet_cells_reader(&sheet)
            .map_err(|e| e.to_string())?;
        group_cells(sink, || {
            Ok::<_, calamine::XlsbError>(reader.next_cell()?.map(|c| {
                let (r, col) = c.get_position();
                let cell = cells::from_data_ref(c.get_value(), is_1904);
                let format = formats.as_ref().and_then(|f| f.get(r, col));
                (r, col, cells::formatted(cell, format))
            }))
        })
    })
}

/// The number formats of a sheet that calamine reads without them: the map, or `None` and a
/// note saying the amounts are judged by their values.
fn read_formats(found: Result<FormatMap, String>, notes: &mut Vec<FileNote>) -> Option<FormatMap> {
    match found {
        Ok(map) => Some(map),
        Err(why) => {
            notes.push(formats::unread_note(&why));
            None
        }
    }
}

fn non_blank(row: &SparseRow) -> usize {
    row.cells.iter().filter(|(_, c)| !c.is_blank()).count()
}

impl SheetSource {
    fn start(
        format: Format,
        path: String,
        sheet: String,
        mut feed: Feed,
        max_columns: usize,
        header_row: Option<u64>,
    ) -> Result<SheetSource, SourceError> {
        let error = |message: String| SourceError::new(&path, message);
        // Find the header: the row given, else the first row with values, unless it is a
        // lone title above a row with several values.
        let mut seen: Vec<SparseRow> = Vec::new();
        let header_at = loop {
            let Some(given) = header_row else { break None };
            let next = match feed.next() {
                Some(Ok(row)) => row,
                Some(Err(e)) => return Err(error(format!("cannot read sheet '{sheet}': {e}"))),
                None => {
                    let why = format!("the sheet ends before row {given}");
                    return Err(error(super::header_row::header_missing(given, &why)));
                }
            };
            let at = u64::from(next.row) + 1;
            seen.push(next);
            match at.cmp(&given) {
                std::cmp::Ordering::Less => continue,
                std::cmp::Ordering::Equal => break Some(seen.len() - 1),
                std::cmp::Ordering::Greater => {
                    let why = format!("row {given} is empty");
                    return Err(error(super::header_row::header_missing(given, &why)));
                }
            }
        };
        let header_at = if header_row.is_some() {
            header_at
        } else {
            loop {
                let next = match feed.next() {
                    Some(Ok(row)) => row,
                    Some(Err(e)) => return Err(error(format!("cannot read sheet '{sheet}': {e}"))),
                    None => break seen.iter().position(|r| non_blank(r) > 0),
                };
                let values = non_blank(&next);
                seen.push(next);
                if values >= 2 {
                    break Some(seen.len() - 1);
                }
                let first = seen.iter().position(|r| non_blank(r) > 0);
                if let Some(first) = first {
                    if seen.len() - first > TITLE_LOOKAHEAD {
                        break Some(first);
                    }
                }
            }
        };
        let Some(header_at) = header_at else {
            let blank: usize = seen.iter().map(|r| r.cells.len()).sum();
            let only_blank = if blank > 0 {
                format!(
                    " ({blank} cell{} with only empty text or spaces, such as a formula that \
                     gives \"\")",
                    if blank == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            return Err(error(format!(
                "sheet '{sheet}' has no values{only_blank}: there is nothing to read (choose \
                 another sheet with --sheet; `collectmaxx sheets` lists them)"
            )));
        };
        let mut pending: VecDeque<SparseRow> = seen.into();
        let titles: Vec<SparseRow> = pending.drain(..header_at).collect();
        let Some(head) = pending.pop_front() else {
            return Err(error(format!("sheet '{sheet}' has no header row")));
        };
        if let Some(given) = header_row {
            let cells: Vec<Cell> = head.cells.iter().map(|(_, c)| c.clone()).collect();
            if let Some(why) = super::header_row::not_a_header(&cells) {
                return Err(error(super::header_row::header_refused(given, &why)));
            }
        }
        let present = || head.cells.iter().filter(|(_, c)| !c.is_blank());
        let first_col = present().map(|(c, _)| *c).min().unwrap_or(0);
        let last_col = present().map(|(c, _)| *c).max().unwrap_or(0);
        let width = u64::from(last_col - first_col) + 1;
        if width > max_columns as u64 {
            return Err(error(format!(
                "the header on row {} spans {width} columns ({} to {}), over the limit of \
                 {max_columns}: delete the values far right of the header, or raise the limit \
                 with --max-columns",
                head.row + 1,
                column_letters(u64::from(first_col)),
                column_letters(u64::from(last_col)),
            )));
        }
        let mut header = vec![String::new(); width as usize];
        for (col, cell) in &head.cells {
            if let Some(slot) = col
                .checked_sub(first_col)
                .and_then(|i| header.get_mut(i as usize))
            {
                *slot = cell.display();
            }
        }
        let header_row = u64::from(head.row) + 1;
        let mut notes = Vec::new();
        for title in titles.iter().filter(|r| non_blank(r) > 0) {
            let text: Vec<String> = title.cells.iter().map(|(_, c)| c.display()).collect();
            notes.push(FileNote {
                code: "sheet.title_skipped",
                message: format!(
                    "row {} ('{}') is above the header on row {header_row} and was read as a \
                     title, not as data",
                    title.row + 1,
                    shown::value(&text.join(" "))
                ),
                row: Some(u64::from(title.row) + 1),
            });
        }
        Ok(SheetSource {
            format: format.name(),
            path,
            sheet,
            header,
            header_row,
            first_col,
            pending,
            feed,
            notes,
            outside: 0,
            last_row: header_row,
            max_cell_bytes: usize::MAX,
            done: false,
        })
    }

    fn make_row(&mut self, sparse: SparseRow) -> Row {
        let row = u64::from(sparse.row) + 1;
        let width = self.header.len();
        let mut cells = vec![Cell::Empty; width];
        let mut outside: Option<(u32, Cell)> = None;
        for (col, cell) in sparse.cells {
            let place = col
                .checked_sub(self.first_col)
                .map(|i| i as usize)
                .filter(|i| *i < width);
            match place.and_then(|i| cells.get_mut(i)) {
                Some(slot) => *slot = cell,
                None if !cell.is_blank() && outside.is_none() => outside = Some((col, cell)),
                None => {}
            }
        }
        if let Some((col, cell)) = outside {
            self.outside += 1;
            if self.outside <= OUTSIDE_NOTES {
                self.notes.push(FileNote {
                    code: "sheet.value_outside_header",
                    message: format!(
                        "row {row} has a value in column {} ('{}') where the header (row {}) \
                         has no column name; it is not read: give the column a header to read it",
                        column_letters(u64::from(col)),
                        shown::value(&cell.display()),
                        self.header_row
                    ),
                    row: Some(row),
                });
            }
        }
        self.last_row = row;
        Row {
            row,
            line: None,
            cells,
        }
    }

    fn finish_notes(&mut self) {
        if self.outside > OUTSIDE_NOTES {
            self.notes.push(FileNote {
                code: "sheet.value_outside_header",
                message: format!(
                    "{} rows in all have values in columns without a header name; only the \
                     first {OUTSIDE_NOTES} are listed",
                    self.outside
                ),
                row: None,
            });
        }
    }
}

impl Source for SheetSource {
    fn format(&self) -> &'static str {
        self.format
    }

    fn header(&self) -> &[String] {
        &self.header
    }

    fn header_row(&self) -> u64 {
        self.header_row
    }

    fn sheet(&self) -> Option<&str> {
        Some(&self.sheet)
    }

    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        if self.done {
            return None;
        }
        let sparse = match self.pending.pop_front() {
            Some(row) => row,
            None => match self.feed.next() {
                Some(Ok(row)) => row,
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(SourceError {
                        path: self.path.clone(),
                        message: format!("cannot read sheet '{}': {e}", self.sheet),
                        place: Some(format!("after row {}", self.last_row)),
                    }));
                }
                None => {
                    self.done = true;
                    self.finish_notes();
                    return None;
                }
            },
        };
        let row = self.make_row(sparse);
        let limit = self.max_cell_bytes;
        let too_large = row.cells.iter().enumerate().find_map(|(i, c)| match c {
            Cell::Text(t) if t.len() > limit => Some((i, t.len())),
            _ => None,
        });
        if let Some((i, len)) = too_large {
            let column = self.header.get(i).cloned().unwrap_or_default();
            return Some(Ok(RowResult::Broken {
                row: row.row,
                line: None,
                code: "cell.too_large",
                message: format!(
                    "column '{column}' holds {len} bytes, over the limit of {limit} (no delivery \
                     field holds more than 255 characters); the row is not delivered",
                    column = shown::plain(&column)
                ),
                value: None,
            }));
        }
        Some(Ok(RowResult::Row(row)))
    }

    fn take_notes(&mut self) -> Vec<FileNote> {
        std::mem::take(&mut self.notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str, typ: SheetType, visible: SheetVisible) -> Sheet {
        Sheet {
            name: name.into(),
            typ,
            visible,
        }
    }

    fn row(r: u32, cells: &[(u32, &str)]) -> SparseRow {
        SparseRow {
            row: r,
            cells: cells
                .iter()
                .map(|(c, s)| (*c, Cell::Text((*s).into())))
                .collect(),
        }
    }

    fn source(rows: Vec<SparseRow>) -> Result<SheetSource, SourceError> {
        source_at(rows, None)
    }

    fn source_at(rows: Vec<SparseRow>, at: Option<u64>) -> Result<SheetSource, SourceError> {
        let feed: Feed = Box::new(rows.into_iter().map(Ok));
        SheetSource::start(Format::Xlsx, "t.xlsx".into(), "S".into(), feed, 16_384, at)
    }

    fn start(feed: Feed, max_columns: usize) -> Result<SheetSource, SourceError> {
        SheetSource::start(
            Format::Xlsx,
            "t.xlsx".into(),
            "S".into(),
            feed,
            max_columns,
            None,
        )
    }

    #[test]
    fn a_given_header_row_is_read_there_and_refused_when_it_holds_values() {
        // Two-value rows above the header fool the detection; the given row does not.
        let rows = || {
            vec![
                row(0, &[(0, "Administratie"), (1, "Voorbeeld BV")]),
                row(1, &[(0, "Datum"), (1, "14-03-2025")]),
                row(3, &[(0, "Debiteur"), (1, "Bedrag")]),
                row(4, &[(0, "D1"), (1, "12,50")]),
            ]
        };
        assert_eq!(
            source(rows()).unwrap().header(),
            ["Administratie", "Voorbeeld BV"]
        );
        let mut src = source_at(rows(), Some(4)).unwrap();
        assert_eq!(
            (src.header(), src.header_row()),
            (&["Debiteur".to_string(), "Bedrag".into()][..], 4)
        );
        let notes = src.take_notes();
        assert_eq!(notes.len(), 2);
        assert!(notes.iter().all(|n| n.code == "sheet.title_skipped"));
        let Some(Ok(RowResult::Row(r))) = src.next_row() else {
            panic!("row expected")
        };
        assert_eq!(r.row, 5);
        assert!(src.next_row().is_none());
        let err = source_at(rows(), Some(5)).err().unwrap().to_string();
        assert!(
            err.contains("row 5 does not look like a header") && err.contains("'12,50'"),
            "{err}"
        );
        let err = source_at(rows(), Some(3)).err().unwrap().to_string();
        assert!(err.contains("row 3 is empty"), "{err}");
        let err = source_at(rows(), Some(9)).err().unwrap().to_string();
        assert!(err.contains("the sheet ends before row 9"), "{err}");
        let mut typed = rows();
        typed[3].cells[0].1 = Cell::Int(7);
        let err = source_at(typed, Some(5)).err().unwrap().to_string();
        assert!(err.contains("column 1 holds '7', a number"), "{err}");
    }

    #[test]
    fn zips_that_are_no_workbook_say_what_they_hold() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let zip_of = |name: &str, parts: &[(&str, &str)]| {
            let path = dir.path().join(name);
            let mut w = zip::ZipWriter::new(File::create(&path).unwrap());
            for (part, text) in parts {
                w.start_file(*part, zip::write::SimpleFileOptions::default())
                    .unwrap();
                w.write_all(text.as_bytes()).unwrap();
            }
            w.finish().unwrap();
            path
        };
        let docx = zip_of(
            "a.xlsx",
            &[("[Content_Types].xml", ""), ("word/document.xml", "")],
        );
        assert!(foreign_zip(&docx).unwrap().contains("Word document"));
        let odt = zip_of(
            "b.ods",
            &[("mimetype", "application/vnd.oasis.opendocument.text")],
        );
        assert!(foreign_zip(&odt)
            .unwrap()
            .contains("OpenDocument text file"));
        let files: Vec<(String, &str)> = (1..=7).map(|i| (format!("part{i}.csv"), "x")).collect();
        let parts: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let archive = zip_of("c.xlsx", &parts);
        let said = foreign_zip(&archive).unwrap();
        assert!(
            said.contains("(part1.csv, part2.csv, part3.csv, part4.csv, part5.csv, …)"),
            "{said}"
        );
        // A damaged workbook is left to the reader's own message.
        let damaged = zip_of(
            "d.xlsx",
            &[("[Content_Types].xml", ""), ("xl/workbook.xml", "<")],
        );
        assert_eq!(foreign_zip(&damaged), None);
        let no_parts = zip_of("e.xlsx", &[("[Content_Types].xml", "")]);
        assert_eq!(foreign_zip(&no_parts), None);
    }

    #[test]
    fn selects_sheets_by_name_case_or_index() {
        let sheets = [
            sheet("Chart", SheetType::ChartSheet, SheetVisible::Visible),
            sheet("Hidden", SheetType::WorkSheet, SheetVisible::Hidden),
            sheet("Klanten", SheetType::WorkSheet, SheetVisible::Visible),
        ];
        assert_eq!(select_sheet(&sheets, None).unwrap(), "Klanten");
        assert_eq!(select_sheet(&sheets, Some("klanten")).unwrap(), "Klanten");
        assert_eq!(select_sheet(&sheets, Some("1")).unwrap(), "Hidden");
        let err = select_sheet(&sheets, Some("Debiteuren"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("'Debiteuren'") && err.contains("2: 'Klanten'"),
            "{err}"
        );
        assert!(select_sheet(&[], None).is_err());
    }

    #[test]
    fn header_below_a_title_and_sheet_row_numbers() {
        let mut src = source(vec![
            row(0, &[(0, "Debiteuren januari")]),
            row(2, &[(1, "A"), (2, "B")]),
            row(3, &[(1, "1"), (2, "2"), (5, "stray")]),
            row(6, &[(2, "x")]),
        ])
        .unwrap();
        assert_eq!(src.header(), ["A", "B"]);
        assert_eq!(src.header_row(), 3);
        let notes = src.take_notes();
        assert_eq!(notes[0].code, "sheet.title_skipped");
        let Some(Ok(RowResult::Row(r))) = src.next_row() else {
            panic!("row expected")
        };
        assert_eq!(r.row, 4);
        assert_eq!(
            r.cells,
            vec![Cell::Text("1".into()), Cell::Text("2".into())]
        );
        let notes = src.take_notes();
        assert_eq!(notes[0].code, "sheet.value_outside_header");
        assert!(
            notes[0].message.contains("column F"),
            "{}",
            notes[0].message
        );
        let Some(Ok(RowResult::Row(r))) = src.next_row() else {
            panic!("row expected")
        };
        assert_eq!((r.row, r.cells[0].clone()), (7, Cell::Empty));
        assert!(src.next_row().is_none());
        assert!(src.next_row().is_none());
    }

    #[test]
    fn a_lone_first_row_is_the_header_when_no_wider_row_follows() {
        let mut src = source(vec![row(0, &[(0, "ID")]), row(1, &[(0, "k1")])]).unwrap();
        assert_eq!(src.header(), ["ID"]);
        assert!(src.take_notes().is_empty());
        let Some(Ok(RowResult::Row(r))) = src.next_row() else {
            panic!("row expected")
        };
        assert_eq!(r.row, 2);
        assert!(src.next_row().is_none());
    }

    #[test]
    fn a_huge_cell_rejects_its_row() {
        let mut src = source(vec![
            row(0, &[(0, "A"), (1, "B")]),
            row(1, &[(0, "x"), (1, "far too long")]),
            row(2, &[(0, "y")]),
        ])
        .unwrap();
        src.max_cell_bytes = 5;
        match src.next_row() {
            Some(Ok(RowResult::Broken {
                row, code, message, ..
            })) => {
                assert_eq!((row, code), (2, "cell.too_large"));
                assert!(message.contains("'B'"), "{message}");
            }
            other => panic!("expected a broken row, got {other:?}"),
        }
        assert!(matches!(src.next_row(), Some(Ok(RowResult::Row(_)))));
    }

    #[test]
    fn a_header_wider_than_the_column_limit_is_a_file_error() {
        let rows = vec![
            row(0, &[(0, "A"), (4_000_000_000, "far")]),
            row(1, &[(0, "1")]),
        ];
        let feed: Feed = Box::new(rows.into_iter().map(Ok));
        let err = start(feed, 16_384).err().unwrap();
        assert!(
            err.message.contains("4000000001 columns") && err.message.contains("--max-columns"),
            "{}",
            err.message
        );
        let rows = vec![row(0, &[(0, "A"), (2, "C")])];
        let feed: Feed = Box::new(rows.into_iter().map(Ok));
        assert!(start(feed, 3).is_ok());
    }

    #[test]
    fn formats_that_cannot_be_read_are_said_once() {
        let mut notes = Vec::new();
        let mut map = FormatMap::default();
        map.add(1, 0, "0.00");
        assert!(read_formats(Ok(map), &mut notes).is_some());
        assert!(notes.is_empty());
        assert!(read_formats(Err("styles.bin: a record is cut off".into()), &mut notes).is_none());
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "sheet.formats_unread");
        assert!(
            notes[0].message.contains("a record is cut off")
                && notes[0].message.contains("--amounts"),
            "{}",
            notes[0].message
        );
    }

    #[test]
    fn an_empty_sheet_is_a_file_error() {
        let err = source(vec![]).err().unwrap();
        assert!(err.message.contains("no values"), "{}", err.message);
    }

    #[test]
    fn a_feed_error_stops_the_source_with_its_place() {
        let rows: Vec<Result<SparseRow, String>> = vec![
            Ok(row(0, &[(0, "A"), (1, "B")])),
            Ok(row(1, &[(0, "1")])),
            Err("zip broken".into()),
        ];
        let feed: Feed = Box::new(rows.into_iter());
        let mut src = start(feed, 16_384).unwrap();
        assert!(matches!(src.next_row(), Some(Ok(_))));
        let Some(Err(e)) = src.next_row() else {
            panic!("error expected")
        };
        assert!(e.message.contains("zip broken"));
        assert_eq!(e.place.as_deref(), Some("after row 2"));
        assert!(src.next_row().is_none());
    }
}
