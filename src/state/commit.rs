//! Recording a delivery so that a killed run never leaves a half-written file under a final
//! name nor a history entry for a file that does not exist.
//!
//! The delivery is first written to a hidden temp file in the out dir
//! ([`crate::deliver::spool_temp_in`]: `.collectmaxx-delivery-XXXXXX.tmp`, on the final name's
//! file system, and a name no upload pattern such as `*.csv` matches). Then [`commit`]:
//! 1. flushes the temp file to disk;
//! 2. records the delivery as `pending`, with the temp file's path and its identifiers (one
//!    transaction);
//! 3. renames the temp file to its final name, never replacing a file there, and flushes the
//!    directory;
//! 4. confirms the delivery.
//!
//! A run killed before step 2 leaves only a temp file, which the next run removes
//! ([`remove_orphan_temps`], called by [`History::recover`]). Killed after it, the next run's
//! recovery decides from the file system whether the rename happened (see
//! [`History::recover`]).
//!
//! For tests, `COLLECTMAXX_TEST_CRASH_AT=after_temp|after_pending|after_rename` aborts the
//! process right after that step (`after_temp` = after step 1), as a `kill -9` would.

use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{History, NewDelivery, Result, RunLock, StateError};
use crate::deliver::{SPOOL_PREFIX, TEMP_SUFFIX};

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

/// A temp file to write a delivery into, in `out_dir` (created if missing).
pub fn stage(out_dir: &Path) -> io::Result<NamedTempFile> {
    std::fs::create_dir_all(out_dir)?;
    crate::deliver::spool_temp_in(out_dir)
}

/// Records the delivery written into `temp` and moves it to `final_path` (see the module
/// docs).
pub fn commit<'a>(
    history: &mut History,
    lock: &RunLock,
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
    history: &mut History,
    lock: &RunLock,
    temp: NamedTempFile,
    final_path: &Path,
    entry: &NewDelivery,
    identifiers: impl IntoIterator<Item = (&'a str, u64)>,
    check: impl FnOnce() -> io::Result<()>,
) -> Result<Committed> {
    let write_err = |path: &Path, error| StateError::Write {
        path: path.to_path_buf(),
        error,
    };
    temp.as_file()
        .sync_all()
        .map_err(|e| write_err(temp.path(), e))?;
    crash_point("after_temp");
    let pending = history.begin_delivery(lock, entry, temp.path(), final_path, identifiers)?;
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
    history: &mut History,
    pending: super::PendingId,
    temp: NamedTempFile,
) -> Result<NamedTempFile> {
    match history.abandon(pending) {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = temp.into_temp_path().keep();
            Err(e)
        }
    }
}

/// Removes delivery temp files that a killed run left in `out_dir`. Only call it with the run
/// lock held: another run's temp file is not an orphan.
pub fn remove_orphan_temps(out_dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |error| StateError::Write {
        path: out_dir.to_path_buf(),
        error,
    };
    let entries = match std::fs::read_dir(out_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(SPOOL_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let path = entry.path();
            super::remove_if_present(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}

fn crash_point(step: &str) {
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
