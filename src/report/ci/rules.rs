//! The rules a run checks, for the passed test cases of JUnit: the codes `docs/rules.md`
//! documents with severity error or warning. That file is the one list of codes; it is read
//! at build time, so a newly documented rule is a test case without a second list to update.

const RULES_MD: &str = include_str!("../../../docs/rules.md");

/// A documented rule: its code and whether it can reject a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    /// Error (possibly only with some services) rather than warning.
    pub error: bool,
}

/// Every documented rule of severity error or warning, in the document's order, each once.
/// Lines look like ``- `phone.invalid` — warning — ...``.
pub fn documented_rules() -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for line in RULES_MD.lines() {
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let Some((code, after)) = rest.split_once('`') else {
            continue;
        };
        let Some(severity) = after.strip_prefix(" — ") else {
            continue;
        };
        let error = severity.starts_with("error");
        if !(error || severity.starts_with("warning")) || !code.contains('.') {
            continue;
        }
        if !rules.iter().any(|r| r.code == code) {
            rules.push(Rule { code, error });
        }
    }
    rules
}

/// Whether a rule can apply to an input of `format` (the report's `inputs[].format`): the
/// format's own rules only for that format, the rest for every input.
pub fn applies_to(code: &str, format: &str) -> bool {
    let family = code.split('.').next().unwrap_or(code);
    let sheet = !matches!(format, "csv" | "xml" | "crmcom");
    match family {
        "crmcom" | "jsonl" => format == "crmcom",
        "xml" => format == "xml",
        "sheet" | "cell" => sheet,
        "file" => matches!(format, "csv" | "xml"),
        _ => true,
    }
}
