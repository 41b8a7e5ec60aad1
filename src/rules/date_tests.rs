use super::*;
use crate::issue::Severity;

fn dmy(input: &str) -> Outcome<NaiveDate> {
    parse_date(input, DateOrder::Dmy)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn codes<T>(o: &Outcome<T>) -> Vec<&'static str> {
    o.notes.iter().map(|n| n.code).collect()
}

#[test]
fn iso_date_passes_unchanged() {
    let o = dmy("2024-02-01");
    assert_eq!(o.value, ymd(2024, 2, 1));
    assert!(o.notes.is_empty());
    assert_eq!(dmy("2024-02-29").value, ymd(2024, 2, 29));
}

#[test]
fn other_forms_are_reformatted() {
    for input in [
        "01-02-2024",
        "01/02/2024",
        "01.02.2024",
        "1-2-2024",
        "20240201",
        "2024/02/01",
        "2024/2/1",
        "2024-02-01 00:00:00",
        "2024-02-01T13:00:00",
        "2024-02-01T13:00",
        "2024-02-01T13:00:00.123Z",
        "2024-02-01T13:00:00+01:00",
        "01-02-2024 9:30",
    ] {
        let o = dmy(input);
        assert_eq!(o.value, ymd(2024, 2, 1), "{input}");
        assert_eq!(codes(&o), ["date.reformatted"], "{input}");
        assert_eq!(o.notes[0].severity, Severity::Fix);
    }
    assert!(dmy("2024-02-01 13:00").notes[0]
        .message
        .contains("time dropped"));
}

#[test]
fn month_first_order() {
    let o = parse_date("02/01/2024", DateOrder::Mdy);
    assert_eq!(o.value, ymd(2024, 2, 1));
    assert_eq!(dmy("02/01/2024").value, ymd(2024, 1, 2));
    // Year-first dates are never reordered.
    assert_eq!(
        parse_date("2024-02-01", DateOrder::Mdy).value,
        ymd(2024, 2, 1)
    );
}

#[test]
fn impossible_dates_say_why() {
    let o = dmy("2021-02-30");
    assert_eq!(o.value, None);
    assert_eq!(codes(&o), ["date.impossible"]);
    assert_eq!(o.notes[0].severity, Severity::Error);
    assert_eq!(
        o.notes[0].message,
        "'2021-02-30' is not a real date (February 2021 has 28 days)"
    );
    assert!(dmy("2024-13-01").notes[0].message.contains("no month 13"));
    assert!(dmy("00-01-2024").notes[0].message.contains("no day 0"));
    let o = dmy("12/31/2024");
    assert_eq!(codes(&o), ["date.impossible"]);
    assert!(
        o.notes[0].message.contains("month-day-year"),
        "{}",
        o.notes[0].message
    );
    assert_eq!(codes(&dmy("20230229")), ["date.impossible"]);
}

#[test]
fn two_digit_years_are_refused() {
    let o = dmy("01-02-24");
    assert_eq!(o.value, None);
    assert_eq!(codes(&o), ["date.two_digit_year"]);
}

#[test]
fn years_out_of_range() {
    for input in ["1899-12-31", "2200-01-01", "00000101"] {
        assert_eq!(codes(&dmy(input)), ["date.out_of_range"], "{input}");
    }
    assert_eq!(dmy("1900-01-01").value, ymd(1900, 1, 1));
    assert_eq!(dmy("2199-12-31").value, ymd(2199, 12, 31));
}

#[test]
fn unrecognized_forms() {
    for input in [
        "yesterday",
        "2024-02",
        "2024-02-01-01",
        "2024-02/01",
        "1 februari 2024",
        "45321",
        "2024-02-01 noon",
        "2024-02-01T25:00",
        "2024-02-01 13:00+1",
        "12345-01-01",
        "2024--01",
        "٢٠٢٤-٠٢-٠١",
    ] {
        let o = dmy(input);
        assert_eq!(o.value, None, "{input}");
        assert_eq!(codes(&o), ["date.invalid"], "{input}");
    }
    assert!(dmy("soon").notes[0].message.contains("yyyy-mm-dd"));
}
