//! CSV reader: encoding and delimiter detection, quoted fields with embedded newlines, CRLF or
//! LF.
//!
//! Encodings: a UTF-8 or UTF-16 byte order mark selects that encoding. Otherwise values are
//! read as UTF-8, strictly; at the first value that is not valid UTF-8 the file is taken to be
//! Windows-1252 (what Excel on Windows saves as "CSV"), with one warning naming the row.
//! `--encoding` forces an encoding. Bytes are never silently replaced.
//!
//! Row numbers are what a spreadsheet shows for the file (header = row 1, completely empty
//! lines still count as rows), and `line` is the physical line where the row starts.
//! Completely empty lines are not data rows: they are neither read nor reported.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::{
    Cell, FileNote, Limits, ReadOptions, Row, RowResult, Source, SourceError, TextEncoding,
};

/// The delimiters that detection chooses from, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// How many leading bytes are checked for signs of a binary file.
const SNIFF: usize = 8192;

/// How cell bytes become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decode {
    /// UTF-8, falling back to Windows-1252 at the first invalid value.
    Detect,
    /// UTF-8 only: an invalid value rejects its row.
    Utf8,
    /// A single-byte encoding (ASCII-compatible, so delimiters and quotes are unaffected).
    Single(&'static encoding_rs::Encoding),
    /// ISO-8859-1 proper: every byte is the code point of the same number.
    Latin1,
}

pub struct CsvSource {
    path: String,
    header: Vec<String>,
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::ByteRecord,
    scan: Arc<Mutex<Scan>>,
    decode: Decode,
    limits: Limits,
    notes: Vec<FileNote>,
    /// Line breaks (`\n`) seen before the current parse position.
    lines_before: u64,
    /// Lines added by line breaks inside values of earlier rows (a spreadsheet row each).
    extra_lines: u64,
    /// Start line and span of the last row, for the unterminated-quote check at the end.
    last: (u64, u64),
    /// Set after the end or a file-level error: nothing more is read.
    done: bool,
    /// The input's size in bytes, when it is a file.
    size: Option<u64>,
}

/// What the byte counter under the parser has seen.
#[derive(Default)]
struct Scan {
    /// Bytes passed to the parser so far.
    offset: u64,
    /// Byte offsets of line-break characters the parser has been given but that no row has
    /// been matched against yet; bounded by the parser's read-ahead buffer.
    pending: VecDeque<(u64, u8)>,
    /// Quote characters seen: an odd count at the end means a quote was never closed.
    quotes: u64,
    max_bytes: u64,
}

/// Counts bytes, quotes and line breaks on their way into the parser.
struct Scanner<R> {
    inner: R,
    scan: Arc<Mutex<Scan>>,
}

impl<R: Read> Read for Scanner<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut s = self
            .scan
            .lock()
            .map_err(|_| io::Error::other("scanner state poisoned"))?;
        let base = s.offset;
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            s.pending.push_back((base + i as u64, buf[i]));
        }
        s.quotes += memchr::memchr_iter(b'"', &buf[..n]).count() as u64;
        s.offset += n as u64;
        if s.offset > s.max_bytes {
            return Err(io::Error::other(format!(
                "the input is larger than the limit of {} bytes (raise it with --max-file-size)",
                s.max_bytes
            )));
        }
        Ok(n)
    }
}

impl CsvSource {
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<CsvSource, SourceError> {
        let shown = path.display().to_string();
        let file =
            File::open(path).map_err(|e| SourceError::new(&shown, format!("cannot open: {e}")))?;
        let size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let mut src = CsvSource::from_reader(shown, Box::new(file), opts)?;
        src.size = size;
        Ok(src)
    }

