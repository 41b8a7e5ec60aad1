//! Spreadsheet cell values (calamine's `Data`/`DataRef`) as our [`Cell`]s, and column letters.
//!
//! The reader reports what the cell holds and nothing more; the pipeline decides what a value
//! means for the field it lands in. Two things are settled here because only the reader knows
//! them: number cells are cleaned of binary float artefacts (a cell shown as `7` holds `7`),
//! and date serials are turned into calendar dates with the workbook's date system.

use calamine::{Data, DataRef, ExcelDateTime};
use chrono::{NaiveDate, NaiveTime};

use crate::source::Cell;

/// Excel shows at most 15 significant digits; the 16th and 17th are binary noise.
const SIGNIFICANT_DIGITS: usize = 15;

/// The first serial of the 1900 date system that means one date only: serials 1 to 60 are
/// shifted by Excel's fictitious 1900-02-29 (serial 60), so other programs read them a day off.
pub(crate) const FIRST_UNAMBIGUOUS_SERIAL: f64 = 61.0;

/// The serial of 10000-01-01, the first day Excel cannot show.
const SERIAL_LIMIT: f64 = 2_958_466.0;

/// Maps an owned calamine value (ODS, XLS and other whole-range readers).
pub(crate) fn from_data(data: &Data, is_1904: bool) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(x) => number(*x),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => serial_date(dt, is_1904),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Text(iso_duration(s)),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Maps a borrowed calamine value (the streaming XLSX/XLSB cell readers).
pub(crate) fn from_data_ref(data: &DataRef<'_>, is_1904: bool) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(x) => number(*x),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => serial_date(dt, is_1904),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Cell::Text(iso_duration(s)),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A number cell whose number format shows decimals or a currency (`format`, see
/// [`super::formats`]) as [`Cell::Formatted`]; anything else as it is.
pub(crate) fn formatted(cell: Cell, format: Option<&std::sync::Arc<str>>) -> Cell {
    let Some(format) = format else { return cell };
    let number = match cell {
        Cell::Int(i) => i as f64,
        Cell::Float(x) => x,
        other => return other,
    };
    Cell::Formatted {
        number,
        format: std::sync::Arc::clone(format),
    }
}

/// The error values a spreadsheet shows, Excel's and LibreOffice's (`Err:502`).
const ERROR_TEXTS: [&str; 8] = [
    "#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#DATA!",
];

/// ODS error cells reach us as their text (calamine keeps the text LibreOffice stores and
/// drops the error flag): a text cell that is exactly a spreadsheet error value is taken for
/// the error it shows.
pub(crate) fn error_text(cell: Cell) -> Cell {
    match cell {
        Cell::Text(s)
            if ERROR_TEXTS.contains(&s.as_str())
                || s.strip_prefix("Err:")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Cell::Error(s)
        }
        other => other,
    }
}

/// A number cell as the user sees it: rounded to the 15 significant digits a spreadsheet
/// shows, then an [`Cell::Int`] when that is a whole number within `i64`, else a
/// [`Cell::Float`]. So `7.0000000000000009` is `7`, `0.30000000000000004` is `0.3` and the
/// phone `31612345678` stays a whole number.
pub(crate) fn number(x: f64) -> Cell {
    if !x.is_finite() {
        return Cell::Float(x);
    }
    let shown = round_significant(x);
    // 2^63 is exactly representable; anything at or above it does not fit an i64.
    const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if shown.fract() == 0.0 && shown.abs() < I64_LIMIT {
        Cell::Int(shown as i64)
    } else {
        Cell::Float(shown)
    }
}

fn round_significant(x: f64) -> f64 {
    // `{:.14e}` keeps 15 significant digits, correctly rounded; reading it back cannot fail
    // for a finite number, but fall back to the raw value rather than trust that.
    format!("{:.*e}", SIGNIFICANT_DIGITS - 1, x)
        .parse()
        .unwrap_or(x)
}

