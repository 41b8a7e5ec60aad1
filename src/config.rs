//! Settings a cron line should not have to repeat: the `collectmaxx.toml` file, merged with
//! command-line flags and the environment.
//!
//! # Where the file is found
//! `--config FILE` (which must exist), else `collectmaxx.toml` in the working directory, else
//! `$XDG_CONFIG_HOME/collectmaxx/config.toml` (`~/.config/collectmaxx/config.toml`). No file is
//! fine: every key has a flag.
//!
//! # The format
//! ```toml
//! client = "ACME"
//! services = "sms,paylink"        # or ["sms", "paylink"]
//! default_country = "NL"
//! date_order = "dmy"              # or "mdy"
//! amounts = "minor"               # or "major"
//! out_dir = "outbox"              # relative paths are relative to this file's directory
//! state_dir = "state"
//! state_url = "postgres://cm@db.example/collectmaxx?sslmode=verify-full"  # a shared history
//! report_dir = "reports"
//! mapping = "mapping.toml"
//! file_mode = "0600"              # deliveries, reports, result files; "0640" for a group
//!
//! [set]                           # constant values for fields the export lacks
//! CONTROL_FLOWID = "1234"
//! ```
//! The `[sftp]` table is described in [`sftp`] and docs/transport.md.
//! Unknown keys, bad values, unknown `[set]` fields, an empty `services` list and `[set]` values
//! that are empty or hold `{…}` (constants are literal) are errors that name the file and line.
//!
//! # Precedence
//! A flag beats the environment (`COLLECTMAXX_STATE_DIR` and `COLLECTMAXX_STATE_URL`, for the
//! state dir and URL only), which beats
//! the file, which beats the default. `--set FIELD=VALUE` adds to (and overrides per field) the
//! file's `[set]` table. [`Settings`] remembers where each value came from ([`Origin`]), which
//! `collectmaxx config` prints.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

pub use self::sftp::{Sftp, SftpAuth, PASSPHRASE_ENV, PASSWORD_ENV};
use crate::outbox::ClientCode;
use crate::privacy::DEFAULT_FILE_MODE;
use crate::registry::{well_known, Services, Slot};
use crate::rules::amount::AmountUnit;
use crate::rules::date::DateOrder;
use crate::rules::phone::Country;

/// The file name looked for in the working directory.
pub(crate) const LOCAL_FILE: &str = "collectmaxx.toml";
/// The environment variable that names the state directory.
pub const STATE_DIR_ENV: &str = "COLLECTMAXX_STATE_DIR";
/// The environment variable naming the shared history database (`postgres://...`).
pub const STATE_URL_ENV: &str = "COLLECTMAXX_STATE_URL";
/// The country for national phone numbers when nothing names one.
pub(crate) const DEFAULT_COUNTRY: &str = "NL";

/// A configuration problem, with the file and line where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}: line {l}: {}", p.display(), self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag (`--client`, `--set`, ...).
    Flag,
    /// An environment variable.
    Env(&'static str),
    /// A configuration file, at this line.
    File(PathBuf, usize),
    /// A client profile (a `--mapping` profile or the client's saved one).
    Profile(PathBuf),
    /// The built-in default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => f.write_str("flag"),
            Origin::Env(name) => write!(f, "environment {name}"),
            Origin::File(p, line) => write!(f, "{}:{line}", p.display()),
            Origin::Profile(p) => write!(f, "profile {}", p.display()),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn new(value: T, origin: Origin) -> Self {
        Setting { value, origin }
    }
}

