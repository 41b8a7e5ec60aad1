#!/usr/bin/env python3
"""Writes a workbook of over-long cells, for measuring report size and memory (issue 12, item 9).

One sheet: a header row (IDENTIFICATION_IDENTIFIER, PERSON_FAMILYNAME), then 7,989 rows of two
inline-string cells of 32,767 `A`s each (the most characters an Excel cell holds). openpyxl
writes strings as inline strings; the 524 MB of sheet XML deflate to about 1.1 MB. Read
naively, such a file gave a 1.3 GB report and 967 MiB peak memory.

    python3 scripts/make-long-cells.py [OUT]     # default /tmp/collectmaxx-long-cells.xlsx

The file is not committed (over 1 MB; deflate cannot get openpyxl's markup below that, see
docs/performance.md): tests/cli/long_values.rs builds the same sheet with rust_xlsxwriter.
Needs Python's openpyxl. Deterministic apart from the time stamps in docProps/core.xml.
"""
import os
import sys

from openpyxl import Workbook

ROWS = 7989
CHARS = 32767
HEADER = ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/collectmaxx-long-cells.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(HEADER)
    value = "A" * CHARS
    for _ in range(ROWS):
        ws.append([value, value])
    wb.save(out)
    print(out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
