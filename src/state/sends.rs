//! Recording sends of deliveries and fetched result files (schema version 3).

use rusqlite::{OptionalExtension, Row};

use super::error::{Result, StateError};
use super::{now, to_i64, SqliteHistory};
use crate::history::{FetchedFile, NewSend, SendRecord, SendState};

const SEND_COLUMNS: &str =
    "d.file, s.state, s.host, s.remote_path, s.size, s.started_at, s.sent_at";

fn send_record(r: &Row<'_>) -> rusqlite::Result<(SendRecord, String)> {
    Ok((
        SendRecord {
            file: r.get(0)?,
            state: SendState::Sending,
            host: r.get(2)?,
            remote_path: r.get(3)?,
            size: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
            started_at: r.get(5)?,
            sent_at: r.get(6)?,
        },
        r.get(1)?,
    ))
}

fn parsed((mut rec, state): (SendRecord, String)) -> Result<SendRecord> {
    rec.state = SendState::from_name(&state)
        .ok_or_else(|| StateError::Corrupt(format!("send state '{state}'")))?;
    Ok(rec)
}

impl SqliteHistory {
    /// See [`crate::history::History::begin_send`].
    pub fn begin_send(&mut self, send: &NewSend) -> Result<()> {
        let id: i64 = self
            .conn
            .query_row(
                "SELECT id FROM deliveries WHERE file = ?1",
                [&send.file],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StateError::UnknownFile(send.file.clone()))?;
        self.conn.execute(
            "INSERT INTO sends (delivery_id, state, host, remote_path, size, started_at)
             VALUES (?1, 'sending', ?2, ?3, ?4, ?5)",
            (id, &send.host, &send.remote_path, to_i64(send.size), now()),
        )?;
        Ok(())
    }

    /// See [`crate::history::History::confirm_send`].
    pub fn confirm_send(&mut self, file: &str) -> Result<SendRecord> {
        let n = self.conn.execute(
            "UPDATE sends SET state = 'sent', sent_at = ?2
             WHERE state = 'sending' AND delivery_id = (SELECT id FROM deliveries WHERE file = ?1)",
            (file, now()),
        )?;
        if n == 0 {
            return Err(StateError::NoSend(file.to_string()));
        }
        self.sent_of(file)?
            .ok_or_else(|| StateError::NoSend(file.to_string()))
    }

    /// See [`crate::history::History::abandon_send`].
    pub fn abandon_send(&mut self, file: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM sends
             WHERE state = 'sending' AND delivery_id = (SELECT id FROM deliveries WHERE file = ?1)",
            [file],
        )?;
        Ok(())
    }

    /// See [`crate::history::History::sent_of`].
    pub fn sent_of(&self, file: &str) -> Result<Option<SendRecord>> {
        let sql = format!(
            "SELECT {SEND_COLUMNS} FROM sends s JOIN deliveries d ON d.id = s.delivery_id
             WHERE d.file = ?1 ORDER BY s.id DESC LIMIT 1"
        );
        let found = self.conn.query_row(&sql, [file], send_record).optional()?;
        found.map(parsed).transpose()
    }

    /// See [`crate::history::History::sending`].
    pub fn sending(&self) -> Result<Vec<SendRecord>> {
        let sql = format!(
            "SELECT {SEND_COLUMNS} FROM sends s JOIN deliveries d ON d.id = s.delivery_id
             WHERE s.state = 'sending' ORDER BY s.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], send_record)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(parsed(r?)?);
        }
        Ok(out)
    }

    /// The first `sent` record of `file`, for `forget`.
    pub(super) fn first_send(&self, file: &str) -> Result<Option<SendRecord>> {
        let sql = format!(
            "SELECT {SEND_COLUMNS} FROM sends s JOIN deliveries d ON d.id = s.delivery_id
             WHERE d.file = ?1 ORDER BY s.state = 'sent' DESC, s.id LIMIT 1"
        );
        let found = self.conn.query_row(&sql, [file], send_record).optional()?;
        found.map(parsed).transpose()
    }

    /// See [`crate::history::History::record_fetched`].
    pub fn record_fetched(&mut self, f: &FetchedFile) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO fetched (name, host, size, sha256, local_path, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (
                &f.name,
                &f.host,
                to_i64(f.size),
                &f.sha256,
                &f.local_path,
                &f.fetched_at,
            ),
        )?;
        Ok(())
    }

    /// See [`crate::history::History::fetched`].
    pub fn fetched(&self, name: &str) -> Result<Option<FetchedFile>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, host, size, sha256, local_path, fetched_at FROM fetched WHERE name = ?1",
                [name],
                |r| {
                    Ok(FetchedFile {
                        name: r.get(0)?,
                        host: r.get(1)?,
                        size: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                        sha256: r.get(3)?,
                        local_path: r.get(4)?,
                        fetched_at: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }
}
