use super::*;

const FULL: &str = r#"
identifier = "{Factuurnummer}-{date}"

[profile]
client = "ACME"
header = ["Debiteurnummer", "Tussenvoegsel", "Achternaam", "Adres", "Factuurnummer", "Naam"]

[read]
date_order = "dmy"
amounts = "major"

[columns]
"Debiteurnummer" = "PERSON_IDENTIFIER"
"Factuurnummer" = ["INVOICE_NUMBER", "INVOICE_REFERENCE"]
"Adres" = { split = "address" }
"Naam" = { field = "PERSON_GIVENNAME", confirmed = false, evidence = "header 'Naam' is ambiguous" }

[join.PERSON_FAMILYNAME]
columns = ["Tussenvoegsel", "Achternaam"]

[values.PERSON_GENDER]
"V" = "F"

[set]
CONTROL_FLOWID = "1234"
"#;

#[test]
fn a_full_profile_parses_and_lists_its_unconfirmed_entries() {
    let p = Profile::parse(FULL).unwrap();
    assert_eq!(p.columns.len(), 4);
    assert_eq!(p.join["PERSON_FAMILYNAME"].separator, " ");
    assert_eq!(
        p.unconfirmed(),
        vec!["'Naam' → PERSON_GIVENNAME".to_string()]
    );
    let again = Profile::parse(&p.to_toml()).unwrap();
    assert_eq!(again, p);
}

#[test]
fn accept_confirms_and_rewrites() {
    let mut p = Profile::parse(FULL).unwrap();
    let e = p.accept("naam=PERSON_FAMILYNAME").unwrap_err();
    assert!(e.contains("PERSON_FAMILYNAME is given twice"), "{e}");
    let mut p2 = Profile::parse(FULL).unwrap();
    p2.accept("Naam=none").unwrap();
    assert!(p2.unconfirmed().is_empty());
    assert!(p2.ignore.contains_key("Naam"));
    assert!(p.accept("Nothing=INVOICE_AMOUNT").is_err());
    assert!(p.accept("Naam=NOT_A_FIELD").is_err());
    // Several confirmations are checked once all are applied: the column that would give the
    // field twice may be set aside after the one that keeps it.
    let mut p3 = Profile::parse(FULL).unwrap();
    assert!(p3.clone().accept("naam=PERSON_IDENTIFIER").is_err());
    p3.accept_all(&["naam=PERSON_IDENTIFIER", "Debiteurnummer=none"])
        .unwrap();
    assert!(p3.ignore.contains_key("Debiteurnummer"));
}

#[test]
fn bad_profiles_name_the_problem() {
    let e = Profile::parse("[columns]\n\"A\" = { split = \"diagonal\" }\n").unwrap_err();
    assert!(e.contains("split = \"diagonal\" is unknown"), "{e}");
    let e = Profile::parse("[columns]\n\"A\" = [\"PERSON_FAMILYNAM\"]\n").unwrap_err();
    assert!(e.contains("not a delivery field"), "{e}");
    let e = Profile::parse("identifier = \"fixed\"\n").unwrap_err();
    assert!(e.contains("no placeholder"), "{e}");
    let e = Profile::parse("[colums]\n").unwrap_err();
    assert!(e.contains("line 1"), "{e}");
}

#[test]
fn an_old_mapping_file_is_plain() {
    assert!(is_plain(
        "[columns]\n\"Achternaam\" = \"PERSON_FAMILYNAME\"\n"
    ));
    assert!(!is_plain(FULL));
}

/// One row read through a profile: its cells as text and the codes of its notes.
type RowRead = (Vec<String>, Vec<&'static str>);

/// The CSV text `csv` opened through `profile` (the folder holds the file while it is read).
fn wrapped(profile: &str, csv: &str) -> (tempfile::TempDir, Box<dyn crate::source::Source>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, csv).unwrap();
    let p = Profile::parse(profile).unwrap();
    let inner = crate::source::open(&path, &crate::source::ReadOptions::default()).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
    (
        dir,
        apply::wrap(&p, "p.toml", "in.csv", inner, day).unwrap(),
    )
}

/// Reads `csv` through `profile`: the header and each row.
fn through(profile: &str, csv: &str) -> (Vec<String>, Vec<RowRead>) {
    let (_dir, mut src) = wrapped(profile, csv);
    let header = src.header().to_vec();
    let mut rows = Vec::new();
    while let Some(r) = src.next_row() {
        let crate::source::RowResult::Row(row) = r.unwrap() else {
            panic!("broken row")
        };
        let notes = src
            .take_record_notes()
            .into_iter()
            .map(|n| n.code)
            .collect();
        rows.push((row.cells.iter().map(|c| c.to_string()).collect(), notes));
    }
    (header, rows)
}

