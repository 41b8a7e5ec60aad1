use super::*;

fn report(issues: serde_json::Value) -> Report {
    let v = serde_json::json!({
        "tool": "collectmaxx",
        "inputs": [
            {"path": "a,b:c.csv", "format": "csv", "sha256": "00", "rows_read": 20},
            {"path": "book.xlsx", "format": "xlsx", "sheet": "S", "sha256": "11", "rows_read": 3}
        ],
        "not_checked": [{"check": "required_fields", "message": "no services: give --services"}],
        "summary": {"rows_read": 23, "records_delivered": 18, "records_rejected": 5,
            "rows_skipped": 0, "rows_footer": 0, "errors": 6, "warnings": 1, "fixes": 0,
            "by_code": {}},
        "issues": issues,
    });
    Report::read(v.to_string().as_bytes()).unwrap()
}

fn issue(input: usize, row: u64, field: &str, severity: &str, code: &str) -> serde_json::Value {
    serde_json::json!({"input": input, "row": row, "line": row, "identifier": null,
        "field": field, "column": field, "severity": severity, "code": code,
        "message": "100% wrong\nsecond line", "value": "x", "fixed_value": null})
}

#[test]
fn findings_are_grouped_by_code_and_field_with_rows_as_ranges() {
    let mut issues: Vec<_> = (2..=6)
        .chain([9, 11])
        .map(|r| issue(0, r, "INVOICE_AMOUNT", "error", "amount.decimal"))
        .collect();
    issues.push(issue(0, 4, "PERSON_EMAIL", "warning", "email.invalid"));
    issues.push(issue(0, 3, "INVOICE_AMOUNT", "fix", "amount.reformatted"));
    issues.push(issue(1, 2, "INVOICE_AMOUNT", "error", "amount.decimal"));
    let groups = report(serde_json::Value::Array(issues)).groups();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].len(), 2, "fixes are not groups");
    let g = &groups[0][0];
    assert_eq!(
        (g.count, g.title().as_str()),
        (7, "amount.decimal INVOICE_AMOUNT")
    );
    assert_eq!(g.rows_text(), "rows 2-6, 9, 11");
    assert_eq!(groups[1][0].rows_text(), "row 2");
}

#[test]
fn a_long_row_list_is_cut_and_says_how_many_more() {
    let rows: Vec<u64> = (0..1000).map(|i| 2 + 2 * i).collect();
    let g = Group {
        code: "a.b".into(),
        subject: None,
        severity: Severity::Error,
        count: 1000,
        first_message: String::new(),
        first_line: None,
        first_row: None,
        rows,
        without_row: 0,
    };
    let text = g.rows_text();
    assert!(
        text.ends_with(
            "; 900 more rows not listed here: the JSON report (--report PATH) lists every one"
        ),
        "{text}"
    );
    assert!(text.len() < 1000);
}

#[test]
fn github_commands_escape_data_and_properties_as_the_runner_reads_them() {
    assert_eq!(github::data("50%\r\nx:y,z"), "50%25%0D%0Ax:y,z");
    assert_eq!(github::property("50%\r\nx:y,z"), "50%25%0D%0Ax%3Ay%2Cz");
    let r = report(serde_json::json!([issue(
        0,
        3,
        "INVOICE_AMOUNT",
        "error",
        "amount.decimal"
    )]));
    let mut out = Vec::new();
    write_github(&r, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=a%2Cb%3Ac.csv,line=3,title=amount.decimal INVOICE_AMOUNT::100%25 wrong%0Asecond line (1 finding: row 3)"
    );
}

#[test]
fn github_annotations_stop_at_ten_per_type_most_frequent_first() {
    let mut issues = Vec::new();
    for n in 0..12u64 {
        // Field F<n> has n+1 errors; each also one warning.
        for r in 0..=n {
            issues.push(issue(0, 2 + r, &format!("F{n}"), "error", "x.y"));
        }
        issues.push(issue(0, 2, &format!("F{n}"), "warning", "w.z"));
    }
    let mut out = Vec::new();
    write_github(&report(serde_json::Value::Array(issues)), &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("::error ")).collect();
    let warnings = out.lines().filter(|l| l.starts_with("::warning ")).count();
    assert_eq!((errors.len(), warnings), (10, 10));
    assert!(errors[0].contains("title=x.y F11::"), "{}", errors[0]);
    assert!(
        out.contains("::notice title=collectmaxx::4 more groups"),
        "{out}"
    );
}

