use super::*;
use crate::issue::Severity;

fn nl(input: &str) -> Outcome<Phone> {
    normalize_phone(input, Country::NL)
}

fn codes<T>(o: &Outcome<T>) -> Vec<&'static str> {
    o.notes.iter().map(|n| n.code).collect()
}

fn digits(o: &Outcome<Phone>) -> Option<&str> {
    o.value.as_ref().map(Phone::digits)
}

#[test]
fn e164_digits_pass_unchanged() {
    let o = nl("31107989525");
    assert_eq!(digits(&o), Some("31107989525"));
    assert!(o.notes.is_empty());
    assert_eq!(o.value.as_ref().and_then(Phone::is_mobile), Some(false));
}

#[test]
fn formatting_is_a_fix() {
    for input in [
        "+31 6 1234 5678",
        "+31-6-12345678",
        "+31 (0)6 12345678",
        "0031 6 1234 5678",
        "+31 06 12345678",
        "+31 6 12345678",
        "+31\u{a0}6 1234–5678",
    ] {
        let o = nl(input);
        assert_eq!(digits(&o), Some("31612345678"), "{input}");
        assert_eq!(codes(&o), ["phone.formatted"], "{input}");
    }
    let o = nl("+31 (0)6 12345678");
    assert!(o.notes[0].message.contains("(0) dropped"));
}

#[test]
fn plus_after_punctuation_or_repeated_is_one_plus() {
    // As libphonenumber reads them (issue 12).
    for (input, e164) in [
        ("(+31) 6 88684316", "31688684316"),
        ("++31 6 32448337", "31632448337"),
        ("+(31) 6 12345678", "31612345678"),
        ("(+32) 470 12 34 56", "32470123456"),
    ] {
        let o = nl(input);
        assert_eq!(digits(&o), Some(e164), "{input}: {:?}", o.notes);
        assert_eq!(codes(&o), ["phone.formatted"], "{input}");
    }
    for input in ["+ +31612345678", "+31 6 1234 5678 +1", "06+12345678"] {
        let o = nl(input);
        assert_eq!(o.value, None, "{input}");
        assert!(
            o.notes[0].message.contains("'+' may only stand"),
            "{input}: {:?}",
            o.notes
        );
    }
}

#[test]
fn a_zero_in_parentheses_is_dropped_only_where_the_country_has_a_trunk_zero() {
    for (input, e164) in [
        ("+44 (0)20 7946 0018", "442079460018"),
        ("+49 (0)30 1234567", "49301234567"),
        ("0031 (0) 6 12345678", "31612345678"),
        ("+33 (0)6 12 34 56 78", "33612345678"),
    ] {
        let o = nl(input);
        assert_eq!(digits(&o), Some(e164), "{input}: {:?}", o.notes);
        assert!(o.notes[0].message.contains("(0) dropped"), "{input}");
    }
    // Italy writes its leading 0 after the country code: it stays.
    assert_eq!(digits(&nl("+39 (0)6 1234 5678")), Some("390612345678"));
    // North America has no trunk 0: the (0) is a digit, and the number is not valid.
    let o = nl("+1 (0)202-879-2052");
    assert_eq!(o.value, None);
    assert_eq!(codes(&o), ["phone.invalid"]);
    assert!(
        o.notes[0]
            .message
            .contains("country code 1 have no trunk 0"),
        "{}",
        o.notes[0].message
    );
    assert_eq!(digits(&nl("+1 202-879-2052")), Some("12028792052"));
}

#[test]
fn dashes_and_brackets_people_paste_are_punctuation() {
    for input in [
        "06\u{2010}12345678",
        "06\u{2011}12345678",
        "06\u{2014}12345678",
        "06\u{2212}12345678",
        "06\u{ad}12345678",
        "06\u{200b}12345678",
        "[06] 12345678",
    ] {
        let o = nl(input);
        assert_eq!(digits(&o), Some("31612345678"), "{input:?}: {:?}", o.notes);
    }
    // Changed on purpose in issue 12: `*`, a trailing `;` and a leading `'` are read as
    // libphonenumber reads them (see artefacts_around_a_number_are_removed_and_reported).
    for input in ["0612345678#", "06,12345678", "06;12345678", "06'12345678"] {
        assert_eq!(codes(&nl(input)), ["phone.invalid_chars"], "{input}");
    }
}

