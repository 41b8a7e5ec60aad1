//! End-to-end: `convert` on the demo export, exit codes, file naming.

use crate::harness::{json, Scratch};

const DEMO: &[&str] = &[
    "convert",
    "export.csv",
    "--client",
    "DEMO",
    "--out-dir",
    "out",
    "--date",
    "20261122",
    "--today",
    "2026-11-22",
    "--services",
    "sms,paylink",
];

#[test]
fn demo_export_delivery_and_report_snapshots() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    s.cmd().args(DEMO).assert().code(1);
    assert_eq!(
        s.files("out"),
        ["20261122-DEMO-1.csv", "20261122-DEMO-1.report.json"]
    );
    let delivery = s.read("out/20261122-DEMO-1.csv");
    insta::assert_snapshot!("demo_delivery", delivery);
    let report = s.read("out/20261122-DEMO-1.report.json");
    insta::assert_snapshot!("demo_report", report);
    let r = json(&report);
    let sum = &r["summary"];
    let total = sum["records_delivered"].as_u64().unwrap()
        + sum["records_rejected"].as_u64().unwrap()
        + sum["rows_skipped"].as_u64().unwrap();
    assert_eq!(
        sum["rows_read"].as_u64().unwrap(),
        total,
        "every row is accounted for"
    );
    assert_eq!(r["delivery"]["records"], sum["records_delivered"]);
    assert_eq!(
        delivery.lines().count() as u64,
        1 + sum["records_delivered"].as_u64().unwrap()
    );
}

#[test]
fn delivery_format_is_exactly_as_specified() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER,PERSON_FAMILYNAME\nA1,\"de \"\"Vries\"\"\"\nA2,Jansen\n",
    );
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
        ])
        .assert()
        .code(0);
    let bytes = std::fs::read(s.path().join("out/20261122-X-1.csv")).unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\"\n\"A1\";\"de \"\"Vries\"\"\"\n\"A2\";\"Jansen\"\n"
    );
}

#[test]
fn numbers_go_up_and_files_are_never_overwritten() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    for _ in 0..3 {
        s.cmd()
            .args([
                "convert",
                "in.csv",
                "--client",
                "ACME",
                "--out-dir",
                "out",
                "--date",
                "20261122",
                "-q",
            ])
            .arg("--allow-reuse")
            .assert()
            .code(0);
    }
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "ACME",
            "--out-dir",
            "out",
            "--date",
            "20261123",
            "-q",
        ])
        // The same identifier again: a deliberate re-send.
        .arg("--allow-reuse")
        .assert()
        .code(0);
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "OTHER",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
        ])
        // The same identifier again: a deliberate re-send.
        .arg("--allow-reuse")
        .assert()
        .code(0);
    let csvs: Vec<String> = s
        .files("out")
        .into_iter()
        .filter(|f| f.ends_with(".csv"))
        .collect();
    assert_eq!(
        csvs,
        [
            "20261122-ACME-1.csv",
            "20261122-ACME-2.csv",
            "20261122-ACME-3.csv",
            "20261122-OTHER-1.csv",
            "20261123-ACME-1.csv"
        ]
    );
}

#[test]
fn exit_0_when_every_row_is_delivered_even_with_fixes_and_warnings() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;Extra\n  A1 ;Jansen;x\n",
    );
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
        ])
        .assert()
        .code(0);
    // The identifier went out trimmed, the unknown column did not go out, and the report
    // counts the fix and the warning.
    assert_eq!(
        s.read("out/20261122-X-1.csv"),
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\"\n\"A1\";\"Jansen\"\n"
    );
    let report = json(&s.read("out/20261122-X-1.report.json"));
    let summary = &report["summary"];
    assert_eq!(summary["records_delivered"], 1, "{summary}");
    assert_eq!(summary["fixes"], 1, "{summary}");
    assert_eq!(summary["by_code"]["text.trimmed"], 1, "{summary}");
    assert_eq!(summary["warnings"], 1, "{summary}");
    assert_eq!(summary["by_code"]["column.unknown"], 1, "{summary}");
}

