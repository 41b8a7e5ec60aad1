//! Every code table of the result files, as one table.
//!
//! The same integer means different things on different channels (a PayLink `4` is a partial
//! payment when sent by mail and a payment when sent by SMS), so a code is always looked up
//! together with its [`Table`]. Codes that no table knows decode to [`UNKNOWN`]; they are never
//! an error.

use std::borrow::Cow;

/// A code table of the result-file section of the specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// Call results (`CALLRESULTS_CALL_n_RESULT`), 0–14.
    Call,
    /// SMS delivery (`SMSRESULTS_SMS_n_RESULT`), 0–2.
    Sms,
    /// E-mail status (`PAYMAILRESULTS_EMAIL_n_RESULT`), 0–8.
    Mail,
    /// PayLink sent with a PayMail, v1 integers, 0–9.
    PaylinkMailV1,
    /// PayLink sent with an SMS, v1 integers, 0–8 (a different order from mail).
    PaylinkSmsV1,
    /// PayLink v2 words, the same on both channels.
    PaylinkV2,
    /// E-mandate status, 0–8.
    Emandate,
    /// The status column of the separate PayLink file, 0–9 without 7.
    PaylinkFile,
    /// Payment method names (`..._PAYMENTMETHOD_n_NAME`, the PayLink file's `paymentMethod`).
    PaymentMethod,
}

impl Table {
    /// A short stable name, used in tests and docs.
    pub fn name(self) -> &'static str {
        match self {
            Table::Call => "call",
            Table::Sms => "sms",
            Table::Mail => "mail",
            Table::PaylinkMailV1 => "paylink_mail_v1",
            Table::PaylinkSmsV1 => "paylink_sms_v1",
            Table::PaylinkV2 => "paylink_v2",
            Table::Emandate => "emandate",
            Table::PaylinkFile => "paylink_file",
            Table::PaymentMethod => "payment_method",
        }
    }
}

/// What a code says beyond its text, for the counters an operator asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    None,
    /// A person picked up (call).
    Reached,
    /// Left on a voicemail (call).
    Voicemail,
    /// The number does not work (call).
    InvalidNumber,
    /// The SMS arrived.
    Delivered,
    /// The SMS did not arrive in time or failed.
    NotDelivered,
    /// The e-mail came back temporarily.
    SoftBounce,
    /// The e-mail came back for good.
    HardBounce,
    /// PayLink or PayLink-file payment for the full amount.
    Paid,
    /// PayLink payment of part of the amount.
    PartiallyPaid,
    /// E-mandate signed.
    MandateGiven,
}

/// One code of one table.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    pub table: Table,
    pub code: &'static str,
    pub meaning: &'static str,
    pub tag: Tag,
}

/// The meaning shown for a code that its table does not know.
pub const UNKNOWN: &str = "unknown code";

macro_rules! codes {
    ($($table:ident $code:literal $tag:ident $meaning:literal;)*) => {
        /// Every code of every table, in table order.
        pub static CODES: &[Code] = &[
            $(Code { table: Table::$table, code: $code, meaning: $meaning, tag: Tag::$tag },)*
        ];
    };
}

