//! Why a delivery could not be committed or a killed run's leftovers settled.

use std::path::PathBuf;

/// Why the outbox failed: the file system (worded here) or the history (worded by its backend).
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("cannot write the delivery: {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A temp file could not be removed. (The wording is the one the history used when
    /// recovery lived there; kept so that no message changed when it moved.)
    #[error("cannot use the state directory: {path}: {error}")]
    Remove {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    History(#[from] crate::history::Error),
}

pub(crate) type Result<T, E = OutboxError> = std::result::Result<T, E>;
