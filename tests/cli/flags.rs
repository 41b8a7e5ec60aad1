//! Flags whose logic is unit-tested, passed to the binary: each test shows the run with the flag
//! differs from the run without it in the way the flag promises, so a flag that is declared but
//! not wired through fails here. Also the `fields` command and workbooks told apart by content.

use predicates::prelude::*;

use crate::harness::{convert, delivery, json, Scratch};

const HEAD: &str = "\"IDENTIFICATION_IDENTIFIER\"";

#[test]
fn amounts_major_reads_a_mixed_column_as_euros() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;INVOICE_AMOUNT\nA1;1,50\nA2;2\n",
    );
    let (code, err, _) = convert(&s, "in.csv", &[]);
    assert_eq!(
        code, 2,
        "without --amounts the mixed column is refused: {err}"
    );
    assert!(err.contains("--amounts major"), "{err}");
    assert_eq!(delivery(&s), None);
    let (code, err, _) = convert(&s, "in.csv", &["--amounts", "major"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        delivery(&s).unwrap(),
        format!("{HEAD};\"INVOICE_AMOUNT\"\n\"A1\";\"150\"\n\"A2\";\"200\"\n")
    );
}

#[test]
fn date_order_decides_an_ambiguous_date() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;INVOICE_DATE\nA1;03/04/2026\n",
    );
    for (order, date) in [("dmy", "2026-04-03"), ("mdy", "2026-03-04")] {
        let (code, err, _) = convert(&s, "in.csv", &["--date-order", order]);
        assert_eq!(code, 0, "{order}: {err}");
        assert_eq!(
            delivery(&s).unwrap(),
            format!("{HEAD};\"INVOICE_DATE\"\n\"A1\";\"{date}\"\n"),
            "{order}"
        );
    }
}

#[test]
fn encoding_overrides_the_detected_one() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        b"IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;Caf\xc3\xa9\n",
    );
    let (code, err, _) = convert(&s, "in.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(delivery(&s).unwrap().contains("\"Café\""));
    // The same UTF-8 bytes, read as Windows-1252 because the flag says so.
    let (code, err, _) = convert(&s, "in.csv", &["--encoding", "windows-1252"]);
    assert_eq!(code, 0, "{err}");
    assert!(delivery(&s).unwrap().contains("\"CafÃ©\""));
}

#[test]
fn delimiter_overrides_the_detected_one() {
    let s = Scratch::new();
    s.write(
        "in.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;Jansen\n",
    );
    let (code, err, _) = convert(&s, "in.csv", &["--delimiter", ";"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        delivery(&s).unwrap(),
        format!("{HEAD};\"PERSON_FAMILYNAME\"\n\"A1\";\"Jansen\"\n")
    );
    // Told the delimiter is a tab, the header is one unknown column and no row has an
    // identifier; the warning points at the delimiter the file seems to use.
    let (code, err, report) = convert(&s, "in.csv", &["--delimiter", "tab"]);
    assert_eq!(code, 1, "{err}");
    let report = report.unwrap();
    assert_eq!(
        report["summary"]["by_code"]["identifier.missing"], 1,
        "{report}"
    );
    let unknown = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "column.unknown")
        .unwrap();
    assert_eq!(
        unknown["column"],
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME"
    );
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("--delimiter ';'"),
        "{unknown}"
    );
    assert_eq!(delivery(&s), None);
    s.write(
        "tabs.csv",
        "IDENTIFICATION_IDENTIFIER\tPERSON_FAMILYNAME\nA1\tJansen\n",
    );
    let (code, err, _) = convert(&s, "tabs.csv", &["--delimiter", "tab"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        delivery(&s).unwrap(),
        format!("{HEAD};\"PERSON_FAMILYNAME\"\n\"A1\";\"Jansen\"\n")
    );
}

#[test]
fn max_cell_size_rejects_the_row_with_the_large_cell() {
    let s = Scratch::new();
    let big = "x".repeat(2000);
    s.write(
        "in.csv",
        format!("IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA1;Jansen\nA2;{big}\n"),
    );
    let (code, _, report) = convert(&s, "in.csv", &[]);
    assert_eq!(code, 1);
    let by_code = &report.unwrap()["summary"]["by_code"];
    assert!(by_code.get("cell.too_large").is_none(), "{by_code}");
    let (code, _, report) = convert(&s, "in.csv", &["--max-cell-size", "1K"]);
    assert_eq!(code, 1);
    let summary = &report.unwrap()["summary"];
    assert_eq!(summary["by_code"]["cell.too_large"], 1, "{summary}");
    assert_eq!(summary["records_delivered"], 1, "{summary}");
    assert_eq!(
        delivery(&s).unwrap(),
        format!("{HEAD};\"PERSON_FAMILYNAME\"\n\"A1\";\"Jansen\"\n")
    );
}

