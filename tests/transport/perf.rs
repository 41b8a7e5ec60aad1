//! The measurement behind docs/performance.md ("Sending"): `send` of a delivery of about
//! 100 MB to the local OpenSSH server, wall time and peak RSS from `/usr/bin/time -v`.
//! Ignored by default (it writes some 200 MB):
//! `cargo test --test tests transport::perf -- --ignored --nocapture`.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use super::{Site, DATE};

/// Rows of an export whose delivery is about 100 MB.
const ROWS: usize = 290_000;

#[test]
#[ignore = "a measurement, not a test"]
fn measure_send_of_100_mb() {
    let Some(site) = Site::start("") else { return };
    let started = Instant::now();
    let (name, size) = big_delivery(&site, ROWS);
    eprintln!(
        "convert: {:.1} s, delivery {size} bytes",
        started.elapsed().as_secs_f64()
    );
    let mut base = site.s.std_cmd();
    base.env("COLLECTMAXX_SFTP_PASSWORD", &site.srv.password);
    let time = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_collectmaxx"))
        .args(["send", &name])
        .current_dir(site.s.path())
        .envs(
            base.get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&time.stderr);
    assert!(time.status.success(), "{err}");
    for key in [
        "Elapsed (wall clock)",
        "Maximum resident set size",
        "User time",
        "System time",
    ] {
        if let Some(line) = err.lines().find(|l| l.contains(key)) {
            eprintln!("send: {}", line.trim());
        }
    }
    assert_eq!(std::fs::metadata(site.remote(&name)).unwrap().len(), size);
}

/// Converts an export of `rows` valid rows (about 300 bytes of delivery each) for client
/// DEMO: the delivery's name and size.
pub fn big_delivery(site: &Site, rows: usize) -> (String, u64) {
    let input = site.s.path().join("big.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    writeln!(w, "IDENTIFICATION_IDENTIFIER;PERSON_GIVENNAME;PERSON_FAMILYNAME;PERSON_BIRTHDAY;ADDRESS_STREET;ADDRESS_HOUSENUMBER;ADDRESS_ZIPCODE;ADDRESS_CITY;ADDRESS_COUNTRY;CONTACT_PHONENUMBER;CONTACT_EMAIL;INVOICE_NUMBER;INVOICE_DATE;INVOICE_DUEDATE;INVOICE_CURRENCY;INVOICE_AMOUNT;INVOICE_DESCRIPTION;INVOICE_REFERENCE").unwrap();
    for i in 0..rows {
        writeln!(w, "ID-{i:08};Anna;Meijer-{i};1951-02-02;Dorpsstraat;{};3511 AB;Utrecht;NL;+3164823{:04};anna.{i}@example.nl;F{i:09};2026-11-02;2027-01-02;EUR;{};Energierekening november en december, termijn {i} van de jaarafrekening 2026, inclusief netbeheerkosten en vastrecht voor aansluiting {i};REF{i:09}", i % 300 + 1, i % 10_000, 1000 + i % 90_000).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let out = site
        .cmd()
        .args([
            "convert",
            "big.csv",
            "--client",
            "DEMO",
            "--out-dir",
            "out",
            "--date",
            DATE,
        ])
        .arg("-q")
        .timeout(std::time::Duration::from_secs(1800))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().unwrap_or(2) < 2, "{err}");
    let name = format!("{DATE}-DEMO-1.csv");
    let size = std::fs::metadata(site.s.path().join("out").join(&name))
        .unwrap()
        .len();
    (name, size)
}
