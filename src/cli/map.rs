//! `collectmaxx map INPUT`: proposes a client profile for an export (which column feeds which
//! delivery field, with confidence and evidence), writes it (`--out`, `--save`) and confirms
//! entries (`--accept`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde_json::json;

use super::flags::Locations;
use collectmaxx::config::{self, Settings};
use collectmaxx::delivery::Exit;
use collectmaxx::profile::{Loaded, Profile};
use collectmaxx::recognise::{self, Confidence, Proposal};
use collectmaxx::rules::phone::Country;
use collectmaxx::source::{self, ReadOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MapFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx map export.xlsx --client ACME --save")]
pub struct Args {
    /// The export to recognise (CSV or a spreadsheet).
    pub input: PathBuf,
    /// The client the profile is for (needed by --save) [default: the config file's client].
    #[arg(long, value_name = "CODE")]
    pub client: Option<String>,
    /// Services whose required fields must be mapped for exit 0 [default: the config file's].
    #[arg(long, value_name = "LIST")]
    pub services: Option<String>,
    /// Write the profile to this TOML file (use it with --mapping FILE).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Save the profile as the client's, which convert and validate --client then use.
    #[arg(long)]
    pub save: bool,
    /// The spreadsheet sheet to read, by name or 0-based index.
    #[arg(long, value_name = "SHEET")]
    pub sheet: Option<String>,
    /// The row number of the header (rows above it are titles) [default: detected].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_row: Option<u64>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: MapFormat,
    /// Confirm a proposal, or correct it: "COLUMN=FIELD", "COLUMN=FIELD+FIELD",
    /// "COLUMN=split:address", "COLUMN=none", "identifier={Column}-{date}" (repeatable).
    #[arg(long, value_name = "COLUMN=FIELD")]
    pub accept: Vec<String>,
    #[command(flatten)]
    pub locations: Locations,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(&config::Flags {
        client: args.client.clone(),
        services: args.services.clone(),
        ..args.locations.flags()
    })?;
    let client = settings
        .client
        .as_ref()
        .map(|c| c.value.as_str().to_string());
    let saved = match (args.save, &client) {
        (true, None) => bail!(
            "--save needs a client code: give --client CODE (or client = \"CODE\" in collectmaxx.toml); the profile is saved as that client's"
        ),
        (true, Some(c)) => Some(saved_path(c)?),
        (false, _) => None,
    };
    let proposal = propose(args, &settings)?;
    let shown = args.input.display().to_string();
    let mut profile = proposal.profile(client.as_deref(), &shown);
    let before = existing(args.out.as_deref().or(saved.as_deref()))?;
    if let Some(old) = &before {
        keep_confirmations(&mut profile, old);
    }
    let specs: Vec<&str> = args.accept.iter().map(String::as_str).collect();
    profile.accept_all(&specs).map_err(anyhow::Error::msg)?;
    let mut out = super::pipe::stdout();
    match args.format {
        MapFormat::Table => print_table(&mut out, &proposal, &profile, before.as_ref())?,
        MapFormat::Json => print_json(&mut out, &proposal, &profile)?,
    }
    for path in args.out.iter().chain(saved.iter()) {
        write_profile(path, &profile)?;
        eprintln!("collectmaxx: profile written to {}", path.display());
    }
    let done = profile.unconfirmed().is_empty() && proposal.missing.is_empty();
    Ok(if done { Exit::Ok } else { Exit::Rejected })
}

/// Reads the sample and proposes.
fn propose(args: &Args, settings: &Settings) -> anyhow::Result<Proposal> {
    let read = ReadOptions {
        sheet: args.sheet.clone(),
        header_row: args.header_row,
        ..ReadOptions::default()
    };
    let mut src = source::open_finding_header(&args.input, &read)?;
    if src.header_grows() {
        bail!(
            "{}: a {} export names its columns after delivery fields already: it needs no profile (give --identifier for its identifiers)",
            args.input.display(),
            src.format()
        );
    }
    let header = src.header().to_vec();
    if header.iter().all(|h| h.trim().is_empty()) {
        bail!(
            "{}: the export has no header row to recognise",
            args.input.display()
        );
    }
    let rows = recognise::read_sample(&mut *src, recognise::SAMPLE_ROWS)?;
    let country = Country::parse(&settings.default_country.value)
        .context("the default country is not a country code")?;
    let mut proposal = recognise::propose(&header, &rows, settings.services.value, country);
    // Title rows above the header: runs must start reading at the header's row too.
    proposal.read.header_row = Some(src.header_row()).filter(|&r| r > 1);
    // A file the reader found not to be UTF-8 was read as Windows-1252: the profile says so,
    // and runs read it that way from the first byte on.
    if src.take_notes().iter().any(|n| n.code == "file.encoding") {
        proposal.read.encoding = Some("windows-1252".into());
    }
    // A constant of the configuration gives a field no column has.
    proposal
        .missing
        .retain(|m| !settings.set.keys().any(|s| s.field().name == *m));
    Ok(proposal)
}

/// The saved profile's path for a client.
fn saved_path(client: &str) -> anyhow::Result<PathBuf> {
    let dir = config::saved_profiles_dir().context("there is no home directory (HOME or XDG_CONFIG_HOME) to save the profile in; use --out FILE")?;
    Ok(dir.join(format!("{client}.toml")))
}

/// The profile already at `path`, if there is one (a profile `--accept` is to rewrite).
fn existing(path: Option<&Path>) -> anyhow::Result<Option<Profile>> {
    match path.filter(|p| p.is_file()) {
        Some(p) => match Profile::load(p)? {
            Loaded::Profile(profile, _) => Ok(Some(*profile)),
            Loaded::Plain(_) => Ok(None),
        },
        None => Ok(None),
    }
}

/// Entries the user confirmed in the existing profile stay as confirmed, when the export's
/// columns are the same.
fn keep_confirmations(profile: &mut Profile, old: &Profile) {
    if old.profile.header != profile.profile.header {
        return;
    }
    let header = std::mem::take(&mut profile.profile.header);
    let made_from = profile.profile.made_from.clone();
    *profile = old.clone();
    profile.profile.header = header;
    profile.profile.made_from = made_from;
}

fn write_profile(path: &Path, profile: &Profile) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, profile.to_toml())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn print_table(
    out: &mut dyn Write,
    p: &Proposal,
    profile: &Profile,
    before: Option<&Profile>,
) -> anyhow::Result<()> {
    let width = p
        .columns
        .iter()
        .map(|c| c.header.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 40);
    writeln!(out, "{:<width$}  {:<5}  PROPOSAL", "COLUMN", "SURE")?;
    for c in &p.columns {
        let sure = if c.confidence == Confidence::Sure {
            "yes"
        } else {
            "ASK"
        };
        writeln!(
            out,
            "{:<width$}  {sure:<5}  {}",
            c.header.trim(),
            c.decision.describe()
        )?;
        for e in &c.evidence {
            writeln!(out, "{:<width$}         - {e}", "")?;
        }
    }
    if let Some((t, conf, why)) = &p.identifier {
        let sure = if *conf == Confidence::Sure {
            "yes"
        } else {
            "ASK"
        };
        writeln!(
            out,
            "{:<width$}  {sure:<5}  identifier = \"{t}\"\n{:<width$}         - {why}",
            "(template)", ""
        )?;
    }
    if let Some(old) = before.filter(|o| o.profile.header != profile.profile.header) {
        let gone: Vec<&String> = old
            .profile
            .header
            .iter()
            .filter(|h| !profile.profile.header.contains(h))
            .collect();
        let new: Vec<&String> = profile
            .profile
            .header
            .iter()
            .filter(|h| !old.profile.header.contains(h))
            .collect();
        writeln!(
            out,
            "\nchanged since the existing profile: removed {gone:?}, added {new:?}"
        )?;
    }
    if let Some(row) = profile.read.header_row {
        writeln!(
            out,
            "\nthe header is on row {row}: the rows above it are titles, never data ([read] header_row)"
        )?;
    }
    let open = profile.unconfirmed();
    if !p.missing.is_empty() {
        writeln!(
            out,
            "\nmissing (required by the services): {}",
            p.missing.join(", ")
        )?;
    }
    if !open.is_empty() {
        writeln!(out, "\nto confirm ({}): {}", open.len(), open.join("; "))?;
        writeln!(out, "confirm with --accept \"COLUMN=FIELD\" (or COLUMN=none), or edit the profile and set confirmed = true")?;
    }
    Ok(())
}

fn print_json(out: &mut dyn Write, p: &Proposal, profile: &Profile) -> anyhow::Result<()> {
    let columns: Vec<_> = p
        .columns
        .iter()
        .map(|c| json!({ "column": c.header, "target": c.decision.code(), "proposal": c.decision.describe(), "confidence": c.confidence, "evidence": c.evidence }))
        .collect();
    let v = json!({
        "columns": columns,
        "identifier": p.identifier.as_ref().map(|(t, c, why)| json!({ "template": t, "confidence": c, "evidence": why })),
        "missing": p.missing,
        "header_row": profile.read.header_row,
        "to_confirm": profile.unconfirmed(),
        "profile": profile.to_toml(),
    });
    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    Ok(())
}