#[test]
fn a_profile_joins_splits_copies_maps_values_and_builds_identifiers() {
    let profile = r#"
identifier = "{Nr}-{date}"
[columns]
"Nr" = ["INVOICE_NUMBER", "INVOICE_REFERENCE"]
"Adres" = { split = "address" }
"Sekse" = "PERSON_GENDER"
[join.PERSON_FAMILYNAME]
columns = ["Tv", "Naam"]
[values.PERSON_GENDER]
"1" = "M"
"2" = "F"
[ignore]
"KvK" = "no delivery field"
"#;
    let csv = "Nr;Tv;Naam;Adres;Sekse;KvK;Extra\nF1;van den;Heuvel;Dorpstraat 18a;2;123;x\n;;;;;;\nF3;;Berg, van der;Nergens;1;;y\n";
    let (header, rows) = through(profile, csv);
    assert_eq!(
        header,
        [
            "Sekse",
            "Extra",
            "ADDRESS_STREET",
            "ADDRESS_HOUSENUMBER",
            "ADDRESS_EXTENSION",
            "INVOICE_NUMBER",
            "INVOICE_REFERENCE",
            "PERSON_FAMILYNAME",
            "IDENTIFICATION_IDENTIFIER"
        ]
    );
    assert_eq!(
        rows[0].0,
        [
            "F",
            "x",
            "Dorpstraat",
            "18",
            "a",
            "F1",
            "F1",
            "van den Heuvel",
            "F1-20250314"
        ]
    );
    assert!(rows[0].1.is_empty());
    // A blank row stays blank: it is counted as blank, not rejected for an empty identifier.
    assert!(rows[1].0.iter().all(String::is_empty) && rows[1].1.is_empty());
    // "Nergens" has no house number: the row is refused, never split by guess.
    assert_eq!(rows[2].0[7], "van der Berg");
    assert_eq!(rows[2].1, ["profile.split_failed"]);
}

#[test]
fn an_empty_template_column_and_changed_columns_are_refused() {
    let (_, rows) = through(
        "identifier = \"{Nr}-{row}\"\n[columns]\n\"Naam\" = \"PERSON_FAMILYNAME\"\n",
        "Nr;Naam\n;Jansen\n",
    );
    assert_eq!(rows[0].1, ["profile.identifier_empty"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, "Nummer;Naam\n1;Jansen\n").unwrap();
    let p = Profile::parse(
        "[profile]\nheader = [\"Nr\", \"Naam\"]\n[columns]\n\"Naam\" = \"PERSON_FAMILYNAME\"\n",
    )
    .unwrap();
    let inner = crate::source::open(&path, &crate::source::ReadOptions::default()).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
    let e = apply::wrap(&p, "p.toml", "in.csv", inner, day)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("no longer has 'Nr'")
            && e.contains("has new 'Nummer'")
            && e.contains("renamed?"),
        "{e}"
    );
}

#[test]
fn a_profiled_source_names_the_export_columns_and_row_behind_its_own() {
    let (_dir, mut src) = wrapped(
        "identifier = \"{Nr}-{date}\"\n[columns]\n\"Adres\" = { split = \"address\" }\n[join.PERSON_FAMILYNAME]\ncolumns = [\"Tv\", \"Naam\"]\n[ignore]\n\"Nr\" = \"made into the identifier\"\n",
        "Nr;Tv;Naam;Adres\nF1;van;Dijk;Dorpstraat 18a\n",
    );
    let m = src.made_from().unwrap();
    assert_eq!(m.header, ["Nr", "Tv", "Naam", "Adres"]);
    // Street, number and extension from Adres; the family name from Tv and Naam; the
    // identifier from Nr.
    assert_eq!(
        m.origins,
        [vec![3], vec![3], vec![3], vec![1, 2], vec![0]],
        "{:?}",
        src.header()
    );
    assert!(src.written_row().is_none());
    src.next_row().unwrap().unwrap();
    let written: Vec<String> = src
        .written_row()
        .unwrap()
        .cells
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(written, ["F1", "van", "Dijk", "Dorpstraat 18a"]);
    assert!(src.next_row().is_none() && src.written_row().is_none());
}
