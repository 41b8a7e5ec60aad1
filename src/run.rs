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

use crate::codec::{Codec, EncodedBatch};
use crate::footer::{self, Footers};
use crate::header::{ColumnMap, InputHeader, Mapping};
use crate::identifiers::Identifiers;
pub(crate) use crate::identifiers::Seen;
use crate::issue::Issue;
use crate::registry::{self, well_known, Slot, FIELDS};
use crate::report::{Encoded, Encoder, InputInfo, IssueLog};
use crate::rules::order;
use crate::rules::pipeline::{self, Checked, RuleSettings};
use crate::rules::units::{self, ColumnUnits, Evidence};
use crate::shown;
use crate::source::{
    self, Cell, FileNote, ReadOptions, RecordNote, RowResult, Source, SourceError,
};
use crate::tally::Skip;

/// Rows per batch handed to the pipeline.
pub const BATCH: usize = 1024;

/// About the most cell text that the batches in flight hold together. A batch ends before
/// [`BATCH`] rows when its rows reach their share of this, so an export of long cells (a
/// workbook of 32,767-character cells) is checked in smaller batches rather than held by the
/// gigabyte; ordinary rows (a few hundred bytes) always fill a whole batch. A batch holds at
/// least one row, which `--max-cell-size` bounds.
pub(crate) const IN_FLIGHT_BYTES: usize = 64 << 20;

