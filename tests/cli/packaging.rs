//! What the Debian package ships beside the binary: the systemd units of docs/cron.md, checked
//! by systemd itself, and the example configuration, read by the tool. (The package's build
//! and contents are checked by `.ci/run` with `cargo deb` and `dpkg-deb -c`.)

use std::process::Command as StdCommand;

use crate::harness::{self, Scratch};

/// The `ini` blocks of docs/cron.md, by the file name their first line gives.
fn units() -> Vec<(String, String)> {
    let doc = include_str!("../../docs/cron.md");
    doc.split("```ini\n")
        .skip(1)
        .map(|block| {
            let text = block.split("```").next().unwrap();
            let name = text.lines().next().unwrap().trim_start_matches("# ");
            let name = name.rsplit('/').next().unwrap().to_string();
            (name, text.to_string())
        })
        .collect()
}

#[test]
fn the_systemd_units_of_docs_cron_md_pass_systemd_analyze_verify() {
    let units = units();
    let names: Vec<&str> = units.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["collectmaxx-daily.service", "collectmaxx-daily.timer"]
    );
    let service = &units[0].1;
    // The exit-code handling of the cron example: 1 is no failure but a mail, 2 is both.
    assert!(service.contains("SuccessExitStatus=1"));
    assert!(service.contains("1) echo") && service.contains("*) echo"));
    let s = Scratch::new();
    for (name, text) in &units {
        s.write(name, text);
    }
    let out = match StdCommand::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(s.path().join("collectmaxx-daily.service"))
        .arg(s.path().join("collectmaxx-daily.timer"))
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            return harness::skip("systemd-analyze is not installed (apt-get install systemd)")
        }
    };
    let said = String::from_utf8_lossy(&out.stderr);
    // Only complaints about these two files count: the host's own units are not ours.
    let ours: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("collectmaxx-daily"))
        .filter(|l| !l.contains("is not executable"))
        .collect();
    assert!(ours.is_empty(), "{said}");
    // And it can fail: a misspelt key is reported.
    s.write(
        "collectmaxx-daily.service",
        service.replace("SuccessExitStatus", "SucessExitStatus"),
    );
    let out = StdCommand::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(s.path().join("collectmaxx-daily.service"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("SucessExitStatus"));
}

#[test]
fn the_packaged_example_configuration_is_read_without_complaint() {
    let s = Scratch::new();
    let out = s
        .cmd_in_crate()
        .args([
            "config",
            "--config",
            "docs/examples/config.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = crate::harness::json(&String::from_utf8_lossy(&out.stdout));
    assert!(v.to_string().contains("/srv/collectmaxx/outbox"), "{v}");
}
