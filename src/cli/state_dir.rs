//! Opening the history where the settings put it (the state directory, or the database of
//! `--state-url`), with the storage's errors worded for the command line (the storage does not
//! know the flags).

use anyhow::Context;
use collectmaxx::backend::{self, Place};
use collectmaxx::config::Settings;
use collectmaxx::history::{self, History};
use collectmaxx::state::StateError;

/// Where the settings put the history; an error when there is no state directory.
pub fn place(settings: &Settings) -> anyhow::Result<Place> {
    let dir = settings.state_dir.as_ref().map(|s| s.value.clone()).context(
        "no state directory: give --state-dir DIR or set COLLECTMAXX_STATE_DIR (there is no home directory to default to)",
    )?;
    Ok(match &settings.state_url {
        Some(url) => Place::shared(&dir, &url.value),
        None => Place::local(&dir),
    })
}

/// Opens the history, creating and migrating it (see [`backend::open`]).
pub fn open(place: &Place) -> anyhow::Result<Box<dyn History>> {
    backend::open(place).map_err(advise)
}

/// Opens the history if there is one, creating nothing (see [`backend::open_existing`]).
pub fn open_existing(place: &Place) -> anyhow::Result<Option<Box<dyn History>>> {
    backend::open_existing(place).map_err(advise)
}

/// Adds what to do where that is a flag.
fn advise(e: history::Error) -> anyhow::Error {
    match e.backend().downcast_ref::<StateError>() {
        Some(StateError::NewerSchema { .. }) => {
            anyhow::anyhow!("{e}; upgrade, or use another --state-dir")
        }
        _ => e.into(),
    }
}
