//! The one owner of a run's row counts.
//!
//! Every data row a run reads ends up delivered, rejected or skipped, and the report's counts
//! prove it: `rows_read = records_delivered + records_rejected + rows_skipped`, and the footer
//! rows are some of the skipped ones. The fields are private and change only through the
//! verbs below, each of which keeps that sum, so the invariant holds by construction whoever
//! counts: the engine as it takes rows in order, the run when a later row supersedes an
//! identifier, the history check when an identifier was delivered before.

use serde::Serialize;

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// A row without values.
    Blank,
    /// A total or footer row below the data (see [`crate::footer`]).
    Footer,
}

/// The row counts of a run, serialized as the report's summary gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    rows_read: u64,
    records_delivered: u64,
    records_rejected: u64,
    rows_skipped: u64,
    rows_footer: u64,
}

impl Tally {
    /// A row read whose record is delivered.
    pub(crate) fn accept(&mut self) {
        self.rows_read += 1;
        self.records_delivered += 1;
    }

    /// A row read whose record is rejected.
    pub(crate) fn reject(&mut self) {
        self.rows_read += 1;
        self.records_rejected += 1;
    }

    /// A row read and skipped.
    pub(crate) fn skip(&mut self, why: Skip) {
        self.rows_read += 1;
        self.rows_skipped += 1;
        if why == Skip::Footer {
            self.rows_footer += 1;
        }
    }

    /// A record counted as delivered is not delivered after all (a later row superseded its
    /// identifier, or the history holds it): it becomes a rejected one. Only
    /// [`crate::report::IssueLog::withdraw`] calls this, with the issue that says why.
    /// Returns false, changing nothing, when no record is counted as delivered.
    pub(crate) fn withdraw(&mut self) -> bool {
        if self.records_delivered == 0 {
            return false;
        }
        self.records_delivered -= 1;
        self.records_rejected += 1;
        true
    }

    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    pub fn delivered(&self) -> u64 {
        self.records_delivered
    }

    pub fn rejected(&self) -> u64 {
        self.records_rejected
    }

    pub fn skipped(&self) -> u64 {
        self.rows_skipped
    }

    /// Of [`Tally::skipped`]: the footer rows.
    pub fn footer(&self) -> u64 {
        self.rows_footer
    }

    /// The counts, built by their verbs: for tests that need a tally of a given shape.
    pub fn of(delivered: u64, rejected: u64, blank: u64, footer: u64) -> Tally {
        let mut t = Tally::default();
        (0..delivered).for_each(|_| t.accept());
        (0..rejected).for_each(|_| t.reject());
        (0..blank).for_each(|_| t.skip(Skip::Blank));
        (0..footer).for_each(|_| t.skip(Skip::Footer));
        t
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Verb {
        Accept,
        Reject,
        Skip(Skip),
        Withdraw,
    }

    fn verb() -> impl Strategy<Value = Verb> {
        prop_oneof![
            Just(Verb::Accept),
            Just(Verb::Reject),
            Just(Verb::Skip(Skip::Blank)),
            Just(Verb::Skip(Skip::Footer)),
            Just(Verb::Withdraw),
        ]
    }

    fn holds(t: &Tally) -> bool {
        t.rows_read() == t.delivered() + t.rejected() + t.skipped() && t.footer() <= t.skipped()
    }

    proptest! {
        #[test]
        fn every_sequence_of_verbs_keeps_the_sum(verbs in prop::collection::vec(verb(), 0..200)) {
            let mut t = Tally::default();
            let mut rows = 0u64;
            for v in verbs {
                let before = t;
                match v {
                    Verb::Accept => t.accept(),
                    Verb::Reject => t.reject(),
                    Verb::Skip(why) => t.skip(why),
                    Verb::Withdraw => {
                        let moved = t.withdraw();
                        prop_assert_eq!(moved, before.delivered() > 0);
                        prop_assert_eq!(t.rows_read(), before.rows_read());
                    }
                }
                if !matches!(v, Verb::Withdraw) {
                    rows += 1;
                }
                prop_assert!(holds(&t), "{:?} after {:?}", t, v);
                prop_assert_eq!(t.rows_read(), rows);
            }
        }
    }

    #[test]
    fn withdraw_moves_one_delivered_record_to_the_rejected() {
        let mut t = Tally::of(2, 0, 1, 1);
        assert!(t.withdraw());
        assert_eq!(
            (t.delivered(), t.rejected(), t.skipped(), t.footer()),
            (1, 1, 2, 1)
        );
        assert!(t.withdraw());
        assert!(!t.withdraw(), "nothing left to withdraw");
        assert_eq!((t.rows_read(), t.delivered(), t.rejected()), (4, 0, 2));
    }

    #[test]
    fn serializes_as_the_reports_summary_keys() {
        let v = serde_json::to_value(Tally::of(3, 2, 1, 1)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "rows_read": 7, "records_delivered": 3, "records_rejected": 2,
                "rows_skipped": 2, "rows_footer": 1
            })
        );
    }
}
