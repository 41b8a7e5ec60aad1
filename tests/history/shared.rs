//! One history for several machines: `--state-url` on a real PostgreSQL. Each "machine" is a
//! scratch dir of its own (state dir, out dir, home) with its own host name
//! (`COLLECTMAXX_TEST_HOST`), all pointing at one database.

use std::time::Duration;

use predicates::prelude::*;

use super::runs::csvs;
use crate::harness::{json, Backend, Scratch};
use crate::pg_server::Db;

/// A database for the test, or `None` (skipped) when PostgreSQL cannot run here.
fn db() -> Option<Db> {
    match Backend::postgres()? {
        Backend::Postgres(db) => Some(db),
        Backend::Sqlite => None,
    }
}

/// A machine named `host` using the history at `url`.
fn machine(url: &str) -> Scratch {
    Scratch {
        url: Some(url.to_string()),
        ..Scratch::new()
    }
}

fn convert(s: &Scratch, host: &str, input: &str) -> assert_cmd::Command {
    let mut c = super::runs::convert(s, input, "ACME", "20261122");
    c.env("COLLECTMAXX_TEST_HOST", host);
    c
}

/// Where the URL comes from: `--state-url` beats `COLLECTMAXX_STATE_URL`, which beats the
/// config file's `state_url`. With any of them the state dir keeps only this machine's lock (no
/// SQLite history), and `collectmaxx config` shows the URL without its password.
#[test]
fn the_state_url_comes_from_flag_env_or_config_and_the_state_dir_keeps_only_the_lock() {
    let Some(db) = db() else { return };
    let m = Scratch::new();
    for (f, id) in [("a.csv", "A1"), ("b.csv", "B1"), ("c.csv", "C1")] {
        m.write(f, format!("IDENTIFICATION_IDENTIFIER\n{id}\n"));
    }
    // The same server on a port where nothing listens: a run that used it would stop (exit 2).
    let nowhere = db.url.replace(&format!(":{}/", db.server.port), ":1/");
    assert_ne!(nowhere, db.url);
    super::runs::convert(&m, "a.csv", "ACME", "20261122")
        .env("COLLECTMAXX_STATE_URL", &nowhere)
        .args(["--state-url", &db.url])
        .assert()
        .code(0);
    m.write("collectmaxx.toml", format!("state_url = \"{nowhere}\"\n"));
    super::runs::convert(&m, "b.csv", "ACME", "20261122")
        .env("COLLECTMAXX_STATE_URL", &db.url)
        .assert()
        .code(0);
    m.write("collectmaxx.toml", format!("state_url = \"{}\"\n", db.url));
    super::runs::convert(&m, "c.csv", "ACME", "20261122")
        .assert()
        .code(0);
    let names = [
        "20261122-ACME-1.csv",
        "20261122-ACME-2.csv",
        "20261122-ACME-3.csv",
    ];
    assert_eq!(crate::harness::listed(&m, &[]), names);
    let state = m.path().join(".state/collectmaxx");
    assert!(state.join("lock").is_file());
    assert!(!state.join("history.sqlite3").exists());
    let out = m.cmd().arg("config").output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("state_url"), "{shown}");
    assert!(
        !shown.contains(crate::pg_server::SUPERUSER_PASSWORD),
        "{shown}"
    );
}

#[test]
fn two_machines_share_the_numbering_and_the_identifiers() {
    let Some(db) = db() else { return };
    let (a, b) = (machine(&db.url), machine(&db.url));
    a.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\nA2\n");
    b.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA2\nB1\n");
    convert(&a, "alpha", "in.csv").assert().code(0);
    // The other machine's out dir is empty, but the number and A2 are taken.
    convert(&b, "beta", "in.csv").assert().code(1);
    assert_eq!(csvs(&a), ["20261122-ACME-1.csv"]);
    assert_eq!(csvs(&b), ["20261122-ACME-2.csv"]);
    let delivered = b.read("out/20261122-ACME-2.csv");
    assert!(
        delivered.contains("B1") && !delivered.contains("A2"),
        "{delivered}"
    );
    let report = json(&b.read("out/20261122-ACME-2.report.json"));
    let reused: Vec<_> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "identifier.reused")
        .collect();
    assert_eq!(reused.len(), 1, "{report}");
    assert!(reused[0]["message"]
        .as_str()
        .unwrap()
        .contains("20261122-ACME-1.csv"));
    // Both machines list both deliveries.
    for m in [&a, &b] {
        assert_eq!(
            crate::harness::listed(m, &[]),
            ["20261122-ACME-1.csv", "20261122-ACME-2.csv"]
        );
    }
}

