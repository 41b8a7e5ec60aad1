//! `validate --format junit|github|gitlab`: each checked against what its consumer reads (a
//! JUnit schema with xmllint, the runner's escaping, Code Quality's fields), the same exit
//! codes as the other formats, and the commands of docs/ci.md's snippets.

use std::process::Command as StdCommand;

use crate::harness::{self, json, Scratch};

/// Validates `xml` against the committed JUnit schema with xmllint; `None` when xmllint is
/// missing (a skip, a failure under CI=true).
fn xmllint(s: &Scratch, xml: &[u8]) -> Option<(bool, String)> {
    let file = s.write("out.xml", xml);
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/junit/junit.xsd");
    let out = match StdCommand::new("xmllint")
        .args(["--noout", "--schema", xsd])
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            harness::skip("xmllint is not installed (apt-get install libxml2-utils)");
            return None;
        }
    };
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    Some((out.status.success(), said))
}

fn validate(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    let out = s
        .cmd()
        .arg("validate")
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(harness::LIMIT)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn junit_is_valid_against_the_schema_with_a_suite_per_input() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    s.fixture("sheets/customers.xlsx");
    let (code, xml, err) = validate(&s, &["export.csv", "customers.xlsx", "--format", "junit"]);
    assert_eq!(code, 1, "{err}");
    let Some((valid, said)) = xmllint(&s, xml.as_bytes()) else {
        return;
    };
    assert!(valid, "{said}\n{xml}");
    // The schema check can fail: a test case without its name does not pass.
    let broken = xml.replacen("<testcase name=", "<testcase nom=", 1);
    assert!(!xmllint(&s, broken.as_bytes()).unwrap().0);
    assert_eq!(xml.matches("<testsuite ").count(), 2);
    assert!(xml.contains(r#"<testsuite name="export.csv" "#));
    // The three bad e-mail addresses are one failing case, their rows in its text.
    let case = xml
        .split("<testcase ")
        .find(|c| c.starts_with(r#"name="email.invalid CONTACT_EMAIL_1""#))
        .expect("a case for email.invalid");
    assert!(case.contains("<failure type=\"email.invalid\""), "{case}");
    assert!(case.contains("3 findings\nrows 31-33\n"), "{case}");
    // Rules that held pass; a CSV gets no passed CRM.COM rule.
    assert!(xml.contains(r#"<testcase name="amount.precision" classname="amount" time="0"/>"#));
    assert!(!xml.split("<testsuite ").nth(1).unwrap().contains("crmcom."));
}

#[test]
fn every_format_gives_the_same_exit_code() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    s.write(
        "good.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;INVOICE_AMOUNT\nA-1;Jansen;1250\n",
    );
    for format in ["human", "json", "junit", "github", "gitlab"] {
        let (code, _, err) = validate(&s, &["export.csv", "--format", format]);
        assert_eq!(code, 1, "{format}: {err}");
        let (code, _, err) = validate(&s, &["good.csv", "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        let (code, out, err) = validate(&s, &["missing.csv", "--format", format]);
        assert_eq!((code, out.as_str()), (2, ""), "{format}: {err}");
    }
}

#[test]
fn a_ci_format_with_report_to_stdout_is_refused_and_a_report_file_is_still_written() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    for format in ["junit", "github", "gitlab"] {
        let (code, out, err) = validate(&s, &["export.csv", "--format", format, "--report", "-"]);
        assert_eq!((code, out.as_str()), (2, ""), "{format}");
        assert!(err.contains("would both write to standard output"), "{err}");
        let report = format!("{format}.json");
        let (code, out, _) = validate(&s, &["export.csv", "--format", format, "--report", &report]);
        assert_eq!(code, 1);
        assert!(!out.starts_with('{'), "{format} on stdout, not the report");
        let r = json(&s.read(&report));
        assert_eq!(r["summary"]["records_rejected"], 12);
    }
}

#[test]
fn github_annotations_are_escaped_and_the_step_summary_has_the_table() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    // A file name with the characters properties must escape.
    std::fs::rename(s.path().join("export.csv"), s.path().join("a,b:c%.csv")).unwrap();
    s.write("summary.md", "earlier step\n");
    let out = s
        .cmd()
        .args(["validate", "a,b:c%.csv", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", s.path().join("summary.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    let warnings = text.lines().filter(|l| l.starts_with("::warning ")).count();
    assert_eq!((errors.len(), warnings), (10, 5), "{text}");
    // The biggest group first: three bad e-mail addresses.
    assert!(
        errors[0].starts_with(
            "::error file=a%2Cb%3Ac%25.csv,line=31,title=email.invalid CONTACT_EMAIL_1::"
        ),
        "{}",
        errors[0]
    );
    // Exactly ten error groups: none left out, so no notice (the unit tests cover one).
    assert!(!text.contains("::notice"), "{text}");
    // No raw line break inside a command: every line is a command or the closing count.
    for line in text.lines() {
        assert!(
            line.starts_with("::") || line.starts_with("collectmaxx: "),
            "{line}"
        );
    }
    let summary = s.read("summary.md");
    assert!(
        summary.starts_with("earlier step\n### collectmaxx validate"),
        "{summary}"
    );
    // All ten error groups and five warning groups are in the table.
    assert_eq!(
        summary.matches("\n| a,b:c%.csv | ").count(),
        15,
        "{summary}"
    );
}

#[test]
fn gitlab_code_quality_has_the_documented_fields() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let (code, out, _) = validate(&s, &["export.csv", "--format", "gitlab"]);
    assert_eq!(code, 1);
    let v = json(&out);
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 15);
    let mut fingerprints = std::collections::BTreeSet::new();
    for e in entries {
        assert!(e["description"].as_str().unwrap().len() > 10);
        assert!(e["check_name"].as_str().unwrap().contains('.'));
        assert!(["major", "minor"].contains(&e["severity"].as_str().unwrap()));
        assert_eq!(e["location"]["path"], "export.csv");
        assert!(e["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(e["fingerprint"].as_str().unwrap().to_string()));
    }
}

/// The `collectmaxx` command lines of docs/ci.md's snippets, as argument lists with the file
/// their standard output goes to.
fn snippet_commands() -> Vec<(Vec<String>, Option<String>)> {
    let doc = include_str!("../../docs/ci.md");
    doc.lines()
        .filter_map(|l| l.split_once("collectmaxx validate "))
        .filter(|(before, _)| before.trim_end().ends_with("run:") || before.trim() == "-")
        .map(|(_, rest)| {
            let rest = rest.trim_end_matches(" || true");
            let (cmd, to) = match rest.split_once(" > ") {
                Some((cmd, to)) => (cmd, Some(to.trim().to_string())),
                None => (rest, None),
            };
            let args = cmd.split_whitespace().map(str::to_string).collect();
            (args, to)
        })
        .collect()
}

#[test]
fn the_snippets_of_docs_ci_md_run() {
    let commands = snippet_commands();
    assert_eq!(
        commands.len(),
        3,
        "one GitHub line, two GitLab lines: {commands:?}"
    );
    let s = Scratch::new();
    std::fs::create_dir(s.path().join("exports")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/export.csv"),
        s.path().join("exports/nightly.csv"),
    )
    .unwrap();
    for (args, to) in commands {
        let (code, out, err) = validate(&s, &args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(code, 1, "{args:?}: {err}");
        match args
            .iter()
            .skip_while(|a| *a != "--format")
            .nth(1)
            .unwrap()
            .as_str()
        {
            "github" => assert!(
                out.starts_with("::error file=exports/nightly.csv,"),
                "{out}"
            ),
            "gitlab" => assert!(json(&out).as_array().is_some_and(|a| !a.is_empty())),
            "junit" => {
                if let Some((valid, said)) = xmllint(&s, out.as_bytes()) {
                    assert!(valid, "{said}");
                }
            }
            other => panic!("docs/ci.md uses --format {other}"),
        }
        assert!(to.is_none_or(|t| t.ends_with(".json") || t.ends_with(".xml")));
        if args.contains(&"--report".to_string()) {
            assert!(s.exists("validate-report.json"));
        }
    }
}
