//! Why the SQLite history could not be used.

use std::path::PathBuf;
use std::time::Duration;

use crate::history::{self, DeliveryState};

/// Why the history could not be used.
///
/// Each message already holds the text of the error beneath it, so none is given as the
/// error's `source`: the one-line report of an error chain (`{:#}`) would say it twice.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot use the state directory: {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("the history database failed: {0}; if the state directory was copied or edited, restore it from a backup")]
    Sqlite(rusqlite::Error),
    /// The command line adds what to do (see `cli::state_dir`): the storage knows no flags.
    #[error("the history database has schema version {found}, but this collectmaxx knows only up to {known}: it was written by a newer collectmaxx")]
    NewerSchema { found: u32, known: u32 },
    #[error("another collectmaxx run holds the lock on {} since {holder}; gave up after {} s. Wait for that run to finish (or end it if it hangs), then run again", dir.display(), waited.as_secs())]
    Locked {
        dir: PathBuf,
        holder: String,
        waited: Duration,
    },
    #[error(
        "no delivery named '{0}' in the history; 'collectmaxx history list' shows the known ones"
    )]
    UnknownFile(String),
    #[error("delivery '{file}' is {state}, so it cannot be forgotten{}", match state {
        DeliveryState::Pending => ": a run is writing it, or one was interrupted; the next convert settles it",
        _ => " again",
    })]
    NotForgettable { file: String, state: DeliveryState },
    #[error("delivery '{file}' was sent to {host} on {sent_at}, so it cannot be forgotten: Collectmaxx has its records")]
    Sent {
        file: String,
        host: String,
        sent_at: String,
    },
    #[error("an upload of delivery '{file}' to {host} began on {started_at} and was never confirmed, so it may be on the server and cannot be forgotten: run 'collectmaxx send --pending' to settle it first")]
    SendUnsettled {
        file: String,
        host: String,
        started_at: String,
    },
    #[error("delivery '{0}' has no send in progress to settle")]
    NoSend(String),
    #[error("the history holds a value it cannot read: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StateError {
    fn from(e: rusqlite::Error) -> StateError {
        StateError::Sqlite(e)
    }
}

pub type Result<T, E = StateError> = std::result::Result<T, E>;

impl From<StateError> for history::Error {
    fn from(e: StateError) -> history::Error {
        history::Error::new(e)
    }
}
