//! The tool's memory: every delivery it wrote and every identifier it delivered.
//!
//! Collectmaxx wants file names that are never reused and identifiers that are unique over
//! the whole history of deliveries (it keeps only the last record with a given identifier).
//! A cron job's out dir is usually emptied by the upload, so the out dir cannot remember
//! either; the [`History`] does. It is an SQLite database (`history.sqlite3`) in the state
//! directory, next to the run lock (`lock`, see [`lock`]).
//!
//! # Using it from a run
//!
//! ```text
//! let mut history = History::open(&dir)?;          // creates and migrates
//! let lock = history.lock(DEFAULT_LOCK_TIMEOUT)?;  // one run at a time
//! history.recover(&lock, Some(&out_dir))?;         // settle what a killed run left
//! ... the run spools its records into a temp file (deliver::Spool) ...
//! let prior = history.find_delivered(client, &identifiers)?;  // identifier.reused
//! let n = history.next_number(date, client, deliver::highest_in_dir(&out_dir, date, client)?)?;
//! commit::commit(&mut history, &lock, temp, &final_path, &entry, ids)?;
//! ```
//! `convert` does all of this through [`crate::deliver::commit_recorded`].
//!
//! The commit is two-phase (see [`commit`]): the delivery is recorded as `pending`, with the
//! temp file's path, before the temp file is renamed to its final name, and confirmed after.
//! [`History::recover`] resolves a pending entry that a killed run left behind by looking at
//! the file system: a temp file still there means the rename never happened (the entry is
//! abandoned, the temp file removed); otherwise the rename happened and the entry is confirmed.
//! Either way the number stays used, so a name is never given out twice.

pub mod commit;
pub mod lock;
mod query;
pub mod reuse;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::Serialize;

pub use lock::{RunLock, DEFAULT_LOCK_TIMEOUT};

/// The database's file name inside the state directory.
pub const DB_FILE: &str = "history.sqlite3";

/// The page cache per connection, in KiB. Identifiers are inserted in key order, so a small
/// cache suffices; a large one counts fully against the run's peak memory.
const CACHE_KIB: i64 = 16 * 1024;

/// How long a single statement waits for another process's SQLite lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

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
    #[error("cannot write the delivery: {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("the history database failed: {0}; if the state directory was copied or edited, restore it from a backup")]
    Sqlite(rusqlite::Error),
    #[error("the history database has schema version {found}, but this collectmaxx knows only up to {known}: it was written by a newer collectmaxx; upgrade, or use another --state-dir")]
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
    #[error("the history holds a value it cannot read: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StateError {
    fn from(e: rusqlite::Error) -> StateError {
        StateError::Sqlite(e)
    }
}

pub type Result<T, E = StateError> = std::result::Result<T, E>;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Recorded, but the file was not yet renamed to its final name (a run in progress, or a
    /// killed run that [`History::recover`] has not seen yet).
    Pending,
    /// Written under its final name.
    Delivered,
    /// Removed from the history by `history forget`: its identifiers are free, its number is not.
    Forgotten,
    /// A killed run never renamed it; its identifiers are free, its number is not.
    Abandoned,
}

impl DeliveryState {
    pub fn name(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Forgotten => "forgotten",
            DeliveryState::Abandoned => "abandoned",
        }
    }

    fn parse(s: &str) -> Result<DeliveryState> {
        Ok(match s {
            "pending" => DeliveryState::Pending,
            "delivered" => DeliveryState::Delivered,
            "forgotten" => DeliveryState::Forgotten,
            "abandoned" => DeliveryState::Abandoned,
            other => return Err(StateError::Corrupt(format!("delivery state '{other}'"))),
        })
    }
}

impl std::fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A delivery about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// The final file name, e.g. `20260102-ACME-3.csv` (see [`crate::deliver::file_name`]).
    pub file: String,
    pub date: NaiveDate,
    pub client: String,
    pub number: u32,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub records: u64,
    /// The input files the delivery was made from, as given on the command line.
    pub inputs: Vec<String>,
}

/// A recorded delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub file: String,
    #[serde(serialize_with = "iso_date")]
    pub date: NaiveDate,
    pub client: String,
    pub number: u32,
    pub sha256: String,
    pub records: u64,
    pub inputs: Vec<String>,
    /// When the delivery was recorded, RFC 3339 UTC.
    pub created_at: String,
    pub state: DeliveryState,
    /// When the state last changed (confirmed, forgotten, abandoned), RFC 3339 UTC.
    pub changed_at: Option<String>,
    /// Where the file was written.
    pub path: Option<String>,
}

