//! The JSON report: what was read, what was delivered, and every finding. Its schema is a
//! contract, documented in `docs/report.md`.
//!
//! Issues are spooled to a temporary file as they come, so a million-row file with millions of
//! findings does not have to fit in memory; the report is assembled at the end.

pub mod ci;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use serde::Serialize;

use crate::issue::{Issue, Severity};
use crate::registry::Slot;
use crate::shown::{self, SHOWN_CHARS};
use crate::tally::Tally;

/// How many example rows the human summary keeps per group.
const SAMPLES: usize = 5;
/// How many groups (fields) the human summary keeps per code; the rest are only counted.
const GROUPS: usize = 8;

/// Counts of a run, as the report's `summary` gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The row counts: read, delivered, rejected, skipped and footer rows. They change only
    /// through [`Tally`]'s verbs ([`IssueLog::withdraw`] for a delivered record that is not
    /// delivered after all), so they always add up.
    #[serde(flatten)]
    pub rows: Tally,
    pub errors: u64,
    pub warnings: u64,
    pub fixes: u64,
    pub by_code: BTreeMap<&'static str, u64>,
}

/// Per code: severity, count and the findings grouped by what they are about, for the human
/// summary.
#[derive(Debug, Clone)]
pub struct CodeStats {
    pub severity: Severity,
    pub count: u64,
    /// By the field the findings are about (else the source column), in the order first met:
    /// at most [`GROUPS`]; findings about further fields are in `count` only. Empty for fixes.
    pub groups: Vec<GroupStats>,
}

/// The findings of one code about one field: count, first message and the first few places.
#[derive(Debug, Clone)]
pub struct GroupStats {
    /// The delivery field, else the source column; `None` for findings about neither.
    pub subject: Option<String>,
    pub count: u64,
    pub first_message: String,
    pub samples: Vec<(Option<usize>, Option<u64>)>,
}

/// A check that a run did not make, and how to turn it on: the report's `not_checked`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotChecked {
    /// `required_fields` (no services given) or `history` (identifiers not checked against
    /// earlier deliveries).
    pub check: &'static str,
    /// Why not, and what to give to have it checked.
    pub message: String,
}

/// Collects issues: counts everything, spools what the report lists.
pub struct IssueLog {
    pub summary: Summary,
    pub codes: BTreeMap<&'static str, CodeStats>,
    /// What the run did not check (the report's `not_checked`).
    pub not_checked: Vec<NotChecked>,
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
            not_checked: Vec::new(),
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
    pub(crate) fn encoder(&self) -> Encoder {
        Encoder {
            list_fixes: self.list_fixes,
            redact: self.redact,
        }
    }

    /// Counts an issue that [`IssueLog::encoder`] encoded and spools its report line.
    pub(crate) fn push_encoded(&mut self, issue: Encoded) -> io::Result<()> {
        match issue.severity {
            Severity::Error => self.summary.errors += 1,
            Severity::Warning => self.summary.warnings += 1,
            Severity::Fix => self.summary.fixes += 1,
        }
        *self.summary.by_code.entry(issue.code).or_insert(0) += 1;
        let stats = self.codes.entry(issue.code).or_insert_with(|| CodeStats {
            severity: issue.severity,
            count: 0,
            groups: Vec::new(),
        });
        stats.count += 1;
        if issue.severity != Severity::Fix {
            let group = match stats.groups.iter().position(|g| g.subject == issue.subject) {
                Some(i) => Some(&mut stats.groups[i]),
                None if stats.groups.len() < GROUPS => {
                    stats.groups.push(GroupStats {
                        subject: issue.subject,
                        count: 0,
                        first_message: issue.message,
                        samples: Vec::new(),
                    });
                    stats.groups.last_mut()
                }
                None => None,
            };
            if let Some(g) = group {
                g.count += 1;
                if g.samples.len() < SAMPLES {
                    g.samples.push((issue.input, issue.row));
                }
            }
        }
        if let Some(line) = issue.line {
            self.spool.write_all(&line)?;
            self.listed += 1;
        }
        Ok(())
    }

    /// A record counted as delivered is not delivered after all (a later row superseded its
    /// identifier, or an earlier delivery holds it): it is counted as rejected, and `issue`
    /// says why. When no record is counted as delivered the counts stay as they are and only
    /// the issue is logged.
    pub(crate) fn withdraw(&mut self, issue: Issue) -> io::Result<()> {
        self.summary.rows.withdraw();
        self.push(issue)
    }

