//! What one entry says: its code, the code's meaning, and its phone number or address.

use std::borrow::Cow;

use super::codes::{self, PaylinkChannel, Table, Tag};
use super::columns::Group;
use super::entry::Entry;

/// The key under which an entry without a code is counted.
pub(crate) const NO_CODE: &str = "(none)";

/// One entry decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    /// The canonical code ([`NO_CODE`] when the cell is empty); `None` for groups without codes
    /// (enrichment).
    pub code: Option<Cow<'a, str>>,
    pub meaning: &'static str,
    /// False for a code its table does not know (and for an empty code).
    pub known: bool,
    pub tag: Tag,
    /// Where to find the code in [`codes::CODES`], for sorting.
    pub order: usize,
    /// For PayLink codes: the status (v2 word) the code stands for, whether written as a v1
    /// integer or as the word itself.
    pub status: Option<&'static str>,
    /// The phone number, e-mail address or (custom) service the entry is about.
    pub address: Option<&'a str>,
}

/// The field holding the entry's code, for groups that have one.
pub(crate) fn code_field(group: Group) -> Option<&'static str> {
    match group {
        Group::Call
        | Group::Sms
        | Group::Mail
        | Group::SmsPaylink
        | Group::MailPaylink
        | Group::Emandate => Some("RESULT"),
        Group::SmsPaymentMethod | Group::MailPaymentMethod => Some("NAME"),
        Group::Custom => Some("VALUE"),
        Group::Enrichment => None,
    }
}

/// The field holding the number or address the entry is about.
pub(crate) fn address_field(group: Group) -> Option<&'static str> {
    match group {
        Group::Call | Group::Sms | Group::Enrichment => Some("NUMBER"),
        Group::Mail => Some("EMAIL"),
        Group::Custom => Some("SERVICE"),
        _ => None,
    }
}

/// Decodes an entry by its group's table.
pub fn decode(entry: &Entry) -> Decoded<'_> {
    let address = address_field(entry.group).and_then(|f| entry.get(f));
    let Some(field) = code_field(entry.group) else {
        return Decoded {
            code: None,
            meaning: "",
            known: true,
            tag: Tag::None,
            order: 0,
            status: None,
            address,
        };
    };
    let raw = entry.get(field).unwrap_or("");
    if raw.is_empty() {
        return Decoded {
            code: Some(Cow::Borrowed(NO_CODE)),
            meaning: "no code given",
            known: false,
            tag: Tag::None,
            order: usize::MAX - 1,
            status: None,
            address,
        };
    }
    let found = match entry.group {
        Group::Call => codes::lookup(Table::Call, raw),
        Group::Sms => codes::lookup(Table::Sms, raw),
        Group::Mail => codes::lookup(Table::Mail, raw),
        Group::SmsPaylink => codes::paylink(PaylinkChannel::Sms, raw),
        Group::MailPaylink => codes::paylink(PaylinkChannel::Mail, raw),
        Group::Emandate => codes::lookup(Table::Emandate, raw),
        Group::SmsPaymentMethod | Group::MailPaymentMethod => {
            codes::lookup(Table::PaymentMethod, raw)
        }
        Group::Custom | Group::Enrichment => None,
    };
    match found {
        Some(c) => Decoded {
            code: Some(Cow::Borrowed(c.code)),
            meaning: c.meaning,
            known: true,
            tag: c.tag,
            order: index_of(c),
            status: codes::paylink_status(c).map(|s| s.code),
            address,
        },
        None if entry.group == Group::Custom => Decoded {
            code: Some(Cow::Borrowed(raw)),
            meaning: "",
            known: true,
            tag: Tag::None,
            order: usize::MAX,
            status: None,
            address,
        },
        None => Decoded {
            code: Some(codes::canonical(raw)),
            meaning: codes::UNKNOWN,
            known: false,
            tag: Tag::None,
            order: usize::MAX,
            status: None,
            address,
        },
    }
}

/// Decodes a status of the PayLink file.
pub fn paylink_file_status(raw: &str) -> (String, &'static str, bool, Tag, usize) {
    if raw.trim().is_empty() {
        return (
            NO_CODE.to_string(),
            "no code given",
            false,
            Tag::None,
            usize::MAX - 1,
        );
    }
    match codes::lookup(Table::PaylinkFile, raw) {
        Some(c) => (c.code.to_string(), c.meaning, true, c.tag, index_of(c)),
        None => (
            codes::canonical(raw).into_owned(),
            codes::UNKNOWN,
            false,
            Tag::None,
            usize::MAX,
        ),
    }
}

/// Decodes a payment method name (PayLink file).
pub fn payment_method(raw: &str) -> (String, &'static str, bool, usize) {
    match codes::lookup(Table::PaymentMethod, raw) {
        Some(c) => (c.code.to_string(), c.meaning, true, index_of(c)),
        None => (
            codes::canonical(raw).into_owned(),
            "unknown payment method",
            false,
            usize::MAX,
        ),
    }
}

/// Where a code stands in [`codes::CODES`], the order in which summaries list codes.
pub(crate) fn index_of(code: &codes::Code) -> usize {
    codes::CODES
        .iter()
        .position(|c| std::ptr::eq(c, code))
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(group: Group, values: &[(&'static str, &str)]) -> Entry {
        Entry::with(group, 1, values)
    }

    #[test]
    fn paylink_integers_follow_the_channel() {
        let mail = entry(Group::MailPaylink, &[("RESULT", "5")]);
        let sms = entry(Group::SmsPaylink, &[("RESULT", "5")]);
        assert_eq!(decode(&mail).tag, Tag::Paid);
        assert_eq!(decode(&sms).tag, Tag::PartiallyPaid);
        let word = entry(Group::SmsPaylink, &[("RESULT", "PAID")]);
        assert_eq!(decode(&word).code.as_deref(), Some("paid"));
    }

    #[test]
    fn unknown_and_missing_codes() {
        let e = entry(Group::Call, &[("RESULT", "42"), ("NUMBER", "31107989525")]);
        let d = decode(&e);
        assert_eq!((d.meaning, d.known), (codes::UNKNOWN, false));
        assert_eq!(d.address, Some("31107989525"));
        let e = entry(Group::Sms, &[("NUMBER", "31612345678")]);
        let d = decode(&e);
        assert_eq!(d.code.as_deref(), Some(NO_CODE));
        let e = entry(Group::Call, &[("RESULT", "12")]);
        let d = decode(&e);
        assert_eq!((d.tag, d.known), (Tag::Voicemail, true));
    }

    #[test]
    fn paylink_file_status_and_methods() {
        assert_eq!(paylink_file_status("6").1, "session cancelled or expired");
        assert_eq!(paylink_file_status("7").1, codes::UNKNOWN);
        assert_eq!(payment_method("IDEAL").1, "iDEAL");
        assert!(!payment_method("cash").2);
    }
}
