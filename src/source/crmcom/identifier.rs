//! The record identifier template (`--identifier`), e.g. `{ref}-{date}`.
//!
//! Collectmaxx needs an identifier that is unique over the whole delivery history; CRM.COM
//! objects carry none, so it is built from the object's parts and the run date. Placeholders
//! are listed in [`Placeholder`]; `{{` and `}}` write literal braces.

use chrono::NaiveDate;

use super::customer::Customer;

/// The default template: the accounts receivable's number (or a row-based stand-in) and the
/// run date, which is unique per delivery day.
pub(crate) const DEFAULT_TEMPLATE: &str = "{ref}-{date}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholder {
    /// `{ref}`: the accounts receivable number, else its id, else the contact information id,
    /// else `R` and the record's ordinal (`R7`).
    Ref,
    /// `{accounts_receivable.number}`
    ReceivableNumber,
    /// `{accounts_receivable.id}`
    ReceivableId,
    /// `{accounts_receivable.name}`
    ReceivableName,
    /// `{contact_information.id}`
    ContactId,
    /// `{date}`: the run date as `yyyymmdd`.
    Date,
    /// `{row}`: the record's ordinal in the file (1 = first).
    Row,
}

const NAMES: &[(&str, Placeholder)] = &[
    ("ref", Placeholder::Ref),
    ("accounts_receivable.number", Placeholder::ReceivableNumber),
    ("accounts_receivable.id", Placeholder::ReceivableId),
    ("accounts_receivable.name", Placeholder::ReceivableName),
    ("contact_information.id", Placeholder::ContactId),
    ("date", Placeholder::Date),
    ("row", Placeholder::Row),
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Value(Placeholder, &'static str),
}

/// A parsed identifier template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

/// Why an identifier template is refused; each message lists the placeholders there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TemplateError {
    /// A mistake the template language itself finds (an unclosed brace, an empty placeholder).
    #[error(transparent)]
    Language(crate::template::TemplateError),
    #[error(
        "identifier template '{template}': unknown placeholder {{{name}}}; use {}",
        known()
    )]
    UnknownPlaceholder { template: String, name: String },
    #[error("identifier template '{template}' has no placeholder, so every record would get the same identifier; use {}", known())]
    NoPlaceholder { template: String },
}

impl Default for Template {
    fn default() -> Template {
        Template::parse(DEFAULT_TEMPLATE).unwrap_or(Template { pieces: Vec::new() })
    }
}

impl Template {
    /// Parses a template in the tool's one template language ([`crate::template`]), whose
    /// built-ins here are CRM.COM's placeholders; the error says what is wrong and lists them.
    /// A CRM.COM record has no columns, so any other name is unknown.
    pub(crate) fn parse(template: &str) -> Result<Template, TemplateError> {
        let names: Vec<&'static str> = NAMES.iter().map(|(n, _)| *n).collect();
        let parsed = crate::template::Template::parse(template, &names).map_err(|e| match e {
            crate::template::TemplateError::NoPlaceholder(..) => TemplateError::NoPlaceholder {
                template: template.to_string(),
            },
            other => TemplateError::Language(other),
        })?;
        let mut pieces = Vec::new();
        for piece in parsed.pieces {
            pieces.push(match piece {
                crate::template::Piece::Literal(s) => Piece::Literal(s),
                crate::template::Piece::Builtin(name) => {
                    let p = NAMES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p);
                    Piece::Value(p.unwrap_or(Placeholder::Ref), name)
                }
                crate::template::Piece::Column(name) => {
                    return Err(TemplateError::UnknownPlaceholder {
                        template: template.to_string(),
                        name,
                    })
                }
            });
        }
        Ok(Template { pieces })
    }

    /// The identifier of one record, and the names of the placeholders that were empty for it.
    pub(crate) fn render(
        &self,
        customer: &Customer,
        row: u64,
        date: NaiveDate,
    ) -> (String, Vec<&'static str>) {
        let mut out = String::new();
        let mut empty = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Value(p, name) => match value(*p, customer, row, date) {
                    Some(v) => out.push_str(&v),
                    None => empty.push(*name),
                },
            }
        }
        (out, empty)
    }
}

fn known() -> String {
    NAMES
        .iter()
        .map(|(n, _)| format!("{{{n}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value(p: Placeholder, c: &Customer, row: u64, date: NaiveDate) -> Option<String> {
    match p {
        Placeholder::Ref => Some(
            c.receivable_number
                .clone()
                .or_else(|| c.receivable_id.clone())
                .or_else(|| c.contact_id.clone())
                .unwrap_or_else(|| format!("R{row}")),
        ),
        Placeholder::ReceivableNumber => c.receivable_number.clone(),
        Placeholder::ReceivableId => c.receivable_id.clone(),
        Placeholder::ReceivableName => c.receivable_name.clone(),
        Placeholder::ContactId => c.contact_id.clone(),
        Placeholder::Date => Some(date.format("%Y%m%d").to_string()),
        Placeholder::Row => Some(row.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn customer(v: serde_json::Value) -> Customer {
        Customer::from_json(&v).unwrap()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn default_uses_the_number_and_the_date() {
        let c = customer(
            json!({"action": "EXISTING", "accounts_receivable_identifier": {"number": "AR00042"}}),
        );
        assert_eq!(
            Template::default().render(&c, 3, day()).0,
            "AR00042-20261122"
        );
    }

    #[test]
    fn default_falls_back_to_the_row_for_new_accounts() {
        let c =
            customer(json!({"action": "NEW", "name": "Jan Peeters", "contact_information": {}}));
        assert_eq!(Template::default().render(&c, 7, day()).0, "R7-20261122");
    }

    #[test]
    fn custom_template_with_braces_and_empty_placeholders() {
        let t = Template::parse(
            "ACME{{{accounts_receivable.name}}}/{row}/{accounts_receivable.number}",
        )
        .unwrap();
        let c = customer(json!({"action": "NEW", "name": "Jan", "contact_information": {}}));
        let (id, empty) = t.render(&c, 2, day());
        assert_eq!(id, "ACME{Jan}/2/");
        assert_eq!(empty, vec!["accounts_receivable.number"]);
    }

    #[test]
    fn bad_templates_are_refused_with_the_list() {
        let e = Template::parse("{number}-{date}").unwrap_err().to_string();
        assert!(
            e.contains("{number}") && e.contains("{accounts_receivable.number}"),
            "{e}"
        );
        let e = |t: &str| Template::parse(t).unwrap_err().to_string();
        assert!(e("{date").contains("not closed"));
        assert!(e("x}").contains("no '{'"));
        assert!(e("ACME").contains("no placeholder"));
    }
}
