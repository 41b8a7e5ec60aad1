//! The human summary: one line with the counts, then the findings grouped by code with their
//! first rows, the way a person scans them. Colours only on a terminal (anstream strips them
//! elsewhere and honours NO_COLOR).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::issue::Severity;
use crate::report::{InputInfo, IssueLog};

const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// What the accepted records are called in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// `convert`: they went into the delivery.
    Delivered,
    /// `validate`: nothing is delivered; they would be.
    Valid,
}

/// `n word` with an `s` unless `n` is 1.
fn counted(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes the summary of a run to `out`.
pub fn summarize(
    out: &mut dyn Write,
    inputs: &[InputInfo],
    log: &IssueLog,
    accepted: Accepted,
    delivered_to: Option<&str>,
) -> io::Result<()> {
    let s = &log.summary;
    let names: Vec<&str> = inputs.iter().map(|i| i.path.as_str()).collect();
    let verb = match accepted {
        Accepted::Delivered => "delivered",
        Accepted::Valid => "valid",
    };
    write!(
        out,
        "{BOLD}{}{BOLD:#} read from {}: {BOLD}{}{BOLD:#} {verb}, {}{}{:#} rejected, {} blank{}",
        counted(s.rows_read, "row"),
        names.join(", "),
        s.records_delivered,
        if s.records_rejected > 0 {
            RED
        } else {
            Style::new()
        },
        s.records_rejected,
        if s.records_rejected > 0 {
            RED
        } else {
            Style::new()
        },
        s.rows_skipped - s.rows_footer,
        match s.rows_footer {
            0 => String::new(),
            n => format!(", {n} footer"),
        }
    )?;
    match delivered_to {
        Some(p) => writeln!(out, " → {p}")?,
        None => writeln!(out)?,
    }
    writeln!(
        out,
        "{DIM}{}, {}, {}{DIM:#}",
        counted(s.errors, "error"),
        counted(s.warnings, "warning"),
        counted(s.fixes, "fix").replace("fixs", "fixes")
    )?;
    for sev in [Severity::Error, Severity::Warning] {
        let (style, label) = match sev {
            Severity::Error => (RED, "error"),
            _ => (YELLOW, "warning"),
        };
        for (code, st) in log.codes.iter().filter(|(_, st)| st.severity == sev) {
            let mut places: Vec<String> = st
                .samples
                .iter()
                .map(|(input, row)| match (inputs.len() > 1, input, row) {
                    (true, Some(i), Some(r)) => format!("{}:{r}", i + 1),
                    (_, _, Some(r)) => r.to_string(),
                    _ => "file".to_string(),
                })
                .collect();
            // Several findings of a code in one row name the row once.
            places.dedup();
            let more = if st.count > st.samples.len() as u64 {
                ", …"
            } else {
                ""
            };
            let rows = if places.len() == 1 && more.is_empty() {
                "row"
            } else {
                "rows"
            };
            writeln!(
                out,
                "{style}{label}{style:#} {BOLD}{code}{BOLD:#} ×{} ({rows} {}{more}): {}",
                st.count,
                places.join(", "),
                st.first_message
            )?;
        }
    }
    let fixes: Vec<String> = log
        .codes
        .iter()
        .filter(|(_, st)| st.severity == Severity::Fix)
        .map(|(code, st)| format!("{code} ×{}", st.count))
        .collect();
    if !fixes.is_empty() {
        writeln!(out, "{DIM}fixed: {}{DIM:#}", fixes.join(", "))?;
    }
    Ok(())
}
