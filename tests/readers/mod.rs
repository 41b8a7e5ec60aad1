//! The readers on their own: spreadsheets, XML, and arbitrary input through every reader.

mod prop;
mod sheets;
mod xml;
