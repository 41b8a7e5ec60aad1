//! Every integration test, in one binary: one link for the whole suite instead of one per file.
//! A module per area; `harness` is the one way to run the `collectmaxx` binary, so every run
//! gets its own home, configuration and state directories.
//!
//! Run one area or one test by its path: `cargo test --test tests cli::convert::`,
//! `cargo test --test tests history::`.

mod harness;
mod pg_server;

mod cli;
mod history;
mod hostile;
mod readers;
mod results;
mod rules;
mod transport;
