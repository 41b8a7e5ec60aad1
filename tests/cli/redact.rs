//! `--redact` (issue 12, item 13): no personal value, nor anything read from one, appears
//! anywhere in the output: not in the report's values or messages, not in the human summary,
//! not on standard error. The fixtures (scripts/make-redact-fixtures.py) hold personal data in
//! every personal field, wrong or changed in every way the rules report.

use crate::harness::Scratch;

/// What the rules report about the personal values of both fixtures, as the source had them
/// and as the tool read them (a number as E.164 digits, a date reformatted, a domain in lower
/// case, the month and year of an impossible birthday).
const BOTH: &[&str] = &[
    "31-02-1980",
    "February 1980",
    "1017 GC Amsterdam",
    "Amsterdam",
    "06-1234567a",
    "Jan Jansen",
    "jan@example.nl",
    "07-05-1979",
    "1979-05-07",
    "06 87654321",
    "+31 (0)6 87654321",
    "31687654321",
    "Kees.Bakker@Voorbeeld.NL",
    "Kees.Bakker@voorbeeld.nl",
    "Achterberg-van Oudshoorn",
    "1850-01-01",
    "the year 1850",
    "+31 20 555 01 23",
    "31205550123",
    "piet de vries@example.nl",
    "12/31/85",
    "Prinsengracht",
    "263-huisnummer",
    "612340001",
    "Dijkstra-Dijkstra",
    "020-ABC-9876",
    "sanne@@dijkstra.nl",
];

/// Only in the CSV: a formula-like prefix and a ragged row full of personal data.
const CSV_ONLY: &[&str] = &[
    "=Jonkheer",
    "Willemijn",
    "willemijn.hendriks@example.org",
    "0687001122",
];

/// Only in the workbook: a title row naming a person, a value outside the header, a date cell
/// in a name field and a phone number whose leading 0 the spreadsheet lost.
const XLSX_ONLY: &[&str] = &[
    "Geertruida Vlaskamp",
    "Hendrika Wolters",
    "1984-03-09",
    "612345679",
    "31612345679",
];

const COMMON: &[&str] = &[
    "--today",
    "2026-11-22",
    "--list-fixes",
    "--services",
    "sms,mail",
];

/// Everything the runs print and write: standard output and error of `validate` (human and
/// JSON, and with `--report`) and of `convert`, and the reports they write.
fn all_output(s: &Scratch, input: &str, redact: bool) -> String {
    let mut all = String::new();
    let flag: &[&str] = if redact { &["--redact"] } else { &[] };
    let runs: [Vec<&str>; 4] = [
        vec!["validate", input],
        vec!["validate", input, "--format", "json"],
        vec!["validate", input, "--report", "validate.json"],
        vec![
            "convert",
            input,
            "--client",
            "RED",
            "--out-dir",
            "out",
            "--date",
            "20261122",
            "--allow-reuse",
        ],
    ];
    for args in runs {
        let _ = std::fs::remove_dir_all(s.path().join("out"));
        let out = s
            .cmd()
            .args(&args)
            .args(COMMON)
            .args(flag)
            .timeout(crate::harness::LIMIT)
            .output()
            .unwrap();
        // Rows are rejected in every run: exit 1, never a crash.
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        all.push_str(&String::from_utf8_lossy(&out.stdout));
        all.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    all.push_str(&s.read("validate.json"));
    for f in s.files("out") {
        if f.ends_with(".report.json") {
            all.push_str(&s.read(&format!("out/{f}")));
        }
    }
    all
}

fn check(fixture: &str, own: &[&str]) {
    let s = Scratch::new();
    let input = s.fixture(fixture);
    let input = input.file_name().unwrap().to_str().unwrap();
    let plain = all_output(&s, input, false);
    let redacted = all_output(&s, input, true);
    for raw in BOTH.iter().chain(own) {
        // Without --redact the value is there (so the search below can find it) ...
        assert!(
            plain.contains(raw),
            "{fixture}: '{raw}' is not in the output at all"
        );
        // ... and with it, nowhere.
        assert!(
            !redacted.contains(raw),
            "{fixture}: '{raw}' is in the --redact output:\n{}",
            redacted
                .lines()
                .filter(|l| l.contains(raw))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // Messages are built from the masked value, and still say what is wrong.
    for masked in [
        "'0*********a' contains 'a'",
        "'J*************************>' is not a valid e-mail address",
        "'0*********1' read as a national number of NL",
        "is not a real date (F***********0 has 29 days)",
    ] {
        assert!(redacted.contains(masked), "{fixture}: no \"{masked}\"");
    }
    // The identifier stays, so the report still says which record to fix.
    assert!(redacted.contains("R-0001"), "{fixture}");
}

#[test]
fn redact_hides_every_personal_value_of_a_csv_export() {
    check("redact/personal.csv", CSV_ONLY);
}

#[test]
fn redact_hides_every_personal_value_of_a_workbook() {
    check("redact/personal.xlsx", XLSX_ONLY);
}
