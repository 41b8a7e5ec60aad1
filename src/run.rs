//! A run: every input through its reader and the pipeline, in input order, on all cores.
//!
//! One thread reads rows in batches, the pipeline checks a batch in parallel, and this thread
//! takes the results in input order: it counts, logs issues, keeps identifiers unique (the
//! last record with an identifier wins, as Collectmaxx itself does) and hands accepted records
//! to the sink. Every data row ends up counted as delivered, rejected or skipped.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::footer::{self, Footers};
use crate::header::{ColumnMap, Mapping};
use crate::identifiers::Identifiers;
pub use crate::identifiers::Seen;
use crate::issue::Issue;
use crate::registry::{self, well_known, Slot, FIELDS};
use crate::report::{Encoded, Encoder, InputInfo, IssueLog};
use crate::rules::pipeline::{self, Checked, Settings};
use crate::source::{self, FileNote, ReadOptions, RecordNote, RowResult, Source, SourceError};
use crate::write::csv::CsvWriter;
use crate::write::DeliveryWriter;

/// Rows per batch handed to the pipeline.
pub const BATCH: usize = 1024;

/// What a run needs besides its inputs.
pub struct RunOptions {
    pub settings: Settings,
    pub read: ReadOptions,
    pub mapping: Mapping,
    /// Worker threads for the pipeline (0 = all cores).
    pub threads: usize,
    /// Told how the run advances, for a progress display.
    pub progress: Option<Box<dyn Progress>>,
}

/// Receives progress of a run, from the run's own thread, once per batch of rows.
pub trait Progress: Send + Sync {
    /// Input `index` (0-based) of `count` starts.
    fn input(&self, index: usize, count: usize, path: &str);
    /// `rows` data rows are done in all; `position` is (done, total) of the current input in
    /// its reader's unit (bytes or rows), when known.
    fn advance(&self, rows: u64, position: Option<(u64, u64)>);
    /// The run is over.
    fn finish(&self);
}

/// Where accepted records go, in input order.
///
/// Records are serialized on the worker threads, as delivery CSV lines in the columns the sink
/// asks for ([`CsvWriter::headless`]), and handed over a batch at a time.
pub trait RecordSink {
    /// Called once before the first record with the delivery columns. `complete` is false when
    /// a source may still add columns (record formats): then the sink should keep every column.
    /// Returns the columns to write records in, or `None` when the sink keeps no records.
    fn begin(&mut self, columns: &[Slot], complete: bool) -> io::Result<Option<Vec<Slot>>>;
    /// Accepted records, in input order, as delivery CSV lines (no header).
    fn lines(&mut self, lines: &[u8]) -> io::Result<()>;
}

/// A sink that keeps nothing (`validate`).
pub struct NoSink;

