//! How a listing command prints (`history`, `config`): shared by commands, so none imports
//! another.

use clap::ValueEnum;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Human,
    /// JSON for scripts.
    Json,
}
