#!/usr/bin/env python3
"""Writes fixtures/demo/export.csv: a realistic customer export with typical defects.

The file is committed; this script documents how it was made. Deterministic.
"""
import random

random.seed(20261122)
HEADER = ["IDENTIFICATION_IDENTIFIER", "PERSON_GIVENNAME", "PERSON_FAMILYNAME", "PERSON_GENDER",
          "PERSON_BIRTHDAY", "ADDRESS_STREET", "ADDRESS_HOUSENUMBER", "ADDRESS_ZIPCODE", "ADDRESS_CITY",
          "ADDRESS_COUNTRY", "CONTACT_PHONENUMBER", "CONTACT_PHONENUMBER_2", "CONTACT_EMAIL",
          "INVOICE_NUMBER", "INVOICE_DATE", "INVOICE_DUEDATE", "INVOICE_CURRENCY", "INVOICE_AMOUNT",
          "INVOICE_DESCRIPTION", "INVOICE_REFERENCE", "CONTROL_FLOWID", "Klantsegment"]
GIVEN = ["Jan", "Anna", "Pieter", "Sanne", "Mohamed", "Lotte", "Daan", "Fleur", "Bram", "Emma",
         "Thijs", "Noor", "Lars", "Julia", "Sem", "Eva", "Ruben", "Sophie", "Milan", "Lisa"]
FAMILY = ["de Vries", "Jansen", "van den Berg", "Bakker", "El Amrani", "Visser", "Smit", "Meijer",
          "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
          "Dekker", "Brouwer", "de Wit", "Dijkstra"]
STREETS = [("Kerkstraat", "Amsterdam", "1017 GC"), ("Dorpsstraat", "Utrecht", "3511 AB"),
           ("Stationsweg", "Rotterdam", "3011 AA"), ("Molenlaan", "Groningen", "9711 BB"),
           ("Schoolstraat", "Eindhoven", "5611 CC"), ("Beukenlaan", "Zwolle", "8011 DD")]

rows = []
for i in range(1, 61):
    g, f = GIVEN[i % 20], FAMILY[(i * 7) % 20]
    street, city, zipc = STREETS[i % 6]
    mob = "06%08d" % random.randint(10000000, 59999999)
    rows.append({
        "IDENTIFICATION_IDENTIFIER": "DEMO-2026-%04d" % i,
        "PERSON_GIVENNAME": g, "PERSON_FAMILYNAME": f,
        "PERSON_GENDER": "M" if i % 2 else "F",
        "PERSON_BIRTHDAY": "19%02d-%02d-%02d" % (50 + i % 45, 1 + i % 12, 1 + i % 28),
        "ADDRESS_STREET": street, "ADDRESS_HOUSENUMBER": str(1 + i * 3 % 120), "ADDRESS_ZIPCODE": zipc,
        "ADDRESS_CITY": city, "ADDRESS_COUNTRY": "NL",
        "CONTACT_PHONENUMBER": "+31" + mob[1:], "CONTACT_PHONENUMBER_2": "",
        "CONTACT_EMAIL": "%s.%s@example.nl" % (g.lower(), f.lower().replace(" ", "")),
        "INVOICE_NUMBER": "F2026-%05d" % (1000 + i), "INVOICE_DATE": "2026-11-%02d" % (1 + i % 20),
        "INVOICE_DUEDATE": "2027-01-%02d" % (1 + i % 28), "INVOICE_CURRENCY": "EUR",
        "INVOICE_AMOUNT": str(random.randint(1500, 250000)),
        "INVOICE_DESCRIPTION": "Energierekening november", "INVOICE_REFERENCE": "REF%06d" % (4000 + i),
        "CONTROL_FLOWID": "4711", "Klantsegment": random.choice(["A", "B", "C"]),
    })

def put(i, **kw):
    rows[i - 1].update(kw)

