//! Readers: turn an input file into a header and a stream of rows.
//!
//! A reader knows file formats and nothing of validation. It yields [`Cell`]s that keep what
//! the source said (text, a number cell, a date cell, ...); the pipeline decides what they mean.

pub(crate) mod crmcom;
pub(crate) mod csv;
pub mod disguise;
pub(crate) mod header_row;
pub mod mismatch;
mod open;
pub mod sheet;
pub mod stdin;
pub(crate) mod xml;

pub use open::{detect, detect_file, open, open_finding_header};

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

/// One cell as the source holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A whole number cell (spreadsheets).
    Int(i64),
    /// A number cell with a fraction or too large for `i64` (spreadsheets).
    Float(f64),
    /// A number cell whose number format shows decimal places or a currency (`#,##0.00`,
    /// `€ #,##0`), so the user sees `45` as `45,00` (spreadsheets). `format` describes the
    /// format for messages (the format code, or for ODS what its style shows).
    Formatted {
        number: f64,
        format: std::sync::Arc<str>,
    },
    Bool(bool),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
    /// A national phone number to be read in the given country (ISO 3166-1 alpha-2), for
    /// sources that know each number's country (CRM.COM phones).
    PhoneIn {
        number: String,
        country: [u8; 2],
    },
}

impl Cell {
    /// True for an empty cell or one holding only white space.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a user would see it, for messages and the report.
    pub(crate) fn display(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Empty => Ok(()),
            Cell::Text(s) => f.write_str(s),
            Cell::Int(i) => write!(f, "{i}"),
            Cell::Float(x) | Cell::Formatted { number: x, .. } => write!(f, "{x}"),
            Cell::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Cell::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Cell::DateTime(d) => write!(f, "{}", d.format("%Y-%m-%d %H:%M:%S")),
            Cell::Error(e) => f.write_str(e),
            Cell::PhoneIn { number, .. } => f.write_str(number),
        }
    }
}

/// One data row of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row number as a spreadsheet shows it (header = 1) or, for record-oriented formats
    /// (XML, JSON), the record's ordinal (1 = first record).
    pub row: u64,
    /// The physical line where the row starts, for text formats.
    pub line: Option<u64>,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// What a reader says about one data row: a row, or a reason it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum RowResult {
    Row(Row),
    /// A row that exists but cannot be read as cells (e.g. ragged: more or fewer cells than the
    /// header). It counts as read and is rejected with this message.
    Broken {
        row: u64,
        line: Option<u64>,
        code: &'static str,
        message: String,
        value: Option<String>,
    },
}

/// A file-level problem: the input cannot be read at all. Maps to exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{path}{}: {message}", .place.as_ref().map(|p| format!(" ({p})")).unwrap_or_default())]
pub struct SourceError {
    pub path: String,
    pub message: String,
    /// Where in the file, e.g. `line 4, column 17`, if known.
    pub place: Option<String>,
}

impl SourceError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> SourceError {
        SourceError {
            path: path.into(),
            message: message.into(),
            place: None,
        }
    }
}

/// A non-fatal note about the file as a whole (e.g. "read as Windows-1252").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNote {
    pub code: &'static str,
    pub message: String,
    pub row: Option<u64>,
}

