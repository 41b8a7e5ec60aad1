//! `convert` and `validate` with the delivery history: numbering, reuse, forget, dry runs,
//! configuration files, concurrent and interrupted runs, all through the real binary.

use std::path::Path;
use std::process::Stdio;

use crate::harness::{json, Backend, Scratch};
use predicates::prelude::*;

/// `convert INPUT --client CLIENT --out-dir out --date DATE -q`: a run's arguments, for a
/// command of [`convert`] or a process of its own ([`Scratch::std_cmd`]). `-q` comes last.
pub(crate) fn convert_args<'a>(input: &'a str, client: &'a str, date: &'a str) -> [&'a str; 9] {
    [
        "convert",
        input,
        "--client",
        client,
        "--out-dir",
        "out",
        "--date",
        date,
        "-q",
    ]
}

pub(crate) fn convert<'a>(
    s: &Scratch,
    input: &'a str,
    client: &'a str,
    date: &'a str,
) -> assert_cmd::Command {
    let mut c = s.cmd();
    c.args(convert_args(input, client, date));
    c
}

pub(crate) fn csvs(s: &Scratch) -> Vec<String> {
    s.files("out")
        .into_iter()
        .filter(|f| f.ends_with(".csv"))
        .collect()
}

/// The reports' issues with this code.
fn issues(report: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    report["issues"]
        .as_array()
        .map(|a| a.iter().filter(|i| i["code"] == code).cloned().collect())
        .unwrap_or_default()
}

