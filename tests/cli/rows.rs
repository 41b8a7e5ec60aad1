//! Rows that exports add, merge or cut, through the real binary: totals and footer rows below
//! the data, stray quotes that join lines, and files cut off while they were being written.
//! The inputs are `fixtures/rows/` (see `scripts/make-row-fixtures.py`).

use crate::harness::{convert, Scratch};
use serde_json::Value;

/// The report's counts, checked to add up.
fn counts(report: &Value) -> [u64; 5] {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("{k} in {s}"));
    let c = [
        n("rows_read"),
        n("records_delivered"),
        n("records_rejected"),
        n("rows_skipped"),
        n("rows_footer"),
    ];
    assert_eq!(c[0], c[1] + c[2] + c[3], "{s}");
    assert!(
        c[4] <= c[3],
        "footer rows are a part of the skipped rows: {s}"
    );
    c
}

/// (row, severity) of every issue with `code`.
fn rows_with(report: &Value, code: &str) -> Vec<(u64, String)> {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == code)
        .map(|i| {
            (
                i["row"].as_u64().unwrap(),
                i["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The delivery file.
fn delivery(s: &Scratch) -> String {
    let name = s
        .files("out")
        .into_iter()
        .find(|f| f.ends_with(".csv"))
        .expect("a delivery");
    s.read(&format!("out/{name}"))
}

/// Records in the delivery file.
fn delivered(s: &Scratch) -> usize {
    delivery(s).lines().count() - 1
}

/// The codes of the issues about `row`, in report order.
fn codes_at(report: &Value, row: u64) -> Vec<&str> {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["row"] == row)
        .map(|i| i["code"].as_str().unwrap())
        .collect()
}

/// Converts `input`: exit 0, nothing rejected, one footer skipped besides `blank` rows.
fn skips_one_footer(
    s: &Scratch,
    input: &str,
    extra: &[&str],
    [read, debtors, blank]: [u64; 3],
) -> Value {
    let (code, err, report) = convert(s, input, extra);
    assert_eq!(code, 0, "{input}: {err}");
    let report = report.unwrap();
    assert_eq!(counts(&report), [read, debtors, 0, blank + 1, 1], "{input}");
    report
}

/// The fixtures with a total below the data: (fixture, data rows, rows read, blank rows, the
/// footer's row).
const TOTALS: [(&str, u64, u64, u64, u64); 4] = [
    ("rows/totals.xlsx", 19, 20, 0, 22),
    ("rows/totals.ods", 19, 20, 0, 22),
    ("rows/totals.xls", 19, 20, 0, 22),
    ("rows/totals.csv", 12, 14, 1, 15),
];

/// The human summary of `validate`.
fn summary(s: &Scratch, input: &str) -> (i32, String) {
    let out = s
        .cmd()
        .args(["validate", input, "--client", "X", "--today", "2026-11-22"])
        .timeout(crate::harness::LIMIT)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_total_below_the_data_is_skipped_as_a_footer_in_every_format() {
    for (fixture, debtors, read, blank, footer_row) in TOTALS {
        let s = Scratch::new();
        let input = s.fixture(fixture);
        let name = input.file_name().unwrap().to_str().unwrap();
        // First the summary (before a delivery puts the identifiers in the history).
        let (code, text) = summary(&s, name);
        assert_eq!(code, 0, "{fixture}: {text}");
        assert!(
            text.contains(&format!("{blank} blank, 1 footer")),
            "{fixture}: {text}"
        );
        let report = skips_one_footer(&s, name, &[], [read, debtors, blank]);
        assert_eq!(
            rows_with(&report, "row.footer"),
            [(footer_row, "warning".to_string())],
            "{fixture}"
        );
        assert_eq!(delivered(&s), debtors as usize, "{fixture}");
    }
}

#[test]
fn a_footer_read_through_a_profile_is_only_skipped_in_every_format() {
    // The identifier is made by a profile's template from the export's identifier column. In
    // the CSV the footer leaves that column empty (once an `profile.identifier_empty` error on
    // a skipped row); in the sheets the column holds the label `Totaal` (once delivered as a
    // debtor `Totaal-20261122`). Either way the footer is skipped with its own warning only.
    let profile = "identifier = \"{IDENTIFICATION_IDENTIFIER}-{date}\"\n\
                   [ignore]\n\"IDENTIFICATION_IDENTIFIER\" = \"made into the identifier\"\n";
    for (fixture, debtors, read, blank, footer_row) in TOTALS {
        let s = Scratch::new();
        s.write("p.toml", profile);
        let input = s.fixture(fixture);
        let name = input.file_name().unwrap().to_str().unwrap();
        let report = skips_one_footer(&s, name, &["--mapping", "p.toml"], [read, debtors, blank]);
        assert_eq!(codes_at(&report, footer_row), ["row.footer"], "{fixture}");
        assert_eq!(report["summary"]["errors"], 0, "{fixture}");
        assert!(
            report["summary"]["by_code"]
                .get("profile.identifier_empty")
                .is_none(),
            "{fixture}"
        );
        assert_eq!(delivered(&s), debtors as usize, "{fixture}");
        assert!(
            !delivery(&s).contains("Totaal"),
            "{fixture}: the total is no debtor"
        );
    }
}

#[test]
fn the_quickbooks_total_is_a_footer_without_an_error_for_its_empty_identifier() {
    // A real QuickBooks export: `TOTAL` in the Date column, Num (the template's column) empty.
    let s = Scratch::new();
    let dir = "map/heldout2/05-quickbooks-open-invoices";
    s.fixture(&format!("{dir}/export.xlsx"));
    s.fixture(&format!("{dir}/expected-profile.toml"));
    let (code, err, report) = convert(&s, "export.xlsx", &["--mapping", "expected-profile.toml"]);
    assert_eq!(code, 0, "{err}");
    let report = report.unwrap();
    assert_eq!(counts(&report), [23, 22, 0, 1, 1]);
    assert_eq!(report["summary"]["errors"], 0, "{}", report["summary"]);
    assert_eq!(codes_at(&report, 28), ["row.footer"]);
    assert_eq!(delivered(&s), 22);
}

#[test]
fn a_total_written_with_decimals_below_whole_cents_is_no_evidence_of_the_unit() {
    // A data row `3000,00` beside `1000` makes the column mixed (refused, exit 2); the same
    // value in a total row is skipped as a footer and says nothing about the unit.
    let s = Scratch::new();
    let header =
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;CONTACT_PHONENUMBER_1;INVOICE_AMOUNT\n\
                  K-1;Jansen;0612345678;1000\nK-2;Smit;0612345679;2000\n";
    s.write("total.csv", format!("{header};;;\nTotaal;;;3000,00\n"));
    s.write(
        "mixed.csv",
        format!("{header}K-3;Smit;0612345677;3000,00\n"),
    );
    let (code, err, _) = convert(&s, "mixed.csv", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("amount column 'INVOICE_AMOUNT'"), "{err}");
    let (code, err, report) = convert(&s, "total.csv", &[]);
    assert_eq!(code, 0, "{err}");
    let report = report.unwrap();
    assert_eq!(counts(&report), [4, 2, 0, 2, 1]);
    assert_eq!(
        rows_with(&report, "row.footer"),
        [(5, "warning".to_string())]
    );
    assert_eq!(delivered(&s), 2);
}

#[test]
fn the_footer_message_names_the_label_and_the_sum_it_repeats() {
    let s = Scratch::new();
    s.fixture("rows/totals.ods");
    let (_, _, report) = convert(&s, "totals.ods", &[]);
    let report = report.unwrap();
    let footer = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "row.footer")
        .unwrap();
    let message = footer["message"].as_str().unwrap();
    assert!(
        message.contains("'Totaal'")
            && message.contains("148200 is the sum of column 'INVOICE_AMOUNT'"),
        "{message}"
    );
    assert_eq!(footer["value"], "Totaal");
}

#[test]
fn a_subtotal_with_data_below_it_is_rejected_and_the_last_ones_are_footers() {
    let s = Scratch::new();
    for fixture in ["rows/subtotals.xlsx", "rows/subtotals.ods"] {
        let input = s.fixture(fixture);
        let name = input.file_name().unwrap().to_str().unwrap();
        let (code, err, report) = convert(&s, name, &[]);
        assert_eq!(code, 1, "{fixture}: {err}");
        let report = report.unwrap();
        // Rows 2-6 and 8-12 are debtors; row 7 is a subtotal between them; rows 13 and 15
        // (after a blank row) end the sheet.
        assert_eq!(counts(&report), [13, 10, 1, 2, 2], "{fixture}");
        assert_eq!(
            rows_with(&report, "row.subtotal"),
            [(7, "error".to_string())],
            "{fixture}"
        );
        assert_eq!(
            rows_with(&report, "row.footer"),
            [(13, "warning".to_string()), (15, "warning".to_string())],
            "{fixture}"
        );
        // The subtotal is rejected as a whole: none of the rules speaks of its values.
        let about_7 = report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["row"] == 7)
            .count();
        assert_eq!(about_7, 1, "{fixture}");
        assert_eq!(delivered(&s), 10);
    }
}

#[test]
fn a_stray_quote_rejects_every_line_it_joined_and_the_counts_match_the_lines() {
    let s = Scratch::new();
    let input = s.fixture("rows/stray-quote.csv");
    let lines = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .count() as u64;
    let (code, err, report) = convert(&s, "stray-quote.csv", &[]);
    assert_eq!(code, 1, "{err}");
    let report = report.unwrap();
    assert_eq!(counts(&report), [lines - 1, 2, 5, 0, 0]);
    let stray: Vec<u64> = rows_with(&report, "row.stray_quote")
        .into_iter()
        .map(|(row, severity)| {
            assert_eq!(severity, "error");
            row
        })
        .collect();
    assert_eq!(stray, [2, 3, 4, 6, 7]);
    let issues = report["issues"].as_array().unwrap();
    let message = |row: u64| {
        issues.iter().find(|i| i["row"] == row).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message(2).contains("lines 2 to 4"), "{}", message(2));
    assert!(message(3).contains("line 3"), "{}", message(3));
    assert!(
        message(6).contains("followed by more text"),
        "{}",
        message(6)
    );
    assert!(message(7).contains("\\\""), "{}", message(7));
    let delivery = s.read(&format!(
        "out/{}",
        s.files("out").iter().find(|f| f.ends_with(".csv")).unwrap()
    ));
    assert!(delivery.contains("\"T-4\"") && delivery.contains("\"T-7\""));
    assert!(
        !delivery.contains("Installatie"),
        "no line was merged into a value"
    );
}

#[test]
fn real_multi_line_values_are_delivered() {
    let s = Scratch::new();
    for (fixture, debtors) in [("rows/multiline-address.csv", 6), ("rows/quoted.csv", 12)] {
        let input = s.fixture(fixture);
        let name = input.file_name().unwrap().to_str().unwrap();
        let (code, err, report) = convert(&s, name, &[]);
        assert_eq!(code, 0, "{fixture}: {err}");
        assert_eq!(counts(&report.unwrap()), [debtors, debtors, 0, 0, 0]);
        let delivery = s.read(&format!(
            "out/{}",
            s.files("out").iter().find(|f| f.ends_with(".csv")).unwrap()
        ));
        assert!(delivery.contains(" achterhuis\""), "{fixture}: {delivery}");
    }
}

#[test]
fn a_file_cut_inside_a_quoted_value_is_refused_and_nothing_is_written() {
    let s = Scratch::new();
    s.fixture("rows/cut-in-quote.csv");
    let (code, err, report) = convert(&s, "cut-in-quote.csv", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cut-in-quote.csv") && err.contains("line 14") && err.contains("cut off"),
        "{err}"
    );
    assert!(
        report.is_none() && s.files("out").is_empty(),
        "nothing is written"
    );
}

#[test]
fn a_last_line_without_a_line_break_is_delivered_with_a_warning_naming_it() {
    let s = Scratch::new();
    s.fixture("rows/no-final-newline.csv");
    let (code, err, report) = convert(&s, "no-final-newline.csv", &[]);
    assert_eq!(code, 0, "{err}");
    let report = report.unwrap();
    assert_eq!(counts(&report), [12, 12, 0, 0, 0]);
    assert_eq!(
        rows_with(&report, "file.no_final_newline"),
        [(13, "warning".to_string())]
    );
    assert_eq!(delivered(&s), 12);
    // The same file with its line break says nothing.
    s.fixture("rows/quoted.csv");
    let (_, _, report) = convert(&s, "quoted.csv", &[]);
    assert!(rows_with(&report.unwrap(), "file.no_final_newline").is_empty());
}
