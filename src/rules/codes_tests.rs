use super::*;
use crate::issue::Severity;

fn codes<T>(o: &Outcome<T>) -> Vec<&'static str> {
    o.notes.iter().map(|n| n.code).collect()
}

#[test]
fn gender_exact_codes_pass() {
    for (input, g) in [
        ("M", Gender::Male),
        ("F", Gender::Female),
        ("U", Gender::Unknown),
    ] {
        let o = parse_gender(input);
        assert_eq!(o.value, Some(g));
        assert!(o.notes.is_empty());
    }
}

#[test]
fn gender_words_are_mapped() {
    for (input, g) in [
        ("m", Gender::Male),
        ("Man", Gender::Male),
        ("Dhr.", Gender::Male),
        ("Herr", Gender::Male),
        ("vrouw", Gender::Female),
        ("Mevr.", Gender::Female),
        ("V", Gender::Female),
        ("Frau", Gender::Female),
        ("Mme", Gender::Female),
        ("onbekend", Gender::Unknown),
        ("X", Gender::Unknown),
        ("Unknown", Gender::Unknown),
    ] {
        let o = parse_gender(input);
        assert_eq!(o.value, Some(g), "{input}");
        assert_eq!(codes(&o), ["gender.mapped"], "{input}");
    }
}

#[test]
fn gender_unknown_words_are_errors() {
    for input in ["Q", "mannen", "0", "-"] {
        let o = parse_gender(input);
        assert_eq!(o.value, None, "{input}");
        assert_eq!(codes(&o), ["gender.invalid"]);
        assert_eq!(o.notes[0].severity, Severity::Error);
    }
}

#[test]
fn booleans() {
    assert_eq!(parse_boolean("1"), Outcome::ok(true));
    assert_eq!(parse_boolean("0"), Outcome::ok(false));
    for (input, v) in [
        ("Ja", true),
        ("nee", false),
        ("TRUE", true),
        ("falsch", false),
        ("x", true),
        ("N", false),
    ] {
        let o = parse_boolean(input);
        assert_eq!(o.value, Some(v), "{input}");
        assert_eq!(codes(&o), ["boolean.mapped"], "{input}");
    }
    for input in ["2", "maybe", "-1"] {
        assert_eq!(codes(&parse_boolean(input)), ["boolean.invalid"], "{input}");
    }
}

#[test]
fn countries() {
    assert_eq!(parse_country("NL"), Outcome::ok(*b"NL"));
    let o = parse_country("nl");
    assert_eq!(o.value, Some(*b"NL"));
    assert_eq!(codes(&o), ["country.case"]);
    let o = parse_country("DEU");
    assert_eq!(o.value, Some(*b"DE"));
    assert_eq!(codes(&o), ["country.alpha3"]);
    let o = parse_country("The Netherlands");
    assert_eq!(o.value, Some(*b"NL"));
    assert_eq!(codes(&o), ["country.name"]);
    assert_eq!(parse_country("Germany").value, Some(*b"DE"));
    for input in ["XX", "Nederlandia", "N", "ZZZ"] {
        let o = parse_country(input);
        assert_eq!(o.value, None, "{input}");
        assert_eq!(codes(&o), ["country.invalid"], "{input}");
    }
    assert!(parse_country("UK").notes[0].message.contains("GB"));
}

#[test]
fn currencies() {
    assert_eq!(parse_currency("EUR"), Outcome::ok(*b"EUR"));
    let o = parse_currency("eur");
    assert_eq!(o.value, Some(*b"EUR"));
    assert_eq!(codes(&o), ["currency.case"]);
    let o = parse_currency("€");
    assert_eq!(o.value, Some(*b"EUR"));
    assert_eq!(codes(&o), ["currency.symbol"]);
    for input in ["EU", "EURO", "ABC", "XXX", "XAU", "$"] {
        assert_eq!(
            codes(&parse_currency(input)),
            ["currency.invalid"],
            "{input}"
        );
    }
}

#[test]
fn currency_decimals_come_from_iso_4217() {
    assert_eq!(currency_decimals("EUR"), Some(2));
    assert_eq!(currency_decimals("JPY"), Some(0));
    assert_eq!(currency_decimals("BHD"), Some(3));
    assert_eq!(currency_decimals("XXX"), None);
    assert_eq!(currency_decimals("eur"), None);
}
