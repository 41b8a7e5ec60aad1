//! What goes wrong on the way: a full disk on the server, a server that cannot be reached or
//! never answers, an interrupted send whose server is no longer the configured one, and a
//! history shared with another host.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{names, ran, Site, DATE};
use crate::harness::Scratch;

/// A small tmpfs mounted over a folder (the test runs as root), unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// `size` as `mount -o size=` takes it; the mount's root is owned by `uid:gid`, mode 0755.
    fn mount(dir: &Path, size: &str, uid: u32, gid: u32) -> Result<Tmpfs, String> {
        let opts = format!("size={size},uid={uid},gid={gid},mode=0755");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &opts, "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs over {} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        for _ in 0..50 {
            let ok = Command::new("umount").arg(&self.0).status();
            if ok.is_ok_and(|s| s.success()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The upload folder is a 1 MiB file system; the delivery is bigger. The send fails naming the
/// file, leaves nothing on the server and records nothing; with room again, `send --pending`
/// sends it.
#[test]
fn a_full_disk_on_the_server_is_named_and_the_delivery_stays_pending() {
    let Some(site) = Site::start("") else { return };
    let (name, size) = super::perf::big_delivery(&site, 6_000);
    assert!(size > 1_500_000, "the delivery must not fit: {size} bytes");
    let full = match Tmpfs::mount(&site.inbox, "1m", site.srv.uid, site.srv.gid) {
        Ok(m) => m,
        Err(why) => return crate::harness::skip_here(&why),
    };
    let (code, out, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 2, "{out}{err}\n{}", site.srv.log());
    assert!(err.contains("disk is full"), "{err}");
    assert!(err.contains(&format!("{name}.partial")), "{err}");
    assert!(err.contains(&format!("not sent: {name}")), "{err}");
    assert!(names(&site.inbox).is_empty(), "no final name, no partial");
    assert!(site.shown(&name).get("sent").is_none(), "nothing recorded");
    drop(full);
    let (code, out, err) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("sent {name}")), "{out}");
    assert_eq!(std::fs::metadata(site.remote(&name)).unwrap().len(), size);
    assert_eq!(site.shown(&name)["sent"]["state"], "sent");
}

/// A scratch dir whose configuration points at `port` on 127.0.0.1 (no SSH server there),
/// with a delivery in its history: (scratch, the delivery's name).
fn pointed_at(port: u16) -> (Scratch, String) {
    let s = Scratch::new();
    s.write(
        "collectmaxx.toml",
        format!(
            "[sftp]\nhost = \"127.0.0.1\"\nport = {port}\nuser = \"nobody\"\n\
             host_key = [\"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s\"]\n\
             timeout_s = 2\nretries = 1\n"
        ),
    );
    s.fixture("demo/export.csv");
    let (code, err, _) = crate::harness::convert(&s, "export.csv", &[]);
    assert!(code < 2, "{err}");
    (s, format!("{DATE}-X-1.csv"))
}

/// Runs `args` with a password set: (exit code, stdout, stderr, seconds it took).
fn timed(s: &Scratch, args: &[&str]) -> (i32, String, String, f64) {
    let started = Instant::now();
    let out = s
        .cmd()
        .env("COLLECTMAXX_SFTP_PASSWORD", "unused")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let (code, o, e) = ran(out);
    (code, o, e, started.elapsed().as_secs_f64())
}

/// Checks a failure to reach `127.0.0.1:port`: exit 2, the address and what to check named,
/// the retry announced, the delivery not recorded as sent.
fn assert_unreachable(s: &Scratch, name: &str, port: u16, r: (i32, String, String, f64)) {
    let (code, out, err, _) = r;
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("check that host and port in [sftp]"), "{err}");
    assert!(err.contains("(1 of 1)"), "one retry: {err}");
    let shown = s
        .cmd()
        .args(["history", "show", name, "--format", "json"])
        .output()
        .unwrap();
    let shown = crate::harness::json(&String::from_utf8_lossy(&shown.stdout));
    assert!(shown["delivery"].get("sent").is_none(), "{shown}");
}

#[test]
fn a_port_nothing_listens_on_fails_fast_and_says_what_to_check() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (s, name) = pointed_at(port);
    for args in [vec!["send", name.as_str()], vec!["fetch"]] {
        let r = timed(&s, &args);
        // Refused at once; one retry after a 1 s pause.
        assert!(r.3 < 10.0, "{args:?} took {} s", r.3);
        assert_unreachable(&s, &name, port, r);
    }
}

