//! CRM.COM reader: customers from exported `subscription_parameters`, `accounts_receivable` or
//! `contact_information` objects (see `docs/crmcom.md`).
//!
//! The file is a JSON array of objects, newline-delimited JSON (one object per line), or one or
//! more (pretty-printed) objects one after the other. Records are streamed: memory holds one
//! record at a time. Each record is mapped onto delivery columns ([`mapping`]); the header is
//! fixed (those columns' names) and every row has all of its cells.
//!
//! Errors: in an array or a sequence of objects a JSON syntax error stops the file (a
//! [`SourceError`] with line and column; the records before it have been read). In NDJSON a
//! line that is not valid JSON is one [`RowResult::Broken`] record and the next lines go on.
//! A record that is valid JSON but not a CRM.COM object is `Broken` in every layout.

pub(crate) mod customer;
pub(crate) mod identifier;
pub(crate) mod mapping;
pub(crate) mod scan;

#[cfg(test)]
mod mapping_tests;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde_json::Value;

use self::customer::Customer;
use self::identifier::Template;
use self::mapping::Mapper;
use self::scan::{json_message, Layout, Lines, Raw, ScanError, Splitter};
use super::{ReadOptions, RecordNote, Row, RowResult, Source, SourceError};

/// True when a file's first bytes look like a CRM.COM export: JSON (first non-blank byte `[` or
/// `{`) naming one of the CRM.COM customer keys.
pub(crate) fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    if !matches!(first, Some(b'[' | b'{')) {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    customer::SNIFF_KEYS.iter().any(|k| text.contains(k))
}

enum Records {
    Splitter(Splitter<BufReader<File>>),
    Lines(Lines<BufReader<File>>),
}

/// An opened CRM.COM export.
pub(crate) struct CrmcomSource {
    path: String,
    header: Vec<String>,
    records: Records,
    mapper: Mapper,
    ordinal: u64,
    notes: Vec<RecordNote>,
    finished: bool,
    /// The file's size, for progress.
    size: Option<u64>,
}

impl CrmcomSource {
    pub(crate) fn open(path: &Path, opts: &ReadOptions) -> Result<CrmcomSource, SourceError> {
        let shown = path.display().to_string();
        let template = match &opts.identifier {
            Some(t) => Template::parse(t).map_err(|e| SourceError::new(&shown, e.to_string()))?,
            None => Template::default(),
        };
        let run_date = opts
            .run_date
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let records = match layout(path, &shown)? {
            Some(layout) => Records::Splitter(Splitter::new(reader(path, &shown)?, layout)),
            None => Records::Lines(Lines::new(reader(path, &shown)?)),
        };
        let mapper = Mapper::new(template, run_date);
        Ok(CrmcomSource {
            header: mapper
                .columns()
                .iter()
                .map(|s| s.column().to_string())
                .collect(),
            path: shown,
            records,
            mapper,
            ordinal: 0,
            notes: Vec::new(),
            finished: false,
            size: std::fs::metadata(path).ok().map(|m| m.len()),
        })
    }

    fn error(&mut self, message: String, line: u64, column: u64) -> SourceError {
        self.finished = true;
        SourceError {
            path: self.path.clone(),
            message,
            place: Some(format!("line {line}, column {column}")),
        }
    }

    fn io_error(&mut self, e: std::io::Error) -> SourceError {
        self.finished = true;
        SourceError::new(&self.path, format!("cannot read: {e}"))
    }

    /// The next record of an array or sequence.
    fn next_from_splitter(&mut self) -> Option<Result<RowResult, SourceError>> {
        let Records::Splitter(splitter) = &mut self.records else {
            return None;
        };
        let raw = match splitter.next_record() {
            Ok(Some(raw)) => raw,
            Ok(None) => {
                self.finished = true;
                return None;
            }
            Err(ScanError::Syntax {
                message,
                line,
                column,
            }) => {
                return Some(Err(self.error(
                    format!("malformed JSON: {message}; fix the file or export it again"),
                    line,
                    column,
                )))
            }
            Err(ScanError::Io(e)) => return Some(Err(self.io_error(e))),
        };
        self.ordinal += 1;
        match serde_json::from_slice::<Value>(&raw.bytes) {
            Ok(value) => Some(Ok(self.row(&value, Some(raw.line)))),
            Err(e) => {
                let (line, column) = raw.place_of(&e);
                Some(Err(self.error(malformed(&e, &raw), line, column)))
            }
        }
    }

