//! End-to-end: mapping files and constants that do not fit the inputs are refused before
//! anything is delivered, naming the key; the mistakes that may be meant are warnings. The
//! inputs are an operator's Dutch export saved by LibreOffice (`fixtures/mapping/`).

use crate::harness::{json, listed, Scratch};
use predicates::prelude::*;

/// `convert` on the Dutch export with its own state dir, without `-q`.
fn convert(s: &Scratch, extra: &[&str]) -> assert_cmd::assert::Assert {
    s.cmd()
        .args([
            "convert",
            "--client",
            "ACME",
            "--out-dir",
            "out",
            "--state-dir",
            "state",
            "--date",
            "20261122",
            "--today",
            "2026-11-22",
        ])
        .args(extra)
        .assert()
}

fn scratch() -> Scratch {
    let s = Scratch::new();
    for f in [
        "export-nl.csv",
        "export-nl-filiaal.csv",
        "mapping-nl.toml",
        "mapping-typo.toml",
        "mapping-case.toml",
        "mapping-values.toml",
        "set-template.toml",
    ] {
        s.fixture(&format!("mapping/{f}"));
    }
    s
}

/// The Dutch export with its correct mapping.
const MAPPED: [&str; 3] = ["export-nl.csv", "--mapping", "mapping-nl.toml"];

/// The report's issues with this code.
fn issues_with(report: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    let all = report["issues"].as_array().unwrap();
    all.iter().filter(|i| i["code"] == code).cloned().collect()
}

/// Nothing went out: no delivery, no report, nothing in the history.
fn assert_nothing_delivered(s: &Scratch) {
    assert!(s.files("out").is_empty(), "{:?}", s.files("out"));
    let listed = listed(s, &["--state-dir", "state"]);
    assert!(listed.is_empty(), "history lists {listed:?}");
}

#[test]
fn a_correct_mapping_delivers_the_dutch_export() {
    let s = scratch();
    convert(&s, &["export-nl.csv", "--mapping", "mapping-nl.toml"])
        .code(0)
        .stdout(predicate::str::contains(
            "6 rows read from export-nl.csv: 6 delivered",
        ))
        // convert checks the history always, the required fields only with services.
        .stdout(predicate::str::contains(
            "\nnot checked: required fields: no services were given",
        ))
        .stdout(predicate::str::contains("earlier deliveries").not());
    let delivery = s.read("out/20261122-ACME-1.csv");
    assert!(
        delivery.contains("\"F2026-0101\";\"Jansen\";\"Jan\";\"31612345678\"")
            && delivery.contains("\"31629887766\""),
        "{delivery}"
    );
}

#[test]
fn a_key_that_matches_no_column_is_refused_with_the_closest_header() {
    let s = scratch();
    let out = convert(&s, &["export-nl.csv", "--mapping", "mapping-typo.toml"]).code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("mapping-typo.toml: line 2: 'Factuurnumer' matches no column of export-nl.csv (did you mean 'Factuurnummer'?)"),
        "{err}"
    );
    assert!(
        err.contains(
            "line 5: 'Emailadres' matches no column of export-nl.csv (did you mean 'E-mailadres'?)"
        ),
        "{err}"
    );
    // No header is close to this one: the columns nothing maps are listed instead.
    assert!(
        err.contains("line 6: 'Klantnummer' matches no column of export-nl.csv (columns no key maps: 'Factuurnummer', 'Voornaam', 'E-mailadres', 'Bedrag', 'Vervaldatum', 'Opmerking')"),
        "{err}"
    );
    assert!(err.contains("nothing was delivered or written"), "{err}");
    assert_nothing_delivered(&s);
    // validate refuses it the same way.
    s.cmd()
        .args([
            "validate",
            "export-nl.csv",
            "--mapping",
            "mapping-typo.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'Factuurnumer' matches no column"));
}

#[test]
fn keys_that_differ_only_in_case_are_refused_naming_both() {
    let s = scratch();
    convert(&s, &["export-nl.csv", "--mapping", "mapping-case.toml"])
        .code(2)
        .stderr(predicate::str::contains(
            "mapping-case.toml: line 4: 'factuurnummer' and 'Factuurnummer' (line 2) differ only in case",
        ));
    assert_nothing_delivered(&s);
}

