//! `collectmaxx validate`: check exports; writes nothing but the report.

use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::common::CheckArgs;
use super::{human, state_dir};
use collectmaxx::config::Settings;
use collectmaxx::delivery::{Checked, Delivery, Exit};
use collectmaxx::history::History;
use collectmaxx::outbox::ClientCode;
use collectmaxx::report::{ci, IssueLog};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    /// A summary for people.
    Human,
    /// The JSON report on standard output.
    Json,
    /// JUnit XML: a test suite per input, a test case per rule and field (docs/ci.md).
    Junit,
    /// GitHub Actions annotations; the full table goes to $GITHUB_STEP_SUMMARY when set.
    Github,
    /// A GitLab Code Quality report (JSON).
    Gitlab,
}

impl ValidateFormat {
    /// The CI format's name, for a format that is neither the summary nor the JSON report.
    fn ci_name(self) -> Option<&'static str> {
        match self {
            ValidateFormat::Human | ValidateFormat::Json => None,
            ValidateFormat::Junit => Some("junit"),
            ValidateFormat::Github => Some("github"),
            ValidateFormat::Gitlab => Some("gitlab"),
        }
    }
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
#[command(
    before_help = "Example:\n  collectmaxx validate export.csv --services sms,paylink --format junit > junit.xml"
)]
pub struct Args {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Output on standard output.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ValidateFormat,

    /// Also write the JSON report to this file; `-` writes it to standard output (the summary
    /// then goes to standard error; not with --format junit, github or gitlab, which write
    /// there).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// No progress bar and no summary (the exit code and any JSON report still tell).
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let to_stdout = args.report.as_deref() == Some(Path::new("-"));
    if let (Some(name), true) = (args.format.ci_name(), to_stdout) {
        anyhow::bail!(
            "--report - and --format {name} would both write to standard output: give --report \
             a file path (the {name} output stays on standard output)"
        );
    }
    let (settings, profile) = super::common::settings(&args.check.flags())?;
    collectmaxx::privacy::set_file_mode(settings.file_mode.value);
    let mut opts = args.check.run_options(&settings, profile.as_ref())?;
    opts.progress = super::progress::bar(args.quiet);
    super::common::check_report_folder(args.report.as_deref())?;
    let log = IssueLog::new(args.check.report.list_fixes, args.check.report.redact)?;
    let _stdin = args.check.read_stdin()?;
    let delivery = Delivery::read_only(None, None);
    let mut checked = delivery.check(&args.check.inputs, &opts, log)?;
    // Against the history, read only: with a client and an existing history.
    if let Some((history, client)) = open_history(&settings)? {
        checked.use_history(history, client);
    }
    let history_checked = checked.check_reuse(args.check.allow_reuse)?;
    checked.set_not_checked(super::common::not_checked(&settings, history_checked));
    let exit = checked.exit();
    if args.format.ci_name().is_some() {
        write_ci(checked, args.format, args.report.as_deref())?;
        return Ok(exit);
    }
    if args.format == ValidateFormat::Human && !args.quiet {
        summary(&checked, to_stdout)?;
    }
    match (&args.report, args.format) {
        (Some(_), _) if to_stdout => checked.write_report(super::pipe::stdout())?,
        (Some(path), ValidateFormat::Json) => {
            // The spool can be read once: write the file, then copy it to stdout.
            checked.write_report_file(path, false)?;
            let mut f = std::fs::File::open(path)?;
            std::io::copy(&mut f, &mut super::pipe::stdout())?;
        }
        (Some(path), ValidateFormat::Human) => checked.write_report_file(path, false)?,
        (None, ValidateFormat::Json) => checked.write_report(super::pipe::stdout())?,
        (_, _) => {}
    }
    Ok(exit)
}

/// Writes the report in a CI format on standard output, from the JSON report: the file
/// `--report` names, else a temporary one.
fn write_ci(checked: Checked, format: ValidateFormat, path: Option<&Path>) -> anyhow::Result<()> {
    let file = match path {
        Some(path) => {
            checked.write_report_file(path, false)?;
            std::fs::File::open(path)?
        }
        None => {
            let mut tmp = tempfile::tempfile()?;
            checked.write_report(&mut tmp)?;
            tmp.seek(SeekFrom::Start(0))?;
            tmp
        }
    };
    let report = ci::Report::read(file)?;
    let mut out = super::pipe::stdout();
    match format {
        ValidateFormat::Junit => ci::write_junit(&report, &mut out)?,
        ValidateFormat::Gitlab => ci::write_gitlab(&report, &mut out)?,
        _ => {
            ci::write_github(&report, &mut out)?;
            // The runner names the job summary's file; appended to, as other steps may too.
            if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&summary)?;
                ci::write_step_summary(&report, &mut f)?;
            }
        }
    }
    Ok(())
}

/// The history to check identifiers against, if there is a client and a history.
fn open_history(settings: &Settings) -> anyhow::Result<Option<(Box<dyn History>, ClientCode)>> {
    let (Some(client), Some(_)) = (&settings.client, &settings.state_dir) else {
        return Ok(None);
    };
    let Some(history) = state_dir::open_existing(&state_dir::place(settings)?)? else {
        return Ok(None);
    };
    // The settings checked the client code already.
    let client = client.value.clone();
    Ok(Some((history, client)))
}

/// The summary for people: on standard error when the report goes to standard output.
fn summary(checked: &Checked, to_stderr: bool) -> std::io::Result<()> {
    let (inputs, log, valid) = (checked.inputs(), checked.log(), human::Accepted::Valid);
    if to_stderr {
        human::summarize(&mut anstream::stderr(), inputs, log, valid, None)
    } else {
        let mut out = super::pipe::Quiet::new(anstream::stdout());
        human::summarize(&mut out, inputs, log, valid, None)
    }
}