#[test]
fn national_number_gets_the_default_country_code() {
    let o = nl("06-12345678");
    assert_eq!(digits(&o), Some("31612345678"));
    assert_eq!(codes(&o), ["phone.national"]);
    assert!(o.notes[0].message.contains("country code 31 added"));
    assert_eq!(o.value.as_ref().and_then(Phone::is_mobile), Some(true));
    let o = nl("(010) 798 95 25");
    assert_eq!(digits(&o), Some("31107989525"));
    let be = normalize_phone("0470 12 34 56", Country(*b"BE"));
    assert_eq!(digits(&be), Some("32470123456"));
}

#[test]
fn bare_national_number_without_zero_is_assumed_national() {
    let o = nl("612345678");
    assert_eq!(digits(&o), Some("31612345678"));
    assert_eq!(codes(&o), ["phone.assumed_national"]);
    // Valid as international: international wins.
    let o = nl("4930123456");
    assert_eq!(digits(&o), Some("4930123456"));
    assert!(o.notes.is_empty());
}

#[test]
fn letters_are_refused_not_converted() {
    let o = nl("+3367a829916");
    assert_eq!(o.value, None);
    assert_eq!(codes(&o), ["phone.invalid_chars"]);
    assert_eq!(o.notes[0].severity, Severity::Warning);
    assert!(o.notes[0].message.contains("'a'"));
    assert_eq!(nl("0800-FLOWERS").value, None);
    assert_eq!(nl("06 1234 5678 ext 12").value, None);
    assert_eq!(nl("3.16E+10").value, None);
}

#[test]
fn artefacts_around_a_number_are_removed_and_reported() {
    for (input, expected) in [
        ("'0612345678", "31612345678"),
        ("\u{2019}+31 6 12345678", "31612345678"),
        ("=\"0612345678\"", "31612345678"),
        ("=+31 6 12345678", "31612345678"),
        ("\u{ff0b}\u{ff13}\u{ff11} 6 12345678", "31612345678"),
        ("\u{ff08}010\u{ff09}7989525", "31107989525"),
        ("0612345678,", "31612345678"),
        ("06 12345678 ;", "31612345678"),
        ("0612345678+", "31612345678"),
        ("0612345678.", "31612345678"),
    ] {
        let o = nl(input);
        assert_eq!(digits(&o), Some(expected), "{input}");
        assert_eq!(codes(&o)[0], "phone.artefact", "{input}");
        assert_eq!(o.notes[0].severity, Severity::Fix, "{input}");
    }
    let o = nl("=\"0612345678\"");
    assert!(
        o.notes[0].message.contains("text marker"),
        "{}",
        o.notes[0].message
    );
    // A star is a separator to the library, as to this rule.
    let o = nl("06*12345678");
    assert_eq!(digits(&o), Some("31612345678"));
    // Two numbers, a star code or a list are no single number.
    for input in ["0612345678, 0687654321", "0612345678#", ",", "'", "=\"\""] {
        assert_eq!(digits(&nl(input)), None, "{input}");
    }
}

#[test]
fn spaces_the_library_does_not_read_are_refused_by_name() {
    for space in ['\u{2009}', '\u{202f}', '\u{2007}'] {
        let input = format!("06{space}12345678");
        let o = nl(&input);
        assert_eq!(digits(&o), None, "{input:?}");
        assert_eq!(codes(&o), ["phone.invalid_chars"], "{input:?}");
        let expected = format!("the space U+{:04X}", u32::from(space));
        assert!(
            o.notes[0].message.contains(&expected),
            "{}",
            o.notes[0].message
        );
    }
    assert_eq!(digits(&nl("06\u{a0}12345678")), Some("31612345678"));
}