#[test]
fn values_that_are_not_one_field_name_say_what_the_file_allows() {
    let s = scratch();
    let out = convert(&s, &["export-nl.csv", "--mapping", "mapping-values.toml"]).code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    // A list is a profile's one column feeding several fields (issue 14): line 3 is fine now.
    for needle in [
        "mapping-values.toml: line 4: 'Bedrag' maps to a number",
        "mapping-values.toml: line 5: 'Klant' maps to a table",
        "a header with a dot in it must be quoted as a whole",
    ] {
        assert!(err.contains(needle), "{needle}\n{err}");
    }
    assert_nothing_delivered(&s);
}

#[test]
fn a_key_one_of_several_inputs_lacks_is_a_warning_naming_it() {
    let s = scratch();
    convert(
        &s,
        &[
            "export-nl.csv",
            "export-nl-filiaal.csv",
            "--mapping",
            "mapping-nl.toml",
        ],
    )
    .code(0)
    .stdout(predicate::str::contains(
        "warning mapping.unmatched ×1 (row 2:1): mapping key 'Mobiel' (mapping-nl.toml line 6) matches no column of export-nl-filiaal.csv, only of export-nl.csv",
    ));
    let r = json(&s.read("out/20261122-ACME-1.report.json"));
    let unmatched = issues_with(&r, "mapping.unmatched");
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0]["input"], 1);
    assert_eq!(unmatched[0]["field"], "CONTACT_PHONENUMBER_1");
    assert_eq!(r["summary"]["records_delivered"], 12);
}

#[test]
fn a_constant_with_braces_is_refused_from_the_flag_and_the_config_file() {
    let s = scratch();
    let out = convert(
        &s,
        &[&MAPPED[..], &["--set", "INVOICE_REFERENCE={Factuurnummer}"]].concat(),
    )
    .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("--set INVOICE_REFERENCE = '{Factuurnummer}': a constant is delivered exactly as written")
            && err.contains("[columns] \"Factuurnummer\" = \"INVOICE_REFERENCE\""),
        "{err}"
    );
    assert_nothing_delivered(&s);
    s.cmd()
        .args([
            "validate",
            "export-nl.csv",
            "--config",
            "set-template.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "set-template.toml: line 5: [set] INVOICE_REFERENCE = '{Factuurnummer}': a constant is delivered exactly as written",
        ));
}

#[test]
fn a_constant_that_names_a_column_is_delivered_with_a_warning() {
    let s = scratch();
    convert(&s, &[&MAPPED[..], &["--set", "INVOICE_REFERENCE=Factuurnummer"]].concat())
    .code(0)
    .stdout(predicate::str::contains(
        "warning set.names_column ×1 (row 1): the constant INVOICE_REFERENCE = 'Factuurnummer' is also the name of a column of export-nl.csv",
    ));
}

#[test]
fn options_for_other_formats_are_a_warning() {
    let s = scratch();
    convert(
        &s,
        &[
            &MAPPED[..],
            &["--sheet", "Debiteuren", "--identifier", "ACME-{ref}"],
        ]
        .concat(),
    )
    .code(0);
    let r = json(&s.read("out/20261122-ACME-1.report.json"));
    let unused = issues_with(&r, "option.unused");
    assert_eq!(unused.len(), 1);
    assert_eq!(
        unused[0]["message"],
        "--sheet applies to spreadsheets only; --identifier applies to CRM.COM exports only, and no input is one (csv): ignored"
    );
}

#[test]
fn an_empty_service_list_is_refused() {
    let s = scratch();
    convert(&s, &["export-nl.csv", "--services", ""])
        .code(2)
        .stderr(predicate::str::contains("services '' names no service"));
}

#[test]
fn a_mapping_for_a_crmcom_export_is_refused_saying_it_needs_none() {
    let s = scratch();
    s.fixture("crmcom/single.json");
    s.cmd()
        .args(["validate", "single.json", "--mapping", "mapping-nl.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "mapping-nl.toml: line 3: 'Factuurnummer' matches no column of single.json (every column there is a delivery field already, or mapped by another key: a CRM.COM export, for one, needs no mapping)",
        ));
}
