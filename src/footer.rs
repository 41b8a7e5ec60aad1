//! Totals and footer rows below the data: `Totaal | | | 151300`, often after a blank row.
//!
//! A row *looks like a total* when it has a total label (`Totaal`, `Subtotaal`, `Total`,
//! `Summe`, `Gesamt`, `Som`, … in Dutch, English, German and French), the rest is mostly empty
//! (at most half the columns, at least three, hold a value; besides the label at most one text
//! that is not a number) and the identifier column is empty or holds the label itself. A
//! row without a label also counts when it holds only numbers, has no identifier, and one of
//! its amounts equals the sum of its column over the data rows above (or is a `=SUM(` formula
//! written as text), as a footer that a spreadsheet's `=SUM(D2:D20)` left.
//!
//! Such rows are *footer rows* when nothing but blank rows and other footer rows follows them
//! to the end of the input: they are skipped with a `row.footer` warning and counted in
//! `rows_skipped` (and `rows_footer`). A row that looks like a total but is followed by more
//! data is a subtotal: it is rejected with a `row.subtotal` error, since it is no debtor. A row
//! that carries an identifier and a phone number or e-mail address is never taken for a total:
//! it is read as data, with a `row.total_kept` warning.
//!
//! The module knows rows and cells, not file formats. Deciding needs to see what follows, so
//! the reader holds back a run of candidate rows, bounded in rows and bytes: a run longer than
//! that cannot be a footer, and is released as data.

use std::collections::VecDeque;

use crate::header::{ColumnMap, Target};
use crate::issue::Severity;
use crate::registry::{well_known, Kind};
use crate::source::{Cell, RecordNote, Row, RowResult};

/// Code of a skipped footer row (a warning).
pub(crate) const FOOTER: &str = "row.footer";
/// Code of a total-like row with more data below it (an error).
pub(crate) const SUBTOTAL: &str = "row.subtotal";
/// Code of a total-like row kept because it has an identifier and a phone or e-mail.
pub(crate) const KEPT: &str = "row.total_kept";

/// Rows held back at most while waiting to see whether a run of candidates ends the input.
pub(crate) const MAX_HELD_ROWS: usize = 64;
/// Bytes of cell text held back at most.
pub(crate) const MAX_HELD_BYTES: usize = 1 << 20;

/// Words that make a cell a total label, as its first word (lower case).
const TOTAL_WORDS: &[&str] = &[
    "total",
    "totals",
    "totaal",
    "totalen",
    "subtotal",
    "subtotals",
    "subtotaal",
    "sub-total",
    "sub-totaal",
    "eindtotaal",
    "grandtotal",
    "sum",
    "som",
    "summe",
    "zwischensumme",
    "endsumme",
    "gesamt",
    "gesamtsumme",
    "gesamtbetrag",
    "totalbetrag",
    "totalsumme",
    "totaux",
    "sous-total",
    "somme",
    "totale",
];

/// Words that may come before a total word (`Grand total`, `Eind totaal`, `Sous total`).
const QUALIFIERS: &[&str] = &[
    "grand", "sub", "eind", "general", "generaal", "overall", "sous",
];

/// Spreadsheet functions whose formula, written out as text, marks a sum.
const SUM_FUNCTIONS: &[&str] = &[
    "SUM(",
    "SOM(",
    "SUMME(",
    "SOMME(",
    "SUBTOTAL(",
    "SUBTOTAAL(",
    "TEILERGEBNIS(",
    "SOUS.TOTAL(",
];

/// Labels longer than this (in bytes) are text, not a total label.
const MAX_LABEL_BYTES: usize = 120;

/// What the columns of an input hold, as far as footers are concerned.
#[derive(Debug, Clone, Default)]
pub(crate) struct Roles {
    /// Columns in the header.
    pub columns: usize,
    /// The columns the identifier is made of: one, or those of a profile's template.
    pub identifiers: Vec<usize>,
    /// Phone and e-mail columns.
    pub contacts: Vec<usize>,
    /// Amount columns (in minor units, as the delivery has them), with their header.
    pub amounts: Vec<(usize, String)>,
}