/// The values given on the command line, typed; `None` = not given. Every key of the file
/// has a flag of the same name (the command line declares them, in `cli::flags`).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Configuration file (default: ./collectmaxx.toml, else ~/.config/collectmaxx/config.toml).
    pub config: Option<PathBuf>,
    pub client: Option<String>,
    pub services: Option<String>,
    pub default_country: Option<String>,
    pub date_order: Option<DateOrder>,
    pub amounts: Option<AmountUnit>,
    pub out_dir: Option<PathBuf>,
    pub state_dir: Option<PathBuf>,
    pub state_url: Option<String>,
    pub report_dir: Option<PathBuf>,
    pub mapping: Option<PathBuf>,
    /// `FIELD=VALUE` pairs, checked here (they beat the file's `[set]` table).
    pub set: Vec<String>,
}

/// The effective settings of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The configuration file that was read, if any.
    pub file: Option<PathBuf>,
    /// Checked once, here: a `ClientCode` is a valid client code.
    pub client: Option<Setting<ClientCode>>,
    pub services: Setting<Services>,
    /// Upper-case ISO 3166-1 alpha-2 (default `NL`).
    pub default_country: Setting<String>,
    pub date_order: Setting<DateOrder>,
    pub amounts: Setting<AmountUnit>,
    pub out_dir: Setting<PathBuf>,
    /// `None` only when neither a flag, the environment, the file nor a home directory names one.
    pub state_dir: Option<Setting<PathBuf>>,
    /// A `postgres://` URL: the history is in that database, not in the state directory.
    pub state_url: Option<Setting<String>>,
    pub report_dir: Option<Setting<PathBuf>>,
    pub mapping: Option<Setting<PathBuf>>,
    /// Constant field values, by delivery column.
    pub set: BTreeMap<Slot, Setting<String>>,
    /// The `[sftp]` table, when there is one.
    pub sftp: Option<Setting<Sftp>>,
    /// The mode of deliveries, reports and result files (default 0600); folders get
    /// [`crate::privacy::dir_mode_of`] it.
    pub file_mode: Setting<u32>,
}

/// The file as written, with the byte span of every value.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileValues {
    client: Option<Spanned<String>>,
    services: Option<Spanned<ServiceList>>,
    default_country: Option<Spanned<String>>,
    date_order: Option<Spanned<String>>,
    amounts: Option<Spanned<String>>,
    out_dir: Option<Spanned<PathBuf>>,
    state_dir: Option<Spanned<PathBuf>>,
    state_url: Option<Spanned<String>>,
    report_dir: Option<Spanned<PathBuf>>,
    mapping: Option<Spanned<PathBuf>>,
    #[serde(default)]
    set: BTreeMap<Spanned<String>, Spanned<SetValue>>,
    sftp: Option<Spanned<sftp::SftpValues>>,
    file_mode: Option<Spanned<String>>,
}

/// `services`: `"sms,paylink"` or `["sms", "paylink"]`.
#[derive(Debug)]
struct ServiceList(String);

impl ServiceList {
    fn joined(&self) -> String {
        self.0.clone()
    }
}

