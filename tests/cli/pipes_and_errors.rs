//! Output into a pipe whose reader has gone, and error messages that say each thing once.

use std::io::Read;
use std::process::Stdio;
use std::time::Instant;

use crate::harness::{Scratch, LIMIT};

/// Runs the binary in the scratch dir with its standard output a pipe whose reading end is
/// already closed (as after `| head` has read its lines): (exit code, stderr).
fn into_closed_pipe(s: &Scratch, args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = s
        .std_cmd()
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("{args:?} did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("{args:?}: ended by a signal"));
    (code, err)
}

#[test]
fn every_command_ends_quietly_when_its_reader_leaves() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    s.fixture("sheets/customers.xlsx");
    s.fixture("results/result_20220105-acos1001.csv");
    // A history to list: one delivery.
    let made = s
        .cmd()
        .args([
            "convert",
            "customers.xlsx",
            "--client",
            "X",
            "--out-dir",
            "out",
            "-q",
        ])
        .args(["--state-dir", "st"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let cases: [(&[&str], i32); 14] = [
        (&["fields"], 0),
        (&["fields", "--format", "json"], 0),
        (&["fields", "--format", "csv"], 0),
        (&["sheets", "customers.xlsx"], 0),
        (&["sheets", "customers.xlsx", "--format", "json"], 0),
        (&["results", "result_20220105-acos1001.csv"], 0),
        (
            &["results", "result_20220105-acos1001.csv", "--format", "csv"],
            0,
        ),
        (&["history", "--state-dir", "st", "list"], 0),
        (&["config"], 0),
        (&["config", "--format", "json"], 0),
        // The verdict of the run stays the exit code: the demo has rejected rows.
        (&["validate", "export.csv"], 1),
        (&["validate", "export.csv", "--format", "json"], 1),
        (&["validate", "export.csv", "--report", "-"], 1),
        (
            &[
                "convert",
                "export.csv",
                "--client",
                "P",
                "--out-dir",
                "o",
                "--state-dir",
                "st2",
                "--report",
                "-",
            ],
            1,
        ),
    ];
    for (args, expected) in cases {
        let (code, err) = into_closed_pipe(&s, args);
        assert_eq!(code, expected, "{args:?}: {err}");
        assert!(
            !err.contains("Broken pipe") && !err.contains("collectmaxx: error"),
            "{args:?}: {err}"
        );
    }
    // The convert whose report went nowhere still made and recorded its delivery.
    let listed = s
        .cmd()
        .args(["history", "--state-dir", "st2", "list", "--format", "json"])
        .output()
        .unwrap();
    let list = crate::harness::json(&String::from_utf8_lossy(&listed.stdout));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
}

/// A message that holds its cause's text must not also print the cause: the one-line report
/// of an error chain said "cannot write in the out dir ro: Permission denied …: cannot write in
/// the out dir ro: Permission denied …".
#[cfg(target_os = "linux")]
#[test]
fn error_messages_say_each_thing_once() {
    let s = Scratch::new();
    s.fixture("sheets/customers.csv");
    let once = |args: &[&str], needle: &str| {
        let out = s.cmd().args(args).timeout(LIMIT).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(err.matches(needle).count(), 1, "{err}");
        err
    };
    // The out dir cannot be made (/proc takes no new directories, not even from root, which
    // can write into a read-only directory): the spool's I/O error.
    let err = once(
        &[
            "convert",
            "customers.csv",
            "--client",
            "X",
            "--out-dir",
            "/proc/self/nope",
            "--state-dir",
            "st",
        ],
        "No such file or directory",
    );
    assert!(
        err.contains("cannot create the out dir /proc/self/nope"),
        "{err}"
    );
    // The state directory cannot be made: the history's I/O error.
    let err = once(
        &[
            "convert",
            "customers.csv",
            "--client",
            "X",
            "--out-dir",
            "out",
            "--state-dir",
            "/proc/nope",
        ],
        "No such file or directory",
    );
    assert!(
        err.contains("cannot use the state directory: /proc/nope"),
        "{err}"
    );
    // The history is no database: the history's SQLite error.
    std::fs::create_dir(s.path().join("broken")).unwrap();
    s.write("broken/history.sqlite3", vec![0x5A; 4096]);
    once(
        &["history", "--state-dir", "broken", "list"],
        "file is not a database",
    );
}

/// Runs `convert` on the demo export with `env` set: (exit code, stderr, report, delivery).
fn convert_demo_with(
    s: &Scratch,
    env: &[(&str, &str)],
) -> (i32, String, serde_json::Value, String) {
    let (code, err, report) = crate::harness::convert_with(s, "export.csv", &[], env);
    let delivery = crate::harness::delivery(s).unwrap_or_default();
    (code, err, report.expect("a report"), delivery)
}

/// A bug in a rule costs the row it struck, as the error `internal.error` in the report, and
/// never the run: the other rows are delivered, the counts still add up, the exit code is 1.
/// The panic is made by the debug builds' `COLLECTMAXX_DEBUG_PANIC_ROW` hook (see `run.rs`).
#[test]
fn a_panicking_rule_becomes_internal_error_for_its_row_only() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    let (_, _, before, delivered_before) = convert_demo_with(&s, &[]);
    let (code, err, report, delivered) =
        convert_demo_with(&s, &[("COLLECTMAXX_DEBUG_PANIC_ROW", "3")]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("internal error"), "the panic escaped: {err}");
    let (sum, sum_before) = (&report["summary"], &before["summary"]);
    assert_eq!(sum["by_code"]["internal.error"], 1, "{sum}");
    assert!(sum_before["by_code"].get("internal.error").is_none());
    assert_eq!(sum["rows_read"], sum_before["rows_read"]);
    let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap();
    assert_eq!(
        n(sum, "records_delivered") + 1,
        n(sum_before, "records_delivered")
    );
    assert_eq!(
        n(sum, "records_rejected"),
        n(sum_before, "records_rejected") + 1
    );
    assert_eq!(
        n(sum, "rows_read"),
        n(sum, "records_delivered") + n(sum, "records_rejected") + n(sum, "rows_skipped")
    );
    let issue = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "internal.error")
        .unwrap();
    assert_eq!(issue["row"], 3, "{issue}");
    assert_eq!(issue["severity"], "error", "{issue}");
    let message = issue["message"].as_str().unwrap();
    assert!(
        message.starts_with("checking this row failed") && message.contains("Please report this"),
        "{message}"
    );
    assert_eq!(
        delivered.lines().count() + 1,
        delivered_before.lines().count()
    );
}
