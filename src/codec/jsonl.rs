//! API-shaped JSON Lines: one JSON object per record, with the field names of the
//! Collectmaxx API (`reference`, `personFamilyName`, `toPhoneNumbers`, ...).
//!
//! - Fields are written in registry order under their API name; fields the API does not have
//!   are left out ([`dropped_columns`] lists them for the report).
//! - Numbered fields become arrays (`toPhoneNumbers`, `invoiceLinesDescriptions`,
//!   `invoiceLinesUnitPrices`), except where the API takes one value: `toMailAddress` is the
//!   record's first e-mail address, and the other e-mail columns count as dropped.
//! - Phone arrays hold the numbers that are there, in order. Invoice-line arrays stay aligned
//!   by line: they cover every line that has a value in any API field of the invoice lines,
//!   with `null` where that line lacks this field, so a price never slides to another line.
//! - INT fields (amounts in cents, counts) are JSON numbers; all else is a string (dates
//!   `yyyy-mm-dd`, phones as E.164 digits).

use std::io;

use serde_json::Value as Json;

use super::encode::{Codec, EachRecord, Encoder};
use crate::model::{Record, Value};
use crate::registry::xml_names::{self as names, Numbering};
use crate::registry::{self, Field, Slot, FIELDS};

/// API names that take one value although their field is numbered.
const SINGLE_VALUED: &[&str] = &["toMailAddress"];

/// Encodes records as JSON lines of these columns.
pub(crate) struct JsonlCodec {
    columns: Vec<Slot>,
}

impl JsonlCodec {
    pub(crate) fn new(columns: &[Slot]) -> JsonlCodec {
        JsonlCodec {
            columns: columns.to_vec(),
        }
    }
}

fn single_valued(field: &Field) -> bool {
    !field.is_numbered() || field.api_name.is_some_and(|a| SINGLE_VALUED.contains(&a))
}

/// The columns of `columns` that the API has no place for, in column order.
pub(crate) fn dropped_columns(columns: &[Slot]) -> Vec<Slot> {
    columns
        .iter()
        .copied()
        .filter(|s| {
            let f = s.field();
            f.api_name.is_none() || (f.is_numbered() && single_valued(f) && s.occurrence() > 1)
        })
        .collect()
}

fn json(value: &Value) -> Json {
    match value {
        Value::Cents(c) => Json::from(c.0),
        Value::Count(n) => Json::from(*n),
        other => Json::from(other.to_string()),
    }
}

fn category_numbered(field_index: usize) -> bool {
    names::of_field(field_index).is_some_and(|x| x.numbering == Numbering::Category)
}

impl JsonlCodec {
    fn object(&self, record: &Record) -> serde_json::Map<String, Json> {
        let mut obj = serde_json::Map::new();
        // Invoice lines present in any API field of a category-numbered field.
        let lines: Vec<u8> = (1..=u8::MAX)
            .take_while(|occ| {
                FIELDS
                    .iter()
                    .enumerate()
                    .any(|(i, f)| category_numbered(i) && *occ <= f.occurrences)
            })
            .filter(|occ| {
                self.columns.iter().any(|s| {
                    category_numbered(s.field_index())
                        && s.field().api_name.is_some()
                        && s.occurrence() == *occ
                        && record.has(*s)
                })
            })
            .collect();
        for (fi, field) in FIELDS.iter().enumerate() {
            let Some(api) = field.api_name else { continue };
            let slots: Vec<Slot> = registry::field_slots(fi)
                .iter()
                .copied()
                .filter(|s| self.columns.contains(s))
                .collect();
            if slots.is_empty() {
                continue;
            }
            if single_valued(field) {
                if let Some(v) = slots.iter().find_map(|s| record.get(*s)) {
                    obj.insert(api.to_string(), json(v));
                }
            } else if category_numbered(fi) {
                if lines.is_empty() {
                    continue;
                }
                let items: Vec<Json> = lines
                    .iter()
                    .map(|occ| {
                        slots
                            .iter()
                            .find(|s| s.occurrence() == *occ)
                            .and_then(|s| record.get(*s))
                            .map(json)
                            .unwrap_or(Json::Null)
                    })
                    .collect();
                if items.iter().any(|j| !j.is_null()) {
                    obj.insert(api.to_string(), Json::Array(items));
                }
            } else {
                let items: Vec<Json> = slots
                    .iter()
                    .filter_map(|s| record.get(*s))
                    .map(json)
                    .collect();
                if !items.is_empty() {
                    obj.insert(api.to_string(), Json::Array(items));
                }
            }
        }
        obj
    }
}