/// A server that accepts the TCP connection and then says nothing: `timeout_s` ends each try.
#[test]
fn a_server_that_never_speaks_ssh_is_given_up_after_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            held.push(c);
        }
    });
    let (s, name) = pointed_at(port);
    for args in [vec!["send", name.as_str()], vec!["fetch"]] {
        let r = timed(&s, &args);
        // Two tries of 2 s and a pause of 1 s: about 5 s, never a hang.
        assert!((4.0..20.0).contains(&r.3), "{args:?} took {} s", r.3);
        assert!(r.2.contains("no answer within 2 s"), "{}", r.2);
        assert_unreachable(&s, &name, port, r);
    }
}

/// A send interrupted after the partial was written, then the configuration names another
/// server (here the same sshd under another host name, which the history cannot know to be
/// the same): nothing is guessed, the delivery stays `sending`, the message names the server
/// it went to; other deliveries are still sent. Back on that server, it is settled.
#[test]
fn an_interrupted_send_is_settled_only_on_the_server_it_went_to() {
    let Some(site) = Site::start("") else { return };
    let (_, name, _) = site.convert(DATE, &[]);
    let out = site
        .cmd()
        .env("COLLECTMAXX_TEST_CRASH_AT", "send_partial_written")
        .args(["send", &name])
        .output()
        .unwrap();
    assert!(out.status.code().is_none(), "aborted at the kill point");
    let partial = format!("{name}.partial");
    assert_eq!(names(&site.inbox), vec![partial.clone()]);
    let recorded = format!("127.0.0.1:{}", site.srv.port);
    let conf = site.s.read("collectmaxx.toml");
    site.s.write(
        "collectmaxx.toml",
        conf.replace("host = \"127.0.0.1\"", "host = \"localhost\""),
    );
    let (_, second, _) = site.convert("20261123", &[]);
    let (code, out, err) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!("{name} was being sent to {recorded}"))
            && err.contains(&format!("now names localhost:{}", site.srv.port))
            && err.contains(&format!("back to {recorded}")),
        "{err}"
    );
    assert!(err.contains(&format!("not sent: {name}")), "{err}");
    assert!(out.contains(&format!("sent {second}")), "{out}");
    assert_eq!(names(&site.inbox), vec![partial, second.clone()]);
    assert_eq!(site.shown(&name)["sent"]["state"], "sending");
    // Named explicitly: the same refusal.
    let (code, _, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains(&format!("back to {recorded}")), "{err}");
    // The server it went to again: settled and sent, the partial gone.
    site.s.write("collectmaxx.toml", conf);
    let (code, out, err) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("interrupted run"), "{err}");
    assert_eq!(names(&site.inbox), vec![name.clone(), second]);
    assert_eq!(site.shown(&name)["sent"]["state"], "sent");
}

/// On a history shared in PostgreSQL, `send --pending` sends what this host made and names
/// the delivery another host made (its file is on that host), without touching it.
#[test]
fn pending_on_a_shared_history_sends_only_this_hosts_deliveries() {
    let Some(mut site) = Site::start("") else {
        return;
    };
    let Some(db) = crate::harness::Backend::postgres() else {
        return;
    };
    site.s.url = db.url();
    let elsewhere = site
        .convert_cmd("20261121", &[])
        .env("COLLECTMAXX_TEST_HOST", "other-host")
        .output()
        .unwrap();
    assert!(elsewhere.status.code().unwrap_or(2) < 2);
    let theirs = "20261121-DEMO-1.csv";
    let (code, mine, err) = site.convert(DATE, &[]);
    assert!(code < 2, "{err}");
    let (code, out, err) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("sent {mine}")), "{out}");
    assert!(
        err.contains(&format!("{theirs} was made on host other-host")),
        "{err}"
    );
    assert_eq!(names(&site.inbox), vec![mine]);
    assert!(site.shown(theirs).get("sent").is_none());
    // The other host sends its own.
    let (code, out, err) = ran(site
        .cmd()
        .env("COLLECTMAXX_TEST_HOST", "other-host")
        .args(["send", "--pending"])
        .output()
        .unwrap());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("sent {theirs}")), "{out}");
}
