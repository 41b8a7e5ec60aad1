//! SQLite storage of the delivery history: [`SqliteHistory`] implements
//! [`crate::history::History`] on a database (`history.sqlite3`) in the state directory,
//! next to the run lock (`lock`, see [`lock`]).
//!
//! Storage only: what a delivery, a pending entry or an identifier look-up means, and the
//! crash-safe commit that drives [`SqliteHistory::begin_delivery`], `confirm` and `abandon`,
//! belong to [`crate::history`] and [`crate::outbox`]. This module knows no temp file and no
//! command-line flag; its errors say what failed in the state directory.
//!
//! # Using it from a run
//!
//! ```text
//! let mut history = SqliteHistory::open(&dir)?;                    // creates and migrates
//! let lock = history.lock(Some(client), DEFAULT_LOCK_TIMEOUT)?;    // one run at a time
//! outbox::recover(&mut history, &lock, Some(&out_dir))?;           // settle a killed run
//! ```
//! and the rest goes through [`crate::outbox::Outbox::commit`].

mod error;
pub(crate) mod lock;
mod query;
pub(crate) mod schema;
mod sends;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

pub use self::error::{Result, StateError};
use crate::history::{
    self, DeliveredIdentifier, Delivery, DeliveryState, FetchedFile, History, Lock, NewDelivery,
    NewSend, PendingEntry, PendingId, PriorDelivery, SendRecord, SendState,
};
pub(crate) use lock::RunLock;

/// The database's file name inside the state directory.
pub const DB_FILE: &str = "history.sqlite3";

/// The page cache per connection, in KiB. Identifiers are inserted in key order, so a small
/// cache suffices; a large one counts fully against the run's peak memory.
const CACHE_KIB: i64 = 16 * 1024;

/// How long a single statement waits for another process's SQLite lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

fn parse_state(s: &str) -> Result<DeliveryState> {
    DeliveryState::from_name(s).ok_or_else(|| StateError::Corrupt(format!("delivery state '{s}'")))
}

/// The delivery history in one state directory.
pub struct SqliteHistory {
    conn: Connection,
    dir: PathBuf,
}

impl std::fmt::Debug for SqliteHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteHistory")
            .field("dir", &self.dir)
            .finish()
    }
}

