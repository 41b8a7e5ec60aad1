//! Tests of what only the SQLite storage has: opening (and not creating) a state directory,
//! its look-up batches, what a pending entry stores. Numbering, the commit, recovery,
//! identifiers, forget, listing, sends and fetches are tested through the trait on both
//! backends (`tests/history/backend.rs`).

use super::*;

/// A day of January 2026.
fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, d).unwrap()
}

fn entry(date: NaiveDate, client: &str, number: u32) -> NewDelivery {
    NewDelivery {
        file: format!("{}-{client}-{number}.csv", date.format("%Y%m%d")),
        date,
        client: client.to_string(),
        number,
        sha256: "00".repeat(32),
        records: 2,
        inputs: vec!["export.csv".to_string()],
    }
}

/// Records a delivery in the history alone (no file: the storage never looks at one).
fn record(h: &mut SqliteHistory, date: NaiveDate, client: &str, ids: &[&str]) -> String {
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    let n = h.next_number(date, client, 0).unwrap();
    let e = entry(date, client, n);
    let rows = ids.iter().enumerate().map(|(i, id)| (*id, i as u64 + 2));
    let out = Path::new("out");
    let pending = h
        .begin_delivery(&lock, &e, &out.join(".t.tmp"), &out.join(&e.file), rows)
        .unwrap();
    h.confirm(pending).unwrap();
    e.file
}

/// A history in a temp dir and the out dir beside it (not created).
fn setup() -> (tempfile::TempDir, SqliteHistory, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let h = SqliteHistory::open(&dir.path().join("state")).unwrap();
    let out = dir.path().join("out");
    (dir, h, out)
}

#[test]
fn open_creates_and_migrates_an_empty_dir() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("a").join("b");
    assert!(SqliteHistory::open_existing(&state).unwrap().is_none());
    assert!(!state.exists(), "open_existing must create nothing");
    let h = SqliteHistory::open(&state).unwrap();
    assert!(state.join(DB_FILE).is_file());
    assert_eq!(schema::version(&h.conn).unwrap(), schema::CURRENT_VERSION);
    drop(h);
    assert!(SqliteHistory::open_existing(&state).unwrap().is_some());
}

#[test]
fn look_ups_span_several_batches() {
    let (_d, mut h, _out) = setup();
    let ids: Vec<String> = (0..query::LOOKUP_BATCH + 10)
        .map(|i| format!("id{i}"))
        .collect();
    let delivered: Vec<&str> = ids.iter().step_by(3).map(String::as_str).collect();
    record(&mut h, day(2), "A", &delivered);
    let found = h.find_delivered("A", &ids).unwrap();
    assert_eq!(found.len(), delivered.len());
    // The last identifiers, in the second batch, are found too.
    let last = delivered[delivered.len() - 1];
    assert!(
        ids[query::LOOKUP_BATCH..].iter().any(|i| i == last),
        "{last}"
    );
    assert!(found.contains_key(last));
}

#[test]
fn pending_paths_are_stored_absolute() {
    let (_d, mut h, _out) = setup();
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    let e = entry(day(2), "A", 1);
    let _ = h
        .begin_delivery(
            &lock,
            &e,
            Path::new("rel/.t.tmp"),
            Path::new("rel/f.csv"),
            [],
        )
        .unwrap();
    let (temp, fin): (String, String) = h
        .conn
        .query_row("SELECT temp_path, final_path FROM deliveries", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(
        Path::new(&temp).is_absolute() && temp.ends_with(".t.tmp"),
        "{temp}"
    );
    assert!(
        Path::new(&fin).is_absolute() && fin.ends_with("f.csv"),
        "{fin}"
    );
}
