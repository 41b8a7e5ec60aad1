//! Why the PostgreSQL history could not be used. No message holds a password.

use std::path::PathBuf;
use std::time::Duration;

use super::conn::{ConnectError, UrlError};
use super::failure::{classify, Failure};
use crate::history::{self, DeliveryState};

#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("{0}")]
    Db(Failure),
    #[error("the history database has schema version {found} (written by {by}), but this collectmaxx knows only up to {known}: it was written by a newer collectmaxx; upgrade collectmaxx on this machine")]
    NewerSchema { found: i32, known: i32, by: String },
    #[error("another collectmaxx run ({holder}) holds {what} in the shared history; gave up after {} s. Wait for that run to finish, then run again", waited.as_secs())]
    Locked {
        what: String,
        holder: String,
        waited: Duration,
    },
    #[error("cannot use the state directory: {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "no delivery named '{0}' in the history; 'collectmaxx history list' shows the known ones"
    )]
    UnknownFile(String),
    #[error("delivery '{file}' is {state}, so it cannot be forgotten{}", match state {
        DeliveryState::Pending => format!(" without naming its host: it is pending on host {host}; a run there settles it, or 'collectmaxx history forget {file} --host {host}' drops it"),
        _ => " again".to_string(),
    })]
    NotForgettable {
        file: String,
        state: DeliveryState,
        host: String,
    },
    #[error("delivery '{file}' was recorded on host {host}, not on {given}: --host must name the host that recorded it")]
    WrongHost {
        file: String,
        host: String,
        given: String,
    },
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

impl From<postgres::Error> for PgError {
    fn from(e: postgres::Error) -> PgError {
        PgError::Db(classify(&e))
    }
}

impl From<std::io::Error> for PgError {
    fn from(e: std::io::Error) -> PgError {
        PgError::Db(Failure::from_io(&e))
    }
}

impl From<PgError> for history::Error {
    fn from(e: PgError) -> history::Error {
        history::Error::new(e)
    }
}

pub type Result<T, E = PgError> = std::result::Result<T, E>;
