//! Header matching: which delivery column each source column feeds.
//!
//! A source header matches a delivery column by its exact name, then case-insensitively with
//! surrounding spaces ignored; an unnumbered `CONTACT_PHONENUMBER` or `CONTACT_EMAIL` means
//! occurrence 1. A mapping file can name the delivery column for any source header. Unknown
//! columns are reported once (with a suggestion when a field name is close) and not delivered;
//! two source columns feeding the same delivery column make the whole file unusable.

use std::collections::HashMap;
use std::path::Path;

use crate::issue::Issue;
use crate::registry::{self, Slot, FIELDS};
use crate::shown;

/// Where one source column goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Slot(Slot),
    /// Not a delivery field: reported once, not delivered.
    Unknown,
}

/// A custom mapping from source headers to delivery columns (`--mapping mapping.toml`).
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Keyed by the source header folded with [`fold`].
    by_header: HashMap<String, Slot>,
    /// The keys as written, in file order, for the checks against the inputs' headers.
    keys: Vec<MappingKey>,
    /// The file, as messages name it.
    file: String,
}

/// One `"header" = "FIELD"` line of a mapping file.
#[derive(Debug, Clone)]
struct MappingKey {
    name: String,
    folded: String,
    line: usize,
    slot: Slot,
}

/// One input's header, as [`Mapping::check_keys`] sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InputHeader<'a> {
    pub path: &'a str,
    pub header: &'a [String],
    /// The row of the header, for findings about it.
    pub row: u64,
    /// The reader names its columns as it meets them (XML): a key may still match later.
    pub grows: bool,
}

/// What [`Mapping::check_keys`] found that does not stop the run.
#[derive(Debug, Default)]
pub(crate) struct KeyCheck {
    /// `mapping.unmatched` warnings for keys that some inputs lack.
    pub warnings: Vec<Issue>,
    /// Keys no column matched yet while an input's header may still grow: see
    /// [`Mapping::check_pending`].
    pub pending: Vec<usize>,
}

/// Why a mapping file is refused. Every problem found is kept, one per line of the message.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("{path}: cannot read the mapping file: {source}")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// What is wrong in the file's text: each problem with its line where there is one.
    #[error("{}", problem_lines(file.as_deref(), problems))]
    Problems {
        file: Option<String>,
        problems: Vec<(Option<usize>, String)>,
    },
    /// Keys that match no column of the inputs, one message each.
    #[error("{}\nnothing was delivered or written", .0.join("\n"))]
    Unmatched(Vec<String>),
}

impl MappingError {
    /// The same error, its problems naming the file they are in.
    fn in_file(self, shown: &str) -> MappingError {
        match self {
            MappingError::Problems { problems, .. } => MappingError::Problems {
                file: Some(shown.to_string()),
                problems,
            },
            other => other,
        }
    }
}

