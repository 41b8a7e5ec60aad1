//! Result files: reading, decoding every code, merging, the `results` command and its formats.

mod cli;
mod codes;
mod merge;
mod read;
mod snapshots;