/// A date or date-time serial in the workbook's date system.
fn serial_date(dt: &ExcelDateTime, is_1904: bool) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() {
        return Cell::Text(clock(serial));
    }
    if !(0.0..SERIAL_LIMIT).contains(&serial) {
        return Cell::Error(format!(
            "date serial {serial} is outside the dates a spreadsheet can show"
        ));
    }
    if serial < 1.0 {
        // A time of day without a date.
        return Cell::Text(clock(serial));
    }
    if !is_1904 && serial < FIRST_UNAMBIGUOUS_SERIAL {
        return Cell::Error(format!(
            "date serial {serial} falls before 1900-03-01, where Excel's fictitious 1900-02-29 \
             makes dates ambiguous; type the date as text (yyyy-mm-dd)"
        ));
    }
    let epoch = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        // Day 61 is 1900-03-01: counting from 1899-12-30 skips the fictitious leap day.
        NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    let Some(epoch) = epoch else {
        return Cell::Error(format!("date serial {serial} cannot be read"));
    };
    // Round to the millisecond, as spreadsheets store times.
    let total_ms = (serial * 86_400_000.0).round() as i64;
    let days = total_ms.div_euclid(86_400_000);
    let ms = total_ms.rem_euclid(86_400_000);
    let Some(date) = epoch.checked_add_signed(chrono::Duration::days(days)) else {
        return Cell::Error(format!("date serial {serial} cannot be read"));
    };
    if ms == 0 {
        return Cell::Date(date);
    }
    let secs = (ms / 1000) as u32;
    match NaiveTime::from_num_seconds_from_midnight_opt(secs, ((ms % 1000) * 1_000_000) as u32) {
        Some(time) => Cell::DateTime(date.and_time(time)),
        None => Cell::Date(date),
    }
}

/// A fraction of a day as `hh:mm:ss` (hours may exceed 24 for durations).
fn clock(days: f64) -> String {
    let secs = (days * 86_400.0).round().max(0.0) as u64;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// An ISO 8601 date or date-time (OpenDocument date cells).
fn iso_date(s: &str) -> Cell {
    let t = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Cell::Date(d);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            if dt.time() == NaiveTime::MIN {
                return Cell::Date(dt.date());
            }
            return Cell::DateTime(dt);
        }
    }
    Cell::Text(s.to_string())
}

/// An ISO 8601 duration such as `PT12H30M00S` (OpenDocument time cells) as `12:30:00`;
/// anything else is passed on as written.
fn iso_duration(s: &str) -> String {
    let Some(rest) = s.trim().strip_prefix("PT") else {
        return s.to_string();
    };
    let (mut h, mut m, mut sec) = (0f64, 0f64, 0f64);
    let mut num = String::new();
    for ch in rest.chars() {
        match ch {
            '0'..='9' | '.' => num.push(ch),
            'H' | 'M' | 'S' => {
                let Ok(v) = num.parse::<f64>() else {
                    return s.to_string();
                };
                match ch {
                    'H' => h = v,
                    'M' => m = v,
                    _ => sec = v,
                }
                num.clear();
            }
            _ => return s.to_string(),
        }
    }
    clock((h * 3600.0 + m * 60.0 + sec) / 86_400.0)
}

