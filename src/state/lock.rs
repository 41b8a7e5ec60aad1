//! The run lock: one `convert` (or `history forget`) at a time per state directory.
//!
//! SQLite's own locking keeps every single transaction safe, but a run must hold the state
//! from "find the next number" to "record the delivery", across minutes of reading and writing
//! files, with commits in between (the two-phase delivery commit). So a run also takes an
//! exclusive advisory lock (`flock` on Unix, `LockFileEx` on Windows, through `fs4`) on the
//! file `lock` in the state directory. The operating system drops the lock when the process
//! ends, however it ends, so a killed run never leaves a stale lock behind. Readers
//! (`validate`, `history list/show`) do not take it; WAL mode lets them read while a run writes.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use fs4::fs_std::FileExt;

use super::error::StateError;

const POLL: Duration = Duration::from_millis(50);

/// The held run lock; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct RunLock {
    file: File,
}

impl RunLock {
    /// Takes the lock on `dir/lock`, waiting up to `timeout` for another run to finish.
    pub(crate) fn acquire(dir: &Path, timeout: Duration) -> Result<RunLock, StateError> {
        let path = dir.join("lock");
        let io = |error| StateError::Io {
            path: path.clone(),
            error,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let started = Instant::now();
        loop {
            if file.try_lock_exclusive().map_err(io)? {
                break;
            }
            if started.elapsed() >= timeout {
                return Err(StateError::Locked {
                    dir: dir.to_path_buf(),
                    holder: holder_of(&mut file),
                    waited: timeout,
                });
            }
            std::thread::sleep(POLL);
        }
        let stamp = format!(
            "{} (pid {})\n",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            std::process::id()
        );
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(stamp.as_bytes()).map_err(io)?;
        Ok(RunLock { file })
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

/// What the holder wrote into the lock file ("2026-01-02T03:04:05Z (pid 123)").
fn holder_of(file: &mut File) -> String {
    let mut text = String::new();
    let read = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_string(&mut text));
    match read {
        Ok(_) if !text.trim().is_empty() => text.trim().to_string(),
        _ => "an unknown time".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_times_out_with_the_holder_named() {
        let dir = tempfile::tempdir().unwrap();
        let held = RunLock::acquire(dir.path(), Duration::from_secs(1)).unwrap();
        let err = RunLock::acquire(dir.path(), Duration::from_millis(120)).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("another collectmaxx run holds the lock"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(held);
        RunLock::acquire(dir.path(), Duration::from_millis(120)).unwrap();
    }
}