impl RecordSink for NoSink {
    fn begin(&mut self, _: &[Slot], _: bool) -> io::Result<Option<Vec<Slot>>> {
        Ok(None)
    }
    fn lines(&mut self, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// Why a run could not be done at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{0}")]
    Header(String),
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    TooMany(#[from] crate::identifiers::TooMany),
}

/// The outcome of a run.
pub struct RunOutcome {
    pub inputs: Vec<InputInfo>,
    /// The delivery columns the sink was begun with.
    pub columns: Vec<Slot>,
    /// Whether those columns were final (see [`RecordSink::begin`]).
    pub complete: bool,
    /// Sink indexes of records that a later record with the same identifier replaced.
    pub superseded: Vec<u64>,
    /// Records handed to the sink (including superseded ones).
    pub accepted: u64,
    /// Columns that hold a value in at least one accepted record.
    pub used: Vec<bool>,
    /// The identifiers of the records to deliver (the last one of each), for the history.
    pub identifiers: Identifiers,
    pub log: IssueLog,
}

struct Opened {
    path: PathBuf,
    source: Box<dyn Source>,
    map: ColumnMap,
}

/// Runs every input through the pipeline into `sink`.
pub fn run(
    paths: &[PathBuf],
    opts: &RunOptions,
    mut log: IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<RunOutcome, RunError> {
    let mut opened = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let source = source::open(path, &opts.read)?;
        let mut map = ColumnMap::default();
        let header: Vec<String> = source.header().to_vec();
        let warnings = map
            .extend(&header, &opts.mapping)
            .map_err(|e| RunError::Header(format!("{}: {}", path.display(), e.0)))?;
        for mut w in warnings {
            w.input = Some(i);
            w.row = Some(source.header_row());
            log.push(w)?;
        }
        opened.push(Opened {
            path: path.clone(),
            source,
            map,
        });
    }

    let complete = opened.iter().all(|o| o.source.header_is_complete());
    let columns = delivery_columns(&opened, &opts.settings);
    let written = sink.begin(&columns, complete)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut state = State {
        seen: Identifiers::new(),
        superseded: Vec::new(),
        accepted: 0,
        used: vec![false; registry::slot_count()],
    };
    let mut inputs = Vec::with_capacity(opened.len());
    let count = opened.len();
    for (i, o) in opened.into_iter().enumerate() {
        if let Some(p) = &opts.progress {
            p.input(i, count, &o.path.display().to_string());
        }
        let info = run_input(
            i,
            o,
            opts,
            written.as_deref(),
            &pool,
            &mut state,
            &mut log,
            sink,
        );
        if let Some(p) = &opts.progress {
            p.finish();
        }
        inputs.push(info?);
    }
    Ok(RunOutcome {
        inputs,
        columns,
        complete,
        superseded: state.superseded,
        accepted: state.accepted,
        used: state.used,
        identifiers: state.seen,
        log,
    })
}

/// Every column an input supplies, those the services require, and those set as constants.
fn delivery_columns(opened: &[Opened], settings: &Settings) -> Vec<Slot> {
    let mut wanted = vec![false; registry::slot_count()];
    for o in opened {
        for s in o.map.slots() {
            wanted[s.index()] = true;
        }
    }
    for (fi, f) in FIELDS.iter().enumerate() {
        if f.is_required_by_any(settings.services) {
            wanted[registry::field_slots(fi)[0].index()] = true;
        }
    }
    wanted[well_known::identifier().index()] = true;
    for (s, _) in &settings.constants {
        wanted[s.index()] = true;
    }
    registry::slots().filter(|s| wanted[s.index()]).collect()
}

struct State {
    seen: Identifiers,
    superseded: Vec<u64>,
    accepted: u64,
    used: Vec<bool>,
}

enum Batch {
    /// Rows with the reader's own findings about each ([`Source::take_record_notes`]), the
    /// header if it grew, the source's notes about the file, and its progress.
    Rows(
        Vec<(RowResult, Vec<RecordNote>)>,
        Option<Vec<String>>,
        Vec<FileNote>,
        Option<(u64, u64)>,
    ),
    Failed(SourceError),
}

/// A batch of rows handed to a worker, numbered in input order.
struct Job {
    seq: u64,
    rows: Vec<(RowResult, Vec<RecordNote>)>,
    map: Arc<ColumnMap>,
    /// Warnings about columns the header gained with this batch (logged after its notes).
    grown: Vec<Issue>,
    notes: Vec<FileNote>,
    position: Option<(u64, u64)>,
}

/// A worker's result for one [`Job`]: everything the in-order stage needs, and no more.
struct Done {
    seq: u64,
    rows: io::Result<Vec<Taken>>,
    /// The accepted records as delivery lines, in order.
    lines: Vec<u8>,
    /// Columns that hold a value in some accepted record of the batch.
    used: Vec<bool>,
    grown: Vec<Issue>,
    notes: Vec<FileNote>,
    position: Option<(u64, u64)>,
}

/// One checked row, reduced to what the in-order stage needs.
struct Taken {
    row: u64,
    blank: bool,
    /// Skipped as a footer row (see [`crate::footer`]); `blank` is set too.
    footer: bool,
    /// Accepted: the record's identifier, if it has one.
    accepted: Option<Option<Box<str>>>,
    issues: Vec<Encoded>,
    fixes: Vec<&'static str>,
}

/// What every worker shares.
struct Work<'a> {
    input: usize,
    settings: &'a Settings,
    columns: Option<&'a [Slot]>,
    encoder: Encoder,
}

/// Batches checked at once: enough to keep every worker busy while the in-order stage takes
/// the oldest.
fn in_flight(pool: &rayon::ThreadPool) -> usize {
    2 * pool.current_num_threads() + 1
}

#[allow(clippy::too_many_arguments)]
fn run_input(
    input: usize,
    o: Opened,
    opts: &RunOptions,
    columns: Option<&[Slot]>,
    pool: &rayon::ThreadPool,
    state: &mut State,
    log: &mut IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<InputInfo, RunError> {
    let Opened {
        path,
        mut source,
        map,
    } = o;
    let format = source.format();
    let rows_before = log.summary.rows_read;
    let (tx, rx) = crossbeam_channel::bounded::<Batch>(2);
    let work = Work {
        input,
        settings: &opts.settings,
        columns,
        encoder: log.encoder(),
    };
    // Tables (not record formats, whose header grows) may end in totals: see `footer`.
    let footers = source
        .header_is_complete()
        .then(|| Footers::new(footer::Roles::of(&map)));
    let result = std::thread::scope(|scope| -> Result<String, RunError> {
        let hasher = scope.spawn(|| sha256_file(&path));
        let shown = path.display().to_string();
        scope.spawn(move || read_batches(&mut *source, &shown, footers, tx));
        // `rx` is dropped when this returns, early or not, so the reader never blocks forever.
        let rx = rx;
        let (done_tx, done_rx) = crossbeam_channel::unbounded::<Done>();
        let taken = pool.in_place_scope(|workers| -> Result<(), RunError> {
            let mut map = Arc::new(map);
            let mut failure = None;
            let mut reading = true;
            let (mut submitted, mut next) = (0u64, 0u64);
            let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
            while reading || next < submitted {
                let room =
                    reading && failure.is_none() && submitted - next < in_flight(pool) as u64;
                let batch = if room && next < submitted {
                    crossbeam_channel::select! {
                        recv(rx) -> b => Some(b.ok()),
                        recv(done_rx) -> d => {
                            if let Ok(d) = d {
                                waiting.insert(d.seq, d);
                            }
                            None
                        }
                    }
                } else if room {
                    Some(rx.recv().ok())
                } else {
                    if let Ok(d) = done_rx.recv() {
                        waiting.insert(d.seq, d);
                    }
                    None
                };
                match batch {
                    None => {}
                    Some(None) => reading = false,
                    Some(Some(Batch::Failed(e))) => {
                        failure = Some(e);
                        reading = false;
                    }
                    Some(Some(Batch::Rows(rows, grown, notes, position))) => {
                        let mut grown_warnings = Vec::new();
                        if let Some(header) = grown {
                            let mut grown_map = ColumnMap::clone(&map);
                            for mut w in grown_map.extend(&header, &opts.mapping).map_err(|e| {
                                RunError::Header(format!("{}: {}", path.display(), e.0))
                            })? {
                                w.input = Some(input);
                                grown_warnings.push(w);
                            }
                            map = Arc::new(grown_map);
                        }
                        let job = Job {
                            seq: submitted,
                            rows,
                            map: Arc::clone(&map),
                            grown: grown_warnings,
                            notes,
                            position,
                        };
                        submitted += 1;
                        let (work, done_tx) = (&work, done_tx.clone());
                        workers.spawn(move |_| {
                            // A result must come back for every batch, or this loop would wait
                            // for it forever: a panic becomes the batch's error.
                            let seq = job.seq;
                            let done =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    work.run(job)
                                }))
                                .unwrap_or_else(|panic| Done::failed(seq, &panic_message(&panic)));
                            let _ = done_tx.send(done);
                        });
                    }
                }
                while let Some(done) = waiting.remove(&next) {
                    next += 1;
                    let rows = log.summary.rows_read;
                    let ids = (state.seen.len(), state.seen.text_len());
                    let position = take_batch(input, done, state, log, sink)?;
                    if next == 1 {
                        // After the first batch, make room for the identifiers the rest of the
                        // input will likely bring.
                        let batch = (log.summary.rows_read - rows, state.seen.len() - ids.0);
                        reserve_identifiers(&mut state.seen, batch.0, batch.1, ids.1, position);
                    }
                    if let Some(p) = &opts.progress {
                        p.advance(log.summary.rows_read, position);
                    }
                }
            }
            match failure {
                Some(e) => Err(e.into()),
                None => Ok(()),
            }
        });
        taken?;
        hasher
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("hashing failed")))
            .map_err(RunError::from)
    })?;
    Ok(InputInfo {
        path: path.display().to_string(),
        format,
        sha256: result,
        rows_read: log.summary.rows_read - rows_before,
    })
}

