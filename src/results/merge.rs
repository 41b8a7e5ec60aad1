//! Merging several result files: a record's later status wins, per channel occurrence.
//!
//! Files are read in the order of the days they cover (end date, then start date, then name;
//! files whose name carries no dates come first). For each record, each group occurrence (e.g.
//! the second call) keeps the entry with the greatest key (file end date, file start date, the
//! entry's own TIME, reading order): so a later file replaces an earlier one, and among files
//! covering the same days (two scripts, or one record listed twice) the later TIME wins.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::columns::Group;
use super::read::{Entry, FileInfo, Item, PaylinkRow};

/// Orders entries; greater is later.
pub(crate) type OrderKey = (
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<i64>,
    usize,
    u64,
);

/// An entry plus where it came from.
#[derive(Debug, Clone)]
pub struct Held {
    pub entry: Entry,
    pub file: usize,
    pub line: u64,
    pub key: OrderKey,
}

/// One record's merged state: its entries by (group, occurrence).
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub entries: BTreeMap<(Group, u32), Held>,
}

/// A PayLink of the PayLink file, merged by its id.
#[derive(Debug, Clone)]
pub struct HeldPaylink {
    pub row: PaylinkRow,
    pub file: usize,
    pub key: OrderKey,
}

/// Everything read from all files.
#[derive(Debug, Default)]
pub struct Merged {
    pub files: Vec<FileInfo>,
    /// Records by identifier (a hash map: lookups of random identifiers are the hot path;
    /// [`Merged::sorted_records`] gives them in order).
    pub records: HashMap<String, Record>,
    /// Rows with an empty identifier: inbound calls that matched no record. Never merged.
    pub unmatched: Vec<Vec<Held>>,
    /// PayLinks of PayLink files by id (rows without an id are kept apart, by position).
    pub paylinks: BTreeMap<String, HeldPaylink>,
    pub paylinks_without_id: Vec<HeldPaylink>,
}

/// Sorts paths the way they are merged: by the days their names cover.
pub(crate) fn file_order(names: &[(Option<NaiveDate>, Option<NaiveDate>, String)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| {
        let ka = names.get(*a).map(|(f, t, n)| (t, f, n));
        let kb = names.get(*b).map(|(f, t, n)| (t, f, n));
        ka.cmp(&kb)
    });
    order
}

impl Merged {
    /// Takes one item of the file with index `file` (already in [`Merged::files`]) whose name
    /// covers `from..=to`.
    pub(crate) fn add(
        &mut self,
        file: usize,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        item: Item,
    ) {
        match item {
            Item::Record(row) => {
                let held = row.entries.into_iter().map(|entry| {
                    let key = (to, from, entry.time, file, row.line);
                    Held {
                        entry,
                        file,
                        line: row.line,
                        key,
                    }
                });
                if row.identifier.is_empty() {
                    self.unmatched.push(held.collect());
                    return;
                }
                let record = self.records.entry(row.identifier).or_default();
                for h in held {
                    let slot = (h.entry.group, h.entry.occurrence);
                    match record.entries.get(&slot) {
                        Some(old) if old.key > h.key => {}
                        _ => {
                            record.entries.insert(slot, h);
                        }
                    }
                }
            }
            Item::Paylink(row) => {
                let key = (to, from, row.updated, file, row.line);
                let id = row.get("id").to_string();
                let held = HeldPaylink {
                    row: *row,
                    file,
                    key,
                };
                if id.is_empty() {
                    self.paylinks_without_id.push(held);
                    return;
                }
                match self.paylinks.get(&id) {
                    Some(old) if old.key > held.key => {}
                    _ => {
                        self.paylinks.insert(id, held);
                    }
                }
            }
        }
    }

    /// All entries of records and unmatched rows, with the record's identifier ("" for
    /// unmatched inbound calls).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &Held)> {
        self.sorted_records()
            .into_iter()
            .flat_map(|(id, r)| r.entries.values().map(move |h| (id.as_str(), h)))
            .chain(self.unmatched.iter().flatten().map(|h| ("", h)))
    }

    /// Records sorted by identifier.
    pub(crate) fn sorted_records(&self) -> Vec<(&String, &Record)> {
        let mut v: Vec<(&String, &Record)> = self.records.iter().collect();
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// All PayLinks of PayLink files.
    pub(crate) fn paylink_rows(&self) -> impl Iterator<Item = &HeldPaylink> {
        self.paylinks
            .values()
            .chain(self.paylinks_without_id.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::read::RecordRow;

    fn call(code: &str, time: Option<i64>) -> Entry {
        let mut e = Entry::with(Group::Call, 1, &[("RESULT", code)]);
        e.time = time;
        e
    }

    fn row(id: &str, line: u64, entries: Vec<Entry>) -> Item {
        Item::Record(RecordRow {
            identifier: id.to_string(),
            line,
            entries,
        })
    }

    fn code_of(m: &Merged, id: &str) -> Option<String> {
        m.records
            .get(id)
            .and_then(|r| r.entries.get(&(Group::Call, 1)))
            .and_then(|h| h.entry.get("RESULT").map(str::to_string))
    }

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2022, 2, d)
    }

    #[test]
    fn later_file_wins_even_with_an_older_time() {
        let mut m = Merged::default();
        m.add(1, day(19), day(19), row("A", 2, vec![call("9", Some(10))]));
        m.add(0, day(18), day(18), row("A", 2, vec![call("3", Some(20))]));
        assert_eq!(code_of(&m, "A").as_deref(), Some("9"));
    }

    #[test]
    fn same_days_later_time_wins() {
        let mut m = Merged::default();
        m.add(0, day(18), day(18), row("A", 2, vec![call("9", Some(30))]));
        m.add(1, day(18), day(18), row("A", 5, vec![call("3", Some(20))]));
        assert_eq!(code_of(&m, "A").as_deref(), Some("9"));
        m.add(1, day(18), day(18), row("A", 6, vec![call("4", Some(40))]));
        assert_eq!(code_of(&m, "A").as_deref(), Some("4"));
    }

    #[test]
    fn empty_identifiers_are_never_merged() {
        let mut m = Merged::default();
        m.add(0, None, None, row("", 2, vec![call("3", None)]));
        m.add(0, None, None, row("", 3, vec![call("9", None)]));
        assert_eq!(m.unmatched.len(), 2);
        assert!(m.records.is_empty());
        assert_eq!(m.entries().count(), 2);
    }

    #[test]
    fn files_sort_by_the_days_they_cover() {
        let n = |f: Option<NaiveDate>, t: Option<NaiveDate>, s: &str| (f, t, s.to_string());
        let names = vec![
            n(day(1), day(28), "monthly"),
            n(day(3), day(3), "daily3"),
            n(None, None, "other"),
            n(day(28), day(28), "daily28"),
        ];
        assert_eq!(file_order(&names), vec![2, 1, 0, 3]);
    }
}
