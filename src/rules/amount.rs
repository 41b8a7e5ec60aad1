//! Amounts in cents and integer counts.
//!
//! The delivery holds amounts as whole minor units (cents for EUR). A column of minor units
//! ([`AmountUnit::Minor`], the default) must hold digits only. A column of major units
//! ([`AmountUnit::Major`]: `12,50`, `€ 1.234,56`, `EUR 12.50`) is converted exactly, with the
//! currency's own number of decimals, never through floating point.
//!
//! Reading major units:
//! - A currency sign (`€`, `£`, `$`, `¥`) or ISO code (`EUR`) may stand before or after the
//!   number; a code or sign that names another currency than the record's is refused.
//! - Thousands may be grouped with `.`, `,`, a space or `'`; groups after the first have three
//!   digits. The decimal separator is the last `.` or `,` when it appears once and differs from
//!   the grouping character.
//! - A single `.` or `,` followed by exactly three digits (`1.234`) can mean 1234 or 1.234. It is
//!   read as a thousands separator for currencies without decimals (JPY), as decimals when the
//!   number starts with `0` (`0.125`) or has more than three digits before it (`1234.567`), and
//!   is refused otherwise (`amount.ambiguous`).
//! - More decimals than the currency has (`12.345` EUR, `12,5` JPY) are refused, even zeros.
//!
//! Number cells in major units ([`number_major`]) are converted from their exact decimal value:
//! a number has no thousands separators, so `12.345` is twelve and a bit, and refused for having
//! more decimals than the currency.
//!
//! Which unit a column holds is decided per column (see [`crate::rules::units`]); [`text_shows`]
//! says what one text value tells about it.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::issue::Note;
use crate::model::Cents;
use crate::rules::codes::{currency_decimals, is_currency_code};
use crate::rules::Outcome;
use crate::shown;

/// What an amount column holds: integer minor units (the specification's cents, the default)
/// or decimal major units (`12,50`) to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmountUnit {
    #[default]
    Minor,
    Major,
}

/// What one amount value tells about the unit of its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shows {
    /// Nothing either way: zero (the same in both units), or not an amount at all.
    Nothing,
    /// A whole number without a currency (`4500`, `1.234.567`): cents, or whole euros.
    Whole,
    /// Decimals, a currency, or a separator that may be decimal (`45,00`, `€ 45`, `1.234`).
    Decimals,
}

/// What a text amount shows: the unit evidence of one value, before any unit is chosen.
pub(crate) fn text_shows(input: &str) -> Shows {
    let s = input.trim();
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return if digits.bytes().all(|b| b == b'0') {
            Shows::Nothing
        } else {
            Shows::Whole
        };
    }
    let Some((_, marker, number)) = strip_marks(s) else {
        return Shows::Nothing;
    };
    if marker.is_some_and(|m| !is_currency_code(&m.to_ascii_uppercase())) {
        return Shows::Nothing;
    }
    // `$` and `¥` name no currency code but are currency signs all the same.
    let signed = marker.is_some() || s.contains(['$', '¥']);
    match split_number(s, number, 2) {
        Ok((int, frac)) => {
            if int.bytes().chain(frac.bytes()).all(|b| b == b'0') {
                Shows::Nothing
            } else if signed || !frac.is_empty() {
                Shows::Decimals
            } else {
                Shows::Whole
            }
        }
        Err(note) if note.code == "amount.ambiguous" => Shows::Decimals,
        Err(_) => Shows::Nothing,
    }
}

