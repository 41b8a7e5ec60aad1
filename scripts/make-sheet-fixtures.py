#!/usr/bin/env python3
"""Writes the spreadsheet and XML fixtures under fixtures/sheets/.

The files are committed: tests never need LibreOffice. This script documents how they were
made and remakes them (needs `soffice`, Debian's libreoffice-calc). Deterministic apart from
the timestamps LibreOffice puts inside the workbooks.

- customers.csv: 20 clean Dutch/Belgian customer rows, delivery field names as headers.
- customers.xlsx/.xls/.ods: LibreOffice's import of customers.csv, with phones imported as
  text (as a careful operator would), dates as real date cells, numbers as number cells.
- customers.xml: the same records in the XML format, written in several of its accepted
  forms (repeated and numbered elements, mixed case) to exercise the reader.
- typed.fods: a flat OpenDocument sheet written here with typed cells (title on row 1,
  header on row 3, date and date-time cells, phones typed as numbers, formulas with cached
  values, =NA(), a boolean, a fractional amount, a float artefact);
  typed.xlsx/.xls/.ods are LibreOffice's conversions of it.
- customers.xlsm: the same import saved as a macro-enabled workbook (LibreOffice's "Calc MS
  Excel 2007 VBA XML" filter): its main part has the .xlsm content type. `--xlsm` remakes only
  this file.
- demo.xlsx/.xls/.ods: LibreOffice's import of fixtures/demo/export.csv with its default
  type detection, as an operator who opens the export in a spreadsheet and saves it.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "sheets")

HEADER = ["IDENTIFICATION_IDENTIFIER", "PERSON_GIVENNAME", "PERSON_FAMILYNAME", "PERSON_GENDER",
          "PERSON_BIRTHDAY", "ADDRESS_STREET", "ADDRESS_HOUSENUMBER", "ADDRESS_ZIPCODE",
          "ADDRESS_CITY", "ADDRESS_COUNTRY", "CONTACT_PHONENUMBER_1", "CONTACT_PHONENUMBER_2",
          "CONTACT_EMAIL_1", "INVOICE_NUMBER", "INVOICE_DATE", "INVOICE_DUEDATE",
          "INVOICE_CURRENCY", "INVOICE_AMOUNT", "INVOICE_DESCRIPTION",
          "INVOICELINES_1_DESCRIPTION", "INVOICELINES_1_UNITPRICE",
          "INVOICELINES_2_DESCRIPTION", "INVOICELINES_2_UNITPRICE", "CONTROL_FLOWID"]
PEOPLE = [("Anna", "de Vries", "F"), ("Pieter", "Jansen", "M"), ("Sanne", "van den Berg", "F"),
          ("Mohamed", "El Amrani", "M"), ("Lotte", "Bakker", "F"), ("Daan", "Visser", "M"),
          ("Fleur", "Smit", "F"), ("Bram", "Meijer", "M"), ("Emma", "de Boer", "F"),
          ("Thijs", "Mulder", "M"), ("Noor", "Peeters", "F"), ("Lars", "Janssens", "M"),
          ("Julia", "Maes", "F"), ("Sem", "d'Hondt", "M"), ("Eva", "Willems", "F"),
          ("Ruben", "Claes", "M"), ("Sophie", "Goossens", "F"), ("Milan", "Wouters", "M"),
          ("Lisa", "Müller", "F"), ("Jan", "Dekker", "M")]
NL_STREETS = [("Kerkstraat", "1017 GC", "Amsterdam"), ("Dorpsstraat", "3511 AB", "Utrecht"),
              ("Stationsweg", "3011 AA", "Rotterdam"), ("Molenlaan", "9711 BB", "Groningen")]
BE_STREETS = [("Meir", "2000", "Antwerpen"), ("Veldstraat", "9000", "Gent"),
              ("Rue Neuve", "1000", "Bruxelles")]
CSV_FORMATS = "5/5/11/2/12/2/15/5/16/5"  # column/format: 5 = date Y-M-D, 2 = text


def customers():
    rows = []
    for i, (given, family, gender) in enumerate(PEOPLE, start=1):
        belgian = i > 10
        street, zipc, city = (BE_STREETS[i % 3] if belgian else NL_STREETS[i % 4])
        if belgian:
            phone = "+32470%06d" % (123000 + i * 17)
            phone2 = "" if i % 3 else "+323%07d" % (2400000 + i)
        else:
            phone = ("06%08d" % (12345600 + i * 31)) if i % 2 else "+316%08d" % (23456700 + i)
            phone2 = "" if i % 4 else "020%07d" % (1234500 + i)
        lines = i % 3
        rows.append({
            "IDENTIFICATION_IDENTIFIER": "K-%04d" % (1000 + i),
            "PERSON_GIVENNAME": given, "PERSON_FAMILYNAME": family, "PERSON_GENDER": gender,
            "PERSON_BIRTHDAY": "19%02d-%02d-%02d" % (50 + i * 2, 1 + i % 12, 1 + (i * 3) % 28),
            "ADDRESS_STREET": street, "ADDRESS_HOUSENUMBER": str(1 + i * 7 % 150),
            "ADDRESS_ZIPCODE": zipc, "ADDRESS_CITY": city,
            "ADDRESS_COUNTRY": "BE" if belgian else "NL",
            "CONTACT_PHONENUMBER_1": phone, "CONTACT_PHONENUMBER_2": phone2,
            "CONTACT_EMAIL_1": "%s.%s@example.%s" % (
                given.lower(), family.lower().replace(" ", "").replace("'", "").replace("ü", "u"),
                "be" if belgian else "nl"),
            "INVOICE_NUMBER": "F2026-%05d" % (2000 + i),
            "INVOICE_DATE": "2026-10-%02d" % (1 + i),
            "INVOICE_DUEDATE": "2026-11-%02d" % (1 + i),
            "INVOICE_CURRENCY": "EUR",
            "INVOICE_AMOUNT": str(1995 + i * 1234),
            "INVOICE_DESCRIPTION": "Gas & licht, oktober" if i % 2 else "Abonnement <basis>",
            "INVOICELINES_1_DESCRIPTION": "Levering" if lines else "",
            "INVOICELINES_1_UNITPRICE": str(1000 + i * 100) if lines else "",
            "INVOICELINES_2_DESCRIPTION": "Vastrecht" if lines == 2 else "",
            "INVOICELINES_2_UNITPRICE": "995" if lines == 2 else "",
            "CONTROL_FLOWID": "4711",
        })
    return rows


def write_csv(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_xml(rows, path):
    """The same records as XML, in the several forms the reader accepts."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<annabel>"]
    for i, r in enumerate(rows):
        def el(name, field):
            v = r[field]
            return "<%s>%s</%s>" % (name, escape(v), name) if v else ""
        person = "Person" if i % 5 == 0 else "person"  # element names in any case
        out.append("  <record>")
        out.append("    <identification>%s</identification>" % el("identifier", "IDENTIFICATION_IDENTIFIER"))
        out.append("    <%s>%s%s%s%s</%s>" % (person, el("givenname", "PERSON_GIVENNAME"),
                   el("familyname", "PERSON_FAMILYNAME"), el("gender", "PERSON_GENDER"),
                   el("birthday", "PERSON_BIRTHDAY"), person))
        out.append("    <address>%s%s%s%s%s</address>" % tuple(
            el(n, "ADDRESS_" + n.upper()) for n in ["street", "housenumber", "zipcode", "city", "country"]))
        if i % 2:  # repeated elements, numbered in order
            phones = "".join(el("phonenumber", "CONTACT_PHONENUMBER_%d" % k) for k in (1, 2))
            mails = el("email", "CONTACT_EMAIL_1")
        else:  # numbered elements
            phones = "".join(el("phonenumber_%d" % k, "CONTACT_PHONENUMBER_%d" % k) for k in (1, 2))
            mails = el("email_1", "CONTACT_EMAIL_1")
        out.append("    <contact>%s%s</contact>" % (phones, mails))
        out.append("    <invoice>%s</invoice>" % "".join(
            el(n, "INVOICE_" + n.upper()) for n in ["number", "date", "duedate", "currency", "amount", "description"]))
        for k in (1, 2):
            desc, price = "INVOICELINES_%d_DESCRIPTION" % k, "INVOICELINES_%d_UNITPRICE" % k
            if r[desc] or r[price]:
                name = "invoicelines" if i % 2 else "invoicelines_%d" % k
                out.append("    <%s>%s%s</%s>" % (name, el("description", desc), el("unitprice", price), name))
        out.append("    <control>%s</control>" % el("flowid", "CONTROL_FLOWID"))
        out.append("  </record>")
    out.append("</annabel>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def cell(kind, value, text=None, formula=None, style=None):
    attrs = []
    if style:
        attrs.append('table:style-name="%s"' % style)
    if formula:
        attrs.append('table:formula="%s"' % escape(formula, {'"': "&quot;"}))
    if kind == "string":
        attrs.append('office:value-type="string"')
    elif kind == "float":
        attrs.append('office:value-type="float" office:value="%s"' % value)
    elif kind == "date":
        attrs.append('office:value-type="date" office:date-value="%s"' % value)
    elif kind == "boolean":
        attrs.append('office:value-type="boolean" office:boolean-value="%s"' % value)
    shown = text if text is not None else value
    return "<table:table-cell %s><text:p>%s</text:p></table:table-cell>" % (" ".join(attrs), escape(str(shown)))


def write_fods(path):
    header = ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME", "PERSON_BIRTHDAY",
              "CONTACT_PHONENUMBER_1", "INVOICE_DATE", "INVOICE_DUEDATE", "INVOICE_AMOUNT",
              "INVOICE_REFERENCE", "SERVICES_ENRICHMENT", "INVOICE_CURRENCY", "CONTROL_FLOWID"]
    due = lambda r: cell("date", "2024-01-%02d" % (15 + r - 4 + 14), formula="of:=[.E%d]+14" % r, style="date")
    rows = [
        # row 4: all well typed; phone typed as a number with its country code
        [cell("string", "T-001"), cell("string", "Jansen"), cell("date", "1980-05-17", style="date"),
         cell("float", "31612345678"), cell("date", "2024-01-15", style="date"), due(4),
         cell("float", "1250"), cell("string", "INV-001"), cell("boolean", "true", "TRUE", style="bool"),
         cell("string", "EUR"), cell("float", "4711")],
        # row 5: a date-time birthday, a national phone whose 0 was dropped, a fractional amount
        [cell("string", "T-002"), cell("string", "de Vries"),
         cell("date", "1975-11-02T08:30:00", "1975-11-02 08:30", style="datetime"),
         cell("float", "612345678"), cell("date", "2024-01-16", style="date"), due(5),
         cell("float", "12.5"), cell("string", "INV-002"), cell("boolean", "false", "FALSE", style="bool"),
         cell("string", "EUR"), cell("float", "4711")],
        # row 6: an error cell, a phone as text, a float artefact that shows as 7
        [cell("string", "T-003"), cell("string", "Peeters"),
         cell("string", "", "#N/A", formula="of:=NA()"),
         cell("string", "+32470123456"), cell("date", "2024-01-17", style="date"), due(6),
         cell("float", "7.000000000000001", "7"), cell("string", "INV-003"),
         cell("boolean", "true", "TRUE", style="bool"), cell("string", "EUR"), cell("float", "4711")],
        # row 7: a text formula, a date cell in a text field
        [cell("string", "T-004"),
         cell("string", "Bakker-Smit", formula='of:=CONCATENATE("Bakker";"-";"Smit")'),
         cell("date", "1990-02-28", style="date"), cell("float", "31687654321"),
         cell("date", "2024-01-18", style="date"), due(7), cell("float", "99950"),
         cell("date", "2024-01-20", style="date"), cell("boolean", "false", "FALSE", style="bool"),
         cell("string", "EUR"), cell("float", "4711")],
    ]
    body = ['<table:table-row>%s</table:table-row>' % cell("string", "Debiteuren januari 2024"),
            '<table:table-row><table:table-cell/></table:table-row>',
            '<table:table-row>%s</table:table-row>' % "".join(cell("string", h) for h in header)]
    body += ['<table:table-row>%s</table:table-row>' % "".join(r) for r in rows]
    doc = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
 <number:date-style style:name="N2"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:date-style>
 <number:boolean-style style:name="N3"><number:boolean/></number:boolean-style>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/>
 <style:style style:name="bool" style:family="table-cell" style:data-style-name="N3"/>
 <style:style style:name="datetime" style:family="table-cell" style:data-style-name="N2"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Debiteuren">
