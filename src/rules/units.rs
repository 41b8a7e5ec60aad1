//! The unit of each amount column: minor units (cents, the specification's and the default) or
//! major units (euros, `45,00`).
//!
//! The unit is decided per column, never per cell: a column read half in cents and half in
//! euros is wrong either way. What each value shows is evidence ([`observe`]):
//! - a number cell whose number format shows decimals or a currency ([`Cell::Formatted`]) says
//!   the user sees major units: this is the only evidence that changes a column's unit;
//! - a number with a fraction (`12.5`) or a text with decimals or a currency (`45,00`, `€ 45`)
//!   shows decimals, but alone it does not change the default: such values are refused one by
//!   one (`amount.decimal`, `amount.fraction`) with a hint at `--amounts major`;
//! - a whole number (`4500`) shows no decimals; zero shows nothing.
//!
//! Without `--amounts`, a column that shows decimals somewhere and whole numbers elsewhere is
//! refused as a whole (exit 2): one stray `12,50` must neither turn a column of cents into
//! euros nor leave it half right. `--amounts minor|major` decides every column; a column whose
//! number formats say otherwise is then a warning.
//!
//! The run decides from the first rows of each input ([`Evidence::settled`] says when they are
//! enough), checks every later row against that decision, and refuses the run at the end of an
//! input whose later rows contradict it. Readers only report what cells hold; this module is
//! the one place that reads it as a unit.

use crate::header::ColumnMap;
use crate::issue::Issue;
use crate::registry::Kind;
use crate::rules::amount::{text_shows, AmountUnit, Shows};
use crate::rules::evidence::{self, Shown};
use crate::source::Cell;

/// The unit decided for some source columns (by their index in the source's header); columns
/// not listed use the run's [`RuleSettings::amounts`](crate::rules::pipeline::RuleSettings::amounts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnUnits(Vec<(usize, AmountUnit)>);

impl ColumnUnits {
    pub(crate) fn get(&self, column: usize) -> Option<AmountUnit> {
        self.0.iter().find(|(c, _)| *c == column).map(|(_, u)| *u)
    }

    pub(crate) fn set(&mut self, column: usize, unit: AmountUnit) {
        match self.0.iter_mut().find(|(c, _)| *c == column) {
            Some(entry) => entry.1 = unit,
            None => self.0.push((column, unit)),
        }
    }
}

/// The source columns that fill an amount field.
pub fn amount_columns(map: &ColumnMap) -> Vec<usize> {
    evidence::columns_of(map, Kind::Cents)
}

/// What one value shows, as evidence about its column's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    /// A number cell formatted with decimals or a currency.
    Formatted,
    /// Decimals or a currency in the value itself.
    Decimals,
    /// A whole number.
    Whole,
}

/// The evidence of one cell, if it gives any.
pub(crate) fn observe(cell: &Cell) -> Option<Seen> {
    match cell {
        Cell::Formatted { .. } => Some(Seen::Formatted),
        Cell::Int(0) => None,
        Cell::Int(_) => Some(Seen::Whole),
        Cell::Float(x) if !x.is_finite() || *x == 0.0 => None,
        Cell::Float(x) if x.fract() == 0.0 => Some(Seen::Whole),
        Cell::Float(_) => Some(Seen::Decimals),
        Cell::Text(s) => match text_shows(s) {
            Shows::Nothing => None,
            Shows::Whole => Some(Seen::Whole),
            Shows::Decimals => Some(Seen::Decimals),
        },
        _ => None,
    }
}

/// A value that showed something, kept to name it in a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub row: u64,
    /// The value as a message shows it (`'45,00'`, `the number 12.5`, `45 formatted '0.00'`).
    pub shown: String,
}

impl Example {
    fn of(row: u64, cell: &Cell) -> Example {
        let shown = match cell {
            Cell::Formatted { number, format } => {
                format!("the number {number} formatted '{format}'")
            }
            Cell::Int(_) | Cell::Float(_) => format!("the number {cell}"),
            other => format!("'{other}'"),
        };
        Example { row, shown }
    }
}

impl std::fmt::Display for Example {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}", self.row, self.shown)
    }
}

/// The first value of each kind in one column, in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnEvidence {
    pub formatted: Option<Example>,
    pub decimals: Option<Example>,
    pub whole: Option<Example>,
}

impl Shown for ColumnEvidence {
    fn add(&mut self, row: u64, cell: &Cell) {
        let slot = match observe(cell) {
            Some(Seen::Formatted) => &mut self.formatted,
            Some(Seen::Decimals) => &mut self.decimals,
            Some(Seen::Whole) => &mut self.whole,
            None => return,
        };
        slot.get_or_insert_with(|| Example::of(row, cell));
    }

