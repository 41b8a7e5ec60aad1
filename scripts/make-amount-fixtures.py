#!/usr/bin/env python3
"""Writes the amount-unit fixtures under fixtures/amounts/.

The files are committed: tests never need Python, LibreOffice or Node. This script documents
how they were made and remakes them. It needs openpyxl, `soffice` (Debian's libreoffice-calc)
and, for the .xlsb, Node with SheetJS (`npm install xlsx@0.18.5` into a temporary folder; the
script does it).

- formats.xlsx (openpyxl): amount columns formatted `#,##0.00`, `0.00`, `€ #,##0.00` and
  `[$€-413] #,##0.00` (the user sees euros), and one General column of whole cents.
- formats.xls, formats.ods: LibreOffice's conversion of formats.xlsx.
- formats.xlsb: SheetJS's conversion of formats.xlsx (it keeps each cell's number format),
  with the short cell records SheetJS writes after the first cell of a row (BrtShortRk,
  BrtShortReal, ...: the column left out) rewritten in the full form Excel writes, which
  calamine reads. LibreOffice then opens it and its CSV export must show the formatted values:
  a real program reads the file and its formats as intended.
- short-records.xlsb: SheetJS's conversion as SheetJS writes it, short records and all.
- mixed.xlsx (openpyxl): one amount column with cells formatted `#,##0.00` and a General whole
  number; mixed.csv: whole cents with one `12,50`.
- precision.xlsx (openpyxl): an amount formatted `0.000` holding 12.345.
- late.xlsx (openpyxl): sheet "Laat", 9000 rows without an amount, then amounts formatted
  `#,##0.00`; sheet "Gemengd", 9000 rows of amounts formatted `#,##0.00`, then a General 4500.
  Both show their unit only after the rows the run decides from.
"""
import csv
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "amounts")

HEADER = ["IDENTIFICATION_IDENTIFIER", "INVOICE_CURRENCY", "INVOICE_AMOUNT", "INVOICE_TAX",
          "INVOICE_ARRANGEMENT_AMOUNT", "INVOICE_ARRANGEMENT_REMAINING",
          "INVOICELINES_1_UNITPRICE"]
FORMATS = [None, None, "#,##0.00", "0.00", "€ #,##0.00", "[$€-413] #,##0.00", None]
ROWS = [
    ["A-1", "EUR", 45, 21, 100, 7, 4500],
    ["A-2", "EUR", 12.5, 2.63, 1234.5, 0.5, 1250],
    ["A-3", "EUR", 0, 0, 99.99, 1000, 99],
]


