//! Options shared by `convert` and `validate`, and turning them into run options.

use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::NaiveDate;

use super::flags::{Choices, Locations};
use collectmaxx::codec::DeliveryFormat;
use collectmaxx::config::{self, Flags};
use collectmaxx::header::Mapping;
use collectmaxx::report::NotChecked;
use collectmaxx::rules::phone::Country;
use collectmaxx::rules::pipeline::RuleSettings;
use collectmaxx::run::RunOptions;
use collectmaxx::source::{Format, Limits, ReadOptions, TextEncoding};

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

    /// Refuse inputs larger than this (bytes, or with K, M, G).
    #[arg(long, value_name = "SIZE", default_value = "16G", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Reject rows with a cell larger than this (bytes, or with K, M, G).
    #[arg(long, value_name = "SIZE", default_value = "1M", value_parser = parse_size)]
    pub max_cell_size: u64,

    /// Refuse inputs whose header has more columns than this.
    #[arg(long, value_name = "N", default_value_t = 16_384)]
    pub max_columns: usize,

    /// Refuse zip-based workbooks (.xlsx, .xlsb, .ods) with a part larger than this
    /// uncompressed (bytes, or with K, M, G): a zip bomb is refused before it is inflated.
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = parse_size)]
    pub max_sheet_size: u64,

    /// Refuse XML inputs whose elements nest deeper than this (the format needs 4).
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub max_xml_depth: usize,

    /// Read inputs as this format instead of detecting it.
    #[arg(long, value_parser = input_format(), value_name = "FORMAT")]
    pub input_format: Option<Format>,

    /// The spreadsheet sheet to read, by name or 0-based index [default: the first visible
    /// worksheet]; `collectmaxx sheets FILE` lists them.
    #[arg(long, value_name = "NAME|INDEX")]
    pub sheet: Option<String>,

    /// Largest sheet grid (rows x columns of the used area) read from .ods files, which
    /// cannot be streamed [default: 10000000].
    #[arg(long, value_name = "CELLS")]
    pub max_cells: Option<u64>,

    /// Template for the record identifier of CRM.COM inputs, e.g. 'ACME-{ref}-{date}'
    /// (see docs/crmcom.md) [default: {ref}-{date}].
    #[arg(long, value_name = "TEMPLATE")]
    pub identifier: Option<String>,

    /// Deliver records whose identifier this client already delivered (a deliberate
    /// re-send): a warning instead of the error identifier.reused.
    #[arg(long)]
    pub allow_reuse: bool,

    /// Mask personal values (phones, e-mails, names, addresses, birthdays) in the report, its
    /// messages and the summary.
    #[arg(long)]
    pub redact: bool,

    /// List fixes in the report's issues too (they are always counted).
    #[arg(long)]
    pub list_fixes: bool,

    /// Worker threads [default: all cores]; the output does not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

impl CheckArgs {
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
    pub fn run_options(&self, config: &config::Settings) -> anyhow::Result<RunOptions> {
        let mut settings = RuleSettings::new(self.today()?);
        settings.list_fixes = self.list_fixes;
        settings.redact = self.redact;
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
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some("tab" | "\\t") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => bail!("--delimiter '{d}' must be a single character (or 'tab')"),
        };
        let mapping = match &config.mapping {
            Some(p) => Mapping::load(&p.value).map_err(anyhow::Error::msg)?,
            None => Mapping::default(),
        };
        let limits = Limits {
            max_file_bytes: self.max_file_size,
            max_cell_bytes: usize::try_from(self.max_cell_size).unwrap_or(usize::MAX),
            max_columns: self.max_columns,
            max_part_bytes: self.max_sheet_size,
            max_xml_depth: self.max_xml_depth,
        };
        let read = ReadOptions {
            format: self.input_format,
            delimiter,
            encoding: self.encoding,
            limits,
            identifier: self.identifier.clone(),
            run_date: Some(settings.today),
            sheet: self.sheet.clone(),
            max_cells: self.max_cells,
        };
        Ok(RunOptions {
            settings,
            read,
            mapping,
            threads: self.threads,
            progress: None,
        })
    }
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

/// Parses a size such as `1048576`, `512K`, `1M` or `16G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 1u64 << 10),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 1 << 20),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("'{s}' is not a size: give bytes, or a number with K, M or G"))
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

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("1M"), Ok(1 << 20));
        assert_eq!(parse_size("16g"), Ok(16 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999G").is_err());
    }
}
