//! `collectmaxx map`'s recogniser: which column of an export feeds which delivery field.
//!
//! Three signals, in this order of weight:
//! 1. the header, normalised ([`normalise`]) and compared with the names the registry keeps
//!    beside each field ([`crate::registry::known_headers`]), with address families
//!    (`Factuur…` before `Post…` before `Bezoek…`; `Lever…` and contact persons never);
//! 2. the values of a sample ([`sniff`]): they confirm a header, break the tie for ambiguous
//!    headers (`Naam`, `Datum`, `Bedrag`, `Titel`, `Adres`) and catch a column whose values
//!    contradict its name;
//! 3. string similarity, only ever as a suggestion to confirm.
//!
//! A mapping is [`Confidence::Sure`] only when the header names the field unambiguously and
//! the values agree (or the values leave no doubt for an ambiguous header). Everything else is
//! a [`Confidence::Guess`] that the profile writes with `confirmed = false`.

mod context;
pub mod normalise;
pub mod sniff;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::profile::{About, Entry, FullEntry, Join, Profile, Read};
use crate::registry::{self, known_headers, well_known, Kind, Services, Slot, FIELDS};
use crate::rules::phone::Country;
use crate::source::Cell;
use sniff::Stats;

/// How sure the recogniser is of one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Sure,
    Guess,
}

/// What one column becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// One field or several (`Factuurnummer` → number and reference).
    Fields(Vec<Slot>),
    /// Split: `address` or `zipcode_city` or `name`.
    Split(&'static str),
    /// Part `n` (0-based) of a join into a field.
    Join(Slot, usize),
    /// Not delivered.
    None,
}

/// The proposal for one column.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub decision: Decision,
    pub confidence: Confidence,
    pub evidence: Vec<String>,
}

/// The whole proposal.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub columns: Vec<Column>,
    /// Identifier template, if no column is the identifier, with its confidence.
    pub identifier: Option<(String, Confidence, String)>,
    pub read: Read,
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Required fields of the chosen services no column gives.
    pub missing: Vec<&'static str>,
}

impl Proposal {
    /// Entries the user must confirm (guesses), as text.
    pub fn questions(&self) -> Vec<String> {
        let mut q: Vec<String> = self
            .columns
            .iter()
            .filter(|c| c.confidence == Confidence::Guess)
            .map(|c| {
                format!(
                    "'{}' → {}? ({})",
                    c.header,
                    c.decision.describe(),
                    c.evidence.join("; ")
                )
            })
            .collect();
        if let Some((t, Confidence::Guess, why)) = &self.identifier {
            q.push(format!("identifier = \"{t}\"? ({why})"));
        }
        q
    }

    /// Exit 0 only when nothing is to confirm and no required field is missing.
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.questions().is_empty()
    }

    /// The profile this proposal writes.
    pub fn profile(&self, client: Option<&str>, made_from: &str) -> Profile {
        let mut p = Profile {
            profile: About {
                client: client.map(str::to_string),
                made_from: Some(made_from.to_string()),
                header: self.columns.iter().map(|c| c.header.clone()).collect(),
            },
            read: self.read.clone(),
            values: self.values.clone(),
            ..Profile::default()
        };
        let mut joins: BTreeMap<Slot, Vec<(usize, String, Confidence, String)>> = BTreeMap::new();
        for c in &self.columns {
            let confirmed = c.confidence == Confidence::Sure;
            let evidence = Some(c.evidence.join("; ")).filter(|e| !e.is_empty());
            match &c.decision {
                Decision::None => {
                    p.ignore.insert(c.header.clone(), c.evidence.join("; "));
                }
                Decision::Join(slot, n) => joins.entry(*slot).or_default().push((
                    *n,
                    c.header.clone(),
                    c.confidence,
                    c.evidence.join("; "),
                )),
                Decision::Split(kind) => {
                    p.columns.insert(
                        c.header.clone(),
                        Entry::Full(FullEntry {
                            split: Some(kind.to_string()),
                            confirmed,
                            evidence,
                            ..FullEntry::default()
                        }),
                    );
                }
                Decision::Fields(slots) => {
                    let names: Vec<String> = slots.iter().map(|s| s.column().to_string()).collect();
                    let entry = match (confirmed, names.len()) {
                        (true, 1) => Entry::Field(names[0].clone()),
                        (true, _) => Entry::Fields(names),
                        (false, _) => Entry::Full(FullEntry {
                            field: names,
                            confirmed,
                            evidence,
                            ..FullEntry::default()
                        }),
                    };
                    p.columns.insert(c.header.clone(), entry);
                }
            }
        }
        for (slot, mut parts) in joins {
            parts.sort();
            let confirmed = parts.iter().all(|p| p.2 == Confidence::Sure);
            let evidence = parts
                .iter()
                .map(|p| p.3.clone())
                .collect::<Vec<_>>()
                .join("; ");
            p.join.insert(
                slot.column().to_string(),
                Join {
                    columns: parts.into_iter().map(|p| p.1).collect(),
                    separator: " ".into(),
                    confirmed,
                    evidence: Some(evidence),
                },
            );
        }
        if let Some((t, conf, _)) = &self.identifier {
            p.identifier = Some(t.clone());
            p.identifier_confirmed = *conf == Confidence::Sure;
        }
        p
    }
}

