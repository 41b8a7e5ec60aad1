//! A GitLab Code Quality report: a JSON array of findings, each with `description`,
//! `check_name`, `fingerprint`, `severity`, `location.path` and `location.lines.begin`; one per
//! (code, field) per input, its count and rows in the description.

use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Error, Report, Severity};

#[derive(Serialize)]
struct Entry {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u64,
}

pub fn write_gitlab(report: &Report, out: &mut dyn Write) -> Result<(), Error> {
    let mut entries = Vec::new();
    for (i, groups) in report.groups().into_iter().enumerate() {
        let path = report.path(i);
        for g in groups {
            // Stable across runs of the same file: GitLab compares reports by fingerprint.
            let mut h = Sha256::new();
            for part in [path, &g.code, g.subject.as_deref().unwrap_or("")] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            entries.push(Entry {
                description: format!(
                    "{}: {} ({}: {})",
                    g.title(),
                    g.first_message,
                    g.count_text(),
                    g.rows_text()
                ),
                check_name: g.code.clone(),
                fingerprint: hex::encode(h.finalize()),
                // An error rejects the record; a warning delivers it for someone to look at.
                severity: match g.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path: path.to_string(),
                    lines: Lines {
                        begin: g.first_line.or(g.first_row).unwrap_or(1),
                    },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}
