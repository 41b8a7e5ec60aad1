//! The spreadsheet reader on its own, on workbooks made by LibreOffice (fixtures/sheets).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use collectmaxx::source::{open, Cell, ReadOptions, RowResult, Source};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/sheets")
        .join(name)
}

fn rows(src: &mut dyn Source) -> Vec<(u64, Vec<Cell>)> {
    let mut out = Vec::new();
    while let Some(r) = src.next_row() {
        match r.unwrap() {
            RowResult::Row(row) => out.push((row.row, row.cells)),
            other => panic!("unexpected {other:?}"),
        }
    }
    out
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn typed_cells_read_alike_in_xlsx_xls_and_ods() {
    for name in ["typed.xlsx", "typed.xls", "typed.ods"] {
        let mut src = open(&fixture(name), &ReadOptions::default()).unwrap();
        assert_eq!(src.format(), &name[6..], "{name}");
        assert_eq!(src.header_row(), 3, "{name}");
        assert_eq!(src.header().len(), 11);
        assert_eq!(src.header()[3], "CONTACT_PHONENUMBER_1");
        let rows = rows(&mut *src);
        let numbers: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(numbers, [4, 5, 6, 7], "{name}: the sheet's own row numbers");
        let (r4, r5, r6, r7) = (&rows[0].1, &rows[1].1, &rows[2].1, &rows[3].1);
        // dates, a date-time, a formula's cached date
        assert_eq!(r4[2], Cell::Date(date(1980, 5, 17)), "{name}");
        assert_eq!(
            r5[2],
            Cell::DateTime(date(1975, 11, 2).and_hms_opt(8, 30, 0).unwrap()),
            "{name}"
        );
        assert_eq!(r4[5], Cell::Date(date(2024, 1, 29)), "{name}");
        // phones typed as numbers stay whole numbers
        assert_eq!(r4[3], Cell::Int(31_612_345_678), "{name}");
        assert_eq!(r5[3], Cell::Int(612_345_678), "{name}");
        assert_eq!(r6[3], Cell::Text("+32470123456".into()), "{name}");
        // amounts: whole, fractional, a float artefact that shows as 7
        assert_eq!(r4[6], Cell::Int(1250), "{name}");
        assert_eq!(r5[6], Cell::Float(12.5), "{name}");
        assert_eq!(r6[6], Cell::Int(7), "{name}");
        // =NA(), a text formula's cached value, a date cell in a text field, booleans
        assert_eq!(r6[2], Cell::Error("#N/A".into()), "{name}");
        assert_eq!(r7[1], Cell::Text("Bakker-Smit".into()), "{name}");
        assert_eq!(r7[7], Cell::Date(date(2024, 1, 20)), "{name}");
        assert_eq!(
            (&r4[8], &r5[8]),
            (&Cell::Bool(true), &Cell::Bool(false)),
            "{name}"
        );
        let notes = src.take_notes();
        assert_eq!(notes.len(), 1, "{name}: {notes:?}");
        assert_eq!(notes[0].code, "sheet.title_skipped");
        assert_eq!(notes[0].row, Some(1));
    }
}

#[test]
fn customers_read_alike_in_every_workbook_format() {
    let mut first: Option<Vec<(u64, Vec<Cell>)>> = None;
    for name in ["customers.xlsx", "customers.xls", "customers.ods"] {
        let mut src = open(&fixture(name), &ReadOptions::default()).unwrap();
        assert_eq!(src.header()[0], "IDENTIFICATION_IDENTIFIER");
        assert_eq!(src.header().len(), 24);
        let got = rows(&mut *src);
        assert_eq!(got.len(), 20);
        assert_eq!(got[0].0, 2);
        assert_eq!(got[0].1[0], Cell::Text("K-1001".into()));
        // Phones imported as text keep their leading zero.
        assert_eq!(got[0].1[10], Cell::Text("0612345631".into()));
        match &first {
            None => first = Some(got),
            Some(f) => assert_eq!(&got, f, "{name}"),
        }
    }
}

#[test]
fn the_sheet_is_chosen_by_index_or_name() {
    let by_index = ReadOptions {
        sheet: Some("0".into()),
        ..ReadOptions::default()
    };
    assert!(open(&fixture("typed.ods"), &by_index).is_ok());
    let missing = ReadOptions {
        sheet: Some("1".into()),
        ..ReadOptions::default()
    };
    let e = open(&fixture("typed.xls"), &missing).err().unwrap();
    assert!(e.message.contains("no sheet '1'"), "{}", e.message);
}

#[test]
fn damaged_files_are_file_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, src) in [
        ("x.xlsx", "customers.xlsx"),
        ("x.ods", "customers.ods"),
        ("x.xls", "customers.xls"),
    ] {
        let bytes = std::fs::read(fixture(src)).unwrap();
        for cut in [10, bytes.len() / 3, bytes.len() - 30] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let forced = ReadOptions {
                format: Some(collectmaxx::source::detect(&path, &bytes[..cut])),
                ..ReadOptions::default()
            };
            // Either a file error naming the file, or (when the cut only took padding) every
            // row: never a silently shorter sheet.
            match open(&path, &forced) {
                Err(e) => assert!(e.path.ends_with(name), "{e}"),
                Ok(mut s) => {
                    let mut n = 0;
                    loop {
                        match s.next_row() {
                            Some(Err(e)) => {
                                assert!(e.path.ends_with(name), "{e}");
                                break;
                            }
                            Some(Ok(_)) => n += 1,
                            None => {
                                assert_eq!(n, 20, "{name} cut at {cut} lost rows silently");
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An ODS file with `A1`, and a stray value at the given 0-based row and column.
fn ods_with_stray(path: &Path, row: u32, col: u32) {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Blad1">"#,
    );
    content.push_str(r#"<table:table-row><table:table-cell office:value-type="string"><text:p>IDENTIFICATION_IDENTIFIER</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>PERSON_FAMILYNAME</text:p></table:table-cell></table:table-row>"#);
    content.push_str(&format!(
        r#"<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="2"/></table:table-row>"#,
        row - 1
    ));
    content.push_str(&format!(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="{col}"/><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#
    ));
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn a_stray_cell_far_away_is_refused_before_any_grid_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stray.ods");
    // The last cell a sheet has: row 1048576, column XFD.
    ods_with_stray(&path, 1_048_575, 16_383);
    let e = open(&path, &ReadOptions::default()).err().unwrap();
    assert!(e.message.contains("'Blad1'"), "{}", e.message);
    assert!(e.message.contains("A1:XFD1048576"), "{}", e.message);
    assert!(e.message.contains("--max-cells"), "{}", e.message);
    let listed = collectmaxx::source::sheet::list_sheets(
        &path,
        collectmaxx::source::Format::Ods,
        collectmaxx::source::sheet::guard::DEFAULT_MAX_CELLS,
        collectmaxx::source::sheet::guard::DEFAULT_MAX_PART_BYTES,
    )
    .unwrap();
    assert_eq!(listed[0].area, "A1:XFD1048576");
    assert_eq!(listed[0].rows, 2);
}

#[test]
fn the_limit_can_be_raised_and_rows_keep_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stray.ods");
    ods_with_stray(&path, 999, 25);
    let low = ReadOptions {
        max_cells: Some(1_000),
        ..ReadOptions::default()
    };
    assert!(open(&path, &low).is_err());
    let mut src = open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(
        src.header(),
        ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME"]
    );
    let got = rows(&mut *src);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, 1000);
    assert!(got[0].1.iter().all(|c| *c == Cell::Empty));
    let notes = src.take_notes();
    assert_eq!(notes[0].code, "sheet.value_outside_header");
    assert!(
        notes[0].message.contains("column Z"),
        "{}",
        notes[0].message
    );
}

#[test]
fn formats_are_detected_by_content_not_name() {
    let dir = tempfile::tempdir().unwrap();
    for (src, disguise, format) in [
        ("customers.xlsx", "export.csv", "xlsx"),
        ("customers.ods", "export.xlsx", "ods"),
        ("customers.xls", "export.dat", "xls"),
        ("customers.xml", "export.txt", "xml"),
    ] {
        let path = dir.path().join(disguise);
        std::fs::copy(fixture(src), &path).unwrap();
        let s = open(&path, &ReadOptions::default()).unwrap();
        assert_eq!(s.format(), format, "{src} as {disguise}");
    }
}

#[test]
fn an_xls_that_declares_four_billion_rows_is_refused_not_a_crash() {
    let mut bytes = std::fs::read(fixture("customers.xls")).unwrap();
    // The sheet's DIMENSIONS record (type 0x0200, 14 bytes): claim rows up to 2^32 - 16.
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .unwrap();
    bytes[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crafted.xls");
    std::fs::write(&path, &bytes).unwrap();
    let e = open(&path, &ReadOptions::default()).err().unwrap();
    assert!(e.message.contains("'customers'"), "{}", e.message);
    assert!(e.message.contains("cells"), "{}", e.message);
    let raised = ReadOptions {
        max_cells: Some(u64::MAX),
        ..ReadOptions::default()
    };
    assert!(open(&path, &raised).is_err(), "the hard limit still holds");
}
