//! Dates: accept the usual export forms, write `yyyy-mm-dd`.
//!
//! Accepted: `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyy.mm.dd`, `dd-mm-yyyy`, `dd/mm/yyyy`,
//! `dd.mm.yyyy` (month first instead with [`DateOrder::Mdy`]), `yyyymmdd`, days and months of
//! one digit (`1-2-2024`), and any of these followed by a time (`2024-02-01 13:00:00`,
//! `2024-02-01T13:00`, seconds, fractions, `Z` or an offset allowed): the time is dropped.
//! Two-digit years are refused: `01-02-03` has too many readings.

use chrono::NaiveDate;

use crate::issue::Note;
use crate::rules::Outcome;
use crate::shown;

/// How to read `01/02/2024`: day first (the default) or month first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    Dmy,
    Mdy,
}

const FORMS: &str = "yyyy-mm-dd, dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy or yyyymmdd";
const FIRST_YEAR: u32 = 1900;
const LAST_YEAR: u32 = 2199;

/// Parses a date in one of the accepted forms.
pub fn parse_date(input: &str, order: DateOrder) -> Outcome<NaiveDate> {
    let (date_part, has_time) = match split_time(input) {
        Some(parts) => parts,
        None => return Outcome::invalid(unrecognized(input)),
    };
    let (y, m, d, day_month) = match fields(date_part.as_bytes(), order) {
        Ok(fields) => fields,
        Err(note) => return Outcome::invalid(note.unwrap_or_else(|| unrecognized(input))),
    };
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return Outcome::invalid(Note::error(
            "date.out_of_range",
            format!(
                "'{input}' has the year {y}, outside {FIRST_YEAR}-{LAST_YEAR}; check the source value",
                input = shown::value(input),
                y = shown::value(&y.to_string())
            ),
        ));
    }
    let hint = match (day_month, order) {
        (false, _) => "",
        (true, DateOrder::Dmy) => {
            "; the day is read first, so if the file writes the month first, set the date order to month-day-year"
        }
        (true, DateOrder::Mdy) => "; the month is read first, as the date order month-day-year says",
    };
    let date = match checked(input, y, m, d, hint) {
        Ok(date) => date,
        Err(note) => return Outcome::invalid(note),
    };
    // Already canonical: compare digits instead of formatting the date back (hot path).
    if is_canonical(input.as_bytes(), y, m, d) {
        return Outcome::ok(date);
    }
    // Not canonical, so written differently from `yyyy-mm-dd`.
    let how = if has_time {
        "time dropped and written as"
    } else {
        "written as"
    };
    Outcome::fixed(
        date,
        Note::fix_with("date.reformatted", || {
            format!(
                "'{input}' {how} {}",
                shown::value(&date.format("%Y-%m-%d").to_string()),
                input = shown::value(input)
            )
        }),
    )
}

/// Which date orders make a real date of a text written with the day and the month before the
/// year, for [`crate::rules::order`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fits {
    /// Only day first (`13/02/1980`).
    Only(DateOrder),
    /// Both, as two different dates (`03/04/1980`).
    Either,
}

/// Which orders make a real date of `input`, read as [`parse_date`] reads it (a time after the
/// date allowed). `None` when the order does not matter: a form with the year first or without
/// separators (`1980-02-13`, `19800213`), a day equal to the month (`05/05/1980`), or a value
/// that is no date in either order. The year's range is not checked: `02/13/2500` still shows
/// that its writer puts the month first.
pub fn fits(input: &str) -> Option<Fits> {
    let (date_part, _) = split_time(input)?;
    let (y, a, b, true) = fields(date_part.as_bytes(), DateOrder::Mdy).ok()? else {
        return None;
    };
    let real = |m: u32, d: u32| (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d);
    match (real(b, a), real(a, b)) {
        _ if a == b => None,
        (true, true) => Some(Fits::Either),
        (true, false) => Some(Fits::Only(DateOrder::Dmy)),
        (false, true) => Some(Fits::Only(DateOrder::Mdy)),
        (false, false) => None,
    }
}

/// True when `b` is exactly `yyyy-mm-dd` for this year, month and day.
fn is_canonical(b: &[u8], y: u32, m: u32, d: u32) -> bool {
    let digit = |i: usize| u32::from(b[i].wrapping_sub(b'0'));
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3) == y
        && digit(5) * 10 + digit(6) == m
        && digit(8) * 10 + digit(9) == d
}

fn unrecognized(input: &str) -> Note {
    Note::error(
        "date.invalid",
        format!(
            "'{input}' is not a date in a known form; write it as {FORMS}",
            input = shown::value(input)
        ),
    )
}

