//! Warnings about result rows and values: never fatal, all counted, the first thousand kept.

/// One warning about a row or value; never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: Option<u64>,
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}: line {line}: {} [{}]",
                self.file, self.message, self.code
            ),
            None => write!(f, "{}: {} [{}]", self.file, self.message, self.code),
        }
    }
}

/// Warnings of a run: all are counted, the first [`Warnings::KEPT`] are kept for display.
#[derive(Debug, Default)]
pub struct Warnings {
    pub count: u64,
    pub kept: Vec<Warning>,
}

impl Warnings {
    pub(crate) const KEPT: usize = 1000;

    pub(crate) fn push(
        &mut self,
        file: &str,
        line: Option<u64>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.count += 1;
        if self.kept.len() < Self::KEPT {
            self.kept.push(Warning {
                file: file.to_string(),
                line,
                code,
                message: message.into(),
            });
        }
    }
}
