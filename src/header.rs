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
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    columns: std::collections::BTreeMap<String, String>,
}

impl Mapping {
    /// Reads a mapping file:
    ///
    /// ```toml
    /// [columns]
    /// "Achternaam" = "PERSON_FAMILYNAME"
    /// "Mobiel"     = "CONTACT_PHONENUMBER_1"
    /// ```
    pub fn load(path: &Path) -> Result<Mapping, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read the mapping file: {e}", path.display()))?;
        Mapping::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Mapping, String> {
        let file: MappingFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            match line {
                Some(l) => format!("line {l}: {}", e.message()),
                None => e.message().to_string(),
            }
        })?;
        let mut by_header = HashMap::new();
        for (source, field) in file.columns {
            let slot = resolve_field_name(&field).ok_or_else(|| {
                format!(
                    "'{source}' maps to '{field}', which is not a delivery field{}",
                    suggestion(&field)
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default()
                )
            })?;
            by_header.insert(fold(&source), slot);
        }
        Ok(Mapping { by_header })
    }

    pub fn is_empty(&self) -> bool {
        self.by_header.is_empty()
    }
}

/// Folds a header for lenient comparison: trimmed, upper case.
pub fn fold(s: &str) -> String {
    s.trim().trim_start_matches('\u{feff}').to_uppercase()
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
pub fn suggestion(name: &str) -> Option<&'static str> {
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
                            String::from("; map it with --mapping if it holds a delivery field")
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
    pub fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
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
            .unwrap_err();
        assert!(err.contains("PERSON_NAME"), "{err}");
        let err = Mapping::parse("[columns]\nA = \n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
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
