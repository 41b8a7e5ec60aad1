#!/usr/bin/env python3
"""Writes the fixtures under fixtures/mapping/: an operator's Dutch export and mapping files
with the mistakes people make in them.

The files are committed: tests never need Python or LibreOffice. This script documents how
they were made and remakes them (needs openpyxl and `soffice`, Debian's libreoffice-calc).

- export-nl.csv: a "Debiteuren" workbook with Dutch headers (Factuurnummer, Achternaam,
  Mobiel, E-mailadres, Bedrag, Vervaldatum ...) written with openpyxl, saved as CSV by
  LibreOffice the way a Dutch operator exports it: ';' between values, '"' around text,
  UTF-8, dates as the sheet shows them (dd-mm-yyyy).
- export-nl-filiaal.csv: the same kind of export from a second branch (invoices F2026-02xx)
  whose phone column is called Telefoon instead of Mobiel.
- mapping-nl.toml: a correct mapping for both exports' common columns and Mobiel.
- mapping-typo.toml: keys with a typo (Factuurnumer, Emailadres for E-mailadres) and a key
  for a header that the export does not have at all (Klantnummer).
- mapping-case.toml: the same header twice, once in lower case.
- mapping-values.toml: a list as a value, a number as a value, and an unquoted header with a
  dot in it (which TOML reads as a table).
- set-template.toml: a configuration file whose [set] table tries to copy a column into a
  constant with {Factuurnummer}.
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "mapping")

HEADER = ["Factuurnummer", "Achternaam", "Voornaam", "Mobiel", "E-mailadres", "Bedrag",
          "Vervaldatum", "Opmerking"]
ROWS = [
    ("F2026-0101", "Jansen", "Jan", "06-12345678", "jan.jansen@example.nl", 12500, (2026, 12, 31), ""),
    ("F2026-0102", "de Vries", "Anna", "0687654321", "anna@example.nl", 4550, (2026, 12, 31), "belt terug"),
    ("F2026-0103", "Bakker", "Sanne", "+31 6 11122233", "s.bakker@example.nl", 9900, (2027, 1, 15), ""),
    ("F2026-0104", "El Amrani", "Mohamed", "06 2233 4455", "m.elamrani@example.nl", 30000, (2027, 1, 15), ""),
    ("F2026-0105", "Visser", "Daan", "0612341234", "daan.visser@example.nl", 1995, (2027, 1, 31), "regeling"),
    ("F2026-0106", "Smit", "Fleur", "06-29887766", "fleur.smit@example.nl", 7525, (2027, 1, 31), ""),
]

MAPPINGS = {
    "mapping-nl.toml": """# Debiteuren-export van de boekhouding
[columns]
"Factuurnummer" = "IDENTIFICATION_IDENTIFIER"
"Achternaam"    = "PERSON_FAMILYNAME"
"Voornaam"      = "PERSON_GIVENNAME"
"Mobiel"        = "CONTACT_PHONENUMBER_1"
"E-mailadres"   = "CONTACT_EMAIL_1"
"Bedrag"        = "INVOICE_AMOUNT"
"Vervaldatum"   = "INVOICE_DUEDATE"
""",
    "mapping-typo.toml": """[columns]
"Factuurnumer"  = "IDENTIFICATION_IDENTIFIER"
"Achternaam"    = "PERSON_FAMILYNAME"
"Mobiel"        = "CONTACT_PHONENUMBER_1"
"Emailadres"    = "CONTACT_EMAIL_1"
"Klantnummer"   = "PERSON_IDENTIFIER"
""",
    "mapping-case.toml": """[columns]
"Factuurnummer" = "IDENTIFICATION_IDENTIFIER"
"Achternaam"    = "PERSON_FAMILYNAME"
"factuurnummer" = "INVOICE_NUMBER"
""",
    "mapping-values.toml": """[columns]
"Factuurnummer" = "IDENTIFICATION_IDENTIFIER"
"Mobiel"        = ["CONTACT_PHONENUMBER_1", "CONTACT_PHONENUMBER_2"]
"Bedrag"        = 1
Klant.naam      = "PERSON_FAMILYNAME"
""",
    "set-template.toml": """client = "ACME"
mapping = "mapping-nl.toml"

[set]
INVOICE_REFERENCE = "{Factuurnummer}"
""",
}


def workbook(header, path, branch):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Debiteuren"
    ws.append(header)
    for r in ROWS:
        invoice = r[0].replace("-01", "-%02d" % branch)
        ws.append([invoice] + list(r[1:6]) + [datetime.date(*r[6]), r[7]])
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        for c in row:
            c.number_format = "DD-MM-YYYY"
    wb.save(path)


def to_csv(src, dest):
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1", "--outdir", tmp, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        made = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + ".csv")
        shutil.copyfile(made, dest)


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        filiaal = [h if h != "Mobiel" else "Telefoon" for h in HEADER]
        for name, header, branch in [("export-nl", HEADER, 1), ("export-nl-filiaal", filiaal, 2)]:
            xlsx = os.path.join(tmp, name + ".xlsx")
            workbook(header, xlsx, branch)
            to_csv(xlsx, os.path.join(OUT, name + ".csv"))
    for name, text in MAPPINGS.items():
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
