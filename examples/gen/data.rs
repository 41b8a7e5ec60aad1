//! Building blocks of the generated exports: a seeded PRNG, NL/BE/DE name and address tables,
//! and phone numbers with the national and international ways people write them.
//!
//! Shared with `tests/rules/gen_phones.rs`, which checks that every phone form the generator writes
//! is accepted by the tool's own phone normalizer.

/// The generated columns, in file order: delivery column names, so no mapping is needed.
pub const COLUMNS: [&str; 32] = [
    "IDENTIFICATION_IDENTIFIER",
    "PERSON_FAMILYNAME",
    "PERSON_GIVENNAME",
    "PERSON_GENDER",
    "PERSON_BIRTHDAY",
    "PERSON_IDENTIFIER",
    "ADDRESS_STREET",
    "ADDRESS_HOUSENUMBER",
    "ADDRESS_EXTENSION",
    "ADDRESS_ZIPCODE",
    "ADDRESS_CITY",
    "ADDRESS_COUNTRY",
    "CONTACT_PHONENUMBER_1",
    "CONTACT_PHONENUMBER_2",
    "CONTACT_PHONENUMBER_3",
    "CONTACT_EMAIL_1",
    "CONTACT_EMAIL_2",
    "INVOICE_NUMBER",
    "INVOICE_DATE",
    "INVOICE_DUEDATE",
    "INVOICE_CURRENCY",
    "INVOICE_AMOUNT",
    "INVOICE_TAX",
    "INVOICE_DESCRIPTION",
    "INVOICE_REFERENCE",
    "INVOICE_SERIAL",
    "CONTROL_FLOWID",
    "CONTROL_SUPPLIER",
    "CONTRACT_IDENTIFIER",
    "CONTRACT_TYPE",
    "INVOICELINES_1_DESCRIPTION",
    "INVOICELINES_1_UNITPRICE",
];

/// A small, seeded xorshift64* generator. Hand-written on purpose: the benchmark files must be
/// the same bytes for a seed in every version of the project, which a general-purpose RNG crate
/// does not promise across its releases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that seeds 0, 1, 2 start far apart (and never at 0).
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An index into a slice of `len` (> 0) items.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// `n` random decimal digits appended to `out`.
    pub fn digits(&mut self, n: usize, out: &mut String) {
        for _ in 0..n {
            out.push(char::from(b'0' + self.below(10) as u8));
        }
    }
}

/// The countries the generated customers live in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Land {
    Nl,
    Be,
    De,
}

impl Land {
    /// 60 % NL, 25 % BE, 15 % DE.
    pub fn draw(rng: &mut Rng) -> Land {
        match rng.below(100) {
            0..=59 => Land::Nl,
            60..=84 => Land::Be,
            _ => Land::De,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Land::Nl => "NL",
            Land::Be => "BE",
            Land::De => "DE",
        }
    }

    pub fn given_names(self) -> &'static [(&'static str, bool)] {
        match self {
            Land::Nl => NL_GIVEN,
            Land::Be => BE_GIVEN,
            Land::De => DE_GIVEN,
        }
    }

    pub fn family_names(self) -> &'static [&'static str] {
        match self {
            Land::Nl => NL_FAMILY,
            Land::Be => BE_FAMILY,
            Land::De => DE_FAMILY,
        }
    }

    pub fn streets(self) -> &'static [&'static str] {
        match self {
            Land::Nl => NL_STREETS,
            Land::Be => BE_STREETS,
            Land::De => DE_STREETS,
        }
    }

    pub fn cities(self) -> &'static [&'static str] {
        match self {
            Land::Nl => NL_CITIES,
            Land::Be => BE_CITIES,
            Land::De => DE_CITIES,
        }
    }

    /// A postal code in the country's own form.
    pub fn zip(self, rng: &mut Rng, out: &mut String) {
        match self {
            Land::Nl => {
                out.push_str(&rng.range(1011, 9999).to_string());
                out.push(' ');
                // NL postcodes never use F, I, O, Q, U or Y.
                const LETTERS: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";
                out.push(char::from(rng.pick(LETTERS)));
                out.push(char::from(rng.pick(LETTERS)));
            }
            Land::Be => out.push_str(&rng.range(1000, 9992).to_string()),
            Land::De => out.push_str(&format!("{:05}", rng.range(1067, 99998))),
        }
    }
}

/// Given names with whether they are male.
const NL_GIVEN: &[(&str, bool)] = &[
    ("Jan", true),
    ("Pieter", true),
    ("Daan", true),
    ("Sem", true),
    ("Lucas", true),
    ("Bram", true),
    ("Jeroen", true),
    ("Joël", true),
    ("Sanne", false),
    ("Emma", false),
    ("Julia", false),
    ("Anouk", false),
    ("Fleur", false),
    ("Linda", false),
    ("Marieke", false),
    ("Zoë", false),
];
const BE_GIVEN: &[(&str, bool)] = &[
    ("Wout", true),
    ("Arne", true),
    ("Thomas", true),
    ("Mathieu", true),
    ("Frédéric", true),
    ("Lotte", false),
    ("Elise", false),
    ("Chloé", false),
    ("Hélène", false),
    ("Nele", false),
];
const DE_GIVEN: &[(&str, bool)] = &[
    ("Lukas", true),
    ("Jürgen", true),
    ("Maximilian", true),
    ("Stefan", true),
    ("Björn", true),
    ("Lea", false),
    ("Jana", false),
    ("Sophie", false),
    ("Käthe", false),
    ("Ursula", false),
];
const NL_FAMILY: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "van 't Hof",
];
const BE_FAMILY: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Vermeulen",
    "Lefèvre",
];
const DE_FAMILY: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Großmann",
];
const NL_STREETS: &[&str] = &[
    "Kerkstraat",
    "Dorpsstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Prinsengracht",
    "Nieuwe Binnenweg",
    "Oudegracht",
    "Lange Voorhout",
    "Hoofdstraat",
];
const BE_STREETS: &[&str] = &[
    "Kerkstraat",
    "Stationsstraat",
    "Rue de la Loi",
    "Meir",
    "Veldstraat",
    "Avenue Louise",
    "Grote Markt",
    "Nieuwstraat",
];
const DE_STREETS: &[&str] = &[
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Gartenstraße",
    "Dorfstraße",
    "Königsallee",
    "Friedrichstraße",
    "Lindenweg",
];
const NL_CITIES: &[&str] = &[
    "Amsterdam",
    "Rotterdam",
    "'s-Gravenhage",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Zwolle",
    "Leeuwarden",
];
const BE_CITIES: &[&str] = &[
    "Antwerpen",
    "Gent",
    "Brussel",
    "Brugge",
    "Leuven",
    "Liège",
    "Namur",
    "Hasselt",
    "Mechelen",
];
const DE_CITIES: &[&str] = &[
    "Berlin",
    "Hamburg",
    "München",
    "Köln",
    "Düsseldorf",
    "Frankfurt am Main",
    "Essen",
    "Münster",
    "Aachen",
];

