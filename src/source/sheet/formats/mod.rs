//! Number formats: which number cells a spreadsheet shows with decimals or a currency.
//!
//! A reader fact, nothing more: a number cell `45` formatted `#,##0.00` is shown as `45,00`,
//! and the reader hands it on as [`Cell::Formatted`](crate::source::Cell::Formatted). What
//! that means for an amount column is decided in `rules::units`.
//!
//! - XLSX: calamine's cell reader gives each cell's style and the workbook's styles.
//! - XLS, XLSB, ODS: calamine reads no styles for them, so [`xls`], [`xlsb`] and [`ods`] walk
//!   the file's own style and cell records once, before calamine reads the sheet, and note the
//!   position of every number cell whose format shows decimals or a currency ([`FormatMap`]).
//!   When that is not possible (a damaged style part, a crafted file with millions of
//!   different runs), the reader says so once per file and amounts are judged by their values.

pub(crate) mod ods;
pub(crate) mod xls;
pub(crate) mod xlsb;

use std::collections::HashMap;
use std::sync::Arc;

/// What a number format shows, as far as amounts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shows {
    /// Whole numbers, or anything without decimals or a currency (`General`, `0`, `#,##0`, `@`).
    Plain,
    /// Decimal places (`0.00`, `#,##0.0`).
    Decimals,
    /// A currency sign or code (`€ #,##0.00`, `[$€-413] #,##0`, `"EUR "0`).
    Currency,
    /// Not a plain number at all: a percentage, scientific notation, a fraction, a date or
    /// time. No evidence about amounts.
    Other,
}

impl Shows {
    /// True for a format that shows an amount in major units.
    pub(crate) fn is_major(self) -> bool {
        matches!(self, Shows::Decimals | Shows::Currency)
    }
}

/// A currency sign: the Latin-1 ones and Unicode's Currency Symbols block, plus a few signs
/// from other blocks that exports use.
fn is_currency_sign(c: char) -> bool {
    matches!(
        c,
        '$' | '¢'
            | '£'
            | '¤'
            | '¥'
            | '\u{058F}'
            | '\u{060B}'
            | '\u{09F2}'
            | '\u{09F3}'
            | '\u{0E3F}'
            | '\u{17DB}'
            | '\u{20A0}'
            ..='\u{20CF}'
                | '\u{FDFC}'
                | '\u{FE69}'
                | '\u{FF04}'
                | '\u{FFE0}'
                | '\u{FFE1}'
                | '\u{FFE5}'
                | '\u{FFE6}'
    )
}

/// True when literal text in a format names a currency: a sign, or an ISO 4217 code as a word
/// (`"EUR "`).
fn names_currency(text: &str) -> bool {
    text.chars().any(is_currency_sign)
        || text
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() == 3 && iso_currency::Currency::from_code(w).is_some())
}

/// Classifies an Excel number format code (as XLSX, XLSB and XLS store them). Only the first
/// section counts: it is the one positive amounts are shown with.
pub(crate) fn classify(code: &str) -> Shows {
    let code = code.trim();
    if code.eq_ignore_ascii_case("general") || code.is_empty() {
        return Shows::Plain;
    }
    let mut currency = false;
    let mut decimals = false;
    let mut other = false;
    let mut digits_seen = false;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                let mut literal = String::new();
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    literal.push(q);
                }
                currency |= names_currency(&literal);
            }
            '\\' => {
                if let Some(l) = chars.next() {
                    currency |= is_currency_sign(l);
                }
            }
            // `_x` leaves the width of x, `*x` fills with x: neither shows x as text.
            '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for b in chars.by_ref() {
                    if b == ']' {
                        break;
                    }
                    inner.push(b);
                }
                if let Some(locale) = inner.strip_prefix('$') {
                    // `[$€-413]`: the text before `-` is shown; `[$-413]` is a locale only.
                    let shown = locale.split('-').next().unwrap_or("");
                    currency |= names_currency(shown) || !shown.trim().is_empty();
                } else if inner
                    .chars()
                    .next()
                    .is_some_and(|f| matches!(f.to_ascii_lowercase(), 'h' | 'm' | 's'))
                {
                    // `[h]:mm`: elapsed time.
                    other = true;
                }
                // Colours (`[Red]`) and conditions (`[>=100]`) show nothing.
            }
            '.' if chars.peek().is_some_and(|n| matches!(n, '0' | '#' | '?')) => {
                decimals = true;
            }
            '0' | '#' | '?' => digits_seen = true,
            '%' => other = true,
            'E' | 'e' if digits_seen && chars.peek().is_some_and(|n| matches!(n, '+' | '-')) => {
                other = true;
            }
            '/' if digits_seen => other = true,
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => other = true,
            'A' | 'a' if chars.peek().is_some_and(|n| matches!(n, 'M' | 'm' | '/')) => other = true,
            c if is_currency_sign(c) => currency = true,
            _ => {}
        }
    }
    if other {
        Shows::Other
    } else if currency {
        Shows::Currency
    } else if decimals {
        Shows::Decimals
    } else {
        Shows::Plain
    }
}

