//! The row pipeline's rules, each with a passing and a failing value.

use chrono::NaiveDate;
use collectmaxx::header::{ColumnMap, Mapping};
use collectmaxx::issue::Severity;
use collectmaxx::model::Value;
use collectmaxx::registry::{Service, Services, Slot};
use collectmaxx::rules::amount::AmountUnit;
use collectmaxx::rules::pipeline::{check_row, Checked, RuleSettings};
use collectmaxx::source::{Cell, Row};

fn settings(services: &[Service]) -> RuleSettings {
    let mut s = RuleSettings::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    for svc in services {
        s.services = s.services.with(*svc);
    }
    s
}

fn check_with(settings: &RuleSettings, pairs: &[(&str, Cell)]) -> Checked {
    let mut map = ColumnMap::default();
    let headers: Vec<String> = pairs.iter().map(|(h, _)| h.to_string()).collect();
    map.extend(&headers, &Mapping::default()).unwrap();
    let row = Row {
        row: 2,
        line: Some(2),
        cells: pairs.iter().map(|(_, c)| c.clone()).collect(),
    };
    check_row(settings, &map, &row)
}

fn check(services: &[Service], pairs: &[(&str, &str)]) -> Checked {
    let cells: Vec<(&str, Cell)> = pairs
        .iter()
        .map(|(h, v)| (*h, Cell::Text(v.to_string())))
        .collect();
    check_with(&settings(services), &cells)
}

fn codes(c: &Checked, sev: Severity) -> Vec<&'static str> {
    c.issues
        .iter()
        .filter(|i| i.severity == sev)
        .map(|i| i.code)
        .collect()
}

fn value(c: &Checked, column: &str) -> Option<String> {
    c.record
        .as_ref()?
        .get(Slot::by_column(column)?)
        .map(|v| v.to_string())
}

#[test]
fn a_clean_row_is_accepted_without_findings() {
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("PERSON_FAMILYNAME", "Jansen"),
        ],
    );
    assert!(c.record.is_some());
    assert!(c.issues.is_empty(), "{:?}", c.issues);
}

#[test]
fn blank_rows_are_skipped_not_rejected() {
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", " "),
            ("PERSON_FAMILYNAME", ""),
        ],
    );
    assert!(c.blank && !c.rejected());
}

#[test]
fn missing_identifier_rejects() {
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", ""),
            ("PERSON_FAMILYNAME", "Jansen"),
        ],
    );
    assert!(c.rejected());
    assert_eq!(codes(&c, Severity::Error), ["identifier.missing"]);
    let c = check(&[], &[("PERSON_FAMILYNAME", "Jansen")]);
    assert_eq!(codes(&c, Severity::Error), ["identifier.missing"]);
}

#[test]
fn required_fields_name_the_service() {
    let c = check(&[Service::Paylink], &[("IDENTIFICATION_IDENTIFIER", "A1")]);
    assert!(c.rejected());
    let family = c
        .issues
        .iter()
        .find(|i| i.field.as_deref() == Some("PERSON_FAMILYNAME"))
        .unwrap();
    assert_eq!(family.code, "field.required");
    assert!(family.message.contains("paylink"), "{}", family.message);
    // The union of the chosen services' columns is required.
    let c = check(
        &[Service::Voice, Service::Mail],
        &[("IDENTIFICATION_IDENTIFIER", "A1"), ("CONTROL_FLOWID", "1")],
    );
    let fields: Vec<_> = c.issues.iter().filter_map(|i| i.field.as_deref()).collect();
    assert_eq!(fields, ["CONTACT_PHONENUMBER_1", "CONTACT_EMAIL_1"]);
    let c = check(
        &[Service::Mail],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("CONTROL_FLOWID", "1"),
            ("CONTACT_EMAIL", "a@example.nl"),
        ],
    );
    assert!(c.record.is_some(), "{:?}", c.issues);
}

#[test]
fn too_long_values_are_errors_counted_in_characters() {
    let ok = "é".repeat(100);
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("PERSON_FAMILYNAME", &ok),
        ],
    );
    assert!(
        c.record.is_some(),
        "100 characters (200 bytes) fit: {:?}",
        c.issues
    );
    let long = "é".repeat(101);
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("PERSON_FAMILYNAME", &long),
        ],
    );
    assert_eq!(codes(&c, Severity::Error), ["field.too_long"]);
    assert!(c.issues[0].message.contains("101 characters"));
}