impl<'de> Deserialize<'de> for ServiceList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ServiceList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"service names as "sms,paylink" or ["sms", "paylink"]"#)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ServiceList, E> {
                Ok(ServiceList(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ServiceList, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(ServiceList(names.join(",")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A `[set]` value: text, or a number or boolean written without quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SetValue(String);

impl<'de> Deserialize<'de> for SetValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SetValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a value such as "1234""#)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SetValue, E> {
                Ok(SetValue(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SetValue, E> {
                Ok(SetValue(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SetValue, E> {
                Ok(SetValue(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<SetValue, E> {
                Ok(SetValue(if v { "1" } else { "0" }.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Reads the environment and the working directory.
pub(crate) struct Env<'a> {
    pub var: &'a dyn Fn(&str) -> Option<OsString>,
    pub cwd: PathBuf,
}

impl Settings {
    /// Resolves the settings from `flags`, the process environment and the working directory.
    pub fn resolve(flags: &Flags) -> Result<Settings, ConfigError> {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Settings::resolve_in(flags, &Env { var: &var, cwd })
    }

    /// Resolves the settings with an explicit environment (for tests).
    pub(crate) fn resolve_in(flags: &Flags, env: &Env<'_>) -> Result<Settings, ConfigError> {
        let file = discover(flags.config.as_deref(), env)?;
        let (values, text) = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
                    path: Some(path.clone()),
                    line: None,
                    message: format!("cannot read the configuration file: {e}"),
                })?;
                (parse(&text, path)?, text)
            }
            None => (FileValues::default(), String::new()),
        };
        let path = file.clone().unwrap_or_default();
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let at = |span: Range<usize>| Origin::File(path.clone(), line_of(&text, span.start));
        let bad = |span: Range<usize>, message: String| ConfigError {
            path: Some(path.clone()),
            line: Some(line_of(&text, span.start)),
            message,
        };
        let flag_err = |message: String| ConfigError {
            path: None,
            line: None,
            message,
        };
        // Picks the flag, else the file value (checked by `check`, which may also convert it).
        macro_rules! pick {
            ($flag:expr, $file:expr, $check:expr) => {{
                match ($flag, $file) {
                    (Some(v), _) => Some(Setting::new(
                        $check(v).map_err(|e| flag_err(e.to_string()))?,
                        Origin::Flag,
                    )),
                    (None, Some(s)) => {
                        let span = s.span();
                        let v = $check(s.get_ref().clone())
                            .map_err(|e| bad(span.clone(), e.to_string()))?;
                        Some(Setting::new(v, at(span)))
                    }
                    (None, None) => None,
                }
            }};
        }
        // Paths from the file are relative to the file's directory; flags to the working one.
        let path_pick = |flag: &Option<PathBuf>, file: &Option<Spanned<PathBuf>>| match (flag, file)
        {
            (Some(v), _) => Some(Setting::new(v.clone(), Origin::Flag)),
            (None, Some(s)) => Some(Setting::new(base.join(s.get_ref()), at(s.span()))),
            (None, None) => None,
        };

        let client = pick!(flags.client.clone(), &values.client, check_client);
        let services = pick!(
            flags.services.clone(),
            values
                .services
                .as_ref()
                .map(|s| Spanned::new(s.span(), s.get_ref().joined()))
                .as_ref(),
            parse_services
        )
        .unwrap_or_else(|| Setting::new(Services::NONE, Origin::Default));
        let default_country = pick!(
            flags.default_country.clone(),
            &values.default_country,
            check_country
        )
        .unwrap_or_else(|| Setting::new(DEFAULT_COUNTRY.to_string(), Origin::Default));
        // Typed on the command line already: only the file's text is parsed.
        let date_order = match flags.date_order {
            Some(order) => Some(Setting::new(order, Origin::Flag)),
            None => pick!(None::<String>, &values.date_order, parse_date_order),
        }
        .unwrap_or_else(|| Setting::new(DateOrder::default(), Origin::Default));
        let amounts = match flags.amounts {
            Some(unit) => Some(Setting::new(unit, Origin::Flag)),
            None => pick!(None::<String>, &values.amounts, parse_amounts),
        }
        .unwrap_or_else(|| Setting::new(AmountUnit::default(), Origin::Default));
        let out_dir = path_pick(&flags.out_dir, &values.out_dir)
            .unwrap_or_else(|| Setting::new(PathBuf::from("."), Origin::Default));
        let state_dir = match (&flags.state_dir, (env.var)(STATE_DIR_ENV)) {
            (Some(d), _) => Some(Setting::new(d.clone(), Origin::Flag)),
            (None, Some(d)) => Some(Setting::new(PathBuf::from(d), Origin::Env(STATE_DIR_ENV))),
            (None, None) => match path_pick(&None, &values.state_dir) {
                Some(s) => Some(s),
                None => default_state_dir(env).map(|d| Setting::new(d, Origin::Default)),
            },
        };
        let state_url = match (&flags.state_url, (env.var)(STATE_URL_ENV)) {
            (Some(u), _) => Some(Setting::new(u.clone(), Origin::Flag)),
            (None, Some(u)) => Some(Setting::new(
                u.to_string_lossy().into_owned(),
                Origin::Env(STATE_URL_ENV),
            )),
            (None, None) => values
                .state_url
                .as_ref()
                .map(|u| Setting::new(u.get_ref().clone(), at(u.span()))),
        }
        .filter(|u| !u.value.is_empty());
        let report_dir = path_pick(&flags.report_dir, &values.report_dir);
        // `--mapping` beats the client's saved profile, which beats the file's `mapping`.
        let saved = client.as_ref().and_then(|c| {
            let p = clients_dir(env)?.join(format!("{}.toml", c.value.as_str()));
            p.is_file()
                .then(|| Setting::new(p.clone(), Origin::Profile(p)))
        });
        let mapping = match (&flags.mapping, saved) {
            (Some(_), _) | (None, None) => path_pick(&flags.mapping, &values.mapping),
            (None, Some(saved)) => Some(saved),
        };

        let mut set = BTreeMap::new();
        for (key, value) in &values.set {
            let slot =
                check_set_field(key.get_ref()).map_err(|e| bad(key.span(), e.to_string()))?;
            check_set_value(&format!("[set] {}", key.get_ref()), &value.get_ref().0)
                .map_err(|e| bad(value.span(), e.to_string()))?;
            set.insert(
                slot,
                Setting::new(value.get_ref().0.clone(), at(key.span())),
            );
        }
        for pair in &flags.set {
            let (field, value) = pair.split_once('=').ok_or_else(|| {
                flag_err(format!(
                    "--set '{pair}' has no '=': write it as FIELD=VALUE, e.g. --set CONTROL_FLOWID=1234"
                ))
            })?;
            let slot = check_set_field(field.trim()).map_err(|e| flag_err(e.to_string()))?;
            check_set_value(&format!("--set {}", field.trim()), value)
                .map_err(|e| flag_err(e.to_string()))?;
            let before = set.insert(slot, Setting::new(value.to_string(), Origin::Flag));
            if let Some(before) = before.filter(|b| b.origin == Origin::Flag) {
                return Err(flag_err(format!(
                    "--set {} is given twice ('{}' and '{value}'): give it once",
                    slot.column(),
                    before.value
                )));
            }
        }

        let sftp = match values.sftp {
            Some(t) => {
                let span = t.span();
                let resolved = t
                    .into_inner()
                    .resolve(&base)
                    .map_err(|m| bad(span.clone(), m))?;
                Some(Setting::new(resolved, at(span)))
            }
            None => None,
        };
        let file_mode = pick!(None::<String>, &values.file_mode, |t: String| {
            sftp::parse_file_mode(&t)
        })
        .unwrap_or_else(|| Setting::new(DEFAULT_FILE_MODE, Origin::Default));

        Ok(Settings {
            file,
            client,
            services,
            default_country,
            date_order,
            amounts,
            out_dir,
            state_dir,
            state_url,
            report_dir,
            mapping,
            set,
            sftp,
            file_mode,
        })
    }
}

/// Finds the configuration file (see the module docs).
fn discover(explicit: Option<&Path>, env: &Env<'_>) -> Result<Option<PathBuf>, ConfigError> {
    if let Some(p) = explicit {
        if !p.is_file() {
            return Err(ConfigError {
                path: Some(p.to_path_buf()),
                line: None,
                message: "the configuration file given with --config does not exist".into(),
            });
        }
        return Ok(Some(p.to_path_buf()));
    }
    let local = env.cwd.join(LOCAL_FILE);
    if local.is_file() {
        return Ok(Some(local));
    }
    Ok(config_home(env)
        .map(|d| d.join("collectmaxx").join("config.toml"))
        .filter(|p| p.is_file()))
}

/// Where saved client profiles are: `$XDG_CONFIG_HOME/collectmaxx/clients`, else
/// `~/.config/collectmaxx/clients` (`collectmaxx map --save` writes `<CLIENT>.toml` there).
pub(crate) fn clients_dir(env: &Env<'_>) -> Option<PathBuf> {
    config_home(env).map(|d| d.join("collectmaxx").join("clients"))
}

/// [`clients_dir`] for this process's environment.
pub fn saved_profiles_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    clients_dir(&Env { var: &var, cwd })
}

fn config_home(env: &Env<'_>) -> Option<PathBuf> {
    (env.var)("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| (env.var)("HOME").map(|h| PathBuf::from(h).join(".config")))
}

/// The default state directory, decided here only: `$XDG_STATE_HOME/collectmaxx`, else
/// `~/.local/state/collectmaxx` (on Windows `%LOCALAPPDATA%\collectmaxx`). `None` when the
/// environment names no home at all.
fn default_state_dir(env: &Env<'_>) -> Option<PathBuf> {
    if let Some(x) = (env.var)("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return Some(x.join("collectmaxx"));
    }
    if let Some(h) = (env.var)("HOME") {
        return Some(
            PathBuf::from(h)
                .join(".local")
                .join("state")
                .join("collectmaxx"),
        );
    }
    (env.var)("LOCALAPPDATA").map(|p| PathBuf::from(p).join("collectmaxx"))
}

fn parse(text: &str, path: &Path) -> Result<FileValues, ConfigError> {
    toml::from_str(text).map_err(|e: toml::de::Error| ConfigError {
        path: Some(path.to_path_buf()),
        line: e.span().map(|s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    })
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
        + 1
}

/// Why one setting's value is refused; [`ConfigError`] adds where it was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum SettingError {
    #[error(transparent)]
    Client(#[from] crate::outbox::BadClientCode),
    #[error("default country '{0}' is not an ISO 3166-1 alpha-2 code such as NL or BE")]
    Country(String),
    #[error("date order '{0}' is unknown: use dmy (01/02/2026 is 1 February) or mdy (2 January)")]
    DateOrder(String),
    #[error("amount unit '{0}' is unknown: use minor (1250 means 12.50) or major (12.50)")]
    Amounts(String),
    #[error("'{field}' is not a delivery field{}; 'collectmaxx fields' lists them (numbered ones as CONTACT_PHONENUMBER_1)", .suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
    NotAField {
        field: String,
        suggestion: Option<String>,
    },
    #[error("'{0}' cannot be a constant: Collectmaxx keeps only the last record with a given identifier")]
    IdentifierConstant(String),
    /// `what` names the setting: `--set FIELD` or `[set] FIELD`.
    #[error("{0} has no value: give one, or leave the setting out")]
    NoValue(String),
    /// A constant that looks like a template (`{Factuurnummer}`).
    #[error("{}", template_message(what, value, name))]
    Template {
        what: String,
        value: String,
        name: String,
    },
    #[error("services '{0}' names no service: give one or more of voice, sms, mail, paylink, emandate, enrichment, or leave the setting out (then no service's required fields are checked)")]
    NoServices(String),
    #[error(transparent)]
    Services(#[from] crate::registry::UnknownService),
}

fn check_client(client: String) -> Result<ClientCode, SettingError> {
    Ok(ClientCode::new(client.trim().to_string())?)
}

fn check_country(cc: String) -> Result<String, SettingError> {
    if let Some(Country(code)) = Country::parse(&cc).filter(|c| c.is_known()) {
        Ok(String::from_utf8_lossy(&code).into_owned())
    } else {
        Err(SettingError::Country(cc))
    }
}

fn parse_date_order(s: String) -> Result<DateOrder, SettingError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "dmy" => Ok(DateOrder::Dmy),
        "mdy" => Ok(DateOrder::Mdy),
        _ => Err(SettingError::DateOrder(s)),
    }
}

fn parse_amounts(s: String) -> Result<AmountUnit, SettingError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "minor" => Ok(AmountUnit::Minor),
        "major" => Ok(AmountUnit::Major),
        _ => Err(SettingError::Amounts(s)),
    }
}

fn check_set_field(field: &str) -> Result<Slot, SettingError> {
    let slot = Slot::by_column(field).ok_or_else(|| SettingError::NotAField {
        field: field.to_string(),
        suggestion: crate::header::suggestion(field).map(|s| s.to_string()),
    })?;
    if slot == well_known::identifier() {
        return Err(SettingError::IdentifierConstant(field.to_string()));
    }
    Ok(slot)
}

/// Refuses a constant that is empty, or that looks like a template (`{Factuurnummer}`):
/// constants are delivered as written, so every record would get the braces and the name.
fn check_set_value(what: &str, value: &str) -> Result<(), SettingError> {
    if value.trim().is_empty() {
        // `--set CONTROL_FLOWID=$FLOW` with the variable unset: no constant at all.
        return Err(SettingError::NoValue(what.to_string()));
    }
    let Some(open) = value.find('{') else {
        return Ok(());
    };
    let Some(close) = value[open..].find('}').map(|c| open + c) else {
        return Ok(());
    };
    Err(SettingError::Template {
        what: what.to_string(),
        value: value.to_string(),
        name: value[open + 1..close].trim().to_string(),
    })
}

fn template_message(what: &str, value: &str, name: &str) -> String {
    let column = if name.is_empty() { "COLUMN" } else { name };
    let field = what.rsplit(' ').next().unwrap_or_default();
    format!(
        "{what} = '{value}': a constant is delivered exactly as written, the same in every record, so '{{{name}}}' would not be replaced by a column's value. To deliver the column {column} as {field}, map it in a --mapping file ([columns] \"{column}\" = \"{field}\") instead of setting a constant"
    )
}

/// `services`: a list that names at least one service. An empty one (`--services ""`, as a
/// script gives it from an unset variable) is refused rather than read as "no services", which
/// would turn every required-field check off.
fn parse_services(list: String) -> Result<Services, SettingError> {
    if list.split(',').all(|p| p.trim().is_empty()) {
        return Err(SettingError::NoServices(list));
    }
    Ok(Services::parse_list(&list)?)
}

/// Names for the enum settings, as the file writes them.
pub fn date_order_name(o: DateOrder) -> &'static str {
    match o {
        DateOrder::Dmy => "dmy",
        DateOrder::Mdy => "mdy",
    }
}

pub fn amounts_name(a: AmountUnit) -> &'static str {
    match a {
        AmountUnit::Minor => "minor",
        AmountUnit::Major => "major",
    }
}

/// The environment variable that sets how long a run waits for another run's history lock, in
/// whole seconds (`0` gives up at once).
pub const LOCK_TIMEOUT_ENV: &str = "COLLECTMAXX_LOCK_TIMEOUT_S";

/// A lock wait that is not a whole number of seconds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{LOCK_TIMEOUT_ENV}='{0}' is not a whole number of seconds: set it to the seconds a run may wait for another run's lock (e.g. 300), or unset it to wait 5 minutes")]
pub struct BadLockTimeout(String);

/// How long a run waits for another run's history lock: `COLLECTMAXX_LOCK_TIMEOUT_S` when set,
/// else [`crate::history::DEFAULT_LOCK_TIMEOUT`] (5 minutes).
pub fn lock_timeout() -> Result<std::time::Duration, BadLockTimeout> {
    lock_timeout_from(std::env::var(LOCK_TIMEOUT_ENV).ok().as_deref())
}

/// [`lock_timeout`] from the variable's value (`None`: not set).
fn lock_timeout_from(value: Option<&str>) -> Result<std::time::Duration, BadLockTimeout> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(crate::history::DEFAULT_LOCK_TIMEOUT),
        Some(v) => v
            .parse::<u64>()
            .map(std::time::Duration::from_secs)
            .map_err(|_| BadLockTimeout(v.to_string())),
    }
}

mod sftp;

#[cfg(test)]
mod tests;
