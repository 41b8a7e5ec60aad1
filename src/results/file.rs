//! Result file names: which kind of file, which days it covers.

use chrono::NaiveDate;
use serde::Serialize;

/// The kinds of result file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `result_YYYYMMDD-acosNNNN.csv`: one day of record results.
    Daily,
    /// `result_YYYYMMDD_YYYYMMDD-acosNNNN.csv`: a month (or any range) of record results.
    Monthly,
    /// `result_YYYYMMDD_YYYYMMDD_paylink.csv`: PayLinks created in the portal or API.
    Paylink,
    /// A record result file whose name follows neither pattern (recognized by its header).
    Records,
}

impl Kind {
    pub fn is_records(self) -> bool {
        !matches!(self, Kind::Paylink)
    }
}

/// What a file's name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub kind: Kind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The part after the dates, e.g. `acos1001`.
    pub script: Option<String>,
}

/// Reads a result file name (the last path component). `None` when it follows no pattern.
pub(crate) fn parse_name(file_name: &str) -> Option<Name> {
    let lower = file_name.to_ascii_lowercase();
    let stem = lower.strip_prefix("result_")?.strip_suffix(".csv")?;
    let first = date(stem.get(..8)?)?;
    let rest = stem.get(8..)?;
    if let Some(script) = rest.strip_prefix('-') {
        return (!script.is_empty()).then(|| Name {
            kind: Kind::Daily,
            from: first,
            to: first,
            script: Some(script.to_string()),
        });
    }
    let rest = rest.strip_prefix('_')?;
    let second = date(rest.get(..8)?)?;
    let tail = rest.get(8..)?;
    if tail == "_paylink" {
        return Some(Name {
            kind: Kind::Paylink,
            from: first,
            to: second,
            script: None,
        });
    }
    let script = tail.strip_prefix('-').filter(|s| !s.is_empty())?;
    Some(Name {
        kind: Kind::Monthly,
        from: first,
        to: second,
        script: Some(script.to_string()),
    })
}

fn date(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_three_patterns() {
        let daily = parse_name("result_20220106-acos1001.csv").unwrap();
        assert_eq!(daily.kind, Kind::Daily);
        assert_eq!((daily.from, daily.to), (d("2022-01-06"), d("2022-01-06")));
        assert_eq!(daily.script.as_deref(), Some("acos1001"));
        let monthly = parse_name("result_20211201_20211231-acos1001.csv").unwrap();
        assert_eq!(monthly.kind, Kind::Monthly);
        assert_eq!(monthly.to, d("2021-12-31"));
        let paylink = parse_name("RESULT_20220101_20220106_paylink.CSV").unwrap();
        assert_eq!(paylink.kind, Kind::Paylink);
    }

    #[test]
    fn other_names_are_not_recognized() {
        assert_eq!(parse_name("results.csv"), None);
        assert_eq!(parse_name("result_20221306-acos1.csv"), None);
        assert_eq!(parse_name("result_20220106-.csv"), None);
        assert_eq!(parse_name("result_20220106_20220107.csv"), None);
        assert_eq!(parse_name("result_2022é106-acos1.csv"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_name(&s);
            let _ = parse_name(&format!("result_{s}.csv"));
        }
    }
}
