//! What a `postgres::Error` means for a run, and the message to print.
//!
//! The crate's error kind is private. What can be seen: [`postgres::Error::code`] (the
//! SQLSTATE of an error the server sent), [`postgres::Error::is_closed`] (the connection was
//! already gone when the call was made), the source chain (an `std::io::Error` when the socket
//! failed; a rustls error inside it for TLS), and the top-level `Display` text ("error
//! connecting to server", "error performing TLS handshake", "timeout waiting for server",
//! "error communicating with the server", "db error").

use postgres::error::SqlState;

use super::conn::error_chain;

/// What went wrong, in the terms a run acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No connection could be made (refused, unreachable, name not found, connect timeout).
    Unreachable,
    /// The server is starting, shutting down or in recovery (57P03).
    NotReady,
    /// The connection broke during the session, or the server ended it (57P01 admin
    /// shutdown, 57P02 crash shutdown, or a terminated backend). A COMMIT sent just before may
    /// or may not have taken effect.
    Lost,
    /// Password or pg_hba refused (28P01, 28000).
    Auth,
    /// TLS failed (no TLS on the server for `require`, certificate not trusted or not for
    /// this host).
    Tls,
    /// The role lacks a privilege (42501).
    Permission,
    /// The database named in the URL does not exist (3D000).
    NoDatabase,
    /// A unique constraint (23505): another run took the name or number first.
    Unique,
    /// `lock_timeout` ran out (55P03).
    LockTimeout,
    /// Serialization failure or deadlock (40001, 40P01): retry the transaction.
    Retry,
    /// A read-only server (25006), e.g. a standby after a failover.
    ReadOnly,
    /// Disk full, out of memory, too many connections (class 53).
    Resources,
    Other,
}

/// A classified failure with a message fit to print (no URL, no password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: Kind,
    pub sqlstate: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lead = match self.kind {
            Kind::Unreachable => "cannot reach the history database",
            Kind::NotReady => "the history database is not accepting connections now (starting, stopping or recovering)",
            Kind::Lost => "lost the connection to the history database; what was not committed is not recorded",
            Kind::Auth => "the history database refused the login",
            Kind::Tls => "TLS to the history database failed",
            Kind::Permission => "the history database role lacks a privilege",
            Kind::NoDatabase => "the history database does not exist",
            Kind::Unique => "another run recorded the same name or number first",
            Kind::LockTimeout => "gave up waiting for a lock in the history database",
            Kind::Retry => "the history database asks to retry the transaction",
            Kind::ReadOnly => "the history database is read-only (a standby?)",
            Kind::Resources => "the history database is out of resources",
            Kind::Other => "the history database failed",
        };
        write!(f, "{lead}: {}", self.message)
    }
}

impl Failure {
    pub fn from_io(e: &std::io::Error) -> Failure {
        Failure {
            kind: Kind::Lost,
            sqlstate: None,
            message: e.to_string(),
        }
    }
}

/// Classifies an error of the `postgres` crate.
pub fn classify(e: &postgres::Error) -> Failure {
    let message = error_chain(e);
    let sqlstate = e.code().map(|c| c.code().to_string());
    let kind = if let Some(code) = e.code() {
        match code {
            c if *c == SqlState::ADMIN_SHUTDOWN || *c == SqlState::CRASH_SHUTDOWN => Kind::Lost,
            c if *c == SqlState::CANNOT_CONNECT_NOW => Kind::NotReady,
            c if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
            {
                Kind::Auth
            }
            c if *c == SqlState::INSUFFICIENT_PRIVILEGE => Kind::Permission,
            c if *c == SqlState::INVALID_CATALOG_NAME => Kind::NoDatabase,
            c if *c == SqlState::UNIQUE_VIOLATION => Kind::Unique,
            c if *c == SqlState::LOCK_NOT_AVAILABLE => Kind::LockTimeout,
            c if *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED =>
            {
                Kind::Retry
            }
            c if *c == SqlState::READ_ONLY_SQL_TRANSACTION => Kind::ReadOnly,
            c if c.code().starts_with("53") => Kind::Resources,
            c if c.code().starts_with("08") => Kind::Lost,
            _ => Kind::Other,
        }
    } else {
        let top = e.to_string();
        if e.is_closed() {
            Kind::Lost
        } else if message.contains("password missing") {
            Kind::Auth
        } else if top.starts_with("error performing TLS handshake")
            || message.contains("server does not support TLS")
        {
            Kind::Tls
        } else if top.starts_with("error connecting to server")
            || top.starts_with("timeout waiting for server")
        {
            Kind::Unreachable
        } else if io_source(e).is_some() || top.starts_with("error communicating with the server") {
            Kind::Lost
        } else {
            Kind::Other
        }
    };
    Failure {
        kind,
        sqlstate,
        message,
    }
}

fn io_source(e: &postgres::Error) -> Option<&std::io::Error> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cur = c.source();
    }
    None
}
