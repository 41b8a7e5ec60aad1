//! CSV reader (being built).

use std::path::Path;

use super::{ReadOptions, RowResult, Source, SourceError};

pub struct CsvSource {
    header: Vec<String>,
}

impl CsvSource {
    pub fn open(path: &Path, _opts: &ReadOptions) -> Result<CsvSource, SourceError> {
        Err(SourceError::new(
            path.display().to_string(),
            "CSV reader not built yet",
        ))
    }
}

impl Source for CsvSource {
    fn format(&self) -> &'static str {
        "csv"
    }
    fn header(&self) -> &[String] {
        &self.header
    }
    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        None
    }
}
