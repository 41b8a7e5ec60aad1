//! The identifiers of a run, each with the place of the record that delivers it.
//!
//! A run keeps one entry per distinct identifier until the delivery is recorded, so this is
//! the part of a run's memory that grows with its rows. The identifiers are stored back to
//! back in one string, with a fixed-size entry each and a hash table of entry numbers: about
//! 45 bytes per identifier of 10 characters, where a `HashMap<Box<str>, Seen>` took about 100
//! (docs/performance.md).

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// Where the delivered record with an identifier came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    /// Its sink index.
    pub index: u64,
    /// Its input (0-based).
    pub input: usize,
    /// Its row in that input.
    pub row: u64,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the identifier starts in [`Identifiers::text`]; it ends where the next one starts.
    start: usize,
    seen: Seen,
}

/// More distinct identifiers in one run than [`Identifiers`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "more than {} distinct identifiers in one run: split the input into several runs",
    Identifiers::MAX
)]
pub struct TooMany;

/// Distinct identifiers in first-seen order, each with its [`Seen`].
#[derive(Debug, Default)]
pub struct Identifiers {
    text: String,
    entries: Vec<Entry>,
    /// Entry numbers, hashed by their identifier (32 bits: half the table of a `usize`).
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Identifiers {
    /// The most distinct identifiers one run can hold.
    pub(crate) const MAX: u64 = u32::MAX as u64;

    pub(crate) fn new() -> Identifiers {
        Identifiers::default()
    }

    /// Makes room for `more` identifiers of `bytes` bytes in all, so that the index does not
    /// grow by copying (which briefly holds the old and the new allocation).
    pub(crate) fn reserve(&mut self, more: usize, bytes: usize) {
        self.entries.reserve(more);
        self.text.reserve(bytes);
        let (entries, text, hasher) = (&self.entries, &self.text, &self.hasher);
        self.table.reserve(more, |&e| {
            hasher.hash_one(text_at(entries, text, e as usize))
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Bytes of identifier text held.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    fn text_of(&self, entry: usize) -> &str {
        text_at(&self.entries, &self.text, entry)
    }

    fn find(&self, id: &str, hash: u64) -> Option<usize> {
        self.table
            .find(hash, |&e| self.text_of(e as usize) == id)
            .map(|&e| e as usize)
    }

    /// Records where `id` was seen; returns where it was seen before, if it was. Fails only
    /// beyond [`Identifiers::MAX`] distinct identifiers.
    pub(crate) fn insert(&mut self, id: &str, seen: Seen) -> Result<Option<Seen>, TooMany> {
        let hash = self.hasher.hash_one(id);
        if let Some(e) = self.find(id, hash) {
            return Ok(Some(std::mem::replace(&mut self.entries[e].seen, seen)));
        }
        let entry = u32::try_from(self.entries.len()).map_err(|_| TooMany)?;
        self.entries.push(Entry {
            start: self.text.len(),
            seen,
        });
        self.text.push_str(id);
        let (entries, text, hasher) = (&self.entries, &self.text, &self.hasher);
        self.table.insert_unique(hash, entry, |&e| {
            hasher.hash_one(text_at(entries, text, e as usize))
        });
        Ok(None)
    }

    pub(crate) fn get(&self, id: &str) -> Option<Seen> {
        self.find(id, self.hasher.hash_one(id))
            .map(|e| self.entries[e].seen)
    }

    /// Every identifier with where it was last seen, in the order they first appeared.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Seen)> + '_ {
        (0..self.entries.len()).map(|e| (self.text_of(e), self.entries[e].seen))
    }

    /// Like [`Identifiers::iter`], sorted by identifier (byte order), as an index is filled
    /// fastest.
    pub(crate) fn iter_sorted(&self) -> impl Iterator<Item = (&str, Seen)> + '_ {
        // Entry numbers fit in 32 bits (see `insert`).
        let mut order: Vec<u32> = (0..self.entries.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.text_of(a as usize).cmp(self.text_of(b as usize)));
        order
            .into_iter()
            .map(|e| (self.text_of(e as usize), self.entries[e as usize].seen))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(id, _)| id)
    }
}

/// The identifier of entry `e`: from its start to the next entry's start.
fn text_at<'a>(entries: &[Entry], text: &'a str, e: usize) -> &'a str {
    let start = entries[e].start;
    let end = entries.get(e + 1).map_or(text.len(), |next| next.start);
    &text[start..end]
}

impl<S: AsRef<str>> FromIterator<(S, Seen)> for Identifiers {
    fn from_iter<T: IntoIterator<Item = (S, Seen)>>(iter: T) -> Identifiers {
        let mut ids = Identifiers::new();
        for (id, seen) in iter {
            // Collecting more than `MAX` identifiers keeps the first `MAX`.
            let _ = ids.insert(id.as_ref(), seen);
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    fn seen(index: u64) -> Seen {
        Seen {
            index,
            input: 0,
            row: index + 2,
        }
    }

    #[test]
    fn the_last_place_wins_and_the_first_order_stays() {
        let mut ids = Identifiers::new();
        assert_eq!(ids.insert("A-1", seen(0)), Ok(None));
        assert_eq!(ids.insert("B-2", seen(1)), Ok(None));
        assert_eq!(ids.insert("A-1", seen(2)), Ok(Some(seen(0))));
        assert_eq!(ids.len(), 2);
        assert_eq!(ids.get("A-1"), Some(seen(2)));
        assert_eq!(ids.get("A-"), None);
        assert_eq!(ids.get(""), None);
        let all: Vec<_> = ids.iter().collect();
        assert_eq!(all, vec![("A-1", seen(2)), ("B-2", seen(1))]);
    }

    #[test]
    fn identifiers_that_run_together_stay_apart() {
        // "AB" + "C" and "A" + "BC" share their concatenation.
        let ids: Identifiers = [("AB", seen(0)), ("C", seen(1)), ("A", seen(2))]
            .into_iter()
            .collect();
        assert_eq!(ids.get("ABC"), None);
        assert_eq!(ids.get("BC"), None);
        assert_eq!(ids.get("A"), Some(seen(2)));
        assert_eq!(ids.get("AB"), Some(seen(0)));
    }

    proptest! {
        /// Behaves like a map from identifier to its last `Seen`, in first-seen order.
        #[test]
        fn is_a_map_in_first_seen_order(keys in proptest::collection::vec("[a-c]{0,3}|é{1,2}", 0..200)) {
            let mut ids = Identifiers::new();
            let mut model: HashMap<&str, Seen> = HashMap::new();
            let mut order: Vec<&str> = Vec::new();
            for (i, k) in keys.iter().enumerate() {
                let s = seen(i as u64);
                prop_assert_eq!(ids.insert(k, s), Ok(model.insert(k, s)));
                if !order.contains(&k.as_str()) {
                    order.push(k);
                }
            }
            prop_assert_eq!(ids.len(), model.len());
            let expected: Vec<(&str, Seen)> = order.iter().map(|k| (*k, model[k])).collect();
            prop_assert_eq!(ids.iter().collect::<Vec<_>>(), expected.clone());
            let mut sorted = expected;
            sorted.sort_unstable_by_key(|(k, _)| *k);
            prop_assert_eq!(ids.iter_sorted().collect::<Vec<_>>(), sorted);
            for k in &keys {
                prop_assert_eq!(ids.get(k), model.get(k.as_str()).copied());
            }
        }
    }
}
