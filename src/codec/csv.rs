//! The Collectmaxx delivery CSV: UTF-8 without BOM, `;` between fields, every header and value
//! in double quotes (quotes inside doubled), `\n` after every record including the last.

use std::io::{self, Read, Write};

use super::encode::{Codec, EncodedBatch, Encoder, DELIMITER};
use crate::model::Record;
use crate::registry::Slot;

/// The reader of a delivery CSV (or of the spool, which is one): every row a record, the
/// header included.
pub(crate) fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(DELIMITER)
        .has_headers(false)
        .from_reader(input)
}

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(DELIMITER)
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Writes a delivery CSV from values already in delivery form: the header, then records
/// that another delivery CSV holds (column projection, see [`reader`]).
pub(crate) struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub(crate) fn new(out: W) -> CsvWriter<W> {
        CsvWriter { out: writer(out) }
    }

    /// Writes the header line of these delivery columns.
    pub(crate) fn begin(&mut self, columns: &[Slot]) -> io::Result<()> {
        self.out.write_record(columns.iter().map(|s| s.column()))?;
        Ok(())
    }

    /// Writes one record from values already in delivery form (as a [`CsvCodec`] wrote
    /// them), one per begun column.
    pub(crate) fn raw_record<'a>(
        &mut self,
        values: impl IntoIterator<Item = &'a [u8]>,
    ) -> io::Result<()> {
        self.out.write_record(values)?;
        Ok(())
    }

    pub(crate) fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Encodes records as delivery CSV lines of these columns.
pub(crate) struct CsvCodec {
    columns: Vec<Slot>,
}

impl CsvCodec {
    pub(crate) fn new(columns: &[Slot]) -> CsvCodec {
        CsvCodec {
            columns: columns.to_vec(),
        }
    }
}

impl Codec for CsvCodec {
    fn head(&self) -> io::Result<Vec<u8>> {
        let mut w = CsvWriter::new(Vec::new());
        w.begin(&self.columns)?;
        w.into_inner()
    }

    fn tail(&self) -> &'static [u8] {
        b""
    }

    fn encoder(&self) -> Box<dyn Encoder + '_> {
        Box::new(CsvEncoder {
            columns: &self.columns,
            out: writer(Vec::new()),
            ends: Vec::new(),
            buf: String::new(),
        })
    }
}

struct CsvEncoder<'a> {
    columns: &'a [Slot],
    out: csv::Writer<Vec<u8>>,
    ends: Vec<usize>,
    buf: String,
}

impl Encoder for CsvEncoder<'_> {
    fn encode(&mut self, record: &Record) -> io::Result<()> {
        use std::fmt::Write as _;
        for &slot in self.columns {
            self.buf.clear();
            if let Some(v) = record.get(slot) {
                let _ = write!(self.buf, "{v}");
            }
            self.out.write_field(self.buf.as_bytes())?;
        }
        self.out.write_record(None::<&[u8]>)?;
        // Into the batch's bytes, to know where the record ends.
        self.out.flush()?;
        self.ends.push(self.out.get_ref().len());
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<EncodedBatch> {
        let this = *self;
        Ok(EncodedBatch {
            bytes: this.out.into_inner().map_err(|e| e.into_error())?,
            ends: this.ends,
        })
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
        let codec = CsvCodec::new(&[id, name]);
        let mut r = Record::new();
        r.set(id, Some(Value::Text("A-1".into())));
        r.set(name, Some(Value::Text("de \"Vries\"; jr".into())));
        let mut lines = codec.encoder();
        lines.encode(&r).unwrap();
        lines.encode(&Record::new()).unwrap();
        let batch = lines.finish().unwrap();
        let mut out = codec.head().unwrap();
        out.extend_from_slice(&batch.bytes);
        out.extend_from_slice(codec.tail());
        let (out, lines) = (
            String::from_utf8(out).unwrap(),
            String::from_utf8(batch.bytes.clone()).unwrap(),
        );
        assert!(out.ends_with(&lines) && out.lines().count() == 3, "{lines}");
        assert_eq!(
            out,
            "\"IDENTIFICATION_IDENTIFIER\";\"PERSON_FAMILYNAME\"\n\"A-1\";\"de \"\"Vries\"\"; jr\"\n\"\";\"\"\n"
        );
        assert_eq!(batch.ends, [lines.find('\n').unwrap() + 1, lines.len()]);
    }

    #[test]
    fn the_reader_reads_back_what_was_written() {
        let id = Slot::by_column("IDENTIFICATION_IDENTIFIER").unwrap();
        let mut w = CsvWriter::new(Vec::new());
        w.begin(&[id]).unwrap();
        w.raw_record([&b"a\"b;c"[..]]).unwrap();
        let bytes = w.into_inner().unwrap();
        let mut r = reader(&bytes[..]);
        let rows: Vec<csv::ByteRecord> = r.byte_records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], b"IDENTIFICATION_IDENTIFIER");
        assert_eq!(&rows[1][0], b"a\"b;c");
    }
}
