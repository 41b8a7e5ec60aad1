//! The typed record model: what a delivery is made of.
//!
//! A [`Record`] holds one optional [`Value`] per delivery column ([`Slot`]). Values are typed
//! (dates as dates, amounts as [`Cents`], phones as validated [`Phone`]s); writers serialize the
//! model, never the raw source strings.

use std::fmt;

use chrono::NaiveDate;

use crate::registry::{self, Slot};

/// An amount in minor currency units (cents for EUR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub u64);

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A validated phone number: E.164 digits without the leading `+` (e.g. `31612345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone {
    digits: String,
    mobile: Option<bool>,
}

impl Phone {
    /// `digits` must be E.164 digits (country code first, no `+`); only the phone module
    /// creates phones, after validating them.
    pub(crate) fn new(digits: String, mobile: Option<bool>) -> Phone {
        Phone { digits, mobile }
    }

    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// `Some(true)` for a mobile number, `Some(false)` for a number that cannot receive SMS
    /// (landline and the like), `None` where the numbering plan does not tell.
    pub fn is_mobile(&self) -> Option<bool> {
        self.mobile
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
            Gender::Unknown => "U",
        }
    }
}

/// One typed value of a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Text(String),
    Cents(Cents),
    Count(u64),
    Date(NaiveDate),
    Phone(Phone),
    Email(String),
    Gender(Gender),
    /// ISO 3166-1 alpha-2, upper case.
    Country([u8; 2]),
    /// ISO 4217, upper case.
    Currency([u8; 3]),
    Bool(bool),
}

impl fmt::Display for Value {
    /// The value exactly as the delivery file writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) | Value::Email(s) => f.write_str(s),
            Value::Cents(c) => write!(f, "{c}"),
            Value::Count(n) => write!(f, "{n}"),
            Value::Date(d) => write_date(f, *d),
            Value::Phone(p) => f.write_str(p.digits()),
            Value::Gender(g) => f.write_str(g.code()),
            Value::Country(c) => f.write_str(std::str::from_utf8(c).unwrap_or("??")),
            Value::Currency(c) => f.write_str(std::str::from_utf8(c).unwrap_or("???")),
            Value::Bool(b) => f.write_str(if *b { "1" } else { "0" }),
        }
    }
}

/// Writes a date as `yyyy-mm-dd`, like chrono's `%Y-%m-%d` (which parses its format string on
/// every call, a measurable part of writing a million records).
fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    use chrono::Datelike;
    match d.year() {
        y @ 0..=9999 => write!(f, "{y:04}-{:02}-{:02}", d.month(), d.day()),
        _ => write!(f, "{}", d.format("%Y-%m-%d")),
    }
}

/// One delivery record: a value (or nothing) per delivery column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    values: Vec<Option<Value>>,
}

impl Default for Record {
    fn default() -> Self {
        Record::new()
    }
}

impl Record {
    pub(crate) fn new() -> Record {
        Record {
            values: vec![None; registry::slot_count()],
        }
    }

    pub fn get(&self, slot: Slot) -> Option<&Value> {
        self.values[slot.index()].as_ref()
    }

    pub(crate) fn set(&mut self, slot: Slot, value: Option<Value>) {
        self.values[slot.index()] = value;
    }

    pub(crate) fn take(&mut self, slot: Slot) -> Option<Value> {
        self.values[slot.index()].take()
    }

    pub(crate) fn has(&self, slot: Slot) -> bool {
        self.values[slot.index()].is_some()
    }

    /// The record's identifier (`IDENTIFICATION_IDENTIFIER`), if it has one.
    pub(crate) fn identifier(&self) -> Option<&str> {
        match self.get(registry::well_known::identifier()) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// The filled slots with their values, in delivery column order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Slot, &Value)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_ref().map(|v| (Slot(i as u16), v)))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Dates are written exactly as chrono's `%Y-%m-%d` writes them, for every date.
        #[test]
        fn dates_are_written_like_chrono(days in -1_000_000i32..4_000_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(Value::Date(d).to_string(), d.format("%Y-%m-%d").to_string());
        }
    }
}
