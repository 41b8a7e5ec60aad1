//! `collectmaxx fields`: the delivery fields and what the chosen services require.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use collectmaxx::delivery::Exit;
use collectmaxx::registry::{well_known, Services, FIELDS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FieldsFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, clap::Args)]
#[command(before_help = "Example:\n  collectmaxx fields --services paylink")]
pub struct Args {
    /// Services whose required fields to mark (comma-separated).
    #[arg(long, value_name = "LIST")]
    pub services: Option<String>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: FieldsFormat,
}

#[derive(Serialize)]
struct Row {
    field: &'static str,
    category: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    max_chars: Option<usize>,
    occurrences: u8,
    api_name: Option<&'static str>,
    required_by: Vec<&'static str>,
    required: bool,
}

pub fn run(args: &Args) -> anyhow::Result<Exit> {
    let services = match &args.services {
        Some(s) => Services::parse_list(s)
            .map_err(anyhow::Error::msg)
            .context("--services")?,
        None => Services::NONE,
    };
    let rows = rows(services);
    let mut out = super::pipe::stdout();
    match args.format {
        FieldsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        FieldsFormat::Csv => write_csv(out, &rows)?,
        FieldsFormat::Table => write_table(&mut out, &rows, services)?,
    }
    Ok(Exit::Ok)
}

/// One row per delivery field; `required` for the chosen services (the identifier always).
fn rows(services: Services) -> Vec<Row> {
    FIELDS
        .iter()
        .map(|f| Row {
            field: f.name,
            category: f.category,
            kind: f.kind.spec_name(),
            max_chars: f.max_chars,
            occurrences: f.occurrences,
            api_name: f.api_name,
            required_by: f.required_by.names(),
            required: f.is_required_by_any(services)
                || std::ptr::eq(f, well_known::identifier().field()),
        })
        .collect()
}

fn write_csv(out: impl Write, rows: &[Row]) -> anyhow::Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    w.write_record([
        "field",
        "category",
        "type",
        "max_chars",
        "occurrences",
        "api_name",
        "required_by",
        "required",
    ])?;
    for r in rows {
        w.write_record([
            r.field.to_string(),
            r.category.to_string(),
            r.kind.to_string(),
            r.max_chars.map(|m| m.to_string()).unwrap_or_default(),
            r.occurrences.to_string(),
            r.api_name.unwrap_or("").to_string(),
            r.required_by.join(","),
            if r.required { "yes" } else { "" }.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_table(out: &mut impl Write, rows: &[Row], services: Services) -> anyhow::Result<()> {
    let label = if services.is_empty() {
        "required".to_string()
    } else {
        format!("required for {services}")
    };
    writeln!(
        out,
        "{:<34} {:<8} {:>4} {:>4}  {:<28} {}",
        "FIELD",
        "TYPE",
        "MAX",
        "OCC",
        "API NAME",
        label.to_uppercase()
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<34} {:<8} {:>4} {:>4}  {:<28} {}",
            r.field,
            r.kind,
            r.max_chars
                .map(|m| m.to_string())
                .unwrap_or_else(|| "-".into()),
            r.occurrences,
            r.api_name.unwrap_or("-"),
            if r.required { "yes" } else { "" }
        )?;
    }
    Ok(())
}