/// The kinds of phone numbers the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// 06-1x … 06-5x, 8 digits after the 6.
    NlMobile,
    /// A two-digit area code (020, 010, 030, …) and 7 digits.
    NlLandline,
    /// 047x, 048x, 049x and 6 digits.
    BeMobile,
    /// 015x/016x with 8 digits, 017x with 7 or 8.
    DeMobile,
}

impl PhoneKind {
    pub const ALL: [PhoneKind; 4] = [
        PhoneKind::NlMobile,
        PhoneKind::NlLandline,
        PhoneKind::BeMobile,
        PhoneKind::DeMobile,
    ];

    /// The customer's own mobile kind.
    pub fn mobile_of(land: Land) -> PhoneKind {
        match land {
            Land::Nl => PhoneKind::NlMobile,
            Land::Be => PhoneKind::BeMobile,
            Land::De => PhoneKind::DeMobile,
        }
    }
}

/// NL area codes of two digits (after the trunk 0).
const NL_AREAS: &[&str] = &[
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46",
    "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
];
const DE_MOBILE_PREFIXES: &[&str] = &[
    "151", "152", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174", "175",
    "176", "177", "178", "179",
];

/// A phone number as E.164 digits without `+`: country code, then the national number.
pub struct GenPhone {
    pub kind: PhoneKind,
    pub country_code: &'static str,
    /// The national significant number (no trunk 0).
    pub national: String,
}

impl GenPhone {
    pub fn draw(rng: &mut Rng, kind: PhoneKind) -> GenPhone {
        let mut national = String::with_capacity(12);
        let country_code = match kind {
            PhoneKind::NlMobile => {
                national.push('6');
                national.push(char::from(b'1' + rng.below(5) as u8));
                rng.digits(7, &mut national);
                "31"
            }
            PhoneKind::NlLandline => {
                national.push_str(rng.pick(NL_AREAS));
                national.push(char::from(b'2' + rng.below(8) as u8));
                rng.digits(6, &mut national);
                "31"
            }
            PhoneKind::BeMobile => {
                national.push('4');
                national.push(char::from(b'7' + rng.below(3) as u8));
                rng.digits(7, &mut national);
                "32"
            }
            PhoneKind::DeMobile => {
                let prefix = rng.pick(DE_MOBILE_PREFIXES);
                national.push_str(prefix);
                // 015x and 016x (but 0160 of 7) have 8 digits after the prefix; 017x has 7 or 8.
                let rest = if prefix.starts_with("17") && rng.percent(50) {
                    7
                } else {
                    8
                };
                let rest = if prefix == "160" { 7 } else { rest };
                rng.digits(rest, &mut national);
                "49"
            }
        };
        GenPhone {
            kind,
            country_code,
            national,
        }
    }

    /// E.164 digits without `+`, as the delivery writes them.
    pub fn e164(&self) -> String {
        format!("{}{}", self.country_code, self.national)
    }

    /// The ways an export may write this number. NL numbers are also written nationally
    /// (`06-12345678`), which the tool reads in its default country NL; BE and DE numbers
    /// always carry their country code.
    pub fn forms(&self) -> Vec<String> {
        let cc = self.country_code;
        let n = &self.national;
        let (head, tail) = n.split_at(match self.kind {
            PhoneKind::NlMobile => 1,
            PhoneKind::NlLandline => 2,
            PhoneKind::BeMobile | PhoneKind::DeMobile => 3,
        });
        let mut forms = vec![
            format!("+{cc}{n}"),
            format!("00{cc}{n}"),
            format!("+{cc} {head} {tail}"),
            format!("00{cc} {head} {}", pairs(tail)),
            format!("+{cc} (0){head} {tail}"),
            format!("+{cc}-{head}-{tail}"),
        ];
        if cc == "31" {
            forms.push(format!("0{head}-{tail}"));
            forms.push(format!("0{head} {}", pairs(tail)));
            forms.push(format!("(0{head}) {tail}"));
            forms.push(format!("0{n}"));
        }
        forms
    }
}

/// Digits in groups of two (an odd count leaves a group of three at the end).
fn pairs(digits: &str) -> String {
    let b = digits.as_bytes();
    let mut out = String::with_capacity(b.len() * 3 / 2);
    let mut i = 0;
    while i < b.len() {
        if i > 0 {
            out.push(' ');
        }
        let take = if b.len() - i == 3 {
            3
        } else {
            2.min(b.len() - i)
        };
        out.push_str(&digits[i..i + take]);
        i += take;
    }
    out
}
