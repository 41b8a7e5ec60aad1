//! Dates: accept the usual export forms, write `yyyy-mm-dd`.
//! (stub: being implemented)

use chrono::NaiveDate;

use crate::issue::Note;
use crate::rules::Outcome;

/// How to read `01/02/2024`: day first (the default) or month first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    Dmy,
    Mdy,
}

pub fn parse_date(input: &str, _order: DateOrder) -> Outcome<NaiveDate> {
    match NaiveDate::parse_from_str(input, "%Y-%m-%d") {
        Ok(d) => Outcome::ok(d),
        Err(_) => Outcome::invalid(Note::error(
            "date.invalid",
            format!("'{input}' is not a date"),
        )),
    }
}
