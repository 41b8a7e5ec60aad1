//! The field registry: every delivery field of the Collectmaxx specification, in one table.
//!
//! Reading (header matching), validation (types, limits, required fields) and writing (column
//! order, API names) are all driven by [`FIELDS`]. No other module spells out a field name.
//! Fields that occur several times (phones, e-mails, invoice lines) are listed once with their
//! number of occurrences; a [`Slot`] is one concrete column such as `CONTACT_PHONENUMBER_2`.

use std::fmt;
use std::sync::OnceLock;

/// The value type of a field, as the specification defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Free text (VARCHAR) up to `max_chars` Unicode characters.
    Text,
    /// A non-negative integer in minor currency units (cents).
    Cents,
    /// A non-negative integer count or sequence number.
    Count,
    /// A calendar date, written `yyyy-mm-dd`.
    Date,
    /// A phone number, written as E.164 digits without `+`.
    Phone,
    /// An e-mail address.
    Email,
    /// `M`, `F` or `U`.
    Gender,
    /// ISO 3166-1 alpha-2 country code.
    Country,
    /// ISO 4217 currency code.
    Currency,
    /// `0` or `1`.
    Boolean,
}

impl Kind {
    /// The type's name as the specification's field table writes it.
    pub fn spec_name(self) -> &'static str {
        match self {
            Kind::Text => "VARCHAR",
            Kind::Cents | Kind::Count => "INT",
            Kind::Date => "DATE",
            Kind::Phone => "PHONE",
            Kind::Email => "EMAIL",
            Kind::Gender => "GENDER",
            Kind::Country => "COUNTRY",
            Kind::Currency => "CURRENCY",
            Kind::Boolean => "BOOLEAN",
        }
    }
}

/// The Collectmaxx services whose required-field columns the tool knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    Voice,
    Sms,
    Mail,
    Paylink,
    Emandate,
    Enrichment,
}

impl Service {
    pub(crate) const ALL: [Service; 6] = [
        Service::Voice,
        Service::Sms,
        Service::Mail,
        Service::Paylink,
        Service::Emandate,
        Service::Enrichment,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Service::Voice => "voice",
            Service::Sms => "sms",
            Service::Mail => "mail",
            Service::Paylink => "paylink",
            Service::Emandate => "emandate",
            Service::Enrichment => "enrichment",
        }
    }

    pub fn parse(s: &str) -> Option<Service> {
        let s = s.trim().to_ascii_lowercase();
        Service::ALL.into_iter().find(|svc| svc.name() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name in a list of services that is no service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown service '{0}': choose from voice, sms, mail, paylink, emandate, enrichment")]
pub struct UnknownService(pub String);

/// A set of services, e.g. `sms,paylink`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Services(u8);

impl Services {
    pub const NONE: Services = Services(0);

    pub fn contains(self, s: Service) -> bool {
        self.0 & s.bit() != 0
    }

    pub fn with(self, s: Service) -> Services {
        Services(self.0 | s.bit())
    }

    pub(crate) fn iter(self) -> impl Iterator<Item = Service> {
        Service::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses a comma-separated list such as `sms,paylink`.
    pub fn parse_list(list: &str) -> Result<Services, UnknownService> {
        let mut set = Services::NONE;
        for part in list.split(',').filter(|p| !p.trim().is_empty()) {
            match Service::parse(part) {
                Some(s) => set = set.with(s),
                None => return Err(UnknownService(part.trim().to_string())),
            }
        }
        Ok(set)
    }

    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Service::name).collect()
    }
}

impl fmt::Display for Services {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

/// One delivery field of the specification.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The name as the specification writes it; numbered fields carry `_x` where the number goes
    /// (`CONTACT_PHONENUMBER_x`, `INVOICELINES_x_UNITS`).
    pub name: &'static str,
    pub category: &'static str,
    pub kind: Kind,
    /// Maximum length in Unicode characters, where the specification sets one.
    pub max_chars: Option<usize>,
    /// How many numbered columns the field has (1 = not numbered).
    pub occurrences: u8,
    /// The field's name in the Collectmaxx API, if the API has it.
    pub api_name: Option<&'static str>,
    /// The services that require this field (all others accept it as optional).
    pub required_by: Services,
    /// Header spellings real exports use for this field (`?` first: a candidate only), for
    /// `collectmaxx map`; see [`known_headers`].
    pub headers: &'static [&'static str],
}

