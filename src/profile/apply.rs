//! A profile applied to an opened export: a [`Source`] that wraps the reader and hands the
//! pipeline the columns the profile describes.
//!
//! Columns mapped to one field keep their own name (so findings name the export's column)
//! and are mapped by the [`Mapping`] this builds; joined, split, copied and templated values
//! become columns named after their delivery field. Ignored columns and the parts of a join
//! or split are left out. Value maps (`[values]`) and the reordering of a sorted family name
//! (`Berg, van der`) apply to the cells on their way through.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{split, Entry, Profile, ProfileError, TEMPLATE_BUILTINS};
use crate::header::fold;
use crate::issue::Severity;
use crate::registry::{well_known, Slot};
use crate::source::{Cell, FileNote, MadeFrom, RecordNote, Row, RowResult, Source, SourceError};
use crate::template::{Piece, Template};

/// How one output column gets its cell.
#[derive(Debug, Clone)]
enum Out {
    /// A source column as it is.
    Pass(usize),
    /// Source columns joined with a separator.
    Join(Vec<usize>, String),
    /// One part of a split source column: 0..3 of an address, 0..2 of postcode + city or name.
    Split(usize, Splitter, usize),
    /// The identifier template.
    Template(Arc<Template>, Vec<Option<usize>>),
}

