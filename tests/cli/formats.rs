//! End-to-end: every input format into the same delivery, the typed workbook, the XML and
//! JSON Lines deliveries, and `collectmaxx sheets`.

use crate::harness::{json, Scratch};

trait ReadFixture {
    fn read_fixture(&self, rel: &str) -> String;
}

impl ReadFixture for Scratch {
    fn read_fixture(&self, rel: &str) -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(rel),
        )
        .unwrap()
    }
}

fn convert(s: &Scratch, input: &str, out: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    convert_on(s, "2026-09-01", input, out, extra)
}

fn convert_on(
    s: &Scratch,
    today: &str,
    input: &str,
    out: &str,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    // One scratch dir converts the same records several times: each conversion gets its own
    // delivery history, so none is numbered or rejected after another.
    let state = format!("state-{out}");
    let mut args = vec![
        "convert",
        input,
        "--client",
        "ACME",
        "--out-dir",
        out,
        "--date",
        "20260901",
        "--today",
        today,
        "-q",
        "--state-dir",
        &state,
    ];
    args.extend_from_slice(extra);
    s.cmd().args(&args).assert()
}

#[test]
fn the_same_records_in_every_format_give_a_byte_identical_delivery() {
    let s = Scratch::new();
    let expected = {
        s.fixture("sheets/customers.csv");
        convert(&s, "customers.csv", "csv", &[]).code(0);
        std::fs::read(s.path().join("csv/20260901-ACME-1.csv")).unwrap()
    };
    assert_eq!(
        String::from_utf8_lossy(&expected).lines().count(),
        21,
        "20 records and a header"
    );
    for ext in ["xlsx", "xls", "ods", "xml"] {
        let name = format!("customers.{ext}");
        s.fixture(&format!("sheets/{name}"));
        convert(&s, &name, ext, &[]).code(0);
        let got = std::fs::read(s.path().join(format!("{ext}/20260901-ACME-1.csv"))).unwrap();
        assert!(
            got == expected,
            "{name} gives another delivery:\n{}",
            String::from_utf8_lossy(&got)
        );
        let report = json(&s.read(&format!("{ext}/20260901-ACME-1.report.json")));
        assert_eq!(report["inputs"][0]["format"], ext);
        assert_eq!(report["summary"]["warnings"], 0, "{name}: {report}");
    }
}

#[test]
fn the_typed_workbook_converts_with_the_sheets_own_row_numbers() {
    let s = Scratch::new();
    s.fixture("sheets/typed.xlsx");
    // The invoices are from January 2024. The amount column holds whole cents and one 12.5:
    // its unit is given (without it the column is refused, see the next test).
    convert_on(
        &s,
        "2024-01-10",
        "typed.xlsx",
        "out",
        &["--list-fixes", "--amounts", "minor"],
    )
    .code(1);
    let delivery = s.read("out/20260901-ACME-1.csv");
    insta::assert_snapshot!("typed_delivery", delivery);
    let report = json(&s.read("out/20260901-ACME-1.report.json"));
    let issues: Vec<String> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "row {} {} {} {}: {}",
                i["row"], i["severity"], i["code"], i["field"], i["message"]
            )
        })
        .collect();
    insta::assert_snapshot!("typed_issues", issues.join("\n"));
    // The same workbook saved as .ods and .xls gives the same delivery.
    for ext in ["ods", "xls"] {
        let name = format!("typed.{ext}");
        s.fixture(&format!("sheets/{name}"));
        convert_on(&s, "2024-01-10", &name, ext, &["--amounts", "minor"]).code(1);
        assert_eq!(
            s.read(&format!("{ext}/20260901-ACME-1.csv")),
            delivery,
            "{name}"
        );
    }
}

#[test]
fn the_typed_workbooks_amount_column_is_mixed_without_amounts() {
    // Whole cents (1250, 99950) beside a plain number with a fraction (12.5), in every format
    // the workbook was saved in: the unit cannot be told, so nothing is written.
    let s = Scratch::new();
    for ext in ["xlsx", "xls", "ods"] {
        let name = format!("typed.{ext}");
        s.fixture(&format!("sheets/{name}"));
        let out = convert_on(&s, "2024-01-10", &name, ext, &[]).code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(&name)
                && err.contains("'INVOICE_AMOUNT'")
                && err.contains("row 5: the number 12.5")
                && err.contains("row 4: the number 1250")
                && err.contains("--amounts major")
                && err.contains("--amounts minor"),
            "{err}"
        );
        assert!(!s.exists(ext), "{name}: nothing may be written");
    }
}

