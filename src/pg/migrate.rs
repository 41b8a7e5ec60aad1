//! `history migrate --to URL`: copying a local history into PostgreSQL.
//!
//! Idempotent: a delivery already there under the same name with the same content
//! (client, date, number, SHA-256) is skipped. Two histories that gave one name, or one
//! client/date/number, to different files are refused before anything is written: the
//! numbering could no longer promise names that are never reused. All in one transaction.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;

use super::error::{PgError, Result};
use super::PgHistory;
use crate::history::{DeliveryState, History};

/// What a migration did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Migrated {
    /// Deliveries copied.
    pub copied: u64,
    /// Deliveries that were there already.
    pub skipped: u64,
    /// Identifiers copied.
    pub identifiers: u64,
}

/// Why a migration was refused.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the local history has a pending delivery, {0}: run a convert (or 'collectmaxx history list') on this machine first so that it is settled, then migrate")]
    Pending(String),
    #[error("both histories have a delivery {what}, but of different files (local {local}, shared {shared}): they cannot be merged without giving one name to two files. Forget one of them ('collectmaxx history forget') if it was never sent, or keep the histories apart")]
    Conflict {
        what: String,
        local: String,
        shared: String,
    },
}

/// Copies every delivery of `from` (any state) with its identifiers into `to`.
pub fn migrate_from_sqlite(
    from: &dyn History,
    to: &PgHistory,
) -> Result<Migrated, crate::history::Error> {
    let all = from.list(None, None, true)?;
    if let Some(p) = all.iter().find(|d| d.state == DeliveryState::Pending) {
        return Err(crate::history::Error::new(MigrateError::Pending(
            p.file.clone(),
        )));
    }
    let mut conn = to.conn();
    let mut tx = conn.transaction().map_err(PgError::from)?;
    let (v, by) = super::schema::version(&mut tx)?;
    super::schema::refuse_newer(v, by)?;
    let mut done = Migrated::default();
    let mut copy = Vec::new();
    for d in &all {
        let number = d.number as i32;
        let found = tx
            .query_opt(
                "SELECT file, client, date, number, sha256 FROM deliveries
                 WHERE file = $1 OR (client = $2 AND date = $3 AND number = $4) LIMIT 1",
                &[&d.file, &d.client, &d.date, &number],
            )
            .map_err(PgError::from)?;
        match found {
            None => copy.push(d),
            Some(r) => {
                let same = r.get::<_, &str>(0) == d.file
                    && r.get::<_, &str>(1) == d.client
                    && r.get::<_, chrono::NaiveDate>(2) == d.date
                    && r.get::<_, i32>(3) == number
                    && r.get::<_, &str>(4) == d.sha256;
                if !same {
                    return Err(crate::history::Error::new(MigrateError::Conflict {
                        what: format!(
                            "{} of client {} numbered {} on {}",
                            d.file, d.client, d.number, d.date
                        ),
                        local: format!("{} sha256 {}", d.file, d.sha256),
                        shared: format!("{} sha256 {}", r.get::<_, &str>(0), r.get::<_, &str>(4)),
                    }));
                }
                done.skipped += 1;
            }
        }
    }
    for d in copy {
        let ids = from.show(&d.file)?.map(|(_, ids)| ids).unwrap_or_default();
        let inputs =
            serde_json::to_string(&d.inputs).map_err(|e| PgError::Corrupt(e.to_string()))?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO deliveries (file, date, client, number, sha256, records, inputs,
                                         created_at, state, changed_at, final_path, host, pid)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::timestamptz, $9,
                         $10::text::timestamptz, $11, $12, $13)
                 RETURNING id",
                &[
                    &d.file,
                    &d.date,
                    &d.client,
                    &(d.number as i32),
                    &d.sha256,
                    &(d.records as i64),
                    &inputs,
                    &d.created_at,
                    &d.state.name(),
                    &d.changed_at,
                    &d.path,
                    &to.host,
                    &to.pid,
                ],
            )
            .map_err(PgError::from)?
            .get(0);
        if !ids.is_empty() {
            let sink = tx
                .copy_in(
                    "COPY identifiers (identifier, delivery_id, row) FROM STDIN (FORMAT binary)",
                )
                .map_err(PgError::from)?;
            let mut w = BinaryCopyInWriter::new(sink, &[Type::TEXT, Type::INT8, Type::INT8]);
            for i in &ids {
                w.write(&[&i.identifier, &id, &(i.row as i64)])
                    .map_err(PgError::from)?;
            }
            w.finish().map_err(PgError::from)?;
        }
        done.copied += 1;
        done.identifiers += ids.len() as u64;
    }
    tx.commit().map_err(PgError::from)?;
    Ok(done)
}
