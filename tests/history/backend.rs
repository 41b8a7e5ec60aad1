//! The history trait on both backends: the outbox's tests of numbering, identifiers, the
//! commit, recovery, forget and listing, run through `dyn History` on SQLite and on a real
//! PostgreSQL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use collectmaxx::history::{
    Delivery, DeliveryState, FetchedFile, History, NewDelivery, NewSend, PriorDelivery, SendState,
};
use collectmaxx::outbox::{
    commit, commit_checked, highest_in_dir, recover, stage, ClientCode, Recovery,
};

use collectmaxx::transport::send::pending;

use crate::harness::{commit_delivery, new_delivery, Backend};

pub(super) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, d).unwrap()
}

fn code(client: &str) -> ClientCode {
    ClientCode::new(client).unwrap()
}

/// A delivery of two records.
pub(super) fn entry(date: NaiveDate, client: &str, number: u32) -> NewDelivery {
    new_delivery(date, client, number, 2)
}

/// A history on `b` with a state dir and an out dir in a temp dir.
pub(super) fn setup(b: &Backend) -> (tempfile::TempDir, Box<dyn History>, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let h = b.open(&dir.path().join("state"));
    let out = dir.path().join("out");
    (dir, h, out)
}

fn find(
    h: &dyn History,
    client: &str,
    ids: &[&str],
) -> std::collections::HashMap<String, PriorDelivery> {
    h.find_delivered(client, &mut ids.iter().copied()).unwrap()
}

/// Records a delivery the way a run does, with a real file in `out`.
pub(super) fn deliver(
    h: &mut dyn History,
    out: &Path,
    date: NaiveDate,
    client: &str,
    ids: &[&str],
) -> String {
    let lock = h.lock(Some(client), Duration::from_secs(5)).unwrap();
    let n = h
        .next_number(
            date,
            client,
            highest_in_dir(out, date, &code(client)).unwrap(),
        )
        .unwrap();
    let e = entry(date, client, n);
    commit_delivery(h, &lock, out, &e, ids, b"x");
    e.file
}

fn numbering_counts_per_date_and_client_and_survives_upload(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let h = h.as_mut();
    assert_eq!(deliver(h, &out, day(2), "A", &["a1"]), "20260102-A-1.csv");
    assert_eq!(deliver(h, &out, day(2), "A", &["a2"]), "20260102-A-2.csv");
    assert_eq!(deliver(h, &out, day(2), "B", &["b1"]), "20260102-B-1.csv");
    assert_eq!(deliver(h, &out, day(3), "A", &["a3"]), "20260103-A-1.csv");
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(deliver(h, &out, day(2), "A", &["a4"]), "20260102-A-3.csv");
    // The higher of out dir and history wins.
    assert_eq!(h.next_number(day(2), "A", 7).unwrap(), 8);
}

fn the_higher_of_out_dir_and_history_wins(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("20260102-A-5.csv"), "").unwrap();
    // The out dir is ahead of the history (files made by hand or by another tool).
    assert_eq!(
        deliver(h.as_mut(), &out, day(2), "A", &["a1"]),
        "20260102-A-6.csv"
    );
    // The history is ahead of the out dir (files uploaded and removed).
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(h.next_number(day(2), "A", 2).unwrap(), 7);
    assert_eq!(h.next_number(day(2), "A", 9).unwrap(), 10);
}