/// The earlier delivery of an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorDelivery {
    /// The delivery's file name (shared by all identifiers of that delivery).
    pub file: std::sync::Arc<str>,
    pub date: NaiveDate,
    /// The record's row in the input of that delivery (as the report counts rows).
    pub row: u64,
}

/// One identifier of a delivery, with its row in the delivery's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveredIdentifier {
    pub identifier: String,
    pub row: u64,
}

/// A recorded but not yet confirmed delivery (see [`History::begin_delivery`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a pending delivery must be confirmed (or abandoned)"]
pub struct PendingId(i64);

/// What [`History::recover`] did with an entry a killed run left pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovery {
    pub file: String,
    /// `Delivered` when the rename had happened, `Abandoned` when it had not.
    pub outcome: DeliveryState,
}

/// The delivery history in one state directory.
pub struct History {
    conn: Connection,
    dir: PathBuf,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").field("dir", &self.dir).finish()
    }
}

/// The default state directory: `$XDG_STATE_HOME/collectmaxx`, else
/// `~/.local/state/collectmaxx` (on Windows `%LOCALAPPDATA%\collectmaxx`). `None` when the
/// environment names no home at all.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(x) = env("XDG_STATE_HOME").filter(|p| p.is_absolute()) {
        return Some(x.join("collectmaxx"));
    }
    if let Some(home) = env("HOME") {
        return Some(home.join(".local").join("state").join("collectmaxx"));
    }
    env("LOCALAPPDATA").map(|p| p.join("collectmaxx"))
}

