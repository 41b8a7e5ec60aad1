//! Context that settles an ambiguous header: what the other columns and the values together
//! make certain. Each rule looks only at a column asked *because its header is ambiguous*
//! (`Naam`, `Datum`, `Saldo`, `Omschrijving`, `Debiteur`, `Adres`) whose values already agree
//! with the field, and makes it sure only when the evidence leaves no other reading; any doubt
//! leaves the question standing.

use chrono::NaiveDate;

use super::sniff::Stats;
use crate::rules::amount::{parse_cents, AmountUnit};
use crate::rules::date::{parse_date, DateOrder};
use crate::source::Cell;

/// What the rules see of one column.
pub(super) struct View<'a> {
    pub header: &'a str,
    /// The field it would feed when it is asked only because its header is ambiguous.
    pub asked_for: Option<&'static str>,
    /// The delivery columns it feeds with confidence.
    pub sure: Vec<&'static str>,
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Is some column (other than `not`) sure of `field`?
fn sure_of(columns: &[View], field: &str, not: usize) -> Option<usize> {
    (0..columns.len()).find(|&i| i != not && columns[i].sure.contains(&field))
}

/// For each column, the evidence that settles it, if the context does (see the module text
/// for each rule).
pub(super) fn settle_ambiguous(
    columns: &[View],
    stats: &[Stats],
    rows: &[Vec<Cell>],
) -> Vec<Option<String>> {
    (0..columns.len())
        .map(|i| {
            let s = &stats[i];
            match columns[i].asked_for? {
                "PERSON_FAMILYNAME" => sorted_names(s),
                "INVOICE_DESCRIPTION" => invoice_text(columns, i, s),
                "INVOICE_DATE" => invoice_date(columns, stats, rows, i),
                "INVOICE_AMOUNT" => only_amount(columns, stats, i),
                "PERSON_IDENTIFIER" => party_code(columns[i].header, s),
                "ADDRESS_STREET" => street_beside_number(columns, stats, i),
                _ => None,
            }
        })
        .collect()
}

/// `Naam` holding family names written sorted (`Berg, van der`): a full name or a company is
/// never written so. At least three sorted values and a fifth of them; no other comma form
/// (`Heuvel, Jan van den` is a full name), no value of three words or more, no digits.
pub(super) fn sorted_names(s: &Stats) -> Option<String> {
    let fits = s.sorted_name >= 3
        && s.share(s.sorted_name) >= 0.2
        && s.other_comma == 0
        && s.long_names == 0
        && s.with_digit == 0;
    fits.then(|| {
        format!(
            "{} of values are family names written sorted ('Berg, van der'), the others one or two words: family names",
            pct(s.share(s.sorted_name))
        )
    })
}

/// A description beside a sure invoice number and a sure open amount: each row is an invoice,
/// and its text describes it.
fn invoice_text(columns: &[View], i: usize, s: &Stats) -> Option<String> {
    let invoices = sure_of(columns, "INVOICE_NUMBER", i).is_some()
        && sure_of(columns, "INVOICE_AMOUNT", i).is_some();
    let text = s.share(s.letters) >= 0.9 && s.distinct >= 2;
    (invoices && text).then(|| {
        "each row is an invoice (sure invoice number and amount columns), and its values are text: the invoice's description".to_string()
    })
}

fn date_of(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::DateTime(d) => Some(d.date()),
        Cell::Text(t) => parse_date(t.trim(), DateOrder::Dmy).value,
        _ => None,
    }
}

/// `Datum` beside a sure due date, when no third column holds dates, and every row's date is
/// on or before its due date (an invoice is dated before it falls due).
fn invoice_date(columns: &[View], stats: &[Stats], rows: &[Vec<Cell>], i: usize) -> Option<String> {
    let due = sure_of(columns, "INVOICE_DUEDATE", i)?;
    let third =
        (0..columns.len()).any(|j| j != i && j != due && stats[j].share(stats[j].date) >= 0.5);
    if third || stats[i].share(stats[i].date) < 1.0 {
        return None;
    }
    let mut compared = 0;
    for r in rows {
        let (Some(a), Some(b)) = (r.get(i), r.get(due)) else {
            continue;
        };
        match (date_of(a), date_of(b)) {
            (Some(d), Some(v)) if d <= v => compared += 1,
            (None, _) | (_, None) if a.is_blank() => {}
            _ => return None,
        }
    }
    (compared >= 3).then(|| {
        format!(
            "the only other date column is the due date '{}', and every date is on or before its row's due date: the invoice date",
            columns[due].header.trim()
        )
    })
}

