//! Making a delivery file: the spool in the out dir, the final form, and a check of what was
//! written.
//!
//! Records are spooled into a temporary file next to the final one while the run goes on,
//! already in the delivery's format (the workers encode them, see [`crate::codec`]). When the
//! run is done, records that a later one superseded are dropped (their bytes are skipped) and
//! (for CSV from record formats) unused columns removed; the file is re-read and checked, and
//! only then renamed to `<YYYYMMDD>-<CLIENT>-<n>.<ext>` by the [`crate::outbox`], so a watcher
//! never sees half a file.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::codec::csv::CsvWriter;
use crate::codec::{self, Codec, DeliveryFormat, EncodedBatch};
use crate::outbox::{spool_temp_in, Staged};
use crate::registry::Slot;
use crate::run::RecordSink;

/// Spools accepted records into a temporary file in the out dir, in the delivery's format.
/// The out dir is created and the file opened only when the run begins, after every input has
/// been opened: a run that cannot read its inputs leaves nothing behind.
pub(crate) struct Spool {
    out_dir: PathBuf,
    format: DeliveryFormat,
    temp: Option<NamedTempFile>,
    out: Option<BufWriter<File>>,
    columns: Vec<Slot>,
    /// What ends the delivery after the last record (the codec's tail).
    tail: &'static [u8],
    /// Where the first record starts: the length of the head.
    start: u64,
    /// Where each spooled record ends, in bytes from the spool's start.
    ends: Vec<u64>,
    /// The SHA-256 of what was written so far.
    hasher: Sha256,
}

impl Spool {
    pub(crate) fn new(out_dir: &Path, format: DeliveryFormat) -> Spool {
        Spool {
            out_dir: out_dir.to_path_buf(),
            format,
            temp: None,
            out: None,
            columns: Vec::new(),
            tail: b"",
            start: 0,
            ends: Vec::new(),
            hasher: Sha256::new(),
        }
    }
}

impl RecordSink for Spool {
    fn begin(&mut self, columns: &[Slot], complete: bool) -> io::Result<Option<Arc<dyn Codec>>> {
        self.columns = if complete {
            columns.to_vec()
        } else {
            crate::registry::slots().collect()
        };
        std::fs::create_dir_all(&self.out_dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create the out dir {}: {e}", self.out_dir.display()),
            )
        })?;
        let temp = spool_temp_in(&self.out_dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot write in the out dir {}: {e}",
                    self.out_dir.display()
                ),
            )
        })?;
        let codec = self.format.codec(&self.columns);
        let head = codec.head()?;
        let mut out = BufWriter::with_capacity(1 << 16, temp.reopen()?);
        self.hasher.update(&head);
        out.write_all(&head)?;
        self.start = head.len() as u64;
        self.tail = codec.tail();
        self.temp = Some(temp);
        self.out = Some(out);
        Ok(Some(codec))
    }

    fn take(&mut self, records: &EncodedBatch) -> io::Result<()> {
        let Some(out) = self.out.as_mut() else {
            return Ok(());
        };
        let base = self.ends.last().copied().unwrap_or(self.start);
        self.ends
            .extend(records.ends.iter().map(|&end| base + end as u64));
        self.hasher.update(&records.bytes);
        out.write_all(&records.bytes)
    }
}

/// What the run decided about the spooled records.
pub(crate) struct Plan<'a> {
    pub format: DeliveryFormat,
    /// The columns to deliver.
    pub columns: Vec<Slot>,
    /// Sorted spool indexes of records not to deliver.
    pub drop: &'a [u64],
    /// Records in the spool.
    pub spooled: u64,
}

/// A delivery written under a temporary name, to be checked ([`Prepared::checker`]) and renamed.
pub(crate) struct Prepared {
    pub temp: NamedTempFile,
    pub records: u64,
    /// The SHA-256 of the bytes written, which the check finds again in the file.
    pub sha256: String,
    format: DeliveryFormat,
    columns: Vec<Slot>,
}

impl Prepared {
    /// The check of the delivery, as a job for another thread: it re-reads the temp file from
    /// disk and checks its shape, record count and SHA-256 against what was written. It only
    /// reads, so it can run while the history records the delivery (the file must not be
    /// renamed before it passed).
    pub(crate) fn checker(&self) -> impl FnOnce() -> io::Result<()> + Send + 'static {
        let (path, format) = (self.temp.path().to_path_buf(), self.format);
        let (columns, records, sha256) = (self.columns.clone(), self.records, self.sha256.clone());
        move || {
            let found = codec::verify(&path, format, &columns, records)?;
            if found != sha256 {
                return Err(io::Error::other(format!(
                    "the written delivery does not check out: its SHA-256 on disk is {found}, but {sha256} was written"
                )));
            }
            Ok(())
        }
    }

    /// The delivery, with its check, for [`crate::outbox::Outbox::commit`].
    pub(crate) fn staged(self) -> Staged {
        let check = Box::new(self.checker());
        Staged {
            temp: self.temp,
            records: self.records,
            sha256: self.sha256,
            check,
        }
    }
}

