//! End-to-end: `convert` on CRM.COM exports (array, NDJSON, malformed).

use crate::harness::{json, Scratch};

fn convert(input: &str) -> Vec<&str> {
    vec![
        "convert",
        input,
        "--client",
        "ACME",
        "--out-dir",
        "out",
        "--date",
        "20261122",
        "--today",
        "2026-11-22",
        "--services",
        "sms",
        "--set",
        "CONTROL_FLOWID=1234",
        "--default-country",
        "BE",
    ]
}

#[test]
fn realistic_export_delivery_and_report_snapshots() {
    let s = Scratch::new();
    s.fixture("crmcom/subscriptions.json");
    let mut args = convert("subscriptions.json");
    args.push("--list-fixes");
    s.cmd().args(&args).assert().code(1);
    let delivery = s.read("out/20261122-ACME-1.csv");
    insta::assert_snapshot!("crmcom_delivery", delivery);
    let report = s.read("out/20261122-ACME-1.report.json");
    insta::assert_snapshot!("crmcom_report", report);
    let r = json(&report);
    assert_eq!(r["inputs"][0]["format"], "crmcom");
    let sum = &r["summary"];
    assert_eq!(sum["rows_read"], 10);
    assert_eq!(
        sum["records_delivered"].as_u64().unwrap() + sum["records_rejected"].as_u64().unwrap(),
        10
    );
    assert_eq!(sum["by_code"]["crmcom.fax_dropped"], 2);
    assert_eq!(sum["by_code"]["crmcom.company_as_family_name"], 2);
    let fax = r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "crmcom.fax_dropped" && i["row"] == 1)
        .expect("the fax of row 1 is listed");
    assert_eq!(fax["severity"], "fix");
    assert_eq!(fax["value"], "02 555 12 13");
    assert!(delivery.starts_with("\"IDENTIFICATION_IDENTIFIER\";"));
    assert!(delivery.contains("\"AR0001001-20261122\";\"Peeters\";\"Jan\""));
}

#[test]
fn ndjson_gives_the_same_delivery_as_the_array() {
    let s = Scratch::new();
    s.fixture("crmcom/subscriptions.json");
    s.fixture("crmcom/subscriptions.ndjson");
    s.cmd().args(convert("subscriptions.json")).assert().code(1);
    // The same identifiers again, on purpose.
    s.cmd()
        .args(convert("subscriptions.ndjson"))
        .arg("--allow-reuse")
        .assert()
        .code(1);
    assert_eq!(
        s.read("out/20261122-ACME-1.csv"),
        s.read("out/20261122-ACME-2.csv")
    );
}

#[test]
fn a_broken_ndjson_line_is_rejected_and_the_rest_delivered() {
    let s = Scratch::new();
    s.fixture("crmcom/broken-line.ndjson");
    s.cmd().args(convert("broken-line.ndjson")).assert().code(1);
    let r = json(&s.read("out/20261122-ACME-1.report.json"));
    assert_eq!(r["summary"]["rows_read"], 4);
    let issues = r["issues"].as_array().unwrap();
    let broken = issues
        .iter()
        .find(|i| i["code"] == "crmcom.json_invalid")
        .unwrap();
    assert_eq!(broken["row"], 2);
    assert_eq!(broken["line"], 2);
    assert!(issues
        .iter()
        .any(|i| i["code"] == "crmcom.not_a_customer" && i["line"] == 4));
    assert!(s
        .read("out/20261122-ACME-1.csv")
        .contains("AR0001001-20261122"));
}

#[test]
fn malformed_json_fails_with_line_and_column() {
    let s = Scratch::new();
    s.fixture("crmcom/malformed.json");
    s.cmd()
        .args(convert("malformed.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 280, column 21"))
        .stderr(predicates::str::contains("malformed JSON"));
    assert!(!s.exists("out/20261122-ACME-1.csv"));
}

#[test]
fn identifier_template_and_forced_format() {
    let s = Scratch::new();
    let src = s.fixture("crmcom/contact-information.ndjson");
    std::fs::rename(&src, s.path().join("contacts.txt")).unwrap();
    let mut args = convert("contacts.txt");
    args.extend([
        "--input-format",
        "crmcom",
        "--identifier",
        "ACME-{row}-{date}",
    ]);
    s.cmd().args(&args).assert().code(0);
    let delivery = s.read("out/20261122-ACME-1.csv");
    assert!(delivery.contains("\"ACME-1-20261122\""), "{delivery}");
    assert!(delivery.contains("\"ACME-3-20261122\""), "{delivery}");
    let mut bad = convert("contacts.txt");
    bad.extend(["--input-format", "crmcom", "--identifier", "{number}"]);
    s.cmd()
        .args(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown placeholder {number}"));
}
