//! The exit code of a run: a contract with the scripts that call the tool (see the README).

use crate::tally::Tally;

/// Exit codes, a contract with the scripts that call the tool (see the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every row delivered (or valid). Warnings and fixes alone do not change this.
    Ok = 0,
    /// Some rows rejected (or invalid); the delivery still holds the good ones, if any: when
    /// every row is rejected nothing is delivered, and the summary says so.
    Rejected = 1,
    /// Nothing done: bad arguments, unreadable input, I/O failure.
    Failure = 2,
}

/// The exit code of a run that got as far as its verdict: 1 when a row was rejected (or
/// would be), else 0. A run that failed before (an error of a step) is [`Exit::Failure`].
pub fn exit(rows: &Tally) -> Exit {
    if rows.rejected() > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_row_makes_exit_1_skips_and_deliveries_do_not() {
        assert_eq!(exit(&Tally::of(0, 0, 0, 0)), Exit::Ok);
        assert_eq!(exit(&Tally::of(5, 0, 2, 1)), Exit::Ok);
        assert_eq!(exit(&Tally::of(5, 1, 0, 0)), Exit::Rejected);
        assert_eq!(exit(&Tally::of(0, 3, 0, 0)), Exit::Rejected);
        assert_eq!(Exit::Failure as u8, 2);
    }
}
