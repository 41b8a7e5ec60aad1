//! `collectmaxx results`: decode, summarize and reconcile Collectmaxx result files.

use std::io::Write;
use std::path::PathBuf;

use collectmaxx::delivery::Exit;
use collectmaxx::results::{self, join, output, summary, Warnings};

/// How many warnings are printed to stderr; the rest are counted.
const PRINTED_WARNINGS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    /// Counts and shares per channel, for reading.
    Table,
    /// The summary as JSON (schema in docs/results.md).
    Json,
    /// One `;`-separated row per record per channel occurrence.
    Csv,
}

#[derive(Debug, clap::Args)]
#[command(
    before_help = "Example:\n  collectmaxx results result_20261122-acos1001.csv --join 20261122-ACME-1.csv"
)]
pub struct Args {
    /// Result files: daily (result_YYYYMMDD-acosNNNN.csv), monthly
    /// (result_YYYYMMDD_YYYYMMDD-acosNNNN.csv) and PayLink (result_YYYYMMDD_YYYYMMDD_paylink.csv).
    /// Several files are merged; a record's later status wins.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultsFormat,
    /// Reconcile with a delivery: a delivery CSV file, or the name of a delivery in the local
    /// history (e.g. 20261122-ACME-1.csv, as `history list` shows it). Gives the latest result
    /// per channel of each delivered record, delivered records without results, and results
    /// never delivered.
    #[arg(long, value_name = "DELIVERY")]
    pub join: Option<PathBuf>,
    /// Where the history is, for `--join NAME`, and the configuration file that may say.
    #[command(flatten)]
    pub locations: super::flags::Locations,
}

/// The identifiers of a delivery: from the file when `join` is a path that exists, else from
/// the local history under that name.
fn delivered(args: &Args, join: &std::path::Path) -> anyhow::Result<Vec<String>> {
    if join.exists() {
        return join::delivered_identifiers(join).map_err(anyhow::Error::msg);
    }
    let name = join.display().to_string();
    let settings = collectmaxx::config::Settings::resolve(&args.locations.flags())?;
    let dir = settings.state_dir.as_ref().map(|s| s.value.clone()).ok_or_else(|| {
        anyhow::anyhow!("'{name}' is not a file, and there is no state directory to look it up in (give --state-dir)")
    })?;
    let place = super::state_dir::place(&settings)?;
    let history = super::state_dir::open_existing(&place)?.ok_or_else(|| {
        anyhow::anyhow!(
            "'{name}' is not a file, and {} holds no delivery history",
            dir.display()
        )
    })?;
    let (_, ids) = history.show(&name)?.ok_or_else(|| {
        anyhow::anyhow!(
            "'{name}' is neither a file nor a delivery in the history in {}; 'collectmaxx history list' shows the known ones",
            dir.display()
        )
    })?;
    Ok(ids.into_iter().map(|i| i.identifier).collect())
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let mut warnings = Warnings::default();
    let merged = match results::load(&args.files, &mut warnings) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("collectmaxx: error: {e}");
            return Ok(Exit::Failure);
        }
    };
    let joined = match &args.join {
        Some(path) => match delivered(args, path) {
            Ok(ids) => Some(join::reconcile(&merged, &path.display().to_string(), &ids)),
            Err(e) => {
                eprintln!("collectmaxx: error: {e}");
                return Ok(Exit::Failure);
            }
        },
        None => None,
    };
    for w in warnings.kept.iter().take(PRINTED_WARNINGS) {
        eprintln!("collectmaxx: warning: {w}");
    }
    if warnings.count > PRINTED_WARNINGS as u64 {
        eprintln!(
            "collectmaxx: warning: {} more warnings not shown",
            warnings.count - PRINTED_WARNINGS as u64
        );
    }
    let mut out = std::io::BufWriter::new(super::pipe::stdout());
    let written = match args.format {
        ResultsFormat::Csv => output::csv(&merged, joined.as_ref(), &mut out).map_err(io_error),
        ResultsFormat::Table | ResultsFormat::Json => {
            let s = summary::summarize(&merged, warnings.count, joined);
            let text = match args.format {
                ResultsFormat::Json => output::json(&s),
                _ => output::table(&s),
            };
            out.write_all(text.as_bytes())
        }
    };
    // The merged results can hold millions of small allocations; the process is about to
    // exit, so let the OS reclaim them instead of freeing each one.
    std::mem::forget(merged);
    // A reader that went away (e.g. `| head`) is no error: see `pipe`.
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(Exit::Ok),
        Err(e) => Err(anyhow::anyhow!("cannot write the output: {e}")),
    }
}

/// The I/O error inside a CSV error, so that a closed pipe is recognized.
fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
