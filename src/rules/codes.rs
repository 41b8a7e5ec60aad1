//! Coded values: gender, boolean, country, currency.
//!
//! Countries come from the `celes` crate (ISO 3166-1), currencies and their decimals from the
//! `iso_currency` crate (ISO 4217).
//!
//! Words read as a gender (any case, a trailing `.` ignored; English, Dutch, German, French):
//! - M: m, male, man, mr, mister, sir, dhr, de heer, heer, hr, herr, h, homme, monsieur, mannelijk,
//!   männlich, masculin
//! - F: f, female, woman, mrs, ms, miss, madam, v, vrouw, mevrouw, mevr, mw, mej, vrouwelijk,
//!   w, frau, fr, weiblich, femme, madame, mme, mlle, féminin
//! - U: u, unknown, onbekend, unbekannt, inconnu, x, other, divers, d, anders, overig, autre
//!   (the delivery has no value for non-binary people; U is the closest it offers)
//!
//! Words read as a boolean: 1/0 and (any case) true/false, yes/no, y/n, ja/nee, j/n,
//! waar/onwaar, wahr/falsch, oui/non, vrai/faux, t/f, x (a ticked box: true).

use iso_currency::Currency;

use crate::issue::Note;
use crate::model::Gender;
use crate::rules::Outcome;
use crate::shown;

const MALE: &[&str] = &[
    "m",
    "male",
    "man",
    "mr",
    "mister",
    "sir",
    "dhr",
    "de heer",
    "heer",
    "hr",
    "herr",
    "h",
    "homme",
    "monsieur",
    "mannelijk",
    "männlich",
    "masculin",
];
const FEMALE: &[&str] = &[
    "f",
    "female",
    "woman",
    "mrs",
    "ms",
    "miss",
    "madam",
    "v",
    "vrouw",
    "mevrouw",
    "mevr",
    "mw",
    "mej",
    "vrouwelijk",
    "w",
    "frau",
    "fr",
    "weiblich",
    "femme",
    "madame",
    "mme",
    "mlle",
    "féminin",
];
const UNKNOWN: &[&str] = &[
    "u",
    "unknown",
    "onbekend",
    "unbekannt",
    "inconnu",
    "x",
    "other",
    "divers",
    "d",
    "anders",
    "overig",
    "autre",
];
const TRUE: &[&str] = &[
    "true", "yes", "y", "ja", "j", "waar", "wahr", "oui", "vrai", "t", "x",
];
const FALSE: &[&str] = &[
    "false", "no", "n", "nee", "onwaar", "falsch", "non", "faux", "f",
];

/// The lookup key for a word: lower case, a trailing `.` dropped.
fn key(input: &str) -> String {
    input.trim_end_matches('.').to_lowercase()
}

pub fn parse_gender(input: &str) -> Outcome<Gender> {
    match input {
        "M" => return Outcome::ok(Gender::Male),
        "F" => return Outcome::ok(Gender::Female),
        "U" => return Outcome::ok(Gender::Unknown),
        _ => {}
    }
    let key = key(input);
    let gender = if MALE.contains(&key.as_str()) {
        Gender::Male
    } else if FEMALE.contains(&key.as_str()) {
        Gender::Female
    } else if UNKNOWN.contains(&key.as_str()) {
        Gender::Unknown
    } else {
        return Outcome::invalid(Note::error(
            "gender.invalid",
            format!(
                "'{input}' is not a gender; use M (male), F (female) or U (unknown)",
                input = shown::value(input)
            ),
        ));
    };
    Outcome::fixed(
        gender,
        Note::fix_with("gender.mapped", || {
            format!("'{input}' read as {}", gender.code())
        }),
    )
}

