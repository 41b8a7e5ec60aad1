//! A file whose name claims one format and whose content is another (an "export.xlsx" that is
//! really CSV text, a workbook named ".csv"): it is read as what its content is, and the report
//! says so with a `file.format_mismatch` warning, so that a wrongly named export is noticed.

use super::{FileNote, RecordNote, RowResult, Source, SourceError};

/// The format (as [`Source::format`] names it) that a file name's extension claims, if the
/// extension names one.
pub fn claimed_format(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "csv" | "tsv" => "csv",
        "xlsx" | "xlsm" => "xlsx",
        "xlsb" => "xlsb",
        "xls" => "xls",
        "ods" => "ods",
        "xml" => "xml",
        "json" | "ndjson" | "jsonl" => "crmcom",
        _ => return None,
    })
}

/// The source, with a `file.format_mismatch` note first when its content is not the format
/// its name claims. A format forced with `--input-format` is never noted. `content` says what
/// the file is, as precisely as detection knows (`tab-separated text`).
pub(crate) fn note_mismatch(
    path: &std::path::Path,
    forced: bool,
    content: &str,
    source: Box<dyn Source>,
) -> Box<dyn Source> {
    let Some(claimed) = claimed_format(path).filter(|c| !forced && *c != source.format()) else {
        return source;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let note = FileNote {
        code: "file.format_mismatch",
        message: format!(
            "'{name}' is named as {claimed} but its content is {content}: it was read as {}; \
             rename the file, or force a format with --input-format",
            source.format()
        ),
        row: None,
    };
    Box::new(Noted {
        inner: source,
        notes: vec![note],
    })
}

struct Noted {
    inner: Box<dyn Source>,
    notes: Vec<FileNote>,
}

impl Source for Noted {
    fn format(&self) -> &'static str {
        self.inner.format()
    }
    fn header(&self) -> &[String] {
        self.inner.header()
    }
    fn header_row(&self) -> u64 {
        self.inner.header_row()
    }
    fn sheet(&self) -> Option<&str> {
        self.inner.sheet()
    }
    fn header_is_complete(&self) -> bool {
        self.inner.header_is_complete()
    }
    fn header_grows(&self) -> bool {
        self.inner.header_grows()
    }
    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        self.inner.next_row()
    }
    fn progress(&self) -> Option<(u64, u64)> {
        self.inner.progress()
    }
    fn take_notes(&mut self) -> Vec<FileNote> {
        let mut notes = std::mem::take(&mut self.notes);
        notes.extend(self.inner.take_notes());
        notes
    }
    fn take_record_notes(&mut self) -> Vec<RecordNote> {
        self.inner.take_record_notes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn extensions_claim_formats() {
        assert_eq!(claimed_format(Path::new("a.XLSX")), Some("xlsx"));
        assert_eq!(claimed_format(Path::new("a.jsonl")), Some("crmcom"));
        assert_eq!(claimed_format(Path::new("a.txt")), None);
        assert_eq!(claimed_format(Path::new("noext")), None);
    }
}
