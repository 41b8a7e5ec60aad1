//! Splitting one cell into several fields: a combined address (`Dorpstraat 18a`), a combined
//! postcode and city (`1234 AB  Utrecht`), a full name, and reordering a sorted family name
//! (`Berg, van der`). Each splitter returns `None` when the value does not have the expected
//! shape: the caller then keeps the value whole and says so, it never guesses.

/// Words that go before a Dutch or Flemish family name (tussenvoegsels), lower case.
pub const NAME_PREFIXES: &[&str] = &[
    "van", "der", "den", "de", "het", "'t", "t", "ter", "te", "ten", "in", "op", "'s", "aan",
    "bij", "onder", "over", "uit", "voor", "la", "le", "du", "des", "di", "da", "von", "zu", "vd",
    "v/d", "d'",
];

/// Words after a house number that introduce an extension (Belgian `bus`, `box`).
const BOX_WORDS: &[&str] = &["bus", "box", "bte", "boite"];

/// The longest extension accepted: anything longer is more likely a city or a remark.
const MAX_EXTENSION_CHARS: usize = 8;

/// A combined address split into street, house number and extension (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub number: String,
    pub extension: String,
}

/// Splits `Dorpstraat 18a`, `Laan van Meerdervoort 1024-B`, `Postbus 12`, `Plein 1813 4`,
/// `Pastorijstraat 20 bus 34`. The house number is the last word that starts with a digit
/// (or the one before `bus`), the street everything before it, the extension what follows
/// the digits (a leading `-` or `/` dropped). `None` when there is no street before a number,
/// no number, or an implausibly long extension.
pub fn address(value: &str) -> Option<Address> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let starts_digit = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_digit());
    let mut at = words.iter().rposition(|w| starts_digit(w))?;
    if at >= 2
        && BOX_WORDS.contains(&words[at - 1].to_lowercase().as_str())
        && starts_digit(words[at - 2])
    {
        at -= 2;
    }
    if at == 0 {
        return None;
    }
    let token = words[at];
    let digits = token.chars().take_while(char::is_ascii_digit).count();
    let (number, rest) = token.split_at(digits);
    let rest = rest.trim_start_matches(['-', '/']);
    let mut extension: Vec<&str> = Vec::new();
    if !rest.is_empty() {
        extension.push(rest);
    }
    extension.extend(&words[at + 1..]);
    let extension = extension.join(" ");
    if extension.chars().count() > MAX_EXTENSION_CHARS
        || extension.contains(',')
        || !words[..at]
            .iter()
            .any(|w| w.chars().any(char::is_alphabetic))
    {
        return None;
    }
    Some(Address {
        street: words[..at].join(" "),
        number: number.to_string(),
        extension,
    })
}