/// Splits `date[ T]time` into the date part and whether a time followed. `None` when what
/// follows the date is not a time.
fn split_time(input: &str) -> Option<(&str, bool)> {
    match input.find([' ', 'T']) {
        None => Some((input, false)),
        Some(at) => {
            let time = input.get(at + 1..)?.trim_start();
            is_time(time.as_bytes()).then(|| (&input[..at], true))
        }
    }
}

/// `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff`, optionally followed by `Z` or `±hh:mm`/`±hhmm`.
fn is_time(b: &[u8]) -> bool {
    let two = |i: usize, max: u8| -> bool {
        matches!((b.get(i), b.get(i + 1)), (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() && (x - b'0') * 10 + (y - b'0') <= max)
    };
    // One-digit hours appear in exports too (`1:05`).
    let (hour_end, hour_ok) = match b.get(1) {
        Some(b':') => (1, b.first().is_some_and(u8::is_ascii_digit)),
        _ => (2, two(0, 23)),
    };
    if !hour_ok || b.get(hour_end) != Some(&b':') || !two(hour_end + 1, 59) {
        return false;
    }
    let mut i = hour_end + 3;
    if b.get(i) == Some(&b':') {
        if !two(i + 1, 60) {
            return false;
        }
        i += 3;
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    match b.get(i..) {
        Some([]) | Some([b'Z']) => true,
        Some([b'+' | b'-', rest @ ..]) => {
            matches!(
                rest,
                [h1, h2] | [h1, h2, b':', _, _] | [h1, h2, _, _]
                    if h1.is_ascii_digit() && h2.is_ascii_digit()
            ) && rest.iter().all(|c| c.is_ascii_digit() || *c == b':')
        }
        _ => false,
    }
}

/// Reads year, month, day and whether day and month came before the year (so the date order
/// decided which is which). `Err(None)` means the form is not recognized; `Err(Some(note))` a
/// more precise complaint.
fn fields(b: &[u8], order: DateOrder) -> Result<(u32, u32, u32, bool), Option<Note>> {
    if let (8, Some(y), Some(m), Some(d)) = (b.len(), b.get(..4), b.get(4..6), b.get(6..)) {
        if b.iter().all(u8::is_ascii_digit) {
            return Ok((number(y), number(m), number(d), false));
        }
    }
    let sep = *b
        .iter()
        .find(|c| matches!(c, b'-' | b'/' | b'.'))
        .ok_or(None)?;
    let mut groups = b.split(|c| *c == sep);
    let (Some(g1), Some(g2), Some(g3), None) =
        (groups.next(), groups.next(), groups.next(), groups.next())
    else {
        return Err(None);
    };
    for g in [g1, g2, g3] {
        if g.is_empty() || g.len() > 4 || !g.iter().all(u8::is_ascii_digit) {
            return Err(None);
        }
    }
    let short = |g: &[u8]| g.len() <= 2;
    if g1.len() == 4 && short(g2) && short(g3) {
        return Ok((number(g1), number(g2), number(g3), false));
    }
    if short(g1) && short(g2) {
        if g3.len() == 4 {
            let (d, m) = match order {
                DateOrder::Dmy => (g1, g2),
                DateOrder::Mdy => (g2, g1),
            };
            return Ok((number(g3), number(m), number(d), true));
        }
        if g3.len() == 2 {
            let text = String::from_utf8_lossy(b);
            return Err(Some(Note::error(
                "date.two_digit_year",
                format!(
                    "'{text}' has a two-digit year, which can be read in more than one way; write the year in full ({FORMS})",
                    text = shown::value(&text)
                ),
            )));
        }
    }
    Err(None)
}

fn number(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

/// Builds the date, or says why it does not exist.
fn checked(input: &str, y: u32, m: u32, d: u32, hint: &str) -> Result<NaiveDate, Note> {
    if !(1..=12).contains(&m) {
        return Err(Note::error(
            "date.impossible",
            format!(
                "'{input}' is not a real date (there is no month {m}){hint}",
                input = shown::value(input)
            ),
        ));
    }
    if d == 0 {
        return Err(Note::error(
            "date.impossible",
            format!(
                "'{input}' is not a real date (there is no day 0){hint}",
                input = shown::value(input)
            ),
        ));
    }
    let days = days_in_month(y, m);
    if d > days {
        let month = MONTHS.get(m as usize - 1).copied().unwrap_or("that month");
        return Err(Note::error(
            "date.impossible",
            format!(
                "'{input}' is not a real date ({month_year} has {days} days){hint}",
                input = shown::value(input),
                month_year = shown::value(&format!("{month} {y}"))
            ),
        ));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        Note::error(
            "date.impossible",
            format!("'{input}' is not a real date", input = shown::value(input)),
        )
    })
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
#[path = "date_tests.rs"]
mod tests;
