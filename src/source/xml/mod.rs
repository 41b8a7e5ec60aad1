//! XML reader (quick-xml), streamed record by record.
//!
//! ```xml
//! <annabel>
//!   <record>
//!     <identification><identifier>K-1001</identifier></identification>
//!     <person><familyname>Jansen</familyname></person>
//!     <contact><phonenumber>0612345678</phonenumber><phonenumber>0201234567</phonenumber></contact>
//!     <invoicelines_1><unitprice>1250</unitprice></invoicelines_1>
//!   </record>
//! </annabel>
//! ```
//!
//! Columns are named after the delivery fields the elements stand for (`PERSON_FAMILYNAME`,
//! `CONTACT_PHONENUMBER_2`), in the order they are first met, so the header grows while the
//! file is read. Elements that are not delivery fields become columns named by their path
//! (`person/nickname`), which the pipeline reports as unknown columns, as it does for CSV.
//! A DOCTYPE is refused, so no entity is ever declared, expanded or fetched. Elements may nest
//! at most `--max-xml-depth` deep (default 32; the format needs 4).

mod lines;

use hashbrown::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::Reader;

use self::lines::Lines;
use super::{Cell, FileNote, Limits, ReadOptions, Row, RowResult, Source, SourceError};
use crate::registry::xml_names::{self as names, Numbering};
use crate::shown;

const ROOT: &str = "annabel";
const RECORD: &str = "record";

type XmlReader = Reader<Lines<BufReader<File>>>;

pub(crate) struct XmlSource {
    path: String,
    xml: XmlReader,
    buf: Vec<u8>,
    header: Vec<String>,
    columns: HashMap<String, usize>,
    /// Known fields' columns: (field index, occurrence) to column, so that the common case
    /// neither formats nor hashes a column name.
    known: HashMap<(usize, u32), usize>,
    records: u64,
    limits: Limits,
    root_closed: bool,
    done: bool,
    notes: Vec<FileNote>,
}

/// One element open inside a record.
struct Open {
    name: String,
    text: String,
    children: bool,
    /// For a category element: the known category and its occurrence.
    category: Option<(&'static str, u32)>,
}

impl XmlSource {
    pub(crate) fn open(path: &Path, opts: &ReadOptions) -> Result<XmlSource, SourceError> {
        let shown = path.display().to_string();
        let file =
            File::open(path).map_err(|e| SourceError::new(&shown, format!("cannot open: {e}")))?;
        let mut xml = Reader::from_reader(Lines::new(BufReader::new(file)));
        xml.config_mut().check_end_names = true;
        let mut src = XmlSource {
            path: shown,
            xml,
            buf: Vec::new(),
            header: Vec::new(),
            columns: HashMap::new(),
            known: HashMap::new(),
            records: 0,
            limits: opts.limits,
            root_closed: false,
            done: false,
            notes: Vec::new(),
        };
        src.read_prologue()?;
        Ok(src)
    }

    fn error_at(&self, offset: u64, message: String) -> SourceError {
        let (line, column) = self.xml.get_ref().place(offset);
        SourceError {
            path: self.path.clone(),
            message,
            place: Some(format!("line {line}, column {column}")),
        }
    }

    fn malformed(&self, e: quick_xml::Error) -> SourceError {
        self.error_at(
            self.xml.error_position(),
            format!("malformed XML: {e}; fix the file at this place and run again"),
        )
    }

    /// The error for a DOCTYPE declaration that starts at byte `at`.
    fn doctype(&self, at: u64) -> SourceError {
        self.error_at(
            at,
            "the file has a DOCTYPE declaration, which is refused: entities are never declared, \
             expanded or fetched; remove the <!DOCTYPE ...> declaration"
                .to_string(),
        )
    }