/// Splits `1234 AB  Utrecht` (Dutch: the postcode written `1234 AB`) or `9000 Gent`
/// (Belgian: four digits) into postcode and city. `None` for anything else.
pub fn zipcode_city(value: &str) -> Option<(String, String)> {
    let v = value.trim();
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 || digits.starts_with('0') {
        return None;
    }
    let rest = &v[4..];
    let compact = rest.trim_start();
    let letters: String = compact.chars().take(2).collect();
    let after = compact.get(letters.len()..).unwrap_or("");
    let dutch = letters.len() == 2
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && after.starts_with(char::is_whitespace)
        && (letters.chars().all(|c| c.is_ascii_uppercase())
            || !rest.starts_with(char::is_whitespace));
    if compact.trim().len() == 2 && compact.trim().chars().all(|c| c.is_ascii_alphabetic()) {
        return None; // a Dutch postcode without a city
    }
    let (zip, city) = if dutch {
        (format!("{digits} {}", letters.to_uppercase()), after.trim())
    } else if rest.starts_with(char::is_whitespace) {
        (digits, compact.trim())
    } else {
        return None;
    };
    if city.is_empty()
        || !city.chars().any(char::is_alphabetic)
        || city.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((zip, city.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// `Berg, van der` → `van der Berg`: a family name written sorted, with its prefix after a
/// comma. `None` when the value is not of that form (a comma followed by other words).
pub fn reorder_family_name(value: &str) -> Option<String> {
    let (name, prefix) = value.split_once(',')?;
    let (name, prefix) = (name.trim(), prefix.trim());
    if name.is_empty() || prefix.is_empty() || prefix.contains(',') {
        return None;
    }
    let all_prefixes = prefix
        .split_whitespace()
        .all(|w| NAME_PREFIXES.contains(&w.to_lowercase().as_str()));
    all_prefixes.then(|| format!("{prefix} {name}"))
}

/// A full person name split into given name and family name: the first word is the given
/// name, the rest the family name with its prefixes (`Jan van den Heuvel`). `None` for a
/// single word. Applied only when the user confirmed the column holds person names.
pub fn full_name(value: &str) -> Option<(String, String)> {
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    Some((words[0].to_string(), words[1..].join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn a(s: &str) -> Option<(String, String, String)> {
        address(s).map(|a| (a.street, a.number, a.extension))
    }

    fn t(s: &str, n: &str, e: &str) -> Option<(String, String, String)> {
        Some((s.into(), n.into(), e.into()))
    }

    #[test]
    fn addresses_of_the_issue_and_the_edge_list() {
        assert_eq!(a("Dorpstraat 18a"), t("Dorpstraat", "18", "a"));
        assert_eq!(
            a("Laan van Meerdervoort 1024-B"),
            t("Laan van Meerdervoort", "1024", "B")
        );
        assert_eq!(a("Postbus 12"), t("Postbus", "12", ""));
        assert_eq!(a("Plein 1813 4"), t("Plein 1813", "4", ""));
        assert_eq!(
            a("Burgemeester de Withstraat 7 bis"),
            t("Burgemeester de Withstraat", "7", "bis")
        );
        assert_eq!(a("Kerkweg 3 hs"), t("Kerkweg", "3", "hs"));
        assert_eq!(a("Oranjestraat 12-III"), t("Oranjestraat", "12", "III"));
        assert_eq!(a("Haagweg 4 F12"), t("Haagweg", "4", "F12"));
        assert_eq!(
            a("Pastorijstraat 20 bus 34"),
            t("Pastorijstraat", "20", "bus 34")
        );
        assert_eq!(a("Spoorlaan 100A"), t("Spoorlaan", "100", "A"));
    }

    #[test]
    fn addresses_that_are_not_split() {
        assert_eq!(a("Dorpstraat"), None);
        assert_eq!(a("192 Market Square"), None);
        assert_eq!(a("Dorpstraat 5 Amsterdam Centrum"), None);
        assert_eq!(a(""), None);
    }

    #[test]
    fn postcode_and_city() {
        let z = |s: &str| zipcode_city(s);
        assert_eq!(
            z("1234 AB  Utrecht"),
            Some(("1234 AB".into(), "Utrecht".into()))
        );
        assert_eq!(
            z("1234AB Utrecht"),
            Some(("1234 AB".into(), "Utrecht".into()))
        );
        assert_eq!(
            z("2514 GL 's-Gravenhage"),
            Some(("2514 GL".into(), "'s-Gravenhage".into()))
        );
        assert_eq!(z("9000 Gent"), Some(("9000".into(), "Gent".into())));
        assert_eq!(z("Utrecht"), None);
        assert_eq!(z("1234 AB"), None);
    }

    #[test]
    fn sorted_family_names() {
        assert_eq!(
            reorder_family_name("Berg, van der").as_deref(),
            Some("van der Berg")
        );
        assert_eq!(
            reorder_family_name("Hek, van 't").as_deref(),
            Some("van 't Hek")
        );
        assert_eq!(reorder_family_name("Jansen, Piet"), None);
        assert_eq!(reorder_family_name("Jansen"), None);
    }

    proptest! {
        #[test]
        fn a_built_address_splits_back(
            street in "[A-Z][a-z]{2,12}( [a-z]{2,4})?( [A-Z][a-z]{2,10})?",
            number in 1u32..99999,
            ext in prop_oneof![Just(String::new()), "[a-zA-Z]{1,3}", "[A-Z]{1,3}".prop_map(|e| format!("-{e}"))],
        ) {
            let s = format!("{street} {number}{ext}");
            let got = address(&s).unwrap();
            prop_assert_eq!(got.street, street);
            prop_assert_eq!(got.number, number.to_string());
            prop_assert_eq!(got.extension, ext.trim_start_matches('-').to_string());
        }

        #[test]
        fn a_built_postcode_city_splits_back(
            digits in 1000u32..9999, letters in "[A-Z]{2}", gap in " {1,3}", city in "[A-Z][a-z]{2,12}( [a-z]{2,8})?"
        ) {
            let s = format!("{digits} {letters}{gap}{city}");
            prop_assert_eq!(zipcode_city(&s), Some((format!("{digits} {letters}"), city)));
        }

        #[test]
        fn splitters_never_panic(s in "\\PC{0,40}") {
            let _ = address(&s);
            let _ = zipcode_city(&s);
            let _ = reorder_family_name(&s);
            let _ = full_name(&s);
        }
    }
}
