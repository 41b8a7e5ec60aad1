//! Workbooks that are locked, misread or misnamed (fixtures/workbooks, made by LibreOffice and
//! xlwt; see fixtures/README.md): the tool says what each file is and what to do, or reads it
//! as what it is.

use std::path::{Path, PathBuf};

use crate::harness::{convert, json, Scratch, LIMIT};
use calamine::{Data, Reader, Xls};

fn workbook(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/workbooks")
        .join(name)
}

/// Copies `fixtures/workbooks/<name>` into the scratch dir as `as_name`.
fn copy(s: &Scratch, name: &str, as_name: &str) {
    std::fs::copy(workbook(name), s.path().join(as_name)).unwrap();
}

/// Runs the binary with `args` in the scratch dir: (exit code, stdout, stderr).
fn run(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    let out = s.cmd().args(args).timeout(LIMIT).output().unwrap();
    (
        out.status.code().expect("ended by a signal or a timeout"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `convert`, `validate` and `sheets` all refuse `file` with exit 2 and a message holding every
/// needle; `convert` writes nothing.
fn refused_everywhere(s: &Scratch, file: &str, extra: &[&str], needles: &[&str]) -> String {
    let (code, err, _) = convert(s, file, extra);
    assert_eq!(code, 2, "convert {file}: {err}");
    assert!(s.files("out").is_empty(), "{:?}", s.files("out"));
    let mut validate = vec!["validate", file];
    validate.extend_from_slice(extra);
    let (vcode, _, verr) = run(s, &validate);
    assert_eq!(vcode, 2, "validate {file}: {verr}");
    let mut sheets = vec!["sheets", file];
    sheets.extend_from_slice(extra);
    let (scode, _, serr) = run(s, &sheets);
    assert_eq!(scode, 2, "sheets {file}: {serr}");
    for text in [&err, &verr, &serr] {
        assert!(text.contains(file), "names the file: {text}");
        for needle in needles {
            assert!(text.contains(needle), "expected '{needle}' in: {text}");
        }
    }
    err
}

#[test]
fn password_protected_workbooks_say_so_and_what_to_do() {
    let s = Scratch::new();
    for name in ["encrypted.xlsx", "encrypted.xls", "encrypted.ods"] {
        copy(&s, name, name);
        let err = refused_everywhere(&s, name, &[], &["password-protected", "without one"]);
        for misleading in ["Workbook stream", "damaged", "spans", "not a valid"] {
            assert!(!err.contains(misleading), "{name}: {err}");
        }
    }
    // Excel writes an encrypted .xlsb in the same container: whatever the name or the format
    // forced, the answer is the same.
    copy(&s, "encrypted.xlsx", "locked.xlsb");
    refused_everywhere(
        &s,
        "locked.xlsb",
        &[],
        &["password-protected Excel workbook"],
    );
    for forced in ["xlsx", "xlsb", "xls", "ods"] {
        refused_everywhere(
            &s,
            "locked.xlsb",
            &["--input-format", forced],
            &["password-protected"],
        );
    }
    let err = refused_everywhere(&s, "encrypted.xls", &[], &["protected workbook structure"]);
    assert!(err.contains(".xls workbook"), "{err}");
}

/// The fixture shows calamine's defect (so the test below can fail): read with calamine's
/// defaults, its BIFF8 text comes out as UTF-16 bytes taken for Windows-1252 characters.
#[test]
fn the_codepage_fixture_reproduces_calamines_defect() {
    let mut wb: Xls<_> = calamine::open_workbook(workbook("codepage-1252.xls")).unwrap();
    let range = wb.worksheet_range("Klanten").unwrap();
    assert_eq!(
        range.get((0, 1)),
        Some(&Data::String("T\0i\0t\0e\0l\0".into()))
    );
}

#[test]
fn a_biff8_workbook_whose_codepage_record_says_1252_is_read_as_unicode() {
    let s = Scratch::new();
    copy(&s, "codepage-1252.xls", "klanten.xls");
    s.write(
        "mapping.toml",
        "[columns]\n\"Klantnummer\" = \"IDENTIFICATION_IDENTIFIER\"\n\"Titel\" = \
         \"PERSON_HONORIFICPREFIX\"\n\"Achternaam\" = \"PERSON_FAMILYNAME\"\n\"Woonplaats\" = \
         \"ADDRESS_CITY\"\n",
    );
    let (code, err, report) = convert(&s, "klanten.xls", &["--mapping", "mapping.toml"]);
    assert_eq!(code, 0, "{err}");
    let report = report.unwrap();
    assert_eq!(report["summary"]["records_delivered"], 2, "{report}");
    let delivery = s.read("out/20261122-X-1.csv");
    assert_eq!(
        delivery,
        "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\";\"PERSON_HONORIFICPREFIX\";\"ADDRESS_CITY\"\n\
         \"K-1001\";\"Müller\";\"dhr.\";\"Łódź\"\n\
         \"K-1002\";\"Ærø\";\"mevr.\";\"Köln\"\n"
    );
}

/// The fixture holds what calamine's issue343.xls holds: one formula cell whose cached value is
/// empty text.
#[test]
fn the_empty_formula_fixture_holds_only_empty_text() {
    let mut wb: Xls<_> = calamine::open_workbook(workbook("empty-text-formula.xls")).unwrap();
    let range = wb.worksheet_range("Лист1").unwrap();
    let cells: Vec<&Data> = range.cells().map(|(_, _, c)| c).collect();
    assert_eq!(cells, [&Data::String(String::new())]);
}

#[test]
fn sheets_and_validate_agree_on_a_sheet_of_empty_text_formulas() {
    let s = Scratch::new();
    copy(&s, "empty-text-formula.xls", "leeg.xls");
    let (code, out, err) = run(&s, &["sheets", "leeg.xls", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let sheets = json(&out);
    assert_eq!(sheets[0]["name"], "Лист1");
    assert_eq!(
        (&sheets[0]["rows"], &sheets[0]["area"]),
        (&0.into(), &"".into())
    );
    // The three rows of ="" below the records are no rows either.
    assert_eq!(
        (&sheets[1]["rows"], &sheets[1]["area"]),
        (&3.into(), &"A1:C3".into())
    );
    let (code, _, err) = run(&s, &["validate", "leeg.xls"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("sheet 'Лист1' has no values")
            && err.contains("1 cell with only empty text")
            && err.contains("--sheet"),
        "{err}"
    );
    let (code, err, report) = convert(&s, "leeg.xls", &["--sheet", "Klanten"]);
    assert_eq!(code, 0, "{err}");
    let summary = &report.unwrap()["summary"];
    assert_eq!(summary["records_delivered"], 2, "{summary}");
    assert_eq!(summary["rows_skipped"], 3, "{summary}");
}

#[test]
fn web_pages_and_excel_2003_xml_named_xls_are_refused_saying_what_they_are() {
    let s = Scratch::new();
    copy(&s, "html-table.xls", "export.xls");
    refused_everywhere(
        &s,
        "export.xls",
        &[],
        &["named as .xls but a web page (HTML)", "save it as .xlsx"],
    );
    // A web page is no CSV either, whatever it is called.
    copy(&s, "html-table.xls", "export.csv");
    let (code, err, _) = convert(&s, "export.csv", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a web page (HTML)"), "{err}");
    copy(&s, "spreadsheetml-2003.xls", "export2003.xls");
    refused_everywhere(
        &s,
        "export2003.xls",
        &[],
        &["Excel 2003 XML spreadsheet", "save it as .xlsx"],
    );
    // LibreOffice's flat OpenDocument (one XML file), also under an .ods name.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sheets/typed.fods"),
        s.path().join("flat.ods"),
    )
    .unwrap();
    refused_everywhere(
        &s,
        "flat.ods",
        &[],
        &["a flat OpenDocument file", "save it as .ods"],
    );
    copy(&s, "spreadsheetml-2003.xls", "export2003.xml");
    let (code, err, _) = convert(&s, "export2003.xml", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Excel 2003 XML spreadsheet"), "{err}");
}

#[test]
fn a_one_line_text_named_xls_is_refused_and_can_still_be_forced() {
    let s = Scratch::new();
    copy(&s, "one-line.xls", "export.xls");
    refused_everywhere(
        &s,
        "export.xls",
        &[],
        &[
            "a text file, not a workbook",
            "'Debiteuren export 30-11-2026: geen gegevens'",
            "--input-format csv",
        ],
    );
    // Forced, it is read as the one-column CSV it then is.
    let (code, err, report) = convert(&s, "export.xls", &["--input-format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report.unwrap()["summary"]["rows_read"], 0);
}

#[test]
fn tab_separated_text_named_xls_is_read_as_such_with_a_warning() {
    let s = Scratch::new();
    for name in ["tab-separated.xls", "unicode-text.xls"] {
        copy(&s, name, name);
        let (code, err, report) = convert(&s, name, &[]);
        assert!(code == 0 || code == 1, "{name}: {err}");
        let report = report.unwrap();
        assert_eq!(report["summary"]["rows_read"], 20, "{name}");
        assert_eq!(report["inputs"][0]["format"], "csv");
        let warning = report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == "file.format_mismatch")
            .unwrap_or_else(|| panic!("{name}: {report}"));
        let message = warning["message"].as_str().unwrap();
        assert!(
            message.contains("its content is tab-separated text: it was read as csv"),
            "{message}"
        );
        let (code, _, err) = run(&s, &["sheets", name]);
        assert_eq!(code, 2);
        assert!(
            err.contains("is tab-separated text, not a workbook"),
            "{err}"
        );
    }
}

#[test]
fn a_zipped_csv_named_xlsx_says_what_the_zip_holds() {
    let s = Scratch::new();
    copy(&s, "zipped-csv.xlsx", "export.xlsx");
    refused_everywhere(
        &s,
        "export.xlsx",
        &[],
        &["a zip archive of other files (customers.csv)", "unzip it"],
    );
}

#[test]
fn the_report_and_the_summary_name_the_sheet_that_was_read() {
    let s = Scratch::new();
    copy(&s, "empty-text-formula.xls", "twee.xls");
    s.fixture("sheets/customers.csv");
    let (code, err, report) = convert(&s, "twee.xls", &["--sheet", "1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report.unwrap()["inputs"][0]["sheet"], "Klanten");
    let (code, out, err) = run(
        &s,
        &[
            "validate",
            "twee.xls",
            "customers.csv",
            "--sheet",
            "klanten",
        ],
    );
    assert!(code == 0 || code == 1, "{err}");
    assert!(
        out.starts_with("25 rows read from twee.xls (sheet 'Klanten'), customers.csv:"),
        "{out}"
    );
    let (_, out, _) = run(
        &s,
        &[
            "validate",
            "twee.xls",
            "customers.csv",
            "--sheet",
            "Klanten",
            "--format",
            "json",
        ],
    );
    let report = json(&out);
    assert_eq!(report["inputs"][0]["sheet"], "Klanten");
    // Not a spreadsheet: no sheet key at all.
    assert!(
        report["inputs"][1].get("sheet").is_none(),
        "{}",
        report["inputs"][1]
    );
}
