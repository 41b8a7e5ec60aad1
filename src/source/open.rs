//! Opening an input: its format decided from its first bytes (then its extension), and the
//! reader that format calls for.

use super::{crmcom, csv, disguise, mismatch, sheet, stdin, xml};
use super::{Format, ReadOptions, Source, SourceError};

/// Decides the format of a file from its first bytes, then its extension.
pub fn detect(path: &std::path::Path, head: &[u8]) -> Format {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(format) = sniff(head) {
        // A zip is a spreadsheet either way; the extension tells XLSB from XLSX (and
        // `sheet::open` checks the zip's content for the workbook part).
        return match (format, ext.as_str()) {
            (Format::Xlsx, "xlsb") => Format::Xlsb,
            (Format::Xlsx, "ods") => Format::Ods,
            (f, _) => f,
        };
    }
    if crmcom::sniff(head) {
        return Format::Crmcom;
    }
    match ext.as_str() {
        "json" | "ndjson" | "jsonl" => Format::Crmcom,
        // Text that is none of the above is CSV, whatever the name says (an "export.xls"
        // that is really CSV); only an empty file goes by its extension.
        _ if !head.is_empty() => Format::Csv,
        "xlsx" | "xlsm" => Format::Xlsx,
        "xlsb" => Format::Xlsb,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "xml" => Format::Xml,
        _ => Format::Csv,
    }
}

/// The format that a file's first bytes prove, if any: a zip (XLSX family, or ODS by its
/// `mimetype` entry), an OLE2 compound file (XLS), or XML.
fn sniff(head: &[u8]) -> Option<Format> {
    const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
    if head.starts_with(b"PK\x03\x04") {
        let ods = head.windows(ODS_MIME.len()).any(|w| w == ODS_MIME);
        return Some(if ods { Format::Ods } else { Format::Xlsx });
    }
    if head.starts_with(OLE2) {
        return Some(Format::Xls);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = text.get(start..)?;
    let lower: Vec<u8> = text.iter().take(8).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<annabel") || lower.starts_with(b"<!--") {
        return Some(Format::Xml);
    }
    None
}

/// The format of a file: forced by `opts.format`, else detected from its content (and, for
/// zips, the parts inside), else from its extension.
pub fn detect_file(path: &std::path::Path, opts: &ReadOptions) -> Result<Format, SourceError> {
    if let Some(forced) = opts.format {
        return Ok(forced);
    }
    let path = &*stdin::resolve(path)?;
    let shown = path.display().to_string();
    let mut head = [0u8; 512];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(path)
            .map_err(|e| SourceError::new(&shown, format!("cannot open: {e}")))?;
        f.read(&mut head)
            .map_err(|e| SourceError::new(&shown, format!("cannot read: {e}")))?
    };
    Ok(sheet::refine_zip(path, detect(path, &head[..n])))
}

/// Opens an input file with the reader its format calls for; `-` is standard input, read from
/// its spool ([`stdin`]), its format decided by content alone.
pub fn open(path: &std::path::Path, opts: &ReadOptions) -> Result<Box<dyn Source>, SourceError> {
    let real = stdin::resolve(path)?;
    if real.as_ref() != path {
        return open_file(&real, opts).map_err(|e| stdin::rename_error(e, &real));
    }
    open_file(path, opts)
}

fn open_file(path: &std::path::Path, opts: &ReadOptions) -> Result<Box<dyn Source>, SourceError> {
    let shown = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(SourceError::new(
                &shown,
                "is a directory, not an export file",
            ))
        }
        Ok(m) if m.is_file() && m.len() > opts.limits.max_file_bytes => {
            return Err(SourceError::new(
                &shown,
                format!(
                    "is {} bytes, over the limit of {} (raise it with --max-file-size)",
                    m.len(),
                    opts.limits.max_file_bytes
                ),
            ))
        }
        Ok(_) => {}
        Err(e) => return Err(SourceError::new(&shown, format!("cannot open: {e}"))),
    }
    let mut head = [0u8; 512];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(path)
            .map_err(|e| SourceError::new(&shown, format!("cannot open: {e}")))?;
        f.read(&mut head)
            .map_err(|e| SourceError::new(&shown, format!("cannot read: {e}")))?
    };
    let head = &head[..n];
    let format = opts.format.unwrap_or_else(|| detect(path, head));
    if opts.format.is_none() {
        if let Some(message) = disguise::refusal(head, format, mismatch::claimed_format(path)) {
            return Err(SourceError::new(&shown, message));
        }
    }
    let source: Box<dyn Source> = match format {
        Format::Csv => Box::new(csv::CsvSource::open(path, opts)?),
        Format::Crmcom => Box::new(crmcom::CrmcomSource::open(path, opts)?),
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods => {
            let format = match opts.format {
                Some(forced) => forced,
                None => sheet::refine_zip(path, format),
            };
            Box::new(sheet::open(path, format, opts)?)
        }
        Format::Xml => Box::new(xml::XmlSource::open(path, opts)?),
    };
    let content = disguise::describe(head, format);
    Ok(mismatch::note_mismatch(
        path,
        opts.format.is_some(),
        &content,
        source,
    ))
}

