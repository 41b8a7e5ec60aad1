//! `collectmaxx map` (issue 14): the proposals on the committed exports (scored against each
//! export's truth, never a confident wrong mapping), `map --out` then `convert --mapping`
//! giving exactly the expected delivery, `--save` and the saved profile, refusals, hostile
//! files.

use std::path::{Path, PathBuf};

use crate::harness::{self, Scratch, LIMIT};

fn fixture_dirs(set: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/map")
        .join(set);
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn export_of(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_stem().is_some_and(|s| s == "export"))
        .unwrap()
}

/// (exit code, stdout, stderr) of `collectmaxx args...`.
fn run(s: &Scratch, args: &[&str]) -> (i32, String, String) {
    let out = s.cmd().args(args).timeout(LIMIT).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `convert` with the fixtures' run date, 2025-03-14 (their identifiers carry it).
fn convert_on(
    s: &Scratch,
    input: &str,
    extra: &[&str],
) -> (i32, String, Option<serde_json::Value>) {
    let _ = std::fs::remove_dir_all(s.path().join("out"));
    let out = s
        .cmd()
        .args([
            "convert",
            input,
            "--client",
            "X",
            "--out-dir",
            "out",
            "--date",
            "20250314",
            "--today",
            "2025-03-14",
            "-q",
        ])
        .args(extra)
        .timeout(LIMIT)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        None,
    )
}

#[derive(Default, Debug)]
struct Score {
    columns: usize,
    right: usize,
    asked: usize,
    asked_right: usize,
}

/// Scores one export's proposal against its truth; panics on a confident wrong mapping.
fn score(s: &Scratch, dir: &Path) -> (Score, serde_json::Value, serde_json::Value) {
    let export = export_of(dir);
    let (code, out, err) = run(s, &["map", export.to_str().unwrap(), "--format", "json"]);
    assert!(
        code == 0 || code == 1,
        "{}: exit {code}: {err}",
        dir.display()
    );
    let proposal = harness::json(&out);
    let truth = harness::json(&std::fs::read_to_string(dir.join("truth.json")).unwrap());
    let mut sc = Score::default();
    for c in proposal["columns"].as_array().unwrap() {
        let column = c["column"].as_str().unwrap();
        let expected = truth["columns"][column].as_str().unwrap();
        let got = c["target"].as_str().unwrap();
        sc.columns += 1;
        if c["confidence"] == "sure" {
            assert_eq!(
                got,
                expected,
                "{}: a confident wrong mapping of '{column}': {c}",
                dir.display()
            );
            sc.right += 1;
        } else {
            sc.asked += 1;
            sc.asked_right += usize::from(got == expected);
        }
    }
    (sc, proposal, truth)
}

fn measure(set: &str) -> Score {
    let s = Scratch::new();
    let mut total = Score::default();
    for dir in fixture_dirs(set) {
        let (sc, _, _) = score(&s, &dir);
        eprintln!(
            "{set} {}: {sc:?}",
            dir.file_name().unwrap().to_string_lossy()
        );
        total.columns += sc.columns;
        total.right += sc.right;
        total.asked += sc.asked;
        total.asked_right += sc.asked_right;
    }
    eprintln!("{set} total: {total:?}");
    total
}

#[test]
fn tuning_exports_have_no_confident_wrong_mapping_and_95_percent_right_with_confidence() {
    let t = measure("tuning");
    assert_eq!(t.columns, 161);
    // Measured: 158 of 161 (98.1 %) right with confidence (docs/mapping.md).
    assert!(t.right >= 158, "{t:?}");
    assert!(t.right * 100 >= 95 * t.columns, "{t:?}");
    // What the table proposes (sure or asked) is right for 95% of the columns at least.
    assert!((t.right + t.asked_right) * 100 >= 95 * t.columns, "{t:?}");
}

/// A held-out set scores no confident wrong mapping (`score` panics on one), has its number
/// of columns, and at least the right ones measured (docs/mapping.md).
fn held_out(set: &str, columns: usize, right: usize) {
    let t = measure(set);
    assert_eq!(t.columns, columns, "{set}");
    assert!(t.right >= right, "{set}: {t:?}");
}

/// The first held-out set: 69 of 70 right with confidence.
#[test]
fn heldout_exports_have_no_confident_wrong_mapping() {
    held_out("heldout", 70, 69);
}

/// A second held-out set (fixtures/map/heldout2), built by someone who never ran `map` on it.
/// Its first run found 20 confident wrong mappings; the fixes that followed were made after
/// seeing it, so it is no longer unseen. Now 90 of 137 right with confidence, 47 asked.
#[test]
fn second_heldout_exports_have_no_confident_wrong_mapping() {
    held_out("heldout2", 137, 90);
}

/// A third held-out set, made after the second was used, the same way. First run: 86 of 138
/// right, 10 confident wrong; after the fixes: 91 right, 47 asked.
#[test]
fn third_heldout_exports_have_no_confident_wrong_mapping() {
    held_out("heldout3", 138, 91);
}