/// Reserves room in `ids` for the rest of an input, estimated from its first batch: `rows` rows
/// brought `new` identifiers (text from `text_before` on) at `position` (bytes or rows read of
/// the input's total). Capped, so a bad estimate costs little.
fn reserve_identifiers(
    ids: &mut Identifiers,
    rows: u64,
    new: usize,
    text_before: usize,
    position: Option<(u64, u64)>,
) {
    const MOST: u64 = 20_000_000;
    let Some((done, total)) = position.filter(|(done, _)| *done > 0) else {
        return;
    };
    if rows == 0 || new == 0 {
        return;
    }
    // A tenth more than the first batch suggests: falling short by one identifier would make
    // the index grow by doubling at the very end, the worst moment for the peak.
    let expected_rows =
        (u128::from(rows) * u128::from(total) * 11 / 10 / u128::from(done)).min(MOST.into());
    let more = (expected_rows as u64).saturating_sub(rows) * new as u64 / rows;
    let bytes_each = (ids.text_len() - text_before) / new;
    let more = usize::try_from(more).unwrap_or(0);
    ids.reserve(more, more.saturating_mul(bytes_each));
}

impl Done {
    /// A batch whose checking failed as a whole: the run stops with this error.
    fn failed(seq: u64, why: &str) -> Done {
        Done {
            seq,
            rows: Err(io::Error::other(format!(
                "checking a batch of rows failed ({why}); nothing is delivered. Please report this"
            ))),
            lines: Vec::new(),
            used: Vec::new(),
            grown: Vec::new(),
            notes: Vec::new(),
            position: None,
        }
    }
}

