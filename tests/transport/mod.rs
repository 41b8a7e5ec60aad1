//! `send`, `convert --send`, `fetch` and `hostkey` against a real OpenSSH server ([`sshd`]),
//! through the binary. Each test starts its own server and user; they run one at a time.

mod failures;
mod fetch;
mod modes;
pub mod perf;
mod send;
mod sshd;

use std::path::{Path, PathBuf};

use crate::harness::{json, Scratch};
use sshd::Server;

/// A server, a scratch dir with a configuration that points at it, and the server's folders.
pub struct Site {
    pub srv: Server,
    pub s: Scratch,
    /// The upload folder on the server (a local path: the server runs here).
    pub inbox: PathBuf,
    /// The results folder on the server.
    pub outbox: PathBuf,
}

pub const DATE: &str = "20261122";

impl Site {
    /// A server with a password user and a configuration pinning its ed25519 key; `extra`
    /// lines go into `[sftp]` (they override nothing: give only keys not written here).
    pub fn start(extra: &str) -> Option<Site> {
        Self::start_with(extra, None)
    }

    pub fn start_with(extra: &str, host_key: Option<&str>) -> Option<Site> {
        let srv = Server::start()?;
        let inbox = srv.user_dir("in", 0o755);
        let outbox = srv.user_dir("out", 0o755);
        let s = Scratch::new();
        let pin = match host_key {
            Some(k) => k.to_string(),
            None => format!("host_key = [\"{}\"]", srv.host_fingerprints()[0].0),
        };
        s.write(
            "collectmaxx.toml",
            format!(
                "[sftp]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"{}\"\n{pin}\nupload_dir = \"{}\"\nresults_dir = \"{}\"\nresults_to = \"results\"\ntimeout_s = 5\nretries = 0\n{extra}\n",
                srv.port,
                srv.user,
                inbox.display(),
                outbox.display()
            ),
        );
        Some(Site {
            srv,
            s,
            inbox,
            outbox,
        })
    }

    /// The binary in the scratch dir, with the password in the default environment variable.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.s.cmd();
        c.env("COLLECTMAXX_SFTP_PASSWORD", &self.srv.password)
            .timeout(std::time::Duration::from_secs(120));
        c
    }

    /// `convert` of the demo export for client DEMO on `date`, ready to run. The demo has
    /// rejected rows, so convert exits 1.
    pub fn convert_cmd(&self, date: &str, extra: &[&str]) -> assert_cmd::Command {
        if !self.s.exists("export.csv") {
            self.s.fixture("demo/export.csv");
        }
        let mut c = self.cmd();
        c.args([
            "convert",
            "export.csv",
            "--client",
            "DEMO",
            "--out-dir",
            "out",
        ])
        .args([
            "--date",
            date,
            "--today",
            "2026-11-22",
            "-q",
            "--allow-reuse",
        ])
        .args(extra);
        c
    }

    /// Runs [`Site::convert_cmd`]: (exit code, the delivery's name, standard error).
    pub fn convert(&self, date: &str, extra: &[&str]) -> (i32, String, String) {
        let out = self.convert_cmd(date, extra).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            format!("{date}-DEMO-1.csv"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The history's record of `file` (`history show --format json`).
    pub fn shown(&self, file: &str) -> serde_json::Value {
        let out = self
            .cmd()
            .args(["history", "show", file, "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&String::from_utf8_lossy(&out.stdout))["delivery"].clone()
    }

    pub fn remote(&self, name: &str) -> PathBuf {
        self.inbox.join(name)
    }
}

/// The names in a folder, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Output of a finished command, as text: (code, stdout, stderr).
pub fn ran(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