#[test]
fn exit_1_when_rows_are_rejected_and_good_rows_still_delivered() {
    let s = Scratch::new();
    // Cents with one value in euros: with the unit given, that row alone is rejected.
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;INVOICE_AMOUNT\nA1;100\nA2;1,50\n",
    );
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
            "--amounts",
            "minor",
        ])
        .assert()
        .code(1);
    assert_eq!(
        s.read("out/20261122-X-1.csv"),
        "\"IDENTIFICATION_IDENTIFIER\";\"INVOICE_AMOUNT\"\n\"A1\";\"100\"\n"
    );
}

#[test]
fn no_delivery_when_nothing_is_accepted() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER;INVOICE_AMOUNT\n;100\n");
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
        ])
        .assert()
        .code(1);
    assert_eq!(s.files("out"), ["20261122-X-1.report.json"]);
    let r = json(&s.read("out/20261122-X-1.report.json"));
    assert!(r["delivery"].is_null());
    assert_eq!(r["summary"]["records_rejected"], 1);
}

#[test]
fn exit_2_on_bad_arguments_and_unreadable_input() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "../evil",
            "--out-dir",
            "out",
        ])
        .assert()
        .code(2);
    s.cmd()
        .args([
            "convert",
            "missing.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing.csv"));
    s.cmd()
        .args(["convert", "in.csv", "--client", "X", "--services", "fax"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("fax"));
    s.cmd()
        .args(["convert", "in.csv", "--client", "X", "--date", "2026-11-22"])
        .assert()
        .code(2);
    s.cmd().args(["convert", "in.csv"]).assert().code(2);
    s.cmd().args(["frobnicate"]).assert().code(2);
    assert!(!s.exists("out"), "nothing is written on exit 2");
}

#[test]
fn duplicate_column_is_a_file_error() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER;CONTACT_PHONENUMBER;contact_phonenumber_1\nA1;0612345678;0612345679\n");
    s.cmd()
        .args(["convert", "in.csv", "--client", "X", "--out-dir", "out"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("CONTACT_PHONENUMBER_1"));
    assert!(s.files("out").is_empty());
}

