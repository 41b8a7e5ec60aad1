//! The report in the formats CI systems read: JUnit XML, GitHub Actions workflow commands and a
//! GitLab Code Quality report (`validate --format junit|github|gitlab`).
//!
//! The writers read the JSON report (its documented schema, `docs/report.md`), not the run: they
//! know nothing of the command line, and what they say is what the report says. Findings are
//! grouped per input by (code, field): 100,000 rows with the same problem are one test case,
//! one annotation, one Code Quality entry, with the rows listed as ranges.

mod github;
mod gitlab;
mod junit;
mod rules;

use std::collections::BTreeMap;
use std::io::Read;

use serde::Deserialize;

pub use github::{write_github, write_step_summary, ANNOTATIONS_PER_TYPE};
pub use gitlab::write_gitlab;
pub use junit::write_junit;
pub use rules::{applies_to, documented_rules, Rule};

/// How many row ranges a group's text lists; the rest are counted (the JSON report lists all).
pub const LISTED_RANGES: usize = 100;

/// The parts of the JSON report the CI formats use.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    pub inputs: Vec<Input>,
    pub summary: Summary,
    #[serde(default)]
    pub not_checked: Vec<NotChecked>,
    pub issues: Vec<Finding>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Input {
    pub path: String,
    pub format: String,
    pub sha256: String,
    pub rows_read: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Summary {
    pub rows_read: u64,
    pub records_delivered: u64,
    pub records_rejected: u64,
    pub rows_skipped: u64,
    pub errors: u64,
    pub warnings: u64,
    pub fixes: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NotChecked {
    pub check: String,
    pub message: String,
}

/// One finding of the report's `issues`.
#[derive(Debug, Clone, Deserialize)]
pub struct Finding {
    #[serde(default)]
    pub input: Option<usize>,
    pub row: Option<u64>,
    pub line: Option<u64>,
    pub field: Option<String>,
    pub column: Option<String>,
    pub severity: String,
    pub code: String,
    pub message: String,
}

/// Why the report could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the JSON report back: {0}")]
    Report(#[from] serde_json::Error),
    #[error("cannot write the output: {0}")]
    Write(#[from] std::io::Error),
}

impl Report {
    /// Reads a JSON report as `collectmaxx` writes it.
    pub fn read(reader: impl Read) -> Result<Report, Error> {
        Ok(serde_json::from_reader(std::io::BufReader::new(reader))?)
    }

    /// The findings of severity error or warning, grouped per input by (code, field), each
    /// input's groups in the order first met. Fixes are not failures and are left out.
    pub fn groups(&self) -> Vec<Vec<Group>> {
        let mut per_input: Vec<Vec<Group>> = vec![Vec::new(); self.inputs.len().max(1)];
        let mut index: BTreeMap<(usize, &str, Option<&str>), usize> = BTreeMap::new();
        for f in &self.issues {
            let Some(severity) = Severity::of(&f.severity) else {
                continue;
            };
            let input = f.input.unwrap_or(0).min(per_input.len() - 1);
            let subject = f.field.as_deref().or(f.column.as_deref());
            let groups = &mut per_input[input];
            let i = *index.entry((input, &f.code, subject)).or_insert_with(|| {
                groups.push(Group {
                    code: f.code.clone(),
                    subject: subject.map(str::to_string),
                    severity,
                    count: 0,
                    first_message: f.message.clone(),
                    first_line: f.line,
                    first_row: f.row,
                    rows: Vec::new(),
                    without_row: 0,
                });
                groups.len() - 1
            });
            let g = &mut groups[i];
            g.count += 1;
            match f.row {
                Some(r) => g.rows.push(r),
                None => g.without_row += 1,
            }
        }
        for g in per_input.iter_mut().flatten() {
            g.rows.sort_unstable();
            g.rows.dedup();
        }
        per_input
    }

    /// The input's path as the report names it (`-` for standard input).
    pub fn path(&self, input: usize) -> &str {
        self.inputs.get(input).map_or("-", |i| i.path.as_str())
    }
}

/// Error or warning: the findings a CI job shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    fn of(name: &str) -> Option<Severity> {
        match name {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The findings of one code about one field (else source column) in one input.
#[derive(Debug, Clone)]
pub struct Group {
    pub code: String,
    pub subject: Option<String>,
    pub severity: Severity,
    pub count: u64,
    pub first_message: String,
    /// The physical line of the first finding, in a text input.
    pub first_line: Option<u64>,
    /// The row of the first finding (the header is row 1).
    pub first_row: Option<u64>,
    /// The rows, sorted, each once.
    pub rows: Vec<u64>,
    /// Findings about the whole file (no row).
    pub without_row: u64,
}

impl Group {
    /// `phone.invalid CONTACT_PHONENUMBER_1`, or the code alone.
    pub fn title(&self) -> String {
        match &self.subject {
            Some(s) => format!("{} {s}", self.code),
            None => self.code.clone(),
        }
    }

    /// `1 finding`, `7 findings`.
    pub fn count_text(&self) -> String {
        match self.count {
            1 => "1 finding".to_string(),
            n => format!("{n} findings"),
        }
    }

    /// The rows as ranges, `rows 2-5, 9`, at most [`LISTED_RANGES`] of them.
    pub fn rows_text(&self) -> String {
        let ranges = ranges(&self.rows);
        let mut text = String::new();
        for (i, (a, b)) in ranges.iter().take(LISTED_RANGES).enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            match a == b {
                true => text.push_str(&a.to_string()),
                false => text.push_str(&format!("{a}-{b}")),
            }
        }
        let n = self.rows.len();
        let mut out = match n {
            0 => String::new(),
            1 => format!("row {text}"),
            _ => format!("rows {text}"),
        };
        if ranges.len() > LISTED_RANGES {
            let listed: u64 = ranges[..LISTED_RANGES].iter().map(|(a, b)| b - a + 1).sum();
            out.push_str(&format!(
                "; {} more rows not listed here: the JSON report (--report PATH) lists every one",
                n as u64 - listed
            ));
        }
        if self.without_row > 0 {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str("the file as a whole");
        }
        out
    }
}

/// Sorted, distinct numbers as inclusive ranges.
fn ranges(rows: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &r in rows {
        match out.last_mut() {
            Some((_, end)) if *end + 1 == r => *end = r,
            _ => out.push((r, r)),
        }
    }
    out
}

#[cfg(test)]
mod tests;