/// The format code of a built-in number format id (ECMA-376 18.8.30; the same ids in BIFF).
/// Ids 5 to 8 are the locale's currency formats: shown here with `$`, as in English Excel.
pub(crate) fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 => "\"$\"#,##0_);(\"$\"#,##0)",
        6 => "\"$\"#,##0_);[Red](\"$\"#,##0)",
        7 => "\"$\"#,##0.00_);(\"$\"#,##0.00)",
        8 => "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_(\"$\"* #,##0_);_(\"$\"* (#,##0);_(\"$\"* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_(\"$\"* #,##0.00_);_(\"$\"* (#,##0.00);_(\"$\"* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// The format code of a style from its id and the code the workbook gives (calamine gives
/// `General` for built-in ids it does not know, such as the currency formats 5 to 8).
pub(crate) fn effective_code(id: Option<u32>, code: &str) -> &str {
    match id.and_then(builtin_code) {
        Some(builtin) if code == "General" => builtin,
        _ => code,
    }
}

/// The code of an XLSX cell style's number format when it shows decimals or a currency.
pub(crate) fn style_major(style: &calamine::Style) -> Option<Arc<str>> {
    let format = style.number_format.as_ref()?;
    let code = effective_code(format.format_id, &format.format_code);
    classify(code).is_major().then(|| Arc::from(code))
}

/// The most runs a [`FormatMap`] holds. One run covers a column's consecutive rows in one
/// format, so a real sheet needs about one per amount column; past this, the file is crafted
/// or very odd and its formats are not used.
pub(crate) const MAX_RUNS: usize = 4_000_000;

/// One column's consecutive rows whose number cells share a format that shows major units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    first: u32,
    last: u32,
    format: u32,
}

/// The number cells of one sheet whose format shows decimals or a currency, by position
/// (0-based row and column, as calamine gives them).
#[derive(Debug, Clone, Default)]
pub(crate) struct FormatMap {
    formats: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
    columns: HashMap<u32, Vec<Run>>,
    runs: usize,
}

impl FormatMap {
    /// Notes that the number cell at (row, col) is shown with `format`. Returns false when the
    /// map is full ([`MAX_RUNS`]).
    pub(crate) fn add(&mut self, row: u32, col: u32, format: &str) -> bool {
        let id = match self.index.get(format) {
            Some(id) => *id,
            None => {
                let shared: Arc<str> = Arc::from(format);
                let id = self.formats.len() as u32;
                self.formats.push(Arc::clone(&shared));
                self.index.insert(shared, id);
                id
            }
        };
        let runs = self.columns.entry(col).or_default();
        if let Some(last) = runs.last_mut() {
            if last.format == id && last.last.checked_add(1) == Some(row) {
                last.last = row;
                return true;
            }
        }
        if self.runs >= MAX_RUNS {
            return false;
        }
        runs.push(Run {
            first: row,
            last: row,
            format: id,
        });
        self.runs += 1;
        true
    }

    /// Sorts the runs, for files whose cells are not stored in row order.
    pub(crate) fn finish(&mut self) {
        for runs in self.columns.values_mut() {
            if !runs.is_sorted_by_key(|r| r.first) {
                runs.sort_by_key(|r| r.first);
            }
        }
    }

    /// The format that shows the number cell at (row, col) with decimals or a currency.
    pub(crate) fn get(&self, row: u32, col: u32) -> Option<&Arc<str>> {
        let runs = self.columns.get(&col)?;
        let i = runs.partition_point(|r| r.last < row);
        let run = runs.get(i).filter(|r| r.first <= row)?;
        self.formats.get(run.format as usize)
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.runs == 0
    }
}