impl Decision {
    /// A short machine form: `FIELD`, `FIELD + FIELD`, `split:address`, `join:FIELD:2`, `none`.
    pub fn code(&self) -> String {
        match self {
            Decision::Fields(s) => s.iter().map(|s| s.column()).collect::<Vec<_>>().join(" + "),
            Decision::Split(k) => format!("split:{k}"),
            Decision::Join(s, n) => format!("join:{}:{}", s.column(), n + 1),
            Decision::None => "none".into(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Decision::Fields(s) => s.iter().map(|s| s.column()).collect::<Vec<_>>().join(" + "),
            Decision::Split("address") => {
                "ADDRESS_STREET + ADDRESS_HOUSENUMBER + ADDRESS_EXTENSION (split)".into()
            }
            Decision::Split("zipcode_city") => "ADDRESS_ZIPCODE + ADDRESS_CITY (split)".into(),
            Decision::Split(_) => "PERSON_GIVENNAME + PERSON_FAMILYNAME (split)".into(),
            Decision::Join(s, n) => format!("{} (part {} of a join)", s.column(), n + 1),
            Decision::None => "not delivered".into(),
        }
    }
}

/// What a header names, before the values are looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Field(usize),
    /// The prefix part of a family name (`Tussenvoegsel`).
    FamilyPrefix,
}

#[derive(Debug, Clone)]
struct Hit {
    named: Named,
    candidate: bool,
    /// The address family, with its priority (1 = invoice address).
    family: Option<(&'static str, u8)>,
    occurrence: Option<u8>,
    how: String,
    /// Only some words of the header are a known name (`Partner/City`): never sure.
    partial: bool,
}

/// Address families by prefix: label and priority; 0 = never delivered.
const FAMILIES: &[(&str, &str, u8)] = &[
    ("factuuradres", "invoice address", 1),
    ("factuur", "invoice address", 1),
    ("invoiceaddress", "invoice address", 1),
    ("invoice", "invoice address", 1),
    ("billto", "invoice address", 1),
    ("prive", "home address", 1),
    ("postadres", "postal address", 2),
    ("correspondentieadres", "postal address", 2),
    ("correspondentie", "postal address", 2),
    ("post", "postal address", 2),
    ("mailing", "postal address", 2),
    ("bezoekadres", "visiting address", 3),
    ("bezoek", "visiting address", 3),
    ("vestigingsadres", "visiting address", 3),
    ("vestiging", "visiting address", 3),
    ("visit", "visiting address", 3),
    ("afleveradres", "delivery address", 0),
    ("aflever", "delivery address", 0),
    ("leveradres", "delivery address", 0),
    ("lever", "delivery address", 0),
    ("shipto", "delivery address", 0),
    ("deliveryaddress", "delivery address", 0),
    ("delivery", "delivery address", 0),
    ("deliverto", "delivery address", 0),
];

/// Words that make a column someone else's data, never the debtor's.
const OTHER_PARTY: &[(&str, &str)] = &[
    (
        "contactpersoon",
        "a contact person's detail, not the debtor's",
    ),
    (
        "contactperson",
        "a contact person's detail, not the debtor's",
    ),
    (
        "rekeninghouder",
        "the bank account holder's detail, not the debtor's",
    ),
    ("divisie", "the creditor's own detail (division)"),
    ("noodgeval", "an emergency contact, not the debtor"),
    ("emergency", "an emergency contact, not the debtor"),
    ("fax", "a fax number: no delivery field"),
    ("toestel", "a phone extension: no delivery field"),
    ("kvk", "a Chamber of Commerce number: no delivery field"),
    ("btwnummer", "a VAT number: no delivery field"),
    ("vatnumber", "a VAT number: no delivery field"),
    ("bsn", "a citizen service number: never delivered"),
    ("iban", "a bank account number: no delivery field"),
    ("bic", "a bank code: no delivery field"),
    ("kredietlimiet", "a credit limit, not a claim"),
    ("creditlimit", "a credit limit, not a claim"),
    ("betaald", "an amount paid, not the amount to pay"),
    ("paid", "an amount paid, not the amount to pay"),
];

fn index() -> &'static HashMap<String, (Named, bool)> {
    static INDEX: OnceLock<HashMap<String, (Named, bool)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        let mut add = |name: &str, named: Named| {
            let (candidate, name) = match name.strip_prefix('?') {
                Some(n) => (true, n),
                None => (false, name),
            };
            let key = normalise::compact(name);
            // A sure name wins over a candidate spelling of the same words.
            match m.get(&key) {
                Some((_, false)) => {}
                _ => {
                    m.insert(key, (named, candidate));
                }
            }
        };
        for (i, f) in FIELDS.iter().enumerate() {
            add(f.name, Named::Field(i));
            add(f.name.trim_end_matches("_x"), Named::Field(i));
            if let Some(api) = f.api_name.filter(|a| *a != "reference") {
                add(api, Named::Field(i));
            }
            for h in f.headers {
                add(h, Named::Field(i));
            }
        }
        for h in known_headers::FAMILYNAME_PREFIX {
            add(h, Named::FamilyPrefix);
        }
        m
    })
}

fn is_address(i: usize) -> bool {
    FIELDS[i].category == "ADDRESS"
}

/// Reads a header.
fn hit(header: &str) -> Option<Hit> {
    let compact = normalise::compact(header);
    if compact.is_empty() {
        return None;
    }
    let direct = |key: &str| index().get(key).copied();
    let make = |named: Named, candidate: bool, family, occurrence, how: String| Hit {
        named,
        candidate,
        family,
        occurrence,
        how,
        partial: false,
    };
    if let Some((named, candidate)) = direct(&compact) {
        return Some(make(
            named,
            candidate,
            None,
            None,
            format!(
                "header '{}' is a known name for {}",
                header.trim(),
                name_of(named)
            ),
        ));
    }
    // A trailing number: `Phone2` is the second phone, `Adres2` a second address.
    let digits = compact.len() - compact.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = match digits {
        1 | 2 if digits < compact.len() => (
            &compact[..compact.len() - digits],
            compact[compact.len() - digits..].parse::<u8>().ok(),
        ),
        _ => (compact.as_str(), None),
    };
    let mut found = direct(stem).map(|(n, c)| (n, c, None));
    if found.is_none() {
        for (prefix, label, priority) in FAMILIES {
            if let Some(rest) = stem.strip_prefix(prefix).filter(|r| !r.is_empty()) {
                if let Some((n, c)) = direct(rest)
                    .or_else(|| direct(&format!("adres{rest}")).filter(|_| rest.len() <= 2))
                {
                    if matches!(n, Named::Field(i) if is_address(i) || FIELDS[i].category == "CONTACT")
                    {
                        found = Some((n, c, Some((*label, *priority))));
                        break;
                    }
                }
            }
        }
    }
    let Some((named, candidate, mut family)) = found else {
        return partial(header).map(|(named, part)| Hit {
            partial: true,
            ..make(
                named,
                false,
                None,
                None,
                format!(
                    "header '{}' holds '{part}', a known name for {}, among other words that may change its meaning: confirm",
                    header.trim(),
                    name_of(named)
                ),
            )
        });
    };
    let mut occurrence = None;
    if let (Some(n), Named::Field(i)) = (number, named) {
        if FIELDS[i].is_numbered() {
            occurrence = Some(n.max(1));
        } else if is_address(i) && n >= 2 {
            family = Some(("second address", 2));
        }
    }
    let how = match family {
        Some((label, _)) => format!(
            "header '{}' is {} of the {label} family",
            header.trim(),
            name_of(named)
        ),
        None => format!(
            "header '{}' is a known name for {}",
            header.trim(),
            name_of(named)
        ),
    };
    Some(make(named, candidate, family, occurrence, how))
}

