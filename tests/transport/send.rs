//! Uploads: send, send again, --pending, conflicts, refusals, interrupted sends.

use super::{names, ran, Site, DATE};

#[test]
fn send_uploads_the_delivery_records_it_and_does_not_send_it_twice() {
    let Some(site) = Site::start("") else { return };
    let (code, name, err) = site.convert(DATE, &[]);
    assert_eq!(code, 1, "{err}");
    let (code, out, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}\n{}", site.srv.log());
    assert!(out.contains(&format!("sent {name}")), "{out}");
    assert_eq!(names(&site.inbox), vec![name.clone()], "no partial left");
    assert_eq!(
        std::fs::read(site.remote(&name)).unwrap(),
        std::fs::read(site.s.path().join("out").join(&name)).unwrap()
    );
    let shown = site.shown(&name);
    assert_eq!(shown["sent"]["state"], "sent", "{shown}");
    assert!(shown["sent"]["remote_path"]
        .as_str()
        .unwrap()
        .ends_with(&name));
    // Again: nothing is uploaded, exit 0, the earlier send is named.
    std::fs::remove_file(site.remote(&name)).unwrap();
    let (code, out, _) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 0);
    assert!(out.contains("already sent on"), "{out}");
    assert!(names(&site.inbox).is_empty());
    // --again does, with a warning.
    let (code, _, err) = ran(site
        .cmd()
        .args(["send", &name, "--again"])
        .output()
        .unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sent again"), "{err}");
    assert_eq!(names(&site.inbox), vec![name.clone()]);
    // A sent delivery cannot be forgotten; history list shows the send.
    let (code, _, err) = ran(site
        .cmd()
        .args(["history", "forget", &name])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("was sent to"), "{err}");
    let (_, list, _) = ran(site.cmd().args(["history", "list"]).output().unwrap());
    assert!(
        list.contains("SENT") && list.contains(&site.inbox.display().to_string()),
        "{list}"
    );
}

#[test]
fn pending_sends_every_unsent_delivery_once_and_a_stranger_file_is_refused() {
    let Some(site) = Site::start("") else { return };
    let (_, first, _) = site.convert("20261121", &[]);
    let (_, second, _) = site.convert(DATE, &[]);
    let (code, out, err) = ran(site
        .cmd()
        .args(["send", "--pending", "--dry-run"])
        .output()
        .unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("would send {first}")), "{out}");
    assert!(names(&site.inbox).is_empty(), "a dry run uploads nothing");
    let (code, out, err) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(names(&site.inbox), vec![first, second]);
    let (code, out, _) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 0);
    assert!(out.contains("nothing new sent"), "{out}");
    // A file collectmaxx did not record is never sent.
    site.s.write("out/20261122-DEMO-9.csv", "\"A\"\n");
    let (code, _, err) = ran(site
        .cmd()
        .args(["send", "20261122-DEMO-9.csv"])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("not a delivery in the history"), "{err}");
}

#[test]
fn convert_send_uploads_and_the_report_says_where() {
    let Some(site) = Site::start("") else { return };
    let (code, name, err) = site.convert(DATE, &["--send"]);
    assert_eq!(code, 1, "convert's own exit code: {err}");
    assert_eq!(names(&site.inbox), vec![name.clone()]);
    let report = crate::harness::json(&site.s.read(&format!("out/{DATE}-DEMO-1.report.json")));
    let sent = &report["delivery"]["sent"];
    assert_eq!(
        sent["host"],
        format!("127.0.0.1:{}", site.srv.port),
        "{report}"
    );
    assert!(sent["remote_path"].as_str().unwrap().ends_with(&name));
    assert!(sent["size"].as_u64().unwrap() > 0 && sent["time"].is_string());
}

#[test]
fn convert_send_that_fails_delivers_records_and_says_how_to_send_later() {
    let Some(site) = Site::start("") else { return };
    let out = site
        .convert_cmd(DATE, &["--send"])
        .env("COLLECTMAXX_SFTP_PASSWORD", "wrong")
        .output()
        .unwrap();
    let (code, _, err) = ran(out);
    assert_eq!(code, 2, "{err}");
    let name = format!("{DATE}-DEMO-1.csv");
    assert!(
        err.contains(&format!(
            "delivered and recorded as {name}, but not sent: run `collectmaxx send --pending`"
        )),
        "{err}"
    );
    assert!(err.contains("refused the password"), "{err}");
    assert!(site.s.exists(&format!("out/{name}")));
    assert!(names(&site.inbox).is_empty());
    let (code, out, _) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    assert_eq!(code, 0, "{out}");
    assert_eq!(names(&site.inbox), vec![name]);
}

