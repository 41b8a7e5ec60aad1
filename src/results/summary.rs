//! The summary an operator reads: counts per channel and code. Its serde form is the JSON
//! output (see `docs/results.md`).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;

use super::codes::{self, Table, Tag};
use super::columns::{Group, GROUP_ORDER};
use super::decode::{self, decode};
use super::join::Join;
use super::merge::Merged;
pub(crate) use super::ordered::Ordered;
use super::read::FileInfo;
use super::values::parse_amount;

/// How often one code occurs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeCount {
    pub meaning: String,
    pub known: bool,
    pub count: u64,
    /// PayLink channels: the status (v2 word) the code stands for; `4` is `paid` by SMS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
}

/// How often one PayLink status occurs, whichever way its codes were written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusCount {
    pub meaning: String,
    pub known: bool,
    pub count: u64,
    /// The codes counted under this status as the files wrote them (`4`, `paid`), with counts.
    pub codes: Ordered<u64>,
}

/// Counts codes, then lists them in table order (unknown codes last).
#[derive(Debug, Default)]
struct Tally(HashMap<String, (usize, CodeCount)>);

impl Tally {
    fn add(&mut self, code: &str, meaning: &str, known: bool, order: usize) {
        self.add_status(code, meaning, known, order, None);
    }

    fn add_status(
        &mut self,
        code: &str,
        meaning: &str,
        known: bool,
        order: usize,
        status: Option<&'static str>,
    ) {
        if let Some(e) = self.0.get_mut(code) {
            e.1.count += 1;
            return;
        }
        let count = CodeCount {
            meaning: meaning.to_string(),
            known,
            count: 1,
            status,
        };
        self.0.insert(code.to_string(), (order, count));
    }

    fn finish(self) -> Ordered<CodeCount> {
        let mut v: Vec<(String, (usize, CodeCount))> = self.0.into_iter().collect();
        v.sort_by(|a, b| (a.1 .0, &a.0).cmp(&(b.1 .0, &b.0)));
        Ordered(v.into_iter().map(|(k, (_, c))| (k, c)).collect())
    }
}

/// One channel (result group). Fields that do not apply to the channel are left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Channel {
    /// Group occurrences counted (e.g. calls to two numbers of one record count 2).
    pub entries: u64,
    /// Records with at least one entry in this channel (unmatched inbound calls not included).
    pub records: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voicemail: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_records: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_numbers: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_rate_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soft_bounces: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hard_bounces: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partially_paid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_amount_cents: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandates_given: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<Ordered<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<BTreeMap<String, BTreeMap<String, u64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Ordered<CodeCount>>,
    /// PayLink channels: `results` counted per status, a v1 integer under the v2 word it
    /// stands for (one row for `4` and `paid` by SMS), in the v2 table's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Ordered<StatusCount>>,
}

/// The PayLink file(s), merged by PayLink id.
#[derive(Debug, Clone, Serialize)]
pub struct PaylinkFile {
    pub paylinks: u64,
    pub paid: u64,
    /// Sum of `amount` of paid PayLinks, a decimal string such as `"123.45"`.
    pub paid_amount: String,
    pub partially_paid: u64,
    /// Sum of `amount` (the amount due, not the part paid) of partially paid PayLinks.
    pub partially_paid_amount: String,
    pub results: Ordered<CodeCount>,
    pub payment_methods: Ordered<CodeCount>,
    pub origins: BTreeMap<String, u64>,
}

/// Everything the JSON output holds.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub files: Vec<FileInfo>,
    pub records: u64,
    pub unmatched_inbound: u64,
    pub warnings: u64,
    pub channels: Ordered<Channel>,
    pub paylink_file: Option<PaylinkFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join: Option<Join>,
}

/// Quality bands of enriched numbers (1 = surely wrong, 100 = surely right).
const QUALITY_BANDS: [(&str, u64, u64); 3] =
    [("1-49", 1, 49), ("50-79", 50, 79), ("80-100", 80, 100)];