/// The file note for a workbook whose number formats could not be read.
pub(crate) fn unread_note(why: &str) -> crate::source::FileNote {
    crate::source::FileNote {
        code: "sheet.formats_unread",
        message: format!(
            "the cells' number formats could not be read ({why}): amount columns are judged by their values alone, so a whole number shown as 45,00 is read as 45 cents. Check the amounts, or give --amounts major|minor"
        ),
        row: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_that_show_decimals_or_a_currency() {
        for code in [
            "0.00",
            "#,##0.00",
            "#,##0.0",
            "0.00;[Red]-0.00",
            "#,##0.00_);(#,##0.00)",
        ] {
            assert_eq!(classify(code), Shows::Decimals, "{code}");
        }
        for code in [
            "€ #,##0.00",
            "[$€-413] #,##0.00",
            "[$€-413]\\ #,##0.00;[Red]\\-[$€-413]\\ #,##0.00",
            "\"EUR \"#,##0",
            "#,##0.00\\ \"€\"",
            "_-\"€\"\\ * #,##0.00_-",
            "[$$-409]#,##0",
            "#,##0 [$EUR]",
            "£#,##0",
        ] {
            assert_eq!(classify(code), Shows::Currency, "{code}");
        }
        for code in [
            "General", "0", "#,##0", "@", "[$-413]0", "[Red]0", "0_);(0)", "",
        ] {
            assert_eq!(classify(code), Shows::Plain, "{code}");
        }
        for code in [
            "0.00%",
            "0%",
            "0.00E+00",
            "##0.0E+0",
            "# ?/?",
            "yyyy-mm-dd",
            "d-mmm-yy",
            "h:mm AM/PM",
            "[h]:mm:ss",
            "mm:ss.0",
        ] {
            assert_eq!(classify(code), Shows::Other, "{code}");
        }
        // Literal text is not a format: a quoted or escaped `.00` shows no decimals.
        assert_eq!(classify("0\".00\""), Shows::Plain);
        assert_eq!(classify("0\\.\\0\\0"), Shows::Plain);
        // Only the first section counts.
        assert_eq!(classify("0;0.00"), Shows::Plain);
    }

    #[test]
    fn builtin_ids_fill_in_for_general() {
        assert_eq!(effective_code(Some(4), "General"), "#,##0.00");
        assert_eq!(
            classify(effective_code(Some(7), "General")),
            Shows::Currency
        );
        assert_eq!(
            classify(effective_code(Some(44), "General")),
            Shows::Currency
        );
        assert_eq!(
            classify(effective_code(Some(43), "General")),
            Shows::Decimals
        );
        assert_eq!(effective_code(Some(164), "0.000"), "0.000");
        assert_eq!(effective_code(None, "General"), "General");
    }

    #[test]
    fn the_map_finds_cells_in_runs() {
        let mut m = FormatMap::default();
        for row in 2..=5 {
            assert!(m.add(row, 3, "0.00"));
        }
        m.add(7, 3, "0.00");
        m.add(8, 3, "€ 0");
        m.add(1, 3, "0.00");
        m.finish();
        assert_eq!(m.get(2, 3).map(|f| &**f), Some("0.00"));
        assert_eq!(m.get(5, 3).map(|f| &**f), Some("0.00"));
        assert_eq!(m.get(6, 3), None);
        assert_eq!(m.get(8, 3).map(|f| &**f), Some("€ 0"));
        assert_eq!(m.get(1, 3).map(|f| &**f), Some("0.00"));
        assert_eq!(m.get(2, 4), None);
        assert!(!m.is_empty());
    }

    proptest::proptest! {
        /// Any text is classified without a panic, and only the first section counts.
        #[test]
        fn classify_never_panics_and_reads_the_first_section(code in "\\PC{0,40}", rest in "[^\"\\\\\\[]{0,20}") {
            let first = classify(&code);
            if !code.contains(['"', '\\', '[', ';', '_', '*']) {
                proptest::prop_assert_eq!(classify(&format!("{code};{rest}")), first);
            }
        }

        /// Quoted digits and dots are literal text: they never make a format show decimals.
        #[test]
        fn quoted_digits_show_nothing(literal in "[0-9. ]{0,8}", code in "(0|#,##0|General|0.00|#,##0.00)") {
            proptest::prop_assert_eq!(classify(&format!("\"{literal}\"{code}")), classify(&code));
        }
    }
}
