//! Streaming JSON records out of a file without holding the file in memory.
//!
//! Two layouts are cut into records here: a JSON array (each element is a record) and a
//! sequence of whitespace-separated JSON values (a pretty-printed object, or several). The
//! cutter only tracks strings and bracket depth; each record's bytes are then parsed on their own
//! by serde_json, and its error positions are moved back into file coordinates with
//! [`Raw::place_of`]. Newline-delimited JSON is read with [`Lines`]. Memory is bounded by the
//! largest record ([`MAX_RECORD_BYTES`]), never by the file.
//!
//! Lines and columns are 1-based; columns count bytes, as serde_json's do.

use std::io::{self, BufRead, Read};

/// The largest record (array element or NDJSON line) the reader accepts.
pub(crate) const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// The bytes of one record and where it starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub bytes: Vec<u8>,
    pub line: u64,
    pub column: u64,
}

impl Raw {
    /// The file position of a serde_json error found while parsing `self.bytes` alone.
    pub(crate) fn place_of(&self, e: &serde_json::Error) -> (u64, u64) {
        let (l, c) = (e.line() as u64, e.column() as u64);
        if l <= 1 {
            (self.line, self.column + c.saturating_sub(1))
        } else {
            (self.line + l - 1, c)
        }
    }
}

/// A syntax problem that stops the reading of an array or sequence, or an I/O failure.
#[derive(Debug)]
pub(crate) enum ScanError {
    Syntax {
        message: String,
        line: u64,
        column: u64,
    },
    Io(io::Error),
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> ScanError {
        ScanError::Io(e)
    }
}

/// serde_json's message without its ` at line L column C` suffix (the caller adds the place).
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

/// A byte reader that knows the line and column of the next byte.
struct Bytes<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    line: u64,
    column: u64,
    /// Bytes consumed so far.
    offset: u64,
}

impl<R: Read> Bytes<R> {
    fn new(inner: R) -> Bytes<R> {
        Bytes {
            inner,
            buf: vec![0u8; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            line: 1,
            column: 1,
            offset: 0,
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        if self.pos == self.len {
            self.pos = 0;
            self.len = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
        }
        Ok(self
            .buf
            .get(self.pos)
            .copied()
            .filter(|_| self.pos < self.len))
    }

    fn bump(&mut self) {
        if self.pos >= self.len {
            return;
        }
        if let Some(&b) = self.buf.get(self.pos) {
            self.pos += 1;
            self.offset += 1;
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
    }

    fn skip_whitespace(&mut self) -> io::Result<Option<u8>> {
        while let Some(b) = self.peek()? {
            if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                self.bump();
            } else {
                return Ok(Some(b));
            }
        }
        Ok(None)
    }

    /// Skips a UTF-8 byte order mark at the very start.
    fn skip_bom(&mut self) -> io::Result<()> {
        if self.peek()? == Some(0xEF) {
            let rest = self.buf.get(self.pos..self.len).unwrap_or_default();
            if rest.starts_with(&[0xEF, 0xBB, 0xBF]) {
                self.pos += 3;
                self.offset += 3;
            }
        }
        Ok(())
    }

    fn syntax(&self, message: impl Into<String>) -> ScanError {
        ScanError::Syntax {
            message: message.into(),
            line: self.line,
            column: self.column,
        }
    }
}

/// How the records are laid out in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `[ {...}, {...} ]`
    Array,
    /// `{...} {...}`: one or more values separated by white space, possibly pretty-printed.
    Sequence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    AfterRecord,
    Done,
}

/// Cuts an array or sequence into records, one at a time.
pub(crate) struct Splitter<R> {
    bytes: Bytes<R>,
    layout: Layout,
    state: State,
}

impl<R: Read> Splitter<R> {
    pub(crate) fn new(inner: R, layout: Layout) -> Splitter<R> {
        Splitter {
            bytes: Bytes::new(inner),
            layout,
            state: State::Start,
        }
    }

    /// Bytes of the file read so far.
    pub(crate) fn offset(&self) -> u64 {
        self.bytes.offset
    }

    /// The next record, `None` at the end, or the syntax error that ends the reading.
    pub(crate) fn next_record(&mut self) -> Result<Option<Raw>, ScanError> {
        let result = match self.layout {
            Layout::Array => self.next_in_array(),
            Layout::Sequence => self.next_in_sequence(),
        };
        if !matches!(result, Ok(Some(_))) {
            self.state = State::Done;
        }
        result
    }

    fn next_in_sequence(&mut self) -> Result<Option<Raw>, ScanError> {
        if self.state == State::Done {
            return Ok(None);
        }
        if self.state == State::Start {
            self.bytes.skip_bom()?;
            self.state = State::AfterRecord;
        }
        match self.bytes.skip_whitespace()? {
            None => Ok(None),
            Some(_) => self.record().map(Some),
        }
    }

