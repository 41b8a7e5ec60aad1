//! The shell: colours (`--color`, NO_COLOR, CLICOLOR_FORCE), completion scripts and manual
//! pages from the binary. (That they cover every command, and that every `--help` opens with
//! an example, is checked against the clap definition itself in `src/cli/man.rs`.)

use crate::harness::Scratch;

const ESC: char = '\u{1b}';

/// `validate export.csv` (which has errors to colour) into a pipe, with these flags and
/// environment: whether its output has colour codes.
fn coloured(s: &Scratch, flags: &[&str], no_color: bool, force: Option<&str>) -> bool {
    let mut cmd = s.cmd();
    cmd.args(["validate", "export.csv"]).args(flags);
    if !no_color {
        cmd.env_remove("NO_COLOR");
    }
    match force {
        Some(v) => cmd.env("CLICOLOR_FORCE", v),
        None => cmd.env_remove("CLICOLOR_FORCE"),
    };
    let out = cmd.env_remove("CLICOLOR").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stdout).contains(ESC)
}

#[test]
fn colours_follow_the_flag_then_no_color_and_clicolor_force() {
    let s = Scratch::new();
    s.fixture("demo/export.csv");
    // Into a pipe: none by default, with or without NO_COLOR.
    assert!(!coloured(&s, &[], false, None));
    assert!(!coloured(&s, &[], true, None));
    // CLICOLOR_FORCE forces them into the pipe; NO_COLOR wins over it.
    assert!(coloured(&s, &[], false, Some("1")));
    assert!(!coloured(&s, &[], true, Some("1")));
    assert!(!coloured(&s, &[], false, Some("")));
    // The flag wins over both; its last value counts, in any position.
    assert!(coloured(&s, &["--color", "always"], true, None));
    assert!(coloured(
        &s,
        &["--color=never", "--color=always"],
        true,
        None
    ));
    assert!(!coloured(&s, &["--color", "never"], false, Some("1")));
    assert!(!coloured(&s, &["--color", "auto"], false, None));
    // clap's own help follows it too.
    let help = s
        .cmd()
        .args(["--color", "always", "convert", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains(ESC));
    let bad = s
        .cmd()
        .args(["validate", "export.csv", "--color", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn completions_and_manual_pages_come_from_the_binary() {
    let s = Scratch::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = s.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("validate") && text.contains("history"),
            "{shell}"
        );
    }
    let bad = s.cmd().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));

    let out = s
        .cmd()
        .args(["man", "--out-dir", "man/man1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let pages = s.files("man/man1");
    for page in [
        "collectmaxx.1",
        "collectmaxx-validate.1",
        "collectmaxx-history-list.1",
        "collectmaxx-man.1",
    ] {
        assert!(pages.contains(&page.to_string()), "{page} in {pages:?}");
    }
    let one = s.cmd().args(["man", "history", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&one.stdout).contains(".TH collectmaxx-history-list 1"));
    let none = s.cmd().args(["man", "nope"]).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no command 'nope'"));
}
