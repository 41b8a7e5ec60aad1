//! Recording sends of deliveries and fetched result files, as the SQLite history does
//! (`src/state/sends.rs`): a send is `sending` before the upload and `sent` after the rename.

use postgres::Row;

use super::error::{PgError, Result};
use super::{to_i64, PgHistory};
use crate::history::{FetchedFile, NewSend, SendRecord, SendState};

/// RFC 3339 UTC to the second, the form the SQLite history stores.
macro_rules! utc {
    ($col:literal) => {
        concat!(
            "to_char(",
            $col,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        )
    };
}

const SEND_COLUMNS: &str = concat!(
    "d.file, s.state, s.host, s.remote_path, s.size, ",
    utc!("s.started_at"),
    ", ",
    utc!("s.sent_at")
);

fn send_record(r: &Row) -> Result<SendRecord> {
    let state: String = r.get(1);
    Ok(SendRecord {
        file: r.get(0),
        state: SendState::from_name(&state)
            .ok_or_else(|| PgError::Corrupt(format!("send state '{state}'")))?,
        host: r.get(2),
        remote_path: r.get(3),
        size: u64::try_from(r.get::<_, i64>(4)).unwrap_or(0),
        started_at: r.get(5),
        sent_at: r.get(6),
    })
}

impl PgHistory {
    /// See [`crate::history::History::begin_send`].
    pub(super) fn begin_send_of(&self, send: &NewSend) -> Result<()> {
        let n = self.conn().execute(
            "INSERT INTO sends (delivery_id, state, host, remote_path, size)
             SELECT id, 'sending', $2, $3, $4 FROM deliveries WHERE file = $1",
            &[
                &send.file,
                &send.host,
                &send.remote_path,
                &to_i64(send.size),
            ],
        )?;
        if n == 0 {
            return Err(PgError::UnknownFile(send.file.clone()));
        }
        Ok(())
    }

    /// See [`crate::history::History::confirm_send`].
    pub(super) fn confirm_send_of(&self, file: &str) -> Result<SendRecord> {
        let n = self.conn().execute(
            "UPDATE sends SET state = 'sent', sent_at = now()
             WHERE state = 'sending' AND delivery_id = (SELECT id FROM deliveries WHERE file = $1)",
            &[&file],
        )?;
        if n == 0 {
            return Err(PgError::NoSend(file.into()));
        }
        self.latest_send(file)?
            .ok_or_else(|| PgError::NoSend(file.into()))
    }

    /// See [`crate::history::History::abandon_send`].
    pub(super) fn abandon_send_of(&self, file: &str) -> Result<()> {
        self.conn().execute(
            "DELETE FROM sends
             WHERE state = 'sending' AND delivery_id = (SELECT id FROM deliveries WHERE file = $1)",
            &[&file],
        )?;
        Ok(())
    }

    /// See [`crate::history::History::sent_of`].
    pub(super) fn latest_send(&self, file: &str) -> Result<Option<SendRecord>> {
        let sql = format!(
            "SELECT {SEND_COLUMNS} FROM sends s JOIN deliveries d ON d.id = s.delivery_id
             WHERE d.file = $1 ORDER BY s.id DESC LIMIT 1"
        );
        let row = self.conn().query_opt(&sql, &[&file])?;
        row.as_ref().map(send_record).transpose()
    }

    /// The first `sent` record of `file`: a delivery sent cannot be forgotten.
    pub(super) fn first_send(&self, file: &str) -> Result<Option<SendRecord>> {
        let sql = format!(
            "SELECT {SEND_COLUMNS} FROM sends s JOIN deliveries d ON d.id = s.delivery_id
             WHERE d.file = $1 ORDER BY s.state = 'sent' DESC, s.id LIMIT 1"
        );
        let row = self.conn().query_opt(&sql, &[&file])?;
        row.as_ref().map(send_record).transpose()
    }

    /// See [`crate::history::History::sending`]. Every host's: the server, not a file
    /// system, tells whether an upload arrived.
    pub(super) fn sends_in_progress(&self) -> Result<Vec<SendRecord>> {
        let sql = format!(
            "SELECT {SEND_COLUMNS} FROM sends s JOIN deliveries d ON d.id = s.delivery_id
             WHERE s.state = 'sending' ORDER BY s.id"
        );
        let rows = self.conn().query(&sql, &[])?;
        rows.iter().map(send_record).collect()
    }

    /// See [`crate::history::History::record_fetched`].
    pub(super) fn record_fetched_file(&self, f: &FetchedFile) -> Result<()> {
        self.conn().execute(
            "INSERT INTO fetched (name, host, size, sha256, local_path, fetched_at)
             VALUES ($1, $2, $3, $4, $5, $6::text::timestamptz)
             ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, size = EXCLUDED.size,
               sha256 = EXCLUDED.sha256, local_path = EXCLUDED.local_path,
               fetched_at = EXCLUDED.fetched_at",
            &[
                &f.name,
                &f.host,
                &to_i64(f.size),
                &f.sha256,
                &f.local_path,
                &f.fetched_at,
            ],
        )?;
        Ok(())
    }

    /// See [`crate::history::History::fetched`].
    pub(super) fn fetched_file(&self, name: &str) -> Result<Option<FetchedFile>> {
        let sql = concat!(
            "SELECT name, host, size, sha256, local_path, ",
            utc!("fetched_at"),
            " FROM fetched WHERE name = $1"
        );
        let row = self.conn().query_opt(sql, &[&name])?;
        Ok(row.map(|r| FetchedFile {
            name: r.get(0),
            host: r.get(1),
            size: u64::try_from(r.get::<_, i64>(2)).unwrap_or(0),
            sha256: r.get(3),
            local_path: r.get(4),
            fetched_at: r.get(5),
        }))
    }
}