impl Out {
    /// The export's columns the cell is made from.
    fn origins(&self) -> Vec<usize> {
        match self {
            Out::Pass(i) | Out::Split(i, ..) => vec![*i],
            Out::Join(cols, _) => cols.clone(),
            Out::Template(_, cols) => cols.iter().flatten().copied().collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Splitter {
    Address,
    ZipcodeCity,
    Name,
}

#[derive(Debug, Clone)]
struct Output {
    out: Out,
    /// The delivery column, when the profile decides it.
    slot: Option<Slot>,
    values: Option<Arc<BTreeMap<String, String>>>,
}

/// An export read through a profile.
pub struct Profiled {
    inner: Box<dyn Source>,
    header: Vec<String>,
    outputs: Vec<Output>,
    date: NaiveDate,
    ordinal: u64,
    notes: Vec<RecordNote>,
    /// For each output column, the export's columns it is made from.
    origins: Vec<Vec<usize>>,
    /// The export's row behind the row returned last.
    written: Option<Row>,
}

/// Builds the profiled source of `inner` (the columns it passes through are mapped by
/// [`Profile::mapping`]).
/// `input` names the export in messages; `date` is the run date for `{date}`.
pub fn wrap(
    profile: &Profile,
    file: &str,
    input: &str,
    inner: Box<dyn Source>,
    date: NaiveDate,
) -> Result<Box<dyn Source>, ProfileError> {
    let header: Vec<String> = inner.header().to_vec();
    let unfit = |message: String| ProfileError::DoesNotFit {
        path: file.to_string(),
        message,
    };
    if inner.header_grows() {
        return Err(unfit(format!(
            "{input} is a record format whose columns are named by the reader; a profile applies to tables (CSV, spreadsheets): use a plain [columns] mapping instead"
        )));
    }
    check_changes(profile, file, input, &header)?;
    let index = |name: &str| header.iter().position(|h| fold(h) == fold(name));
    let find = |name: &str, what: &str| {
        index(name).ok_or_else(|| {
            unfit(format!(
                "{what} names the column '{name}', which {input} does not have"
            ))
        })
    };
    let slot = |name: &str| {
        super::resolve(name).ok_or_else(|| unfit(format!("'{name}' is not a delivery field")))
    };
    let values = |s: Slot| profile.values.get(s.column()).cloned().map(Arc::new);
    let mut consumed = vec![false; header.len()];
    let mut pairs: Vec<(String, Slot)> = Vec::new();
    let mut derived: Vec<Output> = Vec::new();
    for (column, entry) in &profile.columns {
        let i = find(column, &format!("[columns] \"{column}\""))?;
        let fields = entry.fields();
        match (entry.split(), fields.as_slice()) {
            (Some(kind), _) => {
                consumed[i] = true;
                let (splitter, parts): (Splitter, Vec<Slot>) = match kind {
                    "address" => (
                        Splitter::Address,
                        vec![
                            well_known::address_street(),
                            well_known::address_housenumber(),
                            slot("ADDRESS_EXTENSION")?,
                        ],
                    ),
                    "zipcode_city" => (
                        Splitter::ZipcodeCity,
                        vec![slot("ADDRESS_ZIPCODE")?, slot("ADDRESS_CITY")?],
                    ),
                    _ => (
                        Splitter::Name,
                        vec![
                            well_known::person_givenname(),
                            well_known::person_familyname(),
                        ],
                    ),
                };
                for (p, s) in parts.into_iter().enumerate() {
                    derived.push(Output {
                        out: Out::Split(i, splitter, p),
                        slot: Some(s),
                        values: values(s),
                    });
                }
            }
            (None, [one]) if !matches!(entry, Entry::Fields(_)) => {
                pairs.push((header[i].clone(), slot(one)?))
            }
            (None, many) => {
                consumed[i] = true;
                for f in many {
                    let s = slot(f)?;
                    derived.push(Output {
                        out: Out::Pass(i),
                        slot: Some(s),
                        values: values(s),
                    });
                }
            }
        }
    }
    for (target, join) in &profile.join {
        let s = slot(target)?;
        let cols = join
            .columns
            .iter()
            .map(|c| find(c, &format!("[join.{target}]")))
            .collect::<Result<Vec<_>, _>>()?;
        for &c in &cols {
            consumed[c] = true;
        }
        derived.push(Output {
            out: Out::Join(cols, join.separator.clone()),
            slot: Some(s),
            values: values(s),
        });
    }
    if let Some(t) = &profile.identifier {
        let template = Template::parse(t, TEMPLATE_BUILTINS)?;
        let cols = template
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Column(c) => find(c, "identifier").map(Some),
                _ => Ok(None),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let s = well_known::identifier();
        derived.push(Output {
            out: Out::Template(Arc::new(template), cols),
            slot: Some(s),
            values: None,
        });
    }
    for name in profile.ignore.keys() {
        if let Some(i) = index(name) {
            consumed[i] = true;
        }
    }
    let mut outputs = Vec::new();
    let mut names = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if consumed[i] {
            continue;
        }
        let s = pairs.iter().find(|(n, _)| n == h).map(|(_, s)| *s);
        outputs.push(Output {
            out: Out::Pass(i),
            slot: s,
            values: s.and_then(values),
        });
        names.push(h.clone());
    }
    for d in derived {
        names.push(d.slot.map_or_else(String::new, |s| s.column().to_string()));
        outputs.push(d);
    }
    let origins = outputs.iter().map(|o| o.out.origins()).collect();
    let source = Profiled {
        inner,
        header: names,
        outputs,
        date,
        ordinal: 0,
        notes: Vec::new(),
        origins,
        written: None,
    };
    Ok(Box::new(source))
}

/// Refuses an export whose columns differ from those the profile was made from.
fn check_changes(
    profile: &Profile,
    file: &str,
    input: &str,
    header: &[String],
) -> Result<(), ProfileError> {
    if profile.profile.header.is_empty() {
        return Ok(());
    }
    let now: Vec<String> = header
        .iter()
        .map(|h| fold(h))
        .filter(|h| !h.is_empty())
        .collect();
    let then: Vec<String> = profile
        .profile
        .header
        .iter()
        .map(|h| fold(h))
        .filter(|h| !h.is_empty())
        .collect();
    let show = |names: &[&String], orig: &[String]| {
        names
            .iter()
            .map(|n| {
                let o = orig
                    .iter()
                    .find(|h| fold(h) == **n)
                    .map_or(n.as_str(), |h| h.trim());
                format!("'{o}'")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added: Vec<&String> = now.iter().filter(|h| !then.contains(h)).collect();
    let removed: Vec<&String> = then.iter().filter(|h| !now.contains(h)).collect();
    let mut changes = Vec::new();
    if !removed.is_empty() {
        changes.push(format!(
            "no longer has {}",
            show(&removed, &profile.profile.header)
        ));
    }
    if !added.is_empty() {
        changes.push(format!("has new {}", show(&added, header)));
    }
    if changes.is_empty() {
        return Ok(());
    }
    if added.len() == removed.len() && !added.is_empty() {
        changes.push("(renamed?)".to_string());
    }
    Err(ProfileError::ColumnsChanged {
        path: file.to_string(),
        input: input.to_string(),
        changes: changes.join(" and "),
    })
}

fn text(cells: &[Cell], i: usize) -> String {
    cells
        .get(i)
        .map(|c| c.to_string().trim().to_string())
        .unwrap_or_default()
}

impl Profiled {
    fn cell(&mut self, o: &Output, row: &Row) -> Cell {
        let cells = &row.cells;
        let mut cell = match &o.out {
            Out::Pass(i) => cells.get(*i).cloned().unwrap_or(Cell::Empty),
            Out::Join(cols, sep) => {
                let parts: Vec<String> = cols
                    .iter()
                    .map(|&c| text(cells, c))
                    .filter(|s| !s.is_empty())
                    .collect();
                text_cell(parts.join(sep))
            }
            Out::Split(i, splitter, part) => self.split(*i, *splitter, *part, o.slot, row),
            Out::Template(t, cols) => {
                let (date, ordinal) = (self.date, self.ordinal);
                let mut k = 0;
                let (s, empty) = t.render(|p| {
                    let v = match p {
                        Piece::Builtin("date") => Some(date.format("%Y%m%d").to_string()),
                        Piece::Builtin(_) => Some(ordinal.to_string()),
                        _ => cols
                            .iter()
                            .filter_map(|c| *c)
                            .nth(k)
                            .map(|c| text(cells, c)),
                    };
                    if matches!(p, Piece::Column(_)) {
                        k += 1;
                    }
                    v
                });
                if empty.is_empty() {
                    text_cell(s)
                } else {
                    let names: Vec<String> = empty.iter().map(|p| p.written()).collect();
                    self.notes.push(
                        RecordNote::new(
                            Severity::Error,
                            "profile.identifier_empty",
                            format!("the identifier template leaves {} empty in this row: fill the column, or change the profile's identifier", names.join(", ")),
                        )
                        .field(well_known::identifier()),
                    );
                    Cell::Empty
                }
            }
        };
        if o.slot == Some(well_known::person_familyname()) {
            if let Cell::Text(t) = &cell {
                if let Some(r) = split::reorder_family_name(t) {
                    cell = Cell::Text(r);
                }
            }
        }
        if let (Some(map), false) = (&o.values, cell.is_blank()) {
            let v = cell.to_string();
            if let Some(to) = map.get(v.trim()).or_else(|| {
                map.iter()
                    .find(|(k, _)| fold(k) == fold(&v))
                    .map(|(_, t)| t)
            }) {
                cell = text_cell(to.clone());
            }
        }
        cell
    }

    fn split(
        &mut self,
        i: usize,
        splitter: Splitter,
        part: usize,
        slot: Option<Slot>,
        row: &Row,
    ) -> Cell {
        let v = text(&row.cells, i);
        if v.is_empty() {
            return Cell::Empty;
        }
        let parts: Option<Vec<String>> = match splitter {
            Splitter::Address => split::address(&v).map(|a| vec![a.street, a.number, a.extension]),
            Splitter::ZipcodeCity => split::zipcode_city(&v).map(|(z, c)| vec![z, c]),
            Splitter::Name => split::full_name(&v).map(|(g, f)| vec![g, f]),
        };
        match parts {
            Some(p) => text_cell(p[part].clone()),
            None => {
                if part == 0 {
                    let mut note = RecordNote::new(
                        Severity::Error,
                        "profile.split_failed",
                        format!(
                            "column '{}' holds '{v}', which cannot be split as the profile asks ({}): correct the value, or map the column to one field",
                            self.inner.header().get(i).map_or("", |h| h.trim()),
                            match splitter {
                                Splitter::Address => "street, house number and extension",
                                Splitter::ZipcodeCity => "postcode and city",
                                Splitter::Name => "given name and family name",
                            }
                        ),
                    )
                    .value(v);
                    if let Some(s) = slot {
                        note = note.field(s);
                    }
                    self.notes.push(note);
                }
                Cell::Empty
            }
        }
    }
}

fn text_cell(s: String) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

impl Source for Profiled {
    fn format(&self) -> &'static str {
        self.inner.format()
    }
    fn header(&self) -> &[String] {
        &self.header
    }
    fn sheet(&self) -> Option<&str> {
        self.inner.sheet()
    }
    fn header_row(&self) -> u64 {
        self.inner.header_row()
    }
    fn header_is_complete(&self) -> bool {
        self.inner.header_is_complete()
    }
    fn next_row(&mut self) -> Option<Result<RowResult, SourceError>> {
        self.written = None;
        let r = self.inner.next_row()?;
        let Ok(RowResult::Row(row)) = r else {
            return Some(r);
        };
        self.ordinal += 1;
        let cells = if row.is_blank() {
            vec![Cell::Empty; self.outputs.len()]
        } else {
            let outputs = std::mem::take(&mut self.outputs);
            let cells = outputs.iter().map(|o| self.cell(o, &row)).collect();
            self.outputs = outputs;
            cells
        };
        let out = Row {
            row: row.row,
            line: row.line,
            cells,
        };
        self.written = Some(row);
        Some(Ok(RowResult::Row(out)))
    }
    fn progress(&self) -> Option<(u64, u64)> {
        self.inner.progress()
    }
    fn take_notes(&mut self) -> Vec<FileNote> {
        self.inner.take_notes()
    }
    fn take_record_notes(&mut self) -> Vec<RecordNote> {
        let mut notes = self.inner.take_record_notes();
        notes.append(&mut self.notes);
        notes
    }
    fn made_from(&self) -> Option<MadeFrom<'_>> {
        Some(MadeFrom {
            header: self.inner.header(),
            origins: &self.origins,
        })
    }
    fn written_row(&self) -> Option<&Row> {
        self.written.as_ref()
    }
}
