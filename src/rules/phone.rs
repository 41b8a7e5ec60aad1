//! Phone numbers: clean, read in the default country, validate with libphonenumber metadata.
//! (stub: being implemented)

use crate::issue::Note;
use crate::model::Phone;
use crate::rules::Outcome;

/// A country for reading national numbers, as an ISO 3166-1 alpha-2 code (`NL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(pub [u8; 2]);

impl Country {
    pub const NL: Country = Country(*b"NL");

    pub fn parse(code: &str) -> Option<Country> {
        let b = code.trim().as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic))
            .then(|| Country([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
    }
}

/// Normalizes one phone number to E.164 digits.
pub fn normalize_phone(input: &str, _default_country: Country) -> Outcome<Phone> {
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 8 && !input.chars().any(|c| c.is_alphabetic()) {
        Outcome::ok(Phone::new(digits, None))
    } else {
        Outcome::invalid(Note::warning("phone.invalid", "not a valid phone number"))
    }
}

/// Restores a national number whose leading 0 a spreadsheet dropped (stub).
pub fn restore_dropped_zero(digits: &str, default_country: Country) -> Outcome<Phone> {
    normalize_phone(digits, default_country)
}
