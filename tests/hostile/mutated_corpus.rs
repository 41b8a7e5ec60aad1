//! A generated corpus of damaged inputs: every fixture truncated, with bytes flipped, with
//! quotes inserted, and switched to other encodings. Each one must end in exit 0, 1 or 2 (never
//! a panic's 101, never a signal) within a time bound; when a report is written its counts must
//! add up and every rejected row must carry an error; on exit 2 no delivery may exist.
//!
//! CSV fixtures also meet the damage exports meet on their way, each with what must come of
//! it: a stray quote at the start of a value (refused, or every line still a row: never a
//! silent merge), a file cut inside a quoted value (refused), a last line without its line
//! break (read as before, with a warning), and a total row added below the data (skipped as a
//! footer, everything else as before).

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::harness::{json, Scratch};

/// Inputs to mutate (relative to fixtures/). Spreadsheet and XML fixtures are added here as
/// their readers land.
const FIXTURES: &[&str] = &[
    "demo/export.csv",
    "crmcom/subscriptions.json",
    "crmcom/subscriptions.ndjson",
    "sheets/customers.xlsx",
    "sheets/customers.ods",
    "sheets/customers.xls",
    "sheets/customers.xml",
    "sheets/typed.xlsx",
    "rows/totals.csv",
    "rows/quoted.csv",
    "rows/totals.xlsx",
    "workbooks/codepage-1252.xls",
    "workbooks/encrypted.xlsx",
    "workbooks/encrypted.ods",
    // The number formats of these are read by the tool's own record walkers.
    "amounts/formats.xls",
    "amounts/formats.xlsb",
    "amounts/formats.ods",
];

/// CSV fixtures for the export damage classes, and whether each of their physical lines is a
/// row (no value spans lines), which the stray-quote class needs to count rows.
const CSV_FIXTURES: &[(&str, bool)] = &[
    ("demo/export.csv", false),
    ("rows/totals.csv", true),
    ("rows/quoted.csv", false),
];

/// What must come of a damaged export, compared with its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Refused, or as many rows as the original: the quote joined no lines silently.
    SameRows,
    /// Refused, or at least as many rows as the original (a stray quote may split a real
    /// multi-line value into rows, never join rows).
    NoFewerRows,
    /// Refused.
    Refused,
    /// Read as the original, with a `file.no_final_newline` warning.
    Warned,
    /// Read as the original, plus a blank row and a footer row, skipped.
    Footer,
}

/// A small deterministic generator, so a failing case can be reproduced from its name.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutations(original: &[u8], seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    for i in 0..4 {
        let at = rng.below(original.len());
        out.push((format!("truncated{i}@{at}"), original[..at].to_vec()));
    }
    for i in 0..4 {
        let mut b = original.to_vec();
        for _ in 0..1 + rng.below(20) {
            let at = rng.below(b.len());
            b[at] ^= 1 << rng.below(8);
        }
        out.push((format!("flipped{i}"), b));
    }
    for i in 0..3 {
        let mut b = original.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(b.len());
            b.insert(at, b'"');
        }
        out.push((format!("quoted{i}"), b));
    }
    let text = String::from_utf8_lossy(original);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    out.push(("utf16le".into(), utf16));
    let mut utf16be_no_bom = Vec::new();
    utf16be_no_bom.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
    out.push(("utf16be-no-bom".into(), utf16be_no_bom));
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    out.push(("windows1252".into(), latin.into_owned()));
    out.push((
        "nul-bytes".into(),
        original.iter().flat_map(|&b| [b, 0]).collect(),
    ));
    out
}

/// The export damage classes for a `;` CSV with a header line.
fn export_damage(
    original: &[u8],
    seed: u64,
    lines_are_rows: bool,
) -> Vec<(String, Vec<u8>, Expect)> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    let body = original.iter().position(|&b| b == b'\n').unwrap() + 1;
    // Places where a value starts in the data lines: after a delimiter.
    let starts: Vec<usize> = (body..original.len())
        .filter(|&i| original[i - 1] == b';')
        .collect();
    for i in 0..3 {
        let at = starts[rng.below(starts.len())];
        let mut b = original.to_vec();
        b.insert(at, b'"');
        let expect = if lines_are_rows {
            Expect::SameRows
        } else {
            Expect::NoFewerRows
        };
        out.push((format!("stray-quote{i}@{at}"), b.clone(), expect));
        // A value cut off: the file ends a few bytes into a quoted value (one it has, or one
        // opened by a quote put at the start of a value).
        let mut b = original.to_vec();
        if original[at] != b'"' {
            b.insert(at, b'"');
        }
        let close = (at + 1..b.len()).find(|&j| b[j] == b'"').unwrap_or(b.len());
        let cut = (at + 1 + rng.below(4)).min(close);
        b.truncate(cut);
        out.push((format!("cut-in-quote{i}@{cut}"), b, Expect::Refused));
    }
    let trimmed = original
        .strip_suffix(b"\r\n")
        .or_else(|| original.strip_suffix(b"\n"))
        .expect("the fixture ends with a line break");
    out.push(("no-final-newline".into(), trimmed.to_vec(), Expect::Warned));
    let header = &original[..body];
    let delimiters = header.iter().filter(|&&b| b == b';').count();
    let newline: &[u8] = if header.ends_with(b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut b = original.to_vec();
    b.extend(";".repeat(delimiters).as_bytes());
    b.extend(newline);
    b.extend(format!("Totaal{}", ";".repeat(delimiters)).as_bytes());
    b.extend(newline);
    out.push(("footer".into(), b, Expect::Footer));
    out
}

