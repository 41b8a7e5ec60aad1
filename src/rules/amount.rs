//! Amounts in cents and integer counts.
//! (stub: being implemented)

use crate::issue::Note;
use crate::model::Cents;
use crate::rules::Outcome;

/// What an amount column holds: integer minor units (the specification's cents, the default)
/// or decimal major units (`12,50`) to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmountUnit {
    #[default]
    Minor,
    Major,
}

/// Parses an amount. `currency` (ISO 4217, upper case) decides the number of decimals when
/// converting major units; `None` means the delivery gives none (EUR's 2 decimals are used).
pub fn parse_cents(input: &str, _unit: AmountUnit, _currency: Option<&str>) -> Outcome<Cents> {
    match input.parse::<u64>() {
        Ok(n) => Outcome::ok(Cents(n)),
        Err(_) => Outcome::invalid(Note::error("amount.invalid", "not a whole number of cents")),
    }
}

/// Parses a non-negative integer count or sequence number.
pub fn parse_count(input: &str) -> Outcome<u64> {
    match input.parse::<u64>() {
        Ok(n) => Outcome::ok(n),
        Err(_) => Outcome::invalid(Note::error("integer.invalid", "not a whole number")),
    }
}
