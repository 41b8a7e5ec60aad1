//! Why a delivery step failed (exit code 2). The words are the ones the command line printed
//! when the workflow lived there.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Run(#[from] crate::run::RunError),
    #[error(transparent)]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error(transparent)]
    History(#[from] crate::history::Error),
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    LockTimeout(#[from] crate::config::BadLockTimeout),
    /// The spool could not become the delivery file.
    #[error("cannot finish the delivery")]
    Finish(#[source] io::Error),
    #[error("cannot create the report dir {}", .0.display())]
    ReportDir(PathBuf, #[source] io::Error),
    /// `made` says what was done already when the delivery was written and recorded.
    #[error("cannot write the report {}{made}", path.display())]
    Report {
        path: PathBuf,
        made: String,
        #[source]
        source: io::Error,
    },
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