#[test]
fn invalid_numbers_are_warnings_with_a_reason() {
    let o = nl("+97233142764978");
    assert_eq!(o.value, None);
    assert_eq!(codes(&o), ["phone.invalid"]);
    assert_eq!(o.notes[0].severity, Severity::Warning);
    assert!(
        o.notes[0].message.contains("country code 972 (IL)"),
        "{}",
        o.notes[0].message
    );

    let short = nl("+31 6 1234");
    assert_eq!(short.value, None);
    assert!(
        short.notes[0].message.contains("too short"),
        "{:?}",
        short.notes
    );

    let unknown = nl("+999 123456");
    assert!(
        unknown.notes[0].message.contains("country code"),
        "{:?}",
        unknown.notes
    );

    for input in [
        "+",
        "--",
        "12",
        "+31 6 1234 5678 +1",
        "0",
        "000",
        "123456789012345678901",
    ] {
        let o = nl(input);
        assert_eq!(o.value, None, "{input}");
        assert_eq!(codes(&o), ["phone.invalid"], "{input}");
    }
}

#[test]
fn mobile_detection() {
    assert_eq!(
        nl("31612345678").value.and_then(|p| p.is_mobile()),
        Some(true)
    );
    assert_eq!(
        nl("31201234567").value.and_then(|p| p.is_mobile()),
        Some(false)
    );
    assert_eq!(nl("12025550173").value.and_then(|p| p.is_mobile()), None);
}

#[test]
fn restores_a_dropped_leading_zero() {
    let o = restore_dropped_zero("612345678", Country::NL);
    assert_eq!(digits(&o), Some("31612345678"));
    assert_eq!(codes(&o), ["phone.leading_zero_restored"]);
    let o = restore_dropped_zero("31612345678", Country::NL);
    assert_eq!(digits(&o), Some("31612345678"));
    assert!(o.notes.is_empty());
    let o = restore_dropped_zero("1234", Country::NL);
    assert_eq!(o.value, None);
    assert_eq!(codes(&o), ["phone.invalid"]);
    let o = restore_dropped_zero("06 12345678", Country::NL);
    assert_eq!(codes(&o), ["phone.national"]);
}

#[test]
fn unknown_default_country() {
    let xx = Country(*b"XX");
    assert!(!xx.is_known());
    assert_eq!(xx.calling_code(), None);
    assert!(Country::NL.is_known());
    assert_eq!(Country::NL.calling_code(), Some(31));
    let o = normalize_phone("0612345678", xx);
    assert_eq!(o.value, None);
    assert!(o.notes[0].message.contains("XX"));
    // International numbers need no default country.
    assert_eq!(
        digits(&normalize_phone("+31612345678", xx)),
        Some("31612345678")
    );
}

#[test]
fn usable_from_several_threads() {
    let handles: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                (0..200)
                    .filter(|n| {
                        nl(&format!("06 {:08}", 12_000_000 + i * 1000 + n))
                            .value
                            .is_some()
                    })
                    .count()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().ok(), Some(200));
    }
}

#[test]
fn validity_is_having_a_number_type() {
    // `validated` relies on this equivalence to ask the metadata once.
    for input in [
        "+31612345678",
        "+3161234567",
        "+31201234567",
        "+12025550173",
        "+18001234567",
        "+80012345678",
        "+97233142764978",
        "+4930123456",
        "+390612345678",
        "+3190012345",
        "+882345678901",
        "+979123456789",
        "+44 7400 123456",
        "+7 912 345 67 89",
    ] {
        if let Ok(n) = rlibphonenumber::PHONE_NUMBER_UTIL.parse(input, None) {
            assert_eq!(
                n.is_valid(),
                n.get_type() != PhoneNumberType::Unknown,
                "{input}"
            );
        }
    }
}

