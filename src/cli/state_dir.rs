//! Opening the history in a state directory, with the storage's errors worded for the command
//! line (the storage does not know the flags).

use std::path::Path;

use collectmaxx::state::{SqliteHistory, StateError};

/// Opens the history in `dir`, creating and migrating it (see [`SqliteHistory::open`]).
pub fn open(dir: &Path) -> anyhow::Result<SqliteHistory> {
    SqliteHistory::open(dir).map_err(advise)
}

/// Opens the history in `dir` if there is one, creating nothing
/// (see [`SqliteHistory::open_existing`]).
pub fn open_existing(dir: &Path) -> anyhow::Result<Option<SqliteHistory>> {
    SqliteHistory::open_existing(dir).map_err(advise)
}

/// Adds what to do where that is a flag.
fn advise(e: StateError) -> anyhow::Error {
    match e {
        StateError::NewerSchema { .. } => {
            anyhow::anyhow!("{e}; upgrade, or use another --state-dir")
        }
        e => e.into(),
    }
}
