//! ODS: the number formats of one sheet's number cells, from `styles.xml` and `content.xml`.
//!
//! OpenDocument keeps formats as data styles (`number:number-style` with
//! `number:decimal-places`, `number:currency-style`, ...), which cell styles name with
//! `style:data-style-name`; a cell names its cell style, or takes its row's or column's default
//! (`table:default-cell-style-name`). A cell of value type `currency` is shown with a currency
//! whatever its style says.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{names_currency, FormatMap, Shows};
use crate::source::sheet::guard::ods::{attr, repeat};

/// How deep a chain of parent cell styles is followed.
const MAX_PARENTS: usize = 16;

/// The number cells of sheet `sheet` whose format shows decimals or a currency.
pub(crate) fn ods_formats(path: &Path, sheet: &str) -> Result<FormatMap, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a valid ODS file: {e}"))?;
    let mut styles = Styles::default();
    if let Ok(part) = zip.by_name("styles.xml") {
        scan(BufReader::new(part), &mut styles, None)?;
    }
    let content = zip
        .by_name("content.xml")
        .map_err(|e| format!("not a valid ODS file (content.xml: {e})"))?;
    let mut map = FormatMap::default();
    let found = scan(
        BufReader::new(content),
        &mut styles,
        Some((sheet, &mut map)),
    )?;
    if !found {
        return Err(format!("sheet '{sheet}' was not found in content.xml"));
    }
    map.finish();
    Ok(map)
}

/// A data style: what it shows and a format code that describes it in messages.
#[derive(Debug, Clone)]
struct DataStyle {
    shows: Shows,
    code: String,
    /// The style it hands positive values to (`style:map`).
    map_to: Option<String>,
}

#[derive(Debug, Default)]
struct Styles {
    data: HashMap<String, DataStyle>,
    /// Cell styles: parent and data style.
    cells: HashMap<String, (Option<String>, Option<String>)>,
}

impl Styles {
    /// The data style that a cell style (or its parents) shows numbers with.
    fn data_style(&self, cell_style: &str) -> Option<&DataStyle> {
        let mut name = cell_style;
        for _ in 0..MAX_PARENTS {
            let (parent, data) = self.cells.get(name)?;
            if let Some(d) = data {
                // LibreOffice keeps the negative form in the style itself and hands other
                // values on with `style:map` (`value()>=0`): the first map is the one amounts
                // are shown with.
                let style = self.data.get(d)?;
                return style
                    .map_to
                    .as_ref()
                    .and_then(|to| self.data.get(to))
                    .or(Some(style));
            }
            name = parent.as_deref()?;
        }
        None
    }
}

/// A data style being read.
struct Building {
    name: String,
    element: String,
    decimals: usize,
    grouping: bool,
    symbol: String,
    other: bool,
    literal_currency: bool,
    in_symbol: bool,
    in_text: bool,
    map_to: Option<String>,
}

impl Building {
    fn finish(self) -> (String, DataStyle) {
        let int = if self.grouping { "#,##0" } else { "0" };
        let dec = if self.decimals > 0 {
            format!(".{}", "0".repeat(self.decimals.min(30)))
        } else {
            String::new()
        };
        let number = format!("{int}{dec}");
        let (shows, code) = match self.element.as_str() {
            "number:currency-style" => {
                let symbol = if self.symbol.trim().is_empty() {
                    "¤".to_string()
                } else {
                    self.symbol.trim().to_string()
                };
                (Shows::Currency, format!("{symbol} {number}"))
            }
            "number:number-style" if self.other => (Shows::Other, number),
            "number:number-style" if self.literal_currency => (Shows::Currency, number),
            "number:number-style" if self.decimals > 0 => (Shows::Decimals, number),
            "number:number-style" | "number:text-style" => (Shows::Plain, number),
            _ => (Shows::Other, String::new()),
        };
        (
            self.name,
            DataStyle {
                shows,
                code,
                map_to: self.map_to,
            },
        )
    }
}

const DATA_STYLES: [&str; 7] = [
    "number:number-style",
    "number:currency-style",
    "number:percentage-style",
    "number:date-style",
    "number:time-style",
    "number:boolean-style",
    "number:text-style",
];

/// Where the table walk stands.
struct Table<'m> {
    map: &'m mut FormatMap,
    active: bool,
    found: bool,
    /// Column default cell styles: (first column, last column, style).
    columns: Vec<(u64, u64, String)>,
    next_column: u64,
    row: u64,
    row_repeats: u64,
    row_style: Option<String>,
    col: u64,
}

