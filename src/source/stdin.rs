//! `-` as an input: standard input, read whole into a temporary file before the run.
//!
//! Every format needs the file more than once (its first bytes decide the format, the SHA-256
//! is taken beside the reading, a workbook's zip is read from its end), and a pipe can be read
//! only once, so standard input is spooled: the readers get the temporary file, and the
//! report, the messages and the history name the input `-`. Standard input is one per process,
//! and so is its spool: [`Spool::take`] registers it, [`resolve`] finds it, and dropping the
//! spool removes the file.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::SourceError;

/// How an input names standard input.
pub const NAME: &str = "-";

/// The file standing for `-` while a [`Spool`] lives.
static SPOOLED: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == NAME
}

/// Standard input, read into a temporary file that is removed when this is dropped.
#[derive(Debug)]
pub struct Spool {
    file: tempfile::NamedTempFile,
    bytes: u64,
}

impl Spool {
    /// Reads the process's standard input, refusing a terminal (nothing was piped in, and
    /// reading would wait for typing) and more than `max_bytes`.
    pub fn stdin(max_bytes: u64) -> Result<Spool, SourceError> {
        let stdin = io::stdin();
        if stdin.is_terminal() {
            return Err(SourceError::new(
                NAME,
                "standard input is a terminal: pipe an export into it \
                 (`psql ... | collectmaxx convert - ...`), or name the file",
            ));
        }
        Spool::take(stdin.lock(), max_bytes)
    }

    /// Reads `reader` to its end into a temporary file and makes it the input `-`.
    pub fn take(reader: impl Read, max_bytes: u64) -> Result<Spool, SourceError> {
        let failed =
            |e: io::Error| SourceError::new(NAME, format!("cannot read standard input: {e}"));
        let mut file = tempfile::Builder::new()
            .prefix(".collectmaxx-stdin-")
            .tempfile()
            .map_err(|e| {
                SourceError::new(
                    NAME,
                    format!("cannot make a temporary file for standard input: {e}"),
                )
            })?;
        let mut limited = reader.take(max_bytes.saturating_add(1));
        let bytes = io::copy(&mut limited, file.as_file_mut()).map_err(failed)?;
        if bytes > max_bytes {
            return Err(SourceError::new(
                NAME,
                format!(
                    "standard input is over the limit of {max_bytes} bytes (raise it with \
                     --max-file-size)"
                ),
            ));
        }
        file.as_file_mut().flush().map_err(failed)?;
        let mut spooled = SPOOLED.lock().unwrap_or_else(|p| p.into_inner());
        *spooled = Some(file.path().to_path_buf());
        Ok(Spool { file, bytes })
    }

    /// The temporary file.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// How many bytes were read.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let mut spooled = SPOOLED.lock().unwrap_or_else(|p| p.into_inner());
        if spooled.as_deref() == Some(self.file.path()) {
            *spooled = None;
        }
    }
}

/// The file to read for `path`: the spool for `-`, else `path` itself.
pub fn resolve(path: &Path) -> Result<Cow<'_, Path>, SourceError> {
    if !is_stdin(path) {
        return Ok(Cow::Borrowed(path));
    }
    let spooled = SPOOLED.lock().unwrap_or_else(|p| p.into_inner());
    match spooled.as_ref() {
        Some(p) => Ok(Cow::Owned(p.clone())),
        None => Err(SourceError::new(
            NAME,
            "standard input was not read for this command (`-` is an input of convert, \
             validate and sheets only, once)",
        )),
    }
}

/// Names an error about the spool after `-`, as the user gave it.
pub fn rename_error(mut e: SourceError, spool: &Path) -> SourceError {
    let shown = spool.display().to_string();
    if e.path == shown {
        e.path = NAME.to_string();
    }
    e.message = e.message.replace(&shown, NAME);
    e
}
