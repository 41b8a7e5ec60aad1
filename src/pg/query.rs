//! Reading the PostgreSQL history: identifier look-ups, listing and showing deliveries.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use postgres::Row;

use super::error::{PgError, Result};
use super::{parse_state, PgHistory};
use crate::history::{DeliveredIdentifier, Delivery, PriorDelivery};

/// Identifiers looked up per statement.
const LOOKUP_BATCH: usize = 65_536;

const DELIVERY_COLUMNS: &str = "file, date, client, number, sha256, records, inputs::text,
     to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), state,
     to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), final_path, host";

impl PgHistory {
    /// See [`crate::history::History::find_delivered`]: batches of identifiers as one array
    /// each, in one read-only transaction. Each identifier of a batch looks up its latest
    /// delivery among this client's counting ones with one index probe (a nested loop the
    /// query's shape fixes: `LATERAL ... LIMIT 1` is never turned into a hash join, which the
    /// planner otherwise picks for a large batch and which reads the whole table; see
    /// docs/decisions.md). Only the hits come back, as (position in the batch, delivery, row).
    pub(super) fn find(
        &self,
        client: &str,
        identifiers: &mut dyn Iterator<Item = &str>,
    ) -> Result<HashMap<String, PriorDelivery>> {
        let mut conn = self.conn();
        let mut tx = conn.build_transaction().read_only(true).start()?;
        let mut deliveries: HashMap<i64, (Arc<str>, NaiveDate)> = HashMap::new();
        for r in tx.query(
            "SELECT id, file, date FROM deliveries
             WHERE client = $1 AND state IN ('pending', 'delivered')",
            &[&client],
        )? {
            deliveries.insert(r.get(0), (Arc::from(r.get::<_, &str>(1)), r.get(2)));
        }
        if deliveries.is_empty() {
            return Ok(HashMap::new());
        }
        let counting: Vec<i64> = deliveries.keys().copied().collect();
        let stmt = tx.prepare(
            "SELECT b.pos, l.delivery_id, l.row
             FROM unnest($1::text[]) WITH ORDINALITY AS b (identifier, pos)
             CROSS JOIN LATERAL (
                 SELECT i.delivery_id, i.row FROM identifiers i
                 WHERE i.identifier = b.identifier AND i.delivery_id = ANY($2::int8[])
                 ORDER BY i.delivery_id DESC LIMIT 1
             ) AS l",
        )?;
        let mut found = HashMap::new();
        let mut identifiers = identifiers.peekable();
        while identifiers.peek().is_some() {
            let batch: Vec<&str> = identifiers.by_ref().take(LOOKUP_BATCH).collect();
            for r in tx.query(&stmt, &[&batch, &counting])? {
                // ORDINALITY counts from 1.
                let at = usize::try_from(r.get::<_, i64>(0) - 1)
                    .ok()
                    .and_then(|at| batch.get(at));
                let (Some(identifier), Some((file, date))) =
                    (at, deliveries.get(&r.get::<_, i64>(1)))
                else {
                    return Err(PgError::Corrupt("an identifier look-up's answer".into()));
                };
                // An identifier given twice in a run has one answer: the later one is the same.
                found.insert(
                    identifier.to_string(),
                    PriorDelivery {
                        file: Arc::clone(file),
                        date: *date,
                        row: u64::try_from(r.get::<_, i64>(2)).unwrap_or(0),
                    },
                );
            }
        }
        tx.commit()?;
        Ok(found)
    }

    pub(super) fn list_deliveries(
        &self,
        client: Option<&str>,
        since: Option<NaiveDate>,
        all: bool,
    ) -> Result<Vec<Delivery>> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries
             WHERE ($1::text IS NULL OR client = $1) AND ($2::date IS NULL OR date >= $2)
               AND ($3 OR state IN ('pending', 'delivered'))
             ORDER BY date, client, number"
        );
        let rows = self.conn().query(&sql, &[&client, &since, &all])?;
        rows.iter().map(delivery).collect()
    }

    pub(super) fn show_delivery(
        &self,
        file: &str,
    ) -> Result<Option<(Delivery, Vec<DeliveredIdentifier>)>> {
        let mut conn = self.conn();
        let sql = format!("SELECT id, {DELIVERY_COLUMNS} FROM deliveries WHERE file = $1");
        let Some(row) = conn.query_opt(&sql, &[&file])? else {
            return Ok(None);
        };
        let id: i64 = row.get(0);
        let d = delivery_at(&row, 1)?;
        let ids = conn
            .query(
                "SELECT identifier, row FROM identifiers WHERE delivery_id = $1
                 ORDER BY row, identifier",
                &[&id],
            )?
            .iter()
            .map(|r| DeliveredIdentifier {
                identifier: r.get(0),
                row: u64::try_from(r.get::<_, i64>(1)).unwrap_or(0),
            })
            .collect();
        Ok(Some((d, ids)))
    }
}

fn delivery(r: &Row) -> Result<Delivery> {
    delivery_at(r, 0)
}

fn delivery_at(r: &Row, at: usize) -> Result<Delivery> {
    let file: String = r.get(at);
    let inputs: String = r.get(at + 6);
    Ok(Delivery {
        inputs: serde_json::from_str(&inputs)
            .map_err(|e| PgError::Corrupt(format!("inputs of {file}: {e}")))?,
        date: r.get(at + 1),
        client: r.get(at + 2),
        number: u32::try_from(r.get::<_, i32>(at + 3)).unwrap_or(0),
        sha256: r.get(at + 4),
        records: u64::try_from(r.get::<_, i64>(at + 5)).unwrap_or(0),
        created_at: r.get(at + 7),
        state: parse_state(r.get(at + 8))?,
        changed_at: r.get(at + 9),
        path: r.get(at + 10),
        host: Some(r.get(at + 11)),
        file,
    })
}
