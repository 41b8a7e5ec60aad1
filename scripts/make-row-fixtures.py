#!/usr/bin/env python3
"""Writes the fixtures under fixtures/rows/: footer rows, stray quotes, cut files.

The files are committed: tests never need Python or LibreOffice. This script documents how
they were made and remakes them (needs `openpyxl` and `soffice`, Debian's libreoffice-calc).
Deterministic apart from the timestamps inside the workbooks.

Well-formed CSV is written with Python's csv module, as operators' tools write it (`;`,
CRLF line ends as Excel's "CSV (semicolon)" has them); the malformed files are the csv module's
output broken on purpose, or written by hand where the csv module cannot write the defect.

- totals.xlsx: openpyxl; 19 debtors on rows 2-20, a blank row 21, then
  `Totaal | | | =SUM(D2:D20)` on row 22 (openpyxl stores the formula without a cached value).
- totals.ods, totals.xls: LibreOffice's conversion of totals.xlsx (it computes the sum, so
  the total cell holds 151300... as the user sees it).
- subtotals.xlsx: openpyxl; two groups of five debtors, each followed by a
  `Subtotaal | | | =SUM(...)` row, a blank row, and `Totaal | | | =SUM(...)`.
- subtotals.ods: LibreOffice's conversion of subtotals.xlsx.
- totals.csv: the csv module; 12 debtors, a row of empty values, `;Totaal;;;…;<sum>`.
- quoted.csv: the csv module with QUOTE_ALL (every value in quotes, as many ERPs write):
  12 debtors, one with a two-line street (a real multi-line value).
- multiline-address.csv: the csv module with QUOTE_MINIMAL: 6 debtors, two of them with
  a street over two lines (`Kerkstraat 1` / `achterhuis`), which must be read as one value.
- stray-quote.csv: by hand: the issue's example (`T-1;Jansen;"Levering` with the quote
  closing two lines later in `Levering montage";3000`), a closing quote followed by text
  (`"Jansen" BV`), an escaped quote in the backslash style (`"say \\"hi\\""`), and clean rows.
- cut-in-quote.csv: quoted.csv cut off inside the last row's description, as a file still
  being written.
- no-final-newline.csv: quoted.csv without its final line break (a complete file).
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "rows")

NAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
         "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
         "Brouwer", "de Wit", "Dijkstra"]
GIVEN = ["Anna", "Pieter", "Sanne", "Daan", "Fleur", "Bram", "Emma", "Thijs", "Noor", "Lars",
         "Julia", "Sem"]
STREETS = ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenlaan", "Schoolstraat", "Beukenlaan"]
CITIES = ["Amsterdam", "Utrecht", "Rotterdam", "Groningen", "Eindhoven", "Zwolle"]

CSV_HEADER = ["IDENTIFICATION_IDENTIFIER", "PERSON_GIVENNAME", "PERSON_FAMILYNAME",
              "ADDRESS_STREET", "ADDRESS_CITY", "CONTACT_PHONENUMBER_1", "CONTACT_EMAIL_1",
              "INVOICE_NUMBER", "INVOICE_AMOUNT", "INVOICE_DESCRIPTION"]


def debtors(n, street_breaks=()):
    rows = []
    for i in range(n):
        street = "%s %d" % (STREETS[i % len(STREETS)], 3 + i * 7)
        if i in street_breaks:
            street += "\nachterhuis"
        family = NAMES[i % len(NAMES)]
        rows.append([
            "K-%04d" % (3001 + i), GIVEN[i % len(GIVEN)], family, street,
            CITIES[i % len(CITIES)], "06%08d" % (23456700 + i * 13),
            "%s@example.nl" % family.lower().replace(" ", ""), "F2026-%05d" % (4001 + i),
            str(2500 + i * 1150), "Energierekening november",
        ])
    return rows


def csv_text(rows, quoting=csv.QUOTE_MINIMAL):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=quoting, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    w.writerows(rows)
    return buf.getvalue()


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def csv_fixtures():
    rows = debtors(12)
    total = sum(int(r[8]) for r in rows)
    blank = [""] * len(CSV_HEADER)
    footer = [""] * len(CSV_HEADER)
    footer[1], footer[8] = "Totaal", str(total)
    write("totals.csv", csv_text(rows + [blank, footer]))

    quoted = csv_text(debtors(12, street_breaks=(4,)), csv.QUOTE_ALL)
    write("quoted.csv", quoted)
    write("multiline-address.csv", csv_text(debtors(6, street_breaks=(1, 4))))

    # Cut inside the last row's description: the file as a reader sees it while it is written.
    at = quoted.rindex('"Energierekening november"') + len('"Energierekening')
    write("cut-in-quote.csv", quoted[:at])
    assert quoted.endswith("\r\n")
    write("no-final-newline.csv", quoted[:-2])

    # Written by hand: no csv writer makes these.
    write("stray-quote.csv", "\r\n".join([
        "IDENTIFICATION_IDENTIFIER;PERSON_FAMILYNAME;CONTACT_PHONENUMBER_1;INVOICE_DESCRIPTION;INVOICE_AMOUNT",
        "T-1;Jansen;0612345601;\"Levering;1000",
        "T-2;Pieters;0612345602;Installatie;2000",
        "T-3;Bakker;0612345603;Levering montage\";3000",
        "T-4;Visser;0612345604;Onderhoud;4000",
        "T-5;\"Smit\" BV;0612345605;Onderhoud;5000",
        "T-6;Meijer;0612345606;\"zegt \\\"hallo\\\"\";6000",
        "T-7;de Boer;0612345607;Onderhoud;7000",
    ]) + "\r\n")


def sheet(path, groups):
    """An openpyxl workbook: each group of debtors (a Subtotaal row after each when there are
    several), a blank row, then a Totaal row summing every group."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Debiteuren"
    put = lambda r, values: [ws.cell(row=r, column=c + 1, value=v)
                             for c, v in enumerate(values) if v is not None]
    put(1, ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME", "CONTACT_PHONENUMBER_1",
            "INVOICE_AMOUNT"])
    r, i, ranges = 2, 0, []
    for size in groups:
        first = r
        for _ in range(size):
            put(r, ["K-%04d" % (2001 + i), NAMES[i % len(NAMES)], "06%08d" % (34567800 + i * 7),
                    1500 + i * 700])
            r, i = r + 1, i + 1
        ranges.append("D%d:D%d" % (first, r - 1))
        if len(groups) > 1:
            put(r, ["Subtotaal", None, None, "=SUM(%s)" % ranges[-1]])
            r += 1
    r += 1  # a blank row
    put(r, ["Totaal", None, None, "=SUM(%s)" % ",".join(ranges)])
    wb.save(path)


def convert(src, fmt, dest):
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", fmt, "--outdir", tmp, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        made = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
        shutil.copyfile(made, dest)


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    os.makedirs(OUT, exist_ok=True)
    csv_fixtures()
    sheet(os.path.join(OUT, "totals.xlsx"), [19])
    sheet(os.path.join(OUT, "subtotals.xlsx"), [5, 5])
    for ext in ["ods", "xls"]:
        convert(os.path.join(OUT, "totals.xlsx"), ext, os.path.join(OUT, "totals." + ext))
    convert(os.path.join(OUT, "subtotals.xlsx"), "ods", os.path.join(OUT, "subtotals.ods"))
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
