#!/usr/bin/env python3
"""Writes fixtures/redact/: exports with personal data in every personal field, for the
--redact tests (issue 12, item 13).

- personal.csv: a header with every personal delivery field, then rows whose personal values
  are wrong or changed in every way the rules report (invalid phones and e-mails, national and
  formatted numbers, impossible and reformatted birthdays, too-long names and zip codes,
  numbers and addresses given twice), and a ragged row full of personal data.
- personal.xlsx: the same rows written by openpyxl, above them a title row naming a person,
  plus what only a spreadsheet has: a phone typed as a number whose leading 0 was lost, a
  date cell in a name field, a value in a column without a header.

tests/cli/redact.rs reads both with --redact and searches all output for every raw value
listed in RAW below (kept in step with the test by hand). Deterministic apart from the time
stamps openpyxl puts in docProps/core.xml. Needs Python's openpyxl.
"""
import csv
import datetime
import os

from openpyxl import Workbook

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "redact")

HEADER = [
    "IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME", "PERSON_GIVENNAME", "PERSON_BIRTHDAY",
    "PERSON_IDENTIFIER", "PERSON_HONORIFICPREFIX", "ADDRESS_STREET", "ADDRESS_HOUSENUMBER",
    "ADDRESS_EXTENSION", "ADDRESS_ZIPCODE", "ADDRESS_CITY", "CONTACT_PHONENUMBER_1",
    "CONTACT_PHONENUMBER_2", "CONTACT_PHONENUMBER_3", "CONTACT_EMAIL_1", "CONTACT_EMAIL_2",
    "CONTRACT_CONTACT_FAMILYNAME", "CONTRACT_CONTACT_GIVENNAME", "CONTRACT_CONTACT_PHONENUMBER",
    "CONTRACT_CONTACT_EMAIL", "INVOICE_AMOUNT", "CONTROL_FLOWID",
]

# One dict per row: only the fields given; the rest stay empty.
ROWS = [
    {"IDENTIFICATION_IDENTIFIER": "R-0001", "PERSON_FAMILYNAME": "Vermeulen",
     "PERSON_GIVENNAME": "Marieke", "PERSON_BIRTHDAY": "31-02-1980",
     "CONTACT_PHONENUMBER_1": "06-1234567a", "CONTACT_EMAIL_1": "Jan Jansen <jan@example.nl>",
     "ADDRESS_ZIPCODE": "1017 GC Amsterdam-Centrum", "INVOICE_AMOUNT": "1250"},
    {"IDENTIFICATION_IDENTIFIER": "R-0002", "PERSON_FAMILYNAME": "Bakker",
     "PERSON_BIRTHDAY": "07-05-1979", "CONTACT_PHONENUMBER_1": "06 87654321",
     "CONTACT_PHONENUMBER_2": "+31 (0)6 87654321", "CONTACT_PHONENUMBER_3": "0612",
     "CONTACT_EMAIL_1": "Kees.Bakker@Voorbeeld.NL", "CONTACT_EMAIL_2": "kees.bakker@voorbeeld.nl",
     "INVOICE_AMOUNT": "990"},
    {"IDENTIFICATION_IDENTIFIER": "R-0003",
     "PERSON_FAMILYNAME": "Achterberg-" + "van Oudshoorn-" * 8 + "Wijnands",
     "PERSON_BIRTHDAY": "1850-01-01", "PERSON_IDENTIFIER": "KLANT-778899-XYZ",
     "PERSON_HONORIFICPREFIX": "=Jonkheer", "CONTACT_PHONENUMBER_1": "+31 20 555 01 23",
     "CONTACT_EMAIL_1": "piet de vries@example.nl", "INVOICE_AMOUNT": "100"},
    {"IDENTIFICATION_IDENTIFIER": "R-0004", "PERSON_FAMILYNAME": "El Idrissi",
     "PERSON_BIRTHDAY": "12/31/85", "ADDRESS_STREET": "Prinsengracht  263\tachterhuis",
     "ADDRESS_HOUSENUMBER": "263-huisnummer-veel-te-lang-voor-het-veld-in-de-levering",
     "ADDRESS_CITY": " Amsterdam ", "CONTACT_PHONENUMBER_1": "612340001",
     "CONTRACT_CONTACT_FAMILYNAME": "Dijkstra-" * 14 + "Smit",
     "CONTRACT_CONTACT_PHONENUMBER": "020-ABC-9876", "CONTRACT_CONTACT_EMAIL": "sanne@@dijkstra.nl",
     "INVOICE_AMOUNT": "5"},
]

RAGGED = "R-0005;Hendriks;Willemijn;willemijn.hendriks@example.org;0687001122"
TITLE = "Debiteuren van Geertruida Vlaskamp"
OUTSIDE = "Geheime notitie over Hendrika Wolters"


def write_csv(path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(HEADER)
        for r in ROWS:
            w.writerow([r.get(h, "") for h in HEADER])
        f.write(RAGGED + "\n")


def write_xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Debiteuren"
    ws.append([TITLE])
    ws.append(HEADER)
    for r in ROWS:
        ws.append([r.get(h) or None for h in HEADER])
    extra = {h: None for h in HEADER}
    extra["IDENTIFICATION_IDENTIFIER"] = "R-0006"
    extra["PERSON_GIVENNAME"] = datetime.datetime(1984, 3, 9)
    extra["CONTACT_PHONENUMBER_1"] = 612345679  # a number cell: the leading 0 was lost
    extra["INVOICE_AMOUNT"] = 700
    ws.append([extra[h] for h in HEADER] + [None, OUTSIDE])
    wb.save(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    write_csv(os.path.join(OUT, "personal.csv"))
    write_xlsx(os.path.join(OUT, "personal.xlsx"))
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
