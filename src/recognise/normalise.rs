//! Header normalisation: the form in which an export's header and the registry's known names
//! are compared.

use unicode_normalization::UnicodeNormalization;

/// Lower-case words of a header: parenthesised hints dropped (`Datum (dd-mm-jjjj)`), accents
/// removed (`é` → `e`, `ß` → `ss`), camelCase (`POCity` → `po city`) and letter/digit
/// boundaries split, every run of other characters (`_`, `-`, `.`, `:`, `/`, spaces) one space.
pub fn words(header: &str) -> String {
    let mut bare = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    if bare.trim().is_empty() {
        bare = header.to_string();
    }
    let mut out = String::with_capacity(bare.len() + 8);
    let mut prev: Option<char> = None;
    let chars: Vec<char> = bare
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    for (at, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            if let Some(p) = prev {
                // `invoiceDate`, and an acronym before a word: `POCity`, `VATAmount`.
                let next_lower = chars.get(at + 1).is_some_and(|n| n.is_lowercase());
                let camel = (p.is_lowercase() && upper(c)) || (upper(p) && upper(c) && next_lower);
                let digit = p.is_alphabetic() != c.is_alphabetic() && p.is_alphanumeric();
                if camel || digit {
                    out.push(' ');
                }
            }
            if c == 'ß' {
                out.push_str("ss");
            } else {
                out.extend(c.to_lowercase().filter(|l| {
                    l.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(*l)
                }));
            }
            prev = Some(c);
        } else {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            prev = None;
        }
    }
    out.trim().to_string()
}

/// A capital that has a small letter: `🅐` is upper case but has none, so it stays as it is
/// and must not split words (or a second normalisation would split where the first did not).
fn upper(c: char) -> bool {
    c.is_uppercase() && !c.to_lowercase().eq(std::iter::once(c))
}

/// The words without spaces: `Deb.nr.`, `DebNr` and `deb_nr` are all `debnr`.
pub fn compact(header: &str) -> String {
    words(header).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spellings_meet() {
        assert_eq!(compact("Deb.nr."), "debnr");
        assert_eq!(compact("DebNr"), "debnr");
        assert_eq!(words("invoiceExpirationDate"), "invoice expiration date");
        assert_eq!(words("vestigingsAdres.straat"), "vestigings adres straat");
        assert_eq!(words("Datum (dd-mm-jjjj)"), "datum");
        assert_eq!(words("Geslacht"), words("GESLACHT"));
        assert_eq!(compact("Fälligkeitsdatum"), "falligkeitsdatum");
        assert_eq!(words("Phone2"), "phone 2");
        assert_eq!(words("POCity"), "po city");
        assert_eq!(words("SAPostalCode"), "sa postal code");
        assert_eq!(words("VATAmountDC"), "vat amount dc");
        assert_eq!(words("Partner/Zip"), "partner zip");
        assert_eq!(words("family_name_prefix"), "family name prefix");
        // Found by the property test: a capital without a small letter splits nothing.
        assert_eq!(words("Ę🅐"), words(&words("Ę🅐")));
        assert_eq!(compact("E-mail"), compact("Email"));
        assert_eq!(compact("Toev. aan huisnr."), "toevaanhuisnr");
    }

    proptest! {
        #[test]
        fn normalising_is_idempotent_and_never_panics(s in "\\PC{0,30}") {
            let w = words(&s);
            prop_assert_eq!(words(&w), w.clone());
            prop_assert!(!w.contains("  "));
            prop_assert_eq!(w.trim(), w.as_str());
        }

        #[test]
        fn case_and_separators_do_not_matter(s in "[a-z]{1,8}( [a-z]{1,8}){0,3}", sep in "[ _.:-]") {
            let joined = s.replace(' ', &sep);
            prop_assert_eq!(compact(&joined), compact(&s.to_uppercase()));
        }
    }
}