#[test]
fn an_existing_remote_file_is_never_overwritten() {
    let Some(site) = Site::start("") else { return };
    let (_, name, _) = site.convert(DATE, &[]);
    std::fs::write(site.remote(&name), "theirs").unwrap();
    let (code, _, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists on the server"), "{err}");
    assert!(err.contains(&format!("not sent: {name}")), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.remote(&name)).unwrap(),
        "theirs"
    );
    assert_eq!(names(&site.inbox), vec![name.clone()], "no partial left");
    assert!(
        site.shown(&name).get("sent").is_none(),
        "not recorded as sent"
    );
}

#[test]
fn a_host_key_that_does_not_match_stops_before_login() {
    let wrong = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
    let Some(site) = Site::start_with("", Some(&format!("host_key = \"{wrong}\""))) else {
        return;
    };
    let (_, name, _) = site.convert(DATE, &[]);
    let (code, _, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 2);
    let seen = &site.srv.host_fingerprints()[0].0;
    assert!(
        err.contains("SECURITY") && err.contains(wrong) && err.contains(seen.as_str()),
        "{err}"
    );
    assert!(
        !site.srv.log().contains("password"),
        "the password was never sent: {}",
        site.srv.log()
    );
    assert!(names(&site.inbox).is_empty());
}

#[test]
fn without_a_pinned_key_nothing_connects_and_the_fingerprint_is_shown() {
    let Some(site) = Site::start_with("", Some("")) else {
        return;
    };
    let (code, out, err) = ran(site.cmd().args(["send", "--pending"]).output().unwrap());
    // Nothing was delivered, so nothing is pending: no connection is needed.
    assert_eq!(code, 0, "{out}{err}");
    let (_, name, _) = site.convert(DATE, &[]);
    let (code, _, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 2);
    let seen = &site.srv.host_fingerprints()[0].0;
    assert!(
        err.contains("no host key is pinned") && err.contains(seen.as_str()),
        "{err}"
    );
    // hostkey prints it, without logging in.
    let (code, out, err) = ran(site.cmd().args(["hostkey"]).output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("{seen}  ssh-ed25519")), "{out}");
    assert!(!site.srv.log().contains("Accepted"), "{}", site.srv.log());
}

#[test]
fn a_wrong_password_is_named_and_never_shown() {
    let Some(site) = Site::start("") else { return };
    let (_, name, _) = site.convert(DATE, &[]);
    let (code, out, err) = ran(site
        .cmd()
        .env("COLLECTMAXX_SFTP_PASSWORD", "Hunter2-wrong")
        .args(["send", &name])
        .output()
        .unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("refused the password"), "{err}");
    assert!(!err.contains("Hunter2") && !out.contains("Hunter2"));
    let (_, config, _) = ran(site.cmd().args(["config"]).output().unwrap());
    assert!(
        config.contains("sftp.password_env") && !config.contains(&site.srv.password),
        "{config}"
    );
}

#[test]
fn a_folder_the_user_may_not_write_is_reported_and_nothing_is_recorded() {
    let Some(site) = Site::start("") else { return };
    let locked = site.srv.readonly_dir("locked");
    let conf = site.s.read("collectmaxx.toml").replace(
        &format!("upload_dir = \"{}\"", site.inbox.display()),
        &format!("upload_dir = \"{}\"", locked.display()),
    );
    site.s.write("collectmaxx.toml", conf);
    let (_, name, _) = site.convert(DATE, &[]);
    let (code, _, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 2);
    assert!(
        err.contains("Permission denied") || err.contains("may not"),
        "{err}"
    );
    assert!(names(&locked).is_empty());
    assert!(site.shown(&name).get("sent").is_none());
}

