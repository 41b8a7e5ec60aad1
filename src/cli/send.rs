//! `collectmaxx send`: upload deliveries from the history to the SFTP server.

use anyhow::Context;

use super::flags::Locations;
use super::state_dir;
use collectmaxx::config::{Flags, Settings, Sftp};
use collectmaxx::delivery::Exit;
use collectmaxx::history::{Delivery, History};
use collectmaxx::transport::send::{self, Outcome, SendError, Session, SettledAs};

const EXIT_CODES: &str = "Exit codes:
  0  every delivery named (or pending) was sent, or had been sent before, or nothing was pending
  2  a delivery was not sent: the output says which were sent and which not (also: not in the
     history, no [sftp] settings, a host key that does not match, a refused login)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
#[command(before_help = "Example:\n  collectmaxx send --pending --client ACME")]
pub struct Args {
    /// Deliveries to send, by file name as the history knows them (20261122-ACME-1.csv).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Send every delivery never sent whose file is on this machine.
    #[arg(long)]
    pub pending: bool,
    /// Send a delivery again although it was sent before.
    #[arg(long)]
    pub again: bool,
    /// Say what would be sent; connect to nothing, record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --pending: only this client's deliveries [default: the config file's client].
    #[arg(long, value_name = "CODE")]
    pub client: Option<String>,
    #[command(flatten)]
    pub locations: Locations,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    if args.names.is_empty() && !args.pending {
        anyhow::bail!("name the deliveries to send (e.g. 20261122-ACME-1.csv), or give --pending");
    }
    let flags = Flags {
        client: args.client.clone(),
        ..args.locations.flags()
    };
    let settings = Settings::resolve(&flags)?;
    collectmaxx::privacy::set_file_mode(settings.file_mode.value);
    let sftp = settings
        .sftp
        .as_ref()
        .map(|s| &s.value)
        .context(super::common::NO_SFTP)?;
    let place = state_dir::place(&settings)?;
    let dir = place.dir.clone();
    let Some(mut history) = state_dir::open_existing(&place)? else {
        return nothing_recorded(args, &dir);
    };
    let lock = history.lock(None, collectmaxx::config::lock_timeout()?)?;
    let mut failed = Vec::new();
    let mut named = Vec::new();
    for name in &args.names {
        match send::find(history.as_ref(), name) {
            Ok(d) => named.push(d),
            Err(e) => failed.push((name.clone(), e.to_string())),
        }
    }
    if args.dry_run {
        return dry_run(
            args,
            history.as_ref(),
            named,
            failed,
            settings.client.as_ref().map(|c| c.value.as_str()),
        );
    }
    let client = settings
        .client
        .as_ref()
        .map(|c| c.value.as_str().to_string());
    let mut session = match Session::open(history.as_mut(), &lock, sftp, &mut note) {
        Ok(s) => s,
        Err(e) => return fail(&e, &named, failed),
    };
    let targets = match targets(args, &mut session, named, client.as_deref(), &mut failed) {
        Ok(t) => t,
        Err(e) => return fail(&e, &[], failed),
    };
    let sent = send_all(args, &mut session, sftp, &targets, &mut failed);
    session.close();
    report(&sent, &failed)
}

fn note(message: &str) {
    eprintln!("collectmaxx: {message}");
}

/// No history at all: nothing was ever delivered here.
fn nothing_recorded(args: &Args, dir: &std::path::Path) -> anyhow::Result<Exit> {
    if let Some(name) = args.names.first() {
        anyhow::bail!("{}", SendError::NotInHistory(name.clone()));
    }
    println!(
        "nothing to send: no delivery is recorded in {}",
        dir.display()
    );
    Ok(Exit::Ok)
}

