//! Findings about the input: what was fixed, what looks wrong, and what was rejected.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The tool changed the value; the original is kept in the report.
    Fix,
    /// The record is delivered, but someone should look.
    Warning,
    /// The record is rejected.
    Error,
}

/// One finding, tied to a place in the input where there is one.
///
/// `row` counts as a spreadsheet shows it (the header is row 1); `line` is the physical line in
/// a text file where the row starts. File-level findings have neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Index of the input in the run's list of inputs (0-based); not serialized when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<usize>,
    pub row: Option<u64>,
    pub line: Option<u64>,
    pub identifier: Option<String>,
    /// The delivery column (e.g. `CONTACT_PHONENUMBER_2`) the finding is about.
    pub field: Option<String>,
    /// The source header the value came from.
    pub column: Option<String>,
    pub severity: Severity,
    /// A stable, dotted code such as `phone.invalid`; see `docs/rules.md`.
    pub code: &'static str,
    pub message: String,
    /// The source value, cut to [`SHOWN_CHARS`](crate::shown::SHOWN_CHARS) characters in the
    /// report.
    pub value: Option<String>,
    /// The source value's length in characters, in the report only when `value` was cut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_chars: Option<u64>,
    pub fixed_value: Option<String>,
}

impl Issue {
    pub(crate) fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Issue {
        Issue {
            input: None,
            row: None,
            line: None,
            identifier: None,
            field: None,
            column: None,
            severity,
            code,
            message: message.into(),
            value: None,
            value_chars: None,
            fixed_value: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Warning, code, message)
    }

    #[cfg(test)]
    pub(crate) fn fix(code: &'static str, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Fix, code, message)
    }

    pub(crate) fn value(mut self, v: impl Into<String>) -> Issue {
        self.value = Some(v.into());
        self
    }

    #[cfg(test)]
    pub(crate) fn fixed(mut self, v: impl Into<String>) -> Issue {
        self.fixed_value = Some(v.into());
        self
    }

    pub fn field(mut self, f: impl Into<String>) -> Issue {
        self.field = Some(f.into());
        self
    }

    pub(crate) fn column(mut self, c: impl Into<String>) -> Issue {
        self.column = Some(c.into());
        self
    }

    pub fn at(mut self, row: u64, line: Option<u64>) -> Issue {
        self.row = Some(row);
        self.line = line;
        self
    }
}

/// What a normalizer found about one value, before the pipeline knows the row and field.
///
/// Normalizers return their result plus zero or more notes; the pipeline turns notes into
/// [`Issue`]s with the place filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

thread_local! {
    /// Whether fix messages are wanted on this thread (see [`with_fix_messages`]).
    static FIX_MESSAGES: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Runs `f` with fix messages built (`on`) or left empty. A run that only counts fixes (no
/// `--list-fixes`) never shows their messages, and formatting them was a tenth of the work on
/// a messy row. Rules build messages through [`Note::fix_with`]; outside this call (tests,
/// benchmarks, other callers) messages are always built.
pub(crate) fn with_fix_messages<T>(on: bool, f: impl FnOnce() -> T) -> T {
    with_setting(&FIX_MESSAGES, on, f)
}

/// Runs `f` with the thread-local `setting` set to `value`, and puts the old value back
/// afterwards, also when `f` panics.
pub(crate) fn with_setting<S: Copy + 'static, T>(
    setting: &'static std::thread::LocalKey<std::cell::Cell<S>>,
    value: S,
    f: impl FnOnce() -> T,
) -> T {
    struct Restore<S: Copy + 'static>(&'static std::thread::LocalKey<std::cell::Cell<S>>, S);
    impl<S: Copy + 'static> Drop for Restore<S> {
        fn drop(&mut self) {
            self.0.with(|m| m.set(self.1));
        }
    }
    let _restore = Restore(setting, setting.with(|m| m.replace(value)));
    f()
}

impl Note {
    /// A fix whose message is built only when fix messages are wanted
    /// ([`with_fix_messages`]); otherwise it is empty.
    pub(crate) fn fix_with(code: &'static str, message: impl FnOnce() -> String) -> Note {
        let wanted = FIX_MESSAGES.with(std::cell::Cell::get);
        Note {
            severity: Severity::Fix,
            code,
            message: if wanted { message() } else { String::new() },
        }
    }

    pub(crate) fn error(code: &'static str, message: impl Into<String>) -> Note {
        Note {
            severity: Severity::Error,
            code,
            message: message.into(),
        }
    }
    pub(crate) fn warning(code: &'static str, message: impl Into<String>) -> Note {
        Note {
            severity: Severity::Warning,
            code,
            message: message.into(),
        }
    }
    pub(crate) fn fix(code: &'static str, message: impl Into<String>) -> Note {
        Note {
            severity: Severity::Fix,
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_messages_are_built_only_when_wanted() {
        let built = || Note::fix_with("x.y", || "built".to_string()).message;
        assert_eq!(built(), "built");
        assert_eq!(with_fix_messages(false, built), "");
        assert_eq!(with_fix_messages(true, built), "built");
        // Put back afterwards, also after a panic inside.
        let _ = std::panic::catch_unwind(|| with_fix_messages(false, || panic!("inside")));
        assert_eq!(built(), "built");
    }
}