impl SqliteHistory {
    /// Opens the history in `dir`, creating the directory and the database if needed and
    /// migrating the schema to the current version.
    pub fn open(dir: &Path) -> Result<SqliteHistory> {
        // The history holds identifiers and where deliveries are: the owner's only (0700)
        // unless `file_mode` loosens it.
        crate::privacy::create_dir_all(dir).map_err(|error| StateError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        Self::open_with(dir, OpenFlags::default())
    }

    /// Opens the history in `dir` if there is one, creating nothing: for `validate` and
    /// `--dry-run`, which read the history but must not leave a state directory behind.
    pub fn open_existing(dir: &Path) -> Result<Option<SqliteHistory>> {
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
    fn open_with(dir: &Path, flags: OpenFlags) -> Result<SqliteHistory> {
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

    fn try_open(dir: &Path, flags: OpenFlags) -> Result<SqliteHistory> {
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
        Ok(SqliteHistory {
            conn,
            dir: dir.to_path_buf(),
        })
    }

    /// See [`History::next_number`].
    pub(crate) fn next_number(
        &self,
        date: NaiveDate,
        client: &str,
        out_dir_highest: u32,
    ) -> Result<u32> {
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

    /// Phase one of a delivery (see [`History::begin`]): records it as pending, with its
    /// identifiers, in one transaction. `identifiers` are best given in key order (see
    /// [`crate::identifiers::Identifiers::iter_sorted`]).
    pub(crate) fn begin_delivery<'a>(
        &mut self,
        _lock: &Lock,
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
    pub(crate) fn confirm(&mut self, pending: PendingId) -> Result<()> {
        self.conn.execute(
            "UPDATE deliveries SET state = 'delivered', temp_path = NULL, changed_at = ?2
             WHERE id = ?1 AND state = 'pending'",
            (pending.0, now()),
        )?;
        Ok(())
    }

    /// The rename failed: frees the identifiers; the number stays used.
    pub(crate) fn abandon(&mut self, pending: PendingId) -> Result<()> {
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

    /// See [`History::pending`]. SQLite records neither host nor process: a state directory
    /// belongs to one host, and a killed run's process is gone.
    pub(crate) fn pending(&self, _lock: &Lock) -> Result<Vec<PendingEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, file, temp_path, final_path FROM deliveries WHERE state = 'pending' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PendingEntry {
                id: PendingId(r.get(0)?),
                file: r.get(1)?,
                temp_path: r.get::<_, Option<String>>(2)?.map(PathBuf::from),
                final_path: r.get::<_, Option<String>>(3)?.map(PathBuf::from),
                host: None,
                pid: None,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes `file` from the history of a delivery that was never sent: its identifiers are
    /// free again; its number stays used, so its name is never given out again.
    pub(crate) fn forget(&mut self, _lock: &Lock, file: &str) -> Result<Delivery> {
        let found: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, state FROM deliveries WHERE file = ?1",
                [file],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (id, state) = found.ok_or_else(|| StateError::UnknownFile(file.to_string()))?;
        let state = parse_state(&state)?;
        if state != DeliveryState::Delivered {
            return Err(StateError::NotForgettable {
                file: file.to_string(),
                state,
            });
        }
        if let Some(send) = self.first_send(file)? {
            return Err(match send.state {
                SendState::Sent => StateError::Sent {
                    file: file.to_string(),
                    host: send.host,
                    sent_at: send.sent_at.unwrap_or_default(),
                },
                SendState::Sending => StateError::SendUnsettled {
                    file: file.to_string(),
                    host: send.host,
                    started_at: send.started_at,
                },
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

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl History for SqliteHistory {
    fn lock(&self, _client: Option<&str>, timeout: Duration) -> history::Result<Lock> {
        Ok(Lock::new(RunLock::acquire(&self.dir, timeout)?))
    }

    fn next_number(&self, date: NaiveDate, client: &str, floor: u32) -> history::Result<u32> {
        Ok(SqliteHistory::next_number(self, date, client, floor)?)
    }

    fn begin(
        &mut self,
        lock: &Lock,
        entry: &NewDelivery,
        temp: &Path,
        final_path: &Path,
        identifiers: &mut dyn Iterator<Item = (&str, u64)>,
    ) -> history::Result<PendingId> {
        Ok(self.begin_delivery(lock, entry, temp, final_path, identifiers)?)
    }

    fn confirm(&mut self, pending: PendingId) -> history::Result<()> {
        Ok(SqliteHistory::confirm(self, pending)?)
    }

    fn abandon(&mut self, pending: PendingId) -> history::Result<()> {
        Ok(SqliteHistory::abandon(self, pending)?)
    }

    fn pending(&self, lock: &Lock) -> history::Result<Vec<PendingEntry>> {
        Ok(SqliteHistory::pending(self, lock)?)
    }

    fn find_delivered(
        &self,
        client: &str,
        identifiers: &mut dyn Iterator<Item = &str>,
    ) -> history::Result<HashMap<String, PriorDelivery>> {
        Ok(SqliteHistory::find_delivered(self, client, identifiers)?)
    }

    fn list(
        &self,
        client: Option<&str>,
        since: Option<NaiveDate>,
        all: bool,
    ) -> history::Result<Vec<Delivery>> {
        Ok(SqliteHistory::list(self, client, since, all)?)
    }

    fn show(&self, file: &str) -> history::Result<Option<(Delivery, Vec<DeliveredIdentifier>)>> {
        Ok(SqliteHistory::show(self, file)?)
    }

    fn forget(&mut self, lock: &Lock, file: &str) -> history::Result<Delivery> {
        Ok(SqliteHistory::forget(self, lock, file)?)
    }

    fn begin_send(&mut self, _lock: &Lock, send: &NewSend) -> history::Result<()> {
        Ok(SqliteHistory::begin_send(self, send)?)
    }

    fn confirm_send(&mut self, _lock: &Lock, file: &str) -> history::Result<SendRecord> {
        Ok(SqliteHistory::confirm_send(self, file)?)
    }

    fn abandon_send(&mut self, _lock: &Lock, file: &str) -> history::Result<()> {
        Ok(SqliteHistory::abandon_send(self, file)?)
    }

    fn sent_of(&self, file: &str) -> history::Result<Option<SendRecord>> {
        Ok(SqliteHistory::sent_of(self, file)?)
    }

    fn sending(&self, _lock: &Lock) -> history::Result<Vec<SendRecord>> {
        Ok(SqliteHistory::sending(self)?)
    }

    fn record_fetched(&mut self, _lock: &Lock, fetched: &FetchedFile) -> history::Result<()> {
        Ok(SqliteHistory::record_fetched(self, fetched)?)
    }

    fn fetched(&self, name: &str) -> history::Result<Option<FetchedFile>> {
        Ok(SqliteHistory::fetched(self, name)?)
    }
}

#[cfg(test)]
mod tests;