/// Reads styles from a part; with a target sheet, also walks its table and notes the number
/// cells that show major units. Returns whether the sheet was found.
fn scan<R: BufRead>(
    part: R,
    styles: &mut Styles,
    target: Option<(&str, &mut FormatMap)>,
) -> Result<bool, String> {
    let mut xml = Reader::from_reader(part);
    let mut buf = Vec::new();
    let mut building: Option<Building> = None;
    let (sheet, mut table) = match target {
        Some((sheet, map)) => (
            Some(sheet),
            Some(Table {
                map,
                active: false,
                found: false,
                columns: Vec::new(),
                next_column: 0,
                row: 0,
                row_repeats: 1,
                row_style: None,
                col: 0,
            }),
        ),
        None => (None, None),
    };
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("damaged ODS XML: {e}"))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if DATA_STYLES.contains(&name.as_str()) {
                    let b = Building {
                        name: attr(&e, "style:name").unwrap_or_default(),
                        element: name.clone(),
                        decimals: 0,
                        grouping: false,
                        symbol: String::new(),
                        other: false,
                        literal_currency: false,
                        in_symbol: false,
                        in_text: false,
                        map_to: None,
                    };
                    if empty {
                        let (n, d) = b.finish();
                        styles.data.insert(n, d);
                    } else {
                        building = Some(b);
                    }
                    continue;
                }
                if let Some(b) = building.as_mut() {
                    match name.as_str() {
                        "number:number" => {
                            b.decimals = attr(&e, "number:decimal-places")
                                .and_then(|v| v.trim().parse().ok())
                                .unwrap_or(0);
                            b.grouping = attr(&e, "number:grouping").as_deref() == Some("true");
                        }
                        "number:scientific-number" | "number:fraction" => b.other = true,
                        "number:currency-symbol" => b.in_symbol = !empty,
                        "number:text" => b.in_text = !empty,
                        "style:map" if b.map_to.is_none() => {
                            b.map_to = attr(&e, "style:apply-style-name");
                        }
                        _ => {}
                    }
                    continue;
                }
                if name == "style:style"
                    && attr(&e, "style:family").as_deref() == Some("table-cell")
                {
                    if let Some(n) = attr(&e, "style:name") {
                        styles.cells.insert(
                            n,
                            (
                                attr(&e, "style:parent-style-name"),
                                attr(&e, "style:data-style-name"),
                            ),
                        );
                    }
                    continue;
                }
                let Some(t) = table.as_mut() else { continue };
                match name.as_str() {
                    "table:table" if !empty => {
                        t.active = Some(attr(&e, "table:name").as_deref()) == Some(sheet);
                        t.found |= t.active;
                    }
                    _ if !t.active => {}
                    "table:table-column" => {
                        let n = repeat(&e, "table:number-columns-repeated");
                        let last = t.next_column.saturating_add(n - 1);
                        if let Some(s) = attr(&e, "table:default-cell-style-name") {
                            t.columns.push((t.next_column, last, s));
                        }
                        t.next_column = last.saturating_add(1);
                    }
                    "table:table-row" => {
                        let n = repeat(&e, "table:number-rows-repeated");
                        if empty {
                            t.row = t.row.saturating_add(n);
                        } else {
                            t.row_repeats = n;
                            t.row_style = attr(&e, "table:default-cell-style-name");
                            t.col = 0;
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let n = repeat(&e, "table:number-columns-repeated");
                        let kind = attr(&e, "office:value-type");
                        if matches!(kind.as_deref(), Some("float" | "currency")) {
                            let style = attr(&e, "table:style-name")
                                .or_else(|| t.row_style.clone())
                                .or_else(|| {
                                    t.columns
                                        .iter()
                                        .find(|(a, b, _)| (*a..=*b).contains(&t.col))
                                        .map(|(_, _, s)| s.clone())
                                })
                                .unwrap_or_else(|| "Default".to_string());
                            let data = styles.data_style(&style);
                            let code = match (kind.as_deref(), data) {
                                (_, Some(d)) if d.shows.is_major() => Some(d.code.clone()),
                                (Some("currency"), d) => Some(
                                    d.map(|d| d.code.clone())
                                        .filter(|c| !c.is_empty())
                                        .unwrap_or_else(|| "currency".to_string()),
                                ),
                                _ => None,
                            };
                            if let Some(code) = code {
                                for r in t.row..t.row.saturating_add(t.row_repeats) {
                                    for c in t.col..t.col.saturating_add(n) {
                                        let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c))
                                        else {
                                            continue;
                                        };
                                        if !t.map.add(r, c, &code) {
                                            return Err(
                                                "too many differently formatted cells".into()
                                            );
                                        }
                                    }
                                }
                            }
                        }
                        t.col = t.col.saturating_add(n);
                    }
                    _ => {}
                }
            }
            Event::Text(text) => {
                if let Some(b) = building.as_mut() {
                    let text = text.xml10_content();
                    if b.in_symbol {
                        b.symbol.push_str(&text);
                    } else if b.in_text && names_currency(&text) {
                        b.literal_currency = true;
                    }
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if let Some(b) = building.as_mut() {
                    match name {
                        "number:currency-symbol" => b.in_symbol = false,
                        "number:text" => b.in_text = false,
                        _ if name == b.element => {
                            if let Some(b) = building.take() {
                                let (n, d) = b.finish();
                                styles.data.insert(n, d);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                let Some(t) = table.as_mut() else { continue };
                match name {
                    "table:table-row" if t.active => {
                        t.row = t.row.saturating_add(t.row_repeats);
                        t.row_repeats = 1;
                        t.row_style = None;
                    }
                    "table:table" if t.active => return Ok(true),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(table.is_some_and(|t| t.found))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<office:document-styles><office:styles>
<number:number-style style:name="N2"><number:number number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
<style:style style:name="Default" style:family="table-cell"/>
<style:style style:name="Amount" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N2"/>
</office:styles></office:document-styles>"#;

    const CONTENT: &str = r##"<office:document-content><office:automatic-styles>
<number:currency-style style:name="N104P0" style:volatile="true"><number:currency-symbol number:language="nl" number:country="NL">€</number:currency-symbol><number:text> </number:text><number:number number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:currency-style>
<number:currency-style style:name="N104"><style:text-properties fo:color="#ff0000"/><number:text>-</number:text><number:currency-symbol>€</number:currency-symbol><number:number number:decimal-places="2"/><style:map style:condition="value()&gt;=0" style:apply-style-name="N104P0"/></number:currency-style>
<number:number-style style:name="N0"><number:number number:min-integer-digits="1"/></number:number-style>
<number:percentage-style style:name="N11"><number:number number:decimal-places="2"/><number:text>%</number:text></number:percentage-style>
<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Amount"/>
<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N104"/>
<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N0"/>
<style:style style:name="ce4" style:family="table-cell" style:data-style-name="N11"/>
</office:automatic-styles><office:body><office:spreadsheet>
<table:table table:name="Other"><table:table-row><table:table-cell table:style-name="ce1" office:value-type="float" office:value="1"/></table:table-row></table:table>
<table:table table:name="Data">
<table:table-column table:number-columns-repeated="2"/><table:table-column table:default-cell-style-name="ce1"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>h</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:style-name="ce1" office:value-type="float" office:value="45"><text:p>45,00</text:p></table:table-cell><table:table-cell table:style-name="ce2" office:value-type="currency" office:currency="EUR" office:value="3"/><table:table-cell office:value-type="float" office:value="7"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2" table:style-name="ce3" office:value-type="float" office:value="4500"/><table:table-cell table:style-name="ce4" office:value-type="percentage" office:value="0.5"/><table:table-cell office:value-type="currency" office:value="9"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"##;

    #[test]
    fn cells_take_their_own_row_or_column_style() {
        let mut styles = Styles::default();
        scan(STYLES.as_bytes(), &mut styles, None).unwrap();
        let mut map = FormatMap::default();
        assert!(scan(CONTENT.as_bytes(), &mut styles, Some(("Data", &mut map))).unwrap());
        map.finish();
        let got = |r, c| map.get(r, c).map(|f| f.to_string());
        // Rows 1 and 2 (a repeated row): a cell style whose parent has 2 decimals, a currency
        // cell styled in euros, and a column default.
        for r in [1, 2] {
            assert_eq!(got(r, 0).as_deref(), Some("#,##0.00"));
            assert_eq!(got(r, 1).as_deref(), Some("€ #,##0.00"));
            assert_eq!(got(r, 2).as_deref(), Some("#,##0.00"));
        }
        // Row 3: whole numbers, a percentage, a currency cell without a style.
        assert_eq!(got(3, 0), None);
        assert_eq!(got(3, 1), None);
        assert_eq!(got(3, 2), None);
        assert_eq!(got(3, 3).as_deref(), Some("currency"));
        assert_eq!(got(0, 0), None);
        let mut other = FormatMap::default();
        assert!(!scan(CONTENT.as_bytes(), &mut styles, Some(("Nope", &mut other))).unwrap());
    }

    proptest::proptest! {
        /// Damaged XML (bytes flipped, cut short) never makes the walk panic.
        #[test]
        fn damaged_content_never_panics(flips in proptest::collection::vec((0usize..4000, 0u8..7), 0..12), cut in 0usize..4000) {
            let mut content = CONTENT.as_bytes().to_vec();
            for (at, bit) in flips {
                let i = at % content.len();
                content[i] ^= 1 << bit;
            }
            content.truncate(cut.max(1).min(content.len()));
            let mut styles = Styles::default();
            let mut map = FormatMap::default();
            let _ = scan(&content[..], &mut styles, Some(("Data", &mut map)));
        }
    }
}
