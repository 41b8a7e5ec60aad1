//! CSV reader: delimiter detection, BOM, quoted fields with embedded newlines, CRLF or LF.
//!
//! Row numbers are what a spreadsheet shows for the file (header = row 1, lines that are
//! completely empty still count as rows), and `line` is the physical line where the row starts.
//! Completely empty lines are not data rows: they are neither read nor reported.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::{Cell, ReadOptions, Row, RowResult, Source, SourceError};

/// The delimiters that detection chooses from, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

pub struct CsvSource {
    path: String,
    header: Vec<String>,
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::ByteRecord,
    breaks: Arc<Mutex<Breaks>>,
    /// Line breaks (`\n`) seen before the current parse position.
    lines_before: u64,
    /// Lines added by line breaks inside values of earlier rows (a spreadsheet row each).
    extra_lines: u64,
}

/// Byte offsets of the line-break characters that have passed through the parser's input and
/// not yet been consumed by a row. Bounded by the parser's read-ahead buffer.
#[derive(Default)]
struct Breaks {
    offset: u64,
    pending: VecDeque<(u64, u8)>,
}

/// Records where line breaks are, so that rows get their exact physical line.
struct BreakCounter<R> {
    inner: R,
    breaks: Arc<Mutex<Breaks>>,
}

impl<R: Read> Read for BreakCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut b) = self.breaks.lock() {
            let base = b.offset;
            for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
                b.pending.push_back((base + i as u64, buf[i]));
            }
            b.offset += n as u64;
        }
        Ok(n)
    }
}

impl CsvSource {
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<CsvSource, SourceError> {
        let shown = path.display().to_string();
        let file = File::open(path).map_err(|e| SourceError::new(&shown, format!("cannot open: {e}")))?;
        CsvSource::from_reader(shown, Box::new(file), opts)
    }

    /// Reads CSV from any byte stream; `name` is used in messages.
    pub fn from_reader(name: String, input: Box<dyn Read + Send>, opts: &ReadOptions) -> Result<CsvSource, SourceError> {
        let mut buf = BufReader::with_capacity(1 << 16, input);
        // Drop a UTF-8 byte order mark.
        let head = buf.fill_buf().map_err(|e| SourceError::new(&name, format!("cannot read: {e}")))?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            buf.consume(3);
        }
        let head = buf.fill_buf().map_err(|e| SourceError::new(&name, format!("cannot read: {e}")))?;
        if head.is_empty() {
            return Err(SourceError::new(&name, "the file is empty: expected a header line with delivery field names"));
        }
        let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(head));
        let breaks = Arc::new(Mutex::new(Breaks::default()));
        let counted = BreakCounter { inner: buf, breaks: breaks.clone() };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Box::new(counted) as Box<dyn Read + Send>);
        let mut record = csv::ByteRecord::new();
        let found = reader
            .read_byte_record(&mut record)
            .map_err(|e| SourceError::new(&name, format!("cannot read the header: {e}")))?;
        if !found {
            return Err(SourceError::new(&name, "the file has no header line: expected delivery field names"));
        }
        let header = record
            .iter()
            .enumerate()
            .map(|(i, f)| {
                String::from_utf8(f.to_vec()).map_err(|_| {
                    SourceError::new(&name, format!("header column {} is not valid UTF-8", i + 1))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut src = CsvSource { path: name, header, reader, record: csv::ByteRecord::new(), breaks, lines_before: 0, extra_lines: 0 };
        src.extra_lines = span(&record) - 1;
        src.record = record;
        Ok(src)
    }
}

/// How many physical lines a record spans (embedded line breaks add lines).
fn span(record: &csv::ByteRecord) -> u64 {
    1 + record.iter().map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64).sum::<u64>()
}

/// Picks the delimiter that occurs most often, outside quotes, in the first line.
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

impl Source for CsvSource {
    fn format(&self) -> &'static str {
        "csv"
    }

    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => Some(Err(SourceError::new(&self.path, format!("cannot read: {e}")))),
            Ok(true) => {
                let start = self.record.position().map_or(0, |p| p.byte());
                let line = self.line_at(start);
                // A spreadsheet shows one row per line, except that line breaks inside values
                // do not start new rows; completely empty lines do.
                let row = line - self.extra_lines;
                self.extra_lines += span(&self.record) - 1;
                Some(Ok(self.to_row(row, line)))
            }
        }
    }
}

impl CsvSource {
    /// The physical line of the row whose parse started at byte `start`: line breaks before
    /// `start`, plus those the parser skipped as empty lines at `start`.
    fn line_at(&mut self, start: u64) -> u64 {
        let Ok(mut b) = self.breaks.lock() else { return self.lines_before + 1 };
        while let Some(&(at, ch)) = b.pending.front() {
            if at >= start {
                break;
            }
            self.lines_before += u64::from(ch == b'\n');
            b.pending.pop_front();
        }
        let mut pos = start;
        while let Some(&(at, ch)) = b.pending.front() {
            if at != pos {
                break;
            }
            self.lines_before += u64::from(ch == b'\n');
            b.pending.pop_front();
            pos += 1;
        }
        self.lines_before + 1
    }

