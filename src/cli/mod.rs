//! The command line: one module per subcommand. This layer only wires readers, the pipeline,
//! writers and the report together.

pub mod common;
pub mod completions;
pub mod config;
pub mod convert;
pub mod fetch;
pub mod fields;
pub mod flags;
pub mod history;
pub mod hostkey;
pub mod human;
pub mod man;
pub mod map;
pub mod output;
pub mod pipe;
pub mod progress;
pub mod results;
pub mod send;
pub mod sheets;
pub mod state_dir;
pub mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use collectmaxx::delivery::Exit;

#[derive(Debug, Parser)]
#[command(
    name = "collectmaxx",
    version,
    about = "Turn customer exports into valid Collectmaxx delivery files, and read back result files",
    long_about = None,
    before_help = "Example:\n  collectmaxx convert export.csv --client ACME --services sms,paylink",
    after_help = "Exit codes: 0 all rows delivered/valid, 1 rows rejected (the others delivered; none at all when every row was rejected, which the summary says), 2 nothing done (bad arguments, unreadable input, I/O failure)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub colour: flags::Colour,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert exports into a Collectmaxx delivery file plus a JSON report.
    Convert(convert::Args),
    /// Check exports against the specification; writes nothing but the report.
    Validate(validate::Args),
    /// Print the delivery fields and which ones the chosen services require.
    Fields(fields::Args),
    /// Decode, summarize and reconcile Collectmaxx result files.
    Results(results::Args),
    /// List the sheets of a workbook with their row counts, to choose `--sheet`.
    Sheets(sheets::Args),
    /// List, show and forget the deliveries in the history.
    History(history::Args),
    /// Print the effective settings and where each came from.
    Config(config::Args),
    /// Recognise an export's columns and propose (or save) a client profile.
    Map(map::Args),
    /// Print the shell completion script (bash, zsh, fish, powershell).
    Completions(completions::Args),
    /// Print a manual page, or write every command's page into a directory.
    Man(man::Args),
    /// Upload deliveries to the SFTP server (docs/transport.md).
    Send(send::Args),
    /// Download the result files not fetched before from the SFTP server.
    Fetch(fetch::Args),
    /// Print the SFTP server's host-key fingerprints, to pin one.
    Hostkey(hostkey::Args),
}

/// Where the last panic happened, for the one-line report of an uncaught one.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

pub fn main() -> ExitCode {
    flags::ColorWhen::from_args(std::env::args_os().skip(1)).apply();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Failure as u8
            } else {
                0
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A panic is a bug. Where it is caught (a reader, a row) it becomes that file's or row's
    // error; only one that reaches this point is reported here, in one line, with exit 2, never
    // Rust's 101. The hook only remembers where it happened.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
        }
    }));
    let result = std::panic::catch_unwind(|| dispatch(&cli.command)).unwrap_or_else(|panic| {
        let place = LAST_PANIC
            .lock()
            .ok()
            .and_then(|l| l.clone())
            .unwrap_or_default();
        Err(anyhow::anyhow!(
            "internal error at {place}: {}; nothing was delivered. Please report this",
            collectmaxx::run::panic_message(&panic)
        ))
    });
    match result {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(e) => {
            eprintln!("collectmaxx: error: {e:#}");
            ExitCode::from(Exit::Failure as u8)
        }
    }
}

fn dispatch(command: &Command) -> anyhow::Result<Exit> {
    match command {
        Command::Convert(a) => convert::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Fields(a) => fields::run(a),
        Command::Results(a) => results::run(a),
        Command::Sheets(a) => sheets::run(a),
        Command::History(a) => history::run(a),
        Command::Config(a) => config::run(a),
        Command::Map(a) => map::run(a),
        Command::Completions(a) => completions::run(a, <Cli as clap::CommandFactory>::command()),
        Command::Man(a) => man::run(a, <Cli as clap::CommandFactory>::command()),
        Command::Send(a) => send::run(a),
        Command::Fetch(a) => fetch::run(a),
        Command::Hostkey(a) => hostkey::run(a),
    }
}
