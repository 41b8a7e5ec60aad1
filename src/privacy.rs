//! The modes of the files that hold personal data (deliveries, reports, spools, fetched
//! result files) and of the state directory: the owner's only (0600 / 0700) unless the
//! configuration's `file_mode` loosens it on purpose (`"0640"` for an upload group).
//!
//! One setting for the whole process, set once by the command line from the configuration
//! before anything is written ([`set_file_mode`]); the writers ask [`file_mode`] and
//! [`dir_mode`]. A library caller that sets nothing gets the private default.

use std::sync::atomic::{AtomicU32, Ordering};

/// The mode of files with personal data when `file_mode` does not loosen it: the owner's only.
pub const DEFAULT_FILE_MODE: u32 = 0o600;

static FILE_MODE: AtomicU32 = AtomicU32::new(DEFAULT_FILE_MODE);

/// Sets the mode of files with personal data for this process (see the module docs).
pub fn set_file_mode(mode: u32) {
    FILE_MODE.store(mode, Ordering::Relaxed);
}

/// The mode new files with personal data get.
pub fn file_mode() -> u32 {
    FILE_MODE.load(Ordering::Relaxed)
}

/// The mode new folders of such files get (the state directory): [`dir_mode_of`] the file mode.
pub fn dir_mode() -> u32 {
    dir_mode_of(file_mode())
}

/// The mode of the folders that hold files of `file_mode`: search (`x`) wherever reading is
/// allowed (0600 → 0700, 0640 → 0750).
pub fn dir_mode_of(file_mode: u32) -> u32 {
    file_mode | ((file_mode & 0o444) >> 2)
}

/// Gives `file` the file mode, exactly (the umask does not apply).
pub fn restrict(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(file_mode()))?;
    }
    let _ = file;
    Ok(())
}

/// Creates `dir` and its missing parents with the folder mode.
pub fn create_dir_all(dir: &std::path::Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(dir_mode());
    }
    b.create(dir)
}

#[cfg(test)]
mod tests {
    #[test]
    fn folder_modes_follow_file_modes() {
        assert_eq!(super::dir_mode_of(0o600), 0o700);
        assert_eq!(super::dir_mode_of(0o640), 0o750);
        assert_eq!(super::dir_mode_of(0o644), 0o755);
    }
}
