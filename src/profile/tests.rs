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
