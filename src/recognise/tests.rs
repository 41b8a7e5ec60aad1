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

/// An export of invoices around the column under test: a sure invoice number and amount.
fn with_invoices(header: &[&str], rows: &[&[&str]]) -> Proposal {
    let mut h = vec!["Factuurnummer", "Openstaand bedrag"];
    h.extend_from_slice(header);
    let amounts = ["12,50", "100,00", "7,25", "1.234,56", "3,10"];
    let full: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut v = vec![format!("F{i:04}"), amounts[i % 5].to_string()];
            v.extend(r.iter().map(|s| s.to_string()));
            v
        })
        .collect();
    let refs: Vec<Vec<&str>> = full
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    propose_for(&h, &rows)
}

#[test]
fn naam_with_family_names_written_sorted_is_sure_and_full_names_are_asked() {
    let sorted: &[&[&str]] = &[
        &["Berg, van der"],
        &["Jansen"],
        &["Heuvel, van den"],
        &["Vries, de"],
        &["El Amrani"],
    ];
    assert_eq!(
        decision(&propose_for(&["Naam"], sorted), "Naam"),
        ("PERSON_FAMILYNAME".into(), Confidence::Sure)
    );
    // Near misses: full names (sorted with the given name, or three words) stay a question.
    let full: &[&[&str]] = &[
        &["Berg, Jan van der"],
        &["Heuvel, van den"],
        &["Vries, de"],
        &["Dijk, van"],
    ];
    assert_eq!(
        decision(&propose_for(&["Naam"], full), "Naam").1,
        Confidence::Guess
    );
    let words: &[&[&str]] = &[
        &["Berg, van der"],
        &["Heuvel, van den"],
        &["Vries, de"],
        &["Bakkerij Jansen BV"],
    ];
    assert_eq!(
        decision(&propose_for(&["Naam"], words), "Naam").1,
        Confidence::Guess
    );
}

#[test]
fn a_description_beside_invoice_columns_is_the_invoice_description() {
    let rows: &[&[&str]] = &[&["Onderhoud 1"], &["Abonnement 2"], &["Levering 3"]];
    assert_eq!(
        decision(&with_invoices(&["Omschrijving"], rows), "Omschrijving"),
        ("INVOICE_DESCRIPTION".into(), Confidence::Sure)
    );
    // Near miss: a list of relations (no invoice columns) leaves it a question.
    assert_eq!(
        decision(&propose_for(&["Omschrijving"], rows), "Omschrijving").1,
        Confidence::Guess
    );
}

#[test]
fn datum_before_the_due_date_is_the_invoice_date_unless_a_third_date_column_exists() {
    let rows: &[&[&str]] = &[
        &["01-02-2025", "03-03-2025"],
        &["15-01-2025", "14-02-2025"],
        &["20-12-2024", "19-01-2025"],
    ];
    assert_eq!(
        decision(&propose_for(&["Datum", "Vervaldatum"], rows), "Datum"),
        ("INVOICE_DATE".into(), Confidence::Sure)
    );
    // Near misses: a date after its due date; a third date column (which one is it?).
    let late: &[&[&str]] = &[
        &["01-02-2025", "03-03-2025"],
        &["15-03-2025", "14-02-2025"],
        &["20-12-2024", "19-01-2025"],
    ];
    assert_eq!(
        decision(&propose_for(&["Datum", "Vervaldatum"], late), "Datum").1,
        Confidence::Guess
    );
    let three: &[&[&str]] = &[
        &["01-02-2025", "03-03-2025", "01-01-2020"],
        &["15-01-2025", "14-02-2025", "02-01-2020"],
        &["20-12-2024", "19-01-2025", "03-01-2020"],
    ];
    assert_eq!(
        decision(
            &propose_for(&["Datum", "Vervaldatum", "Aangemaakt"], three),
            "Datum"
        )
        .1,
        Confidence::Guess
    );
}

