//! The `[sftp]` table: where `send` uploads deliveries and `fetch` finds result files.
//!
//! ```toml
//! [sftp]
//! host = "sftp.example.org"
//! port = 22                                  # default
//! user = "acme"
//! password_env = "COLLECTMAXX_SFTP_PASSWORD" # default, when no password_file or key_file
//! # password_file = "sftp-password"          # mode 0600 only
//! # key_file = "id_ed25519"                  # passphrase, if any, in key_passphrase_env
//! host_key = ["SHA256:..."]                  # or known_hosts = "known_hosts"
//! upload_dir = "in"                          # default: the login folder
//! results_dir = "out"                        # default: the login folder
//! results_to = "results"                     # default: the working directory
//! timeout_s = 30
//! retries = 3
//! ```
//! No password is ever in this file: it names where the password is.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The environment variable the password is read from when nothing else is named.
pub const PASSWORD_ENV: &str = "COLLECTMAXX_SFTP_PASSWORD";
/// The environment variable a key file's passphrase is read from when nothing else is named.
pub const PASSPHRASE_ENV: &str = "COLLECTMAXX_SFTP_KEY_PASSPHRASE";

/// The table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SftpValues {
    host: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    key_file: Option<PathBuf>,
    key_passphrase_env: Option<String>,
    host_key: Option<OneOrMany>,
    known_hosts: Option<PathBuf>,
    upload_dir: Option<String>,
    results_dir: Option<String>,
    results_to: Option<PathBuf>,
    timeout_s: Option<u64>,
    retries: Option<u32>,
}

/// `"SHA256:..."` or `["SHA256:...", ...]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// How to log in. Never the password itself: where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SftpAuth {
    /// The password is in this environment variable.
    PasswordEnv(String),
    /// The password is the first line of this file (mode 0600 only).
    PasswordFile(PathBuf),
    /// A private key (ed25519 or RSA); its passphrase, if any, in this environment variable.
    KeyFile {
        path: PathBuf,
        passphrase_env: String,
    },
}

/// The resolved `[sftp]` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sftp {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub auth: SftpAuth,
    /// Pinned `SHA256:` fingerprints (any one matching is enough).
    pub host_key: Vec<String>,
    pub known_hosts: Option<PathBuf>,
    /// Remote folder deliveries are uploaded to (`.`: the login folder).
    pub upload_dir: String,
    /// Remote folder result files are fetched from.
    pub results_dir: String,
    /// Local folder fetched result files go to.
    pub results_to: PathBuf,
    pub timeout: Duration,
    /// Further tries after a network error (never after an authentication or host-key one).
    pub retries: u32,
}

impl SftpValues {
    /// Checks the table; relative local paths are relative to `base`, the file's folder.
    pub(super) fn resolve(self, base: &Path) -> Result<Sftp, String> {
        let host = required(self.host, "host", "the server's name or address")?;
        let user = required(self.user, "user", "the login name Alphacomm gave")?;
        let auth = match (self.password_env, self.password_file, self.key_file) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => return Err(
                "[sftp] names more than one of password_env, password_file and key_file: keep one"
                    .into(),
            ),
            (_, Some(f), _) => SftpAuth::PasswordFile(base.join(f)),
            (_, _, Some(k)) => SftpAuth::KeyFile {
                path: base.join(k),
                passphrase_env: self
                    .key_passphrase_env
                    .unwrap_or_else(|| PASSPHRASE_ENV.to_string()),
            },
            (env, None, None) => {
                SftpAuth::PasswordEnv(env.unwrap_or_else(|| PASSWORD_ENV.to_string()))
            }
        };
        let host_key = match self.host_key {
            None => vec![],
            Some(OneOrMany::One(s)) => vec![s],
            Some(OneOrMany::Many(v)) => v,
        };
        if let Some(bad) = host_key
            .iter()
            .find(|k| !k.trim_start().contains("SHA256:"))
        {
            return Err(format!(
                "[sftp] host_key '{bad}' is not a SHA256 fingerprint: write it as \"SHA256:...\" as `collectmaxx hostkey` prints it"
            ));
        }
        if self.timeout_s == Some(0) {
            return Err("[sftp] timeout_s must be at least 1 (seconds)".into());
        }
        Ok(Sftp {
            host,
            port: self.port.unwrap_or(22),
            user,
            auth,
            host_key,
            known_hosts: self.known_hosts.map(|p| base.join(p)),
            upload_dir: self.upload_dir.unwrap_or_else(|| ".".into()),
            results_dir: self.results_dir.unwrap_or_else(|| ".".into()),
            results_to: base.join(self.results_to.unwrap_or_else(|| PathBuf::from("."))),
            timeout: Duration::from_secs(self.timeout_s.unwrap_or(30)),
            retries: self.retries.unwrap_or(3),
        })
    }
}

fn required(v: Option<String>, key: &str, what: &str) -> Result<String, String> {
    match v {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => Err(format!("[sftp] has no {key}: give {what}")),
    }
}

/// `file_mode`: octal text such as `"0600"` or `"0640"`. The owner keeps read and write; no
/// execute bits, and never writable by others.
pub(super) fn parse_file_mode(text: &str) -> Result<u32, String> {
    let digits = text.trim().trim_start_matches("0o");
    let mode = u32::from_str_radix(digits, 8).map_err(|_| {
        format!("file_mode '{text}' is not an octal mode: write it as \"0600\" or \"0640\"")
    })?;
    if mode & !0o666 != 0 || mode & 0o600 != 0o600 || mode & 0o002 != 0 {
        return Err(format!(
            "file_mode '{text}' is not allowed: the owner must read and write (0600), nothing may be executable or writable by others; \"0640\" lets a group read"
        ));
    }
    Ok(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_modes() {
        assert_eq!(parse_file_mode("0600"), Ok(0o600));
        assert_eq!(parse_file_mode("640"), Ok(0o640));
        assert!(parse_file_mode("0644").is_ok());
        assert!(parse_file_mode("0700").is_err());
        assert!(parse_file_mode("0400").is_err());
        assert!(parse_file_mode("0666").is_err());
        assert!(parse_file_mode("rw").is_err());
    }

    #[test]
    fn sftp_defaults_and_refusals() {
        let v: SftpValues =
            toml::from_str("host = 'h'\nuser = 'u'\nhost_key = 'SHA256:x'").unwrap();
        let s = v.resolve(Path::new("/etc/cmx")).unwrap();
        assert_eq!(s.port, 22);
        assert_eq!(s.auth, SftpAuth::PasswordEnv(PASSWORD_ENV.into()));
        assert_eq!(s.host_key, vec!["SHA256:x".to_string()]);
        let v: SftpValues = toml::from_str("host = 'h'").unwrap();
        assert!(v.resolve(Path::new(".")).unwrap_err().contains("no user"));
        let v: SftpValues =
            toml::from_str("host = 'h'\nuser='u'\npassword_env='X'\nkey_file='k'").unwrap();
        assert!(v.resolve(Path::new(".")).is_err());
        let v: SftpValues = toml::from_str("host = 'h'\nuser='u'\nhost_key=['MD5:aa']").unwrap();
        assert!(v.resolve(Path::new(".")).is_err());
        assert!(toml::from_str::<SftpValues>("password = 'secret'").is_err());
    }
}