impl Work<'_> {
    /// Checks a batch, serializes its accepted records and encodes its issues.
    fn run(&self, job: Job) -> Done {
        let mut lines = Vec::new();
        let mut used = vec![false; registry::slot_count()];
        let mut writer = self.columns.map(|c| CsvWriter::headless(&mut lines, c));
        let rows = job
            .rows
            .iter()
            .map(|r| {
                let c = check(self.settings, &job.map, r);
                let accepted = match &c.record {
                    Some(record) => {
                        for (slot, _) in record.iter() {
                            used[slot.index()] = true;
                        }
                        if let Some(w) = writer.as_mut() {
                            w.record(record)?;
                        }
                        Some(record.identifier().map(Box::from))
                    }
                    None => None,
                };
                let issues = c
                    .issues
                    .into_iter()
                    .map(|mut issue| {
                        issue.input = Some(self.input);
                        self.encoder.encode(issue)
                    })
                    .collect::<io::Result<_>>()?;
                Ok(Taken {
                    row: c.row,
                    blank: c.blank,
                    footer: c.blank && r.1.iter().any(footer::is_footer),
                    accepted,
                    issues,
                    fixes: c.fixes,
                })
            })
            .collect::<io::Result<Vec<Taken>>>()
            .and_then(|rows| {
                if let Some(w) = writer {
                    w.into_inner()?;
                }
                Ok(rows)
            });
        Done {
            seq: job.seq,
            rows,
            lines,
            used,
            grown: job.grown,
            notes: job.notes,
            position: job.position,
        }
    }
}