impl Roles {
    /// The roles of the columns of a resolved header.
    pub(crate) fn of(map: &ColumnMap) -> Roles {
        let mut roles = Roles {
            columns: map.headers.len(),
            ..Roles::default()
        };
        for (i, t) in map.targets.iter().enumerate() {
            let Target::Slot(slot) = t else { continue };
            if *slot == well_known::identifier() {
                roles.identifiers.push(i);
            }
            match slot.kind() {
                Kind::Phone | Kind::Email => roles.contacts.push(i),
                Kind::Cents => roles.amounts.push((i, map.headers[i].clone())),
                _ => {}
            }
        }
        roles
    }

    /// The same roles in the columns of the export a profile reads: `origins` says for each
    /// column of the profiled header which of the export's columns (`header`) it is made from
    /// (a copy, a join, a split or the identifier template).
    pub(crate) fn through(self, origins: &[Vec<usize>], header: &[String]) -> Roles {
        let from = |i: usize| origins.get(i).into_iter().flatten().copied();
        let mut amounts: Vec<(usize, String)> = Vec::new();
        for (i, _) in self.amounts {
            for o in from(i) {
                if !amounts.iter().any(|(a, _)| *a == o) {
                    amounts.push((o, header.get(o).cloned().unwrap_or_default()));
                }
            }
        }
        let mut identifiers: Vec<usize> = self.identifiers.into_iter().flat_map(from).collect();
        let mut contacts: Vec<usize> = self.contacts.into_iter().flat_map(from).collect();
        for v in [&mut identifiers, &mut contacts] {
            v.sort_unstable();
            v.dedup();
        }
        Roles {
            columns: header.len(),
            identifiers,
            contacts,
            amounts,
        }
    }
}

/// A row with the reader's notes about it, as the run passes them on.
pub(crate) type Item = (RowResult, Vec<RecordNote>);

/// What a row is, for footers.
#[derive(Debug, Clone, PartialEq)]
enum Class {
    /// Not a candidate: released at once, and it ends any run held back.
    Data,
    /// Data that looks like a total but has an identifier and a phone or e-mail.
    Kept { label: String },
    /// No value at all: held back only inside a run.
    Blank,
    /// A total label, the rest mostly empty.
    Total { label: String, sum: Option<String> },
    /// No label, only numbers, one of them the sum of its column.
    Sum { sum: String },
}

/// The running sum of one amount column, in hundredths of the unit the cells are written in.
#[derive(Debug, Clone, Default)]
struct ColumnSum {
    all: i128,
    rows: u64,
    /// Since the last subtotal.
    since: i128,
    since_rows: u64,
}

/// Holds back trailing total-like rows of one input until it is clear whether they end it.
#[derive(Debug)]
pub(crate) struct Footers {
    roles: Roles,
    held: VecDeque<(Item, Class)>,
    held_bytes: usize,
    /// The current run grew past the limits: it is released as data until a data row ends it.
    overflowed: bool,
    sums: Vec<ColumnSum>,
}

impl Footers {
    pub(crate) fn new(roles: Roles) -> Footers {
        let sums = vec![ColumnSum::default(); roles.amounts.len()];
        Footers {
            roles,
            held: VecDeque::new(),
            held_bytes: 0,
            overflowed: false,
            sums,
        }
    }

    /// Takes the next row of the input; rows that are decided go to `out`, in input order.
    /// `written` is the row as the export wrote it when the item's row was made from it (by a
    /// profile): the row is judged on that, in the roles' columns of the export.
    pub(crate) fn push(&mut self, item: Item, written: Option<&Row>, out: &mut Vec<Item>) {
        let seen = match (written, &item.0) {
            (Some(row), _) | (None, RowResult::Row(row)) => Some(row),
            (None, RowResult::Broken { .. }) => None,
        };
        let kind = seen.map_or(Class::Data, |row| self.classify(row));
        match kind {
            Class::Data | Class::Kept { .. } => {
                self.release(false, out);
                self.overflowed = false;
                if let Some(row) = seen {
                    self.count(row);
                }
                out.push(kept(item, &kind));
            }
            Class::Blank if self.held.is_empty() => out.push(item),
            Class::Total { .. } | Class::Sum { .. } | Class::Blank if self.overflowed => {
                self.emit(item, kind, false, out);
            }
            kind => {
                self.held_bytes += held_size(&item.0);
                self.held.push_back((item, kind));
                if self.held.len() > MAX_HELD_ROWS || self.held_bytes > MAX_HELD_BYTES {
                    self.overflowed = true;
                    self.release(false, out);
                }
            }
        }
    }

