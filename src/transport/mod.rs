//! Data transport: uploading deliveries to Alphacomm's SFTP server and fetching result files
//! from it, with the server's host key pinned (docs/transport.md).
//!
//! The only module with async code (russh and russh-sftp on a tokio current-thread runtime,
//! all inside [`client`]); everything it offers is a blocking call, so the rest of the tool
//! stays synchronous. The layers:
//! - [`client`]: connect (host-key check, login, SFTP), atomic upload, recovery of an
//!   interrupted upload, atomic download, listing;
//! - [`trust`] and [`key`]: pinned fingerprints and known_hosts, fingerprints as OpenSSH
//!   prints them;
//! - [`connect`]: the `[sftp]` settings turned into a client, with bounded retries for network
//!   errors only;
//! - [`send`] and [`fetch`]: the workflows that drive the client and record in the
//!   [`crate::history::History`] what was sent and fetched.

pub mod client;
pub mod connect;
pub mod error;
pub mod fetch;
pub mod key;
pub mod send;
pub mod trust;

pub use self::client::{hostkey, Client};
pub use self::error::{Error, ErrorKind};
pub use self::key::SeenKey;
