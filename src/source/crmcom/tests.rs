//! Reader tests on the fixtures under `fixtures/crmcom/`.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{sniff, CrmcomSource};
use crate::source::{Cell, ReadOptions, RecordNote, RowResult, Source, SourceError};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/crmcom")
        .join(name)
}

fn options() -> ReadOptions {
    ReadOptions {
        run_date: NaiveDate::from_ymd_opt(2026, 11, 22),
        ..ReadOptions::default()
    }
}

/// Everything a source yields: rows with their notes, and the error that ended it, if any.
struct Drained {
    header: Vec<String>,
    rows: Vec<(RowResult, Vec<RecordNote>)>,
    error: Option<SourceError>,
}

impl Drained {
    fn cell(&self, index: usize, column: &str) -> Cell {
        let col = self.header.iter().position(|h| h == column).unwrap();
        match &self.rows[index].0 {
            RowResult::Row(r) => r.cells.get(col).cloned().unwrap_or(Cell::Empty),
            other => panic!("not a row: {other:?}"),
        }
    }

    fn places(&self) -> Vec<(u64, Option<u64>)> {
        self.rows
            .iter()
            .map(|(r, _)| match r {
                RowResult::Row(r) => (r.row, r.line),
                RowResult::Broken { row, line, .. } => (*row, *line),
            })
            .collect()
    }
}

fn drain(mut source: impl Source) -> Drained {
    let header = source.header().to_vec();
    let mut rows = Vec::new();
    let mut error = None;
    while let Some(next) = source.next_row() {
        match next {
            Ok(row) => rows.push((row, source.take_record_notes())),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
        assert!(rows.len() < 1_000_000, "the source does not end");
    }
    if error.is_some() {
        assert!(source.next_row().is_none(), "rows after a file-level error");
    }
    Drained {
        header,
        rows,
        error,
    }
}

fn read(name: &str) -> Drained {
    drain(CrmcomSource::open(&fixture(name), &options()).unwrap())
}

fn codes(notes: &[RecordNote]) -> Vec<&'static str> {
    notes.iter().map(|n| n.code).collect()
}

