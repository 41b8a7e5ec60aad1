//! The delivery file formats.

use std::sync::Arc;

use super::csv::CsvCodec;
use super::encode::Codec;
use super::jsonl::JsonlCodec;
use super::xml::XmlCodec;
use crate::registry::Slot;

/// The delivery file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliveryFormat {
    #[default]
    Csv,
    /// The XML form of the specification (`<annabel><record>...`).
    Xml,
    /// One JSON object per record with the API's field names, for API users.
    Jsonl,
}

impl DeliveryFormat {
    /// Every format, in the order `--to` lists them.
    pub const ALL: [DeliveryFormat; 3] = [
        DeliveryFormat::Csv,
        DeliveryFormat::Xml,
        DeliveryFormat::Jsonl,
    ];

    /// The format whose [`DeliveryFormat::extension`] is `name`.
    pub fn from_name(name: &str) -> Option<DeliveryFormat> {
        DeliveryFormat::ALL
            .into_iter()
            .find(|f| f.extension() == name)
    }

    /// The file name extension, which is also the format's name on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            DeliveryFormat::Csv => "csv",
            DeliveryFormat::Xml => "xml",
            DeliveryFormat::Jsonl => "jsonl",
        }
    }

    /// The codec that writes records of these columns in this format.
    pub(crate) fn codec(self, columns: &[Slot]) -> Arc<dyn Codec> {
        match self {
            DeliveryFormat::Csv => Arc::new(CsvCodec::new(columns)),
            DeliveryFormat::Xml => Arc::new(XmlCodec::new(columns)),
            DeliveryFormat::Jsonl => Arc::new(JsonlCodec::new(columns)),
        }
    }
}
