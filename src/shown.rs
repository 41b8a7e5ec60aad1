//! How a source value is shown to people: in a finding's message, in the report's `value`,
//! `fixed_value` and `identifier`, and so in the human summary and any other output built from
//! them.
//!
//! - **Long values are cut** to their first [`SHOWN_CHARS`] characters. No delivery field holds
//!   more than 255, so a valid value is never cut; a 32,767-character cell no longer puts 32 KB
//!   into every finding about it. Rules quote a value through [`value`].
//! - **With `--redact`, personal values are masked** ([`is_personal`] decides from the field
//!   registry) to their first and last character, in the report's `value` and `fixed_value`
//!   and in every message. Messages are built from the masked value: a rule quotes a value
//!   through [`value`], which reads how values are to be shown on this thread ([`with_view`];
//!   the pipeline sets it for each value it checks, the run for each reader). Nothing searches
//!   a finished message for a value to replace, so any output made from findings (the report,
//!   the human summary, a CI format) gets the masked text.

use std::cell::Cell;
use std::fmt;

use crate::registry::{Kind, Slot};

/// The most characters of a value that a message or the report shows.
pub(crate) const SHOWN_CHARS: usize = 256;

/// Whether a field holds data about a person that `--redact` masks: names, birthdays and
/// personal references (the `PERSON` fields), addresses, the contract contact, and every phone
/// number and e-mail address. Codes that say little on their own (gender, country) are not
/// masked; nor is the record's `IDENTIFICATION_IDENTIFIER`, the reference a reader of the
/// report needs to find the record (`docs/report.md` says why).
pub(crate) fn is_personal(slot: Slot) -> bool {
    let f = slot.field();
    matches!(f.kind, Kind::Phone | Kind::Email)
        || (matches!(f.kind, Kind::Text | Kind::Date)
            && matches!(f.category, "PERSON" | "ADDRESS" | "CONTRACT_CONTACT"))
}

/// How values are shown in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    /// As they are (cut when long).
    Plain,
    /// Masked to their first and last character (and cut).
    Masked,
}

impl View {
    /// How a value of `slot` is shown: masked when redacting and the field is personal.
    pub(crate) fn of(slot: Slot, redact: bool) -> View {
        if redact && is_personal(slot) {
            View::Masked
        } else {
            View::Plain
        }
    }

    /// How a value whose field is not known is shown (a reader's note about a cell outside
    /// the header, a title row): masked when redacting, as it may be anything.
    pub(crate) fn unknown(redact: bool) -> View {
        if redact {
            View::Masked
        } else {
            View::Plain
        }
    }
}

thread_local! {
    /// How [`value`] shows values on this thread (see [`with_view`]).
    static VIEW: Cell<View> = const { Cell::new(View::Plain) };
}

/// Runs `f` with the values its messages quote shown as `view`. Outside such a call values
/// are shown plain.
pub(crate) fn with_view<T>(view: View, f: impl FnOnce() -> T) -> T {
    crate::issue::with_setting(&VIEW, view, f)
}

/// A value as a message quotes it: `format!("'{input}' is not a date", input = value(input))`.
/// Cut to [`SHOWN_CHARS`] characters (with `…`), and masked when this thread's [`View`] says
/// so. Whatever a message says that is derived from the value (the number it was read as, a
/// date's year) is quoted through this too.
pub(crate) fn value(value: &str) -> Shown<'_> {
    Shown {
        value,
        view: VIEW.with(Cell::get),
        limit: SHOWN_CHARS,
        ellipsis: true,
    }
}

/// Text from the input that is not a value (a header, a sheet or element name, an identifier)
/// as a message quotes it: cut like [`value`], never masked.
pub(crate) fn plain(text: &str) -> Shown<'_> {
    Shown {
        value: text,
        view: View::Plain,
        limit: SHOWN_CHARS,
        ellipsis: true,
    }
}

/// A value to be shown in a message; see [`value`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shown<'a> {
    value: &'a str,
    view: View,
    limit: usize,
    /// Whether a cut value ends in `…`.
    ellipsis: bool,
}

impl Shown<'_> {
    /// Shows the first `n` characters at most (of the masked form, when masked), without the
    /// `…`: for a message that marks the cut itself.
    pub(crate) fn first(mut self, n: usize) -> Self {
        self.limit = self.limit.min(n);
        self.ellipsis = false;
        self
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Most values are short and plain: written as they are, without counting.
        if self.view == View::Plain && self.value.len() <= self.limit {
            return f.write_str(self.value);
        }
        let chars = self.value.chars().count();
        match self.view {
            View::Plain => f.write_str(
                self.value
                    .char_indices()
                    .nth(self.limit)
                    .map_or(self.value, |(end, _)| &self.value[..end]),
            )?,
            View::Masked => f.write_str(&mask_first(self.value, chars, self.limit))?,
        }
        if self.ellipsis && chars > self.limit {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// Cuts `s` in place to its first [`SHOWN_CHARS`] characters; returns its full length in
/// characters when it was cut.
pub(crate) fn cut_in_place(s: &mut String) -> Option<u64> {
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
#[cfg(test)]
pub(crate) fn mask(s: &str) -> String {
    mask_first(s, s.chars().count(), usize::MAX)
}

/// The first `limit` characters of `mask(s)`, built without the rest; `n` is the number of
/// characters of `s`.
pub(crate) fn mask_first(s: &str, n: usize, limit: usize) -> String {
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
    fn masked_values_keep_their_first_and_last_character() {
        let shown = with_view(View::Masked, || value("06-1234567a").to_string());
        assert_eq!(shown, "0*********a");
        assert_eq!(
            with_view(View::Masked, || value("abcd").to_string()),
            "****"
        );
        let long = "A".repeat(32_767);
        let shown = with_view(View::Masked, || value(&long).to_string());
        assert_eq!(shown, format!("A{}…", "*".repeat(SHOWN_CHARS - 1)));
        assert_eq!(
            with_view(View::Masked, || value("Jan Jansen").first(4).to_string()),
            "J***"
        );
        // Names and identifiers are never masked.
        assert_eq!(with_view(View::Masked, || plain("K-1").to_string()), "K-1");
        // Put back afterwards, also after a panic inside.
        assert_eq!(value("abcdef").to_string(), "abcdef");
        let _ = std::panic::catch_unwind(|| with_view(View::Masked, || panic!("inside")));
        assert_eq!(value("abcdef").to_string(), "abcdef");
    }

    #[test]
    fn the_view_follows_the_field_and_the_flag() {
        let phone = crate::registry::well_known::phone_1();
        assert_eq!(View::of(phone, true), View::Masked);
        assert_eq!(View::of(phone, false), View::Plain);
        let amount = Slot::by_column("INVOICE_AMOUNT").unwrap();
        assert_eq!(View::of(amount, true), View::Plain);
        assert_eq!(View::unknown(true), View::Masked);
        assert_eq!(View::unknown(false), View::Plain);
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