pub fn parse_boolean(input: &str) -> Outcome<bool> {
    match input {
        "1" => return Outcome::ok(true),
        "0" => return Outcome::ok(false),
        _ => {}
    }
    let key = key(input);
    let value = if TRUE.contains(&key.as_str()) {
        true
    } else if FALSE.contains(&key.as_str()) {
        false
    } else {
        return Outcome::invalid(Note::error(
            "boolean.invalid",
            format!(
                "'{input}' is not a yes/no value; use 1 (yes) or 0 (no)",
                input = shown::value(input)
            ),
        ));
    };
    Outcome::fixed(
        value,
        Note::fix_with("boolean.mapped", || {
            format!("'{input}' read as {}", u8::from(value))
        }),
    )
}

/// Reads an ISO 3166-1 alpha-2 country code; also alpha-3 codes and English names.
pub fn parse_country(input: &str) -> Outcome<[u8; 2]> {
    let found = match input.len() {
        2 => celes::Country::from_alpha2(input)
            .ok()
            .map(|c| (c, "country.case")),
        3 => celes::Country::from_alpha3(input)
            .ok()
            .map(|c| (c, "country.alpha3")),
        _ => None,
    }
    .or_else(|| {
        let name: String = input
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        celes::Country::from_name(&name)
            .or_else(|_| celes::Country::from_alias(&name))
            .ok()
            .map(|c| (c, "country.name"))
    });
    let Some((country, code)) = found else {
        let hint = match input.to_ascii_uppercase().as_str() {
            "UK" => " (the United Kingdom is GB)",
            "EL" => " (Greece is GR)",
            _ => "",
        };
        return Outcome::invalid(Note::error(
            "country.invalid",
            format!(
                "'{input}' is not a country; use a two-letter ISO 3166-1 code such as NL{hint}",
                input = shown::value(input)
            ),
        ));
    };
    let bytes = country.alpha2.as_bytes();
    let (Some(a), Some(b)) = (bytes.first(), bytes.get(1)) else {
        return Outcome::invalid(Note::error(
            "country.invalid",
            format!("'{input}' has no two-letter code"),
        ));
    };
    let alpha2 = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
    if input.as_bytes() == alpha2 {
        return Outcome::ok(alpha2);
    }
    let note = Note::fix_with(code, || {
        let written = String::from_utf8_lossy(&alpha2);
        match code {
            "country.case" => format!("'{input}' written in capitals: {written}"),
            "country.alpha3" => format!("'{input}' is a three-letter code; written as {written}"),
            _ => format!("'{input}' read as the country {written}"),
        }
    });
    Outcome::fixed(alpha2, note)
}

/// Reads an ISO 4217 currency code.
pub fn parse_currency(input: &str) -> Outcome<[u8; 3]> {
    let upper = input.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    if let (true, [a, b, c]) = (is_currency_code(&upper), bytes) {
        let code = [*a, *b, *c];
        if input == upper {
            return Outcome::ok(code);
        }
        return Outcome::fixed(
            code,
            Note::fix_with("currency.case", || {
                format!("'{input}' written in capitals: {upper}")
            }),
        );
    }
    let code = match input {
        "€" => Some(*b"EUR"),
        "£" => Some(*b"GBP"),
        _ => None,
    };
    if let Some(code) = code {
        let written = String::from_utf8_lossy(&code).into_owned();
        return Outcome::fixed(
            code,
            Note::fix(
                "currency.symbol",
                format!("'{input}' written as the code {written}"),
            ),
        );
    }
    Outcome::invalid(Note::error(
        "currency.invalid",
        format!(
            "'{input}' is not a currency; use a three-letter ISO 4217 code such as EUR",
            input = shown::value(input)
        ),
    ))
}

/// Whether `code` (upper case) is an ISO 4217 code of a currency one can pay in: codes without
/// minor units such as XXX (no currency) or XAU (gold) are not.
pub fn is_currency_code(code: &str) -> bool {
    currency_decimals(code).is_some()
}

/// The number of decimals (minor unit exponent) of an ISO 4217 currency, if known.
pub fn currency_decimals(code: &str) -> Option<u32> {
    Currency::from_code(code)?.exponent().map(u32::from)
}

#[cfg(test)]
#[path = "codes_tests.rs"]
mod tests;