/// What a run needs besides its inputs.
pub struct RunOptions {
    pub settings: RuleSettings,
    pub read: ReadOptions,
    pub mapping: Mapping,
    /// A client profile to read every input through (joins, splits, templates, value maps);
    /// its one-field columns are in `mapping`.
    pub profile: Option<Arc<crate::profile::Profile>>,
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

/// Where accepted records go, in input order (after grep-searcher's `Sink`).
///
/// A sink has two halves. Its [`Codec`], which [`RecordSink::begin`] hands out, encodes the
/// accepted records on the worker threads, a batch at a time, in the delivery's own format;
/// [`RecordSink::take`] then takes the encoded batches on the run's thread, in input order.
pub trait RecordSink {
    /// Called once before the first record with the delivery columns. `complete` is false when
    /// a source may still add columns (record formats): then the sink should keep every column.
    /// Returns the codec the workers encode records with, or `None` when the sink keeps no
    /// records.
    fn begin(&mut self, columns: &[Slot], complete: bool) -> io::Result<Option<Arc<dyn Codec>>>;
    /// A batch of accepted records, encoded, in input order.
    fn take(&mut self, records: &EncodedBatch) -> io::Result<()>;
}

/// A sink that keeps nothing (`validate`).
pub struct NoSink;

impl RecordSink for NoSink {
    fn begin(&mut self, _: &[Slot], _: bool) -> io::Result<Option<Arc<dyn Codec>>> {
        Ok(None)
    }
    fn take(&mut self, _: &EncodedBatch) -> io::Result<()> {
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
    #[error(transparent)]
    Mapping(#[from] crate::header::MappingError),
    /// Transparent: the message is the I/O error's own, said once (as `{0}` with the error
    /// also its source, a chain printed with `{:#}` said it twice).
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    TooMany(#[from] crate::identifiers::TooMany),
    /// An amount column whose unit cannot be told (see [`crate::rules::units`]).
    #[error("{path}: {error}")]
    Amounts {
        path: String,
        error: crate::rules::units::AmountsError,
    },
    /// A date column whose order cannot be told (see [`crate::rules::order`]).
    #[error("{path}: {error}")]
    DateOrder {
        path: String,
        error: crate::rules::order::DateOrderError,
    },
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
    /// The first batches, read to decide the amount columns' units, and where reading stands.
    sample: Vec<Batch>,
    reading: Reading,
    units: ColumnUnits,
}

/// Runs every input through the pipeline into `sink`.
pub fn run(
    paths: &[PathBuf],
    opts: &RunOptions,
    mut log: IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<RunOutcome, RunError> {
    let mut opened = Vec::with_capacity(paths.len());
    // A reader's notes may quote a cell whose field it does not know (a title row).
    let view = shown::View::unknown(opts.settings.redact);
    for (i, path) in paths.iter().enumerate() {
        let mut source = shown::with_view(view, || source::open(path, &opts.read))?;
        if let Some(p) = &opts.profile {
            let date = opts.settings.today;
            let shown = path.display().to_string();
            source = crate::profile::apply::wrap(p, opts.mapping.file(), &shown, source, date)
                .map_err(|e| RunError::Header(e.to_string()))?;
        }
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
            sample: Vec::new(),
            reading: Reading::default(),
            units: ColumnUnits::default(),
        });
    }

    let shown: Vec<String> = opened
        .iter()
        .map(|o| o.path.display().to_string())
        .collect();
    let headers: Vec<InputHeader<'_>> = opened
        .iter()
        .zip(&shown)
        .map(|(o, path)| InputHeader {
            path,
            header: o.source.header(),
            row: o.source.header_row(),
            grows: o.source.header_grows(),
        })
        .collect();
    let keys = opts.mapping.check_keys(&headers)?;
    let named = crate::header::constants_naming_columns(&opts.settings.constants, &headers);
    for w in keys.warnings.into_iter().chain(named) {
        log.push(w)?;
    }
    let mut formats: Vec<&str> = opened.iter().map(|o| o.source.format()).collect();
    formats.sort_unstable();
    formats.dedup();
    let unused: Vec<String> = (opts.read.unused_by(&formats).into_iter())
        .map(|(flag, applies)| format!("{flag} applies to {applies} only"))
        .collect();
    if !unused.is_empty() {
        log.push(Issue::warning(
            "option.unused",
            format!(
                "{}, and no input is one ({}): ignored",
                unused.join("; "),
                formats.join(", ")
            ),
        ))?;
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| io::Error::other(e.to_string()))?;
    // Batches alive at once: those in flight, those in the channel, the one being read.
    let budget = IN_FLIGHT_BYTES / (in_flight(&pool) + 3);
    for o in &mut opened {
        // Before anything is written: an amount column whose unit cannot be told stops here.
        o.reading = Reading::start(&*o.source, budget);
        // Tables (not record formats, whose header grows) may end in totals: see `footer`.
        // A profiled input's totals are told on the rows as the export wrote them.
        o.reading.footers = o.source.header_is_complete().then(|| {
            let roles = footer::Roles::of(&o.map);
            Footers::new(match o.source.made_from() {
                Some(m) => roles.through(m.origins, m.header),
                None => roles,
            })
        });
        let (sample, units) = shown::with_view(view, || {
            sample_units(
                &mut *o.source,
                &o.path,
                &o.map,
                &opts.settings,
                &mut o.reading,
            )
        })?;
        o.sample = sample;
        o.units = units;
    }

    let complete = opened.iter().all(|o| o.source.header_is_complete());
    let columns = delivery_columns(&opened, &opts.settings);
    let codec = sink.begin(&columns, complete)?;
    let mut state = State {
        seen: Identifiers::new(),
        superseded: Vec::new(),
        accepted: 0,
        used: vec![false; registry::slot_count()],
        evidence: Evidence::default(),
        dates: order::Evidence::default(),
    };
    let mut inputs = Vec::with_capacity(opened.len());
    let mut finals = Vec::with_capacity(opened.len());
    let count = opened.len();
    for (i, o) in opened.into_iter().enumerate() {
        if let Some(p) = &opts.progress {
            p.input(i, count, &o.path.display().to_string());
        }
        let info = run_input(
            i,
            o,
            opts,
            codec.as_deref(),
            &pool,
            &mut state,
            &mut log,
            sink,
        );
        if let Some(p) = &opts.progress {
            p.finish();
        }
        let (info, header) = info?;
        inputs.push(info);
        finals.push(header);
    }
    if !keys.pending.is_empty() {
        let headers: Vec<InputHeader<'_>> = shown
            .iter()
            .zip(&finals)
            .map(|(path, header)| InputHeader {
                path,
                header,
                row: 1,
                grows: false,
            })
            .collect();
        for w in opts.mapping.check_pending(&keys.pending, &headers) {
            log.push(w)?;
        }
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
fn delivery_columns(opened: &[Opened], settings: &RuleSettings) -> Vec<Slot> {
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
    /// What the amount columns of the current input showed so far.
    evidence: Evidence,
    /// What its date columns showed so far.
    dates: order::Evidence,
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
    /// The accepted records, encoded by the sink's codec, in order.
    records: EncodedBatch,
    /// Columns that hold a value in some accepted record of the batch.
    used: Vec<bool>,
    grown: Vec<Issue>,
    notes: Vec<FileNote>,
    position: Option<(u64, u64)>,
    /// What the batch's amount columns showed.
    evidence: Evidence,
    /// What its date columns showed.
    dates: order::Evidence,
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
    settings: &'a RuleSettings,
    codec: Option<&'a dyn Codec>,
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
    codec: Option<&dyn Codec>,
    pool: &rayon::ThreadPool,
    state: &mut State,
    log: &mut IssueLog,
    sink: &mut dyn RecordSink,
) -> Result<(InputInfo, Vec<String>), RunError> {
    let Opened {
        path,
        mut source,
        map,
        sample,
        reading,
        units,
    } = o;
    let format = source.format();
    let sheet = source.sheet().map(str::to_string);
    let rows_before = log.summary.rows.rows_read();
    let (tx, rx) = crossbeam_channel::bounded::<Batch>(2);
    let settings = RuleSettings {
        column_units: units,
        ..opts.settings.clone()
    };
    state.evidence = Evidence::default();
    state.dates = order::Evidence::default();
    let work = Work {
        input,
        settings: &settings,
        codec,
        encoder: log.encoder(),
    };
    let (result, final_map) = std::thread::scope(|scope| -> Result<_, RunError> {
        // `-` is hashed from its spool: the bytes that came in on standard input.
        let hashed = source::stdin::resolve(&path)?.into_owned();
        let hasher = scope.spawn(move || sha256_file(&hashed));
        let shown = path.display().to_string();
        let view = shown::View::unknown(opts.settings.redact);
        scope.spawn(move || {
            for batch in sample {
                if tx.send(batch).is_err() {
                    return;
                }
            }
            shown::with_view(view, || read_batches(&mut *source, &shown, reading, tx))
        });
        // `rx` is dropped when this returns, early or not, so the reader never blocks forever.
        let rx = rx;
        let (done_tx, done_rx) = crossbeam_channel::unbounded::<Done>();
        let taken = pool.in_place_scope(|workers| -> Result<ColumnMap, RunError> {
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
                    let rows = log.summary.rows.rows_read();
                    let ids = (state.seen.len(), state.seen.text_len());
                    let position = take_batch(input, done, state, log, sink)?;
                    if next == 1 {
                        // After the first batch, make room for the identifiers the rest of the
                        // input will likely bring.
                        let batch = (
                            log.summary.rows.rows_read() - rows,
                            state.seen.len() - ids.0,
                        );
                        reserve_identifiers(&mut state.seen, batch.0, batch.1, ids.1, position);
                    }
                    if let Some(p) = &opts.progress {
                        p.advance(log.summary.rows.rows_read(), position);
                    }
                }
            }
            match failure {
                Some(e) => Err(e.into()),
                None => Ok(Arc::unwrap_or_clone(map)),
            }
        });
        let final_map = taken?;
        let sha256 = hasher
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("hashing failed")))
            .map_err(RunError::from)?;
        Ok((sha256, final_map))
    })?;
    // Every row is in: the amount columns must hold what their units said.
    let given = settings.amounts_given.then_some(settings.amounts);
    let evidence = std::mem::take(&mut state.evidence);
    let warnings = units::judge(&evidence, &settings.column_units, given, &final_map.headers)
        .map_err(|error| RunError::Amounts {
            path: path.display().to_string(),
            error,
        })?;
    // And the date columns in one order each.
    order::judge(&state.dates, &final_map, settings.redact).map_err(|error| {
        RunError::DateOrder {
            path: path.display().to_string(),
            error,
        }
    })?;
    for mut w in warnings {
        w.input = Some(input);
        log.push(w)?;
    }
    let info = InputInfo {
        path: path.display().to_string(),
        format,
        sheet,
        sha256: result,
        rows_read: log.summary.rows.rows_read() - rows_before,
    };
    Ok((info, final_map.headers))
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
            records: EncodedBatch::default(),
            used: Vec::new(),
            grown: Vec::new(),
            notes: Vec::new(),
            position: None,
            evidence: Evidence::default(),
            dates: order::Evidence::default(),
        }
    }
}

