//! Coded values: gender, boolean, country, currency.
//!
//! Countries come from the `celes` crate (ISO 3166-1), currencies and their decimals from the
//! `iso_currency` crate (ISO 4217). Country names are read in English, Dutch, French and
//! German from the Unicode CLDR's display names (ICU4X's data, long and short forms: `België`,
//! `Royaume-Uni`, `VK`), then from `celes`' ISO names and English aliases (`The Netherlands`,
//! `Holland`); see [`name_key`] for how a written name is compared.
//!
//! Words read as a gender (any case, a trailing `.` ignored; English, Dutch, German, French):
//! - M: m, male, man, mr, mister, sir, dhr, de heer, heer, meneer, hr, herr, h, homme, monsieur,
//!   mannelijk, männlich, masculin
//! - F: f, female, woman, mrs, ms, miss, madam, v, vr, vrouw, mevrouw, mevr, mw, mej, mejuffrouw,
//!   vrouwelijk, w, frau, fr, weiblich, femme, madame, mme, mlle, féminin
//! - U: u, unknown, onbekend, unbekannt, inconnu, x, mx, other, divers, d, anders, overig, autre
//!   (the delivery has no value for non-binary people; U is the closest it offers)
//!
//! Words read as a boolean: 1/0 and (any case) true/false, yes/no, y/n, ja/nee, j/n,
//! waar/onwaar, wahr/falsch, oui/non, vrai/faux, t/f, x (a ticked box: true).

use std::collections::HashMap;
use std::sync::LazyLock;

use celes::LookupTable;
use icu_experimental::displaynames::{multi::RegionDisplayNames, DisplayNamesOptions, Style};
use icu_locale_core::{locale, subtags::Region};
use iso_currency::Currency;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

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
    "meneer",
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
    "vr",
    "vrouw",
    "mevrouw",
    "mevr",
    "mw",
    "mej",
    "mejuffrouw",
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
    "mx",
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

/// Reads an ISO 3166-1 alpha-2 country code; also alpha-3 codes, and country names in
/// English, Dutch, French and German.
pub fn parse_country(input: &str) -> Outcome<[u8; 2]> {
    let code = match input.len() {
        2 => celes::Country::from_alpha2(input)
            .ok()
            .map(|c| (c, "country.case")),
        3 => celes::Country::from_alpha3(input)
            .ok()
            .map(|c| (c, "country.alpha3")),
        _ => None,
    }
    .and_then(|(c, code)| Some((alpha2(c.alpha2)?, code)));
    let (alpha2, code) = match code {
        Some(found) => found,
        None => match COUNTRY_NAMES.get(&name_key(input)) {
            Some(CountryName::One(alpha2)) => (*alpha2, "country.name"),
            Some(CountryName::Several(what)) => {
                return Outcome::invalid(Note::error(
                    "country.ambiguous",
                    format!("'{input}' names {what}; write the two-letter ISO 3166-1 code"),
                ));
            }
            None => {
                let hint = match input.to_ascii_uppercase().as_str() {
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
            }
        },
    };
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

/// A two-letter code as upper-case bytes.
fn alpha2(code: &str) -> Option<[u8; 2]> {
    match code.as_bytes() {
        [a, b] => Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()]),
        _ => None,
    }
}

/// What a country name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CountryName {
    One([u8; 2]),
    /// Several places, described for the message ("the countries CG and CD").
    Several(String),
}

/// Names that stand for more than one place, refused rather than guessed. The data gives each
/// a single country (or none), so they are listed here: a bare "Congo" or "Korea" is one of
/// two countries, and "Georgia" is also a state of the United States.
const AMBIGUOUS_NAMES: &[(&str, &str)] = &[
    (
        "Congo",
        "the countries CG (Congo-Brazzaville) and CD (Congo-Kinshasa)",
    ),
    (
        "Kongo",
        "the countries CG (Congo-Brazzaville) and CD (Congo-Kinshasa)",
    ),
    (
        "Korea",
        "the countries KR (South Korea) and KP (North Korea)",
    ),
    (
        "Corée",
        "the countries KR (South Korea) and KP (North Korea)",
    ),
    (
        "Virgin Islands",
        "the territories VG (British) and VI (American)",
    ),
    (
        "Maagdeneilanden",
        "the territories VG (British) and VI (American)",
    ),
    (
        "Jungferninseln",
        "the territories VG (British) and VI (American)",
    ),
    (
        "Îles Vierges",
        "the territories VG (British) and VI (American)",
    ),
    (
        "Georgia",
        "the country GE and a state of the United States (US)",
    ),
];