#[test]
fn config_names_a_file_outside_the_usual_places() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    std::fs::create_dir(s.path().join("conf")).unwrap();
    s.write("conf/other.toml", "client = \"CONF\"\n");
    let run = |extra: &[&str]| {
        s.cmd()
            .args([
                "convert",
                "in.csv",
                "--out-dir",
                "out",
                "--date",
                "20261122",
                "-q",
            ])
            .args(extra)
            .assert()
    };
    // Not found by discovery: no client.
    run(&[])
        .code(2)
        .stderr(predicate::str::contains("--client"));
    run(&["--config", "conf/other.toml"]).code(0);
    assert_eq!(
        s.files("out"),
        ["20261122-CONF-1.csv", "20261122-CONF-1.report.json"]
    );
    // A file that is not there is an error, not a silent default.
    run(&["--config", "conf/missing.toml"])
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn report_dir_takes_the_report_out_of_the_out_dir() {
    let s = Scratch::new();
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    let (code, err, _) = convert(&s, "in.csv", &["--report-dir", "reports"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(s.files("out"), ["20261122-X-1.csv"]);
    assert_eq!(s.files("reports"), ["20261122-X-1.report.json"]);
    let report = json(&s.read("reports/20261122-X-1.report.json"));
    assert_eq!(report["summary"]["records_delivered"], 1);
}

#[test]
fn fields_lists_the_registry_and_marks_what_the_services_require() {
    let s = Scratch::new();
    let out = s
        .cmd()
        .args(["fields", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let fields: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let fields = fields.as_array().unwrap();
    assert!(fields.len() > 50, "{}", fields.len());
    let family = |v: &[serde_json::Value]| {
        v.iter()
            .find(|f| f["field"] == "PERSON_FAMILYNAME")
            .cloned()
            .unwrap()
    };
    assert_eq!(fields[0]["field"], "IDENTIFICATION_IDENTIFIER");
    assert_eq!(family(fields)["required"], false);
    // Paylink requires the family name; SMS does not.
    let marked = |services: &str| {
        let out = s
            .cmd()
            .args(["fields", "--format", "json", "--services", services])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        family(v.as_array().unwrap())["required"].clone()
    };
    assert_eq!(marked("paylink"), true);
    assert_eq!(marked("sms"), false);
    s.cmd()
        .args(["fields", "--format", "csv", "--services", "paylink"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "field;category;type;max_chars;occurrences;api_name;required_by;required\n",
        ))
        .stdout(predicate::str::contains(
            "\nPERSON_FAMILYNAME;PERSON;VARCHAR;100;1;personFamilyName;paylink,emandate,enrichment;yes\n",
        ));
    s.cmd()
        .args(["fields", "--services", "nosuch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nosuch"));
}

/// The report's input entry: which format the file was read as.
fn read_as(report: &serde_json::Value) -> &str {
    report["inputs"][0]["format"].as_str().unwrap()
}

#[test]
fn an_xlsb_is_known_by_its_content_whatever_its_name() {
    let s = Scratch::new();
    s.fixture("amounts/formats.xlsb");
    let (code, err, report) = convert(&s, "formats.xlsb", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read_as(report.as_ref().unwrap()), "xlsb");
    let expected = delivery(&s).unwrap();
    for name in ["renamed.xlsx", "renamed.data"] {
        std::fs::copy(s.path().join("formats.xlsb"), s.path().join(name)).unwrap();
        let (code, err, report) = convert(&s, name, &[]);
        assert_eq!(code, 0, "{name}: {err}");
        let report = report.unwrap();
        assert_eq!(read_as(&report), "xlsb", "{name}");
        assert_eq!(delivery(&s).unwrap(), expected, "{name}");
    }
    // Named as another workbook format, it says so.
    let (_, _, report) = convert(&s, "renamed.xlsx", &[]);
    let by_code = &report.unwrap()["summary"]["by_code"];
    assert_eq!(by_code["file.format_mismatch"], 1, "{by_code}");
}

/// A macro-enabled workbook as LibreOffice saves one (`fixtures/sheets/customers.xlsm`, made by
/// `scripts/make-sheet-fixtures.py --xlsm`), not a renamed `.xlsx`: its main part has the
/// `.xlsm` content type. It is read as the workbook it is, under its own name or any other, and
/// delivers exactly what the `.xlsx` of the same data delivers.
#[test]
fn a_real_xlsm_is_detected_and_converted() {
    let s = Scratch::new();
    let xlsm = s.fixture("sheets/customers.xlsm");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsm).unwrap()).unwrap();
    let mut types = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("[Content_Types].xml").unwrap(), &mut types)
        .unwrap();
    assert!(
        types.contains("application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
        "{types}"
    );
    s.fixture("sheets/customers.xlsx");
    let (code, err, _) = convert(&s, "customers.xlsx", &[]);
    assert_eq!(code, 0, "{err}");
    let expected = delivery(&s).unwrap();
    std::fs::copy(&xlsm, s.path().join("customers.data")).unwrap();
    for name in ["customers.xlsm", "customers.data"] {
        let (code, err, report) = convert(&s, name, &[]);
        assert_eq!(code, 0, "{name}: {err}");
        let report = report.unwrap();
        assert_eq!(read_as(&report), "xlsx", "{name}");
        assert_eq!(report["summary"]["records_delivered"], 20, "{name}");
        assert!(
            report["summary"]["by_code"]
                .get("file.format_mismatch")
                .is_none(),
            "{name}: {report}"
        );
        assert_eq!(delivery(&s).unwrap(), expected, "{name}");
    }
}

#[test]
fn an_xlsm_is_read_as_the_workbook_it_is() {
    let s = Scratch::new();
    s.fixture("sheets/customers.xlsx");
    let (code, err, _) = convert(&s, "customers.xlsx", &[]);
    assert_eq!(code, 0, "{err}");
    let expected = delivery(&s).unwrap();
    std::fs::copy(
        s.path().join("customers.xlsx"),
        s.path().join("customers.xlsm"),
    )
    .unwrap();
    let (code, err, report) = convert(&s, "customers.xlsm", &[]);
    assert_eq!(code, 0, "{err}");
    let report = report.unwrap();
    assert_eq!(read_as(&report), "xlsx");
    assert!(
        report["summary"]["by_code"]
            .get("file.format_mismatch")
            .is_none(),
        "{report}"
    );
    assert_eq!(delivery(&s).unwrap(), expected);
}