/// An opened source: its header and a stream of rows.
///
/// Every data row of the source must come out of `next_row` exactly once, as a `Row` or as a
/// `Broken` row, so that the report can account for it.
pub trait Source: Send {
    /// The source's format, as the report names it (`csv`, `xlsx`, `xml`, ...).
    fn format(&self) -> &'static str;
    /// The header cells, in source order. For record formats (XML, JSON) the reader names the
    /// columns after delivery fields as it meets them: the header may then grow while rows are
    /// read, but only by appending, and a row's cells index into it (missing trailing cells are
    /// empty).
    fn header(&self) -> &[String];
    /// The sheet being read, for spreadsheet formats.
    fn sheet(&self) -> Option<&str> {
        None
    }
    /// The row (as a spreadsheet shows it) of the header, for findings about columns.
    fn header_row(&self) -> u64 {
        1
    }
    /// False while the header may still grow (record formats): the delivery then keeps every
    /// column until the end and drops the unused ones.
    fn header_is_complete(&self) -> bool {
        true
    }
    /// True when the reader names its columns as it meets them (XML), so that a column name
    /// not in the header yet may still come; false when every name is known at open, even if
    /// not every column will be used (CRM.COM).
    fn header_grows(&self) -> bool {
        false
    }
    /// The next data row, `None` at the end, or a file-level error. After `None` or an error,
    /// every further call returns `None`.
    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>>;
    /// How far reading has come, as (done, total) in the source's own unit (bytes for text
    /// formats, rows for spreadsheets), when the total is known. For progress display only.
    fn progress(&self) -> Option<(u64, u64)> {
        None
    }
    /// Notes gathered so far about the file as a whole; drained by the caller.
    fn take_notes(&mut self) -> Vec<FileNote> {
        Vec::new()
    }
    /// The reader's own findings about the row that `next_row` returned last (e.g. "fax number
    /// dropped"), drained by the caller right after each row. Readers that map records onto
    /// delivery columns (CRM.COM) use it; the default has none.
    fn take_record_notes(&mut self) -> Vec<RecordNote> {
        Vec::new()
    }
    /// For a source that makes its columns from an export's (a profile): the export's header,
    /// and for each of this source's columns the export's columns it is made from. `None`
    /// (the default): the columns are the export's own.
    fn made_from(&self) -> Option<MadeFrom<'_>> {
        None
    }
    /// With [`Source::made_from`]: the row as the export wrote it behind the row that
    /// `next_row` returned last (`None` after a broken row). Totals below the data are
    /// recognised on it, before a profile's joins, splits and templates change its cells.
    fn written_row(&self) -> Option<&Row> {
        None
    }
}

/// The export's columns behind a source's columns (see [`Source::made_from`]).
#[derive(Debug, Clone, Copy)]
pub struct MadeFrom<'a> {
    /// The export's own header.
    pub header: &'a [String],
    /// For each column of the source, the export's columns it is made from.
    pub origins: &'a [Vec<usize>],
}

/// A reader's finding about one record, before the pipeline knows its place: the pipeline turns
/// it into an [`Issue`](crate::issue::Issue) with [`RecordNote::into_issue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordNote {
    pub severity: crate::issue::Severity,
    /// A stable dotted code such as `crmcom.fax_dropped`.
    pub code: &'static str,
    pub message: String,
    /// The delivery column the finding is about, if any.
    pub field: Option<crate::registry::Slot>,
    /// The source value concerned, if any.
    pub value: Option<String>,
}

impl RecordNote {
    pub(crate) fn new(
        severity: crate::issue::Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> RecordNote {
        RecordNote {
            severity,
            code,
            message: message.into(),
            field: None,
            value: None,
        }
    }

    pub(crate) fn field(mut self, slot: crate::registry::Slot) -> RecordNote {
        self.field = Some(slot);
        self
    }

    pub(crate) fn value(mut self, v: impl Into<String>) -> RecordNote {
        self.value = Some(v.into());
        self
    }

    /// The finding as a report issue about the given row.
    pub(crate) fn into_issue(self, row: u64, line: Option<u64>) -> crate::issue::Issue {
        let mut issue =
            crate::issue::Issue::new(self.severity, self.code, self.message).at(row, line);
        if let Some(slot) = self.field {
            issue = issue.field(slot.column()).column(slot.column());
        }
        issue.value = self.value;
        issue
    }
}

/// The input formats the tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Xml,
    Crmcom,
}

impl Format {
    /// Every format, in the order `--input-format` lists them.
    pub const ALL: [Format; 7] = [
        Format::Csv,
        Format::Xlsx,
        Format::Xlsb,
        Format::Xls,
        Format::Ods,
        Format::Xml,
        Format::Crmcom,
    ];

    /// The format called `name` (as [`Format::name`] writes it).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Xml => "xml",
            Format::Crmcom => "crmcom",
        }
    }
}

/// Text encodings a CSV input can be forced to with `--encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-16, little-endian unless a byte order mark says otherwise.
    Utf16,
    Utf16Le,
    Utf16Be,
    Windows1252,
    Iso8859_1,
    Iso8859_15,
}