    /// Reads CSV from any byte stream; `name` is used in messages.
    pub fn from_reader(
        name: String,
        input: Box<dyn Read + Send>,
        opts: &ReadOptions,
    ) -> Result<CsvSource, SourceError> {
        let err = |m: String| SourceError::new(&name, m);
        let mut buf = BufReader::with_capacity(1 << 16, input);
        let head = fill(&mut buf, SNIFF).map_err(|e| err(format!("cannot read: {e}")))?;
        if head.is_empty() {
            return Err(err(
                "the file is empty: expected a header line with delivery field names".into(),
            ));
        }
        let bom = Bom::of(&head);
        let forced = opts.encoding;
        let utf16 = match (forced, bom) {
            (Some(TextEncoding::Utf16Be), _)
            | (Some(TextEncoding::Utf16), Some(Bom::Utf16Be))
            | (None, Some(Bom::Utf16Be)) => Some(encoding_rs::UTF_16BE),
            (Some(TextEncoding::Utf16 | TextEncoding::Utf16Le), _) | (None, Some(Bom::Utf16Le)) => {
                Some(encoding_rs::UTF_16LE)
            }
            _ => None,
        };
        let (stream, decode): (Box<dyn Read + Send>, Decode) = match utf16 {
            Some(enc) => {
                let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(enc))
                    .strip_bom(true)
                    .build(buf);
                (
                    Box::new(BufReader::with_capacity(1 << 16, decoded)),
                    Decode::Utf8,
                )
            }
            None => {
                if bom == Some(Bom::Utf8) {
                    buf.consume(3);
                } else if let Some(at) = head.iter().position(|&b| b == 0) {
                    return Err(err(format!(
                        "byte {} is a NUL byte: this looks like a binary file (a spreadsheet or archive?) or UTF-16 text without a byte order mark, not CSV; pass --input-format or --encoding utf-16",
                        at + 1
                    )));
                }
                let decode = match forced {
                    None => Decode::Detect,
                    Some(TextEncoding::Utf8) => Decode::Utf8,
                    Some(TextEncoding::Windows1252) => Decode::Single(encoding_rs::WINDOWS_1252),
                    Some(TextEncoding::Iso8859_15) => Decode::Single(encoding_rs::ISO_8859_15),
                    Some(TextEncoding::Iso8859_1) => Decode::Latin1,
                    Some(TextEncoding::Utf16 | TextEncoding::Utf16Le | TextEncoding::Utf16Be) => {
                        Decode::Utf8
                    }
                };
                (Box::new(buf), decode)
            }
        };
        let mut stream = BufReader::with_capacity(1 << 16, stream);
        let first = stream
            .fill_buf()
            .map_err(|e| err(format!("cannot read: {e}")))?;
        let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(first));
        let scan = Arc::new(Mutex::new(Scan {
            max_bytes: opts.limits.max_file_bytes,
            ..Scan::default()
        }));
        let counted = Scanner {
            inner: stream,
            scan: scan.clone(),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Box::new(counted) as Box<dyn Read + Send>);
        let mut src = CsvSource {
            path: name,
            header: Vec::new(),
            reader,
            record: csv::ByteRecord::new(),
            scan,
            decode,
            limits: opts.limits,
            notes: Vec::new(),
            lines_before: 0,
            extra_lines: 0,
            last: (1, 1),
            done: false,
            size: None,
        };
        src.read_header()?;
        Ok(src)
    }

    fn read_header(&mut self) -> Result<(), SourceError> {
        let found = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| SourceError::new(&self.path, format!("cannot read the header: {e}")))?;
        if !found {
            return Err(SourceError::new(
                &self.path,
                "the file has no header line: expected delivery field names",
            ));
        }
        let start = self.record.position().map_or(0, |p| p.byte());
        let line = self.line_at(start);
        if self.record.len() > self.limits.max_columns {
            return Err(SourceError::new(
                &self.path,
                format!(
                    "the header has {} columns, over the limit of {} (raise it with --max-columns)",
                    self.record.len(),
                    self.limits.max_columns
                ),
            ));
        }
        let record = std::mem::take(&mut self.record);
        let mut header = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            match self.decode_field(field, 1, i) {
                Ok(s) => header.push(s.into_owned()),
                Err(msg) => {
                    return Err(SourceError::new(
                        &self.path,
                        format!("header column {}: {msg}", i + 1),
                    ))
                }
            }
        }
        self.header = header;
        self.extra_lines = span(&record) - 1;
        self.last = (line, span(&record));
        self.record = record;
        Ok(())
    }

    /// Decodes one value, switching to Windows-1252 at the first invalid UTF-8 when detecting.
    fn decode_field<'a>(
        &mut self,
        field: &'a [u8],
        row: u64,
        column: usize,
    ) -> Result<Cow<'a, str>, String> {
        match self.decode {
            Decode::Utf8 | Decode::Detect => match std::str::from_utf8(field) {
                Ok(s) => Ok(Cow::Borrowed(s)),
                Err(e) if self.decode == Decode::Detect => {
                    self.decode = Decode::Single(encoding_rs::WINDOWS_1252);
                    let byte = field.get(e.valid_up_to()).copied().unwrap_or(0);
                    self.notes.push(FileNote {
                        code: "file.encoding",
                        message: format!(
                            "the file is not valid UTF-8 (first at row {row}, column {}: byte 0x{byte:02X}); it was read as Windows-1252. If that is wrong, pass --encoding",
                            column + 1
                        ),
                        row: Some(row),
                    });
                    Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(field).0)
                }
                Err(e) => Err(format!(
                    "not valid UTF-8 (byte {} of the value is 0x{:02X}); save the export as UTF-8 or pass --encoding",
                    e.valid_up_to() + 1,
                    field.get(e.valid_up_to()).copied().unwrap_or(0)
                )),
            },
            Decode::Single(enc) => Ok(enc.decode_without_bom_handling(field).0),
            Decode::Latin1 => Ok(encoding_rs::mem::decode_latin1(field)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bom {
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl Bom {
    fn of(head: &[u8]) -> Option<Bom> {
        if head.starts_with(b"\xEF\xBB\xBF") {
            Some(Bom::Utf8)
        } else if head.starts_with(b"\xFF\xFE") {
            Some(Bom::Utf16Le)
        } else if head.starts_with(b"\xFE\xFF") {
            Some(Bom::Utf16Be)
        } else {
            None
        }
    }
}

/// The first bytes of the input (what one read gives, at most `max`), without consuming them.
fn fill<R: Read>(buf: &mut BufReader<R>, max: usize) -> io::Result<Vec<u8>> {
    let head = buf.fill_buf()?;
    Ok(head[..head.len().min(max)].to_vec())
}

/// How many physical lines a record spans (embedded line breaks add lines).
fn span(record: &csv::ByteRecord) -> u64 {
    1 + record.iter().map(line_breaks).sum::<u64>()
}

/// Line breaks in `bytes`: `\n`, `\r\n` and a lone `\r` each count once, as the parser
/// treats them.
fn line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            n += 1;
        }
    }
    n
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
        if self.done {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                self.check_end().err().map(Err)
            }
            Err(e) => {
                self.done = true;
                Some(Err(SourceError::new(
                    &self.path,
                    format!("cannot read: {e}"),
                )))
            }
            Ok(true) => {
                let start = self.record.position().map_or(0, |p| p.byte());
                let line = self.line_at(start);
                // A spreadsheet shows one row per line, except that line breaks inside values
                // do not start new rows; completely empty lines do.
                let row = line - self.extra_lines;
                let lines = span(&self.record);
                self.extra_lines += lines - 1;
                self.last = (line, lines);
                Some(Ok(self.row_from_record(row, line, lines)))
            }
        }
    }

    fn take_notes(&mut self) -> Vec<FileNote> {
        std::mem::take(&mut self.notes)
    }

    fn progress(&self) -> Option<(u64, u64)> {
        let done = self.scan.lock().map(|s| s.offset).ok()?;
        self.size.map(|total| (done.min(total), total))
    }
}

