//! Tests of configuration discovery, parsing and precedence.

use std::collections::HashMap;

use super::*;

struct World {
    dir: tempfile::TempDir,
    vars: HashMap<&'static str, OsString>,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("cwd")).unwrap();
        let mut vars = HashMap::new();
        vars.insert("HOME", dir.path().join("home").into_os_string());
        World { dir, vars }
    }

    fn cwd(&self) -> PathBuf {
        self.dir.path().join("cwd")
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn resolve(&self, flags: &Flags) -> Result<Settings, ConfigError> {
        let vars = self.vars.clone();
        let var = move |k: &str| vars.get(k).cloned();
        Settings::resolve_in(
            flags,
            &Env {
                var: &var,
                cwd: self.cwd(),
            },
        )
    }
}

#[test]
fn no_file_gives_defaults() {
    let w = World::new();
    let s = w.resolve(&Flags::default()).unwrap();
    assert_eq!(s.file, None);
    assert_eq!(s.client, None);
    assert_eq!(s.date_order, Setting::new(DateOrder::Dmy, Origin::Default));
    assert_eq!(s.amounts.value, AmountUnit::Minor);
    assert_eq!(
        s.default_country,
        Setting::new("NL".to_string(), Origin::Default)
    );
    assert_eq!(s.out_dir.value, PathBuf::from("."));
    let state = s.state_dir.unwrap();
    assert_eq!(
        state.value,
        w.dir.path().join("home/.local/state/collectmaxx")
    );
    assert_eq!(state.origin, Origin::Default);
}

#[test]
fn file_values_are_read_with_their_lines_and_paths_relative_to_the_file() {
    let w = World::new();
    let file = w.write(
        "cwd/collectmaxx.toml",
        "client = \"ACME\"\nservices = [\"sms\", \"paylink\"]\ndefault_country = \"nl\"\n\
         date_order = \"mdy\"\namounts = \"major\"\nout_dir = \"outbox\"\nstate_dir = \"/var/lib/cm\"\n\
         [set]\nCONTROL_FLOWID = \"1234\"\n",
    );
    let s = w.resolve(&Flags::default()).unwrap();
    assert_eq!(s.file.as_deref(), Some(file.as_path()));
    assert_eq!(
        s.client,
        Some(Setting::new(
            ClientCode::new("ACME").unwrap(),
            Origin::File(file.clone(), 1)
        ))
    );
    assert_eq!(s.services.value.to_string(), "sms,paylink");
    assert_eq!(s.default_country.value, "NL");
    assert_eq!(s.date_order.value, DateOrder::Mdy);
    assert_eq!(s.amounts.value, AmountUnit::Major);
    assert_eq!(
        s.out_dir,
        Setting::new(w.cwd().join("outbox"), Origin::File(file.clone(), 6))
    );
    assert_eq!(s.state_dir.unwrap().value, PathBuf::from("/var/lib/cm"));
    let flow = Slot::by_column("CONTROL_FLOWID").unwrap();
    assert_eq!(
        s.set.get(&flow),
        Some(&Setting::new("1234".to_string(), Origin::File(file, 9)))
    );
}

#[test]
fn flags_beat_env_beats_file_beats_default() {
    let mut w = World::new();
    w.write(
        "cwd/collectmaxx.toml",
        "client = \"FILE\"\nstate_dir = \"from-file\"\nout_dir = \"o\"\n[set]\nCONTROL_FLOWID = \"1\"\nCONTROL_SUPPLIER = \"S\"\n",
    );
    let flags = Flags {
        client: Some("FLAG".into()),
        set: vec!["CONTROL_FLOWID=2".into()],
        ..Flags::default()
    };
    let s = w.resolve(&flags).unwrap();
    assert_eq!(
        s.client.unwrap(),
        Setting::new(ClientCode::new("FLAG").unwrap(), Origin::Flag)
    );
    assert!(matches!(s.out_dir.origin, Origin::File(_, 3)));
    assert!(matches!(
        s.state_dir.as_ref().unwrap().origin,
        Origin::File(_, 2)
    ));
    let flow = Slot::by_column("CONTROL_FLOWID").unwrap();
    let supplier = Slot::by_column("CONTROL_SUPPLIER").unwrap();
    assert_eq!(s.set[&flow], Setting::new("2".to_string(), Origin::Flag));
    assert!(matches!(s.set[&supplier].origin, Origin::File(_, 6)));

    w.vars.insert(STATE_DIR_ENV, "/from/env".into());
    let s = w.resolve(&flags).unwrap();
    assert_eq!(
        s.state_dir.unwrap(),
        Setting::new(PathBuf::from("/from/env"), Origin::Env(STATE_DIR_ENV))
    );
    let flags = Flags {
        state_dir: Some("/from/flag".into()),
        ..flags
    };
    assert_eq!(
        w.resolve(&flags).unwrap().state_dir.unwrap().origin,
        Origin::Flag
    );
}

