//! Broken and hostile inputs through the real binary: every one ends in exit 0, 1 or 2 with a
//! clear message, within a time bound, and never loses a row. See docs/robustness.md.

use std::time::Duration;

use crate::harness::{convert, json, listed, skip, skip_here, Scratch, LIMIT};

/// The report's counts add up and every rejected row has an error.
fn assert_accounted(report: &serde_json::Value) {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(
        n("rows_read"),
        n("records_delivered") + n("records_rejected") + n("rows_skipped"),
        "{s}"
    );
    let mut error_rows = std::collections::HashSet::new();
    for i in report["issues"].as_array().unwrap() {
        if i["severity"] == "error" {
            error_rows.insert((i["input"].as_u64(), i["row"].as_u64()));
        }
    }
    assert!(
        error_rows.len() as u64 >= n("records_rejected"),
        "every rejected row carries an error: {s}"
    );
}

#[test]
fn empty_file_is_refused_naming_the_file() {
    let s = Scratch::new();
    s.write("empty.csv", "");
    let (code, err, report) = convert(&s, "empty.csv", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("empty.csv") && err.contains("empty"), "{err}");
    assert!(report.is_none() && s.files("out").is_empty());
}

#[test]
fn header_without_rows_exits_0_with_a_report_and_no_delivery() {
    let s = Scratch::new();
    s.write(
        "header.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\n",
    );
    let (code, _, report) = convert(&s, "header.csv", &[]);
    assert_eq!(code, 0);
    let report = report.unwrap();
    assert!(report["delivery"].is_null());
    assert_eq!(report["summary"]["rows_read"], 0);
    assert!(!s.files("out").iter().any(|f| f.ends_with(".csv")));
}

#[test]
fn binary_garbage_named_csv_is_refused() {
    let s = Scratch::new();
    let mut bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    bytes[10] = 0;
    s.write("garbage.csv", &bytes);
    let (code, err, _) = convert(&s, "garbage.csv", &["--input-format", "csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("garbage.csv"), "{err}");
}

#[test]
fn unterminated_quote_is_refused_with_its_line() {
    let s = Scratch::new();
    s.write("q.csv", "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;Jansen\nA2;\"de Vries\nA3;Bakker\nA4;Smit\n");
    let (code, err, _) = convert(&s, "q.csv", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("line 3"), "{err}");
    assert!(s.files("out").is_empty(), "nothing is written");
}

#[test]
fn directory_and_missing_paths_are_refused() {
    let s = Scratch::new();
    std::fs::create_dir(s.path().join("adir")).unwrap();
    let (code, err, _) = convert(&s, "adir", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("adir") && err.contains("directory"), "{err}");
    let (code, err, _) = convert(&s, "nope.csv", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.csv"), "{err}");
}

#[cfg(unix)]
#[test]
fn unwritable_out_dir_leaves_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    let ro = s.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), b"x").is_ok() {
        skip_here("running as a user who can write to a read-only directory (root)");
        return;
    }
    let out = s
        .cmd()
        .args(["convert", "in.csv", "--client", "X", "--out-dir", "ro"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("Permission denied").count(),
        1,
        "said once: {err}"
    );
    assert!(std::fs::read_dir(&ro).unwrap().next().is_none());
}

#[test]
fn out_dir_that_is_a_file_is_refused_and_history_untouched() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    s.write("notadir", "x");
    let out = s
        .cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "notadir",
            "--state-dir",
            "st",
            "--date",
            "20261122",
        ])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing recorded, pending or forgotten: a failing `history list` fails here too.
    let listed = listed(&s, &["--state-dir", "st"]);
    assert!(listed.is_empty(), "no history entry: {listed:?}");
}

