//! A client profile: how one client's export becomes delivery columns (`collectmaxx map`
//! writes it, `--mapping FILE` or the client's saved profile applies it).
//!
//! A profile says which column feeds which field (also one column several fields, several
//! columns one field, one column split into several), an identifier template, value maps,
//! constants, columns to ignore and how to read the export. docs/mapping.md describes every
//! key. An old mapping file (only `[columns]` with one field name per header) is a profile
//! too, read by [`crate::header::Mapping`] exactly as before.
//!
//! Entries proposed by `map` that it could not be sure of carry `confirmed = false`; a run
//! refuses such a profile ([`Profile::unconfirmed`]) until the user confirms them.

pub mod apply;
pub mod split;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Origin, Setting, Settings};
use crate::header::{fold, Mapping};
use crate::registry::Slot;
use crate::rules::amount::AmountUnit;
use crate::rules::date::DateOrder;
use crate::template::{Template, TemplateError};

/// The built-ins of a profile's identifier template.
pub const TEMPLATE_BUILTINS: &[&str] = &["date", "row"];

/// What is wrong with a profile, or why it cannot apply to an export.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{path}: cannot read the profile: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: {count} entr{ies} not confirmed: {list}. Check each proposal, then set confirmed = true in the file (or run collectmaxx map INPUT --accept \"COLUMN=FIELD\"); nothing was delivered", ies = if *count == 1 { "y is" } else { "ies are" })]
    Unconfirmed {
        path: String,
        count: usize,
        list: String,
    },
    #[error("{path}: the columns of {input} changed since the profile was made: {changes}. Run collectmaxx map {input} --save (with the client) to see the difference and update the profile; nothing was delivered")]
    ColumnsChanged {
        path: String,
        input: String,
        changes: String,
    },
    #[error("{path}: {message}; correct the profile; nothing was delivered")]
    DoesNotFit { path: String, message: String },
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// How one column is delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    /// `"Achternaam" = "PERSON_FAMILYNAME"`
    Field(String),
    /// `"Factuurnummer" = ["INVOICE_NUMBER", "INVOICE_REFERENCE"]`
    Fields(Vec<String>),
    /// `"Adres" = { split = "address", confirmed = false, evidence = "…" }`
    Full(FullEntry),
}

/// The long form of a column entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullEntry {
    /// One field name, or several.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub field: Vec<String>,
    /// `address`, `zipcode_city` or `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Several columns joined into one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Join {
    pub columns: Vec<String>,
    #[serde(default = "space")]
    pub separator: String,
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// How to read the export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Read {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The header's row number (1-based) when title rows are above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amounts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_country: Option<String>,
}

/// Where the profile came from and what it was made for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct About {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The export `map` read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_from: Option<String>,
    /// The export's columns when the profile was made: a later export whose columns differ is
    /// refused until the profile is updated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<String>,
}

/// A whole profile, as its TOML file holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(default)]
    pub profile: About,
    #[serde(default)]
    pub read: Read,
    /// An identifier template such as `{Factuurnummer}-{date}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Is the identifier template confirmed (`map` proposes one as a question).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub identifier_confirmed: bool,
    #[serde(default)]
    pub columns: BTreeMap<String, Entry>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub join: BTreeMap<String, Join>,
    /// Per field, export value → delivered value (`"V" = "F"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, String>,
    /// Columns not delivered, each with the reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ignore: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn space() -> String {
    " ".to_string()
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Checks the shape of every `[columns]` value, each problem naming its line: a column maps
/// to a field name, a list of them, or a table with `field`, `split`, `confirmed`, `evidence`.
fn column_shapes(text: &str) -> Vec<String> {
    use toml::de::{DeTable, DeValue};
    let Ok(doc) = DeTable::parse(text) else {
        return Vec::new(); // the full parse reports the syntax error with its line
    };
    let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let Some(DeValue::Table(columns)) = doc.get_ref().get("columns").map(|v| v.get_ref()) else {
        return problems;
    };
    for (key, value) in columns {
        let (name, at) = (key.get_ref().as_ref(), line(key.span().start));
        let allowed = format!(
            "a column maps to a delivery field name in quotes (\"{name}\" = \"INVOICE_AMOUNT\"), a list of them, or a table such as {{ split = \"address\" }}"
        );
        let what = match value.get_ref() {
            DeValue::String(_) | DeValue::Array(_) => continue,
            DeValue::Table(t) => {
                let known = ["field", "split", "confirmed", "evidence"];
                if t.iter().all(|(k, _)| known.contains(&k.get_ref().as_ref())) {
                    continue;
                }
                format!("a table, but {allowed}; a header with a dot in it must be quoted as a whole (\"{name}.naam\" = ...)")
            }
            DeValue::Integer(_) | DeValue::Float(_) => format!("a number, but {allowed}"),
            DeValue::Boolean(_) => format!("true or false, but {allowed}"),
            DeValue::Datetime(_) => format!("a date, but {allowed}"),
        };
        problems.push(format!("line {at}: '{name}' maps to {what}"));
    }
    problems
}