fn numbers_continue_after_the_out_dir_was_emptied(b: &Backend) {
    let s = Scratch::on(b);
    s.write("a.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    s.write("b.csv", "IDENTIFICATION_IDENTIFIER\nB1\n");
    s.write("c.csv", "IDENTIFICATION_IDENTIFIER\nC1\n");
    convert(&s, "a.csv", "ACME", "20261122").assert().code(0);
    convert(&s, "a.csv", "OTHER", "20261122").assert().code(0);
    // The upload takes the files away.
    std::fs::remove_dir_all(s.path().join("out")).unwrap();
    convert(&s, "b.csv", "ACME", "20261122").assert().code(0);
    convert(&s, "c.csv", "ACME", "20261123").assert().code(0);
    assert_eq!(csvs(&s), ["20261122-ACME-2.csv", "20261123-ACME-1.csv"]);
    // A file put there by hand is counted too.
    s.write("out/20261123-ACME-7.csv", "");
    s.write("d.csv", "IDENTIFICATION_IDENTIFIER\nD1\n");
    convert(&s, "d.csv", "ACME", "20261123").assert().code(0);
    assert!(s.exists("out/20261123-ACME-8.csv"));
    s.cmd()
        .args(["history", "list", "--client", "ACME"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("20261122-ACME-1.csv"))
        .stdout(predicate::str::contains("20261123-ACME-8.csv"))
        .stdout(predicate::str::contains("OTHER").not());
}

fn a_reused_identifier_is_rejected_naming_the_earlier_file_unless_allowed(b: &Backend) {
    let s = Scratch::on(b);
    s.write("first.csv", "IDENTIFICATION_IDENTIFIER\nA1\nA2\n");
    s.write("second.csv", "IDENTIFICATION_IDENTIFIER\nA3\nA2\n");
    convert(&s, "first.csv", "ACME", "20261122")
        .assert()
        .code(0);
    convert(&s, "second.csv", "ACME", "20261123")
        .assert()
        .code(1);
    let delivered = s.read("out/20261123-ACME-1.csv");
    assert!(
        delivered.contains("A3") && !delivered.contains("A2"),
        "{delivered}"
    );
    let report = json(&s.read("out/20261123-ACME-1.report.json"));
    let reused = issues(&report, "identifier.reused");
    assert_eq!(reused.len(), 1, "{report}");
    assert_eq!(reused[0]["severity"], "error");
    assert_eq!(reused[0]["row"], 3);
    assert_eq!(reused[0]["identifier"], "A2");
    let msg = reused[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("20261122-ACME-1.csv") && msg.contains("2026-11-22"),
        "{msg}"
    );
    assert_eq!(report["summary"]["records_rejected"], 1);
    assert_eq!(report["summary"]["records_delivered"], 1);

    // Another client may use the same identifier.
    convert(&s, "first.csv", "OTHER", "20261123")
        .assert()
        .code(0);

    // A deliberate re-send.
    convert(&s, "second.csv", "ACME", "20261124")
        .arg("--allow-reuse")
        .assert()
        .code(0);
    let delivered = s.read("out/20261124-ACME-1.csv");
    assert!(delivered.contains("A2"), "{delivered}");
    let report = json(&s.read("out/20261124-ACME-1.report.json"));
    let allowed = issues(&report, "identifier.reused_allowed");
    assert_eq!(
        allowed.len(),
        2,
        "A3 (from the second run) and A2: {report}"
    );
    assert!(allowed.iter().all(|i| i["severity"] == "warning"));
}

fn nothing_delivered_when_every_identifier_was_delivered(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    convert(&s, "in.csv", "ACME", "20261122").assert().code(0);
    convert(&s, "in.csv", "ACME", "20261122").assert().code(1);
    assert_eq!(csvs(&s), ["20261122-ACME-1.csv"]);
}

fn forget_frees_the_identifiers_but_not_the_number(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    convert(&s, "in.csv", "ACME", "20261122").assert().code(0);
    std::fs::remove_file(s.path().join("out/20261122-ACME-1.csv")).unwrap();
    s.cmd()
        .args(["history", "forget", "20261122-ACME-1.csv"])
        .assert()
        .code(0);
    convert(&s, "in.csv", "ACME", "20261122").assert().code(0);
    assert_eq!(csvs(&s), ["20261122-ACME-2.csv"]);
}

fn history_show_lists_the_identifiers_by_row(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\nA2\n");
    convert(&s, "in.csv", "ACME", "20261122").assert().code(0);
    let out = s
        .cmd()
        .args(["history", "show", "20261122-ACME-1.csv", "--format", "json"])
        .output()
        .unwrap();
    let v = json(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(v["delivery"]["records"], 2);
    assert_eq!(v["delivery"]["inputs"][0], "in.csv");
    assert_eq!(v["identifiers"][1]["identifier"], "A2");
    assert_eq!(v["identifiers"][1]["row"], 3);
    let sha = v["delivery"]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
}

/// The history as stored: the SQLite file's bytes, or the shared history's full listing.
fn db_bytes(s: &Scratch) -> Vec<u8> {
    if s.url.is_some() {
        return crate::harness::listed(s, &[]).join("\n").into_bytes();
    }
    std::fs::read(s.path().join(".state/collectmaxx/history.sqlite3")).unwrap()
}

/// What a history leaves in its state dir: the database, or only the run lock.
fn kept_in(s: &Scratch, dir: &str) -> bool {
    let file = if s.url.is_some() {
        "lock"
    } else {
        "history.sqlite3"
    };
    s.exists(&format!("{dir}/{file}"))
}

fn validate_checks_against_the_history_without_changing_it(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    s.write("new.csv", "IDENTIFICATION_IDENTIFIER\nA2\n");
    // Without a history: nothing to check, nothing created.
    s.cmd()
        .args(["validate", "in.csv", "--client", "ACME"])
        .assert()
        .code(0);
    assert!(!s.exists(".state"));
    convert(&s, "in.csv", "ACME", "20261122").assert().code(0);
    let before = db_bytes(&s);
    s.cmd()
        .args(["validate", "in.csv", "--client", "ACME", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("identifier.reused"));
    s.cmd()
        .args(["validate", "in.csv", "--client", "ACME", "--allow-reuse"])
        .assert()
        .code(0);
    s.cmd()
        .args(["validate", "new.csv", "--client", "ACME"])
        .assert()
        .code(0);
    s.cmd()
        .args(["validate", "in.csv", "--client", "OTHER"])
        .assert()
        .code(0);
    assert_eq!(db_bytes(&s), before);
}

fn dry_run_prints_the_name_and_writes_nothing(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    // `convert ... --dry-run`, without -q: the dry run's answer is what it prints.
    let dry_run = |extra: &[&str]| {
        let mut c = s.cmd();
        c.args(&convert_args("in.csv", "ACME", "20261122")[..8])
            .arg("--dry-run")
            .args(extra);
        c
    };
    dry_run(&[])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "would write out/20261122-ACME-1.csv",
        ));
    assert!(!s.exists("out") && !s.exists(".state"));
    convert(&s, "in.csv", "ACME", "20261122").assert().code(0);
    let before = db_bytes(&s);
    dry_run(&["--allow-reuse"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "would write out/20261122-ACME-2.csv",
        ));
    dry_run(&[])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no record to deliver"));
    assert_eq!(
        s.files("out"),
        ["20261122-ACME-1.csv", "20261122-ACME-1.report.json"]
    );
    assert_eq!(db_bytes(&s), before);
}

fn a_config_file_supplies_what_the_cron_line_leaves_out_and_flags_win(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    s.write(
        "collectmaxx.toml",
        "client = \"ACME\"\nout_dir = \"outbox\"\nstate_dir = \"state\"\nreport_dir = \"reports\"\n[set]\nCONTROL_FLOWID = \"1234\"\n",
    );
    // The harness names a state dir in the environment, which beats the file: without it here,
    // so that the file's state_dir decides.
    s.cmd()
        .env_remove("COLLECTMAXX_STATE_DIR")
        .args(["convert", "in.csv", "--date", "20261122", "-q"])
        .assert()
        .code(0);
    let delivered = s.read("outbox/20261122-ACME-1.csv");
    assert!(
        delivered.contains("CONTROL_FLOWID") && delivered.contains("1234"),
        "{delivered}"
    );
    assert!(s.exists("reports/20261122-ACME-1.report.json"));
    assert!(kept_in(&s, "state"));
    // Flags override the file.
    s.write("b.csv", "IDENTIFICATION_IDENTIFIER\nB1\n");
    s.cmd()
        .env_remove("COLLECTMAXX_STATE_DIR")
        .args([
            "convert",
            "b.csv",
            "--date",
            "20261122",
            "--client",
            "BETA",
            "--set",
            "CONTROL_FLOWID=99",
            "-q",
        ])
        .assert()
        .code(0);
    assert!(s.read("outbox/20261122-BETA-1.csv").contains("99"));
    // The environment names the state dir when no flag does... but the file does here, and
    // the environment wins over the file.
    s.write("c.csv", "IDENTIFICATION_IDENTIFIER\nC1\n");
    s.cmd()
        .env("COLLECTMAXX_STATE_DIR", s.path().join("env-state"))
        .args(["convert", "c.csv", "--date", "20261122", "-q"])
        .assert()
        .code(0);
    assert!(kept_in(&s, "env-state"));
    // Unknown keys stop the run with the line.
    s.write("collectmaxx.toml", "client = \"ACME\"\n\noutdir = \"x\"\n");
    s.cmd()
        .args(["convert", "in.csv", "--date", "20261122"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("collectmaxx.toml: line 3:"));
}

fn convert_without_a_client_says_how_to_give_one(b: &Backend) {
    let s = Scratch::on(b);
    s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    s.cmd()
        .args(["convert", "in.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--client"));
}

/// Several `convert` processes at once on one state dir and one out dir.
fn concurrent_converts_never_share_a_number_or_an_identifier(b: &Backend) {
    let s = Scratch::on(b);
    let runs = 5;
    for i in 0..runs {
        // Each input has its own identifier and the shared one.
        s.write(
            &format!("in{i}.csv"),
            format!("IDENTIFICATION_IDENTIFIER\nOWN{i}\nSHARED\n"),
        );
    }
    let children: Vec<_> = (0..runs)
        .map(|i| {
            s.std_cmd()
                .args(convert_args(&format!("in{i}.csv"), "ACME", "20261122"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut codes = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        codes.push(out.status.code());
    }
    codes.sort();
    // One run delivers SHARED (exit 0); the others reject it (exit 1).
    let mut expected = vec![Some(1); runs - 1];
    expected.insert(0, Some(0));
    assert_eq!(codes, expected);
    let names = csvs(&s);
    let wanted: Vec<String> = (1..=runs)
        .map(|n| format!("20261122-ACME-{n}.csv"))
        .collect();
    assert_eq!(names, wanted);
    let shared = names
        .iter()
        .filter(|n| s.read(&format!("out/{n}")).contains("SHARED"))
        .count();
    assert_eq!(shared, 1);
    if s.url.is_some() {
        return;
    }
    let conn =
        rusqlite::Connection::open(s.path().join(".state/collectmaxx/history.sqlite3")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let ids: i64 = conn
        .query_row("SELECT count(*) FROM identifiers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ids, runs as i64 + 1);
}

/// A `convert` killed at each step of its commit, then a normal run.
fn a_killed_convert_leaves_a_consistent_state_and_the_next_run_settles_it(b: &Backend) {
    for (step, killed_file_survives, next_number) in [
        ("after_temp", false, 1),
        ("after_pending", false, 2),
        ("after_rename", true, 2),
    ] {
        let Some(fresh) = b.fresh() else { return };
        let s = Scratch::on(&fresh);
        s.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
        s.write("next.csv", "IDENTIFICATION_IDENTIFIER\nA2\n");
        let out = convert(&s, "in.csv", "ACME", "20261122")
            .env("COLLECTMAXX_TEST_CRASH_AT", step)
            .output()
            .unwrap();
        assert!(
            !out.status.success() && out.status.code() != Some(1),
            "{step}: {out:?}"
        );
        // Never a half-written file under a final name.
        let after_kill = csvs(&s);
        assert_eq!(
            after_kill.len(),
            usize::from(killed_file_survives),
            "{step}: {after_kill:?}"
        );

        convert(&s, "next.csv", "ACME", "20261122").assert().code(0);
        let files = s.files("out");
        assert!(
            files.iter().all(|f| !f.starts_with('.')),
            "{step}: temp files left: {files:?}"
        );
        assert!(
            s.exists(&format!("out/20261122-ACME-{next_number}.csv")),
            "{step}: {files:?}"
        );
        // Every delivery in the history exists; A1 is delivered only if its file survived.
        let list = s
            .cmd()
            .args(["history", "list", "--format", "json"])
            .output()
            .unwrap();
        let list = json(std::str::from_utf8(&list.stdout).unwrap());
        for d in list.as_array().unwrap() {
            assert_eq!(d["state"], "delivered", "{step}: {d}");
            let file = d["file"].as_str().unwrap();
            assert!(
                Path::new(&s.path().join("out").join(file)).exists(),
                "{step}: {file}"
            );
        }
        let again = convert(&s, "in.csv", "ACME", "20261122").output().unwrap();
        let expect = if killed_file_survives { 1 } else { 0 };
        assert_eq!(
            again.status.code(),
            Some(expect),
            "{step}: A1 delivered = {killed_file_survives}"
        );
    }
}

fn results_join_takes_a_delivery_name_from_the_history(b: &Backend) {
    let s = Scratch::on(b);
    let delivery = s.fixture("results/delivery_20220104-1001-1.csv");
    let result = s.fixture("results/result_20220106-acos1001.csv");
    s.cmd()
        .arg("convert")
        .arg(&delivery)
        .args([
            "--client",
            "1001",
            "--date",
            "20220104",
            "--out-dir",
            "out",
            "--state-dir",
            "st",
            "-q",
        ])
        .assert()
        .code(predicates::ord::lt(2));
    let by_file = s
        .cmd()
        .arg("results")
        .arg(&result)
        .args(["--format", "json", "--join"])
        .arg(&delivery)
        .output()
        .unwrap();
    assert_eq!(
        by_file.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&by_file.stderr)
    );
    let by_name = s
        .cmd()
        .arg("results")
        .arg(&result)
        .args([
            "--format",
            "json",
            "--join",
            "20220104-1001-1.csv",
            "--state-dir",
            "st",
        ])
        .output()
        .unwrap();
    assert_eq!(
        by_name.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    let strip = |v: &[u8]| {
        let mut j: serde_json::Value = serde_json::from_slice(v).unwrap();
        let join = j.get_mut("join").expect("a join section");
        join.as_object_mut().unwrap().remove("delivery");
        join.clone()
    };
    assert_eq!(strip(&by_file.stdout), strip(&by_name.stdout));
    s.cmd()
        .arg("results")
        .arg(&result)
        .args(["--join", "20991231-NOPE-1.csv", "--state-dir", "st"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("history list"));
}

crate::on_both_backends!(
    numbers_continue_after_the_out_dir_was_emptied,
    a_reused_identifier_is_rejected_naming_the_earlier_file_unless_allowed,
    nothing_delivered_when_every_identifier_was_delivered,
    forget_frees_the_identifiers_but_not_the_number,
    history_show_lists_the_identifiers_by_row,
    validate_checks_against_the_history_without_changing_it,
    dry_run_prints_the_name_and_writes_nothing,
    a_config_file_supplies_what_the_cron_line_leaves_out_and_flags_win,
    convert_without_a_client_says_how_to_give_one,
    concurrent_converts_never_share_a_number_or_an_identifier,
    a_killed_convert_leaves_a_consistent_state_and_the_next_run_settles_it,
    results_join_takes_a_delivery_name_from_the_history,
);

/// A run that cannot take the history's lock waits `COLLECTMAXX_LOCK_TIMEOUT_S` seconds (5
/// minutes unless set), then gives up with exit 2, saying who holds the lock and what to do,
/// and writes nothing. The lock is held here, by this test's own process, as another run
/// would hold it.
#[test]
fn a_run_gives_up_on_a_held_lock_after_the_configured_wait() {
    use collectmaxx::history::History;
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let history =
        collectmaxx::state::SqliteHistory::open(&s.path().join(".state/collectmaxx")).unwrap();
    let held = history
        .lock(None, std::time::Duration::from_secs(5))
        .unwrap();
    let started = std::time::Instant::now();
    let out = convert(&s, "export.csv", "ACME", "20261122")
        .env("COLLECTMAXX_LOCK_TIMEOUT_S", "1")
        .timeout(crate::harness::LIMIT)
        .output()
        .unwrap();
    let waited = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("another collectmaxx run holds the lock")
            && err.contains("gave up after 1 s")
            && err.contains("Wait for that run to finish"),
        "{err}"
    );
    assert!(waited >= std::time::Duration::from_secs(1), "{waited:?}");
    assert!(waited < std::time::Duration::from_secs(30), "{waited:?}");
    assert!(csvs(&s).is_empty(), "{:?}", s.files("out"));
    // Released, the same run goes through.
    drop(held);
    convert(&s, "export.csv", "ACME", "20261122")
        .env("COLLECTMAXX_LOCK_TIMEOUT_S", "1")
        .assert()
        .code(1);
    assert_eq!(csvs(&s).len(), 1);
}

/// A wait that is not a number of seconds is refused before anything is read or written.
#[test]
fn a_lock_wait_that_is_not_seconds_is_exit_2() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    convert(&s, "export.csv", "ACME", "20261122")
        .env("COLLECTMAXX_LOCK_TIMEOUT_S", "five")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "COLLECTMAXX_LOCK_TIMEOUT_S='five' is not a whole number of seconds",
        ));
    assert!(csvs(&s).is_empty());
}