    /// Counts a fix that is not listed (its code is all that is kept).
    pub(crate) fn count_fix(&mut self, code: &'static str) {
        self.summary.fixes += 1;
        *self.summary.by_code.entry(code).or_insert(0) += 1;
        self.codes
            .entry(code)
            .or_insert_with(|| CodeStats {
                severity: Severity::Fix,
                count: 0,
                groups: Vec::new(),
            })
            .count += 1;
    }

    /// Writes the report: `head` (everything but the issues) and then the spooled issues.
    pub fn write_report<W: Write>(self, head: &ReportHead, out: W) -> io::Result<()> {
        let mut out = BufWriter::new(out);
        let head_json = serde_json::to_string_pretty(&Head {
            head,
            not_checked: &self.not_checked,
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
pub(crate) struct Encoder {
    list_fixes: bool,
    redact: bool,
}

/// An issue ready for [`IssueLog::push_encoded`]: what the counts need, and its report line
/// (none for a fix that is counted but not listed).
#[derive(Debug)]
pub(crate) struct Encoded {
    severity: Severity,
    code: &'static str,
    input: Option<usize>,
    row: Option<u64>,
    /// The field, else the source column: what the human summary groups a code's findings by.
    subject: Option<String>,
    message: String,
    line: Option<Vec<u8>>,
}

impl Encoder {
    pub(crate) fn encode(self, mut issue: Issue) -> io::Result<Encoded> {
        let line = if issue.severity == Severity::Fix && !self.list_fixes {
            bound_message(&mut issue.message);
            None
        } else {
            shorten(&mut issue, self.redact);
            let mut line = b",\n    ".to_vec();
            serde_json::to_writer(&mut line, &issue)?;
            Some(line)
        };
        Ok(Encoded {
            severity: issue.severity,
            code: issue.code,
            input: issue.input,
            row: issue.row,
            subject: issue.field.or(issue.column),
            message: issue.message,
            line,
        })
    }
}

#[derive(Serialize)]
struct Head<'a> {
    #[serde(flatten)]
    head: &'a ReportHead,
    not_checked: &'a [NotChecked],
    summary: &'a Summary,
}

/// One input of the run.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    pub path: String,
    pub format: &'static str,
    /// The sheet that was read, for spreadsheet inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub sha256: String,
    pub rows_read: u64,
}

/// The delivery written, if any.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryInfo {
    pub path: String,
    pub sha256: String,
    pub records: u64,
    /// Where `convert --send` uploaded it; absent when it was not sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<SentInfo>,
}

/// The upload of the delivery (`convert --send`).
#[derive(Debug, Clone, Serialize)]
pub struct SentInfo {
    /// When it was under its final name on the server, RFC 3339 UTC.
    pub time: String,
    /// `host:port` of the server.
    pub host: String,
    pub remote_path: String,
    /// Bytes uploaded.
    pub size: u64,
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

/// Cuts long values and, with `--redact`, masks personal ones (see [`crate::shown`]): the
/// report and the summary never carry more than [`SHOWN_CHARS`] characters of a value.
fn shorten(issue: &mut Issue, redact: bool) {
    // Reader findings without a field (a broken row's text, a dropped fax number) may hold
    // anything: masked too.
    let personal = redact
        && issue
            .field
            .as_deref()
            .and_then(Slot::by_column)
            .map(shown::is_personal)
            .unwrap_or(issue.field.is_none());
    if let Some(v) = issue.value.as_mut() {
        if personal {
            let chars = v.chars().count();
            *v = shown::mask_first(v, chars, SHOWN_CHARS);
            issue.value_chars = (chars > SHOWN_CHARS).then_some(chars as u64);
        } else {
            issue.value_chars = shown::cut_in_place(v);
        }
    }
    if let Some(v) = issue.fixed_value.as_mut() {
        if personal {
            *v = shown::mask_first(v, v.chars().count(), SHOWN_CHARS);
        } else {
            shown::cut_in_place(v);
        }
    }
    for v in [&mut issue.identifier, &mut issue.column]
        .into_iter()
        .flatten()
    {
        shown::cut_in_place(v);
    }
    bound_message(&mut issue.message);
}

/// The most characters of a message: enough for two quoted values of [`SHOWN_CHARS`] and the
/// advice around them. Messages quote values through [`shown::value`], which cuts them; this
/// bound is for text from elsewhere (a header or element name).
const MESSAGE_CHARS: usize = 4 * SHOWN_CHARS;

fn bound_message(message: &mut String) {
    if message.len() <= MESSAGE_CHARS {
        return;
    }
    if let Some((end, _)) = message.char_indices().nth(MESSAGE_CHARS) {
        message.truncate(end);
        message.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> ReportHead {
        ReportHead {
            tool: "collectmaxx",
            version: "0",
            inputs: vec![],
            delivery: None,
            services: vec![],
        }
    }

    #[test]
    fn report_lists_issues_but_counts_fixes_only() {
        let mut log = IssueLog::new(false, false).unwrap();
        log.push(Issue::error("a.b", "bad").at(2, Some(2))).unwrap();
        log.push(Issue::fix("c.d", "fixed")).unwrap();
        let head = head();
        let mut out = Vec::new();
        log.write_report(&head, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["fixes"], 1);
        assert_eq!(v["summary"]["by_code"]["c.d"], 1);
        assert_eq!(v["issues"].as_array().unwrap().len(), 1);
        assert_eq!(v["issues"][0]["code"], "a.b");
    }

    fn empty_head() -> ReportHead {
        ReportHead {
            tool: "collectmaxx",
            version: "0",
            inputs: vec![],
            delivery: None,
            services: vec![],
        }
    }

    #[test]
    fn the_report_says_what_was_not_checked() {
        let mut log = IssueLog::new(false, false).unwrap();
        log.not_checked.push(NotChecked {
            check: "required_fields",
            message: "no services were given".into(),
        });
        let mut out = Vec::new();
        log.write_report(&empty_head(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["not_checked"],
            serde_json::json!([{"check": "required_fields", "message": "no services were given"}])
        );
    }

    #[test]
    fn empty_issue_list_is_valid_json() {
        let log = IssueLog::new(true, false).unwrap();
        let head = head();
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
        let head = head();
        let mut out = Vec::new();
        log.write_report(&head, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["issues"][0]["value"], "0********8");
        assert_eq!(v["issues"][1]["value"], "12,50");
    }

    fn encoded(issue: Issue, redact: bool) -> serde_json::Value {
        let mut log = IssueLog::new(true, redact).unwrap();
        log.push(issue).unwrap();
        let head = head();
        let mut out = Vec::new();
        log.write_report(&head, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        v["issues"][0].clone()
    }

    #[test]
    fn long_values_are_cut_to_256_characters_and_their_length_given() {
        let long = "é".repeat(32_767);
        let issue = Issue::error("field.too_long", "x")
            .field("PERSON_FAMILYNAME")
            .column(long.clone())
            .value(long.clone())
            .fixed(long.clone());
        let issue = Issue {
            identifier: Some(long.clone()),
            ..issue
        };
        for redact in [false, true] {
            let v = encoded(issue.clone(), redact);
            for key in ["value", "fixed_value", "identifier", "column"] {
                let shown = v[key].as_str().unwrap();
                assert_eq!(shown.chars().count(), SHOWN_CHARS, "{key}, redact {redact}");
            }
            assert_eq!(v["value_chars"], 32_767);
            // Only personal values are masked; the identifier and the column never are.
            assert_eq!(v["value"].as_str().unwrap().starts_with("é*"), redact);
            assert!(v["identifier"].as_str().unwrap().starts_with("éé"));
        }
        // The longest valid value (255) and one more are shown whole, without the new key.
        for n in [255, 256] {
            let v = encoded(Issue::warning("a.b", "x").value("x".repeat(n)), false);
            assert_eq!(v["value"].as_str().unwrap().len(), n);
            assert!(v.get("value_chars").is_none());
        }
    }

    #[test]
    fn messages_are_bounded_whatever_they_quote() {
        let v = encoded(Issue::warning("a.b", "y".repeat(100_000)), false);
        let message = v["message"].as_str().unwrap();
        assert_eq!(message.chars().count(), MESSAGE_CHARS + 1);
        assert!(message.ends_with('…'));
        // The summary's message of a group is the bounded one too.
        let mut log = IssueLog::new(false, false).unwrap();
        log.push(Issue::warning("c.d", "z".repeat(100_000)))
            .unwrap();
        assert_eq!(
            log.codes["c.d"].groups[0].first_message.chars().count(),
            MESSAGE_CHARS + 1
        );
    }
}
