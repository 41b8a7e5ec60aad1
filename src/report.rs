//! The JSON report: what was read, what was delivered, and every finding. Its schema is a
//! contract, documented in `docs/report.md`.
//!
//! Issues are spooled to a temporary file as they come, so a million-row file with millions of
//! findings does not have to fit in memory; the report is assembled at the end.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use serde::Serialize;

use crate::issue::{Issue, Severity};
use crate::registry::{Kind, Slot};

/// How many example rows the human summary keeps per code.
const SAMPLES: usize = 5;

/// Counts of a run, as the report's `summary` gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rows_read: u64,
    pub records_delivered: u64,
    pub records_rejected: u64,
    pub rows_skipped: u64,
    /// Of `rows_skipped`: footer rows below the data (totals), see [`crate::footer`].
    pub rows_footer: u64,
    pub errors: u64,
    pub warnings: u64,
    pub fixes: u64,
    pub by_code: BTreeMap<&'static str, u64>,
}

/// Per code: severity, count and the first few places, for the human summary.
#[derive(Debug, Clone)]
pub struct CodeStats {
    pub severity: Severity,
    pub count: u64,
    pub first_message: String,
    pub samples: Vec<(Option<usize>, Option<u64>)>,
}

/// Collects issues: counts everything, spools what the report lists.
pub struct IssueLog {
    pub summary: Summary,
    pub codes: BTreeMap<&'static str, CodeStats>,
    list_fixes: bool,
    redact: bool,
    /// The listed issues as they appear in the report's array, each as `,\n    {...}`.
    spool: BufWriter<File>,
    /// Issues in the spool.
    listed: u64,
}

impl IssueLog {
    pub fn new(list_fixes: bool, redact: bool) -> io::Result<IssueLog> {
        Ok(IssueLog {
            summary: Summary::default(),
            codes: BTreeMap::new(),
            list_fixes,
            redact,
            spool: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            listed: 0,
        })
    }

    pub fn push(&mut self, issue: Issue) -> io::Result<()> {
        let encoded = self.encoder().encode(issue)?;
        self.push_encoded(encoded)
    }

    /// How this log turns issues into report lines; [`Encoder::encode`] may run on any thread,
    /// so a run encodes its rows' issues in parallel and logs them in input order.
    pub fn encoder(&self) -> Encoder {
        Encoder {
            list_fixes: self.list_fixes,
            redact: self.redact,
        }
    }

    /// Counts an issue that [`IssueLog::encoder`] encoded and spools its report line.
    pub fn push_encoded(&mut self, issue: Encoded) -> io::Result<()> {
        match issue.severity {
            Severity::Error => self.summary.errors += 1,
            Severity::Warning => self.summary.warnings += 1,
            Severity::Fix => self.summary.fixes += 1,
        }
        *self.summary.by_code.entry(issue.code).or_insert(0) += 1;
        let stats = self.codes.entry(issue.code).or_insert_with(|| CodeStats {
            severity: issue.severity,
            count: 0,
            first_message: issue.message,
            samples: Vec::new(),
        });
        stats.count += 1;
        if stats.samples.len() < SAMPLES {
            stats.samples.push((issue.input, issue.row));
        }
        if let Some(line) = issue.line {
            self.spool.write_all(&line)?;
            self.listed += 1;
        }
        Ok(())
    }

    /// Counts a fix that is not listed (its code is all that is kept).
    pub fn count_fix(&mut self, code: &'static str) {
        self.summary.fixes += 1;
        *self.summary.by_code.entry(code).or_insert(0) += 1;
        self.codes
            .entry(code)
            .or_insert_with(|| CodeStats {
                severity: Severity::Fix,
                count: 0,
                first_message: String::new(),
                samples: Vec::new(),
            })
            .count += 1;
    }

    /// Writes the report: `head` (everything but the issues) and then the spooled issues.
    pub fn write_report<W: Write>(self, head: &ReportHead, out: W) -> io::Result<()> {
        let mut out = BufWriter::new(out);
        let head_json = serde_json::to_string_pretty(&Head {
            head,
            summary: &self.summary,
        })?;
        // Reopen the object to append the issues array.
        let trimmed = head_json
            .trim_end()
            .strip_suffix('}')
            .unwrap_or(&head_json)
            .trim_end();
        out.write_all(trimmed.as_bytes())?;
        out.write_all(b",\n  \"issues\": [")?;
        let mut spool = self.spool.into_inner().map_err(|e| e.into_error())?;
        if self.listed == 0 {
            out.write_all(b"]\n}\n")?;
            return out.flush();
        }
        // The spool holds the array's items with their separators; only its first comma goes.
        // A file-to-file copy stays in the kernel (hundreds of MB when every row has issues).
        spool.seek(SeekFrom::Start(1))?;
        out.flush()?;
        io::copy(&mut spool, out.get_mut())?;
        out.write_all(b"\n  ]\n}\n")?;
        out.flush()
    }
}

