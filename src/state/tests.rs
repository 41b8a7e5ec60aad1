//! Tests of the SQLite storage: opening, look-ups, what a pending entry stores. (The commit,
//! recovery and numbering with an out dir are tested with the outbox: `outbox/tests.rs`.)

use super::*;

/// A day of January 2026 (the outbox's tests use these helpers too).
pub(crate) fn day(d: u32) -> NaiveDate {
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
pub(crate) fn setup() -> (tempfile::TempDir, SqliteHistory, PathBuf) {
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

#[test]
fn a_send_is_sending_then_sent_and_a_sent_delivery_cannot_be_forgotten() {
    let (_d, mut h, _out) = setup();
    let file = record(&mut h, day(2), "A", &["x"]);
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    assert_eq!(h.sent_of(&file).unwrap(), None);
    let send = NewSend {
        file: file.clone(),
        host: "h:22".into(),
        remote_path: format!("in/{file}"),
        size: 10,
    };
    History::begin_send(&mut h, &lock, &send).unwrap();
    let sending = h.sending().unwrap();
    assert_eq!(sending.len(), 1);
    assert_eq!(sending[0].state, history::SendState::Sending);
    // Abandoned: as if never sent.
    h.abandon_send(&file).unwrap();
    assert_eq!(h.sent_of(&file).unwrap(), None);
    History::begin_send(&mut h, &lock, &send).unwrap();
    let rec = h.confirm_send(&file).unwrap();
    assert_eq!(rec.state, history::SendState::Sent);
    assert!(rec.sent_at.is_some());
    assert!(h.sending().unwrap().is_empty());
    assert!(matches!(h.confirm_send(&file), Err(StateError::NoSend(_))));
    let err = h.forget(&lock, &file).unwrap_err();
    assert!(matches!(err, StateError::Sent { .. }), "{err}");
    assert!(err.to_string().contains("h:22"), "{err}");
}

#[test]
fn fetched_files_are_remembered_by_name() {
    let (_d, mut h, _out) = setup();
    assert_eq!(h.fetched("result_20260102-acos0001.csv").unwrap(), None);
    let f = FetchedFile {
        name: "result_20260102-acos0001.csv".into(),
        host: "h:22".into(),
        size: 3,
        sha256: "ab".repeat(32),
        local_path: "/r/result_20260102-acos0001.csv".into(),
        fetched_at: "2026-01-03T06:15:00Z".into(),
    };
    h.record_fetched(&f).unwrap();
    assert_eq!(h.fetched(&f.name).unwrap(), Some(f));
}
