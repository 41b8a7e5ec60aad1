//! What the values of some columns show about how each column as a whole must be read: the
//! unit of an amount column ([`crate::rules::units`]) and the order of a date column
//! ([`crate::rules::order`]).
//!
//! A column is read one way for the whole input, never cell by cell. The run collects what
//! each column shows in its first rows (to decide before anything is written) and in every
//! batch (to check the rest against that decision); this module holds that evidence per
//! column, and each kind of column says what one value shows ([`Shown`]).

use crate::header::{ColumnMap, Target};
use crate::registry::Kind;
use crate::source::{Cell, Row};

/// What the values of one column showed so far.
pub trait Shown: Default {
    /// Notes what the cell in row `row` shows.
    fn add(&mut self, row: u64, cell: &Cell);
    /// Adds what later rows showed, keeping the first examples.
    fn merge(&mut self, later: Self);
    /// True when more rows can no longer change the decision without making the column one
    /// that is refused as a whole (which the check at the end of the input finds).
    fn settled(&self) -> bool;
}

/// What some columns of one input showed, by source column.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence<C> {
    /// (source column, what it showed).
    pub columns: Vec<(usize, C)>,
}

impl<C> Default for Evidence<C> {
    fn default() -> Self {
        Evidence {
            columns: Vec::new(),
        }
    }
}

impl<C: Shown> Evidence<C> {
    pub fn new(columns: &[usize]) -> Evidence<C> {
        Evidence {
            columns: columns.iter().map(|&c| (c, C::default())).collect(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    pub fn add_row(&mut self, row: &Row) {
        for (c, evidence) in &mut self.columns {
            if let Some(cell) = row.cells.get(*c) {
                evidence.add(row.row, cell);
            }
        }
    }

    /// Adds the evidence of later rows (columns the header gained on the way included).
    pub(crate) fn merge(&mut self, later: Evidence<C>) {
        for (c, theirs) in later.columns {
            match self.columns.iter_mut().find(|(mine, _)| *mine == c) {
                Some((_, mine)) => mine.merge(theirs),
                None => self.columns.push((c, theirs)),
            }
        }
    }

    /// True when every column has shown enough to decide (see [`Shown::settled`]).
    pub(crate) fn settled(&self) -> bool {
        self.columns.iter().all(|(_, e)| e.settled())
    }
}

/// The source columns that fill a field of this kind.
pub(crate) fn columns_of(map: &ColumnMap, kind: Kind) -> Vec<usize> {
    map.targets
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Target::Slot(s) if s.kind() == kind))
        .map(|(i, _)| i)
        .collect()
}
