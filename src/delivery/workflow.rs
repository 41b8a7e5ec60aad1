//! The workflow object: a run of `convert` or `validate`, step by step.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::{Error, Result};
use super::exit::{exit, Exit};
use super::report_file::write_atomically;
use super::reuse;
use crate::codec::DeliveryFormat;
use crate::deliver::{Plan, Spool};
use crate::history::{History, Lock};
use crate::issue::Issue;
use crate::outbox::{self, ClientCode, Ledger, Outbox, Recovery};
use crate::registry::Slot;
use crate::report::{DeliveryInfo, InputInfo, IssueLog, NotChecked, ReportHead, SentInfo};
use crate::run::{self, NoSink, RecordSink, RunOptions, RunOutcome};
use crate::transport::send::{self, Outcome, SendError, Session};

/// A run, opened: the history it checks identifiers against and, when it writes, the lock and
/// the spool its records go into.
pub struct Delivery {
    history: Option<Box<dyn History>>,
    client: Option<ClientCode>,
    /// Held from before the spool is created until the delivery is recorded, so the recovery
    /// of another run never takes this run's temp file for a killed run's.
    lock: Option<Lock>,
    spool: Option<Spool>,
    recovered: Vec<Recovery>,
}

/// A run whose inputs went through the engine: its records are in the spool (when it writes),
/// its counts and issues in the log.
pub struct Checked {
    opened: Delivery,
    outcome: RunOutcome,
    /// Sorted sink indexes of the records whose identifier the client delivered before.
    reused: Vec<u64>,
    history_checked: bool,
    services: Vec<&'static str>,
    delivery: Option<DeliveryInfo>,
}

/// What the deliver step did.
#[derive(Debug, Clone)]
pub struct Delivered {
    /// The committed delivery file; `None` when nothing was delivered (no record to deliver,
    /// or a read-only run). This is what a `send` uploads.
    pub path: Option<PathBuf>,
    /// The file name the delivery got, or would get (a dry run).
    pub name: String,
    /// The name of the report that belongs to it, `<date>-<client>-<n>.report.json`.
    pub report_name: String,
    /// The records to deliver (the tally's delivered rows).
    pub records: u64,
}

impl Delivery {
    /// Opens a run that writes: takes the history's lock for `client`, settles what killed
    /// runs left behind (see [`Delivery::recovered`]) and starts a spool in `out_dir` for a
    /// delivery in `format` (the workers encode records in it as they go).
    pub fn open(
        mut history: Box<dyn History>,
        client: ClientCode,
        out_dir: &Path,
        format: DeliveryFormat,
    ) -> Result<Delivery> {
        let lock = history.lock(Some(client.as_str()), crate::config::lock_timeout()?)?;
        let recovered = outbox::recover(history.as_mut(), &lock, Some(out_dir))?;
        Ok(Delivery {
            history: Some(history),
            client: Some(client),
            lock: Some(lock),
            spool: Some(Spool::new(out_dir, format)),
            recovered,
        })
    }

    /// Opens a run that writes nothing (`validate`, `convert --dry-run`): it only reads the
    /// history, if there is one; identifiers are checked when there is a client too.
    pub fn read_only(history: Option<Box<dyn History>>, client: Option<ClientCode>) -> Delivery {
        Delivery {
            history,
            client,
            lock: None,
            spool: None,
            recovered: Vec::new(),
        }
    }

    /// The deliveries killed runs had left pending, and what [`Delivery::open`] recorded them as.
    pub fn recovered(&self) -> &[Recovery] {
        &self.recovered
    }

    /// Runs the inputs through the engine, into the spool when the run writes.
    pub fn check(
        mut self,
        inputs: &[PathBuf],
        opts: &RunOptions,
        log: IssueLog,
    ) -> Result<Checked> {
        let mut no_sink = NoSink;
        let sink: &mut dyn RecordSink = match self.spool.as_mut() {
            Some(s) => s,
            None => &mut no_sink,
        };
        let outcome = run::run(inputs, opts, log, sink)?;
        Ok(Checked {
            opened: self,
            outcome,
            reused: Vec::new(),
            history_checked: false,
            services: opts.settings.services.names(),
            delivery: None,
        })
    }
}

