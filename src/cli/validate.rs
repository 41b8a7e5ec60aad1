//! `collectmaxx validate`: check exports; writes nothing but the report.

use std::path::PathBuf;

use anyhow::Context;

use super::common::CheckArgs;
use super::convert::write_atomically;
use super::{human, reuse, state_dir, Exit};
use crate::config::Settings;
use crate::report::{IssueLog, ReportHead};
use crate::run::{self, NoSink};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    /// A summary for people.
    Human,
    /// The JSON report on standard output.
    Json,
}

/// The exit codes, as `validate --help` gives them.
const EXIT_CODES: &str = "Exit codes:
  0  every row valid (warnings and fixes allowed), or no data rows
  1  rows invalid: they would be rejected (all of them when the summary says \"no record would
     be delivered\")
  2  nothing checked: bad arguments or settings, a mapping key that matches no column, an
     unreadable input

Without --client, identifiers are not checked against earlier deliveries; without
--services, no field is checked as required. The summary says so (\"not checked: ...\"), and
the JSON report lists it under not_checked.";

#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Output on standard output.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ValidateFormat,

    /// Also write the JSON report to this file; `-` writes it to standard output (the summary
    /// then goes to standard error).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// No progress bar and no summary (the exit code and any JSON report still tell).
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(&args.check.flags())?;
    let mut opts = args.check.run_options(&settings)?;
    opts.progress = super::progress::bar(args.quiet);
    super::common::check_report_folder(args.report.as_deref())?;
    let log = IssueLog::new(args.check.list_fixes, args.check.redact)?;
    let mut outcome = run::run(&args.check.inputs, &opts, log, &mut NoSink)?;
    // Against the history, read only: with a client and an existing history.
    let mut history_checked = false;
    if let (Some(client), Some(dir)) = (&settings.client, &settings.state_dir) {
        if let Some(history) = state_dir::open_existing(&dir.value)? {
            reuse::check(
                &history,
                &client.value,
                &outcome.identifiers,
                args.check.allow_reuse,
                &mut outcome.log,
            )?;
            history_checked = true;
        }
    }
    outcome.log.not_checked = super::common::not_checked(&settings, history_checked);
    let exit = if outcome.log.summary.rows.rejected() > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    };
    let head = ReportHead {
        tool: "collectmaxx",
        version: env!("CARGO_PKG_VERSION"),
        inputs: outcome.inputs.clone(),
        delivery: None,
        services: opts.settings.services.names(),
    };
    let to_stdout = args.report.as_deref() == Some(std::path::Path::new("-"));
    if args.format == ValidateFormat::Human && !args.quiet {
        if to_stdout {
            human::summarize(
                &mut anstream::stderr(),
                &outcome.inputs,
                &outcome.log,
                human::Accepted::Valid,
                None,
            )?;
        } else {
            human::summarize(
                &mut super::pipe::Quiet::new(anstream::stdout()),
                &outcome.inputs,
                &outcome.log,
                human::Accepted::Valid,
                None,
            )?;
        }
    }
    match (&args.report, args.format) {
        (Some(_), _) if to_stdout => outcome.log.write_report(&head, super::pipe::stdout())?,
        (Some(path), ValidateFormat::Json) => {
            // The spool can be read once: write the file, then copy it to stdout.
            write_atomically(path, |w| outcome.log.write_report(&head, w))
                .with_context(|| format!("cannot write the report {}", path.display()))?;
            let mut f = std::fs::File::open(path)?;
            std::io::copy(&mut f, &mut super::pipe::stdout())?;
        }
        (Some(path), ValidateFormat::Human) => {
            write_atomically(path, |w| outcome.log.write_report(&head, w))
                .with_context(|| format!("cannot write the report {}", path.display()))?;
        }
        (None, ValidateFormat::Json) => outcome.log.write_report(&head, super::pipe::stdout())?,
        (None, ValidateFormat::Human) => {}
    }
    Ok(exit)
}
