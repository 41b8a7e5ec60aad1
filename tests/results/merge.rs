//! Merging a month of files: a record's later status wins, per channel occurrence.

use std::path::PathBuf;

use collectmaxx::results::columns::Group;
use collectmaxx::results::{load, Merged, Warnings};

fn load_all(files: &[&str]) -> Merged {
    let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    let mut w = Warnings::default();
    load(&paths, &mut w).unwrap()
}

fn code(m: &Merged, id: &str, group: Group, occ: u32, field: &str) -> Option<String> {
    m.records
        .get(id)?
        .entries
        .get(&(group, occ))?
        .entry
        .get(field)
        .map(str::to_string)
}

const MONTHLY: &str = "fixtures/results/result_20211201_20211231-acos1001.csv";
const DAY5: &str = "fixtures/results/result_20220105-acos1001.csv";
const DAY6: &str = "fixtures/results/result_20220106-acos1001.csv";

#[test]
fn later_file_replaces_earlier_status_whatever_the_argument_order() {
    for order in [
        [MONTHLY, DAY5, DAY6],
        [DAY6, DAY5, MONTHLY],
        [DAY5, DAY6, MONTHLY],
    ] {
        let m = load_all(&order);
        // INV-1002 did not answer on the 5th and called back on the 6th.
        assert_eq!(
            code(&m, "INV-1002", Group::Call, 1, "RESULT").as_deref(),
            Some("3")
        );
        assert_eq!(
            code(&m, "INV-1002", Group::Call, 1, "DIRECTION").as_deref(),
            Some("inbound")
        );
        // Its second number is only in the 5th's file and stays.
        assert_eq!(
            code(&m, "INV-1002", Group::Call, 2, "RESULT").as_deref(),
            Some("8")
        );
        // INV-1001: December's monthly said no answer, January's daily says completed.
        assert_eq!(
            code(&m, "INV-1001", Group::Call, 1, "RESULT").as_deref(),
            Some("3")
        );
        // The v2 word of the 6th replaces the v1 integer of the 5th.
        assert_eq!(
            code(&m, "INV-1003", Group::MailPaylink, 1, "RESULT").as_deref(),
            Some("paid")
        );
        assert_eq!(m.unmatched.len(), 2);
    }
}

#[test]
fn unnumbered_monthly_columns_are_occurrence_one() {
    let m = load_all(&[MONTHLY]);
    assert_eq!(
        code(&m, "INV-0903", Group::Mail, 1, "EMAIL").as_deref(),
        Some("b.mol@example.nl")
    );
    assert_eq!(
        code(&m, "INV-0901", Group::Sms, 1, "TIME").as_deref(),
        Some("2021-12-03T09:00:00+00:00")
    );
    let f = &m.files[0];
    assert_eq!(f.unknown_columns, vec!["REGION", "CALLRESULTS_CALL_1_COST"]);
}
