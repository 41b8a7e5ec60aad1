//! Making a delivery file: the spool in the out dir, the final form, and a check of what was
//! written.
//!
//! Records are spooled into a temporary file next to the final one while the run goes on.
//! When the run is done, records that a later one superseded are dropped and (for record
//! formats) unused columns removed; the file is re-read and checked, and only then renamed to
//! `<YYYYMMDD>-<CLIENT>-<n>.<ext>` by the [`crate::outbox`], so a watcher never sees half a
//! file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::model::{Record, Value};
use crate::outbox::{spool_temp_in, Staged};
use crate::registry::Slot;
use crate::run::RecordSink;
use crate::write::csv::CsvWriter;
use crate::write::jsonl::JsonlWriter;
use crate::write::xml::XmlWriter;
use crate::write::DeliveryWriter;

/// The delivery file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Csv,
    /// The XML form of the specification (`<annabel><record>...`).
    Xml,
    /// One JSON object per record with the API's field names, for API users.
    Jsonl,
}

impl OutputFormat {
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Xml => "xml",
            OutputFormat::Jsonl => "jsonl",
        }
    }

    fn writer<W: Write + 'static>(self, out: W) -> Box<dyn FinishWriter<W>> {
        match self {
            OutputFormat::Csv => Box::new(CsvWriter::new(out)),
            OutputFormat::Xml => Box::new(XmlWriter::new(out)),
            OutputFormat::Jsonl => Box::new(JsonlWriter::new(out)),
        }
    }
}

/// A delivery writer that hands its output back when done.
trait FinishWriter<W>: DeliveryWriter {
    fn into_output(self: Box<Self>) -> io::Result<W>;
}

impl<W: Write> FinishWriter<W> for CsvWriter<W> {
    fn into_output(self: Box<Self>) -> io::Result<W> {
        (*self).into_inner()
    }
}

impl<W: Write> FinishWriter<W> for XmlWriter<W> {
    fn into_output(self: Box<Self>) -> io::Result<W> {
        Ok((*self).into_inner())
    }
}

impl<W: Write> FinishWriter<W> for JsonlWriter<W> {
    fn into_output(self: Box<Self>) -> io::Result<W> {
        Ok((*self).into_inner())
    }
}

/// Spools accepted records into a temporary file in the out dir. The out dir is created and
/// the file opened only when the run begins, after every input has been opened: a run that
/// cannot read its inputs leaves nothing behind.
pub struct Spool {
    out_dir: PathBuf,
    temp: Option<NamedTempFile>,
    out: Option<BufWriter<File>>,
    columns: Vec<Slot>,
    /// The SHA-256 of what was written so far.
    hasher: Sha256,
}

impl Spool {
    pub fn new(out_dir: &Path) -> Spool {
        Spool {
            out_dir: out_dir.to_path_buf(),
            temp: None,
            out: None,
            columns: Vec::new(),
            hasher: Sha256::new(),
        }
    }
}

impl RecordSink for Spool {
    fn begin(&mut self, columns: &[Slot], complete: bool) -> io::Result<Option<Vec<Slot>>> {
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
        let mut header = CsvWriter::new(Vec::new());
        header.begin(&self.columns)?;
        let mut out = BufWriter::with_capacity(1 << 16, temp.reopen()?);
        let header = header.into_inner()?;
        self.hasher.update(&header);
        out.write_all(&header)?;
        self.temp = Some(temp);
        self.out = Some(out);
        Ok(Some(self.columns.clone()))
    }

    fn lines(&mut self, lines: &[u8]) -> io::Result<()> {
        match self.out.as_mut() {
            Some(out) => {
                self.hasher.update(lines);
                out.write_all(lines)
            }
            None => Ok(()),
        }
    }
}

/// What the run decided about the spooled records.
pub struct Plan<'a> {
    pub format: OutputFormat,
    /// The columns to deliver.
    pub columns: Vec<Slot>,
    /// Sorted spool indexes of records not to deliver.
    pub drop: &'a [u64],
    /// Records in the spool.
    pub spooled: u64,
}

/// A delivery written under a temporary name, to be checked ([`Prepared::checker`]) and renamed.
pub struct Prepared {
    pub temp: NamedTempFile,
    pub records: u64,
    /// The SHA-256 of the bytes written, which the check finds again in the file.
    pub sha256: String,
    format: OutputFormat,
    columns: Vec<Slot>,
}

impl Prepared {
    /// The check of the delivery, as a job for another thread: it re-reads the temp file from
    /// disk and checks its shape, record count and SHA-256 against what was written. It only
    /// reads, so it can run while the history records the delivery (the file must not be
    /// renamed before it passed).
    pub fn checker(&self) -> impl FnOnce() -> io::Result<()> + Send + 'static {
        let (path, format) = (self.temp.path().to_path_buf(), self.format);
        let (columns, records, sha256) = (self.columns.clone(), self.records, self.sha256.clone());
        move || {
            let found = verify(&path, format, &columns, records)?;
            if found != sha256 {
                return Err(io::Error::other(format!(
                    "the written delivery does not check out: its SHA-256 on disk is {found}, but {sha256} was written"
                )));
            }
            Ok(())
        }
    }

    /// The delivery, with its check, for [`crate::outbox::Outbox::commit`].
    pub fn staged(self) -> Staged {
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
    /// Finishes the spool into the delivery: filters and projects if needed. The result still
    /// has to be checked ([`Prepared::checker`]).
    pub fn prepare(mut self, plan: &Plan) -> io::Result<Prepared> {
        let file = self
            .out
            .take()
            .ok_or_else(|| io::Error::other("spool already finished"))?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        let spool = self
            .temp
            .take()
            .ok_or_else(|| io::Error::other("spool already finished"))?;
        let direct = plan.format == OutputFormat::Csv
            && plan.drop.is_empty()
            && plan.columns == self.columns;
        let (temp, sha256) = if direct {
            (spool, hex::encode(self.hasher.finalize()))
        } else {
            rewrite(&spool, &self.columns, plan)?
        };
        Ok(Prepared {
            temp,
            records: plan.spooled - plan.drop.len() as u64,
            sha256,
            format: plan.format,
            columns: plan.columns.clone(),
        })
    }
}

