//! Renders results: an operator's table, the JSON summary, or one CSV row per entry.

use std::fmt::Write as _;
use std::io::Write;

use rust_decimal::Decimal;

use super::decode::{self, address_field, code_field, decode};
use super::join::Join;
use super::merge::{Held, Merged};
use super::summary::{percent, Channel, CodeCount, Ordered, StatusCount, Summary};

/// The JSON summary, pretty-printed, with a final newline.
pub fn json(summary: &Summary) -> String {
    let mut s =
        serde_json::to_string_pretty(summary).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn title(channel: &str) -> &'static str {
    match channel {
        "call" => "Calls",
        "sms" => "SMS",
        "sms_paylink" => "PayLinks sent by SMS",
        "sms_payment_method" => "Payment methods of PayLinks sent by SMS",
        "mail" => "E-mails",
        "mail_paylink" => "PayLinks sent by e-mail",
        "mail_payment_method" => "Payment methods of PayLinks sent by e-mail",
        "emandate" => "E-mandates",
        "enrichment" => "Enriched phone numbers",
        "custom" => "Custom results",
        _ => "Other",
    }
}

/// How many identifiers a table lists before it says "and N more".
const LISTED: usize = 10;

/// The operator's table.
pub fn table(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Result files: {}", summary.files.len());
    for f in &summary.files {
        let days = match (f.from, f.to) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}..{b}"),
            _ => "-".to_string(),
        };
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(out, "  {kind:<8} {days:<22} {:>7} rows  {}", f.rows, f.file);
        if f.malformed_rows > 0 {
            let _ = writeln!(
                out,
                "           {} malformed rows skipped or read with replacement characters",
                f.malformed_rows
            );
        }
        if !f.unknown_columns.is_empty() {
            let _ = writeln!(
                out,
                "           unknown columns (kept, not decoded): {}",
                f.unknown_columns.join(", ")
            );
        }
        if !f.repeated_columns.is_empty() {
            let _ = writeln!(
                out,
                "           repeated columns (first non-empty value used): {}",
                f.repeated_columns.join(", ")
            );
        }
    }
    let _ = writeln!(
        out,
        "Records: {}   Unmatched inbound calls: {}   Warnings: {}",
        summary.records, summary.unmatched_inbound, summary.warnings
    );
    for (name, ch) in &summary.channels.0 {
        out.push('\n');
        channel(&mut out, name, ch);
    }
    if let Some(p) = &summary.paylink_file {
        out.push('\n');
        let _ = writeln!(
            out,
            "PayLink file: {} PayLinks; paid {} ({}); partially paid {} ({} due)",
            p.paylinks, p.paid, p.paid_amount, p.partially_paid, p.partially_paid_amount
        );
        codes(&mut out, &p.results, p.paylinks);
        if !p.payment_methods.0.is_empty() {
            let _ = writeln!(out, "  payment methods:");
            let total = p.payment_methods.0.iter().map(|(_, c)| c.count).sum();
            codes(&mut out, &p.payment_methods, total);
        }
        let origins: Vec<String> = p.origins.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(out, "  origin: {}", origins.join(", "));
    }
    if let Some(j) = &summary.join {
        out.push('\n');
        join(&mut out, j);
    }
    out
}

