//! Reading the history: identifier look-ups, listing and showing deliveries.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};

use super::error::{Result, StateError};
use super::{parse_state, SqliteHistory};
use crate::history::{DeliveredIdentifier, Delivery, PriorDelivery};

const DELIVERY_COLUMNS: &str =
    "file, date, client, number, sha256, records, inputs, created_at, state, changed_at, final_path";

/// Identifiers looked up per statement: large enough that statement overhead does not count,
/// small enough that the JSON batch stays a few MiB.
pub(crate) const LOOKUP_BATCH: usize = 65_536;

impl SqliteHistory {
    /// See [`crate::history::History::find_delivered`].
    ///
    /// Runs one indexed look-up per identifier in a single read transaction, in batches of
    /// [`LOOKUP_BATCH`]; a million identifiers take about a second (see docs/decisions.md).
    pub fn find_delivered<S: AsRef<str>>(
        &self,
        client: &str,
        identifiers: impl IntoIterator<Item = S>,
    ) -> Result<HashMap<String, PriorDelivery>> {
        let found = HashMap::new();
        let tx = self.conn.unchecked_transaction()?;
        // The deliveries that count, by id: few (one a run), so they are read once and the
        // look-up below returns only ids and rows.
        let deliveries: HashMap<i64, (Arc<str>, NaiveDate)> = {
            let mut stmt = tx.prepare(
                "SELECT id, file, date FROM deliveries
                 WHERE client = ?1 AND state IN ('pending', 'delivered')",
            )?;
            let rows = stmt.query_map([client], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut map = HashMap::new();
            for row in rows {
                let (id, file, date) = row?;
                map.insert(id, (Arc::from(file), parse_date(&date)?));
            }
            map
        };
        if deliveries.is_empty() {
            return Ok(found);
        }
        // A batch goes in as one JSON array, so the look-ups run inside SQLite instead of one
        // statement round trip per identifier.
        let mut stmt = tx.prepare(
            // CROSS JOIN keeps the batch as the outer loop: one index look-up per identifier.
            "SELECT i.identifier, i.delivery_id, i.row
             FROM json_each(?1) AS j
             CROSS JOIN identifiers AS i ON i.identifier = j.value",
        )?;
        let mut latest: HashMap<String, (i64, PriorDelivery)> = HashMap::new();
        let mut identifiers = identifiers.into_iter().peekable();
        while identifiers.peek().is_some() {
            let batch: Vec<S> = identifiers.by_ref().take(LOOKUP_BATCH).collect();
            let batch: Vec<&str> = batch.iter().map(AsRef::as_ref).collect();
            let batch = serde_json::to_string(&batch)
                .map_err(|e| StateError::Corrupt(format!("identifier batch: {e}")))?;
            let mut rows = stmt.query([&batch])?;
            while let Some(r) = rows.next()? {
                let delivery: i64 = r.get(1)?;
                // Only this client's pending and delivered deliveries count (forgotten and
                // abandoned ones have no identifiers left).
                let Some((file, date)) = deliveries.get(&delivery) else {
                    continue;
                };
                let prior = PriorDelivery {
                    file: Arc::clone(file),
                    date: *date,
                    row: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                };
                // A later delivery of the same identifier (a re-send) is the one to name.
                match latest.entry(r.get(0)?) {
                    Entry::Occupied(mut e) => {
                        if e.get().0 < delivery {
                            e.insert((delivery, prior));
                        }
                    }
                    Entry::Vacant(e) => {
                        e.insert((delivery, prior));
                    }
                }
            }
        }
        drop(stmt);
        tx.finish()?;
        Ok(latest.into_iter().map(|(id, (_, p))| (id, p)).collect())
    }

    /// Deliveries, oldest first; of `client` only, and from `since` on, when given. Forgotten
    /// and abandoned ones only with `all`.
    pub(crate) fn list(
        &self,
        client: Option<&str>,
        since: Option<NaiveDate>,
        all: bool,
    ) -> Result<Vec<Delivery>> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries
             WHERE (?1 IS NULL OR client = ?1) AND (?2 IS NULL OR date >= ?2)
               AND (?3 OR state IN ('pending', 'delivered'))
             ORDER BY date, client, number"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map((client, since.map(|d| d.to_string()), all), raw_delivery)?;
        let mut out = Vec::new();
        for raw in rows {
            out.push(raw?.parse()?);
        }
        Ok(out)
    }

    /// A delivery and its identifiers (in row order), by file name.
    pub fn show(&self, file: &str) -> Result<Option<(Delivery, Vec<DeliveredIdentifier>)>> {
        let sql = format!("SELECT id, {DELIVERY_COLUMNS} FROM deliveries WHERE file = ?1");
        let found = self
            .conn
            .query_row(&sql, [file], |r| {
                Ok((r.get::<_, i64>(0)?, raw_delivery_at(r, 1)?))
            })
            .optional()?;
        let Some((id, raw)) = found else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT identifier, row FROM identifiers WHERE delivery_id = ?1 ORDER BY row, identifier",
        )?;
        let ids = stmt
            .query_map([id], |r| {
                Ok(DeliveredIdentifier {
                    identifier: r.get(0)?,
                    row: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some((raw.parse()?, ids)))
    }
}

/// A deliveries row as stored, before its text columns are parsed.
struct RawDelivery {
    file: String,
    date: String,
    client: String,
    number: u32,
    sha256: String,
    records: i64,
    inputs: String,
    created_at: String,
    state: String,
    changed_at: Option<String>,
    path: Option<String>,
}

fn raw_delivery(r: &Row<'_>) -> rusqlite::Result<RawDelivery> {
    raw_delivery_at(r, 0)
}

fn raw_delivery_at(r: &Row<'_>, at: usize) -> rusqlite::Result<RawDelivery> {
    Ok(RawDelivery {
        file: r.get(at)?,
        date: r.get(at + 1)?,
        client: r.get(at + 2)?,
        number: r.get(at + 3)?,
        sha256: r.get(at + 4)?,
        records: r.get(at + 5)?,
        inputs: r.get(at + 6)?,
        created_at: r.get(at + 7)?,
        state: r.get(at + 8)?,
        changed_at: r.get(at + 9)?,
        path: r.get(at + 10)?,
    })
}

impl RawDelivery {
    fn parse(self) -> Result<Delivery> {
        Ok(Delivery {
            date: parse_date(&self.date)?,
            inputs: serde_json::from_str(&self.inputs)
                .map_err(|e| StateError::Corrupt(format!("inputs of {}: {e}", self.file)))?,
            state: parse_state(&self.state)?,
            records: u64::try_from(self.records).unwrap_or(0),
            file: self.file,
            client: self.client,
            number: self.number,
            sha256: self.sha256,
            created_at: self.created_at,
            changed_at: self.changed_at,
            path: self.path,
            host: None,
        })
    }
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StateError::Corrupt(format!("date '{s}'")))
}
