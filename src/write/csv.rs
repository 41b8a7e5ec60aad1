//! The Collectmaxx delivery CSV: UTF-8 without BOM, `;` between fields, every header and value
//! in double quotes (quotes inside doubled), `\n` after every record including the last.

use std::io::{self, Write};

use super::DeliveryWriter;
use crate::model::Record;
use crate::registry::Slot;

pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
    columns: Vec<Slot>,
    buf: String,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W) -> CsvWriter<W> {
        let out = csv::WriterBuilder::new()
            .delimiter(b';')
            .quote_style(csv::QuoteStyle::Always)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        CsvWriter {
            out,
            columns: Vec::new(),
            buf: String::new(),
        }
    }

    /// A writer for records only, with these columns and no header: the lines it writes
    /// follow a header that another writer wrote (records are serialized in parallel batches).
    pub fn headless(out: W, columns: &[Slot]) -> CsvWriter<W> {
        let mut w = CsvWriter::new(out);
        w.columns = columns.to_vec();
        w
    }

    /// Writes one record from values already in delivery form (as another `CsvWriter` wrote
    /// them), one per begun column.
    pub fn raw_record<'a>(&mut self, values: impl IntoIterator<Item = &'a [u8]>) -> io::Result<()> {
        self.out.write_record(values)?;
        Ok(())
    }

    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> DeliveryWriter for CsvWriter<W> {
    fn begin(&mut self, columns: &[Slot]) -> io::Result<()> {
        self.columns = columns.to_vec();
        self.out.write_record(columns.iter().map(|s| s.column()))?;
        Ok(())
    }

    fn record(&mut self, record: &Record) -> io::Result<()> {
        use std::fmt::Write as _;
        for &slot in &self.columns {
            self.buf.clear();
            if let Some(v) = record.get(slot) {
                let _ = write!(self.buf, "{v}");
            }
            self.out.write_field(self.buf.as_bytes())?;
        }
        self.out.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    #[test]
    fn quotes_everything_and_ends_every_record_with_lf() {
        let id = Slot::by_column("IDENTIFICATION_IDENTIFIER").unwrap();
        let name = Slot::by_column("PERSON_FAMILYNAME").unwrap();
        let mut w = CsvWriter::new(Vec::new());
        w.begin(&[id, name]).unwrap();
        let mut r = Record::new();
        r.set(id, Some(Value::Text("A-1".into())));
        r.set(name, Some(Value::Text("de \"Vries\"; jr".into())));
        w.record(&r).unwrap();
        w.record(&Record::new()).unwrap();
        w.finish().unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let mut lines = CsvWriter::headless(Vec::new(), &[id, name]);
        lines.record(&r).unwrap();
        lines.record(&Record::new()).unwrap();
        let lines = String::from_utf8(lines.into_inner().unwrap()).unwrap();
        assert!(out.ends_with(&lines) && out.lines().count() == 3, "{lines}");
        assert_eq!(
            out,
            "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\"\n\"A-1\";\"de \"\"Vries\"\"; jr\"\n\"\";\"\"\n"
        );
    }
}
