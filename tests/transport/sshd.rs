//! A real OpenSSH server for the transport tests: sshd on 127.0.0.1 on a free port, host keys
//! made for the test, and an unprivileged system user made for the test (never root: root
//! ignores folder modes, so "not writable" could not be tested).
//!
//! Needs root (useradd, chpasswd) and /usr/sbin/sshd (`.ci/run` installs openssh-server); when
//! either is missing, or sshd does not start, [`Server::start`] says why through
//! [`crate::harness::skip`] (a failure under `CI=true`) and returns `None`. One server at a time,
//! across threads and processes (a file lock): the tests create users.
#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

pub const SSHD: &str = "/usr/sbin/sshd";

#[derive(Debug, Clone, Copy, Default)]
pub struct Opts {
    /// Also give the server an RSA host key (ed25519 always).
    pub rsa_host_key: bool,
    /// Leave out the ed25519 host key (then only RSA).
    pub no_ed25519: bool,
}

pub struct Server {
    pub dir: PathBuf,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub uid: u32,
    pub gid: u32,
    pub home: PathBuf,
    pub config_path: PathBuf,
    /// host key public files, ed25519 first when present
    pub host_pubs: Vec<PathBuf>,
    pub log: Arc<Mutex<String>>,
    child: Option<Child>,
    _lock: File,
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn skip(why: &str) -> Option<Server> {
    crate::harness::skip(&format!("no real sshd for this test: {why}"));
    None
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// All processes whose parent chain reaches `root` (sshd's per-connection children call
/// setsid(), so a process group does not hold them).
pub fn descendants(root: u32) -> Vec<u32> {
    let mut parent = std::collections::HashMap::new();
    if let Ok(rd) = fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
                continue;
            };
            let ppid = rest
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(0);
            parent.insert(pid, ppid);
        }
    }
    let mut out = vec![];
    for (&pid, _) in parent.iter() {
        let mut p = pid;
        let mut guard = 0;
        while p > 1 && guard < 64 {
            let pp = *parent.get(&p).unwrap_or(&0);
            if pp == root {
                out.push(pid);
                break;
            }
            p = pp;
            guard += 1;
        }
    }
    out.sort();
    out
}

fn signal(pid: u32, sig: i32) {
    unsafe {
        libc::kill(pid as libc::pid_t, sig);
    }
}

impl Server {
    pub fn start() -> Option<Server> {
        Self::start_with(Opts::default())
    }

