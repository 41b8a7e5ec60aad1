//! Phone numbers: clean, read in the default country, validate with libphonenumber metadata.
//!
//! The phone library (`rlibphonenumber`) is used only in this module.
//!
//! How a value is read (after `text::clean`):
//! - What spreadsheets and copying leave around a number is removed first (`phone.artefact`):
//!   a leading `'` or `=` (`="0612345678"`), full-width forms, a trailing `,` `;` `.` or `+`.
//! - Only digits, plain and no-break spaces, `+`, dashes (`-`, `–` and their look-alikes),
//!   `(`, `)`, `[`, `]`, `.`, `/` and `*` may appear (and the invisible soft hyphen,
//!   zero-width space and word joiner that pasting leaves), the characters libphonenumber
//!   reads; anything else (a letter, `#`, `,`, a thin space, ...) makes the value unusable
//!   (`phone.invalid_chars`). The library would turn letters into digits (vanity numbers); the
//!   specification forbids them.
//! - `+` or a leading `00` means an international number. As libphonenumber reads them,
//!   punctuation before the `+` and a repeated `+` do not matter (`(+31) 6 ...`, `++31 6 ...`);
//!   a `+` anywhere else makes the value invalid.
//! - A trunk `0` after the country code (`+31 (0)6 ...`, `+31 06 ...`) is dropped where the
//!   country's numbers have one, as libphonenumber does; elsewhere it is a digit of the number
//!   (`+1 (0)202 ...` is not a valid North American number).
//! - A single leading `0` means a national number of the default country; its country code is
//!   added (`phone.national`).
//! - A number without `+`, `00` or `0` is first read as international (the specification's
//!   own example `31107989525` is written so). Only when that is not a valid number is it read
//!   as a national number of the default country that lost its leading 0, as a spreadsheet
//!   does to `0612345678` (`phone.assumed_national`).
//! - A valid number written differently from its E.164 digits gets `phone.formatted`.
//! - A number the metadata says is not valid gets `phone.invalid` with the reason.
//!
//! Problems with phone numbers are warnings: the pipeline drops the number, not the record.

use rlibphonenumber::{
    enums::Region, interfaces::AsOriginal, ParseError, PhoneNumber, PhoneNumberFormat,
    PhoneNumberType, ValidationError, PHONE_NUMBER_UTIL,
};

use crate::issue::Note;
use crate::model::Phone;
use crate::rules::Outcome;
use crate::shown;

/// The longest value the delivery accepts in a phone column.
const MAX_DIGITS: usize = 20;

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

    fn region(self) -> Option<Region> {
        let code = std::str::from_utf8(&self.0).ok()?;
        Region::from_code(code).ok()
    }

    /// The international calling code (`31` for NL), if the phone metadata knows the country.
    pub(crate) fn calling_code(self) -> Option<u16> {
        let code = PHONE_NUMBER_UTIL.get_country_code_for_region(self.region()?)?;
        u16::try_from(code).ok()
    }

    /// Whether the phone metadata knows this country, so national numbers can be read in it.
    pub fn is_known(self) -> bool {
        self.calling_code().is_some()
    }
}

impl std::fmt::Display for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::str::from_utf8(&self.0).unwrap_or("??"))
    }
}

/// How the digits of a value were introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    /// `+31...` or `0031...`
    International,
    /// `0...`
    National,
    /// Digits only, no prefix.
    Bare,
}

/// How numbers are read. Production reads [`Reading::Direct`]; the tests read both ways and
/// compare, which is what proves the shortcut changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Build the number straight from its digits where the parser provably reads them the
    /// same way (see [`direct`]), and parse the rest.
    Direct,
    /// Always hand the digits to the library's parser.
    #[cfg_attr(not(test), allow(dead_code))]
    ParserOnly,
}

/// Normalizes one phone number to E.164 digits.
pub fn normalize_phone(input: &str, default_country: Country) -> Outcome<Phone> {
    normalize(input, default_country, Reading::Direct)
}

