//! Every code of every table, as the fixtures carry them, decodes to the meaning the
//! specification gives it. The expected words below are written independently of
//! `src/results/codes.rs`, so a code that drifts to another row fails here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use collectmaxx::results::codes::{Table, CODES};
use collectmaxx::results::columns::Group;
use collectmaxx::results::decode::{self, decode};
use collectmaxx::results::read::{read_file, Item};
use collectmaxx::results::Warnings;

const FIXTURES: [&str; 4] = [
    "fixtures/results/result_20211201_20211231-acos1001.csv",
    "fixtures/results/result_20220105-acos1001.csv",
    "fixtures/results/result_20220106-acos1001.csv",
    "fixtures/results/result_20220101_20220106_paylink.csv",
];

/// (table, code) → meaning, for every coded value in every fixture row (before merging).
fn decoded_in_fixtures() -> BTreeMap<(Table, String), String> {
    let mut seen = BTreeMap::new();
    let mut warnings = Warnings::default();
    for f in FIXTURES {
        let mut items = Vec::new();
        read_file(&PathBuf::from(f), &mut warnings, &mut |i| items.push(i)).unwrap();
        for item in items {
            match item {
                Item::Record(row) => {
                    for e in &row.entries {
                        let d = decode(e);
                        let Some(code) = d.code else { continue };
                        let digits = code.bytes().all(|b| b.is_ascii_digit());
                        let table = match e.group {
                            Group::Call => Table::Call,
                            Group::Sms => Table::Sms,
                            Group::Mail => Table::Mail,
                            Group::Emandate => Table::Emandate,
                            Group::MailPaylink if digits => Table::PaylinkMailV1,
                            Group::SmsPaylink if digits => Table::PaylinkSmsV1,
                            Group::MailPaylink | Group::SmsPaylink => Table::PaylinkV2,
                            Group::MailPaymentMethod | Group::SmsPaymentMethod => {
                                Table::PaymentMethod
                            }
                            Group::Enrichment | Group::Custom => continue,
                        };
                        seen.insert((table, code.into_owned()), d.meaning.to_string());
                    }
                }
                Item::Paylink(row) => {
                    let (code, meaning, ..) = decode::paylink_file_status(row.get("status"));
                    seen.insert((Table::PaylinkFile, code), meaning.to_string());
                    if !row.get("paymentMethod").is_empty() {
                        let (code, meaning, ..) = decode::payment_method(row.get("paymentMethod"));
                        seen.insert((Table::PaymentMethod, code), meaning.to_string());
                    }
                }
            }
        }
    }
    assert_eq!(warnings.count, 0, "{:?}", warnings.kept);
    seen
}

/// One word or phrase per code that its meaning must contain, in code order.
fn expected() -> Vec<(Table, Vec<(&'static str, &'static str)>)> {
    let ints = |words: &[&'static str]| -> Vec<(&'static str, &'static str)> {
        const N: [&str; 15] = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14",
        ];
        N.iter().copied().zip(words.iter().copied()).collect()
    };
    vec![
        (
            Table::Call,
            ints(&[
                "not called",
                "before the success point",
                "before the message ended",
                "call completed",
                "no answer",
                "busy",
                "rejected",
                "unavailable",
                "invalid number",
                "call centre",
                "calling period",
                "unknown supplier",
                "voicemail",
                "not the intended person",
                "without reaching the success point",
            ]),
        ),
        (
            Table::Sms,
            ints(&["not delivered yet", "delivered", "48-hour"]),
        ),
        (
            Table::Mail,
            ints(&[
                "draft",
                "sent",
                "opened",
                "clicked",
                "soft bounce",
                "hard bounce",
                "spam",
                "not sent",
                "not confirmed",
            ]),
        ),
        (
            Table::PaylinkMailV1,
            ints(&[
                "draft",
                "landing",
                "started",
                "open",
                "partially",
                "paid",
                "expired",
                "cancelled",
                "error",
                "delay",
            ]),
        ),
        (
            Table::PaylinkSmsV1,
            ints(&[
                "draft",
                "error",
                "started",
                "cancelled",
                "paid",
                "partially",
                "delay",
                "landing",
                "expired",
            ]),
        ),
        (
            Table::PaylinkV2,
            vec![
                ("created", "draft"),
                ("visited", "landing"),
                ("started", "started"),
                ("transaction_open", "open"),
                ("transaction_canceled", "cancelled"),
                ("transaction_expired", "expired"),
                ("paid", "paid"),
                ("partially_paid", "partially"),
                ("delayed", "delay"),
                ("error", "error"),
            ],
        ),
        (
            Table::Emandate,
            ints(&[
                "draft",
                "landing",
                "started",
                "bank",
                "signature",
                "mandate given",
                "expired",
                "cancelled",
                "error",
            ]),
        ),
        (
            Table::PaylinkFile,
            vec![
                ("0", "draft"),
                ("1", "landing"),
                ("2", "started"),
                ("3", "bank"),
                ("4", "partially"),
                ("5", "paid"),
                ("6", "cancelled or expired"),
                ("8", "error"),
                ("9", "delay"),
            ],
        ),
        (
            Table::PaymentMethod,
            vec![
                ("ideal", "iDEAL"),
                ("barzahlen", "Barzahlen"),
                ("bancontact", "Bancontact"),
                ("creditcard", "credit card"),
                ("sofort", "Sofort"),
                ("paypal", "PayPal"),
                ("eps", "EPS"),
                ("trustly", "Trustly"),
            ],
        ),
    ]
}

#[test]
fn every_code_of_every_table_is_in_the_fixtures_and_decodes_as_specified() {
    let seen = decoded_in_fixtures();
    for (table, codes) in expected() {
        let in_table = CODES.iter().filter(|c| c.table == table).count();
        assert_eq!(
            in_table,
            codes.len(),
            "{} has {in_table} codes",
            table.name()
        );
        for (code, word) in codes {
            let meaning = seen
                .get(&(table, code.to_string()))
                .unwrap_or_else(|| panic!("no fixture holds {} code {code}", table.name()));
            assert!(
                meaning.contains(word),
                "{} code {code} means '{meaning}', expected it to mention '{word}'",
                table.name()
            );
        }
    }
}

#[test]
fn unknown_codes_show_as_unknown() {
    let seen = decoded_in_fixtures();
    assert_eq!(
        seen.get(&(Table::PaylinkFile, "7".to_string()))
            .map(String::as_str),
        Some(collectmaxx::results::codes::UNKNOWN)
    );
}

#[test]
fn v1_paylink_integers_differ_by_channel_in_the_daily() {
    let seen = decoded_in_fixtures();
    let mail4 = seen.get(&(Table::PaylinkMailV1, "4".into())).cloned();
    let sms4 = seen.get(&(Table::PaylinkSmsV1, "4".into())).cloned();
    assert_eq!(mail4.as_deref(), Some("partially paid"));
    assert_eq!(sms4.as_deref(), Some("paid"));
}