#[test]
fn csv_to_xml_to_csv_is_byte_identical() {
    let s = Scratch::new();
    s.fixture("sheets/customers.csv");
    convert(&s, "customers.csv", "direct", &[]).code(0);
    convert(&s, "customers.csv", "xml", &["--to", "xml"]).code(0);
    assert_eq!(
        s.files("xml"),
        ["20260901-ACME-1.report.json", "20260901-ACME-1.xml"]
    );
    let xml = s.read("xml/20260901-ACME-1.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<annabel>\n"));
    assert!(xml.contains("<description>Gas &amp; licht, oktober</description>"));
    assert!(xml.contains("<description>Abonnement &lt;basis&gt;</description>"));
    convert(&s, "xml/20260901-ACME-1.xml", "back", &[]).code(0);
    assert_eq!(
        s.read("back/20260901-ACME-1.csv"),
        s.read("direct/20260901-ACME-1.csv")
    );
}

#[test]
fn superseded_records_are_left_out_of_the_xml_and_json_lines_deliveries() {
    // The first and a middle record come again at the end with another family name: the
    // later ones win, and the earlier ones are skipped in every format (the XML and JSON
    // Lines deliveries drop their bytes, the CSV its lines).
    let s = Scratch::new();
    let csv = s.read_fixture("sheets/customers.csv");
    let lines: Vec<&str> = csv.lines().collect();
    let mut text = csv.clone();
    for line in [lines[1], lines[5]] {
        text.push_str(&line.replacen(",de Vries,", ",Later,", 1));
        text.push('\n');
    }
    s.write("customers.csv", text);
    // Exit 1: a superseded record counts as rejected.
    convert(&s, "customers.csv", "direct", &[]).code(1);
    convert(&s, "customers.csv", "xml", &["--to", "xml"]).code(1);
    convert(&s, "customers.csv", "jsonl", &["--to", "jsonl"]).code(1);
    let direct = s.read("direct/20260901-ACME-1.csv");
    assert_eq!(direct.lines().count(), lines.len());
    let xml = s.read("xml/20260901-ACME-1.xml");
    assert_eq!(xml.matches("  <record>\n").count(), lines.len() - 1);
    assert!(xml.ends_with("  </record>\n</annabel>\n"), "{xml}");
    convert(&s, "xml/20260901-ACME-1.xml", "back", &[]).code(0);
    assert_eq!(s.read("back/20260901-ACME-1.csv"), direct);
    let jsonl = s.read("jsonl/20260901-ACME-1.jsonl");
    let references: Vec<String> = jsonl
        .lines()
        .map(|l| json(l)["reference"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = direct
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap().trim_matches('"').to_string())
        .collect();
    assert_eq!(references, expected);
    assert_eq!(references.first().map(String::as_str), Some("K-1002"));
}

#[test]
fn the_demo_export_survives_a_trip_through_xml() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let extra = ["--services", "sms,paylink"];
    convert(&s, "export.csv", "direct", &extra).code(1);
    convert(
        &s,
        "export.csv",
        "xml",
        &[&extra[..], &["--to", "xml"]].concat(),
    )
    .code(1);
    convert(&s, "xml/20260901-ACME-1.xml", "back", &extra).code(0);
    assert_eq!(
        s.read("back/20260901-ACME-1.csv"),
        s.read("direct/20260901-ACME-1.csv")
    );
}

#[test]
fn jsonl_uses_api_names_and_reports_the_dropped_columns_once() {
    let s = Scratch::new();
    let csv = s.read_fixture("sheets/customers.csv");
    // Add two columns the API has no field for.
    let mut lines = csv.lines();
    let mut text = format!("{},INVOICE_TAX,CONTACT_EMAIL_2\n", lines.next().unwrap());
    for l in lines {
        text.push_str(&format!("{l},21,b@example.nl\n"));
    }
    s.write("customers.csv", text);
    convert(&s, "customers.csv", "out", &["--to", "jsonl"]).code(0);
    let text = s.read("out/20260901-ACME-1.jsonl");
    assert_eq!(text.lines().count(), 20);
    let first = json(text.lines().next().unwrap());
    assert_eq!(first["reference"], "K-1001");
    assert_eq!(first["personFamilyName"], "de Vries");
    assert_eq!(first["invoiceAmount"], 3229);
    assert!(first["toPhoneNumbers"].is_array());
    assert_eq!(first["invoiceLinesUnitPrices"], serde_json::json!([1100]));
    let report = json(&s.read("out/20260901-ACME-1.report.json"));
    let dropped: Vec<&serde_json::Value> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "jsonl.columns_dropped")
        .collect();
    assert_eq!(dropped.len(), 1, "{report}");
    let message = dropped[0]["message"].as_str().unwrap();
    assert!(
        message.contains("CONTACT_EMAIL_2, INVOICE_TAX"),
        "{message}"
    );
    assert!(!message.contains("CONTACT_PHONENUMBER_2"), "{message}");
    assert_eq!(dropped[0]["severity"], "warning");
}

