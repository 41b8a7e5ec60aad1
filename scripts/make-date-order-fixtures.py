#!/usr/bin/env python3
"""Writes the date-order fixtures under fixtures/dates/.

The files are committed: tests never need Python or LibreOffice. This script documents how they
were made and remakes them. It needs openpyxl and `soffice` (Debian's libreoffice-calc).

- us-export.csv: what a spreadsheet set to English (United States) exports. openpyxl writes a
  workbook whose birthdays and due dates are date cells formatted `mm/dd/yyyy`; LibreOffice
  saves it as CSV with the cells' contents as shown (en-US), so the dates become month-first
  text: `02/01/1980` is 1 February 1980 nowhere but in this file's own order. Some days are
  over 12 (`01/15/2027`), most are not.
- text-and-cells.xlsx (openpyxl): sheet "Dagen", PERSON_BIRTHDAY as date cells formatted
  `mm/dd/yyyy` (shown month first, but real dates) and INVOICE_DUEDATE as day-first text
  dates; sheet "Maanden", the same date cells and month-first text due dates.
- late.xlsx (openpyxl): INVOICE_DUEDATE as text dates. Sheet "Laat": 9,000 rows of dates that
  are dates in both orders (day and month up to 12), then `12/25/2027`; sheet "Gemengd": first
  `13/04/2027` (day first only), then the same 9,000, then `12/25/2027`. Both show month-first
  evidence only after the rows a run judges first.
"""
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "dates")

D = datetime.date

US_HEADER = ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME", "PERSON_GIVENNAME",
             "PERSON_BIRTHDAY", "INVOICE_NUMBER", "INVOICE_DUEDATE", "INVOICE_AMOUNT"]
US_ROWS = [
    ["U-1001", "Miller", "John", D(1980, 2, 1), "INV-2001", D(2027, 3, 4), 12500],
    ["U-1002", "Smith", "Mary", D(1975, 12, 5), "INV-2002", D(2027, 1, 15), 4999],
    ["U-1003", "Johnson", "Linda", D(1990, 7, 4), "INV-2003", D(2027, 6, 1), 250000],
    ["U-1004", "Brown", "James", D(1962, 3, 25), "INV-2004", D(2027, 2, 10), 100],
    ["U-1005", "Davis", "Patricia", D(2001, 11, 9), "INV-2005", D(2027, 12, 31), 7550],
    ["U-1006", "Garcia", "Robert", D(1958, 5, 5), "INV-2006", D(2027, 4, 2), 1999],
]


def us_export(csv_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Customers"
    ws.append(US_HEADER)
    for row in US_ROWS:
        ws.append(row)
    for r in range(2, len(US_ROWS) + 2):
        for c in (4, 6):
            ws.cell(row=r, column=c).number_format = "mm/dd/yyyy"
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = os.path.join(tmp, "us-export.xlsx")
        wb.save(xlsx)
        # CSV with the cells "as shown" (the 9th filter option), in English (USA), 1033.
        soffice(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true",
                csv_path)
    text = open(csv_path, encoding="utf-8").read()
    for shown in ["U-1001,Miller,John,02/01/1980,INV-2001,03/04/2027,12500",
                  "01/15/2027", "03/25/1962", "12/31/2027"]:
        if shown not in text:
            raise SystemExit(f"LibreOffice's CSV lacks {shown!r}:\n{text}")


def soffice(src, fmt, dest):
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", fmt, "--outdir", tmp, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        made = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "."
                            + fmt.split(":")[0])
        shutil.copyfile(made, dest)


def text_and_cells(path):
    header = ["IDENTIFICATION_IDENTIFIER", "PERSON_BIRTHDAY", "INVOICE_DUEDATE"]
    birthdays = [D(1980, 2, 13), D(1975, 1, 2), D(1990, 12, 25)]
    sheets = [
        ("Dagen", ["13/03/2027", "01/02/2027", "05/04/2027"]),
        ("Maanden", ["03/13/2027", "01/02/2027", "05/04/2027"]),
    ]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, due in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for i, (birthday, text) in enumerate(zip(birthdays, due), start=1):
            ws.append([f"T-{i}", birthday, text])
            # Shown month first, as a US spreadsheet shows them: still a real date.
            ws.cell(row=i + 1, column=2).number_format = "mm/dd/yyyy"
            ws.cell(row=i + 1, column=3).number_format = "@"
    wb.save(path)


def late(path):
    both = [f"{(i % 11) + 2:02d}/{(i % 7) + 1:02d}/2027" for i in range(9000)]
    # Day and month up to 12 and never equal: a date in both orders, two different dates.
    both = [d if d[:2] != d[3:5] else "03/04/2027" for d in both]
    sheets = [
        ("Laat", both + ["12/25/2027"]),
        ("Gemengd", ["13/04/2027"] + both + ["12/25/2027"]),
    ]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, dates in sheets:
        ws = wb.create_sheet(title)
        ws.append(["IDENTIFICATION_IDENTIFIER", "INVOICE_DUEDATE"])
        for i, text in enumerate(dates, start=1):
            ws.append([f"L-{i:05d}", text])
    wb.save(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    us_export(os.path.join(OUT, "us-export.csv"))
    text_and_cells(os.path.join(OUT, "text-and-cells.xlsx"))
    late(os.path.join(OUT, "late.xlsx"))


if __name__ == "__main__":
    main()
