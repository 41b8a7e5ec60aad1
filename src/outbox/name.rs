//! Delivery file names: `<YYYYMMDD>-<CLIENT>-<n>.<ext>`, and the client code that goes in them.

use std::io;
use std::path::Path;

use chrono::NaiveDate;

/// A client code that can be part of a file name: 1 to 64 letters, digits, `_` and `-`, so it
/// can never form a path. Checked once, when it is made.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientCode(String);

/// Why a text is not a client code; the message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadClientCode(String);

impl ClientCode {
    pub fn new(code: impl Into<String>) -> Result<ClientCode, BadClientCode> {
        let code = code.into();
        if code.is_empty() || code.len() > 64 {
            return Err(BadClientCode(
                "the client code must be 1 to 64 characters".into(),
            ));
        }
        if let Some(c) = code
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        {
            return Err(BadClientCode(format!(
                "the client code '{code}' contains '{c}': use letters, digits, '_' and '-' only (it becomes part of the file name)"
            )));
        }
        Ok(ClientCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ClientCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The file name of delivery number `n`; `extension` without its dot (`csv`, `report.json`).
pub fn file_name(date: NaiveDate, client: &ClientCode, n: u32, extension: &str) -> String {
    format!("{}-{client}-{n}.{extension}", date.format("%Y%m%d"))
}

/// The highest number used in `out_dir` for this date and client, over every delivery format.
pub fn highest_in_dir(out_dir: &Path, date: NaiveDate, client: &ClientCode) -> io::Result<u32> {
    let prefix = format!("{}-{client}-", date.format("%Y%m%d"));
    let mut max = 0;
    let entries = match std::fs::read_dir(out_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let name = entry?.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let digits = rest.split('.').next().unwrap_or("");
        if let Ok(n) = digits.parse::<u32>() {
            max = max.max(n);
        }
    }
    Ok(max)
}