    fn merge(&mut self, later: ColumnEvidence) {
        for (mine, theirs) in [
            (&mut self.formatted, later.formatted),
            (&mut self.decimals, later.decimals),
            (&mut self.whole, later.whole),
        ] {
            *mine = mine.take().or(theirs);
        }
    }

    fn settled(&self) -> bool {
        self.formatted.is_some() || self.whole.is_some()
    }
}

impl ColumnEvidence {
    /// The unit this evidence decides when the user chose none.
    pub(crate) fn verdict(&self) -> Verdict {
        let shows_decimals = self.formatted.as_ref().or(self.decimals.as_ref());
        match (shows_decimals, &self.whole) {
            (Some(d), Some(w)) => Verdict::Mixed {
                decimals: d.clone(),
                whole: w.clone(),
            },
            (Some(_), None) if self.formatted.is_some() => Verdict::Major,
            _ => Verdict::Minor,
        }
    }
}

/// What the evidence of a column decides.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    /// Cents: whole numbers, or nothing that says otherwise (the default).
    Minor,
    /// Euros: number formats show decimals or a currency, and no value contradicts them.
    Major,
    /// Decimals in some values and whole numbers in others: the unit cannot be told.
    Mixed { decimals: Example, whole: Example },
}

/// The evidence of every amount column of one input.
pub type Evidence = evidence::Evidence<ColumnEvidence>;

/// The units the first rows of an input decide for its amount columns (no `--amounts` given),
/// or why its amounts cannot be read: a column that is mixed already.
pub(crate) fn decide(evidence: &Evidence, headers: &[String]) -> Result<ColumnUnits, AmountsError> {
    let mut units = ColumnUnits::default();
    for (c, e) in &evidence.columns {
        match e.verdict() {
            Verdict::Minor => units.set(*c, AmountUnit::Minor),
            Verdict::Major => units.set(*c, AmountUnit::Major),
            Verdict::Mixed { decimals, whole } => {
                return Err(AmountsError::Mixed {
                    column: name(headers, *c).to_string(),
                    decimals,
                    whole,
                })
            }
        }
    }
    Ok(units)
}

/// Checks the whole input's evidence against the units its amounts were read in. Without
/// `--amounts` (`given` is `None`), a column that turned out mixed, or that showed major units
/// only after rows already read as cents, refuses the input (the message says why). With
/// `--amounts minor`, a column formatted with decimals or a currency is a warning.
pub(crate) fn judge(
    evidence: &Evidence,
    decided: &ColumnUnits,
    given: Option<AmountUnit>,
    headers: &[String],
) -> Result<Vec<Issue>, AmountsError> {
    let mut warnings = Vec::new();
    for (c, e) in &evidence.columns {
        let column = name(headers, *c);
        match given {
            Some(AmountUnit::Minor) => {
                if let Some(f) = &e.formatted {
                    warnings.push(
                        Issue::warning("amount.unit_conflict", conflict_message(column, f))
                            .at(f.row, None)
                            .column(column),
                    );
                }
            }
            Some(AmountUnit::Major) => {}
            None => match (e.verdict(), decided.get(*c)) {
                (Verdict::Mixed { decimals, whole }, _) => {
                    return Err(AmountsError::Mixed {
                        column: column.to_string(),
                        decimals,
                        whole,
                    })
                }
                (Verdict::Major, Some(AmountUnit::Major)) | (Verdict::Minor, _) => {}
                (Verdict::Major, _) => {
                    if let Some(f) = &e.formatted {
                        return Err(AmountsError::Late {
                            column: column.to_string(),
                            formatted: f.clone(),
                        });
                    }
                }
            },
        }
    }
    Ok(warnings)
}

fn name(headers: &[String], column: usize) -> &str {
    headers.get(column).map_or("", String::as_str)
}

/// Why an input's amounts cannot be read with one unit per amount column: nothing is
/// delivered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AmountsError {
    /// Decimals beside whole numbers in one column.
    #[error("{}", mixed_message(column, decimals, whole))]
    Mixed {
        column: String,
        decimals: Example,
        whole: Example,
    },
    /// The first rows were read as cents, later ones show euros.
    #[error("{}", late_message(column, formatted))]
    Late { column: String, formatted: Example },
}

/// Why an input cannot be read with one unit per amount column.
fn mixed_message(column: &str, decimals: &Example, whole: &Example) -> String {
    format!(
        "amount column '{column}' holds values with decimals ({decimals}) beside whole numbers ({whole}), so it cannot be told whether it holds cents or euros; nothing is delivered. Say which: --amounts major if its amounts are in euros (then {} is euros, not cents), or --amounts minor if they are in cents, as the specification has them",
        whole.shown
    )
}

