//! The delivery history: the `history` and `config` commands, numbering and reuse across runs,
//! several processes on one state directory, and the look-up at scale.

mod backend;
mod commands;
mod processes;
mod runs;
mod scale;
mod shared;
