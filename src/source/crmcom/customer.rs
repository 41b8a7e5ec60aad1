//! The customer that a CRM.COM object describes, read leniently out of its JSON tree.
//!
//! One record may be a `subscription_parameters` object, a bare `accounts_receivable` object or
//! a bare `contact_information` object; [`Customer::from_json`] finds out which by its keys and
//! walks down to the contact information. Values are taken as text wherever the export may write
//! a number or a string (`"street_number": 12`); nothing is validated here.

use serde_json::{Map, Value};

/// Which CRM.COM object a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    SubscriptionParameters,
    AccountsReceivable,
    ContactInformation,
}

/// Keys that only an accounts receivable object has.
const RECEIVABLE_KEYS: &[&str] = &[
    "contact_information",
    "accounts_receivable_identifier",
    "billing_address",
    "classification_identifier",
    "credit_rating_code",
];

/// Keys that only a contact information object has.
const CONTACT_KEYS: &[&str] = &[
    "contact_information_identifier",
    "first_name",
    "last_name",
    "middle_name",
    "company_name",
    "demographics",
    "address_set",
    "phone_set",
    "email_set",
];

/// Keys whose presence in a file's first bytes marks it as a CRM.COM export.
pub(crate) const SNIFF_KEYS: &[&str] = &[
    "\"accounts_receivable\"",
    "\"accounts_receivable_identifier\"",
    "\"contact_information\"",
    "\"contact_information_identifier\"",
    "\"first_name\"",
    "\"last_name\"",
    "\"company_name\"",
    "\"address_set\"",
    "\"phone_set\"",
    "\"email_set\"",
];

impl Shape {
    pub(crate) fn of(object: &Map<String, Value>) -> Option<Shape> {
        if object.contains_key("accounts_receivable") {
            Some(Shape::SubscriptionParameters)
        } else if RECEIVABLE_KEYS.iter().any(|k| object.contains_key(*k)) {
            Some(Shape::AccountsReceivable)
        } else if CONTACT_KEYS.iter().any(|k| object.contains_key(*k)) {
            Some(Shape::ContactInformation)
        } else {
            None
        }
    }
}