#[test]
fn the_step_summary_has_every_group_in_a_table() {
    let mut issues = Vec::new();
    for n in 0..30 {
        issues.push(issue(0, 2, &format!("F|{n}"), "error", "x.y"));
    }
    let mut out = Vec::new();
    write_step_summary(&report(serde_json::Value::Array(issues)), &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("| a,b:c.csv |"))
            .count(),
        30
    );
    assert!(out.contains("F\\|29"), "{out}");
    assert!(out.contains("not checked: no services"), "{out}");
}

#[test]
fn gitlab_entries_have_the_documented_fields_and_stable_fingerprints() {
    let r = report(serde_json::json!([
        issue(0, 3, "INVOICE_AMOUNT", "error", "amount.decimal"),
        issue(0, 5, "INVOICE_AMOUNT", "error", "amount.decimal"),
        issue(1, 4, "PERSON_EMAIL", "warning", "email.invalid"),
    ]));
    let mut out = Vec::new();
    write_gitlab(&r, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for e in entries {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(e[key].is_string(), "{key} in {e}");
        }
        assert!(e["location"]["path"].is_string());
        assert!(e["location"]["lines"]["begin"].is_u64());
    }
    assert_eq!(entries[0]["severity"], "major");
    assert_eq!(entries[1]["severity"], "minor");
    assert_eq!(entries[0]["location"]["lines"]["begin"], 3);
    assert_ne!(entries[0]["fingerprint"], entries[1]["fingerprint"]);
    let mut again = Vec::new();
    write_gitlab(&r, &mut again).unwrap();
    assert_eq!(out, again);
}

#[test]
fn junit_has_a_failure_per_group_passed_rules_and_skipped_checks() {
    let r = report(serde_json::json!([
        issue(0, 3, "INVOICE_AMOUNT", "error", "amount.decimal"),
        issue(0, 4, "INVOICE_AMOUNT", "error", "amount.decimal"),
        issue(0, 4, "PERSON_EMAIL", "warning", "email.invalid"),
    ]));
    let mut out = Vec::new();
    write_junit(&r, &mut out).unwrap();
    let xml = String::from_utf8(out).unwrap();
    assert_eq!(xml.matches("<testsuite ").count(), 2);
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert!(
        xml.contains("rows 3-4\nfirst: 100% wrong\nsecond line\n</failure>"),
        "{xml}"
    );
    assert!(
        xml.contains(r#"message="100% wrong&#10;second line""#),
        "{xml}"
    );
    // Passed rules of the format: a date rule, but no CRM.COM rule for a CSV.
    assert!(xml.contains(r#"<testcase name="date.invalid" classname="date" time="0"/>"#));
    assert!(!xml.contains(r#"name="crmcom.json_invalid""#));
    assert!(xml.contains(r#"<skipped message="no services: give --services"/>"#));
    let first_suite = xml.split("<testsuite ").nth(1).unwrap();
    assert!(
        !first_suite.contains(r#"<testcase name="amount.decimal""#),
        "a failed rule is not also passed"
    );
    let second_suite = xml.split("<testsuite ").nth(2).unwrap();
    assert!(second_suite.contains(r#"<testcase name="amount.decimal""#));
}

#[test]
fn junit_escapes_markup_and_replaces_what_xml_cannot_hold() {
    let mut finding = issue(0, 3, "INVOICE_AMOUNT", "error", "amount.invalid");
    finding["message"] = "'<1&]]>\u{1}\u{FFFF}' x\ty\rz".into();
    let mut out = Vec::new();
    write_junit(&report(serde_json::json!([finding])), &mut out).unwrap();
    let xml = String::from_utf8(out).unwrap();
    let escaped = "&apos;&lt;1&amp;]]&gt;\u{FFFD}\u{FFFD}&apos; x";
    assert!(
        xml.contains(&format!(r#"message="{escaped}&#9;y&#13;z">"#)),
        "{xml}"
    );
    assert!(
        xml.contains(&format!("first: {escaped}\ty&#13;z\n</failure>")),
        "{xml}"
    );
    // `]]>` may not stand in text content.
    assert!(!xml.contains("]]>"), "{xml}");
}

#[test]
fn the_documented_rules_are_read_from_docs_rules_md() {
    let rules = documented_rules();
    assert!(rules.len() > 50, "{}", rules.len());
    let code = |c: &str| rules.iter().find(|r| r.code == c).copied();
    assert_eq!(code("amount.decimal").map(|r| r.error), Some(true));
    assert_eq!(code("phone.invalid").map(|r| r.error), Some(false));
    assert_eq!(code("date.not_future").map(|r| r.error), Some(true));
    assert!(code("text.trimmed").is_none(), "fixes are no test cases");
}
