//! Flags that several commands share, each declared once and flattened where needed.
//!
//! `config::Flags` is the library's plain, typed view of them; these structs are the command
//! line's, with their help texts, and turn into it.

use std::path::PathBuf;

use collectmaxx::config::Flags;
use collectmaxx::rules::amount::AmountUnit;
use collectmaxx::rules::date::DateOrder;

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