#[test]
fn due_dates_must_lie_after_the_run_date() {
    let past = [
        ("IDENTIFICATION_IDENTIFIER", "A1"),
        ("INVOICE_DUEDATE", "2026-11-22"),
    ];
    let c = check(&[], &past);
    assert!(c.record.is_some());
    assert_eq!(codes(&c, Severity::Warning), ["date.not_future"]);
    let c = check(
        &[Service::Emandate],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("EMANDATE_VISIBLEUNTIL", "2026-11-01"),
        ],
    );
    assert!(codes(&c, Severity::Error).contains(&"date.not_future"));
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("INVOICE_DUEDATE", "2026-11-23"),
        ],
    );
    assert!(c.issues.is_empty());
}

#[test]
fn payment_descriptions_over_ideal_and_paypal_limits_warn_for_paylinks() {
    let base = [("IDENTIFICATION_IDENTIFIER", "A1")];
    let mid = "x".repeat(36);
    let long = "x".repeat(128);
    for (text, code) in [
        (mid.as_str(), Some("text.ideal_limit")),
        (long.as_str(), Some("text.paypal_limit")),
        ("short", None),
    ] {
        let mut s = settings(&[Service::Paylink]);
        s.services = Services::NONE.with(Service::Paylink);
        let c = check_with(
            &s,
            &[
                (base[0].0, Cell::Text("A1".into())),
                ("INVOICE_DESCRIPTION", Cell::Text(text.into())),
            ],
        );
        let warnings = codes(&c, Severity::Warning);
        assert_eq!(warnings.first().copied(), code, "{warnings:?}");
    }
}

#[test]
fn numbered_contacts_move_up_and_duplicates_go() {
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("CONTACT_EMAIL_1", ""),
            ("CONTACT_EMAIL_2", "b@example.nl"),
            ("CONTACT_EMAIL_3", "b@example.nl"),
        ],
    );
    assert_eq!(
        value(&c, "CONTACT_EMAIL_1").as_deref(),
        Some("b@example.nl")
    );
    assert_eq!(value(&c, "CONTACT_EMAIL_2"), None);
    assert_eq!(codes(&c, Severity::Fix), ["contact.duplicate"]);
}

