//! The delivery history as the rest of the tool sees it: a small trait and plain data.
//!
//! Collectmaxx wants file names that are never reused and identifiers that are unique over
//! the whole history of deliveries (it keeps only the last record with a given identifier). A
//! cron job's out dir is usually emptied by the upload, so the out dir cannot remember either;
//! a [`History`] does. Today there is one backend, SQLite in the state directory
//! ([`crate::state::SqliteHistory`]), and a history shared by several hosts in PostgreSQL
//! ([`crate::pg::PgHistory`]); [`crate::backend`] picks one. So this module holds no SQL, touches no file and words no message: the
//! crash-safe commit that drives it lives in [`crate::outbox`], and what a person reads is
//! worded by the backend (storage errors) or by the command (everything else).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;

use crate::identifiers::{Identifiers, Seen};

/// How long a run waits for another run's lock before giving up, unless told otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(300);

/// A backend's failure, worded by the backend (its `Display` is the backend error's).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<dyn std::error::Error + Send + Sync + 'static>);

impl Error {
    pub(crate) fn new(e: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error(Box::new(e))
    }

    /// The backend's own error, for a caller that knows the backend.
    pub fn backend(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The history's run lock: one run at a time writes to a history. Dropping it releases it.
/// The backend decides what it is (a file lock for SQLite); methods that change the history
/// take it as a proof that it is held.
pub struct Lock {
    _guard: Box<dyn Send>,
}

impl Lock {
    /// Wraps a backend's lock guard, which releases the lock when dropped.
    pub(crate) fn new(guard: impl Send + 'static) -> Lock {
        Lock {
            _guard: Box::new(guard),
        }
    }
}

impl std::fmt::Debug for Lock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lock")
    }
}

/// The delivery history: numbering, the two phases of recording a delivery, the identifiers
/// delivered, and the `history` command's queries. Object-safe, so the workflow holds a
/// `dyn History` and a second backend changes nothing above it.
pub trait History {
    /// Takes the run lock, waiting up to `timeout` for another run. `client` is the client the
    /// run delivers for (`None`: a change of the whole history, as `history forget`); a
    /// backend may lock per client, SQLite locks the whole state directory either way.
    fn lock(&self, client: Option<&str>, timeout: Duration) -> Result<Lock>;

    /// The number for the next delivery of `client` on `date`: one above the highest used for
    /// that date and client in the history (any state, forgotten ones included) or `floor`
    /// (the highest found in the out dir, 0 for none). Only a run that holds the lock until
    /// it records the delivery owns the number.
    fn next_number(&self, date: NaiveDate, client: &str, floor: u32) -> Result<u32>;

    /// Phase one of a delivery: records it as pending, with where its file is now (`temp`) and
    /// will be (`final_path`) and its identifiers with their rows, all at once. Identifiers
    /// are best given in key order.
    fn begin(
        &mut self,
        lock: &Lock,
        entry: &NewDelivery,
        temp: &Path,
        final_path: &Path,
        identifiers: &mut dyn Iterator<Item = (&str, u64)>,
    ) -> Result<PendingId>;

    /// Phase two: the file is under its final name.
    fn confirm(&mut self, pending: PendingId) -> Result<()>;

    /// The file will never be under its final name: its identifiers are free again, its
    /// number stays used.
    fn abandon(&mut self, pending: PendingId) -> Result<()>;

    /// The deliveries recorded as pending, oldest first: a run in progress holds the lock, so
    /// with the lock held these are what killed runs left behind.
    fn pending(&self, lock: &Lock) -> Result<Vec<PendingEntry>>;

    /// The earlier deliveries of those `identifiers` that `client` already delivered (pending
    /// or delivered; forgotten and abandoned deliveries do not count); for an identifier
    /// delivered more than once, the latest.
    fn find_delivered(
        &self,
        client: &str,
        identifiers: &mut dyn Iterator<Item = &str>,
    ) -> Result<HashMap<String, PriorDelivery>>;

    /// Deliveries, oldest first; of `client` only, and from `since` on, when given. Forgotten
    /// and abandoned ones only with `all`.
    fn list(
        &self,
        client: Option<&str>,
        since: Option<NaiveDate>,
        all: bool,
    ) -> Result<Vec<Delivery>>;

