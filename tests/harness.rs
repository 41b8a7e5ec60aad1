//! The one way the integration tests run the `collectmaxx` binary, and the helpers around it.
//!
//! Every run gets a scratch directory as its working directory and HOME, XDG_CONFIG_HOME,
//! XDG_STATE_HOME and COLLECTMAXX_STATE_DIR inside it, so no test reads the configuration or
//! touches the delivery history of the person running the tests. The state dir is the one the
//! XDG default would give (`.state/collectmaxx`), so tests may look for the history there.
//! Paths in outputs are relative to the scratch dir and stable.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;

pub struct Scratch {
    pub dir: tempfile::TempDir,
    /// The shared history's URL (`COLLECTMAXX_STATE_URL`) when the test runs on PostgreSQL.
    pub url: Option<String>,
}

/// Which history a test runs on: the tests of `tests/history/` run on both (see
/// [`on_both_backends!`](crate::on_both_backends)).
pub enum Backend {
    Sqlite,
    /// A database of its own on the test server.
    Postgres(crate::pg_server::Db),
}

impl Backend {
    /// A fresh database, or `None` after [`skip`] when no PostgreSQL can run here.
    pub fn postgres() -> Option<Backend> {
        crate::pg_server::database().map(Backend::Postgres)
    }

    /// The same kind of backend, empty (a new database for PostgreSQL).
    pub fn fresh(&self) -> Option<Backend> {
        match self {
            Backend::Sqlite => Some(Backend::Sqlite),
            Backend::Postgres(_) => Backend::postgres(),
        }
    }

    /// The state URL of this backend (`None` for SQLite).
    pub fn url(&self) -> Option<String> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres(db) => Some(db.url.clone()),
        }
    }

    /// Opens the history as a run would, with the state dir `dir`.
    pub fn open(&self, dir: &Path) -> Box<dyn collectmaxx::history::History> {
        let place = match self.url() {
            Some(u) => collectmaxx::backend::Place::shared(dir, &u),
            None => collectmaxx::backend::Place::local(dir),
        };
        collectmaxx::backend::open(&place).unwrap()
    }
}

/// A delivery of `records` records for `client`, numbered `number` on `date`, made from
/// `export.csv`: what the history tests record.
pub fn new_delivery(
    date: chrono::NaiveDate,
    client: &str,
    number: u32,
    records: usize,
) -> collectmaxx::history::NewDelivery {
    use collectmaxx::outbox::{file_name, ClientCode};
    collectmaxx::history::NewDelivery {
        file: file_name(date, &ClientCode::new(client).unwrap(), number, "csv"),
        date,
        client: client.to_string(),
        number,
        sha256: "00".repeat(32),
        records: records as u64,
        inputs: vec!["export.csv".to_string()],
    }
}

/// Records `entry` with `ids` (rows 2, 3, ...) the way a run does, through the outbox: a temp
/// file in `out` holding `body`, the pending record, the rename, the confirmation. Returns
/// where the delivery is.
pub fn commit_delivery(
    h: &mut dyn collectmaxx::history::History,
    lock: &collectmaxx::history::Lock,
    out: &Path,
    entry: &collectmaxx::history::NewDelivery,
    ids: &[&str],
    body: &[u8],
) -> PathBuf {
    use collectmaxx::outbox;
    let mut temp = outbox::stage(out).unwrap();
    temp.as_file_mut().write_all(body).unwrap();
    let rows = ids.iter().enumerate().map(|(i, id)| (*id, i as u64 + 2));
    outbox::commit(h, lock, temp, &out.join(&entry.file), entry, rows)
        .unwrap()
        .done()
        .unwrap()
}