/// Takes a checked batch in input order: the file's notes, the warnings about columns the
/// header gained, then each row. Returns the batch's progress position.
fn take_batch(
    input: usize,
    done: Done,
    state: &mut State,
    log: &mut IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<Option<(u64, u64)>, RunError> {
    for note in done.notes {
        let mut w = Issue::warning(note.code, note.message);
        w.input = Some(input);
        w.row = note.row;
        log.push(w)?;
    }
    for w in done.grown {
        log.push(w)?;
    }
    for row in done.rows? {
        take(input, row, state, log)?;
    }
    for (u, d) in state.used.iter_mut().zip(done.used) {
        *u |= d;
    }
    sink.lines(&done.lines)?;
    Ok(done.position)
}

/// Reads a source in batches on its own thread. A panic inside a reader (ours or a third-party
/// parser's) is caught here and reported as that file's error, never as a crash. With
/// `footers`, rows pass through it: it holds back trailing total rows until the end shows
/// whether they are the input's footer.
fn read_batches(
    source: &mut dyn Source,
    path: &str,
    mut footers: Option<Footers>,
    tx: crossbeam_channel::Sender<Batch>,
) {
    let mut header_len = source.header().len();
    let mut rows_so_far = 0u64;
    loop {
        let mut rows = Vec::with_capacity(BATCH);
        let mut failed = None;
        let mut ended = false;
        while rows.len() < BATCH {
            let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| source.next_row()));
            match next {
                Ok(None) => {
                    if let Some(f) = footers.as_mut() {
                        f.finish(&mut rows);
                    }
                    ended = true;
                    break;
                }
                Ok(Some(Ok(r))) => {
                    let row = (r, source.take_record_notes());
                    rows_so_far += 1;
                    match footers.as_mut() {
                        Some(f) => f.push(row, &mut rows),
                        None => rows.push(row),
                    }
                }
                Ok(Some(Err(e))) => {
                    failed = Some(e);
                    break;
                }
                Err(panic) => {
                    failed = Some(SourceError::new(
                        path,
                        format!(
                            "the reader failed after {} rows ({}); the file may be damaged. Please report this with the file if you can",
                            rows_so_far,
                            panic_message(&panic)
                        ),
                    ));
                    break;
                }
            }
        }
        let grown = (source.header().len() > header_len).then(|| source.header().to_vec());
        header_len = source.header().len();
        let notes = source.take_notes();
        let position = source.progress();
        let done = ended;
        if (!rows.is_empty() || grown.is_some() || !notes.is_empty())
            && tx.send(Batch::Rows(rows, grown, notes, position)).is_err()
        {
            return;
        }
        if let Some(e) = failed {
            let _ = tx.send(Batch::Failed(e));
            return;
        }
        if done {
            return;
        }
    }
}

/// The text of a caught panic.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic_message_of(panic.as_ref())
}

/// The text of a panic payload.
pub fn panic_message_of(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".to_string())
}

/// Checks one row and puts the reader's findings about it first among its issues.
fn check(
    settings: &Settings,
    map: &ColumnMap,
    (r, notes): &(RowResult, Vec<RecordNote>),
) -> Checked {
    if let Some(total) = notes
        .iter()
        .find(|n| footer::is_footer(n) || footer::is_subtotal(n))
    {
        // A footer is skipped and a subtotal rejected as a whole: their values are no
        // debtor's, so they are not checked.
        let (row, line) = match r {
            RowResult::Row(row) => (row.row, row.line),
            RowResult::Broken { row, line, .. } => (*row, *line),
        };
        return Checked {
            row,
            line,
            record: None,
            blank: footer::is_footer(total),
            issues: notes
                .iter()
                .map(|n| n.clone().into_issue(row, line))
                .collect(),
            fixes: Vec::new(),
        };
    }
    let mut checked = check_row(settings, map, r);
    if !notes.is_empty() {
        let identifier = checked
            .record
            .as_ref()
            .and_then(|r| r.identifier().map(str::to_string))
            .or_else(|| checked.issues.iter().find_map(|i| i.identifier.clone()));
        let mut reader = Vec::with_capacity(notes.len());
        for n in notes {
            if n.severity == crate::issue::Severity::Fix && !settings.list_fixes {
                checked.fixes.push(n.code);
                continue;
            }
            let mut issue = n.clone().into_issue(checked.row, checked.line);
            issue.identifier.clone_from(&identifier);
            // A reader's error rejects the record like any rule's.
            if issue.severity == crate::issue::Severity::Error && !checked.blank {
                checked.record = None;
            }
            reader.push(issue);
        }
        checked.issues.splice(0..0, reader);
    }
    checked
}

