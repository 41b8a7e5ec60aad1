//! `collectmaxx fetch`: download the result files not fetched before.

use std::path::PathBuf;

use anyhow::Context;

use super::flags::Locations;
use super::state_dir;
use collectmaxx::config::Settings;
use collectmaxx::delivery::Exit;

use collectmaxx::privacy::dir_mode_of;
use collectmaxx::transport::fetch::{fetch_new, Fetched};
use collectmaxx::transport::send::Session;

const EXIT_CODES: &str = "Exit codes:
  0  the new result files were fetched, or there was none (a file still being written on the
     server is left for the next fetch, with a warning)
  2  something failed: the output says which files were fetched before it";

#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
#[command(before_help = "Example:\n  collectmaxx fetch --out-dir results")]
pub struct Args {
    /// Where the result files go [default: results_to in [sftp], else the working directory].
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub locations: Locations,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(&args.locations.flags())?;
    collectmaxx::privacy::set_file_mode(settings.file_mode.value);
    let sftp = &settings
        .sftp
        .as_ref()
        .context(super::common::NO_SFTP)?
        .value;
    let to = args
        .out_dir
        .clone()
        .unwrap_or_else(|| sftp.results_to.clone());
    let place = state_dir::place(&settings)?;
    let mut history = state_dir::open(&place)?;
    let lock = history.lock(None, collectmaxx::config::lock_timeout()?)?;
    let mut note = |m: &str| eprintln!("collectmaxx: {m}");
    let mut session = Session::open(history.as_mut(), &lock, sftp, &mut note)?;
    let mode = settings.file_mode.value;
    let fetched = fetch_new(&mut session, &to, mode, dir_mode_of(mode), &mut note);
    session.close();
    let fetched = fetched?;
    let mut new = 0;
    for f in &fetched {
        match f {
            Fetched::New(f) => {
                new += 1;
                println!("{}", to.join(&f.name).display());
            }
            Fetched::Later { name, message } => {
                eprintln!("collectmaxx: warning: {name} not fetched: {message}")
            }
        }
    }
    if new == 0 {
        eprintln!("collectmaxx: no new result files");
    }
    Ok(Exit::Ok)
}
