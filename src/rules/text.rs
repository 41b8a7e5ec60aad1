//! Text cleaning shared by every field: trim, fold line breaks, drop control characters, NFC.
//!
//! Rules (each kind of change gives one fix note, at most once per value):
//! - `text.control_removed`: control characters (NUL, other C0/C1 controls except the white
//!   space ones below) and byte order marks (U+FEFF) are removed.
//! - `text.whitespace`: a run of white space inside the value that holds a tab, a line break
//!   (CR, LF, VT, FF, NEL, U+2028, U+2029) becomes one space. Runs of plain spaces are kept as
//!   they are: they are not wrong, only unusual.
//! - `text.trimmed`: white space (any Unicode white space) at either end is removed.
//! - `text.nfc`: the text is put in Unicode normalization form C, so that `é` is one character
//!   wherever it came from and lengths are counted the same way as the receiver counts them.
//!
//! A value that needs no change is returned borrowed, without allocating.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::issue::Note;

/// Cleans a raw value: trims it, turns tabs and line breaks into single spaces, removes control
/// characters and normalizes it to NFC. Returns the cleaned text and a fix note for each kind
/// of change made.
pub fn clean(input: &str) -> (Cow<'_, str>, Vec<Note>) {
    if is_clean(input) {
        return (Cow::Borrowed(input), Vec::new());
    }
    let mut out = String::with_capacity(input.len());
    let mut notes = Vec::new();
    let mut removed = false;
    let mut folded = false;
    let mut trimmed = false;
    // The pending run of white space since the last kept character.
    let mut run = String::new();
    let mut run_has_break = false;
    for c in input.chars() {
        if is_removed(c) {
            removed = true;
        } else if c.is_whitespace() {
            run.push(c);
            run_has_break |= is_break(c);
        } else {
            if !run.is_empty() {
                if out.is_empty() {
                    trimmed = true;
                } else if run_has_break {
                    out.push(' ');
                    folded = true;
                } else {
                    out.push_str(&run);
                }
                run.clear();
                run_has_break = false;
            }
            out.push(c);
        }
    }
    if !run.is_empty() {
        trimmed = true;
    }
    if removed {
        notes.push(Note::fix(
            "text.control_removed",
            "control characters (such as NUL or a byte order mark) removed",
        ));
    }
    if folded {
        notes.push(Note::fix(
            "text.whitespace",
            "tabs and line breaks inside the value replaced by a single space",
        ));
    }
    if trimmed {
        notes.push(Note::fix(
            "text.trimmed",
            "white space at the start or end removed",
        ));
    }
    if is_nfc_quick(out.chars()) != IsNormalized::Yes {
        let nfc: String = out.nfc().collect();
        if nfc != out {
            out = nfc;
            notes.push(Note::fix(
                "text.nfc",
                "accented characters written in Unicode's composed form (NFC)",
            ));
        }
    }
    if notes.is_empty() {
        (Cow::Borrowed(input), notes)
    } else {
        (Cow::Owned(out), notes)
    }
}

/// The fast check: true when `clean` has nothing to change.
fn is_clean(s: &str) -> bool {
    let bytes = s.as_bytes();
    if s.is_ascii() {
        let edges_ok = match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => *first != b' ' && *last != b' ',
            _ => true,
        };
        return edges_ok && bytes.iter().all(|b| (0x20..0x7f).contains(b));
    }
    let edges_ok = match (s.chars().next(), s.chars().next_back()) {
        (Some(first), Some(last)) => !first.is_whitespace() && !last.is_whitespace(),
        _ => true,
    };
    edges_ok
        && !s.chars().any(|c| is_removed(c) || is_break(c))
        && is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// White space that separates lines or columns rather than words.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Characters that never belong in a delivered value.
fn is_removed(c: char) -> bool {
    (c.is_control() && !c.is_whitespace()) || c == '\u{feff}'
}