codes! {
    Call "0"  None          "not called";
    Call "1"  Reached       "answered, hung up before the success point";
    Call "2"  Reached       "success point reached, hung up before the message ended";
    Call "3"  Reached       "success point reached, call completed";
    Call "4"  None          "no answer";
    Call "5"  None          "line busy";
    Call "6"  None          "call rejected";
    Call "7"  None          "number (temporarily) unavailable";
    Call "8"  InvalidNumber "invalid number";
    Call "9"  Reached       "put through to the client's call centre";
    Call "10" None          "not reached within the calling period";
    Call "11" None          "not called: unknown supplier";
    Call "12" Voicemail     "voicemail message left (active detection only)";
    Call "13" Reached       "answered by someone who is not the intended person";
    Call "14" Reached       "call completed without reaching the success point";

    Sms "0" None         "not delivered yet";
    Sms "1" Delivered    "delivered";
    Sms "2" NotDelivered "not delivered (failed or 48-hour validity expired)";

    Mail "0" None       "draft";
    Mail "1" None       "sent";
    Mail "2" None       "opened";
    Mail "3" None       "link clicked";
    Mail "4" SoftBounce "soft bounce (temporary)";
    Mail "5" HardBounce "hard bounce (permanent)";
    Mail "6" None       "marked as spam";
    Mail "7" None       "error, not sent";
    Mail "8" None       "sent, delivery not confirmed";

    PaylinkMailV1 "0" None          "draft";
    PaylinkMailV1 "1" None          "landing page visited";
    PaylinkMailV1 "2" None          "transaction started";
    PaylinkMailV1 "3" None          "at the bank, transaction open";
    PaylinkMailV1 "4" PartiallyPaid "partially paid";
    PaylinkMailV1 "5" Paid          "paid";
    PaylinkMailV1 "6" None          "session expired";
    PaylinkMailV1 "7" None          "session cancelled";
    PaylinkMailV1 "8" None          "error";
    PaylinkMailV1 "9" None          "debtor asked for a payment delay";

    PaylinkSmsV1 "0" None          "draft";
    PaylinkSmsV1 "1" None          "error";
    PaylinkSmsV1 "2" None          "transaction started";
    PaylinkSmsV1 "3" None          "session cancelled";
    PaylinkSmsV1 "4" Paid          "paid";
    PaylinkSmsV1 "5" PartiallyPaid "partially paid";
    PaylinkSmsV1 "6" None          "debtor asked for a payment delay";
    PaylinkSmsV1 "7" None          "landing page visited";
    PaylinkSmsV1 "8" None          "session expired";

    PaylinkV2 "created"              None          "draft";
    PaylinkV2 "visited"              None          "landing page visited";
    PaylinkV2 "started"              None          "transaction started";
    PaylinkV2 "transaction_open"     None          "at the bank, transaction open";
    PaylinkV2 "transaction_canceled" None          "session cancelled";
    PaylinkV2 "transaction_expired"  None          "session expired";
    PaylinkV2 "paid"                 Paid          "paid";
    PaylinkV2 "partially_paid"       PartiallyPaid "partially paid";
    PaylinkV2 "delayed"              None          "debtor asked for a payment delay";
    PaylinkV2 "error"                None          "error";

    Emandate "0" None         "draft";
    Emandate "1" None         "landing page visited";
    Emandate "2" None         "transaction started";
    Emandate "3" None         "at the bank";
    Emandate "4" None         "waiting for signature";
    Emandate "5" MandateGiven "mandate given";
    Emandate "6" None         "session expired";
    Emandate "7" None         "session cancelled";
    Emandate "8" None         "error";

    PaylinkFile "0" None          "draft";
    PaylinkFile "1" None          "landing page visited";
    PaylinkFile "2" None          "transaction started";
    PaylinkFile "3" None          "at the bank";
    PaylinkFile "4" PartiallyPaid "partially paid";
    PaylinkFile "5" Paid          "paid";
    PaylinkFile "6" None          "session cancelled or expired";
    PaylinkFile "8" None          "error";
    PaylinkFile "9" None          "debtor asked for a payment delay";

    PaymentMethod "ideal"      None "iDEAL";
    PaymentMethod "barzahlen"  None "Barzahlen/viacash";
    PaymentMethod "bancontact" None "Bancontact";
    PaymentMethod "creditcard" None "credit card";
    PaymentMethod "sofort"     None "Sofort (Klarna)";
    PaymentMethod "paypal"     None "PayPal";
    PaymentMethod "eps"        None "EPS transfer";
    PaymentMethod "trustly"    None "Trustly";
}

/// The code of `table` written as `raw`, if the table knows it.
///
/// Integers are compared as numbers (`03` is `3`), words without regard to case; white space
/// around the value is ignored.
pub(crate) fn lookup(table: Table, raw: &str) -> Option<&'static Code> {
    let key = canonical(raw);
    CODES
        .iter()
        .find(|c| c.table == table && c.code.eq_ignore_ascii_case(&key))
}

/// The form a code is counted under: trimmed, leading zeros of an integer dropped, words in
/// lower case. Unknown codes keep their (trimmed) spelling so that they can be shown.
pub(crate) fn canonical(raw: &str) -> Cow<'_, str> {
    let t = raw.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let stripped = t.trim_start_matches('0');
        return Cow::Borrowed(if stripped.is_empty() { "0" } else { stripped });
    }
    if t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && t.bytes().any(|b| b.is_ascii_uppercase())
    {
        Cow::Owned(t.to_ascii_lowercase())
    } else {
        Cow::Borrowed(t)
    }
}

/// Which tables a PayLink result cell is decoded with: v1 integers depend on the channel, v2
/// words are the same for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaylinkChannel {
    Mail,
    Sms,
}

/// The v2 word that each PayLink v1 integer stands for, per channel: the two v1 tables number
/// the same statuses in different orders (`4` is paid by SMS, partially paid by e-mail), and
/// v2 names them with words that are the same on both channels.
const PAYLINK_V1_STATUS: [(Table, &str, &str); 19] = [
    (Table::PaylinkMailV1, "0", "created"),
    (Table::PaylinkMailV1, "1", "visited"),
    (Table::PaylinkMailV1, "2", "started"),
    (Table::PaylinkMailV1, "3", "transaction_open"),
    (Table::PaylinkMailV1, "4", "partially_paid"),
    (Table::PaylinkMailV1, "5", "paid"),
    (Table::PaylinkMailV1, "6", "transaction_expired"),
    (Table::PaylinkMailV1, "7", "transaction_canceled"),
    (Table::PaylinkMailV1, "8", "error"),
    (Table::PaylinkMailV1, "9", "delayed"),
    (Table::PaylinkSmsV1, "0", "created"),
    (Table::PaylinkSmsV1, "1", "error"),
    (Table::PaylinkSmsV1, "2", "started"),
    (Table::PaylinkSmsV1, "3", "transaction_canceled"),
    (Table::PaylinkSmsV1, "4", "paid"),
    (Table::PaylinkSmsV1, "5", "partially_paid"),
    (Table::PaylinkSmsV1, "6", "delayed"),
    (Table::PaylinkSmsV1, "7", "visited"),
    (Table::PaylinkSmsV1, "8", "transaction_expired"),
];