/// Writes the final delivery from the spool: superseded records dropped, columns projected,
/// in the requested format.
fn rewrite(
    spool: &NamedTempFile,
    spooled_columns: &[Slot],
    plan: &Plan,
) -> io::Result<(NamedTempFile, String)> {
    let dir = spool.path().parent().unwrap_or(Path::new("."));
    let out = spool_temp_in(dir)?;
    if plan.format == OutputFormat::Csv {
        return project(spool, spooled_columns, plan, out);
    }
    let mut writer = plan.format.writer(HashingWriter {
        inner: BufWriter::with_capacity(1 << 16, out.reopen()?),
        hasher: Sha256::new(),
    });
    writer.begin(&plan.columns)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .from_reader(BufReader::new(File::open(spool.path())?));
    let mut row = csv::StringRecord::new();
    let mut index = 0u64;
    let mut drop = plan.drop.iter().peekable();
    while reader.read_record(&mut row).map_err(io::Error::other)? {
        let skip = drop.peek() == Some(&&index);
        if skip {
            drop.next();
        } else {
            let mut record = Record::new();
            for (slot, value) in spooled_columns.iter().zip(row.iter()) {
                if !value.is_empty() {
                    let v = Value::from_delivery(slot.kind(), value).ok_or_else(|| {
                        io::Error::other(format!(
                            "spooled value '{value}' of {} does not read back",
                            slot.column()
                        ))
                    })?;
                    record.set(*slot, Some(v));
                }
            }
            writer.record(&record)?;
        }
        index += 1;
    }
    writer.finish()?;
    Ok((out, writer.into_output()?.finish()?))
}

/// [`rewrite`] into CSV: the spool already holds every value in delivery form, so records are
/// copied field by field (dropped ones skipped, columns projected) without being parsed into
/// values and formatted again. A million records of a record format: 6.2 s -> about 1 s.
fn project(
    spool: &NamedTempFile,
    spooled_columns: &[Slot],
    plan: &Plan,
    out: NamedTempFile,
) -> io::Result<(NamedTempFile, String)> {
    let mut writer = CsvWriter::new(HashingWriter {
        inner: BufWriter::with_capacity(1 << 16, out.reopen()?),
        hasher: Sha256::new(),
    });
    writer.begin(&plan.columns)?;
    let picks: Vec<Option<usize>> = plan
        .columns
        .iter()
        .map(|c| spooled_columns.iter().position(|s| s == c))
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .from_reader(BufReader::with_capacity(1 << 16, File::open(spool.path())?));
    let mut row = csv::ByteRecord::new();
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
    writer.finish()?;
    Ok((out, writer.into_inner()?.finish()?))
}

/// Re-reads the delivery, checks its shape and record count, and returns its SHA-256.
fn verify(path: &Path, format: OutputFormat, columns: &[Slot], records: u64) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let file = HashingReader {
        inner: File::open(path)?,
        hasher: &mut hasher,
    };
    let fail =
        |msg: String| io::Error::other(format!("the written delivery does not check out: {msg}"));
    if format == OutputFormat::Csv {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let mut rec = csv::ByteRecord::new();
        if !reader
            .read_byte_record(&mut rec)
            .map_err(io::Error::other)?
        {
            return Err(fail("it is empty".into()));
        }
        let expected: Vec<&str> = columns.iter().map(|s| s.column()).collect();
        if rec.iter().ne(expected.iter().map(|c| c.as_bytes())) {
            return Err(fail("its header is not the delivery's columns".into()));
        }
        let mut n = 0u64;
        while reader
            .read_byte_record(&mut rec)
            .map_err(io::Error::other)?
        {
            n += 1;
            if rec.len() != expected.len() {
                return Err(fail(format!(
                    "record {n} has {} fields instead of {}",
                    rec.len(),
                    expected.len()
                )));
            }
            if std::str::from_utf8(rec.as_slice()).is_err() {
                return Err(fail(format!("record {n} is not valid UTF-8")));
            }
        }
        if n != records {
            return Err(fail(format!("it holds {n} records instead of {records}")));
        }
    } else {
        // XML and JSON Lines: one record per `<record>` line or per line.
        let mut n = 0u64;
        for line in BufReader::with_capacity(1 << 16, file).lines() {
            let line = line.map_err(|e| fail(format!("it is not valid UTF-8 ({e})")))?;
            let counts = match format {
                OutputFormat::Xml => line == "  <record>",
                _ => {
                    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&line)
                        .map_err(|e| fail(format!("line {} is not a JSON object: {e}", n + 1)))?;
                    true
                }
            };
            n += u64::from(counts);
        }
        if n != records {
            return Err(fail(format!("it holds {n} records instead of {records}")));
        }
    }
    Ok(hex::encode(hasher.finalize()))
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

struct HashingReader<'a, R> {
    inner: R,
    hasher: &'a mut Sha256,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}
