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
pub(crate) const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

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

pub(crate) struct CsvSource {
    path: String,
    header: Vec<String>,
    /// The header's row (1 unless a header row was given).
    header_at: u64,
    /// The header's names as the file has them (trimmed), to find it repeated, and their
    /// lengths.
    header_raw: Vec<Vec<u8>>,
    header_lengths: std::collections::BTreeSet<usize>,
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
    /// Where the last record read starts, and its span, for the checks at the end.
    last: Last,
    /// Rows still to hand out: the lines a stray quote joined, one row each.
    queued: VecDeque<RowResult>,
    delimiter: u8,
    /// Set after the end or a file-level error: nothing more is read.
    done: bool,
    /// The input's size in bytes, when it is a file.
    size: Option<u64>,
}

/// The last record read: its first byte, its line, how many lines it spans, and the row
/// number of its last line.
#[derive(Debug, Clone, Copy)]
struct Last {
    start: u64,
    line: u64,
    lines: u64,
    row: u64,
}

/// What the byte counter under the parser has seen.
#[derive(Default)]
struct Scan {
    /// Bytes passed to the parser so far.
    offset: u64,
    /// Byte offsets of line-break characters the parser has been given but that no row has
    /// been matched against yet; bounded by the parser's read-ahead buffer.
    pending: VecDeque<(u64, u8)>,
    /// Quoted values, followed the way the parser reads them.
    quotes: Quotes,
    /// Closing quotes followed by more text, not yet matched to a row (offset, and whether a
    /// backslash came just before); bounded like `pending`.
    bad_closes: VecDeque<(u64, bool)>,
    /// NUL bytes at the end of what was read so far.
    trailing_nuls: u64,
    max_bytes: u64,
}

/// Follows quoted values with the parser's own rules (csv-core's, with its defaults): a quote
/// opens a quoted value only as the first byte of a field; inside one, two quotes are a quote
/// and a single quote closes it; after the closing quote the parser takes any further text
/// into the value (`"abc"def` reads as `abcdef`), which CSV does not allow and which is almost
/// always a quote that belongs inside the value. Only quote bytes are looked at, so the cost
/// is that of finding them.
#[derive(Debug, Clone, Copy)]
struct Quotes {
    delimiter: u8,
    state: Quoting,
    /// The last byte of the previous chunk (a line break at the start: a field starts there).
    prev: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Outside,
    /// Inside a quoted value that opened at this byte offset.
    Inside(u64),
    /// Inside, and a chunk ended on a quote (at `at`): the next byte decides whether it is a
    /// doubled quote or the closing one.
    QuoteAtEnd {
        open: u64,
        at: u64,
        backslash: bool,
    },
}

impl Default for Quotes {
    fn default() -> Quotes {
        Quotes {
            delimiter: b',',
            state: Quoting::Outside,
            prev: b'\n',
        }
    }
}

impl Quotes {
    /// Follows the quotes of the next chunk, which starts at byte `base`; closing quotes
    /// followed by more text go to `bad`.
    fn chunk(&mut self, buf: &[u8], base: u64, bad: &mut VecDeque<(u64, bool)>) {
        let Some(&last) = buf.last() else {
            return;
        };
        let mut walk = Walk {
            buf,
            base,
            delimiter: self.delimiter,
            prev: self.prev,
            inside: false,
            open: 0,
            skip: false,
            at_end: None,
        };
        match self.state {
            Quoting::Outside => {}
            Quoting::Inside(open) => (walk.inside, walk.open) = (true, open),
            Quoting::QuoteAtEnd { open, .. } if buf[0] == b'"' => {
                (walk.inside, walk.open, walk.skip) = (true, open, true);
            }
            Quoting::QuoteAtEnd { at, backslash, .. } => self.close(at, buf[0], backslash, bad),
        }
        // Finding each quote with memchr costs a call per quote: fine where quotes are few,
        // slower than looking at every byte where every value is quoted (a quote every few
        // bytes). Counting them first is cheap.
        let quotes = memchr::memchr_iter(b'"', buf).count();
        if quotes * 16 > buf.len() {
            // Eight bytes at a time: a bit for each quote, then one step per set bit.
            let words = buf.chunks_exact(8);
            let tail = words.remainder();
            for (w, word) in words.enumerate() {
                let mut quotes =
                    quote_bits(u64::from_le_bytes(word.try_into().unwrap_or_default()));
                while quotes != 0 {
                    walk.quote(w * 8 + quotes.trailing_zeros() as usize / 8, bad);
                    quotes &= quotes - 1;
                }
            }
            let from = buf.len() - tail.len();
            for (i, &b) in tail.iter().enumerate() {
                if b == b'"' {
                    walk.quote(from + i, bad);
                }
            }
        } else if quotes > 0 {
            for at in memchr::memchr_iter(b'"', buf) {
                walk.quote(at, bad);
            }
        }
        self.state = match walk.at_end {
            Some((at, backslash)) => Quoting::QuoteAtEnd {
                open: walk.open,
                at,
                backslash,
            },
            None if walk.inside => Quoting::Inside(walk.open),
            None => Quoting::Outside,
        };
        self.prev = last;
    }

    fn close(&mut self, at: u64, next: u8, backslash: bool, bad: &mut VecDeque<(u64, bool)>) {
        self.state = Quoting::Outside;
        if next != self.delimiter && next != b'\n' && next != b'\r' {
            bad.push_back((at, backslash));
        }
    }

