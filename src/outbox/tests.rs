//! Tests of the outbox with the SQLite history behind it: numbering, the commit and its
//! failures, recovery; and, through whole deliveries, identifiers, forget and listing.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;

use super::*;
use crate::history::{Delivery, DeliveryState, History, NewDelivery, PriorDelivery};
use crate::state::tests::{day, setup};
use crate::state::{SqliteHistory, StateError};

fn code(client: &str) -> ClientCode {
    ClientCode::new(client).unwrap()
}

fn entry(date: NaiveDate, client: &str, number: u32) -> NewDelivery {
    NewDelivery {
        file: file_name(date, &code(client), number, "csv"),
        date,
        client: client.to_string(),
        number,
        sha256: "00".repeat(32),
        records: 2,
        inputs: vec!["export.csv".to_string()],
    }
}

/// Records a delivery the way a run does, with a real file in `out`.
fn deliver(
    h: &mut SqliteHistory,
    out: &Path,
    date: NaiveDate,
    client: &str,
    ids: &[&str],
) -> String {
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    let n = h
        .next_number(
            date,
            client,
            highest_in_dir(out, date, &code(client)).unwrap(),
        )
        .unwrap();
    let e = entry(date, client, n);
    let mut temp = stage(out).unwrap();
    std::io::Write::write_all(temp.as_file_mut(), b"x").unwrap();
    let rows = ids.iter().enumerate().map(|(i, id)| (*id, i as u64 + 2));
    commit(h, &lock, temp, &out.join(&e.file), &e, rows)
        .unwrap()
        .done()
        .unwrap();
    e.file
}

#[test]
fn numbering_counts_per_date_and_client_and_survives_upload() {
    let (_d, mut h, out) = setup();
    assert_eq!(
        deliver(&mut h, &out, day(2), "A", &["a1"]),
        "20260102-A-1.csv"
    );
    assert_eq!(
        deliver(&mut h, &out, day(2), "A", &["a2"]),
        "20260102-A-2.csv"
    );
    assert_eq!(
        deliver(&mut h, &out, day(2), "B", &["b1"]),
        "20260102-B-1.csv"
    );
    assert_eq!(
        deliver(&mut h, &out, day(3), "A", &["a3"]),
        "20260103-A-1.csv"
    );
    // The upload empties the out dir; the history still remembers.
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(
        deliver(&mut h, &out, day(2), "A", &["a4"]),
        "20260102-A-3.csv"
    );
}

#[test]
fn the_higher_of_out_dir_and_history_wins() {
    let (_d, mut h, out) = setup();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("20260102-A-5.csv"), "").unwrap();
    // The out dir is ahead of the history (files made by hand or by another tool).
    assert_eq!(
        deliver(&mut h, &out, day(2), "A", &["a1"]),
        "20260102-A-6.csv"
    );
    // The history is ahead of the out dir (files uploaded and removed).
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(h.next_number(day(2), "A", 2).unwrap(), 7);
    assert_eq!(h.next_number(day(2), "A", 9).unwrap(), 10);
}

#[test]
fn delivered_identifiers_are_found_per_client() {
    let (_d, mut h, out) = setup();
    let first = deliver(&mut h, &out, day(2), "A", &["x1", "x2"]);
    deliver(&mut h, &out, day(2), "B", &["y1"]);
    let found = h.find_delivered("A", ["x2", "x3", "y1"]).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found.get("x2"),
        Some(&PriorDelivery {
            file: first.clone().into(),
            date: day(2),
            row: 3
        })
    );
    // A deliberate re-send: the latest delivery is the one named.
    let again = deliver(&mut h, &out, day(3), "A", &["x2"]);
    let found = h.find_delivered("A", ["x2"]).unwrap();
    assert_eq!(found.get("x2").map(|p| &*p.file), Some(again.as_str()));
    assert!(h.find_delivered("C", ["x2"]).unwrap().is_empty());
}

#[test]
fn a_failed_check_abandons_the_entry_and_renames_nothing() {
    let (_d, mut h, out) = setup();
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    let e = entry(day(2), "A", 1);
    let temp = stage(&out).unwrap();
    let temp_path = temp.path().to_path_buf();
    let final_path = out.join(&e.file);
    let err = commit_checked(&mut h, &lock, temp, &final_path, &e, [("x1", 2)], || {
        Err(std::io::Error::other(
            "the written delivery does not check out",
        ))
    })
    .unwrap_err();
    assert!(err.to_string().contains("does not check out"), "{err}");
    assert!(!final_path.exists());
    assert!(!temp_path.exists(), "the temp file is removed");
    // The identifier is free again; the number stays used.
    assert!(h.find_delivered("A", ["x1"]).unwrap().is_empty());
    let listed = h.list(Some("A"), None, true).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, DeliveryState::Abandoned);
    assert_eq!(h.next_number(day(2), "A", 0).unwrap(), 2);
}

