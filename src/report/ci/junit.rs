//! JUnit XML: one test suite per input, one test case per (rule code, field) that found
//! something, with the rows in the failure's text, and a passed test case for every documented
//! rule of the input's format that found nothing. Errors are failures; warnings are test cases
//! that pass with their rows in `system-out` (they do not reject a record). A check the run did
//! not make (`not_checked`) is a skipped test case.

use std::collections::BTreeSet;
use std::io::Write;

use super::{applies_to, documented_rules, Error, Group, Report, Severity};

/// The test case a `not_checked` entry stands for.
fn skipped_rule(check: &str) -> Option<&'static str> {
    match check {
        "required_fields" => Some("field.required"),
        "history" => Some("identifier.reused"),
        _ => None,
    }
}

pub fn write_junit(report: &Report, out: &mut dyn Write) -> Result<(), Error> {
    let groups = report.groups();
    let rules = documented_rules();
    let mut suites = Vec::new();
    let (mut tests, mut failures) = (0usize, 0usize);
    for (i, input_groups) in groups.iter().enumerate() {
        let suite = suite(report, i, input_groups, &rules);
        tests += suite.tests;
        failures += suite.failures;
        suites.push(suite.xml);
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="collectmaxx validate" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    for s in suites {
        out.write_all(s.as_bytes())?;
    }
    writeln!(out, "</testsuites>")?;
    out.flush()?;
    Ok(())
}

struct Suite {
    xml: String,
    tests: usize,
    failures: usize,
}

fn suite(report: &Report, input: usize, groups: &[Group], rules: &[super::Rule]) -> Suite {
    let path = report.path(input);
    let format = report.inputs.get(input).map_or("", |i| i.format.as_str());
    let mut cases = String::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for g in groups {
        tests += 1;
        failures += usize::from(g.severity == Severity::Error);
        cases.push_str(&case(g));
    }
    let found: BTreeSet<&str> = groups.iter().map(|g| g.code.as_str()).collect();
    let skip: Vec<(&str, &str)> = report
        .not_checked
        .iter()
        .filter_map(|n| skipped_rule(&n.check).map(|c| (c, n.message.as_str())))
        .collect();
    for rule in rules.iter().filter(|r| applies_to(r.code, format)) {
        if found.contains(rule.code) {
            continue;
        }
        tests += 1;
        let name = attr(rule.code);
        let class = attr(family(rule.code));
        match skip.iter().find(|(c, _)| *c == rule.code) {
            Some((_, why)) => {
                skipped += 1;
                cases.push_str(&format!(
                    "    <testcase name=\"{name}\" classname=\"{class}\" time=\"0\">\n      \
                     <skipped message=\"{}\"/>\n    </testcase>\n",
                    attr(why)
                ));
            }
            None => cases.push_str(&format!(
                "    <testcase name=\"{name}\" classname=\"{class}\" time=\"0\"/>\n"
            )),
        }
    }
    let mut xml = format!(
        "  <testsuite name=\"{p}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" \
         skipped=\"{skipped}\" time=\"0\" file=\"{p}\">\n",
        p = attr(path)
    );
    if let Some(i) = report.inputs.get(input) {
        xml.push_str("    <properties>\n");
        for (k, v) in [
            ("format", i.format.clone()),
            ("sha256", i.sha256.clone()),
            ("rows_read", i.rows_read.to_string()),
        ] {
            xml.push_str(&format!(
                "      <property name=\"{k}\" value=\"{}\"/>\n",
                attr(&v)
            ));
        }
        xml.push_str("    </properties>\n");
    }
    xml.push_str(&cases);
    xml.push_str("  </testsuite>\n");
    Suite {
        xml,
        tests,
        failures,
    }
}

/// The test case of one group of findings.
fn case(g: &Group) -> String {
    let head = format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n",
        attr(&g.title()),
        attr(family(&g.code))
    );
    let text = text(&format!(
        "{} ({}): {}\n{}\nfirst: {}\n",
        g.title(),
        g.severity.name(),
        g.count_text(),
        g.rows_text(),
        g.first_message
    ));
    let body = match g.severity {
        Severity::Error => format!(
            "      <failure type=\"{}\" message=\"{}\">{text}</failure>\n",
            attr(&g.code),
            attr(&g.first_message)
        ),
        Severity::Warning => format!("      <system-out>{text}</system-out>\n"),
    };
    head + &body + "    </testcase>\n"
}

/// `phone` of `phone.invalid`: the test case's class, so reporters group a family's rules.
fn family(code: &str) -> &str {
    code.split('.').next().unwrap_or(code)
}

/// Text content: characters XML 1.0 cannot hold become U+FFFD, markup is escaped.
fn text(s: &str) -> String {
    quick_xml::escape::escape(xml_chars(s)).into_owned()
}

/// An attribute value: as text, with line breaks and tabs kept as character references (an
/// XML parser turns literal ones into spaces).
fn attr(s: &str) -> String {
    text(s)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 => '\u{FFFD}',
            '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}
