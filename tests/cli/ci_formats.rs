//! `validate --format junit|github|gitlab`: each checked against what its consumer reads (the
//! Jenkins xunit plugin's published JUnit schema with xmllint, the runner's escaping, Code
//! Quality's fields), the same exit codes as the other formats, and the commands of
//! docs/ci.md's snippets.

use std::process::Command as StdCommand;

use crate::harness::{self, json, Scratch};

/// The JUnit schema of the Jenkins xunit plugin, as published (fixtures/README.md).
const XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/junit/jenkins-xunit-junit-10.xsd"
);

/// Runs xmllint with `args` on `xml`; `None` when xmllint is missing (a skip, a failure under
/// CI=true).
fn run_xmllint(s: &Scratch, xml: &[u8], args: &[&str]) -> Option<std::process::Output> {
    let file = s.write("out.xml", xml);
    match StdCommand::new("xmllint").args(args).arg(&file).output() {
        Ok(out) => Some(out),
        Err(_) => {
            harness::skip("xmllint is not installed (apt-get install libxml2-utils)");
            None
        }
    }
}

/// Validates `xml` against the published JUnit schema with xmllint: (valid, what it said).
fn xmllint(s: &Scratch, xml: &[u8]) -> Option<(bool, String)> {
    let out = run_xmllint(s, xml, &["--noout", "--schema", XSD])?;
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    Some((out.status.success(), said))
}

/// Asserts that `xml` is valid against the published JUnit schema.
fn assert_valid_junit(s: &Scratch, xml: &str) {
    if let Some((valid, said)) = xmllint(s, xml.as_bytes()) {
        assert!(valid, "{said}\n{xml}");
    }
}

/// What an XML parser reads from `xml` at the XPath `expr` (a string).
fn xpath(s: &Scratch, xml: &str, expr: &str) -> Option<String> {
    let out = run_xmllint(s, xml.as_bytes(), &["--xpath", expr])?;
    assert!(out.status.success(), "{expr}: {out:?}");
    Some(String::from_utf8(out.stdout).unwrap())
}

fn validate(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    validate_piped(s, args, Vec::new())
}

/// `validate ARGS` with `stdin` on standard input: (exit code, stdout, stderr).
fn validate_piped(s: &Scratch, args: &[&str], stdin: Vec<u8>) -> (i32, String, String) {
    let out = s
        .cmd()
        .arg("validate")
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .write_stdin(stdin)
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
fn the_schema_is_the_published_file_unchanged() {
    use sha2::{Digest, Sha256};
    // The SHA-256 fixtures/README.md records for the copy.
    let sha = hex::encode(Sha256::digest(std::fs::read(XSD).unwrap()));
    assert_eq!(
        sha,
        "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"
    );
    let readme = include_str!("../../fixtures/README.md");
    assert!(readme.contains(&sha));
}

#[test]
fn junit_of_the_demo_export_is_valid_against_the_published_schema() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let (code, xml, err) = validate(&s, &["export.csv", "--format", "junit"]);
    assert_eq!(code, 1, "{err}");
    assert_valid_junit(&s, &xml);
    // The totals of the root are the sums of the suites, as a reporter counts them.
    let Some(tests) = xpath(&s, &xml, "string(/testsuites/@tests)") else {
        return;
    };
    let summed = xpath(&s, &xml, "sum(//testsuite/@tests)").unwrap();
    assert_eq!(tests.trim(), summed.trim());
    let failures = xpath(&s, &xml, "count(//failure)").unwrap();
    let declared = xpath(&s, &xml, "string(/testsuites/@failures)").unwrap();
    assert_eq!((failures.trim(), declared.trim()), ("10", "10"));
}

