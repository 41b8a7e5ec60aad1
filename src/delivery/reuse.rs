//! `identifier.reused`: records whose identifier the client delivered in an earlier file.
//!
//! Collectmaxx keeps only the last record with a given identifier over the whole history of
//! deliveries, so a record that reuses one silently replaces the earlier record there. Such a
//! record is rejected, unless the run re-sends on purpose (`--allow-reuse`): then it is
//! delivered with the warning `identifier.reused_allowed`. The history finds the records
//! ([`crate::history::reused`]); the words, which name the flags that answer them, are here:
//! the history is storage and says nothing to people.

use super::error::Result;
use crate::history::{self, History};
use crate::identifiers::Identifiers;
use crate::issue::{Issue, Severity};
use crate::registry::well_known;
use crate::report::IssueLog;

/// Checks the run's identifiers against the history of `client` and logs an issue per
/// record that reuses one. Returns the sink indexes of the records not to deliver (sorted;
/// empty with `allow`); the log's summary counts them as rejected.
pub(crate) fn check(
    history: &dyn History,
    client: &str,
    identifiers: &Identifiers,
    allow: bool,
    log: &mut IssueLog,
) -> Result<Vec<u64>> {
    let mut drop = Vec::new();
    for reused in history::reused(history, client, identifiers)? {
        let (id, seen, earlier) = (&reused.identifier, reused.seen, &reused.earlier);
        let (severity, code, message) = if allow {
            (
                Severity::Warning,
                "identifier.reused_allowed",
                format!(
                    "identifier '{id}' was already delivered in {} on {} (its row {}); delivered again because of --allow-reuse: Collectmaxx now keeps this record instead of that one",
                    earlier.file, earlier.date, earlier.row
                ),
            )
        } else {
            (
                Severity::Error,
                "identifier.reused",
                format!(
                    "identifier '{id}' was already delivered in {} on {} (its row {}): Collectmaxx would replace that record with this one, so it is not delivered; give the record a new identifier, pass --allow-reuse to re-send it on purpose, or 'collectmaxx history forget {}' if that file was never sent",
                    earlier.file, earlier.date, earlier.row, earlier.file
                ),
            )
        };
        let mut issue = Issue::new(severity, code, message).value(id);
        issue.input = Some(seen.input);
        issue.row = Some(seen.row);
        issue.identifier = Some(id.to_string());
        issue.field = Some(well_known::identifier().column().to_string());
        if allow {
            log.push(issue)?;
        } else {
            drop.push(seen.index);
            log.withdraw(issue)?;
        }
    }
    drop.sort_unstable();
    Ok(drop)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::NaiveDate;

    use super::*;
    use crate::history::NewDelivery;
    use crate::identifiers::Seen;
    use crate::outbox;
    use crate::state::SqliteHistory;
    use crate::tally::Tally;

    fn seen(index: u64, row: u64) -> Seen {
        Seen {
            index,
            input: 0,
            row,
        }
    }

    fn history_with(ids: &[&str]) -> (tempfile::TempDir, SqliteHistory) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut h = SqliteHistory::open(&dir.path().join("state")).unwrap();
        let lock = h.lock(None, Duration::from_secs(5)).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let entry = NewDelivery {
            file: "20260102-A-1.csv".into(),
            date,
            client: "A".into(),
            number: 1,
            sha256: String::new(),
            records: ids.len() as u64,
            inputs: vec![],
        };
        let temp = outbox::stage(&out).unwrap();
        let rows = ids.iter().enumerate().map(|(i, id)| (*id, i as u64 + 2));
        outbox::commit(&mut h, &lock, temp, &out.join(&entry.file), &entry, rows)
            .unwrap()
            .done()
            .unwrap();
        drop(lock);
        (dir, h)
    }

    fn run_ids() -> Identifiers {
        [
            ("old", seen(0, 2)),
            ("new", seen(1, 3)),
            ("older", seen(2, 4)),
        ]
        .into_iter()
        .map(|(k, v)| (Box::from(k), v))
        .collect()
    }

    #[test]
    fn reused_identifiers_are_rejected_and_counted() {
        let (_d, h) = history_with(&["old", "older"]);
        let mut log = IssueLog::new(false, false).unwrap();
        log.summary.rows = Tally::of(3, 0, 0, 0);
        let drop = check(&h, "A", &run_ids(), false, &mut log).unwrap();
        assert_eq!(drop, vec![0, 2]);
        assert_eq!(log.summary.rows.delivered(), 1);
        assert_eq!(log.summary.rows.rejected(), 2);
        assert_eq!(log.summary.by_code.get("identifier.reused"), Some(&2));
        // Another client's history does not count.
        let mut log = IssueLog::new(false, false).unwrap();
        assert!(check(&h, "B", &run_ids(), false, &mut log)
            .unwrap()
            .is_empty());
        assert_eq!(log.summary.errors, 0);
    }

    #[test]
    fn allowed_reuse_is_a_warning_and_delivered() {
        let (_d, h) = history_with(&["old"]);
        let mut log = IssueLog::new(false, false).unwrap();
        log.summary.rows = Tally::of(3, 0, 0, 0);
        let drop = check(&h, "A", &run_ids(), true, &mut log).unwrap();
        assert!(drop.is_empty());
        assert_eq!(log.summary.rows.delivered(), 3);
        assert_eq!((log.summary.errors, log.summary.warnings), (0, 1));
        assert_eq!(
            log.summary.by_code.get("identifier.reused_allowed"),
            Some(&1)
        );
    }
}
