//! `collectmaxx hostkey`: the server's host-key fingerprints, to compare and pin.

use std::time::Duration;

use anyhow::Context;

use super::flags::Locations;
use collectmaxx::config::Settings;
use collectmaxx::delivery::Exit;
use collectmaxx::transport::connect::host_keys;

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx hostkey --host sftp.example.net")]
pub struct Args {
    /// The server [default: host in [sftp]].
    #[arg(long, value_name = "H")]
    pub host: Option<String>,
    /// Its port [default: port in [sftp], else 22].
    #[arg(long, value_name = "P")]
    pub port: Option<u16>,
    #[command(flatten)]
    pub locations: Locations,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let settings = Settings::resolve(&args.locations.flags())?;
    let sftp = settings.sftp.as_ref().map(|s| &s.value);
    let host = args
        .host
        .clone()
        .or_else(|| sftp.map(|s| s.host.clone()))
        .context("no server: give --host, or host in [sftp] of the configuration file")?;
    let port = args.port.or(sftp.map(|s| s.port)).unwrap_or(22);
    let timeout = sftp.map_or(Duration::from_secs(30), |s| s.timeout);
    let keys = host_keys(&host, port, timeout)?;
    println!("host keys of {host} port {port} (no login was tried):");
    for k in &keys {
        println!("{}  {}", k.fingerprint, k.algorithm);
    }
    println!();
    println!("Compare them with the fingerprint the server's owner gives you (not one read from");
    println!("this output alone), then pin the matching one in the configuration file:");
    println!();
    println!("[sftp]");
    println!("host_key = [\"{}\"]", keys[0].fingerprint);
    Ok(Exit::Ok)
}
