//! Standard output whose reader may leave early, as in `collectmaxx fields | head`.
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe fails with "Broken pipe"; reported as an
//! error, that made `fields | head` end with a message and exit 2. Unix tools stop quietly
//! instead: the reader has all it wanted. [`Quiet`] drops the rest of the output once the pipe
//! is closed and reports success, so a command ends normally, with the exit code it would
//! have had (for `validate` and `convert` the verdict of the run, never a false "nothing
//! done"). Restoring SIGPIPE's default instead would end the process by a signal, and the
//! tool promises an exit code, never a signal.

use std::io::{self, Write};

/// A writer that discards everything once its reader has gone (the pipe is closed).
pub struct Quiet<W: Write> {
    inner: W,
    gone: bool,
}

impl<W: Write> Quiet<W> {
    pub fn new(inner: W) -> Quiet<W> {
        Quiet { inner, gone: false }
    }

    fn settle<T>(&mut self, result: io::Result<T>, done: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(done)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Quiet<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let written = self.inner.write(buf);
        self.settle(written, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.settle(flushed, ())
    }
}

/// Standard output, locked, quiet when its reader leaves.
pub fn stdout() -> Quiet<io::StdoutLock<'static>> {
    Quiet::new(io::stdout().lock())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that takes `room` bytes and then closes its end.
    struct Closing {
        room: usize,
        got: Vec<u8>,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_the_output_quietly() {
        let mut out = Quiet::new(Closing {
            room: 5,
            got: Vec::new(),
        });
        writeln!(out, "first line").unwrap();
        writeln!(out, "second line").unwrap();
        out.flush().unwrap();
        assert_eq!(out.inner.got, b"first");
        assert!(out.gone);
    }

    #[test]
    fn other_errors_are_still_errors() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::StorageFull))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Quiet::new(Full);
        assert!(writeln!(out, "x").is_err());
    }
}
