//! The XML delivery: the same form the XML reader takes (see `source::xml`).
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <annabel>
//!   <record>
//!     <identification>
//!       <identifier>K-1001</identifier>
//!     </identification>
//!     <contact>
//!       <phonenumber_1>31612345678</phonenumber_1>
//!     </contact>
//!     <invoicelines_1>
//!       <unitprice>1250</unitprice>
//!     </invoicelines_1>
//!   </record>
//! </annabel>
//! ```
//!
//! Categories come in registry order, each with its fields in registry order; numbered
//! fields carry their number (`<phonenumber_2>`, `<invoicelines_2>`), so a file read back
//! gives the same columns. Empty values are left out. `&`, `<` and `>` are escaped; a character that
//! XML 1.0 cannot hold at all (a control character) is an error, not silently changed.

use std::io;

use quick_xml::escape::partial_escape;

use super::encode::{Codec, EachRecord, Encoder};
use crate::model::Record;
use crate::registry::xml_names::{self as names, Numbering};
use crate::registry::Slot;

/// Encodes records as `<record>` blocks of these columns.
pub(crate) struct XmlCodec {
    columns: Vec<Slot>,
}

impl XmlCodec {
    pub(crate) fn new(columns: &[Slot]) -> XmlCodec {
        XmlCodec {
            columns: columns.to_vec(),
        }
    }
}

/// The category and field element names of a slot.
fn elements(slot: Slot) -> (String, String) {
    let occ = slot.occurrence();
    match names::of_field(slot.field_index()) {
        Some(x) => match x.numbering {
            Numbering::Single => (x.category.to_string(), x.element.to_string()),
            Numbering::Field => (x.category.to_string(), format!("{}_{occ}", x.element)),
            Numbering::Category => (format!("{}_{occ}", x.category), x.element.to_string()),
        },
        None => (String::from("unknown"), slot.column().to_ascii_lowercase()),
    }
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

impl XmlCodec {
    /// Appends the `<record>` block of one record.
    fn record(&self, record: &Record, out: &mut Vec<u8>) -> io::Result<()> {
        // Group the values by category element, in order of first appearance (registry
        // order; invoice lines are grouped by line number).
        let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for slot in &self.columns {
            let Some(value) = record.get(*slot) else {
                continue;
            };
            let text = value.to_string();
            if text.is_empty() {
                continue;
            }
            if let Some(bad) = text.chars().find(|c| !xml_char(*c)) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} of record {} holds the character U+{:04X}, which XML cannot hold",
                        slot.column(),
                        record.identifier().unwrap_or("?"),
                        bad as u32
                    ),
                ));
            }
            let (category, field) = elements(*slot);
            match groups.iter_mut().find(|(c, _)| *c == category) {
                Some((_, fields)) => fields.push((field, text)),
                None => groups.push((category, vec![(field, text)])),
            }
        }
        let mut s = String::from("  <record>\n");
        for (category, fields) in groups {
            s.push_str(&format!("    <{category}>\n"));
            for (field, text) in fields {
                s.push_str(&format!(
                    "      <{field}>{}</{field}>\n",
                    partial_escape(text.as_str())
                ));
            }
            s.push_str(&format!("    </{category}>\n"));
        }
        s.push_str("  </record>\n");
        out.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

impl Codec for XmlCodec {
    fn head(&self) -> io::Result<Vec<u8>> {
        Ok(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<annabel>\n".to_vec())
    }

    fn tail(&self) -> &'static [u8] {
        b"</annabel>\n"
    }

    fn encoder(&self) -> Box<dyn Encoder + '_> {
        Box::new(EachRecord::new(|record, out| self.record(record, out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cents, Value};

    fn slot(col: &str) -> Slot {
        Slot::by_column(col).unwrap()
    }

    fn write(columns: &[Slot], records: &[Record]) -> io::Result<String> {
        let codec = XmlCodec::new(columns);
        let mut encoder = codec.encoder();
        for r in records {
            encoder.encode(r)?;
        }
        let mut out = codec.head()?;
        out.extend_from_slice(&encoder.finish()?.bytes);
        out.extend_from_slice(codec.tail());
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn writes_categories_numbered_fields_and_escapes() {
        let cols: Vec<Slot> = [
            "IDENTIFICATION_IDENTIFIER",
            "PERSON_FAMILYNAME",
            "CONTACT_PHONENUMBER_2",
            "INVOICE_DESCRIPTION",
            "INVOICELINES_1_DESCRIPTION",
            "INVOICELINES_2_DESCRIPTION",
            "INVOICELINES_1_UNITPRICE",
        ]
        .iter()
        .map(|c| slot(c))
        .collect();
        let mut r = Record::new();
        r.set(cols[0], Some(Value::Text("K-1".into())));
        r.set(cols[1], Some(Value::Text("d'Hondt & <Zn>".into())));
        r.set(cols[2], Some(Value::Text("31201234567".into())));
        r.set(cols[4], Some(Value::Text("Levering".into())));
        r.set(cols[5], Some(Value::Text("Vastrecht".into())));
        r.set(cols[6], Some(Value::Cents(Cents(1250))));
        insta::assert_snapshot!(write(&cols, &[r]).unwrap());
    }

    #[test]
    fn values_outside_the_columns_are_not_written() {
        let id = slot("IDENTIFICATION_IDENTIFIER");
        let mut r = Record::new();
        r.set(id, Some(Value::Text("K-1".into())));
        r.set(
            slot("PERSON_FAMILYNAME"),
            Some(Value::Text("Jansen".into())),
        );
        let out = write(&[id], &[r]).unwrap();
        assert!(!out.contains("Jansen"), "{out}");
        assert!(out.contains("<identifier>K-1</identifier>"));
    }

    #[test]
    fn a_control_character_is_an_error() {
        let id = slot("IDENTIFICATION_IDENTIFIER");
        let mut r = Record::new();
        r.set(id, Some(Value::Text("K\u{1}1".into())));
        let err = write(&[id], &[r]).unwrap_err();
        assert!(err.to_string().contains("U+0001"), "{err}");
    }
}