/// Settles interrupted sends, then adds the pending deliveries to the named ones. A send left
/// to another server than the configured one is not settled: it goes to `failed`.
fn targets(
    args: &Args,
    session: &mut Session<'_>,
    mut named: Vec<Delivery>,
    client: Option<&str>,
    failed: &mut Vec<(String, String)>,
) -> Result<Vec<Delivery>, SendError> {
    for s in session.recover(&mut note)? {
        let now = match s.how {
            SettledAs::Sent => "sent",
            SettledAs::NotSent => "not sent (any partial upload was removed)",
            SettledAs::Unsettled(e) => {
                failed.push((s.file, e.to_string()));
                continue;
            }
        };
        note(&format!(
            "{} was left `sending` by an interrupted run; the server shows it {now}",
            s.file
        ));
    }
    if args.pending {
        add_pending(session.history().0, &mut named, client)?;
    }
    named.retain(|d| !failed.iter().any(|(f, _)| *f == d.file));
    Ok(named)
}

/// Adds the unsent deliveries made on this host; names those made on another host.
fn add_pending(
    history: &dyn History,
    named: &mut Vec<Delivery>,
    client: Option<&str>,
) -> Result<(), SendError> {
    let found = send::pending(history, client, &collectmaxx::pg::this_host())?;
    for (file, host) in found.elsewhere {
        note(&format!(
            "{file} was made on host {host}: send it from there"
        ));
    }
    for d in found.here {
        if !named.iter().any(|n| n.file == d.file) {
            named.push(d);
        }
    }
    Ok(())
}

fn send_all(
    args: &Args,
    session: &mut Session<'_>,
    sftp: &Sftp,
    targets: &[Delivery],
    failed: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut sent = Vec::new();
    let mut stop: Option<String> = None;
    for d in targets {
        if let Some(why) = &stop {
            failed.push((d.file.clone(), format!("not tried: {why}")));
            continue;
        }
        match session.send(d, args.again, &mut note) {
            Ok(Outcome::Sent(r)) => {
                if args.again {
                    note(&format!("warning: {} was sent again (--again)", d.file));
                }
                println!(
                    "sent {} to {}:{} ({} bytes)",
                    d.file, sftp.host, r.remote_path, r.size
                );
                sent.push(d.file.clone());
            }
            Ok(Outcome::AlreadySent(r)) => println!(
                "{} already sent on {} to {}:{}; --again sends it again",
                d.file,
                r.sent_at.unwrap_or_default(),
                r.host,
                r.remote_path
            ),
            Err(e) => {
                if e.ends_session() {
                    stop = Some(e.to_string());
                }
                failed.push((d.file.clone(), e.to_string()));
            }
        }
    }
    sent
}

fn report(sent: &[String], failed: &[(String, String)]) -> anyhow::Result<Exit> {
    if failed.is_empty() {
        if sent.is_empty() {
            println!("nothing new sent");
        }
        return Ok(Exit::Ok);
    }
    for (file, why) in failed {
        eprintln!("collectmaxx: not sent: {file}: {why}");
    }
    let list = |v: Vec<&str>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    anyhow::bail!(
        "sent: {}; not sent: {}",
        list(sent.iter().map(String::as_str).collect()),
        list(failed.iter().map(|f| f.0.as_str()).collect())
    )
}

/// The connection (or the recovery before any upload) failed: nothing was sent.
fn fail(
    e: &SendError,
    named: &[Delivery],
    mut failed: Vec<(String, String)>,
) -> anyhow::Result<Exit> {
    for d in named {
        failed.push((d.file.clone(), "not tried".into()));
    }
    for (file, why) in &failed {
        eprintln!("collectmaxx: not sent: {file}: {why}");
    }
    anyhow::bail!("{e}")
}

fn dry_run(
    args: &Args,
    history: &dyn History,
    mut named: Vec<Delivery>,
    failed: Vec<(String, String)>,
    client: Option<&str>,
) -> anyhow::Result<Exit> {
    if args.pending {
        add_pending(history, &mut named, client)?;
    }
    for d in &named {
        match history.sent_of(&d.file)? {
            Some(r) if r.sent_at.is_some() && !args.again => {
                println!(
                    "dry run: {} already sent on {}",
                    d.file,
                    r.sent_at.unwrap_or_default()
                )
            }
            _ => println!("dry run: would send {}", d.file),
        }
    }
    if named.is_empty() && failed.is_empty() {
        println!("dry run: nothing to send");
    }
    report(&[], &failed).map(|_| Exit::Ok)
}