/// Builds the summary of merged results.
pub fn summarize(merged: &Merged, warnings: u64, join: Option<Join>) -> Summary {
    let mut channels: Vec<(Group, Channel, Tally)> = GROUP_ORDER
        .iter()
        .map(|g| (*g, new_channel(*g), Tally::default()))
        .collect();
    // A record's entries come one after the other, so "a new record for this channel" is "an
    // identifier other than the last one seen in this channel" (compared by address: cheap).
    let mut last: Vec<*const u8> = vec![std::ptr::null(); channels.len()];
    let mut last_reached: *const u8 = std::ptr::null();
    for (id, held) in merged.entries() {
        let e = &held.entry;
        let Some(i) = channels.iter().position(|(g, _, _)| *g == e.group) else {
            continue;
        };
        let (Some((_, ch, tally)), Some(last)) = (channels.get_mut(i), last.get_mut(i)) else {
            continue;
        };
        ch.entries += 1;
        if !id.is_empty() && *last != id.as_ptr() {
            *last = id.as_ptr();
            ch.records += 1;
        }
        let d = decode(e);
        if let Some(code) = &d.code {
            if e.group != Group::Custom {
                tally.add_status(code, d.meaning, d.known, d.order, d.status);
            }
        }
        let num = |f: &str| e.get(f).and_then(|v| v.parse::<u64>().ok());
        let bump = |slot: &mut Option<u64>, yes: bool| {
            if let Some(n) = slot {
                *n += u64::from(yes);
            }
        };
        match e.group {
            Group::Call => {
                add(&mut ch.attempts, num("ATTEMPTS").unwrap_or(0));
                add(&mut ch.duration_seconds, num("DURATION").unwrap_or(0));
                let dir = e.get("DIRECTION").unwrap_or("");
                bump(&mut ch.inbound, dir.eq_ignore_ascii_case("inbound"));
                bump(&mut ch.outbound, dir.eq_ignore_ascii_case("outbound"));
                bump(&mut ch.voicemail, e.get("VOICEMAIL") == Some("1"));
                bump(&mut ch.invalid_numbers, d.tag == Tag::InvalidNumber);
                if d.tag == Tag::Reached && !id.is_empty() && last_reached != id.as_ptr() {
                    last_reached = id.as_ptr();
                    add(&mut ch.reached_records, 1);
                }
            }
            Group::Sms => bump(&mut ch.delivered, d.tag == Tag::Delivered),
            Group::Mail => {
                bump(&mut ch.soft_bounces, d.tag == Tag::SoftBounce);
                bump(&mut ch.hard_bounces, d.tag == Tag::HardBounce);
            }
            Group::SmsPaylink | Group::MailPaylink => {
                bump(&mut ch.paid, d.tag == Tag::Paid);
                bump(&mut ch.partially_paid, d.tag == Tag::PartiallyPaid);
                add(
                    &mut ch.transaction_amount_cents,
                    num("TRANSACTION_AMOUNT").unwrap_or(0),
                );
            }
            Group::Emandate => bump(&mut ch.mandates_given, d.tag == Tag::MandateGiven),
            Group::Enrichment => {
                bump(&mut ch.numbers, e.get("NUMBER").is_some());
                if let Some(bands) = &mut ch.quality {
                    let q = num("QUALITY");
                    let band = QUALITY_BANDS
                        .iter()
                        .find(|(_, lo, hi)| q.is_some_and(|q| (*lo..=*hi).contains(&q)))
                        .map_or("unknown", |(name, _, _)| *name);
                    if let Some((_, n)) = bands.0.iter_mut().find(|(k, _)| k == band) {
                        *n += 1;
                    }
                }
            }
            Group::Custom => {
                if let Some(answers) = &mut ch.answers {
                    let q = e.get("IDENTIFIER").unwrap_or(decode::NO_CODE).to_string();
                    let v = e.get("VALUE").unwrap_or(decode::NO_CODE).to_string();
                    *answers.entry(q).or_default().entry(v).or_default() += 1;
                }
            }
            Group::SmsPaymentMethod | Group::MailPaymentMethod => {}
        }
    }
    let channels = channels
        .into_iter()
        .map(|(g, mut ch, tally)| {
            if ch.results.is_some() {
                let results = tally.finish();
                if matches!(g, Group::SmsPaylink | Group::MailPaylink) {
                    ch.statuses = Some(statuses(&results));
                }
                ch.results = Some(results);
            }
            if let Some(delivered) = ch.delivered {
                ch.delivery_rate_percent = Some(percent(delivered, ch.entries));
            }
            (g.channel().to_string(), ch)
        })
        .collect();
    Summary {
        files: merged.files.clone(),
        records: merged.records.len() as u64,
        unmatched_inbound: merged.unmatched.len() as u64,
        warnings,
        channels: Ordered(channels),
        paylink_file: paylink_file(merged),
        join,
    }
}