#[test]
fn discovery_prefers_explicit_then_local_then_user_config() {
    let mut w = World::new();
    let user = w.write(
        "home/.config/collectmaxx/config.toml",
        "client = \"USER\"\n",
    );
    assert_eq!(w.resolve(&Flags::default()).unwrap().file, Some(user));
    let xdg = w.write("xdg/collectmaxx/config.toml", "client = \"XDG\"\n");
    w.vars
        .insert("XDG_CONFIG_HOME", w.dir.path().join("xdg").into_os_string());
    assert_eq!(w.resolve(&Flags::default()).unwrap().file, Some(xdg));
    let local = w.write("cwd/collectmaxx.toml", "client = \"LOCAL\"\n");
    assert_eq!(w.resolve(&Flags::default()).unwrap().file, Some(local));
    let explicit = w.write("elsewhere.toml", "client = \"EXPLICIT\"\n");
    let flags = Flags {
        config: Some(explicit.clone()),
        ..Flags::default()
    };
    let s = w.resolve(&flags).unwrap();
    assert_eq!(
        (s.file, s.client.unwrap().value.as_str().to_string()),
        (Some(explicit), "EXPLICIT".to_string())
    );
    let missing = Flags {
        config: Some(w.dir.path().join("missing.toml")),
        ..Flags::default()
    };
    let err = w.resolve(&missing).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

fn file_error(text: &str) -> ConfigError {
    let w = World::new();
    w.write("cwd/collectmaxx.toml", text);
    w.resolve(&Flags::default()).unwrap_err()
}

#[test]
fn unknown_keys_are_errors_with_the_line() {
    let err = file_error("client = \"ACME\"\n\nout_dri = \"x\"\n");
    assert_eq!(err.line, Some(3), "{err}");
    assert!(err.message.contains("out_dri"), "{err}");
    assert!(
        err.to_string().contains("collectmaxx.toml: line 3:"),
        "{err}"
    );
}

#[test]
fn unknown_set_fields_are_errors_with_the_line() {
    let err =
        file_error("client = \"ACME\"\n[set]\nCONTROL_FLOWID = \"1\"\nCONTROL_FLOW = \"2\"\n");
    assert_eq!(err.line, Some(4), "{err}");
    assert!(
        err.message
            .contains("'CONTROL_FLOW' is not a delivery field"),
        "{err}"
    );
    let err = file_error("[set]\nIDENTIFICATION_IDENTIFIER = \"1\"\n");
    assert_eq!(err.line, Some(2), "{err}");
}

#[test]
fn bad_values_are_errors_with_the_line() {
    for (text, line, needle) in [
        ("amounts = \"cents\"\n", 1, "cents"),
        ("\ndate_order = \"ymd\"\n", 2, "ymd"),
        ("services = \"sms,fax\"\n", 1, "fax"),
        ("default_country = \"NLD\"\n", 1, "NLD"),
        ("client = \"AC ME\"\n", 1, "AC ME"),
        ("client = 12\n", 1, "string"),
        ("services = 5\n", 1, "service names"),
        ("services = [\"sms\", 3]\n", 1, "string"),
        ("[set]\nCONTROL_FLOWID = 1.5\n", 2, "1234"),
        ("client = \"A\"\nclient = \"B\"\n", 2, "duplicate"),
        ("client = \"A\n", 1, ""),
    ] {
        let err = file_error(text);
        assert_eq!(err.line, Some(line), "{text:?}: {err}");
        assert!(err.message.contains(needle), "{text:?}: {err}");
    }
}

#[test]
fn bad_set_flags_are_errors() {
    let w = World::new();
    for (pair, needle) in [("CONTROL_FLOWID", "no '='"), ("NOPE=1", "'NOPE'")] {
        let flags = Flags {
            set: vec![pair.into()],
            ..Flags::default()
        };
        let err = w.resolve(&flags).unwrap_err();
        assert!(err.message.contains(needle), "{err}");
        assert_eq!((err.path, err.line), (None, None));
    }
}

#[test]
fn line_of_counts_newlines() {
    assert_eq!(line_of("", 0), 1);
    assert_eq!(line_of("a\nb\nc", 2), 2);
    assert_eq!(line_of("a\nb\nc", 99), 3);
}

#[test]
fn set_values_may_be_numbers_or_booleans() {
    let w = World::new();
    w.write(
        "cwd/collectmaxx.toml",
        "[set]\nCONTROL_FLOWID = 1234\nSERVICES_ENRICHMENT = true\n",
    );
    let s = w.resolve(&Flags::default()).unwrap();
    let value = |c: &str| s.set[&Slot::by_column(c).unwrap()].value.clone();
    assert_eq!(value("CONTROL_FLOWID"), "1234");
    assert_eq!(value("SERVICES_ENRICHMENT"), "1");
}

proptest::proptest! {
    /// Any file content gives settings or an error with a line inside the file; never a panic.
    #[test]
    fn any_file_resolves_or_fails_with_a_line_in_the_file(text in "(?s).{0,200}") {
        let w = World::new();
        w.write("cwd/collectmaxx.toml", &text);
        match w.resolve(&Flags::default()) {
            Ok(_) => {}
            Err(e) => {
                let lines = text.split('\n').count();
                proptest::prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= lines), "{e}");
            }
        }
    }

    /// Key-value lines made of known and unknown keys never panic either.
    #[test]
    fn key_soup_never_panics(
        lines in proptest::collection::vec(
            ("(client|services|amounts|date_order|out_dir|set|nope|CONTROL_FLOWID)", "[a-z0-9\"\\[\\], ]{0,12}"),
            0..6,
        )
    ) {
        let text: String = lines.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let w = World::new();
        w.write("cwd/collectmaxx.toml", &text);
        let _ = w.resolve(&Flags::default());
    }
}

