//! Checking result values against their field's format, and reading times and amounts.

use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime};
use rust_decimal::Decimal;

use super::warnings::Warnings;

/// Checks a value against its field's format; a bad value is a warning, the value is kept.
pub(crate) fn check_value(
    shown: &str,
    line: u64,
    column: &str,
    field: &str,
    value: &str,
    warnings: &mut Warnings,
) {
    if value.is_empty() {
        return;
    }
    let problem = match field {
        "TIME" | "LAST_VERIFIED" | "DATE_OF_SIGNATURE" => match time_kind(value) {
            TimeKind::WithOffset => None,
            TimeKind::NoOffset => Some((
                "results.time_without_offset",
                "has no UTC offset; read as UTC".to_string(),
            )),
            TimeKind::Bad => Some((
                "results.bad_time",
                "is not an ISO 8601 date and time such as 2014-02-12T15:19:21+00:00".to_string(),
            )),
        },
        "ATTEMPTS" | "DURATION" | "CHOSEN_TERMS" | "TRANSACTION_AMOUNT" | "QUALITY" => {
            (value.parse::<u64>().is_err()).then(|| {
                (
                    "results.bad_number",
                    "is not a whole number; left out of the totals".to_string(),
                )
            })
        }
        "VOICEMAIL" => (value != "0" && value != "1")
            .then(|| ("results.bad_flag", "is not 0 or 1".to_string())),
        "DIRECTION" => (!value.eq_ignore_ascii_case("inbound")
            && !value.eq_ignore_ascii_case("outbound"))
        .then(|| {
            (
                "results.bad_direction",
                "is neither inbound nor outbound".to_string(),
            )
        }),
        _ => None,
    };
    if let Some((code, what)) = problem {
        warnings.push(
            shown,
            Some(line),
            code,
            format!("{column} '{value}' {what}"),
        );
    }
}

enum TimeKind {
    WithOffset,
    NoOffset,
    Bad,
}

fn time_kind(value: &str) -> TimeKind {
    if DateTime::parse_from_rfc3339(value).is_ok() {
        TimeKind::WithOffset
    } else if naive(value).is_some() {
        TimeKind::NoOffset
    } else {
        TimeKind::Bad
    }
}

fn naive(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S"))
        .ok()
}

/// An ISO 8601 time as seconds since 1970 (UTC); a time without offset is read as UTC.
pub(crate) fn parse_time(value: &str) -> Option<i64> {
    let v = value.trim();
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.timestamp())
        .ok()
        .or_else(|| naive(v).map(|t| t.and_utc().timestamp()))
}

/// A PayLink file amount such as `49.66` (or `49,66`).
pub(crate) fn parse_amount(raw: &str) -> Option<Decimal> {
    let t = raw.trim();
    let t = if t.contains('.') {
        t.to_string()
    } else {
        t.replace(',', ".")
    };
    Decimal::from_str(&t).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("1970-01-01T00:01:00+00:00"), Some(60));
        assert_eq!(parse_time("1970-01-01T01:01:00+01:00"), Some(60));
        assert_eq!(parse_time("1970-01-01 00:01:00"), Some(60));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("49.66"), Decimal::from_str("49.66").ok());
        assert_eq!(parse_amount("49,66"), Decimal::from_str("49.66").ok());
        assert_eq!(parse_amount("about 50"), None);
    }
}
