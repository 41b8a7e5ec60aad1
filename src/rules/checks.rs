//! Record-level rules: the ones that look at several fields of a record at once.

use crate::issue::Note;
use crate::model::{Record, Value};
use crate::registry::{self, well_known, Kind, Service, Slot, FIELDS};
use crate::rules::settings::RuleSettings;
use crate::shown::{self, View};

/// iDEAL and PayPal shorten payment descriptions to these lengths.
const IDEAL_LIMIT: usize = 35;
const PAYPAL_LIMIT: usize = 127;

/// Runs the record-level rules; may move values (phones and e-mails move up over gaps).
/// `refused` lists the columns whose value was already rejected with an error: they are not
/// reported a second time as missing.
pub(crate) fn check_record(
    settings: &RuleSettings,
    record: &mut Record,
    refused: &[Slot],
) -> Vec<(Option<Slot>, Note)> {
    let mut notes = Vec::new();
    compact_contacts(settings, record, &mut notes);
    required_fields(settings, record, refused, &mut notes);
    sms_needs_mobile(settings, record, &mut notes);
    due_dates(settings, record, &mut notes);
    payment_text_limits(settings, record, &mut notes);
    notes
}

/// Numbered phone and e-mail columns: values move up over gaps left by empty or invalid ones,
/// and a number or address given twice is kept once.
fn compact_contacts(
    settings: &RuleSettings,
    record: &mut Record,
    notes: &mut Vec<(Option<Slot>, Note)>,
) {
    for (fi, field) in FIELDS.iter().enumerate() {
        if !field.is_numbered() || !matches!(field.kind, Kind::Phone | Kind::Email) {
            continue;
        }
        let slots = registry::field_slots(fi);
        let mut kept: Vec<Value> = Vec::with_capacity(slots.len());
        for &slot in slots {
            if let Some(v) = record.take(slot) {
                if kept.contains(&v) {
                    notes.push((
                        Some(slot),
                        Note::fix_with("contact.duplicate", || {
                            shown::with_view(View::of(slot, settings.redact), || {
                                format!(
                                    "{v} is given twice; it is delivered once",
                                    v = shown::value(&v.to_string())
                                )
                            })
                        }),
                    ));
                } else {
                    kept.push(v);
                }
            }
        }
        for (slot, v) in slots.iter().zip(kept) {
            record.set(*slot, Some(v));
        }
    }
}

fn required_fields(
    settings: &RuleSettings,
    record: &Record,
    refused: &[Slot],
    notes: &mut Vec<(Option<Slot>, Note)>,
) {
    let id = well_known::identifier();
    if !record.has(id) {
        notes.push((
            Some(id),
            Note::error(
                "identifier.missing",
                format!("the record has no {}: every record needs an identifier that is unique over all deliveries", id.column()),
            ),
        ));
    }
    for (fi, field) in FIELDS.iter().enumerate() {
        let slot = registry::field_slots(fi)[0];
        if slot == id
            || record.has(slot)
            || registry::field_slots(fi)
                .iter()
                .any(|s| refused.contains(s))
        {
            continue;
        }
        let by = field.required_by_of(settings.services);
        if by.is_empty() {
            continue;
        }
        let what = if field.kind == Kind::Phone && field.is_numbered() {
            "no valid phone number"
        } else {
            "no value"
        };
        notes.push((
            Some(slot),
            Note::error(
                "field.required",
                format!(
                    "{} is required by the {} service{} but the record has {what}",
                    slot.column(),
                    by,
                    if by.names().len() > 1 { "s" } else { "" }
                ),
            ),
        ));
    }
}

fn sms_needs_mobile(
    settings: &RuleSettings,
    record: &Record,
    notes: &mut Vec<(Option<Slot>, Note)>,
) {
    if !settings.services.contains(Service::Sms) {
        return;
    }
    let first = well_known::phone_1();
    let phones: Vec<_> = registry::field_slots(first.field_index())
        .iter()
        .filter_map(|s| match record.get(*s) {
            Some(Value::Phone(p)) => Some(p),
            _ => None,
        })
        .collect();
    if !phones.is_empty() && phones.iter().all(|p| p.is_mobile() == Some(false)) {
        notes.push((
            Some(first),
            Note::warning(
                "phone.no_mobile",
                "the sms service is on, but none of the record's phone numbers is a mobile number",
            ),
        ));
    }
}

fn due_dates(settings: &RuleSettings, record: &Record, notes: &mut Vec<(Option<Slot>, Note)>) {
    let strict = settings.services.contains(Service::Paylink)
        || settings.services.contains(Service::Emandate);
    for slot in [
        well_known::invoice_duedate(),
        well_known::arrangement_duedate(),
        well_known::emandate_visibleuntil(),
    ] {
        if let Some(Value::Date(d)) = record.get(slot) {
            if *d <= settings.today {
                let msg = format!(
                    "{} {} is not after the run date {}: a PayLink or e-mandate would already have expired",
                    slot.column(),
                    d.format("%Y-%m-%d"),
                    settings.today.format("%Y-%m-%d")
                );
                let note = if strict {
                    Note::error("date.not_future", msg)
                } else {
                    Note::warning("date.not_future", msg)
                };
                notes.push((Some(slot), note));
            }
        }
    }
}

fn payment_text_limits(
    settings: &RuleSettings,
    record: &Record,
    notes: &mut Vec<(Option<Slot>, Note)>,
) {
    if !settings.services.contains(Service::Paylink) {
        return;
    }
    for slot in [
        well_known::invoice_description(),
        well_known::invoice_reference(),
    ] {
        if let Some(Value::Text(s)) = record.get(slot) {
            let len = s.chars().count();
            let note = if len > PAYPAL_LIMIT {
                Note::warning("text.paypal_limit", format!("{len} characters: PayPal shows only the first {PAYPAL_LIMIT} (and iDEAL the first {IDEAL_LIMIT}); the landing page has the full text"))
            } else if len > IDEAL_LIMIT {
                Note::warning("text.ideal_limit", format!("{len} characters: iDEAL shows only the first {IDEAL_LIMIT}; the landing page has the full text"))
            } else {
                continue;
            };
            notes.push((Some(slot), note));
        }
    }
}
