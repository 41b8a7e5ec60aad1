//! Flags that several commands share, each declared once and flattened where needed.
//!
//! `config::Flags` is the library's plain, typed view of them; these structs are the command
//! line's, with their help texts, and turn into it.

use std::path::PathBuf;

use collectmaxx::config::Flags;
use collectmaxx::rules::amount::AmountUnit;
use collectmaxx::rules::date::DateOrder;
use collectmaxx::source::Limits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateOrderArg {
    /// 01/02/2024 is 1 February (day first).
    Dmy,
    /// 01/02/2024 is 2 January (month first).
    Mdy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AmountsArg {
    /// Every amount column holds whole cents, as the specification requires.
    Minor,
    /// Every amount column holds decimal amounts (12,50) to convert to cents.
    Major,
}

/// Where the configuration file and the delivery history are: every command that reads a
/// setting or opens the history takes these, also after a subcommand (`history list
/// --state-dir DIR`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Locations {
    /// Configuration file [default: ./collectmaxx.toml, else
    /// ~/.config/collectmaxx/config.toml]; flags override its values.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Directory of the delivery history [env: COLLECTMAXX_STATE_DIR; default: the config
    /// file's state_dir, else ~/.local/state/collectmaxx].
    #[arg(long, value_name = "DIR", global = true)]
    pub state_dir: Option<PathBuf>,

    /// Keep the delivery history in this PostgreSQL database (postgres://USER@HOST/DB),
    /// shared by several machines, instead of in the state directory [env:
    /// COLLECTMAXX_STATE_URL; default: the config file's state_url]. The password comes from
    /// the URL, PGPASSWORD or ~/.pgpass.
    #[arg(long, value_name = "URL", global = true)]
    pub state_url: Option<String>,
}

impl Locations {
    /// The configuration's flags when only these are given.
    pub fn flags(&self) -> Flags {
        Flags {
            config: self.config.clone(),
            state_dir: self.state_dir.clone(),
            state_url: self.state_url.clone(),
            ..Flags::default()
        }
    }
}

/// The settings a run's delivery depends on that the configuration file may also hold.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Choices {
    /// Client code for the file name (letters, digits, '_' and '-'); identifiers are checked
    /// against this client's delivery history.
    #[arg(long, value_name = "CODE")]
    pub client: Option<String>,

    /// Services the delivery is for; their required fields must be present
    /// (voice, sms, mail, paylink, emandate, enrichment; comma-separated). Without it no
    /// field is checked as required, which the summary says.
    #[arg(long, value_name = "LIST")]
    pub services: Option<String>,

    /// Country for national phone numbers (a leading 0), ISO 3166-1 alpha-2 [default: NL].
    #[arg(long, value_name = "CC")]
    pub default_country: Option<String>,

    /// How to read dates such as 01/02/2024 [default: dmy].
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrderArg>,

    /// What every amount column holds. Without it each column is decided on its own: cents,
    /// but euros for a spreadsheet column formatted with decimals or a currency; a column with
    /// decimals beside whole numbers is refused until this says which.
    #[arg(long, value_enum)]
    pub amounts: Option<AmountsArg>,

    /// A TOML file mapping source headers to delivery field names.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// A constant value for a field the export lacks, used where a row has none
    /// (repeatable), e.g. --set CONTROL_FLOWID=1234.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
}

impl Choices {
    /// The configuration's flags: these, and where the file and the history are.
    pub fn flags(&self, locations: &Locations) -> Flags {
        Flags {
            client: self.client.clone(),
            services: self.services.clone(),
            default_country: self.default_country.clone(),
            date_order: self.date_order.map(|d| match d {
                DateOrderArg::Dmy => DateOrder::Dmy,
                DateOrderArg::Mdy => DateOrder::Mdy,
            }),
            amounts: self.amounts.map(|a| match a {
                AmountsArg::Minor => AmountUnit::Minor,
                AmountsArg::Major => AmountUnit::Major,
            }),
            mapping: self.mapping.clone(),
            set: self.set.clone(),
            ..locations.flags()
        }
    }
}

impl Outputs {
    /// Adds these to the configuration's flags.
    pub fn add_to(&self, flags: &mut Flags) {
        flags.out_dir.clone_from(&self.out_dir);
        flags.report_dir.clone_from(&self.report_dir);
    }
}

/// Where a delivery and its report go.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Outputs {
    /// Directory for the delivery (created if missing) [default: .].
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Directory for the JSON reports [default: the out dir].
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE (set, not empty) forces colours
    /// into a pipe.
    #[default]
    Auto,
    /// Always, also into a pipe or file.
    Always,
    /// Never.
    Never,
}

/// The colour flag every command takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Colour {
    /// When to use colours: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE=1
    /// forces them), always or never. The flag wins over both variables.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        global = true,
        overrides_with = "color"
    )]
    pub color: ColorWhen,
}

impl ColorWhen {
    /// The choice `--color` makes on these arguments, read before clap parses them so that
    /// clap's own help and errors follow it too; an invalid value is left for clap to refuse.
    pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ColorWhen {
        let mut when = ColorWhen::Auto;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let value = match arg.to_str() {
                Some("--") => break,
                Some("--color") => args.next(),
                Some(a) => a.strip_prefix("--color=").map(Into::into),
                None => None,
            };
            if let Some(v) = value.as_ref().and_then(|v| v.to_str()) {
                when = <ColorWhen as clap::ValueEnum>::from_str(v, false).unwrap_or(when);
            }
        }
        when
    }

    /// Makes this the choice of every output stream (anstream's, which clap uses too):
    /// `auto` leaves it to NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal.
    pub fn apply(self) {
        anstream::ColorChoice::write_global(match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        });
    }
}

/// How large and deep an input may be: the limits that keep a hostile or broken file from
/// exhausting memory. Every command that reads exports takes them.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitFlags {
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

    /// Largest sheet grid (rows x columns of the used area) read from .ods files, which
    /// cannot be streamed [default: 10000000].
    #[arg(long, value_name = "CELLS")]
    pub max_cells: Option<u64>,
}

impl LimitFlags {
    /// The readers' limits (all but `max_cells`, which the spreadsheet reader takes apart).
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_size,
            max_cell_bytes: usize::try_from(self.max_cell_size).unwrap_or(usize::MAX),
            max_columns: self.max_columns,
            max_part_bytes: self.max_sheet_size,
            max_xml_depth: self.max_xml_depth,
        }
    }
}

/// What the report shows: every command that writes a report takes these.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct ReportFlags {
    /// Mask personal values (phones, e-mails, names, addresses, birthdays) in the report, its
    /// messages and the summary.
    #[arg(long)]
    pub redact: bool,

    /// List fixes in the report's issues too (they are always counted).
    #[arg(long)]
    pub list_fixes: bool,
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