/// The process dies after each step of a send; the next send finds out from the server
/// what happened: never a second copy, never a partial left, never "sent" for a file that is
/// not there.
#[test]
fn a_send_killed_at_each_step_is_settled_by_the_next_one() {
    let Some(site) = Site::start("") else { return };
    for (i, step) in ["send_recorded", "send_partial_written", "send_renamed"]
        .iter()
        .enumerate()
    {
        let date = format!("2026112{i}");
        let (_, name, _) = site.convert(&date, &[]);
        let out = site
            .cmd()
            .env("COLLECTMAXX_TEST_CRASH_AT", step)
            .args(["send", &name])
            .output()
            .unwrap();
        assert!(
            out.status.code().is_none(),
            "{step}: the process was aborted"
        );
        assert_eq!(site.shown(&name)["sent"]["state"], "sending", "{step}");
        let remote = names(&site.inbox);
        match *step {
            "send_recorded" => assert!(!remote.iter().any(|n| n.starts_with(&name)), "{remote:?}"),
            "send_partial_written" => {
                assert!(remote.contains(&format!("{name}.partial")), "{remote:?}")
            }
            _ => assert!(remote.contains(&name), "{remote:?}"),
        }
        let (code, out, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
        assert_eq!(code, 0, "{step}: {out}{err}");
        assert!(err.contains("interrupted run"), "{step}: {err}");
        if *step == "send_renamed" {
            assert!(out.contains("already sent"), "{step}: {out}");
        } else {
            assert!(out.contains(&format!("sent {name}")), "{step}: {out}");
        }
        assert_eq!(site.shown(&name)["sent"]["state"], "sent", "{step}");
        assert!(
            !names(&site.inbox).iter().any(|n| n.ends_with(".partial")),
            "{step}"
        );
        assert_eq!(
            std::fs::read(site.remote(&name)).unwrap(),
            std::fs::read(site.s.path().join("out").join(&name)).unwrap(),
            "{step}"
        );
    }
}

/// The server dies while the delivery is being written: no final-named file on the server,
/// not recorded as sent (left `sending`, which the next send settles), exit 2 naming it.
#[test]
fn a_server_killed_mid_upload_leaves_no_final_file_and_no_sent_record() {
    let Some(mut site) = Site::start("") else {
        return;
    };
    let (name, size) = super::perf::big_delivery(&site, 60_000);
    let mut cmd = site.s.std_cmd();
    let child = cmd
        .env("COLLECTMAXX_SFTP_PASSWORD", &site.srv.password)
        .args(["send", &name])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the server once part of the file is there.
    let partial = site.remote(&format!("{name}.partial"));
    let started = std::time::Instant::now();
    loop {
        let got = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        if got > 0 && got < size {
            break;
        }
        assert!(started.elapsed().as_secs() < 60, "the upload never started");
        assert!(
            !site.remote(&name).exists(),
            "the upload finished before the kill"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    site.srv.kill();
    let (code, _, err) = ran(child.wait_with_output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("not sent: {name}")), "{err}");
    assert!(
        err.contains("connection") || err.contains("no answer"),
        "{err}"
    );
    assert!(!site.remote(&name).exists(), "no final-named file");
    assert_ne!(site.shown(&name)["sent"]["state"], "sent");
}

/// A key user: the key logs in; a key the server does not know is refused by name.
#[test]
fn a_key_file_logs_in_and_an_unknown_key_is_refused() {
    let Some(site) = Site::start("key_file = \"id_ed25519\"") else {
        return;
    };
    for key in ["id_ed25519", "other_key"] {
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f", key])
            .current_dir(site.s.path())
            .status()
            .unwrap();
        assert!(made.success());
    }
    site.srv.authorize(&site.s.path().join("id_ed25519.pub"));
    let (_, name, _) = site.convert(DATE, &[]);
    let (code, out, err) = ran(site.cmd().args(["send", &name]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}\n{}", site.srv.log());
    assert_eq!(names(&site.inbox), vec![name]);
    let conf = site
        .s
        .read("collectmaxx.toml")
        .replace("key_file = \"id_ed25519\"", "key_file = \"other_key\"");
    site.s.write("collectmaxx.toml", conf);
    let (_, second, _) = site.convert("20261123", &[]);
    let (code, _, err) = ran(site.cmd().args(["send", &second]).output().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("refused the key"), "{err}");
}