#[test]
fn junit_of_every_input_format_and_standard_input_in_one_run_is_valid() {
    let s = Scratch::new();
    let files = [
        "demo/export.csv",
        "sheets/customers.xlsx",
        "sheets/customers.ods",
        "sheets/customers.xml",
        "crmcom/single.json",
    ];
    let mut args: Vec<&str> = files
        .iter()
        .map(|f| f.rsplit('/').next().unwrap())
        .collect();
    for f in files {
        s.fixture(f);
    }
    args.extend(["-", "--format", "junit"]);
    let xls = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/sheets/customers.xls"
    ))
    .unwrap();
    let (code, xml, err) = validate_piped(&s, &args, xls);
    assert_eq!(code, 1, "{err}");
    assert_valid_junit(&s, &xml);
    let suites: Vec<&str> = xml
        .split("<testsuite name=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap())
        .collect();
    assert_eq!(suites, &args[..6]);
    for format in ["csv", "xlsx", "ods", "xml", "crmcom", "xls"] {
        let property = format!(r#"<property name="format" value="{format}"/>"#);
        assert_eq!(xml.matches(&property).count(), 1, "{format}");
    }
}

#[test]
fn junit_of_100000_failing_rows_is_one_small_valid_case() {
    let s = Scratch::new();
    let mut csv = String::from("IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;INVOICE_AMOUNT\n");
    // 100,200 rows, every 501st good: 100,000 bad amounts in 200 runs of 500 rows.
    for i in 0..100_200 {
        let amount = if i % 501 == 500 { "1250" } else { "12x" };
        csv.push_str(&format!("A-{i};Jansen;{amount}\n"));
    }
    s.write("big.csv", csv);
    let (code, xml, err) = validate(&s, &["big.csv", "--format", "junit"]);
    assert_eq!(code, 1, "{err}");
    assert_valid_junit(&s, &xml);
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("(error): 100000 findings\nrows 2-501, 503-1002, "));
    // The first 100 runs are listed, the rest counted.
    assert!(
        xml.contains("; 50000 more rows not listed here: the JSON report"),
        "{xml}"
    );
    assert!(xml.len() < 12_000, "{} bytes", xml.len());
}

#[test]
fn junit_of_a_clean_input_passes_every_case_and_is_valid() {
    let s = Scratch::new();
    s.write(
        "good.csv",
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;INVOICE_AMOUNT\nA-1;Jansen;1250\n",
    );
    let (code, xml, err) = validate(&s, &["good.csv", "--format", "junit"]);
    assert_eq!(code, 0, "{err}");
    assert_valid_junit(&s, &xml);
    // Every case passes (the two checks not made are skipped), each rule that held one case.
    let cases = xml.matches("<testcase ").count();
    assert!(cases > 40, "{cases}");
    let counts = format!(r#"tests="{cases}" failures="0" errors="0" skipped="2""#);
    assert!(xml.contains(&counts), "{counts}\n{xml}");
    assert!(
        !xml.contains("<failure") && !xml.contains("<system-out>"),
        "{xml}"
    );
}

#[test]
fn junit_escapes_markup_and_control_characters_and_stays_valid() {
    let s = Scratch::new();
    // `]]>`, `<`, `&` and control characters in the file name, a column name and a value.
    let name = "odd<&]]>\u{1}.csv";
    s.write(
        name,
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;INVOICE_AMOUNT;\"Kl<a&n]]>t\u{1}\tx\ry\"\n\
         A-1;Jan<sen & ]]> zn;<12&]]>\u{2};x\n\
         A-2;Jansen\u{7};1250;y\n",
    );
    let (code, xml, err) = validate(&s, &[name, "--format", "junit"]);
    assert_eq!(code, 1, "{err}");
    assert_valid_junit(&s, &xml);
    // An XML parser reads back what was written; what XML 1.0 cannot hold is U+FFFD.
    let read = |expr: &str| xpath(&s, &xml, expr).map(|t| t.trim_end_matches('\n').to_string());
    let Some(suite) = read("string(//testsuite/@name)") else {
        return;
    };
    assert_eq!(suite, "odd<&]]>\u{FFFD}.csv");
    assert_eq!(
        read("string(//testcase[@classname='column']/@name)").unwrap(),
        "column.unknown Kl<a&n]]>t\u{FFFD}\tx\ry"
    );
    // In text too: the carriage return is not read as a line feed.
    let out = read("string(//testcase[@classname='column']/system-out)").unwrap();
    assert!(
        out.contains("column 'Kl<a&n]]>t\u{FFFD}\tx\ry' is not"),
        "{out:?}"
    );
    let message = read("string(//failure/@message)").unwrap();
    assert!(message.starts_with("'<12&]]>' is not"), "{message}");
    let text = read("string(//failure)").unwrap();
    assert!(text.contains("\nfirst: '<12&]]>' is not"), "{text}");
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
        let (code, bad, err) = validate(&s, &["export.csv", "--format", format]);
        assert_eq!(code, 1, "{format}: {err}");
        let (code, good, err) = validate(&s, &["good.csv", "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        if format == "junit" {
            assert_valid_junit(&s, &bad);
            assert_valid_junit(&s, &good);
        }
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
        if format == "junit" {
            assert_valid_junit(&s, &out);
        }
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
            "junit" => assert_valid_junit(&s, &out),
            other => panic!("docs/ci.md uses --format {other}"),
        }
        assert!(to.is_none_or(|t| t.ends_with(".json") || t.ends_with(".xml")));
        if args.contains(&"--report".to_string()) {
            assert!(s.exists("validate-report.json"));
        }
    }
}