impl Field {
    pub(crate) fn is_numbered(&self) -> bool {
        self.occurrences > 1
    }

    pub fn is_required_by_any(&self, services: Services) -> bool {
        self.required_by.0 & services.0 != 0
    }

    /// The services of `services` that require this field.
    pub(crate) fn required_by_of(&self, services: Services) -> Services {
        Services(self.required_by.0 & services.0)
    }
}

const fn svc(
    voice: bool,
    sms: bool,
    mail: bool,
    paylink: bool,
    emandate: bool,
    enrich: bool,
) -> Services {
    Services(
        (voice as u8)
            | (sms as u8) << 1
            | (mail as u8) << 2
            | (paylink as u8) << 3
            | (emandate as u8) << 4
            | (enrich as u8) << 5,
    )
}

const Y: bool = true;
const O: bool = false;

macro_rules! fields {
    ($( $name:literal, $cat:literal, $kind:ident, $max:expr, $occ:literal, $api:expr, [$v:ident $s:ident $m:ident $p:ident $e:ident $n:ident] $h:ident; )*) => {
        /// Every delivery field, in the specification's order (which is also the delivery's column order).
        pub const FIELDS: &[Field] = &[
            $( Field {
                name: $name,
                category: $cat,
                kind: Kind::$kind,
                max_chars: $max,
                occurrences: $occ,
                api_name: $api,
                required_by: svc($v, $s, $m, $p, $e, $n),
                headers: known_headers::$h,
            }, )*
        ];
    };
}

