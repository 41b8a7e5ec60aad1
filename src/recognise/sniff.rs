//! Value sniffing: what a column's sample values look like.

use std::collections::HashSet;

use crate::profile::split;
use crate::rules::codes::{parse_country, parse_gender};
use crate::rules::date::{parse_date, DateOrder};
use crate::rules::phone::{normalize_phone, Country};
use crate::source::Cell;

/// Counts over one column's non-blank sample values.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Non-blank values.
    pub n: usize,
    pub blank: usize,
    pub distinct: usize,
    pub email: usize,
    pub phone: usize,
    pub postcode_nl: usize,
    pub postcode_be: usize,
    pub zip_city: usize,
    pub address: usize,
    pub date: usize,
    /// Dates only day-first (a first part above 12), only month-first.
    pub dmy_only: usize,
    pub mdy_only: usize,
    /// Numbers with a fraction (`12,50`, `1.234,56`, a decimal number cell).
    pub decimal: usize,
    /// Whole numbers.
    pub integer: usize,
    /// Decimal commas (`12,50`) and decimal points (`12.50`).
    pub comma: usize,
    pub point: usize,
    pub gender: usize,
    /// Gender codes that are digits (0/1/2): their meaning differs per system.
    pub gender_digits: usize,
    pub country: usize,
    /// Letter codes of international vehicle registration (`B`, `D`, `F`), which AFAS and
    /// older Dutch systems use for countries: see [`vehicle_country`].
    pub country_letter: usize,
    pub iban: usize,
    pub currency: usize,
    pub title: usize,
    /// Values of one or two letters (initials, codes).
    pub short_letters: usize,
    /// Values with letters.
    pub letters: usize,
    /// Family names written sorted (`Berg, van der`: only name prefixes after the comma).
    pub sorted_name: usize,
    /// Values with a comma that are not a sorted family name (`Heuvel, Jan van den`).
    pub other_comma: usize,
    /// Values without a comma of three words or more (`Jan van Dijk`, `Bakkerij Jansen BV`).
    pub long_names: usize,
    /// Values holding a digit.
    pub with_digit: usize,
    /// Family-name prefixes (tussenvoegsels): `van`, `van der`, `'t`.
    pub particle: usize,
    /// Negative numbers.
    pub negative: usize,
    /// Codes: one word of letters and digits with at least one digit (`D00801`, `10012`).
    pub code: usize,
    /// Distinct values, first few, for value maps.
    pub seen: Vec<String>,
    /// Years of date values (for birth dates), min and max.
    pub years: Option<(i32, i32)>,
}

impl Stats {
    /// The share of non-blank values counted by `count` (0 when there are none).
    pub fn share(&self, count: usize) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            count as f64 / self.n as f64
        }
    }

    pub fn unique(&self) -> bool {
        self.n >= 2 && self.distinct == self.n && self.blank == 0
    }
}

/// The ISO code of a one-letter international vehicle registration code (the distinguishing
/// sign on a car: `B` Belgium, `D` Germany). No ISO 3166 code is one letter, so such a value
/// in a country column can mean nothing else; AFAS writes countries this way.
pub fn vehicle_country(v: &str) -> Option<&'static str> {
    const SIGNS: &[(&str, &str)] = &[
        ("A", "AT"),
        ("B", "BE"),
        ("D", "DE"),
        ("E", "ES"),
        ("F", "FR"),
        ("H", "HU"),
        ("I", "IT"),
        ("L", "LU"),
        ("M", "MT"),
        ("N", "NO"),
        ("P", "PT"),
        ("S", "SE"),
    ];
    SIGNS
        .iter()
        .find(|(k, _)| *k == v.trim())
        .map(|(_, iso)| *iso)
}

/// Academic and honorific titles (not genders), lower case without dots.
const TITLES: &[&str] = &[
    "drs", "dr", "ir", "ing", "mr", "prof", "bc", "ma", "msc", "bsc", "mba", "ds", "dhr ir",
    "mr drs",
];

