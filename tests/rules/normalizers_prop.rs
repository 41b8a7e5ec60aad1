//! Property tests for the value normalizers: they never panic, an unusable value always comes
//! with a note that says why, and normalizing a normalized value changes nothing.

use collectmaxx::issue::Severity;
use collectmaxx::rules::amount::{parse_cents, parse_count, AmountUnit};
use collectmaxx::rules::codes::{parse_boolean, parse_country, parse_currency, parse_gender};
use collectmaxx::rules::date::{fits, parse_date, DateOrder, Fits};
use collectmaxx::rules::email::parse_email;
use collectmaxx::rules::phone::{normalize_phone, restore_dropped_zero, Country};
use collectmaxx::rules::text::{clean, looks_like_formula};
use collectmaxx::rules::Outcome;
use proptest::prelude::*;

/// Arbitrary text, and text shaped like what each normalizer expects (to reach deep paths).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t\r\n\u{0}\u{a0}\u{feff}a-zé\u{301}\u{2028}]{0,12}",
    ]
}

fn phone_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(\\+31 ?|0031 ?|0|31|\\+31 \\(0\\))(6|10|20)[ -]?[0-9]{3}[ .]?[0-9]{4}",
        "(\\+|00)?(49 30|32 470|1 202|44 20|33 6|39 06) ?[0-9]{6,8}",
        "(\\+|00|0)?[0-9]{1,3}[ (0)./–-]{0,4}[0-9 ./-]{0,16}",
        "[0-9]{6,16}",
    ]
}

prop_compose! {
    fn plausible_date()(
        y in 1890u32..2210, m in 0u32..14, d in 0u32..33,
        form in 0usize..6, sep in prop::sample::select(vec!['-', '/', '.']),
        time in prop::sample::select(vec!["", " 00:00:00", "T13:05", "T23:59:59.5Z", " 1:05+01:00"]),
    ) -> String {
        let date = match form {
            0 => format!("{y:04}-{m:02}-{d:02}"),
            1 => format!("{d:02}{sep}{m:02}{sep}{y}"),
            2 => format!("{d}{sep}{m}{sep}{y}"),
            3 => format!("{y:04}{m:02}{d:02}"),
            4 => format!("{y}{sep}{m}{sep}{d}"),
            _ => format!("{m}{sep}{d}{sep}{}", y % 100),
        };
        format!("{date}{time}")
    }
}

fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        plausible_date(),
        "[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?",
        "[0-9]{8}",
    ]
}

fn amount_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[+-]?(€ ?|EUR ?|eur|\\$)?[0-9]{1,4}([., '][0-9]{1,3}){0,3}( ?€| ?JPY)?",
        "[+-]?[0-9]{1,25}",
    ]
}

fn email_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9._%+-]{1,8}@[a-zA-Z0-9-]{1,8}\\.[a-zA-Z]{2,4}",
        "[a-zA-Z0-9.+\"<> ]{0,8}@{0,2}[a-zA-Z0-9.\\[\\]-]{0,12}",
    ]
}

fn code_like() -> impl Strategy<Value = String> {
    let words = vec![
        "M",
        "f",
        "Dhr.",
        "vrouw",
        "X",
        "U",
        "1",
        "0",
        "ja",
        "Nee",
        "TRUE",
        "x",
        "NL",
        "nl",
        "NLD",
        "deu",
        "The Netherlands",
        "germany",
        "EUR",
        "eur",
        "€",
        "£",
        "jpy",
        "XXX",
        "UK",
    ];
    prop_oneof![
        any::<String>(),
        "[a-zA-Z .€]{1,16}",
        prop::sample::select(words).prop_map(String::from),
    ]
}

/// The pipeline hands normalizers cleaned, non-empty text.
fn cleaned(raw: &str) -> Option<String> {
    let (text, _) = clean(raw);
    (!text.is_empty()).then(|| text.into_owned())
}

/// An unusable value always says why: with an error, or for phones (dropped, not rejected)
/// with warnings only.
fn explains_refusal<T>(o: &Outcome<T>, severity: Severity) -> bool {
    o.value.is_some() || (!o.notes.is_empty() && o.notes.iter().any(|n| n.severity == severity))
}