impl CsvSource {
    /// At the end of the input: a quote that was never closed swallows the rest of the file
    /// into one value, which would lose rows silently. Refuse the file instead.
    fn check_end(&self) -> Result<(), SourceError> {
        let quotes = self.scan.lock().map(|s| s.quotes).unwrap_or(0);
        let (line, lines) = self.last;
        if quotes % 2 == 1 && lines > 1 {
            let mut e = SourceError::new(
                &self.path,
                format!(
                    "a quote opened on line {line} is never closed, so lines {line} to {} were read as one value: close the quote (or double it inside the value) and export again",
                    line + lines - 1
                ),
            );
            e.place = Some(format!("line {line}"));
            return Err(e);
        }
        Ok(())
    }

    /// The physical line of the row whose parse started at byte `start`: line breaks before
    /// `start`, plus those the parser skipped as empty lines at `start`.
    fn line_at(&mut self, start: u64) -> u64 {
        let Ok(mut s) = self.scan.lock() else {
            return self.lines_before + 1;
        };
        // A `\r` counts as a line break unless a `\n` follows it (`\r\n` is one break).
        let counts = |s: &Scan, at: u64, ch: u8| {
            ch == b'\n'
                || s.pending
                    .get(1)
                    .is_none_or(|&(next, c)| !(next == at + 1 && c == b'\n'))
        };
        while let Some(&(at, ch)) = s.pending.front() {
            if at >= start {
                break;
            }
            self.lines_before += u64::from(counts(&s, at, ch));
            s.pending.pop_front();
        }
        let mut pos = start;
        while let Some(&(at, ch)) = s.pending.front() {
            if at != pos {
                break;
            }
            self.lines_before += u64::from(counts(&s, at, ch));
            s.pending.pop_front();
            pos += 1;
        }
        self.lines_before + 1
    }

