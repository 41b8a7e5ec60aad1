//! `collectmaxx convert` (being built).

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> anyhow::Result<Exit> {
    anyhow::bail!("'convert' is not built yet")
}