impl Work<'_> {
    /// Checks a batch, serializes its accepted records and encodes its issues.
    fn run(&self, job: Job) -> Done {
        let mut used = vec![false; registry::slot_count()];
        let mut encoder = self.codec.map(|c| c.encoder());
        let mut evidence = Evidence::new(&units::amount_columns(&job.map));
        let mut dates = order::Evidence::new(&order::date_columns(&job.map, self.settings));
        if !evidence.is_empty() || !dates.is_empty() {
            for (r, notes) in &job.rows {
                if let (RowResult::Row(row), false) = (r, is_total(notes)) {
                    evidence.add_row(row);
                    dates.add_row(row);
                }
            }
        }
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
                        if let Some(e) = encoder.as_mut() {
                            e.encode(record)?;
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
            .collect::<io::Result<Vec<Taken>>>();
        let (rows, records) = match (rows, encoder) {
            (Ok(rows), Some(e)) => match e.finish() {
                Ok(records) => (Ok(rows), records),
                Err(e) => (Err(e), EncodedBatch::default()),
            },
            (rows, _) => (rows, EncodedBatch::default()),
        };
        Done {
            seq: job.seq,
            rows,
            records,
            used,
            grown: job.grown,
            notes: job.notes,
            position: job.position,
            evidence,
            dates,
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
    state.evidence.merge(done.evidence);
    state.dates.merge(done.dates);
    sink.take(&done.records)?;
    Ok(done.position)
}

/// Where reading a source stands, between batches.
#[derive(Default)]
struct Reading {
    header_len: usize,
    rows_so_far: u64,
    /// The source ended or failed: no batch follows.
    over: bool,
    /// A batch ends at [`BATCH`] rows or at this many bytes of cell text, whichever comes first.
    budget: usize,
    /// Rows pass through this when set: it holds back trailing total rows until the end shows
    /// whether they are the input's footer (see [`crate::footer`]).
    footers: Option<Footers>,
}

impl Reading {
    fn start(source: &dyn Source, budget: usize) -> Reading {
        Reading {
            header_len: source.header().len(),
            rows_so_far: 0,
            over: false,
            budget,
            footers: None,
        }
    }
}

/// Rows read before anything else to decide the amount columns' units and judge the date
/// columns' order: at most this many batches, fewer when every such column has shown enough
/// sooner.
const SAMPLE_BATCHES: usize = 8;

/// Reads the first rows of an input, as many as it takes to decide the unit of each amount
/// column (see [`units`]) and to judge the order of each date column (see [`order`]), unless
/// `--amounts` and `--date-order` decided them all. Returns the batches read, where reading
/// stands, and the units; a column that is already mixed, or a date column that writes the
/// month first, refuses the input here, before anything is written.
fn sample_units(
    source: &mut dyn Source,
    path: &Path,
    map: &ColumnMap,
    settings: &RuleSettings,
    reading: &mut Reading,
) -> Result<(Vec<Batch>, ColumnUnits), RunError> {
    let mut batches = Vec::new();
    let mut evidence = Evidence::new(&if settings.amounts_given {
        Vec::new()
    } else {
        units::amount_columns(map)
    });
    let mut dates = order::Evidence::new(&order::date_columns(map, settings));
    let shown = path.display().to_string();
    let mut settled = evidence.settled() && dates.settled();
    while !reading.over && !settled && batches.len() < SAMPLE_BATCHES {
        for batch in read_batch(source, &shown, reading) {
            if let Batch::Rows(rows, ..) = &batch {
                for (r, notes) in rows {
                    if let (RowResult::Row(row), false) = (r, is_total(notes)) {
                        evidence.add_row(row);
                        dates.add_row(row);
                    }
                }
            }
            batches.push(batch);
        }
        settled = evidence.settled() && dates.settled();
    }
    order::judge(&dates, map, settings.redact).map_err(|error| RunError::DateOrder {
        path: shown.to_string(),
        error,
    })?;
    let decided = units::decide(&evidence, &map.headers).map_err(|error| RunError::Amounts {
        path: shown.to_string(),
        error,
    })?;
    Ok((batches, decided))
}

/// Reads a source in batches of [`BATCH`] rows or `reading.budget` bytes of cell text,
/// whichever comes first, on its own thread, from where `reading` stands.
fn read_batches(
    source: &mut dyn Source,
    path: &str,
    mut reading: Reading,
    tx: crossbeam_channel::Sender<Batch>,
) {
    while !reading.over {
        for batch in read_batch(source, path, &mut reading) {
            if tx.send(batch).is_err() {
                return;
            }
        }
    }
}

/// Reads the next batch of rows. A panic inside a reader (ours or a third-party parser's) is
/// caught here and reported as that file's error, never as a crash. Returns the rows (when
/// there is anything to hand over) and the failure that ended reading, if any.
fn read_batch(source: &mut dyn Source, path: &str, reading: &mut Reading) -> Vec<Batch> {
    let mut rows = Vec::with_capacity(BATCH);
    let mut failed = None;
    let mut bytes = 0;
    // Rows read, some perhaps held back by the footers.
    let mut read = 0u64;
    let mut ended = false;
    while rows.len() < BATCH && bytes < reading.budget {
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| source.next_row()));
        match next {
            Ok(None) => {
                if let Some(f) = reading.footers.as_mut() {
                    f.finish(&mut rows);
                }
                ended = true;
                break;
            }
            Ok(Some(Ok(r))) => {
                bytes += row_bytes(&r);
                read += 1;
                let row = (r, source.take_record_notes());
                match reading.footers.as_mut() {
                    Some(f) => f.push(row, source.written_row(), &mut rows),
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
                        reading.rows_so_far + read,
                        panic_message(&panic)
                    ),
                ));
                break;
            }
        }
    }
    reading.rows_so_far += read;
    let grown = (source.header().len() > reading.header_len).then(|| source.header().to_vec());
    reading.header_len = source.header().len();
    let notes = source.take_notes();
    let position = source.progress();
    reading.over = ended || failed.is_some();
    let mut out = Vec::with_capacity(2);
    if !rows.is_empty() || grown.is_some() || !notes.is_empty() {
        out.push(Batch::Rows(rows, grown, notes, position));
    }
    if let Some(e) = failed {
        out.push(Batch::Failed(e));
    }
    out
}

