//! The delivery codec: how records become the bytes of a delivery file (CSV, XML, JSON Lines),
//! and how a delivery is read back. The one place that knows the delivery's delimiter and
//! builds its CSV reader.
//!
//! A [`Codec`] is the encoding half of the run's sink: the worker threads encode accepted
//! records with it, a batch at a time ([`Encoder`]), straight into the delivery's own format;
//! the run's thread then takes the encoded batches in input order (see
//! [`crate::run::RecordSink`]). Nothing reads a delivery back into records: dropping records
//! later is copying bytes around them, and the only re-reading is the byte-level CSV column
//! projection ([`csv::reader`]) and the final check ([`verify`]).

pub(crate) mod csv;
mod encode;
mod format;
pub(crate) mod jsonl;
mod verify;
pub(crate) mod xml;

pub(crate) use encode::{Codec, EncodedBatch};
pub use format::DeliveryFormat;
pub(crate) use verify::verify;
