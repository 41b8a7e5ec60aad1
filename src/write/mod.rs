//! Writers: serialize records of the typed model into a delivery file.

pub mod csv;
pub mod jsonl;
pub mod xml;

use std::io;

use crate::model::Record;
use crate::registry::Slot;

/// A delivery writer. The caller decides the columns once (registry order), then feeds the
/// accepted records in input order.
pub trait DeliveryWriter {
    /// Starts the file with these delivery columns, in registry order.
    fn begin(&mut self, columns: &[Slot]) -> io::Result<()>;
    /// Writes one record; values outside the begun columns are not written.
    fn record(&mut self, record: &Record) -> io::Result<()>;
    /// Ends the file (closing elements, flush).
    fn finish(&mut self) -> io::Result<()>;
}
