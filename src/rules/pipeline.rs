//! The row pipeline: one source row in, a typed record (or a rejection) plus issues out.
//!
//! It is a pure function of the row, the resolved header and the [`RuleSettings`], so rows can be
//! checked on several threads at once; duplicate identifiers across rows are handled later,
//! in input order, by the run.

use chrono::NaiveDate;

use crate::header::{ColumnMap, Target};
use crate::issue::{Issue, Note, Severity};
use crate::model::{Record, Value};
use crate::registry::{self, Kind, Slot};
use crate::rules::amount::{self, AmountUnit};
use crate::rules::date;
use crate::rules::phone::{self, Country};
pub use crate::rules::settings::RuleSettings;
use crate::rules::{checks, codes, email, text, Outcome};
use crate::shown;
use crate::source::{Cell, Row};

/// What the pipeline made of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub row: u64,
    pub line: Option<u64>,
    /// The accepted record; `None` when the row is rejected or blank.
    pub record: Option<Record>,
    /// True for a row without any value: skipped, neither delivered nor rejected.
    pub blank: bool,
    pub issues: Vec<Issue>,
    /// Codes of fixes that were counted but not listed (see [`RuleSettings::list_fixes`]).
    pub fixes: Vec<&'static str>,
}

impl Checked {
    pub fn rejected(&self) -> bool {
        !self.blank && self.record.is_none()
    }
}

/// The source value that fills one delivery column.
struct Input<'a> {
    slot: Slot,
    /// The source header, or `--set` for a constant.
    column: &'a str,
    cell: &'a Cell,
    /// How an amount is read (only amount fields use it).
    unit: AmountUnit,
}

/// Checks one row.
pub fn check_row(settings: &RuleSettings, map: &ColumnMap, row: &Row) -> Checked {
    // Fixes that are only counted need no message.
    crate::issue::with_fix_messages(settings.list_fixes, || check(settings, map, row))
}

fn check(settings: &RuleSettings, map: &ColumnMap, row: &Row) -> Checked {
    let mut out = Checked {
        row: row.row,
        line: row.line,
        record: None,
        blank: false,
        issues: Vec::new(),
        fixes: Vec::new(),
    };
    if row.is_blank() {
        out.blank = true;
        return out;
    }
    // The map's order already puts currencies first (they decide how amounts in major units
    // are converted), so a row needs no sorting of its own.
    let mut inputs: Vec<Input> = Vec::with_capacity(map.order.len() + settings.constants.len());
    for &i in &map.order {
        if let (Some(Target::Slot(slot)), Some(cell)) = (map.targets.get(i), row.cells.get(i)) {
            if !cell.is_blank() {
                inputs.push(Input {
                    slot: *slot,
                    column: &map.headers[i],
                    cell,
                    unit: settings.column_units.get(i).unwrap_or(settings.amounts),
                });
            }
        }
    }
    let from_source = inputs.len();
    let constants: Vec<Cell> = settings
        .constants
        .iter()
        .map(|(_, v)| Cell::Text(v.clone()))
        .collect();
    for ((slot, _), cell) in settings.constants.iter().zip(&constants) {
        if !inputs.iter().any(|inp| inp.slot == *slot) {
            inputs.push(Input {
                slot: *slot,
                column: "--set",
                cell,
                unit: settings.amounts,
            });
        }
    }
    if inputs.len() > from_source {
        // Constants were added: put them in their place (rare, so sorting here is fine).
        inputs.sort_by_key(|inp| (inp.slot.kind() != Kind::Currency, inp.slot));
    }

    let mut record = Record::new();
    let mut rejected = false;
    // Columns whose own value was refused: not reported again as missing.
    let mut refused = Vec::new();
    for inp in &inputs {
        let Outcome { value, notes } = if settings.redact {
            shown::with_view(shown::View::of(inp.slot, true), || {
                normalize(settings, &record, inp)
            })
        } else {
            normalize(settings, &record, inp)
        };
        // Most values need no note: the original text and the fixed value are only built for
        // the issues that list them.
        let mut raw = None;
        let mut fixed_value = None;
        for note in notes {
            if note.severity == Severity::Error {
                rejected = true;
                refused.push(inp.slot);
            }
            if note.severity == Severity::Fix && !settings.list_fixes {
                out.fixes.push(note.code);
                continue;
            }
            let raw = raw.get_or_insert_with(|| inp.cell.display());
            let mut issue = issue_at(row, note, inp.slot, inp.column).value(raw.clone());
            if issue.severity == Severity::Fix {
                let fixed =
                    fixed_value.get_or_insert_with(|| value.as_ref().map(|v| v.to_string()));
                issue.fixed_value.clone_from(fixed);
            }
            out.issues.push(issue);
        }
        record.set(inp.slot, value);
    }
    let notes = checks::check_record(settings, &mut record, &refused);
    for (slot, note) in notes {
        rejected |= note.severity == Severity::Error;
        if note.severity == Severity::Fix && !settings.list_fixes {
            out.fixes.push(note.code);
            continue;
        }
        let column = inputs
            .iter()
            .find(|i| Some(i.slot) == slot)
            .map(|i| i.column);
        let mut issue = Issue::new(note.severity, note.code, note.message).at(row.row, row.line);
        if let Some(slot) = slot {
            issue.field = Some(slot.column().to_string());
            issue.value = record.get(slot).map(|v| v.to_string());
        }
        issue.column = column.map(str::to_string);
        out.issues.push(issue);
    }
    if !out.issues.is_empty() {
        let identifier = identifier_of(&inputs);
        for issue in &mut out.issues {
            issue.identifier.clone_from(&identifier);
        }
    }
    if !rejected {
        out.record = Some(record);
    }
    out
}

