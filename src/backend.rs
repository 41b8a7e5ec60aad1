//! The one place that picks the history's backend: PostgreSQL when a `postgres://` state URL
//! is given (`--state-url`, config `state_url`, `COLLECTMAXX_STATE_URL`), else SQLite in the
//! state directory. The state directory is used either way, for this machine's run lock.

use std::path::{Path, PathBuf};

use crate::history::{self, History};
use crate::pg::PgHistory;
use crate::state::SqliteHistory;

/// Where the history lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The state directory: the SQLite history, and this machine's run lock either way.
    pub dir: PathBuf,
    /// A `postgres://` URL: the history is in that database.
    pub url: Option<String>,
}

impl Place {
    pub fn local(dir: &Path) -> Place {
        Place {
            dir: dir.to_path_buf(),
            url: None,
        }
    }

    pub fn shared(dir: &Path, url: &str) -> Place {
        Place {
            dir: dir.to_path_buf(),
            url: Some(url.to_string()),
        }
    }
}

/// Opens the history, creating and migrating it.
pub fn open(place: &Place) -> history::Result<Box<dyn History>> {
    Ok(match &place.url {
        Some(url) => Box::new(PgHistory::open(url, &place.dir)?),
        None => Box::new(SqliteHistory::open(&place.dir)?),
    })
}

/// Opens the history if there is one, creating nothing locally (`validate`, `--dry-run`,
/// `history list`). A database named by a URL is always there (it is migrated if need be).
pub fn open_existing(place: &Place) -> history::Result<Option<Box<dyn History>>> {
    Ok(match &place.url {
        Some(url) => Some(Box::new(PgHistory::open(url, &place.dir)?)),
        None => SqliteHistory::open_existing(&place.dir)?.map(|h| Box::new(h) as Box<dyn History>),
    })
}
