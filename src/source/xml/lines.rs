//! A buffered reader that counts lines as the XML parser consumes bytes, so that errors and
//! records can be placed by line and column without keeping the file in memory.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// Newline offsets kept to place positions a little behind the parser.
const RECENT: usize = 4096;

pub(crate) struct Lines<R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    recent: VecDeque<u64>,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(inner: R) -> Lines<R> {
        Lines {
            inner,
            consumed: 0,
            newlines: 0,
            recent: VecDeque::new(),
        }
    }

    /// 1-based line and column (in bytes) of a byte offset the parser has reached.
    pub(crate) fn place(&self, offset: u64) -> (u64, u64) {
        let after = self
            .recent
            .iter()
            .rev()
            .take_while(|&&o| o >= offset)
            .count() as u64;
        let line = self.newlines.saturating_sub(after) + 1;
        let line_start = self
            .recent
            .iter()
            .rev()
            .find(|&&o| o < offset)
            .map(|o| o + 1)
            .unwrap_or(0);
        (line, offset.saturating_sub(line_start) + 1)
    }
}

impl<R: BufRead> Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let seen = &buf[..amt.min(buf.len())];
            for (i, _) in seen.iter().enumerate().filter(|(_, b)| **b == b'\n') {
                self.newlines += 1;
                self.recent.push_back(self.consumed + i as u64);
                if self.recent.len() > RECENT {
                    self.recent.pop_front();
                }
            }
        }
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_offsets_by_line_and_column() {
        let mut r = Lines::new(io::BufReader::with_capacity(3, &b"ab\ncd\n\nef"[..]));
        let mut all = Vec::new();
        r.read_to_end(&mut all).unwrap();
        assert_eq!(r.place(0), (1, 1));
        assert_eq!(r.place(1), (1, 2));
        assert_eq!(r.place(3), (2, 1));
        assert_eq!(r.place(4), (2, 2));
        assert_eq!(r.place(7), (4, 1));
        assert_eq!(r.place(8), (4, 2));
    }
}