fn delivered_identifiers_are_found_per_client(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let h = h.as_mut();
    let first = deliver(h, &out, day(2), "A", &["x1", "x2"]);
    deliver(h, &out, day(2), "B", &["y1"]);
    let found = find(h, "A", &["x2", "x3", "y1"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found.get("x2"),
        Some(&PriorDelivery {
            file: first.clone().into(),
            date: day(2),
            row: 3
        })
    );
    let again = deliver(h, &out, day(3), "A", &["x2"]);
    let found = find(h, "A", &["x2"]);
    assert_eq!(found.get("x2").map(|p| &*p.file), Some(again.as_str()));
    assert!(find(h, "C", &["x2"]).is_empty());
    // A later delivery of another client does not hide this client's own.
    deliver(h, &out, day(4), "B", &["x1"]);
    let found = find(h, "A", &["x1"]);
    assert_eq!(found.get("x1").map(|p| &*p.file), Some(first.as_str()));
    // Look-ups go in batches: a hit far into a long list is found and named right.
    let many: Vec<String> = (0..70_000).map(|i| format!("m{i:05}")).collect();
    let mut ids: Vec<&str> = many.iter().map(String::as_str).collect();
    ids.push("x1");
    let found = find(h, "A", &ids);
    assert_eq!(found.len(), 1, "{:?}", found.keys().collect::<Vec<_>>());
    assert_eq!(
        found.get("x1").map(|p| (&*p.file, p.row)),
        Some((first.as_str(), 2))
    );
}

fn an_identifier_given_twice_keeps_its_last_row(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let lock = h.lock(Some("A"), Duration::from_secs(5)).unwrap();
    let e = entry(day(2), "A", 1);
    let temp = stage(&out).unwrap();
    let rows = [("z", 2), ("a", 3), ("z", 4)];
    commit(h.as_mut(), &lock, temp, &out.join(&e.file), &e, rows).unwrap();
    let (_, ids) = h.show(&e.file).unwrap().unwrap();
    let got: Vec<(&str, u64)> = ids.iter().map(|i| (i.identifier.as_str(), i.row)).collect();
    assert_eq!(got, vec![("a", 3), ("z", 4)]);
}

fn a_failed_check_abandons_the_entry_and_renames_nothing(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let lock = h.lock(Some("A"), Duration::from_secs(5)).unwrap();
    let e = entry(day(2), "A", 1);
    let temp = stage(&out).unwrap();
    let temp_path = temp.path().to_path_buf();
    let final_path = out.join(&e.file);
    let err = commit_checked(
        h.as_mut(),
        &lock,
        temp,
        &final_path,
        &e,
        [("x1", 2)],
        || {
            Err(std::io::Error::other(
                "the written delivery does not check out",
            ))
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("does not check out"), "{err}");
    assert!(!final_path.exists() && !temp_path.exists());
    assert!(find(h.as_ref(), "A", &["x1"]).is_empty());
    let listed = h.list(Some("A"), None, true).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, DeliveryState::Abandoned);
    assert_eq!(h.next_number(day(2), "A", 0).unwrap(), 2);
}

fn forget_frees_identifiers_but_not_the_number(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let file = deliver(h.as_mut(), &out, day(2), "A", &["x1"]);
    std::fs::remove_file(out.join(&file)).unwrap();
    {
        let lock = h.lock(None, Duration::from_secs(5)).unwrap();
        let gone = h.forget(&lock, &file).unwrap();
        assert_eq!(gone.state, DeliveryState::Forgotten);
        let again = h.forget(&lock, &file).unwrap_err();
        assert!(again.to_string().contains("forgotten"), "{again}");
        let unknown = h.forget(&lock, "nope.csv").unwrap_err();
        assert!(
            unknown.to_string().contains("no delivery named"),
            "{unknown}"
        );
    }
    assert!(find(h.as_ref(), "A", &["x1"]).is_empty());
    assert_eq!(
        deliver(h.as_mut(), &out, day(2), "A", &["x1"]),
        "20260102-A-2.csv"
    );
    assert_eq!(h.list(Some("A"), None, false).unwrap().len(), 1);
    assert_eq!(h.list(Some("A"), None, true).unwrap().len(), 2);
}

fn list_filters_by_client_and_date_and_show_gives_identifiers(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    deliver(h.as_mut(), &out, day(2), "A", &["a1"]);
    let f = deliver(h.as_mut(), &out, day(4), "A", &["a2", "a3"]);
    deliver(h.as_mut(), &out, day(4), "B", &["b1"]);
    let files = |v: Vec<Delivery>| v.into_iter().map(|d| d.file).collect::<Vec<_>>();
    assert_eq!(files(h.list(None, None, false).unwrap()).len(), 3);
    assert_eq!(
        files(h.list(Some("A"), Some(day(3)), false).unwrap()),
        vec![f.clone()]
    );
    let (d, ids) = h.show(&f).unwrap().unwrap();
    assert_eq!((d.records, d.state), (2, DeliveryState::Delivered));
    assert_eq!(d.inputs, vec!["export.csv"]);
    assert!(
        d.created_at.ends_with('Z') && d.changed_at.is_some(),
        "{d:?}"
    );
    let got: Vec<(&str, u64)> = ids.iter().map(|i| (i.identifier.as_str(), i.row)).collect();
    assert_eq!(got, vec![("a2", 2), ("a3", 3)]);
    assert!(h.show("nope.csv").unwrap().is_none());
}

fn recovery_settles_pending_entries_from_the_file_system(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let lock = h.lock(Some("A"), Duration::from_secs(5)).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let e1 = entry(day(2), "A", 1);
    let (_, t1_path) = stage(&out).unwrap().keep().unwrap();
    let _ = h
        .begin(
            &lock,
            &e1,
            &t1_path,
            &out.join(&e1.file),
            &mut [("r1", 2)].into_iter(),
        )
        .unwrap();
    let e2 = entry(day(2), "A", 2);
    let gone = out.join(".collectmaxx-gone.part");
    let _ = h
        .begin(
            &lock,
            &e2,
            &gone,
            &out.join(&e2.file),
            &mut [("r2", 2)].into_iter(),
        )
        .unwrap();
    let orphan = stage(&out).unwrap().keep().unwrap().1;
    assert_eq!(find(h.as_ref(), "A", &["r1", "r2"]).len(), 2);
    let done = recover(h.as_mut(), &lock, Some(&out)).unwrap();
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
    let found = find(h.as_ref(), "A", &["r1", "r2"]);
    assert_eq!(found.keys().collect::<Vec<_>>(), vec!["r2"]);
    assert_eq!(h.next_number(day(2), "A", 0).unwrap(), 3);
    assert!(recover(h.as_mut(), &lock, Some(&out)).unwrap().is_empty());
}

fn a_name_taken_in_the_out_dir_is_not_replaced(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let lock = h.lock(Some("A"), Duration::from_secs(5)).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let e = entry(day(2), "A", 1);
    std::fs::write(out.join(&e.file), "someone else's").unwrap();
    let temp = stage(&out).unwrap();
    let r = commit(h.as_mut(), &lock, temp, &out.join(&e.file), &e, [("x", 2)]).unwrap();
    assert!(r.done().is_none());
    assert_eq!(
        std::fs::read_to_string(out.join(&e.file)).unwrap(),
        "someone else's"
    );
    assert_eq!(
        h.list(None, None, true).unwrap()[0].state,
        DeliveryState::Abandoned
    );
    assert!(find(h.as_ref(), "A", &["x"]).is_empty());
    // The number stays used, and the temp file went with the abandoned commit.
    assert_eq!(h.next_number(day(2), "A", 0).unwrap(), 2);
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "only the other file"
    );
}