/// The spreadsheet column name of a 0-based column index (`0` is `A`, `16383` is `XFD`).
pub(crate) fn column_letters(col: u64) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};

    fn date(serial: f64, is_1904: bool) -> Cell {
        serial_date(
            &ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904),
            is_1904,
        )
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn numbers_lose_float_artefacts_and_never_go_scientific() {
        assert_eq!(number(7.000_000_000_000_001), Cell::Int(7));
        assert_eq!(number(31_612_345_678.0), Cell::Int(31_612_345_678));
        assert_eq!(number(612_345_678.0), Cell::Int(612_345_678));
        assert_eq!(number(0.1 + 0.2), Cell::Float(0.3));
        assert_eq!(number(12.5), Cell::Float(12.5));
        assert_eq!(number(-3.0), Cell::Int(-3));
        assert_eq!(number(1e300), Cell::Float(1e300));
        assert!(matches!(number(f64::NAN), Cell::Float(_)));
    }

    #[test]
    fn dates_in_the_1900_system() {
        assert_eq!(date(45_306.0, false), Cell::Date(ymd(2024, 1, 15)));
        assert_eq!(date(61.0, false), Cell::Date(ymd(1900, 3, 1)));
        assert_eq!(
            date(45_306.5, false),
            Cell::DateTime(ymd(2024, 1, 15).and_hms_opt(12, 0, 0).unwrap())
        );
    }

    #[test]
    fn serials_below_61_are_refused_in_the_1900_system_only() {
        let Cell::Error(msg) = date(60.0, false) else {
            panic!("serial 60 must be refused")
        };
        assert!(msg.contains("1900-02-29"), "{msg}");
        assert!(matches!(date(1.0, false), Cell::Error(_)));
        // 1904 system: serial 0 is 1904-01-01 and nothing is ambiguous.
        assert_eq!(date(60.0, true), Cell::Date(ymd(1904, 3, 1)));
        assert_eq!(date(43_844.0, true), Cell::Date(ymd(2024, 1, 15)));
    }

    #[test]
    fn times_and_out_of_range_serials() {
        assert_eq!(date(0.5, false), Cell::Text("12:00:00".into()));
        assert!(matches!(date(-1.0, false), Cell::Error(_)));
        assert!(matches!(date(3e6, false), Cell::Error(_)));
        let d = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(serial_date(&d, false), Cell::Text("36:00:00".into()));
    }

    #[test]
    fn opendocument_values() {
        assert_eq!(
            from_data(&Data::DateTimeIso("2024-01-15".into()), false),
            Cell::Date(ymd(2024, 1, 15))
        );
        assert_eq!(
            from_data(&Data::DateTimeIso("2024-01-15T00:00:00".into()), false),
            Cell::Date(ymd(2024, 1, 15))
        );
        assert_eq!(
            from_data(&Data::DateTimeIso("2024-01-15T08:30:00".into()), false),
            Cell::DateTime(ymd(2024, 1, 15).and_hms_opt(8, 30, 0).unwrap())
        );
        assert_eq!(
            from_data(&Data::DurationIso("PT12H30M00S".into()), false),
            Cell::Text("12:30:00".into())
        );
        assert_eq!(
            from_data(&Data::DateTimeIso("soon".into()), false),
            Cell::Text("soon".into())
        );
    }

    #[test]
    fn ods_error_texts_are_errors() {
        assert_eq!(
            error_text(Cell::Text("#N/A".into())),
            Cell::Error("#N/A".into())
        );
        assert_eq!(
            error_text(Cell::Text("Err:502".into())),
            Cell::Error("Err:502".into())
        );
        assert_eq!(
            error_text(Cell::Text("Err:".into())),
            Cell::Text("Err:".into())
        );
        assert_eq!(error_text(Cell::Text("#1".into())), Cell::Text("#1".into()));
    }

    #[test]
    fn errors_bools_and_text() {
        assert_eq!(
            from_data(&Data::Error(CellErrorType::NA), false),
            Cell::Error("#N/A".into())
        );
        assert_eq!(
            from_data_ref(&DataRef::Error(CellErrorType::Ref), false),
            Cell::Error("#REF!".into())
        );
        assert_eq!(from_data(&Data::Bool(true), false), Cell::Bool(true));
        assert_eq!(
            from_data_ref(&DataRef::SharedString("x"), false),
            Cell::Text("x".into())
        );
        assert_eq!(from_data(&Data::Empty, false), Cell::Empty);
    }

    #[test]
    fn column_letters_match_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }
}