impl Checked {
    /// Gives a read-only run the history to check identifiers against, opened after the run
    /// (`validate` does so: a problem with an input is reported before one with the history).
    pub fn use_history(&mut self, history: Box<dyn History>, client: ClientCode) {
        self.opened.history = Some(history);
        self.opened.client = Some(client);
    }

    /// Checks the identifiers against the client's earlier deliveries, when there is a history
    /// and a client: a record that reuses one is withdrawn (`identifier.reused`), or delivered
    /// with a warning when `allow`. Returns whether the history was checked.
    pub fn check_reuse(&mut self, allow: bool) -> Result<bool> {
        if let (Some(history), Some(client)) = (&self.opened.history, &self.opened.client) {
            self.reused = reuse::check(
                history.as_ref(),
                client.as_str(),
                &self.outcome.identifiers,
                allow,
                &mut self.outcome.log,
            )?;
            self.history_checked = true;
        }
        Ok(self.history_checked)
    }

    /// What the run did not check, for the report's `not_checked` (the command line words it:
    /// the answers are its flags).
    pub fn set_not_checked(&mut self, not_checked: Vec<NotChecked>) {
        self.outcome.log.not_checked = not_checked;
    }

    pub fn inputs(&self) -> &[InputInfo] {
        &self.outcome.inputs
    }

    pub fn log(&self) -> &IssueLog {
        &self.outcome.log
    }

    /// The delivery written and recorded, once [`Checked::deliver`] made one.
    pub fn delivery(&self) -> Option<&DeliveryInfo> {
        self.delivery.as_ref()
    }

    /// The run's exit code (see [`exit`]).
    pub fn exit(&self) -> Exit {
        exit(&self.outcome.log.summary.rows)
    }

    /// Numbers the delivery, prepares it in `format` from the spool without the superseded and
    /// reused records, and commits it through `outbox`; then releases the lock. A read-only
    /// run, or one with no record to deliver, commits nothing and says which name it would get.
    pub fn deliver(&mut self, format: DeliveryFormat, outbox: &Outbox) -> Result<Delivered> {
        let mut dropped = self.outcome.superseded.clone();
        dropped.extend_from_slice(&self.reused);
        dropped.sort_unstable();
        dropped.dedup();
        let columns = self.columns();
        if format == DeliveryFormat::Jsonl {
            self.warn_columns_dropped(&columns)?;
        }
        let in_dir = outbox.highest_in_dir()?;
        let next = match &self.opened.history {
            Some(h) => h.next_number(outbox.date(), outbox.client().as_str(), in_dir)?,
            None => in_dir + 1,
        };
        let records = self.outcome.log.summary.rows.delivered();
        let opened = &mut self.opened;
        let committed = match (opened.spool.take(), &mut opened.history, &opened.lock) {
            (Some(spool), Some(history), Some(lock)) if records > 0 => {
                let plan = Plan {
                    format,
                    columns,
                    drop: &dropped,
                    spooled: self.outcome.accepted,
                };
                let prepared = spool.prepare(&plan).map_err(Error::Finish)?;
                let (sha256, count) = (prepared.sha256.clone(), prepared.records);
                let ledger = Ledger {
                    history: history.as_mut(),
                    lock,
                    inputs: self.outcome.inputs.iter().map(|i| i.path.clone()).collect(),
                    identifiers: &self.outcome.identifiers,
                    dropped: &dropped,
                };
                let (path, n) = outbox.commit(prepared.staged(), ledger)?;
                self.delivery = Some(DeliveryInfo {
                    path: path.display().to_string(),
                    sha256,
                    records: count,
                    sent: None,
                });
                Some((path, n))
            }
            _ => None,
        };
        self.opened.lock = None;
        let n = committed.as_ref().map_or(next, |(_, n)| *n);
        Ok(Delivered {
            path: committed.map(|(path, _)| path),
            name: outbox.file_name(n),
            report_name: outbox::file_name(outbox.date(), outbox.client(), n, "report.json"),
            records,
        })
    }