/// A known name among the words of a longer header (`Partner/City`, `POCity`, `TaxTotal`,
/// `family_name_prefix`): the longest run of whole words that is one, the rightmost of equal
/// length (the last word of a compound names the thing: a name prefix is a prefix).
fn partial(header: &str) -> Option<(Named, String)> {
    let words = normalise::words(header);
    let words: Vec<&str> = words.split(' ').collect();
    for len in (1..words.len()).rev() {
        for start in (0..=words.len() - len).rev() {
            let part = &words[start..start + len];
            let key = part.concat();
            let last = start + len == words.len() && len == 1;
            if key.len() < if last { 2 } else { 3 } || key.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            if let Some((named, _)) = index().get(&key) {
                return Some((*named, part.join(" ")));
            }
        }
    }
    None
}

fn name_of(n: Named) -> &'static str {
    match n {
        Named::Field(i) => FIELDS[i].name,
        Named::FamilyPrefix => "the prefix of PERSON_FAMILYNAME (tussenvoegsel)",
    }
}

fn slot_of(i: usize, occurrence: u8) -> Slot {
    let slots = registry::field_slots(i);
    slots[(occurrence as usize).clamp(1, slots.len()) - 1]
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Proposes a profile for an export with this header and these sample rows.
pub fn propose(
    header: &[String],
    rows: &[Vec<Cell>],
    services: Services,
    country: Country,
) -> Proposal {
    let column = |i: usize| -> Vec<Cell> {
        rows.iter()
            .map(|r| r.get(i).cloned().unwrap_or(Cell::Empty))
            .collect()
    };
    let hits: Vec<Option<Hit>> = header.iter().map(|h| hit(h)).collect();
    let (country, phones_country) = phone_country(&hits, &column, country);
    let stats: Vec<Stats> = (0..header.len())
        .map(|i| sniff::stats(&column(i), country))
        .collect();
    let mut columns: Vec<Column> = header
        .iter()
        .zip(&hits)
        .zip(&stats)
        .map(|((h, hit), s)| {
            let mut c = judge(h, hit.as_ref(), s);
            if hit.as_ref().is_some_and(|h| h.partial) && c.decision != Decision::None {
                c.confidence = Confidence::Guess;
            }
            c
        })
        .collect();
    families(&mut columns, &hits);
    by_context(&mut columns, &hits, &stats, rows);
    settle(&mut columns, header, &hits, &stats);
    unknown_but_needed(&mut columns, &hits, &stats);
    open_amount(&mut columns, &hits, rows);
    balance_without_invoice(&mut columns);
    let mut values = BTreeMap::new();
    value_maps(&mut columns, &stats, &mut values);
    let mut read = read_settings(&columns, &stats);
    if let Some(why) = phones_country {
        read.default_country = Some(country.to_string());
        for (c, h) in columns.iter_mut().zip(&hits) {
            if h.as_ref().is_some_and(
                |h| matches!(h.named, Named::Field(i) if FIELDS[i].kind == Kind::Phone),
            ) {
                c.evidence.push(why.clone());
            }
        }
    }
    let identifier = identifier(&columns, &stats);
    let given: Vec<Slot> = columns
        .iter()
        .filter(|c| c.confidence == Confidence::Sure)
        .flat_map(|c| match &c.decision {
            Decision::Fields(s) => s.clone(),
            Decision::Join(s, _) => vec![*s],
            Decision::Split("address") => vec![
                well_known::address_street(),
                well_known::address_housenumber(),
            ],
            Decision::Split("zipcode_city") => {
                vec![slot_by("ADDRESS_ZIPCODE"), slot_by("ADDRESS_CITY")]
            }
            Decision::Split(_) => vec![
                well_known::person_givenname(),
                well_known::person_familyname(),
            ],
            Decision::None => vec![],
        })
        .chain(
            identifier
                .iter()
                .filter(|i| i.1 == Confidence::Sure)
                .map(|_| well_known::identifier()),
        )
        .collect();
    let missing = FIELDS
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_required_by_any(services))
        .filter(|(i, _)| !given.iter().any(|s| s.field_index() == *i))
        .map(|(_, f)| f.name)
        .collect();
    Proposal {
        columns,
        identifier,
        read,
        values,
        missing,
    }
}

fn slot_by(name: &str) -> Slot {
    Slot::by_column(name).unwrap_or_else(well_known::identifier)
}

/// Countries whose national phone numbers an export of a Dutch or Belgian creditor may hold.
const PHONE_COUNTRIES: &[&str] = &["NL", "BE", "DE", "FR", "LU", "GB"];

