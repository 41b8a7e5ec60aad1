//! Writing the JSON report to a file, all or nothing.

use std::path::Path;

use crate::outbox;

/// Writes a file through a temporary file in the same directory and a rename.
pub(crate) fn write_atomically(
    path: &Path,
    f: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // An existing device or pipe (`--report /dev/null`, a FIFO a log shipper reads) is written
    // into as it is: renaming a file over it would replace the device itself.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut out = std::fs::OpenOptions::new().write(true).open(path)?;
        return f(&mut out);
    }
    // A symbolic link: replace the file it points to, not the link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = outbox::temp_in(dir)?;
    f(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}
