//! One test per mapping rule, each with a case that applies it and one that does not.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::customer::Customer;
use super::identifier::Template;
use super::mapping::{columns, Mapper};
use crate::issue::Severity;
use crate::source::{Cell, RecordNote};

struct Result {
    cells: Vec<(String, Cell)>,
    notes: Vec<RecordNote>,
}

impl Result {
    /// The cell of a delivery column, shown as text (`number@CC` for a phone with a country).
    fn get(&self, column: &str) -> String {
        match self.cells.iter().find(|(c, _)| c == column).map(|(_, v)| v) {
            Some(Cell::PhoneIn { number, country }) => {
                format!("{number}@{}", String::from_utf8_lossy(country))
            }
            Some(cell) => cell.display(),
            None => panic!("no column {column}"),
        }
    }

    fn codes(&self) -> Vec<&'static str> {
        self.notes.iter().map(|n| n.code).collect()
    }
}

fn map(v: Value) -> Result {
    let customer = Customer::from_json(&v).unwrap();
    let mapper = Mapper::new(
        Template::default(),
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    );
    let mapped = mapper.map(&customer, 4);
    Result {
        cells: columns()
            .iter()
            .map(|s| s.column().to_string())
            .zip(mapped.cells)
            .collect(),
        notes: mapped.notes,
    }
}

fn contact(c: Value) -> Value {
    json!({
        "action": "EXISTING",
        "accounts_receivable_identifier": {"number": "AR1001"},
        "contact_information": c
    })
}