impl History {
    /// Opens the history in `dir`, creating the directory and the database if needed and
    /// migrating the schema to the current version.
    pub fn open(dir: &Path) -> Result<History> {
        std::fs::create_dir_all(dir).map_err(|error| StateError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        Self::open_with(dir, OpenFlags::default())
    }

    /// Opens the history in `dir` if there is one, creating nothing: for `validate` and
    /// `--dry-run`, which read the history but must not leave a state directory behind.
    pub fn open_existing(dir: &Path) -> Result<Option<History>> {
        if !dir.join(DB_FILE).is_file() {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::open_with(dir, flags).map(Some)
    }

    /// Opens and migrates, retrying while another process holds the database in a way that
    /// SQLite's busy handler does not wait for (switching a new database to WAL, or migrating
    /// it, while several processes open it at once; seen as "database is locked" at open).
    fn open_with(dir: &Path, flags: OpenFlags) -> Result<History> {
        let started = std::time::Instant::now();
        loop {
            match Self::try_open(dir, flags) {
                Err(StateError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(25));
                }
                other => return other,
            }
        }
    }

    fn try_open(dir: &Path, flags: OpenFlags) -> Result<History> {
        let mut conn = Connection::open_with_flags(dir.join(DB_FILE), flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers (validate, history list) read while a run writes; FULL makes each
        // commit durable before the rename that follows it.
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A million identifiers make an index of some 50 MB; a cache that holds it makes
        // look-ups and inserts several times faster than the default 2 MB.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        schema::migrate(&mut conn)?;
        Ok(History {
            conn,
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the run lock of this state directory (see [`lock`]).
    pub fn lock(&self, timeout: Duration) -> Result<RunLock> {
        RunLock::acquire(&self.dir, timeout)
    }

    /// The number for the next delivery of `client` on `date`: one above the highest used for
    /// that date and client, in the history (any state, forgotten ones included) or in the out
    /// dir (`out_dir_highest`, 0 for none; see [`crate::deliver::highest_in_dir`]). Only a run
    /// that holds the lock until it records the delivery owns the number.
    pub fn next_number(&self, date: NaiveDate, client: &str, out_dir_highest: u32) -> Result<u32> {
        let in_history: Option<u32> = self.conn.query_row(
            "SELECT max(number) FROM deliveries WHERE date = ?1 AND client = ?2",
            (date.to_string(), client),
            |r| r.get(0),
        )?;
        let highest = in_history.unwrap_or(0).max(out_dir_highest);
        highest
            .checked_add(1)
            .ok_or_else(|| StateError::Corrupt(format!("delivery number {highest}")))
    }

    /// Phase one of a delivery: records it as pending, with its identifiers, in one
    /// transaction, before the temp file is renamed to `final_path`. `identifiers` are best given
    /// in key order (see [`crate::identifiers::Identifiers::iter_sorted`]).
    pub fn begin_delivery<'a>(
        &mut self,
        _lock: &RunLock,
        entry: &NewDelivery,
        temp_path: &Path,
        final_path: &Path,
        identifiers: impl IntoIterator<Item = (&'a str, u64)>,
    ) -> Result<PendingId> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inputs = serde_json::to_string(&entry.inputs)
            .map_err(|e| StateError::Corrupt(format!("inputs: {e}")))?;
        tx.execute(
            "INSERT INTO deliveries (file, date, client, number, sha256, records, inputs,
                                     created_at, state, temp_path, final_path)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9, ?10)",
            (
                &entry.file,
                entry.date.to_string(),
                &entry.client,
                entry.number,
                &entry.sha256,
                to_i64(entry.records),
                inputs,
                now(),
                absolute(temp_path).to_string_lossy(),
                absolute(final_path).to_string_lossy(),
            ),
        )?;
        let id = tx.last_insert_rowid();
        {
            // An identifier given twice keeps its last row, as a run does.
            let mut insert = tx.prepare(
                "INSERT OR REPLACE INTO identifiers (identifier, delivery_id, row) VALUES (?1, ?2, ?3)",
            )?;
            // Callers give the identifiers in key order, which keeps the B-tree's pages in the
            // cache; any order is correct.
            for (identifier, row) in identifiers {
                insert.execute((identifier, id, to_i64(row)))?;
            }
        }
        tx.commit()?;
        Ok(PendingId(id))
    }

    /// Phase two: the file is under its final name.
    pub fn confirm(&mut self, pending: PendingId) -> Result<()> {
        self.conn.execute(
            "UPDATE deliveries SET state = 'delivered', temp_path = NULL, changed_at = ?2
             WHERE id = ?1 AND state = 'pending'",
            (pending.0, now()),
        )?;
        Ok(())
    }

    /// The rename failed: frees the identifiers; the number stays used.
    pub fn abandon(&mut self, pending: PendingId) -> Result<()> {
        self.retire(pending.0, DeliveryState::Abandoned)
    }

    fn retire(&mut self, id: i64, state: DeliveryState) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM identifiers WHERE delivery_id = ?1", [id])?;
        tx.execute(
            "UPDATE deliveries SET state = ?2, temp_path = NULL, changed_at = ?3 WHERE id = ?1",
            (id, state.name(), now()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Settles the deliveries a killed run left pending, and removes the temp files such a run
    /// left in `out_dir` before it recorded anything. Call it with the lock held, before a run.
    ///
    /// For each pending entry: if its final file exists, or its temp file is gone, the rename
    /// happened (the file may since have been uploaded and removed): the entry is confirmed.
    /// If the temp file is still there and the final file is not, the rename never happened:
    /// the temp file is removed and the entry abandoned (its identifiers are free again, its
    /// number stays used).
    pub fn recover(&mut self, _lock: &RunLock, out_dir: Option<&Path>) -> Result<Vec<Recovery>> {
        let pending: Vec<(i64, String, Option<String>, Option<String>)> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, file, temp_path, final_path FROM deliveries WHERE state = 'pending' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut done = Vec::new();
        for (id, file, temp, fin) in pending {
            let temp = temp.map(PathBuf::from);
            let final_exists = fin.map(|p| Path::new(&p).exists()).unwrap_or(false);
            let temp_exists = temp.as_deref().map(Path::exists).unwrap_or(false);
            let outcome = if temp_exists && !final_exists {
                if let Some(t) = &temp {
                    remove_if_present(t)?;
                }
                self.retire(id, DeliveryState::Abandoned)?;
                DeliveryState::Abandoned
            } else {
                if let Some(t) = temp.as_deref().filter(|_| temp_exists) {
                    remove_if_present(t)?;
                }
                self.confirm(PendingId(id))?;
                DeliveryState::Delivered
            };
            done.push(Recovery { file, outcome });
        }
        if let Some(out) = out_dir {
            commit::remove_orphan_temps(out)?;
        }
        Ok(done)
    }

    /// Removes `file` from the history of a delivery that was never sent: its identifiers are
    /// free again; its number stays used, so its name is never given out again.
    pub fn forget(&mut self, _lock: &RunLock, file: &str) -> Result<Delivery> {
        let found: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, state FROM deliveries WHERE file = ?1",
                [file],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (id, state) = found.ok_or_else(|| StateError::UnknownFile(file.to_string()))?;
        let state = DeliveryState::parse(&state)?;
        if state != DeliveryState::Delivered {
            return Err(StateError::NotForgettable {
                file: file.to_string(),
                state,
            });
        }
        self.retire(id, DeliveryState::Forgotten)?;
        self.show(file)?
            .map(|(d, _)| d)
            .ok_or_else(|| StateError::UnknownFile(file.to_string()))
    }
}

/// `path` made absolute, so that recovery finds the files from any working directory (a cron
/// job's differs from a shell's).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(StateError::Io {
            path: path.to_path_buf(),
            error,
        }),
    }
}

fn iso_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