# Phones as exports really hold them.
put(2, CONTACT_PHONENUMBER="06-12345678")
put(3, CONTACT_PHONENUMBER="+31 (0)6 2345 6789")
put(4, CONTACT_PHONENUMBER="0031634567890")
put(5, CONTACT_PHONENUMBER="010-7989525", CONTACT_PHONENUMBER_2="06 45678901")
put(6, CONTACT_PHONENUMBER="31107989525")
put(7, CONTACT_PHONENUMBER="12345", CONTACT_PHONENUMBER_2="0612312312")
put(8, CONTACT_PHONENUMBER="06-1234567a")
put(9, CONTACT_PHONENUMBER="+32 471 90 49 99", ADDRESS_COUNTRY="BE")
put(10, CONTACT_PHONENUMBER="0612121212", CONTACT_PHONENUMBER_2="+31612121212")
put(11, CONTACT_PHONENUMBER="", CONTACT_PHONENUMBER_2="")
put(12, CONTACT_PHONENUMBER="06 – 87654321")
# Dates.
put(13, PERSON_BIRTHDAY="1-2-1980")
put(14, PERSON_BIRTHDAY="01/02/1980")
put(15, PERSON_BIRTHDAY="19800201")
put(16, PERSON_BIRTHDAY="1980-02-30")
put(17, PERSON_BIRTHDAY="31.12.1975")
put(18, INVOICE_DUEDATE="2025-10-01")
# Amounts. The column holds whole cents; a value with decimals (`125,00`) beside them would
# make the column's unit unknowable and the whole file would be refused (see docs/rules.md),
# so the defects here are ones a column of cents really has.
put(19, INVOICE_AMOUNT="n.v.t.")
put(20, INVOICE_AMOUNT="-500")
put(21, INVOICE_AMOUNT="0012500")
# Codes.
put(22, PERSON_GENDER="man")
put(23, PERSON_GENDER="vrouw")
put(24, PERSON_GENDER="f")
put(25, PERSON_GENDER="X")
put(26, ADDRESS_COUNTRY="nl")
put(27, ADDRESS_COUNTRY="NLD")
put(28, INVOICE_CURRENCY="eur")
put(29, INVOICE_CURRENCY="EURO")
# E-mail.
put(30, CONTACT_EMAIL="Jan Jansen <jan@example.nl>")
put(31, CONTACT_EMAIL="piet@@example.nl")
put(32, CONTACT_EMAIL="info@localhost")
put(33, CONTACT_EMAIL="  Sanne.Bakker@Example.NL ")
# Identifiers.
put(34, IDENTIFICATION_IDENTIFIER="")
put(36, IDENTIFICATION_IDENTIFIER="DEMO-2026-0035")
# Text.
put(37, PERSON_FAMILYNAME="  van der   Berg ", PERSON_GIVENNAME="\tKees")
put(38, INVOICE_DESCRIPTION="Energierekening november\nmet correctie oktober")
put(39, INVOICE_DESCRIPTION="Afrekening " + "x" * 250)
put(40, INVOICE_DESCRIPTION="Energierekening november 2026 inclusief netbeheerkosten")
put(41, PERSON_FAMILYNAME="")
put(42, PERSON_FAMILYNAME='=HYPERLINK("http://example.com","klik")')
put(43, PERSON_FAMILYNAME="Mu\u0308ller")  # decomposed umlaut: NFC fix
put(44, CONTROL_FLOWID="CAMPAIGN-2026-11")

with open("fixtures/demo/export.csv", "w", encoding="utf-8", newline="") as out:
    def line(values):
        def q(v):
            return '"' + v.replace('"', '""') + '"' if any(c in v for c in ';"\n\t') or v.startswith(" ") else v
        out.write(";".join(q(v) for v in values) + "\r\n")
    line(HEADER)
    for n, r in enumerate(rows, 1):
        line([r[h] for h in HEADER])
        if n == 45:
            out.write(";" * (len(HEADER) - 1) + "\r\n")  # a blank row
        if n == 50:
            out.write("DEMO-2026-9999;Ragged;Row;M\r\n")  # a row cut short
