//! Recording a delivery so that a killed run never leaves a half-written file under a final
//! name nor a history entry for a file that does not exist.
//!
//! The delivery is first written to a hidden temp file in the out dir
//! ([`super::spool_temp_in`]: `.collectmaxx-delivery-XXXXXX.tmp`, on the final name's
//! file system, and a name no upload pattern such as `*.csv` matches). Then [`commit`]:
//! 1. flushes the temp file to disk;
//! 2. records the delivery as `pending`, with the temp file's path and its identifiers (one
//!    transaction);
//! 3. renames the temp file to its final name, never replacing a file there, and flushes the
//!    directory;
//! 4. confirms the delivery.
//!
//! A run killed before step 2 leaves only a temp file, which the next run removes
//! ([`super::remove_orphan_temps`], called by [`super::recover`]). Killed after it, the next
//! run's recovery decides from the file system whether the rename happened (see
//! [`super::recover`]).
//!
//! For tests, `COLLECTMAXX_TEST_CRASH_AT=after_temp|after_pending|after_rename` aborts the
//! process right after that step (`after_temp` = after step 1), as a `kill -9` would.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tempfile::NamedTempFile;

use super::error::{OutboxError, Result};
use super::name::{file_name, highest_in_dir, ClientCode};
use crate::history::{History, Lock, NewDelivery, PendingId};
use crate::identifiers::Identifiers;

/// The environment variable that makes a run abort at a step of the commit, for tests.
pub const CRASH_ENV: &str = "COLLECTMAXX_TEST_CRASH_AT";

/// The outcome of [`commit`].
#[derive(Debug)]
pub enum Committed {
    /// The delivery is under its final name and recorded as delivered.
    Done(PathBuf),
    /// Something else already has the final name (a file made outside collectmaxx since the
    /// number was chosen). Nothing was replaced; the entry is abandoned, so its number stays
    /// used; the temp file is handed back to try the next number.
    NameTaken(NamedTempFile),
}

impl Committed {
    /// The final path, if the delivery is done.
    pub fn done(self) -> Option<PathBuf> {
        match self {
            Committed::Done(p) => Some(p),
            Committed::NameTaken(_) => None,
        }
    }
}

/// Records the delivery written into `temp` and moves it to `final_path` (see the module
/// docs).
pub fn commit<'a>(
    history: &mut dyn History,
    lock: &Lock,
    temp: NamedTempFile,
    final_path: &Path,
    entry: &NewDelivery,
    identifiers: impl IntoIterator<Item = (&'a str, u64)>,
) -> Result<Committed> {
    commit_checked(history, lock, temp, final_path, entry, identifiers, || {
        Ok(())
    })
}

/// Like [`commit`], with a last check of the temp file between recording the pending entry and
/// the rename: when `check` fails, the entry is abandoned and nothing is renamed. (The check
/// can so run on another thread while the identifiers are recorded.)
pub fn commit_checked<'a>(
    history: &mut dyn History,
    lock: &Lock,
    temp: NamedTempFile,
    final_path: &Path,
    entry: &NewDelivery,
    identifiers: impl IntoIterator<Item = (&'a str, u64)>,
    check: impl FnOnce() -> io::Result<()>,
) -> Result<Committed> {
    let write_err = |path: &Path, error| OutboxError::Write {
        path: path.to_path_buf(),
        error,
    };
    temp.as_file()
        .sync_all()
        .map_err(|e| write_err(temp.path(), e))?;
    crash_point("after_temp");
    let mut identifiers = identifiers.into_iter();
    let pending = history.begin(lock, entry, temp.path(), final_path, &mut identifiers)?;
    crash_point("after_pending");
    if let Err(e) = check() {
        let error = write_err(temp.path(), e);
        return Err(abandon_or_keep(history, pending, temp)
            .err()
            .unwrap_or(error));
    }
    if let Err(e) = temp.persist_noclobber(final_path) {
        let (error, temp) = (e.error, e.file);
        let temp = abandon_or_keep(history, pending, temp)?;
        let e = tempfile::PersistError { error, file: temp };
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            return Ok(Committed::NameTaken(e.file));
        }
        // The temp file is removed when `e.file` drops.
        return Err(write_err(final_path, e.error));
    }
    sync_parent(final_path).map_err(|e| write_err(final_path, e))?;
    crash_point("after_rename");
    history.confirm(pending)?;
    Ok(Committed::Done(final_path.to_path_buf()))
}

/// Abandons a pending entry whose file will not be renamed and hands the temp file back. When
/// the history cannot record that, the temp file is kept on disk: the next run's recovery
/// then finds "temp present, final missing" and abandons the entry, instead of taking a
/// missing temp file for a finished rename.
fn abandon_or_keep(
    history: &mut dyn History,
    pending: PendingId,
    temp: NamedTempFile,
) -> Result<NamedTempFile> {
    match history.abandon(pending) {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = temp.into_temp_path().keep();
            Err(e.into())
        }
    }
}