    fn broken(
        &self,
        row: u64,
        line: u64,
        code: &'static str,
        message: String,
        value: Option<String>,
    ) -> RowResult {
        RowResult::Broken {
            row,
            line: Some(line),
            code,
            message,
            value,
        }
    }

    fn row_from_record(&mut self, row: u64, line: u64, lines: u64) -> RowResult {
        let record = std::mem::take(&mut self.record);
        let result = self.cells(&record, row, line, lines);
        self.record = record;
        result
    }

    fn cells(&mut self, record: &csv::ByteRecord, row: u64, line: u64, lines: u64) -> RowResult {
        let n = record.len();
        if n != self.header.len() {
            let what = if n > self.header.len() {
                "more"
            } else {
                "fewer"
            };
            let hint = if lines > 1 {
                format!(" It spans lines {line} to {}: a quote that is not closed may have joined several lines.", line + lines - 1)
            } else {
                " A delimiter inside an unquoted value, or a missing quote?".to_string()
            };
            let raw = record.as_slice();
            return self.broken(
                row,
                line,
                "row.ragged",
                format!("the row has {n} values but the header has {} columns ({what}); it is not delivered.{hint}", self.header.len()),
                Some(String::from_utf8_lossy(&raw[..raw.len().min(200)]).into_owned()),
            );
        }
        let mut cells = Vec::with_capacity(n);
        for (i, field) in record.iter().enumerate() {
            if field.len() > self.limits.max_cell_bytes {
                let column = self.header.get(i).cloned().unwrap_or_default();
                return self.broken(
                    row,
                    line,
                    "cell.too_large",
                    format!(
                        "column '{column}' holds {} bytes, over the limit of {} (no delivery field holds more than 255 characters); the row is not delivered",
                        field.len(),
                        self.limits.max_cell_bytes
                    ),
                    Some(String::from_utf8_lossy(&field[..field.len().min(100)]).into_owned() + "…"),
                );
            }
            match self.decode_field(field, row, i) {
                Ok(s) if s.is_empty() => cells.push(Cell::Empty),
                Ok(s) => cells.push(Cell::Text(s.into_owned())),
                Err(msg) => {
                    let column = self.header.get(i).cloned().unwrap_or_default();
                    return self.broken(
                        row,
                        line,
                        "row.encoding",
                        format!("column '{column}' is {msg}"),
                        Some(String::from_utf8_lossy(field).into_owned()),
                    );
                }
            }
        }
        RowResult::Row(Row {
            row,
            line: Some(line),
            cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(bytes: &[u8], opts: &ReadOptions) -> Result<CsvSource, SourceError> {
        CsvSource::from_reader(
            "t.csv".into(),
            Box::new(io::Cursor::new(bytes.to_vec())),
            opts,
        )
    }

    fn read_with(bytes: &[u8], opts: &ReadOptions) -> (Vec<String>, Vec<RowResult>, Vec<FileNote>) {
        let mut src = open(bytes, opts).unwrap();
        let mut rows = Vec::new();
        while let Some(r) = src.next_row() {
            rows.push(r.unwrap());
        }
        let notes = src.take_notes();
        (src.header.clone(), rows, notes)
    }

    fn read(text: &str) -> (Vec<String>, Vec<RowResult>) {
        let (h, r, _) = read_with(text.as_bytes(), &ReadOptions::default());
        (h, r)
    }

    fn row(r: &RowResult) -> &Row {
        match r {
            RowResult::Row(row) => row,
            other => panic!("expected a row, got {other:?}"),
        }
    }

    fn text(r: &RowResult, i: usize) -> String {
        row(r).cells[i].to_string()
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
        let (header, rows) =
            read("\u{feff}A;B\r\n\"x;1\";\"multi\r\nline\"\r\n2;\"say \"\"hi\"\"\"\r\n");
        assert_eq!(header, ["A", "B"]);
        assert_eq!(
            row(&rows[0]).cells,
            [Cell::Text("x;1".into()), Cell::Text("multi\r\nline".into())]
        );
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
    fn lone_carriage_returns_are_line_breaks_too() {
        let (_, rows) = read("A;B\r1;2\r3;\"x\ry\"\r5;6\n7;8\r\n9;0");
        let got: Vec<_> = rows.iter().map(|r| (row(r).row, row(r).line)).collect();
        assert_eq!(
            got,
            [
                (2, Some(2)),
                (3, Some(3)),
                (4, Some(5)),
                (5, Some(6)),
                (6, Some(7))
            ]
        );
    }

    #[test]
    fn ragged_rows_are_broken_not_fatal() {
        let (_, rows) = read("A;B;C\n1;2\n1;2;3;4\n1;2;3\n");
        assert!(matches!(
            &rows[0],
            RowResult::Broken {
                code: "row.ragged",
                row: 2,
                ..
            }
        ));
        assert!(matches!(
            &rows[1],
            RowResult::Broken {
                code: "row.ragged",
                row: 3,
                ..
            }
        ));
        assert_eq!(row(&rows[2]).row, 4);
    }

    #[test]
    fn empty_file_is_a_file_error() {
        let err = open(b"", &ReadOptions::default()).err().unwrap();
        assert!(err.to_string().contains("empty"));
    }

    #[test]
    fn windows_1252_is_detected_with_one_warning() {
        let (header, rows, notes) =
            read_with(b"A;B\n1;Jos\xe9\n2;Ren\xe9e\n", &ReadOptions::default());
        assert_eq!(header, ["A", "B"]);
        assert_eq!(text(&rows[0], 1), "José");
        assert_eq!(text(&rows[1], 1), "Renée");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].message.contains("row 2") && notes[0].message.contains("0xE9"),
            "{}",
            notes[0].message
        );
        assert_eq!(notes[0].code, "file.encoding");
    }

    #[test]
    fn forced_utf8_rejects_the_row_instead_of_guessing() {
        let opts = ReadOptions {
            encoding: Some(TextEncoding::Utf8),
            ..ReadOptions::default()
        };
        let (_, rows, notes) = read_with(b"A;B\n1;Jos\xe9\n2;ok\n", &opts);
        assert!(matches!(
            &rows[0],
            RowResult::Broken {
                code: "row.encoding",
                ..
            }
        ));
        assert_eq!(text(&rows[1], 1), "ok");
        assert!(notes.is_empty());
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let text16 = "A;B\r\n1;Zoë\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text16.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        for bytes in [le, be] {
            let (header, rows, _) = read_with(&bytes, &ReadOptions::default());
            assert_eq!(header, ["A", "B"]);
            assert_eq!(text(&rows[0], 1), "Zoë");
        }
    }

    #[test]
    fn latin1_and_8859_15_differ_where_they_should() {
        let euro = b"A\n\xa4\n";
        let opts = |e| ReadOptions {
            encoding: Some(e),
            ..ReadOptions::default()
        };
        let (_, rows, _) = read_with(euro, &opts(TextEncoding::Iso8859_15));
        assert_eq!(text(&rows[0], 0), "€");
        let (_, rows, _) = read_with(euro, &opts(TextEncoding::Iso8859_1));
        assert_eq!(text(&rows[0], 0), "¤");
    }

    #[test]
    fn binary_garbage_is_refused() {
        let err = open(b"PK\x03\x04\x14\x00\x00\x00binary", &ReadOptions::default())
            .err()
            .unwrap();
        assert!(err.message.contains("binary"), "{}", err.message);
    }

    #[test]
    fn unterminated_quote_is_a_file_error_naming_the_line() {
        let mut src = open(b"A;B\n1;2\n3;\"open\n4;5\n6;7\n", &ReadOptions::default()).unwrap();
        let mut last = None;
        while let Some(r) = src.next_row() {
            last = Some(r);
        }
        let err = last.unwrap().unwrap_err();
        assert!(err.message.contains("line 3"), "{}", err.message);
    }

    #[test]
    fn oversized_cells_reject_their_row_only() {
        let opts = ReadOptions {
            limits: Limits {
                max_cell_bytes: 10,
                ..Limits::default()
            },
            ..ReadOptions::default()
        };
        let (_, rows, _) = read_with(b"A;B\n1;0123456789abc\n2;ok\n", &opts);
        assert!(matches!(
            &rows[0],
            RowResult::Broken {
                code: "cell.too_large",
                ..
            }
        ));
        assert_eq!(text(&rows[1], 1), "ok");
    }

    #[test]
    fn file_size_and_column_limits() {
        let opts = ReadOptions {
            limits: Limits {
                max_file_bytes: 20,
                ..Limits::default()
            },
            ..ReadOptions::default()
        };
        let big = format!("A;B\n{}", "1;2\n".repeat(100_000));
        let opts_big = ReadOptions {
            limits: Limits {
                max_file_bytes: 100_000,
                ..Limits::default()
            },
            ..ReadOptions::default()
        };
        let mut src = open(big.as_bytes(), &opts_big).unwrap();
        let results: Vec<_> = std::iter::from_fn(|| src.next_row()).collect();
        assert!(results.len() < 30_000, "reading stops at the limit");
        assert!(results
            .last()
            .unwrap()
            .as_ref()
            .is_err_and(|e| e.message.contains("--max-file-size")));
        assert!(open(b"A;B\n1;2\n3;4\n5;6\n7;8\n9;0\n", &opts)
            .err()
            .unwrap()
            .message
            .contains("--max-file-size"));
        let opts = ReadOptions {
            limits: Limits {
                max_columns: 2,
                ..Limits::default()
            },
            ..ReadOptions::default()
        };
        assert!(open(b"A;B;C\n1;2;3\n", &opts)
            .err()
            .unwrap()
            .message
            .contains("--max-columns"));
    }
}
