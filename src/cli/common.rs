//! Options shared by `convert` and `validate`, and turning them into run options.

use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::NaiveDate;

use crate::header::Mapping;
use crate::registry::{Services, Slot};
use crate::rules::amount::AmountUnit;
use crate::rules::date::DateOrder;
use crate::rules::phone::Country;
use crate::rules::pipeline::Settings;
use crate::run::RunOptions;
use crate::source::{Format, ReadOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateOrderArg {
    /// 01/02/2024 is 1 February (day first).
    Dmy,
    /// 01/02/2024 is 2 January (month first).
    Mdy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AmountsArg {
    /// Amount columns hold whole cents, as the specification requires.
    Minor,
    /// Amount columns hold decimal amounts (12,50) to convert to cents.
    Major,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Export files to read: CSV, XLSX/XLSM/XLSB, XLS, ODS or XML, detected by content
    /// (several inputs make one delivery).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Services the delivery is for; their required fields must be present
    /// (voice, sms, mail, paylink, emandate, enrichment; comma-separated).
    #[arg(long, value_name = "LIST")]
    pub services: Option<String>,

    /// The run date (YYYY-MM-DD) that due dates must lie after [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Country for national phone numbers (a leading 0), ISO 3166-1 alpha-2.
    #[arg(long, value_name = "CC", default_value = "NL")]
    pub default_country: String,

    /// How to read dates such as 01/02/2024.
    #[arg(long, value_enum, default_value = "dmy")]
    pub date_order: DateOrderArg,

    /// What amount columns hold.
    #[arg(long, value_enum, default_value = "minor")]
    pub amounts: AmountsArg,

    /// CSV delimiter (one character; `tab` for a tab) instead of detecting it.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Read inputs as this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,

    /// The spreadsheet sheet to read, by name or 0-based index [default: the first visible
    /// worksheet]; `collectmaxx sheets FILE` lists them.
    #[arg(long, value_name = "NAME|INDEX")]
    pub sheet: Option<String>,

    /// Largest sheet grid (rows x columns of the used area) read from .ods files, which
    /// cannot be streamed [default: 10000000].
    #[arg(long, value_name = "CELLS")]
    pub max_cells: Option<u64>,

    /// A TOML file mapping source headers to delivery field names.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// A constant value for a field the export lacks, used where a row has none
    /// (repeatable), e.g. --set CONTROL_FLOWID=1234.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,

    /// Mask personal values (phones, e-mails, names, addresses) in the report.
    #[arg(long)]
    pub redact: bool,

    /// List fixes in the report's issues too (they are always counted).
    #[arg(long)]
    pub list_fixes: bool,

    /// Worker threads [default: all cores]; the output does not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

impl CheckArgs {
    pub fn services(&self) -> anyhow::Result<Services> {
        match &self.services {
            Some(s) => Services::parse_list(s).map_err(anyhow::Error::msg).context("--services"),
            None => Ok(Services::NONE),
        }
    }

    pub fn today(&self) -> anyhow::Result<NaiveDate> {
        match &self.today {
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .with_context(|| format!("--today '{s}' is not a date of the form YYYY-MM-DD")),
            None => Ok(chrono::Local::now().date_naive()),
        }
    }

    pub fn run_options(&self) -> anyhow::Result<RunOptions> {
        let mut settings = Settings::new(self.today()?);
        settings.services = self.services()?;
        settings.default_country = Country::parse(&self.default_country)
            .with_context(|| format!("--default-country '{}' is not a two-letter country code such as NL", self.default_country))?;
        settings.date_order = match self.date_order {
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Mdy => DateOrder::Mdy,
        };
        settings.amounts = match self.amounts {
            AmountsArg::Minor => AmountUnit::Minor,
            AmountsArg::Major => AmountUnit::Major,
        };
        for s in &self.set {
            let Some((field, value)) = s.split_once('=') else {
                bail!("--set '{s}' must look like FIELD=VALUE, e.g. --set CONTROL_FLOWID=1234");
            };
            let slot = Slot::by_column(field.trim()).with_context(|| {
                format!(
                    "--set: '{}' is not a delivery field{}",
                    field.trim(),
                    crate::header::suggestion(field).map(|s| format!(" (did you mean {s}?)")).unwrap_or_default()
                )
            })?;
            settings.constants.retain(|(s, _)| *s != slot);
            settings.constants.push((slot, value.to_string()));
        }
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some("tab" | "\\t") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => bail!("--delimiter '{d}' must be a single character (or 'tab')"),
        };
        let mapping = match &self.mapping {
            Some(p) => Mapping::load(p).map_err(anyhow::Error::msg)?,
            None => Mapping::default(),
        };
        let read = ReadOptions {
            format: self.input_format,
            delimiter,
            sheet: self.sheet.clone(),
            max_cells: self.max_cells,
        };
        Ok(RunOptions { settings, read, mapping, threads: self.threads })
    }
}