/// A fourth held-out set, made after the third was used, the same way. First run: 83 of 118
/// right, 9 confident wrong; after the fixes: 90 right, 28 asked.
#[test]
fn fourth_heldout_exports_have_no_confident_wrong_mapping() {
    held_out("heldout4", 118, 90);
}

/// `map --out`, the user's confirmations (`--accept` with the truth of each asked column and
/// the identifier), then `convert --mapping`: exactly the expected delivery.
fn end_to_end(dir: &Path) {
    let s = Scratch::new();
    let (_, proposal, truth) = score(&s, dir);
    let export = export_of(dir);
    let export = export.to_str().unwrap();
    let mut args: Vec<String> = ["map", export, "--out", "profile.toml"]
        .map(String::from)
        .to_vec();
    for c in proposal["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["confidence"] != "sure")
    {
        let column = c["column"].as_str().unwrap();
        let t = truth["columns"][column].as_str().unwrap();
        let t = t.replace(" + ", "+");
        // A join is confirmed by naming its field: `family_name_prefix=PERSON_FAMILYNAME`.
        let t = match t.strip_prefix("join:") {
            Some(join) => join.split(':').next().unwrap().to_string(),
            None => t,
        };
        args.push("--accept".into());
        args.push(format!("{column}={t}"));
    }
    args.push("--accept".into());
    args.push(format!(
        "identifier={}",
        truth["identifier"].as_str().unwrap()
    ));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&s, &refs);
    assert_eq!(code, 0, "{}: {out}\n{err}", dir.display());
    let (code, err, _) = convert_on(&s, export, &["--mapping", "profile.toml"]);
    assert!(code == 0, "{}: exit {code}: {err}", dir.display());
    let delivered = harness::delivery(&s).unwrap();
    let expected = std::fs::read_to_string(dir.join("expected-delivery.csv")).unwrap();
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| {
                l.split(';')
                    .map(|v| v.trim_matches('"').to_string())
                    .collect()
            })
            .collect()
    };
    assert_eq!(rows(&delivered), rows(&expected), "{}", dir.display());
}

#[test]
fn map_then_convert_gives_the_expected_delivery_for_every_export() {
    for set in ["tuning", "heldout", "heldout2", "heldout3", "heldout4"] {
        for dir in fixture_dirs(set) {
            end_to_end(&dir);
        }
    }
}

