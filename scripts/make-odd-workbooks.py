#!/usr/bin/env python3
"""Writes the misread and misnamed workbooks under fixtures/workbooks/ (see fixtures/README.md).

Needs `xlwt` (pip) and LibreOffice (`soffice`, Debian's libreoffice-calc). The files are
committed: tests never need Python or LibreOffice.

XLS files that show two defects calamine's own test files show, rebuilt from scratch (the
calamine files are not copied):

- codepage-1252.xls: like calamine's tests/sheet_name_parsing.xls, a BIFF8 workbook whose
  CODEPAGE record says 1252 (Windows Latin 1) although BIFF8 strings are UTF-16. xlwt writes
  the workbook (its CODEPAGE says 1200, as the format wants); the script patches that one
  record's value to 1252 in the BIFF stream and wraps the stream in xlwt's own OLE2 writer.
  Strings that fit in Latin 1 are stored "compressed" (one byte per character), the others
  (Łódź) as two bytes; calamine reads both wrongly under code page 1252.
- empty-text-formula.xls: like calamine's tests/issue343.xls, a sheet whose only cell is the
  formula ="" with an empty text as its cached result (xlwt stores that result for every
  formula), on a sheet named Лист1; a second sheet, Klanten, has a header, two records and
  three more rows of ="" below them (a template filled down with formulas).

Text and archives under a workbook's name, as other systems produce them:

- html-table.xls: LibreOffice's "HTML (StarCalc)" export of sheets/customers.xlsx.
- spreadsheetml-2003.xls: LibreOffice's "MS Excel 2003 XML" export of the same; LibreOffice
  writes every formatted row down to row 1048576, so the script drops the rows without any
  <Data> (35 MB to 39 KB).
- tab-separated.xls: LibreOffice's text export of the same with tabs, UTF-8.
- unicode-text.xls: the same as UTF-16 with a byte order mark (what Excel calls "Unicode
  text"), tab-separated.
- one-line.xls: one line of text, as a failed export or a note saved under the export's name.
- zipped-csv.xlsx: sheets/customers.csv in a zip archive (Python's zipfile).
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "workbooks")
SHEETS = os.path.join(ROOT, "fixtures", "sheets")

CODEPAGE = 0x0042


def biff_records(data):
    at = 0
    while at + 4 <= len(data):
        typ, size = struct.unpack_from("<HH", data, at)
        yield at, typ, size
        at += 4 + size


def save_xls(book, path, patch=None):
    """Saves an xlwt workbook, letting `patch` change the BIFF stream first."""
    from xlwt import CompoundDoc
    stream = book.get_biff_data()
    if patch:
        stream = patch(stream)
    CompoundDoc.XlsDoc().save(path, stream)


def codepage_1252(stream):
    data = bytearray(stream)
    for at, typ, size in biff_records(bytes(data)):
        if typ == CODEPAGE and size == 2:
            assert struct.unpack_from("<H", data, at + 4)[0] == 1200
            struct.pack_into("<H", data, at + 4, 1252)
            return bytes(data)
    sys.exit("no CODEPAGE record in xlwt's stream")


def make_codepage_1252():
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Klanten")
    rows = [
        ["Klantnummer", "Titel", "Achternaam", "Woonplaats"],
        ["K-1001", "dhr.", "Müller", "Łódź"],
        ["K-1002", "mevr.", "Ærø", "Köln"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    save_xls(book, os.path.join(OUT, "codepage-1252.xls"), codepage_1252)


def make_empty_text_formula():
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    empty = book.add_sheet("Лист1")
    empty.write(0, 0, xlwt.Formula('""'))
    sheet = book.add_sheet("Klanten")
    rows = [
        ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME", "ADDRESS_CITY"],
        ["K-2001", "Jansen", "Utrecht"],
        ["K-2002", "de Vries", "Gent"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    for r in range(3, 6):
        for c in range(3):
            sheet.write(r, c, xlwt.Formula('""'))
    save_xls(book, os.path.join(OUT, "empty-text-formula.xls"))


def convert(src, fmt, dest):
    """LibreOffice's conversion of `src` with the output filter `fmt`, written to `dest`."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = os.path.join(tmp, "profile")
        cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", fmt, "--outdir", tmp, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        made = [f for f in os.listdir(tmp) if f != "profile"]
        if len(made) != 1:
            sys.exit("LibreOffice wrote %s for %s" % (made, fmt))
        shutil.copy(os.path.join(tmp, made[0]), dest)


def drop_empty_rows(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"<Row[^>]*>(?:(?!<Data|</Row>).)*</Row>", "", text, flags=re.S)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    os.makedirs(OUT, exist_ok=True)
    make_codepage_1252()
    make_empty_text_formula()
    src = os.path.join(SHEETS, "customers.xlsx")
    convert(src, "html:HTML (StarCalc)", os.path.join(OUT, "html-table.xls"))
    convert(src, "xml:MS Excel 2003 XML", os.path.join(OUT, "spreadsheetml-2003.xls"))
    drop_empty_rows(os.path.join(OUT, "spreadsheetml-2003.xls"))
    # Text export options: field separator (9 = tab), text delimiter ("), character set
    # (76 = UTF-8, 65535 = UTF-16), first line.
    convert(src, "txt:Text - txt - csv (StarCalc):9,34,76,1", os.path.join(OUT, "tab-separated.xls"))
    convert(src, "txt:Text - txt - csv (StarCalc):9,34,65535,1",
            os.path.join(OUT, "unicode-text.xls"))
    with open(os.path.join(OUT, "one-line.xls"), "w", encoding="utf-8") as f:
        f.write("Debiteuren export 30-11-2026: geen gegevens\n")
    with zipfile.ZipFile(os.path.join(OUT, "zipped-csv.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.write(os.path.join(SHEETS, "customers.csv"), "customers.csv")
    for name in sorted(os.listdir(OUT)):
        print("fixtures/workbooks/" + name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
