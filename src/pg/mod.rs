//! The delivery history in PostgreSQL, shared by several machines: [`PgHistory`] implements
//! [`crate::history::History`] on a database named by a `postgres://` URL (`--state-url`).
//!
//! What several machines sharing one history need, beyond what SQLite does:
//! - a run holds its client's advisory lock (`pg_advisory_lock`) on a connection of its own
//!   from before its identifier check until its delivery is confirmed, so a second run for
//!   the same client, on any machine, checks its identifiers only after the first recorded
//!   its own: the loser's records are `identifier.reused`, and numbers never collide
//!   (`UNIQUE (client, date, number)` and `UNIQUE (file)` are the second line of defence).
//!   The lock is the database's: it goes when the connection goes, however the run ends;
//! - the run lock in the state directory is still taken: it keeps this machine's runs from
//!   taking each other's temp files for a killed run's;
//! - a pending delivery records its host and process; recovery settles only this host's.
//!
//! Storage only, as [`crate::state`]: the outbox drives the commit.

pub mod conn;
mod error;
pub mod failure;
mod migrate;
mod query;
pub mod schema;
mod sends;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use postgres::Client;
use sha2::Digest;

pub use self::conn::{ConnectSpec, Env};
pub use self::error::{PgError, Result};
pub use self::migrate::{migrate_from_sqlite, Migrated};
use crate::history::{
    self, DeliveredIdentifier, Delivery, FetchedFile, History, Lock, NewDelivery, NewSend,
    PendingEntry, PendingId, PriorDelivery, SendRecord,
};
use crate::state::RunLock;

/// Replaces this machine's name in the entries it records: for tests that play several
/// machines on one.
pub const HOST_ENV: &str = "COLLECTMAXX_TEST_HOST";

/// The advisory lock of the whole history: runs take it shared, `history forget` exclusive.
const HISTORY_LOCK: i64 = 0x636d_782d_616c_6c00;

const POLL: Duration = Duration::from_millis(50);

/// The history in one PostgreSQL database.
pub struct PgHistory {
    conn: Mutex<Client>,
    spec: ConnectSpec,
    /// The state directory: this machine's run lock.
    dir: PathBuf,
    host: String,
    pid: i32,
}

impl std::fmt::Debug for PgHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgHistory")
            .field("url", &self.spec.display())
            .field("host", &self.host)
            .finish()
    }
}

impl PgHistory {
    /// Connects to the database of `url` (environment: `PGPASSWORD`, `~/.pgpass`, ...),
    /// creates or migrates the schema, and keeps `state_dir` for this machine's run lock.
    pub fn open(url: &str, state_dir: &Path) -> Result<PgHistory> {
        let spec = ConnectSpec::parse(url, &Env::from_process())?;
        for w in &spec.warnings {
            eprintln!("warning: {w}");
        }
        let mut conn = spec.connect()?;
        schema::migrate(&mut conn)?;
        Ok(PgHistory {
            conn: Mutex::new(conn),
            spec,
            dir: state_dir.to_path_buf(),
            host: this_host(),
            pid: std::process::id() as i32,
        })
    }

    /// The URL without its password, for messages.
    pub fn display(&self) -> String {
        self.spec.display()
    }

    /// The name this machine records in its pending entries.
    pub fn host(&self) -> &str {
        &self.host
    }

    fn conn(&self) -> MutexGuard<'_, Client> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes `key` on a connection of its own (shared with `global`), waiting up to `timeout`.
    fn db_lock(&self, client: Option<&str>, timeout: Duration) -> Result<Client> {
        let mut c = self.spec.connect()?;
        let tag = format!("collectmaxx host={} pid={}", self.host, self.pid);
        c.execute("SELECT set_config('application_name', $1, false)", &[&tag])?;
        let started = Instant::now();
        loop {
            let got: bool = match client {
                Some(client) => {
                    // One statement each: SQL does not promise the order of AND's operands.
                    let shared: bool = c
                        .query_one("SELECT pg_try_advisory_lock_shared($1)", &[&HISTORY_LOCK])?
                        .get(0);
                    let got = shared
                        && c.query_one(
                            "SELECT pg_try_advisory_lock($1)",
                            &[&client_lock_key(client)],
                        )?
                        .get::<_, bool>(0);
                    if shared && !got {
                        c.execute("SELECT pg_advisory_unlock_shared($1)", &[&HISTORY_LOCK])?;
                    }
                    got
                }
                None => c
                    .query_one("SELECT pg_try_advisory_lock($1)", &[&HISTORY_LOCK])?
                    .get(0),
            };
            if got {
                return Ok(c);
            }
            if started.elapsed() >= timeout {
                let key = client.map(client_lock_key).unwrap_or(HISTORY_LOCK);
                return Err(PgError::Locked {
                    what: client.map_or("the whole history".into(), |c| format!("client {c}")),
                    holder: lock_holder(&mut c, key).unwrap_or_else(|| "unknown".into()),
                    waited: timeout,
                });
            }
            std::thread::sleep(POLL);
        }
    }

