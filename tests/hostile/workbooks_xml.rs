//! Hostile workbooks, XML and JSON through the real binary: zip bombs, workbooks that are not what
//! their name says, damaged workbooks, billion laughs, external entities, deep nesting and
//! text that is not UTF-8.
//! Each ends in exit 0, 1 or 2 with a message naming the file, and nothing is written on
//! exit 2. See docs/robustness.md.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{convert, Scratch, LIMIT};

/// Exit 2, a message naming the file (and `needle`), and no file in the out dir.
fn assert_refused(s: &Scratch, input: &str, extra: &[&str], needle: &str) -> String {
    let (code, err, _) = convert(s, input, extra);
    assert_eq!(code, 2, "{input}: {err}");
    assert!(err.contains(input), "the message names the file: {err}");
    assert!(err.contains(needle), "expected '{needle}' in: {err}");
    assert!(
        s.files("out").is_empty(),
        "nothing is written: {:?}",
        s.files("out")
    );
    err
}

pub(super) fn fixture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

/// The customers workbook with `pad` bytes of white space added to the end of its sheet XML:
/// a real part that inflates to far more than it takes in the file (about 1000 to 1).
fn padded_xlsx(pad: usize) -> Vec<u8> {
    let mut src =
        zip::ZipArchive::new(std::io::Cursor::new(fixture_bytes("sheets/customers.xlsx"))).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.start_file(name.as_str(), deflated).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let end = data.len() - "</worksheet>".len();
            out.write_all(&data[..end]).unwrap();
            let spaces = vec![b' '; 1 << 20];
            for _ in 0..pad >> 20 {
                out.write_all(&spaces).unwrap();
            }
            out.write_all(&data[end..]).unwrap();
        } else {
            out.write_all(&data).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size that the zip headers declare for `name` (no zip64).
fn declare_size(mut bytes: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
    for (sig, size_at, name_at) in [(b"PK\x03\x04", 22usize, 30usize), (b"PK\x01\x02", 24, 46)] {
        let mut i = 0;
        while let Some(p) = bytes[i..].windows(4).position(|w| w == sig) {
            let h = i + p;
            if bytes[h + name_at..].starts_with(name.as_bytes()) {
                bytes[h + size_at..h + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i = h + 4;
        }
    }
    bytes
}

#[test]
fn a_zip_bomb_sheet_is_refused_before_it_is_inflated() {
    let s = Scratch::new();
    // 300 MB of sheet XML in a file of a few hundred KB.
    let bomb = padded_xlsx(300 << 20);
    assert!(bomb.len() < 1 << 20, "the fixture is {} bytes", bomb.len());
    s.write("bomb.xlsx", &bomb);
    let started = Instant::now();
    let err = assert_refused(
        &s,
        "bomb.xlsx",
        &["--max-sheet-size", "100M"],
        "xl/worksheets/sheet1.xml",
    );
    assert!(err.contains("--max-sheet-size"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "refused without inflating"
    );
    // `sheets` applies the same limit.
    let out = s
        .cmd()
        .args(["sheets", "bomb.xlsx", "--max-sheet-size", "100M"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_large_genuine_sheet_is_read_under_the_default_limit() {
    let s = Scratch::new();
    s.write("padded.xlsx", padded_xlsx(20 << 20));
    assert_refused(
        &s,
        "padded.xlsx",
        &["--max-sheet-size", "10M"],
        "over the limit",
    );
    let (code, err, report) = convert(&s, "padded.xlsx", &[]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(report.unwrap()["summary"]["rows_read"], 20);
}

#[test]
fn a_zip_that_declares_impossible_sizes_is_refused() {
    let s = Scratch::new();
    let lied = declare_size(
        fixture_bytes("sheets/customers.xlsx"),
        "xl/sharedStrings.xml",
        0xF000_0000,
    );
    s.write("lied.xlsx", lied);
    assert_refused(&s, "lied.xlsx", &[], "damaged or crafted");
    // ODS goes through the same check; its content.xml is the sheet.
    s.write("c.ods", fixture_bytes("sheets/customers.ods"));
    let err = assert_refused(
        &s,
        "c.ods",
        &["--max-sheet-size", "1K"],
        "over the limit of 1024",
    );
    assert!(err.contains(".xml' inflates to"), "{err}");
}

#[test]
fn an_xlsx_that_is_really_csv_is_read_as_csv_with_a_warning() {
    let s = Scratch::new();
    s.write("export.xlsx", fixture_bytes("sheets/customers.csv"));
    let (code, err, report) = convert(&s, "export.xlsx", &[]);
    assert!(code == 0 || code == 1, "{err}");
    let report = report.unwrap();
    assert_eq!(
        report["summary"]["by_code"]["file.format_mismatch"], 1,
        "{report}"
    );
    assert_eq!(report["summary"]["rows_read"], 20);
    let warning = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "file.format_mismatch")
        .unwrap();
    assert!(
        warning["message"].as_str().unwrap().contains("read as csv"),
        "{warning}"
    );
    // A forced format is not second-guessed: the text is then refused as a workbook.
    assert_refused(&s, "export.xlsx", &["--input-format", "xlsx"], "xlsx");
}

#[test]
fn truncated_and_corrupt_workbooks_are_refused_naming_the_file() {
    let s = Scratch::new();
    let bytes = fixture_bytes("sheets/customers.xlsx");
    s.write("cut.xlsx", &bytes[..bytes.len() / 2]);
    assert_refused(&s, "cut.xlsx", &[], "");
    // Damage the sheet's compressed data: a checksum or inflate error, never a shorter sheet.
    let at = bytes
        .windows(24)
        .position(|w| w == b"xl/worksheets/sheet1.xml")
        .unwrap();
    let mut corrupt = bytes.clone();
    for b in &mut corrupt[at + 200..at + 260] {
        *b ^= 0x5A;
    }
    s.write("corrupt.xlsx", &corrupt);
    assert_refused(&s, "corrupt.xlsx", &[], "");
    let ods = fixture_bytes("sheets/customers.ods");
    s.write("cut.ods", &ods[..ods.len() - 40]);
    assert_refused(&s, "cut.ods", &[], "");
}

#[test]
fn billion_laughs_is_refused_without_expanding_anything() {
    let s = Scratch::new();
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE annabel [\n <!ENTITY lol \"lol\">\n");
    doc.push_str(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..10 {
        let prev = format!("&lol{};", i - 1);
        doc.push_str(&format!(" <!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
    }
    doc.push_str("]>\n<annabel><record><person><familyname>&lol9;</familyname></person></record></annabel>\n");
    s.write("laughs.xml", doc);
    let started = Instant::now();
    let err = assert_refused(&s, "laughs.xml", &[], "DOCTYPE");
    assert!(err.contains("line 2"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // The entity used without its declaration is an unknown entity, not an expansion.
    s.write(
        "ref.xml",
        "<annabel><record><person><familyname>&lol9;</familyname></person></record></annabel>",
    );
    assert_refused(&s, "ref.xml", &[], "&lol9;");
}

#[test]
fn an_external_entity_is_never_fetched() {
    let s = Scratch::new();
    s.write(
        "xxe.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE annabel [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n\
         <annabel><record><person><familyname>&x;</familyname></person></record></annabel>\n",
    );
    let err = assert_refused(&s, "xxe.xml", &[], "DOCTYPE");
    assert!(!err.contains("root:"), "{err}");
}

#[test]
fn deep_nesting_is_refused_with_its_place_and_the_limit_can_be_raised() {
    let s = Scratch::new();
    let deep = |n: usize| {
        format!(
            "<annabel>\n<record><identification><identifier>K1</identifier></identification>\n<person>{}{}</person></record>\n</annabel>\n",
            "<x>".repeat(n),
            "</x>".repeat(n)
        )
    };
    s.write("deep.xml", deep(100));
    let err = assert_refused(&s, "deep.xml", &[], "--max-xml-depth");
    assert!(err.contains("line 3, column"), "{err}");
    let (code, err, report) = convert(&s, "deep.xml", &["--max-xml-depth", "200"]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(report.unwrap()["summary"]["rows_read"], 1);
    // A million levels is refused as quickly, also in an element skipped between records.
    s.write(
        "deeper.xml",
        format!(
            "<annabel>\n<other>{}{}</other></annabel>",
            "<y>".repeat(1_000_000),
            "</y>".repeat(1_000_000)
        ),
    );
    let started = Instant::now();
    assert_refused(&s, "deeper.xml", &[], "line 2, column");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn malformed_xml_is_refused_with_line_and_column() {
    let s = Scratch::new();
    s.write(
        "bad.xml",
        "<annabel>\n<record><person><familyname>A</givenname></person></record>\n</annabel>\n",
    );
    assert_refused(&s, "bad.xml", &[], "line 2, column");
}

#[test]
fn xml_and_json_that_are_not_utf8_are_refused_never_replaced() {
    let s = Scratch::new();
    s.write(
        "latin1.xml",
        b"<annabel><record><person><familyname>Jos\xe9</familyname></person></record></annabel>",
    );
    assert_refused(&s, "latin1.xml", &[], "UTF-8");
    s.write(
        "latin1.json",
        b"[{\"first_name\":\"Jos\xe9\",\"last_name\":\"x\"}]",
    );
    assert_refused(&s, "latin1.json", &["--input-format", "crmcom"], "line 1");
}

#[test]
fn the_file_size_limit_applies_to_every_format() {
    let s = Scratch::new();
    for name in [
        "customers.xlsx",
        "customers.ods",
        "customers.xls",
        "customers.xml",
    ] {
        s.write(name, fixture_bytes(&format!("sheets/{name}")));
        assert_refused(&s, name, &["--max-file-size", "1K"], "--max-file-size");
    }
}

#[test]
fn deeply_nested_json_is_refused_not_a_stack_overflow() {
    let s = Scratch::new();
    let n = 200_000;
    s.write(
        "deep.json",
        format!("[{{\"first_name\":{}{}}}]", "[".repeat(n), "]".repeat(n)),
    );
    assert_refused(
        &s,
        "deep.json",
        &["--input-format", "crmcom"],
        "recursion limit",
    );
}
