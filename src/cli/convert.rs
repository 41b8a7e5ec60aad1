//! `collectmaxx convert`: exports in, a delivery file and a JSON report out.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;

use super::common::CheckArgs;
use super::flags::Outputs;
use super::{human, state_dir};
use collectmaxx::backend::Place;
use collectmaxx::codec::DeliveryFormat;
use collectmaxx::delivery::{Checked, Delivered, Delivery, Exit};
use collectmaxx::outbox::{ClientCode, Outbox};
use collectmaxx::report::IssueLog;

/// The exit codes, as `convert --help` gives them.
const EXIT_CODES: &str = "Exit codes:
  0  every row delivered (warnings and fixes allowed); also an export with no data rows, for
     which no delivery is written
  1  rows rejected: the others are delivered; when every row is rejected, nothing is (no
     delivery file; the summary says \"nothing delivered\", the report's delivery is null)
  2  nothing delivered or recorded: bad arguments or settings, a mapping key that matches no
     column, an unreadable input, I/O failure. With --send, also: delivered and recorded, but
     the upload failed (the message says so; `collectmaxx send --pending` sends it later)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
#[command(
    before_help = "Example:\n  collectmaxx convert export.xlsx --client ACME --services sms,paylink --out-dir outbox"
)]
pub struct Args {
    #[command(flatten)]
    pub check: CheckArgs,

    #[command(flatten)]
    pub outputs: Outputs,

    /// Delivery date for the file name, YYYYMMDD [default: today].
    #[arg(long, value_name = "YYYYMMDD")]
    pub date: Option<String>,

    /// Where to write the JSON report: a path, or '-' for standard output
    /// [default: in the report dir, else beside the delivery, as <name>.report.json].
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Delivery format.
    #[arg(long = "to", value_parser = super::common::delivery_format(), default_value = "csv")]
    pub to: DeliveryFormat,

