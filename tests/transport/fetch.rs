//! Result files: fetch, fetch again, a file still being written.

use std::io::Write;
use std::os::unix::fs::{chown, PermissionsExt};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::{names, ran, Site};

fn put(site: &Site, name: &str, text: &str) {
    let p = site.outbox.join(name);
    std::fs::write(&p, text).unwrap();
    chown(&p, Some(site.srv.uid), Some(site.srv.gid)).unwrap();
}

#[test]
fn fetch_takes_new_result_files_once() {
    let Some(site) = Site::start("") else { return };
    put(
        &site,
        "result_20261122-acos0001.csv",
        "\"IDENTIFICATION_IDENTIFIER\"\n\"A-1\"\n",
    );
    put(&site, "result_20261101_20261130_paylink.csv", "x\n");
    // Not result files: a delivery (when upload_dir and results_dir are one folder), a
    // partial upload, anything else. They are neither fetched nor touched.
    let others = [
        "20261122-DEMO-1.csv",
        "20261122-DEMO-2.csv.partial",
        "result_20261122-acos0002.csv.tmp",
        "readme.txt",
    ];
    for other in others {
        put(&site, other, "not a result file\n");
    }
    let (code, out, err) = ran(site.cmd().args(["fetch"]).output().unwrap());
    assert_eq!(code, 0, "{err}\n{}", site.srv.log());
    assert!(out.contains("result_20261122-acos0001.csv"), "{out}");
    let results = site.s.path().join("results");
    assert_eq!(
        names(&results),
        vec![
            "result_20261101_20261130_paylink.csv",
            "result_20261122-acos0001.csv"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(results.join("result_20261122-acos0001.csv")).unwrap(),
        "\"IDENTIFICATION_IDENTIFIER\"\n\"A-1\"\n"
    );
    for other in others {
        assert_eq!(
            std::fs::read_to_string(site.outbox.join(other)).unwrap(),
            "not a result file\n",
            "{other} left alone"
        );
    }
    let mode = std::fs::metadata(results.join("result_20261122-acos0001.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Again: nothing new, exit 0, nothing written.
    let (code, out, err) = ran(site.cmd().args(["fetch"]).output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.is_empty() && err.contains("no new result files"),
        "{out}{err}"
    );
    // A new file the next day is fetched alone, into --out-dir.
    put(&site, "result_20261123-acos0001.csv", "y\n");
    let (code, out, _) = ran(site
        .cmd()
        .args(["fetch", "--out-dir", "r2"])
        .output()
        .unwrap());
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(
        names(&site.s.path().join("r2")),
        vec!["result_20261123-acos0001.csv"]
    );
}

#[test]
fn a_result_file_still_being_written_is_left_for_later() {
    let Some(site) = Site::start("") else { return };
    let name = "result_20261122-acos0001.csv";
    let path = site.outbox.join(name);
    put(&site, name, &"\"A\";\"B\"\n".repeat(2_000_000));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, path) = (stop.clone(), path.clone());
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            while !stop.load(Ordering::SeqCst) {
                f.write_all(b"\"C\";\"D\"\n").unwrap();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let (code, out, err) = ran(site.cmd().args(["fetch"]).output().unwrap());
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("still being written"), "{err}");
    assert!(out.is_empty(), "{out}");
    let results = site.s.path().join("results");
    assert!(
        names(&results).is_empty(),
        "nothing half-copied: {:?}",
        names(&results)
    );
    // Once it is complete, the next fetch takes it whole.
    let (code, out, err) = ran(site.cmd().args(["fetch"]).output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(name));
    assert_eq!(
        std::fs::read(results.join(name)).unwrap(),
        std::fs::read(&path).unwrap()
    );
}