/// Turns issues into report lines, applying `--list-fixes` and `--redact`.
#[derive(Debug, Clone, Copy)]
pub struct Encoder {
    list_fixes: bool,
    redact: bool,
}

/// An issue ready for [`IssueLog::push_encoded`]: what the counts need, and its report line
/// (none for a fix that is counted but not listed).
#[derive(Debug)]
pub struct Encoded {
    severity: Severity,
    code: &'static str,
    input: Option<usize>,
    row: Option<u64>,
    message: String,
    line: Option<Vec<u8>>,
}

impl Encoder {
    pub fn encode(self, mut issue: Issue) -> io::Result<Encoded> {
        let line = if issue.severity == Severity::Fix && !self.list_fixes {
            None
        } else {
            if self.redact {
                redact(&mut issue);
            }
            let mut line = b",\n    ".to_vec();
            serde_json::to_writer(&mut line, &issue)?;
            Some(line)
        };
        Ok(Encoded {
            severity: issue.severity,
            code: issue.code,
            input: issue.input,
            row: issue.row,
            message: issue.message,
            line,
        })
    }
}

#[derive(Serialize)]
struct Head<'a> {
    #[serde(flatten)]
    head: &'a ReportHead,
    summary: &'a Summary,
}

/// One input of the run.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    pub path: String,
    pub format: &'static str,
    pub sha256: String,
    pub rows_read: u64,
}

/// The delivery written, if any.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryInfo {
    pub path: String,
    pub sha256: String,
    pub records: u64,
}

/// Everything in the report but the summary and the issues.
#[derive(Debug, Clone, Serialize)]
pub struct ReportHead {
    pub tool: &'static str,
    pub version: &'static str,
    pub inputs: Vec<InputInfo>,
    pub delivery: Option<DeliveryInfo>,
    pub services: Vec<&'static str>,
}

/// Masks personal values (phones, e-mails, names, addresses, birthdays) for reports that end
/// up in CI logs; identifiers, codes and messages stay.
fn redact(issue: &mut Issue) {
    let personal = issue
        .field
        .as_deref()
        .and_then(Slot::by_column)
        .map(is_personal)
        .unwrap_or(issue.field.is_none());
    if personal {
        issue.value = issue.value.as_deref().map(mask);
        issue.fixed_value = issue.fixed_value.as_deref().map(mask);
    }
}

fn is_personal(slot: Slot) -> bool {
    let f = slot.field();
    matches!(f.kind, Kind::Phone | Kind::Email)
        || (matches!(f.kind, Kind::Text | Kind::Date)
            && matches!(f.category, "PERSON" | "ADDRESS" | "CONTRACT_CONTACT"))
}

/// Keeps the first and last character of longer values: enough to recognise, not to read.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let mut out = String::new();
    out.push(chars[0]);
    out.push_str(&"*".repeat(chars.len() - 2));
    out.push(chars[chars.len() - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lists_issues_but_counts_fixes_only() {
        let mut log = IssueLog::new(false, false).unwrap();
        log.push(Issue::error("a.b", "bad").at(2, Some(2))).unwrap();
        log.push(Issue::fix("c.d", "fixed")).unwrap();
        let head = ReportHead {
            tool: "collectmaxx",
            version: "0",
            inputs: vec![],
            delivery: None,
            services: vec![],
        };
        let mut out = Vec::new();
        log.write_report(&head, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["fixes"], 1);
        assert_eq!(v["summary"]["by_code"]["c.d"], 1);
        assert_eq!(v["issues"].as_array().unwrap().len(), 1);
        assert_eq!(v["issues"][0]["code"], "a.b");
    }

    #[test]
    fn empty_issue_list_is_valid_json() {
        let log = IssueLog::new(true, false).unwrap();
        let head = ReportHead {
            tool: "collectmaxx",
            version: "0",
            inputs: vec![],
            delivery: None,
            services: vec![],
        };
        let mut out = Vec::new();
        log.write_report(&head, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["issues"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn redaction_masks_personal_values_only() {
        let mut log = IssueLog::new(true, true).unwrap();
        log.push(
            Issue::warning("phone.invalid", "x")
                .field("CONTACT_PHONENUMBER_1")
                .value("0612345678"),
        )
        .unwrap();
        log.push(
            Issue::error("amount.decimal", "x")
                .field("INVOICE_AMOUNT")
                .value("12,50"),
        )
        .unwrap();
        let head = ReportHead {
            tool: "collectmaxx",
            version: "0",
            inputs: vec![],
            delivery: None,
            services: vec![],
        };
        let mut out = Vec::new();
        log.write_report(&head, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["issues"][0]["value"], "0********8");
        assert_eq!(v["issues"][1]["value"], "12,50");
    }
}
