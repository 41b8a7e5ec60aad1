//! Broken, hostile and mutated inputs through the binary: each ends in exit 0, 1 or 2 with a
//! message, never a panic, a hang or a lost row.

mod inputs;
mod mutated_corpus;
mod rows_prop;
mod structured_prop;
mod workbooks_xml;
