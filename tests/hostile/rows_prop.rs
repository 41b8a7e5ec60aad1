//! Random row sequences through a whole run (reader, footer recogniser, pipeline): every row is
//! accounted for, as delivered, rejected or skipped, whatever totals, blank rows, stray quotes
//! and batch boundaries it meets.

use chrono::NaiveDate;
use collectmaxx::header::Mapping;
use collectmaxx::report::{IssueLog, ReportHead, Summary};
use collectmaxx::rules::pipeline::RuleSettings;
use collectmaxx::run::{run, NoSink, RunOptions, BATCH};
use collectmaxx::source::ReadOptions;
use proptest::prelude::*;

const HEADER: &str =
    "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;CONTACT_PHONENUMBER_1;INVOICE_AMOUNT";

/// Runs `text` as a CSV input; returns the summary and the (row, code) of every issue.
fn run_csv(text: &str) -> (Summary, Vec<(Option<u64>, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, text).unwrap();
    let opts = RunOptions {
        profile: None,
        settings: RuleSettings::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()),
        read: ReadOptions::default(),
        mapping: Mapping::default(),
        threads: 2,
        progress: None,
    };
    let log = IssueLog::new(false, false).unwrap();
    let outcome = run(&[path], &opts, log, &mut NoSink).expect("the run succeeds");
    let mut report = Vec::new();
    let summary = outcome.log.summary.clone();
    outcome
        .log
        .write_report(
            &ReportHead {
                tool: "collectmaxx",
                version: "test",
                inputs: outcome.inputs,
                delivery: None,
                services: Vec::new(),
            },
            &mut report,
        )
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&report).unwrap();
    let issues = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["row"].as_u64(), i["code"].as_str().unwrap().to_string()))
        .collect();
    (summary, issues)
}

fn accounted(s: &Summary) {
    assert_eq!(
        s.rows.rows_read(),
        s.rows.delivered() + s.rows.rejected() + s.rows.skipped(),
        "{s:?}"
    );
    assert!(s.rows.footer() <= s.rows.skipped(), "{s:?}");
}

/// `n` debtor lines, starting at identifier `from`.
fn debtors(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("K-{i};Jansen;06{:08};{}\n", 12_000_000 + i, 100 + i))
        .collect()
}

#[test]
fn a_footer_held_across_a_batch_boundary() {
    // The last data row fills a batch exactly; the blank row and the total come after it.
    let text = format!("{HEADER}\n{};;;\nTotaal;;;1\n", debtors(0, BATCH));
    let (s, issues) = run_csv(&text);
    accounted(&s);
    assert_eq!(
        (
            s.rows.rows_read(),
            s.rows.delivered(),
            s.rows.skipped(),
            s.rows.footer()
        ),
        (BATCH as u64 + 2, BATCH as u64, 2, 1)
    );
    assert!(
        issues.contains(&(Some(BATCH as u64 + 3), "row.footer".into())),
        "{issues:?}"
    );
    // A total just before a batch boundary, with data after it, is a subtotal.
    let text = format!(
        "{HEADER}\n{}Totaal;;;1\n{}",
        debtors(0, BATCH - 1),
        debtors(BATCH, 3)
    );
    let (s, issues) = run_csv(&text);
    accounted(&s);
    assert_eq!((s.rows.rejected(), s.rows.footer()), (1, 0));
    assert!(
        issues.contains(&(Some(BATCH as u64 + 1), "row.subtotal".into())),
        "{issues:?}"
    );
}

#[test]
fn many_total_rows_at_the_end_are_not_footers() {
    // A run of candidates longer than the recogniser holds is data, however it ends.
    let totals: String = (0..5_000).map(|_| "Totaal;;;1\n").collect();
    let text = format!("{HEADER}\n{}{totals}", debtors(0, 3));
    let (s, _) = run_csv(&text);
    accounted(&s);
    assert_eq!((s.rows.rejected(), s.rows.footer()), (5_000, 0));
}

fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0usize..100_000).prop_map(|i| format!("K-{i};Jansen;0612345678;{}", i % 977)),
        1 => Just(";;;".to_string()),
        1 => Just(String::new()),
        1 => Just("Totaal;;;1000".to_string()),
        1 => Just(";Subtotaal;;".to_string()),
        1 => Just(";;;2000".to_string()),
        1 => Just("Totaal;;0612345678;5".to_string()),
        1 => Just("K-1;\"Jansen".to_string()),
        1 => Just("K-2;Jansen\";0612345678;1".to_string()),
        1 => Just("K-3;\"Jan\" BV;;1".to_string()),
        1 => Just("K-4;x;y".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the rows, the counts add up, footers are part of the skipped rows, and a row
    /// skipped as a footer has no data row after it.
    #[test]
    fn random_row_sequences_are_fully_accounted(
        lines in prop::collection::vec(any_line(), 0..60),
        padding in prop::sample::select(vec![0usize, BATCH - 5, BATCH + 3]),
        final_newline in any::<bool>(),
    ) {
        let mut text = format!("{HEADER}\n{}", debtors(500_000, padding));
        text.push_str(&lines.join("\n"));
        if final_newline {
            text.push('\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, &text).unwrap();
        // A quote never closed refuses the file (exit 2), which is its own accounting.
        let opts = RunOptions {
            profile: None,
            settings: RuleSettings::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()),
            read: ReadOptions::default(),
            mapping: Mapping::default(),
            threads: 2,
            progress: None,
        };
        let log = IssueLog::new(false, false).unwrap();
        match run(&[path], &opts, log, &mut NoSink) {
            Ok(outcome) => {
                let s = &outcome.log.summary;
                prop_assert_eq!(s.rows.rows_read(), s.rows.delivered() + s.rows.rejected() + s.rows.skipped());
                prop_assert!(s.rows.footer() <= s.rows.skipped());
                prop_assert!(s.rows.rows_read() >= padding as u64);
            }
            Err(e) => prop_assert!(e.to_string().contains("quote"), "{}", e),
        }
    }
}
