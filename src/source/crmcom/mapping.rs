//! From a CRM.COM customer to delivery cells: the mapping documented in `docs/crmcom.md`.
//!
//! The mapping chooses and orders (which address, which phones, which e-mails) and passes text
//! on; validation (phone numbers, dates, lengths) is the pipeline's, as for any other input.
//! What the mapping itself drops or bends is said in [`RecordNote`]s.

use chrono::NaiveDate;

use super::customer::{Address, Customer, DateOfBirth, EmailEntry, PhoneEntry};
use super::identifier::Template;
use crate::issue::Severity;
use crate::registry::{field_slots, well_known as wk, Slot};
use crate::shown;
use crate::source::{Cell, RecordNote};

/// How many phone numbers and e-mail addresses a delivery record holds.
fn capacity(first: Slot) -> usize {
    field_slots(first.field_index()).len()
}

/// The delivery columns a CRM.COM record fills, in delivery order.
pub(crate) fn columns() -> Vec<Slot> {
    let mut slots = vec![
        wk::identifier(),
        wk::person_familyname(),
        wk::person_givenname(),
        wk::person_gender(),
        wk::person_birthday(),
        wk::person_identifier(),
        wk::person_honorificprefix(),
        wk::address_street(),
        wk::address_housenumber(),
        wk::address_extension(),
        wk::address_zipcode(),
        wk::address_city(),
        wk::address_country(),
    ];
    slots.extend_from_slice(field_slots(wk::phone_1().field_index()));
    slots.extend_from_slice(field_slots(wk::email_1().field_index()));
    slots.sort();
    slots
}

/// One record's cells (indexed like [`columns`]) and the mapping's findings about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mapped {
    pub cells: Vec<Cell>,
    pub notes: Vec<RecordNote>,
}

/// Maps customers onto the delivery columns.
#[derive(Debug, Clone)]
pub(crate) struct Mapper {
    columns: Vec<Slot>,
    template: Template,
    run_date: NaiveDate,
}

impl Mapper {
    pub(crate) fn new(template: Template, run_date: NaiveDate) -> Mapper {
        Mapper {
            columns: columns(),
            template,
            run_date,
        }
    }

    pub(crate) fn columns(&self) -> &[Slot] {
        &self.columns
    }

    /// Maps one customer; `row` is the record's ordinal in the file.
    pub(crate) fn map(&self, c: &Customer, row: u64) -> Mapped {
        let mut out = Out {
            columns: &self.columns,
            cells: vec![Cell::Empty; self.columns.len()],
            notes: Vec::new(),
        };
        identifier(&mut out, &self.template, c, row, self.run_date);
        contact(&mut out, c);
        person(&mut out, c);
        let address = choose_address(c);
        if let Some(a) = address {
            put_address(&mut out, a);
        }
        let address_country = address
            .and_then(|a| a.country.as_ref())
            .and_then(|k| k.alpha2);
        phones(&mut out, &c.phones, address_country);
        emails(&mut out, &c.emails);
        Mapped {
            cells: out.cells,
            notes: out.notes,
        }
    }
}

struct Out<'a> {
    columns: &'a [Slot],
    cells: Vec<Cell>,
    notes: Vec<RecordNote>,
}

impl Out<'_> {
    fn put(&mut self, slot: Slot, cell: Cell) {
        if let Some(i) = self.columns.iter().position(|s| *s == slot) {
            if let Some(c) = self.cells.get_mut(i) {
                *c = cell;
            }
        }
    }

    fn text(&mut self, slot: Slot, value: Option<&str>) {
        if let Some(v) = value {
            self.put(slot, Cell::Text(v.to_string()));
        }
    }

    fn note(&mut self, note: RecordNote) {
        self.notes.push(note);
    }
}

fn identifier(out: &mut Out, template: &Template, c: &Customer, row: u64, date: NaiveDate) {
    let (id, empty) = template.render(c, row, date);
    for name in empty {
        out.note(RecordNote::new(Severity::Warning,
            "crmcom.identifier_part_missing",
            format!("the identifier template's {{{name}}} is empty for this record; the identifier is '{id}'; choose another template with --identifier if it is not unique", id = shown::plain(&id))).field(wk::identifier()));
    }
    out.put(wk::identifier(), Cell::Text(id));
    // The accounts receivable number (EXISTING) or name (NEW) is the person identifier.
    let person_id = c
        .receivable_number
        .as_deref()
        .or(c.receivable_name.as_deref());
    out.text(wk::person_identifier(), person_id);
}