fn normalize(input: &str, default_country: Country, how: Reading) -> Outcome<Phone> {
    match artefacts::strip(input) {
        Some(stripped) => {
            let note = Note::fix_with("phone.artefact", || {
                format!(
                    "'{}' read as '{}': {}",
                    shown::value(input),
                    shown::value(&stripped.text),
                    stripped.what()
                )
            });
            let mut out = read(&stripped.text, default_country, how);
            out.notes.insert(0, note);
            out
        }
        None => read(input, default_country, how),
    }
}

/// Reads a value without the artefacts [`artefacts::strip`] removes.
fn read(input: &str, default_country: Country, how: Reading) -> Outcome<Phone> {
    let (prefix, digits) = match split(input) {
        Ok(parts) => parts,
        Err(note) => return Outcome::invalid(note),
    };
    if digits.len() > MAX_DIGITS {
        return Outcome::invalid(invalid(input, "it has too many digits"));
    }
    match prefix {
        Prefix::International => match read_international(&digits, how) {
            Ok(phone) => formatted(input, &digits, phone),
            Err(reason) if zero_in_parentheses(input) => {
                Outcome::invalid(invalid(input, &format!("{reason}{}", kept_zero(&digits))))
            }
            Err(reason) => Outcome::invalid(invalid(input, &reason)),
        },
        Prefix::National => match read_national(&digits, default_country, how) {
            Ok(phone) => {
                let note = Note::fix_with("phone.national", || {
                    format!(
                        "'{input}' read as a national number of {default_country}: country code {} added ({})",
                        default_country.calling_code().unwrap_or(0),
                        shown::value(phone.digits()),
                        input = shown::value(input)
                    )
                });
                Outcome::fixed(phone, note)
            }
            Err(reason) => Outcome::invalid(invalid(input, &reason)),
        },
        Prefix::Bare => match read_international(&digits, how) {
            Ok(phone) => formatted(input, &digits, phone),
            Err(reason) => match read_national(&digits, default_country, how) {
                Ok(phone) => {
                    let note = Note::fix_with("phone.assumed_national", || {
                        format!(
                            "'{input}' has no valid country code; read as a national number of {default_country} \
                             without its leading 0 ({}); deliver numbers with their country code",
                            shown::value(phone.digits()),
                            input = shown::value(input)
                        )
                    });
                    Outcome::fixed(phone, note)
                }
                Err(_) => Outcome::invalid(invalid(
                    input,
                    &format!("{reason}, nor is it a national number of {default_country}"),
                )),
            },
        },
    }
}

/// Normalizes a number whose country the source states (CRM.COM gives each phone its own
/// country): a number without `+`, `00` or a trunk `0` is that country's national significant
/// number, so it is read as `+<calling code><number>` rather than guessed at.
pub fn normalize_phone_in(input: &str, country: Country) -> Outcome<Phone> {
    normalize_in(input, country, Reading::Direct)
}

fn normalize_in(input: &str, country: Country, how: Reading) -> Outcome<Phone> {
    let bare = input.starts_with(|c: char| c.is_ascii_digit() && c != '0');
    match country.calling_code() {
        Some(cc) if bare => normalize(&format!("+{cc} {input}"), country, how),
        _ => normalize(input, country, how),
    }
}

/// Repairs a number that a spreadsheet stored as a number, losing its leading 0
/// (`0612345678` became `612345678`). Digits valid as an international number are kept; else
/// `0` + digits is read as a national number of `default_country` (`phone.leading_zero_restored`).
/// Input that is not digits only is handed to [`normalize_phone`].
pub fn restore_dropped_zero(digits: &str, default_country: Country) -> Outcome<Phone> {
    restore(digits, default_country, Reading::Direct)
}