/// The identifier as given (cleaned), for the report, even when the record is rejected.
fn identifier_of(inputs: &[Input]) -> Option<String> {
    let id = registry::well_known::identifier();
    inputs
        .iter()
        .find(|i| i.slot == id)
        .map(|i| {
            let mut id = text::clean(&i.cell.display()).0.into_owned();
            // Every issue of the row carries it: a long one is cut once, here.
            shown::cut_in_place(&mut id);
            id
        })
        .filter(|s| !s.is_empty())
}

fn issue_at(row: &Row, note: Note, slot: Slot, column: &str) -> Issue {
    let mut issue = Issue::new(note.severity, note.code, note.message).at(row.row, row.line);
    issue.field = Some(slot.column().to_string());
    issue.column = Some(column.to_string());
    issue
}

/// Normalizes one source value for its delivery column.
fn normalize(settings: &RuleSettings, so_far: &Record, inp: &Input) -> Outcome<Value> {
    let kind = inp.slot.kind();
    match inp.cell {
        Cell::Text(s) => normalize_text(settings, so_far, inp.slot, inp.unit, s),
        Cell::PhoneIn { number, country } if kind == Kind::Phone => {
            let (clean, notes) = text::clean(number);
            let mut out = phone::normalize_phone_in(&clean, Country(*country)).map(Value::Phone);
            out.notes.extend(notes.into_iter().filter(|n| n.severity != Severity::Fix));
            out
        }
        Cell::PhoneIn { number, .. } => normalize_text(settings, so_far, inp.slot, inp.unit, number),
        Cell::Error(e) => Outcome::invalid(Note::error(
            "cell.error",
            format!("the spreadsheet cell holds the error {e}: fix the formula or the value in the export"),
        )),
        Cell::Empty => Outcome { value: None, notes: Vec::new() },
        Cell::Bool(b) => match kind {
            Kind::Boolean => Outcome::ok(Value::Bool(*b)),
            _ => normalize_text(settings, so_far, inp.slot, inp.unit, if *b { "1" } else { "0" }),
        },
        Cell::Int(i) => normalize_int(settings, so_far, inp.slot, inp.unit, *i),
        Cell::Float(x) => normalize_float(settings, so_far, inp.slot, inp.unit, *x),
        Cell::Formatted { number, format } => match kind {
            Kind::Cents if inp.unit == AmountUnit::Major => {
                let currency = currency_for(so_far, inp.slot);
                amount::number_major(*number, currency.as_deref(), Some(format)).map(Value::Cents)
            }
            _ => normalize_float(settings, so_far, inp.slot, inp.unit, *number),
        },
        Cell::Date(d) => normalize_date_cell(settings, so_far, inp.slot, inp.unit, *d, false),
        Cell::DateTime(dt) => {
            let midnight = dt.time() == chrono::NaiveTime::MIN;
            normalize_date_cell(settings, so_far, inp.slot, inp.unit, dt.date(), !midnight)
        }
    }
}

