//! `collectmaxx convert`: exports in, a delivery file and a JSON report out.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;

use super::common::CheckArgs;
use super::{human, Exit};
use crate::deliver::{self, OutputFormat, Plan, Spool};
use crate::report::{DeliveryInfo, IssueLog, ReportHead};
use crate::run;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Client code for the file name (letters, digits, '_' and '-').
    #[arg(long, value_name = "CODE")]
    pub client: String,

    /// Directory for the delivery (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,

    /// Delivery date for the file name, YYYYMMDD [default: today].
    #[arg(long, value_name = "YYYYMMDD")]
    pub date: Option<String>,

    /// Where to write the JSON report: a path, or '-' for standard output
    /// [default: beside the delivery as <name>.report.json].
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Delivery format.
    #[arg(long = "to", value_enum, default_value = "csv")]
    pub to: OutputFormat,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    deliver::check_client(&args.client).map_err(anyhow::Error::msg)?;
    let date = match &args.date {
        Some(d) => NaiveDate::parse_from_str(d, "%Y%m%d")
            .with_context(|| format!("--date '{d}' is not a date of the form YYYYMMDD"))?,
        None => chrono::Local::now().date_naive(),
    };
    let mut opts = args.check.run_options()?;
    opts.progress = super::progress::bar(args.quiet);
    let mut spool = Spool::new(&args.out_dir);
    let log = IssueLog::new(args.check.list_fixes, args.check.redact)?;
    let mut outcome = run::run(&args.check.inputs, &opts, log, &mut spool)?;

    let mut superseded = outcome.superseded.clone();
    superseded.sort_unstable();
    let columns = if outcome.complete {
        outcome.columns.clone()
    } else {
        used_columns(&outcome)
    };
    if args.to == OutputFormat::Jsonl {
        let dropped = crate::write::jsonl::dropped_columns(&columns);
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
    let first = deliver::highest_in_dir(&args.out_dir, date, &args.client)? + 1;
    let delivered = outcome.log.summary.records_delivered;
    let (delivery, n) = if delivered > 0 {
        let plan = Plan {
            format: args.to,
            columns,
            drop: &superseded,
            spooled: outcome.accepted,
        };
        let prepared = spool.prepare(&plan).context("cannot finish the delivery")?;
        let (sha256, records) = (prepared.sha256.clone(), prepared.records);
        let (path, n) =
            deliver::commit(prepared, &args.out_dir, date, &args.client, first, args.to)?;
        (
            Some(DeliveryInfo {
                path: path.display().to_string(),
                sha256,
                records,
            }),
            n,
        )
    } else {
        drop(spool);
        (None, first)
    };

    let head = ReportHead {
        tool: "collectmaxx",
        version: env!("CARGO_PKG_VERSION"),
        inputs: outcome.inputs.clone(),
        delivery: delivery.clone(),
        services: opts.settings.services.names(),
    };
    let exit = if outcome.log.summary.records_rejected > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    };
    let to_stdout = args.report.as_deref() == Some(Path::new("-"));
    let report_path = match &args.report {
        _ if to_stdout => None,
        Some(p) => Some(p.clone()),
        None => Some(args.out_dir.join(format!(
            "{}-{}-{n}.report.json",
            date.format("%Y%m%d"),
            args.client
        ))),
    };
    // The summary is for people and best effort; the report is written first, whatever
    // happens to the terminal.
    let summary = |out: &mut dyn Write| {
        if !args.quiet {
            let shown = delivery.as_ref().map(|d| d.path.as_str());
            let _ = human::summarize(out, &outcome.inputs, &outcome.log, shown);
        }
    };
    match report_path {
        None => {
            summary(&mut anstream::stderr());
            outcome.log.write_report(&head, std::io::stdout().lock())?;
        }
        Some(path) => {
            let mut text = Vec::new();
            summary(&mut text);
            write_atomically(&path, |w| outcome.log.write_report(&head, w))
                .with_context(|| format!("cannot write the report {}", path.display()))?;
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
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = crate::deliver::temp_in(dir)?;
    f(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