fn restore(digits: &str, default_country: Country, how: Reading) -> Outcome<Phone> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return normalize(digits, default_country, how);
    }
    if digits.len() > MAX_DIGITS {
        return Outcome::invalid(invalid(digits, "it has too many digits"));
    }
    match read_international(digits, how) {
        Ok(phone) => Outcome::ok(phone),
        Err(reason) => {
            let national = format!("0{digits}");
            match read_national(&national, default_country, how) {
                Ok(phone) => Outcome::fixed(
                    phone.clone(),
                    Note::fix(
                        "phone.leading_zero_restored",
                        format!(
                            "'{digits}' read as {national}, a national number of {default_country} whose \
                             leading 0 was lost (as a spreadsheet does): {}",
                            shown::value(phone.digits()),
                            digits = shown::value(digits),
                            national = shown::value(&national)
                        ),
                    ),
                ),
                Err(_) => Outcome::invalid(invalid(
                    digits,
                    &format!(
                        "{reason}, nor is {national} a national number of {default_country}",
                        national = shown::value(&national)
                    ),
                )),
            }
        }
    }
}

/// The fix note for a valid number whose written form differs from its E.164 digits.
/// `digits` are the written digits after any `+` or `00`.
fn formatted(input: &str, digits: &str, phone: Phone) -> Outcome<Phone> {
    if input == phone.digits() {
        return Outcome::ok(phone);
    }
    let what = if phone.digits().len() < digits.len() && zero_in_parentheses(input) {
        "the (0) dropped and written as E.164 digits"
    } else {
        "written as E.164 digits"
    };
    let note = Note::fix_with("phone.formatted", || {
        format!(
            "'{input}' {what}: {}",
            shown::value(phone.digits()),
            input = shown::value(input)
        )
    });
    Outcome::fixed(phone, note)
}

fn invalid(input: &str, reason: &str) -> Note {
    Note::warning(
        "phone.invalid",
        format!(
            "'{input}' is not a valid phone number: {reason}; the number is left out",
            input = shown::value(input)
        ),
    )
}

/// Checks the characters and returns the prefix kind and the digits after `+`/`00` (or all
/// digits for national and bare numbers). Parentheses are not read: a `(0)` is the library's
/// to drop or keep, by the country's own rules.
fn split(input: &str) -> Result<(Prefix, String), Note> {
    if let Some(c) = input.chars().find(|c| !is_allowed(*c)) {
        // A space libphonenumber does not read (thin, narrow no-break, ...) is named by its
        // code point: shown as itself it looks like the spaces that are allowed.
        let what = if c.is_whitespace() {
            format!(
                "the space U+{:04X}, which is not a plain space",
                u32::from(c)
            )
        } else {
            format!("'{c}'")
        };
        return Err(Note::warning(
            "phone.invalid_chars",
            format!(
                "'{input}' contains {what}; a phone number may hold only digits, spaces, +, -, (, ), ., / and *; \
                 the number is left out",
                input = shown::value(input)
            ),
        ));
    }
    // The number starts at its first digit or `+`; a run of `+` there is one `+`.
    let start = input
        .find(|c: char| c.is_ascii_digit() || c == '+')
        .unwrap_or(input.len());
    let rest = &input[start..];
    let after_plus = rest.trim_start_matches('+');
    let plus = after_plus.len() < rest.len();
    if after_plus.contains('+') {
        return Err(invalid(input, "a '+' may only stand at the start"));
    }
    let mut digits = String::with_capacity(after_plus.len());
    after_plus
        .bytes()
        .filter(u8::is_ascii_digit)
        .for_each(|b| digits.push(char::from(b)));
    if digits.is_empty() {
        return Err(invalid(input, "it has no digits"));
    }
    let prefix = if plus {
        Prefix::International
    } else if digits.starts_with("00") {
        digits.drain(..2);
        Prefix::International
    } else if digits.starts_with('0') {
        Prefix::National
    } else {
        Prefix::Bare
    };
    Ok((prefix, digits))
}

/// Whether the value holds `(0)` (spaces inside allowed): the trunk zero some write after the
/// country code.
fn zero_in_parentheses(input: &str) -> bool {
    let mut compact = input
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '(' | ')'));
    let mut last = [' '; 3];
    compact.any(|c| {
        last = [last[1], last[2], c];
        last == ['(', '0', ')']
    })
}