    /// The input has ended: the rows held back are its footer.
    pub(crate) fn finish(&mut self, out: &mut Vec<Item>) {
        self.release(true, out);
    }

    /// Releases the rows held back: as footers at the end of the input, else as what they
    /// are followed by more data.
    fn release(&mut self, at_end: bool, out: &mut Vec<Item>) {
        self.held_bytes = 0;
        while let Some((item, kind)) = self.held.pop_front() {
            self.emit(item, kind, at_end, out);
        }
    }

    fn emit(&mut self, mut item: Item, kind: Class, at_end: bool, out: &mut Vec<Item>) {
        match kind {
            Class::Total { label, sum } if at_end => {
                let why = match sum {
                    Some(s) => format!("a total ('{label}'; {s})"),
                    None => format!("a total ('{label}', the rest of the row mostly empty)"),
                };
                item.1.push(footer_note(why, label));
            }
            Class::Sum { sum } if at_end => {
                item.1
                    .push(footer_note(format!("a total ({sum})"), sum.clone()));
            }
            Class::Total { label, sum } => {
                self.restart_sums();
                let what = sum.map(|s| format!("; {s}")).unwrap_or_default();
                item.1.push(
                    RecordNote::new(
                        Severity::Error,
                        SUBTOTAL,
                        format!(
                            "this row looks like a total ('{label}', the rest of the row mostly empty{what}) but more data rows follow it, so it is a subtotal and no debtor: it is not delivered. If it is a debtor, give it its identifier and a phone number or e-mail address; if the export puts subtotals between the data, leave them out"
                        ),
                    )
                    .value(label),
                );
            }
            // A sum without a label inside the data is read as data (it has no identifier, so
            // it is rejected), but is no part of the sums.
            Class::Sum { .. } => self.restart_sums(),
            // Only blank rows are held back besides totals: nothing to count.
            Class::Blank | Class::Data | Class::Kept { .. } => item = kept(item, &kind),
        }
        out.push(item);
    }

    /// A subtotal starts a new group: later totals may sum from here.
    fn restart_sums(&mut self) {
        for s in &mut self.sums {
            s.since = 0;
            s.since_rows = 0;
        }
    }

    /// A data row (as the export wrote it): counted in the sums.
    fn count(&mut self, row: &Row) {
        for ((col, _), sum) in self.roles.amounts.iter().zip(&mut self.sums) {
            if let Some(v) = row.cells.get(*col).and_then(hundredths) {
                sum.all = sum.all.saturating_add(v);
                sum.rows += 1;
                sum.since = sum.since.saturating_add(v);
                sum.since_rows += 1;
            }
        }
    }