    /// Reads up to the root element and checks that it is `<annabel>`.
    fn read_prologue(&mut self) -> Result<(), SourceError> {
        loop {
            self.buf.clear();
            let started = self.xml.buffer_position();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.malformed(e)),
            };
            match event {
                Event::Start(e) if lower(e.local_name().as_ref()) == ROOT => return Ok(()),
                Event::Empty(e) if lower(e.local_name().as_ref()) == ROOT => {
                    self.root_closed = true;
                    return Ok(());
                }
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name().as_ref().to_string();
                    return Err(self.error_at(
                        self.xml.buffer_position().saturating_sub(1),
                        format!(
                            "the root element is <{name}>, but this format has <annabel> with one \
                             <record> per record (see docs/formats.md)"
                        ),
                    ));
                }
                Event::DocType(_) => return Err(self.doctype(started)),
                Event::Eof => {
                    return Err(SourceError::new(
                        &self.path,
                        "the file holds no XML element (expected <annabel>)",
                    ))
                }
                _ => {}
            }
        }
    }

    /// The column index of a column name, adding it to the header when new.
    fn column(&mut self, name: String) -> Option<usize> {
        if let Some(i) = self.columns.get(&name) {
            return Some(*i);
        }
        if self.header.len() >= self.limits.max_columns {
            return None;
        }
        let i = self.header.len();
        self.header.push(name.clone());
        self.columns.insert(name, i);
        Some(i)
    }

    /// Reads the next record, skipping anything else between records.
    fn read_record(&mut self) -> Result<Option<RowResult>, SourceError> {
        loop {
            self.buf.clear();
            let started = self.xml.buffer_position();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev.into_owned(),
                Err(e) => return Err(self.malformed(e)),
            };
            let at = self.xml.buffer_position().saturating_sub(1);
            let is_start = matches!(event, Event::Start(_));
            match event {
                Event::Start(e) | Event::Empty(e) if self.root_closed => {
                    let name = e.name().as_ref().to_string();
                    return Err(self.error_at(
                        at,
                        format!("element <{name}> after the end of <annabel>: one root only"),
                    ));
                }
                Event::Start(e) if lower(e.local_name().as_ref()) == RECORD => {
                    return self.record(at, false).map(Some);
                }
                Event::Empty(e) if lower(e.local_name().as_ref()) == RECORD => {
                    return self.record(at, true).map(Some);
                }
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name().as_ref().to_string();
                    let (line, _) = self.xml.get_ref().place(at);
                    self.notes.push(FileNote {
                        code: "xml.unknown_element",
                        message: format!(
                            "element <{name}> on line {line} is not a <record> and was skipped",
                            name = shown::plain(&name)
                        ),
                        row: None,
                    });
                    if is_start {
                        self.skip_element()?;
                    }
                }
                Event::End(_) => self.root_closed = true,
                Event::DocType(_) => return Err(self.doctype(started)),
                Event::Eof => {
                    if !self.root_closed {
                        return Err(self.error_at(
                            self.xml.buffer_position(),
                            "the file ends before </annabel>: it is probably cut off".to_string(),
                        ));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    /// Refuses an element nested deeper than `--max-xml-depth`, at the element's place.
    fn check_depth(&self, depth: usize) -> Result<(), SourceError> {
        let max = self.limits.max_xml_depth;
        if depth <= max {
            return Ok(());
        }
        Err(self.error_at(
            self.xml.buffer_position().saturating_sub(1),
            format!(
                "elements nest {depth} deep here, over the limit of {max} (this format needs 4: \
                 <annabel>, <record>, a category, a field); raise it with --max-xml-depth if \
                 the file is genuine"
            ),
        ))
    }

    /// Skips the element whose start tag was just read (a child of <annabel>, depth 2), with
    /// everything inside it, under the same depth limit as records.
    fn skip_element(&mut self) -> Result<(), SourceError> {
        let mut depth: usize = 2;
        loop {
            self.buf.clear();
            let started = self.xml.buffer_position();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.malformed(e)),
            };
            match event {
                Event::Start(_) => {
                    depth += 1;
                    self.check_depth(depth)?;
                }
                Event::Empty(_) => self.check_depth(depth + 1)?,
                Event::End(_) => {
                    depth -= 1;
                    if depth < 2 {
                        return Ok(());
                    }
                }
                Event::DocType(_) => return Err(self.doctype(started)),
                Event::Eof => {
                    return Err(self.error_at(
                        self.xml.buffer_position(),
                        "the file ends before </annabel>: it is probably cut off".to_string(),
                    ))
                }
                _ => {}
            }
        }
    }

    /// Reads one record's body; `at` is the offset of its start tag.
    fn record(&mut self, at: u64, empty: bool) -> Result<RowResult, SourceError> {
        self.records += 1;
        let row = self.records;
        let line_no = self.xml.get_ref().place(at).0;
        let line = Some(line_no);
        let mut values: Vec<(usize, Cell)> = Vec::new();
        let mut problem: Option<(&'static str, String)> = None;
        let mut stack: Vec<Open> = Vec::new();
        let mut category_counts: HashMap<&'static str, u32> = HashMap::new();
        let mut field_counts: HashMap<(String, &'static str), u32> = HashMap::new();
        // The events borrow this buffer, not `self`, so they need no copy.
        let mut buf = std::mem::take(&mut self.buf);
        loop {
            if empty {
                break;
            }
            buf.clear();
            let started = self.xml.buffer_position();
            let event = match self.xml.read_event_into(&mut buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.malformed(e)),
            };
            let is_empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    // <annabel> is depth 1, <record> 2, the new element one below the stack.
                    self.check_depth(stack.len() + 3)?;
                    let name = lower(e.local_name().as_ref());
                    if let Some(parent) = stack.last_mut() {
                        parent.children = true;
                    }
                    let category = if stack.is_empty() {
                        names::category(&name).map(|(cat, number)| {
                            let counted = category_counts.entry(cat).or_insert(0);
                            *counted += 1;
                            (cat, number.unwrap_or(*counted))
                        })
                    } else {
                        None
                    };
                    stack.push(Open {
                        name,
                        text: String::new(),
                        children: false,
                        category,
                    });
                    if is_empty {
                        self.close(&mut stack, &mut values, &mut field_counts, &mut problem);
                    }
                }
                Event::End(_) => {
                    if stack.is_empty() {
                        break;
                    }
                    self.close(&mut stack, &mut values, &mut field_counts, &mut problem);
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) => Some(ch.to_string()),
                        Ok(None) => resolve_predefined_entity(&r).map(str::to_string),
                        Err(_) => None,
                    };
                    match resolved {
                        Some(text) => {
                            if let Some(top) = stack.last_mut() {
                                top.text.push_str(&text);
                            }
                        }
                        None => {
                            let name = r.to_string();
                            return Err(self.error_at(
                                self.xml.buffer_position().saturating_sub(1),
                                format!(
                                    "unknown entity &{name};: only &lt; &gt; &amp; &quot; &apos; \
                                     and character references are read, entities are never \
                                     expanded"
                                ),
                            ));
                        }
                    }
                }
                Event::DocType(_) => return Err(self.doctype(started)),
                Event::Eof => {
                    return Err(self.error_at(
                        self.xml.buffer_position(),
                        format!(
                            "the file ends inside record {row} (line {}): it is probably cut off",
                            line_no
                        ),
                    ))
                }
                _ => {}
            }
        }
        self.buf = buf;
        if let Some((code, message)) = problem {
            return Ok(RowResult::Broken {
                row,
                line,
                code,
                message,
                value: None,
            });
        }
        let mut cells = vec![Cell::Empty; self.header.len()];
        for (i, cell) in values {
            if let Some(slot) = cells.get_mut(i) {
                *slot = cell;
            }
        }
        Ok(RowResult::Row(Row { row, line, cells }))
    }

    /// Closes the innermost open element of a record and keeps its value.
    fn close(
        &mut self,
        stack: &mut Vec<Open>,
        values: &mut Vec<(usize, Cell)>,
        field_counts: &mut HashMap<(String, &'static str), u32>,
        problem: &mut Option<(&'static str, String)>,
    ) {
        let Some(el) = stack.pop() else { return };
        if el.children && el.text.trim().is_empty() {
            return; // a container: its children carried the values
        }
        if stack.is_empty() && el.text.trim().is_empty() {
            return; // an empty category
        }
        let known = match stack.as_slice() {
            [cat] => cat.category.and_then(|(category, occurrence)| {
                let (x, explicit) = names::field(category, &el.name)?;
                let occ = match (x.numbering, explicit) {
                    (Numbering::Single, _) => 1,
                    (Numbering::Category, _) => occurrence,
                    (Numbering::Field, Some(n)) => n,
                    (Numbering::Field, None) => {
                        let key = (format!("{category}#{occurrence}"), x.element);
                        let n = field_counts.entry(key).or_insert(0);
                        *n += 1;
                        *n
                    }
                };
                Some((x.field, occ))
            }),
            _ => None,
        };
        let cached = known.and_then(|k| self.known.get(&k).copied());
        let found = match cached {
            Some(index) => Some(index),
            None => {
                let column = match (known, stack.as_slice()) {
                    (Some((field, occ)), _) => names::column(field, occ),
                    (None, [cat]) => format!("{}/{}", cat.name, el.name),
                    (None, _) => {
                        let mut path: Vec<&str> = stack.iter().map(|o| o.name.as_str()).collect();
                        path.push(&el.name);
                        path.join("/")
                    }
                };
                let index = self.column(column.clone());
                if let (Some(k), Some(i)) = (known, index) {
                    self.known.insert(k, i);
                }
                index.ok_or(column)
                    .map(Some)
                    .unwrap_or_else(|column| {
                        problem.get_or_insert((
                            "xml.too_many_columns",
                            format!(
                                "element {column} would be column {} of the file, over the limit of {} \
                                 (raise it with --max-columns); the record is not delivered",
                                self.limits.max_columns + 1,
                                self.limits.max_columns
                            ),
                        ));
                        None
                    })
            }
        };
        let Some(index) = found else {
            return;
        };
        let column = self.header.get(index).map_or("", String::as_str);
        if values.iter().any(|(i, _)| *i == index) {
            problem.get_or_insert((
                "xml.repeated_element",
                format!(
                    "the record has {column} more than once; give each value its own field \
                     (numbered fields take <name_1>, <name_2>, ...)",
                    column = shown::plain(column)
                ),
            ));
            return;
        }
        if el.text.len() > self.limits.max_cell_bytes {
            problem.get_or_insert((
                "cell.too_large",
                format!(
                    "{column} holds {} bytes, over the limit of {} (no delivery field holds more \
                     than 255 characters); the record is not delivered",
                    el.text.len(),
                    self.limits.max_cell_bytes,
                    column = shown::plain(column)
                ),
            ));
            return;
        }
        let cell = if el.text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(el.text)
        };
        values.push((index, cell));
    }
}

fn lower(name: &str) -> String {
    name.to_lowercase()
}

impl Source for XmlSource {
    fn format(&self) -> &'static str {
        "xml"
    }

    fn header(&self) -> &[String] {
        &self.header
    }

    fn header_is_complete(&self) -> bool {
        false
    }

    fn header_grows(&self) -> bool {
        true
    }

    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(row)) => Some(Ok(row)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    fn take_notes(&mut self) -> Vec<FileNote> {
        std::mem::take(&mut self.notes)
    }
}