#[test]
fn sheets_lists_the_sheets_and_refuses_other_files() {
    let s = Scratch::new();
    s.fixture("sheets/typed.xlsx");
    let out = s.cmd().args(["sheets", "typed.xlsx"]).assert().code(0);
    insta::assert_snapshot!(
        "sheets_table",
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    );
    let out = s
        .cmd()
        .args(["sheets", "typed.xlsx", "--format", "json"])
        .assert()
        .code(0);
    let listed = json(&String::from_utf8(out.get_output().stdout.clone()).unwrap());
    assert_eq!(listed[0]["name"], "Debiteuren");
    assert_eq!(listed[0]["rows"], 6);
    s.fixture("sheets/customers.csv");
    s.cmd()
        .args(["sheets", "customers.csv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a workbook"));
}

#[test]
fn an_unknown_sheet_is_refused_with_the_sheets_listed() {
    let s = Scratch::new();
    s.fixture("sheets/typed.xlsx");
    convert(&s, "typed.xlsx", "out", &["--sheet", "Blad9"])
        .code(2)
        .stderr(predicates::str::contains("no sheet 'Blad9'"))
        .stderr(predicates::str::contains("0: 'Debiteuren'"));
    let minor = ["--amounts", "minor"];
    convert(
        &s,
        "typed.xlsx",
        "out2",
        &[&["--sheet", "0"][..], &minor].concat(),
    )
    .code(1);
    convert(
        &s,
        "typed.xlsx",
        "out3",
        &[&["--sheet", "debiteuren"][..], &minor].concat(),
    )
    .code(1);
}

#[test]
fn damaged_workbooks_stop_with_the_file_named() {
    let s = Scratch::new();
    for (name, fixture) in [
        ("cut.xlsx", "sheets/customers.xlsx"),
        ("cut.ods", "sheets/customers.ods"),
        ("cut.xls", "sheets/customers.xls"),
    ] {
        let src = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(fixture),
        )
        .unwrap();
        s.write(name, &src[..src.len() / 2]);
        convert(&s, name, "out", &[])
            .code(2)
            .stderr(predicates::str::contains(name));
    }
    assert!(!s.exists("out/20260901-ACME-1.csv"));
}

#[test]
fn input_format_overrides_detection() {
    let s = Scratch::new();
    s.fixture("sheets/customers.xml");
    // Read as CSV, the XML file's lines are rows without an identifier.
    convert(&s, "customers.xml", "out", &["--input-format", "csv"]).code(1);
    let report = json(&s.read("out/20260901-ACME-1.report.json"));
    assert_eq!(report["inputs"][0]["format"], "csv");
    assert_eq!(report["summary"]["records_delivered"], 0);
    convert(&s, "customers.xml", "ok", &["--input-format", "xml"]).code(0);
}

/// A column that first appears deep into a record file is reported where the reader met it:
/// after the issues of every earlier batch and before those of its own, whatever the number of
/// threads (the report is the same bytes for any `--threads`).
#[test]
fn a_column_found_late_is_reported_in_input_order() {
    let s = Scratch::new();
    let late = collectmaxx::run::BATCH as u64 + 500;
    let mut xml = String::from("<annabel>\n");
    for i in 1..=3 * collectmaxx::run::BATCH as u64 {
        let extra = if i == late {
            "<person><nickname>x</nickname></person>"
        } else {
            ""
        };
        xml.push_str(&format!(
            "<record><identification><identifier>ID{i}</identifier></identification>\
             <address><country>nl</country></address>{extra}</record>\n"
        ));
    }
    xml.push_str("</annabel>\n");
    s.write("in.xml", xml);
    let report = |threads: &str| {
        let out = s
            .cmd()
            .args(["validate", "in.xml", "--format", "json", "--list-fixes"])
            .args(["--threads", threads])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        json(std::str::from_utf8(&out.stdout).unwrap())["issues"].clone()
    };
    let issues = report("2");
    let at = issues
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["code"] == "column.unknown")
        .expect("the unknown column is reported");
    let batch_start =
        (late - 1) / collectmaxx::run::BATCH as u64 * collectmaxx::run::BATCH as u64 + 1;
    assert_eq!(issues[at - 1]["row"], batch_start - 1, "{}", issues[at - 1]);
    assert_eq!(issues[at + 1]["row"], batch_start, "{}", issues[at + 1]);
    for _ in 0..2 {
        assert_eq!(report("2"), issues);
    }
    assert_eq!(report("1"), issues);
}