%s
</table:table></office:spreadsheet></office:body></office:document>
""" % "\n".join(body)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)


def convert(src, fmt, dest, infilter=None):
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as tmp:
        cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless"]
        if infilter:
            cmd.append("--infilter=" + infilter)
        cmd += ["--convert-to", fmt, "--outdir", tmp, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        made = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + fmt.split(":")[0])
        shutil.copyfile(made, dest)


def patch_zip(path, member, old, new):
    """Rewrites one part of a workbook (a zip), failing loudly if `old` is not there once."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path + ".tmp", "w") as z:
        for info, data in parts:
            if info.filename == member:
                if data.count(old) != 1:
                    sys.exit("patch of %s:%s failed: %r found %d times" % (path, member, old, data.count(old)))
                data = data.replace(old, new)
            z.writestr(info, data, compress_type=info.compress_type)
    os.replace(path + ".tmp", path)


def add_float_artefacts():
    """LibreOffice writes numbers to .xlsx and .ods with 15 significant digits, so the float
    artefact of row 6 (7.000000000000001) comes out as 7. Excel writes 17 digits; put the value
    back as Excel would write it. (.xls stores the binary double and keeps it as it is.)"""
    patch_zip(os.path.join(OUT, "typed.xlsx"), "xl/worksheets/sheet1.xml",
              b'<c r="G6" s="0" t="n"><v>7</v>', b'<c r="G6" s="0" t="n"><v>7.0000000000000009</v>')
    patch_zip(os.path.join(OUT, "typed.ods"), "content.xml",
              b'office:value="7" calcext:value-type="float"><text:p>7</text:p>',
              b'office:value="7.0000000000000009" calcext:value-type="float"><text:p>7</text:p>')


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    os.makedirs(OUT, exist_ok=True)
    demo = os.path.join(ROOT, "fixtures", "demo", "export.csv")
    if sys.argv[1:] == ["--demo"]:
        # Only the demo conversions, after scripts/make-demo.py changed the export.
        for ext in ["xlsx", "xls", "ods"]:
            convert(demo, ext, os.path.join(OUT, "demo." + ext), "CSV:59,34,76,1")
        print("demo fixtures written to", OUT)
        return
    csv_filter = "CSV:44,34,76,1," + CSV_FORMATS
    xlsm = ("xlsm:Calc MS Excel 2007 VBA XML", os.path.join(OUT, "customers.xlsm"))
    if sys.argv[1:] == ["--xlsm"]:
        convert(os.path.join(OUT, "customers.csv"), xlsm[0], xlsm[1], csv_filter)
        print("customers.xlsm written to", OUT)
        return
    rows = customers()
    write_csv(rows, os.path.join(OUT, "customers.csv"))
    write_xml(rows, os.path.join(OUT, "customers.xml"))
    write_fods(os.path.join(OUT, "typed.fods"))
    for ext in ["xlsx", "xls", "ods"]:
        convert(os.path.join(OUT, "customers.csv"), ext, os.path.join(OUT, "customers." + ext), csv_filter)
        convert(os.path.join(OUT, "typed.fods"), ext, os.path.join(OUT, "typed." + ext))
    convert(os.path.join(OUT, "customers.csv"), xlsm[0], xlsm[1], csv_filter)
    add_float_artefacts()
    if os.path.exists(demo):
        for ext in ["xlsx", "xls", "ods"]:
            convert(demo, ext, os.path.join(OUT, "demo." + ext), "CSV:59,34,76,1")
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