/// The country whose national phone numbers the export's phone columns hold, when it is not
/// the default one: under nine in ten of the numbers valid in the default country, nine in ten
/// valid in the other and a tenth more than at home (`0475 12 34 56`, `016 80 47 19` are Belgian). The profile then sets it as
/// `default_country`, so that `convert` does not read Belgian numbers as Dutch ones.
fn phone_country(
    hits: &[Option<Hit>],
    column: &dyn Fn(usize) -> Vec<Cell>,
    default: Country,
) -> (Country, Option<String>) {
    let phones: Vec<Vec<Cell>> = (0..hits.len())
        .filter(|&i| {
            hits[i].as_ref().is_some_and(
                |h| matches!(h.named, Named::Field(f) if FIELDS[f].kind == Kind::Phone),
            )
        })
        .map(column)
        .collect();
    let share = |country: Country| {
        let (valid, n) = phones.iter().fold((0, 0), |(v, n), col| {
            let s = sniff::stats(col, country);
            (v + s.phone, n + s.n)
        });
        (n > 0).then(|| valid as f64 / n as f64)
    };
    let Some(at_home) = share(default).filter(|s| *s < 0.9) else {
        return (default, None);
    };
    let best = PHONE_COUNTRIES
        .iter()
        .filter_map(|c| Country::parse(c))
        .filter(|c| *c != default)
        .filter_map(|c| Some((c, share(c)?)))
        .filter(|(_, s)| *s >= 0.9 && *s >= at_home + 0.1)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match best {
        Some((c, s)) => (
            c,
            Some(format!(
                "{} of the phone numbers are valid national numbers of {c}, {} of {default}: the profile sets default_country = \"{c}\"",
                pct(s),
                pct(at_home)
            )),
        ),
        None => (default, None),
    }
}

/// Settles the columns asked only for an ambiguous header where the other columns and the
/// values leave one reading ([`context`]).
fn by_context(columns: &mut [Column], hits: &[Option<Hit>], stats: &[Stats], rows: &[Vec<Cell>]) {
    let views: Vec<context::View> = columns
        .iter()
        .zip(hits)
        .map(|(c, hit)| {
            let slots = match &c.decision {
                Decision::Fields(s) => s.as_slice(),
                _ => &[],
            };
            let ambiguous = hit.as_ref().is_some_and(|h| h.candidate)
                && c.confidence == Confidence::Guess
                && c.evidence.last().is_some_and(|e| e == AMBIGUOUS)
                && slots.len() == 1;
            context::View {
                header: &c.header,
                asked_for: ambiguous.then(|| FIELDS[slots[0].field_index()].name),
                sure: match c.confidence {
                    Confidence::Sure => slots.iter().map(|s| s.column()).collect(),
                    Confidence::Guess => Vec::new(),
                },
            }
        })
        .collect();
    let settled = context::settle_ambiguous(&views, stats, rows);
    for (c, why) in columns.iter_mut().zip(settled) {
        if let Some(why) = why {
            c.evidence.pop();
            c.evidence.push(why);
            c.confidence = Confidence::Sure;
        }
    }
}

/// The evidence that ends a proposal asked only because its header is ambiguous.
const AMBIGUOUS: &str = "the header is ambiguous: confirm";