const N: Option<usize> = None;
const fn m(n: usize) -> Option<usize> {
    Some(n)
}
const NA: Option<&str> = None;
const fn a(s: &'static str) -> Option<&'static str> {
    Some(s)
}

fields! {
    //  name                              category               kind     max      occ api                                   voice sms mail paylink emandate enrichment
    "IDENTIFICATION_IDENTIFIER",       "IDENTIFICATION",      Text,     m(255), 1, a("reference"),                   [Y Y Y Y Y Y] IDENTIFIER;
    "PERSON_FAMILYNAME",               "PERSON",              Text,     m(100), 1, a("personFamilyName"),            [O O O Y Y Y] FAMILYNAME;
    "PERSON_GIVENNAME",                "PERSON",              Text,     m(100), 1, a("personGivenName"),             [O O O O O Y] GIVENNAME;
    "PERSON_GENDER",                   "PERSON",              Gender,   m(1),   1, a("personGender"),                [O O O O Y O] GENDER;
    "PERSON_BIRTHDAY",                 "PERSON",              Date,     N,      1, a("personBirthDay"),              [O O O O O Y] BIRTHDAY;
    "PERSON_IDENTIFIER",               "PERSON",              Text,     m(100), 1, a("personReference"),             [O O O O O O] PERSON_IDENTIFIER;
    "PERSON_HONORIFICPREFIX",          "PERSON",              Text,     m(100), 1, NA,                               [O O O O O O] HONORIFICPREFIX;
    "PERSON_HONORIFICSUFFIX",          "PERSON",              Text,     m(100), 1, NA,                               [O O O O O O] HONORIFICSUFFIX;
    "ADDRESS_STREET",                  "ADDRESS",             Text,     m(100), 1, a("addressStreet"),               [O O O O O Y] STREET;
    "ADDRESS_HOUSENUMBER",             "ADDRESS",             Text,     m(50),  1, a("addressHouseNumber"),          [O O O O O Y] HOUSENUMBER;
    "ADDRESS_EXTENSION",               "ADDRESS",             Text,     m(50),  1, a("addressHouseNumberExtension"), [O O O O O Y] EXTENSION;
    "ADDRESS_ZIPCODE",                 "ADDRESS",             Text,     m(15),  1, a("addressZipCode"),              [O O O O O Y] ZIPCODE;
    "ADDRESS_CITY",                    "ADDRESS",             Text,     m(100), 1, a("addressCity"),                 [O O O O O Y] CITY;
    "ADDRESS_COUNTRY",                 "ADDRESS",             Country,  m(2),   1, a("addressCountry"),              [O O O O O Y] COUNTRY;
    "CONTACT_PHONENUMBER_x",           "CONTACT",             Phone,    m(20),  3, a("toPhoneNumbers"),              [Y Y O O O O] PHONENUMBER;
    "CONTACT_EMAIL_x",                 "CONTACT",             Email,    m(100), 3, a("toMailAddress"),               [O O Y O O O] EMAIL;
    "INVOICE_NUMBER",                  "INVOICE",             Text,     m(100), 1, a("invoiceNumber"),               [O O O Y O O] INVOICE_NUMBER;
    "INVOICE_DATE",                    "INVOICE",             Date,     N,      1, a("invoiceDate"),                 [O O O Y O O] INVOICE_DATE;
    "INVOICE_DUEDATE",                 "INVOICE",             Date,     N,      1, a("invoiceDueDate"),              [O O O Y O O] INVOICE_DUEDATE;
    "INVOICE_CURRENCY",                "INVOICE",             Currency, m(3),   1, a("invoiceCurrency"),             [O O O Y O O] INVOICE_CURRENCY;
    "INVOICE_AMOUNT",                  "INVOICE",             Cents,    N,      1, a("invoiceAmount"),               [O O O Y O O] INVOICE_AMOUNT;
    "INVOICE_TAX",                     "INVOICE",             Cents,    N,      1, NA,                               [O O O O O O] INVOICE_TAX;
    "INVOICE_DESCRIPTION",             "INVOICE",             Text,     m(255), 1, a("invoiceDescription"),          [O O O Y O O] INVOICE_DESCRIPTION;
    "INVOICE_REFERENCE",               "INVOICE",             Text,     m(100), 1, a("invoiceReference"),            [O O O Y O O] INVOICE_REFERENCE;
    "INVOICE_SERIAL",                  "INVOICE",             Count,    N,      1, NA,                               [O O O O O O] INVOICE_SERIAL;
    "INVOICE_ARRANGEMENT_DESCRIPTION", "INVOICE_ARRANGEMENT", Text,     m(255), 1, a("arrangementDescription"),      [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_TOTALTERMS",  "INVOICE_ARRANGEMENT", Count,    N,      1, NA,                               [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_TERM",        "INVOICE_ARRANGEMENT", Count,    N,      1, NA,                               [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_STARTDATE",   "INVOICE_ARRANGEMENT", Date,     N,      1, a("arrangementStartDate"),        [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_DUEDATE",     "INVOICE_ARRANGEMENT", Date,     N,      1, a("arrangementEndDate"),          [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_CURRENCY",    "INVOICE_ARRANGEMENT", Currency, m(3),   1, NA,                               [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_AMOUNT",      "INVOICE_ARRANGEMENT", Cents,    N,      1, a("arrangementAmount"),           [O O O O O O] NONE;
    "INVOICE_ARRANGEMENT_REMAINING",   "INVOICE_ARRANGEMENT", Cents,    N,      1, a("arrangementRemainingAmount"),  [O O O O O O] NONE;
    "INVOICELINES_x_DESCRIPTION",      "INVOICELINES",        Text,     m(255), 3, a("invoiceLinesDescriptions"),    [O O O O O O] NONE;
    "INVOICELINES_x_UNITS",            "INVOICELINES",        Count,    N,      3, NA,                               [O O O O O O] NONE;
    "INVOICELINES_x_UNITPRICE",        "INVOICELINES",        Cents,    N,      3, a("invoiceLinesUnitPrices"),      [O O O O O O] NONE;
    "INVOICELINES_x_TOTAL",            "INVOICELINES",        Cents,    N,      3, NA,                               [O O O O O O] NONE;
    "INVOICELINES_x_TAX",              "INVOICELINES",        Cents,    N,      3, NA,                               [O O O O O O] NONE;
    "EMANDATE_IDENTIFIER",             "EMANDATE",            Text,     m(35),  1, a("emandateReference"),           [O O O O Y O] EMANDATE_IDENTIFIER;
    "EMANDATE_PURCHASEID",             "EMANDATE",            Text,     m(35),  1, a("emandatePurchaseReference"),   [O O O O Y O] NONE;
    "EMANDATE_REASON",                 "EMANDATE",            Text,     m(70),  1, a("emandateReason"),              [O O O O Y O] NONE;
    "EMANDATE_DEBTORID",               "EMANDATE",            Text,     m(35),  1, a("emandateDebtorReference"),     [O O O O Y O] NONE;
    "EMANDATE_VISIBLEUNTIL",           "EMANDATE",            Date,     N,      1, a("emandateVisibleUntil"),        [O O O O Y O] NONE;
    "CONTRACT_IDENTIFIER",             "CONTRACT",            Text,     m(25),  1, a("contractIdentifier"),          [O O O O O O] NONE;
    "CONTRACT_TYPE",                   "CONTRACT",            Text,     m(100), 1, a("contractType"),                [O O O O O O] NONE;
    "CONTRACT_NAME",                   "CONTRACT",            Text,     m(100), 1, a("contractName"),                [O O O O O O] NONE;
    "CONTRACT_STARTDATE",              "CONTRACT",            Date,     N,      1, a("contractStartDate"),           [O O O O O O] NONE;
    "CONTRACT_ENDDATE",                "CONTRACT",            Date,     N,      1, a("contractEndDate"),             [O O O O O O] NONE;
    "CONTRACT_CONTACT_FAMILYNAME",     "CONTRACT_CONTACT",    Text,     m(100), 1, NA,                               [O O O O O O] NONE;
    "CONTRACT_CONTACT_GIVENNAME",      "CONTRACT_CONTACT",    Text,     m(100), 1, NA,                               [O O O O O O] NONE;
    "CONTRACT_CONTACT_GENDER",         "CONTRACT_CONTACT",    Gender,   m(1),   1, NA,                               [O O O O O O] NONE;
    "CONTRACT_CONTACT_PHONENUMBER",    "CONTRACT_CONTACT",    Phone,    m(20),  1, NA,                               [O O O O O O] NONE;
    "CONTRACT_CONTACT_EMAIL",          "CONTRACT_CONTACT",    Email,    m(100), 1, NA,                               [O O O O O O] NONE;
    "CONTROL_SUPPLIER",                "CONTROL",             Text,     m(100), 1, a("clientReference"),             [O O O O O O] NONE;
    "CONTROL_FLOWID",                  "CONTROL",             Text,     m(10),  1, a("script"),                      [Y Y Y Y Y O] NONE;
    "SERVICES_ENRICHMENT",             "SERVICES",            Boolean,  m(1),   1, NA,                               [O O O O O Y] NONE;
}

/// One concrete column of a delivery: a field and, for numbered fields, its occurrence (1-based).
///
/// Slots are dense indexes `0..slot_count()` in delivery column order, so a record can keep its
/// values in a plain vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(pub u16);

struct SlotInfo {
    field: usize,
    occurrence: u8,
    column: String,
}

struct Table {
    slots: Vec<SlotInfo>,
    by_field: Vec<Vec<Slot>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut slots = Vec::new();
        let mut by_field = Vec::new();
        for (fi, f) in FIELDS.iter().enumerate() {
            let mut mine = Vec::new();
            for occ in 1..=f.occurrences {
                let column = if f.is_numbered() {
                    f.name.replace("_x", &format!("_{occ}"))
                } else {
                    f.name.to_string()
                };
                mine.push(Slot(slots.len() as u16));
                slots.push(SlotInfo {
                    field: fi,
                    occurrence: occ,
                    column,
                });
            }
            by_field.push(mine);
        }
        Table { slots, by_field }
    })
}

/// The number of concrete delivery columns.
pub(crate) fn slot_count() -> usize {
    table().slots.len()
}

/// All slots, in delivery column order.
pub(crate) fn slots() -> impl Iterator<Item = Slot> {
    (0..slot_count() as u16).map(Slot)
}

impl Slot {
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }

    pub fn field(self) -> &'static Field {
        &FIELDS[table().slots[self.index()].field]
    }

    pub(crate) fn field_index(self) -> usize {
        table().slots[self.index()].field
    }

    /// 1-based occurrence (always 1 for fields that are not numbered).
    pub fn occurrence(self) -> u8 {
        table().slots[self.index()].occurrence
    }

    /// The column name as it appears in a delivery header, e.g. `CONTACT_PHONENUMBER_2`.
    pub fn column(self) -> &'static str {
        &table().slots[self.index()].column
    }

    pub(crate) fn kind(self) -> Kind {
        self.field().kind
    }

    /// The slot of the delivery column named exactly `name`.
    pub fn by_column(name: &str) -> Option<Slot> {
        table()
            .slots
            .iter()
            .position(|s| s.column == name)
            .map(|i| Slot(i as u16))
    }

    /// The slot of field `field` (by its registry name) at occurrence `occ`.
    pub(crate) fn of(field: &str, occ: u8) -> Option<Slot> {
        let fi = FIELDS.iter().position(|f| f.name == field)?;
        table().by_field[fi]
            .get(occ.checked_sub(1)? as usize)
            .copied()
    }
}

