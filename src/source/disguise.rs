//! Text that is not what its name says, told by its first bytes.
//!
//! Many systems export "Excel" files that are text under a workbook's name: a web page with an
//! HTML table, Excel 2003's XML spreadsheet, tab-separated text (Excel's own "Unicode text" is
//! UTF-16 with tabs). What the tool does with each:
//!
//! - **delimited text** (tab, `;`, `,` or `|` in the first line): read as CSV, which it is; the
//!   `file.format_mismatch` warning says which kind of text it was, so the misnamed export is
//!   noticed. Nothing is lost or guessed: the CSV reader reads such text fully.
//! - **HTML** (whatever the name): refused. An HTML table only looks like a sheet in a
//!   browser or in Excel, which interprets it (merged cells, `mso-number-format` styles that
//!   keep leading zeros, entities, nested tables); reading it as lines of CSV delivers tags as
//!   values, and reading it as a table would be a guess at how Excel shows it. Excel or
//!   LibreOffice open it and can save it as `.xlsx`.
//! - **Excel 2003 XML spreadsheets** (SpreadsheetML) and **flat OpenDocument** files (`.fods`),
//!   whatever the name: refused likewise; they are not the delivery XML format and calamine
//!   does not read them.
//! - **text without any delimiter** under a workbook's name: refused. A one-line note or an
//!   error page saved as `export.xls` has no table in it, and reading it as a one-column CSV
//!   would end "0 rows read" with exit 0, which looks like an empty but valid export.

use encoding_rs::{UTF_16BE, UTF_16LE};

use super::Format;

/// What a text file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Text {
    Html,
    SpreadsheetMl,
    /// A flat (single XML file) OpenDocument document, such as a `.fods`.
    FlatOdf,
    /// Lines of values separated by this byte.
    Delimited(u8),
    /// No delimiter in the first line, which is given (shortened).
    Plain(String),
}

/// The delimiters the CSV reader detects.
const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// The most of the first line that a message quotes.
const QUOTED_CHARS: usize = 60;