/// Checks a damaged export against its class and its original's report.
fn check_damage(name: &str, expect: Expect, code: i32, report: Option<&Value>, original: &Value) {
    let n = |r: &Value, k: &str| r["summary"][k].as_u64().unwrap();
    let keys = [
        "rows_read",
        "records_delivered",
        "records_rejected",
        "rows_skipped",
        "rows_footer",
    ];
    let counts = |r: &Value| keys.map(|k| n(r, k));
    let codes = |r: &Value| -> Vec<String> {
        r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect()
    };
    match (expect, report) {
        (Expect::SameRows | Expect::NoFewerRows | Expect::Refused, None) => {
            assert_eq!(code, 2, "{name}")
        }
        (Expect::Refused, Some(r)) => panic!("{name}: read, not refused: {}", r["summary"]),
        (Expect::NoFewerRows, Some(r)) => {
            assert!(
                n(r, "rows_read") >= n(original, "rows_read"),
                "{name}: a stray quote joined lines: {}",
                r["summary"]
            );
        }
        (Expect::SameRows, Some(r)) => {
            assert_eq!(
                n(r, "rows_read"),
                n(original, "rows_read"),
                "{name}: a stray quote joined lines: {}",
                r["summary"]
            );
        }
        (Expect::Warned, Some(r)) => {
            assert_eq!(counts(r), counts(original), "{name}");
            assert!(
                codes(r).contains(&"file.no_final_newline".to_string()),
                "{name}"
            );
        }
        (Expect::Footer, Some(r)) => {
            let [read, delivered, rejected, skipped, footer] = counts(original);
            assert_eq!(
                counts(r),
                [read + 2, delivered, rejected, skipped + 2, footer + 1],
                "{name}"
            );
        }
        (_, None) => panic!("{name}: exit {code} without a report"),
    }
}

/// Runs one case; returns the exit code and the report, if one was written.
pub(super) fn check_case(s: &Scratch, name: &str, bytes: &[u8]) -> (i32, Option<Value>) {
    let input = s.write(name, bytes);
    let out_dir = s.path().join("out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let output = s
        .cmd()
        .arg("convert")
        .arg(&input)
        .args([
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "--today",
            "2026-11-22",
            "-q",
            "--allow-reuse",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("{name}: ended by a signal or the time limit"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(code, 0..=2), "{name}: exit {code}\n{stderr}");
    assert!(!stderr.contains("internal error"), "{name}: {stderr}");
    let files = s.files("out");
    if code == 2 {
        assert!(
            !stderr.trim().is_empty(),
            "{name}: exit 2 without a message"
        );
        assert!(
            !files.iter().any(|f| f.ends_with(".csv")),
            "{name}: a delivery was left on exit 2"
        );
        return (code, None);
    }
    let report = files
        .iter()
        .find(|f| f.ends_with(".report.json"))
        .unwrap_or_else(|| panic!("{name}: no report"));
    let r = json(&std::fs::read_to_string(out_dir.join(report)).unwrap());
    let sum = &r["summary"];
    let n = |k: &str| sum[k].as_u64().unwrap();
    assert_eq!(
        n("rows_read"),
        n("records_delivered") + n("records_rejected") + n("rows_skipped"),
        "{name}: {sum}"
    );
    let errors: std::collections::HashSet<_> = r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["severity"] == "error" && !i["row"].is_null())
        .map(|i| (i["input"].as_u64(), i["row"].as_u64()))
        .collect();
    assert!(
        errors.len() as u64 >= n("records_rejected"),
        "{name}: rejected rows without an error: {sum}"
    );
    if n("records_delivered") > 0 {
        let delivery = files
            .iter()
            .find(|f| f.ends_with(".csv"))
            .unwrap_or_else(|| panic!("{name}: no delivery"));
        let text = std::fs::read(out_dir.join(delivery)).unwrap();
        let text =
            String::from_utf8(text).unwrap_or_else(|_| panic!("{name}: delivery is not UTF-8"));
        assert_eq!(
            text.lines().count() as u64,
            1 + n("records_delivered"),
            "{name}"
        );
    }
    (code, Some(r))
}

#[test]
fn every_mutation_of_every_fixture_is_handled() {
    let s = Scratch::new();
    let mut cases = 0;
    for (k, rel) in FIXTURES.iter().enumerate() {
        let original = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(rel),
        )
        .unwrap();
        let ext = Path::new(rel).extension().unwrap().to_str().unwrap();
        for (label, bytes) in mutations(&original, 0x9E37_79B9_7F4A_7C15 ^ k as u64) {
            check_case(&s, &format!("case{k}-{label}.{ext}"), &bytes);
            cases += 1;
        }
    }
    assert!(cases >= 100, "{cases} cases");
}

#[test]
fn every_export_damage_class_is_refused_or_accounted() {
    let s = Scratch::new();
    let mut cases = 0;
    for (k, (rel, lines_are_rows)) in CSV_FIXTURES.iter().enumerate() {
        let original = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(rel),
        )
        .unwrap();
        let (_, report) = check_case(&s, &format!("damage{k}-original.csv"), &original);
        let report = report.expect("the original is read");
        for (label, bytes, expect) in
            export_damage(&original, 0x2545_F491_4F6C_DD1D ^ k as u64, *lines_are_rows)
        {
            let name = format!("damage{k}-{label}.csv");
            let (code, damaged) = check_case(&s, &name, &bytes);
            check_damage(&name, expect, code, damaged.as_ref(), &report);
            cases += 1;
        }
    }
    assert!(cases >= 20, "{cases} cases");
}