/// Why an input whose first rows were read as cents cannot be delivered after all.
fn late_message(column: &str, formatted: &Example) -> String {
    format!(
        "amount column '{column}' showed no unit in its first rows, which were read as cents, but from row {} on its number format shows decimals or a currency ({}); nothing is delivered. Run again with --amounts major, or with --amounts minor to read the column as cents",
        formatted.row, formatted.shown
    )
}

/// The warning for a column whose number formats contradict `--amounts minor`.
pub(crate) fn conflict_message(column: &str, formatted: &Example) -> String {
    format!(
        "amount column '{column}' is read as cents because --amounts minor says so, but its number format shows decimals or a currency ({formatted}), so the spreadsheet shows euros: check the delivered amounts, or give --amounts major"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Row;
    use std::sync::Arc;

    fn row(n: u64, cell: Cell) -> Row {
        Row {
            row: n,
            line: None,
            cells: vec![cell],
        }
    }

    fn formatted(x: f64) -> Cell {
        Cell::Formatted {
            number: x,
            format: Arc::from("#,##0.00"),
        }
    }

    fn verdict(cells: Vec<Cell>) -> Verdict {
        let mut e = Evidence::new(&[0]);
        for (i, c) in cells.into_iter().enumerate() {
            e.add_row(&row(i as u64 + 2, c));
        }
        e.columns[0].1.verdict()
    }

    #[test]
    fn cells_show_what_they_hold() {
        assert_eq!(observe(&formatted(45.0)), Some(Seen::Formatted));
        assert_eq!(observe(&Cell::Int(4500)), Some(Seen::Whole));
        assert_eq!(observe(&Cell::Int(0)), None);
        assert_eq!(observe(&Cell::Float(12.5)), Some(Seen::Decimals));
        assert_eq!(observe(&Cell::Float(1e20)), Some(Seen::Whole));
        assert_eq!(observe(&Cell::Text("45,00".into())), Some(Seen::Decimals));
        assert_eq!(observe(&Cell::Text("€ 45".into())), Some(Seen::Decimals));
        assert_eq!(observe(&Cell::Text(" 4500 ".into())), Some(Seen::Whole));
        assert_eq!(observe(&Cell::Text("0,00".into())), None);
        assert_eq!(observe(&Cell::Text("n.v.t.".into())), None);
        assert_eq!(observe(&Cell::Bool(true)), None);
    }

    #[test]
    fn formats_decide_and_values_alone_do_not() {
        assert_eq!(
            verdict(vec![formatted(45.0), formatted(12.5)]),
            Verdict::Major
        );
        // A plain number with a fraction or a text with decimals agrees with euros.
        assert_eq!(
            verdict(vec![
                formatted(45.0),
                Cell::Float(12.5),
                Cell::Text("3,50".into())
            ]),
            Verdict::Major
        );
        // Values alone never leave the default.
        assert_eq!(verdict(vec![Cell::Text("45,00".into())]), Verdict::Minor);
        assert_eq!(verdict(vec![Cell::Int(4500), Cell::Int(0)]), Verdict::Minor);
        assert_eq!(verdict(vec![]), Verdict::Minor);
    }

    #[test]
    fn decimals_beside_whole_numbers_are_mixed_and_named() {
        let Verdict::Mixed { decimals, whole } = verdict(vec![
            Cell::Int(4500),
            Cell::Text("12,50".into()),
            Cell::Int(99),
        ]) else {
            panic!("mixed expected")
        };
        assert_eq!(decimals.to_string(), "row 3: '12,50'");
        assert_eq!(whole.to_string(), "row 2: the number 4500");
        // A format does not outvote a whole number either.
        assert!(matches!(
            verdict(vec![formatted(45.0), Cell::Int(4500)]),
            Verdict::Mixed { .. }
        ));
        let msg = mixed_message("Bedrag", &decimals, &whole);
        assert!(
            msg.contains("'Bedrag'")
                && msg.contains("--amounts major")
                && msg.contains("--amounts minor"),
            "{msg}"
        );
    }

    #[test]
    fn later_batches_keep_the_first_examples() {
        let mut first = Evidence::new(&[0]);
        first.add_row(&row(2, Cell::Int(1)));
        let mut later = Evidence::new(&[0]);
        later.add_row(&row(9, Cell::Int(2)));
        later.add_row(&row(10, Cell::Float(0.5)));
        assert!(first.settled());
        first.merge(later);
        let e = &first.columns[0].1;
        assert_eq!(e.whole.as_ref().map(|x| x.row), Some(2));
        assert_eq!(e.decimals.as_ref().map(|x| x.row), Some(10));
        assert!(!Evidence::new(&[0]).settled());
        assert!(Evidence::new(&[]).settled());
    }
}
