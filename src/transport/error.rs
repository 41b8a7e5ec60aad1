//! What can go wrong talking to the SFTP server. Every failure has one [`ErrorKind`]; retries
//! are for network trouble only ([`Error::is_retryable`]), never for authentication, host keys,
//! permissions or conflicts.

use super::key::SeenKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Nothing pinned and no known_hosts entry: no trust on first use. `Error::seen` holds
    /// what the server showed.
    HostKeyNotTrusted,
    /// The server showed a key that matches nothing pinned: a security event, never retried.
    HostKeyMismatch,
    /// The server refused the password.
    WrongPassword,
    /// The server refused the key.
    KeyRefused,
    /// The local key file or password file cannot be used.
    Credentials,
    /// No TCP connection (refused, no route, unknown host).
    Unreachable,
    /// Connect or an operation took longer than the timeout.
    Timeout,
    /// The connection broke after it was made.
    ConnectionLost,
    /// The server does not let the user read or write there.
    PermissionDenied,
    /// The server's disk is full.
    DiskFull,
    /// A remote file with the final name exists: it is never overwritten.
    RemoteExists,
    /// A local file with the final name exists: it is never overwritten.
    LocalExists,
    /// A remote file or folder is not there.
    NotFound,
    /// A remote file changed while it was downloaded: it is still being written.
    StillBeingWritten,
    /// After the upload, the remote size is not the local one.
    SizeMismatch,
    /// Reading or writing a local file.
    LocalIo,
    /// A setting that cannot work (a bad fingerprint, a bad name).
    Config,
    /// Anything else the server or the protocol did.
    Protocol,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::HostKeyNotTrusted => "host_key_not_trusted",
            ErrorKind::HostKeyMismatch => "host_key_mismatch",
            ErrorKind::WrongPassword => "wrong_password",
            ErrorKind::KeyRefused => "key_refused",
            ErrorKind::Credentials => "credentials",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Timeout => "timeout",
            ErrorKind::ConnectionLost => "connection_lost",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::DiskFull => "disk_full",
            ErrorKind::RemoteExists => "remote_exists",
            ErrorKind::LocalExists => "local_exists",
            ErrorKind::NotFound => "not_found",
            ErrorKind::StillBeingWritten => "still_being_written",
            ErrorKind::SizeMismatch => "size_mismatch",
            ErrorKind::LocalIo => "local_io",
            ErrorKind::Config => "config",
            ErrorKind::Protocol => "protocol",
        }
    }
}

/// A transport failure. The message says what happened and what to do; it never holds a
/// password.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// Host-key failures: what was pinned or in known_hosts.
    pub expected: Vec<String>,
    /// Host-key failures: the keys the server showed.
    pub seen: Vec<SeenKey>,
    /// An upload that failed: the partial file that could not be removed (the connection was
    /// gone); the next send removes it.
    pub partial_left: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            expected: vec![],
            seen: vec![],
            partial_left: None,
        }
    }

    /// Network trouble only: worth another try after a pause.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Unreachable | ErrorKind::Timeout | ErrorKind::ConnectionLost
        )
    }

    /// A host key that does not match: report at once, never retry.
    pub fn is_security_event(&self) -> bool {
        self.kind == ErrorKind::HostKeyMismatch
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