#[test]
fn a_number_with_its_country_given_is_read_in_that_country() {
    let cy = Country::parse("CY").unwrap();
    let out = normalize_phone_in("99 123456", cy);
    assert_eq!(
        out.value.map(|p| p.digits().to_string()).as_deref(),
        Some("35799123456")
    );
    assert!(
        out.notes.iter().all(|n| n.code != "phone.assumed_national"),
        "{:?}",
        out.notes
    );
    let be = Country::parse("BE").unwrap();
    let out = normalize_phone_in("0471 90 49 99", be);
    assert_eq!(
        out.value.map(|p| p.digits().to_string()).as_deref(),
        Some("32471904999")
    );
    assert!(normalize_phone_in("12", be).value.is_none());
}

// The direct reading (numbers built from their digits without the parser) must be
// indistinguishable from parsing. These tests compare the two.

use proptest::prelude::*;

const COUNTRIES: [&str; 10] = ["NL", "BE", "DE", "FR", "GB", "US", "IT", "AR", "CY", "XX"];

fn country(code: &str) -> Country {
    Country::parse(code).unwrap_or(Country::NL)
}

fn region(code: &str) -> Region {
    country(code).region().unwrap_or(Region::NL)
}

/// A written phone number: a prefix, a country code or not, a trunk zero or `(0)` or not,
/// digits shaped like real numbers of several countries or random, and separators.
fn written_number() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec!["+", "00", "0", "", "", "+0", "000", "+ "]);
    let code = prop::sample::select(vec![
        "31", "32", "49", "33", "44", "1", "39", "54", "", "", "7", "36", "61", "357", "999",
        "800", "3",
    ]);
    let trunk = prop::sample::select(vec!["", "", "", "0", "(0)", " (0) ", "15", "9", "1"]);
    let digits = prop_oneof![
        "[0-9]{0,18}",
        "(6|20|10|4[6-9]|15[0-9]|17[0-9]|30|7[4-9]|3[0-9]|11|911|0[1-9]|[2-9][0-9]{2})[0-9]{4,9}",
    ];
    let separator = prop::sample::select(vec![" ", "-", ".", "/", "–", "\u{a0}"]);
    (prefix, code, trunk, digits, 0usize..5, separator).prop_map(
        |(prefix, code, trunk, digits, every, separator)| {
            let mut nsn = String::new();
            for (i, c) in digits.chars().enumerate() {
                if every > 0 && i > 0 && i % every == 0 {
                    nsn.push_str(separator);
                }
                nsn.push(c);
            }
            format!("{prefix}{code}{trunk}{nsn}")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn direct_reading_equals_parsing(input in written_number(), code in prop::sample::select(COUNTRIES.to_vec())) {
        let c = country(code);
        prop_assert_eq!(
            normalize(&input, c, Reading::Direct),
            normalize(&input, c, Reading::ParserOnly)
        );
        prop_assert_eq!(
            normalize_in(&input, c, Reading::Direct),
            normalize_in(&input, c, Reading::ParserOnly)
        );
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        prop_assert_eq!(
            restore(&digits, c, Reading::Direct),
            restore(&digits, c, Reading::ParserOnly)
        );
    }

    /// The built number is the parser's number, field by field, not just the same outcome.
    #[test]
    fn built_numbers_are_the_parsers_numbers(input in written_number(), code in prop::sample::select(COUNTRIES.to_vec())) {
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        let parsed = PHONE_NUMBER_UTIL.parse(format!("+{digits}"), None);
        match direct::international(&digits) {
            Some(direct::Built::Exact(built)) => {
                prop_assert_eq!(Ok(&built), parsed.as_ref());
                prop_assert_eq!(e164_digits(&built, Reading::Direct), e164_digits(&built, Reading::ParserOnly));
            }
            Some(direct::Built::IfValid(built)) if built.is_valid() => {
                prop_assert_eq!(Ok(&built), parsed.as_ref())
            }
            _ => {}
        }
        let parsed = PHONE_NUMBER_UTIL.parse(&digits, Some(region(code)));
        match direct::national(&digits, region(code)) {
            Some(direct::Built::Exact(built)) => prop_assert_eq!(Ok(&built), parsed.as_ref()),
            Some(direct::Built::IfValid(built)) if built.is_valid() => {
                prop_assert_eq!(Ok(&built), parsed.as_ref())
            }
            _ => {}
        }
        if let Ok(parsed) = parsed {
            prop_assert_eq!(e164_digits(&parsed, Reading::Direct), e164_digits(&parsed, Reading::ParserOnly));
        }
    }

    /// Parentheses are only punctuation: a `(0)` reads as the `0` it holds, which the
    /// library drops or keeps by the country's rules.
    #[test]
    fn a_zero_in_parentheses_is_the_zero(input in written_number(), code in prop::sample::select(COUNTRIES.to_vec())) {
        let c = country(code);
        let plain = input.replace("(0)", "0").replace(" (0) ", " 0 ");
        prop_assert_eq!(normalize(&input, c, Reading::Direct).value, normalize(&plain, c, Reading::Direct).value);
    }
}

#[test]
fn metadata_patterns_are_read() {
    use rlibphonenumber::interfaces::AsOriginal;
    let national_prefix = |code: &str, digits: &str| {
        let util = PHONE_NUMBER_UTIL.as_original();
        let metadata = util.get_metadata_for_region(region(code));
        let pattern = metadata.and_then(|m| m.national_prefix_for_parsing().pattern_base.clone());
        direct::literal_prefix(pattern.as_deref(), digits)
    };
    assert_eq!(national_prefix("NL", "0612345678"), Some(1));
    assert_eq!(national_prefix("NL", "612345678"), Some(0));
    assert_eq!(national_prefix("BE", "0470123456"), Some(1));
    assert_eq!(national_prefix("DE", "030123456"), Some(1));
    assert_eq!(national_prefix("GB", "07400123456"), Some(1));
    assert_eq!(national_prefix("US", "12025550173"), Some(1));
    assert_eq!(national_prefix("US", "2025550173"), Some(0));
    // Italy has no national prefix; Argentina's is a real regular expression.
    assert_eq!(national_prefix("IT", "0612345678"), Some(0));
    assert_eq!(national_prefix("AR", "91123456789"), None);
    assert_eq!(
        direct::literal_prefix(Some("^(?:0|180020)$"), "1800201234"),
        Some(6)
    );
    assert_eq!(direct::literal_prefix(Some("^(?:0[09])$"), "0012"), None);
}

#[test]
fn common_numbers_are_built_without_the_parser() {
    // If these fall back to the parser the results stay right but the speed is gone.
    for digits in ["31612345678", "32470123456", "4917612345678", "31201234567"] {
        assert!(direct::international(digits).is_some(), "{digits}");
    }
    for (digits, code) in [
        ("0612345678", "NL"),
        ("0470123456", "BE"),
        ("030123456", "DE"),
    ] {
        assert!(
            matches!(
                direct::national(digits, region(code)),
                Some(direct::Built::IfValid(_))
            ),
            "{digits} in {code}"
        );
    }
    assert!(matches!(
        direct::national("612345678", Region::NL),
        Some(direct::Built::Exact(_))
    ));
    // A trunk 0 after the country code is stripped as the parser strips it.
    for digits in ["310612345678", "320470123456", "49030123456"] {
        assert!(
            matches!(
                direct::international(digits),
                Some(direct::Built::IfValid(_))
            ),
            "{digits}"
        );
    }
    // The parser's own cases: a leading zero in Italy; a country code shared by regions.
    assert!(direct::international("390612345678").is_none());
    assert!(direct::international("4407400123456").is_none());
    assert!(direct::national("31612345678", Region::NL).is_none());
}

#[test]
fn decimals_are_written_like_display() {
    for n in [0, 7, 10, 31, 612345678, 99_999_999_999_999_999, u64::MAX] {
        let mut out = String::from("x");
        push_decimal(&mut out, n);
        assert_eq!(out, format!("x{n}"));
    }
}
