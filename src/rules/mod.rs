//! Normalization and validation: one pipeline from rows to records plus issues.

pub mod amount;
pub(crate) mod checks;
pub mod codes;
pub mod date;
pub mod email;
pub(crate) mod evidence;
pub mod order;
pub mod phone;
pub mod pipeline;
pub(crate) mod settings;
pub mod text;
pub mod units;

use crate::issue::Note;

/// The result of normalizing one value: the normalized value (if any) and what was noticed.
///
/// `value` is `None` when the input cannot be used; then `notes` holds at least one error.
/// A fix note means the value was changed; the pipeline records the original and the new value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<T> {
    pub value: Option<T>,
    pub notes: Vec<Note>,
}

impl<T> Outcome<T> {
    pub fn ok(value: T) -> Outcome<T> {
        Outcome {
            value: Some(value),
            notes: Vec::new(),
        }
    }

    pub(crate) fn fixed(value: T, note: Note) -> Outcome<T> {
        Outcome {
            value: Some(value),
            notes: vec![note],
        }
    }

    pub(crate) fn invalid(note: Note) -> Outcome<T> {
        Outcome {
            value: None,
            notes: vec![note],
        }
    }

    pub(crate) fn with(mut self, note: Note) -> Outcome<T> {
        self.notes.push(note);
        self
    }

    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        Outcome {
            value: self.value.map(f),
            notes: self.notes,
        }
    }
}
