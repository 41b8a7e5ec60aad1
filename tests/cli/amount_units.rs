//! End-to-end: the unit of each amount column, decided from number formats and checked on
//! every row (fixtures/amounts, made by scripts/make-amount-fixtures.py).

use crate::harness::{convert, delivery, nothing_written, Scratch};
use serde_json::Value;

/// The delivery of formats.* : every formatted amount is euros (×100), the General column of
/// whole numbers stays cents.
const EUROS: &str = "\"IDENTIFICATION_IDENTIFIER\";\"INVOICE_CURRENCY\";\"INVOICE_AMOUNT\";\"INVOICE_TAX\";\"INVOICE_ARRANGEMENT_AMOUNT\";\"INVOICE_ARRANGEMENT_REMAINING\";\"INVOICELINES_1_UNITPRICE\"
\"A-1\";\"EUR\";\"4500\";\"2100\";\"10000\";\"700\";\"4500\"
\"A-2\";\"EUR\";\"1250\";\"263\";\"123450\";\"50\";\"1250\"
\"A-3\";\"EUR\";\"0\";\"0\";\"9999\";\"100000\";\"99\"
";

fn issues<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == code)
        .collect()
}

#[test]
fn formatted_amounts_are_euros_in_every_workbook_format() {
    let s = Scratch::new();
    for ext in ["xlsx", "xls", "ods", "xlsb"] {
        let name = format!("formats.{ext}");
        s.fixture(&format!("amounts/{name}"));
        let state = format!("state-{ext}");
        let (code, err, report) = convert(&s, &name, &["--list-fixes", "--state-dir", &state]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(delivery(&s).expect("one delivery"), EUROS, "{name}");
        let report = report.unwrap();
        assert_eq!(report["summary"]["warnings"], 0, "{name}: {report}");
        assert_eq!(
            report["summary"]["by_code"]["amount.from_format"], 12,
            "{name}"
        );
        // 45 shown as 45,00 is delivered as 4500, and the fix says why.
        let fix = issues(&report, "amount.from_format")
            .into_iter()
            .find(|i| i["row"] == 2 && i["field"] == "INVOICE_AMOUNT")
            .unwrap_or_else(|| panic!("{name}: {report}"));
        assert_eq!(fix["value"], "45");
        assert_eq!(fix["fixed_value"], "4500");
        let message = fix["message"].as_str().unwrap();
        assert!(
            message.contains("#,##0.00") && message.contains("45.00 EUR"),
            "{name}: {message}"
        );
    }
}

#[test]
fn amounts_given_override_the_formats_with_a_warning_per_column() {
    let s = Scratch::new();
    s.fixture("amounts/formats.xlsx");
    // Minor: the formatted numbers are read as cents, 12.5 is refused, and each formatted
    // column is named in a warning.
    let (code, err, report) = convert(&s, "formats.xlsx", &["--amounts", "minor"]);
    assert_eq!(code, 1, "{err}");
    let report = report.unwrap();
    let conflicts: Vec<&str> = issues(&report, "amount.unit_conflict")
        .iter()
        .map(|i| i["column"].as_str().unwrap())
        .collect();
    assert_eq!(
        conflicts,
        [
            "INVOICE_AMOUNT",
            "INVOICE_TAX",
            "INVOICE_ARRANGEMENT_AMOUNT",
            "INVOICE_ARRANGEMENT_REMAINING"
        ]
    );
    let delivered = delivery(&s).expect("one delivery");
    assert!(
        delivered.contains("\"A-1\";\"EUR\";\"45\";\"21\";\"100\";\"7\";\"4500\""),
        "{delivered}"
    );
    // 12.5, 2.63, 1234.5, 0.5 and 99.99.
    assert_eq!(issues(&report, "amount.fraction").len(), 5, "{report}");
    // Major: the General column of whole numbers is euros too.
    let (code, err, _) = convert(&s, "formats.xlsx", &["--amounts", "major"]);
    assert_eq!(code, 0, "{err}");
    let delivered = delivery(&s).expect("one delivery");
    assert!(
        delivered.contains("\"A-1\";\"EUR\";\"4500\";\"2100\";\"10000\";\"700\";\"450000\""),
        "{delivered}"
    );
}

#[test]
fn a_mixed_column_is_refused_before_anything_is_written() {
    let s = Scratch::new();
    for (name, decimals, whole) in [
        (
            "mixed.xlsx",
            "row 2: the number 45 formatted '#,##0.00'",
            "row 4: the number 4500",
        ),
        ("mixed.csv", "row 4: '12,50'", "row 2: '4500'"),
    ] {
        s.fixture(&format!("amounts/{name}"));
        let (code, err, report) = convert(&s, name, &[]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(report.is_none());
        for part in [
            name,
            "'INVOICE_AMOUNT'",
            decimals,
            whole,
            "--amounts major",
            "--amounts minor",
        ] {
            assert!(err.contains(part), "{name}: no {part:?} in {err}");
        }
        assert!(!s.exists("out"), "{name}: the out dir was created");
        nothing_written(&s);
        // `validate` refuses it the same way.
        let out = s.cmd().args(["validate", name, "-q"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
    }
    // With the unit given, the CSV is read whole in that unit.
    let (code, err, _) = convert(&s, "mixed.csv", &["--amounts", "major"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        delivery(&s).expect("one delivery"),
        "\"IDENTIFICATION_IDENTIFIER\";\"INVOICE_AMOUNT\"\n\"C-1\";\"450000\"\n\"C-2\";\"125000\"\n\"C-3\";\"1250\"\n\"C-4\";\"9900\"\n"
    );
    let (code, err, report) = convert(&s, "mixed.csv", &["--amounts", "minor"]);
    assert_eq!(code, 1, "{err}");
    let refused = issues(report.as_ref().unwrap(), "amount.decimal");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["row"], 4);
}

#[test]
fn a_contradiction_after_the_first_rows_leaves_nothing_behind() {
    let s = Scratch::new();
    s.fixture("amounts/late.xlsx");
    // 9000 rows without an amount, read as cents; then formatted euros.
    let (code, err, report) = convert(&s, "late.xlsx", &["--sheet", "Laat"]);
    assert_eq!(code, 2, "{err}");
    assert!(report.is_none());
    assert!(
        err.contains("late.xlsx")
            && err.contains("'INVOICE_AMOUNT'")
            && err.contains("from row 9002 on")
            && err.contains("--amounts major"),
        "{err}"
    );
    nothing_written(&s);
    // 9000 formatted euros, then a whole number.
    let (code, err, _) = convert(&s, "late.xlsx", &["--sheet", "Gemengd"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("row 2: the number 45 formatted '#,##0.00'")
            && err.contains("row 9002: the number 4500"),
        "{err}"
    );
    nothing_written(&s);
    // Told the unit, both deliver every row.
    let (code, err, _) = convert(&s, "late.xlsx", &["--sheet", "Laat", "--amounts", "major"]);
    assert_eq!(code, 0, "{err}");
    assert!(delivery(&s)
        .expect("one delivery")
        .ends_with("\"L-09003\";\"4500\"\n"));
}

#[test]
fn a_number_with_three_decimals_is_not_an_amount_of_cents() {
    let s = Scratch::new();
    s.fixture("amounts/precision.xlsx");
    let (code, err, report) = convert(&s, "precision.xlsx", &[]);
    assert_eq!(code, 1, "{err}");
    let report = report.unwrap();
    let refused = issues(&report, "amount.precision");
    assert_eq!(refused.len(), 1, "{report}");
    assert_eq!(refused[0]["row"], 2);
    let message = refused[0]["message"].as_str().unwrap();
    assert!(
        message.contains("12.345 has 3 decimals") && !message.contains("can be read as"),
        "{message}"
    );
    assert!(delivery(&s)
        .expect("one delivery")
        .contains("\"P-2\";\"1000\""));
}

#[test]
fn xlsb_cells_that_calamine_would_skip_are_refused() {
    let s = Scratch::new();
    s.fixture("amounts/short-records.xlsb");
    let (code, err, _) = convert(&s, "short-records.xlsb", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("short form") && err.contains("save it as .xlsx"),
        "{err}"
    );
    nothing_written(&s);
}
