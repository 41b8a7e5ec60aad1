//! Collectmaxx result files: read daily, monthly and PayLink result files, decode every code,
//! merge several files (a record's later status wins), summarize, and reconcile with a
//! delivery.
//!
//! Flow: [`load`] reads the files in date order ([`read`]) into a [`merge::Merged`];
//! [`summary::summarize`] counts it; [`output`] renders a table, JSON or CSV; [`join`]
//! reconciles with delivered identifiers. `docs/results.md` is the user-facing description.

pub mod codes;
pub mod columns;
pub mod decode;
pub(crate) mod entry;
pub(crate) mod file;
pub mod join;
pub(crate) mod merge;
pub(crate) mod ordered;
pub mod output;
pub mod read;
pub mod summary;
pub(crate) mod values;
pub(crate) mod warnings;

use std::path::{Path, PathBuf};

pub use merge::Merged;
pub(crate) use read::ReadError;
pub use warnings::{Warning, Warnings};

/// Reads and merges result files. Files are read in the order of the days their names cover,
/// so that later statuses replace earlier ones (see [`merge`]).
pub fn load(paths: &[PathBuf], warnings: &mut Warnings) -> Result<Merged, ReadError> {
    let names: Vec<_> = paths
        .iter()
        .map(|p| {
            let name = file_name(p);
            let parsed = file::parse_name(&name);
            (
                parsed.as_ref().map(|n| n.from),
                parsed.as_ref().map(|n| n.to),
                p.display().to_string(),
            )
        })
        .collect();
    let mut merged = Merged::default();
    for index in merge::file_order(&names) {
        let Some(path) = paths.get(index) else {
            continue;
        };
        let (from, to, _) = names
            .get(index)
            .cloned()
            .unwrap_or((None, None, String::new()));
        let file = merged.files.len();
        let info = read::read_file(path, warnings, &mut |item| merged.add(file, from, to, item))?;
        merged.files.push(info);
    }
    Ok(merged)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}