    fn classify(&self, row: &Row) -> Class {
        let limit = (self.roles.columns / 2).max(3);
        let (mut filled, mut texts) = (0, 0);
        let (mut label, mut formula) = (None, false);
        // This runs on every row of the reader's thread: most rows are told to be data by
        // their first two texts, looking at one byte of each.
        for (i, cell) in row.cells.iter().enumerate() {
            let text = match cell {
                Cell::Text(s) => match s.as_bytes() {
                    [] => continue,
                    [b, ..] if b.is_ascii_whitespace() || !b.is_ascii() => {
                        if s.trim().is_empty() {
                            continue;
                        }
                        match is_total_label(s) || is_sum_formula(s) || is_number(s) {
                            true => Some(s.as_str()),
                            false => None,
                        }
                    }
                    // A letter: a total word, a number after a currency code (`EUR 30,50`),
                    // or text. Both refuse a plain word cheaply, without allocating.
                    [b, ..] if b.is_ascii_alphabetic() => {
                        (is_total_label(s) || is_number(s)).then_some(s.as_str())
                    }
                    [b'=', ..] => is_sum_formula(s).then_some(s.as_str()),
                    _ => is_number(s).then_some(s.as_str()),
                },
                Cell::Empty => continue,
                // A number, whatever format the sheet shows it in (`#,##0.00`, `€ #,##0`).
                Cell::Int(_) | Cell::Float(_) | Cell::Formatted { .. } => Some(""),
                _ => None,
            };
            filled += 1;
            if filled > limit {
                return Class::Data;
            }
            match text {
                Some(s) if label.is_none() && is_total_label(s) => label = Some(i),
                Some(s) if is_sum_formula(s) => formula = true,
                Some(s) if !is_total_label(s) => {}
                // Text, or a second label.
                _ => {
                    texts += 1;
                    if texts > 1 {
                        return Class::Data;
                    }
                }
            }
        }
        if filled == 0 {
            return Class::Blank;
        }
        let holds = |i: &usize| row.cells.get(*i).is_some_and(|c| !c.is_blank());
        let identifier = self.roles.identifiers.iter().any(holds);
        match label {
            // An identifier other than the label itself makes the row a debtor's.
            Some(at) if self.roles.identifiers.iter().any(|i| *i != at && holds(i)) => Class::Data,
            Some(at) => {
                let label = row.cells[at].to_string().trim().to_string();
                if identifier && self.roles.contacts.iter().any(holds) {
                    return Class::Kept { label };
                }
                Class::Total {
                    label,
                    sum: self.sum_in(row),
                }
            }
            None if texts == 0 && !identifier => match self.sum_in(row) {
                Some(sum) => Class::Sum { sum },
                None if formula => Class::Sum {
                    sum: "a sum formula".into(),
                },
                None => Class::Data,
            },
            None => Class::Data,
        }
    }

    /// Says which amount of the row is the sum of its column above (over at least two rows).
    fn sum_in(&self, row: &Row) -> Option<String> {
        for ((col, header), sum) in self.roles.amounts.iter().zip(&self.sums) {
            let Some(cell) = row.cells.get(*col) else {
                continue;
            };
            let Some(v) = hundredths(cell) else { continue };
            if v != 0 && sum.rows >= 2 && v == sum.all {
                return Some(format!(
                    "{cell} is the sum of column '{header}' over the {} rows above",
                    sum.rows
                ));
            }
            if v != 0 && sum.since_rows >= 2 && v == sum.since {
                return Some(format!(
                    "{cell} is the sum of column '{header}' over the {} rows since the last subtotal",
                    sum.since_rows
                ));
            }
        }
        None
    }
}

fn footer_note(why: String, value: String) -> RecordNote {
    RecordNote::new(
        Severity::Warning,
        FOOTER,
        format!(
            "this row looks like {why} below the last data row, so it is a footer and is skipped. If it is a debtor, give it its identifier and a phone number or e-mail address"
        ),
    )
    .value(value)
}

/// A data row, with a warning when it looks like a total.
fn kept(mut item: Item, kind: &Class) -> Item {
    if let Class::Kept { label } = kind {
        item.1.push(
            RecordNote::new(
                Severity::Warning,
                KEPT,
                format!(
                    "this row looks like a total ('{label}', the rest of the row mostly empty) but has an identifier and a phone number or e-mail address, so it is delivered as a debtor: check that it is one"
                ),
            )
            .value(label.clone()),
        );
    }
    item
}

/// Whether a reader's note marks a row as a footer: the run skips such a row.
pub(crate) fn is_footer(note: &RecordNote) -> bool {
    note.code == FOOTER
}

/// Whether a reader's note marks a row as a subtotal: the run rejects such a row without
/// checking its values.
pub(crate) fn is_subtotal(note: &RecordNote) -> bool {
    note.code == SUBTOTAL
}

/// Roughly the memory a held row takes.
fn held_size(row: &RowResult) -> usize {
    match row {
        RowResult::Row(r) => r
            .cells
            .iter()
            .map(|c| {
                32 + match c {
                    Cell::Text(s) | Cell::Error(s) => s.len(),
                    _ => 0,
                }
            })
            .sum(),
        RowResult::Broken { message, value, .. } => {
            message.len() + value.as_ref().map_or(0, String::len)
        }
    }
}

