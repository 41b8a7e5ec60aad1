//! `-` as an input (convert, validate, sheets): standard input, detected by content, spooled
//! (workbooks too), named `-` in the report with the SHA-256 of the bytes that came in.

use sha2::{Digest, Sha256};

use crate::harness::{self, json, Scratch};

fn fixture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `validate - --format json` with `bytes` on standard input: (exit code, report, stderr).
fn validate_stdin(s: &Scratch, bytes: Vec<u8>, extra: &[&str]) -> (i32, String, String) {
    let args = ["validate", "-", "--format", "json"];
    piped(s, &[&args, extra].concat(), bytes)
}

/// `collectmaxx ARGS` with `bytes` on standard input and its temporary files in the scratch
/// folder: (exit code, stdout, stderr).
fn piped(s: &Scratch, args: &[&str], bytes: Vec<u8>) -> (i32, String, String) {
    std::fs::create_dir_all(s.path().join("tmp")).unwrap();
    let out = s
        .cmd()
        .args(args)
        .env("TMPDIR", s.path().join("tmp"))
        .write_stdin(bytes)
        .timeout(harness::LIMIT)
        .output()
        .unwrap();
    // The spool is gone when the run is.
    assert_eq!(s.files("tmp"), Vec::<String>::new());
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_format_on_standard_input_is_detected_by_content_and_named_dash() {
    let s = Scratch::new();
    for (rel, format, rows) in [
        ("demo/export.csv", "csv", 62),
        ("sheets/customers.xml", "xml", 20),
        ("crmcom/single.json", "crmcom", 1),
        ("crmcom/subscriptions.ndjson", "crmcom", 0),
        ("sheets/customers.xlsx", "xlsx", 20),
        ("sheets/customers.ods", "ods", 20),
        ("sheets/customers.xls", "xls", 20),
    ] {
        let bytes = fixture_bytes(rel);
        let sha = hex::encode(Sha256::digest(&bytes));
        let (code, out, err) = validate_stdin(&s, bytes, &[]);
        assert!(code < 2, "{rel}: {err}");
        let r = json(&out);
        let input = &r["inputs"][0];
        assert_eq!(input["path"], "-", "{rel}");
        assert_eq!(input["format"], format, "{rel}");
        assert_eq!(input["sha256"], sha.as_str(), "{rel}");
        if rows > 0 {
            assert_eq!(input["rows_read"], rows, "{rel}");
        }
    }
}

#[test]
fn convert_reads_a_pipe_and_records_the_input_as_dash() {
    let s = Scratch::new();
    let out = s
        .cmd()
        .args(["convert", "-", "--client", "ACME", "--out-dir", "out", "-q"])
        .args(["--date", "20261122", "--today", "2026-11-22"])
        .write_stdin(fixture_bytes("demo/export.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json(&s.read("out/20261122-ACME-1.report.json"));
    assert_eq!(report["inputs"][0]["path"], "-");
    assert_eq!(report["summary"]["records_delivered"], 49);
    assert!(harness::delivery(&s).is_some());
    // The history shows `-` as the input.
    let shown = s
        .cmd()
        .args(["history", "show", "20261122-ACME-1.csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("inputs:     -"));
}

#[test]
fn standard_input_that_cannot_be_read_is_refused_clearly() {
    let s = Scratch::new();
    let (code, out, err) = validate_stdin(&s, Vec::new(), &[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("error: -: the file is empty"), "{err}");
    let (code, _, err) = validate_stdin(
        &s,
        fixture_bytes("demo/export.csv"),
        &["--max-file-size", "100"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "standard input is over the limit of 100 bytes (raise it with --max-file-size)"
        ),
        "{err}"
    );
    let (code, _, err) = validate_stdin(&s, b"A;B\n1;2\n".to_vec(), &["-"]);
    assert_eq!(code, 2);
    assert!(err.contains("given more than once"), "{err}");
    // A file beside `-` is read as usual; each is named as given.
    s.fixture("demo/export.csv");
    let (code, out, err) =
        validate_stdin(&s, fixture_bytes("sheets/customers.xml"), &["export.csv"]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    assert_eq!(
        (
            r["inputs"][0]["path"].as_str(),
            r["inputs"][1]["path"].as_str()
        ),
        (Some("-"), Some("export.csv"))
    );
}

/// `sheets ARGS` with `bytes` on standard input: (exit code, stdout, stderr).
fn sheets(s: &Scratch, args: &[&str], bytes: Vec<u8>) -> (i32, String, String) {
    piped(s, &[&["sheets"], args].concat(), bytes)
}

#[test]
fn sheets_of_standard_input_are_those_of_the_file_and_a_csv_is_refused_alike() {
    let s = Scratch::new();
    for rel in [
        "sheets/typed.xlsx",
        "sheets/customers.ods",
        "sheets/customers.xls",
    ] {
        let name = s.fixture(rel);
        let name = name.file_name().unwrap().to_str().unwrap();
        for format in ["table", "json"] {
            let piped = sheets(&s, &["-", "--format", format], fixture_bytes(rel));
            let named = sheets(&s, &[name, "--format", format], Vec::new());
            assert_eq!(piped, named, "{rel} {format}");
            assert_eq!(piped.0, 0, "{rel}: {}", piped.2);
        }
    }
    let (_, table, _) = sheets(&s, &["-"], fixture_bytes("sheets/typed.xlsx"));
    assert!(
        table.contains("\n0      Debiteuren         6  A1:K7 "),
        "{table}"
    );
    // A CSV is no workbook, on standard input as in a file; the message names `-`.
    s.fixture("sheets/customers.csv");
    let piped = sheets(&s, &["-"], fixture_bytes("sheets/customers.csv"));
    let named = sheets(&s, &["customers.csv"], Vec::new());
    assert_eq!((piped.0, piped.1.as_str()), (2, ""));
    assert_eq!(piped.2.replacen("-: ", "customers.csv: ", 1), named.2);
    assert!(piped.2.contains("error: -: is "), "{}", piped.2);
    assert!(piped.2.contains("not a workbook"), "{}", piped.2);
    // Errors of the reader name `-` too, not the spool; the size limit applies.
    let (code, _, err) = sheets(&s, &["-"], fixture_bytes("workbooks/encrypted.xlsx"));
    assert_eq!(code, 2);
    assert!(err.contains("error: -: is a password-protected"), "{err}");
    let (code, _, err) = sheets(
        &s,
        &["-", "--max-file-size", "100"],
        fixture_bytes("sheets/typed.xlsx"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("over the limit of 100 bytes"), "{err}");
}