const ORDERS: [DateOrder; 2] = [DateOrder::Dmy, DateOrder::Mdy];
const CURRENCIES: [Option<&str>; 4] = [None, Some("EUR"), Some("JPY"), Some("BHD")];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn clean_is_idempotent(raw in text()) {
        let (once, _) = clean(&raw);
        let (twice, notes) = clean(&once);
        prop_assert_eq!(&once, &twice);
        prop_assert!(notes.is_empty(), "{:?}", notes);
        prop_assert!(matches!(twice, std::borrow::Cow::Borrowed(_)));
        let _ = looks_like_formula(&once);
    }

    #[test]
    fn phone_never_panics_and_is_idempotent(raw in phone_like()) {
        let _ = normalize_phone(&raw, Country::NL);
        let _ = restore_dropped_zero(&raw, Country::NL);
        if let Some(input) = cleaned(&raw) {
            for country in [Country::NL, Country(*b"DE"), Country(*b"US"), Country(*b"XX")] {
                let o = normalize_phone(&input, country);
                prop_assert!(explains_refusal(&o, Severity::Warning), "{:?}", o);
                prop_assert!(o.notes.iter().all(|n| n.severity != Severity::Error));
                if let Some(phone) = o.value {
                    prop_assert!(phone.digits().len() <= 20);
                    let again = normalize_phone(phone.digits(), country);
                    prop_assert_eq!(again.value.as_ref(), Some(&phone));
                    prop_assert!(again.notes.is_empty(), "{:?}", again.notes);
                }
            }
        }
    }

    #[test]
    fn date_never_panics_and_is_idempotent(raw in date_like()) {
        let _ = parse_date(&raw, DateOrder::Dmy);
        if let Some(input) = cleaned(&raw) {
            for order in ORDERS {
                let o = parse_date(&input, order);
                prop_assert!(explains_refusal(&o, Severity::Error), "{:?}", o);
                if let Some(date) = o.value {
                    let written = date.format("%Y-%m-%d").to_string();
                    let again = parse_date(&written, order);
                    prop_assert_eq!(again, Outcome::ok(date));
                }
            }
        }
    }

    /// The evidence a text date gives about its column's order is what the date rule makes of
    /// it in each order (years outside the rule's range aside: the evidence ignores the year).
    #[test]
    fn date_order_evidence_agrees_with_the_date_rule(raw in date_like()) {
        if let Some(input) = cleaned(&raw) {
            let (dmy, mdy) = (parse_date(&input, DateOrder::Dmy), parse_date(&input, DateOrder::Mdy));
            let out_of_range = |o: &Outcome<_>| o.notes.iter().any(|n| n.code == "date.out_of_range");
            prop_assume!(!out_of_range(&dmy) && !out_of_range(&mdy));
            let expected = match (dmy.value, mdy.value) {
                (Some(a), Some(b)) if a == b => None,
                (Some(_), Some(_)) => Some(Fits::Either),
                (Some(_), None) => Some(Fits::Only(DateOrder::Dmy)),
                (None, Some(_)) => Some(Fits::Only(DateOrder::Mdy)),
                (None, None) => None,
            };
            prop_assert_eq!(fits(&input), expected, "{}", input);
        }
    }

    #[test]
    fn amount_never_panics_and_is_idempotent(raw in amount_like()) {
        let _ = parse_cents(&raw, AmountUnit::Minor, None);
        let _ = parse_cents(&raw, AmountUnit::Major, None);
        if let Some(input) = cleaned(&raw) {
            for unit in [AmountUnit::Minor, AmountUnit::Major] {
                for currency in CURRENCIES {
                    let o = parse_cents(&input, unit, currency);
                    prop_assert!(explains_refusal(&o, Severity::Error), "{:?}", o);
                    if let Some(cents) = o.value {
                        // The delivery writes minor units.
                        let again = parse_cents(&cents.to_string(), AmountUnit::Minor, currency);
                        prop_assert_eq!(again, Outcome::ok(cents));
                    }
                }
            }
        }
    }

    #[test]
    fn count_never_panics_and_is_idempotent(raw in amount_like()) {
        let _ = parse_count(&raw);
        if let Some(input) = cleaned(&raw) {
            let o = parse_count(&input);
            prop_assert!(explains_refusal(&o, Severity::Error), "{:?}", o);
            if let Some(n) = o.value {
                prop_assert_eq!(parse_count(&n.to_string()), Outcome::ok(n));
            }
        }
    }

    #[test]
    fn codes_never_panic_and_are_idempotent(raw in code_like()) {
        let _ = (parse_gender(&raw), parse_boolean(&raw), parse_country(&raw), parse_currency(&raw));
        if let Some(input) = cleaned(&raw) {
            let g = parse_gender(&input);
            prop_assert!(explains_refusal(&g, Severity::Error));
            if let Some(g) = g.value {
                prop_assert_eq!(parse_gender(g.code()), Outcome::ok(g));
            }
            let b = parse_boolean(&input);
            prop_assert!(explains_refusal(&b, Severity::Error));
            if let Some(b) = b.value {
                prop_assert_eq!(parse_boolean(if b { "1" } else { "0" }), Outcome::ok(b));
            }
            let c = parse_country(&input);
            prop_assert!(explains_refusal(&c, Severity::Error));
            if let Some(c) = c.value {
                let written = String::from_utf8_lossy(&c).into_owned();
                prop_assert_eq!(parse_country(&written), Outcome::ok(c));
            }
            let k = parse_currency(&input);
            prop_assert!(explains_refusal(&k, Severity::Error));
            if let Some(k) = k.value {
                let written = String::from_utf8_lossy(&k).into_owned();
                prop_assert_eq!(parse_currency(&written), Outcome::ok(k));
            }
        }
    }

    #[test]
    fn email_never_panics_and_is_idempotent(raw in email_like()) {
        let _ = parse_email(&raw);
        if let Some(input) = cleaned(&raw) {
            let o = parse_email(&input);
            prop_assert!(explains_refusal(&o, Severity::Error), "{:?}", o);
            if let Some(address) = o.value {
                prop_assert_eq!(parse_email(&address), Outcome::ok(address.clone()));
            }
        }
    }
}

#[test]
fn known_inputs_from_the_phone_library_comparison() {
    // A letter inside the number is refused, not read as a keypad digit.
    let o = normalize_phone("+3367a829916", Country::NL);
    assert_eq!(o.value, None);
    assert_eq!(o.notes[0].code, "phone.invalid_chars");
    // Too long for Israel: refused although the other crate accepted it.
    let o = normalize_phone("+97233142764978", Country::NL);
    assert_eq!(o.value, None);
    assert_eq!(o.notes[0].code, "phone.invalid");
}
