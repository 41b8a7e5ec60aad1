//! Fetching result files: the ones in the remote results folder that the history has not
//! recorded as fetched, each downloaded atomically (a temporary file, then a link to its
//! name, never over an existing file) and recorded with its size and SHA-256.

use std::path::{Path, PathBuf};

use super::error::ErrorKind;
use super::send::{SendError, Session};
use crate::history::FetchedFile;

/// What happened to one remote result file.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// Downloaded and recorded now.
    New(FetchedFile),
    /// It changed while it was read (still being written on the server): nothing kept,
    /// not recorded, so the next fetch tries again. The message says so.
    Later { name: String, message: String },
}

/// Whether a remote file name is a Collectmaxx result file: `result_….csv` (daily, monthly
/// and PayLink files all are).
pub fn is_result_file(name: &str) -> bool {
    name.starts_with("result_") && name.ends_with(".csv") && !name.contains('/')
}

/// Fetches the result files not fetched before into `to` (created with `dir_mode` when
/// missing), files with `mode`. Stops at the first error other than a file still being
/// written; what was fetched before it is recorded.
pub fn fetch_new(
    session: &mut Session<'_>,
    to: &Path,
    mode: u32,
    dir_mode: u32,
    note: &mut dyn FnMut(&str),
) -> Result<Vec<Fetched>, SendError> {
    create_dir(to, dir_mode).map_err(|error| SendError::Read {
        path: to.to_path_buf(),
        error,
    })?;
    let dir = session.sftp().results_dir.clone();
    let host = super::connect::host_label(session.sftp());
    let entries = session.connection(note)?.list(&dir)?;
    let mut out = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.is_file && is_result_file(&e.name))
    {
        if session.history().0.fetched(&e.name)?.is_some() {
            continue;
        }
        let remote = super::client::join_remote(&dir, &e.name);
        match session.connection(note)?.download(&remote, to, mode) {
            Ok(d) => {
                let f = FetchedFile {
                    name: e.name.clone(),
                    host: host.clone(),
                    size: d.size,
                    sha256: d.sha256,
                    local_path: absolute(&d.local_path).display().to_string(),
                    fetched_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                };
                let (history, lock) = session.history();
                history.record_fetched(lock, &f)?;
                out.push(Fetched::New(f));
            }
            Err(err) if err.kind == ErrorKind::StillBeingWritten => out.push(Fetched::Later {
                name: e.name.clone(),
                message: err.message,
            }),
            Err(err) => return Err(err.into()),
        }
    }
    Ok(out)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn create_dir(dir: &Path, mode: u32) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(mode);
    }
    let _ = mode;
    b.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_file_names() {
        assert!(is_result_file("result_20261122-acos0001.csv"));
        assert!(is_result_file("result_20261101_20261130-acos0001.csv"));
        assert!(is_result_file("result_20261101_20261130_paylink.csv"));
        assert!(!is_result_file("result_20261122-acos0001.csv.partial"));
        assert!(!is_result_file("20261122-ACME-1.csv"));
    }
}