fn contact(out: &mut Out, c: &Customer) {
    let has_names = c.first_name.is_some() || c.last_name.is_some() || c.company_name.is_some();
    if !c.has_contact {
        out.note(RecordNote::new(Severity::Warning,
            "crmcom.contact_missing",
            "the record has no contact_information, so no name, address, phone or e-mail; export the accounts receivable with its contact information".to_string()));
    } else if !has_names
        && c.contact_action
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("EXISTING"))
    {
        out.note(RecordNote::new(Severity::Warning,
            "crmcom.contact_by_reference",
            "the contact information refers to an existing CRM.COM contact (action EXISTING) and carries no names; export it with its details".to_string()));
    }
}

fn person(out: &mut Out, c: &Customer) {
    if c.is_company() {
        if let Some(name) = c.company_name.as_deref() {
            out.note(
                RecordNote::new(
                    Severity::Warning,
                    "crmcom.company_as_family_name",
                    "the customer is a company: its company name is delivered as family name; check that the services accept a company there",
                )
                .field(wk::person_familyname())
                .value(name),
            );
            out.text(wk::person_familyname(), Some(name));
        }
        return;
    }
    let given = match (c.first_name.as_deref(), c.middle_name.as_deref()) {
        (Some(f), Some(m)) => Some(format!("{f} {m}")),
        (Some(f), None) => Some(f.to_string()),
        (None, Some(m)) => Some(m.to_string()),
        (None, None) => None,
    };
    out.text(wk::person_givenname(), given.as_deref());
    out.text(wk::person_familyname(), c.last_name.as_deref());
    out.text(wk::person_honorificprefix(), c.title.as_deref());
    if let Some(g) = c.gender.as_deref() {
        let code = if g.eq_ignore_ascii_case("MALE") {
            "M"
        } else if g.eq_ignore_ascii_case("FEMALE") {
            "F"
        } else {
            g
        };
        out.text(wk::person_gender(), Some(code));
    }
    if let Some(dob) = &c.date_of_birth {
        birthday(out, dob);
    }
}

fn birthday(out: &mut Out, dob: &DateOfBirth) {
    let parts = [&dob.year, &dob.month, &dob.day];
    if parts.iter().all(|p| p.is_none()) {
        return;
    }
    let number = |p: &Option<String>| p.as_deref().and_then(|s| s.parse::<u32>().ok());
    match (number(&dob.year), number(&dob.month), number(&dob.day)) {
        (Some(y), Some(m), Some(d)) => {
            let cell = i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                .map(Cell::Date)
                .unwrap_or_else(|| Cell::Text(format!("{y:04}-{m:02}-{d:02}")));
            out.put(wk::person_birthday(), cell);
        }
        _ => {
            let missing: Vec<&str> = [
                ("day", &dob.day),
                ("month", &dob.month),
                ("year", &dob.year),
            ]
            .into_iter()
            .filter(|(_, p)| number(p).is_none())
            .map(|(name, _)| name)
            .collect();
            let shown = |p: &Option<String>| p.clone().unwrap_or_else(|| "?".to_string());
            let value = format!(
                "day {}, month {}, year {}",
                shown(&dob.day),
                shown(&dob.month),
                shown(&dob.year)
            );
            out.note(
                RecordNote::new(
                    Severity::Warning,
                    "crmcom.birthday_incomplete",
                    format!(
                        "the date of birth has no usable {}; the birthday is left empty",
                        missing.join(", ")
                    ),
                )
                .field(wk::person_birthday())
                .value(value),
            );
        }
    }
}

/// The primary address, else the first HOME address, else the first; the billing address only
/// when the contact has none.
pub(crate) fn choose_address(c: &Customer) -> Option<&Address> {
    c.addresses
        .iter()
        .find(|a| a.primary)
        .or_else(|| {
            c.addresses.iter().find(|a| {
                a.kind
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case("HOME"))
            })
        })
        .or_else(|| c.addresses.first())
        .or(c.billing_address.as_ref())
}