/// The first judgement of one column, from its header and values alone.
fn judge(header: &str, hit: Option<&Hit>, s: &Stats) -> Column {
    let guess = |decision, evidence: Vec<String>| Column {
        header: header.to_string(),
        decision,
        confidence: Confidence::Guess,
        evidence,
    };
    let sure = |decision, evidence: Vec<String>| Column {
        header: header.to_string(),
        decision,
        confidence: Confidence::Sure,
        evidence,
    };
    let none = |why: String| Column {
        header: header.to_string(),
        decision: Decision::None,
        confidence: Confidence::Sure,
        evidence: vec![why],
    };
    let compact = normalise::compact(header);
    if compact.is_empty() {
        return none("the column has no header".into());
    }
    let words = normalise::words(header);
    let other = OTHER_PARTY.iter().find(|(w, _)| {
        // Compounds (`Naam rekeninghouder`, `ContactpersoonMobiel`) by their start or end;
        // short words (`paid`, `betaald`) only as a word of their own, not inside `unpaid`.
        words.split(' ').any(|x| x == *w)
            || (w.len() >= 6
                && !["betaald"].contains(w)
                && (compact.starts_with(w) || compact.ends_with(w)))
    });
    if let Some((_, why)) = other {
        return none(why.to_string());
    }
    if s.n == 0 {
        return none("every sampled value is empty".into());
    }
    if s.share(s.iban) >= 0.9 {
        return none(format!(
            "{} of values are IBANs (valid checksum): no delivery field",
            pct(s.share(s.iban))
        ));
    }
    let Some(hit) = hit else {
        return unnamed(header, s);
    };
    // A name among other words is weaker than values that say what the column holds
    // (`Billing Code` of postcodes is no debtor code).
    if let (true, Named::Field(i), Some(mut by)) = (hit.partial, hit.named, by_values(header, s)) {
        let same =
            matches!(&by.decision, Decision::Fields(f) if f.iter().any(|x| x.field_index() == i));
        if !same {
            by.evidence
                .push(format!("{}, but the values say otherwise", hit.how));
            return by;
        }
    }
    let mut ev = vec![hit.how.clone()];
    if let Some((label, 0)) = hit.family {
        return none(format!("a {label} column: the delivery uses the debtor's invoice or postal address, never a delivery address"));
    }
    let i = match hit.named {
        Named::FamilyPrefix => {
            // The values decide: `Voorvoegsel` holds `van der` in one system and `Dhr.` in
            // another, and joining a salutation into the family name would deliver it.
            let d = Decision::Join(well_known::person_familyname(), 0);
            let prefixes = s.share(s.particle);
            ev.push(format!(
                "{} of values are family-name prefixes (van, de, van der)",
                pct(prefixes)
            ));
            if prefixes < 0.9 {
                if s.share(s.gender) >= 0.9 {
                    ev.push(format!(
                        "but {} are salutations or gender words: confirm",
                        pct(s.share(s.gender))
                    ));
                    return guess(Decision::Fields(vec![well_known::person_gender()]), ev);
                }
                return guess(d, ev);
            }
            return if hit.candidate {
                guess(d, ev)
            } else {
                sure(d, ev)
            };
        }
        Named::Field(i) => i,
    };
    let f = &FIELDS[i];
    let slot = slot_of(i, hit.occurrence.unwrap_or(1));
    // The values must agree with the field's type.
    let (agree, what) = match f.kind {
        Kind::Email => (s.share(s.email), "e-mail addresses"),
        Kind::Phone => (s.share(s.phone), "phone numbers"),
        Kind::Date => (s.share(s.date), "dates"),
        Kind::Cents => (s.share(s.decimal + s.integer), "amounts"),
        Kind::Gender => (s.share(s.gender), "gender codes"),
        Kind::Country => (
            s.share(s.country + s.country_letter),
            "countries (ISO codes, names or one-letter vehicle codes)",
        ),
        Kind::Currency => (s.share(s.currency), "currency codes"),
        _ if f.name == "ADDRESS_ZIPCODE" => (
            s.share(s.postcode_nl + s.postcode_be),
            "Dutch or Belgian postcodes",
        ),
        _ => (1.0, ""),
    };
    if !what.is_empty() {
        ev.push(format!("{} of values look like {what}", pct(agree)));
    }
    // Special readings of ambiguous headers.
    if f.name == "PERSON_GENDER" || f.name == "PERSON_HONORIFICPREFIX" {
        if s.share(s.title) >= 0.9 {
            ev.push(format!(
                "{} of values are titles (Drs., Ing., Mr.)",
                pct(s.share(s.title))
            ));
            return sure(
                Decision::Fields(vec![well_known::person_honorificprefix()]),
                ev,
            );
        }
        if s.share(s.gender) >= 0.95 && s.distinct >= 2 {
            ev.push(format!(
                "{} of values are gender words or letters",
                pct(s.share(s.gender))
            ));
            return sure(Decision::Fields(vec![well_known::person_gender()]), ev);
        }
        if s.share(s.gender_digits) >= 0.9 {
            ev.push("values are digits (0/1/2): which digit means which gender differs per system; add a [values.PERSON_GENDER] map".into());
            return guess(Decision::Fields(vec![well_known::person_gender()]), ev);
        }
    }
    if f.name == "ADDRESS_STREET" {
        if s.share(s.address) >= 0.9 {
            ev.push(format!(
                "{} of values are a street with a house number",
                pct(s.share(s.address))
            ));
            // A split is checked row by row (a value that does not split is refused), so a
            // column whose sampled values all split is safe to split.
            return if s.share(s.address) < 0.97 || s.n < 3 {
                guess(Decision::Split("address"), ev)
            } else {
                sure(Decision::Split("address"), ev)
            };
        }
        if s.share(s.zip_city) >= 0.9 {
            ev.push(format!(
                "{} of values are a postcode and a city",
                pct(s.share(s.zip_city))
            ));
            return guess(Decision::Split("zipcode_city"), ev);
        }
    }
    if f.name == "PERSON_BIRTHDAY" || f.name == "INVOICE_DATE" || f.name == "INVOICE_DUEDATE" {
        if let Some((lo, hi)) = s.years {
            let birth = hi <= 2012 && lo >= 1900 && hi - lo >= 10;
            if birth != (f.name == "PERSON_BIRTHDAY") {
                ev.push(format!(
                    "the dates run from {lo} to {hi}, which does not fit {}",
                    f.name
                ));
                return guess(Decision::Fields(vec![slot]), ev);
            }
        }
    }
    if f.kind == Kind::Text
        && (f.name == "INVOICE_NUMBER" || f.name == "PERSON_IDENTIFIER")
        && s.share(s.decimal) >= 0.5
    {
        ev.push("but the values are decimal amounts".into());
        return guess(Decision::Fields(vec![slot]), ev);
    }
    if agree < 0.9 {
        if agree < 0.5 && !hit.candidate {
            ev.push(format!(
                "the values contradict the header: only {} look right",
                pct(agree)
            ));
        }
        return guess(Decision::Fields(vec![slot]), ev);
    }
    if f.name == "IDENTIFICATION_IDENTIFIER" && !s.unique() {
        ev.push("but its values repeat (or some are empty): an identifier must be unique".into());
        return guess(Decision::Fields(vec![slot]), ev);
    }
    let settles = matches!(
        f.kind,
        Kind::Currency | Kind::Country | Kind::Email | Kind::Phone
    ) && agree >= 0.97;
    if hit.candidate && !settles {
        ev.push(AMBIGUOUS.into());
        return guess(Decision::Fields(vec![slot]), ev);
    }
    sure(Decision::Fields(vec![slot]), ev)
}

/// A column whose header no field knows: values may suggest one, never with confidence.
fn unnamed(header: &str, s: &Stats) -> Column {
    if let Some(c) = by_values(header, s) {
        return c;
    }
    let compact = normalise::compact(header);
    let close = index()
        .iter()
        .filter(|(k, _)| k.len() >= 4)
        .map(|(k, v)| (strsim::jaro_winkler(&compact, k), v.0))
        .filter(|(score, _)| *score >= 0.93)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, Named::Field(i))) = close {
        return Column {
            header: header.to_string(),
            decision: Decision::Fields(vec![slot_of(i, 1)]),
            confidence: Confidence::Guess,
            evidence: vec![format!(
                "header '{}' resembles a known name for {} (spelling only: confirm)",
                header.trim(),
                FIELDS[i].name
            )],
        };
    }
    Column {
        header: header.to_string(),
        decision: Decision::None,
        confidence: Confidence::Sure,
        evidence: vec![format!(
            "header '{}' is no known name of a delivery field, {NO_SUGGESTION}",
            header.trim()
        )],
    }
}