#[test]
fn report_to_stdout_and_elsewhere() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    let out = s
        .cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--report",
            "-",
        ])
        .arg("--allow-reuse")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = json(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(r["summary"]["records_delivered"], 1);
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--report",
            "reports/run.json",
        ])
        // The same identifier again: a deliberate re-send.
        .arg("--allow-reuse")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not exist"));
    // Refused before anything was written: still only the first delivery.
    let deliveries = std::fs::read_dir(s.path().join("out"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().ends_with("-1.csv") || name.to_string_lossy().ends_with("-2.csv")
        })
        .count();
    assert_eq!(deliveries, 1);
    std::fs::create_dir(s.path().join("reports")).unwrap();
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--report",
            "reports/run.json",
            "-q",
        ])
        // The same identifier again: a deliberate re-send.
        .arg("--allow-reuse")
        .assert()
        .code(0);
    assert!(s.exists("reports/run.json"));
    // validate takes `-` the same way: the report on standard output, no file named "-".
    let out = s
        .cmd()
        .args([
            "validate",
            "in.csv",
            "--client",
            "X",
            "--report",
            "-",
            "--allow-reuse",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = json(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(r["summary"]["rows_read"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 row read from in.csv: 1 valid"));
    assert!(!s.exists("-"));
    // --quiet: nothing on either stream, the exit code still tells.
    let out = s
        .cmd()
        .args(["validate", "in.csv", "--client", "X", "--allow-reuse", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
}

#[test]
fn superseded_identifier_names_the_later_row() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;First\nA2;Other\nA1;Last\n",
    );
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
        ])
        .assert()
        .code(1);
    assert_eq!(
        s.read("out/20261122-X-1.csv"),
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\"\n\"A2\";\"Other\"\n\"A1\";\"Last\"\n"
    );
    let r = json(&s.read("out/20261122-X-1.report.json"));
    let issue = &r["issues"][0];
    assert_eq!(issue["code"], "identifier.superseded");
    assert_eq!(issue["row"], 2);
    assert!(issue["message"].as_str().unwrap().contains("row 4"));
}

#[test]
fn several_inputs_make_one_delivery() {
    let s = Scratch::new();
    s.write(
        "a.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;Jansen\n",
    );
    s.write(
        "b.csv",
        "IDENTIFICATION_IDENTIFIER,ADDRESS_CITY\nB1,Utrecht\n",
    );
    s.cmd()
        .args([
            "convert",
            "a.csv",
            "b.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "-q",
        ])
        .assert()
        .code(0);
    assert_eq!(
        s.read("out/20261122-X-1.csv"),
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\";\"ADDRESS_CITY\"\n\"A1\";\"Jansen\";\"\"\n\"B1\";\"\";\"Utrecht\"\n"
    );
}

#[test]
fn thread_count_does_not_change_the_delivery() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let dir = format!("out{threads}");
        s.cmd()
            .args([
                "convert",
                "export.csv",
                "--client",
                "DEMO",
                "--out-dir",
                &dir,
                "--date",
                "20261122",
                "--today",
                "2026-11-22",
                "--threads",
                threads,
                "-q",
            ])
            // Each run its own history, so each gets number 1 and delivers every identifier.
            .args(["--state-dir", &format!("state{threads}")])
            .assert()
            .code(1);
        outputs.push(s.read(&format!("{dir}/20261122-DEMO-1.csv")));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

/// The demo has 62 rows: one batch. These 5,000 rows make five batches of 1,024, so the
/// workers really finish out of order; rejected, fixed and superseded rows in every batch (an
/// identifier repeated across batches is superseded by the later row) must come out the same.
#[test]
fn thread_count_does_not_change_the_delivery_across_batches() {
    let s = Scratch::new();
    let mut text = String::from("IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;INVOICE_AMOUNT\n");
    for i in 0..5000u32 {
        let id = match i {
            _ if i % 97 == 0 => String::new(), // rejected: no identifier
            _ if i > 1100 && i % 113 == 0 => format!("ID{}", i - 1100), // superseded across batches
            _ => format!("ID{i}"),
        };
        let name = if i % 50 == 0 {
            format!("  Name {i} ")
        } else {
            format!("Name {i}")
        };
        let amount = if i % 89 == 0 {
            "12x".to_string()
        } else {
            (i * 7).to_string()
        };
        text.push_str(&format!("{id};{name};{amount}\n"));
    }
    s.write("big.csv", text);
    let mut runs = Vec::new();
    for threads in ["1", "2"] {
        let dir = format!("out{threads}");
        s.cmd()
            .args(["convert", "big.csv", "--client", "BIG", "--out-dir", &dir])
            .args([
                "--date",
                "20261122",
                "--today",
                "2026-11-22",
                "--amounts",
                "minor",
            ])
            .args(["--threads", threads, "-q"])
            .args(["--state-dir", &format!("state{threads}")])
            .assert()
            .code(1);
        let delivery = s.read(&format!("{dir}/20261122-BIG-1.csv"));
        let report = json(&s.read(&format!("{dir}/20261122-BIG-1.report.json")));
        runs.push((
            delivery,
            report["summary"].clone(),
            report["issues"].clone(),
        ));
    }
    let (delivery, summary, issues) = &runs[0];
    assert_eq!(summary["rows_read"], 5000, "{summary}");
    for key in ["records_rejected", "fixes"] {
        assert!(summary[key].as_u64().unwrap() > 40, "{key}: {summary}");
    }
    let superseded = &summary["by_code"]["identifier.superseded"];
    assert!(superseded.as_u64().unwrap() > 20, "{summary}");
    assert!(
        issues.as_array().unwrap().len() > 100,
        "issues in every batch: {summary}"
    );
    assert!(delivery.lines().count() > 4000);
    assert_eq!(
        delivery, &runs[1].0,
        "the delivery differs between 1 and 2 threads"
    );
    assert_eq!(summary, &runs[1].1);
    assert_eq!(
        issues, &runs[1].2,
        "the issues differ between 1 and 2 threads"
    );
}

#[test]
fn set_fills_missing_values() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;CONTROL_FLOWID\nA1;\nA2;99\n",
    );
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "--set",
            "CONTROL_FLOWID=1234",
            "-q",
        ])
        .assert()
        .code(0);
    assert_eq!(
        s.read("out/20261122-X-1.csv"),
        "\"IDENTIFICATION_IDENTIFIER\";\"CONTROL_FLOWID\"\n\"A1\";\"1234\"\n\"A2\";\"99\"\n"
    );
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--set",
            "CONTROL_FLOWI=1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean CONTROL_FLOWID"));
}