#[test]
fn forget_frees_identifiers_but_not_the_number() {
    let (_d, mut h, out) = setup();
    let file = deliver(&mut h, &out, day(2), "A", &["x1"]);
    std::fs::remove_file(out.join(&file)).unwrap();
    {
        let lock = h.lock(None, Duration::from_secs(5)).unwrap();
        let gone = h.forget(&lock, &file).unwrap();
        assert_eq!(gone.state, DeliveryState::Forgotten);
        let again = h.forget(&lock, &file).unwrap_err();
        assert!(again.to_string().contains("forgotten"), "{again}");
        let unknown = h.forget(&lock, "nope.csv").unwrap_err();
        assert!(matches!(unknown, StateError::UnknownFile(_)), "{unknown}");
    }
    assert!(h.find_delivered("A", ["x1"]).unwrap().is_empty());
    assert_eq!(
        deliver(&mut h, &out, day(2), "A", &["x1"]),
        "20260102-A-2.csv"
    );
    assert_eq!(h.list(Some("A"), None, false).unwrap().len(), 1);
    assert_eq!(h.list(Some("A"), None, true).unwrap().len(), 2);
}

#[test]
fn list_filters_by_client_and_date_and_show_gives_identifiers() {
    let (_d, mut h, out) = setup();
    deliver(&mut h, &out, day(2), "A", &["a1"]);
    let f = deliver(&mut h, &out, day(4), "A", &["a2", "a3"]);
    deliver(&mut h, &out, day(4), "B", &["b1"]);
    let files = |v: Vec<Delivery>| v.into_iter().map(|d| d.file).collect::<Vec<_>>();
    assert_eq!(files(h.list(None, None, false).unwrap()).len(), 3);
    assert_eq!(
        files(h.list(Some("A"), Some(day(3)), false).unwrap()),
        vec![f.clone()]
    );
    let (d, ids) = h.show(&f).unwrap().unwrap();
    assert_eq!(d.records, 2);
    assert_eq!(d.state, DeliveryState::Delivered);
    assert_eq!(d.inputs, vec!["export.csv"]);
    assert_eq!(
        ids.iter()
            .map(|i| (i.identifier.as_str(), i.row))
            .collect::<Vec<_>>(),
        vec![("a2", 2), ("a3", 3)]
    );
    assert!(h.show("nope.csv").unwrap().is_none());
}

/// The state a killed run leaves after each step, and what recovery makes of it.
#[test]
fn recovery_settles_pending_entries_from_the_file_system() {
    let (_d, mut h, out) = setup();
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();

    // Killed after the pending record, before the rename: temp file still there.
    let e1 = entry(day(2), "A", 1);
    let t1 = stage(&out).unwrap();
    let (_, t1_path) = t1.keep().unwrap();
    let p1 = h
        .begin_delivery(&lock, &e1, &t1_path, &out.join(&e1.file), [("r1", 2)])
        .unwrap();
    let _ = p1;
    // Killed after the rename, before the confirmation; the file was already uploaded.
    let e2 = entry(day(2), "A", 2);
    let p2 = h
        .begin_delivery(
            &lock,
            &e2,
            &out.join(".collectmaxx-gone.part"),
            &out.join(&e2.file),
            [("r2", 2)],
        )
        .unwrap();
    let _ = p2;
    // Killed after writing the temp file, before recording anything.
    let orphan = stage(&out).unwrap().keep().unwrap().1;

    assert_eq!(h.find_delivered("A", ["r1", "r2"]).unwrap().len(), 2);
    let done = recover(&mut h, &lock, Some(&out)).unwrap();
    assert_eq!(
        done,
        vec![
            Recovery {
                file: e1.file.clone(),
                outcome: DeliveryState::Abandoned
            },
            Recovery {
                file: e2.file.clone(),
                outcome: DeliveryState::Delivered
            },
        ]
    );
    assert!(!t1_path.exists() && !orphan.exists());
    let found = h.find_delivered("A", ["r1", "r2"]).unwrap();
    assert_eq!(found.keys().collect::<Vec<_>>(), vec!["r2"]);
    // Both numbers stay used.
    assert_eq!(h.next_number(day(2), "A", 0).unwrap(), 3);
    // Nothing left to do.
    assert!(recover(&mut h, &lock, Some(&out)).unwrap().is_empty());
}

#[test]
fn a_name_taken_in_the_out_dir_is_not_replaced() {
    let (_d, mut h, out) = setup();
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    let e = entry(day(2), "A", 1);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(&e.file), "someone else's").unwrap();
    let temp = stage(&out).unwrap();
    let taken = commit(&mut h, &lock, temp, &out.join(&e.file), &e, [("i", 2)]).unwrap();
    let Committed::NameTaken(temp) = taken else {
        panic!("{taken:?}")
    };
    drop(temp);
    assert_eq!(
        std::fs::read_to_string(out.join(&e.file)).unwrap(),
        "someone else's"
    );
    assert!(h.find_delivered("A", ["i"]).unwrap().is_empty());
    assert_eq!(h.next_number(day(2), "A", 0).unwrap(), 2);
    assert!(remove_orphan_temps(&out).unwrap().is_empty());
}