#[test]
fn realistic_array_export() {
    let d = read("subscriptions.json");
    assert!(d.error.is_none());
    assert_eq!(d.rows.len(), 10);
    let places = d.places();
    assert_eq!(
        places.iter().map(|p| p.0).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(places[0].1, Some(2));
    assert!(places.windows(2).all(|w| w[0].1 < w[1].1));
    assert_eq!(
        d.header.first().map(String::as_str),
        Some("IDENTIFICATION_IDENTIFIER")
    );
    assert_eq!(
        d.cell(0, "IDENTIFICATION_IDENTIFIER"),
        Cell::Text("AR0001001-20261122".into())
    );
    assert_eq!(
        d.cell(0, "CONTACT_PHONENUMBER_1"),
        Cell::PhoneIn {
            number: "0471 90 49 99".into(),
            country: *b"BE"
        }
    );
    assert_eq!(codes(&d.rows[0].1), vec!["crmcom.fax_dropped"]);
    assert_eq!(
        d.cell(2, "PERSON_FAMILYNAME"),
        Cell::Text("Müller Bau GmbH".into())
    );
    assert_eq!(
        d.cell(2, "IDENTIFICATION_IDENTIFIER"),
        Cell::Text("R3-20261122".into())
    );
    assert_eq!(d.cell(3, "ADDRESS_CITY"), Cell::Text("Limassol".into()));
    assert_eq!(d.cell(4, "ADDRESS_STREET"), Cell::Text("Meir 24".into()));
    assert_eq!(codes(&d.rows[5].1), vec!["crmcom.contact_by_reference"]);
}

#[test]
fn ndjson_gives_the_same_rows_with_their_lines() {
    let array = read("subscriptions.json");
    let lines = read("subscriptions.ndjson");
    assert_eq!(
        lines.places(),
        (1..=10).map(|i| (i, Some(i))).collect::<Vec<_>>()
    );
    let cells = |d: &Drained| -> Vec<RowResult> {
        d.rows
            .iter()
            .map(|(r, _)| match r {
                RowResult::Row(r) => RowResult::Row(crate::source::Row {
                    line: None,
                    ..r.clone()
                }),
                other => other.clone(),
            })
            .collect()
    };
    assert_eq!(cells(&array), cells(&lines));
}

#[test]
fn a_broken_ndjson_line_is_one_broken_record() {
    let d = read("broken-line.ndjson");
    assert!(d.error.is_none());
    assert_eq!(
        d.places(),
        vec![(1, Some(1)), (2, Some(2)), (3, Some(4)), (4, Some(5))]
    );
    match &d.rows[1].0 {
        RowResult::Broken { code, message, .. } => {
            assert_eq!(*code, "crmcom.json_invalid");
            assert!(
                message.contains("line 2") && message.contains("column 104"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    match &d.rows[2].0 {
        RowResult::Broken { code, message, .. } => {
            assert_eq!(*code, "crmcom.not_a_customer");
            assert!(message.contains("invoice_number"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(d.rows[3].0, RowResult::Row(_)));
}

#[test]
fn malformed_array_stops_with_line_and_column() {
    let d = read("malformed.json");
    assert_eq!(d.rows.len(), 3);
    let e = d.error.unwrap();
    assert_eq!(e.place.as_deref(), Some("line 280, column 21"));
    assert!(e.message.contains("expected `:`"), "{}", e.message);
}

#[test]
fn truncated_array_says_it_is_cut_off() {
    let d = read("truncated.json");
    assert_eq!(d.rows.len(), 1);
    let e = d.error.unwrap();
    assert!(e.message.contains("cut off"), "{}", e.message);
    assert!(e.place.is_some());
}

#[test]
fn bare_accounts_receivable_and_contact_information() {
    let ar = read("accounts-receivable.json");
    assert_eq!(ar.rows.len(), 3);
    assert_eq!(
        ar.cell(2, "PERSON_IDENTIFIER"),
        Cell::Text("Sophie Janssens".into())
    );
    let ci = read("contact-information.ndjson");
    assert_eq!(ci.rows.len(), 3);
    assert_eq!(
        ci.cell(0, "PERSON_FAMILYNAME"),
        Cell::Text("de Vries".into())
    );
    assert_eq!(
        ci.cell(0, "IDENTIFICATION_IDENTIFIER"),
        Cell::Text("R1-20261122".into())
    );
}

#[test]
fn a_single_pretty_printed_object() {
    let d = read("single.json");
    assert_eq!(d.places(), vec![(1, Some(1))]);
    assert_eq!(d.cell(0, "PERSON_FAMILYNAME"), Cell::Text("Yilmaz".into()));
}

#[test]
fn identifier_template_option() {
    let opts = ReadOptions {
        identifier: Some("ACME-{row}-{date}".into()),
        ..options()
    };
    let d = drain(CrmcomSource::open(&fixture("subscriptions.json"), &opts).unwrap());
    assert_eq!(
        d.cell(4, "IDENTIFICATION_IDENTIFIER"),
        Cell::Text("ACME-5-20261122".into())
    );
    let bad = ReadOptions {
        identifier: Some("{nope}".into()),
        ..options()
    };
    let e = CrmcomSource::open(&fixture("subscriptions.json"), &bad)
        .err()
        .unwrap();
    assert!(e.message.contains("unknown placeholder"), "{}", e.message);
}

fn temp(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f
}

#[test]
fn empty_and_non_json_files_are_refused() {
    let e = CrmcomSource::open(temp(b"  \n").path(), &options())
        .err()
        .unwrap();
    assert!(e.message.contains("empty"), "{}", e.message);
    let e = CrmcomSource::open(temp(b"\n  name;phone\n").path(), &options())
        .err()
        .unwrap();
    assert!(e.message.contains("'n'"), "{}", e.message);
    assert_eq!(e.place.as_deref(), Some("line 2, column 3"));
}

#[test]
fn ndjson_whose_first_line_is_cut_off_is_still_ndjson() {
    let f = temp(b"{\"last_name\": \"Pee\n{\"last_name\": \"Jansen\"}\n");
    let d = drain(CrmcomSource::open(f.path(), &options()).unwrap());
    assert!(d.error.is_none());
    assert_eq!(d.places(), vec![(1, Some(1)), (2, Some(2))]);
    assert!(matches!(
        &d.rows[0].0,
        RowResult::Broken {
            code: "crmcom.json_invalid",
            ..
        }
    ));
    assert_eq!(d.cell(1, "PERSON_FAMILYNAME"), Cell::Text("Jansen".into()));
}

#[test]
fn sniffing_needs_json_and_crmcom_keys() {
    assert!(sniff(b"\xEF\xBB\xBF [ {\"accounts_receivable\": {"));
    assert!(sniff(b"{\"type\":\"PERSON\",\"first_name\":\"A\"}"));
    assert!(!sniff(b"[{\"invoice\": 1}]"));
    assert!(!sniff(b"first_name;last_name\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any bytes, alone or after an opening bracket or brace: the reader never panics, ends,
    /// and yields each record once with increasing ordinals.
    #[test]
    fn arbitrary_bytes_never_panic(prefix in prop::sample::select(vec!["", "[", "{", "[{\"first_name\":", "{\"last_name\":\"x\"}\n"]),
                                   body in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut bytes = prefix.as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        let file = temp(&bytes);
        if let Ok(source) = CrmcomSource::open(file.path(), &options()) {
            let d = drain(source);
            let ordinals: Vec<u64> = d.places().iter().map(|p| p.0).collect();
            prop_assert_eq!(ordinals, (1..=d.rows.len() as u64).collect::<Vec<_>>());
        }
    }
}

#[test]
fn detection_by_content_then_extension() {
    use crate::source::{detect, Format};
    use std::path::Path;
    let crm = b"[\n  {\n    \"accounts_receivable\": {";
    assert_eq!(detect(Path::new("export.csv"), crm), Format::Crmcom);
    assert_eq!(detect(Path::new("export.ndjson"), b""), Format::Crmcom);
    assert_eq!(detect(Path::new("export.JSON"), b"[]"), Format::Crmcom);
    assert_eq!(
        detect(Path::new("export.csv"), b"IDENTIFICATION_IDENTIFIER;X\n"),
        Format::Csv
    );
    assert_eq!(
        detect(Path::new("export.txt"), b"{\"invoice\": 1}"),
        Format::Csv
    );
}

#[test]
fn progress_counts_bytes_up_to_the_file_size() {
    for name in ["subscriptions.json", "subscriptions.ndjson"] {
        let mut s = CrmcomSource::open(&fixture(name), &options()).unwrap();
        let total = std::fs::metadata(fixture(name)).unwrap().len();
        assert_eq!(s.progress(), Some((0, total)));
        s.next_row().unwrap().unwrap();
        let (first, _) = s.progress().unwrap();
        assert!(first > 0 && first < total, "{name}: {first}");
        while s.next_row().is_some() {}
        assert_eq!(s.progress(), Some((total, total)), "{name}");
    }
}