/// Classifies the first bytes of a text file (UTF-8, or UTF-16 with a byte order mark).
pub(crate) fn classify(head: &[u8]) -> Text {
    let text = decode(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let lower = trimmed
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.contains("urn:schemas-microsoft-com:office:spreadsheet")
        || lower.contains("progid=\"excel.sheet\"")
    {
        return Text::SpreadsheetMl;
    }
    if lower.contains("<office:document ") || lower.contains("<office:document>") {
        return Text::FlatOdf;
    }
    if lower.starts_with('<')
        && ["<!doctype html", "<html", "<table", "<body", "<head>"]
            .iter()
            .any(|tag| lower.contains(tag))
    {
        return Text::Html;
    }
    let line = trimmed.lines().next().unwrap_or("");
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            _ => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    match (0..DELIMITERS.len()).max_by_key(|&i| (counts[i], usize::MAX - i)) {
        Some(i) if counts[i] > 0 => Text::Delimited(DELIMITERS[i]),
        _ => Text::Plain(shorten(line)),
    }
}

fn decode(head: &[u8]) -> String {
    if let Some(rest) = head.strip_prefix(b"\xFF\xFE") {
        return UTF_16LE.decode_without_bom_handling(rest).0.into_owned();
    }
    if let Some(rest) = head.strip_prefix(b"\xFE\xFF") {
        return UTF_16BE.decode_without_bom_handling(rest).0.into_owned();
    }
    String::from_utf8_lossy(head).into_owned()
}

fn shorten(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() <= QUOTED_CHARS {
        return line.to_string();
    }
    let cut: String = line.chars().take(QUOTED_CHARS).collect();
    format!("{cut}…")
}

/// How the `file.format_mismatch` warning names the content of a text file read as `format`.
pub fn describe(head: &[u8], format: Format) -> String {
    if format != Format::Csv {
        return format.name().to_string();
    }
    match classify(head) {
        Text::Delimited(b'\t') => "tab-separated text".to_string(),
        Text::Delimited(b';') => "semicolon-separated text".to_string(),
        Text::Delimited(b',') => "comma-separated text".to_string(),
        Text::Delimited(d) => format!("text separated by '{}'", char::from(d)),
        _ => "text".to_string(),
    }
}

/// Whether a name claims a workbook format.
fn named_as_workbook(claimed: Option<&str>) -> bool {
    matches!(claimed, Some("xlsx" | "xlsb" | "xls" | "ods"))
}

/// Why a text file is refused, if it is: HTML, Excel 2003 XML and flat OpenDocument whatever
/// their name, and text without a table under a workbook's name. `format` is what detection
/// made of the file; `claimed` the format its extension names
/// ([`super::mismatch::claimed_format`]).
pub fn refusal(head: &[u8], format: Format, claimed: Option<&str>) -> Option<String> {
    if !matches!(format, Format::Csv | Format::Xml) {
        return None;
    }
    let named = match claimed {
        Some(c) if named_as_workbook(claimed) => format!("named as .{c} but "),
        _ => String::new(),
    };
    let save = "open it in Excel or LibreOffice and save it as .xlsx (or export the data as \
                CSV), then run on that file";
    match classify(head) {
        Text::Html => Some(format!(
            "is {named}a web page (HTML), not a workbook or CSV: many systems export an HTML \
             table under a spreadsheet's name, and collectmaxx does not read HTML; {save}"
        )),
        Text::SpreadsheetMl => Some(format!(
            "is {named}an Excel 2003 XML spreadsheet (SpreadsheetML), which collectmaxx does not \
             read; {save}"
        )),
        Text::FlatOdf => Some(format!(
            "is {named}a flat OpenDocument file (.fods, one XML file), which collectmaxx does \
             not read; open it in LibreOffice and save it as .ods or .xlsx, then run on that file"
        )),
        Text::Plain(line) if format == Format::Csv && named_as_workbook(claimed) => Some(format!(
            "is {named}a text file, not a workbook, and its first line ('{line}') has no \
             column delimiter (tab, ';', ',' or '|'), so it holds no table: check that the \
             export finished and chose the right file; if it is a one-column CSV, name it \
             .csv or pass --input-format csv"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_text() {
        assert_eq!(
            classify(b"<!DOCTYPE html>\n<html><body><table>"),
            Text::Html
        );
        assert_eq!(
            classify(b"  <table border=1><tr><td>K-1</td></tr></table>"),
            Text::Html
        );
        assert_eq!(
            classify(b"<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">"),
            Text::Html
        );
        assert_eq!(
            classify(
                b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook>"
            ),
            Text::SpreadsheetMl
        );
        assert_eq!(classify(b"A\tB;C\tD\n1\t2"), Text::Delimited(b'\t'));
        assert_eq!(classify(b"\"a;b\",c\n"), Text::Delimited(b','));
        assert_eq!(classify(b"\xEF\xBB\xBFa;b\n"), Text::Delimited(b';'));
        assert_eq!(
            classify(b"hello world\n"),
            Text::Plain("hello world".into())
        );
        assert_eq!(classify(b""), Text::Plain(String::new()));
        // Excel's "Unicode text": UTF-16LE with a byte order mark, tab-separated.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("ID\tNaam\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(classify(&utf16), Text::Delimited(b'\t'));
        let long = "x".repeat(100);
        assert_eq!(
            classify(long.as_bytes()),
            Text::Plain(format!("{}…", "x".repeat(60)))
        );
    }

    #[test]
    fn what_is_refused_and_what_is_read() {
        let html = b"<html><table><tr><td>1</td></tr></table></html>";
        let e = refusal(html, Format::Csv, Some("xls")).unwrap();
        assert!(e.contains("named as .xls but a web page"), "{e}");
        assert!(refusal(html, Format::Csv, Some("csv")).is_some());
        let one_line = b"Debiteuren export 30-11-2026\n";
        let e = refusal(one_line, Format::Csv, Some("xls")).unwrap();
        assert!(e.contains("'Debiteuren export 30-11-2026'"), "{e}");
        assert!(refusal(one_line, Format::Csv, Some("csv")).is_none());
        assert!(refusal(one_line, Format::Csv, None).is_none());
        assert!(refusal(b"a\tb\n1\t2\n", Format::Csv, Some("xls")).is_none());
        let xml = b"<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?><Workbook/>";
        assert!(refusal(xml, Format::Xml, Some("xml")).is_some());
        assert!(refusal(b"<?xml version=\"1.0\"?><annabel/>", Format::Xml, None).is_none());
        let fods = b"<?xml version=\"1.0\"?>\n<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\">";
        assert!(refusal(fods, Format::Xml, Some("ods"))
            .unwrap()
            .contains("named as .ods but a flat OpenDocument file"));
        assert!(refusal(html, Format::Xlsx, Some("xlsx")).is_none());
    }

    #[test]
    fn descriptions_name_the_delimiter() {
        assert_eq!(describe(b"a\tb\n", Format::Csv), "tab-separated text");
        assert_eq!(describe(b"a;b\n", Format::Csv), "semicolon-separated text");
        assert_eq!(describe(b"a|b\n", Format::Csv), "text separated by '|'");
        assert_eq!(describe(b"PK", Format::Xlsx), "xlsx");
    }
}