/// Counts `cells`; `country` reads national phone numbers.
pub fn stats(cells: &[Cell], country: Country) -> Stats {
    let mut s = Stats::default();
    let mut distinct: HashSet<String> = HashSet::new();
    for cell in cells {
        if cell.is_blank() {
            s.blank += 1;
            continue;
        }
        s.n += 1;
        let v = cell.to_string();
        let v = v.trim();
        if distinct.insert(v.to_string()) && s.seen.len() < 50 {
            s.seen.push(v.to_string());
        }
        shape(&mut s, cell, v);
        match cell {
            Cell::Date(d) => {
                s.date += 1;
                year(&mut s, chrono::Datelike::year(d));
                continue;
            }
            Cell::DateTime(d) => {
                s.date += 1;
                year(&mut s, chrono::Datelike::year(&d.date()));
                continue;
            }
            Cell::Int(_) => {
                s.integer += 1;
                continue;
            }
            Cell::Float(x) | Cell::Formatted { number: x, .. } => {
                if x.fract() == 0.0 && matches!(cell, Cell::Float(_)) {
                    s.integer += 1;
                } else {
                    s.decimal += 1;
                }
                continue;
            }
            _ => {}
        }
        text(&mut s, v, country);
    }
    s.distinct = distinct.len();
    s
}

/// The shape of a value: sorted names, digits, signs, codes.
fn shape(s: &mut Stats, cell: &Cell, v: &str) {
    if v.contains(',') && v.chars().any(char::is_alphabetic) {
        if split::reorder_family_name(v).is_some() {
            s.sorted_name += 1;
        } else {
            s.other_comma += 1;
        }
    } else if v.split_whitespace().count() >= 3 {
        s.long_names += 1;
    }
    if v.chars().any(|c| c.is_ascii_digit()) {
        s.with_digit += 1;
    }
    if is_name_prefix(v) {
        s.particle += 1;
    }
    let below_zero = match cell {
        Cell::Int(i) => *i < 0,
        Cell::Float(x) | Cell::Formatted { number: x, .. } => *x < 0.0,
        Cell::Text(t) => t.trim().starts_with('-') && t.trim().len() > 1,
        _ => false,
    };
    if below_zero {
        s.negative += 1;
    }
    let word = !v.contains(char::is_whitespace) && (1..=20).contains(&v.chars().count());
    if word
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_alphanumeric())
        && !is_postcode_nl(v)
        && !matches!(
            cell,
            Cell::Float(_) | Cell::Formatted { .. } | Cell::Date(_) | Cell::DateTime(_)
        )
    {
        s.code += 1;
    }
}

/// `van`, `van der`, `in 't`: one to three words, each a family-name prefix.
fn is_name_prefix(v: &str) -> bool {
    let words: Vec<String> = v.split_whitespace().map(str::to_lowercase).collect();
    (1..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| split::NAME_PREFIXES.contains(&w.as_str()))
}

fn year(s: &mut Stats, y: i32) {
    s.years = Some(match s.years {
        None => (y, y),
        Some((a, b)) => (a.min(y), b.max(y)),
    });
}

fn text(s: &mut Stats, v: &str, country: Country) {
    let lower = v.to_lowercase();
    let bare = lower.trim_end_matches('.').replace('.', " ");
    if v.contains('@') && crate::rules::email::parse_email(v).value.is_some() {
        s.email += 1;
    }
    if is_postcode_nl(v) {
        s.postcode_nl += 1;
    }
    if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) && !v.starts_with('0') {
        s.postcode_be += 1;
    }
    if split::zipcode_city(v).is_some() {
        s.zip_city += 1;
    }
    if split::address(v).is_some() {
        s.address += 1;
    }
    if is_iban(v) {
        s.iban += 1;
    }
    if v.len() == 3
        && v.bytes().all(|b| b.is_ascii_uppercase())
        && crate::rules::codes::is_currency_code(v)
    {
        s.currency += 1;
    }
    if TITLES.contains(
        &bare
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    ) {
        s.title += 1;
    }
    let has_letters = v.chars().any(char::is_alphabetic);
    if has_letters {
        s.letters += 1;
        if v.chars().count() <= 2 {
            s.short_letters += 1;
        }
    }
    if parse_gender(v).value.is_some() && v.chars().count() <= 8 {
        s.gender += 1;
    } else if matches!(v, "0" | "1" | "2" | "9") {
        s.gender_digits += 1;
    }
    if has_letters && parse_country(v).value.is_some() {
        s.country += 1;
    } else if vehicle_country(v).is_some() {
        s.country_letter += 1;
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !has_letters
        && digits >= 6
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
        && normalize_phone(v, country).value.is_some()
    {
        s.phone += 1;
    }
    if !has_letters && digits > 0 {
        number(s, v);
    }
}

