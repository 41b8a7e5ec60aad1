//! The row rules and normalizers, the field registry against the specification, phone numbers
//! against libphonenumber, and the benchmark generator's phones.

mod gen_phones;
mod normalizers_prop;
mod phone_oracle;
mod pipeline;
mod registry_spec;
