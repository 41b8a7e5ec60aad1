//! From the `[sftp]` settings to a connected [`Client`]: credentials, trust, retries.

use std::path::Path;
use std::time::Duration;

use super::client::{Auth, Client, Config};
use super::error::{Error, ErrorKind, Result};
use super::trust::Trust;
use crate::config::{Sftp, SftpAuth};

/// The pause before the first retry; it doubles for each further one, up to [`MAX_PAUSE`].
pub(super) const FIRST_PAUSE: Duration = Duration::from_secs(1);
pub(super) const MAX_PAUSE: Duration = Duration::from_secs(30);

/// `host:port`, as the history records where a delivery went.
pub fn host_label(sftp: &Sftp) -> String {
    format!("{}:{}", sftp.host, sftp.port)
}

/// The client settings for `sftp`: reads the password or key passphrase now (from the
/// environment or a file of mode 0600), never from the configuration file itself.
pub fn client_config(sftp: &Sftp) -> Result<Config> {
    let auth = match &sftp.auth {
        SftpAuth::PasswordEnv(var) => match std::env::var(var) {
            Ok(p) if !p.is_empty() => Auth::Password(p),
            _ => {
                return Err(Error::new(
                    ErrorKind::Credentials,
                    format!("the environment variable {var} holds no SFTP password: set it (or name another with password_env, or use password_file or key_file in [sftp])"),
                ))
            }
        },
        SftpAuth::PasswordFile(path) => Auth::Password(read_password_file(path)?),
        SftpAuth::KeyFile {
            path,
            passphrase_env,
        } => Auth::KeyFile {
            path: path.clone(),
            passphrase: std::env::var(passphrase_env).ok().filter(|p| !p.is_empty()),
        },
    };
    let trust = if !sftp.host_key.is_empty() {
        Trust::Pinned(sftp.host_key.clone())
    } else if let Some(k) = &sftp.known_hosts {
        Trust::KnownHosts(k.clone())
    } else {
        Trust::Nothing
    };
    let mut cfg = Config::new(&sftp.host, sftp.port, &sftp.user, auth, trust);
    cfg.timeout = sftp.timeout;
    Ok(cfg)
}

/// The first line of a password file that only its owner may read.
fn read_password_file(path: &Path) -> Result<String> {
    let cannot = |why: String| {
        Error::new(
            ErrorKind::Credentials,
            format!("cannot use the password file {}: {why}", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode != 0o600 && mode != 0o400 {
            return Err(cannot(format!(
                "its mode is {mode:04o}, but a password file must be readable by its owner only: chmod 600 {}",
                path.display()
            )));
        }
    }
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(|e| cannot(e.to_string()))?;
    match text.lines().next().map(str::trim_end) {
        Some(p) if !p.is_empty() => Ok(p.to_string()),
        _ => Err(cannot("its first line is empty".into())),
    }
}

/// Connects, retrying network errors up to `sftp.retries` times with a growing pause;
/// authentication and host-key failures end it at once. `note` hears about each retry.
pub fn connect(sftp: &Sftp, note: &mut dyn FnMut(&str)) -> Result<Client> {
    let cfg = client_config(sftp)?;
    retrying(sftp.retries, note, || Client::connect(&cfg))
}

/// Runs `attempt` until it succeeds, fails with an error that is not a network error, or
/// `retries` further tries failed.
pub fn retrying<T>(
    retries: u32,
    note: &mut dyn FnMut(&str),
    mut attempt: impl FnMut() -> Result<T>,
) -> Result<T> {
    let mut pause = FIRST_PAUSE;
    let mut tries = 0;
    loop {
        match attempt() {
            Err(e) if e.is_retryable() && tries < retries => {
                tries += 1;
                note(&format!(
                    "{e}; trying again in {} s ({tries} of {retries})",
                    pause.as_secs()
                ));
                std::thread::sleep(pause);
                pause = (pause * 2).min(MAX_PAUSE);
            }
            other => return other,
        }
    }
}

/// The host keys the server shows, without logging in (`collectmaxx hostkey`).
pub fn host_keys(host: &str, port: u16, timeout: Duration) -> Result<Vec<super::SeenKey>> {
    super::client::hostkey(host, port, timeout)
}
