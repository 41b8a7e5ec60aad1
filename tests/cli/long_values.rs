//! Over-long values (issue 12, item 9): the report and the summary show at most the first 256
//! characters of a value, say how long it was (`value_chars`), and a workbook of the longest
//! cells Excel holds gives a report of a few MB with every row accounted.

use std::path::Path;

use crate::harness::{json, Scratch};

/// The most characters of a value the report shows.
const SHOWN: usize = 256;

/// A sheet like `scripts/make-long-cells.py` writes with openpyxl: a header row, then `rows`
/// rows of two inline-string cells of 32,767 `A`s. Built here (rust_xlsxwriter's
/// constant-memory mode also writes inline strings) because the openpyxl file is over 1 MB;
/// level 1 deflate, as the size of the zip does not matter to the test.
fn long_cells(path: &Path, rows: u32) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().unwrap();
    sheet
        .write_string(0, 0, "IDENTIFICATION_IDENTIFIER")
        .unwrap();
    sheet.write_string(0, 1, "PERSON_FAMILYNAME").unwrap();
    let value = "A".repeat(32_767);
    for r in 1..=rows {
        sheet.write_string(r, 0, &value).unwrap();
        sheet.write_string(r, 1, &value).unwrap();
    }
    book.set_zip_compression_level(1);
    book.save(path).unwrap();
}

fn chars(v: &serde_json::Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

#[test]
fn a_workbook_of_32767_character_cells_gives_a_small_report_and_counts_every_row() {
    let s = Scratch::new();
    long_cells(&s.path().join("long-cells.xlsx"), 7_989);
    let out = s
        .cmd()
        .args([
            "validate",
            "long-cells.xlsx",
            "--today",
            "2026-11-22",
            "--report",
            "report.json",
        ])
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let size = std::fs::metadata(s.path().join("report.json"))
        .unwrap()
        .len();
    // Before: 1.3 GB. The bound of issue 12 is 32 MB.
    assert!(size <= 32_000_000, "the report is {size} bytes");
    let report = json(&s.read("report.json"));
    let sum = &report["summary"];
    assert_eq!(sum["rows_read"], 7_989);
    assert_eq!(sum["records_rejected"], 7_989);
    assert_eq!(sum["records_delivered"], 0);
    assert_eq!(sum["rows_skipped"], 0);
    // Both values of every row are too long; no identifier is accepted.
    assert_eq!(sum["by_code"]["field.too_long"], 2 * 7_989);
    assert_eq!(sum["by_code"]["identifier.missing"], 7_989);
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 3 * 7_989);
    for issue in issues {
        assert!(chars(&issue["value"]) <= SHOWN, "{issue}");
        assert!(chars(&issue["identifier"]) <= SHOWN, "{issue}");
        assert!(chars(&issue["message"]) <= 2 * SHOWN, "{issue}");
        if issue["code"] == "field.too_long" {
            assert_eq!(issue["value"].as_str().unwrap(), "A".repeat(SHOWN));
            assert_eq!(issue["value_chars"], 32_767);
            assert_eq!(issue["identifier"].as_str().unwrap(), "A".repeat(SHOWN));
        }
    }
    // The summary names the rows without printing the values whole either.
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains("7989 rows read"), "{summary}");
    for line in summary.lines() {
        assert!(line.chars().count() < 1_000, "{line}");
    }
}

#[test]
fn every_message_about_a_long_value_quotes_its_first_256_characters() {
    let s = Scratch::new();
    let long = |unit: &str| unit.repeat(2_000 / unit.len());
    let columns = [
        ("IDENTIFICATION_IDENTIFIER", long("K")),
        ("PERSON_FAMILYNAME", long("Jansen ")),
        ("CONTACT_PHONENUMBER_1", long("0612345678")),
        ("CONTACT_PHONENUMBER_2", long("06-1234567a")),
        ("CONTACT_EMAIL_1", long("jan") + "@example.nl"),
        ("PERSON_BIRTHDAY", long("1")),
        ("INVOICE_AMOUNT", long("9")),
        ("INVOICE_TAX", long("x")),
        ("INVOICE_SERIAL", long("x1")),
        ("INVOICE_CURRENCY", long("E")),
        ("ADDRESS_COUNTRY", long("X")),
        ("PERSON_GENDER", long("Q")),
        ("SERVICES_ENRICHMENT", long("ja")),
        (&*long("Segment"), "x".to_string()),
    ];
    let header: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
    let values: Vec<&str> = columns.iter().map(|(_, v)| v.as_str()).collect();
    s.write(
        "long.csv",
        format!("{}\n{}\n", header.join(";"), values.join(";")),
    );
    let out = s
        .cmd()
        .args([
            "validate",
            "long.csv",
            "--today",
            "2026-11-22",
            "--format",
            "json",
            "--list-fixes",
        ])
        .timeout(crate::harness::LIMIT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json(&String::from_utf8(out.stdout).unwrap());
    let issues = report["issues"].as_array().unwrap();
    let codes: Vec<&str> = issues.iter().map(|i| i["code"].as_str().unwrap()).collect();
    for code in [
        "column.unknown",
        "field.too_long",
        "phone.invalid",
        "phone.invalid_chars",
        "date.invalid",
        "amount.too_large",
        "amount.invalid",
        "integer.invalid",
        "currency.invalid",
        "country.invalid",
        "gender.invalid",
        "boolean.invalid",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    for issue in issues {
        let message = issue["message"].as_str().unwrap();
        // The value quoted (256 characters and `…`), and the advice after it kept whole.
        assert!(message.chars().count() < 2 * SHOWN, "{message}");
        assert!(!message.ends_with('…'), "{message}");
        assert!(chars(&issue["column"]) <= SHOWN, "{issue}");
        assert!(chars(&issue["identifier"]) <= SHOWN, "{issue}");
        if let Some(value) = issue["value"].as_str() {
            let full = issue["value_chars"].as_u64();
            assert_eq!(
                value.chars().count(),
                full.map_or(value.chars().count(), |_| SHOWN),
                "{issue}"
            );
            assert!(full.is_none_or(|n| n > SHOWN as u64), "{issue}");
        }
    }
    assert!(
        issues.iter().any(|i| i["value_chars"] == 2_000),
        "{issues:?}"
    );
}
