//! `collectmaxx history`: list, show and forget recorded deliveries.

use std::io::Write;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;

use super::flags::Locations;
use super::output::Format;
use super::state_dir;
use collectmaxx::backend::Place;
use collectmaxx::config::Settings;
use collectmaxx::delivery::Exit;
use collectmaxx::history::{Delivery, History, SendRecord};
use collectmaxx::pg::{migrate_from_sqlite, PgHistory};

/// A delivery with its latest send, as `list` and `show` print it.
#[derive(serde::Serialize)]
struct WithSend<'a> {
    #[serde(flatten)]
    delivery: &'a Delivery,
    #[serde(skip_serializing_if = "Option::is_none")]
    sent: Option<SendRecord>,
}

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx history list --client ACME --since 2026-11-01")]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
    #[command(flatten)]
    pub locations: Locations,
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// The deliveries written, oldest first.
    #[command(before_help = "Example:\n  collectmaxx history list --all --format json")]
    List {
        /// Only this client's deliveries.
        #[arg(long)]
        client: Option<String>,
        /// Only deliveries dated on or after this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        since: Option<NaiveDate>,
        /// Also forgotten and abandoned deliveries (whose numbers stay used).
        #[arg(long)]
        all: bool,
    },
    /// One delivery: its details and the identifiers it delivered, by row.
    #[command(before_help = "Example:\n  collectmaxx history show 20261122-ACME-1.csv")]
    Show {
        /// The delivery's file name, e.g. 20260102-ACME-1.csv.
        file: String,
    },
    /// Forget a delivery that was never sent: its identifiers may be delivered again; its
    /// number is never given out again.
    #[command(before_help = "Example:\n  collectmaxx history forget 20261122-ACME-1.csv")]
    Forget {
        /// The delivery's file name, e.g. 20260102-ACME-1.csv.
        file: String,
        /// On a shared history (--state-url): the host that recorded the delivery. Needed to
        /// drop a delivery another machine left pending and will never settle.
        #[arg(long, value_name = "HOST")]
        host: Option<String>,
    },
    /// Copy the local history (the state directory's) into the PostgreSQL database at URL.
    /// Running it again copies only what is new; it refuses two histories that gave one name
    /// to different files.
    #[command(
        before_help = "Example:\n  collectmaxx history migrate --to 'postgres://collectmaxx@db.example.com/collectmaxx?sslmode=verify-full'"
    )]
    Migrate {
        /// The database, postgres://USER@HOST/DB (the password from the URL, PGPASSWORD or
        /// ~/.pgpass).
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date: write it as YYYY-MM-DD"))
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(&args.locations.flags())?;
    let place = state_dir::place(&settings)?;
    if let Action::Migrate { to } = &args.action {
        return migrate(&place, to);
    }
    let Some(mut history) = state_dir::open_existing(&place)? else {
        anyhow::bail!(
            "no delivery history in {}: no delivery was recorded there yet (check --state-dir)",
            place.dir.display()
        );
    };
    let mut out = super::pipe::stdout();
    match &args.action {
        Action::List { client, since, all } => {
            let list = history.list(client.as_deref(), *since, *all)?;
            let list = with_sends(history.as_ref(), &list)?;
            match args.format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?,
                Format::Human => print_list(&mut out, &list)?,
            }
        }
        Action::Show { file } => {
            let (delivery, ids) = history.show(file)?.with_context(|| {
                format!("no delivery named '{file}' in the history; 'collectmaxx history list --all' shows the known ones")
            })?;
            let sent = history.sent_of(file)?;
            let delivery = WithSend {
                delivery: &delivery,
                sent,
            };
            match args.format {
                Format::Json => {
                    let v = serde_json::json!({ "delivery": delivery, "identifiers": ids });
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?
                }
                Format::Human => {
                    print_delivery(&mut out, &delivery)?;
                    writeln!(out, "identifiers ({}):", ids.len())?;
                    for id in &ids {
                        writeln!(out, "  row {:>8}  {}", id.row, id.identifier)?;
                    }
                }
            }
        }
        Action::Migrate { .. } => unreachable!("handled above"),
        Action::Forget { file, host } => {
            let lock = history.lock(None, collectmaxx::config::lock_timeout()?)?;
            let delivery = match host {
                Some(h) => history.forget_on_host(&lock, file, h)?,
                None => history.forget(&lock, file)?,
            };
            match args.format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&delivery)?)?,
                Format::Human => writeln!(
                    out,
                    "forgot {}: its identifiers may be delivered again; number {} of {} for {} stays used",
                    delivery.file, delivery.number, delivery.date, delivery.client
                )?,
            }
        }
    }
    Ok(Exit::Ok)
}