/// A loaded `--mapping` file or saved profile.
#[derive(Debug, Clone)]
pub enum Loaded {
    /// Only `[columns]` with one field per header: the mapping file of old.
    Plain(Mapping),
    Profile(Box<Profile>, PathBuf),
}

impl Entry {
    /// The fields this column feeds.
    pub fn fields(&self) -> Vec<String> {
        match self {
            Entry::Field(f) => vec![f.clone()],
            Entry::Fields(v) => v.clone(),
            Entry::Full(e) => e.field.clone(),
        }
    }

    pub fn split(&self) -> Option<&str> {
        match self {
            Entry::Full(e) => e.split.as_deref(),
            _ => None,
        }
    }

    pub fn confirmed(&self) -> bool {
        !matches!(self, Entry::Full(e) if !e.confirmed)
    }
}

impl Profile {
    /// Reads a profile or old mapping file.
    pub fn load(path: &Path) -> Result<Loaded, ProfileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: shown.clone(),
            source,
        })?;
        if is_plain(&text) {
            let m = Mapping::load(path).map_err(|e| ProfileError::Invalid {
                path: shown,
                message: e.to_string(),
            })?;
            return Ok(Loaded::Plain(m));
        }
        let profile = Profile::parse(&text).map_err(|message| ProfileError::Invalid {
            // Every problem on its own line, each naming the file.
            message: message
                .lines()
                .collect::<Vec<_>>()
                .join(&format!("\n{shown}: ")),
            path: shown,
        })?;
        Ok(Loaded::Profile(Box::new(profile), path.to_path_buf()))
    }

    /// Parses a profile's text and checks every field name, split and template.
    pub fn parse(text: &str) -> Result<Profile, String> {
        let shapes = column_shapes(text);
        if !shapes.is_empty() {
            return Err(shapes.join("\n"));
        }
        let profile: Profile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            match line {
                Some(l) => format!("line {l}: {}", e.message().trim()),
                None => e.message().trim().to_string(),
            }
        })?;
        profile.check()?;
        Ok(profile)
    }

    fn check(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        let field = |name: &str, problems: &mut Vec<String>, what: &str| {
            if resolve(name).is_none() {
                problems.push(format!(
                    "{what}: '{name}' is not a delivery field ('collectmaxx fields' lists them)"
                ));
            }
        };
        for (column, entry) in &self.columns {
            let what = format!("[columns] \"{column}\"");
            for f in entry.fields() {
                field(&f, &mut problems, &what);
            }
            match (entry.split(), entry.fields().is_empty()) {
                (Some(s), _) if !SPLITS.contains(&s) => problems.push(format!(
                    "{what}: split = \"{s}\" is unknown: use {}",
                    SPLITS.join(", ")
                )),
                (Some(_), false) => problems.push(format!(
                    "{what}: give either split or field, not both (a split names its own fields)"
                )),
                (None, true) => problems.push(format!(
                    "{what}: the entry names no field: write field = \"FIELD\" or split = \"address\""
                )),
                _ => {}
            }
        }
        for (target, join) in &self.join {
            field(target, &mut problems, &format!("[join.{target}]"));
            if join.columns.len() < 2 {
                problems.push(format!(
                    "[join.{target}]: columns must list two columns or more"
                ));
            }
        }
        for target in self.values.keys().chain(self.set.keys()) {
            field(target, &mut problems, "[values]/[set]");
        }
        // Two guesses for one field (`POCity`, `SACity`) are a question map asked, not a
        // mistake: the profile is refused as unconfirmed until one is chosen.
        let mut given: Vec<(Slot, String)> = Vec::new();
        for (column, entry) in self.columns.iter().filter(|(_, e)| e.confirmed()) {
            let fields = match entry.split() {
                Some("address") => {
                    vec!["ADDRESS_STREET", "ADDRESS_HOUSENUMBER", "ADDRESS_EXTENSION"]
                        .into_iter()
                        .map(String::from)
                        .collect()
                }
                Some("zipcode_city") => {
                    vec!["ADDRESS_ZIPCODE".to_string(), "ADDRESS_CITY".to_string()]
                }
                Some(_) => vec![
                    "PERSON_GIVENNAME".to_string(),
                    "PERSON_FAMILYNAME".to_string(),
                ],
                None => entry.fields(),
            };
            given.extend(
                fields
                    .iter()
                    .filter_map(|f| Some((resolve(f)?, format!("[columns] \"{column}\"")))),
            );
        }
        given.extend(
            self.join
                .keys()
                .filter_map(|f| Some((resolve(f)?, format!("[join.{f}]")))),
        );
        if self.identifier.is_some() {
            given.extend(
                resolve("IDENTIFICATION_IDENTIFIER").map(|s| (s, "identifier".to_string())),
            );
        }
        for (i, (slot, by)) in given.iter().enumerate() {
            if let Some((_, first)) = given[..i].iter().find(|(s, _)| s == slot) {
                problems.push(format!(
                    "{} is given twice, by {first} and by {by}: keep one (or map one of them to another field)",
                    slot.column()
                ));
            }
        }
        if let Some(t) = &self.identifier {
            if let Err(e) = Template::parse(t, TEMPLATE_BUILTINS) {
                problems.push(e.to_string());
            }
        }
        if self.read.header_row == Some(0) {
            problems.push(
                "[read] header_row = 0: rows are counted from 1, as a spreadsheet shows them"
                    .to_string(),
            );
        }
        if let Some(d) = &self.read.delimiter {
            if !(d == "tab" || d.len() == 1 && d.is_ascii()) {
                problems.push(format!(
                    "[read] delimiter = \"{d}\" must be one character or \"tab\""
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The entries still to be confirmed, each as `"COLUMN" → FIELD (evidence)`.
    pub fn unconfirmed(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (column, entry) in &self.columns {
            if let Entry::Full(e) = entry {
                if !e.confirmed {
                    let to = match &e.split {
                        Some(s) => format!("split {s}"),
                        None => e.field.join(" + "),
                    };
                    out.push(format!("'{column}' → {to}"));
                }
            }
        }
        for (target, j) in &self.join {
            if !j.confirmed {
                out.push(format!("{} joined → {target}", j.columns.join(" + ")));
            }
        }
        if !self.identifier_confirmed {
            if let Some(t) = &self.identifier {
                out.push(format!("identifier = \"{t}\""));
            }
        }
        out
    }

    /// Refuses a profile with entries to confirm.
    pub fn check_confirmed(&self, path: &Path) -> Result<(), ProfileError> {
        let list = self.unconfirmed();
        if list.is_empty() {
            return Ok(());
        }
        Err(ProfileError::Unconfirmed {
            path: path.display().to_string(),
            count: list.len(),
            list: list.join("; "),
        })
    }

    /// Confirms `COLUMN=FIELD` (or `COLUMN=split:address`, or `COLUMN=none`): the entry for
    /// that column becomes that, confirmed. `identifier=…` confirms the identifier template.
    pub fn accept(&mut self, spec: &str) -> Result<(), String> {
        self.accept_all(std::slice::from_ref(&spec))
    }

    /// [`Profile::accept`] for several confirmations, checked together once all are applied:
    /// `POCity=ADDRESS_CITY` and `SACity=none` are fine in either order.
    pub fn accept_all(&mut self, specs: &[&str]) -> Result<(), String> {
        for spec in specs {
            self.apply(spec)?;
        }
        self.check()
    }

    fn apply(&mut self, spec: &str) -> Result<(), String> {
        let (column, target) = spec
            .split_once('=')
            .map(|(c, t)| (c.trim().to_string(), t.trim().to_string()))
            .ok_or_else(|| format!("--accept '{spec}' has no '=': write it as \"COLUMN=FIELD\""))?;
        if column == "identifier" {
            self.identifier = Some(target);
            self.identifier_confirmed = true;
            return Ok(());
        }
        if let Some(j) = self.join.get_mut(&target) {
            if j.columns.iter().any(|c| fold(c) == fold(&column)) {
                j.confirmed = true;
                return Ok(());
            }
        }
        let key = self
            .columns
            .keys()
            .chain(self.ignore.keys())
            .find(|k| fold(k) == fold(&column))
            .cloned()
            .or_else(|| {
                self.profile
                    .header
                    .iter()
                    .find(|h| fold(h) == fold(&column))
                    .cloned()
            })
            .ok_or_else(|| format!("--accept '{spec}': the export has no column '{column}'"))?;
        self.columns.remove(&key);
        self.ignore.remove(&key);
        if target.eq_ignore_ascii_case("none") {
            self.ignore
                .insert(key, "not delivered (accepted by the user)".into());
            return Ok(());
        }
        let entry = match target.strip_prefix("split:") {
            Some(s) => Entry::Full(FullEntry {
                split: Some(s.to_string()),
                confirmed: true,
                ..FullEntry::default()
            }),
            None => {
                let fields: Vec<String> = target.split('+').map(|f| f.trim().to_string()).collect();
                match fields.len() {
                    1 => Entry::Field(fields[0].clone()),
                    _ => Entry::Fields(fields),
                }
            }
        };
        self.columns.insert(key, entry);
        Ok(())
    }

    /// The mapping of the columns that feed one field each, which keep their own name.
    pub fn mapping(&self, file: &str) -> Mapping {
        let pairs: Vec<(String, Slot)> = self
            .columns
            .iter()
            .filter(|(_, e)| e.split().is_none() && !matches!(e, Entry::Fields(_)))
            .filter_map(|(c, e)| Some((c.clone(), resolve(e.fields().first()?)?)))
            .collect();
        Mapping::from_pairs(file, &pairs)
    }

    /// The profile as TOML text, with a comment saying how to confirm.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# A collectmaxx client profile (docs/mapping.md). Entries with confirmed = false are\n# guesses: check them, then set confirmed = true or run collectmaxx map --accept \"COLUMN=FIELD\".\n{body}"
        )
    }

    /// Applies the profile's reading settings and constants to `settings` where no flag set
    /// them: flags > this profile > the config file > defaults.
    pub fn apply_settings(&self, settings: &mut Settings, path: &Path) -> Result<(), ProfileError> {
        let origin = Origin::Profile(path.to_path_buf());
        let bad = |message: String| ProfileError::Invalid {
            path: path.display().to_string(),
            message,
        };
        let unset = |o: &Origin| *o != Origin::Flag;
        if let Some(d) = &self.read.date_order {
            if unset(&settings.date_order.origin) {
                let v = match d.to_ascii_lowercase().as_str() {
                    "dmy" => DateOrder::Dmy,
                    "mdy" => DateOrder::Mdy,
                    _ => return Err(bad(format!("[read] date_order = \"{d}\": use dmy or mdy"))),
                };
                settings.date_order = Setting {
                    value: v,
                    origin: origin.clone(),
                };
            }
        }
        if let Some(a) = &self.read.amounts {
            if unset(&settings.amounts.origin) {
                let v = match a.to_ascii_lowercase().as_str() {
                    "minor" => AmountUnit::Minor,
                    "major" => AmountUnit::Major,
                    _ => return Err(bad(format!("[read] amounts = \"{a}\": use minor or major"))),
                };
                settings.amounts = Setting {
                    value: v,
                    origin: origin.clone(),
                };
            }
        }
        if let Some(c) = &self.read.default_country {
            if unset(&settings.default_country.origin) {
                settings.default_country = Setting {
                    value: c.trim().to_ascii_uppercase(),
                    origin: origin.clone(),
                };
            }
        }
        for (field, value) in &self.set {
            let slot = resolve(field)
                .ok_or_else(|| bad(format!("[set] {field}: not a delivery field")))?;
            if settings.set.get(&slot).is_none_or(|s| unset(&s.origin)) {
                settings.set.insert(
                    slot,
                    Setting {
                        value: value.clone(),
                        origin: origin.clone(),
                    },
                );
            }
        }
        Ok(())
    }
}

/// The splits a column entry can ask for.
pub const SPLITS: &[&str] = &["address", "zipcode_city", "name"];

/// The delivery column a profile names (as `--mapping` files name them).
pub fn resolve(name: &str) -> Option<Slot> {
    crate::header::field_by_name(name)
}

/// Is this text an old mapping file: only a `[columns]` table, each value one string?
fn is_plain(text: &str) -> bool {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return true; // let the old reader report the syntax error as it always did
    };
    doc.iter().all(|(k, v)| {
        k == "columns"
            && v.as_table()
                .is_some_and(|t| t.values().all(toml::Value::is_str))
    })
}

/// The settings with the profile that applies (a `--mapping` file, else the client's saved
/// profile, both found by the configuration as its `mapping`), its reading settings applied.
/// A profile with unconfirmed entries is refused here.
pub fn with_profile(mut settings: Settings) -> Result<(Settings, Option<Loaded>), ProfileError> {
    let Some(path) = settings.mapping.as_ref().map(|m| m.value.clone()) else {
        return Ok((settings, None));
    };
    let loaded = Profile::load(&path)?;
    if let Loaded::Profile(p, path) = &loaded {
        p.check_confirmed(path)?;
        p.apply_settings(&mut settings, path)?;
    }
    Ok((settings, Some(loaded)))
}

#[cfg(test)]
mod tests;
