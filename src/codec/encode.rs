//! The encoding half of a delivery sink, shared by the three formats.

use std::io;

use crate::model::Record;

/// The field delimiter of the delivery CSV.
pub(crate) const DELIMITER: u8 = b';';

/// Turns accepted records into a delivery's bytes. Shared by the worker threads: each batch
/// of records gets its own [`Encoder`].
pub trait Codec: Send + Sync {
    /// What comes before the first record: the CSV header line, the XML prologue and root.
    fn head(&self) -> io::Result<Vec<u8>>;
    /// What comes after the last record: the XML root's end tag.
    fn tail(&self) -> &'static [u8];
    /// An encoder for one batch of records, on one worker.
    fn encoder(&self) -> Box<dyn Encoder + '_>;
}

/// Encodes the records of one batch, one after the other.
pub trait Encoder {
    /// Appends one record in the delivery's own form: a CSV line, an XML `<record>` block,
    /// a JSON line.
    fn encode(&mut self, record: &Record) -> io::Result<()>;
    /// The batch's records, encoded.
    fn finish(self: Box<Self>) -> io::Result<EncodedBatch>;
}

/// A batch of encoded records, handed to the sink in input order.
#[derive(Debug, Default)]
pub struct EncodedBatch {
    /// The records' bytes, one after the other.
    pub bytes: Vec<u8>,
    /// Where each record ends in `bytes`.
    pub ends: Vec<usize>,
}

/// The [`Encoder`] of a format whose records are encoded each on its own, with nothing
/// carried from one to the next (XML, JSON Lines).
pub(crate) struct EachRecord<F> {
    encode: F,
    batch: EncodedBatch,
}

impl<F: FnMut(&Record, &mut Vec<u8>) -> io::Result<()>> EachRecord<F> {
    pub(crate) fn new(encode: F) -> EachRecord<F> {
        EachRecord {
            encode,
            batch: EncodedBatch::default(),
        }
    }
}

impl<F: FnMut(&Record, &mut Vec<u8>) -> io::Result<()>> Encoder for EachRecord<F> {
    fn encode(&mut self, record: &Record) -> io::Result<()> {
        (self.encode)(record, &mut self.batch.bytes)?;
        self.batch.ends.push(self.batch.bytes.len());
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<EncodedBatch> {
        Ok(self.batch)
    }
}
