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
