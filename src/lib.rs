//! collectmaxx: turn customer exports into Collectmaxx delivery files, and read back the
//! result files that Collectmaxx returns.
//!
//! Data flows one way: a [`source`] reader turns an input into rows, the [`rules`] pipeline
//! turns rows into typed [`model::Record`]s plus [`issue::Issue`]s, the [`codec`] encodes the
//! delivery and [`report`] writes the JSON report. The [`registry`] is the one table of
//! delivery fields that drives all of them. The [`outbox`] puts the delivery under its final
//! name crash-safely and records it in a [`history::History`], whose storage is [`state`].

pub mod backend;
pub mod codec;
pub mod config;
pub mod deliver;
pub mod delivery;
pub mod footer;
pub mod header;
pub mod history;
pub mod identifiers;
pub mod issue;
pub mod model;
pub mod outbox;
pub mod pg;
pub mod registry;
pub mod report;
pub mod results;
pub mod rules;
pub mod run;
pub mod shown;
pub mod source;
pub mod state;
pub mod tally;

#[cfg(test)]
mod module_graph_tests;
