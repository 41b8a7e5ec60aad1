//! Reading result files: one pass over the rows, by header name, never by position.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Serialize;

use super::columns::{self, Column, Group};
pub(crate) use super::entry::Entry;
use super::file::{self, Kind};
use super::values::{check_value, parse_time};
use super::warnings::Warnings;

/// A file that cannot be read at all: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ReadError {
    pub file: String,
    pub message: String,
}

impl ReadError {
    pub(crate) fn new(file: impl Into<String>, message: impl Into<String>) -> ReadError {
        ReadError {
            file: file.into(),
            message: message.into(),
        }
    }
}

/// What the tool learned about one input file.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub file: String,
    pub kind: Kind,
    #[serde(serialize_with = "date")]
    pub from: Option<chrono::NaiveDate>,
    #[serde(serialize_with = "date")]
    pub to: Option<chrono::NaiveDate>,
    pub script: Option<String>,
    pub rows: u64,
    pub malformed_rows: u64,
    pub unknown_columns: Vec<String>,
    /// Columns that occur more than once; the first non-empty cell is used.
    pub repeated_columns: Vec<String>,
}

/// Dates as `yyyy-mm-dd` (or null) in the JSON output.
fn date<S: serde::Serializer>(d: &Option<chrono::NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

/// One row of a record result file.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRow {
    /// Empty for an inbound call that matched no delivered record.
    pub identifier: String,
    pub line: u64,
    pub entries: Vec<Entry>,
}

/// The columns of the PayLink file, in the guide's order.
pub(crate) const PAYLINK_COLUMNS: [&str; 10] = [
    "id",
    "url",
    "origin",
    "createdBy",
    "reference",
    "amount",
    "status",
    "paymentMethod",
    "created",
    "updated",
];

/// One row of the PayLink file: values by [`PAYLINK_COLUMNS`] index (empty = absent).
#[derive(Debug, Clone, PartialEq)]
pub struct PaylinkRow {
    pub line: u64,
    pub values: [String; 10],
    /// `updated` as seconds since 1970 (UTC).
    pub updated: Option<i64>,
}

impl PaylinkRow {
    pub fn get(&self, column: &str) -> &str {
        PAYLINK_COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }
}

/// What a reader hands to the merge step.
pub enum Item {
    Record(RecordRow),
    Paylink(Box<PaylinkRow>),
}

enum Layout {
    /// Per column: where its value goes (entry slot and field) or nothing.
    Records {
        identifier: Vec<usize>,
        slots: Vec<(Group, u32)>,
        /// Per column: entry slot, field, and whether an earlier column has the same target.
        columns: Vec<Option<(usize, &'static str, bool)>>,
    },
    Paylink {
        columns: Vec<Option<usize>>,
    },
}

/// Reads one file, handing every readable row to `sink`. Malformed rows and bad values become
/// warnings; only a file that cannot be opened or is no result file at all is an error.
pub fn read_file(
    path: &Path,
    warnings: &mut Warnings,
    sink: &mut dyn FnMut(Item),
) -> Result<FileInfo, ReadError> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|e| ReadError::new(&shown, format!("cannot open: {e}")))?;
    let mut buf = BufReader::with_capacity(1 << 16, file);
    let head = buf
        .fill_buf()
        .map_err(|e| ReadError::new(&shown, format!("cannot read: {e}")))?;
    let delimiter = sniff_delimiter(head);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(buf);
    let mut record = csv::ByteRecord::new();
    let header = match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|c| {
                String::from_utf8_lossy(c)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect::<Vec<_>>(),
        Ok(false) => {
            return Err(ReadError::new(
                &shown,
                "the file is empty; expected a header line",
            ))
        }
        Err(e) => {
            return Err(ReadError::new(
                &shown,
                format!("cannot read the header: {e}"),
            ))
        }
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let named = file::parse_name(&name);
    let (layout, mut info) = layout(&shown, &header, named.as_ref(), warnings)?;
    let width = header.len();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                if e.is_io_error() {
                    return Err(ReadError::new(&shown, format!("cannot read: {e}")));
                }
                info.malformed_rows += 1;
                warnings.push(
                    &shown,
                    line,
                    "results.row_unreadable",
                    format!("row cannot be read ({e}); skipped"),
                );
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1
            && record
                .get(0)
                .is_some_and(|c| c.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        info.rows += 1;
        if record.len() != width {
            info.malformed_rows += 1;
            warnings.push(
                &shown,
                Some(line),
                "results.row_ragged",
                format!("row has {} cells but the header has {width}; skipped, check the quoting on this line", record.len()),
            );
            continue;
        }
        let mut not_utf8 = false;
        let cells: Vec<Cow<'_, str>> = record
            .iter()
            .map(|c| match std::str::from_utf8(c) {
                Ok(s) => Cow::Borrowed(s.trim()),
                Err(_) => {
                    not_utf8 = true;
                    Cow::Owned(String::from_utf8_lossy(c).trim().to_string())
                }
            })
            .collect();
        if not_utf8 {
            info.malformed_rows += 1;
            warnings.push(
                &shown,
                Some(line),
                "results.not_utf8",
                "row is not valid UTF-8; read with replacement characters, save the file as UTF-8",
            );
        }
        match &layout {
            Layout::Records {
                identifier,
                slots,
                columns,
            } => {
                sink(Item::Record(record_row(
                    &shown, line, &header, &cells, identifier, slots, columns, warnings,
                )));
            }
            Layout::Paylink { columns } => {
                sink(Item::Paylink(Box::new(paylink_row(
                    &shown, line, &cells, columns, warnings,
                ))));
            }
        }
    }
    Ok(info)
}

