//! `collectmaxx convert`: exports in, a delivery file and a JSON report out.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;

use super::common::CheckArgs;
use super::{human, Exit};
use super::{reuse, state_dir};
use crate::config::Settings;
use crate::deliver::{OutputFormat, Plan, Spool};
use crate::history::{History, DEFAULT_LOCK_TIMEOUT};
use crate::outbox::{self, ClientCode, Ledger, Outbox};
use crate::report::{DeliveryInfo, IssueLog, ReportHead};
use crate::run::{self, NoSink, RecordSink};

/// The exit codes, as `convert --help` gives them.
const EXIT_CODES: &str = "Exit codes:
  0  every row delivered (warnings and fixes allowed); also an export with no data rows, for
     which no delivery is written
  1  rows rejected: the others are delivered; when every row is rejected, nothing is (no
     delivery file; the summary says \"nothing delivered\", the report's delivery is null)
  2  nothing delivered or recorded: bad arguments or settings, a mapping key that matches no
     column, an unreadable input, I/O failure";

#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Directory for the delivery (created if missing) [default: .].
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Delivery date for the file name, YYYYMMDD [default: today].
    #[arg(long, value_name = "YYYYMMDD")]
    pub date: Option<String>,

    /// Where to write the JSON report: a path, or '-' for standard output
    /// [default: in the report dir, else beside the delivery, as <name>.report.json].
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Directory for the JSON reports [default: the out dir].
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,

    /// Delivery format.
    #[arg(long = "to", value_enum, default_value = "csv")]
    pub to: OutputFormat,

    /// Do everything but write: print the name the delivery would get. Writes no delivery, no
    /// report file and no history.
    #[arg(long)]
    pub dry_run: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let mut flags = args.check.flags();
    flags.out_dir.clone_from(&args.out_dir);
    flags.report_dir.clone_from(&args.report_dir);
    let settings = Settings::resolve(&flags)?;
    let client = settings.client.as_ref().map(|c| c.value.clone()).context(
        "no client code: give --client CODE or put client = \"CODE\" in collectmaxx.toml (it becomes part of the file name)",
    )?;
    // The settings checked it already.
    let client = ClientCode::new(client)?;
    let date = match &args.date {
        Some(d) => NaiveDate::parse_from_str(d, "%Y%m%d")
            .with_context(|| format!("--date '{d}' is not a date of the form YYYYMMDD"))?,
        None => chrono::Local::now().date_naive(),
    };
    let mut opts = args.check.run_options(&settings)?;
    opts.progress = super::progress::bar(args.quiet);
    // Before anything is written: a report that cannot be written after the delivery was
    // made would make a run that delivered exit 2.
    super::common::check_report_folder(args.report.as_deref())?;
    let out_dir = settings.out_dir.value.clone();
    let state_dir = settings.state_dir.as_ref().map(|s| s.value.clone()).context(
        "no state directory: give --state-dir DIR or set COLLECTMAXX_STATE_DIR (there is no home directory to default to)",
    )?;

    // A run holds the lock from before its spool is created until its delivery is recorded,
    // so the recovery of another run never takes its temp file for a killed run's. A dry run
    // only reads the history.
    let (mut history, lock) = if args.dry_run {
        (state_dir::open_existing(&state_dir)?, None)
    } else {
        let mut history = state_dir::open(&state_dir)?;
        let lock = history.lock(Some(client.as_str()), DEFAULT_LOCK_TIMEOUT)?;
        for r in outbox::recover(&mut history, &lock, Some(&out_dir))? {
            eprintln!(
                "collectmaxx: {} was left pending by an interrupted run; now recorded as {}",
                r.file, r.outcome
            );
        }
        (Some(history), Some(lock))
    };

    let mut spool = (!args.dry_run).then(|| Spool::new(&out_dir, args.to));
    let mut no_sink = NoSink;
    let sink: &mut dyn RecordSink = match spool.as_mut() {
        Some(s) => s,
        None => &mut no_sink,
    };
    let log = IssueLog::new(args.check.list_fixes, args.check.redact)?;
    let mut outcome = run::run(&args.check.inputs, &opts, log, sink)?;

    let reused = match &history {
        Some(h) => reuse::check(
            h,
            client.as_str(),
            &outcome.identifiers,
            args.check.allow_reuse,
            &mut outcome.log,
        )?,
        None => Vec::new(),
    };
    outcome.log.not_checked = super::common::not_checked(&settings, history.is_some());
    let mut dropped = outcome.superseded.clone();
    dropped.extend(reused);
    dropped.sort_unstable();
    dropped.dedup();
    let columns = if outcome.complete {
        outcome.columns.clone()
    } else {
        used_columns(&outcome)
    };
    if args.to == OutputFormat::Jsonl {
        let dropped = crate::codec::jsonl::dropped_columns(&columns);
        if !dropped.is_empty() {
            let names: Vec<&str> = dropped.iter().map(|s| s.column()).collect();
            outcome.log.push(crate::issue::Issue::warning(
                "jsonl.columns_dropped",
                format!(
                    "the API has no field for {}: these columns are left out of the JSON Lines delivery (deliver as CSV or XML to keep them)",
                    names.join(", ")
                ),
            ))?;
        }
    }
    let outbox = Outbox::new(out_dir.clone(), date, client.clone(), args.to.extension());
    let in_dir = outbox.highest_in_dir()?;
    let next = match &history {
        Some(h) => h.next_number(date, client.as_str(), in_dir)?,
        None => in_dir + 1,
    };
    let delivered = outcome.log.summary.rows.delivered();
    let (delivery, n) = match (spool, history.as_mut(), lock.as_ref()) {
        (Some(spool), Some(history), Some(lock)) if delivered > 0 => {
            let plan = Plan {
                format: args.to,
                columns,
                drop: &dropped,
                spooled: outcome.accepted,
            };
            let prepared = spool.prepare(&plan).context("cannot finish the delivery")?;
            let (sha256, records) = (prepared.sha256.clone(), prepared.records);
            let ledger = Ledger {
                history,
                lock,
                inputs: outcome.inputs.iter().map(|i| i.path.clone()).collect(),
                identifiers: &outcome.identifiers,
                dropped: &dropped,
            };
            let (path, n) = outbox.commit(prepared.staged(), ledger)?;
            (
                Some(DeliveryInfo {
                    path: path.display().to_string(),
                    sha256,
                    records,
                }),
                n,
            )
        }
        (spool, _, _) => {
            drop(spool);
            (None, next)
        }
    };
    drop(lock);

    let head = ReportHead {
        tool: "collectmaxx",
        version: env!("CARGO_PKG_VERSION"),
        inputs: outcome.inputs.clone(),
        delivery: delivery.clone(),
        services: opts.settings.services.names(),
    };
    let exit = if outcome.log.summary.rows.rejected() > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    };
    let to_stdout = args.report.as_deref() == Some(Path::new("-"));
    let report_path = match &args.report {
        _ if to_stdout => None,
        Some(p) => Some(p.clone()),
        None => {
            let dir = settings.report_dir.as_ref().map_or(&out_dir, |d| &d.value);
            Some(dir.join(outbox::file_name(date, &client, n, "report.json")))
        }
    };
    // The summary is for people and best effort; the report is written first, whatever
    // happens to the terminal.
    let summary = |out: &mut dyn Write| {
        if !args.quiet {
            let shown = delivery.as_ref().map(|d| d.path.as_str());
            let _ = human::summarize(
                out,
                &outcome.inputs,
                &outcome.log,
                human::Accepted::Delivered,
                shown,
            );
        }
    };
    if args.dry_run {
        // Writes nothing but standard output (and the report there, if asked for).
        let said = if delivered > 0 {
            let name = outbox.file_name(n);
            format!(
                "dry run: would write {} with {delivered} records; nothing was written",
                out_dir.join(name).display()
            )
        } else {
            "dry run: no record to deliver; nothing was written".to_string()
        };
        if report_path.is_none() {
            summary(&mut anstream::stderr());
            eprintln!("{said}");
            outcome.log.write_report(&head, super::pipe::stdout())?;
        } else {
            let mut out = anstream::stdout();
            summary(&mut out);
            if !args.quiet {
                let _ = writeln!(out, "{said}");
            }
        }
        return Ok(exit);
    }
    match report_path {
        None => {
            summary(&mut anstream::stderr());
            outcome.log.write_report(&head, super::pipe::stdout())?;
        }
        Some(path) => {
            let mut text = Vec::new();
            summary(&mut text);
            if let Some(dir) = path.parent().filter(|_| args.report.is_none()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create the report dir {}", dir.display()))?;
            }
            write_atomically(&path, |w| outcome.log.write_report(&head, w)).with_context(|| {
                let made = match &delivery {
                    Some(d) => format!(
                        " (the delivery {} was written and recorded in the history: do not run again for it)",
                        d.path
                    ),
                    None => String::new(),
                };
                format!("cannot write the report {}{made}", path.display())
            })?;
            if !args.quiet {
                let mut out = anstream::stdout();
                let _ = out.write_all(&text);
                let _ = writeln!(out, "report: {}", path.display());
            }
        }
    }
    Ok(exit)
}

/// For record formats: the columns that hold a value somewhere, plus the required ones.
fn used_columns(outcome: &run::RunOutcome) -> Vec<crate::registry::Slot> {
    crate::registry::slots()
        .filter(|s| outcome.used[s.index()] || outcome.columns.contains(s))
        .collect()
}

/// Writes a file through a temporary file in the same directory and a rename.
pub fn write_atomically(
    path: &Path,
    f: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // An existing device or pipe (`--report /dev/null`, a FIFO a log shipper reads) is written
    // into as it is: renaming a file over it would replace the device itself.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut out = std::fs::OpenOptions::new().write(true).open(path)?;
        return f(&mut out);
    }
    // A symbolic link: replace the file it points to, not the link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = outbox::temp_in(dir)?;
    f(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}