/// Converts a number cell that holds major units (`45` or `12.5` euros) exactly to minor units.
/// `format` is the cell's number format when that is what showed major units (the fix is then
/// `amount.from_format`), `None` for a plain number read as major units by `--amounts major`.
pub(crate) fn number_major(x: f64, currency: Option<&str>, format: Option<&str>) -> Outcome<Cents> {
    let code = currency.unwrap_or(DEFAULT_CURRENCY);
    let decimals = currency_decimals(code).unwrap_or(2);
    // The shortest decimal that reads back as the same float: what the spreadsheet shows.
    let shown = format!("{x}");
    if !x.is_finite() {
        return Outcome::invalid(Note::error(
            "number.invalid",
            format!("the number {x} cannot be delivered"),
        ));
    }
    if x < 0.0 {
        return Outcome::invalid(negative(&shown));
    }
    let Ok(value) = Decimal::from_str_exact(&shown) else {
        return Outcome::invalid(too_large(&shown));
    };
    let places = value.normalize().scale();
    if places > decimals {
        let allowed = match decimals {
            0 => "no decimals".to_string(),
            1 => "at most 1 decimal".to_string(),
            n => format!("at most {n} decimals"),
        };
        return Outcome::invalid(Note::error(
            "amount.precision",
            format!(
                "the number {shown} has {places} decimals, but an amount in {code} has {allowed}: it is not a whole number of {code}'s smallest unit (and a number cell has no thousands separators, so it is not {} either); round it in the source",
                shown.replace('.', ""),
            ),
        ));
    }
    let scale = Decimal::from(10u64.pow(decimals));
    let Some(minor) = value.checked_mul(scale).and_then(|m| m.to_u64()) else {
        return Outcome::invalid(too_large(&shown));
    };
    let major = write_major(minor, decimals);
    match format {
        Some(format) => Outcome::fixed(
            Cents(minor),
            Note::fix_with("amount.from_format", || {
                format!(
                    "the cell's number format '{format}' shows decimals or a currency, so {shown} is an amount in major units: read as {major} {code}, {minor} in minor units"
                )
            }),
        ),
        None => Outcome::fixed(
            Cents(minor),
            Note::fix_with("amount.converted", || {
                format!("{shown} read as {major} {code}: {minor} in minor units")
            }),
        ),
    }
}

/// The currency assumed when a delivery names none.
const DEFAULT_CURRENCY: &str = "EUR";

/// Parses an amount. `currency` (ISO 4217, upper case) decides the number of decimals when
/// converting major units; `None` means the delivery gives none (EUR's 2 decimals are used).
pub fn parse_cents(input: &str, unit: AmountUnit, currency: Option<&str>) -> Outcome<Cents> {
    match unit {
        AmountUnit::Minor => parse_minor(input, currency),
        AmountUnit::Major => parse_major(input, currency),
    }
}

/// Parses a non-negative integer count or sequence number.
pub fn parse_count(input: &str) -> Outcome<u64> {
    match whole(input) {
        Ok(n) => reformatted(input, n, "integer.reformatted"),
        Err(Whole::Negative) => Outcome::invalid(Note::error(
            "integer.negative",
            format!(
                "'{input}' is negative; this field holds a whole number of 0 or more",
                input = shown::value(input)
            ),
        )),
        Err(Whole::Decimal) => Outcome::invalid(Note::error(
            "integer.decimal",
            format!(
                "'{input}' has decimals; this field holds a whole number",
                input = shown::value(input)
            ),
        )),
        Err(Whole::TooLarge) => Outcome::invalid(Note::error(
            "integer.too_large",
            format!(
                "'{input}' is too large (the largest is {})",
                u64::MAX,
                input = shown::value(input)
            ),
        )),
        Err(Whole::Invalid) => Outcome::invalid(Note::error(
            "integer.invalid",
            format!(
                "'{input}' is not a whole number; write digits only",
                input = shown::value(input)
            ),
        )),
    }
}

fn parse_minor(input: &str, currency: Option<&str>) -> Outcome<Cents> {
    let major_hint = || {
        match parse_major(input, currency).value {
        Some(cents) => format!(
            "; if the file gives amounts in major units ({input} = {cents} minor units), use `--amounts major`"
        ),
        None => String::new(),
    }
    };
    match whole(input) {
        Ok(n) => reformatted(input, n, "amount.reformatted").map(Cents),
        Err(Whole::Negative) => Outcome::invalid(negative(input)),
        Err(Whole::Decimal) => Outcome::invalid(Note::error(
            "amount.decimal",
            format!(
                "'{input}' has decimals, but this field holds whole cents (minor units, 1250 for 12.50){}",
                major_hint(),
                input = shown::value(input)
            ),
        )),
        Err(Whole::TooLarge) => Outcome::invalid(too_large(input)),
        Err(Whole::Invalid) => Outcome::invalid(Note::error(
            "amount.invalid",
            format!(
                "'{input}' is not a whole number of cents; write digits only{}",
                major_hint(),
                input = shown::value(input)
            ),
        )),
    }
}

/// Why a value is not a plain whole number.
enum Whole {
    Negative,
    Decimal,
    TooLarge,
    Invalid,
}

/// Digits with an optional leading `+`.
fn whole(input: &str) -> Result<u64, Whole> {
    let (negative, body) = match input.as_bytes().first() {
        Some(b'+') => (false, &input[1..]),
        Some(b'-') => (true, &input[1..]),
        _ => (false, input),
    };
    let has_digit = body.bytes().any(|b| b.is_ascii_digit());
    if has_digit && body.bytes().all(|b| b.is_ascii_digit()) {
        if negative {
            return Err(Whole::Negative);
        }
        return body.parse::<u64>().map_err(|_| Whole::TooLarge);
    }
    if has_digit
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(if negative {
            Whole::Negative
        } else {
            Whole::Decimal
        });
    }
    Err(Whole::Invalid)
}

