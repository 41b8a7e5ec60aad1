//! Several processes on one state directory, and processes killed between the steps of a
//! delivery. The processes are this test binary itself, running the ignored `helper_deliver`
//! test with the environment telling it what to do.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use chrono::NaiveDate;
use collectmaxx::codec::DeliveryFormat;
use collectmaxx::history::DeliveryState;
use collectmaxx::outbox::{self, ClientCode};

use crate::harness::Backend;

const BASE_ENV: &str = "COLLECTMAXX_TEST_HELPER_BASE";
const TAG_ENV: &str = "COLLECTMAXX_TEST_HELPER_TAG";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 4).unwrap_or_default()
}

/// One run, as `convert` makes it: lock, recover, number, check identifiers, write, commit.
/// Delivers `own-TAG` and `shared` (unless `shared` was delivered already).
#[test]
#[ignore = "helper process, started by the other tests"]
fn helper_deliver() {
    let Some(base) = std::env::var_os(BASE_ENV).map(PathBuf::from) else {
        return;
    };
    let tag = std::env::var(TAG_ENV).unwrap();
    let out = base.join("out");
    let place = match std::env::var("COLLECTMAXX_STATE_URL") {
        Ok(url) => collectmaxx::backend::Place::shared(&base.join("state"), &url),
        Err(_) => collectmaxx::backend::Place::local(&base.join("state")),
    };
    let mut h = collectmaxx::backend::open(&place).unwrap();
    let lock = h.lock(Some("ACME"), Duration::from_secs(60)).unwrap();
    outbox::recover(h.as_mut(), &lock, Some(&out)).unwrap();
    let max = outbox::highest_in_dir(&out, day(), &ClientCode::new("ACME").unwrap()).unwrap();
    let n = h.next_number(day(), "ACME", max).unwrap();
    let own = format!("own-{tag}");
    let mut ids = vec![own.as_str()];
    if h.find_delivered("ACME", &mut ["shared"].into_iter())
        .unwrap()
        .is_empty()
    {
        ids.push("shared");
    }
    let entry = crate::harness::new_delivery(day(), "ACME", n, ids.len());
    // Widen the window in which another run could interfere if the lock did not hold.
    std::thread::sleep(Duration::from_millis(30));
    let body = ids.join("\n");
    let path =
        crate::harness::commit_delivery(h.as_mut(), &lock, &out, &entry, &ids, body.as_bytes());
    println!("DELIVERED {}", path.file_name().unwrap().to_string_lossy());
}

fn spawn(b: &Backend, base: &Path, tag: &str, crash: Option<&str>) -> Child {
    // The helper's name as libtest knows it: its module path without the crate's name.
    let here = module_path!();
    let helper = format!(
        "{}::helper_deliver",
        here.split_once("::").map_or(here, |p| p.1)
    );
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        helper.as_str(),
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(BASE_ENV, base)
    .env(TAG_ENV, tag)
    .env_remove(outbox::CRASH_ENV)
    .env_remove("COLLECTMAXX_STATE_URL")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    if let Some(url) = b.url() {
        cmd.env("COLLECTMAXX_STATE_URL", url);
    }
    if let Some(step) = crash {
        cmd.env(outbox::CRASH_ENV, step);
    }
    cmd.spawn().unwrap()
}