/// What the values alone suggest, as a question: e-mail addresses, Dutch postcodes, phone
/// numbers, a postcode with a city.
fn by_values(header: &str, s: &Stats) -> Option<Column> {
    let guess = |slot: Slot, why: String| Column {
        header: header.to_string(),
        decision: Decision::Fields(vec![slot]),
        confidence: Confidence::Guess,
        evidence: vec![why],
    };
    if s.share(s.email) >= 0.95 {
        return Some(guess(
            well_known::email_1(),
            format!(
                "no known header, but {} of values are e-mail addresses",
                pct(s.share(s.email))
            ),
        ));
    }
    let postcodes = s.share(s.postcode_nl + s.postcode_be);
    if postcodes >= 0.95 && s.share(s.postcode_nl) >= 0.5 {
        return Some(guess(
            slot_by("ADDRESS_ZIPCODE"),
            format!(
                "no known header, but {} of values are Dutch or Belgian postcodes",
                pct(postcodes)
            ),
        ));
    }
    if s.share(s.phone) >= 0.95 {
        return Some(guess(
            well_known::phone_1(),
            format!(
                "no known header, but {} of values are phone numbers",
                pct(s.share(s.phone))
            ),
        ));
    }
    if s.share(s.zip_city) >= 0.95 {
        return Some(Column {
            header: header.to_string(),
            decision: Decision::Split("zipcode_city"),
            confidence: Confidence::Guess,
            evidence: vec![format!(
                "no known header, but {} of values are a postcode and a city",
                pct(s.share(s.zip_city))
            )],
        });
    }
    None
}

/// Keeps the best address family; the others' columns are not delivered, saying why.
fn families(columns: &mut [Column], hits: &[Option<Hit>]) {
    let delivered = |c: &Column| !matches!(c.decision, Decision::None);
    let best = hits
        .iter()
        .zip(columns.iter())
        .filter(|(_, c)| delivered(c))
        .filter_map(|(h, _)| {
            let h = h.as_ref()?;
            h.family
                .filter(|f| f.1 > 0 && matches!(h.named, Named::Field(i) if is_address(i)))
        })
        .min_by_key(|f| f.1);
    let plain_address = hits.iter().zip(columns.iter()).any(|(h, c)| {
        delivered(c) && h.as_ref().is_some_and(|h| h.family.is_none() && !h.partial && matches!(h.named, Named::Field(i) if is_address(i) && FIELDS[i].name != "ADDRESS_COUNTRY"))
    });
    for (h, c) in hits.iter().zip(columns.iter_mut()) {
        let Some(Hit {
            family: Some((label, priority)),
            named: Named::Field(i),
            ..
        }) = h
        else {
            continue;
        };
        if !is_address(*i) || !delivered(c) {
            continue;
        }
        let keep = match best {
            Some((b, p)) => *label == b && *priority == p && !plain_address,
            None => false,
        };
        if !keep {
            let why = match (best, plain_address) {
                (_, true) => format!(
                    "a second address ({label}): the export's plain address columns are delivered"
                ),
                (Some((b, _)), _) => {
                    format!("a second address family ({label}): the {b} is delivered instead")
                }
                _ => format!("a second address family ({label})"),
            };
            c.decision = Decision::None;
            c.confidence = Confidence::Sure;
            c.evidence.push(why);
        }
    }
}

/// A column no header names whose values are dates or amounts, where the export gives no
/// such field with confidence, is asked about rather than left out with confidence: `Vervaldag`
/// of dates in an export without a due date is probably one. The field proposed is the first
/// one missing: a birth date for dates spread over decades before 2013, else the due date, then
/// the invoice date; the amount for decimal amounts.
fn unknown_but_needed(columns: &mut [Column], hits: &[Option<Hit>], stats: &[Stats]) {
    let sure = |columns: &[Column], name: &str| {
        let slot = slot_by(name);
        columns.iter().any(|c| {
            c.confidence == Confidence::Sure
                && matches!(&c.decision, Decision::Fields(f) if f.contains(&slot))
        })
    };
    for i in 0..columns.len() {
        let c = &columns[i];
        let unknown = hits[i].is_none()
            && c.decision == Decision::None
            && c.confidence == Confidence::Sure
            && c.evidence
                .last()
                .is_some_and(|e| e.ends_with(NO_SUGGESTION));
        if !unknown {
            continue;
        }
        let s = &stats[i];
        let candidates: &[&str] = if s.share(s.date) >= 0.9 {
            match s.years {
                Some((lo, hi)) if hi <= 2012 && lo >= 1900 && hi - lo >= 10 => &["PERSON_BIRTHDAY"],
                _ => &["INVOICE_DUEDATE", "INVOICE_DATE"],
            }
        } else if s.share(s.decimal) >= 0.9 {
            &["INVOICE_AMOUNT"]
        } else {
            &[]
        };
        let Some(name) = candidates.iter().find(|n| !sure(columns, n)) else {
            continue;
        };
        let what = if s.share(s.date) >= 0.9 {
            "dates"
        } else {
            "amounts"
        };
        let c = &mut columns[i];
        c.decision = Decision::Fields(vec![slot_by(name)]);
        c.confidence = Confidence::Guess;
        c.evidence.push(format!(
            "but its values are {what} and no column gives {name} with confidence: is it that?"
        ));
    }
}

/// An amount in an export with no invoice number, invoice date or due date is more likely a
/// debtor's balance over several invoices than one invoice's amount (a list of debtors with
/// `Openstaand`): whether a reminder should carry it is the user's call, so it is asked.
fn balance_without_invoice(columns: &mut [Column]) {
    let gives = |columns: &[Column], name: &str| {
        let slot = slot_by(name);
        columns
            .iter()
            .any(|c| matches!(&c.decision, Decision::Fields(f) if f.contains(&slot)))
    };
    let invoice = ["INVOICE_NUMBER", "INVOICE_DATE", "INVOICE_DUEDATE"]
        .iter()
        .any(|n| gives(columns, n));
    if invoice {
        return;
    }
    let amount = slot_by("INVOICE_AMOUNT");
    for c in columns.iter_mut() {
        if c.confidence == Confidence::Sure && c.decision == Decision::Fields(vec![amount]) {
            c.confidence = Confidence::Guess;
            c.evidence.push("but the export has no invoice number, invoice date or due date: it may be a debtor's balance over several invoices rather than one invoice's amount; confirm".into());
        }
    }
}

