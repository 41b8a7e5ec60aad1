//! The delivery file formats.

use std::sync::Arc;

use super::csv::CsvCodec;
use super::encode::Codec;
use super::jsonl::JsonlCodec;
use super::xml::XmlCodec;
use crate::registry::Slot;

/// The delivery file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Csv,
    /// The XML form of the specification (`<annabel><record>...`).
    Xml,
    /// One JSON object per record with the API's field names, for API users.
    Jsonl,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xml => "xml",
            Format::Jsonl => "jsonl",
        }
    }

    /// The codec that writes records of these columns in this format.
    pub fn codec(self, columns: &[Slot]) -> Arc<dyn Codec> {
        match self {
            Format::Csv => Arc::new(CsvCodec::new(columns)),
            Format::Xml => Arc::new(XmlCodec::new(columns)),
            Format::Jsonl => Arc::new(JsonlCodec::new(columns)),
        }
    }
}
