//! Settling what a killed run left behind, from the file system.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::error::Result;
use super::temp::{remove_if_present, remove_orphan_temps};
use crate::history::{DeliveryState, History, Lock};

/// What [`recover`] did with an entry a killed run left pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovery {
    pub file: String,
    /// `Delivered` when the rename had happened, `Abandoned` when it had not.
    pub outcome: DeliveryState,
}

/// Settles the deliveries a killed run left pending, and removes the temp files such a run
/// left in `out_dir` before it recorded anything. Call it with the lock held, before a run.
///
/// For each pending entry: if its final file exists, or its temp file is gone, the rename
/// happened (the file may since have been uploaded and removed): the entry is confirmed.
/// If the temp file is still there and the final file is not, the rename never happened:
/// the temp file is removed and the entry abandoned (its identifiers are free again, its
/// number stays used).
pub fn recover(
    history: &mut dyn History,
    lock: &Lock,
    out_dir: Option<&Path>,
) -> Result<Vec<Recovery>> {
    let mut done = Vec::new();
    for entry in history.pending(lock)? {
        let temp: Option<PathBuf> = entry.temp_path;
        let final_exists = entry.final_path.as_deref().is_some_and(Path::exists);
        let temp_exists = temp.as_deref().is_some_and(Path::exists);
        let outcome = if temp_exists && !final_exists {
            if let Some(t) = &temp {
                remove_if_present(t)?;
            }
            history.abandon(entry.id)?;
            DeliveryState::Abandoned
        } else {
            if let Some(t) = temp.as_deref().filter(|_| temp_exists) {
                remove_if_present(t)?;
            }
            history.confirm(entry.id)?;
            DeliveryState::Delivered
        };
        done.push(Recovery {
            file: entry.file,
            outcome,
        });
    }
    if let Some(out) = out_dir {
        remove_orphan_temps(out)?;
    }
    Ok(done)
}