    /// At the end of the input: the offset of a quote that opened a value never closed.
    fn unclosed(&self) -> Option<u64> {
        match self.state {
            Quoting::Inside(open) => Some(open),
            _ => None,
        }
    }
}

/// The high bit of each byte of `word` that is a quote (`"`), the others 0. Exact per byte:
/// no carry crosses from one byte to the next.
fn quote_bits(word: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ 0x2222_2222_2222_2222;
    !(((x & LOW7) + LOW7) | x) & !LOW7
}

/// One chunk's walk over its quotes (see [`Quotes::chunk`]), its state in locals: exports that
/// quote every value have a quote every few bytes, and this runs on the reader's thread.
struct Walk<'a> {
    buf: &'a [u8],
    base: u64,
    delimiter: u8,
    /// The byte before the chunk.
    prev: u8,
    inside: bool,
    open: u64,
    /// The next quote is the second of a doubled one.
    skip: bool,
    /// A quote inside a value as the chunk's last byte: the next chunk decides.
    at_end: Option<(u64, bool)>,
}

impl Walk<'_> {
    #[inline(always)]
    fn ends(&self, b: u8) -> bool {
        b == self.delimiter || b == b'\n' || b == b'\r'
    }

    #[inline(always)]
    fn before(&self, at: usize) -> u8 {
        if at == 0 {
            self.prev
        } else {
            self.buf[at - 1]
        }
    }

    /// The quote at `at`.
    #[inline(always)]
    fn quote(&mut self, at: usize, bad: &mut VecDeque<(u64, bool)>) {
        if self.skip {
            self.skip = false;
        } else if !self.inside {
            if self.ends(self.before(at)) {
                self.inside = true;
                self.open = self.base + at as u64;
            }
        } else {
            match self.buf.get(at + 1) {
                Some(b'"') => self.skip = true,
                Some(&next) => {
                    self.inside = false;
                    if !self.ends(next) {
                        bad.push_back((self.base + at as u64, self.before(at) == b'\\'));
                    }
                }
                None => self.at_end = Some((self.base + at as u64, self.before(at) == b'\\')),
            }
        }
    }
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
        let Scan {
            quotes, bad_closes, ..
        } = &mut *s;
        quotes.chunk(&buf[..n], base, bad_closes);
        if n > 0 {
            s.trailing_nuls = match buf[..n].iter().rposition(|&b| b != 0) {
                Some(i) => (n - 1 - i) as u64,
                None => s.trailing_nuls + n as u64,
            };
        }
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
    pub(crate) fn open(path: &Path, opts: &ReadOptions) -> Result<CsvSource, SourceError> {
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
    pub(crate) fn from_reader(
        name: String,
        input: Box<dyn Read + Send>,
        opts: &ReadOptions,
    ) -> Result<CsvSource, SourceError> {
        let err = |m: String| SourceError::new(&name, m);
        let (head, input) = sniff(input, SNIFF).map_err(|e| err(format!("cannot read: {e}")))?;
        let mut buf = BufReader::with_capacity(1 << 16, input);
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
        // The delimiter is detected on the header's line: title lines above it have none.
        let header_line = after_lines(first, opts.header_row.unwrap_or(1).saturating_sub(1));
        let delimiter = opts
            .delimiter
            .unwrap_or_else(|| detect_delimiter(header_line));
        let scan = Arc::new(Mutex::new(Scan {
            max_bytes: opts.limits.max_file_bytes,
            quotes: Quotes {
                delimiter,
                ..Quotes::default()
            },
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
            header_at: 1,
            header_raw: Vec::new(),
            header_lengths: Default::default(),
            reader,
            record: csv::ByteRecord::new(),
            scan,
            decode,
            limits: opts.limits,
            notes: Vec::new(),
            lines_before: 0,
            extra_lines: 0,
            last: Last {
                start: 0,
                line: 1,
                lines: 1,
                row: 1,
            },
            queued: VecDeque::new(),
            delimiter,
            done: false,
            size: None,
        };
        src.read_header(opts.header_row.unwrap_or(1))?;
        Ok(src)
    }

    /// Reads the header on row `at` (1 = the first line); rows above it are titles, noted.
    fn read_header(&mut self, at: u64) -> Result<(), SourceError> {
        let (start, line, bad, lines) = loop {
            let found = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| {
                    SourceError::new(&self.path, format!("cannot read the header: {e}"))
                })?;
            if !found && at > 1 {
                let why = format!("the file ends before row {at}");
                let message = super::header_row::header_missing(at, &why);
                return Err(SourceError::new(&self.path, message));
            }
            if !found {
                return Err(SourceError::new(
                    &self.path,
                    "the file has no header line: expected delivery field names",
                ));
            }
            let start = self.record.position().map_or(0, |p| p.byte());
            let (line, bad) = self.line_at(start, self.reader.position().byte());
            let lines = span(&self.record);
            let row = line - self.extra_lines;
            if row >= at || at == 1 {
                if row > at {
                    let why = format!("row {at} is empty (or inside a quoted value)");
                    let message = super::header_row::header_missing(at, &why);
                    return Err(SourceError::new(&self.path, message));
                }
                break (start, line, bad, lines);
            }
            self.extra_lines += lines - 1;
            self.title_skipped(row, at);
        };
        let columns = self.record.len();
        if let Some(stray) = self.stray(start, line, lines, columns, bad) {
            let mut e = SourceError::new(
                &self.path,
                format!(
                    "the header {}; fix the export and run again",
                    stray.reason(line, self.delimiter)
                ),
            );
            e.place = Some(format!("line {line}"));
            return Err(e);
        }
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
            match self.decode_field(field, at, i) {
                Ok(s) => header.push(s.into_owned()),
                Err(msg) => {
                    return Err(SourceError::new(
                        &self.path,
                        format!("header column {}: {msg}", i + 1),
                    ))
                }
            }
        }
        if at > 1 {
            let cells: Vec<Cell> = header.iter().map(|h| Cell::Text(h.clone())).collect();
            if let Some(why) = super::header_row::not_a_header(&cells) {
                let message = super::header_row::header_refused(at, &why);
                return Err(SourceError::new(&self.path, message));
            }
        }
        self.header = header;
        self.header_at = at;
        self.header_raw = record.iter().map(|f| f.trim_ascii().to_vec()).collect();
        self.header_lengths = self.header_raw.iter().map(Vec::len).collect();
        self.extra_lines += lines - 1;
        self.last = Last {
            start,
            line,
            lines,
            row: at,
        };
        self.record = record;
        Ok(())
    }

    /// A title line above the given header row, noted (never data).
    fn title_skipped(&mut self, row: u64, header: u64) {
        let record = std::mem::take(&mut self.record);
        let text: Vec<String> = (0..record.len())
            .filter_map(|i| self.decode_field(&record[i], row, i).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        self.record = record;
        self.notes.push(FileNote {
            code: "csv.title_skipped",
            message: format!(
                "row {row} ('{}') is above the header on row {header} and was read as a title, not as data",
                crate::shown::value(&text.join(" "))
            ),
            row: Some(row),
        });
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

/// The first `max` bytes of the input (fewer only at its end), and the input to read from the
/// start again. A pipe may hand out a few bytes per read: one read is not enough to see a byte
/// order mark or the header line.
fn sniff(
    mut input: Box<dyn Read + Send>,
    max: usize,
) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(max);
    (&mut input).take(max as u64).read_to_end(&mut head)?;
    let again = Box::new(io::Cursor::new(head.clone()).chain(input));
    Ok((head, again))
}

/// `bytes` without a UTF-8 byte order mark at the start.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
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

/// One physical line of a record, as the file has it less its quotes.
#[derive(Debug)]
struct Line {
    /// The delimiters in it, inside quoted values or between them.
    delimiters: usize,
    /// Its length in bytes (0 for an empty line).
    len: usize,
    /// Its first [`LINE_SHOWN`] bytes, for the report.
    head: Vec<u8>,
}

/// How much of a joined line a `row.stray_quote` finding shows.
const LINE_SHOWN: usize = 200;

/// A record's physical lines: its values joined by the delimiter, split at line breaks
/// (`\r\n`, `\n` or a lone `\r`, as [`span`] counts them).
fn physical_lines(record: &csv::ByteRecord, delimiter: u8) -> Vec<Line> {
    let new = || Line {
        delimiters: 0,
        len: 0,
        head: Vec::new(),
    };
    let mut lines = vec![new()];
    for (i, field) in record.iter().enumerate() {
        let mut bytes = field.iter().copied().peekable();
        let mut first = i > 0;
        loop {
            let b = if first {
                first = false;
                delimiter
            } else {
                match bytes.next() {
                    Some(b) => b,
                    None => break,
                }
            };
            if b == b'\n' || b == b'\r' {
                if b == b'\r' && bytes.peek() == Some(&b'\n') {
                    bytes.next();
                }
                lines.push(new());
                continue;
            }
            let Some(l) = lines.last_mut() else { break };
            l.delimiters += usize::from(b == delimiter);
            l.len += 1;
            if l.head.len() < LINE_SHOWN {
                l.head.push(b);
            }
        }
    }
    lines
}

/// The first line (counted from 0 in the record) that starts after a line break inside a value
/// and has at least `delimiters` delimiters before the value's next line break or its end,
/// with the delimiters it has.
fn rowlike_line(
    record: &csv::ByteRecord,
    delimiter: u8,
    delimiters: usize,
) -> Option<(u64, usize)> {
    let mut line = 0;
    for field in record.iter() {
        // Delimiters since the value's last line break (none before its first).
        let mut count: Option<usize> = None;
        let mut i = 0;
        while i < field.len() {
            let b = field[i];
            if b == b'\n' || b == b'\r' {
                if let Some(d) = count.filter(|&d| d >= delimiters) {
                    return Some((line, d));
                }
                if b == b'\r' && field.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                count = Some(0);
            } else if b == delimiter {
                if let Some(d) = count.as_mut() {
                    *d += 1;
                }
            }
            i += 1;
        }
        if let Some(d) = count.filter(|&d| d >= delimiters) {
            return Some((line, d));
        }
    }
    None
}

/// A stray quote found in a record: its lines, where the quote closes with more text after it
/// (line, and whether a backslash came before it), and a line inside the value that looks like
/// a row of its own (line, delimiters).
#[derive(Debug)]
struct Stray {
    lines: Vec<Line>,
    close: Option<(u64, bool)>,
    rowlike: Option<(u64, usize)>,
}

impl Stray {
    /// What is wrong, for a record that starts on `line`.
    fn reason(&self, line: u64, delimiter: u8) -> String {
        let last = line + self.lines.len() as u64 - 1;
        let backslash = if self.close.is_some_and(|(_, b)| b) {
            " (the export writes \\\" for a quote inside a value; CSV doubles it instead: \"\")"
        } else {
            ""
        };
        let delimiter = (delimiter as char).escape_default();
        match (self.close, self.rowlike) {
            (Some((at, _)), _) if last == line => format!(
                "has a quote on line {at} that closes a quoted value but is followed by more text before the next '{delimiter}'{backslash}: CSV allows only a delimiter or the end of the line there, and a quote inside a value must be doubled (\"\")"
            ),
            (close, rowlike) => {
                let mut why = Vec::new();
                if let Some((at, d)) = rowlike {
                    why.push(format!(
                        "line {at} inside it has {d} '{delimiter}', as many as a row"
                    ));
                }
                if let Some((at, _)) = close {
                    why.push(format!(
                        "its closing quote on line {at} is followed by more text{backslash}"
                    ));
                }
                format!(
                    "has a quote on line {line} that opens a value running to line {last}, so lines {line} to {last} were read as one value; {}. This is almost always a stray quote: a quote inside a value must be doubled (\"\")",
                    why.join(", and ")
                )
            }
        }
    }

    /// The rows of the lines the quote joined, the first at `row` on `line`; each is rejected
    /// with `row.stray_quote`. Empty lines are not rows, as elsewhere in a CSV.
    fn rows(&self, row: u64, line: u64, delimiter: u8) -> VecDeque<RowResult> {
        let last = line + self.lines.len() as u64 - 1;
        let mut out = VecDeque::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 && l.len == 0 {
                continue;
            }
            let message = if i == 0 && last == line {
                format!(
                    "this row {}. It is not delivered: fix the export and run again",
                    self.reason(line, delimiter)
                )
            } else if i == 0 {
                format!(
                    "this row {}. None of the rows on lines {line} to {last} is delivered: fix the export and run again",
                    self.reason(line, delimiter)
                )
            } else {
                format!(
                    "line {} lies inside a value that a stray quote on line {line} opens (see row {row}), so it is not delivered: fix the export and run again",
                    line + i as u64
                )
            };
            let mut value = String::from_utf8_lossy(&l.head).into_owned();
            if l.len > l.head.len() {
                value.push('…');
            }
            out.push_back(RowResult::Broken {
                row: row + i as u64,
                line: Some(line + i as u64),
                code: "row.stray_quote",
                message,
                value: Some(value),
            });
        }
        out
    }
}

/// `bytes` after its first `n` lines.
fn after_lines(bytes: &[u8], n: u64) -> &[u8] {
    let mut rest = bytes;
    for _ in 0..n {
        match memchr::memchr(b'\n', rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return &[],
        }
    }
    rest
}

/// Picks the delimiter that occurs most often, outside quotes, in the first line.
pub(crate) fn detect_delimiter(head: &[u8]) -> u8 {
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

    fn header_row(&self) -> u64 {
        self.header_at
    }

    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        if let Some(row) = self.queued.pop_front() {
            return Some(Ok(row));
        }
        if self.done {
            return None;
        }
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    if let Err(e) = self.check_end() {
                        return Some(Err(e));
                    }
                    self.note_no_final_newline();
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(SourceError::new(
                        &self.path,
                        format!("cannot read: {e}"),
                    )));
                }
                // Old DOS tools end a file with Ctrl-Z: a line of it is no row.
                Ok(true) if self.record.len() == 1 && &self.record[0] == b"\x1a" => continue,
                Ok(true) => return Some(self.take_record()),
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
    /// The row (or rows) of the record just read.
    fn take_record(&mut self) -> Result<RowResult, SourceError> {
        let start = self.record.position().map_or(0, |p| p.byte());
        let (line, bad) = self.line_at(start, self.reader.position().byte());
        // A spreadsheet shows one row per line, except that line breaks inside values
        // do not start new rows; completely empty lines do.
        let row = line - self.extra_lines;
        let lines = span(&self.record);
        self.last = Last {
            start,
            line,
            lines,
            row,
        };
        if let Some(stray) = self.stray(start, line, lines, self.header.len(), bad) {
            // Each line the quote joined is a row of its own, as the file's author
            // meant it: the counts then match the file's lines.
            self.last.row = row + lines - 1;
            self.queued = stray.rows(row, line, self.delimiter);
            if let Some(first) = self.queued.pop_front() {
                return Ok(first);
            }
        }
        self.extra_lines += lines - 1;
        if let Some(same) = self.repeats_header() {
            return self.repeated_header(same, row, line);
        }
        Ok(self.row_from_record(row, line, lines))
    }

    /// Whether the record just read repeats the header's names, as when several exports are
    /// joined into one file (`cat a.csv b.csv`, often with a byte order mark in the middle):
    /// `Some(true)` for the same names in the same places, `Some(false)` for the names in
    /// other places. At least two values, each of them a header name (in any case).
    fn repeats_header(&self) -> Option<bool> {
        // Cheap refusal first, as this runs on every row: the first value must be as long as
        // some header name.
        let first = strip_bom(self.record.get(0)?).trim_ascii();
        if first.is_empty() || !self.header_lengths.contains(&first.len()) {
            return None;
        }
        let (mut same, mut names) = (true, 0);
        for (i, field) in self.record.iter().enumerate() {
            let field = strip_bom(field).trim_ascii();
            if field.is_empty() {
                continue;
            }
            let at = self
                .header_raw
                .iter()
                .position(|h| h.eq_ignore_ascii_case(field))?;
            same &= at == i;
            names += 1;
        }
        (names >= 2).then_some(same)
    }

    /// A row that repeats the header: rejected when its columns are the header's, else the
    /// file is refused, since the rows below it would be read into the wrong columns.
    fn repeated_header(
        &mut self,
        same: bool,
        row: u64,
        line: u64,
    ) -> Result<RowResult, SourceError> {
        if same {
            let raw = self.record.as_slice();
            return Ok(self.broken(
                row,
                line,
                "row.header_repeated",
                "this row repeats the header: the file seems to be several exports joined into one. It is not delivered; the rows below it are read with the same columns".into(),
                Some(String::from_utf8_lossy(&raw[..raw.len().min(LINE_SHOWN)]).into_owned()),
            ));
        }
        let mut e = SourceError::new(
            &self.path,
            format!(
                "row {row} is a second header with the columns in another order: the file seems to be several exports joined into one, and the rows below it would be read into the wrong columns. Nothing is delivered: give the exports as separate inputs"
            ),
        );
        e.place = Some(format!("line {line}"));
        Err(e)
    }

    /// At the end of the input: a quote that was never closed swallows the rest of the file
    /// into one value, which would lose rows silently, and a file that ends inside a quoted
    /// value was most likely cut off while it was being written. Refuse the file either way.
    fn check_end(&self) -> Result<(), SourceError> {
        let nuls = self.scan.lock().map_or(0, |s| s.trailing_nuls);
        if nuls > 0 {
            let line = self.last.line;
            let mut e = SourceError::new(
                &self.path,
                format!(
                    "the file ends in {nuls} NUL bytes, on or after line {line}: room was made for the file but not yet filled, so it was most likely still being written (or a copy failed). Nothing is delivered: run again on the complete export"
                ),
            );
            e.place = Some(format!("line {line}"));
            return Err(e);
        }
        let unclosed = self.scan.lock().ok().and_then(|s| s.quotes.unclosed());
        let Some(open) = unclosed else {
            return Ok(());
        };
        let Last {
            start, line, lines, ..
        } = self.last;
        let from = self.line_within(start, line, open);
        let to = line + lines - 1;
        let message = if to > from {
            format!(
                "a quote opened on line {from} is never closed, so lines {from} to {to} (the end of the file) were read as one value: the file may have been cut off while it was being written, or a quote inside a value is not doubled. Nothing is delivered: close the quote (or double it inside the value), or wait for the complete export, and run again"
            )
        } else {
            format!(
                "the file ends inside a quoted value that opens on line {from}: it was most likely cut off while it was being written (or the quote is never closed). Nothing is delivered: run again on the complete export"
            )
        };
        let mut e = SourceError::new(&self.path, message);
        e.place = Some(format!("line {from}"));
        Err(e)
    }

    /// At the end of a readable file: a last line without a line break is how a file looks
    /// while it is still being written, so say so (the rows are delivered as read).
    fn note_no_final_newline(&mut self) {
        let Ok((offset, last)) = self.scan.lock().map(|s| (s.offset, s.quotes.prev)) else {
            return;
        };
        if offset == 0 || matches!(last, b'\n' | b'\r' | 0x1a) {
            return;
        }
        let row = self.last.row;
        let which = if row == 1 {
            "the header (row 1)".to_string()
        } else {
            format!("row {row}")
        };
        self.notes.push(FileNote {
            code: "file.no_final_newline",
            message: format!(
                "the file's last line, {which}, does not end with a line break: a file that is still being written looks like this, and then its last rows are cut or missing. Check that the export was complete (a complete file needs no change)"
            ),
            row: Some(row),
        });
    }

    /// The physical line of byte `at` in the record that starts at byte `start` on `line`
    /// (the record's own line breaks are still pending).
    fn line_within(&self, start: u64, line: u64, at: u64) -> u64 {
        let Ok(s) = self.scan.lock() else {
            return line;
        };
        let mut n = line;
        let mut it = s.pending.iter().peekable();
        while let Some(&(pos, ch)) = it.next() {
            if pos >= at {
                break;
            }
            let crlf = ch == b'\r'
                && it
                    .peek()
                    .is_some_and(|&&(next, c)| next == pos + 1 && c == b'\n');
            if pos >= start && !crlf {
                n += 1;
            }
        }
        n
    }

    /// Whether the record just read (at `start`, on `line`, spanning `lines`) holds a stray
    /// quote: a closing quote followed by more text (`bad`), or a value with a line break
    /// followed by text that has as many delimiters as a row of `columns` values has (the only
    /// sign of a quote that happens to close again, as in `"Levering` … `montage";3000`).
    /// Rows of fewer than three columns are not judged by delimiters: one delimiter in a line
    /// of an address is too common.
    fn stray(
        &self,
        start: u64,
        line: u64,
        lines: u64,
        columns: usize,
        bad: Option<(u64, bool)>,
    ) -> Option<Stray> {
        if bad.is_none() && lines == 1 {
            return None;
        }
        let rowlike = if columns >= 3 && lines > 1 {
            rowlike_line(&self.record, self.delimiter, columns - 1).map(|(i, d)| (line + i, d))
        } else {
            None
        };
        if bad.is_none() && rowlike.is_none() {
            return None;
        }
        Some(Stray {
            lines: physical_lines(&self.record, self.delimiter),
            close: bad.map(|(at, backslash)| (self.line_within(start, line, at), backslash)),
            rowlike,
        })
    }

    /// The physical line of the record whose parse started at byte `start` and ended before
    /// `end` (line breaks before `start`, plus those the parser skipped as empty lines at
    /// `start`), and the first closing quote in the record followed by more text (its offset,
    /// and whether a backslash preceded it). One lock for both: this runs on every row.
    fn line_at(&mut self, start: u64, end: u64) -> (u64, Option<(u64, bool)>) {
        let Ok(mut s) = self.scan.lock() else {
            return (self.lines_before + 1, None);
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
        let mut bad = None;
        while let Some(&(at, backslash)) = s.bad_closes.front() {
            if at >= end {
                break;
            }
            bad.get_or_insert((at, backslash));
            s.bad_closes.pop_front();
        }
        (self.lines_before + 1, bad)
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

    /// A reader that hands out one byte per read, so every quote falls on a chunk boundary.
    struct Trickle(io::Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(1);
            self.0.read(&mut buf[..n])
        }
    }

    /// Every row of `bytes`, read whole and read a byte at a time (both must agree), with the
    /// file error at the end if there is one.
    fn rows_both_ways(bytes: &[u8]) -> (Vec<RowResult>, Option<SourceError>, Vec<FileNote>) {
        let mut results = Vec::new();
        for trickle in [false, true] {
            let input: Box<dyn Read + Send> = if trickle {
                Box::new(Trickle(io::Cursor::new(bytes.to_vec())))
            } else {
                Box::new(io::Cursor::new(bytes.to_vec()))
            };
            let mut src =
                CsvSource::from_reader("t.csv".into(), input, &ReadOptions::default()).unwrap();
            let (mut rows, mut err) = (Vec::new(), None);
            while let Some(r) = src.next_row() {
                match r {
                    Ok(r) => rows.push(r),
                    Err(e) => err = Some(e),
                }
            }
            results.push((rows, err, src.take_notes()));
        }
        let (b_rows, b_err, b_notes) = results.pop().unwrap();
        let (a_rows, a_err, a_notes) = results.pop().unwrap();
        assert_eq!(a_rows, b_rows, "read whole and a byte at a time");
        assert_eq!(
            a_err.as_ref().map(|e| e.to_string()),
            b_err.map(|e| e.to_string())
        );
        assert_eq!(a_notes, b_notes);
        (a_rows, a_err, a_notes)
    }

    /// (row, line, code) of each row: `row.ok` for a row that was read.
    fn places(rows: &[RowResult]) -> Vec<(u64, u64, &str)> {
        rows.iter()
            .map(|r| match r {
                RowResult::Row(r) => (r.row, r.line.unwrap(), "row.ok"),
                RowResult::Broken {
                    row, line, code, ..
                } => (*row, line.unwrap(), *code),
            })
            .collect()
    }

    fn message(r: &RowResult) -> &str {
        match r {
            RowResult::Broken { message, .. } => message,
            other => panic!("expected a broken row, got {other:?}"),
        }
    }

    #[test]
    fn a_stray_quote_that_closes_lines_later_rejects_every_line_it_joined() {
        // The issue's example: the quote before "Levering" closes after "montage", two lines
        // on, and the merged record even has the header's number of values.
        let input = "ID;NAAM;OMSCHRIJVING;BEDRAG\nT-1;Jansen;\"Levering\nT-2;Pieters;Installatie;2000\n\nT-3;Bakker;Levering montage\";3000\nT-4;Visser;Onderhoud;4000\n";
        let (rows, err, _) = rows_both_ways(input.as_bytes());
        assert!(err.is_none());
        assert_eq!(
            places(&rows),
            [
                (2, 2, "row.stray_quote"),
                (3, 3, "row.stray_quote"),
                (5, 5, "row.stray_quote"),
                (6, 6, "row.ok")
            ]
        );
        let first = message(&rows[0]);
        assert!(
            first.contains("line 2") && first.contains("lines 2 to 5") && first.contains("line 3"),
            "{first}"
        );
        assert!(
            message(&rows[1]).contains("line 3"),
            "{}",
            message(&rows[1])
        );
        assert!(
            matches!(&rows[1], RowResult::Broken { value: Some(v), .. } if v == "T-2;Pieters;Installatie;2000")
        );
        assert_eq!(text(&rows[3], 0), "T-4");
    }

    #[test]
    fn a_closing_quote_followed_by_text_rejects_its_row() {
        let input = "ID;NAAM;PLAATS\nT-1;\"Jansen\" BV;Delft\nT-2;\"say \\\"hi\\\"\";Delft\nT-3;\"ok \"\"quoted\"\"\";Delft\nT-4;Monitor 24\";Delft\n";
        let (rows, err, _) = rows_both_ways(input.as_bytes());
        assert!(err.is_none());
        assert_eq!(
            places(&rows),
            [
                (2, 2, "row.stray_quote"),
                (3, 3, "row.stray_quote"),
                (4, 4, "row.ok"),
                (5, 5, "row.ok")
            ]
        );
        assert!(
            message(&rows[0]).contains("line 2"),
            "{}",
            message(&rows[0])
        );
        assert!(!message(&rows[0]).contains("\\\""), "{}", message(&rows[0]));
        assert!(message(&rows[1]).contains("\\\""), "{}", message(&rows[1]));
        assert_eq!(text(&rows[2], 1), "ok \"quoted\"");
        assert_eq!(text(&rows[3], 1), "Monitor 24\"");
    }

    #[test]
    fn real_multi_line_values_keep_working() {
        let input = "ID;ADRES;PLAATS;BEDRAG\r\nT-1;\"Kerkstraat 1\r\nbus 3; achterom\";Gent;100\r\nT-2;\"Dorpsstraat 2\n\n2e verdieping\";Delft;200\r\nT-3;x;y;300\r\n";
        let (rows, err, _) = rows_both_ways(input.as_bytes());
        assert!(err.is_none());
        assert_eq!(
            places(&rows),
            [(2, 2, "row.ok"), (3, 4, "row.ok"), (4, 7, "row.ok")]
        );
        assert_eq!(text(&rows[0], 1), "Kerkstraat 1\r\nbus 3; achterom");
    }

    #[test]
    fn a_stray_quote_in_the_header_is_a_file_error() {
        let err = open(
            b"ID;NAAM;\"BEDRAG\nT-1;Jansen;100\nT-2;Smit;200\"\n",
            &ReadOptions::default(),
        )
        .err()
        .unwrap();
        assert!(err.message.contains("stray quote"), "{}", err.message);
    }

    #[test]
    fn a_file_cut_inside_a_quoted_value_is_refused() {
        // Cut while being written: the last value's quote never closes, on its own line.
        let input = "ID;NAAM;OMSCHRIJVING\nT-1;Jansen;Levering\nT-2;Pieters;\"Levering; mo";
        let (rows, err, notes) = rows_both_ways(input.as_bytes());
        let err = err.expect("a file error");
        assert!(
            err.message.contains("line 3") && err.message.contains("cut off"),
            "{}",
            err.message
        );
        assert_eq!(err.place.as_deref(), Some("line 3"));
        assert_eq!(rows.len(), 2);
        assert!(notes.is_empty(), "the error is what counts: {notes:?}");
        // A quote closed at the very end is not cut.
        let (_, err, _) = rows_both_ways(b"ID;NAAM\nT-1;\"Jansen\"");
        assert!(err.is_none());
    }

    #[test]
    fn a_last_line_without_a_line_break_is_noted_with_its_row() {
        let (rows, err, notes) = rows_both_ways(b"ID;NAAM\nT-1;Jansen\n\nT-2;Smit");
        assert!(err.is_none());
        assert_eq!(rows.len(), 2, "the rows are still read");
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (notes[0].code, notes[0].row),
            ("file.no_final_newline", Some(4))
        );
        assert!(notes[0].message.contains("row 4"), "{}", notes[0].message);
        for complete in [
            &b"ID;NAAM\nT-1;Jansen\n"[..],
            b"ID;NAAM\r\nT-1;Jansen\r\n",
            b"ID;NAAM\rT-1;x\r",
        ] {
            let (_, _, notes) = rows_both_ways(complete);
            assert!(notes.is_empty(), "{notes:?}");
        }
        let (_, _, notes) = rows_both_ways(b"ID;NAAM");
        assert_eq!(notes[0].row, Some(1));
    }

    #[test]
    fn a_file_that_ends_in_nul_bytes_is_refused_as_cut() {
        // Room reserved for a file that is still being written reads as NUL bytes; the last
        // row would otherwise lose the bytes of its last value without a word.
        let mut bytes = b"ID;NAAM;BEDRAG\n".to_vec();
        for i in 0..600 {
            bytes.extend(format!("K-{i};Jansen;1500\n").as_bytes());
        }
        bytes.extend(b"K-600;Jansen;15");
        bytes.extend([0u8; 5000]);
        let (_, err, _) = rows_both_ways(&bytes);
        let err = err.expect("a file error");
        assert!(
            err.message.contains("5000 NUL bytes") && err.message.contains("line 602"),
            "{}",
            err.message
        );
        // NUL bytes inside the data (not at its end) stay the value rules' business.
        bytes.truncate(bytes.len() - 5000);
        bytes.extend(b"00\n");
        let at = bytes.len() - 8;
        assert!(at > SNIFF);
        bytes[at] = 0;
        let (_, err, _) = rows_both_ways(&bytes);
        assert!(err.is_none());
    }

    #[test]
    fn a_ctrl_z_at_the_end_is_no_row() {
        let (rows, err, notes) = rows_both_ways(b"ID;NAAM\r\nK-1;Jansen\r\n\x1a");
        assert!(err.is_none());
        assert_eq!(places(&rows), [(2, 2, "row.ok")]);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_repeated_header_is_rejected_and_one_in_another_order_refuses_the_file() {
        // Two exports joined with `cat`, the second with its byte order mark.
        let mut joined = b"\xEF\xBB\xBFID;NAAM;BEDRAG\r\nK-1;Jansen;100\r\n".to_vec();
        joined.extend(b"\xEF\xBB\xBFid; Naam ;BEDRAG\r\nK-2;Smit;200\r\n");
        let (rows, err, _) = rows_both_ways(&joined);
        assert!(err.is_none());
        assert_eq!(
            places(&rows),
            [
                (2, 2, "row.ok"),
                (3, 3, "row.header_repeated"),
                (4, 4, "row.ok")
            ]
        );
        // The second export has its columns in another order: its rows would be misread.
        let (_, err, _) =
            rows_both_ways(b"ID;NAAM;BEDRAG\nK-1;Jansen;100\nID;BEDRAG;NAAM\nK-2;200;Smit\n");
        let err = err.expect("a file error");
        assert!(
            err.message.contains("row 3") && err.message.contains("another order"),
            "{}",
            err.message
        );
        // A value that happens to be a header name is data.
        let (rows, err, _) = rows_both_ways(b"ID;NAAM;BEDRAG\nNAAM;x;1\nK-1;NAAM;;\n");
        assert!(err.is_none());
        assert_eq!(places(&rows)[0], (2, 2, "row.ok"));
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

    /// The quote follower, fed in any chunks, agrees with a byte-by-byte transcription of the
    /// parser's quote states (csv-core's `StartField`, `InField`, `InQuotedField`,
    /// `InDoubleEscapedQuote`).
    fn quotes_byte_by_byte(bytes: &[u8], delimiter: u8) -> (Vec<u64>, Option<u64>) {
        #[derive(Clone, Copy)]
        enum St {
            FieldStart,
            Unquoted,
            Quoted(u64),
            QuoteInQuoted(u64, u64),
        }
        let ends = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
        let (mut st, mut bad) = (St::FieldStart, Vec::new());
        for (i, &b) in bytes.iter().enumerate() {
            let i = i as u64;
            st = match st {
                St::FieldStart if b == b'"' => St::Quoted(i),
                St::FieldStart | St::Unquoted if ends(b) => St::FieldStart,
                St::FieldStart | St::Unquoted => St::Unquoted,
                St::Quoted(open) if b == b'"' => St::QuoteInQuoted(open, i),
                St::Quoted(open) => St::Quoted(open),
                St::QuoteInQuoted(open, _) if b == b'"' => St::Quoted(open),
                St::QuoteInQuoted(..) if ends(b) => St::FieldStart,
                St::QuoteInQuoted(_, at) => {
                    bad.push(at);
                    St::Unquoted
                }
            };
        }
        let unclosed = match st {
            St::Quoted(open) => Some(open),
            _ => None,
        };
        (bad, unclosed)
    }

    #[test]
    fn quote_bits_mark_exactly_the_quotes() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        for b in 0..=255u8 {
            for at in 0..8 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let mut word = rng.to_le_bytes();
                word[at] = b;
                let want: u64 = word
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c == b'"')
                    .map(|(i, _)| 0x80 << (8 * i))
                    .sum();
                assert_eq!(quote_bits(u64::from_le_bytes(word)), want, "{word:?}");
            }
        }
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]
        #[test]
        fn quotes_are_followed_as_the_parser_reads_them_in_any_chunks(
            // Few quotes or many: the follower finds them one way or the other.
            bytes in proptest::sample::select(vec![
                b"\";,\n\r\\ax".to_vec(),
                b"\";,\n\r\\axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_vec(),
            ])
            .prop_flat_map(|alphabet: Vec<u8>| {
                proptest::collection::vec(proptest::sample::select(alphabet), 0..300)
            }),
            cuts in proptest::collection::vec(0usize..300, 0..8),
            delimiter in proptest::sample::select(vec![b';', b',']),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= bytes.len()).collect();
            cuts.extend([0, bytes.len()]);
            cuts.sort_unstable();
            let mut q = Quotes { delimiter, ..Quotes::default() };
            let mut bad = VecDeque::new();
            for w in cuts.windows(2) {
                q.chunk(&bytes[w[0]..w[1]], w[0] as u64, &mut bad);
            }
            let (want_bad, want_unclosed) = quotes_byte_by_byte(&bytes, delimiter);
            let got: Vec<u64> = bad.iter().map(|&(at, _)| at).collect();
            proptest::prop_assert_eq!(got, want_bad);
            proptest::prop_assert_eq!(q.unclosed(), want_unclosed);
        }
    }

    #[test]
    fn a_given_header_row_skips_title_lines_and_detects_the_delimiter_there() {
        let file =
            b"Openstaande posten, per 14-03-2025\n\nDebiteur;Naam;Bedrag\nD1;Jansen, Jan;12,50\n";
        let at = |n| ReadOptions {
            header_row: Some(n),
            ..ReadOptions::default()
        };
        let (header, rows, notes) = read_with(file, &at(3));
        assert_eq!(header, ["Debiteur", "Naam", "Bedrag"]);
        assert_eq!(row(&rows[0]).row, 4);
        assert_eq!(text(&rows[0], 1), "Jansen, Jan");
        assert_eq!(rows.len(), 1);
        assert_eq!(notes[0].code, "csv.title_skipped");
        assert!(notes[0].message.contains("row 1"), "{}", notes[0].message);
        assert_eq!(open(file, &at(3)).unwrap().header_row(), 3);
        let refused = |n| open(file, &at(n)).err().unwrap().to_string();
        assert!(
            refused(4).contains("row 4 does not look like a header"),
            "{}",
            refused(4)
        );
        assert!(refused(2).contains("row 2 is empty"), "{}", refused(2));
        assert!(
            refused(7).contains("the file ends before row 7"),
            "{}",
            refused(7)
        );
        // A date where a name should be is refused too.
        let dated = b"Rapport\nDebiteur;14-03-2025\n";
        let err = open(dated, &at(2)).err().unwrap().to_string();
        assert!(err.contains("column 2 holds '14-03-2025', a date"), "{err}");
    }
}