#[test]
fn a_constant_with_braces_is_refused_from_the_file_and_the_flag() {
    let err = file_error("[set]\nINVOICE_REFERENCE = \"{Factuurnummer}\"\n");
    assert_eq!(err.line, Some(2), "{err}");
    assert!(
        err.message.contains("delivered exactly as written")
            && err
                .message
                .contains("[columns] \"Factuurnummer\" = \"INVOICE_REFERENCE\""),
        "{err}"
    );
    let w = World::new();
    let flags = Flags {
        set: vec!["INVOICE_DESCRIPTION=Factuur {nr} van {datum}".into()],
        ..Flags::default()
    };
    let err = w.resolve(&flags).unwrap_err();
    assert!(
        err.message
            .starts_with("--set INVOICE_DESCRIPTION = 'Factuur {nr} van {datum}'"),
        "{err}"
    );
    // Braces that make no placeholder are a value like any other.
    let flags = Flags {
        set: vec!["INVOICE_DESCRIPTION=Factuur } van {".into()],
        ..Flags::default()
    };
    w.resolve(&flags).unwrap();
}

#[test]
fn an_empty_or_repeated_constant_is_refused() {
    let w = World::new();
    for (pairs, needle) in [
        (vec!["CONTROL_FLOWID="], "--set CONTROL_FLOWID has no value"),
        (vec!["CONTROL_FLOWID= "], "has no value"),
        (
            vec!["CONTROL_FLOWID=1", "CONTROL_FLOWID=2"],
            "--set CONTROL_FLOWID is given twice ('1' and '2')",
        ),
    ] {
        let flags = Flags {
            set: pairs.iter().map(|p| p.to_string()).collect(),
            ..Flags::default()
        };
        let err = w.resolve(&flags).unwrap_err();
        assert!(err.message.contains(needle), "{pairs:?}: {err}");
    }
    let err = file_error("[set]\nCONTROL_FLOWID = \"\"\n");
    assert_eq!(err.line, Some(2), "{err}");
    // A flag still overrides the file's value for the same field.
    w.write("cwd/collectmaxx.toml", "[set]\nCONTROL_FLOWID = \"1\"\n");
    let flags = Flags {
        set: vec!["CONTROL_FLOWID=2".into()],
        ..Flags::default()
    };
    let s = w.resolve(&flags).unwrap();
    assert_eq!(
        s.set[&Slot::by_column("CONTROL_FLOWID").unwrap()].value,
        "2"
    );
}

#[test]
fn an_empty_service_list_is_refused() {
    let w = World::new();
    let flags = Flags {
        services: Some(" , ".into()),
        ..Flags::default()
    };
    let err = w.resolve(&flags).unwrap_err();
    assert!(err.message.contains("names no service"), "{err}");
    let err = file_error("services = []\n");
    assert_eq!(err.line, Some(1), "{err}");
    assert!(err.message.contains("names no service"), "{err}");
}

#[test]
fn the_lock_wait_is_five_minutes_unless_the_environment_says_otherwise() {
    use std::time::Duration;
    assert_eq!(lock_timeout_from(None), Ok(Duration::from_secs(300)));
    assert_eq!(lock_timeout_from(Some("")), Ok(Duration::from_secs(300)));
    assert_eq!(lock_timeout_from(Some(" 2 ")), Ok(Duration::from_secs(2)));
    assert_eq!(lock_timeout_from(Some("0")), Ok(Duration::ZERO));
    let e = lock_timeout_from(Some("5m")).unwrap_err().to_string();
    assert!(e.contains("COLLECTMAXX_LOCK_TIMEOUT_S='5m'"), "{e}");
}