/// Each delivery with its latest send.
fn with_sends<'a>(
    history: &dyn History,
    list: &'a [Delivery],
) -> anyhow::Result<Vec<WithSend<'a>>> {
    list.iter()
        .map(|d| {
            Ok(WithSend {
                delivery: d,
                sent: history.sent_of(&d.file)?,
            })
        })
        .collect()
}

/// `history migrate --to URL`: the state directory's SQLite history into the database.
fn migrate(place: &Place, to: &str) -> anyhow::Result<Exit> {
    let Some(local) = state_dir::open_existing(&Place::local(&place.dir))? else {
        anyhow::bail!(
            "no delivery history in {} to migrate (check --state-dir)",
            place.dir.display()
        );
    };
    let shared = PgHistory::open(to, &place.dir)?;
    let _lock = shared.lock(None, collectmaxx::config::lock_timeout()?)?;
    let done = migrate_from_sqlite(local.as_ref(), &shared)?;
    println!(
        "copied {} deliveries ({} identifiers) from {} into {}; {} were there already",
        done.copied,
        done.identifiers,
        place.dir.display(),
        shared.display(),
        done.skipped
    );
    Ok(Exit::Ok)
}

fn print_list(out: &mut impl Write, list: &[WithSend]) -> std::io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "no deliveries");
    }
    let width = list
        .iter()
        .map(|d| d.delivery.file.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:<width$}  {:<10}  {:<10}  {:>9}  {:<9}  {:<20}  SENT",
        "FILE", "DATE", "CLIENT", "RECORDS", "STATE", "CREATED"
    )?;
    for WithSend { delivery: d, sent } in list {
        let sent = match sent {
            Some(s) => match &s.sent_at {
                Some(at) => format!("{at} {} {}", s.host, s.remote_path),
                None => format!("sending since {}", s.started_at),
            },
            None => "-".into(),
        };
        writeln!(
            out,
            "{:<width$}  {:<10}  {:<10}  {:>9}  {:<9}  {:<20}  {sent}",
            d.file, d.date, d.client, d.records, d.state, d.created_at
        )?;
    }
    Ok(())
}

fn print_delivery(out: &mut impl Write, with: &WithSend) -> std::io::Result<()> {
    let d = with.delivery;
    writeln!(out, "file:       {}", d.file)?;
    writeln!(out, "date:       {}", d.date)?;
    writeln!(out, "client:     {}", d.client)?;
    writeln!(out, "number:     {}", d.number)?;
    writeln!(out, "state:      {}", d.state)?;
    writeln!(out, "records:    {}", d.records)?;
    writeln!(out, "sha256:     {}", d.sha256)?;
    writeln!(out, "inputs:     {}", d.inputs.join(", "))?;
    writeln!(out, "created at: {}", d.created_at)?;
    if let Some(c) = &d.changed_at {
        writeln!(out, "changed at: {c}")?;
    }
    if let Some(p) = &d.path {
        writeln!(out, "written to: {p}")?;
    }
    if let Some(h) = &with.delivery.host {
        writeln!(out, "host:       {h}")?;
    }
    if let Some(s) = &with.sent {
        match &s.sent_at {
            Some(at) => writeln!(
                out,
                "sent:       {at} to {}:{} ({} bytes)",
                s.host, s.remote_path, s.size
            )?,
            None => writeln!(
                out,
                "sending:    since {} to {}:{} (interrupted; the next send settles it)",
                s.started_at, s.host, s.remote_path
            )?,
        }
    }
    Ok(())
}
