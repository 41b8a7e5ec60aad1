use super::*;

fn cells(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| {
                    if v.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(v.to_string())
                    }
                })
                .collect()
        })
        .collect()
}

fn propose_for(header: &[&str], rows: &[&[&str]]) -> Proposal {
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    propose(
        &header,
        &cells(rows),
        Services::NONE,
        Country::parse("NL").unwrap(),
    )
}

fn decision(p: &Proposal, header: &str) -> (String, Confidence) {
    let c = p.columns.iter().find(|c| c.header == header).unwrap();
    (c.decision.describe(), c.confidence)
}

#[test]
fn known_headers_with_agreeing_values_are_sure() {
    let p = propose_for(
        &[
            "Debiteurnummer",
            "Tussenvoegsel",
            "Achternaam",
            "E-mailadres",
            "Postcode",
            "Vervaldatum",
        ],
        &[
            &["D1", "van den", "Heuvel", "a@b.nl", "1234 AB", "14-03-2025"],
            &["D2", "", "Jansen", "c@d.nl", "4906CX", "28-02-2025"],
        ],
    );
    assert_eq!(
        decision(&p, "Debiteurnummer"),
        ("PERSON_IDENTIFIER".into(), Confidence::Sure)
    );
    assert_eq!(decision(&p, "Tussenvoegsel").1, Confidence::Sure);
    assert!(decision(&p, "Achternaam").0.contains("part 2"));
    assert_eq!(
        decision(&p, "E-mailadres"),
        ("CONTACT_EMAIL_1".into(), Confidence::Sure)
    );
    assert_eq!(
        decision(&p, "Vervaldatum"),
        ("INVOICE_DUEDATE".into(), Confidence::Sure)
    );
    assert_eq!(p.read.date_order.as_deref(), Some("dmy"));
}

#[test]
fn ambiguous_headers_are_asked() {
    let p = propose_for(
        &["Naam", "Datum", "Bedrag"],
        &[
            &["Jan Jansen", "01-02-2025", "12,50"],
            &["Piet Bakker", "03-02-2025", "7,00"],
        ],
    );
    for h in ["Naam", "Datum", "Bedrag"] {
        assert_eq!(decision(&p, h).1, Confidence::Guess, "{h}");
    }
    assert!(!p.complete());
}

#[test]
fn values_that_contradict_the_header_are_asked() {
    let p = propose_for(&["E-mail"], &[&["06-12345678"], &["010-7989525"]]);
    assert_eq!(decision(&p, "E-mail").1, Confidence::Guess);
}

#[test]
fn titel_holding_genders_and_titles() {
    let p = propose_for(&["Titel"], &[&["Dhr."], &["Mevr."], &["Dhr."]]);
    assert_eq!(
        decision(&p, "Titel"),
        ("PERSON_GENDER".into(), Confidence::Sure)
    );
    let p = propose_for(&["Titel"], &[&["Drs."], &["Ing."], &["Mr."]]);
    assert_eq!(
        decision(&p, "Titel"),
        ("PERSON_HONORIFICPREFIX".into(), Confidence::Sure)
    );
}

#[test]
fn address_families_keep_the_invoice_address() {
    let p = propose_for(
        &[
            "FactuurPostcode",
            "FactuurPlaats",
            "BezoekPostcode",
            "BezoekPlaats",
            "LeverPostcode",
        ],
        &[
            &["1234 AB", "Utrecht", "4906 CX", "Oosterhout", "9711 LM"],
            &["1012AB", "Amsterdam", "2514 GL", "Den Haag", "6211 CK"],
        ],
    );
    assert_eq!(
        decision(&p, "FactuurPostcode"),
        ("ADDRESS_ZIPCODE".into(), Confidence::Sure)
    );
    assert_eq!(
        decision(&p, "FactuurPlaats"),
        ("ADDRESS_CITY".into(), Confidence::Sure)
    );
    assert_eq!(decision(&p, "BezoekPostcode").0, "not delivered");
    assert_eq!(decision(&p, "LeverPostcode").0, "not delivered");
}

#[test]
fn a_combined_address_is_split() {
    let p = propose_for(
        &["Straat"],
        &[
            &["Dorpstraat 18a"],
            &["Laan van Meerdervoort 1024-B"],
            &["Postbus 12"],
        ],
    );
    assert!(decision(&p, "Straat").0.contains("split"));
}

#[test]
fn invoice_number_is_also_the_reference_and_the_identifier_is_asked() {
    let p = propose_for(&["Factuurnummer"], &[&["F1"], &["F2"]]);
    assert_eq!(
        decision(&p, "Factuurnummer").0,
        "INVOICE_NUMBER + INVOICE_REFERENCE"
    );
    let (t, c, _) = p.identifier.clone().unwrap();
    assert_eq!(
        (t.as_str(), c),
        ("{Factuurnummer}-{date}", Confidence::Guess)
    );
}

#[test]
fn unknown_headers_are_never_sure() {
    let p = propose_for(
        &["Xyzzy", "Klantmail"],
        &[&["1", "a@b.nl"], &["2", "c@d.nl"]],
    );
    assert_eq!(decision(&p, "Xyzzy").0, "not delivered");
    assert_eq!(
        decision(&p, "Klantmail"),
        ("CONTACT_EMAIL_1".into(), Confidence::Guess)
    );
}

#[test]
fn one_letter_vehicle_codes_in_a_country_column_get_a_value_map() {
    let p = propose_for(
        &["Land"],
        &[&["NL"], &["B"], &["D"], &["NL"], &["NL"], &["B"]],
    );
    assert_eq!(
        decision(&p, "Land"),
        ("ADDRESS_COUNTRY".into(), Confidence::Sure)
    );
    let map = &p.values["ADDRESS_COUNTRY"];
    assert_eq!(map.get("B").map(String::as_str), Some("BE"));
    assert_eq!(map.get("D").map(String::as_str), Some("DE"));
    assert!(!map.contains_key("NL"));
}

#[test]
fn letters_that_are_no_country_code_make_a_country_column_a_question() {
    // `X` and `Q` are neither ISO codes nor vehicle signs: ask, and map nothing for them.
    let p = propose_for(&["Land"], &[&["NL"], &["X"], &["Q"], &["B"]]);
    assert_eq!(decision(&p, "Land").1, Confidence::Guess);
    assert!(p
        .values
        .get("ADDRESS_COUNTRY")
        .is_none_or(|m| !m.contains_key("X") && !m.contains_key("Q")));
    // One-letter codes in a column that is not a country (initials) get no country map.
    let p = propose_for(&["Voorletters"], &[&["B"], &["D"], &["J"]]);
    assert!(!p.values.contains_key("ADDRESS_COUNTRY"));
}
