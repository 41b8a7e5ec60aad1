//! Property tests: arbitrary bytes and arbitrary cell strings through every reader, by
//! content detection and with each format forced. A reader may refuse a file, but never
//! panics, never loops (every source ends within a bound of calls), and stays ended.

use std::io::Write;

use collectmaxx::source::{open, Format, ReadOptions, RowResult};
use proptest::prelude::*;

/// Opens `bytes` saved under `name` and drains the source; returns the rows it yielded, or
/// `None` when the file was refused.
fn drain(name: &str, bytes: &[u8], format: Option<Format>) -> Option<Vec<RowResult>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let opts = ReadOptions {
        format,
        ..ReadOptions::default()
    };
    let mut src = open(&path, &opts).ok()?;
    let mut rows = Vec::new();
    // Every call yields a row, an error or the end: a file of n bytes has at most n + 1 rows.
    for _ in 0..bytes.len() + 2 {
        match src.next_row() {
            Some(Ok(r)) => rows.push(r),
            Some(Err(_)) | None => {
                assert!(src.next_row().is_none(), "a source stays ended");
                return Some(rows);
            }
        }
    }
    panic!("{name}: the source did not end");
}

const FORMATS: [Option<Format>; 7] = [
    None,
    Some(Format::Csv),
    Some(Format::Xlsx),
    Some(Format::Xls),
    Some(Format::Ods),
    Some(Format::Xml),
    Some(Format::Crmcom),
];

/// A workbook zip (an XLSX's parts) with arbitrary bytes as its sheet.
fn zip_with_sheet(sheet: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let parts: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        ("xl/workbook.xml", b"<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ("xl/_rels/workbook.xml.rels", b"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    for (name, data) in parts {
        w.start_file(name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Quotes a cell for a `;` CSV.
fn quoted(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_in_any_reader(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        ext in prop::sample::select(vec!["csv", "xlsx", "xls", "ods", "xml", "json", "dat"]),
    ) {
        for format in FORMATS {
            drain(&format!("in.{ext}"), &bytes, format);
        }
    }

    #[test]
    fn arbitrary_sheet_xml_in_a_workbook_never_panics(
        body in "[<>/=\"a-z0-9 rcvt]{0,300}",
        prefix in prop::sample::select(vec!["", "<worksheet><sheetData>", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"]),
    ) {
        let zip = zip_with_sheet(format!("{prefix}{body}").as_bytes());
        drain("book.xlsx", &zip, None);
    }

    /// Any text in quoted cells comes out of the CSV reader as written: no row is lost, none
    /// is invented, no character is replaced.
    #[test]
    fn arbitrary_cell_strings_survive_the_csv_reader(
        cells in proptest::collection::vec(proptest::collection::vec("[^\u{0}\u{FEFF}]{0,12}", 2), 1..8),
    ) {
        let mut text = String::from("A;B\n");
        for row in &cells {
            text.push_str(&format!("{};{}\n", quoted(&row[0]), quoted(&row[1])));
        }
        let rows = drain("in.csv", text.as_bytes(), Some(Format::Csv)).expect("a valid CSV is read");
        let read: Vec<Vec<String>> = rows
            .iter()
            .filter_map(|r| match r {
                RowResult::Row(r) => Some(r.cells.iter().map(|c| c.to_string()).collect()),
                RowResult::Broken { .. } => None,
            })
            .collect();
        let written: Vec<Vec<String>> = cells
            .iter()
            .filter(|row| !row.iter().all(|c| c.trim().is_empty()))
            .cloned()
            .collect();
        prop_assert_eq!(rows.len(), read.len(), "no broken rows");
        // Blank rows are not data rows; every other row comes back cell for cell.
        let read: Vec<Vec<String>> = read.into_iter().filter(|r| !r.iter().all(|c| c.trim().is_empty())).collect();
        prop_assert_eq!(read, written);
    }
}
