//! Element names of the XML format, derived from the field registry.
//!
//! A field `PERSON_FAMILYNAME` of category `PERSON` is `<person><familyname>`. Fields numbered
//! by occurrence (`CONTACT_PHONENUMBER_x`) are `<phonenumber_1>` or repeated `<phonenumber>`;
//! fields numbered by their category (`INVOICELINES_x_UNITPRICE`) live in `<invoicelines_2>`
//! or repeated `<invoicelines>` categories. Names are matched in lower case.

use hashbrown::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::registry::{Field, Slot, FIELDS};

/// How a field's occurrence number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Numbering {
    /// Not numbered.
    Single,
    /// On the field element: `<phonenumber_2>`.
    Field,
    /// On the category element: `<invoicelines_2><unitprice>`.
    Category,
}

/// A field's place in the XML form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct XmlName {
    pub field: usize,
    /// Lower-case category element, e.g. `invoice_arrangement`.
    pub category: &'static str,
    /// Lower-case field element without number, e.g. `phonenumber`.
    pub element: &'static str,
    pub numbering: Numbering,
}

struct Names {
    all: Vec<XmlName>,
    by_pair: HashMap<(&'static str, &'static str), usize>,
    categories: HashSet<&'static str>,
}

fn leak_lower(s: &str) -> &'static str {
    // Built once per process from the fixed registry: a few hundred bytes.
    Box::leak(s.to_ascii_lowercase().into_boxed_str())
}

fn split(field: &Field) -> (&'static str, Numbering) {
    let rest = field
        .name
        .get(field.category.len() + 1..)
        .unwrap_or(field.name);
    if let Some(part) = rest.strip_prefix("x_") {
        (leak_lower(part), Numbering::Category)
    } else if let Some(part) = rest.strip_suffix("_x") {
        (leak_lower(part), Numbering::Field)
    } else {
        (leak_lower(rest), Numbering::Single)
    }
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut all = Vec::new();
        let mut by_pair = HashMap::new();
        let mut categories = HashSet::new();
        for (i, f) in FIELDS.iter().enumerate() {
            let category = leak_lower(f.category);
            let (element, numbering) = split(f);
            categories.insert(category);
            by_pair.insert((category, element), all.len());
            all.push(XmlName {
                field: i,
                category,
                element,
                numbering,
            });
        }
        Names {
            all,
            by_pair,
            categories,
        }
    })
}

/// The XML name of every field, in registry order.
pub(crate) fn of_field(field_index: usize) -> Option<&'static XmlName> {
    names().all.get(field_index)
}

/// Splits `name_12` into `("name", Some(12))`; other names come back whole.
pub(crate) fn split_number(name: &str) -> (&str, Option<u32>) {
    if let Some((base, digits)) = name.rsplit_once('_') {
        if !base.is_empty() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = digits.parse::<u32>() {
                return (base, Some(n));
            }
        }
    }
    (name, None)
}

/// A category element (lower case): the known category and its explicit number, if any.
pub(crate) fn category(name: &str) -> Option<(&'static str, Option<u32>)> {
    let n = names();
    if let Some(c) = n.categories.get(name) {
        return Some((c, None));
    }
    let (base, number) = split_number(name);
    let c = n.categories.get(base)?;
    number.map(|num| (*c, Some(num)))
}

/// A field element (lower case) within a known category: the field and its explicit number.
pub(crate) fn field(category: &str, name: &str) -> Option<(&'static XmlName, Option<u32>)> {
    let n = names();
    if let Some(i) = n.by_pair.get(&(category, name)) {
        return n.all.get(*i).map(|x| (x, None));
    }
    let (base, number) = split_number(name);
    let x = n.all.get(*n.by_pair.get(&(category, base))?)?;
    match (x.numbering, number) {
        (Numbering::Field, Some(num)) => Some((x, Some(num))),
        _ => None,
    }
}

/// The delivery column of a field at an occurrence; past the field's occurrences, the name a
/// CSV column would have (`CONTACT_PHONENUMBER_4`), which the pipeline reports as unknown.
pub(crate) fn column(field_index: usize, occurrence: u32) -> String {
    let Some(f) = FIELDS.get(field_index) else {
        return String::new();
    };
    if !f.is_numbered() {
        return f.name.to_string();
    }
    match u8::try_from(occurrence)
        .ok()
        .and_then(|o| Slot::of(f.name, o))
    {
        Some(slot) => slot.column().to_string(),
        None => f.name.replace("_x", &format!("_{occurrence}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_fields_map_to_elements() {
        let (x, n) = field("person", "familyname").unwrap();
        assert_eq!((FIELDS[x.field].name, n), ("PERSON_FAMILYNAME", None));
        let (x, n) = field("contact", "phonenumber_2").unwrap();
        assert_eq!(
            (FIELDS[x.field].name, x.numbering, n),
            ("CONTACT_PHONENUMBER_x", Numbering::Field, Some(2))
        );
        let (x, _) = field("invoicelines", "unitprice").unwrap();
        assert_eq!(x.numbering, Numbering::Category);
        let (x, _) = field("invoice_arrangement", "description").unwrap();
        assert_eq!(FIELDS[x.field].name, "INVOICE_ARRANGEMENT_DESCRIPTION");
        let (x, _) = field("contract_contact", "phonenumber").unwrap();
        assert_eq!(x.numbering, Numbering::Single);
        assert!(field("contract_contact", "phonenumber_2").is_none());
        assert!(field("person", "nickname").is_none());
    }

    #[test]
    fn categories_with_and_without_numbers() {
        assert_eq!(category("invoicelines_3"), Some(("invoicelines", Some(3))));
        assert_eq!(
            category("invoice_arrangement"),
            Some(("invoice_arrangement", None))
        );
        assert_eq!(category("control"), Some(("control", None)));
        assert_eq!(category("nothing"), None);
        assert_eq!(split_number("a_"), ("a_", None));
    }

    #[test]
    fn columns_past_the_occurrences_keep_the_csv_name() {
        let i = crate::registry::field_index("CONTACT_PHONENUMBER_x").unwrap();
        assert_eq!(column(i, 2), "CONTACT_PHONENUMBER_2");
        assert_eq!(column(i, 4), "CONTACT_PHONENUMBER_4");
        let j = crate::registry::field_index("INVOICELINES_x_TAX").unwrap();
        assert_eq!(column(j, 3), "INVOICELINES_3_TAX");
    }
}