    /// A delivery and its identifiers (in row order), by file name.
    fn show(&self, file: &str) -> Result<Option<(Delivery, Vec<DeliveredIdentifier>)>>;

    /// Forgets a delivery that was never sent: its identifiers are free again; its number
    /// stays used, so its name is never given out again. A backend that records sends
    /// refuses a delivery that was sent.
    fn forget(&mut self, lock: &Lock, file: &str) -> Result<Delivery>;

    // --- Sends and fetches (issue 15). A remote rename and a local record cannot be one
    // atomic step, so a send is recorded `sending` before the upload and `sent` after the
    // rename; a delivery left `sending` is settled by looking at the server. The default
    // bodies of the three that record refuse with `Unsupported`, so a backend without them still
    // builds and `send`/`fetch` stop before uploading; the look-ups answer "nothing recorded".

    /// Records that `send.file` (a delivered delivery) is about to be uploaded. An earlier
    /// `sent` record of it stays (a `--again` send adds one).
    fn begin_send(&mut self, lock: &Lock, send: &NewSend) -> Result<()> {
        let _ = (lock, send);
        Err(Error::new(Unsupported("recording sends")))
    }

    /// The upload of `file` was renamed to its final name on the server: `sending` becomes
    /// `sent`, with the time. Returns the record.
    fn confirm_send(&mut self, lock: &Lock, file: &str) -> Result<SendRecord> {
        let _ = (lock, file);
        Err(Error::new(Unsupported("recording sends")))
    }

    /// The upload of `file` certainly did not reach its final name: the `sending` record goes.
    fn abandon_send(&mut self, lock: &Lock, file: &str) -> Result<()> {
        let _ = (lock, file);
        Err(Error::new(Unsupported("recording sends")))
    }

    /// The latest send of `file` (`sending` or `sent`), `None` when it was never sent.
    fn sent_of(&self, file: &str) -> Result<Option<SendRecord>> {
        // A backend that cannot record sends has recorded none.
        let _ = file;
        Ok(None)
    }

    /// The sends left `sending` by an interrupted run, oldest first (hold the lock).
    fn sending(&self, lock: &Lock) -> Result<Vec<SendRecord>> {
        let _ = lock;
        Ok(Vec::new())
    }

    /// Records a result file that was fetched, so that the next fetch skips it.
    fn record_fetched(&mut self, lock: &Lock, fetched: &FetchedFile) -> Result<()> {
        let _ = (lock, fetched);
        Err(Error::new(Unsupported("recording fetched files")))
    }

    /// The fetch of the result file `name`, `None` when it was never fetched.
    fn fetched(&self, name: &str) -> Result<Option<FetchedFile>> {
        let _ = name;
        Ok(None)
    }

    /// Forgets a delivery that `host` recorded, a pending one included (`history forget NAME
    /// --host H`: the entry of a machine that will never settle it). Only a history that
    /// records hosts has it.
    fn forget_on_host(&mut self, lock: &Lock, file: &str, host: &str) -> Result<Delivery> {
        let _ = (lock, file, host);
        Err(Error::new(NoHosts))
    }

    /// The host that recorded `file`, for a history shared by several hosts; `None` when the
    /// backend does not record hosts or knows no such file.
    fn host_of(&self, file: &str) -> Result<Option<String>> {
        let _ = file;
        Ok(None)
    }
}

/// A backend that does not implement a part of the trait.
#[derive(Debug, thiserror::Error)]
#[error("this history backend does not support {0} yet")]
pub struct Unsupported(pub &'static str);

/// Where the send of a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SendState {
    /// Recorded before the upload; not (yet) known to be under its final name on the server.
    Sending,
    /// Under its final name on the server.
    Sent,
}

impl SendState {
    pub fn name(self) -> &'static str {
        match self {
            SendState::Sending => "sending",
            SendState::Sent => "sent",
        }
    }

    pub fn from_name(s: &str) -> Option<SendState> {
        match s {
            "sending" => Some(SendState::Sending),
            "sent" => Some(SendState::Sent),
            _ => None,
        }
    }
}