#[test]
fn concurrent_runs_on_two_machines_never_share_a_number_or_an_identifier() {
    let Some(db) = db() else { return };
    let machines: Vec<Scratch> = (0..6).map(|_| machine(&db.url)).collect();
    let mut children = Vec::new();
    for (i, m) in machines.iter().enumerate() {
        m.write(
            "in.csv",
            format!("IDENTIFICATION_IDENTIFIER\nOWN{i}\nSHARED\n"),
        );
        let mut c = m.std_cmd();
        c.env("COLLECTMAXX_TEST_HOST", format!("host{}", i % 2))
            .args(super::runs::convert_args("in.csv", "ACME", "20261122"));
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        children.push(c.spawn().unwrap());
    }
    let mut codes = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        codes.push(out.status.code());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut names: Vec<String> = machines.iter().flat_map(csvs).collect();
    names.sort();
    let expected: Vec<String> = (1..=6).map(|n| format!("20261122-ACME-{n}.csv")).collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(names, expected_sorted);
    let shared = machines
        .iter()
        .flat_map(|m| {
            csvs(m)
                .into_iter()
                .map(move |f| m.read(&format!("out/{f}")))
        })
        .filter(|t| t.contains("SHARED"))
        .count();
    assert_eq!(shared, 1, "exit codes {codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        1,
        "{codes:?}"
    );
}

