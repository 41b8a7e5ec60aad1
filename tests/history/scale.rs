//! Measures the identifier look-up and recording at a million identifiers.
//! Run with `cargo test --test tests history::scale -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use collectmaxx::codec::DeliveryFormat;
use collectmaxx::history::History;
use collectmaxx::history::NewDelivery;
use collectmaxx::outbox::{self, ClientCode};
use collectmaxx::state::SqliteHistory;

#[test]
#[ignore = "measurement; takes a few seconds"]
fn a_million_identifiers_record_and_check_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut h = SqliteHistory::open(&dir.path().join("state")).unwrap();
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let ids: Vec<String> = (0..1_000_000).map(|i| format!("INV-2026-{i:08}")).collect();
    let entry = NewDelivery {
        file: outbox::file_name(
            date,
            &ClientCode::new("ACME").unwrap(),
            1,
            DeliveryFormat::Csv.extension(),
        ),
        date,
        client: "ACME".into(),
        number: 1,
        sha256: String::new(),
        records: ids.len() as u64,
        inputs: vec![],
    };
    let t = Instant::now();
    let temp = outbox::stage(&out).unwrap();
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u64 + 2));
    outbox::commit(&mut h, &lock, temp, &out.join(&entry.file), &entry, rows)
        .unwrap()
        .done()
        .unwrap();
    let record = t.elapsed();

    // Next day's run: half old identifiers, half new.
    let next: Vec<String> = (500_000..1_500_000)
        .map(|i| format!("INV-2026-{i:08}"))
        .collect();
    let t = Instant::now();
    let found = h.find_delivered("ACME", &next).unwrap();
    let check = t.elapsed();
    assert_eq!(found.len(), 500_000);
    let t = Instant::now();
    let all = h.find_delivered("ACME", &ids).unwrap();
    let check_all = t.elapsed();
    assert_eq!(all.len(), ids.len());
    eprintln!(
        "record 1M identifiers: {record:?}; check 1M (500k delivered): {check:?}; check 1M (all delivered): {check_all:?}"
    );
    assert!(check < Duration::from_secs(20));
}
