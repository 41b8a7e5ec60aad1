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
    /// each, one index probe per identifier, in one read-only transaction.
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
        let mut latest: HashMap<String, (i64, PriorDelivery)> = HashMap::new();
        if deliveries.is_empty() {
            return Ok(HashMap::new());
        }
        let stmt = tx.prepare(
            "SELECT identifier, delivery_id, row FROM identifiers
             WHERE identifier = ANY($1::text[])",
        )?;
        let mut identifiers = identifiers.peekable();
        while identifiers.peek().is_some() {
            let batch: Vec<&str> = identifiers.by_ref().take(LOOKUP_BATCH).collect();
            for r in tx.query(&stmt, &[&batch])? {
                let delivery: i64 = r.get(1);
                let Some((file, date)) = deliveries.get(&delivery) else {
                    continue;
                };
                let prior = PriorDelivery {
                    file: Arc::clone(file),
                    date: *date,
                    row: u64::try_from(r.get::<_, i64>(2)).unwrap_or(0),
                };
                let identifier: String = r.get(0);
                // A later delivery of the same identifier (a re-send) is the one to name.
                match latest.get(&identifier) {
                    Some((d, _)) if *d >= delivery => {}
                    _ => {
                        latest.insert(identifier, (delivery, prior));
                    }
                }
            }
        }
        tx.commit()?;
        Ok(latest.into_iter().map(|(k, (_, p))| (k, p)).collect())
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
