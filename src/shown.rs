//! How a source value is shown to people: in a finding's message, in the report's `value`,
//! `fixed_value` and `identifier`, and so in the human summary and any other output built from
//! them.
//!
//! - **Long values are cut** to their first [`SHOWN_CHARS`] characters. No delivery field holds
//!   more than 255, so a valid value is never cut; a 32,767-character cell no longer puts 32 KB
//!   into every finding about it. Rules quote a value through [`value`].
//! - **With `--redact`, personal values are masked** in the report ([`is_personal`] decides
//!   from the field registry) to their first and last character.

use std::fmt;

use crate::registry::{Kind, Slot};

/// The most characters of a value that a message or the report shows.
pub const SHOWN_CHARS: usize = 256;

/// Whether a field holds data about a person that `--redact` masks: names, birthdays and
/// personal references (the `PERSON` fields), addresses, the contract contact, and every phone
/// number and e-mail address. Codes that say little on their own (gender, country) are not
/// masked; nor is the record's `IDENTIFICATION_IDENTIFIER`, the reference a reader of the
/// report needs to find the record (`docs/report.md` says why).
pub fn is_personal(slot: Slot) -> bool {
    let f = slot.field();
    matches!(f.kind, Kind::Phone | Kind::Email)
        || (matches!(f.kind, Kind::Text | Kind::Date)
            && matches!(f.category, "PERSON" | "ADDRESS" | "CONTRACT_CONTACT"))
}

/// A value as a message quotes it: `format!("'{input}' is not a date", input = value(input))`.
/// Cut to [`SHOWN_CHARS`] characters (with `…`).
pub fn value(value: &str) -> Shown<'_> {
    Shown {
        value,
        limit: SHOWN_CHARS,
        ellipsis: true,
    }
}

/// Text from the input that is not a value (a header, a sheet or element name, an identifier)
/// as a message quotes it: cut like [`value`], never masked.
pub fn plain(text: &str) -> Shown<'_> {
    value(text)
}

/// A value to be shown in a message; see [`value`].
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    value: &'a str,
    limit: usize,
    /// Whether a cut value ends in `…`.
    ellipsis: bool,
}

impl Shown<'_> {
    /// Shows the first `n` characters at most, without the `…`: for a message that marks the
    /// cut itself.
    pub fn first(mut self, n: usize) -> Self {
        self.limit = self.limit.min(n);
        self.ellipsis = false;
        self
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Most values are short: written as they are, without counting.
        if self.value.len() <= self.limit {
            return f.write_str(self.value);
        }
        match self.value.char_indices().nth(self.limit) {
            None => f.write_str(self.value),
            Some((end, _)) => {
                f.write_str(&self.value[..end])?;
                if self.ellipsis {
                    f.write_str("…")?;
                }
                Ok(())
            }
        }
    }
}

/// Cuts `s` in place to its first [`SHOWN_CHARS`] characters; returns its full length in
/// characters when it was cut.
pub fn cut_in_place(s: &mut String) -> Option<u64> {
    if s.len() <= SHOWN_CHARS {
        return None;
    }
    let (end, _) = s.char_indices().nth(SHOWN_CHARS)?;
    let full = SHOWN_CHARS + s[end..].chars().count();
    s.truncate(end);
    Some(full as u64)
}

/// Keeps the first and last character of longer values: enough to recognise, not to read.
/// Values of four characters or fewer become stars only.
pub fn mask(s: &str) -> String {
    mask_first(s, s.chars().count(), usize::MAX)
}

/// The first `limit` characters of `mask(s)`, built without the rest; `n` is the number of
/// characters of `s`.
pub fn mask_first(s: &str, n: usize, limit: usize) -> String {
    let shown = n.min(limit);
    let mut out = String::with_capacity(shown);
    if n <= 4 || shown == 0 {
        out.extend(std::iter::repeat_n('*', shown));
        return out;
    }
    let mut chars = s.chars();
    out.extend(chars.next());
    out.extend(std::iter::repeat_n('*', (n - 2).min(shown - 1)));
    if shown == n {
        out.extend(chars.next_back());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_shown_as_they_are() {
        assert_eq!(value("06-1234567a").to_string(), "06-1234567a");
        assert_eq!(value("").to_string(), "");
    }

    #[test]
    fn long_values_are_cut_to_256_characters_with_an_ellipsis() {
        let long = "é".repeat(300);
        let shown = value(&long).to_string();
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1);
        assert!(shown.ends_with("é…"));
        // The longest valid value (255 characters) and one of 256 are never cut.
        for n in [255, 256] {
            let v = "x".repeat(n);
            assert_eq!(value(&v).to_string(), v);
        }
        assert_eq!(value("abcdef").first(3).to_string(), "abc");
    }

    #[test]
    fn personal_fields_are_names_addresses_contacts_and_birthdays() {
        let personal: Vec<&str> = crate::registry::slots()
            .filter(|s| is_personal(*s))
            .map(|s| s.column())
            .collect();
        for c in [
            "PERSON_FAMILYNAME",
            "PERSON_GIVENNAME",
            "PERSON_BIRTHDAY",
            "PERSON_IDENTIFIER",
            "ADDRESS_STREET",
            "ADDRESS_HOUSENUMBER",
            "ADDRESS_ZIPCODE",
            "ADDRESS_CITY",
            "CONTACT_PHONENUMBER_3",
            "CONTACT_EMAIL_2",
            "CONTRACT_CONTACT_FAMILYNAME",
            "CONTRACT_CONTACT_PHONENUMBER",
            "CONTRACT_CONTACT_EMAIL",
        ] {
            assert!(personal.contains(&c), "{c}");
        }
        for c in [
            "IDENTIFICATION_IDENTIFIER",
            "PERSON_GENDER",
            "ADDRESS_COUNTRY",
            "INVOICE_AMOUNT",
            "INVOICE_NUMBER",
            "EMANDATE_DEBTORID",
        ] {
            assert!(!personal.contains(&c), "{c}");
        }
    }

    #[test]
    fn cutting_in_place_reports_the_full_length() {
        let mut s = "ab".repeat(200);
        assert_eq!(cut_in_place(&mut s), Some(400));
        assert_eq!(s.chars().count(), SHOWN_CHARS);
        let mut short = "x".repeat(SHOWN_CHARS);
        assert_eq!(cut_in_place(&mut short), None);
        let mut wide = "€".repeat(100); // 300 bytes, 100 characters
        assert_eq!(cut_in_place(&mut wide), None);
        assert_eq!(mask("0612345678"), "0********8");
        assert_eq!(mask("abc"), "***");
    }
}