/// `Saldo`/`Bedrag` as the export's only amount with a fraction, beside a sure invoice number,
/// with no negative value (a negative balance is a credit, not a claim).
fn only_amount(columns: &[View], stats: &[Stats], i: usize) -> Option<String> {
    let s = &stats[i];
    let other = (0..columns.len()).any(|j| j != i && stats[j].share(stats[j].decimal) >= 0.5);
    let fits = sure_of(columns, "INVOICE_NUMBER", i).is_some()
        && !other
        && s.negative == 0
        && s.share(s.decimal + s.integer) >= 0.97
        && s.share(s.decimal) >= 0.5;
    fits.then(|| {
        "the export's only amount column, beside a sure invoice number, and no value is negative: the amount to collect".to_string()
    })
}

/// A header naming the debtor (`Debiteur`, `Klant`, `Relatie`, `Customer`) whose values are
/// all codes (one word with a digit): the debtor's number, not its name.
pub(super) fn party_code(header: &str, s: &Stats) -> Option<String> {
    const PARTY: &[&str] = &[
        "debiteur", "debtor", "klant", "customer", "relatie", "client",
    ];
    let words = super::normalise::words(header);
    let party = words.split(' ').any(|w| PARTY.contains(&w));
    (party && s.share(s.code) >= 0.97 && s.n >= 3).then(|| {
        format!(
            "the header names the debtor and {} of values are codes (one word with digits): the debtor's number",
            pct(s.share(s.code))
        )
    })
}

/// `Adres` beside a sure house number column of numbers, its own values without digits: the
/// street alone.
fn street_beside_number(columns: &[View], stats: &[Stats], i: usize) -> Option<String> {
    let n = sure_of(columns, "ADDRESS_HOUSENUMBER", i)?;
    let numbers = stats[n].share(stats[n].with_digit) >= 0.97;
    let s = &stats[i];
    (numbers && s.share(s.with_digit) <= 0.1 && s.share(s.letters) >= 0.97).then(|| {
        format!(
            "'{}' beside it holds the house numbers, and {} of these values hold no digit: the street",
            columns[n].header.trim(),
            pct(1.0 - s.share(s.with_digit))
        )
    })
}

/// An amount cell in cents (an empty cell is 0: nothing paid yet).
fn cents_of(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Empty => Some(0),
        Cell::Int(i) => i.checked_mul(100),
        Cell::Float(x) | Cell::Formatted { number: x, .. } => {
            (x.is_finite() && x.abs() < 1e15).then(|| (x * 100.0).round() as i64)
        }
        Cell::Text(t) if t.trim().is_empty() => Some(0),
        Cell::Text(t) => {
            let t = t.trim();
            let (negative, t) = match t.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, t),
            };
            let c = parse_cents(t, AmountUnit::Major, None).value?.0;
            let c = i64::try_from(c).ok()?;
            Some(if negative { -c } else { c })
        }
        _ => None,
    }
}

/// An invoice's total beside what was paid and what is left: `total` = `open` + `paid` in
/// every sampled row, with something paid in two rows at least (without a payment the two
/// cannot be told apart). Returns (open, total) among `amounts`, for the `paid` column.
pub(super) fn open_beside_paid(
    amounts: &[usize],
    paid: usize,
    rows: &[Vec<Cell>],
) -> Option<(usize, usize)> {
    let at = |r: &Vec<Cell>, i: usize| cents_of(r.get(i).unwrap_or(&Cell::Empty));
    let paid_rows = rows
        .iter()
        .filter(|r| at(r, paid).is_some_and(|p| p != 0))
        .count();
    if rows.len() < 3 || paid_rows < 2 {
        return None;
    }
    for &total in amounts {
        for &open in amounts.iter().filter(|&&o| o != total) {
            let adds_up = rows.iter().all(|r| {
                matches!((at(r, total), at(r, open), at(r, paid)),
                    (Some(t), Some(o), Some(p)) if (t - o - p).abs() <= 1)
            });
            if adds_up {
                return Some((open, total));
            }
        }
    }
    None
}
