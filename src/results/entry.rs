//! One group occurrence of a result row, e.g. the second call of a record.

use super::columns::Group;

/// One group occurrence of one row, e.g. the second call of a record.
///
/// Its values live in one string (two allocations per entry instead of one per value: a month
/// of files holds millions of values).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub group: Group,
    pub occurrence: u32,
    text: String,
    /// (field, start, end) into `text`, in the group's field order once read.
    spans: Vec<(&'static str, usize, usize)>,
    /// The entry's time (TIME, or LAST_VERIFIED for enrichment) as seconds since 1970 (UTC).
    pub time: Option<i64>,
}

impl Entry {
    /// An entry without values.
    pub(crate) fn new(group: Group, occurrence: u32) -> Entry {
        Entry {
            group,
            occurrence,
            text: String::new(),
            spans: Vec::new(),
            time: None,
        }
    }

    /// An entry with the given (field, value) pairs, e.g. for tests.
    #[cfg(test)]
    pub(crate) fn with(group: Group, occurrence: u32, values: &[(&'static str, &str)]) -> Entry {
        let mut e = Entry::new(group, occurrence);
        for (f, v) in values {
            e.push(f, v);
        }
        e
    }

    /// Adds a value (kept as given).
    pub(crate) fn push(&mut self, field: &'static str, value: &str) {
        if self.spans.capacity() == 0 {
            // One allocation each for the usual entry instead of several doublings.
            self.spans.reserve_exact(self.group.spec().fields.len());
            self.text.reserve(96);
        }
        let start = self.text.len();
        self.text.push_str(value);
        self.spans.push((field, start, self.text.len()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.spans
            .iter()
            .find(|(f, _, _)| *f == field)
            .and_then(|(_, a, b)| self.text.get(*a..*b))
    }

    /// (field, value) pairs.
    pub(crate) fn values(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.spans
            .iter()
            .filter_map(|(f, a, b)| self.text.get(*a..*b).map(|v| (*f, v)))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Puts the values in the group's field order.
    pub(crate) fn sort_fields(&mut self) {
        let spec = self.group.spec();
        self.spans
            .sort_by_key(|(f, _, _)| spec.fields.iter().position(|x| x == f));
    }
}
