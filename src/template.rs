//! The one template language for built identifiers: `{Factuurnummer}-{date}` in a profile,
//! `{ref}-{date}` for CRM.COM's `--identifier`.
//!
//! `{name}` is a built-in when the caller knows `name` as one (`{date}`, `{row}`, and `{ref}`
//! for CRM.COM), else a column; `{col:name}` is always the column `name` (for a column called
//! `date`). `{{` and `}}` write literal braces. A template without any placeholder is refused:
//! every record would get the same identifier.

/// One part of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    /// A built-in, by the name the caller gave it.
    Builtin(&'static str),
    /// A column, by its name as written in the template.
    Column(String),
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("identifier template '{0}': a '{{' is not closed; write {{{{ for a literal brace")]
    Unclosed(String),
    #[error("identifier template '{0}': a '}}' has no '{{'; write }}}} for a literal brace")]
    Unopened(String),
    #[error(
        "identifier template '{0}': an empty placeholder {{}}; write a column name or one of {1}"
    )]
    Empty(String, String),
    #[error("identifier template '{0}' has no placeholder, so every record would get the same identifier; use {1}")]
    NoPlaceholder(String, String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`; `builtins` are the names this use of the language knows.
    pub fn parse(text: &str, builtins: &[&'static str]) -> Result<Template, TemplateError> {
        let known = || {
            builtins
                .iter()
                .map(|n| format!("{{{n}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        name.push(c);
                    }
                    if !closed {
                        return Err(TemplateError::Unclosed(text.to_string()));
                    }
                    let name = name.trim();
                    if name.is_empty() || name == "col:" {
                        return Err(TemplateError::Empty(text.to_string(), known()));
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(match name.strip_prefix("col:") {
                        Some(column) => Piece::Column(column.trim().to_string()),
                        None => match builtins.iter().find(|b| **b == name) {
                            Some(b) => Piece::Builtin(b),
                            None => Piece::Column(name.to_string()),
                        },
                    });
                }
                '}' => return Err(TemplateError::Unopened(text.to_string())),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        if !pieces.iter().any(|p| !matches!(p, Piece::Literal(_))) {
            return Err(TemplateError::NoPlaceholder(text.to_string(), known()));
        }
        Ok(Template { pieces })
    }

    /// The columns the template names.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Column(c) => Some(c.as_str()),
            _ => None,
        })
    }

    /// Renders the template; `value` gives each placeholder's text (`None` = empty). Returns
    /// the text and the placeholders that were empty, as written.
    pub fn render(&self, mut value: impl FnMut(&Piece) -> Option<String>) -> (String, Vec<&Piece>) {
        let mut out = String::new();
        let mut empty = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                p => match value(p).filter(|v| !v.trim().is_empty()) {
                    Some(v) => out.push_str(v.trim()),
                    None => empty.push(p),
                },
            }
        }
        (out, empty)
    }
}

impl Piece {
    /// The placeholder as a template writes it.
    pub fn written(&self) -> String {
        match self {
            Piece::Literal(s) => s.clone(),
            Piece::Builtin(b) => format!("{{{b}}}"),
            Piece::Column(c) => format!("{{{c}}}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTINS: &[&str] = &["date", "row"];

    #[test]
    fn columns_builtins_and_braces() {
        let t = Template::parse("{Factuurnummer}-{date}{{x}}{col:row}", BUILTINS).unwrap();
        assert_eq!(
            t.pieces,
            vec![
                Piece::Column("Factuurnummer".into()),
                Piece::Literal("-".into()),
                Piece::Builtin("date"),
                Piece::Literal("{x}".into()),
                Piece::Column("row".into()),
            ]
        );
        let (s, empty) = t.render(|p| match p {
            Piece::Column(c) if c == "Factuurnummer" => Some("F1".into()),
            Piece::Builtin(_) => Some("20250314".into()),
            _ => None,
        });
        assert_eq!(s, "F1-20250314{x}");
        assert_eq!(empty, vec![&Piece::Column("row".into())]);
    }

    #[test]
    fn bad_templates() {
        assert!(matches!(
            Template::parse("{a", BUILTINS),
            Err(TemplateError::Unclosed(_))
        ));
        assert!(matches!(
            Template::parse("a}", BUILTINS),
            Err(TemplateError::Unopened(_))
        ));
        assert!(matches!(
            Template::parse("abc", BUILTINS),
            Err(TemplateError::NoPlaceholder(..))
        ));
        assert!(matches!(
            Template::parse("{ }", BUILTINS),
            Err(TemplateError::Empty(..))
        ));
    }
}
