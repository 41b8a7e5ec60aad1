//! Helpers for the end-to-end tests: a scratch directory holding copies of fixtures, and the
//! binary run from inside it so that paths in outputs are relative and stable.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Copies `fixtures/<rel>` into the scratch dir under its file name.
    pub fn fixture(&self, rel: &str) -> PathBuf {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel);
        let dst = self.dir.path().join(src.file_name().unwrap());
        std::fs::copy(&src, &dst).unwrap();
        dst
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap()
    }

    pub fn exists(&self, name: &str) -> bool {
        self.dir.path().join(name).exists()
    }

    pub fn files(&self, sub: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path().join(sub))
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// The binary, run in the scratch dir with colours off and a fixed environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("collectmaxx").unwrap();
        c.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("COLLECTMAXX_STATE_DIR");
        c.env("XDG_STATE_HOME", self.dir.path().join(".state"));
        c.env("XDG_CONFIG_HOME", self.dir.path().join(".config"));
        c
    }
}

/// Parses a report file.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// How long one run of the binary may take in the hostile-input tests.
pub const LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs `convert` and returns (exit code, stderr, report if one was written).
pub fn convert(
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
            "20261122",
            "--today",
            "2026-11-22",
            "-q",
            "--allow-reuse",
        ])
        .args(extra)
        .timeout(LIMIT)
        .output()
        .unwrap();
    let code = out
        .status
        .code()
        .expect("the process ended by a signal or a timeout");
    let report = s
        .files("out")
        .into_iter()
        .find(|f| f.ends_with(".report.json"))
        .map(|f| json(&s.read(&format!("out/{f}"))));
    (
        code,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        report,
    )
}
