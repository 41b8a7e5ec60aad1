//! The header grammar of result files: which columns the tool understands.
//!
//! A record column is `IDENTIFICATION_IDENTIFIER` or `<GROUP>_<n>_<FIELD>` where `<GROUP>` is
//! one of [`GROUPS`]; `<GROUP>_<FIELD>` (no number) is read as occurrence 1. Names are matched
//! after trimming and without regard to case. Anything else is an unknown column: kept, listed,
//! never fatal. `docs/results.md` lists every accepted name and which ones are inferred.

/// The identifier column of a record result file.
pub(crate) const IDENTIFIER: &str = "IDENTIFICATION_IDENTIFIER";

/// A result group: one channel's block of columns, repeated per occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Call,
    Sms,
    SmsPaylink,
    SmsPaymentMethod,
    Mail,
    MailPaylink,
    MailPaymentMethod,
    Emandate,
    Enrichment,
    Custom,
}

/// One group's column prefix, channel name and fields.
#[derive(Debug)]
pub(crate) struct GroupSpec {
    pub group: Group,
    /// Column prefix without the trailing `_`.
    pub prefix: &'static str,
    /// The channel name in the JSON and CSV outputs.
    pub channel: &'static str,
    pub fields: &'static [&'static str],
}

/// Every record group. A group may be listed twice under different prefixes (aliases); the
/// first prefix is the one the tool documents as preferred.
pub(crate) const GROUPS: &[GroupSpec] = &[
    GroupSpec {
        group: Group::Call,
        prefix: "CALLRESULTS_CALL",
        channel: "call",
        fields: &[
            "ATTEMPTS",
            "NUMBER",
            "RESULT",
            "TIME",
            "DURATION",
            "VOICEMAIL",
            "DIRECTION",
            "CUSTOM",
        ],
    },
    GroupSpec {
        group: Group::Sms,
        prefix: "SMSRESULTS_SMS",
        channel: "sms",
        fields: &["NUMBER", "RESULT", "TIME"],
    },
    GroupSpec {
        group: Group::SmsPaylink,
        prefix: "SMSRESULTS_PAYLINK",
        channel: "sms_paylink",
        fields: PAYLINK_FIELDS,
    },
    GroupSpec {
        group: Group::SmsPaymentMethod,
        prefix: "SMSRESULTS_PAYMENTMETHOD",
        channel: "sms_payment_method",
        fields: &["NAME"],
    },
    GroupSpec {
        group: Group::Mail,
        prefix: "PAYMAILRESULTS_EMAIL",
        channel: "mail",
        fields: &["EMAIL", "RESULT", "TIME"],
    },
    GroupSpec {
        group: Group::MailPaylink,
        prefix: "PAYMAILRESULTS_PAYLINK",
        channel: "mail_paylink",
        fields: PAYLINK_FIELDS,
    },
    GroupSpec {
        group: Group::MailPaymentMethod,
        prefix: "PAYMAILRESULTS_PAYMENTMETHOD",
        channel: "mail_payment_method",
        fields: &["NAME"],
    },
    GroupSpec {
        group: Group::Emandate,
        prefix: "PAYMAILRESULTS_EMANDATE",
        channel: "emandate",
        fields: &[
            "RESULT",
            "TIME",
            "ID",
            "DEBTOR_IBAN",
            "DEBTOR_NAME",
            "DATE_OF_SIGNATURE",
            "SIGNATURE",
        ],
    },
    GroupSpec {
        group: Group::Enrichment,
        prefix: "ENRICHMENTRESULTS_PHONENUMBER",
        channel: "enrichment",
        fields: &["NUMBER", "QUALITY", "LAST_VERIFIED"],
    },
    GroupSpec {
        group: Group::Custom,
        prefix: "CUSTOMRESULTS_CUSTOM",
        channel: "custom",
        fields: &["IDENTIFIER", "VALUE", "SERVICE"],
    },
    // Aliases: the guide describes the partial-payment fields as their own block whose
    // heading is lost; accept that block under a PARTIALPAYMENT name too.
    GroupSpec {
        group: Group::SmsPaylink,
        prefix: "SMSRESULTS_PARTIALPAYMENT",
        channel: "sms_paylink",
        fields: PARTIAL_FIELDS,
    },
    GroupSpec {
        group: Group::MailPaylink,
        prefix: "PAYMAILRESULTS_PARTIALPAYMENT",
        channel: "mail_paylink",
        fields: PARTIAL_FIELDS,
    },
];

const PAYLINK_FIELDS: &[&str] = &["RESULT", "TIME", "CHOSEN_TERMS", "TRANSACTION_AMOUNT"];
const PARTIAL_FIELDS: &[&str] = &["CHOSEN_TERMS", "TRANSACTION_AMOUNT"];