fn problem_lines(file: Option<&str>, problems: &[(Option<usize>, String)]) -> String {
    let file = file.map(|f| format!("{f}: ")).unwrap_or_default();
    problems
        .iter()
        .map(|(at, m)| match at {
            Some(at) => format!("{file}line {at}: {m}"),
            None => format!("{file}{m}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Mapping {
    /// Reads a mapping file:
    ///
    /// ```toml
    /// [columns]
    /// "Achternaam" = "PERSON_FAMILYNAME"
    /// "Mobiel"     = "CONTACT_PHONENUMBER_1"
    /// ```
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| MappingError::Unreadable {
            path: shown.clone(),
            source,
        })?;
        let mut mapping = Mapping::parse(&text).map_err(|e| e.in_file(&shown))?;
        mapping.file = shown;
        Ok(mapping)
    }

    /// Parses a mapping file's text. Every problem is found, one per line of the error, each
    /// naming its line: a value that is not one field name in quotes, a field that does not
    /// exist, two keys that differ only in case (headers are matched ignoring case, so only one
    /// of them could ever apply).
    pub(crate) fn parse(text: &str) -> Result<Mapping, MappingError> {
        let line = |at: usize| {
            let end = at.min(text.len());
            text.as_bytes()[..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        };
        let doc = toml::de::DeTable::parse(text).map_err(|e| MappingError::Problems {
            file: None,
            problems: vec![(
                e.span().map(|s| line(s.start)),
                e.message().trim().to_string(),
            )],
        })?;
        let mut problems = Vec::new();
        let mut columns = None;
        for (key, value) in doc.get_ref() {
            let at = line(key.span().start);
            match (key.get_ref().as_ref(), value.get_ref()) {
                ("columns", toml::de::DeValue::Table(t)) => columns = Some(t),
                ("columns", other) => problems.push((
                    at,
                    format!(
                        "'columns' is {}: it must be a table, written as a line [columns] with the mappings below it",
                        kind_of(other)
                    ),
                )),
                (name, toml::de::DeValue::String(_)) => problems.push((
                    at,
                    format!(
                        "'{name}' is outside the [columns] table: put a line [columns] above the mappings"
                    ),
                )),
                (name, _) => problems.push((
                    at,
                    format!("unknown key '{name}': a mapping file has one table, [columns]"),
                )),
            }
        }
        let mut keys: Vec<MappingKey> = Vec::new();
        match columns {
            None if problems.is_empty() => problems.push((
                1,
                "there is no [columns] table: write a line [columns], then one line per header, such as \"Achternaam\" = \"PERSON_FAMILYNAME\"".to_string(),
            )),
            None => {}
            Some(t) if t.is_empty() => problems.push((
                1,
                "the [columns] table maps no header: add lines such as \"Achternaam\" = \"PERSON_FAMILYNAME\", or leave out --mapping".to_string(),
            )),
            Some(t) => {
                for (key, value) in t {
                    let (source, at) = (key.get_ref().as_ref(), line(key.span().start));
                    match mapped_field(source, value.get_ref()) {
                        Ok(slot) => keys.push(MappingKey {
                            name: source.to_string(),
                            folded: fold(source),
                            line: at,
                            slot,
                        }),
                        Err(m) => problems.push((at, m)),
                    }
                }
            }
        }
        keys.sort_by_key(|k| k.line);
        for (i, k) in keys.iter().enumerate() {
            if let Some(first) = keys[..i].iter().find(|p| p.folded == k.folded) {
                problems.push((
                    k.line,
                    format!(
                        "'{}' and '{}' (line {}) differ only in case or surrounding spaces, and headers are matched ignoring both: keep one of the two lines",
                        k.name, first.name, first.line
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|(at, _)| *at);
            return Err(MappingError::Problems {
                file: None,
                problems: problems.into_iter().map(|(at, m)| (Some(at), m)).collect(),
            });
        }
        let by_header = keys.iter().map(|k| (k.folded.clone(), k.slot)).collect();
        Ok(Mapping {
            by_header,
            keys,
            file: String::from("the mapping file"),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.by_header.is_empty()
    }

    /// The file, as messages name it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The mapping of a profile's one-field columns (`file` names the profile in messages;
    /// keys then have no line, line 0).
    pub fn from_pairs(file: &str, pairs: &[(String, Slot)]) -> Mapping {
        let keys: Vec<MappingKey> = pairs
            .iter()
            .map(|(name, slot)| MappingKey {
                name: name.clone(),
                folded: fold(name),
                line: 0,
                slot: *slot,
            })
            .collect();
        Mapping {
            by_header: keys.iter().map(|k| (k.folded.clone(), k.slot)).collect(),
            keys,
            file: file.to_string(),
        }
    }

    /// Checks every key against the inputs' headers, before anything is read or written. A key
    /// that matches no column of any input is an error (with the closest header of the inputs
    /// as a suggestion), unless an input whose header grows (XML) may still bring it; a key
    /// that only some inputs have is a `mapping.unmatched` warning for each input that lacks
    /// it.
    pub(crate) fn check_keys(&self, inputs: &[InputHeader<'_>]) -> Result<KeyCheck, MappingError> {
        let folded: Vec<std::collections::HashSet<String>> = inputs
            .iter()
            .map(|i| i.header.iter().map(|h| fold(h)).collect())
            .collect();
        let mut check = KeyCheck::default();
        let mut errors = Vec::new();
        let grows = inputs.iter().any(|i| i.grows);
        for (k, key) in self.keys.iter().enumerate() {
            let has: Vec<bool> = folded.iter().map(|f| f.contains(&key.folded)).collect();
            if !has.contains(&true) {
                if grows {
                    check.pending.push(k);
                    continue;
                }
                let which = match inputs {
                    [one] => one.path.to_string(),
                    _ => format!(
                        "any input ({})",
                        inputs.iter().map(|i| i.path).collect::<Vec<_>>().join(", ")
                    ),
                };
                let hint = match closest_header(&key.folded, inputs) {
                    Some(h) => format!(" (did you mean '{h}'?)"),
                    None => self.unmapped_hint(inputs),
                };
                errors.push(format!(
                    "{}: line {}: '{}' matches no column of {which}{hint}; correct the key (headers match ignoring case and surrounding spaces) or remove the line",
                    self.file, key.line, key.name
                ));
                continue;
            }
            let found: Vec<&str> = inputs
                .iter()
                .zip(&has)
                .filter(|(_, h)| **h)
                .map(|(i, _)| i.path)
                .collect();
            for (i, input) in inputs.iter().enumerate() {
                if has[i] || input.grows {
                    continue;
                }
                let mut w = Issue::warning(
                    "mapping.unmatched",
                    format!(
                        "mapping key '{}' ({} line {}) matches no column of {}, only of {}: its rows get no {} from it",
                        key.name,
                        self.file,
                        key.line,
                        input.path,
                        found.join(", "),
                        key.slot.column()
                    ),
                )
                .field(key.slot.column());
                w.input = Some(i);
                w.row = Some(input.row);
                check.warnings.push(w);
            }
        }
        if errors.is_empty() {
            Ok(check)
        } else {
            Err(MappingError::Unmatched(errors))
        }
    }

    /// The inputs' columns that neither a key nor a field name maps (the first few), as a hint
    /// for a key that matches nothing.
    fn unmapped_hint(&self, inputs: &[InputHeader<'_>]) -> String {
        const SHOWN: usize = 6;
        let mut free: Vec<&str> = Vec::new();
        for h in inputs.iter().flat_map(|i| i.header.iter()) {
            let (h, folded) = (h.trim(), fold(h));
            if h.is_empty()
                || self.by_header.contains_key(&folded)
                || resolve_field_name(h).is_some()
                || free.contains(&h)
            {
                continue;
            }
            free.push(h);
        }
        match free.len() {
            0 => String::from(
                " (every column there is a delivery field already, or mapped by another key: a CRM.COM export, for one, needs no mapping)",
            ),
            n => {
                let shown: Vec<String> =
                    free.iter().take(SHOWN).map(|h| format!("'{h}'")).collect();
                let more = if n > SHOWN {
                    format!(" and {} more", n - SHOWN)
                } else {
                    String::new()
                };
                format!(" (columns no key maps: {}{more})", shown.join(", "))
            }
        }
    }

    /// After the run: a `mapping.unmatched` warning for each pending key (see
    /// [`Mapping::check_keys`]) that no input's final header matched.
    pub(crate) fn check_pending(
        &self,
        pending: &[usize],
        inputs: &[InputHeader<'_>],
    ) -> Vec<Issue> {
        pending
            .iter()
            .filter_map(|&k| self.keys.get(k))
            .filter(|key| {
                !inputs
                    .iter()
                    .any(|i| i.header.iter().any(|h| fold(h) == key.folded))
            })
            .map(|key| {
                let hint = closest_header(&key.folded, inputs)
                    .map(|h| format!(" (did you mean '{h}'?)"))
                    .unwrap_or_default();
                Issue::warning(
                    "mapping.unmatched",
                    format!(
                        "mapping key '{}' ({} line {}) matched no column of any input{hint}: it mapped nothing",
                        key.name, self.file, key.line
                    ),
                )
                .field(key.slot.column())
            })
            .collect()
    }
}

/// A `set.names_column` warning for each constant (`--set`, `[set]`) whose value is the name of
/// a column of an input: constants are delivered as written, so the user most likely meant to
/// deliver that column, which takes a mapping.
pub(crate) fn constants_naming_columns(
    constants: &[(Slot, String)],
    inputs: &[InputHeader<'_>],
) -> Vec<Issue> {
    let mut out = Vec::new();
    for (slot, value) in constants {
        let folded = fold(value);
        if folded.is_empty() {
            continue;
        }
        let Some((i, input, header)) = inputs.iter().enumerate().find_map(|(i, input)| {
            input
                .header
                .iter()
                .find(|h| fold(h) == folded)
                .map(|h| (i, input, h))
        }) else {
            continue;
        };
        let mut w = Issue::warning(
            "set.names_column",
            format!(
                "the constant {field} = '{value}' is also the name of a column of {path}: a constant is delivered as written, so every record gets the text '{value}'. To deliver that column as {field}, map it instead (a --mapping file with [columns] \"{header}\" = \"{field}\")",
                field = slot.column(),
                path = input.path,
                header = header.trim(),
            ),
        )
        .field(slot.column())
        .column("--set")
        .value(value.clone());
        w.input = Some(i);
        w.row = Some(input.row);
        out.push(w);
    }
    out
}

/// The delivery column a mapping value names, or what is wrong with it.
fn mapped_field(source: &str, value: &toml::de::DeValue<'_>) -> Result<Slot, String> {
    let example = |field: &str| format!("\"{source}\" = \"{field}\"");
    let field = match value {
        toml::de::DeValue::String(s) => s.as_ref(),
        toml::de::DeValue::Array(items) => {
            let first = items
                .iter()
                .find_map(|i| i.get_ref().as_str().and_then(resolve_field_name))
                .map_or("PERSON_FAMILYNAME", |s| s.column());
            return Err(format!(
                "'{source}' maps to a list, but a header maps to exactly one delivery field, written in quotes ({}); one column cannot fill several fields: to fill more, the export needs a column for each",
                example(first)
            ));
        }
        toml::de::DeValue::Table(_) => {
            return Err(format!(
                "'{source}' maps to a table, but a header maps to one delivery field in quotes ({}); a header with a dot in it must be quoted as a whole (\"Klant.naam\" = ...)",
                example("PERSON_FAMILYNAME")
            ))
        }
        other => {
            return Err(format!(
                "'{source}' maps to {}, but a header maps to one delivery field name in quotes ({})",
                kind_of(other),
                example("INVOICE_AMOUNT")
            ))
        }
    };
    resolve_field_name(field).ok_or_else(|| {
        format!(
            "'{source}' maps to '{field}', which is not a delivery field{}",
            suggestion(field)
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_else(|| String::from("; 'collectmaxx fields' lists them"))
        )
    })
}

/// A TOML value's kind, as a message says it.
fn kind_of(value: &toml::de::DeValue<'_>) -> &'static str {
    match value {
        toml::de::DeValue::String(_) => "text",
        toml::de::DeValue::Integer(_) | toml::de::DeValue::Float(_) => "a number",
        toml::de::DeValue::Boolean(_) => "true or false",
        toml::de::DeValue::Datetime(_) => "a date",
        toml::de::DeValue::Array(_) => "a list",
        toml::de::DeValue::Table(_) => "a table",
    }
}

/// The inputs' header closest to a (folded) mapping key, if one is close enough to suggest.
fn closest_header<'a>(key: &str, inputs: &[InputHeader<'a>]) -> Option<&'a str> {
    inputs
        .iter()
        .flat_map(|i| i.header.iter())
        .filter(|h| !h.trim().is_empty())
        .map(|h| (h.as_str(), strsim::jaro_winkler(key, &fold(h))))
        .filter(|(_, score)| *score >= 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(h, _)| h.trim())
}

/// Folds a header for lenient comparison: trimmed, upper case.
pub(crate) fn fold(s: &str) -> String {
    s.trim().trim_start_matches('\u{feff}').to_uppercase()
}

/// The delivery column a field name written in a mapping or profile means (exact or ignoring
/// case; an unnumbered `CONTACT_PHONENUMBER` is occurrence 1).
pub fn field_by_name(name: &str) -> Option<Slot> {
    resolve_field_name(name)
}

/// The delivery column for a (folded or exact) field name, accepting unnumbered phone/e-mail.
fn resolve_field_name(name: &str) -> Option<Slot> {
    if let Some(slot) = Slot::by_column(name) {
        return Some(slot);
    }
    let folded = fold(name);
    if let Some(slot) = Slot::by_column(&folded) {
        return Some(slot);
    }
    // An unnumbered numbered field (`CONTACT_PHONENUMBER`) means occurrence 1.
    FIELDS
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_numbered() && f.name.ends_with("_x"))
        .find(|(_, f)| f.name.trim_end_matches("_x") == folded)
        .map(|(i, _)| registry::field_slots(i)[0])
}

/// The delivery column whose name is closest to `name`, if one is close enough to suggest.
pub(crate) fn suggestion(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    registry::slots()
        .map(|s| (s.column(), strsim::jaro_winkler(&folded, s.column())))
        .filter(|(_, score)| *score >= 0.88)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// The resolved header of one source.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    pub targets: Vec<Target>,
    pub headers: Vec<String>,
    /// Source column indexes in the order the pipeline normalizes them: currencies first (they
    /// decide how amounts are read), then by delivery column. Kept up to date by `extend`, so
    /// rows need no sorting of their own.
    pub order: Vec<usize>,
}

/// A header that cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError(pub String);

impl ColumnMap {
    /// Resolves `headers` (appending to what is already resolved: record formats grow their
    /// header as they go). Returns warnings for unknown columns, or an error for a duplicate.
    pub fn extend(
        &mut self,
        headers: &[String],
        mapping: &Mapping,
    ) -> Result<Vec<Issue>, HeaderError> {
        let mut issues = Vec::new();
        for h in headers.iter().skip(self.headers.len()) {
            let target = match mapping
                .by_header
                .get(&fold(h))
                .copied()
                .or_else(|| resolve_field_name(h))
            {
                Some(slot) => {
                    if let Some(prev) = self.slot_position(slot) {
                        return Err(HeaderError(format!(
                            "columns '{}' and '{}' both give {}: remove one of them (or map one elsewhere with --mapping)",
                            self.headers[prev],
                            h,
                            slot.column()
                        )));
                    }
                    Target::Slot(slot)
                }
                None => {
                    let hint = match (joined_names(h), suggestion(h)) {
                        (Some(d), _) => format!(
                            "; it looks like several column names joined by '{}': the file's delimiter is probably '{}', give --delimiter '{}'",
                            d.escape_default(),
                            d.escape_default(),
                            d.escape_default()
                        ),
                        (None, Some(s)) => format!(" (did you mean {s}?)"),
                        (None, None) => {
                            String::from("; map it with --mapping if it holds a delivery field (collectmaxx map INPUT proposes a mapping profile for the whole export)")
                        }
                    };
                    let mut issue = Issue::warning(
                        "column.unknown",
                        format!(
                            "column '{h}' is not a delivery field and is not delivered{hint}",
                            h = shown::plain(h)
                        ),
                    )
                    .column(h.clone());
                    if h.trim().is_empty() {
                        issue.message = format!(
                            "column {} has no header and is not delivered",
                            self.headers.len() + 1
                        );
                    }
                    issues.push(issue);
                    Target::Unknown
                }
            };
            self.targets.push(target);
            self.headers.push(h.clone());
        }
        let mut order: Vec<(bool, Slot, usize)> = self
            .targets
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match t {
                Target::Slot(s) => Some((s.kind() != crate::registry::Kind::Currency, *s, i)),
                Target::Unknown => None,
            })
            .collect();
        order.sort_unstable();
        self.order = order.into_iter().map(|(_, _, i)| i).collect();
        Ok(issues)
    }

    fn slot_position(&self, slot: Slot) -> Option<usize> {
        self.targets.iter().position(|t| *t == Target::Slot(slot))
    }

    /// The delivery columns this source supplies.
    pub(crate) fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        self.targets.iter().filter_map(|t| match t {
            Target::Slot(s) => Some(*s),
            Target::Unknown => None,
        })
    }
}

/// The separator when a header cell is several delivery column names joined (the file was
/// split on the wrong delimiter): at least two of its parts, and at least half, are columns.
fn joined_names(header: &str) -> Option<char> {
    let known = |part: &str| {
        let upper = part.trim().trim_matches('"').to_ascii_uppercase();
        Slot::by_column(&upper).is_some() || Slot::by_column(&format!("{upper}_1")).is_some()
    };
    [';', ',', '\t', '|', ':'].into_iter().find(|&d| {
        let parts: Vec<&str> = header.split(d).collect();
        let hits = parts.iter().filter(|p| known(p)).count();
        parts.len() >= 2 && hits >= 2 && hits * 2 >= parts.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> Result<(ColumnMap, Vec<Issue>), HeaderError> {
        let mut m = ColumnMap::default();
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let issues = m.extend(&h, &Mapping::default())?;
        Ok((m, issues))
    }

    #[test]
    fn exact_and_lenient_names() {
        let (m, issues) = map(&[
            "IDENTIFICATION_IDENTIFIER",
            " person_familyname ",
            "Contact_PhoneNumber",
        ])
        .unwrap();
        assert!(issues.is_empty());
        let cols: Vec<_> = m.slots().map(|s| s.column()).collect();
        assert_eq!(
            cols,
            [
                "IDENTIFICATION_IDENTIFIER",
                "PERSON_FAMILYNAME",
                "CONTACT_PHONENUMBER_1"
            ]
        );
    }

    #[test]
    fn a_header_split_on_the_wrong_delimiter_says_so() {
        let (_, issues) =
            map(&["IDENTIFICATION_IDENTIFIER,PERSON_FAMILYNAME,Remarks,contact_phonenumber"])
                .unwrap();
        assert!(
            issues[0].message.contains("give --delimiter ','"),
            "{}",
            issues[0].message
        );
        // One known name with a comma in an unknown column is not taken for that.
        let (_, issues) = map(&["Remarks, PERSON_FAMILYNAME"]).unwrap();
        assert!(
            !issues[0].message.contains("--delimiter"),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn unknown_column_warns_with_suggestion() {
        let (m, issues) = map(&["PERSON_FAMILYNAM", "Remarks"]).unwrap();
        assert_eq!(m.targets, [Target::Unknown, Target::Unknown]);
        assert_eq!(issues.len(), 2);
        assert!(
            issues[0]
                .message
                .contains("did you mean PERSON_FAMILYNAME?"),
            "{}",
            issues[0].message
        );
        assert!(
            !issues[1].message.contains("did you mean"),
            "{}",
            issues[1].message
        );
        assert_eq!(issues[0].code, "column.unknown");
    }

    #[test]
    fn duplicate_column_is_an_error() {
        let err = map(&["CONTACT_PHONENUMBER", "CONTACT_PHONENUMBER_1"]).unwrap_err();
        assert!(err.0.contains("CONTACT_PHONENUMBER_1"), "{}", err.0);
        assert!(map(&["PERSON_GENDER", "person_gender"]).is_err());
    }

    #[test]
    fn mapping_file_renames_headers() {
        let mapping = Mapping::parse(
            "[columns]\n\"Achternaam\" = \"PERSON_FAMILYNAME\"\nMobiel = \"contact_phonenumber\"\n",
        )
        .unwrap();
        let mut m = ColumnMap::default();
        let issues = m
            .extend(&["achternaam".into(), "Mobiel".into()], &mapping)
            .unwrap();
        assert!(issues.is_empty());
        let cols: Vec<_> = m.slots().map(|s| s.column()).collect();
        assert_eq!(cols, ["PERSON_FAMILYNAME", "CONTACT_PHONENUMBER_1"]);
    }

    #[test]
    fn mapping_file_errors_name_the_line() {
        let err = Mapping::parse("[columns]\nA = \"PERSON_FAMILYNAME\"\nB = \"PERSON_NAME\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("PERSON_NAME"), "{err}");
        let err = Mapping::parse("[columns]\nA = \n").unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }

    fn input<'a>(path: &'a str, header: &'a [String]) -> InputHeader<'a> {
        InputHeader {
            path,
            header,
            row: 1,
            grows: false,
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn mapping_values_that_are_not_one_field_name_say_what_is_allowed() {
        let err = Mapping::parse(
            "[columns]\nMobiel = [\"CONTACT_PHONENUMBER_1\", \"CONTACT_PHONENUMBER_2\"]\nBedrag = 5\nKlant.naam = \"PERSON_FAMILYNAME\"\nActief = true\n",
        )
        .unwrap_err().to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 4, "{err}");
        assert!(
            lines[0].starts_with("line 2: 'Mobiel' maps to a list")
                && lines[0].contains("\"Mobiel\" = \"CONTACT_PHONENUMBER_1\""),
            "{err}"
        );
        assert!(
            lines[1].starts_with("line 3: 'Bedrag' maps to a number"),
            "{err}"
        );
        assert!(
            lines[2].starts_with("line 4: 'Klant' maps to a table")
                && lines[2].contains("\"Klant.naam\""),
            "{err}"
        );
        assert!(
            lines[3].starts_with("line 5: 'Actief' maps to true or false"),
            "{err}"
        );
    }

    #[test]
    fn keys_that_differ_only_in_case_are_both_named() {
        let err = Mapping::parse(
            "[columns]\n\"Factuurnummer\" = \"IDENTIFICATION_IDENTIFIER\"\n\"factuurnummer \" = \"INVOICE_NUMBER\"\n",
        )
        .unwrap_err().to_string();
        assert!(
            err.contains(
                "line 3: 'factuurnummer ' and 'Factuurnummer' (line 2) differ only in case"
            ),
            "{err}"
        );
        // Different headers that map to the same field are fine until a file has both.
        Mapping::parse("[columns]\nA = \"PERSON_FAMILYNAME\"\nB = \"PERSON_FAMILYNAME\"\n")
            .unwrap();
    }

    #[test]
    fn a_mapping_file_without_its_table_says_how_to_write_it() {
        let err = Mapping::parse("\"Achternaam\" = \"PERSON_FAMILYNAME\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("outside the [columns] table"), "{err}");
        let err = Mapping::parse("# nothing yet\n").unwrap_err().to_string();
        assert!(err.contains("there is no [columns] table"), "{err}");
        let err = Mapping::parse("[columns]\n").unwrap_err().to_string();
        assert!(err.contains("maps no header"), "{err}");
        let err = Mapping::parse("[kolommen]\nA = \"PERSON_FAMILYNAME\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1: unknown key 'kolommen'"), "{err}");
        let err = Mapping::parse("columns = \"x\"\n").unwrap_err().to_string();
        assert!(err.contains("it must be a table"), "{err}");
    }

    #[test]
    fn a_key_matching_no_column_is_an_error_with_the_closest_header() {
        let mapping = Mapping::parse(
            "[columns]\n\"Factuurnumer\" = \"IDENTIFICATION_IDENTIFIER\"\nMobiel = \"CONTACT_PHONENUMBER_1\"\nEmailadres = \"CONTACT_EMAIL_1\"\n",
        )
        .unwrap();
        let header = strings(&["Factuurnummer", "mobiel", "E-mail", "Bedrag"]);
        let err = mapping
            .check_keys(&[input("export.csv", &header)])
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines[0],
            "the mapping file: line 2: 'Factuurnumer' matches no column of export.csv (did you mean 'Factuurnummer'?); correct the key (headers match ignoring case and surrounding spaces) or remove the line"
        );
        // No close header: the columns that nothing maps yet.
        assert!(
            lines[1].starts_with("the mapping file: line 4: 'Emailadres' matches no column")
                && lines[1].contains("(columns no key maps: 'Factuurnummer', 'E-mail', 'Bedrag')"),
            "{err}"
        );
        assert_eq!(lines.len(), 3, "{err}");
        assert!(lines[2].contains("nothing was delivered"), "{err}");
    }

    #[test]
    fn a_key_some_inputs_lack_is_a_warning_for_each_of_them() {
        let mapping = Mapping::parse("[columns]\nMobiel = \"CONTACT_PHONENUMBER_1\"\n").unwrap();
        let (a, b, c) = (
            strings(&["Mobiel"]),
            strings(&["Telefoon"]),
            strings(&[" MOBIEL "]),
        );
        let check = mapping
            .check_keys(&[input("a.csv", &a), input("b.csv", &b), input("c.csv", &c)])
            .unwrap();
        assert_eq!(check.warnings.len(), 1);
        let w = &check.warnings[0];
        assert_eq!(
            (w.code, w.input, w.row),
            ("mapping.unmatched", Some(1), Some(1))
        );
        assert_eq!(w.field.as_deref(), Some("CONTACT_PHONENUMBER_1"));
        assert!(
            w.message
                .contains("matches no column of b.csv, only of a.csv, c.csv"),
            "{}",
            w.message
        );
        assert!(check.pending.is_empty());
    }

    #[test]
    fn keys_wait_for_a_growing_header_and_warn_only_if_it_never_came() {
        let mapping = Mapping::parse(
            "[columns]\n\"person/bijnaam\" = \"PERSON_GIVENNAME\"\n\"person/roepnaam\" = \"PERSON_GIVENNAME\"\n",
        )
        .unwrap();
        let empty: Vec<String> = Vec::new();
        let check = mapping
            .check_keys(&[InputHeader {
                grows: true,
                ..input("in.xml", &empty)
            }])
            .unwrap();
        assert_eq!(check.pending, [0, 1]);
        let read = strings(&["PERSON_FAMILYNAME", "person/roepnaam"]);
        let warnings = mapping.check_pending(&check.pending, &[input("in.xml", &read)]);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .starts_with("mapping key 'person/bijnaam'")
                && warnings[0]
                    .message
                    .contains("matched no column of any input"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn a_constant_that_names_a_column_is_a_warning() {
        let header = strings(&["Factuurnummer", "Bedrag"]);
        let slot = Slot::by_column("INVOICE_REFERENCE").unwrap();
        let flow = Slot::by_column("CONTROL_FLOWID").unwrap();
        let issues = constants_naming_columns(
            &[(slot, " factuurnummer".into()), (flow, "1234".into())],
            &[input("export.csv", &header)],
        );
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].code, "set.names_column");
        assert!(
            issues[0]
                .message
                .contains("[columns] \"Factuurnummer\" = \"INVOICE_REFERENCE\""),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn growing_header_keeps_earlier_targets() {
        let mut m = ColumnMap::default();
        m.extend(&["PERSON_GENDER".into()], &Mapping::default())
            .unwrap();
        m.extend(
            &["PERSON_GENDER".into(), "ADDRESS_CITY".into()],
            &Mapping::default(),
        )
        .unwrap();
        assert_eq!(m.targets.len(), 2);
    }
}
