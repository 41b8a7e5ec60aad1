//! Temporary files in the out dir, and the sweep of those a killed run left behind.
//!
//! A delivery is written to a hidden temp file next to its final name (on the same file
//! system, and under a name no upload pattern such as `*.csv` matches) and renamed into place.
//! Its own prefix, [`SPOOL_PREFIX`], is what lets the next run, holding the run lock, tell a
//! killed run's delivery temp files from any other temporary file ([`remove_orphan_temps`]).

use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::error::{OutboxError, Result};

/// Temporary files of deliveries start with this (see [`spool_temp_in`]).
pub const SPOOL_PREFIX: &str = ".collectmaxx-delivery-";
/// Temporary files end with this.
pub(crate) const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file in `dir` that will be renamed into place: hidden, with the mode of files
/// that hold personal data ([`crate::privacy::file_mode`], 0600 unless `file_mode` says more).
pub fn temp_in(dir: &Path) -> io::Result<NamedTempFile> {
    temp_named(dir, ".collectmaxx-")
}

/// A temporary file for a delivery (spool or final form). Its own prefix lets the next run,
/// holding the run lock, remove those a killed run left behind ([`remove_orphan_temps`])
/// without touching other temporary files.
pub(crate) fn spool_temp_in(dir: &Path) -> io::Result<NamedTempFile> {
    temp_named(dir, SPOOL_PREFIX)
}

fn temp_named(dir: &Path, prefix: &str) -> io::Result<NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix).suffix(TEMP_SUFFIX);
    let temp = b.tempfile_in(dir)?;
    crate::privacy::restrict(temp.as_file())?;
    Ok(temp)
}

/// A temp file to write a delivery into, in `out_dir` (created if missing).
pub fn stage(out_dir: &Path) -> io::Result<NamedTempFile> {
    std::fs::create_dir_all(out_dir)?;
    spool_temp_in(out_dir)
}

/// Removes delivery temp files that a killed run left in `out_dir`. Only call it with the run
/// lock held: another run's temp file is not an orphan.
pub(crate) fn remove_orphan_temps(out_dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |error| OutboxError::Write {
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
            remove_if_present(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}

pub(super) fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(OutboxError::Remove {
            path: path.to_path_buf(),
            error,
        }),
    }
}
