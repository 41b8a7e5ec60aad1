//! `collectmaxx config`: the effective settings and where each came from.

use std::io::Write;

use serde_json::json;

use super::flags::{Choices, Locations, Outputs};
use super::output::Format;
use collectmaxx::config::{
    amounts_name, date_order_name, Origin, Setting, Settings, Sftp, SftpAuth,
};
use collectmaxx::delivery::Exit;

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx config --format json")]
pub struct Args {
    #[command(flatten)]
    pub locations: Locations,
    #[command(flatten)]
    pub choices: Choices,
    #[command(flatten)]
    pub outputs: Outputs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let mut flags = args.choices.flags(&args.locations);
    args.outputs.add_to(&mut flags);
    let s = match collectmaxx::profile::with_profile(Settings::resolve(&flags)?) {
        Ok((s, _)) => s,
        // Show the settings even when the profile would be refused: that is what to look at.
        Err(_) => Settings::resolve(&flags)?,
    };
    let rows = rows(&s);
    let mut out = super::pipe::stdout();
    match args.format {
        Format::Json => {
            let settings: Vec<_> = rows
                .iter()
                .map(|(k, v, o)| {
                    let mut entry = json!({ "key": k, "value": v, "origin": o.as_ref().map(ToString::to_string) });
                    if let Some(note) = note(k, o) {
                        entry["note"] = json!(note);
                    }
                    entry
                })
                .collect();
            let file = s.file.as_ref().map(|p| p.display().to_string());
            let v = json!({ "file": file, "settings": settings });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Human => {
            match &s.file {
                Some(p) => writeln!(out, "config file: {}", p.display())?,
                None => writeln!(out, "config file: none found")?,
            }
            const UNSET: &str = "(not set)";
            let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            let vwidth = rows
                .iter()
                .map(|r| r.1.as_deref().unwrap_or(UNSET).chars().count())
                .max()
                .unwrap_or(0);
            for (key, value, origin) in &rows {
                let value = value.as_deref().unwrap_or(UNSET);
                match origin {
                    Some(o) => writeln!(out, "{key:<width$}  {value:<vwidth$}  [{o}]")?,
                    None => writeln!(out, "{key:<width$}  {value}")?,
                }
            }
            let notes: Vec<_> = rows
                .iter()
                .filter_map(|(k, _, o)| Some((k, note(k, o)?)))
                .collect();
            if !notes.is_empty() {
                writeln!(out)?;
            }
            for (key, note) in notes {
                writeln!(out, "note: {key}: {note}")?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// What a setting left at its default still decides column by column.
fn note(key: &str, origin: &Option<Origin>) -> Option<&'static str> {
    match (key, origin) {
        ("amounts", Some(Origin::Default)) => Some(AMOUNTS_BY_COLUMN),
        ("date_order", Some(Origin::Default)) => Some(DATE_ORDER_BY_COLUMN),
        _ => None,
    }
}

/// How a date column is judged when no order is given (see `rules::order`).
const DATE_ORDER_BY_COLUMN: &str = "dmy (day first) is the default, judged per column: a date column with a text date that is a date only month first (02/13/2026) is refused until --date-order (or date_order = \"dmy\" or \"mdy\" in the config file) says which order every date column is written in";

/// How the default amount unit can change per column (see `rules::units`).
const AMOUNTS_BY_COLUMN: &str = "minor (cents) is the default, decided per column: a spreadsheet column whose number cells are formatted with decimals or a currency (#,##0.00, € #,##0.00) is read as major (euros), and a column with decimals beside whole numbers is refused until --amounts (or amounts = \"minor\" or \"major\" in the config file) says which unit every column holds";

type Row = (String, Option<String>, Option<Origin>);

fn row<T>(key: &str, s: Option<&Setting<T>>, show: impl Fn(&T) -> String) -> Row {
    (
        key.to_string(),
        s.map(|s| show(&s.value)),
        s.map(|s| s.origin.clone()),
    )
}

fn rows(s: &Settings) -> Vec<Row> {
    let path = |p: &std::path::PathBuf| p.display().to_string();
    let mut rows = vec![
        row("client", s.client.as_ref(), |c| c.as_str().to_string()),
        row("services", Some(&s.services), |v| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.to_string()
            }
        }),
        row("default_country", Some(&s.default_country), String::clone),
        row("date_order", Some(&s.date_order), |v| {
            date_order_name(*v).to_string()
        }),
        row("amounts", Some(&s.amounts), |v| {
            amounts_name(*v).to_string()
        }),
        row("out_dir", Some(&s.out_dir), path),
        row("state_dir", s.state_dir.as_ref(), path),
        row("report_dir", s.report_dir.as_ref(), path),
    ];
    if s.state_url.is_some() {
        // After state_dir; shown only when set, never with its password.
        rows.insert(
            7,
            row("state_url", s.state_url.as_ref(), |u| {
                collectmaxx::pg::conn::without_password(u)
            }),
        );
    }
    rows.extend([row("mapping", s.mapping.as_ref(), path)]);
    for (slot, setting) in &s.set {
        rows.push(row(
            &format!("set.{}", slot.column()),
            Some(setting),
            String::clone,
        ));
    }
    if s.file_mode.origin != Origin::Default {
        rows.push(row("file_mode", Some(&s.file_mode), |m| format!("{m:04o}")));
    }
    if let Some(sftp) = &s.sftp {
        rows.extend(sftp_rows(&sftp.value, &sftp.origin));
    }
    rows
}

/// The `[sftp]` table: where the password is, never the password.
fn sftp_rows(s: &Sftp, origin: &Origin) -> Vec<Row> {
    let auth = match &s.auth {
        SftpAuth::PasswordEnv(v) => ("sftp.password_env", v.clone()),
        SftpAuth::PasswordFile(p) => ("sftp.password_file", p.display().to_string()),
        SftpAuth::KeyFile { path, .. } => ("sftp.key_file", path.display().to_string()),
    };
    let trust = match (&s.known_hosts, s.host_key.is_empty()) {
        (_, false) => ("sftp.host_key", s.host_key.join(", ")),
        (Some(k), true) => ("sftp.known_hosts", k.display().to_string()),
        (None, true) => (
            "sftp.host_key",
            "(none: send and fetch refuse to connect)".into(),
        ),
    };
    [
        ("sftp.host", s.host.clone()),
        ("sftp.port", s.port.to_string()),
        ("sftp.user", s.user.clone()),
        auth,
        trust,
        ("sftp.upload_dir", s.upload_dir.clone()),
        ("sftp.results_dir", s.results_dir.clone()),
        ("sftp.results_to", s.results_to.display().to_string()),
        ("sftp.timeout_s", s.timeout.as_secs().to_string()),
        ("sftp.retries", s.retries.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Some(v), Some(origin.clone())))
    .collect()
}