/// A fix when the number was written with a `+` or leading zeros.
fn reformatted(input: &str, n: u64, code: &'static str) -> Outcome<u64> {
    let written = n.to_string();
    if written == input {
        Outcome::ok(n)
    } else {
        Outcome::fixed(
            n,
            Note::fix_with(code, || format!("'{input}' written as {written}")),
        )
    }
}

fn negative(input: &str) -> Note {
    Note::error(
        "amount.negative",
        format!(
            "'{input}' is negative; amounts must be 0 or more (send credit notes separately)",
            input = shown::value(input)
        ),
    )
}

fn too_large(input: &str) -> Note {
    Note::error(
        "amount.too_large",
        format!(
            "'{input}' is too large to deliver; check the source value",
            input = shown::value(input)
        ),
    )
}

fn invalid_major(input: &str, why: &str) -> Note {
    Note::error(
        "amount.invalid",
        format!(
            "'{input}' is not an amount: {why}; write it as 1234,56 or 1234.56",
            input = shown::value(input)
        ),
    )
}

fn parse_major(input: &str, currency: Option<&str>) -> Outcome<Cents> {
    let code = currency.unwrap_or(DEFAULT_CURRENCY);
    let decimals = currency_decimals(code).unwrap_or(2);
    let (negative_sign, marker, number) = match strip_marks(input) {
        Some(parts) => parts,
        None => {
            return Outcome::invalid(invalid_major(
                input,
                "it has more than one sign or currency",
            ))
        }
    };
    let (int, frac) = match split_number(input, number, decimals) {
        Ok(parts) => parts,
        Err(note) => return Outcome::invalid(note),
    };
    if let Some(marker) = marker {
        if !is_currency_code(&marker.to_ascii_uppercase()) {
            return Outcome::invalid(invalid_major(
                input,
                &format!("'{marker}' is not an ISO 4217 currency code"),
            ));
        }
        if !marker.eq_ignore_ascii_case(code) {
            return Outcome::invalid(Note::error(
                "amount.currency_mismatch",
                format!(
                    "'{input}' is an amount in {}, but the record's currency is {code}; convert it or set the currency",
                    marker.to_ascii_uppercase()
                ),
            ));
        }
    }
    if negative_sign {
        return Outcome::invalid(negative(input));
    }
    if frac.len() > decimals as usize {
        let allowed = match decimals {
            0 => format!("{code} has no decimals"),
            1 => format!("{code} has 1 decimal"),
            n => format!("{code} has {n} decimals"),
        };
        return Outcome::invalid(Note::error(
            "amount.precision",
            format!(
                "'{input}' has {} decimals, but {allowed}; round it in the source",
                frac.len(),
                input = shown::value(input)
            ),
        ));
    }
    let Some(minor) = to_minor(&int, &frac, decimals) else {
        return Outcome::invalid(too_large(input));
    };
    Outcome::fixed(
        Cents(minor),
        Note::fix_with("amount.converted", || {
            let major = write_major(minor, decimals);
            format!("'{input}' read as {major} {code}: {minor} in minor units")
        }),
    )
}

/// Splits off a leading sign and a currency sign or code at either end. Returns the sign, the
/// ISO code the marker names (if it names one) and the bare number.
fn strip_marks(input: &str) -> Option<(bool, Option<&str>, &str)> {
    let mut s = input.trim();
    let mut negative = false;
    let mut signs = 0;
    let mut marker: Option<&str> = None;
    let mut markers = 0;
    loop {
        if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('+')) {
            negative |= s.starts_with('-');
            signs += 1;
            s = rest.trim_start();
        } else if let Some((code, rest)) = leading_marker(s) {
            marker = code.or(marker);
            markers += 1;
            s = rest.trim_start();
        } else if let Some((code, rest)) = trailing_marker(s) {
            marker = code.or(marker);
            markers += 1;
            s = rest.trim_end();
        } else {
            break;
        }
    }
    (signs <= 1 && markers <= 1).then_some((negative, marker, s))
}