fn number(s: &mut Stats, v: &str) {
    let t = v.trim_start_matches(['-', '€', ' ']).trim();
    if t.contains(['-', '/']) || t.bytes().filter(|b| *b == b'.').count() == 2 && t.len() == 10 {
        if let Some(d) = parse_date(t, DateOrder::Dmy).value {
            s.date += 1;
            year(s, chrono::Datelike::year(&d));
            let first: u32 = t
                .split(['-', '/', '.'])
                .next()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            let second: u32 = t
                .split(['-', '/', '.'])
                .nth(1)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            if first > 12 && first <= 31 {
                s.dmy_only += 1;
            } else if second > 12 && second <= 31 && first <= 12 {
                s.mdy_only += 1;
            }
        } else if parse_date(t, DateOrder::Mdy).value.is_some() {
            s.date += 1;
            s.mdy_only += 1;
        }
        return;
    }
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return;
    }
    let last = t.rfind([',', '.']);
    match last {
        Some(i) if t.len() - i == 3 => {
            s.decimal += 1;
            if t.as_bytes()[i] == b',' {
                s.comma += 1;
            } else {
                s.point += 1;
            }
        }
        Some(_) => {}
        None => s.integer += 1,
    }
}

/// `1234 AB`, `1234AB`, `1234ab`.
pub fn is_postcode_nl(v: &str) -> bool {
    let c: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let b = c.as_bytes();
    b.len() == 6
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[0] != b'0'
        && b[4..].iter().all(u8::is_ascii_alphabetic)
}

/// An IBAN with a valid checksum (ISO 13616 mod 97).
pub fn is_iban(v: &str) -> bool {
    let c: String = v
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if c.len() < 15 || c.len() > 34 || !c.is_ascii() {
        return false;
    }
    let b = c.as_bytes();
    if !(b[0].is_ascii_alphabetic()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit())
    {
        return false;
    }
    let mut rem: u32 = 0;
    for ch in c[4..].chars().chain(c[..4].chars()) {
        let d = match ch {
            '0'..='9' => ch as u32 - '0' as u32,
            'A'..='Z' => ch as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        rem = if d >= 10 {
            (rem * 100 + d) % 97
        } else {
            (rem * 10 + d) % 97
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(values: &[&str]) -> Stats {
        let cells: Vec<Cell> = values.iter().map(|v| Cell::Text(v.to_string())).collect();
        stats(&cells, Country::parse("NL").unwrap())
    }

    #[test]
    fn each_signal() {
        assert_eq!(col(&["1234 AB", "1234ab", "4906CX"]).postcode_nl, 3);
        assert_eq!(col(&["a@b.nl", "jan@example.com", "x"]).email, 2);
        assert_eq!(col(&["06-1234 5678", "010-7989525", "12"]).phone, 2);
        let d = col(&["13-02-2025", "01-02-2025"]);
        assert_eq!((d.date, d.dmy_only), (2, 1));
        let a = col(&["1.234,56", "12,50", "7"]);
        assert_eq!((a.decimal, a.comma, a.integer), (2, 2, 1));
        assert_eq!(col(&["M", "V", "Dhr.", "Mevr."]).gender, 4);
        assert_eq!(col(&["Nederland", "BE", "Belgie"]).country, 3);
        assert_eq!(col(&["NL91ABNA0417164300", "NL91ABNA0417164301"]).iban, 1);
        assert_eq!(col(&["Drs.", "Ing.", "mr."]).title, 3);
        assert!(col(&["F1", "F2", "F3"]).unique());
        assert!(!col(&["D1", "D1", "D3"]).unique());
        assert_eq!(
            col(&["Dorpstraat 18a", "Kerkweg 3 hs", "Dorpstraat"]).address,
            2
        );
    }
}