/// The slots of a field, in occurrence order.
pub(crate) fn field_slots(field_index: usize) -> &'static [Slot] {
    &table().by_field[field_index]
}

/// The registry index of the field with this name (as the specification writes it).
pub(crate) fn field_index(name: &str) -> Option<usize> {
    FIELDS.iter().position(|f| f.name == name)
}

/// Well-known slots, looked up once, for the rules that need a particular field.
/// The element names of the XML forms (input and delivery), derived from the fields.
pub(crate) mod xml_names;

/// Header spellings of real exports, per field.
pub mod known_headers;

pub mod well_known {
    use super::Slot;
    use std::sync::OnceLock;

    macro_rules! slot_fn {
        ($fn:ident, $name:literal) => {
            pub fn $fn() -> Slot {
                static S: OnceLock<Slot> = OnceLock::new();
                *S.get_or_init(|| Slot::by_column($name).expect($name))
            }
        };
    }

    slot_fn!(identifier, "IDENTIFICATION_IDENTIFIER");
    slot_fn!(invoice_duedate, "INVOICE_DUEDATE");
    slot_fn!(arrangement_duedate, "INVOICE_ARRANGEMENT_DUEDATE");
    slot_fn!(emandate_visibleuntil, "EMANDATE_VISIBLEUNTIL");
    slot_fn!(invoice_description, "INVOICE_DESCRIPTION");
    slot_fn!(invoice_reference, "INVOICE_REFERENCE");
    slot_fn!(invoice_currency, "INVOICE_CURRENCY");
    slot_fn!(arrangement_currency, "INVOICE_ARRANGEMENT_CURRENCY");
    slot_fn!(phone_1, "CONTACT_PHONENUMBER_1");
    slot_fn!(email_1, "CONTACT_EMAIL_1");
    slot_fn!(person_familyname, "PERSON_FAMILYNAME");
    slot_fn!(person_givenname, "PERSON_GIVENNAME");
    slot_fn!(person_gender, "PERSON_GENDER");
    slot_fn!(person_birthday, "PERSON_BIRTHDAY");
    slot_fn!(person_identifier, "PERSON_IDENTIFIER");
    slot_fn!(person_honorificprefix, "PERSON_HONORIFICPREFIX");
    slot_fn!(address_street, "ADDRESS_STREET");
    slot_fn!(address_housenumber, "ADDRESS_HOUSENUMBER");
    slot_fn!(address_extension, "ADDRESS_EXTENSION");
    slot_fn!(address_zipcode, "ADDRESS_ZIPCODE");
    slot_fn!(address_city, "ADDRESS_CITY");
    slot_fn!(address_country, "ADDRESS_COUNTRY");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_expand_numbered_fields() {
        assert_eq!(FIELDS.len(), 56);
        assert_eq!(slot_count(), 56 + 7 * 2);
        assert_eq!(
            Slot::of("CONTACT_PHONENUMBER_x", 2).unwrap().column(),
            "CONTACT_PHONENUMBER_2"
        );
        assert_eq!(
            Slot::of("INVOICELINES_x_TAX", 3).unwrap().column(),
            "INVOICELINES_3_TAX"
        );
        assert_eq!(
            Slot::by_column("PERSON_GENDER").unwrap().kind(),
            Kind::Gender
        );
        assert!(Slot::by_column("CONTACT_PHONENUMBER_4").is_none());
        assert!(Slot::of("PERSON_GENDER", 2).is_none());
    }

    #[test]
    fn services_parse() {
        let s = Services::parse_list("sms, paylink").unwrap();
        assert!(s.contains(Service::Sms) && s.contains(Service::Paylink));
        assert!(!s.contains(Service::Voice));
        assert_eq!(s.to_string(), "sms,paylink");
        assert!(Services::parse_list("fax")
            .unwrap_err()
            .to_string()
            .contains("fax"));
    }
}
