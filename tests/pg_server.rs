//! A real PostgreSQL server for the tests of the shared history: one per test process,
//! started on first use with `initdb` into a temp dir and `pg_ctl start` on a free port of
//! 127.0.0.1 (TLS on, with a CA made by the `openssl` command), stopped when the process
//! exits. Each test gets a database of its own ([`database`]).
//!
//! `initdb` refuses to run as root: as root, the server runs as the unprivileged system user
//! [`TEST_USER`] (created with `useradd --system` when missing) through `runuser`. When
//! anything is missing (no PostgreSQL, no `openssl`), [`database`] says why and the test
//! skips through [`crate::harness::skip`], which fails under `CI=true`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The unprivileged user the server runs as when the tests run as root.
pub const TEST_USER: &str = "collectmaxx-pgtest";
pub const SUPERUSER: &str = "postgres";
pub const SUPERUSER_PASSWORD: &str = "super-secret-Pw1";

/// The running server.
pub struct Server {
    pub port: u16,
    pub bin: PathBuf,
    /// Holds `data/`, `sock/`, `certs/`, `server.log`; owned by the server's user.
    pub root: PathBuf,
    /// The CA that signed the server certificate.
    pub ca: PathBuf,
    /// A CA that did not.
    pub other_ca: PathBuf,
    user: Option<String>,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static STOPPED: Mutex<bool> = Mutex::new(false);
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The shared server, started on first use; `Err` says why it cannot run here.
pub fn server() -> Result<&'static Server, String> {
    SERVER
        .get_or_init(|| {
            let s = Server::start()?;
            // SAFETY: registers a plain function to run at exit.
            unsafe { libc::atexit(stop_at_exit) };
            Ok(s)
        })
        .as_ref()
        .map_err(Clone::clone)
}

extern "C" fn stop_at_exit() {
    if let Some(Ok(s)) = SERVER.get() {
        s.stop();
        let _ = std::fs::remove_dir_all(&s.root);
    }
}

/// A new, empty database on the shared server, and its URL for a collectmaxx role with a
/// password; `None` (after [`crate::harness::skip`]) when no server can run here.
pub fn database() -> Option<Db> {
    let server = match server() {
        Ok(s) => s,
        Err(why) => {
            crate::harness::skip(&format!("no PostgreSQL test server: {why}"));
            return None;
        }
    };
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    let mut admin = server.admin().expect("the test server takes connections");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    Some(Db {
        name: name.clone(),
        url: server.url(
            SUPERUSER,
            Some(SUPERUSER_PASSWORD),
            &name,
            "sslmode=disable",
        ),
        server,
    })
}

/// A database of the test server.
pub struct Db {
    pub name: String,
    /// The superuser's URL, without TLS.
    pub url: String,
    pub server: &'static Server,
}

impl Db {
    /// A plain connection as the superuser.
    pub fn admin(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test database")
    }
}