/// The PayLink results per status: each known code under the v2 word it stands for, in the v2
/// table's order; codes no table knows (and `(none)`) after them, each on its own.
fn statuses(results: &Ordered<CodeCount>) -> Ordered<StatusCount> {
    let mut rows: Vec<(usize, String, StatusCount)> = Vec::new();
    for (code, c) in &results.0 {
        let (key, meaning, order) = match c.status.and_then(|s| codes::lookup(Table::PaylinkV2, s))
        {
            Some(status) => (
                status.code.to_string(),
                status.meaning,
                decode::index_of(status),
            ),
            None => (code.clone(), c.meaning.as_str(), usize::MAX),
        };
        match rows.iter_mut().find(|(_, k, _)| *k == key) {
            Some((_, _, row)) => {
                row.count += c.count;
                row.codes.0.push((code.clone(), c.count));
            }
            None => rows.push((
                order,
                key,
                StatusCount {
                    meaning: meaning.to_string(),
                    known: c.known,
                    count: c.count,
                    codes: Ordered(vec![(code.clone(), c.count)]),
                },
            )),
        }
    }
    // Stable: unknown codes keep the order `results` gave them.
    rows.sort_by_key(|(order, _, _)| *order);
    Ordered(rows.into_iter().map(|(_, k, s)| (k, s)).collect())
}

fn add(slot: &mut Option<u64>, n: u64) {
    if let Some(total) = slot {
        *total = total.saturating_add(n);
    }
}

/// `part / whole` in percent, one decimal; 0 when `whole` is 0.
pub(crate) fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

fn new_channel(group: Group) -> Channel {
    let z = Some(0);
    let mut ch = Channel {
        results: Some(Ordered::default()),
        ..Channel::default()
    };
    match group {
        Group::Call => {
            (ch.attempts, ch.inbound, ch.outbound) = (z, z, z);
            (
                ch.duration_seconds,
                ch.voicemail,
                ch.reached_records,
                ch.invalid_numbers,
            ) = (z, z, z, z);
        }
        Group::Sms => ch.delivered = z,
        Group::Mail => (ch.soft_bounces, ch.hard_bounces) = (z, z),
        Group::SmsPaylink | Group::MailPaylink => {
            (ch.paid, ch.partially_paid, ch.transaction_amount_cents) = (z, z, z);
        }
        Group::Emandate => ch.mandates_given = z,
        Group::Enrichment => {
            ch.results = None;
            ch.numbers = z;
            let mut bands: Vec<(String, u64)> = QUALITY_BANDS
                .iter()
                .map(|(n, _, _)| (n.to_string(), 0))
                .collect();
            bands.push(("unknown".to_string(), 0));
            ch.quality = Some(Ordered(bands));
        }
        Group::Custom => {
            ch.results = None;
            ch.answers = Some(BTreeMap::new());
        }
        Group::SmsPaymentMethod | Group::MailPaymentMethod => {}
    }
    ch
}

fn paylink_file(merged: &Merged) -> Option<PaylinkFile> {
    if !merged.files.iter().any(|f| !f.kind.is_records()) {
        return None;
    }
    let (mut results, mut methods) = (Tally::default(), Tally::default());
    let mut origins: BTreeMap<String, u64> = BTreeMap::new();
    let (mut paid, mut partial, mut paid_amount, mut partial_amount) =
        (0, 0, Decimal::ZERO, Decimal::ZERO);
    let mut count = 0;
    for held in merged.paylink_rows() {
        count += 1;
        let row = &held.row;
        let (code, meaning, known, tag, order) = decode::paylink_file_status(row.get("status"));
        results.add(&code, meaning, known, order);
        let amount = parse_amount(row.get("amount")).unwrap_or(Decimal::ZERO);
        match tag {
            Tag::Paid => {
                paid += 1;
                paid_amount = paid_amount.checked_add(amount).unwrap_or(paid_amount);
            }
            Tag::PartiallyPaid => {
                partial += 1;
                partial_amount = partial_amount.checked_add(amount).unwrap_or(partial_amount);
            }
            _ => {}
        }
        let method = row.get("paymentMethod");
        if !method.is_empty() {
            let (code, meaning, known, order) = decode::payment_method(method);
            methods.add(&code, meaning, known, order);
        }
        let origin = row.get("origin");
        let origin = if origin.is_empty() {
            decode::NO_CODE
        } else {
            origin
        };
        *origins.entry(origin.to_ascii_lowercase()).or_default() += 1;
    }
    Some(PaylinkFile {
        paylinks: count,
        paid,
        paid_amount: paid_amount.to_string(),
        partially_paid: partial,
        partially_paid_amount: partial_amount.to_string(),
        results: results.finish(),
        payment_methods: methods.finish(),
        origins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_one_decimal() {
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(1, 0), 0.0);
    }
}
