//! `collectmaxx history` and `collectmaxx config` from the command line.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use predicates::prelude::*;

use crate::harness::{Backend, Scratch};

fn seed(b: &Backend, state: &Path, out: &Path) {
    let mut h = b.open(state);
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    for (d, client, ids) in [
        (2, "ACME", vec!["a1", "a2"]),
        (5, "ACME", vec!["a3"]),
        (5, "BETA", vec!["b1"]),
    ] {
        let date = NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        let n = h.next_number(date, client, 0).unwrap();
        let entry = crate::harness::new_delivery(date, client, n, ids.len());
        crate::harness::commit_delivery(h.as_mut(), &lock, out, &entry, &ids, b"");
    }
}

fn history_list_show_and_forget(b: &Backend) {
    let dir = Scratch::on(b);
    let state = dir.path().join("state");
    seed(b, &state, &dir.path().join("out"));
    let s = state.to_str().unwrap();

    dir.cmd()
        .args(["history", "list", "--state-dir", s])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("20260102-ACME-1.csv"))
        .stdout(predicate::str::contains("20260105-BETA-1.csv"));
    let out = dir
        .cmd()
        .args([
            "history",
            "list",
            "--client",
            "ACME",
            "--since",
            "2026-01-03",
            "--format",
            "json",
            "--state-dir",
            s,
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["20260105-ACME-1.csv"]);

    dir.cmd()
        .args(["history", "show", "20260102-ACME-1.csv", "--state-dir", s])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("identifiers (2):"))
        .stdout(predicate::str::contains("a2"));
    dir.cmd()
        .args(["history", "show", "nope.csv", "--state-dir", s])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no delivery named 'nope.csv'"));

    dir.cmd()
        .args(["history", "forget", "20260102-ACME-1.csv", "--state-dir", s])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("stays used"));
    dir.cmd()
        .args(["history", "list", "--state-dir", s])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("20260105-ACME-1.csv"))
        .stdout(predicate::str::contains("20260102-ACME-1.csv").not());
    dir.cmd()
        .env("COLLECTMAXX_STATE_DIR", s)
        .args(["history", "list", "--all"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("forgotten"));
    dir.cmd()
        .args(["history", "forget", "20260102-ACME-1.csv", "--state-dir", s])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is forgotten"));
}

#[test]
fn history_without_a_state_dir_says_so_and_creates_nothing() {
    let dir = Scratch::new();
    let state = dir.path().join("nothing-here");
    dir.cmd()
        .args(["history", "list", "--state-dir", state.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no delivery history in"));
    assert!(!state.exists());
}

#[test]
fn config_prints_values_and_origins() {
    let dir = Scratch::new();
    std::fs::write(
        dir.path().join("collectmaxx.toml"),
        "client = \"ACME\"\nservices = \"sms\"\n[set]\nCONTROL_FLOWID = \"1234\"\n",
    )
    .unwrap();
    dir.cmd()
        .args(["config", "--services", "sms,paylink"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"client\s+ACME\s+\[.*collectmaxx.toml:1\]").unwrap())
        .stdout(predicate::str::is_match(r"services\s+sms,paylink\s+\[flag\]").unwrap())
        .stdout(predicate::str::is_match(r"date_order\s+dmy\s+\[default\]").unwrap())
        .stdout(predicate::str::is_match(r"amounts\s+minor\s+\[default\]").unwrap())
        .stdout(predicate::str::contains(
            "note: amounts: minor (cents) is the default, decided per column",
        ))
        .stdout(predicate::str::contains(
            "note: date_order: dmy (day first) is the default, judged per column",
        ))
        .stdout(predicate::str::is_match(r"set.CONTROL_FLOWID\s+1234\s+\[.*:4\]").unwrap());
    dir.cmd()
        .env("COLLECTMAXX_STATE_DIR", "/tmp/somewhere")
        .args(["config", "--format", "json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "environment COLLECTMAXX_STATE_DIR",
        ))
        .stdout(predicate::str::contains(
            "formatted with decimals or a currency",
        ));
    // A unit and an order given decide every column: no note.
    dir.cmd()
        .args(["config", "--amounts", "major", "--date-order", "mdy"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"amounts\s+major\s+\[flag\]").unwrap())
        .stdout(predicate::str::is_match(r"date_order\s+mdy\s+\[flag\]").unwrap())
        .stdout(predicate::str::contains("note:").not());
}

#[test]
fn config_errors_name_the_line_and_exit_2() {
    let dir = Scratch::new();
    std::fs::write(
        dir.path().join("collectmaxx.toml"),
        "client = \"ACME\"\nclinet = \"X\"\n",
    )
    .unwrap();
    dir.cmd()
        .arg("config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("collectmaxx.toml: line 2:"))
        .stderr(predicate::str::contains("clinet"));
}

crate::on_both_backends!(history_list_show_and_forget);