/// Whether a cell's text is a total label: its first word is a total word (`Totaal`,
/// `Total:`, `Totaal openstaand`, `Summe (EUR)`), or a qualifier and a total word
/// (`Grand total`, `Eind totaal`).
pub(crate) fn is_total_label(text: &str) -> bool {
    // Cheap refusals first, without allocating: this runs on text cells of every sparse row.
    if text.as_bytes().first().is_some_and(|b| {
        b.is_ascii_alphabetic()
            && !matches!(
                b.to_ascii_lowercase(),
                b't' | b's' | b'g' | b'e' | b'z' | b'o'
            )
    }) {
        return false;
    }
    let text = text.trim();
    if !text.as_bytes().first().is_some_and(|b| {
        matches!(
            b.to_ascii_lowercase(),
            b't' | b's' | b'g' | b'e' | b'z' | b'o'
        )
    }) || text.len() > MAX_LABEL_BYTES
    {
        return false;
    }
    let is = |list: &[&str], word: &str| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    let mut words = text
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '(' | ')' | '.' | ','))
        .filter(|w| !w.is_empty());
    match words.next() {
        Some(first) if is(TOTAL_WORDS, first) => true,
        Some(first) if is(QUALIFIERS, first) => words.next().is_some_and(|w| is(TOTAL_WORDS, w)),
        _ => false,
    }
}

/// Whether a text is a spreadsheet sum formula (`=SUM(D2:D20)`, `=SOM(…)`).
pub(crate) fn is_sum_formula(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('=') && {
        let upper = t.to_ascii_uppercase();
        SUM_FUNCTIONS.iter().any(|f| upper.contains(f))
    }
}

/// Whether a text is a number as an export writes it: digits with `.`, `,`, `'` or spaces
/// between them, a sign, a currency sign or code.
fn is_number(text: &str) -> bool {
    parse_hundredths(text).is_some()
}

/// A cell's number in hundredths, if it holds one.
fn hundredths(cell: &Cell) -> Option<i128> {
    match cell {
        Cell::Int(i) => Some(i128::from(*i) * 100),
        Cell::Float(f) | Cell::Formatted { number: f, .. } if f.is_finite() && f.abs() < 1e18 => {
            Some((f * 100.0).round() as i128)
        }
        Cell::Text(s) => parse_hundredths(s),
        _ => None,
    }
}

/// Reads `151300`, `1.513,00`, `€ 1,513.00`, `-12,5`, `1 513` as hundredths. The last `.` or
/// `,` is the decimal separator when one or two digits follow it; otherwise separators group
/// thousands. Not a number: anything else, or more than 30 digits.
fn parse_hundredths(text: &str) -> Option<i128> {
    // Plain digits first: the amounts of every data row come this way.
    if (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            i128::from(text.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'))) * 100,
        );
    }
    let mut t = text.trim();
    for cur in ["€", "EUR", "$", "USD", "£", "GBP"] {
        t = t.strip_prefix(cur).unwrap_or(t).trim_start();
        t = t.strip_suffix(cur).unwrap_or(t).trim_end();
    }
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let bytes = t.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() || !bytes[bytes.len() - 1].is_ascii_digit() {
        return None;
    }
    let mut digits = 0;
    let mut last_sep = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' | b',' => last_sep = Some(i),
            b'\'' | b' ' => {}
            _ => return None,
        }
    }
    if digits > 30 {
        return None;
    }
    let decimals = match last_sep {
        Some(i) if (1..=2).contains(&(bytes.len() - i - 1)) => bytes.len() - i - 1,
        _ => 0,
    };
    let mut value: i128 = 0;
    for &b in bytes {
        if b.is_ascii_digit() {
            value = value * 10 + i128::from(b - b'0');
        }
    }
    let value = value
        * if decimals == 1 {
            10
        } else if decimals == 0 {
            100
        } else {
            1
        };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests;
