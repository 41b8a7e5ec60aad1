//! Sending deliveries: which ones, the upload, and the history's `sending` → `sent` records.
//!
//! A remote rename and a local record cannot be one atomic step. So a send is recorded
//! `sending` before the upload and confirmed `sent` after the rename; a run that dies in
//! between leaves `sending`, and the next [`Session::recover`] looks at the server: the final
//! name with the right size means sent; only a partial (or nothing) means not sent (the
//! partial is removed and the delivery is pending again). For tests, `COLLECTMAXX_TEST_CRASH_AT`
//! = `send_recorded` | `send_partial_written` | `send_renamed` aborts the process after that
//! step.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::client::{Client, Recovered};
use super::connect::{connect, host_label, FIRST_PAUSE, MAX_PAUSE};
use super::error::{Error, ErrorKind};
use crate::config::Sftp;
use crate::history::{
    self, Delivery, DeliveryState, History, Lock, NewSend, SendRecord, SendState,
};
use crate::outbox::crash_point;

/// Why a delivery was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Transport(#[from] Error),
    #[error(transparent)]
    History(#[from] history::Error),
    #[error("'{0}' is not a delivery in the history: only deliveries collectmaxx made and recorded are sent ('collectmaxx history list' shows them)")]
    NotInHistory(String),
    #[error("{file} is {state} in the history: only delivered files are sent")]
    NotDelivered { file: String, state: DeliveryState },
    #[error("{file} is not on this machine (the history says it was written to {path}): send it from the machine that made it")]
    Missing { file: String, path: String },
    #[error("{path} is not the file recorded as {file}: its SHA-256 differs from the history's, so it was changed after it was written; it is not sent")]
    Changed { file: String, path: PathBuf },
    #[error("cannot read {}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{file} was being sent to {host} ({remote_path}) when a run was interrupted, but [sftp] now names {now}: whether it arrived can only be seen on {host}, so it is neither settled nor sent again. Set host and port in [sftp] back to {host} and run `collectmaxx send --pending` once to settle it; if that server is gone for good, ask its owner whether the file arrived before sending it anywhere else")]
    OtherServer {
        file: String,
        host: String,
        remote_path: String,
        now: String,
    },
    #[error("{file} was being sent when a run was interrupted, and the server holds {remote_path} with {found} bytes, not {size}: someone must compare the two; nothing was changed")]
    Conflict {
        file: String,
        remote_path: String,
        found: u64,
        size: u64,
    },
}

impl SendError {
    /// A host key that does not match: stop everything at once.
    pub fn is_security_event(&self) -> bool {
        matches!(self, SendError::Transport(e) if e.is_security_event())
    }

    /// The connection cannot be used any more: stop sending the others too.
    pub fn ends_session(&self) -> bool {
        matches!(self, SendError::Transport(e) if matches!(e.kind,
            ErrorKind::HostKeyMismatch | ErrorKind::HostKeyNotTrusted | ErrorKind::WrongPassword
            | ErrorKind::KeyRefused | ErrorKind::Credentials | ErrorKind::Unreachable
            | ErrorKind::Timeout | ErrorKind::ConnectionLost))
    }
}

/// What happened to one delivery.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Uploaded and renamed now.
    Sent(SendRecord),
    /// Sent before (and not `--again`): the earlier send.
    AlreadySent(SendRecord),
}

/// A send an interrupted run left `sending`, settled (or not).
#[derive(Debug)]
pub struct Settled {
    pub file: String,
    pub how: SettledAs,
}

/// What the server showed of an interrupted send.
#[derive(Debug)]
pub enum SettledAs {
    /// On the server under its final name: now recorded as sent.
    Sent,
    /// Not there (any partial was removed): pending again.
    NotSent,
    /// It was being sent to another server than the one configured now: left `sending`, not
    /// sent again (the error says what to do).
    Unsettled(SendError),
}

/// The delivery named `name` in the history, checked to be one that can be sent from here.
pub fn find(history: &dyn History, name: &str) -> Result<Delivery, SendError> {
    let all = history.list(None, None, true)?;
    let d = all
        .into_iter()
        .find(|d| d.file == name)
        .ok_or_else(|| SendError::NotInHistory(name.to_string()))?;
    if d.state != DeliveryState::Delivered {
        return Err(SendError::NotDelivered {
            file: d.file,
            state: d.state,
        });
    }
    local_path(&d)?;
    Ok(d)
}

