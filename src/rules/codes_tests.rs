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
        // Issue 12: more Dutch forms of address, and the title of non-binary people.
        ("Meneer", Gender::Male),
        ("Mejuffrouw", Gender::Female),
        ("vr.", Gender::Female),
        ("Mx.", Gender::Unknown),
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
        assert!(
            o.notes[0].message.contains(&format!("'{input}'")),
            "{input}"
        );
    }
    assert!(parse_country("UK").notes[0].message.contains("GB"));
}

#[test]
fn country_names_in_dutch_english_french_and_german() {
    // Issue 12: an operator's Dutch export.
    for (input, code) in [
        ("Nederland", *b"NL"),
        ("België", *b"BE"),
        ("Duitsland", *b"DE"),
        ("Belgique", *b"BE"),
        ("Deutschland", *b"DE"),
        ("Frankrijk", *b"FR"),
        ("belgie", *b"BE"),
        ("BELGIË", *b"BE"),
        ("Verenigd Koninkrijk", *b"GB"),
        ("United Kingdom", *b"GB"),
        ("Royaume-Uni", *b"GB"),
        ("Vereinigtes Königreich", *b"GB"),
        ("UK", *b"GB"),
        ("VK", *b"GB"),
        ("Verenigde Staten", *b"US"),
        ("VS", *b"US"),
        ("États-Unis", *b"US"),
        ("Etats Unis", *b"US"),
        ("Pays-Bas", *b"NL"),
        ("Niederlande", *b"NL"),
        ("Oostenrijk", *b"AT"),
        ("Österreich", *b"AT"),
        ("Zwitserland", *b"CH"),
        ("Suisse", *b"CH"),
        ("Turkije", *b"TR"),
        ("Türkei", *b"TR"),
        ("Marokko", *b"MA"),
        ("Curaçao", *b"CW"),
        ("Suriname", *b"SR"),
        ("Samoa", *b"WS"),
        ("American Samoa", *b"AS"),
        ("Holland", *b"NL"),
        ("The Netherlands", *b"NL"),
        ("Ivory Coast", *b"CI"),
        ("Côte d’Ivoire", *b"CI"),
        ("Cote d'Ivoire", *b"CI"),
    ] {
        let o = parse_country(input);
        assert_eq!(o.value, Some(code), "{input}: {:?}", o.notes);
        assert_eq!(codes(&o), ["country.name"], "{input}");
        assert_eq!(o.notes[0].severity, Severity::Fix);
    }
    let o = parse_country("Duitsland");
    assert!(
        o.notes[0].message.contains("'Duitsland'") && o.notes[0].message.contains("DE"),
        "{}",
        o.notes[0].message
    );
}

#[test]
fn names_of_more_than_one_place_are_refused() {
    for (input, named) in [
        ("Congo", "CD"),
        ("Kongo", "CG"),
        ("Korea", "KP"),
        ("Georgia", "US"),
        ("Virgin Islands", "VI"),
        ("Maagdeneilanden", "VG"),
    ] {
        let o = parse_country(input);
        assert_eq!(o.value, None, "{input}");
        assert_eq!(codes(&o), ["country.ambiguous"], "{input}");
        assert_eq!(o.notes[0].severity, Severity::Error);
        let message = &o.notes[0].message;
        assert!(
            message.contains(&format!("'{input}'")) && message.contains(named),
            "{message}"
        );
    }
    // The precise names are read.
    assert_eq!(parse_country("Congo-Kinshasa").value, Some(*b"CD"));
    assert_eq!(parse_country("Zuid-Korea").value, Some(*b"KR"));
    assert_eq!(parse_country("Georgië").value, Some(*b"GE"));
    assert_eq!(parse_country("Géorgie").value, Some(*b"GE"));
}