/// The length in Unicode characters (after NFC), as the specification's limits count it.
pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Whether a text value would be taken for a formula when the delivery file is opened in a
/// spreadsheet (formula injection).
///
/// Flagged: a value starting with `=` or `@`; a value starting with `+` or `-` unless the sign
/// is followed by a space (a list dash such as `- see note`) or the rest holds only digits and
/// number punctuation (`-12,50`, `+31 6-1234 5678`, `-`): at worst a spreadsheet shows such a
/// value as a number, it cannot call anything. So `+SUM(A1)`, `-cmd|' /C calc'!A0` and
/// `-2+3+cmd|'x'!A0` are flagged, `- see note` is not.
pub fn looks_like_formula(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some('=') | Some('@') => true,
        Some('+') | Some('-') => {
            let rest = chars.as_str();
            if rest.starts_with(' ') {
                return false;
            }
            !rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '/' | '(' | ')' | '-'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(notes: &[Note]) -> Vec<&'static str> {
        notes.iter().map(|n| n.code).collect()
    }

    #[test]
    fn clean_value_is_borrowed_without_notes() {
        for s in ["Jan Jansen", "", "Zoë", "a  b", "Straße 12"] {
            let (out, notes) = clean(s);
            assert!(matches!(out, Cow::Borrowed(_)), "{s:?}");
            assert_eq!(out, s);
            assert!(notes.is_empty(), "{s:?}");
        }
    }

    #[test]
    fn trims_surrounding_white_space() {
        let (out, notes) = clean("  Jan \u{a0}");
        assert_eq!(out, "Jan");
        assert_eq!(codes(&notes), ["text.trimmed"]);
        let (out, notes) = clean("\tJan\r\n");
        assert_eq!(out, "Jan");
        assert_eq!(codes(&notes), ["text.trimmed"]);
    }

    #[test]
    fn folds_tabs_and_line_breaks_into_one_space() {
        let (out, notes) = clean("Dorpsstraat 1\r\n\t2e etage");
        assert_eq!(out, "Dorpsstraat 1 2e etage");
        assert_eq!(codes(&notes), ["text.whitespace"]);
        let (out, notes) = clean("a \u{2028} b");
        assert_eq!(out, "a b");
        assert_eq!(codes(&notes), ["text.whitespace"]);
    }

    #[test]
    fn removes_control_characters() {
        let (out, notes) = clean("Ja\0n\u{7}\u{feff}");
        assert_eq!(out, "Jan");
        assert_eq!(codes(&notes), ["text.control_removed"]);
        let (out, notes) = clean(" \0 Jan");
        assert_eq!(out, "Jan");
        assert_eq!(codes(&notes), ["text.control_removed", "text.trimmed"]);
    }

    #[test]
    fn normalizes_to_nfc() {
        let (out, notes) = clean("Zoe\u{308}");
        assert_eq!(out, "Zoë");
        assert_eq!(char_len(&out), 3);
        assert_eq!(codes(&notes), ["text.nfc"]);
    }

    #[test]
    fn white_space_only_becomes_empty() {
        let (out, notes) = clean(" \t ");
        assert_eq!(out, "");
        assert_eq!(codes(&notes), ["text.trimmed"]);
    }

    #[test]
    fn char_len_counts_characters_not_bytes() {
        assert_eq!(char_len("Zoë"), 3);
        assert_eq!(char_len("€"), 1);
    }

    #[test]
    fn formulas_are_recognized() {
        for s in [
            "=1+1",
            "@SUM(A1)",
            "+SUM(A1:A2)",
            "-cmd|' /C calc'!A0",
            "-2+3+cmd|'x'!A0",
            "-A1",
        ] {
            assert!(looks_like_formula(s), "{s}");
        }
        for s in [
            "- see note",
            "-12,50",
            "+31 6 1234 5678",
            "-",
            "Jan",
            "jan@example.nl",
            "",
        ] {
            assert!(!looks_like_formula(s), "{s}");
        }
    }
}