fn delivered_name(out: &Output) -> Option<String> {
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
        l.split_once("DELIVERED ")
            .map(|(_, name)| name.trim().to_string())
    })
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn integrity_ok(b: &Backend, state: &Path) {
    if b.url().is_some() {
        return;
    }
    let conn = rusqlite::Connection::open(state.join(collectmaxx::state::DB_FILE)).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

fn concurrent_runs_get_distinct_numbers_and_one_of_them_the_shared_identifier(b: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let runs = 6;
    let children: Vec<Child> = (0..runs)
        .map(|i| spawn(b, dir.path(), &i.to_string(), None))
        .collect();
    let mut names = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        names.push(delivered_name(&out).expect("a delivered name"));
    }
    names.sort();
    let expected: Vec<String> = {
        let mut v: Vec<String> = (1..=runs)
            .map(|n| {
                outbox::file_name(
                    day(),
                    &ClientCode::new("ACME").unwrap(),
                    n,
                    DeliveryFormat::Csv.extension(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(names, expected);
    assert_eq!(files_in(&dir.path().join("out")), expected);

    let state = dir.path().join("state");
    integrity_ok(b, &state);
    let h = b.open(&state);
    let list = h.list(Some("ACME"), None, true).unwrap();
    assert_eq!(list.len(), runs as usize);
    assert!(list.iter().all(|d| d.state == DeliveryState::Delivered));
    let with_shared = list
        .iter()
        .filter(|d| {
            let (_, ids) = h.show(&d.file).unwrap().unwrap();
            ids.iter().any(|i| i.identifier == "shared")
        })
        .count();
    assert_eq!(
        with_shared, 1,
        "exactly one run delivers the shared identifier"
    );
    let own: Vec<String> = (0..runs).map(|i| format!("own-{i}")).collect();
    assert_eq!(
        h.find_delivered("ACME", &mut own.iter().map(String::as_str))
            .unwrap()
            .len(),
        runs as usize
    );
}

/// What a run killed at some step left, and what the next run made of it.
struct AfterKill {
    /// The out dir's files right after the kill.
    files_after_kill: Vec<String>,
    /// The history's entries right after the kill.
    entries: Vec<(String, DeliveryState)>,
    /// The out dir's files after the next run.
    files: Vec<String>,
    /// The name the next run delivered.
    next: String,
}

/// What the out dir and the history hold after a run killed at `step`, and after the next run.
fn killed_at(b: &Backend, step: &str) -> AfterKill {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let state = dir.path().join("state");
    let killed = spawn(b, dir.path(), "killed", Some(step))
        .wait_with_output()
        .unwrap();
    assert!(
        !killed.status.success(),
        "the run should have aborted at {step}"
    );
    assert_eq!(delivered_name(&killed), None);
    let after_kill = files_in(&out_dir);
    let entries = b
        .open(&state)
        .list(None, None, true)
        .unwrap()
        .into_iter()
        .map(|d| (d.file, d.state))
        .collect();

    let next = spawn(b, dir.path(), "next", None)
        .wait_with_output()
        .unwrap();
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    let next_name = delivered_name(&next).unwrap();
    integrity_ok(b, &state);
    // Afterwards: no temp files, nothing pending, every delivered entry's file exists.
    let h = b.open(&state);
    let files = files_in(&out_dir);
    assert!(
        files.iter().all(|f| !f.starts_with(outbox::SPOOL_PREFIX)),
        "{files:?}"
    );
    for d in h.list(None, None, true).unwrap() {
        assert_ne!(d.state, DeliveryState::Pending, "{}", d.file);
        if d.state == DeliveryState::Delivered {
            assert!(
                files.contains(&d.file),
                "{} is in the history but not on disk",
                d.file
            );
        }
    }
    AfterKill {
        files_after_kill: after_kill,
        entries,
        files,
        next: next_name,
    }
}

fn is_temp(names: &[String]) -> bool {
    names.len() == 1 && names.iter().all(|n| n.starts_with(outbox::SPOOL_PREFIX))
}

fn killed_after_the_temp_file_leaves_no_history_and_the_temp_file_is_removed(b: &Backend) {
    let AfterKill {
        files_after_kill: after_kill,
        entries,
        files,
        next,
    } = killed_at(b, "after_temp");
    assert!(is_temp(&after_kill), "{after_kill:?}");
    assert!(entries.is_empty(), "{entries:?}");
    // The number was never recorded nor used under its final name, so it is given again.
    assert_eq!(next, "20260304-ACME-1.csv");
    assert_eq!(files, vec![next]);
}

fn killed_after_the_pending_record_abandons_the_entry_but_keeps_the_number(b: &Backend) {
    let AfterKill {
        files_after_kill: after_kill,
        entries,
        files,
        next,
    } = killed_at(b, "after_pending");
    assert!(is_temp(&after_kill), "{after_kill:?}");
    assert_eq!(
        entries,
        vec![("20260304-ACME-1.csv".to_string(), DeliveryState::Pending)]
    );
    assert_eq!(next, "20260304-ACME-2.csv");
    assert_eq!(files, vec![next]);
}

fn killed_after_the_rename_confirms_the_delivery(b: &Backend) {
    let AfterKill {
        files_after_kill: after_kill,
        entries,
        files,
        next,
    } = killed_at(b, "after_rename");
    assert_eq!(after_kill, vec!["20260304-ACME-1.csv".to_string()]);
    assert_eq!(
        entries,
        vec![("20260304-ACME-1.csv".to_string(), DeliveryState::Pending)]
    );
    assert_eq!(next, "20260304-ACME-2.csv");
    assert_eq!(files, vec!["20260304-ACME-1.csv".to_string(), next]);
}

crate::on_both_backends!(
    concurrent_runs_get_distinct_numbers_and_one_of_them_the_shared_identifier,
    killed_after_the_temp_file_leaves_no_history_and_the_temp_file_is_removed,
    killed_after_the_pending_record_abandons_the_entry_but_keeps_the_number,
    killed_after_the_rename_confirms_the_delivery,
);
