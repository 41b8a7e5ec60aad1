//! Structured mutations of valid containers, made by property tests. Random bytes almost never
//! form a zip, an OLE2 compound file or an `<annabel>` document, so the readers' deeper code is
//! never reached by them. These generators start from a valid workbook or document and damage
//! it one level down: a zip whose entries are dropped, duplicated, swapped, cut or flipped and
//! which is zipped again (so the container is valid and the damage is in the parts), then maybe
//! cut or flipped as bytes; an `.xls` whose header fields are overwritten, or whose `Workbook`
//! stream is damaged inside a new, valid compound file; an XML document whose tags are dropped,
//! doubled, swapped or nested. Every case goes through the binary (`check_case`): exit 0, 1 or
//! 2 within the time limit, never a panic, and a written report's counts add up.

use std::io::{Cursor, Read, Write};

use proptest::prelude::*;

use super::mutated_corpus::check_case;
use super::workbooks_xml::fixture_bytes as fixture;
use crate::harness::Scratch;

/// The entries of a zip, in order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// Zips `entries` again. Two entries with one name are allowed: the writer refuses them, so
/// the second is written under a placeholder of the same length and renamed in the bytes
/// (names are stored as they are, outside the compressed data and its checksum).
fn zipped(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut seen = std::collections::HashSet::new();
    let mut renames = Vec::new();
    for (i, (name, data)) in entries.iter().enumerate() {
        let written = if seen.insert(name.clone()) {
            name.clone()
        } else {
            let tag = format!("~{i:x}~");
            let keep = name.len().saturating_sub(tag.len());
            let placeholder = format!("{}{tag}", &name[..keep]);
            renames.push((placeholder.clone(), name.clone()));
            placeholder
        };
        out.start_file(written, options).unwrap();
        out.write_all(data).unwrap();
    }
    let mut bytes = out.finish().unwrap().into_inner();
    for (placeholder, name) in renames {
        let (from, to) = (placeholder.as_bytes(), name.as_bytes());
        if from.len() != to.len() {
            continue;
        }
        let mut at = 0;
        while let Some(p) = memchr::memmem::find(&bytes[at..], from) {
            bytes[at + p..at + p + from.len()].copy_from_slice(to);
            at += p + from.len();
        }
    }
    bytes
}

/// One change to a zip's entries; indexes are taken modulo the number of entries.
#[derive(Debug, Clone)]
enum EntryChange {
    Drop(usize),
    Duplicate(usize),
    /// The second entry's content under the first one's name.
    Swap(usize, usize),
    /// Keeps this share (in 1/256) of the entry's bytes.
    Cut(usize, u8),
    /// XORs a byte of the entry's content.
    Flip(usize, usize, u8),
}

fn entry_change() -> impl Strategy<Value = EntryChange> {
    prop_oneof![
        any::<usize>().prop_map(EntryChange::Drop),
        any::<usize>().prop_map(EntryChange::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| EntryChange::Swap(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, k)| EntryChange::Cut(a, k)),
        (any::<usize>(), any::<usize>(), 1u8..).prop_map(|(a, at, x)| EntryChange::Flip(a, at, x)),
    ]
}

fn apply(entries: &mut Vec<(String, Vec<u8>)>, change: &EntryChange) {
    if entries.is_empty() {
        return;
    }
    let n = entries.len();
    match *change {
        EntryChange::Drop(i) => {
            entries.remove(i % n);
        }
        EntryChange::Duplicate(i) => {
            let copy = entries[i % n].clone();
            entries.insert(i % n + 1, copy);
        }
        EntryChange::Swap(a, b) => entries[a % n].1 = entries[b % n].1.clone(),
        EntryChange::Cut(i, keep) => {
            let data = &mut entries[i % n].1;
            let len = data.len() * keep as usize / 256;
            data.truncate(len);
        }
        EntryChange::Flip(i, at, x) => {
            let data = &mut entries[i % n].1;
            if !data.is_empty() {
                let at = at % data.len();
                data[at] ^= x;
            }
        }
    }
}

/// Damage to a file's bytes after its structure was changed.
#[derive(Debug, Clone)]
enum ByteDamage {
    None,
    /// Keeps this share (in 1/256) of the bytes.
    Cut(u8),
    Flip(usize, u8),
}