/// The PayLink status (a v2 word's code) that a PayLink code stands for: a v1 integer's by its
/// channel's table, a v2 word is its own. `None` for codes of other tables.
pub(crate) fn paylink_status(code: &Code) -> Option<&'static Code> {
    match code.table {
        Table::PaylinkV2 => lookup(Table::PaylinkV2, code.code),
        Table::PaylinkMailV1 | Table::PaylinkSmsV1 => PAYLINK_V1_STATUS
            .iter()
            .find(|(t, c, _)| *t == code.table && *c == code.code)
            .and_then(|(_, _, word)| lookup(Table::PaylinkV2, word)),
        _ => None,
    }
}

/// Decodes a PayLink result: an integer by the channel's v1 table, anything else by v2 words.
pub(crate) fn paylink(channel: PaylinkChannel, raw: &str) -> Option<&'static Code> {
    let key = canonical(raw);
    if key.bytes().all(|b| b.is_ascii_digit()) {
        let table = match channel {
            PaylinkChannel::Mail => Table::PaylinkMailV1,
            PaylinkChannel::Sms => Table::PaylinkSmsV1,
        };
        lookup(table, &key)
    } else {
        lookup(Table::PaylinkV2, &key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_the_specified_code_range() {
        let count = |t: Table| CODES.iter().filter(|c| c.table == t).count();
        assert_eq!(count(Table::Call), 15);
        assert_eq!(count(Table::Sms), 3);
        assert_eq!(count(Table::Mail), 9);
        assert_eq!(count(Table::PaylinkMailV1), 10);
        assert_eq!(count(Table::PaylinkSmsV1), 9);
        assert_eq!(count(Table::PaylinkV2), 10);
        assert_eq!(count(Table::Emandate), 9);
        assert_eq!(count(Table::PaylinkFile), 9);
        assert_eq!(count(Table::PaymentMethod), 8);
    }

    #[test]
    fn no_code_is_listed_twice_in_a_table() {
        for (i, a) in CODES.iter().enumerate() {
            for b in CODES.iter().skip(i + 1) {
                assert!(
                    !(a.table == b.table && a.code == b.code),
                    "{} {}",
                    a.table.name(),
                    a.code
                );
            }
        }
    }

    #[test]
    fn same_integer_means_different_things_per_paylink_channel() {
        let mail = paylink(PaylinkChannel::Mail, "4").map(|c| c.tag);
        let sms = paylink(PaylinkChannel::Sms, "4").map(|c| c.tag);
        assert_eq!(mail, Some(Tag::PartiallyPaid));
        assert_eq!(sms, Some(Tag::Paid));
        assert_eq!(
            paylink(PaylinkChannel::Sms, "paid").map(|c| c.table),
            Some(Table::PaylinkV2)
        );
    }

    #[test]
    fn every_paylink_v1_code_stands_for_the_v2_status_of_the_same_meaning() {
        for table in [Table::PaylinkMailV1, Table::PaylinkSmsV1] {
            for code in CODES.iter().filter(|c| c.table == table) {
                let status = paylink_status(code)
                    .unwrap_or_else(|| panic!("{} {} has no status", table.name(), code.code));
                assert_eq!(status.table, Table::PaylinkV2);
                assert_eq!(
                    (status.meaning, status.tag),
                    (code.meaning, code.tag),
                    "{} {} -> {}",
                    table.name(),
                    code.code,
                    status.code
                );
            }
        }
        let sms4 = paylink(PaylinkChannel::Sms, "4").and_then(paylink_status);
        let mail4 = paylink(PaylinkChannel::Mail, "4").and_then(paylink_status);
        assert_eq!(sms4.map(|c| c.code), Some("paid"));
        assert_eq!(mail4.map(|c| c.code), Some("partially_paid"));
        let word = paylink(PaylinkChannel::Mail, "Paid").and_then(paylink_status);
        assert_eq!(word.map(|c| c.code), Some("paid"));
        assert!(lookup(Table::Call, "4").and_then(paylink_status).is_none());
    }

    #[test]
    fn unknown_codes_are_none_not_errors() {
        assert!(lookup(Table::Call, "15").is_none());
        assert!(lookup(Table::PaylinkFile, "7").is_none());
        assert!(paylink(PaylinkChannel::Mail, "refunded").is_none());
        assert!(lookup(Table::Sms, "").is_none());
    }

    #[test]
    fn canonical_form() {
        assert_eq!(canonical(" 03 "), "3");
        assert_eq!(canonical("000"), "0");
        assert_eq!(canonical("Paid"), "paid");
        assert_eq!(canonical("x-y"), "x-y");
        assert_eq!(lookup(Table::Call, "03").map(|c| c.code), Some("3"));
        assert_eq!(
            lookup(Table::PaymentMethod, "iDEAL").map(|c| c.meaning),
            Some("iDEAL")
        );
    }
}
