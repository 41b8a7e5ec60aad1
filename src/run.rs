//! A run: every input through its reader and the pipeline, in input order, on all cores.
//!
//! One thread reads rows in batches, the pipeline checks a batch in parallel, and this thread
//! takes the results in input order: it counts, logs issues, keeps identifiers unique (the
//! last record with an identifier wins, as Collectmaxx itself does) and hands accepted records
//! to the sink. Every data row ends up counted as delivered, rejected or skipped.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::header::{ColumnMap, Mapping};
use crate::issue::Issue;
use crate::model::Record;
use crate::registry::{self, well_known, Slot, FIELDS};
use crate::report::{InputInfo, IssueLog};
use crate::rules::pipeline::{self, Checked, Settings};
use crate::source::{self, FileNote, ReadOptions, RecordNote, RowResult, Source, SourceError};

/// Rows per batch handed to the pipeline.
const BATCH: usize = 2048;

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

/// Where accepted records go, in input order, numbered from 0.
pub trait RecordSink {
    /// Called once before the first record with the delivery columns. `complete` is false when
    /// a source may still add columns (record formats): then the sink should keep every column.
    fn begin(&mut self, columns: &[Slot], complete: bool) -> io::Result<()>;
    fn record(&mut self, index: u64, record: &Record) -> io::Result<()>;
}

/// A sink that keeps nothing (`validate`).
pub struct NoSink;

impl RecordSink for NoSink {
    fn begin(&mut self, _: &[Slot], _: bool) -> io::Result<()> {
        Ok(())
    }
    fn record(&mut self, _: u64, _: &Record) -> io::Result<()> {
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
    pub identifiers: HashMap<Box<str>, Seen>,
    pub log: IssueLog,
}

struct Opened {
    path: PathBuf,
    source: Box<dyn Source>,
    map: ColumnMap,
}

/// Where the delivered record with an identifier came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Its sink index.
    pub index: u64,
    /// Its input (0-based).
    pub input: usize,
    /// Its row in that input.
    pub row: u64,
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
    sink.begin(&columns, complete)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut state = State {
        seen: HashMap::new(),
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
        let info = run_input(i, o, opts, &pool, &mut state, &mut log, sink);
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
    seen: HashMap<Box<str>, Seen>,
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

fn run_input(
    input: usize,
    o: Opened,
    opts: &RunOptions,
    pool: &rayon::ThreadPool,
    state: &mut State,
    log: &mut IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<InputInfo, RunError> {
    let Opened {
        path,
        mut source,
        mut map,
    } = o;
    let format = source.format();
    let mut rows_read = 0u64;
    let (tx, rx) = crossbeam_channel::bounded::<Batch>(2);
    let result = std::thread::scope(|scope| -> Result<String, RunError> {
        let hasher = scope.spawn(|| sha256_file(&path));
        let shown = path.display().to_string();
        scope.spawn(move || read_batches(&mut *source, &shown, tx));
        for batch in rx {
            let (rows, grown, notes, position) = match batch {
                Batch::Rows(rows, grown, notes, position) => (rows, grown, notes, position),
                Batch::Failed(e) => return Err(e.into()),
            };
            for note in notes {
                let mut w = Issue::warning(note.code, note.message);
                w.input = Some(input);
                w.row = note.row;
                log.push(w)?;
            }
            if let Some(header) = grown {
                for mut w in map
                    .extend(&header, &opts.mapping)
                    .map_err(|e| RunError::Header(format!("{}: {}", path.display(), e.0)))?
                {
                    w.input = Some(input);
                    log.push(w)?;
                }
            }
            let checked: Vec<Checked> = pool.install(|| {
                rows.par_iter()
                    .map(|r| check(&opts.settings, &map, r))
                    .collect()
            });
            for c in checked {
                rows_read += 1;
                take(input, c, state, log, sink)?;
            }
            if let Some(p) = &opts.progress {
                p.advance(log.summary.rows_read, position);
            }
        }
        hasher
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("hashing failed")))
            .map_err(RunError::from)
    })?;
    Ok(InputInfo {
        path: path.display().to_string(),
        format,
        sha256: result,
        rows_read,
    })
}

/// Reads a source in batches on its own thread. A panic inside a reader (ours or a third-party
/// parser's) is caught here and reported as that file's error, never as a crash.
fn read_batches(source: &mut dyn Source, path: &str, tx: crossbeam_channel::Sender<Batch>) {
    let mut header_len = source.header().len();
    let mut rows_so_far = 0u64;
    loop {
        let mut rows = Vec::with_capacity(BATCH);
        let mut failed = None;
        while rows.len() < BATCH {
            let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| source.next_row()));
            match next {
                Ok(None) => break,
                Ok(Some(Ok(r))) => rows.push((r, source.take_record_notes())),
                Ok(Some(Err(e))) => {
                    failed = Some(e);
                    break;
                }
                Err(panic) => {
                    failed = Some(SourceError::new(
                        path,
                        format!(
                            "the reader failed after {} rows ({}); the file may be damaged. Please report this with the file if you can",
                            rows_so_far + rows.len() as u64,
                            panic_message(&panic)
                        ),
                    ));
                    break;
                }
            }
        }
        rows_so_far += rows.len() as u64;
        let grown = (source.header().len() > header_len).then(|| source.header().to_vec());
        header_len = source.header().len();
        let notes = source.take_notes();
        let position = source.progress();
        let done = rows.len() < BATCH;
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
fn take(
    input: usize,
    c: Checked,
    state: &mut State,
    log: &mut IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<(), RunError> {
    log.summary.rows_read += 1;
    for code in c.fixes {
        log.count_fix(code);
    }
    for mut issue in c.issues {
        issue.input = Some(input);
        log.push(issue)?;
    }
    if c.blank {
        log.summary.rows_skipped += 1;
        return Ok(());
    }
    let Some(record) = c.record else {
        log.summary.records_rejected += 1;
        return Ok(());
    };
    let index = state.accepted;
    if let Some(id) = record.identifier() {
        let now = Seen {
            index,
            input,
            row: c.row,
        };
        if let Some(prev) = state.seen.insert(id.into(), now) {
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
            issue.identifier = Some(id.to_string());
            issue.field = Some(well_known::identifier().column().to_string());
            log.push(issue)?;
        }
    }
    for (slot, _) in record.iter() {
        state.used[slot.index()] = true;
    }
    sink.record(index, &record)?;
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
