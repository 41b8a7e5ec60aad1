//! collectmaxx: turn customer exports into Collectmaxx delivery files, and read back the
//! result files that Collectmaxx returns.
//!
//! Data flows one way: a [`source`] reader turns an input into rows, the [`rules`] pipeline
//! turns rows into typed [`model::Record`]s plus [`issue::Issue`]s, the [`codec`] encodes the
//! delivery and [`report`] writes the JSON report. The [`registry`] is the one table of
//! delivery fields that drives all of them. The [`outbox`] puts the delivery under its final
//! name crash-safely and records it in a [`history::History`], whose storage is [`state`]; the
//! [`transport`] sends it to Alphacomm's SFTP server and fetches the result files.

pub mod backend;
pub mod codec;
pub mod config;
pub(crate) mod deliver;
pub mod delivery;
pub(crate) mod footer;
pub mod header;
pub mod history;
pub(crate) mod identifiers;
pub mod issue;
pub mod model;
pub mod outbox;
pub mod pg;
pub mod privacy;
pub mod profile;
pub mod recognise;
pub mod registry;
pub mod report;
pub mod results;
pub mod rules;
pub mod run;
pub(crate) mod shown;
pub mod source;
pub mod state;
pub mod tally;
pub mod template;
pub mod transport;

#[cfg(test)]
mod module_graph_tests;