#[test]
fn ragged_rows_huge_cells_and_control_characters_are_row_level() {
    let s = Scratch::new();
    let big = "x".repeat(5 << 20);
    let text = format!(
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;Jansen\nA2;{big}\nA3;only;too;many\nA4;Ba\u{0}kk\u{7}er\nA5;=HYPERLINK(\"http://x\")\n"
    );
    s.write("rows.csv", text);
    let started = std::time::Instant::now();
    let (code, _, report) = convert(&s, "rows.csv", &["--list-fixes"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "a 5 MB cell is handled quickly"
    );
    assert_eq!(code, 1);
    let report = report.unwrap();
    assert_accounted(&report);
    let codes: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"cell.too_large"), "{codes:?}");
    assert!(codes.contains(&"row.ragged"), "{codes:?}");
    assert!(codes.contains(&"text.control_removed"), "{codes:?}");
    assert!(codes.contains(&"text.formula"), "{codes:?}");
    assert_eq!(report["summary"]["records_delivered"], 3);
    assert!(s.read("out/20261122-X-1.csv").contains("\"Bakker\""));
}

#[test]
fn thousands_of_columns() {
    let s = Scratch::new();
    let mut header = vec!["IDENTIFICATION_IDENTIFIER".to_string()];
    header.extend((1..5000).map(|i| format!("extra{i}")));
    let row: Vec<String> = (0..5000).map(|i| format!("v{i}")).collect();
    s.write(
        "wide.csv",
        format!("{}\n{}\n", header.join(";"), row.join(";")),
    );
    let (code, _, report) = convert(&s, "wide.csv", &[]);
    assert_eq!(code, 0);
    assert_eq!(report.unwrap()["summary"]["warnings"], 4999);
    let (code, err, _) = convert(&s, "wide.csv", &["--max-columns", "100"]);
    assert_eq!(code, 2);
    assert!(err.contains("--max-columns"), "{err}");
}

#[test]
fn windows_1252_export_is_read_with_one_warning_and_written_as_utf8() {
    let s = Scratch::new();
    s.write(
        "cp.csv",
        b"IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\r\nA1;Jos\xe9\r\nA2;M\xfcller\r\n",
    );
    let (code, _, report) = convert(&s, "cp.csv", &[]);
    assert_eq!(code, 0);
    let report = report.unwrap();
    assert_eq!(report["summary"]["by_code"]["file.encoding"], 1);
    let delivery = std::fs::read(s.path().join("out/20261122-X-1.csv")).unwrap();
    let text = String::from_utf8(delivery).expect("output is UTF-8");
    assert!(text.contains("José") && text.contains("Müller"));
}

#[test]
fn invalid_json_names_line_and_column() {
    let s = Scratch::new();
    s.write(
        "bad.json",
        "[\n  {\"accounts_receivable\": {\"name\": \"x\"},\n  oops\n]\n",
    );
    let (code, err, _) = convert(&s, "bad.json", &["--input-format", "crmcom"]);
    assert_eq!(code, 2);
    assert!(err.contains("line 3"), "{err}");
}

#[cfg(unix)]
#[test]
fn report_to_a_pipe_or_device_writes_into_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    let fifo = s.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|st| st.success()) {
        skip("mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "-q",
            "--report",
            "report.fifo",
        ])
        .timeout(LIMIT)
        .assert()
        .code(0);
    let text = reader.join().unwrap();
    assert_eq!(json(&text)["summary"]["records_delivered"], 1);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the pipe is still a pipe"
    );
}

#[cfg(unix)]
#[test]
fn report_through_a_symlink_replaces_the_target_not_the_link() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    std::fs::create_dir(s.path().join("reports")).unwrap();
    s.write("reports/latest.json", "old");
    std::os::unix::fs::symlink("reports/latest.json", s.path().join("link.json")).unwrap();
    s.cmd()
        .args([
            "convert",
            "in.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "-q",
            "--report",
            "link.json",
        ])
        .timeout(LIMIT)
        .assert()
        .code(0);
    assert!(std::fs::symlink_metadata(s.path().join("link.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        json(&s.read("reports/latest.json"))["summary"]["records_delivered"],
        1
    );
}
