//! The order of each date column: day first (the default, `--date-order dmy`) or month first.
//!
//! `01/02/1980` is 1 February day first and 2 January month first, and only the file's writer
//! knows which: an export made in the United States, or by a spreadsheet set to such a locale,
//! writes the month first. Read day first, every date of such a column with a day up to 12 is
//! delivered wrong without a word, and only the others (`02/13/1980`) are refused.
//!
//! So without `--date-order`, what each text date shows is evidence about its column
//! ([`date::fits`]): `13/02/1980` is a date only day first, `02/13/1980` only month first. A
//! column with a value that is a date only month first is refused as a whole (exit 2), whether
//! or not it also holds values that are dates only day first: the run never switches a column
//! to month first on its own, as the user must say so, and a column that holds both cannot be
//! read right either way. A column of day-first evidence only, or of none, is read day first.
//! Spreadsheet date cells are dates already and are no evidence; neither is a year-first form.
//! With `--date-order` (flag or configuration file) no evidence is collected: every date
//! column is read in that order, and a value that is no date in it is refused on its own row.
//!
//! As for amount units ([`crate::rules::units`]), the run judges the first rows of an input
//! before anything is written, and the whole input at its end.

use crate::header::{ColumnMap, Target};
use crate::registry::Kind;
use crate::rules::date::{self, DateOrder, Fits};
use crate::rules::evidence::{self, Shown};
use crate::rules::pipeline::RuleSettings;
use crate::rules::text;
use crate::shown;
use crate::source::Cell;

/// The source columns whose date order is judged: the date columns, unless `--date-order`
/// decided them all.
pub fn date_columns(map: &ColumnMap, settings: &RuleSettings) -> Vec<usize> {
    if settings.date_order_given {
        Vec::new()
    } else {
        evidence::columns_of(map, Kind::Date)
    }
}

/// A text date kept to name it in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub row: u64,
    /// The value as the date rule reads it (cleaned of white space).
    pub text: String,
}

/// The first value of each kind in one date column, in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnOrder {
    /// A date only when read day first (`13/02/1980`).
    pub day_first: Option<Example>,
    /// A date only when read month first (`02/13/1980`).
    pub month_first: Option<Example>,
    /// A date both ways, two different dates (`03/04/1980`).
    pub either: Option<Example>,
}

impl Shown for ColumnOrder {
    fn add(&mut self, row: u64, cell: &Cell) {
        let Cell::Text(s) = cell else {
            return;
        };
        // The date rule reads the value cleaned; plain ASCII only needs trimming (no copy).
        let trimmed = s.trim();
        let clean = if trimmed.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            std::borrow::Cow::Borrowed(trimmed)
        } else {
            text::clean(s).0
        };
        let slot = match date::fits(&clean) {
            Some(Fits::Only(DateOrder::Dmy)) => &mut self.day_first,
            Some(Fits::Only(DateOrder::Mdy)) => &mut self.month_first,
            Some(Fits::Either) => &mut self.either,
            None => return,
        };
        slot.get_or_insert_with(|| Example {
            row,
            text: clean.into_owned(),
        });
    }

    fn merge(&mut self, later: ColumnOrder) {
        for (mine, theirs) in [
            (&mut self.day_first, later.day_first),
            (&mut self.month_first, later.month_first),
            (&mut self.either, later.either),
        ] {
            *mine = mine.take().or(theirs);
        }
    }

    /// A column that showed either order: more rows can only make it refused (found at the end
    /// of the input) or leave it as it is.
    fn settled(&self) -> bool {
        self.day_first.is_some() || self.month_first.is_some()
    }
}

/// Why an input's date columns cannot be read in the default order: the message names the
/// first such column, its examples and rows (masked as the run's view says, when it was made).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateOrderError(String);

/// The evidence of every judged date column of one input.
pub type Evidence = evidence::Evidence<ColumnOrder>;