/// The deliveries (of `client`, when given) that were never sent and whose file is on this
/// machine, oldest first. One left `sending` counts as not sent (recovery settles it first).
/// In a history shared by several hosts, those recorded by another host than `this_host`
/// are set apart: their files are on that host.
pub fn pending(
    history: &dyn History,
    client: Option<&str>,
    this_host: &str,
) -> Result<Pending, SendError> {
    let mut out = Pending::default();
    for d in history.list(client, None, false)? {
        if d.state != DeliveryState::Delivered {
            continue;
        }
        let sent = history.sent_of(&d.file)?;
        if sent.is_some_and(|s| s.state == SendState::Sent) {
            continue;
        }
        // A shared history: the file is on the disk of the host that made it.
        if let Some(host) = d.host.as_deref().filter(|h| *h != this_host) {
            out.elsewhere.push((d.file.clone(), host.to_string()));
            continue;
        }
        if local_path(&d).is_ok() {
            out.here.push(d);
        }
    }
    Ok(out)
}

/// The deliveries `send --pending` finds.
#[derive(Debug, Default)]
pub struct Pending {
    /// Made on this host and not sent yet.
    pub here: Vec<Delivery>,
    /// Not sent yet but made on another host of a shared history: `(file, host)`.
    pub elsewhere: Vec<(String, String)>,
}

fn local_path(d: &Delivery) -> Result<PathBuf, SendError> {
    match &d.path {
        Some(p) if Path::new(p).is_file() => Ok(PathBuf::from(p)),
        other => Err(SendError::Missing {
            file: d.file.clone(),
            path: other.clone().unwrap_or_else(|| "(nowhere)".into()),
        }),
    }
}

fn sha256_of(path: &Path) -> Result<String, SendError> {
    let read = |error| SendError::Read {
        path: path.to_path_buf(),
        error,
    };
    let mut f = std::fs::File::open(path).map_err(read)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(read)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// A connection to the server and the history it records sends in, with the lock held.
pub struct Session<'a> {
    history: &'a mut dyn History,
    lock: &'a Lock,
    sftp: &'a Sftp,
    client: Option<Client>,
}

