//! Options shared by `convert` and `validate`, and turning them into run options.

use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::NaiveDate;

use super::flags::{Choices, LimitFlags, Locations, ReportFlags};
use collectmaxx::codec::DeliveryFormat;
use collectmaxx::config::{self, Flags};
use collectmaxx::header::Mapping;
use collectmaxx::profile::Loaded;
use collectmaxx::report::NotChecked;
use collectmaxx::rules::phone::Country;
use collectmaxx::rules::pipeline::RuleSettings;
use collectmaxx::run::RunOptions;
use collectmaxx::source::stdin::{self, Spool};
use collectmaxx::source::{Format, ReadOptions, TextEncoding};

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// `--input-format`: the format names the reader side defines, checked by clap.
pub fn input_format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::name))
        .map(|name| Format::from_name(&name).expect("clap accepts only the listed names"))
}

/// `--to`: the delivery formats the codec defines, checked by clap.
pub fn delivery_format() -> impl TypedValueParser<Value = DeliveryFormat> {
    let names = DeliveryFormat::ALL.map(|format| {
        let value = PossibleValue::new(format.extension());
        match format {
            DeliveryFormat::Csv => value,
            DeliveryFormat::Xml => {
                value.help("The XML form of the specification (<annabel><record>...)")
            }
            DeliveryFormat::Jsonl => {
                value.help("One JSON object per record with the API's field names, for API users")
            }
        }
    });
    PossibleValuesParser::new(names)
        .map(|name| DeliveryFormat::from_name(&name).expect("clap accepts only the listed names"))
}