fn byte_damage() -> impl Strategy<Value = ByteDamage> {
    prop_oneof![
        3 => Just(ByteDamage::None),
        1 => any::<u8>().prop_map(ByteDamage::Cut),
        1 => (any::<usize>(), 1u8..).prop_map(|(at, x)| ByteDamage::Flip(at, x)),
    ]
}

fn damage(mut bytes: Vec<u8>, d: &ByteDamage) -> Vec<u8> {
    match *d {
        ByteDamage::None => {}
        ByteDamage::Cut(keep) => bytes.truncate(bytes.len() * keep as usize / 256),
        ByteDamage::Flip(at, x) => {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] ^= x;
            }
        }
    }
    bytes
}

/// The fields of an OLE2 header that steer the parse: sector sizes, counts, the first sectors
/// of the directory, mini FAT and DIFAT, and the first DIFAT entries.
const CFB_FIELDS: &[usize] = &[
    0x18, 0x1A, 0x1C, 0x1E, 0x20, 0x2C, 0x30, 0x38, 0x3C, 0x40, 0x44, 0x48, 0x4C, 0x50,
];

/// The `.xls` fixture with its `Workbook` stream replaced by `stream`, in a new, valid compound
/// file.
fn xls_with_stream(stream: &[u8]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cfb.create_stream("/Workbook")
        .unwrap()
        .write_all(stream)
        .unwrap();
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

fn workbook_stream(xls: &[u8]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(xls)).unwrap();
    let mut data = Vec::new();
    cfb.open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    data
}

/// One change to a BIFF stream: a record's length or type overwritten, a span cut out or
/// repeated.
#[derive(Debug, Clone)]
enum StreamChange {
    /// Overwrites the two bytes at this offset (a record's type or length, often) with a value.
    Word(usize, u16),
    /// Removes `len` bytes at an offset.
    Remove(usize, u16),
    /// Repeats `len` bytes at an offset.
    Repeat(usize, u16),
}

fn stream_change() -> impl Strategy<Value = StreamChange> {
    prop_oneof![
        (any::<usize>(), any::<u16>()).prop_map(|(a, v)| StreamChange::Word(a, v)),
        (any::<usize>(), 1u16..2048).prop_map(|(a, l)| StreamChange::Remove(a, l)),
        (any::<usize>(), 1u16..2048).prop_map(|(a, l)| StreamChange::Repeat(a, l)),
    ]
}

fn change_stream(data: &mut Vec<u8>, change: &StreamChange) {
    if data.len() < 2 {
        return;
    }
    match *change {
        StreamChange::Word(at, v) => {
            let at = at % (data.len() - 1);
            data[at..at + 2].copy_from_slice(&v.to_le_bytes());
        }
        StreamChange::Remove(at, len) => {
            let at = at % data.len();
            let end = (at + len as usize).min(data.len());
            data.drain(at..end);
        }
        StreamChange::Repeat(at, len) => {
            let at = at % data.len();
            let end = (at + len as usize).min(data.len());
            let span = data[at..end].to_vec();
            data.splice(at..at, span);
        }
    }
}

/// An XML document as tokens: each starts with `<` (a tag) or is the text between tags.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = if rest.starts_with('<') {
            rest.find('>').map_or(rest.len(), |e| e + 1)
        } else {
            rest.find('<').unwrap_or(rest.len())
        };
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// One change to an XML document's tokens; indexes are taken modulo their number.
#[derive(Debug, Clone)]
enum XmlChange {
    Drop(usize),
    Duplicate(usize, u8),
    Swap(usize, usize),
    /// Ends the document after this token.
    Cut(usize),
    /// Wraps the token in `depth` elements.
    Nest(usize, u8),
    /// Puts an entity reference or a character reference before the token.
    Reference(usize, &'static str),
}

fn xml_change() -> impl Strategy<Value = XmlChange> {
    prop_oneof![
        any::<usize>().prop_map(XmlChange::Drop),
        (any::<usize>(), 1u8..40).prop_map(|(a, n)| XmlChange::Duplicate(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| XmlChange::Swap(a, b)),
        any::<usize>().prop_map(XmlChange::Cut),
        (any::<usize>(), 1u8..64).prop_map(|(a, d)| XmlChange::Nest(a, d)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "&amp;",
                "&lt;",
                "&nope;",
                "&#0;",
                "&#x110000;",
                "&#65;"
            ])
        )
            .prop_map(|(a, r)| XmlChange::Reference(a, r)),
    ]
}

