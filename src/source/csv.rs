//! CSV reader.
