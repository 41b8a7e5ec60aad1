//! `collectmaxx fields` (being built).

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> anyhow::Result<Exit> {
    anyhow::bail!("'fields' is not built yet")
}