/// ISO 3166-1 codes reserved for something other than a country (the European Union, the
/// euro area, the United Nations, the Soviet Union, ...). A two-letter short name that reads
/// as one of these, or as an assigned code, is not used: `É.-U.` (the United States in
/// French) would otherwise read `EU` as the United States.
const RESERVED_CODES: &[&str] = &[
    "AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "FX", "IC", "SU", "TA", "UN",
];

/// Every country name read, by its [`name_key`]. Built on first use (about 1 ms).
static COUNTRY_NAMES: LazyLock<HashMap<String, CountryName>> = LazyLock::new(country_names);

fn country_names() -> HashMap<String, CountryName> {
    let mut names: HashMap<String, CountryName> = HashMap::new();
    let countries = celes::Country::get_countries();
    // CLDR: each language's long and short names. A name that two languages give to two
    // countries is ambiguous.
    for locale in [locale!("en"), locale!("nl"), locale!("fr"), locale!("de")] {
        for style in [None, Some(Style::Short)] {
            let mut options = DisplayNamesOptions::default();
            options.style = style;
            let Ok(display) = RegionDisplayNames::try_new(locale.clone().into(), options) else {
                continue;
            };
            for country in &countries {
                let (Ok(region), Some(code)) =
                    (Region::try_from_str(country.alpha2), alpha2(country.alpha2))
                else {
                    continue;
                };
                let Some(name) = display.of(region) else {
                    continue;
                };
                let key = name_key(name);
                if key.len() == 2 {
                    let upper = key.to_ascii_uppercase();
                    if celes::Country::from_alpha2(&upper).is_ok()
                        || RESERVED_CODES.contains(&upper.as_str())
                    {
                        continue;
                    }
                }
                match names.get(&key) {
                    Some(CountryName::One(other)) if *other != code => {
                        let what = format!(
                            "the countries {} and {}",
                            String::from_utf8_lossy(other),
                            String::from_utf8_lossy(&code)
                        );
                        names.insert(key, CountryName::Several(what));
                    }
                    Some(_) => {}
                    None => {
                        names.insert(key, CountryName::One(code));
                    }
                }
            }
        }
    }
    // celes: ISO's English names and common English aliases, where CLDR has no such name.
    for country in &countries {
        let Some(code) = alpha2(country.alpha2) else {
            continue;
        };
        for name in std::iter::once(&country.long_name).chain(country.aliases.iter()) {
            names
                .entry(name_key(name))
                .or_insert(CountryName::One(code));
        }
    }
    for (name, what) in AMBIGUOUS_NAMES {
        names.insert(name_key(name), CountryName::Several((*what).to_string()));
    }
    names.remove("");
    names
}

/// The form in which country names are compared: lower case, accents and other marks
/// removed, `ß` as `ss`, and only letters and digits kept (spaces, hyphens, dots and
/// apostrophes dropped). `  BELGIË ` and `belgie` have the same key, as do `Royaume-Uni` and
/// `royaume uni`.
pub(crate) fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase).nfd() {
        if c == 'ß' {
            key.push_str("ss");
        } else if c.is_alphanumeric() && !is_combining_mark(c) {
            key.push(c);
        }
    }
    key
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
pub(crate) fn is_currency_code(code: &str) -> bool {
    currency_decimals(code).is_some()
}

/// The number of decimals (minor unit exponent) of an ISO 4217 currency, if known.
pub(crate) fn currency_decimals(code: &str) -> Option<u32> {
    Currency::from_code(code)?.exponent().map(u32::from)
}

#[cfg(test)]
#[path = "codes_tests.rs"]
mod tests;
