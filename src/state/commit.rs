//! Writing a delivery so that a killed run never leaves a half-written file under a final name
//! nor a history entry for a file that does not exist.
//!
//! 1. [`stage`]: the delivery is written to a hidden temp file in the out dir
//!    (`.collectmaxx-XXXXXX.part`, same file system as the final name, and a name no upload
//!    pattern such as `*.csv` matches).
//! 2. [`commit`]: the temp file is flushed to disk; the delivery is recorded as `pending`
//!    together with the temp file's path (one transaction); the temp file is renamed to its
//!    final name without replacing anything there; the directory is flushed; the delivery is
//!    confirmed.
//!
//! A run killed before the pending record leaves only a temp file, which the next run removes
//! ([`remove_orphan_temps`], called by [`History::recover`]). Killed after it, the next run's
//! recovery decides from the file system whether the rename happened (see
//! [`History::recover`]).
//!
//! For tests, `COLLECTMAXX_TEST_CRASH_AT=after_temp|after_pending|after_rename` aborts the
//! process at that step, as a `kill -9` would.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use super::{History, NewDelivery, Result, RunLock, StateError};

/// Temp files of deliveries start with this...
pub const TEMP_PREFIX: &str = ".collectmaxx-";
/// ...and end with this.
pub const TEMP_SUFFIX: &str = ".part";

/// The environment variable that makes a run abort at a step of the commit, for tests.
pub const CRASH_ENV: &str = "COLLECTMAXX_TEST_CRASH_AT";

/// Creates the temp file to write a delivery into, in `out_dir` (created if missing). On Unix
/// it gets the permissions of an ordinary new file (0666 less the umask), not a temp file's
/// 0600, so that an upload job running as another user can read the delivery.
pub fn stage(out_dir: &Path) -> io::Result<NamedTempFile> {
    std::fs::create_dir_all(out_dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(out_dir)
}

/// Records the delivery written into `temp` and moves it to `final_path` (see the module
/// docs). On success the file is under `final_path` and the history says `delivered`.
pub fn commit<'a>(
    history: &mut History,
    lock: &RunLock,
    temp: NamedTempFile,
    final_path: &Path,
    entry: &NewDelivery,
    identifiers: impl IntoIterator<Item = (&'a str, u64)>,
) -> Result<PathBuf> {
    let write_err = |path: &Path, source| StateError::Write {
        path: path.to_path_buf(),
        source,
    };
    temp.as_file()
        .sync_all()
        .map_err(|e| write_err(temp.path(), e))?;
    crash_point("after_temp");
    let pending = history.begin_delivery(lock, entry, temp.path(), final_path, identifiers)?;
    crash_point("after_pending");
    if let Err(e) = temp.persist_noclobber(final_path) {
        // The temp file is removed when `e.file` drops; the number stays used.
        history.abandon(pending)?;
        return Err(write_err(final_path, e.error));
    }
    sync_parent(final_path).map_err(|e| write_err(final_path, e))?;
    crash_point("after_rename");
    history.confirm(pending)?;
    Ok(final_path.to_path_buf())
}

/// Removes delivery temp files that a killed run left in `out_dir`. Only call it with the run
/// lock held: another run's temp file is not an orphan.
pub fn remove_orphan_temps(out_dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |source| StateError::Write {
        path: out_dir.to_path_buf(),
        source,
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
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
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

/// A writer that passes bytes through and computes their SHA-256 on the way, so a delivery's
/// checksum costs no second read.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The inner writer and the lower-case hex SHA-256 of everything written.
    pub fn finish(self) -> (W, String) {
        let digest = self.hasher.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        (self.inner, hex)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(buf.get(..n).unwrap_or(buf));
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn staged_files_are_readable_by_others_as_the_umask_allows() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let temp = stage(&dir.path().join("out")).unwrap();
        let mode = temp.as_file().metadata().unwrap().permissions().mode();
        // Any usual umask (022, 002, 027) leaves the owner's and the group's read bit.
        assert_eq!(mode & 0o640, 0o640, "{mode:o}");
    }

    #[test]
    fn hashing_writer_hashes_what_it_writes() {
        let mut w = HashingWriter::new(Vec::new());
        w.write_all(b"abc").unwrap();
        let (bytes, hex) = w.finish();
        assert_eq!(bytes, b"abc");
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