fn a_send_is_sending_then_sent_and_a_sending_or_sent_delivery_cannot_be_forgotten(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let file = deliver(h.as_mut(), &out, day(2), "A", &["x"]);
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    assert_eq!(h.sent_of(&file).unwrap(), None);
    let send = NewSend {
        file: file.clone(),
        host: "h:22".into(),
        remote_path: format!("in/{file}"),
        size: 10,
    };
    let unknown = NewSend {
        file: "nope.csv".into(),
        ..send.clone()
    };
    assert!(h.begin_send(&lock, &unknown).is_err());
    h.begin_send(&lock, &send).unwrap();
    let sending = h.sending(&lock).unwrap();
    assert_eq!(sending.len(), 1);
    assert_eq!(sending[0].state, SendState::Sending);
    assert_eq!((sending[0].host.as_str(), sending[0].size), ("h:22", 10));
    assert_eq!(sending[0].remote_path, format!("in/{file}"));
    assert_eq!(sending[0].sent_at, None);
    // An upload begun and never confirmed may be on the server: not forgettable either.
    let err = h.forget(&lock, &file).unwrap_err();
    assert!(
        err.to_string().contains("never confirmed") && err.to_string().contains("send --pending"),
        "{err}"
    );
    // Abandoned: as if never sent.
    h.abandon_send(&lock, &file).unwrap();
    assert_eq!(h.sent_of(&file).unwrap(), None);
    h.begin_send(&lock, &send).unwrap();
    let rec = h.confirm_send(&lock, &file).unwrap();
    assert_eq!(rec.state, SendState::Sent);
    assert!(
        rec.sent_at.as_deref().is_some_and(|t| t.ends_with('Z')),
        "{rec:?}"
    );
    assert_eq!(h.sent_of(&file).unwrap(), Some(rec));
    assert!(h.sending(&lock).unwrap().is_empty());
    let twice = h.confirm_send(&lock, &file).unwrap_err();
    assert!(twice.to_string().contains("no send in progress"), "{twice}");
    let err = h.forget(&lock, &file).unwrap_err();
    assert!(err.to_string().contains("h:22"), "{err}");
    assert_eq!(
        h.show(&file).unwrap().unwrap().0.state,
        DeliveryState::Delivered
    );
}