#[test]
fn a_pending_entry_of_another_host_is_left_alone_until_forgotten_by_host() {
    let Some(db) = db() else { return };
    let (a, b) = (machine(&db.url), machine(&db.url));
    b.write("in.csv", "IDENTIFICATION_IDENTIFIER\nB1\n");
    let killed = convert(&b, "beta", "in.csv")
        .env("COLLECTMAXX_TEST_CRASH_AT", "after_pending")
        .output()
        .unwrap();
    assert!(!killed.status.success());
    // Another machine delivers: it does not settle beta's entry (it cannot see beta's disk).
    a.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    convert(&a, "alpha", "in.csv").assert().code(0);
    assert_eq!(csvs(&a), ["20261122-ACME-2.csv"]);
    let list = a
        .cmd()
        .args(["history", "list", "--format", "json"])
        .output()
        .unwrap();
    let list = json(&String::from_utf8_lossy(&list.stdout));
    let states: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().into(),
                d["state"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("20261122-ACME-1.csv".to_string(), "pending".to_string()),
            ("20261122-ACME-2.csv".to_string(), "delivered".to_string())
        ]
    );
    let pending = &list.as_array().unwrap()[0];
    assert_eq!(pending["host"], "beta", "{pending}");
    a.cmd()
        .args(["history", "show", "20261122-ACME-1.csv"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("host:       beta"));
    // Forgetting it needs the host that recorded it.
    a.cmd()
        .args(["history", "forget", "20261122-ACME-1.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pending on host beta"));
    a.cmd()
        .args([
            "history",
            "forget",
            "20261122-ACME-1.csv",
            "--host",
            "alpha",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("recorded on host beta"));
    a.cmd()
        .args(["history", "forget", "20261122-ACME-1.csv", "--host", "beta"])
        .assert()
        .code(0);
    // B1 is free again; the number stays used.
    a.write("b.csv", "IDENTIFICATION_IDENTIFIER\nB1\n");
    convert(&a, "alpha", "b.csv").assert().code(0);
    assert!(a.exists("out/20261122-ACME-3.csv"));
}

#[test]
fn a_killed_run_is_recovered_by_its_own_host() {
    let Some(db) = db() else { return };
    for (step, survives, next) in [("after_pending", false, 2), ("after_rename", true, 2)] {
        let b = Backend::postgres().unwrap();
        let m = Scratch::on(&b);
        m.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
        m.write("next.csv", "IDENTIFICATION_IDENTIFIER\nA2\n");
        let killed = convert(&m, "gamma", "in.csv")
            .env("COLLECTMAXX_TEST_CRASH_AT", step)
            .output()
            .unwrap();
        assert!(!killed.status.success(), "{step}");
        assert_eq!(csvs(&m).len(), usize::from(survives), "{step}");
        convert(&m, "gamma", "next.csv")
            .assert()
            .code(0)
            .stderr(predicate::str::contains(
                "left pending by an interrupted run",
            ));
        assert!(m.exists(&format!("out/20261122-ACME-{next}.csv")), "{step}");
        let listed = crate::harness::listed(&m, &[]);
        assert_eq!(listed.len(), 2, "{step}: {listed:?}");
    }
    drop(db);
}

#[test]
fn migrate_copies_a_local_history_once_and_refuses_a_conflict() {
    let Some(db) = db() else { return };
    let local = Scratch::new();
    local.write("in.csv", "IDENTIFICATION_IDENTIFIER\nL1\nL2\n");
    local.write("more.csv", "IDENTIFICATION_IDENTIFIER\nL3\n");
    convert(&local, "alpha", "in.csv").assert().code(0);
    convert(&local, "alpha", "more.csv").assert().code(0);
    for (copied, skipped) in [(2, 0), (0, 2)] {
        local
            .cmd()
            .args(["history", "migrate", "--to", &db.url])
            .assert()
            .code(0)
            .stdout(predicate::str::contains(format!(
                "copied {copied} deliveries"
            )))
            .stdout(predicate::str::contains(format!(
                "{skipped} were there already"
            )))
            .stdout(predicate::str::contains("super-secret").not());
    }
    // The shared history now refuses L2 and numbers on.
    let m = machine(&db.url);
    m.write("in.csv", "IDENTIFICATION_IDENTIFIER\nL2\nM1\n");
    convert(&m, "beta", "in.csv").assert().code(1);
    assert_eq!(csvs(&m), ["20261122-ACME-3.csv"]);
    // Another local history that gave 20261122-ACME-1.csv to another file.
    let other = Scratch::new();
    other.write("in.csv", "IDENTIFICATION_IDENTIFIER\nX1\n");
    convert(&other, "delta", "in.csv").assert().code(0);
    other
        .cmd()
        .args(["history", "migrate", "--to", &db.url])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be merged"));
    assert_eq!(crate::harness::listed(&m, &[]).len(), 3);
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(db) = db() else { return };
    let m = machine(&db.url);
    m.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    convert(&m, "alpha", "in.csv").assert().code(0);
    db.admin()
        .batch_execute("UPDATE schema_version SET version = 999, written_by = 'collectmaxx 9.0.0'")
        .unwrap();
    m.write("b.csv", "IDENTIFICATION_IDENTIFIER\nB1\n");
    convert(&m, "alpha", "b.csv")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("schema version 999"))
        .stderr(predicate::str::contains("newer collectmaxx"));
    assert_eq!(csvs(&m), ["20261122-ACME-1.csv"]);
}

#[test]
fn a_database_that_cannot_be_reached_stops_the_run_before_anything_is_written() {
    let Some(db) = db() else { return };
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url =
        format!("postgres://cm:hunter2secret@127.0.0.1:{port}/x?sslmode=disable&connect_timeout=2");
    let m = machine(&url);
    m.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    convert(&m, "alpha", "in.csv")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot connect to the history database",
        ))
        .stderr(predicate::str::contains("hunter2secret").not());
    assert!(csvs(&m).is_empty());
    drop(db);
}

/// A shared history whose database connections are cut (as a server restart or a network
/// failure would) just before `begin` or just before `confirm`.
struct Vanishing {
    inner: Box<dyn collectmaxx::history::History>,
    admin: postgres::Client,
    name: String,
    at: &'static str,
}

impl Vanishing {
    fn cut(&mut self, here: &str) {
        if self.at == here {
            self.admin
                .execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = $1 AND pid <> pg_backend_pid()",
                    &[&self.name],
                )
                .unwrap();
        }
    }
}