    /// The next line of an NDJSON file.
    fn next_from_lines(&mut self) -> Option<Result<RowResult, SourceError>> {
        let Records::Lines(lines) = &mut self.records else {
            return None;
        };
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => {
                self.finished = true;
                return None;
            }
            Err(e) => return Some(Err(self.io_error(e))),
        };
        self.ordinal += 1;
        let here = Some(line.number);
        if line.too_long {
            return Some(Ok(broken(
                self.ordinal,
                here,
                "crmcom.record_too_large",
                format!(
                    "the line is longer than {} MiB; split the record or check that the file is not damaged",
                    scan::MAX_RECORD_BYTES / (1024 * 1024)
                ),
                None,
            )));
        }
        match serde_json::from_slice::<Value>(&line.bytes) {
            Ok(value) => Some(Ok(self.row(&value, here))),
            Err(e) => Some(Ok(broken(
                self.ordinal,
                here,
                "crmcom.json_invalid",
                format!(
                    "line {} is not valid JSON: {} at column {}; fix the line or export it again",
                    line.number,
                    json_message(&e),
                    e.column()
                ),
                Some(excerpt(&line.bytes)),
            ))),
        }
    }

    fn row(&mut self, value: &Value, line: Option<u64>) -> RowResult {
        match Customer::from_json(value) {
            Ok(customer) => {
                let mapped = self.mapper.map(&customer, self.ordinal);
                self.notes = mapped.notes;
                RowResult::Row(Row {
                    row: self.ordinal,
                    line,
                    cells: mapped.cells,
                })
            }
            Err(why) => broken(
                self.ordinal,
                line,
                "crmcom.not_a_customer",
                format!("{why}; expected subscription_parameters, accounts_receivable or contact_information objects"),
                Some(excerpt(value.to_string().as_bytes())),
            ),
        }
    }
}

impl Source for CrmcomSource {
    fn format(&self) -> &'static str {
        "crmcom"
    }

    fn header(&self) -> &[String] {
        &self.header
    }

    /// Record format: like the other record readers, the delivery keeps only the columns that
    /// some record fills.
    fn header_is_complete(&self) -> bool {
        false
    }

    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        self.notes.clear();
        if self.finished {
            return None;
        }
        match self.records {
            Records::Splitter(_) => self.next_from_splitter(),
            Records::Lines(_) => self.next_from_lines(),
        }
    }

    fn progress(&self) -> Option<(u64, u64)> {
        let done = match &self.records {
            Records::Splitter(s) => s.offset(),
            Records::Lines(l) => l.offset(),
        };
        self.size.map(|total| (done.min(total), total))
    }

    fn take_record_notes(&mut self) -> Vec<RecordNote> {
        std::mem::take(&mut self.notes)
    }
}

fn reader(path: &Path, shown: &str) -> Result<BufReader<File>, SourceError> {
    File::open(path)
        .map(|f| BufReader::with_capacity(64 * 1024, f))
        .map_err(|e| SourceError::new(shown, format!("cannot open: {e}")))
}

/// How the file lays out its records: `Some(Array)`, `Some(Sequence)` for one or more
/// (pretty-printed) objects, `None` for newline-delimited JSON (the first line is a whole
/// object).
fn layout(path: &Path, shown: &str) -> Result<Option<Layout>, SourceError> {
    let mut lines = Lines::new(reader(path, shown)?);
    let first = lines
        .next_line()
        .map_err(|e| SourceError::new(shown, format!("cannot read: {e}")))?;
    let Some(first) = first else {
        return Err(SourceError::new(
            shown,
            "the file is empty; expected a JSON array of CRM.COM objects or one object per line",
        ));
    };
    let start = first.bytes.iter().position(|b| !b.is_ascii_whitespace());
    let byte = start.and_then(|i| first.bytes.get(i)).copied();
    match byte {
        Some(b'[') => Ok(Some(Layout::Array)),
        Some(b'{') if first.too_long => Ok(Some(Layout::Sequence)),
        Some(b'{') => match serde_json::from_slice::<Value>(&first.bytes) {
            // An unfinished first line: a pretty-printed object, unless the next line is a
            // whole object of its own (NDJSON whose first line is cut off).
            Err(e) if e.is_eof() => {
                let second = lines
                    .next_line()
                    .map_err(|e| SourceError::new(shown, format!("cannot read: {e}")))?;
                let whole = second.is_some_and(|l| {
                    !l.too_long
                        && matches!(
                            serde_json::from_slice::<Value>(&l.bytes),
                            Ok(Value::Object(_))
                        )
                });
                Ok((!whole).then_some(Layout::Sequence))
            }
            _ => Ok(None),
        },
        other => Err(SourceError {
            path: shown.to_string(),
            message: format!(
                "not CRM.COM JSON: the file starts with {} where '[' or '{{' was expected",
                other.map(scan::shown).unwrap_or_default()
            ),
            place: Some(format!(
                "line {}, column {}",
                first.number,
                start.unwrap_or(0) + 1
            )),
        }),
    }
}

fn malformed(e: &serde_json::Error, raw: &Raw) -> String {
    format!(
        "malformed JSON in the record that starts at line {}: {}; fix the file or export it again",
        raw.line,
        json_message(e)
    )
}

fn broken(
    row: u64,
    line: Option<u64>,
    code: &'static str,
    message: String,
    value: Option<String>,
) -> RowResult {
    RowResult::Broken {
        row,
        line,
        code,
        message,
        value,
    }
}

/// The start of a record, for the report.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(120).collect();
    if text.chars().nth(120).is_some() {
        out.push('…');
    }
    out
}