/// The groups in output order (no aliases).
pub(crate) const GROUP_ORDER: [Group; 10] = [
    Group::Call,
    Group::Sms,
    Group::SmsPaylink,
    Group::SmsPaymentMethod,
    Group::Mail,
    Group::MailPaylink,
    Group::MailPaymentMethod,
    Group::Emandate,
    Group::Enrichment,
    Group::Custom,
];

impl Group {
    /// The group's preferred spec (the first listed).
    pub(crate) fn spec(self) -> &'static GroupSpec {
        GROUPS
            .iter()
            .find(|g| g.group == self)
            .unwrap_or(&GROUPS[0])
    }

    pub(crate) fn channel(self) -> &'static str {
        self.spec().channel
    }
}

/// What one header cell of a record result file means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Identifier,
    Field {
        group: Group,
        occurrence: u32,
        /// The field name as listed in [`GroupSpec::fields`].
        field: &'static str,
    },
    Unknown,
}

/// The largest occurrence number accepted; higher numbers are unknown columns (a guard
/// against headers that would make every row allocate huge tables).
pub(crate) const MAX_OCCURRENCE: u32 = 999;

/// Reads one header cell.
pub(crate) fn parse(header: &str) -> Column {
    let name = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_uppercase();
    if name == IDENTIFIER {
        return Column::Identifier;
    }
    for spec in GROUPS {
        let Some(rest) = name
            .strip_prefix(spec.prefix)
            .and_then(|r| r.strip_prefix('_'))
        else {
            continue;
        };
        let (occurrence, field) = match split_occurrence(rest) {
            Some(v) => v,
            None => continue,
        };
        if let Some(f) = spec.fields.iter().find(|f| **f == field) {
            return Column::Field {
                group: spec.group,
                occurrence,
                field: f,
            };
        }
    }
    Column::Unknown
}

/// `3_RESULT` → (3, RESULT); `RESULT` → (1, RESULT); `0_RESULT` and huge numbers → None.
fn split_occurrence(rest: &str) -> Option<(u32, &str)> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Some((1, rest));
    }
    let (num, field) = rest.split_at(digits);
    let field = field.strip_prefix('_')?;
    let n: u32 = num.parse().ok()?;
    if n == 0 || n > MAX_OCCURRENCE {
        return None;
    }
    Some((n, field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn field(group: Group, occurrence: u32, field: &'static str) -> Column {
        Column::Field {
            group,
            occurrence,
            field,
        }
    }

    #[test]
    fn numbered_and_unnumbered_groups() {
        assert_eq!(
            parse("CALLRESULTS_CALL_2_RESULT"),
            field(Group::Call, 2, "RESULT")
        );
        assert_eq!(
            parse("callresults_call_result"),
            field(Group::Call, 1, "RESULT")
        );
        assert_eq!(
            parse(" PAYMAILRESULTS_EMANDATE_1_DEBTOR_IBAN "),
            field(Group::Emandate, 1, "DEBTOR_IBAN")
        );
        assert_eq!(
            parse("SMSRESULTS_PAYLINK_1_TRANSACTION_AMOUNT"),
            field(Group::SmsPaylink, 1, "TRANSACTION_AMOUNT")
        );
        assert_eq!(
            parse("PAYMAILRESULTS_PARTIALPAYMENT_2_CHOSEN_TERMS"),
            field(Group::MailPaylink, 2, "CHOSEN_TERMS")
        );
        assert_eq!(
            parse("CUSTOMRESULTS_CUSTOM_1_IDENTIFIER"),
            field(Group::Custom, 1, "IDENTIFIER")
        );
        assert_eq!(
            parse("\u{feff}IDENTIFICATION_IDENTIFIER"),
            Column::Identifier
        );
    }

    #[test]
    fn unknown_columns() {
        assert_eq!(parse("CALLRESULTS_CALL_0_RESULT"), Column::Unknown);
        assert_eq!(parse("CALLRESULTS_CALL_1_COLOUR"), Column::Unknown);
        assert_eq!(
            parse("CALLRESULTS_CALL_99999999999_RESULT"),
            Column::Unknown
        );
        assert_eq!(parse("SMSRESULTS_SMS_1_EMAIL"), Column::Unknown);
        assert_eq!(parse("CALLRESULTS_CALL"), Column::Unknown);
        assert_eq!(parse(""), Column::Unknown);
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_in_range(s in "\\PC{0,60}") {
            if let Column::Field { occurrence, .. } = parse(&s) {
                prop_assert!((1..=MAX_OCCURRENCE).contains(&occurrence));
            }
        }

        #[test]
        fn generated_names_parse_back(g in 0usize..GROUPS.len(), n in 1u32..50, f in 0usize..8) {
            let spec = &GROUPS[g];
            let fname = spec.fields[f % spec.fields.len()];
            let col = format!("{}_{}_{}", spec.prefix, n, fname);
            prop_assert_eq!(parse(&col), Column::Field { group: spec.group, occurrence: n, field: fname });
        }
    }
}
