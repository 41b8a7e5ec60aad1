//! E-mail addresses: strict syntax.
//! (stub: being implemented)

use crate::issue::Note;
use crate::rules::Outcome;

pub fn parse_email(input: &str) -> Outcome<String> {
    if input.contains('@') {
        Outcome::ok(input.to_string())
    } else {
        Outcome::invalid(Note::error("email.invalid", "not an e-mail address"))
    }
}