fn change_xml(tokens: &mut Vec<String>, change: &XmlChange) {
    if tokens.is_empty() {
        return;
    }
    let n = tokens.len();
    match change {
        XmlChange::Drop(i) => {
            tokens.remove(i % n);
        }
        XmlChange::Duplicate(i, times) => {
            let t = tokens[i % n].clone();
            for _ in 0..*times {
                tokens.insert(i % n, t.clone());
            }
        }
        XmlChange::Swap(a, b) => tokens.swap(a % n, b % n),
        XmlChange::Cut(i) => tokens.truncate(i % n + 1),
        XmlChange::Nest(i, depth) => {
            let at = i % n;
            for _ in 0..*depth {
                tokens.insert(at, "<x>".to_string());
            }
            for _ in 0..*depth {
                tokens.insert(at + *depth as usize + 1, "</x>".to_string());
            }
        }
        XmlChange::Reference(i, r) => tokens.insert(i % n, r.to_string()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_parts_of_a_valid_xlsx_are_handled(
        changes in prop::collection::vec(entry_change(), 1..4),
        after in byte_damage(),
    ) {
        let s = Scratch::new();
        let mut parts = entries(&fixture("sheets/customers.xlsx"));
        for c in &changes {
            apply(&mut parts, c);
        }
        let bytes = damage(zipped(&parts), &after);
        check_case(&s, "damaged.xlsx", &bytes);
    }

    #[test]
    fn a_damaged_xls_header_or_workbook_stream_is_handled(
        fields in prop::collection::vec((prop::sample::select(CFB_FIELDS), any::<u32>()), 0..3),
        changes in prop::collection::vec(stream_change(), 0..4),
        after in byte_damage(),
    ) {
        let s = Scratch::new();
        let original = fixture("sheets/customers.xls");
        let mut stream = workbook_stream(&original);
        for c in &changes {
            change_stream(&mut stream, c);
        }
        let mut bytes = if changes.is_empty() { original } else { xls_with_stream(&stream) };
        for (at, v) in &fields {
            bytes[*at..*at + 4].copy_from_slice(&v.to_le_bytes());
        }
        check_case(&s, "damaged.xls", &damage(bytes, &after));
    }

    #[test]
    fn a_damaged_annabel_document_is_handled(
        changes in prop::collection::vec(xml_change(), 1..5),
    ) {
        let s = Scratch::new();
        let text = String::from_utf8(fixture("sheets/customers.xml")).unwrap();
        let mut doc = tokens(&text);
        for c in &changes {
            change_xml(&mut doc, c);
        }
        check_case(&s, "damaged.xml", doc.concat().as_bytes());
    }
}

/// The generators reach what they are for: the xlsx rebuilt with a duplicated entry is still a
/// zip with both entries under one name, and the rebuilt `.xls` still opens as a compound file.
#[test]
fn the_generators_build_valid_containers() {
    let mut parts = entries(&fixture("sheets/customers.xlsx"));
    let n = parts.len();
    apply(&mut parts, &EntryChange::Duplicate(0));
    let bytes = zipped(&parts);
    let names: Vec<String> = {
        let zip = zip::ZipArchive::new(Cursor::new(&bytes[..]));
        match zip {
            Ok(z) => z
                .file_names()
                .filter_map(|n| n.ok().map(|n| n.into_owned()))
                .collect(),
            // The zip crate may refuse duplicate names itself: then the central directory
            // must still hold both, byte for byte.
            Err(_) => Vec::new(),
        }
    };
    let first = &parts[0].0;
    let count = memchr::memmem::find_iter(&bytes, first.as_bytes()).count();
    assert!(count >= 4, "{first} appears {count} times");
    assert!(names.is_empty() || names.len() >= n, "{names:?}");
    let stream = workbook_stream(&fixture("sheets/customers.xls"));
    let rebuilt = xls_with_stream(&stream);
    assert_eq!(workbook_stream(&rebuilt), stream);
    let doc = tokens(&String::from_utf8(fixture("sheets/customers.xml")).unwrap());
    assert!(doc.iter().any(|t| t == "<annabel>"));
    assert_eq!(
        doc.concat(),
        String::from_utf8(fixture("sheets/customers.xml")).unwrap()
    );
}
