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

#[test]
fn text_values_show_their_unit() {
    for input in ["4500", "+4500", " 0012 ", "-500", "1.234.567", "1 234"] {
        assert_eq!(text_shows(input), Shows::Whole, "{input}");
    }
    for input in [
        "45,00", "12.5", "€ 45", "45 EUR", "$12", "1.234", "1.234,56", "-12,50", "EUR 3",
    ] {
        assert_eq!(text_shows(input), Shows::Decimals, "{input}");
    }
    for input in [
        "0", "000", "0,00", "€ 0", "", "n.v.t.", "abc 12", "12 euro", "1,2,3",
    ] {
        assert_eq!(text_shows(input), Shows::Nothing, "{input}");
    }
}

#[test]
fn number_cells_in_major_units_are_exact() {
    let o = number_major(12.5, None, None);
    assert_eq!(o.value, Some(Cents(1250)));
    assert_eq!(codes(&o), ["amount.converted"]);
    let o = number_major(45.0, Some("EUR"), Some("#,##0.00"));
    assert_eq!(o.value, Some(Cents(4500)));
    assert_eq!(codes(&o), ["amount.from_format"]);
    assert!(
        o.notes[0].message.contains("'#,##0.00'"),
        "{}",
        o.notes[0].message
    );
    assert_eq!(
        number_major(0.1 + 0.2, None, None).value,
        None,
        "0.30000000000000004"
    );
    assert_eq!(
        number_major(1234.0, Some("JPY"), None).value,
        Some(Cents(1234))
    );
    assert_eq!(codes(&number_major(-1.5, None, None)), ["amount.negative"]);
    assert_eq!(codes(&number_major(1e30, None, None)), ["amount.too_large"]);
    assert_eq!(
        codes(&number_major(f64::NAN, None, None)),
        ["number.invalid"]
    );
}

#[test]
fn a_number_with_more_decimals_than_the_currency_is_a_precision_error() {
    // A number cell has no thousands separators: 12.345 is not 12345, nor ambiguous.
    let o = number_major(12.345, None, Some("0.000"));
    assert_eq!(codes(&o), ["amount.precision"]);
    assert_eq!(o.notes[0].severity, Severity::Error);
    let m = &o.notes[0].message;
    assert!(
        m.contains("12.345 has 3 decimals")
            && m.contains("at most 2 decimals")
            && !m.contains("can be read as"),
        "{m}"
    );
    let o = number_major(12.5, Some("JPY"), None);
    assert!(o.notes[0].message.contains("no decimals"), "{:?}", o.notes);
}

proptest::proptest! {
    /// Every amount of cents, as the number a spreadsheet holds for it in euros, converts back
    /// to exactly those cents.
    #[test]
    fn euros_in_number_cells_convert_exactly(cents in 0u64..1_000_000_000_000) {
        let euros = cents as f64 / 100.0;
        // The reader keeps 15 significant digits, as a spreadsheet shows them.
        let shown: f64 = format!("{euros:.14e}").parse().unwrap();
        proptest::prop_assert_eq!(number_major(shown, None, None).value, Some(Cents(cents)));
    }

    /// A third decimal is always refused, never rounded away.
    #[test]
    fn a_third_decimal_is_refused(mills in 0u64..1_000_000_000, last in 1u64..10) {
        let x = (mills * 10 + last) as f64 / 1000.0;
        let shown: f64 = format!("{x:.14e}").parse().unwrap();
        let o = number_major(shown, None, None);
        proptest::prop_assert_eq!(o.value, None);
        proptest::prop_assert_eq!(codes(&o), vec!["amount.precision"]);
    }

    /// What a text shows agrees with how cents are read: decimals are never taken for cents,
    /// and a plain whole number always is.
    #[test]
    fn what_a_text_shows_agrees_with_reading_cents(raw in "[+-]?(€ ?|EUR ?|\\$)?[0-9]{1,7}([.,][0-9]{1,3})?( ?€)?") {
        let minor = parse_cents(&raw, AmountUnit::Minor, None);
        match text_shows(&raw) {
            Shows::Decimals => proptest::prop_assert_eq!(minor.value, None),
            Shows::Whole if raw.bytes().all(|b| b.is_ascii_digit() || b == b'+') => {
                proptest::prop_assert!(minor.value.is_some())
            }
            _ => {}
        }
    }
}