/// Why a `(0)` did not help: said when the country of the number has no trunk 0 to drop.
fn kept_zero(digits: &str) -> String {
    match direct::country_code_without_trunk_zero(digits) {
        Some(cc) => format!(
            "; numbers of country code {cc} have no trunk 0, so the (0) was read as a digit of the number"
        ),
        None => String::new(),
        }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_digit()
        // The spaces libphonenumber reads: a plain and a no-break space (the ideographic
        // space is folded to a plain one first). A thin or narrow no-break space between
        // digit groups is refused as the library refuses it.
        || c == ' '
        || c == '\u{a0}'
        || matches!(
            c,
            '+' | '-' | '\u{2010}'
                ..='\u{2015}' // hyphens and dashes (‐ ‑ ‒ – — ―)
                | '\u{2212}' // minus sign
                | '(' | ')' | '[' | ']' | '.' | '/'
                | '*' // a separator to libphonenumber (`04*64734497`)
                | '\u{ad}' | '\u{200b}' | '\u{2060}' // soft hyphen, zero-width space, word joiner
        )
}

/// What spreadsheets and copying leave around a number, removed before it is read: the text
/// markers `'0612345678` and `="0612345678"`, full-width forms (`＋３１`), and a trailing
/// `,` `;` `.` or `+` where a list was cut off. libphonenumber reads
/// all of these as the number they hold; each removal is reported (`phone.artefact`).
mod artefacts {
    pub(super) struct Stripped {
        pub(super) text: String,
        marker: bool,
        wide: bool,
        trailing: bool,
    }

    impl Stripped {
        pub(super) fn what(&self) -> String {
            let mut parts = Vec::new();
            if self.marker {
                parts.push("a spreadsheet's text marker (' or =\"...\") removed");
            }
            if self.wide {
                parts.push("full-width characters read as their ASCII forms");
            }
            if self.trailing {
                parts.push("a trailing separator removed");
            }
            parts.join(", ")
        }
    }

    /// The value without its artefacts, or `None` when it has none (the common case, decided
    /// by looking at its first and last byte and at whether it is all ASCII).
    pub(super) fn strip(input: &str) -> Option<Stripped> {
        let bytes = input.as_bytes();
        let (first, last) = (*bytes.first()?, *bytes.last()?);
        let plain_ends = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'(' | b')' | b'+');
        if input.is_ascii() && plain_ends(first) && (last.is_ascii_digit() || last == b')') {
            return None;
        }
        let wide = input.chars().any(is_wide);
        let folded: String = if wide {
            input.chars().map(fold).collect()
        } else {
            input.to_string()
        };
        let mut text = folded.trim();
        let mut marker = false;
        if let Some(rest) = text.strip_prefix('=') {
            // `="0612345678"` and `=+31 6 ...`: a formula that yields the text.
            let rest = rest.trim_start();
            text = match rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(inner) => inner,
                None => rest,
            };
            marker = true;
        } else if let Some(rest) = text.strip_prefix(['\'', '\u{2018}', '\u{2019}']) {
            text = rest;
            marker = true;
        }
        let kept = text
            .trim_end_matches(|c: char| matches!(c, ',' | ';' | '.' | '+') || c.is_whitespace());
        // A value that is only separators is no number with a separator after it.
        let trailing =
            kept.len() < text.trim_end().len() && kept.bytes().any(|b| b.is_ascii_digit());
        if trailing {
            text = kept;
        }
        (marker || wide || trailing).then(|| Stripped {
            text: text.trim().to_string(),
            marker,
            wide,
            trailing,
        })
    }

    /// Full-width ASCII forms (U+FF01 to U+FF5E) and the ideographic space, as East Asian
    /// input methods type them.
    fn is_wide(c: char) -> bool {
        matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}')
    }

    /// A full-width form as its ASCII character (their compatibility decomposition, NFKC).
    fn fold(c: char) -> char {
        match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        }
    }
}

