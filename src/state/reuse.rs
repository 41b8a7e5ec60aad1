//! `identifier.reused`: records whose identifier the client delivered in an earlier file.
//!
//! Collectmaxx keeps only the last record with a given identifier over the whole history of
//! deliveries, so a record that reuses one silently replaces the earlier record there. Such a
//! record is rejected, unless the run re-sends on purpose (`--allow-reuse`): then it is
//! delivered with the warning `identifier.reused_allowed`.

use std::collections::HashMap;

use super::History;
use crate::issue::{Issue, Severity};
use crate::registry::well_known;
use crate::report::IssueLog;
use crate::run::Seen;

/// Checks the run's identifiers against the history of `client` and logs an issue per
/// record that reuses one. Returns the sink indexes of the records not to deliver (sorted;
/// empty with `allow`); the log's summary counts them as rejected.
pub fn check(
    history: &History,
    client: &str,
    identifiers: &HashMap<Box<str>, Seen>,
    allow: bool,
    log: &mut IssueLog,
) -> anyhow::Result<Vec<u64>> {
    let keys: Vec<&str> = identifiers.keys().map(|k| &**k).collect();
    let prior = history.find_delivered(client, &keys)?;
    let mut reused: Vec<(&Seen, &str)> = prior
        .keys()
        .filter_map(|id| identifiers.get(id.as_str()).map(|seen| (seen, id.as_str())))
        .collect();
    reused.sort_by_key(|(seen, _)| (seen.input, seen.row));
    let mut drop = Vec::new();
    for (seen, id) in reused {
        let Some(earlier) = prior.get(id) else {
            continue;
        };
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
        log.push(issue)?;
        if !allow {
            drop.push(seen.index);
            log.summary.records_delivered = log.summary.records_delivered.saturating_sub(1);
            log.summary.records_rejected += 1;
        }
    }
    drop.sort_unstable();
    Ok(drop)
}
