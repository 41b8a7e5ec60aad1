//! End-to-end: the order of each date column, judged from its text dates (fixtures/dates, made
//! by scripts/make-date-order-fixtures.py).

use crate::harness::{convert, delivery, nothing_written, Scratch};
use serde_json::Value;

fn issues<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == code)
        .collect()
}

/// The delivered (birthday, due date) of each record of us-export.csv, in order.
fn us_dates(delivered: &str) -> Vec<(String, String)> {
    let mut lines = delivered.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| *h == format!("\"{name}\""))
            .unwrap()
    };
    let (birthday, due) = (at("PERSON_BIRTHDAY"), at("INVOICE_DUEDATE"));
    lines
        .map(|l| {
            let v: Vec<&str> = l.split(';').map(|x| x.trim_matches('"')).collect();
            (v[birthday].to_string(), v[due].to_string())
        })
        .collect()
}

#[test]
fn a_us_export_is_refused_until_the_order_is_given() {
    let s = Scratch::new();
    s.fixture("dates/us-export.csv");
    let (code, err, report) = convert(&s, "us-export.csv", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(report.is_none());
    for part in [
        "us-export.csv: date column 'PERSON_BIRTHDAY' writes the month first",
        "row 5: '03/25/1962' is a date only when read month first",
        "dates such as row 2: '02/01/1980' would be delivered as wrong dates",
        "nothing is delivered",
        "--date-order mdy",
        "--date-order dmy",
        "(the same holds for date column 'INVOICE_DUEDATE')",
    ] {
        assert!(err.contains(part), "no {part:?} in {err}");
    }
    assert!(!s.exists("out"), "the out dir was created");
    nothing_written(&s);
    let out = s
        .cmd()
        .args(["validate", "us-export.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Month first, as the file writes them: every date as the US reader meant it.
    let (code, err, _) = convert(&s, "us-export.csv", &["--date-order", "mdy"]);
    assert_eq!(code, 0, "{err}");
    let expected = [
        ("1980-02-01", "2027-03-04"),
        ("1975-12-05", "2027-01-15"),
        ("1990-07-04", "2027-06-01"),
        ("1962-03-25", "2027-02-10"),
        ("2001-11-09", "2027-12-31"),
        ("1958-05-05", "2027-04-02"),
    ]
    .map(|(b, d)| (b.to_string(), d.to_string()));
    assert_eq!(us_dates(&delivery(&s).expect("one delivery")), expected);

    // The order said in the configuration file holds the same.
    s.write("cm.toml", "date_order = \"mdy\"\n");
    let (code, err, _) = convert(&s, "us-export.csv", &["--config", "cm.toml"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(us_dates(&delivery(&s).expect("one delivery")), expected);

    // Day first, said explicitly: read that way, and what is no date that way is refused on
    // its own row, as before.
    let (code, err, report) = convert(&s, "us-export.csv", &["--date-order", "dmy"]);
    assert_eq!(code, 1, "{err}");
    let report = report.unwrap();
    let refused: Vec<(u64, &str)> = issues(&report, "date.impossible")
        .iter()
        .map(|i| (i["row"].as_u64().unwrap(), i["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        refused,
        [
            (3, "INVOICE_DUEDATE"),
            (5, "PERSON_BIRTHDAY"),
            (6, "INVOICE_DUEDATE")
        ]
    );
    let delivered = delivery(&s).expect("one delivery");
    assert!(
        delivered.contains("\"U-1001\";\"Miller\";\"John\";\"1980-01-02\""),
        "{delivered}"
    );
}

#[test]
fn date_cells_are_no_evidence_and_text_dates_are() {
    let s = Scratch::new();
    s.fixture("dates/text-and-cells.xlsx");
    // Birthdays are date cells shown month first (02/13/1980): real dates, no evidence. Due
    // dates written month first as text: refused, naming the text column only.
    let (code, err, report) = convert(&s, "text-and-cells.xlsx", &["--sheet", "Maanden"]);
    assert_eq!(code, 2, "{err}");
    assert!(report.is_none());
    assert!(
        err.contains("date column 'INVOICE_DUEDATE' writes the month first (row 2: '03/13/2027'")
            && !err.contains("PERSON_BIRTHDAY"),
        "{err}"
    );
    nothing_written(&s);
    // The same date cells beside day-first text due dates: read as they are.
    let (code, err, _) = convert(&s, "text-and-cells.xlsx", &["--sheet", "Dagen"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        delivery(&s).expect("one delivery"),
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_BIRTHDAY\";\"INVOICE_DUEDATE\"\n\
         \"T-1\";\"1980-02-13\";\"2027-03-13\"\n\
         \"T-2\";\"1975-01-02\";\"2027-02-01\"\n\
         \"T-3\";\"1990-12-25\";\"2027-04-05\"\n"
    );
    // Told the order, the text dates are read month first and the date cells stay as they are.
    let (code, err, _) = convert(
        &s,
        "text-and-cells.xlsx",
        &["--sheet", "Maanden", "--date-order", "mdy"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        delivery(&s).expect("one delivery"),
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_BIRTHDAY\";\"INVOICE_DUEDATE\"\n\
         \"T-1\";\"1980-02-13\";\"2027-03-13\"\n\
         \"T-2\";\"1975-01-02\";\"2027-01-02\"\n\
         \"T-3\";\"1990-12-25\";\"2027-05-04\"\n"
    );
}

#[test]
fn month_first_evidence_after_the_first_rows_leaves_nothing_behind() {
    let s = Scratch::new();
    s.fixture("dates/late.xlsx");
    // 9000 dates that fit both orders, then 12/25/2027: the first rows decide nothing, the
    // last one refuses the run at the end of the input.
    let (code, err, report) = convert(&s, "late.xlsx", &["--sheet", "Laat"]);
    assert_eq!(code, 2, "{err}");
    assert!(report.is_none());
    assert!(
        err.contains("late.xlsx: date column 'INVOICE_DUEDATE' writes the month first (row 9002: '12/25/2027'")
            && err.contains("row 2: '02/01/2027' would be delivered as wrong dates"),
        "{err}"
    );
    nothing_written(&s);
    // A day-first date first, then the same: the column holds both orders.
    let (code, err, _) = convert(&s, "late.xlsx", &["--sheet", "Gemengd"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("holds dates written day first (row 2: '13/04/2027') and dates written month first (row 9003: '12/25/2027')")
            && err.contains("Check the export"),
        "{err}"
    );
    nothing_written(&s);
    // Told the order, every row is delivered.
    let (code, err, _) = convert(&s, "late.xlsx", &["--sheet", "Laat", "--date-order", "mdy"]);
    assert_eq!(code, 0, "{err}");
    let delivered = delivery(&s).expect("one delivery");
    assert!(
        delivered.starts_with(
            "\"IDENTIFICATION_IDENTIFIER\";\"INVOICE_DUEDATE\"\n\"L-00001\";\"2027-02-01\"\n"
        ) && delivered.ends_with("\"L-09001\";\"2027-12-25\"\n"),
        "{}",
        &delivered[..200]
    );
    assert_eq!(delivered.lines().count(), 9002);
}