impl Server {
    fn start() -> Result<Server, String> {
        let bin =
            find_bin_dir().ok_or("no PostgreSQL binaries (initdb) found: install postgresql")?;
        which("openssl").ok_or("no `openssl` command to make the test certificates")?;
        let user = if unsafe { libc::geteuid() } == 0 {
            Some(ensure_user()?)
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("collectmaxx-pg-")
            .tempdir()
            .map_err(|e| format!("cannot make a temp dir: {e}"))?;
        let root = dir.keep();
        let certs = root.join("certs");
        make_certs(&certs)?;
        std::fs::create_dir(root.join("sock")).map_err(|e| e.to_string())?;
        let pwfile = root.join("pwfile");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).map_err(|e| e.to_string())?;
        if let Some(u) = &user {
            let out = Command::new("chown")
                .args(["-R", u])
                .arg(&root)
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!("chown: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
        let mut server = Server {
            port: 0,
            bin,
            root: root.clone(),
            ca: certs.join("ca.crt"),
            other_ca: certs.join("other-ca.crt"),
            user,
        };
        let data = root.join("data");
        let out = server.run_as(
            "initdb",
            &[
                "-D".into(),
                data.display().to_string(),
                "-U".into(),
                SUPERUSER.into(),
                "--auth=scram-sha-256".into(),
                format!("--pwfile={}", pwfile.display()),
                "-E".into(),
                "UTF8".into(),
                "--locale=C".into(),
                "--no-sync".into(),
            ],
        )?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        for f in ["server.crt", "server.key"] {
            let to = data.join(f);
            std::fs::copy(certs.join(f), &to).map_err(|e| e.to_string())?;
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| e.to_string())?;
            if let Some(u) = &server.user {
                let _ = Command::new("chown").arg(u).arg(&to).output();
            }
        }
        let mut last = String::new();
        for _ in 0..5 {
            server.port = free_port()?;
            match server.pg_ctl_start() {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// A `postgres://` URL to 127.0.0.1 for `user`, plus `params` (e.g. `sslmode=disable`).
    pub fn url(&self, user: &str, password: Option<&str>, db: &str, params: &str) -> String {
        let cred = match password {
            Some(p) => format!("{user}:{p}"),
            None => user.to_string(),
        };
        let q = if params.is_empty() {
            String::new()
        } else {
            format!("?{params}")
        };
        format!("postgres://{cred}@127.0.0.1:{}/{db}{q}", self.port)
    }

    pub fn admin(&self) -> Result<postgres::Client, postgres::Error> {
        let url = self.url(
            SUPERUSER,
            Some(SUPERUSER_PASSWORD),
            "postgres",
            "sslmode=disable",
        );
        postgres::Client::connect(&url, postgres::NoTls)
    }

    fn stop(&self) {
        let mut stopped = STOPPED.lock().unwrap_or_else(|e| e.into_inner());
        if !*stopped {
            let data = self.root.join("data").display().to_string();
            let _ = self.run_as(
                "pg_ctl",
                &[
                    "-D".into(),
                    data,
                    "-m".into(),
                    "immediate".into(),
                    "-w".into(),
                    "stop".into(),
                ],
            );
            *stopped = true;
        }
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let o = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c max_connections=200",
            self.port,
            self.root.join("sock").display()
        );
        let out = self.run_as(
            "pg_ctl",
            &[
                "-D".into(),
                self.root.join("data").display().to_string(),
                "-o".into(),
                o,
                "-l".into(),
                self.root.join("server.log").display().to_string(),
                "-w".into(),
                "-t".into(),
                "60".into(),
                "start".into(),
            ],
        )?;
        if out.status.success() {
            Ok(())
        } else {
            let log = std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default();
            Err(format!(
                "pg_ctl start failed: {}; server log: {}",
                String::from_utf8_lossy(&out.stderr).trim(),
                log.lines().rev().take(5).collect::<Vec<_>>().join(" / ")
            ))
        }
    }

    fn run_as(&self, prog: &str, args: &[String]) -> Result<Output, String> {
        let exe = self.bin.join(prog);
        let mut cmd = match &self.user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(u).arg("--").arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args)
            .current_dir(&self.root)
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .stdin(Stdio::null());
        cmd.output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))
    }
}

fn ensure_user() -> Result<String, String> {
    static SETUP: Mutex<()> = Mutex::new(());
    let _g = SETUP.lock().unwrap_or_else(|e| e.into_inner());
    let exists = |n: &str| {
        Command::new("id")
            .arg(n)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !exists(TEST_USER) {
        let out = Command::new("useradd")
            .args(["--system", "--no-create-home", "--home-dir", "/nonexistent"])
            .args(["--shell", "/usr/sbin/nologin", TEST_USER])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run useradd: {e}"))?;
        if !exists(TEST_USER) {
            return Err(format!(
                "initdb refuses root and useradd could not create {TEST_USER}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    Ok(TEST_USER.to_string())
}

/// The newest `/usr/lib/postgresql/N/bin`, else `initdb` on the `PATH`.
fn find_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, b)) = versions.pop() {
        return Some(b);
    }
    which("initdb").and_then(|p| p.parent().map(Path::to_path_buf))
}

fn which(prog: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// A CA, a server certificate for `localhost` and `127.0.0.1` signed by it, and another CA.
fn make_certs(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let ossl = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run openssl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl {} failed: {}",
                args[0],
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for (name, cn) in [("ca", "collectmaxx test CA"), ("other-ca", "another CA")] {
        let (key, crt, subj) = (
            format!("{name}.key"),
            format!("{name}.crt"),
            format!("/CN={cn}"),
        );
        let mut a = vec!["req", "-x509", "-new"];
        a.extend(ec);
        a.extend(["-keyout", &key, "-out", &crt, "-days", "2", "-subj", &subj]);
        a.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
        a.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        ossl(&a)?;
    }
    let mut a = vec!["req", "-new"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    ossl(&a)?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| e.to_string())?;
    ossl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ])
}