impl collectmaxx::history::History for Vanishing {
    fn lock(
        &self,
        c: Option<&str>,
        t: Duration,
    ) -> collectmaxx::history::Result<collectmaxx::history::Lock> {
        self.inner.lock(c, t)
    }
    fn next_number(
        &self,
        d: chrono::NaiveDate,
        c: &str,
        f: u32,
    ) -> collectmaxx::history::Result<u32> {
        self.inner.next_number(d, c, f)
    }
    fn begin(
        &mut self,
        lock: &collectmaxx::history::Lock,
        e: &collectmaxx::history::NewDelivery,
        t: &std::path::Path,
        f: &std::path::Path,
        ids: &mut dyn Iterator<Item = (&str, u64)>,
    ) -> collectmaxx::history::Result<collectmaxx::history::PendingId> {
        self.cut("begin");
        self.inner.begin(lock, e, t, f, ids)
    }
    fn confirm(&mut self, p: collectmaxx::history::PendingId) -> collectmaxx::history::Result<()> {
        self.cut("confirm");
        self.inner.confirm(p)
    }
    fn abandon(&mut self, p: collectmaxx::history::PendingId) -> collectmaxx::history::Result<()> {
        self.inner.abandon(p)
    }
    fn pending(
        &self,
        l: &collectmaxx::history::Lock,
    ) -> collectmaxx::history::Result<Vec<collectmaxx::history::PendingEntry>> {
        self.inner.pending(l)
    }
    fn find_delivered(
        &self,
        c: &str,
        i: &mut dyn Iterator<Item = &str>,
    ) -> collectmaxx::history::Result<
        std::collections::HashMap<String, collectmaxx::history::PriorDelivery>,
    > {
        self.inner.find_delivered(c, i)
    }
    fn list(
        &self,
        c: Option<&str>,
        s: Option<chrono::NaiveDate>,
        a: bool,
    ) -> collectmaxx::history::Result<Vec<collectmaxx::history::Delivery>> {
        self.inner.list(c, s, a)
    }
    fn show(
        &self,
        f: &str,
    ) -> collectmaxx::history::Result<
        Option<(
            collectmaxx::history::Delivery,
            Vec<collectmaxx::history::DeliveredIdentifier>,
        )>,
    > {
        self.inner.show(f)
    }
    fn forget(
        &mut self,
        l: &collectmaxx::history::Lock,
        f: &str,
    ) -> collectmaxx::history::Result<collectmaxx::history::Delivery> {
        self.inner.forget(l, f)
    }
}

#[test]
fn a_database_that_goes_away_mid_commit_delivers_nothing_or_leaves_the_file_pending() {
    use collectmaxx::history::{DeliveryState, History};
    use collectmaxx::outbox;
    for (at, renamed) in [("begin", false), ("confirm", true)] {
        let Some(db) = db() else { return };
        let dir = tempfile::tempdir().unwrap();
        let (state, out) = (dir.path().join("state"), dir.path().join("out"));
        let backend = Backend::Postgres(db);
        let Backend::Postgres(db) = &backend else {
            unreachable!()
        };
        let mut h = Vanishing {
            inner: backend.open(&state),
            admin: db.admin(),
            name: db.name.clone(),
            at,
        };
        let lock = h.lock(Some("ACME"), Duration::from_secs(5)).unwrap();
        let e = super::backend::entry(super::backend::day(2), "ACME", 1);
        let mut temp = outbox::stage(&out).unwrap();
        std::io::Write::write_all(temp.as_file_mut(), b"x").unwrap();
        let err =
            outbox::commit(&mut h, &lock, temp, &out.join(&e.file), &e, [("i1", 2)]).unwrap_err();
        drop(lock);
        let msg = err.to_string();
        assert!(msg.contains("history database"), "{at}: {msg}");
        assert!(!msg.contains("super-secret"), "{at}: {msg}");
        let files: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        if renamed {
            assert_eq!(files, std::slice::from_ref(&e.file), "{at}");
        } else {
            assert!(
                files.is_empty() || files.iter().all(|f| f.starts_with('.')),
                "{at}: {files:?}"
            );
            assert!(!out.join(&e.file).exists());
        }
        // The next run on this machine settles it.
        let mut next = backend.open(&state);
        let lock = next.lock(Some("ACME"), Duration::from_secs(5)).unwrap();
        let done = outbox::recover(next.as_mut(), &lock, Some(&out)).unwrap();
        let listed = next.list(None, None, true).unwrap();
        if renamed {
            assert_eq!(done.len(), 1, "{at}");
            assert_eq!(listed[0].state, DeliveryState::Delivered);
        } else {
            assert!(done.is_empty() && listed.is_empty(), "{at}: {listed:?}");
        }
    }
}