    /// Do everything but write: print the name the delivery would get. Writes no delivery, no
    /// report file and no history.
    #[arg(long)]
    pub dry_run: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Then upload the new delivery to the SFTP server ([sftp] in the configuration file,
    /// see docs/transport.md). The report's delivery gets `sent`.
    #[arg(long, conflicts_with = "dry_run")]
    pub send: bool,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let mut flags = args.check.flags();
    args.outputs.add_to(&mut flags);
    let (settings, profile) = super::common::settings(&flags)?;
    collectmaxx::privacy::set_file_mode(settings.file_mode.value);
    let client = settings.client.as_ref().map(|c| c.value.clone()).context(
        "no client code: give --client CODE or put client = \"CODE\" in collectmaxx.toml (it becomes part of the file name)",
    )?;
    let date = delivery_date(args.date.as_deref())?;
    let mut opts = args.check.run_options(&settings, profile.as_ref())?;
    opts.progress = super::progress::bar(args.quiet);
    // Before anything is written: a report that cannot be written after the delivery was
    // made would make a run that delivered exit 2.
    super::common::check_report_folder(args.report.as_deref())?;
    if args.send && settings.sftp.is_none() {
        anyhow::bail!(super::common::NO_SFTP);
    }
    let out_dir = settings.out_dir.value.clone();
    let place = state_dir::place(&settings)?;

    // Standard input is read before the history's lock is taken: a slow pipe holds no lock.
    let _stdin = args.check.read_stdin()?;
    let delivery = open(args.dry_run, &place, &client, &out_dir, args.to)?;
    let log = IssueLog::new(args.check.report.list_fixes, args.check.report.redact)?;
    let mut checked = delivery.check(&args.check.inputs, &opts, log)?;
    let history_checked = checked.check_reuse(args.check.allow_reuse)?;
    checked.set_not_checked(super::common::not_checked(&settings, history_checked));
    let outbox = Outbox::new(out_dir.clone(), date, client, args.to.extension());
    let delivered = checked.deliver(args.to, &outbox)?;
    let not_sent = send(args, &settings, &mut checked, &delivered);
    let exit = checked.exit();
    let report = match &args.report {
        Some(p) if p == Path::new("-") => None,
        Some(p) => Some(p.clone()),
        None => {
            let dir = settings.report_dir.as_ref().map_or(&out_dir, |d| &d.value);
            Some(dir.join(&delivered.report_name))
        }
    };
    if args.dry_run {
        dry_run(
            args,
            checked,
            &out_dir.join(&delivered.name),
            &delivered,
            report.is_none(),
        )?;
    } else {
        write_report(args, checked, report)?;
    }
    if let Some(why) = not_sent {
        eprintln!("collectmaxx: {why}");
        anyhow::bail!(
            "delivered and recorded as {}, but not sent: run `collectmaxx send --pending`",
            delivered.name
        );
    }
    Ok(exit)
}

/// `--send`: uploads the delivery just committed. `Some(why)` when that failed; the report is
/// written either way (the delivery is made and recorded).
fn send(
    args: &Args,
    settings: &collectmaxx::config::Settings,
    checked: &mut Checked,
    delivered: &Delivered,
) -> Option<String> {
    let sftp = settings.sftp.as_ref().filter(|_| args.send)?;
    let mut note = |m: &str| eprintln!("collectmaxx: {m}");
    match checked.send(delivered, &sftp.value, &mut note) {
        Ok(Some(sent)) if !args.quiet => {
            let line = format!(
                "sent {} to {}:{} ({} bytes)",
                delivered.name, sftp.value.host, sent.remote_path, sent.size
            );
            // Standard output may be the report (`--report -`).
            match args.report.as_deref() {
                Some(p) if p == Path::new("-") => eprintln!("{line}"),
                _ => println!("{line}"),
            }
            None
        }
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

/// `--date`, or today.
fn delivery_date(date: Option<&str>) -> anyhow::Result<NaiveDate> {
    Ok(match date {
        Some(d) => NaiveDate::parse_from_str(d, "%Y%m%d")
            .with_context(|| format!("--date '{d}' is not a date of the form YYYYMMDD"))?,
        None => chrono::Local::now().date_naive(),
    })
}

/// Opens the history and the run. A run holds the history's lock from before its spool is
/// created until its delivery is recorded, so the recovery of another run never takes its
/// temp file for a killed run's. A dry run only reads the history.
fn open(
    dry_run: bool,
    place: &Place,
    client: &ClientCode,
    out_dir: &Path,
    format: DeliveryFormat,
) -> anyhow::Result<Delivery> {
    if dry_run {
        let history = state_dir::open_existing(place)?;
        return Ok(Delivery::read_only(history, Some(client.clone())));
    }
    let history = state_dir::open(place)?;
    let delivery = Delivery::open(history, client.clone(), out_dir, format)?;
    for r in delivery.recovered() {
        eprintln!(
            "collectmaxx: {} was left pending by an interrupted run; now recorded as {}",
            r.file, r.outcome
        );
    }
    Ok(delivery)
}

/// The summary for people, best effort: nothing with `--quiet`.
fn summary(args: &Args, checked: &Checked, out: &mut dyn Write) {
    if !args.quiet {
        let shown = checked.delivery().map(|d| d.path.as_str());
        let _ = human::summarize(
            out,
            checked.inputs(),
            checked.log(),
            human::Accepted::Delivered,
            shown,
        );
    }
}

/// A dry run writes nothing but standard output (and the report there, if asked for).
fn dry_run(
    args: &Args,
    checked: Checked,
    would_be: &Path,
    delivered: &Delivered,
    report_to_stdout: bool,
) -> anyhow::Result<()> {
    let said = if delivered.records > 0 {
        format!(
            "dry run: would write {} with {} records; nothing was written",
            would_be.display(),
            delivered.records
        )
    } else {
        "dry run: no record to deliver; nothing was written".to_string()
    };
    if report_to_stdout {
        summary(args, &checked, &mut anstream::stderr());
        eprintln!("{said}");
        checked.write_report(super::pipe::stdout())?;
    } else {
        let mut out = anstream::stdout();
        summary(args, &checked, &mut out);
        if !args.quiet {
            let _ = writeln!(out, "{said}");
        }
    }
    Ok(())
}

/// Writes the report to `path` (`None`: standard output). The summary is for people and best
/// effort; the report is written first, whatever happens to the terminal.
fn write_report(args: &Args, checked: Checked, path: Option<PathBuf>) -> anyhow::Result<()> {
    let Some(path) = path else {
        summary(args, &checked, &mut anstream::stderr());
        checked.write_report(super::pipe::stdout())?;
        return Ok(());
    };
    let mut text = Vec::new();
    summary(args, &checked, &mut text);
    // A report dir of the run's choosing is created; the folder of --report was checked.
    checked.write_report_file(&path, args.report.is_none())?;
    if !args.quiet {
        let mut out = anstream::stdout();
        let _ = out.write_all(&text);
        let _ = writeln!(out, "report: {}", path.display());
    }
    Ok(())
}