impl Spool {
    /// Finishes the spool into the delivery: drops records and projects columns if needed.
    /// The result still has to be checked ([`Prepared::checker`]).
    pub(crate) fn prepare(mut self, plan: &Plan) -> io::Result<Prepared> {
        let mut out = self
            .out
            .take()
            .ok_or_else(|| io::Error::other("spool already finished"))?;
        if self.ends.len() as u64 != plan.spooled {
            return Err(io::Error::other(format!(
                "the spool holds {} records, not {}",
                self.ends.len(),
                plan.spooled
            )));
        }
        // XML and JSON Lines hold no empty values, so they never need fewer columns.
        let project = plan.format == DeliveryFormat::Csv && plan.columns != self.columns;
        let direct = plan.drop.is_empty() && !project;
        if direct {
            self.hasher.update(self.tail);
            out.write_all(self.tail)?;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        let spool = self
            .temp
            .take()
            .ok_or_else(|| io::Error::other("spool already finished"))?;
        let (temp, sha256) = if direct {
            (spool, hex::encode(self.hasher.finalize()))
        } else {
            let dir = spool.path().parent().unwrap_or(Path::new("."));
            let out = spool_temp_in(dir)?;
            let to = HashingWriter {
                inner: BufWriter::with_capacity(1 << 16, out.reopen()?),
                hasher: Sha256::new(),
            };
            let sha256 = if project {
                project_columns(&spool, &self.columns, plan, to)?
            } else {
                self.copy_kept(&spool, plan.drop, to)?
            };
            (out, sha256)
        };
        Ok(Prepared {
            temp,
            records: plan.spooled - plan.drop.len() as u64,
            sha256,
            format: plan.format,
            columns: plan.columns.clone(),
        })
    }

    /// Copies the spool without the records `drop` (sorted spool indexes): the head, the byte
    /// ranges between dropped records, the tail. Returns the SHA-256 of what was written.
    fn copy_kept(
        &self,
        spool: &NamedTempFile,
        drop: &[u64],
        mut to: HashingWriter<BufWriter<File>>,
    ) -> io::Result<String> {
        let mut from = BufReader::with_capacity(1 << 16, File::open(spool.path())?);
        let mut at = 0u64;
        for &index in drop {
            let i = usize::try_from(index).ok().filter(|i| *i < self.ends.len());
            let Some(i) = i else {
                return Err(io::Error::other(format!(
                    "record {index} to drop is not in the spool"
                )));
            };
            let start = if i == 0 { self.start } else { self.ends[i - 1] };
            let end = self.ends[i];
            if start < at {
                return Err(io::Error::other("records to drop are not in spool order"));
            }
            copy_exactly(&mut from, &mut to, start - at)?;
            from.seek_relative((end - start) as i64)?;
            at = end;
        }
        let rest = self.ends.last().copied().unwrap_or(self.start) - at;
        copy_exactly(&mut from, &mut to, rest)?;
        to.write_all(self.tail)?;
        to.finish()
    }
}

/// Copies `n` bytes, failing when the input ends before.
fn copy_exactly(from: &mut impl Read, to: &mut impl Write, n: u64) -> io::Result<()> {
    let copied = io::copy(&mut from.take(n), to)?;
    if copied != n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the spool is shorter than what was written into it",
        ));
    }
    Ok(())
}

/// The CSV delivery from a spool of more columns (record formats keep every column until the
/// end): the spool's fields are copied as they are, byte for byte, into the delivery's
/// columns, dropped records skipped. Returns the SHA-256 of what was written.
fn project_columns(
    spool: &NamedTempFile,
    spooled_columns: &[Slot],
    plan: &Plan,
    to: HashingWriter<BufWriter<File>>,
) -> io::Result<String> {
    let mut writer = CsvWriter::new(to);
    writer.begin(&plan.columns)?;
    let picks: Vec<Option<usize>> = plan
        .columns
        .iter()
        .map(|c| spooled_columns.iter().position(|s| s == c))
        .collect();
    let mut reader =
        codec::csv::reader(BufReader::with_capacity(1 << 16, File::open(spool.path())?));
    let mut row = csv::ByteRecord::new();
    // The spool's header.
    reader
        .read_byte_record(&mut row)
        .map_err(io::Error::other)?;
    let mut index = 0u64;
    let mut drop = plan.drop.iter().peekable();
    while reader
        .read_byte_record(&mut row)
        .map_err(io::Error::other)?
    {
        if drop.peek() == Some(&&index) {
            drop.next();
        } else {
            writer.raw_record(
                picks
                    .iter()
                    .map(|p| p.and_then(|i| row.get(i)).unwrap_or(b"")),
            )?;
        }
        index += 1;
    }
    writer.into_inner()?.finish()
}

/// Hashes what it writes.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl HashingWriter<BufWriter<File>> {
    /// Flushes the file to disk and returns the SHA-256 of what was written.
    fn finish(self) -> io::Result<String> {
        let file = self.inner.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(hex::encode(self.hasher.finalize()))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
