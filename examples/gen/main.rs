//! Generates realistic exports for benchmarks and manual tests.
//!
//! ```text
//! cargo run --release --example gen -- --rows 1000000 [--messy] [--errors] [--format csv|xlsx|xml] [--seed 7] [--out FILE]
//! ```
//!
//! 32 delivery columns of NL/BE/DE customers with unique identifiers, due dates in 2030 and
//! phones the tool accepts. Clean mode writes what a delivery holds (`;`, fully quoted, E.164
//! digits, `yyyy-mm-dd`); `--messy` writes what exports look like (a byte order mark, `,`,
//! national phone formats, `dd-mm-yyyy`, padded values, lower-case codes, gender words, and one
//! row in 200 with a value the tool must refuse or drop); `--errors` gives every row three
//! values the tool must reject. The same seed gives the same bytes.

mod data;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use collectmaxx::registry::Slot;
use data::{GenPhone, Land, PhoneKind, Rng, COLUMNS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Csv,
    Xlsx,
    Xml,
}

#[derive(Debug, clap::Parser)]
#[command(about = "Generates a realistic export for benchmarks")]
struct Args {
    /// Data rows (records) to write.
    #[arg(long, default_value_t = 1000)]
    rows: u64,
    /// Write what real exports look like instead of clean delivery values.
    #[arg(long)]
    messy: bool,
    /// Give every row three values the tool must reject (an impossible birthday, an amount
    /// that is not a number, an unknown currency): the report's worst case.
    #[arg(long)]
    errors: bool,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Seed of the generator: the same seed gives the same file.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Output file [default: standard output; required for xlsx].
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Columns written as numbers in a spreadsheet.
const NUMERIC: [usize; 4] = [21, 22, 25, 31];

const SUPPLIERS: &[&str] = &[
    "Energie Direct",
    "Waterbedrijf Noord",
    "Telecom NV",
    "Stadtwerke Köln",
    "Zorg en Zeker",
];
const CONTRACT_TYPES: &[&str] = &["Energie", "Internet", "Mobiel", "Zorg", "Water"];
const LINE_ITEMS: &[&str] = &[
    "Vastrecht",
    "Levering gas",
    "Netbeheer",
    "Internet 500 Mbit/s",
    "Eigen risico",
    "Grundgebühr",
    "Redevance",
];
const MONTHS: &[&str] = &[
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MALE_WORDS: &[&str] = &["man", "dhr", "Herr", "male", "M"];
const FEMALE_WORDS: &[&str] = &["vrouw", "mevr", "Frau", "female", "F"];

fn main() -> anyhow::Result<()> {
    let args: Args = clap::Parser::parse();
    let out: Box<dyn Write> = match &args.out {
        Some(p) if args.format != Format::Xlsx => {
            Box::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?)
        }
        None if args.format != Format::Xlsx => Box::new(io::stdout().lock()),
        _ => Box::new(io::sink()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut gen = Generator::new(args.seed, args.messy);
    gen.errors = args.errors;
    match args.format {
        Format::Csv => write_csv(&mut gen, args.rows, &mut out)?,
        Format::Xml => write_xml(&mut gen, args.rows, &mut out)?,
        Format::Xlsx => {
            let path = args
                .out
                .as_ref()
                .context("--format xlsx needs --out FILE")?;
            write_xlsx(&mut gen, args.rows, path)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn write_csv(gen: &mut Generator, rows: u64, out: &mut impl Write) -> anyhow::Result<()> {
    let mut builder = csv::WriterBuilder::new();
    if gen.messy {
        // A spreadsheet's "CSV UTF-8": byte order mark, commas, quotes where needed, CRLF.
        out.write_all("\u{feff}".as_bytes())?;
        builder
            .delimiter(b',')
            .quote_style(csv::QuoteStyle::Necessary)
            .terminator(csv::Terminator::CRLF);
    } else {
        builder
            .delimiter(b';')
            .quote_style(csv::QuoteStyle::Always)
            .terminator(csv::Terminator::Any(b'\n'));
    }
    let mut w = builder.from_writer(out);
    w.write_record(COLUMNS)?;
    for n in 0..rows {
        gen.fill(n);
        w.write_record(&gen.values)?;
    }
    w.flush()?;
    Ok(())
}

/// `<annabel><record><category><field>…`: one element per category (lower case), fields named
/// without their category prefix, invoice lines as `<invoicelines_1>` categories.
fn write_xml(gen: &mut Generator, rows: u64, out: &mut impl Write) -> anyhow::Result<()> {
    let layout = xml_layout()?;
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<annabel>\n")?;
    for n in 0..rows {
        gen.fill(n);
        out.write_all(b"  <record>")?;
        let mut open: Option<&str> = None;
        for (value, (group, element)) in gen.values.iter().zip(&layout) {
            if value.is_empty() {
                continue;
            }
            if open != Some(group.as_str()) {
                if let Some(g) = open {
                    write!(out, "</{g}>")?;
                }
                write!(out, "<{group}>")?;
                open = Some(group);
            }
            write!(
                out,
                "<{element}>{}</{element}>",
                quick_xml::escape::escape(value.as_str())
            )?;
        }
        if let Some(g) = open {
            write!(out, "</{g}>")?;
        }
        out.write_all(b"</record>\n")?;
    }
    out.write_all(b"</annabel>\n")?;
    Ok(())
}

/// The XML group and element of each column, from the registry's categories.
fn xml_layout() -> anyhow::Result<Vec<(String, String)>> {
    COLUMNS
        .iter()
        .map(|column| {
            let slot = Slot::by_column(column)
                .with_context(|| format!("{column} is not a delivery column"))?;
            let field = slot.field();
            let category = field.category;
            let rest = column
                .strip_prefix(category)
                .and_then(|r| r.strip_prefix('_'))
                .with_context(|| format!("{column} does not start with {category}"))?;
            let lines_prefix = format!("{}_", slot.occurrence());
            Ok(match rest.strip_prefix(&lines_prefix) {
                // INVOICELINES_1_UNITPRICE: the occurrence belongs to the category.
                Some(element) if field.name.starts_with(&format!("{category}_x_")) => (
                    format!("{}_{}", category.to_lowercase(), slot.occurrence()),
                    element.to_lowercase(),
                ),
                _ => (category.to_lowercase(), rest.to_lowercase()),
            })
        })
        .collect()
}

fn write_xlsx(gen: &mut Generator, rows: u64, path: &PathBuf) -> anyhow::Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    // Rows go to a temporary file as they are written; strings go to the shared string table,
    // as Excel itself writes them (constant-memory mode would write inline strings instead).
    let sheet = book.add_worksheet_with_low_memory()?;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *name)?;
    }
    for n in 0..rows {
        gen.fill(n);
        let r = u32::try_from(n + 1).context("too many rows for a sheet")?;
        for (c, value) in gen.values.iter().enumerate() {
            let number = NUMERIC
                .contains(&c)
                .then(|| value.trim().parse::<f64>().ok())
                .flatten();
            match number {
                Some(x) => sheet.write_number(r, c as u16, x)?,
                None if value.is_empty() => sheet,
                None => sheet.write_string(r, c as u16, value)?,
            };
        }
    }
    book.save(path)?;
    Ok(())
}

/// Makes one row's values at a time into reused buffers.
struct Generator {
    rng: Rng,
    messy: bool,
    errors: bool,
    values: Vec<String>,
}

impl Generator {
    fn new(seed: u64, messy: bool) -> Generator {
        Generator {
            rng: Rng::new(seed),
            messy,
            errors: false,
            values: vec![String::new(); COLUMNS.len()],
        }
    }

    /// Fills `values` with row `n` (0-based).
    fn fill(&mut self, n: u64) {
        for v in &mut self.values {
            v.clear();
        }
        let messy = self.messy;
        let rng = &mut self.rng;
        let v = &mut self.values;
        let land = Land::draw(rng);
        let (given, male) = rng.pick(land.given_names());
        let family = rng.pick(land.family_names());

        // Identifiers: unique per row, with a scrambled part so they do not sort like rows.
        let scramble = (n.wrapping_mul(0x9E37_79B9) ^ 0x5A5A) % 1000;
        v[0].push_str(&format!("C{n:07}-{scramble:03}"));
        v[1].push_str(family);
        v[2].push_str(given);
        v[3].push_str(match (messy && rng.percent(40), male) {
            (true, true) => rng.pick(MALE_WORDS),
            (true, false) => rng.pick(FEMALE_WORDS),
            (false, true) => "M",
            (false, false) => "F",
        });
        date(rng, messy, (1940, 2006), &mut v[4]);
        v[5].push_str(&format!("P{:09}", 100_000_000 + n));
        v[6].push_str(rng.pick(land.streets()));
        v[7].push_str(&rng.range(1, 350).to_string());
        if rng.percent(15) {
            v[8].push_str(rng.pick(&["A", "B", "bis", "2hg", "II"]));
        }
        land.zip(rng, &mut v[9]);
        v[10].push_str(rng.pick(land.cities()));
        v[11].push_str(land.code());
        if messy && rng.percent(50) {
            v[11].make_ascii_lowercase();
        }

        // Phones: the customer's own mobile, a landline or second mobile, and a foreign mobile.
        let kinds = [
            PhoneKind::mobile_of(land),
            if rng.percent(50) {
                PhoneKind::NlLandline
            } else {
                PhoneKind::NlMobile
            },
            rng.pick(&PhoneKind::ALL),
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            if i == 2 && rng.percent(50) {
                continue;
            }
            let phone = GenPhone::draw(rng, kind);
            if messy {
                let forms = phone.forms();
                v[12 + i].push_str(&forms[rng.index(forms.len())]);
            } else {
                v[12 + i].push_str(&phone.e164());
            }
        }

        let mail_name = ascii_lower(given);
        let mail_family = ascii_lower(family);
        let domain = match land {
            Land::Nl => rng.pick(&["ziggo.nl", "kpnmail.nl", "gmail.com", "outlook.com"]),
            Land::Be => rng.pick(&["telenet.be", "skynet.be", "gmail.com"]),
            Land::De => rng.pick(&["web.de", "gmx.de", "t-online.de", "gmail.com"]),
        };
        v[15].push_str(&format!("{mail_name}.{mail_family}{}@{domain}", n % 1000));
        if rng.percent(25) {
            v[16].push_str(&format!("{}{}@example.com", &mail_name[..1], mail_family));
        }

        // Invoice.
        v[17].push_str(&format!("F{:08}", 26_000_000 + n));
        let month = rng.range(1, 11);
        date_of(messy, 2026, month, rng.range(1, 28), &mut v[18]);
        date_of(messy, 2030, rng.range(1, 12), rng.range(1, 28), &mut v[19]);
        v[20].push_str(if messy && rng.percent(50) {
            "eur"
        } else {
            "EUR"
        });
        let amount = rng.range(500, 250_000);
        v[21].push_str(&amount.to_string());
        v[22].push_str(&(amount * 21 / 121).to_string());
        let month_name = MONTHS[(month - 1) as usize];
        v[23].push_str(&format!("Factuur {month_name} 2026"));
        v[24].push_str(&format!("RF{:02}{n:07}", rng.range(10, 99)));
        v[25].push_str(&rng.range(1, 12).to_string());
        v[26].push_str(&format!("{}", 1000 + rng.below(20)));
        v[27].push_str(rng.pick(SUPPLIERS));
        v[28].push_str(&format!("CT{:07}", n));
        v[29].push_str(rng.pick(CONTRACT_TYPES));
        v[30].push_str(rng.pick(LINE_ITEMS));
        v[31].push_str(&rng.range(100, 20_000).to_string());

        if self.errors {
            v[4] = if messy { "30-02-1980" } else { "1980-02-30" }.to_string();
            v[20] = "EURO".to_string();
            v[21] = format!("{amount} euro");
        }
        if messy {
            // Padding, as fixed-width exports and spreadsheets leave it.
            for i in [1, 2, 6, 10, 17, 21] {
                if rng.percent(10) {
                    let padded = format!("  {}  ", v[i]);
                    v[i] = padded;
                }
            }
            // One row in 200 has a value the tool must refuse (a due date that does not
            // exist: the row is rejected) or drop (a phone that is too short: a warning).
            if rng.below(200) == 0 {
                if rng.percent(50) {
                    v[19] = "31-02-2030".to_string();
                } else {
                    v[13] = "06-1234".to_string();
                }
            }
        }
    }
}

/// A random date in the years `span`, inclusive.
fn date(rng: &mut Rng, messy: bool, span: (u64, u64), out: &mut String) {
    let (y, m, d) = (
        rng.range(span.0, span.1),
        rng.range(1, 12),
        rng.range(1, 28),
    );
    date_of(messy, y, m, d, out);
}

fn date_of(messy: bool, y: u64, m: u64, d: u64, out: &mut String) {
    if messy {
        out.push_str(&format!("{d:02}-{m:02}-{y}"));
    } else {
        out.push_str(&format!("{y}-{m:02}-{d:02}"));
    }
}

/// Lower-case ASCII letters of a name, for e-mail addresses (`Jürgen` → `jurgen`).
fn ascii_lower(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let base = match c {
            'ä' | 'à' | 'á' => 'a',
            'ë' | 'é' | 'è' => 'e',
            'ï' => 'i',
            'ö' | 'ó' => 'o',
            'ü' => 'u',
            'ß' => 's',
            c if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
            _ => continue,
        };
        out.push(base);
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}