#[test]
fn saldo_as_the_only_positive_amount_of_invoices_is_sure_a_negative_one_is_asked() {
    let rows: &[&[&str]] = &[&["F1", "12,50"], &["F2", "100,00"], &["F3", "7,25"]];
    assert_eq!(
        decision(&propose_for(&["Factuurnummer", "Saldo"], rows), "Saldo"),
        ("INVOICE_AMOUNT".into(), Confidence::Sure)
    );
    let credit: &[&[&str]] = &[&["F1", "12,50"], &["F2", "-100,00"], &["F3", "7,25"]];
    assert_eq!(
        decision(&propose_for(&["Factuurnummer", "Saldo"], credit), "Saldo").1,
        Confidence::Guess
    );
    // Another amount column: which is the claim?
    let two: &[&[&str]] = &[
        &["F1", "12,50", "20,00"],
        &["F2", "100,00", "120,00"],
        &["F3", "7,25", "9,00"],
    ];
    assert_eq!(
        decision(
            &propose_for(&["Factuurnummer", "Saldo", "Totaal"], two),
            "Saldo"
        )
        .1,
        Confidence::Guess
    );
}

#[test]
fn debiteur_holding_codes_is_the_debtor_number_and_holding_names_is_asked() {
    let codes: &[&[&str]] = &[&["D00801"], &["D00802"], &["10012"]];
    assert_eq!(
        decision(&propose_for(&["Debiteur"], codes), "Debiteur"),
        ("PERSON_IDENTIFIER".into(), Confidence::Sure)
    );
    let names: &[&[&str]] = &[&["Jansen"], &["Bakker"], &["Visser"]];
    assert_eq!(
        decision(&propose_for(&["Debiteur"], names), "Debiteur").1,
        Confidence::Guess
    );
    // `Code` names no debtor: a code column may be anything's code.
    assert_eq!(
        decision(&propose_for(&["Code"], codes), "Code").1,
        Confidence::Guess
    );
}

#[test]
fn adres_without_digits_beside_a_house_number_is_the_street() {
    let rows: &[&[&str]] = &[&["Dorpstraat", "18"], &["Kerkweg", "3"], &["Molenweg", "5"]];
    assert_eq!(
        decision(&propose_for(&["Adres", "Huisnummer"], rows), "Adres"),
        ("ADDRESS_STREET".into(), Confidence::Sure)
    );
    // Near miss: no house number column, the same values are asked.
    let alone: &[&[&str]] = &[&["Dorpstraat"], &["Kerkweg"], &["Molenweg"]];
    assert_eq!(
        decision(&propose_for(&["Adres"], alone), "Adres").1,
        Confidence::Guess
    );
}

#[test]
fn an_ambiguous_header_beside_a_sure_one_for_its_field_is_not_delivered() {
    // (An invoice number beside them: without one, an amount may be a debtor's balance.)
    let rows: &[&[&str]] = &[
        &["F1", "12,50", "20,00"],
        &["F2", "100,00", "120,00"],
        &["F3", "7,25", "9,00"],
    ];
    let p = propose_for(&["Invoice Number", "Amount Due", "Original Amount"], rows);
    assert_eq!(
        decision(&p, "Amount Due"),
        ("INVOICE_AMOUNT".into(), Confidence::Sure)
    );
    assert_eq!(
        decision(&p, "Original Amount"),
        ("not delivered".into(), Confidence::Sure)
    );
}

#[test]
fn a_totals_row_at_the_end_is_left_out_of_the_sample() {
    use crate::source::{open, ReadOptions};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(
        &path,
        "Factuurnummer;Naam;Postcode;Bedrag\nF1;Jansen;1234 AB;12,50\nF2;Bakker;4906 CX;3,00\n;Totaal;;15,50\n",
    )
    .unwrap();
    let mut src = open(&path, &ReadOptions::default()).unwrap();
    let rows = read_sample(&mut *src, SAMPLE_ROWS).unwrap();
    assert_eq!(rows.len(), 2);
    // A row that fills most of its columns is data, whatever its text.
    assert!(!looks_like_total(&[
        Cell::Text("F3".into()),
        Cell::Text("Totaal".into()),
        Cell::Text("1234 AB".into()),
    ]));
}

