//! Reading odd but valid files, and never panicking on any input.

use std::path::Path;

use collectmaxx::results::read::{read_file, FileInfo, Item, RecordRow};
use collectmaxx::results::Warnings;
use proptest::prelude::*;

fn read_bytes(name: &str, bytes: &[u8]) -> (Result<FileInfo, String>, Vec<RecordRow>, Warnings) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut w = Warnings::default();
    let mut rows = Vec::new();
    let r = read_file(Path::new(&path), &mut w, &mut |i| {
        if let Item::Record(r) = i {
            rows.push(r)
        }
    })
    .map_err(|e| e.to_string());
    (r, rows, w)
}

#[test]
fn bom_crlf_and_comma_header() {
    let (info, rows, w) = read_bytes(
        "result_20220107-acos1001.csv",
        b"\xef\xbb\xbf\"IDENTIFICATION_IDENTIFIER\",\"SMSRESULTS_SMS_1_RESULT\"\r\n\"A\",\"1\"\r\n",
    );
    assert_eq!(info.unwrap().rows, 1);
    assert_eq!(w.count, 0);
    assert_eq!(rows[0].identifier, "A");
    assert_eq!(rows[0].entries[0].get("RESULT"), Some("1"));
}

#[test]
fn header_only_file_has_no_rows() {
    let (info, rows, _) = read_bytes(
        "result_20220107-acos1001.csv",
        b"IDENTIFICATION_IDENTIFIER;SMSRESULTS_SMS_1_RESULT\n",
    );
    assert_eq!(info.unwrap().rows, 0);
    assert!(rows.is_empty());
}

#[test]
fn a_header_without_result_columns_is_no_result_file() {
    // An identifier alone, or with other columns (a delivery, an export): refused.
    for header in [
        &b"IDENTIFICATION_IDENTIFIER\n"[..],
        b"IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME\nA;Jansen\n;\n;\n",
        // `id` and `status` are in many exports; the PayLink file has more of its columns.
        b"id;status;name\n1;open;x\n",
    ] {
        let (info, _, _) = read_bytes("result_20220107-acos1001.csv", header);
        let e = info.unwrap_err();
        assert!(
            e.contains("not a Collectmaxx result file") && e.contains("CALLRESULTS_CALL_1_RESULT"),
            "{e}"
        );
    }
    let (info, _, _) = read_bytes("paylinks.csv", b"id;status;amount;updated\n");
    assert!(!info.unwrap().kind.is_records());
}

#[test]
fn empty_file_is_an_error_naming_it() {
    let (info, _, _) = read_bytes("result_20220107-acos1001.csv", b"");
    let e = info.unwrap_err();
    assert!(
        e.contains("result_20220107-acos1001.csv") && e.contains("empty"),
        "{e}"
    );
}

#[test]
fn name_and_header_disagree_header_wins() {
    let (info, _, w) = read_bytes(
        "result_20220101_20220107_paylink.csv",
        b"IDENTIFICATION_IDENTIFIER;CALLRESULTS_CALL_1_RESULT\nA;3\n",
    );
    assert!(info.unwrap().kind.is_records());
    assert_eq!(w.kept[0].code, "results.kind_mismatch");
}

#[test]
fn invalid_utf8_row_is_read_with_a_warning() {
    let (info, rows, w) = read_bytes(
        "result_20220107-acos1001.csv",
        b"IDENTIFICATION_IDENTIFIER;PAYMAILRESULTS_EMAIL_1_EMAIL\nA;j\xe9@example.nl\n",
    );
    assert_eq!(info.unwrap().malformed_rows, 1);
    assert_eq!(w.kept[0].code, "results.not_utf8");
    assert_eq!(
        rows[0].entries[0].get("EMAIL"),
        Some("j\u{fffd}@example.nl")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn never_panics_on_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"IDENTIFICATION_IDENTIFIER;CALLRESULTS_CALL_1_RESULT;CALLRESULTS_CALL_1_TIME;SMSRESULTS_PAYLINK_RESULT\n".to_vec();
        bytes.extend(body);
        let (info, rows, _) = read_bytes("result_20220107-acos1001.csv", &bytes);
        let info = info.unwrap();
        prop_assert!(info.rows >= rows.len() as u64);
    }

    #[test]
    fn never_panics_on_any_text(text in "[\"; \\nA-Z_0-9a-z\\r,é]{0,300}") {
        let _ = read_bytes("x.csv", text.as_bytes());
    }
}

#[test]
fn repeated_columns_first_non_empty_value_wins_and_unknown_ones_are_listed_once() {
    let (info, rows, _) = read_bytes(
        "result_20220107-acos1001.csv",
        b"IDENTIFICATION_IDENTIFIER;NOTE;SMSRESULTS_SMS_1_RESULT;NOTE;SMSRESULTS_SMS_RESULT\nA;x;;y;2\nB;x;1;y;2\n",
    );
    let info = info.unwrap();
    assert_eq!(info.unknown_columns, vec!["NOTE"]);
    assert_eq!(info.repeated_columns, vec!["SMSRESULTS_SMS_1_RESULT"]);
    assert_eq!(rows[0].entries[0].get("RESULT"), Some("2"));
    assert_eq!(rows[1].entries[0].get("RESULT"), Some("1"));
}