    fn to_row(&self, row: u64, line: u64) -> RowResult {
        let n = self.record.len();
        if n != self.header.len() {
            let what = if n > self.header.len() { "more" } else { "fewer" };
            return RowResult::Broken {
                row,
                line: Some(line),
                code: "row.ragged",
                message: format!(
                    "row has {n} values but the header has {} columns ({what}): a delimiter inside an unquoted value, or a missing quote? The row is not delivered",
                    self.header.len()
                ),
                value: Some(String::from_utf8_lossy(&self.record.as_slice()[..self.record.as_slice().len().min(200)]).into_owned()),
            };
        }
        let mut cells = Vec::with_capacity(n);
        for (i, field) in self.record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok("") => cells.push(Cell::Empty),
                Ok(s) => cells.push(Cell::Text(s.to_string())),
                Err(e) => {
                    return RowResult::Broken {
                        row,
                        line: Some(line),
                        code: "row.encoding",
                        message: format!(
                            "column '{}' is not valid UTF-8 (byte {} of the value); save the export as UTF-8 or pass --encoding",
                            self.header.get(i).map(String::as_str).unwrap_or("?"),
                            e.valid_up_to() + 1
                        ),
                        value: Some(String::from_utf8_lossy(field).into_owned()),
                    }
                }
            }
        }
        RowResult::Row(Row { row, line: Some(line), cells })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<String>, Vec<RowResult>) {
        let mut src = CsvSource::from_reader("t.csv".into(), Box::new(std::io::Cursor::new(text.as_bytes().to_vec())), &ReadOptions::default()).unwrap();
        let mut rows = Vec::new();
        while let Some(r) = src.next_row() {
            rows.push(r.unwrap());
        }
        (src.header.clone(), rows)
    }

    fn row(r: &RowResult) -> &Row {
        match r {
            RowResult::Row(row) => row,
            other => panic!("expected a row, got {other:?}"),
        }
    }

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c"), b'|');
        assert_eq!(detect_delimiter(b"\"a,b\";c"), b';');
        assert_eq!(detect_delimiter(b"single"), b';');
    }

    #[test]
    fn bom_crlf_quotes_and_embedded_newlines() {
        let (header, rows) = read("\u{feff}A;B\r\n\"x;1\";\"multi\r\nline\"\r\n2;\"say \"\"hi\"\"\"\r\n");
        assert_eq!(header, ["A", "B"]);
        assert_eq!(row(&rows[0]).cells, [Cell::Text("x;1".into()), Cell::Text("multi\r\nline".into())]);
        assert_eq!((row(&rows[0]).row, row(&rows[0]).line), (2, Some(2)));
        assert_eq!(row(&rows[1]).cells[1], Cell::Text("say \"hi\"".into()));
        assert_eq!((row(&rows[1]).row, row(&rows[1]).line), (3, Some(4)));
    }

    #[test]
    fn blank_lines_count_in_row_numbers() {
        let (_, rows) = read("A,B\n1,2\n\n\n3,4\n");
        assert_eq!(rows.len(), 2);
        assert_eq!((row(&rows[1]).row, row(&rows[1]).line), (5, Some(5)));
    }

    #[test]
    fn lines_with_crlf_blank_lines_and_no_final_newline() {
        let (_, rows) = read("A;B\r\n1;\"a\r\nb\"\r\n\r\n\r\n2;x\r\n3;y");
        let got: Vec<_> = rows.iter().map(|r| (row(r).row, row(r).line)).collect();
        assert_eq!(got, [(2, Some(2)), (5, Some(6)), (6, Some(7))]);
        let (_, rows) = read("A;B\n1;2\n3;4");
        let got: Vec<_> = rows.iter().map(|r| (row(r).row, row(r).line)).collect();
        assert_eq!(got, [(2, Some(2)), (3, Some(3))]);
    }

    #[test]
    fn ragged_rows_are_broken_not_fatal() {
        let (_, rows) = read("A;B;C\n1;2\n1;2;3;4\n1;2;3\n");
        assert!(matches!(&rows[0], RowResult::Broken { code: "row.ragged", row: 2, .. }));
        assert!(matches!(&rows[1], RowResult::Broken { code: "row.ragged", row: 3, .. }));
        assert_eq!(row(&rows[2]).row, 4);
    }

    #[test]
    fn empty_file_is_a_file_error() {
        let err = CsvSource::from_reader("e.csv".into(), Box::new(std::io::empty()), &ReadOptions::default()).err().unwrap();
        assert!(err.to_string().contains("empty"));
    }
}