#[test]
fn a_known_name_among_other_words_is_only_ever_asked() {
    let p = propose_for(
        &[
            "Partner/City",
            "Partner/Country",
            "POPostalCode",
            "TaxTotal",
        ],
        &[
            &["Utrecht", "NL", "1234 AB", "2,10"],
            &["Gent", "BE", "9000", "0,00"],
            &["Arnhem", "NL", "6811 CG", "4,20"],
        ],
    );
    // Every value of the country column is a country, and still it is asked: `Partner` or
    // `PO` could be anyone's.
    for (h, field) in [
        ("Partner/City", "ADDRESS_CITY"),
        ("Partner/Country", "ADDRESS_COUNTRY"),
        ("POPostalCode", "ADDRESS_ZIPCODE"),
        ("TaxTotal", "INVOICE_TAX"),
    ] {
        assert_eq!(decision(&p, h), (field.into(), Confidence::Guess), "{h}");
    }
    let c = p
        .columns
        .iter()
        .find(|c| c.header == "Partner/City")
        .unwrap();
    assert!(c.evidence[0].contains("holds 'city'"), "{:?}", c.evidence);
    // Beside a header that names the field outright, it is the lesser reading: not delivered.
    let p = propose_for(
        &["Debiteurcode", "KvK-nummer"],
        &[&["D1", "12345678"], &["D2", "87654321"]],
    );
    assert_eq!(
        decision(&p, "KvK-nummer"),
        ("not delivered".into(), Confidence::Sure)
    );
    // A header of one word is never read in parts.
    assert_eq!(partial("Gemeentehuis"), None);
}

#[test]
fn a_prefix_header_is_joined_only_when_its_values_are_name_prefixes() {
    // `Voorvoegsel` holding salutations: a gender to confirm, never joined into the name
    // (that would deliver "Dhr. Müller" as the family name).
    let p = propose_for(
        &["Voorvoegsel", "Achternaam"],
        &[&["Dhr.", "Müller"], &["Mw.", "Öztürk"], &["Dhr.", "Horst"]],
    );
    assert_eq!(
        decision(&p, "Voorvoegsel"),
        ("PERSON_GENDER".into(), Confidence::Guess)
    );
    assert_eq!(
        decision(&p, "Achternaam"),
        ("PERSON_FAMILYNAME".into(), Confidence::Sure)
    );
    // The same header with name prefixes: joined, sure.
    let p = propose_for(
        &["Voorvoegsel", "Achternaam"],
        &[&["van der", "Berg"], &["", "Jansen"], &["'t", "Hart"]],
    );
    assert_eq!(decision(&p, "Voorvoegsel").1, Confidence::Sure);
    assert!(decision(&p, "Achternaam").0.contains("part 2"));
    // A snake_case prefix column is read from the right: `name prefix`, not `family name`.
    let p = propose_for(
        &["family_name_prefix", "family_name"],
        &[&["van", "Dijk"], &["", "Smit"], &["de", "Boer"]],
    );
    assert!(decision(&p, "family_name_prefix").0.contains("part 1"));
    assert_eq!(decision(&p, "family_name_prefix").1, Confidence::Guess);
}

#[test]
fn the_open_amount_is_the_one_the_payments_prove() {
    let header = [
        "Invoice Number",
        "Amount Due",
        "Amount Paid",
        "Amount Remaining",
    ];
    let p = propose_for(
        &header,
        &[
            &["F1", "40.89", "25.00", "15.89"],
            &["F2", "151.04", "0.00", "151.04"],
            &["F3", "466.16", "25.00", "441.16"],
        ],
    );
    assert_eq!(
        decision(&p, "Amount Remaining"),
        ("INVOICE_AMOUNT".into(), Confidence::Sure)
    );
    assert_eq!(
        decision(&p, "Amount Due"),
        ("not delivered".into(), Confidence::Sure)
    );
    // Nothing paid but in one row: the two cannot be told apart, the arithmetic decides nothing.
    let p = propose_for(
        &header,
        &[
            &["F1", "40.89", "25.00", "15.89"],
            &["F2", "151.04", "0.00", "151.04"],
            &["F3", "466.16", "0.00", "466.16"],
        ],
    );
    assert_ne!(
        decision(&p, "Amount Remaining"),
        ("INVOICE_AMOUNT".into(), Confidence::Sure)
    );
    // A row that does not add up: no rule.
    let p = propose_for(
        &header,
        &[
            &["F1", "40.89", "25.00", "15.89"],
            &["F2", "151.04", "10.00", "151.04"],
            &["F3", "466.16", "25.00", "441.16"],
        ],
    );
    assert_ne!(
        decision(&p, "Amount Remaining"),
        ("INVOICE_AMOUNT".into(), Confidence::Sure)
    );
}

