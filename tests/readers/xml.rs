//! The XML reader on its own: forms of the format, refusals, errors with their place.

use std::path::PathBuf;

use collectmaxx::source::{open, Cell, ReadOptions, Row, RowResult, SourceError};
use proptest::prelude::*;

fn file(text: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.xml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn read_all(text: &str) -> (Vec<String>, Vec<RowResult>) {
    let (_d, path) = file(text.as_bytes());
    let mut src = open(&path, &ReadOptions::default()).unwrap();
    let mut rows = Vec::new();
    while let Some(r) = src.next_row() {
        rows.push(r.unwrap());
    }
    (src.header().to_vec(), rows)
}

fn open_err(text: &str) -> SourceError {
    let (_d, path) = file(text.as_bytes());
    match open(&path, &ReadOptions::default()) {
        Err(e) => e,
        Ok(mut src) => loop {
            match src.next_row() {
                Some(Err(e)) => break e,
                Some(Ok(_)) => continue,
                None => panic!("no error for {text}"),
            }
        },
    }
}

fn row(r: &RowResult) -> &Row {
    match r {
        RowResult::Row(row) => row,
        other => panic!("not a row: {other:?}"),
    }
}

fn value<'a>(header: &[String], r: &'a Row, column: &str) -> &'a Cell {
    let i = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column} in {header:?}"));
    r.cells.get(i).unwrap_or(&Cell::Empty)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

#[test]
fn numbered_and_repeated_elements_name_the_same_columns() {
    let (header, rows) = read_all(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<annabel>
  <record>
    <identification><identifier>K-1</identifier></identification>
    <contact><phonenumber>0612345678</phonenumber><phonenumber>0201234567</phonenumber></contact>
    <invoicelines><description>Levering</description></invoicelines>
    <invoicelines><description>Vastrecht</description><unitprice>995</unitprice></invoicelines>
  </record>
  <RECORD>
    <Identification><IDENTIFIER>K-2</IDENTIFIER></Identification>
    <contact><phonenumber_2>0207654321</phonenumber_2><email_1>a@example.nl</email_1></contact>
    <invoicelines_2><unitprice>100</unitprice></invoicelines_2>
  </RECORD>
</annabel>
"#,
    );
    assert_eq!(
        header,
        [
            "IDENTIFICATION_IDENTIFIER",
            "CONTACT_PHONENUMBER_1",
            "CONTACT_PHONENUMBER_2",
            "INVOICELINES_1_DESCRIPTION",
            "INVOICELINES_2_DESCRIPTION",
            "INVOICELINES_2_UNITPRICE",
            "CONTACT_EMAIL_1",
        ]
    );
    let (a, b) = (row(&rows[0]), row(&rows[1]));
    assert_eq!((a.row, a.line, b.row, b.line), (1, Some(3), 2, Some(9)));
    assert_eq!(
        value(&header, a, "CONTACT_PHONENUMBER_2"),
        &text("0201234567")
    );
    assert_eq!(value(&header, a, "INVOICELINES_2_UNITPRICE"), &text("995"));
    assert_eq!(value(&header, b, "IDENTIFICATION_IDENTIFIER"), &text("K-2"));
    assert_eq!(value(&header, b, "CONTACT_PHONENUMBER_1"), &Cell::Empty);
    assert_eq!(
        value(&header, b, "CONTACT_PHONENUMBER_2"),
        &text("0207654321")
    );
    assert_eq!(value(&header, b, "INVOICELINES_2_UNITPRICE"), &text("100"));
}

#[test]
fn unknown_elements_become_columns_the_pipeline_reports() {
    let (header, rows) = read_all(
        "<annabel><record><person><familyname>Jansen</familyname><nickname>Jan</nickname></person>\
         <hobby><name>golf</name></hobby><contact><phonenumber_4>0612345678</phonenumber_4></contact>\
         </record></annabel>",
    );
    assert_eq!(
        header,
        [
            "PERSON_FAMILYNAME",
            "person/nickname",
            "hobby/name",
            "CONTACT_PHONENUMBER_4"
        ]
    );
    assert_eq!(row(&rows[0]).cells[1], text("Jan"));
}

#[test]
fn values_are_unescaped_and_kept_as_written() {
    let (header, rows) = read_all(
        "<annabel><record><invoice><description> Gas &amp; licht &lt;1&gt; &#233;&#x20AC; </description>\
         <reference><![CDATA[a<b]]></reference><number/></invoice></record></annabel>",
    );
    let r = row(&rows[0]);
    assert_eq!(
        value(&header, r, "INVOICE_DESCRIPTION"),
        &text(" Gas & licht <1> é€ ")
    );
    assert_eq!(value(&header, r, "INVOICE_REFERENCE"), &text("a<b"));
    assert_eq!(value(&header, r, "INVOICE_NUMBER"), &Cell::Empty);
}

#[test]
fn a_repeated_single_field_rejects_that_record_only() {
    let (_, rows) = read_all(
        "<annabel><record><person><familyname>A</familyname><familyname>B</familyname></person></record>\
         <record><person><familyname>C</familyname></person></record></annabel>",
    );
    assert_eq!(rows.len(), 2);
    match &rows[0] {
        RowResult::Broken {
            row, code, message, ..
        } => {
            assert_eq!((*row, *code), (1, "xml.repeated_element"));
            assert!(message.contains("PERSON_FAMILYNAME"), "{message}");
        }
        other => panic!("expected a broken row, got {other:?}"),
    }
    assert_eq!(row(&rows[1]).row, 2);
}

