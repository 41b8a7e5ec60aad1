#!/usr/bin/env python3
"""Writes fixtures/names/export.csv and export.xlsx: an operator's export in which countries
are written as names (Dutch, French, German, English) and phones as people type them.

The files are committed; tests read them and never need Python. Run this script again to
remake them (needs `openpyxl`). Deterministic apart from the timestamps inside the workbook.

- export.csv: `;`-separated, UTF-8, delivery field names as headers, as a Dutch operator's
  export tool writes it.
- export.xlsx: the same rows written by openpyxl, phones as text cells except one typed as a
  number (`612345678`, whose leading 0 a spreadsheet drops), as an operator who keys in a
  sheet by hand.
"""
import csv
import os

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "names")

HEADER = ["IDENTIFICATION_IDENTIFIER", "PERSON_GIVENNAME", "PERSON_FAMILYNAME", "ADDRESS_CITY",
          "ADDRESS_COUNTRY", "CONTACT_PHONENUMBER_1", "CONTACT_PHONENUMBER_2"]

# Identifier, given name, family name, city, country as written, phone 1, phone 2.
ROWS = [
    ["K-001", "Anna", "de Vries", "Utrecht", "Nederland", "(+31) 6 88684316", ""],
    ["K-002", "Luc", "Peeters", "Antwerpen", "België", "++32 470 12 34 56", ""],
    ["K-003", "Jonas", "Müller", "Köln", "Duitsland", "+49 (0)221 1234567", ""],
    ["K-004", "Marie", "Dubois", "Liège", "Belgique", "0032 (0)4 223 45 67", ""],
    ["K-005", "Hans", "Schmidt", "Berlin", "Deutschland", "0049 30 1234567", ""],
    ["K-006", "Claire", "Martin", "Lille", "Frankrijk", "+33 (0)6 12 34 56 78", ""],
    ["K-007", "John", "Smith", "London", "Verenigd Koninkrijk", "+44 (0)20 7946 0018", ""],
    ["K-008", "Emily", "Brown", "Boston", "United States", "+1 (0)617-555-0123",
     "+1 617-555-0123"],
    ["K-009", "Piet", "Jansen", "Maastricht", "belgie", "++31 6 32448337", ""],
    ["K-010", "Sophie", "Taylor", "Leeds", "Royaume-Uni", "06\u201112345678", ""],
    ["K-011", "Nino", "Beridze", "Tbilisi", "Georgia", "+995 32 212 3456", ""],
    ["K-012", "Jan", "Bakker", "Rotterdam", "Nederlandia", "010 123 4567", ""],
    ["K-013", "Lena", "Weber", "Wien", "ÖSTERREICH", "+43 1 234567", ""],
    ["K-014", "Eva", "Smit", "Den Haag", " UK ", "612345678", ""],
]


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "export.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(ROWS)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Klanten"
    sheet.append(HEADER)
    for row in ROWS:
        cells = list(row)
        if cells[5] == "612345678":
            cells[5] = 612345678  # a number cell: the leading 0 is gone
        sheet.append(cells)
    for column in ("F", "G"):
        for cell in sheet[column][1:]:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    book.save(os.path.join(OUT, "export.xlsx"))


if __name__ == "__main__":
    main()