    fn next_in_array(&mut self) -> Result<Option<Raw>, ScanError> {
        match self.state {
            State::Done => Ok(None),
            State::Start => {
                self.bytes.skip_bom()?;
                match self.bytes.skip_whitespace()? {
                    Some(b'[') => self.bytes.bump(),
                    Some(b) => {
                        return Err(self.bytes.syntax(format!(
                            "expected '[' to open the array of records, found {}",
                            shown(b)
                        )))
                    }
                    None => return Err(self.bytes.syntax("the file is empty")),
                }
                self.state = State::AfterRecord;
                match self.bytes.skip_whitespace()? {
                    Some(b']') => {
                        self.bytes.bump();
                        self.end_of_array().map(|_| None)
                    }
                    Some(_) => self.record().map(Some),
                    None => Err(self.unclosed()),
                }
            }
            State::AfterRecord => match self.bytes.skip_whitespace()? {
                Some(b',') => {
                    self.bytes.bump();
                    match self.bytes.skip_whitespace()? {
                        Some(b']') => Err(self
                            .bytes
                            .syntax("a ',' is followed by ']': remove the trailing comma")),
                        Some(_) => self.record().map(Some),
                        None => Err(self.unclosed()),
                    }
                }
                Some(b']') => {
                    self.bytes.bump();
                    self.end_of_array().map(|_| None)
                }
                Some(b) => Err(self.bytes.syntax(format!(
                    "expected ',' or ']' after a record, found {}",
                    shown(b)
                ))),
                None => Err(self.unclosed()),
            },
        }
    }

    fn unclosed(&self) -> ScanError {
        self.bytes
            .syntax("the file ends before the array is closed with ']': the export looks cut off")
    }

    fn end_of_array(&mut self) -> Result<(), ScanError> {
        match self.bytes.skip_whitespace()? {
            None => Ok(()),
            Some(b) => Err(self.bytes.syntax(format!(
                "unexpected {} after the closing ']' of the array",
                shown(b)
            ))),
        }
    }

    /// Reads one JSON value's bytes, starting at the current (non-blank) byte.
    fn record(&mut self) -> Result<Raw, ScanError> {
        let (line, column) = (self.bytes.line, self.bytes.column);
        let mut out = Vec::new();
        let first = self.bytes.peek()?.unwrap_or(b' ');
        match first {
            b'{' | b'[' => self.nested(&mut out, line, column)?,
            b'"' => {
                out.push(first);
                self.bytes.bump();
                self.string(&mut out, line, column)?;
            }
            b',' | b']' | b'}' | b':' => {
                return Err(self
                    .bytes
                    .syntax(format!("expected a record, found {}", shown(first))))
            }
            _ => {
                while let Some(b) = self.bytes.peek()? {
                    if matches!(
                        b,
                        b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'[' | b'{'
                    ) {
                        break;
                    }
                    push(&mut out, b, line, column)?;
                    self.bytes.bump();
                }
            }
        }
        Ok(Raw {
            bytes: out,
            line,
            column,
        })
    }

    fn nested(&mut self, out: &mut Vec<u8>, line: u64, column: u64) -> Result<(), ScanError> {
        let mut depth: u64 = 0;
        while let Some(b) = self.bytes.peek()? {
            push(out, b, line, column)?;
            self.bytes.bump();
            match b {
                b'"' => self.string(out, line, column)?,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.bytes.syntax(format!(
            "the file ends inside the record that starts at line {line}, column {column}: the export looks cut off"
        )))
    }

    /// Copies the rest of a string whose opening quote was already copied.
    fn string(&mut self, out: &mut Vec<u8>, line: u64, column: u64) -> Result<(), ScanError> {
        let mut escaped = false;
        while let Some(b) = self.bytes.peek()? {
            push(out, b, line, column)?;
            self.bytes.bump();
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                return Ok(());
            }
        }
        Err(self.bytes.syntax(format!(
            "the file ends inside a string of the record that starts at line {line}, column {column}: the export looks cut off"
        )))
    }
}

fn push(out: &mut Vec<u8>, b: u8, line: u64, column: u64) -> Result<(), ScanError> {
    if out.len() >= MAX_RECORD_BYTES {
        return Err(ScanError::Syntax {
            message: format!(
                "the record is larger than {} MiB; split the export or check that it is not damaged",
                MAX_RECORD_BYTES / (1024 * 1024)
            ),
            line,
            column,
        });
    }
    out.push(b);
    Ok(())
}

/// A byte shown in a message: the character, or its hex value when it is not printable ASCII.
pub(crate) fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02X}")
    }
}

/// One line of a newline-delimited file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub number: u64,
    pub bytes: Vec<u8>,
    /// True when the line was longer than [`MAX_RECORD_BYTES`] and only its start is kept.
    pub too_long: bool,
}

/// Reads newline-delimited records line by line, skipping blank lines.
pub(crate) struct Lines<R> {
    inner: R,
    number: u64,
    offset: u64,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(inner: R) -> Lines<R> {
        Lines {
            inner,
            number: 0,
            offset: 0,
        }
    }

