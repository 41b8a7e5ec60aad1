//! Password-protected workbooks, recognised by their container before a reader sees them, so
//! that the user learns what the file is and what to do instead of "damaged" or "not a
//! workbook".
//!
//! - An `.xlsx`, `.xlsm` or `.xlsb` saved with a password to open is no zip at all: Office
//!   wraps the encrypted package in an OLE2 compound file with the streams `EncryptionInfo`
//!   and `EncryptedPackage` (MS-OFFCRYPTO; rights-managed files look the same). Nothing in it
//!   says whether the package inside is an `.xlsx` or an `.xlsb`.
//! - An `.xls` with a password has a FILEPASS record among its workbook records; the record
//!   walk in `xls.rs` stops there with [`xls_message`].
//! - An `.ods` keeps its zip and its `mimetype`, but its parts are encrypted and
//!   `META-INF/manifest.xml` (which stays readable) describes each with an
//!   `<manifest:encryption-data>` element.

use super::GuardError;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// The most of `META-INF/manifest.xml` that is read; a real manifest is a few kilobytes.
const MANIFEST_BYTES: u64 = 1 << 20;

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What to do, the same for every format: the tool cannot decrypt, the user can.
const WHAT_TO_DO: &str = "collectmaxx cannot read encrypted files; open it with its password, \
    save a copy without one (Excel: File > Info > Protect Workbook > Encrypt with Password, \
    clear it; LibreOffice: File > Save As, untick \"Save with password\") and run on that copy";

/// The message for an encrypted OOXML workbook (`.xlsx`, `.xlsm`, `.xlsb`).
fn ooxml_message() -> String {
    format!(
        "is a password-protected Excel workbook (.xlsx or .xlsb encrypted with a password to \
         open): {WHAT_TO_DO}"
    )
}

/// The message for an encrypted ODS.
fn ods_message() -> String {
    format!(
        "is a password-protected OpenDocument spreadsheet (its parts are encrypted): {WHAT_TO_DO}"
    )
}

/// The message for an `.xls` with a FILEPASS record. Excel 97-2003 also encrypts a file whose
/// workbook structure is protected (with a built-in password, so it opens without asking).
pub(crate) fn xls_message() -> String {
    format!(
        "is a password-protected .xls workbook (encrypted: saved with a password to open, or \
         with a protected workbook structure, which .xls files store encrypted): {WHAT_TO_DO} \
         (a protected structure is turned off under Review > Protect Workbook)"
    )
}

/// Refuses a workbook whose container says it is encrypted. Anything else, readable or not,
/// passes: the readers report other damage themselves.
pub(crate) fn refuse_encrypted(path: &Path) -> Result<(), GuardError> {
    let Ok(mut file) = File::open(path) else {
        return Ok(());
    };
    let mut head = [0u8; 8];
    if file.read_exact(&mut head).is_err() {
        return Ok(());
    }
    if file.rewind().is_err() {
        return Ok(());
    }
    if head == OLE2 {
        return ole2(BufReader::new(file));
    }
    if head.starts_with(b"PK\x03\x04") {
        return zip(BufReader::new(file));
    }
    Ok(())
}

fn ole2<R: Read + Seek>(file: R) -> Result<(), GuardError> {
    let Ok(cfb) = cfb::CompoundFile::open(file) else {
        return Ok(());
    };
    if cfb.is_stream("/EncryptionInfo") && cfb.is_stream("/EncryptedPackage") {
        return Err(GuardError::Encrypted(ooxml_message()));
    }
    Ok(())
}

fn zip<R: Read + Seek>(file: R) -> Result<(), GuardError> {
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return Ok(());
    };
    let Ok(manifest) = zip.by_name("META-INF/manifest.xml") else {
        return Ok(());
    };
    let mut text = Vec::new();
    if manifest
        .take(MANIFEST_BYTES)
        .read_to_end(&mut text)
        .is_err()
    {
        return Ok(());
    }
    if memchr::memmem::find_iter(&text, b"encryption-data").any(|at| starts_element(&text, at)) {
        return Err(GuardError::Encrypted(ods_message()));
    }
    Ok(())
}

/// True when `text[at..]` is the local name of an element's start tag: `<encryption-data` or
/// `<prefix:encryption-data` (the usual prefix is `manifest:`, but any prefix names the same
/// element), not text inside an attribute value such as a file name.
fn starts_element(text: &[u8], at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let Some(lt) = before.iter().rposition(|&b| b == b'<') else {
        return false;
    };
    let prefix = &before[lt + 1..];
    let name_char = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    match prefix.split_last() {
        None => true,
        Some((b':', name)) => !name.is_empty() && name.iter().all(name_char),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_with(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn an_ods_manifest_with_encryption_data_is_refused() {
        let plain = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"/></manifest:manifest>"#;
        let sealed = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#;
        let other_prefix =
            r#"<m:manifest><m:file-entry><m:encryption-data/></m:file-entry></m:manifest>"#;
        let named_so = r#"<manifest:manifest><manifest:file-entry manifest:full-path="encryption-data.xml"/></manifest:manifest>"#;
        let zipped = |m: &str| zip_with(&[("mimetype", "x"), ("META-INF/manifest.xml", m)]);
        assert!(zip(Cursor::new(zipped(plain))).is_ok());
        assert!(zip(Cursor::new(zipped(named_so))).is_ok());
        let e = zip(Cursor::new(zipped(sealed))).unwrap_err().to_string();
        assert!(
            e.contains("password-protected") && e.contains("without one"),
            "{e}"
        );
        assert!(zip(Cursor::new(zipped(other_prefix))).is_err());
        assert!(zip(Cursor::new(zip_with(&[("a.csv", "x")]))).is_ok());
    }
}
