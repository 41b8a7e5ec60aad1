//! The workflow without the command line: two runs of the same export against one history.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Delivery, Exit};
use crate::codec::DeliveryFormat;
use crate::outbox::{ClientCode, Outbox};
use crate::report::IssueLog;
use crate::rules::settings::RuleSettings;
use crate::run::RunOptions;
use crate::state::SqliteHistory;

fn options() -> RunOptions {
    RunOptions {
        profile: None,
        settings: RuleSettings::new(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
        read: Default::default(),
        mapping: Default::default(),
        threads: 1,
        progress: None,
    }
}

fn export() -> Vec<PathBuf> {
    vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rows/quoted.csv")]
}

#[test]
fn a_second_run_of_the_same_export_delivers_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let (out, state) = (dir.path().join("out"), dir.path().join("state"));
    let client = ClientCode::new("ACME").unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let outbox = Outbox::new(out.clone(), date, client.clone(), "csv");
    let mut runs = Vec::new();
    for _ in 0..2 {
        let history = Box::new(SqliteHistory::open(&state).unwrap());
        let delivery = Delivery::open(history, client.clone(), &out, DeliveryFormat::Csv).unwrap();
        assert!(delivery.recovered().is_empty());
        let log = IssueLog::new(false, false).unwrap();
        let mut checked = delivery.check(&export(), &options(), log).unwrap();
        assert!(checked.check_reuse(false).unwrap());
        let delivered = checked.deliver(DeliveryFormat::Csv, &outbox).unwrap();
        let rows = checked.log().summary.rows;
        let exit = checked.exit();
        checked
            .write_report_file(&out.join(&delivered.report_name), true)
            .unwrap();
        runs.push((delivered, rows, exit));
    }
    let (first, rows, exit) = &runs[0];
    assert_eq!(exit, &Exit::Ok);
    assert!(rows.delivered() > 0);
    assert_eq!(rows.rejected(), 0);
    assert_eq!(first.records, rows.delivered());
    assert_eq!(first.name, "20260102-ACME-1.csv");
    assert_eq!(first.path.as_deref(), Some(out.join(&first.name).as_path()));
    assert!(out.join("20260102-ACME-1.report.json").is_file());
    // Every identifier was delivered before: each record is withdrawn, nothing is written,
    // and the name the delivery would have had is the next number.
    let (second, again, exit) = &runs[1];
    assert_eq!(exit, &Exit::Rejected);
    assert_eq!(again.rows_read(), rows.rows_read());
    assert_eq!((again.delivered(), again.rejected()), (0, rows.delivered()));
    assert_eq!(second.path, None);
    assert_eq!(second.name, "20260102-ACME-2.csv");
    assert!(out.join("20260102-ACME-2.report.json").is_file());
    assert!(!out.join("20260102-ACME-2.csv").exists());
}

#[test]
fn a_read_only_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let client = ClientCode::new("ACME").unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let outbox = Outbox::new(out.clone(), date, client.clone(), "csv");
    let log = IssueLog::new(false, false).unwrap();
    let mut checked = Delivery::read_only(None, Some(client))
        .check(&export(), &options(), log)
        .unwrap();
    assert!(!checked.check_reuse(false).unwrap());
    let delivered = checked.deliver(DeliveryFormat::Csv, &outbox).unwrap();
    assert_eq!(delivered.path, None);
    assert_eq!(delivered.name, "20260102-ACME-1.csv");
    assert!(delivered.records > 0);
    assert!(checked.delivery().is_none());
    assert!(!out.exists());
}