fn fetched_files_are_remembered_by_name(b: &Backend) {
    let (_d, mut h, _out) = setup(b);
    let lock = h.lock(None, Duration::from_secs(5)).unwrap();
    assert_eq!(h.fetched("result_20260102-acos0001.csv").unwrap(), None);
    let mut f = FetchedFile {
        name: "result_20260102-acos0001.csv".into(),
        host: "h:22".into(),
        size: 3,
        sha256: "ab".repeat(32),
        local_path: "/r/result_20260102-acos0001.csv".into(),
        fetched_at: "2026-01-03T06:15:00Z".into(),
    };
    h.record_fetched(&lock, &f).unwrap();
    assert_eq!(h.fetched(&f.name).unwrap(), Some(f.clone()));
    // Fetched again: the later fetch replaces the record.
    f.size = 4;
    f.fetched_at = "2026-01-04T07:00:00Z".into();
    h.record_fetched(&lock, &f).unwrap();
    assert_eq!(h.fetched(&f.name).unwrap(), Some(f));
}

/// `send --pending` sends only what this host made: in a shared history the file of a
/// delivery made elsewhere is on that host's disk.
fn pending_sends_leave_out_deliveries_made_on_another_host(b: &Backend) {
    let (_d, mut h, out) = setup(b);
    let file = deliver(h.as_mut(), &out, day(2), "A", &["x"]);
    let here = collectmaxx::pg::this_host();
    let mine = pending(h.as_ref(), None, &here).unwrap();
    assert_eq!(mine.here.len(), 1);
    assert!(mine.elsewhere.is_empty());
    let other = pending(h.as_ref(), None, "some-other-host").unwrap();
    match b {
        // SQLite records no hosts: every delivery is this machine's.
        Backend::Sqlite => assert_eq!((other.here.len(), other.elsewhere.len()), (1, 0)),
        Backend::Postgres(_) => {
            assert!(other.here.is_empty());
            assert_eq!(other.elsewhere, vec![(file, here)]);
        }
    }
}

crate::on_both_backends!(
    a_send_is_sending_then_sent_and_a_sending_or_sent_delivery_cannot_be_forgotten,
    fetched_files_are_remembered_by_name,
    pending_sends_leave_out_deliveries_made_on_another_host,
    numbering_counts_per_date_and_client_and_survives_upload,
    the_higher_of_out_dir_and_history_wins,
    delivered_identifiers_are_found_per_client,
    an_identifier_given_twice_keeps_its_last_row,
    a_failed_check_abandons_the_entry_and_renames_nothing,
    forget_frees_identifiers_but_not_the_number,
    list_filters_by_client_and_date_and_show_gives_identifiers,
    recovery_settles_pending_entries_from_the_file_system,
    a_name_taken_in_the_out_dir_is_not_replaced,
);