fn normalize_date_cell(
    settings: &RuleSettings,
    so_far: &Record,
    slot: Slot,
    unit: AmountUnit,
    d: NaiveDate,
    had_time: bool,
) -> Outcome<Value> {
    let shown = d.format("%Y-%m-%d").to_string();
    match slot.kind() {
        Kind::Date if had_time => Outcome::fixed(Value::Date(d), Note::fix("date.time_dropped", "the time of day was dropped; the field holds a date")),
        Kind::Date => Outcome::ok(Value::Date(d)),
        _ => normalize_text(settings, so_far, slot, unit, &shown).with(Note::warning(
            "cell.date_in_text",
            format!("a date cell in a {} field was written as {shown}: check that the column holds what the field expects", slot.kind().spec_name(), shown = shown::value(&shown)),
        )),
    }
}

fn normalize_int(
    settings: &RuleSettings,
    so_far: &Record,
    slot: Slot,
    unit: AmountUnit,
    i: i64,
) -> Outcome<Value> {
    let digits = i.to_string();
    match slot.kind() {
        Kind::Phone if i > 0 => in_row_country(settings, so_far, slot, |country| {
            phone::restore_dropped_zero(&digits, country)
        }),
        Kind::Cents if unit == AmountUnit::Major => {
            normalize_text(settings, so_far, slot, unit, &digits)
        }
        Kind::Cents if i >= 0 => Outcome::ok(Value::Cents(crate::model::Cents(i as u64))),
        Kind::Count if i >= 0 => Outcome::ok(Value::Count(i as u64)),
        _ => normalize_text(settings, so_far, slot, unit, &digits),
    }
}

fn normalize_float(
    settings: &RuleSettings,
    so_far: &Record,
    slot: Slot,
    unit: AmountUnit,
    x: f64,
) -> Outcome<Value> {
    if !x.is_finite() {
        return Outcome::invalid(Note::error(
            "number.invalid",
            format!("the number {x} cannot be delivered"),
        ));
    }
    let rounded = x.round();
    let integral = (x - rounded).abs() <= 1e-9 * rounded.abs().max(1.0);
    if integral && rounded.abs() < 9.0e15 {
        return normalize_int(settings, so_far, slot, unit, rounded as i64);
    }
    match slot.kind() {
        Kind::Cents if unit == AmountUnit::Minor => Outcome::invalid(Note::error(
            "amount.fraction",
            format!("{x} has a fraction, but the field holds whole cents: round it, or pass --amounts major if the column holds euros"),
        )),
        Kind::Cents => {
            let currency = currency_for(so_far, slot);
            amount::number_major(x, currency.as_deref(), None).map(Value::Cents)
        }
        Kind::Count => Outcome::invalid(Note::error("integer.fraction", format!("{x} has a fraction; the field holds a whole number"))),
        // Shortest decimal that reads back as the same float: what the spreadsheet shows.
        _ => normalize_text(settings, so_far, slot, unit, &format!("{x}")),
    }
}

