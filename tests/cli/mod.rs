//! `convert`, `validate` and `sheets` end to end: the binary on real files, its exit codes,
//! deliveries and reports.

mod amount_units;
mod ci_formats;
mod convert;
mod crmcom;
mod date_order;
mod flags;
mod formats;
mod long_values;
mod map;
mod mapping;
mod names;
mod packaging;
mod pipes_and_errors;
mod redact;
mod rows;
mod shell;
mod stdin;
mod summary;
mod workbooks;