/// A country as the export names it, and its ISO 3166-1 alpha-2 code where that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CountryRef {
    pub alpha2: Option<[u8; 2]>,
    /// What the export said (a code or a name), for messages.
    pub raw: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Address {
    pub kind: Option<String>,
    pub primary: bool,
    /// True for the international format (`address_line_1`).
    pub international: bool,
    pub street: Option<String>,
    pub number: Option<String>,
    pub extension: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<CountryRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PhoneEntry {
    pub kind: Option<String>,
    pub primary: bool,
    pub area_code: Option<String>,
    pub number: Option<String>,
    pub country: Option<CountryRef>,
}

impl PhoneEntry {
    pub(crate) fn is_fax(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("FAX"))
    }

    /// Area code and number as one national number, e.g. `22 123456`.
    pub(crate) fn dialled(&self) -> Option<String> {
        let number = self.number.as_deref()?;
        match self.area_code.as_deref() {
            Some(area) if !number.starts_with('+') && !number.starts_with("00") => {
                Some(format!("{area} {number}"))
            }
            _ => Some(number.to_string()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EmailEntry {
    pub primary: bool,
    pub address: Option<String>,
}

/// The parts of a date of birth, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DateOfBirth {
    pub day: Option<String>,
    pub month: Option<String>,
    pub year: Option<String>,
}

/// Everything the mapping needs from one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Customer {
    pub shape: Shape,
    /// `NEW` or `EXISTING` (as written), for accounts receivable.
    pub receivable_action: Option<String>,
    pub receivable_number: Option<String>,
    pub receivable_id: Option<String>,
    /// The name of a NEW accounts receivable, else the name in its identifier.
    pub receivable_name: Option<String>,
    /// False when the record has no contact information at all.
    pub has_contact: bool,
    /// The contact information's `action` (`NEW` or `EXISTING`).
    pub contact_action: Option<String>,
    pub contact_id: Option<String>,
    /// `PERSON` or `COMPANY` as written.
    pub party: Option<String>,
    pub title: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub gender: Option<String>,
    pub date_of_birth: Option<DateOfBirth>,
    pub addresses: Vec<Address>,
    pub billing_address: Option<Address>,
    pub phones: Vec<PhoneEntry>,
    pub emails: Vec<EmailEntry>,
}

/// Why a JSON record is not a CRM.COM customer object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CustomerError {
    /// The record is not an object; the kind it is instead (`a number`, `an array`, ...).
    #[error("the record is {0} where a CRM.COM object was expected")]
    NotAnObject(&'static str),
    /// An object of none of the known shapes; its first keys.
    #[error("the object is neither subscription_parameters, accounts_receivable nor contact_information (its keys: {0})")]
    UnknownShape(String),
}

impl Customer {
    /// Reads a record, or says why it is not a CRM.COM customer object.
    pub(crate) fn from_json(value: &Value) -> Result<Customer, CustomerError> {
        let Value::Object(top) = value else {
            return Err(CustomerError::NotAnObject(kind_of(value)));
        };
        let shape = Shape::of(top).ok_or_else(|| {
            let mut keys: Vec<&str> = top.keys().map(String::as_str).take(5).collect();
            if keys.is_empty() {
                keys.push("none");
            }
            CustomerError::UnknownShape(keys.join(", "))
        })?;
        let receivable = match shape {
            Shape::SubscriptionParameters => {
                top.get("accounts_receivable").and_then(Value::as_object)
            }
            Shape::AccountsReceivable => Some(top),
            Shape::ContactInformation => None,
        };
        let contact = match shape {
            Shape::ContactInformation => Some(top),
            _ => receivable
                .and_then(|r| r.get("contact_information"))
                .and_then(Value::as_object),
        };
        let receivable_identifier =
            receivable.and_then(|r| object(r, "accounts_receivable_identifier"));
        let mut customer = Customer {
            shape,
            receivable_action: receivable.and_then(|r| text(r, "action")),
            receivable_number: receivable_identifier.and_then(|i| text(i, "number")),
            receivable_id: receivable_identifier.and_then(|i| text(i, "id")),
            receivable_name: receivable
                .and_then(|r| text(r, "name"))
                .or_else(|| receivable_identifier.and_then(|i| text(i, "name"))),
            has_contact: contact.is_some(),
            contact_action: None,
            contact_id: None,
            party: None,
            title: None,
            first_name: None,
            middle_name: None,
            last_name: None,
            company_name: None,
            gender: None,
            date_of_birth: None,
            addresses: Vec::new(),
            billing_address: receivable
                .and_then(|r| object(r, "billing_address"))
                .and_then(|b| object(b, "address"))
                .map(address),
            phones: Vec::new(),
            emails: Vec::new(),
        };
        if let Some(c) = contact {
            customer.contact_action = text(c, "action");
            customer.contact_id =
                object(c, "contact_information_identifier").and_then(|i| text(i, "id"));
            customer.party = text(c, "type");
            customer.title = text(c, "title");
            customer.first_name = text(c, "first_name");
            customer.middle_name = text(c, "middle_name");
            customer.last_name = text(c, "last_name");
            customer.company_name = text(c, "company_name");
            if let Some(d) = object(c, "demographics") {
                customer.gender = text(d, "gender");
                customer.date_of_birth = object(d, "date_of_birth").map(|b| DateOfBirth {
                    day: text(b, "day"),
                    month: text(b, "month"),
                    year: text(b, "year"),
                });
            }
            customer.addresses = set(c, "address_set").map(address).collect();
            customer.phones = set(c, "phone_set").map(phone).collect();
            customer.emails = set(c, "email_set")
                .map(|e| EmailEntry {
                    primary: flag(e, "is_primary"),
                    address: text(e, "email_address"),
                })
                .collect();
        }
        Ok(customer)
    }

    /// True for a company: `type` COMPANY, or no type, no person names and a company name.
    pub(crate) fn is_company(&self) -> bool {
        match self.party.as_deref() {
            Some(p) => p.eq_ignore_ascii_case("COMPANY"),
            None => {
                self.company_name.is_some() && self.first_name.is_none() && self.last_name.is_none()
            }
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn object<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    map.get(key).and_then(Value::as_object)
}

/// The elements of a `*_set`: an array of objects, or a single object.
fn set<'a>(map: &'a Map<String, Value>, key: &str) -> impl Iterator<Item = &'a Map<String, Value>> {
    let items: Vec<&Map<String, Value>> = match map.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(one)) => vec![one],
        _ => Vec::new(),
    };
    items.into_iter()
}

/// A string or number value as trimmed text; `None` when absent, empty or of another type.
pub(crate) fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    let s = match map.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A boolean flag that may be written `true`, `"true"`, `1` or `"1"`.
fn flag(map: &Map<String, Value>, key: &str) -> bool {
    match map.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => {
            let s = s.trim();
            s.eq_ignore_ascii_case("true") || s == "1"
        }
        Some(Value::Number(n)) => n.as_u64() == Some(1),
        _ => false,
    }
}

fn address(a: &Map<String, Value>) -> Address {
    let international = a.contains_key("address_line_1") && !a.contains_key("street_name");
    let base = Address {
        kind: text(a, "type"),
        primary: flag(a, "is_primary"),
        international,
        zip: text(a, "postal_code"),
        city: text(a, "town_city"),
        country: object(a, "country_identifier").and_then(country),
        ..Address::default()
    };
    if international {
        Address {
            street: text(a, "address_line_1"),
            ..base
        }
    } else {
        Address {
            street: text(a, "street_name"),
            number: text(a, "street_number"),
            extension: text(a, "apartment_number"),
            ..base
        }
    }
}

