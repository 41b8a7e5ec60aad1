//! The human summary: one line with the counts, then the findings grouped by code with their
//! first rows, the way a person scans them. Colours only on a terminal (anstream strips them
//! elsewhere and honours NO_COLOR).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use collectmaxx::issue::Severity;
use collectmaxx::report::{GroupStats, InputInfo, IssueLog, Summary};

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

/// Why a run delivered nothing, or for `validate`, why nothing would be delivered: a run that
/// rejected every row exits 1 like one that delivered the good rows, so the summary says which.
fn nothing_delivered(s: &collectmaxx::report::Summary, accepted: Accepted) -> String {
    // Skipped rows are blank rows and footer rows (totals below the data).
    let (blank, footer) = (s.rows.skipped() - s.rows.footer(), s.rows.footer());
    let why = if s.rows.rows_read() == 0 {
        "the input has no data rows".to_string()
    } else if s.rows.rejected() == 0 && footer == 0 {
        format!("all {} rows are blank", s.rows.rows_read())
    } else if s.rows.rejected() == 0 {
        format!(
            "all {} rows are blank or footer rows (totals): {blank} blank, {footer} footer",
            s.rows.rows_read()
        )
    } else if s.rows.skipped() == 0 {
        format!("all {} rows were rejected", s.rows.rows_read())
    } else if footer == 0 {
        format!(
            "every row was rejected or blank ({} rejected, {blank} blank)",
            s.rows.rejected()
        )
    } else {
        format!(
            "every row was rejected, blank or a footer row ({} rejected, {blank} blank, {footer} footer)",
            s.rows.rejected()
        )
    };
    match accepted {
        Accepted::Delivered => format!("nothing delivered: {why}; no delivery file was written"),
        Accepted::Valid => format!("no record would be delivered: {why}"),
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
    counts_line(out, inputs, s, accepted)?;
    match delivered_to {
        Some(p) => writeln!(out, " → {p}")?,
        None => writeln!(out)?,
    }
    if s.rows.delivered() == 0 {
        writeln!(out, "{BOLD}{}{BOLD:#}", nothing_delivered(s, accepted))?;
    }
    writeln!(
        out,
        "{DIM}{}, {}, {}{DIM:#}",
        counted(s.errors, "error"),
        counted(s.warnings, "warning"),
        counted(s.fixes, "fix").replace("fixs", "fixes")
    )?;
    for n in &log.not_checked {
        let what = match n.check {
            "required_fields" => "required fields",
            "history" => "earlier deliveries",
            other => other,
        };
        writeln!(out, "{YELLOW}not checked{YELLOW:#}: {what}: {}", n.message)?;
    }
    findings(out, inputs, log)
}

/// The errors and warnings, a line per code and field, then the fixes in one line.
fn findings(out: &mut dyn Write, inputs: &[InputInfo], log: &IssueLog) -> io::Result<()> {
    for sev in [Severity::Error, Severity::Warning] {
        let (style, label) = match sev {
            Severity::Error => (RED, "error"),
            _ => (YELLOW, "warning"),
        };
        for (code, st) in log.codes.iter().filter(|(_, st)| st.severity == sev) {
            // One line per field: a code's first message must not stand for other fields.
            for g in &st.groups {
                let line = group_line(g, inputs.len() > 1);
                writeln!(out, "{style}{label}{style:#} {BOLD}{code}{BOLD:#} {line}")?;
            }
            let rest = st.count - st.groups.iter().map(|g| g.count).sum::<u64>();
            if rest > 0 {
                writeln!(
                    out,
                    "{style}{label}{style:#} {BOLD}{code}{BOLD:#} ×{rest} more, about other fields: the report lists every one"
                )?;
            }
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

/// The first line, without its end: rows read from which inputs, and what became of them.
fn counts_line(
    out: &mut dyn Write,
    inputs: &[InputInfo],
    s: &Summary,
    accepted: Accepted,
) -> io::Result<()> {
    let names: Vec<String> = inputs
        .iter()
        .map(|i| match &i.sheet {
            Some(sheet) => format!("{} (sheet '{sheet}')", i.path),
            None => i.path.clone(),
        })
        .collect();
    let verb = match accepted {
        Accepted::Delivered => "delivered",
        Accepted::Valid => "valid",
    };
    let rejected = if s.rows.rejected() > 0 {
        RED
    } else {
        Style::new()
    };
    write!(
        out,
        "{BOLD}{}{BOLD:#} read from {}: {BOLD}{}{BOLD:#} {verb}, {rejected}{}{rejected:#} rejected, {} blank{}",
        counted(s.rows.rows_read(), "row"),
        names.join(", "),
        s.rows.delivered(),
        s.rows.rejected(),
        s.rows.skipped() - s.rows.footer(),
        match s.rows.footer() {
            0 => String::new(),
            n => format!(", {n} footer"),
        }
    )
}

/// A group's line after its code: `×count (rows …) in field: first message`.
fn group_line(g: &GroupStats, several_inputs: bool) -> String {
    let mut places: Vec<String> = g
        .samples
        .iter()
        .map(|(input, row)| match (several_inputs, input, row) {
            (true, Some(i), Some(r)) => format!("{}:{r}", i + 1),
            (_, _, Some(r)) => r.to_string(),
            _ => "file".to_string(),
        })
        .collect();
    // Several findings of a code in one row name the row once.
    places.dedup();
    let more = if g.count > g.samples.len() as u64 {
        ", …"
    } else {
        ""
    };
    let rows = if places.iter().all(|p| p == "file") {
        ""
    } else if places.len() == 1 && more.is_empty() {
        "row "
    } else {
        "rows "
    };
    // The field, unless the message names it already.
    let about = match &g.subject {
        Some(f) if !g.first_message.contains(f.as_str()) => format!(" in {f}"),
        _ => String::new(),
    };
    format!(
        "×{} ({rows}{}{more}){about}: {}",
        g.count,
        places.join(", "),
        g.first_message
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use collectmaxx::issue::Issue;
    use collectmaxx::tally::Tally;

    fn input() -> InputInfo {
        InputInfo {
            path: "export.csv".into(),
            format: "csv",
            sheet: None,
            sha256: String::new(),
            rows_read: 0,
        }
    }

    fn shown(log: &IssueLog, accepted: Accepted) -> String {
        let mut out = anstream::StripStream::new(Vec::new());
        summarize(&mut out, &[input()], log, accepted, None).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn one_line_per_code_and_field() {
        let mut log = IssueLog::new(false, false).unwrap();
        for (row, field, message) in [
            (
                9,
                "CONTACT_PHONENUMBER_1",
                "CONTACT_PHONENUMBER_1 is required by the sms service",
            ),
            (
                12,
                "CONTACT_PHONENUMBER_1",
                "CONTACT_PHONENUMBER_1 is required by the sms service",
            ),
            (
                42,
                "PERSON_FAMILYNAME",
                "PERSON_FAMILYNAME is required by the paylink service",
            ),
        ] {
            log.push(
                Issue::error("field.required", message)
                    .field(field)
                    .at(row, None),
            )
            .unwrap();
        }
        log.push(
            Issue::error("email.invalid", "'a@@b' is not a valid e-mail address")
                .field("CONTACT_EMAIL_1")
                .at(7, None),
        )
        .unwrap();
        log.summary.rows = Tally::of(0, 4, 0, 0);
        let text = shown(&log, Accepted::Delivered);
        assert!(
            text.contains("\nerror field.required ×2 (rows 9, 12): CONTACT_PHONENUMBER_1 is required by the sms service\n"),
            "{text}"
        );
        assert!(
            text.contains("\nerror field.required ×1 (row 42): PERSON_FAMILYNAME is required by the paylink service\n"),
            "{text}"
        );
        // A message that does not name its field gets it beside the code.
        assert!(
            text.contains("\nerror email.invalid ×1 (row 7) in CONTACT_EMAIL_1: 'a@@b'"),
            "{text}"
        );
        assert!(
            text.contains(
                "\nnothing delivered: all 4 rows were rejected; no delivery file was written\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_hundred_thousand_findings_over_many_fields_stay_a_few_lines() {
        let mut log = IssueLog::new(false, false).unwrap();
        let fields: Vec<String> = (1..=30).map(|i| format!("FIELD_{i}")).collect();
        for row in 0..100_000u64 {
            let field = &fields[(row % 30) as usize];
            log.push(
                Issue::warning("phone.invalid", format!("bad value in row {row}"))
                    .field(field.clone())
                    .at(row + 2, None),
            )
            .unwrap();
        }
        log.summary.rows = Tally::of(100_000, 0, 0, 0);
        let text = shown(&log, Accepted::Delivered);
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("warning")).collect();
        // Eight fields with their own line, then one line for the other 22.
        assert_eq!(lines.len(), 9, "{text}");
        assert!(
            lines[0].starts_with("warning phone.invalid ×3334 (rows 2, 32, 62, 92, 122, …) in FIELD_1: bad value in row 0"),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[8],
            format!(
                "warning phone.invalid ×{} more, about other fields: the report lists every one",
                100_000 - 3334 * 8
            )
        );
        assert!(text.len() < 2_000, "{}", text.len());
    }

    #[test]
    fn what_was_not_checked_and_why_nothing_would_be_delivered() {
        let mut log = IssueLog::new(false, false).unwrap();
        log.not_checked.push(collectmaxx::report::NotChecked {
            check: "history",
            message: "no client was given".into(),
        });
        log.summary.rows = Tally::of(0, 2, 1, 0);
        let text = shown(&log, Accepted::Valid);
        assert!(
            text.contains("\nno record would be delivered: every row was rejected or blank (2 rejected, 1 blank)\n"),
            "{text}"
        );
        assert!(
            text.contains("\nnot checked: earlier deliveries: no client was given\n"),
            "{text}"
        );
        let empty = IssueLog::new(false, false).unwrap();
        assert!(shown(&empty, Accepted::Delivered)
            .contains("nothing delivered: the input has no data rows"),);
    }

    #[test]
    fn why_nothing_was_delivered_counts_footer_rows_apart_from_blank_ones() {
        let mut log = IssueLog::new(false, false).unwrap();
        log.summary.rows = Tally::of(0, 3, 1, 2);
        let text = shown(&log, Accepted::Delivered);
        assert!(text.contains(", 3 rejected, 1 blank, 2 footer\n"), "{text}");
        assert!(
            text.contains("\nnothing delivered: every row was rejected, blank or a footer row (3 rejected, 1 blank, 2 footer); no delivery file was written\n"),
            "{text}"
        );
        log.summary.rows = Tally::of(0, 0, 1, 2);
        let text = shown(&log, Accepted::Valid);
        assert!(
            text.contains("\nno record would be delivered: all 3 rows are blank or footer rows (totals): 1 blank, 2 footer\n"),
            "{text}"
        );
    }
}