fn put_address(out: &mut Out, a: &Address) {
    out.text(wk::address_street(), a.street.as_deref());
    out.text(wk::address_housenumber(), a.number.as_deref());
    out.text(wk::address_extension(), a.extension.as_deref());
    out.text(wk::address_zipcode(), a.zip.as_deref());
    out.text(wk::address_city(), a.city.as_deref());
    if let Some(k) = &a.country {
        let code = k
            .alpha2
            .map(|c| String::from_utf8_lossy(&c).into_owned())
            .unwrap_or_else(|| k.raw.clone());
        out.put(wk::address_country(), Cell::Text(code));
    }
}

/// Phones: FAX numbers dropped, the primary first, duplicates removed, at most as many as the
/// delivery holds. Each is read in its own country, else the address's.
fn phones(out: &mut Out, phones: &[PhoneEntry], address_country: Option<[u8; 2]>) {
    let mut kept: Vec<(String, Option<[u8; 2]>)> = Vec::new();
    let ordered = phones
        .iter()
        .filter(|p| p.primary)
        .chain(phones.iter().filter(|p| !p.primary));
    let mut extra = Vec::new();
    let limit = capacity(wk::phone_1());
    for p in ordered {
        let Some(number) = p.dialled() else {
            out.note(RecordNote::new(
                Severity::Warning,
                "crmcom.phone_without_number",
                format!(
                    "a {} phone has no number and is skipped",
                    p.kind.as_deref().unwrap_or("untyped")
                ),
            ));
            continue;
        };
        if p.is_fax() {
            out.note(
                RecordNote::new(
                    Severity::Fix,
                    "crmcom.fax_dropped",
                    "a fax number is not delivered: a fax cannot receive calls or text messages",
                )
                .value(number),
            );
            continue;
        }
        let own = p.country.as_ref().and_then(|k| k.alpha2);
        if let (Some(k), None) = (&p.country, own) {
            out.note(RecordNote::new(Severity::Warning,
                "crmcom.phone_country_unknown",
                format!(
                    "the phone's country '{}' is not recognised; the number is read in the address's or the default country",
                    k.raw
                )).value(number.clone()));
        }
        let country = own.or(address_country);
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if kept.iter().any(|(n, c)| {
            *c == country && n.chars().filter(char::is_ascii_digit).eq(digits.chars())
        }) {
            out.note(
                RecordNote::new(
                    Severity::Fix,
                    "crmcom.phone_duplicate",
                    "a phone number appears more than once; it is delivered once",
                )
                .value(number),
            );
            continue;
        }
        if kept.len() >= limit {
            extra.push(number);
            continue;
        }
        kept.push((number, country));
    }
    if !extra.is_empty() {
        out.note(
            RecordNote::new(
                Severity::Warning,
                "crmcom.phone_limit",
                format!(
                    "the customer has more than {limit} phone numbers; {} of them (the value) are not delivered",
                    extra.len()
                ),
            )
            .value(extra.join(", ")),
        );
    }
    let slots = field_slots(wk::phone_1().field_index());
    for ((number, country), slot) in kept.into_iter().zip(slots) {
        let cell = match country {
            Some(country) => Cell::PhoneIn { number, country },
            None => Cell::Text(number),
        };
        out.put(*slot, cell);
    }
}

/// E-mails: the primary first, duplicates removed, at most as many as the delivery holds.
fn emails(out: &mut Out, emails: &[EmailEntry]) {
    let ordered = emails
        .iter()
        .filter(|e| e.primary)
        .chain(emails.iter().filter(|e| !e.primary))
        .filter_map(|e| e.address.as_deref());
    let limit = capacity(wk::email_1());
    let mut kept: Vec<&str> = Vec::new();
    let mut extra = Vec::new();
    for address in ordered {
        if kept.iter().any(|k| k.eq_ignore_ascii_case(address)) {
            continue;
        }
        if kept.len() >= limit {
            extra.push(address);
        } else {
            kept.push(address);
        }
    }
    if !extra.is_empty() {
        out.note(
            RecordNote::new(
                Severity::Warning,
                "crmcom.email_limit",
                format!(
                    "the customer has more than {limit} e-mail addresses; {} of them (the value) are not delivered",
                    extra.len()
                ),
            )
            .value(extra.join(", ")),
        );
    }
    let slots = field_slots(wk::email_1().field_index());
    for (address, slot) in kept.into_iter().zip(slots) {
        out.put(*slot, Cell::Text(address.to_string()));
    }
}