    pub fn start_with(opts: Opts) -> Option<Server> {
        if unsafe { libc::geteuid() } != 0 {
            return skip("not root (useradd and sshd need root)");
        }
        if !Path::new(SSHD).exists() {
            return skip("/usr/sbin/sshd is not installed (apt-get install openssh-server)");
        }
        // one at a time, across test binaries too
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open("/tmp/collectmaxx-sshd-tests.lock")
            .ok()?;
        lock.lock().ok()?;

        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let user = format!("cmxt{}x{}", std::process::id(), n);
        let dir = std::env::temp_dir().join(format!("cmx-sshd-{}-{}", std::process::id(), n));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).ok()?;
        // the user must traverse it to read authorized_keys (sshd reads it as the user)
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).ok()?;
        if let Err(e) = fs::create_dir_all("/run/sshd") {
            return skip(&format!("cannot create /run/sshd: {e}"));
        }

        let mut host_pubs = vec![];
        let mut host_keys = vec![];
        let mut kinds = vec![];
        if !opts.no_ed25519 {
            kinds.push(("ed25519", vec!["-t", "ed25519"]));
        }
        if opts.rsa_host_key || opts.no_ed25519 {
            kinds.push(("rsa", vec!["-t", "rsa", "-b", "3072"]));
        }
        for (name, args) in kinds {
            let key = dir.join(format!("ssh_host_{name}_key"));
            if let Err(e) = run(Command::new("ssh-keygen")
                .args(&args)
                .args(["-q", "-N", ""])
                .arg("-f")
                .arg(&key))
            {
                return skip(&e);
            }
            host_pubs.push(key.with_extension("pub"));
            host_keys.push(key);
        }

        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let password = format!("Pw-{:x}-{nanos:x}", std::process::id());
        let home = dir.join("home");
        if let Err(e) = run(Command::new("useradd")
            .args([
                "--system",
                "--create-home",
                "--shell",
                "/usr/sbin/nologin",
                "--home-dir",
            ])
            .arg(&home)
            .arg(&user))
        {
            return skip(&e);
        }
        let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
        let (uid, gid) = passwd
            .lines()
            .find_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.first() == Some(&user.as_str()))
                    .then(|| (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0)))
            })
            .unwrap_or((0, 0));
        let mut server = Server {
            dir: dir.clone(),
            port: 0,
            user: user.clone(),
            password: password.clone(),
            uid,
            gid,
            home: home.clone(),
            config_path: dir.join("sshd_config"),
            host_pubs,
            log: Arc::new(Mutex::new(String::new())),
            child: None,
            _lock: lock,
        };
        // from here on, Drop cleans up (user, dir)
        {
            use std::io::Write;
            let mut ch = match Command::new("chpasswd")
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
            {
                Ok(c) => c,
                Err(e) => return skip(&format!("chpasswd: {e}")),
            };
            let _ = writeln!(ch.stdin.take().unwrap(), "{user}:{password}");
            if !ch.wait().map(|s| s.success()).unwrap_or(false) {
                return skip("chpasswd failed");
            }
        }
        let ak = dir.join("authorized_keys");
        fs::write(&ak, "").ok()?;
        fs::set_permissions(&ak, fs::Permissions::from_mode(0o644)).ok()?;

        for _try in 0..3 {
            let port = free_port();
            let mut conf = String::new();
            conf += "ListenAddress 127.0.0.1\n";
            conf += &format!("Port {port}\n");
            for k in &host_keys {
                conf += &format!("HostKey {}\n", k.display());
            }
            conf += &format!("PidFile {}\n", dir.join("sshd.pid").display());
            conf += "UsePAM no\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n";
            conf += &format!("AuthorizedKeysFile {}\n", ak.display());
            conf += "StrictModes no\nPermitRootLogin no\n";
            conf += &format!("AllowUsers {user}\n");
            conf += "Subsystem sftp internal-sftp\nLogLevel VERBOSE\n";
            // hostkey probing opens several connections; tests fail logins on purpose
            conf += "MaxStartups 100\nMaxAuthTries 10\nLoginGraceTime 30\n";
            // OpenSSH >= 9.8 penalizes sources with failed logins: off for tests
            conf += "PerSourcePenalties no\n";
            fs::write(&server.config_path, &conf).ok()?;
            if let Err(e) = run(Command::new(SSHD)
                .arg("-t")
                .arg("-f")
                .arg(&server.config_path))
            {
                if e.contains("PerSourcePenalties") {
                    conf = conf.replace("PerSourcePenalties no\n", "");
                    fs::write(&server.config_path, &conf).ok()?;
                } else {
                    return skip(&format!("sshd -t rejects the test config: {e}"));
                }
            }

            let mut child = match Command::new(SSHD)
                .arg("-D")
                .arg("-f")
                .arg(&server.config_path)
                .arg("-e")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .process_group(0)
                .spawn()
            {
                Ok(c) => c,
                Err(e) => return skip(&format!("cannot run sshd: {e}")),
            };
            let stderr = child.stderr.take().unwrap();
            let log = server.log.clone();
            let (tx, rx) = mpsc::channel::<bool>();
            std::thread::spawn(move || {
                let mut tx = Some(tx);
                for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                    if std::env::var_os("SSHD_LOG").is_some() {
                        eprintln!("sshd: {line}");
                    }
                    let ready = line.contains("Server listening on");
                    let failed = line.contains("Cannot bind") || line.contains("Bind to port");
                    log.lock().unwrap().push_str(&line);
                    log.lock().unwrap().push('\n');
                    if ready || failed {
                        if let Some(t) = tx.take() {
                            let _ = t.send(ready);
                        }
                    }
                }
            });
            match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(true) => {
                    server.port = port;
                    server.child = Some(child);
                    return Some(server);
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let log = server.log.lock().unwrap().clone();
                    if !log.contains("Bind") {
                        return skip(&format!("sshd did not start: {log}"));
                    }
                }
            }
        }
        skip("sshd could not bind a free port three times")
    }

    pub fn sshd_pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// The whole server, listener and every session process: the connection drops at once.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let root = c.id();
            let kids = descendants(root);
            signal(root, libc::SIGKILL);
            for k in kids {
                signal(k, libc::SIGKILL);
            }
            let _ = c.wait();
        }
    }

    /// SIGSTOP / SIGCONT the session processes (not the listener): the server stops answering.
    pub fn freeze_sessions(&self, stop: bool) {
        for k in descendants(self.sshd_pid()) {
            signal(k, if stop { libc::SIGSTOP } else { libc::SIGCONT });
        }
    }

    /// A folder in the user's home, owned by the user, with `mode`.
    pub fn user_dir(&self, name: &str, mode: u32) -> PathBuf {
        let p = self.home.join(name);
        fs::create_dir_all(&p).unwrap();
        std::os::unix::fs::chown(&p, Some(self.uid), Some(self.gid)).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
        p
    }

    /// A folder the user can list but not write (owned by root, 0755).
    pub fn readonly_dir(&self, name: &str) -> PathBuf {
        let p = self.home.join(name);
        fs::create_dir_all(&p).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    pub fn authorize(&self, pubkey_file: &Path) {
        let k = fs::read_to_string(pubkey_file).unwrap();
        let ak = self.dir.join("authorized_keys");
        let mut cur = fs::read_to_string(&ak).unwrap_or_default();
        cur.push_str(&k);
        fs::write(&ak, cur).unwrap();
    }

    /// `ssh-keygen -lf` of each host key: (fingerprint, type as in the .pub file)
    pub fn host_fingerprints(&self) -> Vec<(String, String)> {
        self.host_pubs
            .iter()
            .map(|p| {
                let out = run(Command::new("ssh-keygen")
                    .args(["-l", "-E", "sha256", "-f"])
                    .arg(p))
                .unwrap();
                let fp = out.split_whitespace().nth(1).unwrap().to_string();
                let typ = fs::read_to_string(p)
                    .unwrap()
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_string();
                (fp, typ)
            })
            .collect()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.freeze_sessions(false);
        self.kill();
        // userdel fails while a process of the user lives: give killed sessions a moment
        for _ in 0..20 {
            let out = Command::new("userdel")
                .arg("-r")
                .arg(&self.user)
                .stderr(Stdio::piped())
                .output();
            match out {
                Ok(o) if o.status.success() => break,
                Ok(o) if String::from_utf8_lossy(&o.stderr).contains("does not exist") => break,
                Ok(o) if String::from_utf8_lossy(&o.stderr).contains("mail spool") => break,
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}
