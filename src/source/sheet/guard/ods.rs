//! ODS: the used area of each sheet, from one streamed pass over `content.xml`.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::Extent;

/// Measures every sheet of an OpenDocument spreadsheet by streaming its `content.xml`.
pub(crate) fn ods_extents<R: Read + Seek>(file: R) -> Result<Vec<Extent>, String> {
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("not a valid ODS file: {e}"))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|e| format!("not a valid ODS file (content.xml: {e})"))?;
    scan_content(BufReader::new(content))
}

pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

pub(crate) fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

struct RowScan {
    repeats: u64,
    first_col: u64,
    last_col: u64,
    used: bool,
}

fn scan_content<R: std::io::BufRead>(content: R) -> Result<Vec<Extent>, String> {
    let mut xml = Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut sheet: Option<Extent> = None;
    let mut row_index: u64 = 0;
    let mut row: Option<RowScan> = None;
    let mut col: u64 = 0;
    // A cell opened with a start tag but no value type yet: (column, repeats, seen text).
    let mut open_cell: Option<(u64, u64, bool)> = None;

    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("damaged ODS content.xml: {e}"))?;
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" if is_start => {
                    sheet = Some(Extent::new(attr(&e, "table:name").unwrap_or_default()));
                    row_index = 0;
                }
                "table:table-row" => {
                    let repeats = repeat(&e, "table:number-rows-repeated");
                    if is_start {
                        row = Some(RowScan {
                            repeats,
                            first_col: u64::MAX,
                            last_col: 0,
                            used: false,
                        });
                        col = 0;
                    } else {
                        row_index = row_index.saturating_add(repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeats = repeat(&e, "table:number-columns-repeated");
                    let valued = attr(&e, "office:value-type").is_some()
                        || attr(&e, "table:formula").is_some();
                    if is_start && !valued {
                        open_cell = Some((col, repeats, false));
                    } else {
                        if valued {
                            mark(&mut row, col, repeats);
                        }
                        col = col.saturating_add(repeats);
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(cell) = open_cell.as_mut() {
                    if !t.xml10_content().trim().is_empty() {
                        cell.2 = true;
                    }
                }
            }
            Event::GeneralRef(_) | Event::CData(_) => {
                if let Some(cell) = open_cell.as_mut() {
                    cell.2 = true;
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((c, repeats, seen)) = open_cell.take() {
                        if seen {
                            mark(&mut row, c, repeats);
                        }
                        col = c.saturating_add(repeats);
                    }
                }
                "table:table-row" => {
                    if let Some(r) = row.take() {
                        let last = row_index.saturating_add(r.repeats - 1);
                        if r.used {
                            if let Some(s) = sheet.as_mut() {
                                s.include((row_index, last), (r.first_col, r.last_col));
                                s.rows_used = s.rows_used.saturating_add(r.repeats);
                            }
                        }
                        row_index = row_index.saturating_add(r.repeats);
                    }
                }
                "table:table" => {
                    if let Some(s) = sheet.take() {
                        sheets.push(s);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

fn mark(row: &mut Option<RowScan>, col: u64, repeats: u64) {
    if let Some(r) = row.as_mut() {
        r.used = true;
        r.first_col = r.first_col.min(col);
        r.last_col = r.last_col.max(col.saturating_add(repeats - 1));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, DEFAULT_MAX_CELLS};
    use super::*;

    const CONTENT: &str = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="Data">
 <table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p>h</text:p></table:table-cell></table:table-row>
 <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
 <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="Stray">
 <table:table-row><table:table-cell office:value-type="string"><text:p>h</text:p></table:table-cell></table:table-row>
 <table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
 <table:table-row><table:table-cell table:number-columns-repeated="1023"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
</table:table>
<table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;

    #[test]
    fn measures_used_areas_with_repeats() {
        let sheets = scan_content(CONTENT.as_bytes()).unwrap();
        assert_eq!(sheets.len(), 3);
        assert_eq!(sheets[0].area(), "B1:C5");
        assert_eq!(sheets[0].cells(), 10);
        assert_eq!(sheets[0].rows_used, 2);
        assert_eq!(sheets[1].area(), "A1:AMJ1048576");
        assert!(check(&sheets[1], DEFAULT_MAX_CELLS).is_err());
        assert!(!sheets[2].used);
        assert_eq!(sheets[2].cells(), 0);
    }
}