impl TextEncoding {
    /// Every encoding with the name a user gives it (`--encoding utf-16le`), in that order.
    pub const NAMED: [(&'static str, TextEncoding); 7] = [
        ("utf-8", TextEncoding::Utf8),
        ("utf-16", TextEncoding::Utf16),
        ("utf-16le", TextEncoding::Utf16Le),
        ("utf-16be", TextEncoding::Utf16Be),
        ("windows-1252", TextEncoding::Windows1252),
        ("iso-8859-1", TextEncoding::Iso8859_1),
        ("iso-8859-15", TextEncoding::Iso8859_15),
    ];
}

/// Default largest uncompressed part of a zip-based workbook (`--max-sheet-size`): 4 GiB.
/// The sheet of a million-row export is about 1 GB of XML.
pub const DEFAULT_MAX_PART_BYTES: u64 = 4 << 30;

/// Limits that protect the machine from hostile or broken input. The defaults are far above
/// what a million-row export needs; each can be raised with a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes read from one input (`--max-file-size`).
    pub max_file_bytes: u64,
    /// Bytes in one cell (`--max-cell-size`); the longest delivery field holds 255 characters.
    pub max_cell_bytes: usize,
    /// Columns in a header (`--max-columns`); Excel's own maximum is 16,384.
    pub max_columns: usize,
    /// Uncompressed bytes of one part of a zip-based workbook (`--max-sheet-size`).
    pub max_part_bytes: u64,
    /// Element nesting in XML inputs (`--max-xml-depth`); the format needs 4.
    pub max_xml_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 16 << 30,
            max_cell_bytes: 1 << 20,
            max_columns: 16_384,
            max_part_bytes: DEFAULT_MAX_PART_BYTES,
            max_xml_depth: 32,
        }
    }
}

/// Options that readers understand. Each reader uses the ones that apply to it.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Forces the format instead of detecting it.
    pub format: Option<Format>,
    /// Forces the CSV delimiter instead of detecting it from the header line.
    pub delimiter: Option<u8>,
    /// Forces the text encoding instead of detecting it.
    pub encoding: Option<TextEncoding>,
    /// Spreadsheet sheet by name or 0-based index.
    pub sheet: Option<String>,
    /// The header's row number (1-based, as a spreadsheet shows it) in a CSV file or sheet,
    /// instead of the first row (CSV) or the detected one (sheets); rows above it are titles.
    pub header_row: Option<u64>,
    pub limits: Limits,
    /// Template for the record identifier of record formats that have none (CRM.COM), e.g.
    /// `{ref}-{date}`; `None` = the reader's documented default.
    pub identifier: Option<String>,
    /// The run date used by identifier templates (`{date}`); `None` = today.
    pub run_date: Option<NaiveDate>,
    /// Largest grid (rows x columns) read from a spreadsheet format that cannot be streamed
    /// (ODS, XLS); `None` is [`sheet::guard::DEFAULT_MAX_CELLS`].
    pub max_cells: Option<u64>,
}

impl ReadOptions {
    /// The options given that apply to none of the inputs' formats (as [`Source::format`]
    /// names them), each with the formats it applies to: they were ignored, and a run says so.
    pub(crate) fn unused_by(&self, formats: &[&str]) -> Vec<(&'static str, &'static str)> {
        let spreadsheet = ["xlsx", "xlsb", "xls", "ods"];
        let uses = |applies: &[&str]| formats.iter().any(|f| applies.contains(f));
        let mut out = Vec::new();
        if self.sheet.is_some() && !uses(&spreadsheet) {
            out.push(("--sheet", "spreadsheets"));
        }
        if self.max_cells.is_some() && !uses(&["xls", "ods"]) {
            out.push(("--max-cells", ".ods and .xls workbooks"));
        }
        if self.delimiter.is_some() && !uses(&["csv"]) {
            out.push(("--delimiter", "CSV files"));
        }
        if self.encoding.is_some() && !uses(&["csv"]) {
            out.push(("--encoding", "CSV files"));
        }
        if self.header_row.is_some() && !uses(&["csv", "xlsx", "xlsb", "xls", "ods"]) {
            out.push(("--header-row", "CSV files and spreadsheets"));
        }
        if self.identifier.is_some() && !uses(&["crmcom"]) {
            out.push(("--identifier", "CRM.COM exports"));
        }
        out
    }
}
