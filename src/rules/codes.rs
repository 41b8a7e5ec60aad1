//! Coded values: gender, boolean, country, currency.
//! (stub: being implemented)

use crate::issue::Note;
use crate::model::Gender;
use crate::rules::Outcome;

pub fn parse_gender(input: &str) -> Outcome<Gender> {
    match input {
        "M" => Outcome::ok(Gender::Male),
        "F" => Outcome::ok(Gender::Female),
        "U" => Outcome::ok(Gender::Unknown),
        _ => Outcome::invalid(Note::error("gender.invalid", "not M, F or U")),
    }
}

pub fn parse_boolean(input: &str) -> Outcome<bool> {
    match input {
        "1" => Outcome::ok(true),
        "0" => Outcome::ok(false),
        _ => Outcome::invalid(Note::error("boolean.invalid", "not 0 or 1")),
    }
}

pub fn parse_country(input: &str) -> Outcome<[u8; 2]> {
    let b = input.as_bytes();
    if b.len() == 2 {
        Outcome::ok([b[0], b[1]])
    } else {
        Outcome::invalid(Note::error(
            "country.invalid",
            "not an ISO 3166-1 alpha-2 code",
        ))
    }
}

pub fn parse_currency(input: &str) -> Outcome<[u8; 3]> {
    let b = input.as_bytes();
    if b.len() == 3 {
        Outcome::ok([b[0], b[1], b[2]])
    } else {
        Outcome::invalid(Note::error("currency.invalid", "not an ISO 4217 code"))
    }
}

/// The number of decimals (minor unit exponent) of an ISO 4217 currency, if known.
pub fn currency_decimals(code: &str) -> Option<u32> {
    match code {
        "EUR" | "USD" | "GBP" => Some(2),
        _ => None,
    }
}
