//! Micro-benchmarks of the functions every row goes through, so that a regression shows
//! before it shows in a million-row run. `cargo bench --bench hot` (about 15 seconds);
//! medians go in docs/performance.md.

use std::time::Duration;

#[allow(dead_code)]
#[path = "../examples/gen/data.rs"]
mod data;

use chrono::NaiveDate;
use collectmaxx::header::{ColumnMap, Mapping};
use collectmaxx::registry::{Service, Services};
use collectmaxx::rules::amount::{parse_cents, AmountUnit};
use collectmaxx::rules::date::{parse_date, DateOrder};
use collectmaxx::rules::phone::{
    normalize_phone, normalize_phone_in, restore_dropped_zero, Country,
};
use collectmaxx::rules::pipeline::{check_row, RuleSettings};
use collectmaxx::rules::{order, text, units};
use collectmaxx::source::{Cell, Row};
use divan::{black_box, Bencher};

fn main() {
    divan::Divan::default()
        .min_time(Duration::from_millis(200))
        .max_time(Duration::from_secs(1))
        .config_with_args()
        .main();
}

#[divan::bench(args = [
    "31612345678",       // E.164 digits, as a delivery holds them
    "+31612345678",      // E.164 with +
    "0612345678",        // national (NL default country)
    "06-12345678",       // national, formatted
    "+31 (0)6 1234 5678", // international with the (0)
    "0032 470 12 34 56", // 00 prefix, BE
    "+49 176 12345678",  // DE mobile
    "612345678",         // bare national, lost its 0 (international tried first)
    "+31 06 12345678",   // trunk 0 after the country code: parsed
    "+39 06 1234 5678",  // Italian leading zero: parsed
    "+31 6 1234",        // invalid (too short)
])]
fn normalize_phone_(input: &str) -> bool {
    normalize_phone(black_box(input), Country::NL)
        .value
        .is_some()
}

#[divan::bench(args = ["612345678", "31612345678"])]
fn restore_dropped_zero_(input: &str) -> bool {
    restore_dropped_zero(black_box(input), Country::NL)
        .value
        .is_some()
}

#[divan::bench(args = ["471 90 49 99", "0471 90 49 99"])]
fn normalize_phone_in_be(input: &str) -> bool {
    normalize_phone_in(black_box(input), Country(*b"BE"))
        .value
        .is_some()
}

#[divan::bench(args = ["2030-05-17", "17-05-2030", "17/5/2030", "2030-05-17 13:45:00"])]
fn parse_date_(input: &str) -> bool {
    parse_date(black_box(input), DateOrder::Dmy).value.is_some()
}

#[divan::bench(args = ["12345", "  12345 "])]
fn parse_cents_minor(input: &str) -> bool {
    parse_cents(black_box(input), AmountUnit::Minor, Some("EUR"))
        .value
        .is_some()
}

#[divan::bench(args = ["123,45", "€ 1.234,56", "EUR 12.50"])]
fn parse_cents_major(input: &str) -> bool {
    parse_cents(black_box(input), AmountUnit::Major, Some("EUR"))
        .value
        .is_some()
}

#[divan::bench(args = [
    "Jansen",                          // clean ASCII: borrowed, no allocation
    "  van den Berg  ",                // padded
    "Müller-Lüdenscheidt",             // accented, already NFC
    "Mu\u{308}ller",                   // decomposed: NFC needed
    "Abonnement internet 500 Mbit/s",  // a longer clean value
])]
fn text_clean(input: &str) -> usize {
    text::clean(black_box(input)).0.len()
}

#[divan::bench(args = [
    "NL",                  // the code: no name lookup
    "nl",                  // lower case
    "Nederland",           // a Dutch name (CLDR)
    "Verenigd Koninkrijk", // two words
    "BELGIË",              // capitals and an accent
    "Nederlandia",         // not a country
])]
fn parse_country_(input: &str) -> bool {
    collectmaxx::rules::codes::parse_country(black_box(input))
        .value
        .is_some()
}

/// The generator's 32 columns (examples/gen), with a realistic clean and messy row below.
use data::COLUMNS as HEADERS;

const CLEAN_ROW: [&str; 32] = [
    "CUST-00012345-482913",
    "van den Berg",
    "Jeroen",
    "M",
    "1978-03-14",
    "P100012345",
    "Julianastraat",
    "112",
    "",
    "3581 KL",
    "Utrecht",
    "NL",
    "31612345678",
    "31201234567",
    "32471234567",
    "jeroen.vandenberg345@ziggo.nl",
    "jvandenberg@example.com",
    "INV2026012345",
    "2026-10-01",
    "2030-06-15",
    "EUR",
    "15995",
    "2776",
    "Factuur oktober 2026",
    "RF47000000012345",
    "10",
    "1004",
    "Energie Direct B.V.",
    "CT-300012345",
    "Energie",
    "Vastrecht stroom",
    "742",
];

const MESSY_ROW: [&str; 32] = [
    "CUST-00012345-482913",
    "  van den Berg  ",
    "Jeroen",
    "dhr",
    "14-03-1978",
    "P100012345",
    "Julianastraat",
    "112",
    "",
    "3581 KL",
    "  Utrecht  ",
    "nl",
    "06-12345678",
    "+31 (0)20 1234567",
    "0032 471 23 45 67",
    "jeroen.vandenberg345@ziggo.nl",
    "jvandenberg@example.com",
    "INV2026012345",
    "01-10-2026",
    "15-06-2030",
    "eur",
    "15995",
    "2776",
    "Factuur oktober 2026",
    "RF47000000012345",
    "10",
    "1004",
    "Energie Direct B.V.",
    "CT-300012345",
    "Energie",
    "Vastrecht stroom",
    "742",
];

fn settings() -> RuleSettings {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut s = RuleSettings::new(today);
    s.services = Services::NONE.with(Service::Sms).with(Service::Paylink);
    s
}

fn column_map() -> ColumnMap {
    let mut map = ColumnMap::default();
    let headers: Vec<String> = HEADERS.iter().map(|h| h.to_string()).collect();
    if let Err(e) = map.extend(&headers, &Mapping::default()) {
        panic!("the benchmark header does not map: {e:?}");
    }
    map
}

fn row(values: &[&str; 32]) -> Row {
    Row {
        row: 2,
        line: Some(2),
        cells: values.iter().map(|v| Cell::Text(v.to_string())).collect(),
    }
}

#[divan::bench(args = ["clean", "messy"])]
fn check_row_32_columns(bencher: Bencher, which: &str) {
    let (settings, map) = (settings(), column_map());
    let row = row(if which == "clean" {
        &CLEAN_ROW
    } else {
        &MESSY_ROW
    });
    let checked = check_row(&settings, &map, &row);
    assert!(checked.record.is_some(), "{which}: {:?}", checked.issues);
    bencher.bench(|| check_row(&settings, &map, black_box(&row)).issues.len());
}

/// What the run notes per row about its columns beside checking it (`rules::evidence`): the
/// amount columns' units and, without `--date-order`, the date columns' order.
#[divan::bench(args = ["clean", "messy"])]
fn column_evidence_32_columns(bencher: Bencher, which: &str) {
    let (settings, map) = (settings(), column_map());
    let row = row(if which == "clean" {
        &CLEAN_ROW
    } else {
        &MESSY_ROW
    });
    let mut amounts = units::Evidence::new(&units::amount_columns(&map));
    let mut dates = order::Evidence::new(&order::date_columns(&map, &settings));
    bencher.bench_local(|| {
        amounts.add_row(black_box(&row));
        dates.add_row(black_box(&row));
    });
}