/// Reads digits that start with a country code.
fn read_international(digits: &str, how: Reading) -> Result<Phone, String> {
    if how == Reading::Direct {
        match direct::international(digits) {
            Some(direct::Built::Exact(number)) => return validated(&number, how),
            Some(direct::Built::IfValid(number)) => {
                if let Ok(phone) = validated(&number, how) {
                    return Ok(phone);
                }
            }
            None => {}
        }
    }
    let number = PHONE_NUMBER_UTIL
        .parse(format!("+{digits}"), None)
        .map_err(parse_reason)?;
    validated(&number, how)
}

/// Reads a national number (with its trunk prefix, usually 0) in `country`.
fn read_national(digits: &str, country: Country, how: Reading) -> Result<Phone, String> {
    let Some(region) = country.region().filter(|_| country.is_known()) else {
        return Err(format!(
            "the default country {country} is unknown to the phone metadata"
        ));
    };
    if how == Reading::Direct {
        match direct::national(digits, region) {
            Some(direct::Built::Exact(number)) => return validated(&number, how),
            Some(direct::Built::IfValid(number)) => {
                if let Ok(phone) = validated(&number, how) {
                    return Ok(phone);
                }
            }
            None => {}
        }
    }
    let number = PHONE_NUMBER_UTIL
        .parse(digits, Some(region))
        .map_err(parse_reason)?;
    validated(&number, how)
}

fn validated(number: &PhoneNumber, how: Reading) -> Result<Phone, String> {
    let cc = number.country_code;
    // Valid means a number type was found: libphonenumber's `is_valid` is exactly
    // `get_type() != Unknown`, so asking for the type alone saves a second metadata lookup.
    let kind = number.get_type();
    if kind == PhoneNumberType::Unknown {
        let region = number
            .get_region_code()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        return Err(match number.is_possible_with_reason() {
            Err(ValidationError::TooShort) => format!("too short for country code {cc}{region}"),
            Err(ValidationError::TooLong) => format!("too long for country code {cc}{region}"),
            Err(ValidationError::InvalidLength) => {
                format!("no number of country code {cc}{region} has this length")
            }
            Err(ValidationError::InvalidCountryCode) => format!("{cc} is not a country code"),
            Ok(_) => match length_verdict(number) {
                Some(ValidationError::TooShort) => {
                    format!("too short for a fixed or mobile number of country code {cc}{region}")
                }
                Some(ValidationError::TooLong) => {
                    format!("too long for a fixed or mobile number of country code {cc}{region}")
                }
                _ => format!("no valid number of country code {cc}{region} looks like this"),
            },
        });
    }
    let digits = e164_digits(number, how);
    if digits.is_empty() || digits.len() > MAX_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err("it cannot be written as E.164 digits".to_string());
    }
    let mobile = match kind {
        PhoneNumberType::Mobile => Some(true),
        PhoneNumberType::FixedLineOrMobile | PhoneNumberType::Unknown => None,
        _ => Some(false),
    };
    Ok(Phone::new(digits, mobile))
}

/// The E.164 form without its `+`. Without Italian leading zeros that is the country code
/// followed by the national number (extensions are not part of E.164), which is written here
/// rather than by the library's formatter.
fn e164_digits(number: &PhoneNumber, how: Reading) -> String {
    if how == Reading::Direct && number.italian_leading_zero != Some(true) {
        if let Ok(country_code) = u64::try_from(number.country_code) {
            let mut digits = String::with_capacity(MAX_DIGITS);
            push_decimal(&mut digits, country_code);
            push_decimal(&mut digits, number.national_number);
            return digits;
        }
    }
    let e164 = number.format_as(PhoneNumberFormat::E164);
    e164.strip_prefix('+').unwrap_or(&e164).to_string()
}

