//! The outbox: getting a delivery file under its final name safely, whatever happens to the
//! process, and recording it in the [`crate::history`].
//!
//! It owns every piece of crash safety: the temporary names ([`SPOOL_PREFIX`]), the two-phase
//! commit with its kill points ([`commit()`], `COLLECTMAXX_TEST_CRASH_AT`), the sweep of
//! orphaned temp files ([`remove_orphan_temps`]), the recovery that decides from the file
//! system what a killed run did ([`recover()`]), and the file names with the client code in
//! them ([`file_name`], [`ClientCode`]). The history behind it is any
//! [`crate::history::History`]; the outbox never knows which.
//!
//! # A run, in order
//!
//! ```text
//! let lock = history.lock(Some(client), DEFAULT_LOCK_TIMEOUT)?;  // one run at a time
//! outbox::recover(&mut history, &lock, Some(&out_dir))?;         // settle a killed run
//! ... the run spools its records into a temp file (deliver::Spool) ...
//! outbox.commit(staged, ledger)?;   // number, record pending, check, rename, confirm
//! ```

mod commit;
mod error;
mod name;
mod recover;
mod temp;

pub use self::commit::{
    commit, commit_checked, crash_point, Committed, Ledger, Outbox, Staged, CRASH_ENV,
};
pub use self::error::OutboxError;
pub use self::name::{file_name, highest_in_dir, BadClientCode, ClientCode};
pub use self::recover::{recover, Recovery};
pub(crate) use self::temp::{spool_temp_in, temp_in};
pub use self::temp::{stage, SPOOL_PREFIX};
