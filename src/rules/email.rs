//! E-mail addresses: strict syntax.
//!
//! The syntax check is the `email_address` crate's (RFC 5322 addr-spec) with display names
//! (`Jan <jan@example.nl>`) and domain literals (`jan@[10.0.0.1]`) turned off. On top of it:
//! exactly one `@`, no white space anywhere (not even in a quoted local part), and a domain
//! with at least one dot. An upper-case domain is written in lower case
//! (`email.domain_case`); the local part is left alone, as only the receiving server may
//! interpret it.

use email_address::{EmailAddress, Error, Options};

use crate::issue::Note;
use crate::rules::Outcome;
use crate::shown;

pub fn parse_email(input: &str) -> Outcome<String> {
    if let Some(reason) = precheck(input) {
        return Outcome::invalid(invalid(input, reason));
    }
    let options = Options::default()
        .without_display_text()
        .without_domain_literal();
    if let Err(error) = EmailAddress::parse_with_options(input, options) {
        return Outcome::invalid(invalid(input, reason(&error)));
    }
    let Some((local, domain)) = input.split_once('@') else {
        return Outcome::invalid(invalid(input, "it has no @"));
    };
    if !domain.contains('.') || domain.ends_with('.') {
        return Outcome::invalid(invalid(
            input,
            "the part after the @ is not a full domain name (such as example.nl)",
        ));
    }
    if !domain.chars().any(char::is_uppercase) {
        return Outcome::ok(input.to_string());
    }
    let address = format!("{local}@{}", domain.to_lowercase());
    let note = Note::fix_with("email.domain_case", || {
        format!(
            "'{input}' has capitals in its domain; written as {address}",
            input = shown::value(input),
            address = shown::value(&address)
        )
    });
    Outcome::fixed(address, note)
}

/// The checks the crate does not make (or words less clearly).
fn precheck(input: &str) -> Option<&'static str> {
    if input.contains(['<', '>']) {
        return Some("give the address alone, without a name or <>");
    }
    if input.chars().any(char::is_whitespace) {
        return Some("it contains a space");
    }
    match input.matches('@').count() {
        0 => Some("it has no @"),
        1 => None,
        _ => Some("it has more than one @ (one address per field)"),
    }
}

fn reason(error: &Error) -> &'static str {
    match error {
        Error::InvalidCharacter => "it contains a character an address cannot hold",
        Error::MissingSeparator => "it has no @",
        Error::LocalPartEmpty => "nothing comes before the @",
        Error::LocalPartTooLong => "the part before the @ is longer than 64 characters",
        Error::DomainEmpty => "nothing comes after the @",
        Error::DomainTooLong => "the domain is longer than 255 characters",
        Error::SubDomainEmpty | Error::DomainInvalidSeparator => "the domain has a misplaced dot",
        Error::SubDomainTooLong => "a part of the domain is longer than 63 characters",
        Error::DomainTooFew => "the domain is not a full domain name",
        Error::UnbalancedQuotes => "it has unbalanced quotes",
        Error::InvalidComment => "it has a malformed comment in ( )",
        Error::InvalidIPAddress | Error::UnsupportedDomainLiteral => {
            "an IP address in [ ] is not accepted as the domain"
        }
        Error::UnsupportedDisplayName | Error::MissingDisplayName | Error::MissingEndBracket => {
            "give the address alone, without a name or <>"
        }
    }
}

fn invalid(input: &str, reason: &str) -> Note {
    Note::error(
        "email.invalid",
        format!(
            "'{input}' is not a valid e-mail address: {reason}",
            input = shown::value(input)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes<T>(o: &Outcome<T>) -> Vec<&'static str> {
        o.notes.iter().map(|n| n.code).collect()
    }

    #[test]
    fn valid_address_passes_unchanged() {
        for input in [
            "jan@example.nl",
            "Jan.Jansen+factuur@mail.example.co.uk",
            "a_b@x-y.nl",
        ] {
            let o = parse_email(input);
            assert_eq!(o.value.as_deref(), Some(input));
            assert!(o.notes.is_empty(), "{input}");
        }
    }

    #[test]
    fn domain_is_lower_cased_local_part_kept() {
        let o = parse_email("Jan@Example.NL");
        assert_eq!(o.value.as_deref(), Some("Jan@example.nl"));
        assert_eq!(codes(&o), ["email.domain_case"]);
    }

    #[test]
    fn invalid_addresses_say_why() {
        for (input, why) in [
            ("Jan <jan@example.nl>", "without a name"),
            ("<jan@example.nl>", "without a name"),
            ("jan@localhost", "full domain"),
            ("jan@example.nl.", "misplaced dot"),
            ("jan example@x.nl", "space"),
            ("jan", "no @"),
            ("jan@@example.nl", "more than one @"),
            ("\"jan@home\"@example.nl", "more than one @"),
            ("jan@example..nl", "misplaced dot"),
            ("@example.nl", "before the @"),
            ("jan@", "after the @"),
            ("jan@[10.0.0.1]", "IP address"),
            ("jan,piet@example.nl", "character"),
            ("jan@example.nl;piet@example.nl", "more than one @"),
        ] {
            let o = parse_email(input);
            assert_eq!(o.value, None, "{input}");
            assert_eq!(codes(&o), ["email.invalid"], "{input}");
            assert!(
                o.notes[0].message.contains(why),
                "{input}: {}",
                o.notes[0].message
            );
        }
    }
}