/// `;` unless the header line has no `;` but does have `,`.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let first = head.split(|b| *b == b'\n').next().unwrap_or(head);
    if !first.contains(&b';') && first.contains(&b',') {
        b','
    } else {
        b';'
    }
}

fn layout(
    shown: &str,
    header: &[String],
    named: Option<&file::Name>,
    warnings: &mut Warnings,
) -> Result<(Layout, FileInfo), ReadError> {
    let parsed: Vec<Column> = header.iter().map(|h| columns::parse(h)).collect();
    let has_identifier = parsed.contains(&Column::Identifier);
    let paylink_cols: Vec<Option<usize>> = header
        .iter()
        .map(|h| {
            PAYLINK_COLUMNS
                .iter()
                .position(|c| c.eq_ignore_ascii_case(h))
        })
        .collect();
    // `id` and `status` alone are in many exports; the PayLink file has all ten columns.
    let has = |want: &str| header.iter().any(|h| h.eq_ignore_ascii_case(want));
    let looks_paylink = has("id")
        && has("status")
        && PAYLINK_COLUMNS.iter().filter(|c| has(c)).count() >= PAYLINK_MIN_COLUMNS;
    let has_results = parsed.iter().any(|c| matches!(c, Column::Field { .. }));
    let named_kind = named.map(|n| n.kind);
    let kind = if has_identifier && has_results {
        match named_kind {
            Some(k) if k.is_records() => k,
            _ => Kind::Records,
        }
    } else if looks_paylink {
        Kind::Paylink
    } else {
        let found = if has_identifier {
            "the header has IDENTIFICATION_IDENTIFIER but no result column (a delivery or \
             another export? a delivery goes with --join)"
        } else {
            "the header has neither IDENTIFICATION_IDENTIFIER with result columns nor the \
             PayLink file's columns"
        };
        return Err(ReadError::new(
            shown,
            format!(
                "not a Collectmaxx result file: {found}. {}",
                expected_columns()
            ),
        ));
    };
    if let Some(k) = named_kind {
        if k.is_records() != kind.is_records() {
            warnings.push(shown, Some(1), "results.kind_mismatch", format!("the file name says a {} file but the header is that of a {} file; read by its header", name_of(k), name_of(kind)));
        }
    }
    let mut info = FileInfo {
        file: shown.to_string(),
        kind,
        from: named.map(|n| n.from),
        to: named.map(|n| n.to),
        script: named.and_then(|n| n.script.clone()),
        rows: 0,
        malformed_rows: 0,
        unknown_columns: Vec::new(),
        repeated_columns: Vec::new(),
    };
    // Hash sets: a header may be very wide, and must not make this quadratic.
    let mut seen: HashSet<String> = HashSet::new();
    let mut repeated: HashSet<String> = HashSet::new();
    let mut note_repeat = |h: &str, info: &mut FileInfo| {
        let key = h.to_ascii_uppercase();
        if !seen.insert(key.clone()) && repeated.insert(key) {
            info.repeated_columns.push(h.to_string());
        }
    };
    let mut unknown: HashSet<String> = HashSet::new();
    let mut note_unknown = |h: &str, info: &mut FileInfo| {
        if unknown.insert(h.to_string()) {
            info.unknown_columns.push(h.to_string());
        }
    };
    let mut targets: HashSet<(usize, &'static str)> = HashSet::new();
    let mut slot_of: HashMap<(Group, u32), usize> = HashMap::new();
    if kind == Kind::Paylink {
        for (h, col) in header.iter().zip(&paylink_cols) {
            match col {
                Some(_) => note_repeat(h, &mut info),
                None => note_unknown(h, &mut info),
            }
        }
        return Ok((
            Layout::Paylink {
                columns: paylink_cols,
            },
            info,
        ));
    }
    let mut identifier = Vec::new();
    let mut slots: Vec<(Group, u32)> = Vec::new();
    let mut cols = Vec::with_capacity(header.len());
    for (i, (h, col)) in header.iter().zip(&parsed).enumerate() {
        match *col {
            Column::Identifier => {
                note_repeat(h, &mut info);
                identifier.push(i);
                cols.push(None);
            }
            Column::Field {
                group,
                occurrence,
                field,
            } => {
                note_repeat(
                    &format!("{}_{}_{}", group.spec().prefix, occurrence, field),
                    &mut info,
                );
                let slot = *slot_of.entry((group, occurrence)).or_insert_with(|| {
                    slots.push((group, occurrence));
                    slots.len() - 1
                });
                let repeat = !targets.insert((slot, field));
                cols.push(Some((slot, field, repeat)));
            }
            Column::Unknown => {
                note_unknown(h, &mut info);
                cols.push(None);
            }
        }
    }
    Ok((
        Layout::Records {
            identifier,
            slots,
            columns: cols,
        },
        info,
    ))
}

/// How many of [`PAYLINK_COLUMNS`] a header without result columns needs to be read as the
/// PayLink file: `id`, `status` and two more.
const PAYLINK_MIN_COLUMNS: usize = 4;

/// What the header of a result file holds, for the message that refuses another file.
fn expected_columns() -> String {
    let groups: Vec<&str> = columns::GROUP_ORDER
        .iter()
        .map(|g| g.spec().prefix)
        .collect();
    format!(
        "A result file has {} and result columns <GROUP>_<n>_<FIELD> (such as \
         CALLRESULTS_CALL_1_RESULT) of the groups {}; the PayLink file has the columns {} \
         (docs/results.md lists every column)",
        columns::IDENTIFIER,
        groups.join(", "),
        PAYLINK_COLUMNS.join(", ")
    )
}

fn name_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Daily => "daily",
        Kind::Monthly => "monthly",
        Kind::Paylink => "PayLink",
        Kind::Records => "record result",
    }
}

