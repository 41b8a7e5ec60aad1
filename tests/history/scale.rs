//! Measures the identifier look-up and recording at a million identifiers.
//! Run with `cargo test --test tests history::scale -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use collectmaxx::history::History;
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
    let entry = crate::harness::new_delivery(date, "ACME", 1, ids.len());
    let rows: Vec<&str> = ids.iter().map(String::as_str).collect();
    let t = Instant::now();
    crate::harness::commit_delivery(&mut h, &lock, &out, &entry, &rows, b"");
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

/// Records one delivery of `n` identifiers `INV-{tag}-{i}` on `h`; returns how long it took.
fn record(h: &mut dyn History, out: &std::path::Path, number: u32, n: usize) -> Duration {
    let lock = h.lock(Some("ACME"), Duration::from_secs(5)).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let ids: Vec<String> = (0..n).map(|i| format!("INV-{number:03}-{i:08}")).collect();
    let entry = crate::harness::new_delivery(date, "ACME", number, ids.len());
    let rows: Vec<&str> = ids.iter().map(String::as_str).collect();
    let t = Instant::now();
    crate::harness::commit_delivery(h, &lock, out, &entry, &rows, b"");
    t.elapsed()
}

/// The shared history against SQLite in one run: recording a delivery of 1,000,000
/// identifiers (into an empty history, and as the tenth million), and checking 1,000,000
/// identifiers (half of them delivered) against a history of 10,000,000. Release build:
/// `cargo test --release --test tests history::scale::both -- --ignored --nocapture`.
#[test]
#[ignore = "measurement; takes minutes"]
fn both_backends_record_a_million_and_check_a_million_against_ten_million() {
    let million = 1_000_000;
    let pg = crate::harness::Backend::postgres();
    let mut backends = vec![("sqlite", crate::harness::Backend::Sqlite)];
    backends.extend(pg.map(|b| ("postgresql", b)));
    for (name, b) in &backends {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut h = b.open(&dir.path().join("state"));
        let mut times = Vec::new();
        for number in 1..=10 {
            times.push(record(h.as_mut(), &out, number, million));
            std::fs::remove_dir_all(&out).unwrap();
        }
        // Half delivered (in the 10th delivery), half new.
        let next: Vec<String> = (million / 2..million * 3 / 2)
            .map(|i| format!("INV-010-{i:08}"))
            .collect();
        let t = Instant::now();
        let found = h
            .find_delivered("ACME", &mut next.iter().map(String::as_str))
            .unwrap();
        let check = t.elapsed();
        assert_eq!(found.len(), million / 2);
        eprintln!(
            "MEASURE {name}: record 1M into empty {:.2?}; record the 10th 1M {:.2?}; all ten {:.2?}; check 1M against 10M {check:.2?}",
            times[0],
            times[9],
            times.iter().sum::<Duration>()
        );
    }
}