/// The bytes of text a row holds, for the batch budget.
fn row_bytes(r: &RowResult) -> usize {
    match r {
        RowResult::Row(row) => row
            .cells
            .iter()
            .map(|c| match c {
                Cell::Text(s) | Cell::Error(s) => s.len(),
                Cell::PhoneIn { number, .. } => number.len(),
                _ => 0,
            })
            .sum(),
        RowResult::Broken { message, value, .. } => {
            message.len() + value.as_ref().map_or(0, String::len)
        }
    }
}

/// The environment variable that makes checking one row panic, in debug builds only.
#[cfg(debug_assertions)]
pub const PANIC_ROW_ENV: &str = "COLLECTMAXX_DEBUG_PANIC_ROW";

/// A hook for the end-to-end test of a bug in a rule: when `COLLECTMAXX_DEBUG_PANIC_ROW` names
/// this row (as the report numbers rows), checking it panics as a faulty rule would. Compiled
/// into debug builds only (the integration tests run the debug binary); a release build has no
/// such variable and no such check.
#[cfg(debug_assertions)]
fn panic_for_tests(row: u64) {
    static ROW: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    let wanted = ROW.get_or_init(|| {
        std::env::var(PANIC_ROW_ENV)
            .ok()
            .and_then(|v| v.trim().parse().ok())
    });
    if *wanted == Some(row) {
        panic!("{PANIC_ROW_ENV} names row {row}");
    }
}