impl JsonlCodec {
    /// Appends the JSON line of one record.
    fn record(&self, record: &Record, out: &mut Vec<u8>) -> io::Result<()> {
        // serde_json's map keeps keys sorted; write the pairs by hand to keep registry order.
        let obj = self.object(record);
        let order: Vec<&str> = FIELDS.iter().filter_map(|f| f.api_name).collect();
        let mut line = String::from("{");
        for key in order {
            if let Some(v) = obj.get(key) {
                if line.len() > 1 {
                    line.push(',');
                }
                line.push_str(&Json::from(key).to_string());
                line.push(':');
                line.push_str(&v.to_string());
            }
        }
        line.push_str("}\n");
        out.extend_from_slice(line.as_bytes());
        Ok(())
    }
}

impl Codec for JsonlCodec {
    fn head(&self) -> io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn tail(&self) -> &'static [u8] {
        b""
    }

    fn encoder(&self) -> Box<dyn Encoder + '_> {
        Box::new(EachRecord::new(|record, out| self.record(record, out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cents, Phone};

    fn slot(col: &str) -> Slot {
        Slot::by_column(col).unwrap()
    }

    fn line(columns: &[&str], values: &[(&str, Value)]) -> String {
        let cols: Vec<Slot> = columns.iter().map(|c| slot(c)).collect();
        let mut r = Record::new();
        for (c, v) in values {
            r.set(slot(c), Some(v.clone()));
        }
        let codec = JsonlCodec::new(&cols);
        let mut encoder = codec.encoder();
        encoder.encode(&r).unwrap();
        let mut out = codec.head().unwrap();
        out.extend_from_slice(&encoder.finish().unwrap().bytes);
        out.extend_from_slice(codec.tail());
        String::from_utf8(out).unwrap()
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn api_names_arrays_and_numbers() {
        let out = line(
            &[
                "IDENTIFICATION_IDENTIFIER",
                "PERSON_FAMILYNAME",
                "CONTACT_PHONENUMBER_1",
                "CONTACT_PHONENUMBER_2",
                "CONTACT_PHONENUMBER_3",
                "CONTACT_EMAIL_1",
                "CONTACT_EMAIL_2",
                "INVOICE_AMOUNT",
                "INVOICE_TAX",
            ],
            &[
                ("IDENTIFICATION_IDENTIFIER", text("K-1")),
                ("PERSON_FAMILYNAME", text("Jansen \"Jr\"")),
                (
                    "CONTACT_PHONENUMBER_1",
                    Value::Phone(Phone::new("31612345678".into(), Some(true))),
                ),
                (
                    "CONTACT_PHONENUMBER_3",
                    Value::Phone(Phone::new("3220123456".into(), None)),
                ),
                ("CONTACT_EMAIL_2", Value::Email("a@example.nl".into())),
                ("INVOICE_AMOUNT", Value::Cents(Cents(1250))),
                ("INVOICE_TAX", Value::Cents(Cents(217))),
            ],
        );
        assert_eq!(
            out,
            "{\"reference\":\"K-1\",\"personFamilyName\":\"Jansen \\\"Jr\\\"\",\
             \"toPhoneNumbers\":[\"31612345678\",\"3220123456\"],\
             \"toMailAddress\":\"a@example.nl\",\"invoiceAmount\":1250}\n"
        );
    }

    #[test]
    fn invoice_line_arrays_stay_aligned() {
        let out = line(
            &[
                "INVOICELINES_1_DESCRIPTION",
                "INVOICELINES_2_DESCRIPTION",
                "INVOICELINES_1_UNITPRICE",
                "INVOICELINES_2_UNITPRICE",
            ],
            &[
                ("INVOICELINES_1_DESCRIPTION", text("Levering")),
                ("INVOICELINES_2_DESCRIPTION", text("Vastrecht")),
                ("INVOICELINES_2_UNITPRICE", Value::Cents(Cents(995))),
            ],
        );
        assert_eq!(
            out,
            "{\"invoiceLinesDescriptions\":[\"Levering\",\"Vastrecht\"],\
             \"invoiceLinesUnitPrices\":[null,995]}\n"
        );
    }

    #[test]
    fn an_empty_record_is_an_empty_object() {
        assert_eq!(line(&["PERSON_FAMILYNAME"], &[]), "{}\n");
    }

    #[test]
    fn dropped_columns_are_those_without_an_api_place() {
        let cols: Vec<Slot> = [
            "IDENTIFICATION_IDENTIFIER",
            "PERSON_HONORIFICPREFIX",
            "CONTACT_EMAIL_1",
            "CONTACT_EMAIL_3",
            "INVOICELINES_2_UNITS",
            "SERVICES_ENRICHMENT",
        ]
        .iter()
        .map(|c| slot(c))
        .collect();
        let dropped: Vec<&str> = dropped_columns(&cols).iter().map(|s| s.column()).collect();
        assert_eq!(
            dropped,
            [
                "PERSON_HONORIFICPREFIX",
                "CONTACT_EMAIL_3",
                "INVOICELINES_2_UNITS",
                "SERVICES_ENRICHMENT"
            ]
        );
    }
}
