use super::*;
use crate::issue::Severity;

fn codes<T>(o: &Outcome<T>) -> Vec<&'static str> {
    o.notes.iter().map(|n| n.code).collect()
}

fn minor(input: &str) -> Outcome<Cents> {
    parse_cents(input, AmountUnit::Minor, None)
}

fn major(input: &str, currency: Option<&str>) -> Outcome<Cents> {
    parse_cents(input, AmountUnit::Major, currency)
}

#[test]
fn minor_units_pass_unchanged() {
    assert_eq!(minor("10050"), Outcome::ok(Cents(10050)));
    assert_eq!(minor("0"), Outcome::ok(Cents(0)));
    assert_eq!(minor("18446744073709551615"), Outcome::ok(Cents(u64::MAX)));
}

#[test]
fn minor_units_with_plus_or_zeros_are_reformatted() {
    for input in ["+100", "0100"] {
        let o = minor(input);
        assert_eq!(o.value, Some(Cents(100)));
        assert_eq!(codes(&o), ["amount.reformatted"]);
    }
}

#[test]
fn minor_units_refuse_decimals_with_a_pointer_to_major() {
    for input in ["100,50", "12.5"] {
        let o = minor(input);
        assert_eq!(o.value, None);
        assert_eq!(codes(&o), ["amount.decimal"]);
        assert_eq!(o.notes[0].severity, Severity::Error);
        assert!(
            o.notes[0].message.contains("--amounts major"),
            "{}",
            o.notes[0].message
        );
    }
    assert!(minor("100,50").notes[0].message.contains("10050"));
}

#[test]
fn minor_unit_errors() {
    assert_eq!(codes(&minor("-100")), ["amount.negative"]);
    assert_eq!(codes(&minor("-1,5")), ["amount.negative"]);
    assert_eq!(codes(&minor("18446744073709551616")), ["amount.too_large"]);
    for input in ["abc", "1 000", "12e3", "+", "-", "€ 12"] {
        assert_eq!(codes(&minor(input)), ["amount.invalid"], "{input}");
    }
}

#[test]
fn major_units_are_converted_exactly() {
    for (input, cents) in [
        ("1.234,56", 123456),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("1 234,56", 123456),
        ("1'234.56", 123456),
        ("€ 12,50", 1250),
        ("12,50 €", 1250),
        ("EUR 12.50", 1250),
        ("eur12.50", 1250),
        ("12,5", 1250),
        ("12", 1200),
        ("+12", 1200),
        ("0.10", 10),
        ("1.234.567", 123456700),
        ("1.234.567,89", 123456789),
        ("1234.5", 123450),
    ] {
        let o = major(input, None);
        assert_eq!(o.value, Some(Cents(cents)), "{input}");
        assert_eq!(codes(&o), ["amount.converted"], "{input}");
        assert_eq!(o.notes[0].severity, Severity::Fix);
    }
    assert!(major("€ 12,50", None).notes[0]
        .message
        .contains("12.50 EUR: 1250"));
}

#[test]
fn major_units_use_the_currency_decimals() {
    assert_eq!(major("1.234", Some("JPY")).value, Some(Cents(1234)));
    assert_eq!(major("1234", Some("JPY")).value, Some(Cents(1234)));
    assert_eq!(
        major("1,234", Some("BHD")).notes[0].code,
        "amount.ambiguous"
    );
    assert_eq!(major("0.125", Some("BHD")).value, Some(Cents(125)));
    assert_eq!(major("12.5", Some("BHD")).value, Some(Cents(12500)));
    // A currency without known decimals gets EUR's two.
    assert_eq!(major("12,50", Some("XYZ")).value, Some(Cents(1250)));
}

#[test]
fn major_unit_errors() {
    let o = major("1.234", None);
    assert_eq!(codes(&o), ["amount.ambiguous"]);
    assert!(
        o.notes[0].message.contains("1234"),
        "{}",
        o.notes[0].message
    );
    assert_eq!(codes(&major("12.345", None)), ["amount.ambiguous"]);
    assert_eq!(codes(&major("12.3456", None)), ["amount.precision"]);
    assert_eq!(codes(&major("1234.567", None)), ["amount.precision"]);
    assert_eq!(codes(&major("12,5", Some("JPY"))), ["amount.precision"]);
    assert_eq!(codes(&major("-12,50", None)), ["amount.negative"]);
    assert_eq!(codes(&major("€ -12,50", None)), ["amount.negative"]);
    assert_eq!(
        codes(&major("USD 12.50", Some("EUR"))),
        ["amount.currency_mismatch"]
    );
    assert_eq!(codes(&major("£ 12.50", None)), ["amount.currency_mismatch"]);
    assert_eq!(
        codes(&major("99999999999999999999,99", None)),
        ["amount.too_large"]
    );
    for input in [
        "abc",
        "12,50,3",
        "1.23.45",
        "1,234,56.7",
        "12.",
        ".5",
        "1..2",
        "12 50",
        "12,50 EUR EUR",
        "--12",
        "QQQ 12",
        "12a",
        "",
    ] {
        let o = major(input, None);
        assert_eq!(o.value, None, "{input}");
        assert_eq!(codes(&o), ["amount.invalid"], "{input}");
    }
}

#[test]
fn counts() {
    assert_eq!(parse_count("12"), Outcome::ok(12));
    assert_eq!(codes(&parse_count("012")), ["integer.reformatted"]);
    assert_eq!(codes(&parse_count("12.0")), ["integer.decimal"]);
    assert_eq!(codes(&parse_count("-3")), ["integer.negative"]);
    assert_eq!(
        codes(&parse_count("99999999999999999999")),
        ["integer.too_large"]
    );
    assert_eq!(codes(&parse_count("twelve")), ["integer.invalid"]);
}
