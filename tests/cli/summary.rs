//! End-to-end: the human summary gives each code and field its own line, says what a run did
//! not check, and says when nothing at all was delivered (which exits 1 like a run that
//! delivered the good rows).

use crate::harness::{json, Scratch};
use predicates::prelude::*;

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// `convert` into `out` on a fixed date, with the summary.
fn convert(s: &Scratch, client: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    s.cmd()
        .args(["convert", "--client", client, "--out-dir", "out"])
        .args(["--date", "20261122", "--today", "2026-11-22"])
        .args(extra)
        .assert()
}

/// The validate run on the Dutch export with its mapping.
const VALIDATE_NL: [&str; 6] = [
    "validate",
    "export-nl.csv",
    "--mapping",
    "mapping-nl.toml",
    "--today",
    "2026-11-22",
];

/// What makes validate check the history and the required fields.
const EVERYTHING: [&str; 8] = [
    "--client",
    "ACME",
    "--state-dir",
    "state",
    "--services",
    "mail",
    "--set",
    "CONTROL_FLOWID=1234",
];

#[test]
fn the_demo_summary_has_a_line_per_code_and_field() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let out = convert(&s, "DEMO", &["export.csv", "--services", "sms,paylink"]).code(1);
    let text = stdout(&out);
    // Row 42 lacks a family name, not a phone number: its own line says so.
    assert!(
        text.contains("\nerror field.required ×2 (rows 9, 12): CONTACT_PHONENUMBER_1 is required by the sms service"),
        "{text}"
    );
    assert!(
        text.contains("\nerror field.required ×1 (row 42): PERSON_FAMILYNAME is required by the paylink service"),
        "{text}"
    );
    assert!(
        text.contains("\nerror field.too_long ×1 (row 45): 16 characters ('CAMPAIGN-2026-11…'); CONTROL_FLOWID holds at most 10"),
        "{text}"
    );
    assert!(!text.contains("not checked"), "{text}");
    insta::assert_snapshot!("demo_human_summary", text);
}

#[test]
fn validate_says_what_it_did_not_check_and_how_to_turn_it_on() {
    let s = Scratch::new();
    s.fixture("mapping/export-nl.csv");
    s.fixture("mapping/mapping-nl.toml");
    let out = s.cmd().args(VALIDATE_NL).assert().code(0);
    let text = stdout(&out);
    assert!(
        text.contains("\nnot checked: required fields: no services were given, so no field was checked as required")
            && text.contains("give --services, e.g. --services sms,paylink"),
        "{text}"
    );
    assert!(
        text.contains("\nnot checked: earlier deliveries: no client was given, so identifiers were not checked against the ones delivered before; give --client CODE"),
        "{text}"
    );
    let out = s
        .cmd()
        .args(VALIDATE_NL)
        .args(["--format", "json"])
        .assert()
        .code(0);
    let r = json(&stdout(&out));
    let checks: Vec<&str> = r["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["required_fields", "history"]);

    // A client without a history yet: said, naming the state dir.
    let out = s.cmd().args(VALIDATE_NL).args(EVERYTHING).assert().code(0);
    let text = stdout(&out);
    assert!(
        text.contains("not checked: earlier deliveries: state holds no delivery history, so identifiers were not checked against the ones ACME delivered before"),
        "{text}"
    );
    assert!(!text.contains("required fields"), "{text}");

    // Once something was delivered, everything is checked and nothing is said.
    s.cmd()
        .args(["convert", "export-nl.csv", "--mapping", "mapping-nl.toml"])
        .args([
            "--client",
            "ACME",
            "--state-dir",
            "state",
            "--out-dir",
            "out",
            "-q",
        ])
        .args(["--today", "2026-11-22"])
        .assert()
        .code(0);
    let out = s
        .cmd()
        .args(VALIDATE_NL)
        .args(EVERYTHING)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let r = json(&stdout(&out));
    assert_eq!(r["not_checked"], serde_json::json!([]));
    assert_eq!(r["summary"]["by_code"]["identifier.reused"], 6);
}

#[test]
fn a_run_that_rejects_every_row_says_nothing_was_delivered() {
    let s = Scratch::new();
    s.fixture("mapping/export-nl.csv");
    s.fixture("mapping/mapping-nl.toml");
    // The sms service needs a flow id, which this export does not have.
    let extra = [
        "export-nl.csv",
        "--mapping",
        "mapping-nl.toml",
        "--services",
        "sms",
    ];
    let out = convert(&s, "ACME", &extra).code(1);
    let text = stdout(&out);
    assert!(
        text.starts_with("6 rows read from export-nl.csv: 0 delivered, 6 rejected, 0 blank\nnothing delivered: all 6 rows were rejected; no delivery file was written\n"),
        "{text}"
    );
    assert_eq!(s.files("out"), ["20261122-ACME-1.report.json"]);
    let r = json(&s.read("out/20261122-ACME-1.report.json"));
    assert!(r["delivery"].is_null());

    // validate says the same in its own words.
    s.cmd()
        .args(VALIDATE_NL)
        .args(["--services", "sms"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "\nno record would be delivered: all 6 rows were rejected\n",
        ));

    // A header without rows exits 0, and is not mistaken for a delivery either.
    s.write("leeg.csv", "Factuurnummer;Achternaam\n");
    s.cmd()
        .args([
            "convert",
            "leeg.csv",
            "--client",
            "ACME",
            "--out-dir",
            "out",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "\nnothing delivered: the input has no data rows; no delivery file was written\n",
        ));
}

#[test]
fn help_describes_each_exit_code() {
    let s = Scratch::new();
    s.cmd()
        .args(["convert", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains(
            "1  rows rejected: the others are delivered; when every row is rejected, nothing is",
        ));
    s.cmd()
        .args(["validate", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Without --client, identifiers are not checked",
        ));
}
