//! The three output formats on the fixtures, pinned by snapshots.

use std::path::PathBuf;

use collectmaxx::results::{join, load, output, summary, Merged, Warnings};

const DELIVERY: &str = "fixtures/results/delivery_20220104-1001-1.csv";

fn fixtures() -> Vec<PathBuf> {
    // Given out of date order on purpose: loading sorts them.
    [
        "fixtures/results/result_20220106-acos1001.csv",
        "fixtures/results/result_20220101_20220106_paylink.csv",
        "fixtures/results/result_20220105-acos1001.csv",
        "fixtures/results/result_20211201_20211231-acos1001.csv",
    ]
    .iter()
    .map(PathBuf::from)
    .collect()
}

fn loaded() -> (Merged, Warnings) {
    let mut warnings = Warnings::default();
    let merged = load(&fixtures(), &mut warnings).unwrap();
    (merged, warnings)
}

fn joined(merged: &Merged) -> join::Join {
    let ids = join::delivered_identifiers(&PathBuf::from(DELIVERY)).unwrap();
    join::reconcile(merged, DELIVERY, &ids)
}

#[test]
fn table_output() {
    let (merged, warnings) = loaded();
    let s = summary::summarize(&merged, warnings.count, Some(joined(&merged)));
    insta::assert_snapshot!("results_table", output::table(&s));
}

#[test]
fn json_output() {
    let (merged, warnings) = loaded();
    let s = summary::summarize(&merged, warnings.count, Some(joined(&merged)));
    insta::assert_snapshot!("results_json", output::json(&s));
}

#[test]
fn csv_output() {
    let (merged, _) = loaded();
    let mut out = Vec::new();
    output::csv(&merged, Some(&joined(&merged)), &mut out).unwrap();
    insta::assert_snapshot!("results_csv", String::from_utf8(out).unwrap());
}

#[test]
fn single_daily_table_without_join() {
    let mut warnings = Warnings::default();
    let merged = load(
        &[PathBuf::from(
            "fixtures/results/result_20220105-acos1001.csv",
        )],
        &mut warnings,
    )
    .unwrap();
    let s = summary::summarize(&merged, warnings.count, None);
    insta::assert_snapshot!("results_daily_table", output::table(&s));
}

#[test]
fn the_documented_readme_example_is_the_real_output() {
    let doc = std::fs::read_to_string("docs/results.md").unwrap();
    let prompt = "$ collectmaxx results fixtures/results/result_20220106-acos1001.csv\n";
    let start = doc.find(prompt).expect("example in docs/results.md") + prompt.len();
    let len = doc[start..].find("\n```").unwrap();
    let mut warnings = Warnings::default();
    let merged = load(
        &[PathBuf::from(
            "fixtures/results/result_20220106-acos1001.csv",
        )],
        &mut warnings,
    )
    .unwrap();
    let s = summary::summarize(&merged, warnings.count, None);
    assert_eq!(&doc[start..start + len], output::table(&s).trim_end());
}
