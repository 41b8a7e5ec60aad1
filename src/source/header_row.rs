//! A header row given by number (`--header-row N`, a profile's `[read] header_row`): the
//! readers start at that row, and refuse it when it does not look like a header.
//!
//! Rows above the given header are never data. A header is names: a row that is empty, or
//! holds a number or a date, is no header, and reading on from it would deliver the wrong
//! values under the wrong names.

use super::Cell;

/// Why a row is not a header: the column (1-based) and value at fault, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotAHeader {
    pub column: Option<usize>,
    pub value: String,
    pub what: &'static str,
}

/// `None` when the cells look like a header (some text, no numbers or dates).
pub(crate) fn not_a_header(cells: &[Cell]) -> Option<NotAHeader> {
    if cells.iter().all(Cell::is_blank) {
        return Some(NotAHeader {
            column: None,
            value: String::new(),
            what: "the row is empty",
        });
    }
    cells.iter().enumerate().find_map(|(i, c)| {
        let what = match c {
            Cell::Int(_) | Cell::Float(_) | Cell::Formatted { .. } => "a number",
            Cell::Date(_) | Cell::DateTime(_) => "a date",
            Cell::Text(t) if looks_like_number(t.trim()) => "a number",
            Cell::Text(t) if looks_like_date(t.trim()) => "a date",
            _ => return None,
        };
        Some(NotAHeader {
            column: Some(i + 1),
            value: c.display(),
            what,
        })
    })
}

/// `1234`, `-12,50`, `1.234,56`, `€ 12.00`: digits with separators, a sign, a currency sign.
fn looks_like_number(t: &str) -> bool {
    let body = t.trim_start_matches(['-', '+', '€', '$', ' ']);
    body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\''))
}

/// `14-03-2025`, `2025-03-14`, `3/14/2025`: three groups of digits with `-`, `/` or `.`.
fn looks_like_date(t: &str) -> bool {
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

/// The message for a header row the file does not reach, or that is empty.
pub(crate) fn header_missing(row: u64, why: &str) -> String {
    format!(
        "the header row was given as row {row} (--header-row or the profile's [read] header_row), but {why}: give the row number of the header as a spreadsheet shows it"
    )
}

/// The message for a header row that does not look like one.
pub(crate) fn header_refused(row: u64, why: &NotAHeader) -> String {
    let at = match why.column {
        Some(c) => format!(
            "column {c} holds '{}', {}",
            crate::shown::value(&why.value),
            why.what
        ),
        None => why.what.to_string(),
    };
    format!(
        "the header row was given as row {row} (--header-row or the profile's [read] header_row), but row {row} does not look like a header: {at}. Give the row number of the header as a spreadsheet shows it; nothing was read"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: &[&str]) -> Vec<Cell> {
        v.iter().map(|s| Cell::Text(s.to_string())).collect()
    }

    #[test]
    fn names_are_a_header_values_are_not() {
        assert_eq!(
            not_a_header(&text(&["Debiteur", "Adres2", "Bedrag (€)"])),
            None
        );
        let number = not_a_header(&text(&["D00101", "1.234,56"])).unwrap();
        assert_eq!((number.column, number.what), (Some(2), "a number"));
        let date = not_a_header(&text(&["Jansen", "14-03-2025"])).unwrap();
        assert_eq!((date.column, date.what), (Some(2), "a date"));
        assert_eq!(not_a_header(&[Cell::Int(7)]).unwrap().what, "a number");
        assert_eq!(
            not_a_header(&text(&["", " "])).unwrap().what,
            "the row is empty"
        );
        // Digits inside a name are no number.
        assert_eq!(not_a_header(&text(&["Adresregel 1", "Telefoon 2"])), None);
    }

    #[test]
    fn the_refusal_names_row_column_and_value() {
        let why = not_a_header(&text(&["Jansen", "12,50"])).unwrap();
        let m = header_refused(3, &why);
        assert!(
            m.contains("row 3") && m.contains("column 2") && m.contains("'12,50'"),
            "{m}"
        );
    }
}