fn channel(out: &mut String, name: &str, ch: &Channel) {
    let t = title(name);
    if ch.entries == 0 {
        let _ = writeln!(out, "{t}: none");
        return;
    }
    let mut facts = Vec::new();
    let mut fact = |label: &str, v: Option<u64>| {
        if let Some(v) = v {
            facts.push(format!("{label} {v}"));
        }
    };
    fact("attempts", ch.attempts);
    fact("last inbound", ch.inbound);
    fact("last outbound", ch.outbound);
    fact("seconds connected", ch.duration_seconds);
    fact("voicemail", ch.voicemail);
    fact("records reached", ch.reached_records);
    fact("invalid numbers", ch.invalid_numbers);
    fact("delivered", ch.delivered);
    fact("soft bounces", ch.soft_bounces);
    fact("hard bounces", ch.hard_bounces);
    fact("paid", ch.paid);
    fact("partially paid", ch.partially_paid);
    fact("mandates given", ch.mandates_given);
    fact("numbers", ch.numbers);
    if let Some(rate) = ch.delivery_rate_percent {
        facts.push(format!("delivery rate {rate:.1}%"));
    }
    if let Some(cents) = ch.transaction_amount_cents {
        facts.push(format!(
            "first-term amounts {}",
            Decimal::new(i64::try_from(cents).unwrap_or(i64::MAX), 2)
        ));
    }
    let _ = writeln!(
        out,
        "{t}: {} for {}",
        plural(ch.entries, "entry", "entries"),
        plural(ch.records, "record", "records")
    );
    if !facts.is_empty() {
        let _ = writeln!(out, "  {}", facts.join("; "));
    }
    match (&ch.statuses, &ch.results) {
        (Some(statuses), _) => status_rows(out, statuses, ch.entries),
        (None, Some(results)) => codes(out, results, ch.entries),
        (None, None) => {}
    }
    if let Some(q) = &ch.quality {
        let bands: Vec<String> = q.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let _ = writeln!(out, "  quality {}", bands.join(", "));
    }
    if let Some(answers) = &ch.answers {
        for (question, values) in answers {
            let vals: Vec<String> = values
                .iter()
                .map(|(k, v)| format!("answer {k} ×{v}"))
                .collect();
            let _ = writeln!(out, "  question {question}: {}", vals.join(", "));
        }
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn codes(out: &mut String, results: &Ordered<CodeCount>, total: u64) {
    let rows = results
        .0
        .iter()
        .map(|(code, c)| (code.as_str(), c.count, c.meaning.clone()));
    count_rows(out, "code", rows.collect(), total);
}

/// PayLink results, one row per status; a status counted from v1 integers says how many.
fn status_rows(out: &mut String, statuses: &Ordered<StatusCount>, total: u64) {
    let rows = statuses.0.iter().map(|(status, s)| {
        let written: Vec<String> = s
            .codes
            .0
            .iter()
            .filter(|(code, _)| code != status)
            .map(|(code, n)| format!("{n} as v1 code {code}"))
            .collect();
        let meaning = if written.is_empty() || !s.known {
            s.meaning.clone()
        } else {
            format!("{} ({})", s.meaning, written.join(", "))
        };
        (status.as_str(), s.count, meaning)
    });
    count_rows(out, "status", rows.collect(), total);
}

/// A table of (key, count, meaning) rows under a `label` column, with each count's share.
fn count_rows(out: &mut String, label: &str, rows: Vec<(&str, u64, String)>, total: u64) {
    let width = rows
        .iter()
        .map(|(k, _, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(label.len());
    let _ = writeln!(
        out,
        "  {label:>width$}  {:>7}  {:>6}  meaning",
        "count", "share"
    );
    for (key, count, meaning) in rows {
        let share = format!("{:.1}%", percent(count, total));
        let _ = writeln!(out, "  {key:>width$}  {count:>7}  {share:>6}  {meaning}");
    }
}

fn join(out: &mut String, j: &Join) {
    let _ = writeln!(
        out,
        "Join with {}: {} delivered, {} with results, {} without results yet, {} with results but never delivered",
        j.delivery,
        j.delivered,
        j.with_results,
        j.without_results.len(),
        j.not_delivered.len()
    );
    list(out, "without results yet", &j.without_results);
    list(out, "never delivered", &j.not_delivered);
    if !j.records.is_empty() {
        let _ = writeln!(out, "  latest result per channel:");
    }
    for r in j.records.iter().take(LISTED) {
        let parts: Vec<String> = r
            .latest
            .0
            .iter()
            .map(|(ch, l)| match &l.code {
                Some(code) if !l.meaning.is_empty() => format!("{ch} {code} [{}]", l.meaning),
                Some(code) => format!("{ch} {code}"),
                None => ch.clone(),
            })
            .collect();
        let _ = writeln!(out, "    {}: {}", r.identifier, parts.join("; "));
    }
    if j.records.len() > LISTED {
        let _ = writeln!(
            out,
            "    ... {} more (all in --format json or csv)",
            j.records.len() - LISTED
        );
    }
}

fn list(out: &mut String, label: &str, ids: &[String]) {
    if ids.is_empty() {
        return;
    }
    let shown: Vec<&str> = ids.iter().take(LISTED).map(String::as_str).collect();
    let more = ids.len().saturating_sub(LISTED);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let _ = writeln!(out, "  {label}: {}{tail}", shown.join(", "));
}

/// The CSV columns, in order. `delivered` is added with `--join`.
pub(crate) const CSV_COLUMNS: [&str; 16] = [
    "identifier",
    "channel",
    "occurrence",
    "address",
    "code",
    "meaning",
    "time",
    "attempts",
    "duration_seconds",
    "direction",
    "voicemail",
    "amount_cents",
    "chosen_terms",
    "quality",
    "detail",
    "file",
];

/// Fields with their own CSV column; the others go to `detail`.
const OWN_COLUMN: [&str; 8] = [
    "TIME",
    "LAST_VERIFIED",
    "ATTEMPTS",
    "DURATION",
    "DIRECTION",
    "VOICEMAIL",
    "TRANSACTION_AMOUNT",
    "CHOSEN_TERMS",
];

/// One `;`-separated row per record per channel occurrence, then unmatched inbound calls,
/// then PayLink-file rows. With a join, a `delivered` column and one row per delivered
/// identifier that has no result yet.
pub fn csv<W: Write>(merged: &Merged, join: Option<&Join>, out: W) -> Result<(), csv::Error> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    let mut header: Vec<&str> = CSV_COLUMNS.to_vec();
    if join.is_some() {
        header.push("delivered");
    }
    w.write_record(&header)?;
    let not_delivered: std::collections::HashSet<&str> = join
        .map(|j| j.not_delivered.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let file_of = |i: usize| merged.files.get(i).map_or("", |f| f.file.as_str());
    for (id, held) in merged.entries() {
        let mut row = entry_row(id, held, file_of(held.file));
        if join.is_some() {
            let delivered = if id.is_empty() {
                ""
            } else if not_delivered.contains(id) {
                "no"
            } else {
                "yes"
            };
            row.push(delivered.to_string());
        }
        w.write_record(&row)?;
    }
    for held in merged.paylink_rows() {
        let r = &held.row;
        let (code, meaning, _, _, _) = decode::paylink_file_status(r.get("status"));
        let amount = super::values::parse_amount(r.get("amount"))
            .and_then(|a| a.checked_mul(Decimal::ONE_HUNDRED))
            .map(|a| a.round().to_string())
            .unwrap_or_default();
        let detail: Vec<String> = [
            "reference",
            "paymentMethod",
            "origin",
            "createdBy",
            "created",
        ]
        .iter()
        .filter(|c| !r.get(c).is_empty())
        .map(|c| format!("{c}={}", r.get(c)))
        .collect();
        let mut row = vec![
            r.get("id").to_string(),
            "paylink_file".to_string(),
            String::new(),
            r.get("url").to_string(),
            code,
            meaning.to_string(),
            r.get("updated").to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            amount,
            String::new(),
            String::new(),
            detail.join("|"),
            file_of(held.file).to_string(),
        ];
        if join.is_some() {
            row.push(String::new());
        }
        w.write_record(&row)?;
    }
    if let Some(j) = join {
        for id in &j.without_results {
            let mut row = vec![String::new(); CSV_COLUMNS.len() + 1];
            if let Some(c) = row.get_mut(0) {
                c.clone_from(id);
            }
            if let Some(c) = row.get_mut(5) {
                *c = "no result yet".to_string();
            }
            if let Some(c) = row.last_mut() {
                *c = "yes".to_string();
            }
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    Ok(())
}

fn entry_row(id: &str, held: &Held, file: &str) -> Vec<String> {
    let e = &held.entry;
    let d = decode(e);
    let get = |f: &str| e.get(f).unwrap_or("").to_string();
    let own_code = code_field(e.group);
    let own_address = address_field(e.group);
    let detail: Vec<String> = e
        .values()
        .filter(|(f, _)| {
            !OWN_COLUMN.contains(f)
                && Some(*f) != own_code
                && Some(*f) != own_address
                && *f != "QUALITY"
        })
        .map(|(f, v)| format!("{f}={v}"))
        .collect();
    let time = e
        .get("TIME")
        .or_else(|| e.get("LAST_VERIFIED"))
        .unwrap_or("");
    vec![
        id.to_string(),
        e.group.channel().to_string(),
        e.occurrence.to_string(),
        d.address.unwrap_or("").to_string(),
        d.code.map(|c| c.into_owned()).unwrap_or_default(),
        d.meaning.to_string(),
        time.to_string(),
        get("ATTEMPTS"),
        get("DURATION"),
        get("DIRECTION"),
        get("VOICEMAIL"),
        get("TRANSACTION_AMOUNT"),
        get("CHOSEN_TERMS"),
        get("QUALITY"),
        detail.join("|"),
        file.to_string(),
    ]
}