    /// Bytes of the file read so far.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The next non-blank line, `None` at the end.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<Line>> {
        loop {
            let Some(mut line) = self.read_one()? else {
                return Ok(None);
            };
            if line.number == 1 && line.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
                line.bytes.drain(..3);
            }
            while matches!(line.bytes.last(), Some(b'\r' | b'\n')) {
                line.bytes.pop();
            }
            if line.too_long || line.bytes.iter().any(|b| !b.is_ascii_whitespace()) {
                return Ok(Some(line));
            }
        }
    }

    fn read_one(&mut self) -> io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let mut too_long = false;
        let mut any = false;
        loop {
            let (done, used) = {
                let buf = match self.inner.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if buf.is_empty() {
                    (true, 0)
                } else {
                    any = true;
                    let (part, done) = match buf.iter().position(|&b| b == b'\n') {
                        Some(i) => (buf.get(..=i).unwrap_or(buf), true),
                        None => (buf, false),
                    };
                    let room = MAX_RECORD_BYTES.saturating_sub(bytes.len());
                    if part.len() > room {
                        too_long = true;
                    }
                    bytes.extend_from_slice(part.get(..room.min(part.len())).unwrap_or_default());
                    (done, part.len())
                }
            };
            self.inner.consume(used);
            self.offset += used as u64;
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        Ok(Some(Line {
            number: self.number,
            bytes,
            too_long,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record's or an error's text, line and column.
    type Placed = (String, u64, u64);

    fn records(text: &str, layout: Layout) -> Result<Vec<Placed>, Placed> {
        let mut s = Splitter::new(text.as_bytes(), layout);
        let mut out = Vec::new();
        loop {
            match s.next_record() {
                Ok(Some(r)) => out.push((
                    String::from_utf8_lossy(&r.bytes).into_owned(),
                    r.line,
                    r.column,
                )),
                Ok(None) => return Ok(out),
                Err(ScanError::Syntax {
                    message,
                    line,
                    column,
                }) => return Err((message, line, column)),
                Err(ScanError::Io(e)) => return Err((e.to_string(), 0, 0)),
            }
        }
    }

    #[test]
    fn array_elements_come_out_one_by_one_with_their_place() {
        let text = "\u{feff}[\n  {\"a\": \"x]}\\\"\"},\n  {\"b\": [1, {\"c\": 2}]} ,\n 7\n]\n";
        let got = records(text, Layout::Array).unwrap();
        assert_eq!(
            got,
            vec![
                ("{\"a\": \"x]}\\\"\"}".to_string(), 2, 3),
                ("{\"b\": [1, {\"c\": 2}]}".to_string(), 3, 3),
                ("7".to_string(), 4, 2),
            ]
        );
    }

    #[test]
    fn empty_array_has_no_records() {
        assert_eq!(records(" [ ] \n", Layout::Array).unwrap(), vec![]);
    }

    #[test]
    fn broken_arrays_are_errors_with_a_place() {
        let (m, l, c) = records("[{\"a\":1},\n]", Layout::Array).unwrap_err();
        assert!(m.contains("trailing comma"), "{m}");
        assert_eq!((l, c), (2, 1));
        let (m, l, _) = records("[{\"a\":1}\n{\"b\":2}]", Layout::Array).unwrap_err();
        assert!(m.contains("expected ',' or ']'"), "{m}");
        assert_eq!(l, 2);
        let (m, ..) = records("[{\"a\":1}", Layout::Array).unwrap_err();
        assert!(m.contains("cut off"), "{m}");
        let (m, ..) = records("[{\"a\":1", Layout::Array).unwrap_err();
        assert!(m.contains("cut off"), "{m}");
        let (m, ..) = records("[] x", Layout::Array).unwrap_err();
        assert!(m.contains("after the closing"), "{m}");
        let (m, ..) = records("", Layout::Array).unwrap_err();
        assert!(m.contains("empty"), "{m}");
    }

    #[test]
    fn sequence_reads_pretty_printed_objects() {
        let got = records("{\n \"a\": 1\n}\n\n{\"b\":2}", Layout::Sequence).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[1].1, got[1].2), (5, 1));
    }

    #[test]
    fn error_places_move_into_file_coordinates() {
        let raw = Raw {
            bytes: b"{\"a\" 1}".to_vec(),
            line: 3,
            column: 5,
        };
        let e = serde_json::from_slice::<serde_json::Value>(&raw.bytes).unwrap_err();
        assert_eq!(raw.place_of(&e), (3, 10));
        assert_eq!(json_message(&e), "expected `:`");
        let raw = Raw {
            bytes: b"{\n\"a\" 1}".to_vec(),
            line: 3,
            column: 5,
        };
        let e = serde_json::from_slice::<serde_json::Value>(&raw.bytes).unwrap_err();
        assert_eq!(raw.place_of(&e), (4, 5));
    }

    #[test]
    fn lines_skip_blank_ones_and_count_all() {
        let mut lines = Lines::new("\u{feff}{\"a\":1}\r\n\n  \n{\"b\":2}".as_bytes());
        let a = lines.next_line().unwrap().unwrap();
        assert_eq!((a.number, a.bytes.as_slice()), (1, &b"{\"a\":1}"[..]));
        let b = lines.next_line().unwrap().unwrap();
        assert_eq!((b.number, b.bytes.as_slice()), (4, &b"{\"b\":2}"[..]));
        assert!(lines.next_line().unwrap().is_none());
    }
}
