//! End to end: an operator's export with country names in Dutch, French, German and English
//! and phones as people type them (issue 12, items 6 and 10), as a CSV and as a workbook.
//! Fixtures: fixtures/names/ (scripts/make-names-fixtures.py).

use std::collections::BTreeMap;

use crate::harness::{convert, Scratch};

/// The delivered records, by identifier: (country, phone 1, phone 2).
fn delivered(s: &Scratch) -> BTreeMap<String, (String, String, String)> {
    let text = s.read("out/20261122-X-1.csv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (id, country) = (
        column("IDENTIFICATION_IDENTIFIER"),
        column("ADDRESS_COUNTRY"),
    );
    let (phone1, phone2) = (
        column("CONTACT_PHONENUMBER_1"),
        column("CONTACT_PHONENUMBER_2"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let get = |i: Option<usize>| i.and_then(|i| r.get(i)).unwrap_or("").to_string();
            (get(id), (get(country), get(phone1), get(phone2)))
        })
        .collect()
}

fn issues<'a>(report: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == code)
        .collect()
}

fn check(input: &str) {
    let s = Scratch::new();
    s.fixture(&format!("names/{input}"));
    let (code, stderr, report) = convert(&s, input, &["--list-fixes"]);
    // Two rows are rejected (an ambiguous and an unknown country): the others go out.
    assert_eq!(code, 1, "{stderr}");
    let report = report.expect("a report");
    assert_eq!(report["summary"]["rows_read"], 14);
    assert_eq!(report["summary"]["records_delivered"], 12);
    assert_eq!(report["summary"]["records_rejected"], 2);
    assert_eq!(report["summary"]["by_code"]["country.name"], 12);

    let want: [(&str, &str, &str, &str); 12] = [
        ("K-001", "NL", "31688684316", ""),
        ("K-002", "BE", "32470123456", ""),
        ("K-003", "DE", "492211234567", ""),
        ("K-004", "BE", "3242234567", ""),
        ("K-005", "DE", "49301234567", ""),
        ("K-006", "FR", "33612345678", ""),
        ("K-007", "GB", "442079460018", ""),
        // `+1 (0)617…` is not a valid number (no trunk 0 in North America): dropped, and
        // the second number moves up.
        ("K-008", "US", "16175550123", ""),
        ("K-009", "BE", "31632448337", ""),
        ("K-010", "GB", "31612345678", ""),
        ("K-013", "AT", "431234567", ""),
        ("K-014", "GB", "31612345678", ""),
    ];
    let got = delivered(&s);
    let want: BTreeMap<String, (String, String, String)> = want
        .iter()
        .map(|(id, c, p1, p2)| {
            (
                id.to_string(),
                (c.to_string(), p1.to_string(), p2.to_string()),
            )
        })
        .collect();
    assert_eq!(got, want);

    // Each name is a fix naming the value; the two refusals name theirs.
    let names = issues(&report, "country.name");
    assert_eq!(names.len(), 12, "{names:#?}");
    let nederland = names.iter().find(|i| i["value"] == "Nederland").unwrap();
    assert_eq!(nederland["severity"], "fix");
    assert_eq!(nederland["fixed_value"], "NL");
    let ambiguous = issues(&report, "country.ambiguous");
    assert_eq!(ambiguous.len(), 1);
    assert_eq!(ambiguous[0]["identifier"], "K-011");
    assert_eq!(ambiguous[0]["severity"], "error");
    assert!(ambiguous[0]["message"]
        .as_str()
        .unwrap()
        .contains("'Georgia'"));
    let unknown = issues(&report, "country.invalid");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["identifier"], "K-012");
    assert!(unknown[0]["message"]
        .as_str()
        .unwrap()
        .contains("'Nederlandia'"));
    let dropped = issues(&report, "phone.invalid");
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0]["identifier"], "K-008");
    assert!(dropped[0]["message"]
        .as_str()
        .unwrap()
        .contains("no trunk 0"));
}

#[test]
fn country_names_and_phone_spellings_from_a_csv_export() {
    check("export.csv");
}

#[test]
fn country_names_and_phone_spellings_from_a_workbook() {
    check("export.xlsx");
}