impl<'a> Session<'a> {
    /// Connects (with retries for network errors; `note` hears about them).
    pub fn open(
        history: &'a mut dyn History,
        lock: &'a Lock,
        sftp: &'a Sftp,
        note: &mut dyn FnMut(&str),
    ) -> Result<Session<'a>, SendError> {
        let client = connect(sftp, note)?;
        Ok(Session {
            history,
            lock,
            sftp,
            client: Some(client),
        })
    }

    fn client(&mut self, note: &mut dyn FnMut(&str)) -> Result<&mut Client, SendError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = Some(connect(self.sftp, note)?);
        }
        Ok(self.client.as_mut().expect("connected above"))
    }

    /// Settles the sends interrupted runs left `sending` by looking at the server they were
    /// sent to. One sent to another server than the configured one is not guessed at: it is
    /// left `sending` and returned as [`SettledAs::Unsettled`].
    pub fn recover(&mut self, note: &mut dyn FnMut(&str)) -> Result<Vec<Settled>, SendError> {
        let mut settled = Vec::new();
        for rec in self.history.sending(self.lock)? {
            if let Some(e) = self.sent_elsewhere(&rec) {
                settled.push(Settled {
                    file: rec.file,
                    how: SettledAs::Unsettled(e),
                });
                continue;
            }
            let (dir, name) = split_remote(&rec.remote_path);
            let found = self.client(note)?.recover(dir, name, rec.size)?;
            let how = match found {
                Recovered::Sent => {
                    self.history.confirm_send(self.lock, &rec.file)?;
                    SettledAs::Sent
                }
                Recovered::NotSent => {
                    self.history.abandon_send(self.lock, &rec.file)?;
                    SettledAs::NotSent
                }
                Recovered::FinalWrongSize(found) => {
                    return Err(SendError::Conflict {
                        file: rec.file,
                        remote_path: rec.remote_path,
                        found,
                        size: rec.size,
                    })
                }
            };
            settled.push(Settled {
                file: rec.file,
                how,
            });
        }
        Ok(settled)
    }

    /// A `sending` record made with another server (host or port) than the configured one.
    fn sent_elsewhere(&self, rec: &SendRecord) -> Option<SendError> {
        let now = host_label(self.sftp);
        (rec.state == SendState::Sending && rec.host != now).then(|| SendError::OtherServer {
            file: rec.file.clone(),
            host: rec.host.clone(),
            remote_path: rec.remote_path.clone(),
            now,
        })
    }

    /// Sends one delivery (see [`find`]), unless it was sent before and not `again`. Network
    /// errors are retried (reconnect, settle, upload again) up to the configured retries.
    pub fn send(
        &mut self,
        d: &Delivery,
        again: bool,
        note: &mut dyn FnMut(&str),
    ) -> Result<Outcome, SendError> {
        if let Some(prev) = self.history.sent_of(&d.file)? {
            if prev.state == SendState::Sent && !again {
                return Ok(Outcome::AlreadySent(prev));
            }
            if let Some(e) = self.sent_elsewhere(&prev) {
                return Err(e);
            }
        }
        let path = local_path(d)?;
        if sha256_of(&path)? != d.sha256 {
            return Err(SendError::Changed {
                file: d.file.clone(),
                path,
            });
        }
        let mut tries = 0;
        let mut pause = FIRST_PAUSE;
        loop {
            match self.send_once(d, &path) {
                Err(SendError::Transport(e)) if e.is_retryable() && tries < self.sftp.retries => {
                    tries += 1;
                    note(&format!(
                        "{e}; trying again in {} s ({tries} of {})",
                        pause.as_secs(),
                        self.sftp.retries
                    ));
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(MAX_PAUSE);
                    // A new connection; the try that failed may have left `sending` and a
                    // partial: settle them first. It may even have been renamed already.
                    self.client = None;
                    let settled = self.recover(note)?;
                    if settled
                        .iter()
                        .any(|s| s.file == d.file && matches!(s.how, SettledAs::Sent))
                    {
                        if let Some(rec) = self.history.sent_of(&d.file)? {
                            return Ok(Outcome::Sent(rec));
                        }
                    }
                }
                other => return other,
            }
        }
    }

    fn send_once(&mut self, d: &Delivery, path: &Path) -> Result<Outcome, SendError> {
        let size = std::fs::metadata(path)
            .map_err(|error| SendError::Read {
                path: path.to_path_buf(),
                error,
            })?
            .len();
        let upload_dir = self.sftp.upload_dir.clone();
        let remote_path = super::client::join_remote(&upload_dir, &d.file);
        self.client(&mut |_| {})?;
        self.history.begin_send(
            self.lock,
            &NewSend {
                file: d.file.clone(),
                host: host_label(self.sftp),
                remote_path,
                size,
            },
        )?;
        crash_point("send_recorded");
        let client = self.client.as_mut().expect("connected above");
        let uploaded = client.upload(path, &upload_dir, &d.file, &mut |step| {
            crash_point(&format!("send_{step}"))
        });
        match uploaded {
            Ok(_) => Ok(Outcome::Sent(
                self.history.confirm_send(self.lock, &d.file)?,
            )),
            Err(e) => {
                // Only when the server certainly has no final name and no partial is the record
                // dropped; otherwise recovery decides at the next connect.
                let unsure = e.partial_left.is_some()
                    || matches!(e.kind, ErrorKind::ConnectionLost | ErrorKind::Timeout);
                if !unsure {
                    self.history.abandon_send(self.lock, &d.file)?;
                }
                Err(e.into())
            }
        }
    }

    /// The connection, for fetching.
    pub fn connection(&mut self, note: &mut dyn FnMut(&str)) -> Result<&mut Client, SendError> {
        self.client(note)
    }

    /// The history and its lock, for fetching.
    pub fn history(&mut self) -> (&mut dyn History, &Lock) {
        (&mut *self.history, self.lock)
    }

    pub fn sftp(&self) -> &Sftp {
        self.sftp
    }

    /// Ends the SSH session politely.
    pub fn close(self) {
        if let Some(c) = self.client {
            c.close();
        }
    }
}

/// `("in", "x.csv")` for `in/x.csv`, `(".", "x.csv")` for `x.csv`.
fn split_remote(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some(("", name)) => ("/", name),
        Some((dir, name)) => (dir, name),
        None => (".", path),
    }
}