fn leading_marker(s: &str) -> Option<(Option<&str>, &str)> {
    let c = s.chars().next()?;
    if let Some(code) = symbol_code(c) {
        return Some((code, &s[c.len_utf8()..]));
    }
    let head = s.get(..3)?;
    let next = s.get(3..)?;
    (head.bytes().all(|b| b.is_ascii_alphabetic())
        && !next.starts_with(|c: char| c.is_alphabetic()))
    .then_some((Some(head), next))
}

fn trailing_marker(s: &str) -> Option<(Option<&str>, &str)> {
    let c = s.chars().next_back()?;
    if let Some(code) = symbol_code(c) {
        return Some((code, &s[..s.len() - c.len_utf8()]));
    }
    let at = s.len().checked_sub(3)?;
    let tail = s.get(at..)?;
    let before = s.get(..at)?;
    (tail.bytes().all(|b| b.is_ascii_alphabetic())
        && !before.ends_with(|c: char| c.is_alphabetic()))
    .then_some((Some(tail), before))
}

/// The currency a sign names; `$` and `¥` stand for several currencies and name none.
fn symbol_code(c: char) -> Option<Option<&'static str>> {
    match c {
        '€' => Some(Some("EUR")),
        '£' => Some(Some("GBP")),
        '$' | '¥' => Some(None),
        _ => None,
    }
}

/// Splits a number into its integer digits and decimal digits, deciding which separator is
/// the decimal one.
fn split_number(input: &str, number: &str, decimals: u32) -> Result<(String, String), Note> {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = 0;
    for (i, c) in number.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'') {
            return Err(invalid_major(input, &format!("it contains '{c}'")));
        }
        let group = &number[start..i];
        if group.is_empty() {
            return Err(invalid_major(input, "a separator is not between digits"));
        }
        groups.push(group);
        seps.push(c);
        start = i + c.len_utf8();
    }
    let last_group = &number[start..];
    if last_group.is_empty() {
        let why = if number.is_empty() {
            "it has no digits"
        } else {
            "a separator is not between digits"
        };
        return Err(invalid_major(input, why));
    }
    groups.push(last_group);

    let decimal_sep = match seps.last() {
        Some(&last)
            if matches!(last, '.' | ',') && seps.iter().filter(|s| **s == last).count() == 1 =>
        {
            let first = groups.first().copied().unwrap_or("");
            let ambiguous = seps.len() == 1
                && last_group.len() == 3
                && first.len() <= 3
                && !first.starts_with('0');
            match (ambiguous, decimals) {
                (false, _) => Some(last),
                (true, 0) => None,
                (true, _) => {
                    return Err(Note::error(
                        "amount.ambiguous",
                        format!(
                            "'{input}' can be read as {first}{last_group} or as {first}.{last_group}; \
                             write it without thousands separators ({first}{last_group}) or with decimals ({first}{last}{last_group}{}00)",
                            if last == ',' { '.' } else { ',' }
                        ),
                    ))
                }
            }
        }
        _ => None,
    };
    let (int_groups, frac) = match decimal_sep {
        Some(_) => (&groups[..groups.len() - 1], last_group),
        None => (&groups[..], ""),
    };
    let thousands: Vec<char> = match decimal_sep {
        Some(_) => seps[..seps.len() - 1].to_vec(),
        None => seps.clone(),
    };
    if let Some(first_sep) = thousands.first() {
        let uniform = thousands.iter().all(|s| s == first_sep);
        let sized = int_groups.first().is_some_and(|g| g.len() <= 3)
            && int_groups.iter().skip(1).all(|g| g.len() == 3);
        if !uniform || !sized || Some(*first_sep) == decimal_sep {
            return Err(invalid_major(
                input,
                "its thousands separators are not placed every three digits",
            ));
        }
    }
    Ok((int_groups.concat(), frac.to_string()))
}

/// Exact conversion to minor units with rust_decimal. `None` when it does not fit.
fn to_minor(int: &str, frac: &str, decimals: u32) -> Option<u64> {
    let text = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    let value = Decimal::from_str_exact(&text).ok()?;
    let scale = Decimal::from(10u64.checked_pow(decimals)?);
    let minor = value.checked_mul(scale)?;
    if !minor.fract().is_zero() {
        return None;
    }
    minor.to_u64()
}

/// `1250` with 2 decimals → `12.50`.
fn write_major(minor: u64, decimals: u32) -> String {
    let Some(scale) = 10u64.checked_pow(decimals).filter(|s| *s > 1) else {
        return minor.to_string();
    };
    format!(
        "{}.{:0width$}",
        minor / scale,
        minor % scale,
        width = decimals as usize
    )
}

#[cfg(test)]
#[path = "amount_tests.rs"]
mod tests;