/// A role with the least privileges the docs give (log in, own a schema named after itself),
/// password `pw`, on `db`; returns its name.
fn least_role(db: &Db, pw: &str) -> String {
    let role = format!("cm_{}", db.name);
    db.server
        .admin()
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{pw}';
             REVOKE ALL ON DATABASE {0} FROM PUBLIC;
             GRANT CONNECT ON DATABASE {0} TO {role};",
            db.name
        ))
        .unwrap();
    db.admin()
        .batch_execute(&format!(
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             CREATE SCHEMA {role} AUTHORIZATION {role};"
        ))
        .unwrap();
    role
}

#[test]
fn tls_modes_and_passwords_from_the_environment_and_pgpass() {
    let Some(db) = db() else { return };
    let pw = "pa:ss-Word7";
    let role = least_role(&db, pw);
    let srv = db.server;
    let url = |params: &str| srv.url(&role, None, &db.name, params);
    let m = Scratch::new();
    m.write("in.csv", "IDENTIFICATION_IDENTIFIER\nA1\n");
    let run = |state_url: String, env: &[(&str, &str)]| {
        let mut c = m.cmd();
        c.env("COLLECTMAXX_STATE_URL", state_url)
            .args(["history", "list", "--format", "json"]);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let ok = |o: &std::process::Output| {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let refused = |o: &std::process::Output, says: &str| {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(
            !err.contains("ss-Word7"),
            "the password is never printed: {err}"
        );
    };
    // No password anywhere: refused, saying where a password may come from.
    refused(&run(url("sslmode=disable"), &[]), "PGPASSWORD");
    // PGPASSWORD; TLS required; verified against the right CA, refused against another.
    let env = [("PGPASSWORD", pw)];
    ok(&run(url("sslmode=require"), &env));
    let ca = srv.ca.display().to_string();
    ok(&run(
        url(&format!("sslmode=verify-full&sslrootcert={ca}")),
        &env,
    ));
    let other = srv.other_ca.display().to_string();
    refused(
        &run(
            url(&format!("sslmode=verify-full&sslrootcert={other}")),
            &env,
        ),
        "TLS",
    );
    // verify-full names localhost in the certificate: a URL with another name is refused.
    let by_name =
        url(&format!("sslmode=verify-full&sslrootcert={ca}")).replace("127.0.0.1", "localhost");
    ok(&run(by_name, &env));
    // ~/.pgpass (the harness's HOME), used only when private to its owner.
    let home = m.path().join(".home");
    std::fs::create_dir_all(&home).unwrap();
    let pgpass = home.join(".pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:{}:{role}:pa\\:ss-Word7\n", srv.port, db.name),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    refused(&run(url("sslmode=require"), &[]), "chmod 600");
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    ok(&run(url("sslmode=require"), &[]));
    // The role of least privilege runs a delivery (the first run creates the tables).
    super::runs::convert(&m, "in.csv", "ACME", "20261122")
        .env("COLLECTMAXX_STATE_URL", url("sslmode=require"))
        .assert()
        .code(0);
    assert_eq!(csvs(&m), ["20261122-ACME-1.csv"]);
    // ... and checks identifiers against the history (no temporary table, no privilege more).
    m.write("next.csv", "IDENTIFICATION_IDENTIFIER\nA1\nB1\n");
    super::runs::convert(&m, "next.csv", "ACME", "20261122")
        .env("COLLECTMAXX_STATE_URL", url("sslmode=require"))
        .assert()
        .code(1);
    assert_eq!(csvs(&m), ["20261122-ACME-1.csv", "20261122-ACME-2.csv"]);
    let delivered = m.read("out/20261122-ACME-2.csv");
    assert!(
        delivered.contains("B1") && !delivered.contains("A1"),
        "{delivered}"
    );
}