fn phone(p: &Map<String, Value>) -> PhoneEntry {
    PhoneEntry {
        kind: text(p, "type"),
        primary: flag(p, "is_primary"),
        area_code: text(p, "area_code"),
        number: text(p, "number"),
        country: object(p, "country_identifier").and_then(country),
    }
}

/// A country identifier: its two-character code, else its three-character code, else its name.
fn country(c: &Map<String, Value>) -> Option<CountryRef> {
    if let Some(code) = text(c, "two_character_code") {
        let b = code.as_bytes();
        let alpha2 = match b {
            [x, y] if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
                Some([x.to_ascii_uppercase(), y.to_ascii_uppercase()])
            }
            _ => None,
        };
        return Some(CountryRef { alpha2, raw: code });
    }
    if let Some(code) = text(c, "three_character_code") {
        let alpha2 = celes::Country::from_alpha3(&code)
            .ok()
            .and_then(|k| alpha2_of(k.alpha2));
        return Some(CountryRef { alpha2, raw: code });
    }
    let name = text(c, "name").or_else(|| text(c, "alternative_code"))?;
    Some(CountryRef {
        alpha2: country_by_name(&name),
        raw: name,
    })
}

/// The alpha-2 code of a country named in English (`Netherlands`, `The Netherlands`, `Cyprus`),
/// or given as a two- or three-letter code.
pub(crate) fn country_by_name(name: &str) -> Option<[u8; 2]> {
    let squeezed: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let found = celes::Country::from_name(&squeezed)
        .or_else(|_| celes::Country::from_alias(&squeezed))
        .or_else(|_| celes::Country::from_name(format!("the{squeezed}")))
        .or_else(|_| match squeezed.len() {
            2 => celes::Country::from_alpha2(&squeezed),
            3 => celes::Country::from_alpha3(&squeezed),
            _ => Err("unknown"),
        })
        .ok()?;
    alpha2_of(found.alpha2)
}

fn alpha2_of(code: &str) -> Option<[u8; 2]> {
    match code.as_bytes() {
        [x, y] => Some([*x, *y]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_are_told_apart_by_their_keys() {
        let of = |v: Value| Shape::of(v.as_object().unwrap());
        assert_eq!(
            of(json!({"accounts_receivable": {}, "billing_terms": {}})),
            Some(Shape::SubscriptionParameters)
        );
        assert_eq!(
            of(json!({"action": "NEW", "contact_information": {}})),
            Some(Shape::AccountsReceivable)
        );
        assert_eq!(
            of(json!({"type": "PERSON", "last_name": "Peeters"})),
            Some(Shape::ContactInformation)
        );
        assert_eq!(of(json!({"invoice": 1})), None);
    }

    #[test]
    fn not_an_object_or_unknown_keys_is_refused() {
        assert!(Customer::from_json(&json!(7))
            .unwrap_err()
            .to_string()
            .contains("a number"));
        let e = Customer::from_json(&json!({"foo": 1}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("foo"), "{e}");
    }

    #[test]
    fn text_accepts_numbers_and_drops_blanks() {
        let m = json!({"a": 12, "b": "  ", "c": " x ", "d": true});
        let m = m.as_object().unwrap();
        assert_eq!(text(m, "a").as_deref(), Some("12"));
        assert_eq!(text(m, "b"), None);
        assert_eq!(text(m, "c").as_deref(), Some("x"));
        assert_eq!(text(m, "d"), None);
    }

    #[test]
    fn countries_from_codes_and_names() {
        let c = |v: Value| country(v.as_object().unwrap()).and_then(|c| c.alpha2);
        assert_eq!(c(json!({"two_character_code": "be"})), Some(*b"BE"));
        assert_eq!(c(json!({"three_character_code": "CYP"})), Some(*b"CY"));
        assert_eq!(c(json!({"name": "The Netherlands"})), Some(*b"NL"));
        assert_eq!(c(json!({"name": "Netherlands"})), Some(*b"NL"));
        assert_eq!(c(json!({"name": "Germany"})), Some(*b"DE"));
        assert_eq!(c(json!({"name": "Atlantis"})), None);
        assert_eq!(c(json!({"id": "17"})), None);
    }

    #[test]
    fn area_code_joins_the_number_unless_it_is_international() {
        let p = PhoneEntry {
            area_code: Some("22".into()),
            number: Some("123456".into()),
            ..PhoneEntry::default()
        };
        assert_eq!(p.dialled().as_deref(), Some("22 123456"));
        let p = PhoneEntry {
            area_code: Some("22".into()),
            number: Some("+357 22 123456".into()),
            ..PhoneEntry::default()
        };
        assert_eq!(p.dialled().as_deref(), Some("+357 22 123456"));
    }
}
