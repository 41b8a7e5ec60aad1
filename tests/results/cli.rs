//! `collectmaxx results` from the outside: formats, join, exit codes.

use predicates::prelude::*;

use crate::harness::Scratch;

const DAY5: &str = "fixtures/results/result_20220105-acos1001.csv";
const DAY6: &str = "fixtures/results/result_20220106-acos1001.csv";
const PAYLINK: &str = "fixtures/results/result_20220101_20220106_paylink.csv";
const DELIVERY: &str = "fixtures/results/delivery_20220104-1001-1.csv";

#[test]
fn table_is_the_default() {
    let s = Scratch::new();
    s.cmd_in_crate()
        .args(["results", DAY5, DAY6])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Unmatched inbound calls: 1"))
        .stdout(predicate::str::contains("invalid number"));
}

#[test]
fn json_format() {
    let s = Scratch::new();
    let out = s
        .cmd_in_crate()
        .args(["results", "--format", "json", DAY5, PAYLINK])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["records"], 15);
    assert_eq!(v["unmatched_inbound"], 1);
    assert_eq!(
        v["channels"]["call"]["results"]["8"]["meaning"],
        "invalid number"
    );
    assert_eq!(
        v["channels"]["sms_paylink"]["results"]["4"]["meaning"],
        "paid"
    );
    assert_eq!(
        v["channels"]["mail_paylink"]["results"]["4"]["meaning"],
        "partially paid"
    );
    assert_eq!(v["paylink_file"]["paid_amount"], "174.66");
    assert!(v.get("join").is_none());
}

#[test]
fn csv_format() {
    let s = Scratch::new();
    s.cmd_in_crate()
        .args(["results", "--format", "csv", DAY5])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "identifier;channel;occurrence;address;code;meaning;time;",
        ))
        .stdout(predicate::str::contains(
            "INV-1002;call;2;31102345602;8;invalid number;2022-01-05T18:31:00+01:00;1;0;outbound;0;",
        ));
}

#[test]
fn join_lists_records_without_results() {
    let s = Scratch::new();
    s.cmd_in_crate()
        .args(["results", DAY5, "--join", DELIVERY])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "without results yet: INV-1016, INV-1017",
        ));
}

#[test]
fn missing_file_is_exit_2_naming_it() {
    let s = Scratch::new();
    s.cmd_in_crate()
        .args([
            "results",
            DAY5,
            "fixtures/results/result_20220107-acos1001.csv",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("result_20220107-acos1001.csv"))
        .stderr(predicate::str::contains("cannot open"));
}

#[test]
fn a_delivery_or_other_csv_is_no_result_file() {
    let s = Scratch::new();
    // A delivery has the identifier but no result column: refused, naming what a result file
    // holds (it was read with a warning, and summed up as records without results).
    s.cmd_in_crate()
        .args(["results", DELIVERY])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("delivery_20220104-1001-1.csv"))
        .stderr(predicate::str::contains(
            "IDENTIFICATION_IDENTIFIER but no result column",
        ))
        .stderr(predicate::str::contains("CALLRESULTS_CALL_1_RESULT"))
        .stderr(predicate::str::contains("PAYMAILRESULTS_EMANDATE"))
        .stderr(predicate::str::contains("paymentMethod"))
        .stderr(predicate::str::contains("--join"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.csv");
    std::fs::write(&path, "name;remark\nA;b\n").unwrap();
    s.cmd_in_crate()
        .arg("results")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("notes.csv"))
        .stderr(predicate::str::contains("not a Collectmaxx result file"));
}

#[test]
fn missing_join_delivery_is_exit_2() {
    let s = Scratch::new();
    s.cmd_in_crate()
        .args(["results", DAY5, "--join", "no-such-delivery.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-delivery.csv"));
}

#[test]
fn bad_arguments_are_exit_2() {
    let s = Scratch::new();
    s.cmd_in_crate().args(["results"]).assert().code(2);
    s.cmd_in_crate()
        .args(["results", "--format", "xml", DAY5])
        .assert()
        .code(2);
}

#[test]
fn malformed_rows_warn_and_count_but_do_not_fail() {
    let s = Scratch::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result_20220107-acos1001.csv");
    std::fs::write(
        &path,
        "IDENTIFICATION_IDENTIFIER;CALLRESULTS_CALL_1_RESULT;CALLRESULTS_CALL_1_TIME\n\
         A;3;2022-01-07T10:00:00+01:00\n\
         B;4\n\
         C;99;yesterday\n",
    )
    .unwrap();
    s.cmd_in_crate()
        .args(["results", "--format", "json"])
        .arg(&path)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "line 3: row has 2 cells but the header has 3",
        ))
        .stderr(predicate::str::contains(
            "line 4: CALLRESULTS_CALL_1_TIME 'yesterday'",
        ))
        .stdout(predicate::str::contains("\"malformed_rows\": 1"))
        .stdout(predicate::str::contains("\"meaning\": \"unknown code\""));
}

/// One status, one row: `4` (v1) and `paid` (v2) are both "paid" by SMS, while by e-mail `4`
/// is a partial payment.
#[test]
fn paylink_codes_are_counted_per_status_on_their_own_channel() {
    let s = Scratch::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result_20220107-acos1001.csv");
    std::fs::write(
        &path,
        "IDENTIFICATION_IDENTIFIER;SMSRESULTS_PAYLINK_1_RESULT;PAYMAILRESULTS_PAYLINK_1_RESULT\n\
         A;4;4\nB;paid;paid\nC;PAID;42\n",
    )
    .unwrap();
    let out = s.cmd_in_crate().arg("results").arg(&path).assert().code(0);
    let table = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let sms = table.split("PayLinks sent by SMS").nth(1).unwrap();
    let sms = sms.split("\n\n").next().unwrap();
    assert!(
        sms.contains("paid        3  100.0%  paid (1 as v1 code 4)"),
        "{sms}"
    );
    assert_eq!(sms.matches("paid").count(), 4, "one row: {sms}");
    let mail = table.split("PayLinks sent by e-mail").nth(1).unwrap();
    let mail = mail.split("\n\n").next().unwrap();
    assert!(
        mail.contains("partially_paid        1   33.3%  partially paid (1 as v1 code 4)"),
        "{mail}"
    );
    assert!(mail.contains(" paid        1   33.3%  paid\n"), "{mail}");
    assert!(mail.contains("42        1   33.3%  unknown code"), "{mail}");

    let out = s
        .cmd_in_crate()
        .args(["results", "--format", "json"])
        .arg(&path)
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let sms = &v["channels"]["sms_paylink"];
    // The keys that were there stay, with their values; `status` is added.
    assert_eq!(sms["results"]["4"]["meaning"], "paid");
    assert_eq!(sms["results"]["4"]["count"], 1);
    assert_eq!(sms["results"]["4"]["status"], "paid");
    assert_eq!(sms["results"]["paid"]["count"], 2);
    assert_eq!(sms["paid"], 3);
    assert_eq!(sms["statuses"]["paid"]["count"], 3);
    assert_eq!(sms["statuses"]["paid"]["codes"]["4"], 1);
    assert_eq!(sms["statuses"].as_object().unwrap().len(), 1);
    let mail = &v["channels"]["mail_paylink"];
    assert_eq!(mail["results"]["4"]["status"], "partially_paid");
    assert_eq!(mail["statuses"]["partially_paid"]["count"], 1);
    assert_eq!(mail["statuses"]["42"]["known"], false);
    assert!(mail["results"]["42"].get("status").is_none());
    // Other channels have no status keys.
    assert!(v["channels"]["call"].get("statuses").is_none());
}