    /// Sends the delivery [`Checked::deliver`] committed to the SFTP server (`convert
    /// --send`): takes the history's lock again, settles interrupted sends, uploads, and adds
    /// `sent` to the report's delivery. `None` when there was no delivery to send.
    pub fn send(
        &mut self,
        delivered: &Delivered,
        sftp: &crate::config::Sftp,
        note: &mut dyn FnMut(&str),
    ) -> std::result::Result<Option<SentInfo>, SendError> {
        let (Some(history), Some(_)) = (self.opened.history.as_mut(), delivered.path.as_ref())
        else {
            return Ok(None);
        };
        let client = self.opened.client.as_ref().map(|c| c.as_str().to_string());
        let lock = history.lock(
            client.as_deref(),
            // `open` refused a bad setting already.
            crate::config::lock_timeout().unwrap_or(crate::history::DEFAULT_LOCK_TIMEOUT),
        )?;
        let d = send::find(history.as_ref(), &delivered.name)?;
        let mut session = Session::open(history.as_mut(), &lock, sftp, note)?;
        for s in session.recover(note)? {
            if let send::SettledAs::Unsettled(e) = s.how {
                note(&format!("warning: {e}"));
            }
        }
        let (Outcome::Sent(rec) | Outcome::AlreadySent(rec)) = session.send(&d, false, note)?;
        session.close();
        let info = SentInfo {
            time: rec.sent_at.unwrap_or_default(),
            host: rec.host,
            remote_path: rec.remote_path,
            size: rec.size,
        };
        if let Some(d) = self.delivery.as_mut() {
            d.sent = Some(info.clone());
        }
        Ok(Some(info))
    }

    /// The delivery's columns: the ones the sink began with when they were final, else (record
    /// formats) the columns that hold a value somewhere, plus the required ones.
    fn columns(&self) -> Vec<Slot> {
        let outcome = &self.outcome;
        if outcome.complete {
            return outcome.columns.clone();
        }
        crate::registry::slots()
            .filter(|s| outcome.used[s.index()] || outcome.columns.contains(s))
            .collect()
    }

    /// `jsonl.columns_dropped`: the JSON Lines API has no field for some columns that hold data.
    fn warn_columns_dropped(&mut self, columns: &[Slot]) -> Result<()> {
        let dropped = crate::codec::jsonl::dropped_columns(columns);
        if !dropped.is_empty() {
            let names: Vec<&str> = dropped.iter().map(|s| s.column()).collect();
            self.outcome.log.push(Issue::warning(
                "jsonl.columns_dropped",
                format!(
                    "the API has no field for {}: these columns are left out of the JSON Lines delivery (deliver as CSV or XML to keep them)",
                    names.join(", ")
                ),
            ))?;
        }
        Ok(())
    }

    fn head(&self) -> ReportHead {
        ReportHead {
            tool: "collectmaxx",
            version: env!("CARGO_PKG_VERSION"),
            inputs: self.outcome.inputs.clone(),
            delivery: self.delivery.clone(),
            services: self.services.clone(),
        }
    }

    /// Writes the JSON report to `out` (standard output).
    pub fn write_report(self, out: impl Write) -> Result<()> {
        let head = self.head();
        self.outcome.log.write_report(&head, out)?;
        Ok(())
    }

    /// Writes the JSON report to the file `path`, all or nothing; with `create_dir`, creates
    /// its folder first (a report dir of the run's choosing, not one the user named).
    pub fn write_report_file(self, path: &Path, create_dir: bool) -> Result<()> {
        if let Some(dir) = path.parent().filter(|_| create_dir) {
            std::fs::create_dir_all(dir).map_err(|e| Error::ReportDir(dir.to_path_buf(), e))?;
        }
        let head = self.head();
        let made = match &head.delivery {
            Some(d) => format!(
                " (the delivery {} was written and recorded in the history: do not run again for it)",
                d.path
            ),
            None => String::new(),
        };
        let log = self.outcome.log;
        write_atomically(path, |w| log.write_report(&head, w)).map_err(|source| Error::Report {
            path: path.to_path_buf(),
            made,
            source,
        })
    }
}