/// The text of a caught panic.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic_message_of(panic.as_ref())
}

/// The text of a panic payload.
pub(crate) fn panic_message_of(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".to_string())
}

/// Whether the reader marked a row as a total (a footer or a subtotal): its values are no
/// debtor's, and no evidence of a column's unit or date order.
fn is_total(notes: &[RecordNote]) -> bool {
    notes
        .iter()
        .any(|n| footer::is_footer(n) || footer::is_subtotal(n))
}

/// Checks one row and puts the reader's findings about it first among its issues.
fn check(
    settings: &RuleSettings,
    map: &ColumnMap,
    (r, notes): &(RowResult, Vec<RecordNote>),
) -> Checked {
    if let Some(total) = notes
        .iter()
        .find(|n| footer::is_footer(n) || footer::is_subtotal(n))
    {
        // A footer is skipped and a subtotal rejected as a whole: their values are no
        // debtor's, so they are not checked, and what a reader or a profile found in them
        // (an identifier template left empty, a name that cannot be split) is not reported:
        // the row's one issue says what it is.
        let (row, line) = match r {
            RowResult::Row(row) => (row.row, row.line),
            RowResult::Broken { row, line, .. } => (*row, *line),
        };
        return Checked {
            row,
            line,
            record: None,
            blank: footer::is_footer(total),
            issues: vec![total.clone().into_issue(row, line)],
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
            // A reader's error rejects the record like any rule's, even when the row has no
            // value left to deliver (a profile's split that failed, a template left empty by
            // a row whose values are all in ignored columns): the export had values there, and
            // a row with an error is counted as rejected, never as skipped.
            if issue.severity == crate::issue::Severity::Error {
                checked.record = None;
                checked.blank = false;
            }
            reader.push(issue);
        }
        checked.issues.splice(0..0, reader);
    }
    checked
}