/// `--encoding`: the encoding names the reader side defines, checked by clap.
pub fn encoding() -> impl TypedValueParser<Value = TextEncoding> {
    let names = TextEncoding::NAMED.map(|(name, encoding)| match encoding {
        TextEncoding::Utf16 => PossibleValue::new(name)
            .help("UTF-16, little-endian unless a byte order mark says otherwise"),
        _ => PossibleValue::new(name),
    });
    PossibleValuesParser::new(names).map(|name| {
        TextEncoding::NAMED
            .into_iter()
            .find_map(|(n, encoding)| (n == name).then_some(encoding))
            .expect("clap accepts only the listed names")
    })
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Export files to read: CSV, XLSX/XLSM/XLSB, XLS, ODS, XML or CRM.COM JSON/NDJSON,
    /// detected by content (several inputs make one delivery).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub locations: Locations,

    #[command(flatten)]
    pub choices: Choices,

    /// The run date (YYYY-MM-DD) that due dates must lie after [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// CSV delimiter (one character; `tab` for a tab) instead of detecting it.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Read CSV inputs in this encoding instead of detecting it (a byte order mark, else
    /// UTF-8, else Windows-1252).
    #[arg(long, value_parser = encoding(), value_name = "ENCODING")]
    pub encoding: Option<TextEncoding>,

    #[command(flatten)]
    pub limits: LimitFlags,

    /// Read inputs as this format instead of detecting it.
    #[arg(long, value_parser = input_format(), value_name = "FORMAT")]
    pub input_format: Option<Format>,

    /// The spreadsheet sheet to read, by name or 0-based index [default: the first visible
    /// worksheet]; `collectmaxx sheets FILE` lists them.
    #[arg(long, value_name = "NAME|INDEX")]
    pub sheet: Option<String>,

    /// The row number of the header in a CSV file or sheet, as a spreadsheet shows it
    /// (rows above it are titles) [default: row 1 of a CSV file; a sheet's is detected].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_row: Option<u64>,

    /// Template for the record identifier of CRM.COM inputs, e.g. 'ACME-{ref}-{date}'
    /// (see docs/crmcom.md) [default: {ref}-{date}].
    #[arg(long, value_name = "TEMPLATE")]
    pub identifier: Option<String>,

    /// Deliver records whose identifier this client already delivered (a deliberate
    /// re-send): a warning instead of the error identifier.reused.
    #[arg(long)]
    pub allow_reuse: bool,

    #[command(flatten)]
    pub report: ReportFlags,

    /// Worker threads [default: all cores]; the output does not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

impl CheckArgs {
    /// Standard input, read whole when an input is `-`; keep it until the run is over (its
    /// temporary file goes when it is dropped).
    pub fn read_stdin(&self) -> anyhow::Result<Option<Spool>> {
        match self.inputs.iter().filter(|p| stdin::is_stdin(p)).count() {
            0 => Ok(None),
            1 => Ok(Some(Spool::stdin(self.limits.max_file_size)?)),
            _ => anyhow::bail!("`-` (standard input) is given more than once; it can be read once"),
        }
    }

    /// The flags that take part in the configuration (see [`collectmaxx::config`]).
    pub fn flags(&self) -> Flags {
        self.choices.flags(&self.locations)
    }

    pub fn today(&self) -> anyhow::Result<NaiveDate> {
        match &self.today {
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .with_context(|| format!("--today '{s}' is not a date of the form YYYY-MM-DD")),
            None => Ok(chrono::Local::now().date_naive()),
        }
    }

    /// The run options from the effective settings (flags over the config file over defaults)
    /// and the flags that only the command line has.
    pub fn run_options(
        &self,
        config: &config::Settings,
        profile: Option<&Loaded>,
    ) -> anyhow::Result<RunOptions> {
        let mut settings = RuleSettings::new(self.today()?);
        settings.list_fixes = self.report.list_fixes;
        settings.redact = self.report.redact;
        settings.services = config.services.value;
        let cc = &config.default_country;
        settings.default_country = Country::parse(&cc.value)
            .filter(|c| c.is_known())
            .with_context(|| {
                format!(
                    "default country '{}' ({}) is not a two-letter country code with a phone numbering plan, such as NL",
                    cc.value, cc.origin
                )
            })?;
        settings.date_order = config.date_order.value;
        // An order chosen by flag or config file holds for every date column; otherwise each
        // column's values are judged (see `rules::order`).
        settings.date_order_given = config.date_order.origin != config::Origin::Default;
        settings.amounts = config.amounts.value;
        // A unit chosen by flag or config file holds for every column; the default may be
        // overridden per column by what the cells show (see `rules::units`).
        settings.amounts_given = config.amounts.origin != config::Origin::Default;
        for (slot, value) in &config.set {
            settings.constants.push((*slot, value.value.clone()));
        }
        let (mapping, profile, read) = profile_parts(profile);
        let delimiter = delimiter(self.delimiter.as_deref().or(read.delimiter.as_deref()))?;
        let encoding = profile_encoding(self.encoding, read.encoding.as_deref())?;
        let read = ReadOptions {
            format: self.input_format,
            delimiter,
            encoding,
            limits: self.limits.limits(),
            identifier: self.identifier.clone(),
            run_date: Some(settings.today),
            sheet: self.sheet.clone().or(read.sheet),
            header_row: self.header_row.or(read.header_row),
            max_cells: self.limits.max_cells,
        };
        Ok(RunOptions {
            profile,
            settings,
            read,
            mapping,
            threads: self.threads,
            progress: None,
        })
    }
}

/// The mapping, the profile and its reading settings of a loaded `--mapping` file or saved
/// profile.
fn profile_parts(
    loaded: Option<&Loaded>,
) -> (
    Mapping,
    Option<std::sync::Arc<collectmaxx::profile::Profile>>,
    collectmaxx::profile::Read,
) {
    match loaded {
        Some(Loaded::Plain(m)) => (m.clone(), None, Default::default()),
        Some(Loaded::Profile(p, path)) => (
            p.mapping(&path.display().to_string()),
            Some(std::sync::Arc::new((**p).clone())),
            p.read.clone(),
        ),
        None => (Mapping::default(), None, Default::default()),
    }
}

/// The delimiter byte `--delimiter` (or a profile's `[read] delimiter`) names.
fn delimiter(given: Option<&str>) -> anyhow::Result<Option<u8>> {
    Ok(match given {
        None => None,
        Some("tab" | "\\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => bail!("--delimiter '{d}' must be a single character (or 'tab')"),
    })
}

/// The encoding `--encoding` gives, else the one a profile's `[read] encoding` names.
fn profile_encoding(
    flag: Option<TextEncoding>,
    profile: Option<&str>,
) -> anyhow::Result<Option<TextEncoding>> {
    let (None, Some(name)) = (flag, profile) else {
        return Ok(flag);
    };
    TextEncoding::NAMED
        .into_iter()
        .find_map(|(n, e)| n.eq_ignore_ascii_case(name).then_some(e))
        .with_context(|| {
            format!("the profile's [read] encoding = \"{name}\" is not an encoding this tool reads")
        })
        .map(Some)
}

/// The effective settings with the profile that applies (`--mapping`, else the client's
/// saved profile), its reading settings applied; a profile with unconfirmed entries is
/// refused here.
pub fn settings(flags: &config::Flags) -> anyhow::Result<(config::Settings, Option<Loaded>)> {
    Ok(collectmaxx::profile::with_profile(
        config::Settings::resolve(flags)?,
    )?)
}

/// What a run with these settings did not check, and how to turn each on (the report's
/// `not_checked`, and lines of the human summary). `history_checked` says whether identifiers
/// were checked against a delivery history.
pub fn not_checked(settings: &config::Settings, history_checked: bool) -> Vec<NotChecked> {
    let mut out = Vec::new();
    if settings.services.value.is_empty() {
        out.push(NotChecked {
            check: "required_fields",
            message: "no services were given, so no field was checked as required, nor the rules of a service (a mobile number for sms, due dates and description lengths for paylink); give --services, e.g. --services sms,paylink, or services = \"sms,paylink\" in collectmaxx.toml".to_string(),
        });
    }
    if !history_checked {
        let message = match (&settings.client, &settings.state_dir) {
            (None, _) => "no client was given, so identifiers were not checked against the ones delivered before; give --client CODE, or client = \"CODE\" in collectmaxx.toml".to_string(),
            (Some(_), None) => "there is no state dir (no home directory), so identifiers were not checked against the ones delivered before; give --state-dir DIR".to_string(),
            (Some(c), Some(d)) => format!(
                "{} holds no delivery history, so identifiers were not checked against the ones {} delivered before; if the deliveries were made with another state dir, give --state-dir DIR",
                d.value.display(),
                c.value
            ),
        };
        out.push(NotChecked {
            check: "history",
            message,
        });
    }
    out
}

/// Refuses a `--report PATH` whose folder does not exist, before a run writes anything.
pub fn check_report_folder(report: Option<&std::path::Path>) -> anyhow::Result<()> {
    let Some(path) = report.filter(|p| *p != std::path::Path::new("-")) else {
        return Ok(());
    };
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => anyhow::bail!(
            "the folder of --report {} does not exist: create {} first, or use --report-dir DIR (created when needed); nothing was written",
            path.display(),
            dir.display()
        ),
        _ => Ok(()),
    }
}

/// `send`, `fetch` and `convert --send` without an `[sftp]` table.
pub const NO_SFTP: &str = "no [sftp] settings: add an [sftp] table with host, user and host_key to the configuration file (see docs/transport.md)";