/// Checks the date columns' evidence (`--date-order` not given): a column with a value that is
/// a date only month first refuses the input; the message names the first such column, its
/// examples and rows, and any other such column. Values of personal fields are shown masked
/// with `redact`, as everywhere.
pub(crate) fn judge(
    evidence: &Evidence,
    map: &ColumnMap,
    redact: bool,
) -> Result<(), DateOrderError> {
    let mut refused = evidence
        .columns
        .iter()
        .filter(|(_, e)| e.month_first.is_some());
    let Some((first, e)) = refused.next() else {
        return Ok(());
    };
    let column = |c: usize| map.headers.get(c).map_or("", String::as_str);
    let view = match map.targets.get(*first) {
        Some(Target::Slot(slot)) => shown::View::of(*slot, redact),
        _ => shown::View::unknown(redact),
    };
    let mut message = shown::with_view(view, || refusal(column(*first), e));
    let others: Vec<String> = refused
        .map(|(c, _)| format!("'{}'", shown::plain(column(*c))))
        .collect();
    if !others.is_empty() {
        message.push_str(&format!(
            " (the same holds for date column {})",
            others.join(", ")
        ));
    }
    Err(DateOrderError(message))
}

/// Why a date column with a value that is a date only month first cannot be read in the
/// default order.
fn refusal(column: &str, e: &ColumnOrder) -> String {
    let shown = |x: &Example| format!("row {}: '{}'", x.row, shown::value(&x.text));
    let column = shown::plain(column);
    let month_first = e.month_first.as_ref().map_or(String::new(), shown);
    let misread = e.either.as_ref().map(shown);
    match e.day_first.as_ref().map(shown) {
        None => {
            let wrong = misread.map_or(String::new(), |x| {
                format!(", so dates such as {x} would be delivered as wrong dates")
            });
            format!(
                "date column '{column}' writes the month first ({month_first} is a date only when read month first), while dates are read day first unless told otherwise{wrong}; nothing is delivered. If the column writes the month first, run again with --date-order mdy; --date-order dmy reads it day first and refuses the values that are no date that way"
            )
        }
        Some(day_first) => {
            let unsure = misread.map_or(String::new(), |x| {
                format!(", so a date such as {x} cannot be read with certainty")
            });
            format!(
                "date column '{column}' holds dates written day first ({day_first}) and dates written month first ({month_first}){unsure}; nothing is delivered. Check the export: --date-order dmy or --date-order mdy reads the whole column in that order and refuses the values that are no date in it"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::Mapping;
    use crate::source::Row;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    /// The evidence of one column of these cells, from row 2 on.
    fn column(cells: Vec<Cell>) -> ColumnOrder {
        let mut e = Evidence::new(&[0]);
        for (i, c) in cells.into_iter().enumerate() {
            e.add_row(&Row {
                row: i as u64 + 2,
                line: None,
                cells: vec![c],
            });
        }
        e.columns.remove(0).1
    }

    fn map(headers: &[&str]) -> ColumnMap {
        let mut map = ColumnMap::default();
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        map.extend(&headers, &Mapping::default()).unwrap();
        map
    }

    #[test]
    fn values_that_fit_one_order_only_are_evidence() {
        let e = column(vec![
            text("05/05/1980"),
            text("03/04/1980"),
            text("13/02/1980"),
            text(" 02-13-1980 "),
            text("14/02/1980"),
        ]);
        assert_eq!(
            e.either.map(|x| (x.row, x.text)),
            Some((3, "03/04/1980".into()))
        );
        assert_eq!(e.day_first.map(|x| x.row), Some(4));
        // Trimmed as the date rule reads it.
        assert_eq!(
            e.month_first.map(|x| (x.row, x.text)),
            Some((5, "02-13-1980".into()))
        );
    }

    #[test]
    fn real_dates_and_year_first_forms_are_no_evidence() {
        let date = chrono::NaiveDate::from_ymd_opt(1980, 2, 13).unwrap();
        let e = column(vec![
            Cell::Date(date),
            Cell::DateTime(date.and_hms_opt(0, 0, 0).unwrap()),
            text("1980-02-13"),
            text("1980/13/02"),
            text("19800213"),
            text("13/13/1980"),
            text("02/13/80"),
            Cell::Int(19800213),
        ]);
        assert_eq!(e, ColumnOrder::default());
        assert!(!e.settled());
    }

    #[test]
    fn evidence_reads_dates_as_the_date_rule_does() {
        // A time after the date, a NUL byte the text rule removes, a leap day.
        let e = column(vec![
            text("02/13/1980 13:05"),
            text("\u{0}29.02.2024"),
            text("02/29/2023"),
        ]);
        assert_eq!(
            e.month_first.map(|x| x.text),
            Some("02/13/1980 13:05".into())
        );
        assert_eq!(e.either, None);
        assert_eq!(e.day_first.map(|x| x.text), Some("29.02.2024".into()));
    }

    #[test]
    fn later_batches_keep_the_first_examples_and_settle_on_either_order() {
        let mut first = Evidence::new(&[0]);
        first.add_row(&Row {
            row: 2,
            line: None,
            cells: vec![text("03/04/1980")],
        });
        assert!(!first.settled());
        let mut later = Evidence::new(&[0]);
        for (row, value) in [(9, "13/02/1980"), (10, "03/05/1980"), (11, "02/14/1980")] {
            later.add_row(&Row {
                row,
                line: None,
                cells: vec![text(value)],
            });
        }
        first.merge(later);
        let e = &first.columns[0].1;
        assert_eq!(e.either.as_ref().map(|x| x.row), Some(2));
        assert_eq!(e.day_first.as_ref().map(|x| x.row), Some(9));
        assert_eq!(e.month_first.as_ref().map(|x| x.row), Some(11));
        assert!(first.settled());
    }

    #[test]
    fn a_column_that_writes_the_month_first_is_refused_with_its_rows() {
        let map = map(&[
            "IDENTIFICATION_IDENTIFIER",
            "INVOICE_DUEDATE",
            "PERSON_BIRTHDAY",
        ]);
        let mut e = Evidence::new(&[1, 2]);
        let rows = [
            ["A-1", "03/04/2030", "13/02/1980"],
            ["A-2", "12/25/2030", "14/02/1980"],
        ];
        for (i, cells) in rows.iter().enumerate() {
            e.add_row(&Row {
                row: i as u64 + 2,
                line: None,
                cells: cells.iter().map(|c| text(c)).collect(),
            });
        }
        let message = judge(&e, &map, false).unwrap_err().to_string();
        for part in [
            "date column 'INVOICE_DUEDATE' writes the month first",
            "row 3: '12/25/2030'",
            "such as row 2: '03/04/2030' would be delivered as wrong dates",
            "--date-order mdy",
            "--date-order dmy",
        ] {
            assert!(message.contains(part), "no {part:?} in {message}");
        }
        assert!(!message.contains("PERSON_BIRTHDAY"), "{message}");
        // Day-first evidence alone, or none, is the default order.
        let only_day_first = Evidence {
            columns: vec![e.columns[1].clone()],
        };
        assert_eq!(judge(&only_day_first, &map, false), Ok(()));
        assert_eq!(judge(&Evidence::new(&[1]), &map, false), Ok(()));
    }

    #[test]
    fn a_column_of_both_orders_is_refused_as_mixed_and_masked_when_personal() {
        let map = map(&["PERSON_BIRTHDAY", "INVOICE_DUEDATE"]);
        let mut e = Evidence::new(&[0, 1]);
        for (row, birthday, due) in [
            (2, "13/02/1980", "02/13/2030"),
            (3, "02/14/1980", "01/02/2030"),
        ] {
            e.add_row(&Row {
                row,
                line: None,
                cells: vec![text(birthday), text(due)],
            });
        }
        let message = judge(&e, &map, false).unwrap_err().to_string();
        for part in [
            "date column 'PERSON_BIRTHDAY' holds dates written day first (row 2: '13/02/1980') and dates written month first (row 3: '02/14/1980')",
            "Check the export",
            "(the same holds for date column 'INVOICE_DUEDATE')",
        ] {
            assert!(message.contains(part), "no {part:?} in {message}");
        }
        // A birthday is personal: --redact masks it, the column name stays.
        let message = judge(&e, &map, true).unwrap_err().to_string();
        assert!(
            !message.contains("13/02/1980")
                && !message.contains("02/14/1980")
                && message.contains("row 2: '1********0'")
                && message.contains("'PERSON_BIRTHDAY'"),
            "{message}"
        );
    }
}