#[allow(clippy::too_many_arguments)]
fn record_row(
    shown: &str,
    line: u64,
    header: &[String],
    cells: &[Cow<'_, str>],
    identifier: &[usize],
    slots: &[(Group, u32)],
    columns: &[Option<(usize, &'static str, bool)>],
    warnings: &mut Warnings,
) -> RecordRow {
    let id = identifier
        .iter()
        .filter_map(|i| cells.get(*i))
        .find(|c| !c.is_empty())
        .map(|c| c.to_string())
        .unwrap_or_default();
    let mut entries: Vec<Entry> = slots
        .iter()
        .map(|(group, occurrence)| Entry::new(*group, *occurrence))
        .collect();
    for (i, col) in columns.iter().enumerate() {
        let (Some((slot, field, repeat)), Some(value)) = (col, cells.get(i)) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let Some(entry) = entries.get_mut(*slot) else {
            continue;
        };
        if *repeat && entry.get(field).is_some() {
            continue;
        }
        let column = header.get(i).map_or("", String::as_str);
        check_value(shown, line, column, field, value, warnings);
        entry.push(field, value);
    }
    entries.retain(|e| !e.is_empty());
    for e in &mut entries {
        let field = if e.group == Group::Enrichment {
            "LAST_VERIFIED"
        } else {
            "TIME"
        };
        e.time = e.get(field).and_then(parse_time);
        e.sort_fields();
    }
    RecordRow {
        identifier: id,
        line,
        entries,
    }
}

fn paylink_row(
    shown: &str,
    line: u64,
    cells: &[Cow<'_, str>],
    columns: &[Option<usize>],
    warnings: &mut Warnings,
) -> PaylinkRow {
    let mut values: [String; 10] = Default::default();
    for (cell, col) in cells.iter().zip(columns) {
        if let Some(slot) = col.and_then(|c| values.get_mut(c)) {
            if slot.is_empty() {
                *slot = cell.to_string();
            }
        }
    }
    let row = PaylinkRow {
        line,
        values,
        updated: None,
    };
    for column in ["created", "updated"] {
        check_value(shown, line, column, "TIME", row.get(column), warnings);
    }
    let amount = row.get("amount");
    if !amount.is_empty() && super::values::parse_amount(amount).is_none() {
        warnings.push(
            shown,
            Some(line),
            "results.bad_amount",
            format!(
                "amount '{amount}' is not a decimal number such as 49.66; left out of the totals"
            ),
        );
    }
    let updated = parse_time(row.get("updated"));
    PaylinkRow { updated, ..row }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_from_header_line() {
        assert_eq!(sniff_delimiter(b"\"A\";\"B\"\n1,2;3"), b';');
        assert_eq!(sniff_delimiter(b"A,B\r\n1;2"), b',');
        assert_eq!(sniff_delimiter(b"A\n"), b';');
        assert_eq!(sniff_delimiter(b""), b';');
    }
}
