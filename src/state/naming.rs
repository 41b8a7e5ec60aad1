//! Delivery file names: `YYYYMMDD-CLIENT-n.ext`, as the specification prefers them.

use std::io;
use std::path::Path;

use chrono::NaiveDate;

/// The name of delivery `number` of `client` on `date`, e.g. `20260102-ACME-3.csv`.
pub fn file_name(date: NaiveDate, client: &str, number: u32, extension: &str) -> String {
    format!("{}-{client}-{number}.{extension}", date.format("%Y%m%d"))
}

/// Checks that a client number can stand in a file name: 1 to 50 ASCII letters, digits, `_`
/// or `-`.
pub fn check_client(client: &str) -> Result<(), String> {
    let ok = !client.is_empty()
        && client.len() <= 50
        && client
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "client '{client}' cannot stand in a delivery file name: use 1 to 50 letters, digits, '_' or '-' (your Collectmaxx client number)"
        ))
    }
}

/// The number in `name` if it is a delivery of `client` on `date` (any extension).
pub fn number_in(name: &str, date: NaiveDate, client: &str) -> Option<u32> {
    let prefix = format!("{}-{client}-", date.format("%Y%m%d"));
    let rest = name.strip_prefix(&prefix)?;
    let (digits, _ext) = rest.split_once('.')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The highest number of a delivery of `client` on `date` in `dir`; `None` when there is none
/// (or no such directory).
pub fn out_dir_max(dir: &Path, date: NaiveDate, client: &str) -> io::Result<Option<u32>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut max = None;
    for entry in entries {
        let entry = entry?;
        if let Some(n) = entry
            .file_name()
            .to_str()
            .and_then(|name| number_in(name, date, client))
        {
            max = max.max(Some(n));
        }
    }
    Ok(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).unwrap()
    }

    #[test]
    fn names_follow_the_preferred_format() {
        assert_eq!(file_name(day(2), "ACME", 3, "csv"), "20260102-ACME-3.csv");
        assert_eq!(number_in("20260102-ACME-3.csv", day(2), "ACME"), Some(3));
        assert_eq!(number_in("20260102-ACME-12.xlsx", day(2), "ACME"), Some(12));
        assert_eq!(number_in("20260102-ACME-3.csv", day(3), "ACME"), None);
        assert_eq!(number_in("20260102-ACME-3.csv", day(2), "ACM"), None);
        assert_eq!(number_in("20260102-ACME-x.csv", day(2), "ACME"), None);
        assert_eq!(number_in("20260102-ACME-3", day(2), "ACME"), None);
        assert_eq!(number_in("20260102-ACME-1-3.csv", day(2), "ACME"), None);
    }

    #[test]
    fn out_dir_max_reads_only_matching_names() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            out_dir_max(&dir.path().join("none"), day(2), "A").unwrap(),
            None
        );
        for n in [
            "20260102-A-2.csv",
            "20260102-A-7.xml",
            "20260103-A-9.csv",
            "20260102-B-8.csv",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        assert_eq!(out_dir_max(dir.path(), day(2), "A").unwrap(), Some(7));
        assert_eq!(out_dir_max(dir.path(), day(4), "A").unwrap(), None);
    }

    #[test]
    fn client_must_fit_a_file_name() {
        assert!(check_client("ACME_1").is_ok());
        assert!(check_client("").is_err());
        assert!(check_client("a/b").unwrap_err().contains("a/b"));
        assert!(check_client("a b").is_err());
    }
}
