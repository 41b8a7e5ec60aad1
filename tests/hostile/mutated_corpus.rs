//! A generated corpus of damaged inputs: every fixture truncated, with bytes flipped, with
//! quotes inserted, and switched to other encodings. Each one must end in exit 0, 1 or 2 (never
//! a panic's 101, never a signal) within a time bound; when a report is written its counts must
//! add up and every rejected row must carry an error; on exit 2 no delivery may exist.

use std::path::Path;
use std::time::Duration;

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
    "workbooks/codepage-1252.xls",
    "workbooks/encrypted.xlsx",
    "workbooks/encrypted.ods",
    // The number formats of these are read by the tool's own record walkers.
    "amounts/formats.xls",
    "amounts/formats.xlsb",
    "amounts/formats.ods",
];

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

fn check_case(s: &Scratch, name: &str, bytes: &[u8]) {
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
        return;
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