/// The end of the evidence for a header that names nothing and values that suggest nothing.
const NO_SUGGESTION: &str = "and its values do not suggest one";

/// Words of a header naming an amount already paid.
const PAID: &[&str] = &["paid", "betaald", "bezahlt", "paye", "voldaan"];

/// The open amount where the values prove it: beside an amount-paid column, the amount column
/// that is another one minus what was paid, in every row, is what is left to pay (Stripe's
/// `Amount Remaining` = `Amount Due` − `Amount Paid`); the other one is not delivered. A
/// reminder for an invoice's full amount after a part was paid is the mistake this prevents.
fn open_amount(columns: &mut [Column], hits: &[Option<Hit>], rows: &[Vec<Cell>]) {
    let amount = slot_by("INVOICE_AMOUNT");
    let amounts: Vec<usize> = (0..columns.len())
        .filter(|&i| {
            hits[i]
                .as_ref()
                .is_some_and(|h| matches!(h.named, Named::Field(f) if f == amount.field_index()))
                || columns[i].decision == Decision::Fields(vec![amount])
        })
        .collect();
    let paid = columns.iter().position(|c| {
        normalise::words(&c.header)
            .split(' ')
            .any(|w| PAID.contains(&w))
    });
    let Some(paid) = paid.filter(|_| amounts.len() >= 2) else {
        return;
    };
    let Some((open, total)) = context::open_beside_paid(&amounts, paid, rows) else {
        return;
    };
    let (o, t, p) = (
        columns[open].header.clone(),
        columns[total].header.clone(),
        columns[paid].header.clone(),
    );
    columns[open].decision = Decision::Fields(vec![amount]);
    columns[open].confidence = Confidence::Sure;
    columns[open].evidence.push(format!(
        "in every sampled row '{o}' = '{t}' − '{p}': what is left to pay"
    ));
    columns[total].decision = Decision::None;
    columns[total].confidence = Confidence::Sure;
    columns[total].evidence.push(format!(
        "'{t}' is the amount before payment ('{o}' = '{t}' − '{p}' in every sampled row): not delivered"
    ));
}

/// Settles the columns against each other: one column per field, joins, number + reference,
/// phone and e-mail slots, the open amount over the original amount.
fn settle(columns: &mut [Column], _header: &[String], hits: &[Option<Hit>], stats: &[Stats]) {
    let field_of = |c: &Column| match &c.decision {
        Decision::Fields(s) if s.len() == 1 => Some(s[0]),
        _ => None,
    };
    // Numbered fields: give each column its own slot, in order.
    for name in ["CONTACT_PHONENUMBER_x", "CONTACT_EMAIL_x"] {
        let fi = registry::field_index(name).unwrap_or(0);
        let slots = registry::field_slots(fi);
        let mut next = 0;
        for c in columns.iter_mut() {
            if field_of(c).is_some_and(|s| s.field_index() == fi) {
                match slots.get(next) {
                    Some(s) => c.decision = Decision::Fields(vec![*s]),
                    None => {
                        c.decision = Decision::None;
                        c.evidence
                            .push(format!("{name} has {} columns, all taken", slots.len()));
                    }
                }
                next += 1;
            }
        }
    }
    // The family name: a prefix column joins it.
    let family = well_known::person_familyname();
    let prefix = columns
        .iter()
        .position(|c| matches!(c.decision, Decision::Join(..)));
    if let Some(p) = prefix {
        match columns
            .iter()
            .position(|c| field_of(c) == Some(family) && c.confidence == Confidence::Sure)
        {
            Some(f) => {
                columns[f].decision = Decision::Join(family, 1);
                columns[f].evidence.push(format!(
                    "joined after '{}' (\"van den\" + \"Heuvel\")",
                    columns[p].header
                ));
            }
            None => {
                columns[p].decision = Decision::None;
                columns[p].confidence = Confidence::Guess;
                columns[p]
                    .evidence
                    .push("no family name column to join it to".into());
            }
        }
    }
    // One field, one column: a sure column beats guesses; two sure ones are both asked.
    for s in registry::slots() {
        let at: Vec<usize> = (0..columns.len())
            .filter(|&i| field_of(&columns[i]) == Some(s))
            .collect();
        if at.len() < 2 {
            continue;
        }
        let sure: Vec<usize> = at
            .iter()
            .copied()
            .filter(|&i| columns[i].confidence == Confidence::Sure)
            .collect();
        let keep = match sure.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        for &i in &at {
            if Some(i) == keep {
                continue;
            }
            let other = at
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| format!("'{}'", columns[j].header))
                .collect::<Vec<_>>()
                .join(", ");
            // An ambiguous header beside a sure one for the same field (`Original Amount`
            // beside `Amount Due`) is the other one's lesser reading: not delivered.
            // So is a header that holds the field's name among other words (`KvK-nummer`
            // beside `Debiteurcode`).
            let lesser =
                keep.is_some() && hits[i].as_ref().is_some_and(|h| h.candidate || h.partial);
            if lesser {
                columns[i].decision = Decision::None;
                columns[i].confidence = Confidence::Sure;
                columns[i].evidence.pop();
                columns[i].evidence.push(format!(
                    "{other} names {} unambiguously: this column is not delivered",
                    s.column()
                ));
                continue;
            }
            columns[i].confidence = Confidence::Guess;
            columns[i].evidence.push(format!(
                "{other} also look{} like {}: which one?",
                if at.len() == 2 { "s" } else { "" },
                s.column()
            ));
            if keep.is_some() {
                columns[i].decision = Decision::None;
            }
        }
    }
    // The invoice number is also the reference when no column gives one.
    let reference = well_known::invoice_reference();
    let has_reference = columns.iter().any(|c| field_of(c) == Some(reference));
    if !has_reference {
        if let Some(c) = columns
            .iter_mut()
            .find(|c| field_of(c).is_some_and(|s| s.column() == "INVOICE_NUMBER"))
        {
            c.decision = Decision::Fields(vec![slot_by("INVOICE_NUMBER"), reference]);
            c.evidence
                .push("no reference column: the invoice number is also the reference".into());
        }
    }
    let _ = stats;
}