/// Appends `n` in decimal (what `write!` does, without the formatting machinery).
fn push_decimal(out: &mut String, mut n: u64) {
    let mut reversed = [0u8; 20]; // u64::MAX has 20 digits
    let mut len = 0;
    for slot in reversed.iter_mut() {
        *slot = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    reversed
        .iter()
        .take(len)
        .rev()
        .for_each(|&d| out.push(char::from(d)));
}

/// When the number is too short (or too long) for both fixed-line and mobile numbers, says so.
/// Short service numbers make most lengths "possible" for a country as a whole.
fn length_verdict(number: &PhoneNumber) -> Option<ValidationError> {
    let fixed = PHONE_NUMBER_UTIL
        .is_possible_number_for_type_with_reason(number, PhoneNumberType::FixedLine);
    let mobile =
        PHONE_NUMBER_UTIL.is_possible_number_for_type_with_reason(number, PhoneNumberType::Mobile);
    match (fixed, mobile) {
        (Err(a), Err(b)) if a == b => Some(a),
        _ => None,
    }
}

fn parse_reason(error: ParseError) -> String {
    match error {
        ParseError::InvalidCountryCode => "it does not start with a known country code".into(),
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => "it is too short".into(),
        ParseError::TooLongNsn => "it is too long".into(),
        ParseError::NotANumber(_) => "it is not a phone number".into(),
    }
}

/// Building a [`PhoneNumber`] from clean digits without the library's parser, which is most
/// of the cost of a phone number (regular expressions over the text, several allocations).
///
/// For digit strings the parser does four things: take the country code off (the shortest
/// leading 1 to 3 digits the metadata knows as one), strip a national prefix (the metadata's
/// `national_prefix_for_parsing`, a regular expression), note Italian leading zeros, and, for
/// a national number, recognise an international dialling prefix or the country's own code.
/// Here a number is built only where each of these is provably what the parser does: the
/// national prefix and dialling prefix patterns are plain digit strings (or absent) and are
/// compared as such, the national number has no leading zero, and the lengths are inside the
/// parser's limits. Anything else returns `None` and is parsed. Validity and type still come
/// from the metadata (`get_type`).
///
/// The library exports no accessor for a region's metadata; its public `AsOriginal` trait
/// leads to the utility behind `PHONE_NUMBER_UTIL`, whose methods are public. The tests pin
/// what is read here (`metadata_patterns_are_read`) and compare every path with the parser.
mod direct {
    use rlibphonenumber::{enums::Region, NumberLengthType, PhoneNumber, ValidationError};

    use super::{AsOriginal, PHONE_NUMBER_UTIL};

    /// The parser's limits on a national significant number.
    const NSN_LENGTHS: std::ops::RangeInclusive<usize> = 2..=17;

    /// How a number was built.
    pub(super) enum Built {
        /// Exactly what the parser reads.
        Exact(PhoneNumber),
        /// What the parser reads if the number is valid (a national prefix was stripped; the
        /// parser keeps it when the rest is not a possible number, the number then being
        /// invalid either way). An invalid one must be parsed.
        IfValid(PhoneNumber),
    }

    /// `+<digits>` as the parser reads it.
    pub(super) fn international(digits: &str) -> Option<Built> {
        if digits.len() <= 2 || digits.starts_with('0') || !all_digits(digits) {
            return None;
        }
        let (country_code, region, nsn, national_prefix) = country_code(digits)?;
        match literal_prefix(national_prefix, nsn)? {
            0 => number(country_code, nsn).map(Built::Exact),
            // A trunk prefix after the country code (`+31 06...`, `+31 (0)6...`): the parser
            // strips it with the country code's main region, as for a national number.
            stripped => stripped_if_possible(country_code, region, nsn.get(stripped..)?),
        }
    }

    /// The country code of `+<digits>` when its main region's numbers have no trunk `0`
    /// (`1`: North America's trunk prefix is `1`), so that a written `(0)` is a digit.
    pub(super) fn country_code_without_trunk_zero(digits: &str) -> Option<i32> {
        let (country_code, _, _, national_prefix) = country_code(digits)?;
        (literal_prefix(national_prefix, "0") == Some(0)).then_some(country_code)
    }

    /// The country code at the start of `+<digits>` (the shortest leading 1 to 3 digits the
    /// metadata knows as one), its main region, the digits after it, and that region's
    /// national prefix pattern, as the parser takes them.
    fn country_code(digits: &str) -> Option<(i32, Region, &str, Option<&'static str>)> {
        let (country_code, region, nsn) = (1..=3).find_map(|end| {
            let country_code: i32 = digits.get(..end)?.parse().ok()?;
            let region = PHONE_NUMBER_UTIL.get_region_for_country_code(country_code)?;
            Some((country_code, region, digits.get(end..)?))
        })?;
        let metadata = PHONE_NUMBER_UTIL
            .as_original()
            .get_metadata_for_region_or_calling_code(country_code, region)?;
        let national_prefix = metadata
            .national_prefix_for_parsing()
            .pattern_base
            .as_deref();
        Some((country_code, region, nsn, national_prefix))
    }

    /// A national number of `region`, written with or without its national prefix.
    pub(super) fn national(digits: &str, region: Region) -> Option<Built> {
        if digits.len() <= 2 || !all_digits(digits) {
            return None;
        }
        let metadata = PHONE_NUMBER_UTIL
            .as_original()
            .get_metadata_for_region(region)?;
        let idd = metadata.international_prefix().pattern_base.as_deref();
        if literal_prefix(idd, digits)? != 0 {
            return None;
        }
        let country_code = metadata.original.country_code();
        // A number that starts with the region's own country code is weighed both ways.
        let code_length = usize::try_from(country_code.checked_ilog10()? + 1).ok()?;
        if digits.get(..code_length)?.parse::<i32>().ok()? == country_code {
            return None;
        }
        let national_prefix = metadata
            .national_prefix_for_parsing()
            .pattern_base
            .as_deref();
        match literal_prefix(national_prefix, digits)? {
            0 => number(country_code, digits).map(Built::Exact),
            stripped => stripped_if_possible(country_code, region, digits.get(stripped..)?),
        }
    }

    /// The number left after the parser strips a national prefix in `region`, if the parser
    /// would keep it stripped.
    fn stripped_if_possible(country_code: i32, region: Region, nsn: &str) -> Option<Built> {
        let number = number(country_code, nsn)?;
        // The parser weighs the stripped number against this region's lengths;
        // `is_possible_with_reason` uses the country code's main region, and a valid
        // number matches the general pattern only of the one region it belongs to.
        let regions = PHONE_NUMBER_UTIL.get_regions_for_country_calling_code(country_code)?;
        if regions.len() != 1
            || PHONE_NUMBER_UTIL.get_region_for_country_code(country_code) != Some(region)
        {
            return None;
        }
        match number.is_possible_with_reason() {
            Ok(NumberLengthType::IsPossibleLocalOnly)
            | Err(ValidationError::TooShort | ValidationError::InvalidLength) => None,
            _ => Some(Built::IfValid(number)),
        }
    }

    /// The number with this country code and national significant number, if the parser
    /// would take the digits as they are (no leading zero, length within its limits).
    fn number(country_code: i32, nsn: &str) -> Option<PhoneNumber> {
        if !NSN_LENGTHS.contains(&nsn.len()) || nsn.starts_with('0') {
            return None;
        }
        Some(PhoneNumber {
            country_code,
            national_number: nsn.parse().ok()?,
            ..PhoneNumber::default()
        })
    }

    /// How many leading digits of `digits` a metadata pattern, anchored at the start as the
    /// parser anchors it, matches: 0 when the pattern is absent or matches nothing there.
    /// `None` when the pattern is more than alternatives of plain digit strings, which only
    /// the regular expression engine can answer.
    pub(super) fn literal_prefix(pattern: Option<&str>, digits: &str) -> Option<usize> {
        let Some(pattern) = pattern else {
            return Some(0);
        };
        let body = pattern.strip_prefix("^(?:")?.strip_suffix(")$")?;
        let mut matched = 0;
        for alternative in body.split('|') {
            if alternative.is_empty() || !all_digits(alternative) {
                return None;
            }
            // The regex engine prefers the first alternative that matches.
            if matched == 0 && digits.starts_with(alternative) {
                matched = alternative.len();
            }
        }
        Some(matched)
    }

    fn all_digits(s: &str) -> bool {
        s.bytes().all(|b| b.is_ascii_digit())
    }
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