#[test]
fn values_beat_a_name_among_other_words_and_a_two_letter_last_word_counts() {
    let p = propose_for(
        &["Customer ID", "Billing Code", "Record ID"],
        &[
            &["C1", "2514 GL", "901"],
            &["C2", "3000", "902"],
            &["C3", "6211 CA", "903"],
        ],
    );
    assert_eq!(
        decision(&p, "Billing Code"),
        ("ADDRESS_ZIPCODE".into(), Confidence::Guess)
    );
    assert_eq!(
        decision(&p, "Record ID"),
        ("IDENTIFICATION_IDENTIFIER".into(), Confidence::Guess)
    );
}

#[test]
fn dates_or_amounts_under_an_unknown_header_are_asked_when_their_field_is_missing() {
    let p = propose_for(
        &["Factuurnummer", "Openstaand", "Verfallstag"],
        &[
            &["F1", "12,50", "14-04-2025"],
            &["F2", "7,00", "20-04-2025"],
            &["F3", "30,10", "28-04-2025"],
        ],
    );
    assert_eq!(
        decision(&p, "Verfallstag"),
        ("INVOICE_DUEDATE".into(), Confidence::Guess)
    );
    // With a due date given outright, such a column is simply not delivered.
    let p = propose_for(
        &[
            "Factuurnummer",
            "Openstaand",
            "Vervaldatum",
            "Aangemaakt op",
        ],
        &[
            &["F1", "12,50", "14-04-2025", "01-03-2025"],
            &["F2", "7,00", "20-04-2025", "02-03-2025"],
        ],
    );
    assert_eq!(decision(&p, "Aangemaakt op").0, "INVOICE_DATE");
    assert_eq!(decision(&p, "Aangemaakt op").1, Confidence::Guess);
    let p = propose_for(
        &[
            "Factuurnummer",
            "Openstaand",
            "Vervaldatum",
            "Factuurdatum",
            "Aangemaakt op",
        ],
        &[
            &["F1", "12,50", "14-04-2025", "01-03-2025", "01-03-2025"],
            &["F2", "7,00", "20-04-2025", "02-03-2025", "02-03-2025"],
        ],
    );
    assert_eq!(
        decision(&p, "Aangemaakt op"),
        ("not delivered".into(), Confidence::Sure)
    );
}

#[test]
fn an_amount_without_any_invoice_column_is_asked() {
    // A list of debtors with their balance: maybe the reminder's amount, maybe not.
    let p = propose_for(
        &["Debiteurnummer", "Achternaam", "Openstaand"],
        &[&["D1", "Jansen", "12,50"], &["D2", "Bakker", "7,00"]],
    );
    assert_eq!(
        decision(&p, "Openstaand"),
        ("INVOICE_AMOUNT".into(), Confidence::Guess)
    );
    let p = propose_for(
        &["Debiteurnummer", "Factuurnummer", "Openstaand"],
        &[&["D1", "F1", "12,50"], &["D2", "F2", "7,00"]],
    );
    assert_eq!(
        decision(&p, "Openstaand"),
        ("INVOICE_AMOUNT".into(), Confidence::Sure)
    );
}

#[test]
fn belgian_phone_numbers_make_the_profile_belgian() {
    let p = propose_for(
        &["Klantnummer", "GSM", "Telefoon"],
        &[
            &["K1", "0475 12 34 56", "016 80 47 19"],
            &["K2", "0486 55 12 90", "02 511 22 33"],
            &["K3", "0498 10 20 30", ""],
        ],
    );
    assert_eq!(p.read.default_country.as_deref(), Some("BE"));
    assert_eq!(decision(&p, "GSM").1, Confidence::Sure);
    // Dutch numbers keep the default.
    let p = propose_for(
        &["Klantnummer", "Mobiel"],
        &[&["K1", "06-12345678"], &["K2", "06 87654321"]],
    );
    assert_eq!(p.read.default_country, None);
}