fn normalize_text(
    settings: &RuleSettings,
    so_far: &Record,
    slot: Slot,
    unit: AmountUnit,
    raw: &str,
) -> Outcome<Value> {
    let (clean, mut notes) = text::clean(raw);
    if clean.is_empty() {
        return Outcome { value: None, notes };
    }
    let field = slot.field();
    let mut out = match field.kind {
        Kind::Text => {
            let mut o = Outcome::ok(Value::Text(clean.clone().into_owned()));
            if text::looks_like_formula(&clean) {
                o = o.with(Note::warning(
                    "text.formula",
                    "the value looks like a spreadsheet formula; a spreadsheet that opens the delivery may run it",
                ));
            }
            o
        }
        Kind::Email => email::parse_email(&clean).map(Value::Email),
        Kind::Phone => in_row_country(settings, so_far, slot, |country| {
            phone::normalize_phone(&clean, country)
        }),
        Kind::Date => date::parse_date(&clean, settings.date_order).map(Value::Date),
        Kind::Cents => {
            let currency = currency_for(so_far, slot);
            amount::parse_cents(&clean, unit, currency.as_deref()).map(Value::Cents)
        }
        Kind::Count => amount::parse_count(&clean).map(Value::Count),
        Kind::Gender => codes::parse_gender(&clean).map(Value::Gender),
        Kind::Country => codes::parse_country(&clean).map(Value::Country),
        Kind::Currency => codes::parse_currency(&clean).map(Value::Currency),
        Kind::Boolean => codes::parse_boolean(&clean).map(Value::Bool),
    };
    if let (Some(max), Some(v)) = (field.max_chars, &out.value) {
        let len = match v {
            Value::Text(s) | Value::Email(s) => text::char_len(s),
            _ => 0,
        };
        if len > max {
            out = Outcome::invalid(Note::error(
                "field.too_long",
                format!("{} characters ('{shown}…'); {} holds at most {max}: shorten the value in the export", len, slot.column(), shown = shown::value(&clean).first(40)),
            ));
        }
    }
    notes.append(&mut out.notes);
    out.notes = notes;
    out
}

/// The currency that applies to an amount column: the arrangement's own currency for
/// arrangement amounts, else the invoice currency.
/// Reads a debtor's national phone number when the row's address is in another country than
/// the default one. A number valid only in the address's country is read there (`0475 14 69
/// 73` is no Dutch mobile number, so in a row of a Belgian address it is a Belgian one);
/// valid only in the default country, it is read there as always. Valid in both as different
/// numbers (`0475 …` is also Roermond), the address is the better evidence, but not proof: it
/// is read in the address's country with a warning that gives both readings, never as a quiet
/// fix. A number written with its country code reads the same either way.
fn in_row_country(
    settings: &RuleSettings,
    so_far: &Record,
    slot: Slot,
    read: impl Fn(Country) -> Outcome<crate::model::Phone>,
) -> Outcome<Value> {
    let default = settings.default_country;
    let row = match so_far.get(registry::well_known::address_country()) {
        Some(Value::Country(c)) => Some(Country(*c)).filter(|c| *c != default && c.is_known()),
        _ => None,
    };
    let debtors = slot.field().category == "CONTACT";
    let by_default = read(default);
    let Some(row) = row.filter(|_| debtors) else {
        return by_default.map(Value::Phone);
    };
    let by_row = read(row);
    match (&by_row.value, &by_default.value) {
        (Some(r), Some(d)) if r != d => {
            let note = Note::warning(
                "phone.ambiguous_country",
                format!(
                    "a national number valid both in {row}, the country of the row's address, and in {default}, the default country: read as {} ({row}); as {} ({default}) it would reach someone else. Check it, and write it with its country code",
                    shown::value(r.digits()),
                    shown::value(d.digits())
                ),
            );
            let mut out = by_row.map(Value::Phone);
            out.notes.retain(|n| n.code != "phone.national");
            out.notes.push(note);
            out
        }
        (Some(r), None) => {
            let note = Note::fix_with("phone.row_country", || {
                format!(
                    "no valid number of {default}, the default country, but of {row}, the country of the row's address: read there ({})",
                    shown::value(r.digits())
                )
            });
            let mut out = by_row.map(Value::Phone);
            out.notes.retain(|n| n.code != "phone.national");
            out.notes.push(note);
            out
        }
        _ => by_default.map(Value::Phone),
    }
}

fn currency_for(so_far: &Record, slot: Slot) -> Option<String> {
    let wk = &registry::well_known::arrangement_currency;
    let arrangement = slot.field().category == wk().field().category;
    let pick = |s: Slot| match so_far.get(s) {
        Some(Value::Currency(c)) => std::str::from_utf8(c).ok().map(str::to_string),
        _ => None,
    };
    arrangement
        .then(|| pick(wk()))
        .flatten()
        .or_else(|| pick(registry::well_known::invoice_currency()))
}