#[test]
fn a_profile_with_guesses_is_refused_until_accepted() {
    let s = Scratch::new();
    let export = s.fixture("map/tuning/t5-eboekhouden/export.csv");
    let export = export.to_str().unwrap();
    let (code, out, _) = run(&s, &["map", export, "--out", "p.toml"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("to confirm"), "{out}");
    assert!(s.read("p.toml").contains("confirmed = false"));
    let (code, err, _) = harness::convert(&s, export, &["--mapping", "p.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not confirmed") && err.contains("'Code'"),
        "{err}"
    );
    harness::nothing_written(&s);
}

#[test]
fn save_needs_a_client_and_the_saved_profile_applies_and_guards_its_columns() {
    let s = Scratch::new();
    let export = s.fixture("map/tuning/t1-exact-openstaande-posten/export.csv");
    let (code, _, err) = run(&s, &["map", "export.csv", "--save"]);
    assert_eq!(code, 2);
    assert!(err.contains("--save needs a client code"), "{err}");
    let (code, out, err) = run(
        &s,
        &[
            "map",
            "export.csv",
            "--save",
            "--client",
            "X",
            "--accept",
            "identifier={Factuurnummer}-{date}",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(s
        .path()
        .join(".config/collectmaxx/clients/X.toml")
        .is_file());
    let (code, out, _) = run(&s, &["config", "--client", "X"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("clients/X.toml") && out.contains("[profile "),
        "{out}"
    );
    let (code, err, _) = convert_on(&s, "export.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(harness::delivery(&s)
        .unwrap()
        .contains("Laan van Meerdervoort\";\"1024\";\"B\""));
    // The export's columns change: refused, naming the change.
    let text = std::fs::read_to_string(&export)
        .unwrap()
        .replacen("Telefoon", "Telefoonnummer", 1);
    s.write("export.csv", text);
    let (code, err, _) = convert_on(&s, "export.csv", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("columns of export.csv changed")
            && err.contains("'Telefoon'")
            && err.contains("'Telefoonnummer'"),
        "{err}"
    );
}

#[test]
fn an_old_mapping_file_still_works_and_a_key_matching_nothing_is_an_error() {
    let s = Scratch::new();
    s.write("in.csv", "Nummer;Achternaam\nA1;Jansen\n");
    s.write(
        "m.toml",
        "[columns]\n\"Nummer\" = \"IDENTIFICATION_IDENTIFIER\"\n",
    );
    let (code, err, _) = harness::convert(&s, "in.csv", &["--mapping", "m.toml"]);
    assert_eq!(code, 0, "{err}");
    s.write("p.toml", "[columns]\n\"Nummer\" = \"IDENTIFICATION_IDENTIFIER\"\n\"Bestaat niet\" = [\"INVOICE_NUMBER\", \"INVOICE_REFERENCE\"]\n");
    let (code, err, _) = harness::convert(&s, "in.csv", &["--mapping", "p.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("'Bestaat niet'"), "{err}");
}

#[test]
fn hostile_files_exit_cleanly() {
    let s = Scratch::new();
    s.write("empty.csv", "");
    s.write("one.csv", "Achternaam\nJansen\nBakker\n");
    let wide: Vec<String> = (0..3000).map(|i| format!("Kolom{i}")).collect();
    s.write(
        "wide.csv",
        format!("{}\n{}\n", wide.join(";"), vec!["x"; 3000].join(";")),
    );
    s.write(
        "binary.csv",
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    for (file, codes) in [
        ("empty.csv", &[2][..]),
        ("one.csv", &[0, 1][..]),
        ("wide.csv", &[0, 1, 2][..]),
        ("binary.csv", &[1, 2][..]),
    ] {
        let (code, out, err) = run(&s, &["map", file]);
        assert!(codes.contains(&code), "{file}: exit {code}\n{out}\n{err}");
        assert!(
            !err.contains("panicked") && !err.contains("internal error"),
            "{file}: {err}"
        );
    }
}

#[test]
fn a_header_below_title_lines_goes_into_the_profile_and_a_wrong_header_row_is_refused() {
    let s = Scratch::new();
    s.write(
        "t.csv",
        "Openstaande posten per 14-03-2025\n\nFactuurnummer;Achternaam;Openstaand bedrag;Vervaldatum\nF1;Jansen;12,50;01-04-2025\nF2;Bakker;3,00;02-04-2025\n",
    );
    let (code, out, err) = run(
        &s,
        &[
            "map",
            "t.csv",
            "--out",
            "p.toml",
            "--accept",
            "identifier={Factuurnummer}-{date}",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("the header is on row 3"), "{out}");
    assert!(s.read("p.toml").contains("header_row = 3"));
    let (code, err, _) = convert_on(&s, "t.csv", &["--mapping", "p.toml"]);
    assert_eq!(code, 0, "{err}");
    let delivered = harness::delivery(&s).unwrap();
    assert_eq!(delivered.lines().count(), 3, "{delivered}");
    assert!(delivered.contains("\"F1-20250314\""), "{delivered}");
    // The flag beats the profile; a data row given as the header is refused, nothing read.
    let (code, err, _) = convert_on(&s, "t.csv", &["--mapping", "p.toml", "--header-row", "4"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("t.csv")
            && err.contains("row 4 does not look like a header")
            && err.contains("'12,50'"),
        "{err}"
    );
    let text = s.read("p.toml").replace("header_row = 3", "header_row = 2");
    s.write("p.toml", text);
    let (code, err, _) = convert_on(&s, "t.csv", &["--mapping", "p.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("row 2 is empty"), "{err}");
    // --header-row 1 makes map take the title line for the header: nothing is recognised.
    let (code, out, _) = run(
        &s,
        &["map", "t.csv", "--header-row", "1", "--format", "json"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(harness::json(&out)["header_row"].is_null(), "{out}");
}

#[test]
fn validate_with_a_client_uses_its_saved_profile_and_refuses_guesses_and_changed_columns() {
    let s = Scratch::new();
    let export = s.fixture("map/tuning/t5-eboekhouden/export.csv");
    // Saved with its questions open: validate --client refuses, listing them.
    let (code, _, err) = run(&s, &["map", "export.csv", "--save", "--client", "X"]);
    assert_eq!(code, 1, "{err}");
    let validate = |s: &Scratch| {
        run(
            s,
            &[
                "validate",
                "export.csv",
                "--client",
                "X",
                "--today",
                "2025-03-14",
            ],
        )
    };
    let (code, out, err) = validate(&s);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("not confirmed")
            && err.contains("'Code' → PERSON_IDENTIFIER")
            && err.contains("clients/X.toml"),
        "{err}"
    );
    // Confirmed: the saved profile applies without --mapping.
    let truth = harness::json(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/map/tuning/t5-eboekhouden/truth.json"),
        )
        .unwrap(),
    );
    let mut args = vec!["map", "export.csv", "--save", "--client", "X"];
    let accepts: Vec<String> = ["Code"]
        .iter()
        .map(|c| format!("{c}={}", truth["columns"][c].as_str().unwrap()))
        .chain(["identifier={Factuurnummer}-{date}".to_string()])
        .collect();
    for a in &accepts {
        args.extend(["--accept", a.as_str()]);
    }
    let (code, out, err) = run(&s, &args);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = validate(&s);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("12 valid, 0 rejected"), "{out}");
    // The export loses a column: refused, naming it.
    let text = std::fs::read_to_string(&export).unwrap();
    let cut: String = text
        .lines()
        .map(|l| l.rsplit_once(';').map_or(l, |(head, _)| head).to_string() + "\r\n")
        .collect();
    s.write("export.csv", cut);
    let (code, out, err) = validate(&s);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("columns of export.csv changed") && err.contains("'Saldo'"),
        "{err}"
    );
}