fn check_row(settings: &Settings, map: &ColumnMap, r: &RowResult) -> Checked {
    match r {
        RowResult::Row(row) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::check_row(settings, map, row)
        }))
        .unwrap_or_else(|panic| {
            // A bug in a rule must cost one row, visibly, not the run.
            let issue = Issue::error(
                "internal.error",
                format!(
                    "checking this row failed ({}); it is not delivered. Please report this",
                    panic_message(&panic)
                ),
            )
            .at(row.row, row.line);
            Checked {
                row: row.row,
                line: row.line,
                record: None,
                blank: false,
                issues: vec![issue],
                fixes: Vec::new(),
            }
        }),
        RowResult::Broken {
            row,
            line,
            code,
            message,
            value,
        } => {
            let mut issue = Issue::error(code, message.clone()).at(*row, *line);
            issue.value.clone_from(value);
            Checked {
                row: *row,
                line: *line,
                record: None,
                blank: false,
                issues: vec![issue],
                fixes: Vec::new(),
            }
        }
    }
}

/// Takes one checked row in input order.
fn take(input: usize, c: Taken, state: &mut State, log: &mut IssueLog) -> Result<(), RunError> {
    log.summary.rows_read += 1;
    for code in c.fixes {
        log.count_fix(code);
    }
    for issue in c.issues {
        log.push_encoded(issue)?;
    }
    if c.blank {
        log.summary.rows_skipped += 1;
        log.summary.rows_footer += u64::from(c.footer);
        return Ok(());
    }
    let Some(identifier) = c.accepted else {
        log.summary.records_rejected += 1;
        return Ok(());
    };
    let index = state.accepted;
    if let Some(id) = identifier {
        let now = Seen {
            index,
            input,
            row: c.row,
        };
        let prev = state.seen.insert(&id, now)?;
        if let Some(prev) = prev {
            state.superseded.push(prev.index);
            log.summary.records_delivered -= 1;
            log.summary.records_rejected += 1;
            let mut issue = Issue::error(
                "identifier.superseded",
                format!(
                    "identifier '{id}' appears again in row {}{}: Collectmaxx keeps only the last record with an identifier, so this one is not delivered",
                    c.row,
                    if prev.input == input { String::new() } else { format!(" of input {}", input + 1) }
                ),
            );
            issue.input = Some(prev.input);
            issue.row = Some(prev.row);
            issue.identifier = Some(id.into());
            issue.field = Some(well_known::identifier().column().to_string());
            log.push(issue)?;
        }
    }
    state.accepted += 1;
    log.summary.records_delivered += 1;
    Ok(())
}

/// The SHA-256 of a file, as lower-case hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Cell, Row};

    /// A reader that yields one row and then panics, as a third-party parser might.
    struct Panicking {
        header: Vec<String>,
        calls: u32,
    }

    impl Source for Panicking {
        fn format(&self) -> &'static str {
            "csv"
        }
        fn header(&self) -> &[String] {
            &self.header
        }
        fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
            self.calls += 1;
            if self.calls > 1 {
                panic!("index out of bounds in the parser");
            }
            Some(Ok(RowResult::Row(Row {
                row: 2,
                line: Some(2),
                cells: vec![Cell::Text("a".into())],
            })))
        }
    }

    #[test]
    fn a_failed_batch_stops_the_run_with_its_reason() {
        let mut state = State {
            seen: Identifiers::new(),
            superseded: Vec::new(),
            accepted: 0,
            used: vec![false; registry::slot_count()],
        };
        let mut log = IssueLog::new(false, false).unwrap();
        let err = take_batch(
            0,
            Done::failed(0, "boom"),
            &mut state,
            &mut log,
            &mut NoSink,
        )
        .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("boom") && shown.contains("nothing is delivered"),
            "{shown}"
        );
        assert_eq!(log.summary.rows_read, 0);
    }

    #[test]
    fn a_panicking_reader_is_that_files_error_after_its_rows() {
        let mut source = Panicking {
            header: vec!["A".into()],
            calls: 0,
        };
        let (tx, rx) = crossbeam_channel::unbounded();
        read_batches(&mut source, "in.csv", None, tx);
        let batches: Vec<Batch> = rx.iter().collect();
        let [Batch::Rows(rows, ..), Batch::Failed(e)] = batches.as_slice() else {
            panic!("expected the row, then the failure");
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(e.path, "in.csv");
        assert!(
            e.message.contains("after 1 rows") && e.message.contains("index out of bounds"),
            "{}",
            e.message
        );
    }
}
