//! The delivery workflow: what one run of `convert` or `validate` does, as an object with steps,
//! so that every command that delivers (and the ones to come: `send` after a commit, `map`
//! before a run) calls one workflow instead of copying it.
//!
//! # A run, in order
//!
//! ```text
//! let delivery = Delivery::open(history, client, &out_dir, format)?;  // lock, recover, spool
//!            // or Delivery::read_only(history, client) for validate and --dry-run
//! let mut checked = delivery.check(&inputs, &opts, log)?;     // the engine, into the spool
//! checked.check_reuse(allow_reuse)?;                          // identifiers against the history
//! let delivered = checked.deliver(format, &outbox)?;          // number, prepare, commit
//! let exit = checked.exit();                                  // 0 or 1 (an error is 2)
//! checked.write_report(&path, create_dir)?;                   // report head + report file
//! ```
//!
//! The workflow returns data (what was recovered, what was delivered and where, where the
//! report went); printing is the command line's. The steps own no flags, but the issues they
//! add (`identifier.reused`, `jsonl.columns_dropped`) say what to do, naming flags where that
//! is the answer.

mod error;
mod exit;
mod report_file;
mod reuse;
mod workflow;

pub use self::exit::{exit, Exit};
pub use self::workflow::{Checked, Delivered, Delivery};

#[cfg(test)]
mod tests;