fn check_row(settings: &RuleSettings, map: &ColumnMap, r: &RowResult) -> Checked {
    match r {
        RowResult::Row(row) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            #[cfg(debug_assertions)]
            panic_for_tests(row.row);
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
    for code in c.fixes {
        log.count_fix(code);
    }
    for issue in c.issues {
        log.push_encoded(issue)?;
    }
    if c.blank {
        log.summary
            .rows
            .skip(if c.footer { Skip::Footer } else { Skip::Blank });
        return Ok(());
    }
    let Some(identifier) = c.accepted else {
        log.summary.rows.reject();
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
            log.withdraw(issue)?;
        }
    }
    state.accepted += 1;
    log.summary.rows.accept();
    Ok(())
}

/// The SHA-256 of a file, as lower-case hex.
pub(crate) fn sha256_file(path: &Path) -> io::Result<String> {
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
    use crate::source::Row;

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
            evidence: Evidence::default(),
            dates: order::Evidence::default(),
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
        assert_eq!(log.summary.rows.rows_read(), 0);
    }

    #[test]
    fn a_panicking_reader_is_that_files_error_after_its_rows() {
        let mut source = Panicking {
            header: vec!["A".into()],
            calls: 0,
        };
        let (tx, rx) = crossbeam_channel::unbounded();
        let reading = Reading::start(&source, usize::MAX);
        read_batches(&mut source, "in.csv", reading, tx);
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

    /// A reader of `rows` rows, each one cell of `bytes` bytes, or of `texts` when given.
    struct Wide {
        header: Vec<String>,
        rows: u64,
        bytes: usize,
        calls: u64,
        texts: Vec<String>,
    }

    impl Source for Wide {
        fn format(&self) -> &'static str {
            "xlsx"
        }
        fn header(&self) -> &[String] {
            &self.header
        }
        fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
            if self.calls == self.rows {
                return None;
            }
            self.calls += 1;
            let text = match self.texts.get(self.calls as usize - 1) {
                Some(t) => t.clone(),
                None => "A".repeat(self.bytes),
            };
            Some(Ok(RowResult::Row(Row {
                row: self.calls + 1,
                line: None,
                cells: vec![Cell::Text(text)],
            })))
        }
    }

    fn batch_sizes(rows: u64, bytes: usize, budget: usize) -> Vec<usize> {
        let mut source = Wide {
            header: vec!["A".into()],
            rows,
            bytes,
            calls: 0,
            texts: Vec::new(),
        };
        let (tx, rx) = crossbeam_channel::unbounded();
        let reading = Reading::start(&source, budget);
        read_batches(&mut source, "in.xlsx", reading, tx);
        rx.iter()
            .map(|b| match b {
                Batch::Rows(rows, ..) => rows.len(),
                Batch::Failed(e) => panic!("{}", e.message),
            })
            .collect()
    }

    /// A reader of one due-date column: `first` rows of `03/04/2027` (a date in both orders),
    /// then `12/25/2027` (month first only).
    fn due_dates(first: u64) -> (Wide, ColumnMap) {
        let header = vec!["INVOICE_DUEDATE".to_string()];
        let mut map = ColumnMap::default();
        map.extend(&header, &Mapping::default()).unwrap();
        let mut cells = vec!["03/04/2027".to_string(); first as usize];
        cells.push("12/25/2027".into());
        let source = Wide {
            header,
            rows: first + 1,
            bytes: 0,
            calls: 0,
            texts: cells,
        };
        (source, map)
    }

    fn sample(first: u64, settings: &RuleSettings) -> (Result<usize, RunError>, u64) {
        let (mut source, map) = due_dates(first);
        let mut reading = Reading::start(&source, usize::MAX);
        let sampled = sample_units(
            &mut source,
            Path::new("in.csv"),
            &map,
            settings,
            &mut reading,
        )
        .map(|(batches, _)| batches.len());
        (sampled, reading.rows_so_far)
    }

    #[test]
    fn the_first_rows_refuse_a_month_first_date_column_and_later_ones_are_left_to_the_end() {
        let mut settings =
            RuleSettings::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        // Month first in the first rows: refused before anything is written.
        let (sampled, _) = sample(5, &settings);
        let Err(e @ RunError::DateOrder { .. }) = sampled else {
            panic!("expected a refusal")
        };
        let m = e.to_string();
        assert!(
            m.starts_with("in.csv: date column 'INVOICE_DUEDATE' writes the month first (row 7"),
            "{m}"
        );
        // Dates in both orders decide nothing: the sample stops at its 8 batches, and the
        // month-first date after them is the end-of-input check's (see the CLI tests).
        let (sampled, rows) = sample(9_000, &settings);
        assert_eq!(
            (sampled.ok(), rows),
            (Some(SAMPLE_BATCHES), (SAMPLE_BATCHES * BATCH) as u64)
        );
        // With the order given, nothing is sampled for it.
        settings.date_order_given = true;
        let (sampled, rows) = sample(5, &settings);
        assert_eq!((sampled.ok(), rows), (Some(0), 0));
    }

    #[test]
    fn batches_of_long_rows_end_at_the_byte_budget() {
        // 32,767-byte cells against a 1 MiB budget: 33 rows a batch (the row that reaches the
        // budget is the batch's last), and every row comes through.
        let sizes = batch_sizes(100, 32_767, 1 << 20);
        assert_eq!(sizes, [33, 33, 33, 1]);
        // A row larger than the whole budget still makes a batch of its own.
        assert_eq!(batch_sizes(3, 2 << 20, 1 << 20), [1, 1, 1]);
        // Short rows fill whole batches as before, and exactly BATCH rows end cleanly.
        assert_eq!(batch_sizes(2_500, 300, 1 << 20), [BATCH, BATCH, 452]);
        assert_eq!(batch_sizes(BATCH as u64, 10, 1 << 20), [BATCH]);
    }

    /// A row of `cells` (empty strings are empty cells) with notes of (severity, code).
    fn noted(cells: &[&str], notes: &[(crate::issue::Severity, &'static str)]) -> footer::Item {
        let row = Row {
            row: 9,
            line: Some(9),
            cells: cells
                .iter()
                .map(|c| match c {
                    &"" => Cell::Empty,
                    c => Cell::Text(c.to_string()),
                })
                .collect(),
        };
        let notes = notes
            .iter()
            .map(|(severity, code)| RecordNote::new(*severity, code, "a finding".to_string()))
            .collect();
        (RowResult::Row(row), notes)
    }

    fn codes(c: &Checked) -> Vec<&str> {
        c.issues.iter().map(|i| i.code).collect()
    }

    #[test]
    fn a_total_row_carries_only_its_own_issue() {
        use crate::issue::Severity::{Error, Fix, Warning};
        let settings = RuleSettings::new(chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap());
        let header = vec![
            "INVOICE_DATE".to_string(),
            "IDENTIFICATION_IDENTIFIER".into(),
        ];
        let mut map = ColumnMap::default();
        map.extend(&header, &Mapping::default()).unwrap();
        // What a profile found in the row (its template left empty, a split that failed, a
        // fix) is no debtor's: a footer is skipped with its warning only.
        let profile = [
            (Error, "profile.identifier_empty"),
            (Error, "profile.split_failed"),
            (Fix, "amount.from_format"),
        ];
        let footer = noted(
            &["TOTAL", ""],
            &[profile.as_slice(), &[(Warning, footer::FOOTER)]].concat(),
        );
        let c = check(&settings, &map, &footer);
        assert_eq!(codes(&c), [footer::FOOTER]);
        assert!(c.blank && c.record.is_none() && c.fixes.is_empty());
        // A subtotal is rejected with its error only.
        let subtotal = noted(
            &["TOTAL", ""],
            &[profile.as_slice(), &[(Error, footer::SUBTOTAL)]].concat(),
        );
        let c = check(&settings, &map, &subtotal);
        assert_eq!(codes(&c), [footer::SUBTOTAL]);
        assert!(c.rejected());
    }

    #[test]
    fn a_reader_error_on_a_row_with_nothing_left_to_deliver_rejects_it() {
        use crate::issue::Severity::Error;
        let settings = RuleSettings::new(chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap());
        let header = vec!["PERSON_FAMILYNAME".to_string()];
        let mut map = ColumnMap::default();
        map.extend(&header, &Mapping::default()).unwrap();
        // A profile emptied the row's one value (a split that failed): the export had a value
        // there, so the row is rejected with the error, not counted as blank beside it.
        let c = check(
            &settings,
            &map,
            &noted(&[""], &[(Error, "profile.split_failed")]),
        );
        assert_eq!(codes(&c), ["profile.split_failed"]);
        assert!(c.rejected() && !c.blank);
        // A blank row without findings stays blank.
        let c = check(&settings, &map, &noted(&[""], &[]));
        assert!(c.blank && c.issues.is_empty());
    }
}
