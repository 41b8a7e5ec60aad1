//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), escaped as the
//! runner reads them, and the full table for the job summary (`$GITHUB_STEP_SUMMARY`).
//!
//! The runner shows at most ten annotations of each type per step, so there is one per (code,
//! field) with its count, errors first and the most frequent first, at most
//! [`ANNOTATIONS_PER_TYPE`] of each; a notice says how many groups were left out.

use std::io::Write;

use super::{Error, Group, Report, Severity};

/// The runner's limit of annotations per type and step.
pub const ANNOTATIONS_PER_TYPE: usize = 10;

pub fn write_github(report: &Report, out: &mut dyn Write) -> Result<(), Error> {
    let mut all: Vec<(usize, Group)> = report
        .groups()
        .into_iter()
        .enumerate()
        .flat_map(|(i, gs)| gs.into_iter().map(move |g| (i, g)))
        .collect();
    // Errors before warnings, then the biggest groups; equal ones keep the report's order.
    all.sort_by(|(_, a), (_, b)| a.severity.cmp(&b.severity).then(b.count.cmp(&a.count)));
    let mut left_out = 0;
    for severity in [Severity::Error, Severity::Warning] {
        let of_type = all.iter().filter(|(_, g)| g.severity == severity);
        for (n, (input, g)) in of_type.enumerate() {
            if n >= ANNOTATIONS_PER_TYPE {
                left_out += 1;
                continue;
            }
            writeln!(out, "{}", annotation(report, *input, g))?;
        }
    }
    if left_out > 0 {
        writeln!(
            out,
            "::notice title=collectmaxx::{}",
            data(&format!(
                "{left_out} more groups of findings are not annotated (GitHub shows ten of \
                 each type); the job summary and the JSON report list them all"
            ))
        )?;
    }
    writeln!(out, "collectmaxx: {}", counts(report))?;
    out.flush()?;
    Ok(())
}

/// One workflow command for a group of findings.
fn annotation(report: &Report, input: usize, g: &Group) -> String {
    let mut props = Vec::new();
    let path = report.path(input);
    if path != "-" {
        props.push(format!("file={}", property(path)));
        if let Some(line) = g.first_line {
            props.push(format!("line={line}"));
        }
    }
    props.push(format!("title={}", property(&g.title())));
    let message = format!(
        "{} ({}: {})",
        g.first_message,
        g.count_text(),
        g.rows_text()
    );
    format!(
        "::{} {}::{}",
        g.severity.name(),
        props.join(","),
        data(&message)
    )
}

/// A command's message: `%`, carriage return and line feed escaped.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as data, and `:` and `,` too.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The job summary: counts, what was not checked, and a table of every group (Markdown).
pub fn write_step_summary(report: &Report, out: &mut dyn Write) -> Result<(), Error> {
    writeln!(out, "### collectmaxx validate\n")?;
    writeln!(out, "{}\n", counts(report))?;
    for n in &report.not_checked {
        writeln!(out, "- not checked: {}", cell(&n.message))?;
    }
    let groups = report.groups();
    if groups.iter().all(Vec::is_empty) {
        writeln!(out, "\nNo errors or warnings.")?;
        return Ok(out.flush()?);
    }
    writeln!(
        out,
        "\n| input | severity | code | field | findings | rows | first message |"
    )?;
    writeln!(out, "|---|---|---|---|---:|---|---|")?;
    for (i, gs) in groups.iter().enumerate() {
        for g in gs {
            writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} | {} |",
                cell(report.path(i)),
                g.severity.name(),
                g.code,
                cell(g.subject.as_deref().unwrap_or("")),
                g.count,
                cell(&g.rows_text()),
                cell(&g.first_message)
            )?;
        }
    }
    Ok(out.flush()?)
}

/// The run's counts in one line.
fn counts(report: &Report) -> String {
    let s = &report.summary;
    format!(
        "{} rows read: {} valid, {} invalid, {} skipped; {} errors, {} warnings, {} fixes",
        s.rows_read,
        s.records_delivered,
        s.records_rejected,
        s.rows_skipped,
        s.errors,
        s.warnings,
        s.fixes
    )
}

/// A table cell: one line, its bars escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}