/// Opens an input whose header may sit below title lines. A sheet finds its header itself, below
/// lone title cells; a CSV file's header is its first line. When that row holds one value or
/// none (a title such as `Openstaande posten per 14-03-2025`), or a number or a date (a title
/// row `Openstaande posten | 14-03-2025`, which no header holds), the input is opened again at
/// each of the next rows, and the first row with two values or more that looks like a header
/// is taken. A first row of two plain values is a title only when a row below is clearly
/// wider (three values or more, and twice as many). Used by `collectmaxx map`, which writes
/// the row into the profile: runs read the
/// header where the profile or `--header-row` says, never guessing.
pub fn open_finding_header(
    path: &std::path::Path,
    opts: &ReadOptions,
) -> Result<Box<dyn Source>, SourceError> {
    let first = open(path, opts)?;
    let values = |s: &dyn Source| s.header().iter().filter(|h| !h.trim().is_empty()).count();
    let cells: Vec<super::Cell> = first
        .header()
        .iter()
        .map(|h| super::Cell::Text(h.clone()))
        .collect();
    let few = values(&*first);
    let titled = few < 2 || super::header_row::not_a_header(&cells).is_some();
    let table = matches!(first.format(), "csv" | "xlsx" | "xlsb" | "xls" | "ods");
    // Two values may be a title too (`Adressen debiteuren | Afgedrukt: 14-03-2025`), but only
    // when a row below is clearly wider: three values or more, twice as many.
    let wide = if titled { 2 } else { 3.max(2 * few) };
    if opts.header_row.is_some() || !table || (!titled && few > 2) {
        return Ok(first);
    }
    let from = first.header_row() + 1;
    for row in from..from + sheet::TITLE_LOOKAHEAD as u64 {
        let at = ReadOptions {
            header_row: Some(row),
            ..opts.clone()
        };
        if let Ok(found) = open(path, &at) {
            if values(&*found) >= wide {
                return Ok(found);
            }
        }
    }
    Ok(first)
}

#[cfg(test)]
mod header_tests {
    use super::*;

    fn finds(text: &str) -> (u64, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let src = open_finding_header(&path, &ReadOptions::default()).unwrap();
        (src.header_row(), src.header().to_vec())
    }

    #[test]
    fn a_csv_header_below_title_lines_is_found_and_a_one_column_file_is_left_alone() {
        let (row, header) =
            finds("Openstaande posten\nper 14-03-2025\n\nDebiteur;Bedrag\nD1;12,50\n");
        assert_eq!(
            (row, header),
            (4, vec!["Debiteur".to_string(), "Bedrag".into()])
        );
        // One column all the way down: row 1 is the header.
        assert_eq!(finds("Achternaam\nJansen\nBakker\n").0, 1);
        // A title line above data rows only (no row looks like a header): row 1 stays.
        assert_eq!(finds("Rapport\n1;12,50\n2;3,00\n").0, 1);
        // A title row of two values, one a date, is no header either.
        let (row, header) = finds("Openstaande posten;14-03-2025\nDebiteur;Bedrag\nD1;12,50\n");
        assert_eq!((row, header[0].as_str()), (2, "Debiteur"));
        // Two plain values above a wider header: a title.
        let (row, header) = finds(
            "Adressen debiteuren;;Afgedrukt: 14-03-2025\nRekening;Naam;Plaats;Land\nD1;A;B;NL\n",
        );
        assert_eq!((row, header[0].as_str()), (2, "Rekening"));
        // A two-column file keeps its first row, and so does a header whose rows are no wider.
        assert_eq!(finds("Debiteur;Bedrag\nD1;12,50\nD2;3,00\n").0, 1);
        assert_eq!(finds("Debiteur;Naam;Bedrag\nD1;A;12,50\n").0, 1);
    }
}