    fn retire(&self, id: i64, state: &str) -> Result<()> {
        let mut conn = self.conn();
        let mut tx = conn.transaction()?;
        tx.execute("DELETE FROM identifiers WHERE delivery_id = $1", &[&id])?;
        tx.execute(
            "UPDATE deliveries SET state = $2, temp_path = NULL, changed_at = now() WHERE id = $1",
            &[&id, &state],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// See [`History::forget`]; a pending entry is dropped only when `host` names the host
    /// that recorded it (`history forget NAME --host H`).
    pub fn forget_on(&self, file: &str, host: Option<&str>) -> Result<Delivery> {
        let row = self.conn().query_opt(
            "SELECT id, state, host FROM deliveries WHERE file = $1",
            &[&file],
        )?;
        let row = row.ok_or_else(|| PgError::UnknownFile(file.into()))?;
        let (id, state, recorded_on): (i64, String, String) = (row.get(0), row.get(1), row.get(2));
        let state = parse_state(&state)?;
        let forgettable = match (state, host) {
            (history::DeliveryState::Delivered, None) => true,
            (history::DeliveryState::Pending, Some(h)) => {
                if h != recorded_on {
                    return Err(PgError::WrongHost {
                        file: file.into(),
                        host: recorded_on,
                        given: h.into(),
                    });
                }
                true
            }
            (history::DeliveryState::Delivered, Some(h)) if h == recorded_on => true,
            (history::DeliveryState::Delivered, Some(h)) => {
                return Err(PgError::WrongHost {
                    file: file.into(),
                    host: recorded_on,
                    given: h.into(),
                })
            }
            _ => false,
        };
        if !forgettable {
            return Err(PgError::NotForgettable {
                file: file.into(),
                state,
                host: recorded_on,
            });
        }
        if let Some(send) = self.first_send(file)? {
            return Err(match send.state {
                history::SendState::Sent => PgError::Sent {
                    file: file.into(),
                    host: send.host,
                    sent_at: send.sent_at.unwrap_or_default(),
                },
                history::SendState::Sending => PgError::SendUnsettled {
                    file: file.into(),
                    host: send.host,
                    started_at: send.started_at,
                },
            });
        }
        self.retire(id, "forgotten")?;
        self.show_delivery(file)?
            .map(|(d, _)| d)
            .ok_or_else(|| PgError::UnknownFile(file.into()))
    }

    fn begin_delivery(
        &self,
        entry: &NewDelivery,
        temp: &Path,
        final_path: &Path,
        identifiers: &mut dyn Iterator<Item = (&str, u64)>,
    ) -> Result<PendingId> {
        let mut ids: Vec<(&str, i64)> = identifiers.map(|(s, r)| (s, to_i64(r))).collect();
        if !ids.windows(2).all(|w| w[0].0 < w[1].0) {
            // COPY has no "or replace": an identifier given twice keeps its last row, as in
            // a run and in the SQLite history.
            ids.sort_by(|a, b| a.0.cmp(b.0));
            let mut kept: Vec<(&str, i64)> = Vec::with_capacity(ids.len());
            for (id, row) in ids {
                match kept.last_mut() {
                    Some(last) if last.0 == id => last.1 = row,
                    _ => kept.push((id, row)),
                }
            }
            ids = kept;
        }
        let inputs = serde_json::to_string(&entry.inputs)
            .map_err(|e| PgError::Corrupt(format!("inputs: {e}")))?;
        let number = i32::try_from(entry.number)
            .map_err(|_| PgError::Corrupt(format!("delivery number {}", entry.number)))?;
        let (host, pid) = (&self.host, self.pid);
        let temp = absolute(temp).to_string_lossy().into_owned();
        let final_path = absolute(final_path).to_string_lossy().into_owned();
        let mut conn = self.conn();
        let mut tx = conn.transaction()?;
        let (v, by) = schema::version(&mut tx)?;
        schema::refuse_newer(v, by)?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO deliveries (file, date, client, number, sha256, records, inputs,
                                         state, temp_path, final_path, host, pid)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, 'pending', $8, $9, $10, $11)
                 RETURNING id",
                &[
                    &entry.file,
                    &entry.date,
                    &entry.client,
                    &number,
                    &entry.sha256,
                    &to_i64(entry.records),
                    &inputs,
                    &temp,
                    &final_path,
                    host,
                    &pid,
                ],
            )?
            .get(0);
        let sink = tx.copy_in(
            "COPY identifiers (identifier, delivery_id, row) FROM STDIN (FORMAT binary)",
        )?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::TEXT, Type::INT8, Type::INT8]);
        for (identifier, row) in &ids {
            w.write(&[identifier, &id, row])?;
        }
        w.finish()?;
        tx.commit()?;
        Ok(PendingId(id))
    }
}