/// Runs each named test function (`fn name(b: &Backend)`) once on SQLite and once on
/// PostgreSQL, as `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(&$crate::harness::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                if let Some(b) = $crate::harness::Backend::postgres() { super::$name(&b) }
            } )*
        }
    };
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
            url: None,
        }
    }

    /// A scratch dir whose runs keep their history on `backend`.
    pub fn on(backend: &Backend) -> Scratch {
        Scratch {
            url: backend.url(),
            ..Scratch::new()
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

    /// The binary, run in the scratch dir with colours off and the isolated environment.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a standard command: for tests that spawn several runs or wire pipes.
    pub fn std_cmd(&self) -> StdCommand {
        let mut c = isolated(self.path());
        if let Some(u) = &self.url {
            c.env("COLLECTMAXX_STATE_URL", u);
        }
        c
    }

    /// The binary with the isolated environment, run from the crate's root, for tests that
    /// name committed fixtures by their path (`fixtures/results/...`).
    pub fn cmd_in_crate(&self) -> Command {
        let mut c = self.cmd();
        c.current_dir(env!("CARGO_MANIFEST_DIR"));
        c
    }
}

/// `collectmaxx`, run in `root`, with colours off and every place it could find a
/// configuration or a history inside `root`.
fn isolated(root: &Path) -> StdCommand {
    let mut c = StdCommand::new(env!("CARGO_BIN_EXE_collectmaxx"));
    let state = root.join(".state");
    c.current_dir(root)
        .env("NO_COLOR", "1")
        .env("HOME", root.join(".home"))
        .env("XDG_CONFIG_HOME", root.join(".config"))
        .env("COLLECTMAXX_STATE_DIR", state.join("collectmaxx"))
        .env("XDG_STATE_HOME", state)
        .env_remove("LOCALAPPDATA")
        .env_remove("COLLECTMAXX_STATE_URL")
        .env_remove("PGPASSWORD")
        .env_remove("PGPASSFILE");
    c
}

/// Says that a test could not do its work, and why. Under `CI=true` that is a failure: CI
/// installs what the tests need, so a skip there hides a test that never ran. Elsewhere the
/// reason is written straight to the terminal: libtest captures only the `print!` family, so an
/// `eprintln!` would show the skipped test as a plain `ok`.
pub fn skip(reason: &str) {
    if std::env::var_os("CI").is_some_and(|v| v == OsStr::new("true")) {
        panic!("this test cannot run here ({reason}); under CI=true that is a failure");
    }
    said_skipped(reason);
}

/// Says that a test cannot do its work on this machine for a reason no installation mends
/// (running as root, who may write to a read-only directory): printed, also under `CI=true`.
pub fn skip_here(reason: &str) {
    said_skipped(reason);
}

fn said_skipped(reason: &str) {
    let _ = std::io::stderr().write_all(format!("\nskipped: {reason}\n").as_bytes());
}

/// The delivery in `out/`: `None` when there is none; more than one fails the test.
pub fn delivery(s: &Scratch) -> Option<String> {
    let files: Vec<String> = s
        .files("out")
        .into_iter()
        .filter(|f| f.ends_with(".csv"))
        .collect();
    assert!(files.len() <= 1, "{files:?}");
    files.first().map(|f| s.read(&format!("out/{f}")))
}

/// Nothing was delivered, reported or recorded by a refused run.
pub fn nothing_written(s: &Scratch) {
    let left: Vec<String> = s.files("out");
    assert!(left.is_empty(), "out dir holds {left:?}");
    let listed = listed(s, &[]);
    assert!(listed.is_empty(), "history lists {listed:?}");
}

/// The files the history lists (`history list --all --format json`, with `extra` such as
/// `--state-dir DIR`), forgotten ones too; empty when no history was ever made there. Any
/// other failure of the command fails the test, so "nothing listed" cannot come from a broken
/// `history list`.
pub fn listed(s: &Scratch, extra: &[&str]) -> Vec<String> {
    let out = s
        .cmd()
        .args(["history", "list", "--all", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => json(&String::from_utf8_lossy(&out.stdout))
            .as_array()
            .expect("history list --format json prints an array")
            .iter()
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect(),
        Some(2) if err.contains("no delivery history in") => Vec::new(),
        code => panic!("history list failed with {code:?}: {err}"),
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
    convert_with(s, input, extra, &[])
}

/// [`convert`] with these environment variables set too.
pub fn convert_with(
    s: &Scratch,
    input: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (i32, String, Option<serde_json::Value>) {
    let _ = std::fs::remove_dir_all(s.path().join("out"));
    let mut cmd = s.cmd();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
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