/// Value maps for codes the rules do not read themselves: one-letter vehicle registration
/// codes for countries (AFAS: `B`, `D`), each to its ISO code.
fn value_maps(
    columns: &mut [Column],
    stats: &[Stats],
    values: &mut BTreeMap<String, BTreeMap<String, String>>,
) {
    for (c, s) in columns.iter_mut().zip(stats) {
        let Decision::Fields(slots) = &c.decision else {
            continue;
        };
        if slots.first().map(|s| s.column()) != Some("ADDRESS_COUNTRY") {
            continue;
        }
        let map: BTreeMap<String, String> = s
            .seen
            .iter()
            .filter(|v| crate::rules::codes::parse_country(v).value.is_none())
            .filter_map(|v| Some((v.trim().to_string(), sniff::vehicle_country(v)?.to_string())))
            .collect();
        if !map.is_empty() {
            let pairs: Vec<String> = map.iter().map(|(k, v)| format!("{k} → {v}")).collect();
            c.evidence.push(format!(
                "one-letter vehicle registration codes for countries (as AFAS writes them) mapped to ISO codes: {}",
                pairs.join(", ")
            ));
            values.insert("ADDRESS_COUNTRY".into(), map);
        }
    }
}

/// Reading settings the values decide: the date order, and the amount unit.
fn read_settings(columns: &[Column], stats: &[Stats]) -> Read {
    let mut read = Read::default();
    let dates = columns
        .iter()
        .zip(stats)
        .filter(|(c, _)| matches!(&c.decision, Decision::Fields(s) if s[0].kind() == Kind::Date));
    let (dmy, mdy) = dates.fold((0, 0), |(d, m), (_, s)| (d + s.dmy_only, m + s.mdy_only));
    if dmy > 0 && mdy == 0 {
        read.date_order = Some("dmy".into());
    } else if mdy > 0 && dmy == 0 {
        read.date_order = Some("mdy".into());
    }
    let amounts: Vec<&Stats> = columns
        .iter()
        .zip(stats)
        .filter(|(c, _)| matches!(&c.decision, Decision::Fields(s) if s[0].kind() == Kind::Cents))
        .map(|(_, s)| s)
        .collect();
    if amounts.iter().any(|s| s.decimal > 0) {
        read.amounts = Some("major".into());
    }
    read
}

/// The identifier: a template on the invoice number (or another unique column) and the run
/// date, to confirm: only the user knows whether a number repeats over deliveries.
fn identifier(columns: &[Column], stats: &[Stats]) -> Option<(String, Confidence, String)> {
    let id = well_known::identifier();
    if columns
        .iter()
        .any(|c| matches!(&c.decision, Decision::Fields(s) if s.contains(&id)))
    {
        return None;
    }
    let unique = |name: &str| {
        columns.iter().zip(stats).find(|(c, s)| {
            s.unique()
                && matches!(&c.decision, Decision::Fields(sl) if sl[0].column() == name)
                && c.confidence == Confidence::Sure
        })
    };
    let by = unique("INVOICE_NUMBER").or_else(|| unique("PERSON_IDENTIFIER"));
    let column = by.map(|(c, _)| c.header.trim().to_string());
    let template = match &column {
        Some(c) if c.contains(['{', '}']) || ["date", "row"].contains(&c.as_str()) => {
            format!("{{col:{}}}-{{date}}", c.replace(['{', '}'], ""))
        }
        Some(c) => format!("{{{c}}}-{{date}}"),
        None => "{row}-{date}".to_string(),
    };
    let why = match &column {
        Some(c) => format!("no identifier column; '{c}' is unique in the sample, and the run date keeps it unique over deliveries if the same number comes back"),
        None => "no identifier column and no unique column: the row number and run date identify a record only within one delivery".to_string(),
    };
    Some((template, Confidence::Guess, why))
}

/// The rows `map` reads: the first 1,000 data rows, or all if fewer.
pub const SAMPLE_ROWS: usize = 1000;

/// Reads the sample of an opened export: up to `limit` readable data rows (a row the reader
/// cannot read is left out of the sample).
pub fn read_sample(
    source: &mut dyn crate::source::Source,
    limit: usize,
) -> Result<Vec<Vec<Cell>>, crate::source::SourceError> {
    let mut rows = Vec::new();
    while rows.len() < limit {
        match source.next_row() {
            None => break,
            Some(Err(e)) => return Err(e),
            Some(Ok(crate::source::RowResult::Row(r))) if !r.is_blank() => rows.push(r.cells),
            Some(Ok(_)) => {}
        }
    }
    // A totals row below the data (`Totaal | | 1.234,56`) is no debtor: the values of the
    // sample are the data rows' (a run skips it as a footer too).
    while rows.last().is_some_and(|r| looks_like_total(r)) {
        rows.pop();
    }
    Ok(rows)
}

/// A row with a total label (`Totaal`, `Total`) that fills at most half its columns.
fn looks_like_total(row: &[Cell]) -> bool {
    let filled = row.iter().filter(|c| !c.is_blank()).count();
    let label = row
        .iter()
        .any(|c| matches!(c, Cell::Text(t) if crate::footer::is_total_label(t)));
    label && filled * 2 <= row.len()
}

#[cfg(test)]
mod tests;
