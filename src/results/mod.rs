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
pub mod entry;
pub mod file;
pub mod join;
pub mod merge;
pub mod output;
pub mod read;
pub mod summary;
pub mod values;

use std::path::{Path, PathBuf};

pub use merge::Merged;
pub use read::ReadError;

/// One warning about a row or value; never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: Option<u64>,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}: line {line}: {} [{}]",
                self.file, self.message, self.code
            ),
            None => write!(f, "{}: {} [{}]", self.file, self.message, self.code),
        }
    }
}

/// Warnings of a run: all are counted, the first [`Warnings::KEPT`] are kept for display.
#[derive(Debug, Default)]
pub struct Warnings {
    pub count: u64,
    pub kept: Vec<Warning>,
}

impl Warnings {
    pub const KEPT: usize = 1000;

    pub fn push(
        &mut self,
        file: &str,
        line: Option<u64>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.count += 1;
        if self.kept.len() < Self::KEPT {
            self.kept.push(Warning {
                file: file.to_string(),
                line,
                code,
                message: message.into(),
            });
        }
    }
}

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