#[test]
fn abbreviations_never_shadow_codes() {
    // `R.-U.` (the United Kingdom in French) must not make `RU` (Russia) ambiguous, nor
    // `É.-U.` read `EU` as the United States: codes are read first, and two-letter names
    // that are codes or reserved codes are not names.
    assert_eq!(parse_country("RU").value, Some(*b"RU"));
    assert_eq!(codes(&parse_country("EU")), ["country.invalid"]);
    assert_eq!(codes(&parse_country("E.U.")), ["country.invalid"]);
    assert_eq!(codes(&parse_country("EL")), ["country.invalid"]);
    for (key, name) in COUNTRY_NAMES.iter() {
        let CountryName::One(code) = name else {
            continue;
        };
        let upper = key.to_ascii_uppercase();
        if upper.len() == 2 {
            assert!(celes::Country::from_alpha2(&upper).is_err(), "{key}");
            assert!(!RESERVED_CODES.contains(&upper.as_str()), "{key}");
        }
        // A name that is also a three-letter code is the same country's.
        if let Ok(c) = celes::Country::from_alpha3(&upper) {
            assert_eq!(c.alpha2.as_bytes(), code, "{key}");
        }
    }
}

#[test]
fn every_country_has_a_name_in_each_language() {
    // The data is loaded, for all four languages: each country's Dutch, French and German
    // name reads back as that country.
    let mut read = 0;
    for country in celes::Country::get_countries() {
        let code = alpha2(country.alpha2).unwrap();
        for locale in [locale!("en"), locale!("nl"), locale!("fr"), locale!("de")] {
            let display =
                RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default())
                    .expect("the display names are compiled in");
            let name = display.of(Region::try_from_str(country.alpha2).unwrap());
            let Some(name) = name else { continue };
            match COUNTRY_NAMES.get(&name_key(name)) {
                Some(CountryName::One(c)) => {
                    assert_eq!(*c, code, "{name}");
                    read += 1;
                }
                Some(CountryName::Several(_)) => {
                    assert!(
                        AMBIGUOUS_NAMES
                            .iter()
                            .any(|(n, _)| name_key(n) == name_key(name)),
                        "{name}"
                    )
                }
                None => panic!("{name} ({}) is not read", country.alpha2),
            }
        }
    }
    assert!(read > 240 * 4, "{read} names read");
}

mod name_keys {
    use super::super::name_key;
    use proptest::prelude::*;

    const NAMES: &[&str] = &[
        "België",
        "Verenigd Koninkrijk",
        "Royaume-Uni",
        "Vereinigtes Königreich",
        "Côte d’Ivoire",
        "São Tomé & Príncipe",
        "Österreich",
        "Curaçao",
        "Guinée-Bissau",
        "St. Kitts & Nevis",
        "Bosnië en Herzegovina",
        "Îles Åland",
        "Weißrussland",
        "Pays-Bas",
    ];

    fn without_accents(s: &str) -> String {
        use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
        s.nfd().filter(|c| !is_combining_mark(*c)).collect()
    }

    #[test]
    fn examples() {
        assert_eq!(name_key("  BELGIË "), "belgie");
        assert_eq!(name_key("Royaume-Uni"), name_key("royaume uni"));
        assert_eq!(name_key("Côte d’Ivoire"), "cotedivoire");
        assert_eq!(name_key("Weißrussland"), name_key("WEISSRUSSLAND"));
        assert_eq!(name_key("É.-U."), "eu");
        assert_eq!(name_key(""), "");
        assert_eq!(name_key(" -.'"), "");
    }

    proptest! {
        /// Case, accents, punctuation and white space around or between the words do not
        /// change the key.
        #[test]
        fn spelling_variants_share_a_key(
            name in prop::sample::select(NAMES),
            upper in any::<bool>(),
            plain in any::<bool>(),
            separator in prop::sample::select(vec![" ", "-", "  ", ". ", "\u{a0}", "", "'"]),
            before in "[ \t]{0,3}",
            after in "[ \t.]{0,3}",
        ) {
            let mut variant = name.replace([' ', '-'], separator);
            if plain { variant = without_accents(&variant); }
            if upper { variant = variant.to_uppercase(); }
            let variant = format!("{before}{variant}{after}");
            prop_assert_eq!(name_key(&variant), name_key(name));
        }

        /// A key is its own key, and holds only letters (in lower case where they have one) and
        /// digits.
        #[test]
        fn keys_are_normal(s in "\\PC{0,24}") {
            let key = name_key(&s);
            prop_assert_eq!(name_key(&key), key.clone());
            prop_assert!(
                key.chars().all(|c| c.is_alphanumeric() && c.to_lowercase().eq([c])),
                "{key:?}"
            );
        }
    }
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