#[test]
fn constants_fill_only_missing_values() {
    let mut s = settings(&[]);
    s.constants
        .push((Slot::by_column("CONTROL_FLOWID").unwrap(), "1234".into()));
    let c = check_with(
        &s,
        &[("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into()))],
    );
    assert_eq!(value(&c, "CONTROL_FLOWID").as_deref(), Some("1234"));
    let c = check_with(
        &s,
        &[
            ("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into())),
            ("CONTROL_FLOWID", Cell::Text("77".into())),
        ],
    );
    assert_eq!(value(&c, "CONTROL_FLOWID").as_deref(), Some("77"));
}

#[test]
fn spreadsheet_cells_by_field_kind() {
    let s = settings(&[]);
    let d = NaiveDate::from_ymd_opt(1980, 2, 1).unwrap();
    let c = check_with(
        &s,
        &[
            ("IDENTIFICATION_IDENTIFIER", Cell::Int(12345678901)),
            ("PERSON_BIRTHDAY", Cell::Date(d)),
            ("INVOICE_AMOUNT", Cell::Float(7.000000000000001)),
            ("SERVICES_ENRICHMENT", Cell::Bool(true)),
        ],
    );
    assert_eq!(
        value(&c, "IDENTIFICATION_IDENTIFIER").as_deref(),
        Some("12345678901")
    );
    assert_eq!(value(&c, "PERSON_BIRTHDAY").as_deref(), Some("1980-02-01"));
    assert_eq!(value(&c, "INVOICE_AMOUNT").as_deref(), Some("7"));
    assert_eq!(value(&c, "SERVICES_ENRICHMENT").as_deref(), Some("1"));
    // A fraction in a cents field, an error cell, a date cell in a text field.
    let c = check_with(
        &s,
        &[
            ("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into())),
            ("INVOICE_AMOUNT", Cell::Float(12.5)),
        ],
    );
    assert_eq!(codes(&c, Severity::Error), ["amount.fraction"]);
    let c = check_with(
        &s,
        &[
            ("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into())),
            ("PERSON_FAMILYNAME", Cell::Error("#N/A".into())),
        ],
    );
    assert_eq!(codes(&c, Severity::Error), ["cell.error"]);
    assert!(c.issues[0].message.contains("#N/A"));
    let c = check_with(
        &s,
        &[
            ("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into())),
            ("PERSON_FAMILYNAME", Cell::Date(d)),
        ],
    );
    assert_eq!(codes(&c, Severity::Warning), ["cell.date_in_text"]);
    // --amounts major converts a number cell holding euros.
    let mut major = settings(&[]);
    major.amounts = AmountUnit::Major;
    let c = check_with(
        &major,
        &[
            ("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into())),
            ("INVOICE_AMOUNT", Cell::Float(12.5)),
        ],
    );
    assert_eq!(
        c.record
            .as_ref()
            .and_then(|r| r.get(Slot::by_column("INVOICE_AMOUNT").unwrap())),
        Some(&Value::Cents(collectmaxx::model::Cents(1250)))
    );
}

#[test]
fn issues_carry_place_field_column_and_identifier() {
    let c = check(
        &[],
        &[
            ("IDENTIFICATION_IDENTIFIER", "A1"),
            ("invoice_amount", "1,50"),
        ],
    );
    let i = &c.issues[0];
    assert_eq!((i.row, i.line), (Some(2), Some(2)));
    assert_eq!(i.field.as_deref(), Some("INVOICE_AMOUNT"));
    assert_eq!(i.column.as_deref(), Some("invoice_amount"));
    assert_eq!(i.identifier.as_deref(), Some("A1"));
    assert_eq!(i.value.as_deref(), Some("1,50"));
}

#[test]
fn a_national_phone_number_is_read_in_the_country_of_the_rows_address() {
    let row = |country: &str, phone: Cell| {
        check_with(
            &settings(&[]),
            &[
                ("IDENTIFICATION_IDENTIFIER", Cell::Text("A1".into())),
                ("ADDRESS_COUNTRY", Cell::Text(country.into())),
                ("CONTACT_PHONENUMBER_1", phone),
            ],
        )
    };
    let phone = |c: &Checked| value(c, "CONTACT_PHONENUMBER_1");
    // No Dutch number, a Belgian one: read in the country of the row's address.
    let be = row("BE", Cell::Text("016 80 47 19".into()));
    assert_eq!(phone(&be).as_deref(), Some("3216804719"));
    assert_eq!(codes(&be, Severity::Fix), vec!["phone.row_country"]);
    // A spreadsheet number cell that lost its leading zero, in the same row.
    let cell = row("BE", Cell::Int(16804719));
    assert_eq!(phone(&cell).as_deref(), Some("3216804719"));
    // Valid in both as different numbers (0475 is also Roermond): the address's country, with
    // a warning that gives both readings, never a quiet fix.
    let both = row("BE", Cell::Text("0475 14 69 73".into()));
    assert_eq!(phone(&both).as_deref(), Some("32475146973"));
    assert_eq!(
        codes(&both, Severity::Warning),
        vec!["phone.ambiguous_country"]
    );
    assert!(codes(&both, Severity::Fix).is_empty());
    let message = &both.issues[0].message;
    assert!(
        message.contains("32475146973") && message.contains("31475146973"),
        "{message}"
    );
    // Valid only in the default country (a Dutch mobile of someone living in Belgium): read
    // there, as always.
    let nl = row("BE", Cell::Text("06-12345678".into()));
    assert_eq!(phone(&nl).as_deref(), Some("31612345678"));
    assert_eq!(codes(&nl, Severity::Fix), vec!["phone.national"]);
    // With its country code, or in a row of the default country: as before.
    let intl = row("BE", Cell::Text("+32 475 14 69 73".into()));
    assert_eq!(phone(&intl).as_deref(), Some("32475146973"));
    let home = row("NL", Cell::Text("0475 14 69 73".into()));
    assert_eq!(phone(&home).as_deref(), Some("31475146973"));
    assert_eq!(codes(&home, Severity::Fix), vec!["phone.national"]);
}