#[test]
fn person_names_title_and_person_identifier() {
    let r = map(contact(json!({
        "type": "PERSON", "title": "Dr.", "first_name": "Anna", "middle_name": "Maria",
        "last_name": "de Vries"
    })));
    assert_eq!(r.get("PERSON_GIVENNAME"), "Anna Maria");
    assert_eq!(r.get("PERSON_FAMILYNAME"), "de Vries");
    assert_eq!(r.get("PERSON_HONORIFICPREFIX"), "Dr.");
    assert_eq!(r.get("PERSON_IDENTIFIER"), "AR1001");
    assert_eq!(r.get("IDENTIFICATION_IDENTIFIER"), "AR1001-20261122");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn new_accounts_use_their_name_as_person_identifier() {
    let r = map(json!({
        "action": "NEW", "name": "Peeters Jan",
        "contact_information": {"type": "PERSON", "last_name": "Peeters"}
    }));
    assert_eq!(r.get("PERSON_IDENTIFIER"), "Peeters Jan");
    assert_eq!(r.get("IDENTIFICATION_IDENTIFIER"), "R4-20261122");
}

#[test]
fn company_name_becomes_family_name_with_a_warning() {
    let r = map(contact(
        json!({"type": "COMPANY", "company_name": "Kafe Nikosia Ltd"}),
    ));
    assert_eq!(r.get("PERSON_FAMILYNAME"), "Kafe Nikosia Ltd");
    assert_eq!(r.get("PERSON_GIVENNAME"), "");
    assert_eq!(r.codes(), vec!["crmcom.company_as_family_name"]);
    assert_eq!(r.notes[0].severity, Severity::Warning);
    let person = map(contact(
        json!({"type": "PERSON", "last_name": "X", "company_name": "Y"}),
    ));
    assert_eq!(person.get("PERSON_FAMILYNAME"), "X");
    assert!(person.notes.is_empty());
}

#[test]
fn gender_male_female_or_left_empty() {
    let g =
        |d: Value| map(contact(json!({"last_name": "X", "demographics": d}))).get("PERSON_GENDER");
    assert_eq!(g(json!({"gender": "MALE"})), "M");
    assert_eq!(g(json!({"gender": "female"})), "F");
    assert_eq!(g(json!({})), "");
    assert_eq!(g(json!({"gender": "OTHER"})), "OTHER");
}

#[test]
fn birthday_from_parts_or_warning_when_incomplete() {
    let b = |d: Value| {
        map(contact(
            json!({"last_name": "X", "demographics": {"date_of_birth": d}}),
        ))
    };
    let full = b(json!({"day": 9, "month": "3", "year": 1981}));
    assert_eq!(full.get("PERSON_BIRTHDAY"), "1981-03-09");
    assert!(full.notes.is_empty());
    let partial = b(json!({"month": 3, "year": 1981}));
    assert_eq!(partial.get("PERSON_BIRTHDAY"), "");
    assert_eq!(partial.codes(), vec!["crmcom.birthday_incomplete"]);
    assert_eq!(
        partial.notes[0].value.as_deref(),
        Some("day ?, month 3, year 1981")
    );
    // A complete but impossible date goes on as text, for the date validation to judge.
    assert_eq!(
        b(json!({"day": 31, "month": 2, "year": 1981})).get("PERSON_BIRTHDAY"),
        "1981-02-31"
    );
    assert!(b(json!({})).notes.is_empty());
}

#[test]
fn address_primary_then_home_then_first_then_billing() {
    let a = |set: Value| {
        map(json!({
            "action": "NEW", "name": "n",
            "billing_address": {"action": "NEW", "address": {"type": "BUSINESS", "address_line_1": "Billing 1"}},
            "contact_information": {"last_name": "X", "address_set": set}
        }))
        .get("ADDRESS_STREET")
    };
    let business = json!({"type": "BUSINESS", "street_name": "Work"});
    let home = json!({"type": "HOME", "street_name": "Home"});
    let primary = json!({"type": "POBOX", "is_primary": true, "street_name": "Primary"});
    assert_eq!(a(json!([business, home, primary])), "Primary");
    assert_eq!(a(json!([business, home])), "Home");
    assert_eq!(a(json!([business])), "Work");
    assert_eq!(a(json!([])), "Billing 1");
}

#[test]
fn crmcom_address_format() {
    let r = map(contact(json!({"last_name": "X", "address_set": [{
        "type": "HOME", "street_name": "Makariou III Avenue", "street_number": 45,
        "apartment_number": "12B", "postal_code": "1065", "town_city": "Nicosia",
        "country_identifier": {"three_character_code": "CYP"}
    }]})));
    assert_eq!(r.get("ADDRESS_STREET"), "Makariou III Avenue");
    assert_eq!(r.get("ADDRESS_HOUSENUMBER"), "45");
    assert_eq!(r.get("ADDRESS_EXTENSION"), "12B");
    assert_eq!(r.get("ADDRESS_ZIPCODE"), "1065");
    assert_eq!(r.get("ADDRESS_CITY"), "Nicosia");
    assert_eq!(r.get("ADDRESS_COUNTRY"), "CY");
}

#[test]
fn international_address_format() {
    let r = map(contact(json!({"last_name": "X", "address_set": [{
        "type": "HOME", "address_line_1": "Keizersgracht 123-2", "address_line_2": "t.a.v. X",
        "postal_code": "1015 CJ", "town_city": "Amsterdam", "country_identifier": {"name": "Netherlands"}
    }]})));
    assert_eq!(r.get("ADDRESS_STREET"), "Keizersgracht 123-2");
    assert_eq!(r.get("ADDRESS_HOUSENUMBER"), "");
    assert_eq!(r.get("ADDRESS_ZIPCODE"), "1015 CJ");
    assert_eq!(r.get("ADDRESS_COUNTRY"), "NL");
    let unknown = map(contact(json!({"last_name": "X", "address_set": [{
        "address_line_1": "x", "country_identifier": {"name": "Atlantis"}
    }]})));
    assert_eq!(unknown.get("ADDRESS_COUNTRY"), "Atlantis");
}

#[test]
fn phones_primary_first_fax_dropped_duplicates_removed_three_at_most() {
    let r = map(contact(json!({"last_name": "X",
        "address_set": [{"street_name": "s", "country_identifier": {"two_character_code": "BE"}}],
        "phone_set": [
            {"type": "LANDLINE", "number": "02 555 12 12"},
            {"type": "FAX", "number": "02 555 12 13"},
            {"type": "MOBILE", "is_primary": true, "number": "0471 90 49 99"},
            {"type": "MOBILE", "number": "0471904999"},
            {"type": "MOBILE", "number": "0612345678", "country_identifier": {"two_character_code": "NL"}},
            {"type": "CUSTOM1", "area_code": "22", "number": "123456", "country_identifier": {"name": "Cyprus"}},
            {"type": "LANDLINE"}
        ]
    })));
    assert_eq!(r.get("CONTACT_PHONENUMBER_1"), "0471 90 49 99@BE");
    assert_eq!(r.get("CONTACT_PHONENUMBER_2"), "02 555 12 12@BE");
    assert_eq!(r.get("CONTACT_PHONENUMBER_3"), "0612345678@NL");
    assert_eq!(
        r.codes(),
        vec![
            "crmcom.fax_dropped",
            "crmcom.phone_duplicate",
            "crmcom.phone_without_number",
            "crmcom.phone_limit"
        ]
    );
    let limit = r
        .notes
        .iter()
        .find(|n| n.code == "crmcom.phone_limit")
        .unwrap();
    assert_eq!(limit.value.as_deref(), Some("22 123456"));
}

#[test]
fn phone_without_any_country_stays_plain_text() {
    let r = map(contact(json!({"last_name": "X", "phone_set": [
        {"type": "MOBILE", "number": "+49 151 23456789"},
        {"type": "MOBILE", "number": "0151 2345", "country_identifier": {"name": "Atlantis"}}
    ]})));
    assert_eq!(r.get("CONTACT_PHONENUMBER_1"), "+49 151 23456789");
    assert_eq!(r.get("CONTACT_PHONENUMBER_2"), "0151 2345");
    assert_eq!(r.codes(), vec!["crmcom.phone_country_unknown"]);
}

#[test]
fn emails_primary_first_three_at_most() {
    let r = map(contact(json!({"last_name": "X", "email_set": [
        {"type": "PERSONAL", "email_address": "a@example.com"},
        {"type": "BUSINESS", "email_address": "b@example.com", "is_primary": true},
        {"type": "CUSTOM1", "email_address": "A@example.com"},
        {"type": "CUSTOM2", "email_address": "c@example.com"},
        {"type": "CUSTOM3"},
        {"type": "CUSTOM4", "email_address": "d@example.com"}
    ]})));
    assert_eq!(r.get("CONTACT_EMAIL_1"), "b@example.com");
    assert_eq!(r.get("CONTACT_EMAIL_2"), "a@example.com");
    assert_eq!(r.get("CONTACT_EMAIL_3"), "c@example.com");
    assert_eq!(r.codes(), vec!["crmcom.email_limit"]);
    let two = map(contact(
        json!({"last_name": "X", "email_set": {"email_address": "x@example.com"}}),
    ));
    assert_eq!(two.get("CONTACT_EMAIL_1"), "x@example.com");
    assert!(two.notes.is_empty());
}

#[test]
fn missing_contact_and_contact_by_reference_are_said() {
    let none =
        map(json!({"action": "EXISTING", "accounts_receivable_identifier": {"number": "AR9"}}));
    assert_eq!(none.codes(), vec!["crmcom.contact_missing"]);
    assert_eq!(none.get("IDENTIFICATION_IDENTIFIER"), "AR9-20261122");
    let reference = map(contact(
        json!({"action": "EXISTING", "contact_information_identifier": {"id": "C77"}}),
    ));
    assert_eq!(reference.codes(), vec!["crmcom.contact_by_reference"]);
}

#[test]
fn bare_contact_information_maps_too() {
    let r = map(
        json!({"type": "PERSON", "first_name": "Jan", "last_name": "Jansen",
        "contact_information_identifier": {"id": "CI-5"}}),
    );
    assert_eq!(r.get("PERSON_FAMILYNAME"), "Jansen");
    assert_eq!(r.get("PERSON_IDENTIFIER"), "");
    assert_eq!(r.get("IDENTIFICATION_IDENTIFIER"), "CI-5-20261122");
}

#[test]
fn empty_template_part_is_a_warning_on_the_identifier() {
    let customer =
        Customer::from_json(&json!({"action": "NEW", "name": "n", "contact_information": {}}))
            .unwrap();
    let mapper = Mapper::new(
        Template::parse("{accounts_receivable.number}-{date}").unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
    );
    let mapped = mapper.map(&customer, 1);
    assert_eq!(mapped.cells[0], Cell::Text("-20260102".into()));
    assert_eq!(mapped.notes[0].code, "crmcom.identifier_part_missing");
    assert_eq!(
        mapped.notes[0].field.map(|s| s.column()),
        Some("IDENTIFICATION_IDENTIFIER")
    );
}

/// Arbitrary JSON trees built from CRM.COM keys and odd values.
fn crmcom_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let keys = prop::sample::select(vec![
        "accounts_receivable",
        "contact_information",
        "accounts_receivable_identifier",
        "action",
        "number",
        "name",
        "id",
        "type",
        "first_name",
        "middle_name",
        "last_name",
        "company_name",
        "title",
        "demographics",
        "gender",
        "date_of_birth",
        "day",
        "month",
        "year",
        "address_set",
        "phone_set",
        "email_set",
        "is_primary",
        "street_name",
        "street_number",
        "address_line_1",
        "country_identifier",
        "two_character_code",
        "three_character_code",
        "area_code",
        "email_address",
        "billing_address",
        "address",
        "postal_code",
        "town_city",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "FAX",
            "HOME",
            "MALE",
            "COMPANY",
            "EXISTING",
            "CY",
            "CYP",
            "0471 90 49 99"
        ])
        .prop_map(Value::from),
    ];
    let object_keys = keys.clone();
    let tree = leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(object),
        ]
    });
    // The contact information is an object most of the time, so the mapping is exercised.
    let contact = prop::collection::btree_map(object_keys, tree.clone(), 0..12).prop_map(object);
    prop_oneof![
        (contact.clone(), tree.clone()).prop_map(|(c, id)| json!({
            "accounts_receivable": {"action": "EXISTING", "accounts_receivable_identifier": id, "contact_information": c}
        })),
        (contact.clone(), tree.clone())
            .prop_map(|(c, b)| json!({"action": "NEW", "billing_address": b, "contact_information": c})),
        contact,
        tree,
    ]
}

fn object(m: std::collections::BTreeMap<&str, Value>) -> Value {
    Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

proptest::proptest! {
    /// Whatever the tree, reading and mapping never panic, the cells match the columns, and
    /// every record gets an identifier.
    #[test]
    fn mapping_never_panics(v in crmcom_json()) {
        if let Ok(customer) = Customer::from_json(&v) {
            let mapper = Mapper::new(Template::default(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
            let mapped = mapper.map(&customer, 1);
            proptest::prop_assert_eq!(mapped.cells.len(), columns().len());
            let id = columns().iter().position(|s| s.column() == "IDENTIFICATION_IDENTIFIER").unwrap();
            proptest::prop_assert!(!mapped.cells[id].is_blank());
        }
    }
}
