//! Personal data stays private on disk: deliveries, reports and the state dir are the
//! owner's only unless `file_mode` loosens it. (No server needed, but here with the transport
//! because the issue asks for both at once.)

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::harness::Scratch;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn convert(s: &Scratch) {
    s.fixture("demo/export.csv");
    let out = s
        .cmd()
        .args([
            "convert",
            "export.csv",
            "--client",
            "DEMO",
            "--out-dir",
            "out",
        ])
        .args(["--date", "20261122", "--today", "2026-11-22", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn deliveries_reports_and_the_state_dir_are_private_by_default() {
    let s = Scratch::new();
    convert(&s);
    assert_eq!(mode(&s.path().join("out/20261122-DEMO-1.csv")), 0o600);
    assert_eq!(
        mode(&s.path().join("out/20261122-DEMO-1.report.json")),
        0o600
    );
    assert_eq!(mode(&s.path().join(".state/collectmaxx")), 0o700);
}

#[test]
fn file_mode_loosens_it_for_a_group() {
    let s = Scratch::new();
    s.write("collectmaxx.toml", "file_mode = \"0640\"\n");
    convert(&s);
    assert_eq!(mode(&s.path().join("out/20261122-DEMO-1.csv")), 0o640);
    assert_eq!(
        mode(&s.path().join("out/20261122-DEMO-1.report.json")),
        0o640
    );
    assert_eq!(mode(&s.path().join(".state/collectmaxx")), 0o750);
    s.write("collectmaxx.toml", "file_mode = \"0666\"\n");
    let out = s.cmd().args(["config"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("writable by others"));
}