#[test]
fn limits_reject_the_record_not_the_file() {
    let (_d, path) = file(
        b"<annabel><record><person><familyname>Jansen-Achternaam</familyname></person></record>\
          <record><person><familyname>Bos</familyname><a>1</a><b>2</b></person></record>\
          <record><person><familyname>Vos</familyname></person></record></annabel>",
    );
    let opts = ReadOptions {
        limits: collectmaxx::source::Limits {
            max_cell_bytes: 10,
            max_columns: 2,
            ..Default::default()
        },
        ..ReadOptions::default()
    };
    let mut src = open(&path, &opts).unwrap();
    let mut codes = Vec::new();
    while let Some(r) = src.next_row() {
        codes.push(match r.unwrap() {
            RowResult::Broken { code, .. } => code,
            RowResult::Row(_) => "row",
        });
    }
    assert_eq!(codes, ["cell.too_large", "xml.too_many_columns", "row"]);
}

#[test]
fn empty_records_and_other_elements_between_records() {
    let (d, path) = file(b"<annabel><meta><x>1</x></meta><record/><record></record></annabel>");
    let mut src = open(&path, &ReadOptions::default()).unwrap();
    let a = src.next_row().unwrap().unwrap();
    let b = src.next_row().unwrap().unwrap();
    assert!(src.next_row().is_none());
    assert!(row(&a).is_blank() && row(&b).is_blank());
    assert_eq!(row(&b).row, 2);
    let notes = src.take_notes();
    assert_eq!(notes[0].code, "xml.unknown_element");
    assert!(!src.header_is_complete());
    drop(d);
}

#[test]
fn a_doctype_is_refused_and_no_entity_is_expanded() {
    let e = open_err(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE annabel [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n\
         <annabel><record><person><familyname>&x;</familyname></person></record></annabel>",
    );
    assert!(e.message.contains("DOCTYPE"), "{}", e.message);
    assert_eq!(
        e.place.as_deref().map(|p| p.starts_with("line 2")),
        Some(true),
        "{e:?}"
    );

    let e = open_err(
        "<annabel><record><person><familyname>&x;</familyname></person></record></annabel>",
    );
    assert!(e.message.contains("&x;"), "{}", e.message);
}

#[test]
fn malformed_xml_stops_with_line_and_column() {
    let e = open_err("<annabel>\n  <record>\n    <person><familyname>A</givenname></person>\n");
    assert!(e.message.contains("malformed XML"), "{}", e.message);
    assert_eq!(e.place.as_deref(), Some("line 3, column 26"), "{e:?}");
    assert!(e.path.ends_with("in.xml"));
}

#[test]
fn a_cut_off_file_is_an_error_not_a_short_file() {
    let e = open_err(
        "<annabel>\n<record><person><familyname>A</familyname></person></record>\n<record><person>",
    );
    assert!(e.message.contains("cut off"), "{}", e.message);
    let e = open_err("<annabel>\n<record></record>\n");
    assert!(e.message.contains("before </annabel>"), "{}", e.message);
}

#[test]
fn another_root_is_refused() {
    let e = open_err("<?xml version=\"1.0\"?><Workbook><Worksheet/></Workbook>");
    assert!(e.message.contains("<Workbook>"), "{}", e.message);
}

#[test]
fn many_records_stream_one_by_one() {
    let mut text = String::from("<annabel>\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "<record><identification><identifier>K-{i}</identifier></identification></record>\n"
        ));
    }
    text.push_str("</annabel>\n");
    let (_d, path) = file(text.as_bytes());
    let mut src = open(&path, &ReadOptions::default()).unwrap();
    let mut n = 0u64;
    while let Some(r) = src.next_row() {
        n += 1;
        let r = r.unwrap();
        assert_eq!(row(&r).row, n);
        assert_eq!(row(&r).line, Some(n + 1));
    }
    assert_eq!(n, 20_000);
    assert_eq!(src.header().len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (_d, path) = file(&bytes);
        if let Ok(mut src) = open(&path, &ReadOptions { format: Some(collectmaxx::source::Format::Xml), ..ReadOptions::default() }) {
            let mut guard = 0;
            while let Some(r) = src.next_row() {
                guard += 1;
                prop_assert!(guard < 1000);
                if r.is_err() { break; }
            }
        }
    }

    #[test]
    fn mangled_records_never_panic(
        cut in 0usize..200,
        noise in proptest::collection::vec(prop::sample::select(vec!["<", ">", "&", "/", "<record>", "</person>", "&amp;", "<![CDATA[", "]]>", "\n"]), 0..8),
    ) {
        let base = "<annabel><record><person><familyname>Jansen</familyname></person><contact><phonenumber>1</phonenumber></contact></record></annabel>";
        let mut text = base[..cut.min(base.len())].to_string();
        text.push_str(&noise.concat());
        text.push_str(&base[cut.min(base.len())..]);
        let (_d, path) = file(text.as_bytes());
        if let Ok(mut src) = open(&path, &ReadOptions { format: Some(collectmaxx::source::Format::Xml), ..ReadOptions::default() }) {
            while let Some(r) = src.next_row() {
                if r.is_err() { break; }
            }
        }
    }
}
