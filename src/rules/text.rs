//! Text cleaning shared by every field: trim, fold inner white space, NFC.
//! (stub: being implemented)

use std::borrow::Cow;

use crate::issue::Note;

/// Cleans a raw value: trims it, turns tabs and line breaks into single spaces and normalizes
/// it to NFC. Returns the cleaned text and a fix note for each kind of change made.
pub fn clean(input: &str) -> (Cow<'_, str>, Vec<Note>) {
    let t = input.trim();
    if t.len() == input.len() {
        (Cow::Borrowed(input), Vec::new())
    } else {
        (
            Cow::Owned(t.to_string()),
            vec![Note::fix("text.trimmed", "surrounding white space removed")],
        )
    }
}

/// The length in Unicode characters (after NFC), as the specification's limits count it.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// True for text a spreadsheet would run as a formula (stub).
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with('=') || s.starts_with('@')
}
