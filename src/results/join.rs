//! Reconciling results with a delivery: who has a result, who has none yet, and which results
//! belong to no delivered record.
//!
//! [`reconcile`] takes the delivered identifiers from any source. Today they come from a
//! delivery CSV ([`delivered_identifiers`]); once the local delivery history exists, a delivery
//! name can be looked up there and handed to the same function.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Serialize;

use super::columns::GROUP_ORDER;
use super::decode::decode;
use super::merge::{Held, Merged};
use super::ordered::Ordered;
use super::read::ReadError;
use crate::registry::well_known;

/// A record's latest entry in one channel.
#[derive(Debug, Clone, Serialize)]
pub struct Latest {
    pub occurrence: u32,
    pub code: Option<String>,
    pub meaning: String,
    pub time: Option<String>,
    pub file: String,
}

/// One delivered record that has results.
#[derive(Debug, Clone, Serialize)]
pub struct JoinRecord {
    pub identifier: String,
    pub latest: Ordered<Latest>,
}

/// The reconciliation.
#[derive(Debug, Clone, Serialize)]
pub struct Join {
    pub delivery: String,
    /// Distinct identifiers in the delivery.
    pub delivered: u64,
    pub with_results: u64,
    /// Delivered identifiers without any result yet, in delivery order.
    pub without_results: Vec<String>,
    /// Identifiers with results that the delivery does not hold, sorted.
    pub not_delivered: Vec<String>,
    /// The delivered records with results, in delivery order, with their latest result per
    /// channel.
    pub records: Vec<JoinRecord>,
}

/// Reconciles merged results with the identifiers of a delivery (`delivery` names it).
pub fn reconcile(merged: &Merged, delivery: &str, delivered: &[String]) -> Join {
    let mut seen: HashSet<&str> = HashSet::with_capacity(delivered.len());
    let mut without = Vec::new();
    let mut records = Vec::new();
    for id in delivered {
        if !seen.insert(id.as_str()) {
            continue;
        }
        match merged.records.get(id) {
            Some(record) => records.push(JoinRecord {
                identifier: id.clone(),
                latest: latest_per_channel(merged, record.entries.values()),
            }),
            None => without.push(id.clone()),
        }
    }
    let mut not_delivered: Vec<String> = merged
        .records
        .keys()
        .filter(|id| !seen.contains(id.as_str()))
        .cloned()
        .collect();
    not_delivered.sort_unstable();
    Join {
        delivery: delivery.to_string(),
        delivered: seen.len() as u64,
        with_results: records.len() as u64,
        without_results: without,
        not_delivered,
        records,
    }
}

/// Per channel, the occurrence with the latest key (file days, TIME, reading order).
fn latest_per_channel<'a>(
    merged: &Merged,
    entries: impl Iterator<Item = &'a Held>,
) -> Ordered<Latest> {
    let mut best: Vec<Option<&Held>> = vec![None; GROUP_ORDER.len()];
    for h in entries {
        let Some(slot) = GROUP_ORDER
            .iter()
            .position(|g| *g == h.entry.group)
            .and_then(|i| best.get_mut(i))
        else {
            continue;
        };
        if slot.is_none_or(|b| h.key > b.key) {
            *slot = Some(h);
        }
    }
    Ordered(
        GROUP_ORDER
            .iter()
            .zip(best)
            .filter_map(|(g, h)| {
                let h = h?;
                let d = decode(&h.entry);
                let time = h.entry.get("TIME").or_else(|| h.entry.get("LAST_VERIFIED"));
                Some((
                    g.channel().to_string(),
                    Latest {
                        occurrence: h.entry.occurrence,
                        code: d.code.map(|c| c.into_owned()),
                        meaning: d.meaning.to_string(),
                        time: time.map(str::to_string),
                        file: merged
                            .files
                            .get(h.file)
                            .map(|f| f.file.clone())
                            .unwrap_or_default(),
                    },
                ))
            })
            .collect(),
    )
}

/// The identifiers of a delivery CSV (`;`-separated, quoted, header of field names), in file
/// order, blanks left out.
pub fn delivered_identifiers(path: &Path) -> Result<Vec<String>, ReadError> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|e| {
        ReadError::new(
            &shown,
            format!("cannot open the delivery: {e} (only delivery files can be joined; delivery names from a local history are not supported yet)"),
        )
    })?;
    let mut buf = BufReader::new(file);
    let head = buf
        .fill_buf()
        .map_err(|e| ReadError::new(&shown, format!("cannot read: {e}")))?;
    let first = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let delimiter = if !first.contains(&b';') && first.contains(&b',') {
        b','
    } else {
        b';'
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(buf);
    let wanted = well_known::identifier().column();
    let header = reader
        .byte_headers()
        .map_err(|e| ReadError::new(&shown, format!("cannot read the header: {e}")))?;
    let column = header
        .iter()
        .position(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(wanted)
        })
        .ok_or_else(|| ReadError::new(&shown, format!("the delivery has no {wanted} column")))?;
    let mut ids = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                if let Some(cell) = record.get(column) {
                    let id = String::from_utf8_lossy(cell).trim().to_string();
                    if !id.is_empty() {
                        ids.push(id);
                    }
                }
            }
            Ok(false) => break,
            Err(e) if e.is_io_error() => {
                return Err(ReadError::new(&shown, format!("cannot read: {e}")));
            }
            Err(_) => continue,
        }
    }
    Ok(ids)
}