/// For tests: aborts the process when `COLLECTMAXX_TEST_CRASH_AT` names `step` (the send's
/// steps use it too).
pub fn crash_point(step: &str) {
    if std::env::var(CRASH_ENV).is_ok_and(|v| v == step) {
        eprintln!("collectmaxx: {CRASH_ENV}={step}: aborting as a test asked");
        std::process::abort();
    }
}

#[cfg(unix)]
fn sync_parent(path: &Path) -> io::Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => std::fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// Where deliveries of one run go: the out dir and the parts of their names.
#[derive(Debug, Clone)]
pub struct Outbox {
    dir: PathBuf,
    date: NaiveDate,
    client: ClientCode,
    extension: &'static str,
}

/// A delivery written under a temporary name, with the check it must pass before the rename.
pub struct Staged {
    pub temp: NamedTempFile,
    pub records: u64,
    /// The SHA-256 of the bytes written.
    pub sha256: String,
    /// Re-reads the temp file and checks it; runs on another thread while the history records
    /// the delivery.
    pub check: Box<dyn FnOnce() -> io::Result<()> + Send>,
}

/// What the history records about a delivery besides the file itself.
pub struct Ledger<'a> {
    pub history: &'a mut dyn History,
    pub lock: &'a Lock,
    /// The inputs, as given.
    pub inputs: Vec<String>,
    /// The identifiers of the run's records ([`crate::run::RunOutcome::identifiers`]).
    pub identifiers: &'a Identifiers,
    /// Sorted sink indexes of records not delivered (their identifiers are not recorded).
    pub dropped: &'a [u64],
}

impl Outbox {
    /// `extension` without its dot (`csv`).
    pub fn new(
        dir: PathBuf,
        date: NaiveDate,
        client: ClientCode,
        extension: &'static str,
    ) -> Outbox {
        Outbox {
            dir,
            date,
            client,
            extension,
        }
    }

    /// The delivery date in the names.
    pub(crate) fn date(&self) -> NaiveDate {
        self.date
    }

    /// The client code in the names.
    pub(crate) fn client(&self) -> &ClientCode {
        &self.client
    }

    /// The highest delivery number in the out dir for this date and client (0 for none).
    pub(crate) fn highest_in_dir(&self) -> io::Result<u32> {
        highest_in_dir(&self.dir, self.date, &self.client)
    }

    /// The file name of delivery number `n`.
    pub(crate) fn file_name(&self, n: u32) -> String {
        file_name(self.date, &self.client, n, self.extension)
    }

    /// Gives the staged delivery its final name `<date>-<client>-<n>.<ext>`, never
    /// overwriting, numbered through the history and recorded in it with the two-phase
    /// [`commit`]: the number is one above the highest used for this date and client in the
    /// history or in the out dir, so a name is never reused even after the file was uploaded
    /// and removed. The delivery is re-read and checked ([`Staged::check`]) on another thread
    /// while the history records it, and renamed only when the check passed. Returns the final
    /// path and number.
    pub fn commit(&self, staged: Staged, ledger: Ledger<'_>) -> Result<(PathBuf, u32)> {
        let Ledger {
            history,
            lock,
            inputs,
            identifiers,
            dropped,
        } = ledger;
        let Staged {
            mut temp,
            records,
            sha256,
            check,
        } = staged;
        let (date, client) = (self.date, &self.client);
        std::thread::scope(|scope| {
            // A panic in the check is the check's failure, never the run's panic.
            let mut check = Some(scope.spawn(move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(check))
                    .unwrap_or_else(|_| Err(io::Error::other("checking the delivery failed")))
            }));
            loop {
                let in_dir = self.highest_in_dir().map_err(|error| OutboxError::Write {
                    path: self.dir.clone(),
                    error,
                })?;
                let n = history.next_number(date, client.as_str(), in_dir)?;
                let file = self.file_name(n);
                let entry = NewDelivery {
                    file: file.clone(),
                    date,
                    client: client.to_string(),
                    number: n,
                    sha256: sha256.clone(),
                    records,
                    inputs: inputs.clone(),
                };
                let ids = identifiers
                    .iter_sorted()
                    .filter(|(_, seen)| dropped.binary_search(&seen.index).is_err())
                    .map(|(id, seen)| (id, seen.row));
                // The first attempt waits for the check; a retry under the next number was
                // checked.
                let wait = || match check.take() {
                    Some(handle) => handle
                        .join()
                        .unwrap_or_else(|_| Err(io::Error::other("checking the delivery failed"))),
                    None => Ok(()),
                };
                let path = self.dir.join(&file);
                match commit_checked(&mut *history, lock, temp, &path, &entry, ids, wait)? {
                    Committed::Done(path) => return Ok((path, n)),
                    Committed::NameTaken(t) => temp = t,
                }
            }
        })
    }
}