/// A send about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSend {
    /// The delivery's file name.
    pub file: String,
    /// `host:port` of the server.
    pub host: String,
    /// The final remote path.
    pub remote_path: String,
    /// The file's size in bytes.
    pub size: u64,
}

/// A send as the history records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendRecord {
    pub file: String,
    pub state: SendState,
    pub host: String,
    pub remote_path: String,
    pub size: u64,
    /// When the upload started, RFC 3339 UTC.
    pub started_at: String,
    /// When it was confirmed under its final name, RFC 3339 UTC.
    pub sent_at: Option<String>,
}

/// A result file fetched from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchedFile {
    /// The remote file name (`result_20261122-acos0001.csv`).
    pub name: String,
    /// `host:port` of the server.
    pub host: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes fetched.
    pub sha256: String,
    /// Where it was written (absolute).
    pub local_path: String,
    /// When, RFC 3339 UTC.
    pub fetched_at: String,
}

/// [`History::forget_on_host`] of a history that records no hosts.
#[derive(Debug, thiserror::Error)]
#[error("this history belongs to one machine and records no hosts: leave out --host")]
pub struct NoHosts;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Recorded, but the file was not yet renamed to its final name (a run in progress, or a
    /// killed run that recovery ([`crate::outbox::recover`]) has not seen yet).
    Pending,
    /// Written under its final name.
    Delivered,
    /// Removed from the history by `history forget`: its identifiers are free, its number is not.
    Forgotten,
    /// A killed run never renamed it; its identifiers are free, its number is not.
    Abandoned,
}

impl DeliveryState {
    pub(crate) fn name(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Forgotten => "forgotten",
            DeliveryState::Abandoned => "abandoned",
        }
    }

    /// The state of [`DeliveryState::name`], `None` for another text.
    pub(crate) fn from_name(s: &str) -> Option<DeliveryState> {
        Some(match s {
            "pending" => DeliveryState::Pending,
            "delivered" => DeliveryState::Delivered,
            "forgotten" => DeliveryState::Forgotten,
            "abandoned" => DeliveryState::Abandoned,
            _ => return None,
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
    /// The final file name, e.g. `20260102-ACME-3.csv` (see [`crate::outbox::file_name`]).
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
    /// The host that recorded it, for a history shared by several hosts (left out when the
    /// backend does not record hosts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

fn iso_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// The earlier delivery of an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorDelivery {
    /// The delivery's file name (shared by all identifiers of that delivery).
    pub file: Arc<str>,
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

/// A recorded but not yet confirmed delivery (see [`History::begin`]); the number is the
/// backend's key for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a pending delivery must be confirmed (or abandoned)"]
pub struct PendingId(pub i64);

/// A delivery recorded as pending, as [`History::pending`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEntry {
    pub id: PendingId,
    pub file: String,
    /// Where the file was before the rename (absolute); `None` once settled.
    pub temp_path: Option<PathBuf>,
    /// Where the rename puts it (absolute).
    pub final_path: Option<PathBuf>,
    /// The host of the run that recorded it, for a history that several hosts share; `None`
    /// when the backend does not record it (SQLite: one host per state directory).
    pub host: Option<String>,
    /// The process that recorded it, likewise; `None` when not recorded (SQLite).
    pub pid: Option<u32>,
}

/// A record of this run whose identifier the client delivered before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reused {
    pub identifier: String,
    /// The record of this run.
    pub seen: Seen,
    /// The earlier delivery of the identifier.
    pub earlier: PriorDelivery,
}

/// The records of this run whose identifiers `client` delivered before, in input order.
pub(crate) fn reused(
    history: &dyn History,
    client: &str,
    identifiers: &Identifiers,
) -> Result<Vec<Reused>> {
    let prior = history.find_delivered(client, &mut identifiers.keys())?;
    let mut reused: Vec<Reused> = prior
        .into_iter()
        .filter_map(|(identifier, earlier)| {
            let seen = identifiers.get(&identifier)?;
            Some(Reused {
                identifier,
                seen,
                earlier,
            })
        })
        .collect();
    reused.sort_by_key(|r| (r.seen.input, r.seen.row));
    Ok(reused)
}