fn parse_state(s: &str) -> Result<history::DeliveryState> {
    history::DeliveryState::from_name(s)
        .ok_or_else(|| PgError::Corrupt(format!("delivery state '{s}'")))
}

/// The advisory lock key of a client: the first 8 bytes of SHA-256("collectmaxx client " +
/// client). Frozen: every collectmaxx version must compute the same key, or two versions
/// would not exclude each other.
pub fn client_lock_key(client: &str) -> i64 {
    let d = sha2::Sha256::digest(format!("collectmaxx client {client}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_be_bytes(b)
}

/// Who holds an advisory lock: the holder's application name (host and process) and since when.
fn lock_holder(c: &mut Client, key: i64) -> Option<String> {
    let (hi, lo) = ((key as u64 >> 32) as i64, (key as u64 & 0xffff_ffff) as i64);
    let row = c
        .query_opt(
            "SELECT a.application_name, to_char(a.backend_start, 'YYYY-MM-DD\"T\"HH24:MI:SSOF')
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.classid::bigint = $1 AND l.objid::bigint = $2
             LIMIT 1",
            &[&hi, &lo],
        )
        .ok()??;
    Some(format!(
        "{} since {}",
        row.get::<_, String>(0),
        row.get::<_, String>(1)
    ))
}

/// This machine's name, as recorded in pending entries ([`HOST_ENV`] replaces it).
pub fn this_host() -> String {
    if let Some(h) = std::env::var(HOST_ENV).ok().filter(|h| !h.is_empty()) {
        return h;
    }
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates when it fits.
    let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return "unknown".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The run's two locks; dropping it closes the lock connection (the database drops its
/// advisory locks) and releases the state directory's lock.
struct Held {
    _db: Client,
    _local: RunLock,
}

impl History for PgHistory {
    fn lock(&self, client: Option<&str>, timeout: Duration) -> history::Result<Lock> {
        std::fs::create_dir_all(&self.dir).map_err(|error| PgError::Io {
            path: self.dir.clone(),
            error,
        })?;
        let started = Instant::now();
        let local = RunLock::acquire(&self.dir, timeout)?;
        let db = self.db_lock(client, timeout.saturating_sub(started.elapsed()))?;
        Ok(Lock::new(Held {
            _db: db,
            _local: local,
        }))
    }

    fn next_number(&self, date: NaiveDate, client: &str, floor: u32) -> history::Result<u32> {
        let highest: i32 = self
            .conn()
            .query_one(
                "SELECT coalesce(max(number), 0) FROM deliveries WHERE client = $1 AND date = $2",
                &[&client, &date],
            )
            .map_err(PgError::from)?
            .get(0);
        let highest = (highest.max(0) as u32).max(floor);
        Ok(highest
            .checked_add(1)
            .ok_or_else(|| PgError::Corrupt(format!("delivery number {highest}")))?)
    }

    fn begin(
        &mut self,
        _lock: &Lock,
        entry: &NewDelivery,
        temp: &Path,
        final_path: &Path,
        identifiers: &mut dyn Iterator<Item = (&str, u64)>,
    ) -> history::Result<PendingId> {
        Ok(self.begin_delivery(entry, temp, final_path, identifiers)?)
    }

    fn confirm(&mut self, pending: PendingId) -> history::Result<()> {
        self.conn()
            .execute(
                "UPDATE deliveries SET state = 'delivered', temp_path = NULL, changed_at = now()
                 WHERE id = $1 AND state = 'pending'",
                &[&pending.0],
            )
            .map_err(PgError::from)?;
        Ok(())
    }

    fn abandon(&mut self, pending: PendingId) -> history::Result<()> {
        Ok(self.retire(pending.0, "abandoned")?)
    }

    fn pending(&self, _lock: &Lock) -> history::Result<Vec<PendingEntry>> {
        // Only this host's: the file system that tells whether the rename happened is its own.
        let rows = self
            .conn()
            .query(
                "SELECT id, file, temp_path, final_path, host, pid FROM deliveries
                 WHERE state = 'pending' AND host = $1 ORDER BY id",
                &[&self.host],
            )
            .map_err(PgError::from)?;
        Ok(rows
            .iter()
            .map(|r| PendingEntry {
                id: PendingId(r.get(0)),
                file: r.get(1),
                temp_path: r.get::<_, Option<String>>(2).map(PathBuf::from),
                final_path: r.get::<_, Option<String>>(3).map(PathBuf::from),
                host: Some(r.get(4)),
                pid: u32::try_from(r.get::<_, i32>(5)).ok(),
            })
            .collect())
    }

    fn find_delivered(
        &self,
        client: &str,
        identifiers: &mut dyn Iterator<Item = &str>,
    ) -> history::Result<HashMap<String, PriorDelivery>> {
        Ok(self.find(client, identifiers)?)
    }

    fn list(
        &self,
        client: Option<&str>,
        since: Option<NaiveDate>,
        all: bool,
    ) -> history::Result<Vec<Delivery>> {
        Ok(self.list_deliveries(client, since, all)?)
    }

    fn show(&self, file: &str) -> history::Result<Option<(Delivery, Vec<DeliveredIdentifier>)>> {
        Ok(self.show_delivery(file)?)
    }

    fn forget(&mut self, _lock: &Lock, file: &str) -> history::Result<Delivery> {
        Ok(self.forget_on(file, None)?)
    }

    fn forget_on_host(
        &mut self,
        _lock: &Lock,
        file: &str,
        host: &str,
    ) -> history::Result<Delivery> {
        Ok(self.forget_on(file, Some(host))?)
    }

    fn host_of(&self, file: &str) -> history::Result<Option<String>> {
        let row = self
            .conn()
            .query_opt("SELECT host FROM deliveries WHERE file = $1", &[&file])
            .map_err(PgError::from)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn begin_send(&mut self, _lock: &Lock, send: &NewSend) -> history::Result<()> {
        Ok(self.begin_send_of(send)?)
    }

    fn confirm_send(&mut self, _lock: &Lock, file: &str) -> history::Result<SendRecord> {
        Ok(self.confirm_send_of(file)?)
    }

    fn abandon_send(&mut self, _lock: &Lock, file: &str) -> history::Result<()> {
        Ok(self.abandon_send_of(file)?)
    }

    fn sent_of(&self, file: &str) -> history::Result<Option<SendRecord>> {
        Ok(self.latest_send(file)?)
    }

    fn sending(&self, _lock: &Lock) -> history::Result<Vec<SendRecord>> {
        Ok(self.sends_in_progress()?)
    }

    fn record_fetched(&mut self, _lock: &Lock, fetched: &FetchedFile) -> history::Result<()> {
        Ok(self.record_fetched_file(fetched)?)
    }

    fn fetched(&self, name: &str) -> history::Result<Option<FetchedFile>> {
        Ok(self.fetched_file(name)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_lock_key_is_frozen() {
        // Every collectmaxx version must compute the same key for a client.
        assert_eq!(client_lock_key("ACME"), 0x13ae_4e06_459f_bbbf);
        assert_ne!(client_lock_key("ACME"), client_lock_key("ACME2"));
    }
}