def workbook(sheets):
    """sheets: [(title, header, [[value or (value, format)]])] -> openpyxl Workbook."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for r, row in enumerate(rows, start=2):
            for c, v in enumerate(row, start=1):
                fmt = None
                if isinstance(v, tuple):
                    v, fmt = v
                if v is None:
                    continue
                cell = ws.cell(row=r, column=c, value=v)
                if fmt:
                    cell.number_format = fmt
    return wb


def formats_xlsx(path):
    rows = [[(v, f) if f else v for v, f in zip(row, FORMATS)] for row in ROWS]
    workbook([("Debiteuren", HEADER, rows)]).save(path)


def mixed(xlsx, csv_path):
    rows = [["M-1", (45, "#,##0.00")], ["M-2", (12.5, "#,##0.00")], ["M-3", 4500]]
    workbook([("Debiteuren", ["IDENTIFICATION_IDENTIFIER", "INVOICE_AMOUNT"], rows)]).save(xlsx)
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["IDENTIFICATION_IDENTIFIER", "INVOICE_AMOUNT"])
        for i, v in enumerate(["4500", "1250", "12,50", "99"], start=1):
            w.writerow(["C-%d" % i, v])


def precision(path):
    rows = [["P-1", (12.345, "0.000")], ["P-2", (10, "0.000")]]
    workbook([("Debiteuren", ["IDENTIFICATION_IDENTIFIER", "INVOICE_AMOUNT"], rows)]).save(path)


def late(path):
    header = ["IDENTIFICATION_IDENTIFIER", "INVOICE_AMOUNT"]
    first = [["L-%05d" % i, None] for i in range(1, 9001)]
    first += [["L-%05d" % i, (45, "#,##0.00")] for i in range(9001, 9004)]
    second = [["G-%05d" % i, (45, "#,##0.00")] for i in range(1, 9001)]
    second += [["G-09001", 4500]]
    workbook([("Laat", header, first), ("Gemengd", header, second)]).save(path)


def soffice(src, fmt, dest):
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", fmt, "--outdir", tmp, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        made = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + fmt.split(":")[0])
        shutil.copyfile(made, dest)


SHEETJS = """
const XLSX = require('xlsx');
const wb = XLSX.readFile(process.argv[2], {cellNF: true});
XLSX.writeFile(wb, process.argv[3], {bookType: 'xlsb'});
"""


def sheetjs_xlsb(src, dest):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "install", "--silent", "--prefix", tmp, "xlsx@0.18.5"], check=True)
        script = os.path.join(tmp, "convert.js")
        with open(script, "w") as f:
            f.write(SHEETJS)
        env = dict(os.environ, NODE_PATH=os.path.join(tmp, "node_modules"))
        subprocess.run(["node", script, src, dest], check=True, env=env)


def records(data):
    """Splits an XLSB part into (type, payload) records."""
    out, i = [], 0
    while i < len(data):
        t = data[i] & 0x7F
        if data[i] & 0x80:
            i += 1
            t |= (data[i] & 0x7F) << 7
        i += 1
        n, shift = 0, 0
        for _ in range(4):
            b = data[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append((t, data[i:i + n]))
        i += n
    return out


def record(t, payload):
    head = bytes([t]) if t < 0x80 else bytes([(t & 0x7F) | 0x80, t >> 7])
    n, size = len(payload), b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            size += bytes([b | 0x80])
        else:
            size += bytes([b])
            break
    return head + size + payload


# Short cell record -> its full form (MS-XLSB 2.4: BrtShortBlank..BrtShortIsst, BrtShortRString).
FULL = {0x0C: 0x01, 0x0D: 0x02, 0x0E: 0x03, 0x0F: 0x04, 0x10: 0x05, 0x11: 0x06, 0x12: 0x07,
        0x3F: 0x3E}
FULL_CELLS = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x3E}


def full_records(sheet):
    """Rewrites short cell records with their column, as Excel writes every cell."""
    out, col = b"", -1
    for t, p in records(sheet):
        if t == 0x00:  # BrtRowHdr
            col = -1
        if t in FULL:
            col += 1
            out += record(FULL[t], struct.pack("<I", col) + p)
            continue
        if t in FULL_CELLS:
            col = struct.unpack("<I", p[:4])[0]
        out += record(t, p)
    return out


def rewrite_xlsb(src, dest):
    with zipfile.ZipFile(src) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dest, "w") as z:
        for info, data in parts:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".bin"):
                data = full_records(data)
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def check_with_libreoffice(xlsb):
    """LibreOffice must read the .xlsb's values and formats: its CSV export shows them."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "check.csv")
        # CSV export with cell contents "as shown" (the 9th filter option), in en-US.
        soffice(xlsb, "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true", out)
        text = open(out, encoding="utf-8").read()
    for shown in ["A-1,EUR,45.00,21.00,€ 100.00,€ 7.00,4500", "12.50", "€ 1,234.50", "€ 0.50"]:
        if shown not in text:
            sys.exit("LibreOffice does not show %r in %s:\n%s" % (shown, xlsb, text))


def main():
    for tool in ["soffice", "node", "npm"]:
        if shutil.which(tool) is None:
            sys.exit("%s not found" % tool)
    os.makedirs(OUT, exist_ok=True)
    xlsx = os.path.join(OUT, "formats.xlsx")
    formats_xlsx(xlsx)
    for ext in ["xls", "ods"]:
        soffice(xlsx, ext, os.path.join(OUT, "formats." + ext))
    short = os.path.join(OUT, "short-records.xlsb")
    sheetjs_xlsb(xlsx, short)
    xlsb = os.path.join(OUT, "formats.xlsb")
    rewrite_xlsb(short, xlsb)
    check_with_libreoffice(xlsb)
    mixed(os.path.join(OUT, "mixed.xlsx"), os.path.join(OUT, "mixed.csv"))
    precision(os.path.join(OUT, "precision.xlsx"))
    late(os.path.join(OUT, "late.xlsx"))
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
