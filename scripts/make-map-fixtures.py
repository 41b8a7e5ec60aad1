#!/usr/bin/env python3
"""Makes the exports `collectmaxx map` is measured on (issue 14): fixtures/map/tuning/* (eight,
used while tuning the recogniser) and fixtures/map/heldout/* (five, never tuned on).

Each export is in the style of a real system's export (its header spellings, delimiter, date
and amount style), with 12 fictitious debtors. Beside each export:
  truth.json            what each column should become (the expected profile, column by column)
                        and the identifier template a user would confirm
  expected-profile.toml the confirmed profile (what `map --out` plus the user's --accept gives)
  expected-delivery.csv the values convert must deliver with that profile (run date 2025-03-14)

Deterministic: random.Random(seed) per export, no clock. Needs openpyxl and, for .ods,
LibreOffice (`soffice --headless --convert-to ods`). Run: python3 scripts/make-map-fixtures.py
"""
import csv, datetime, json, os, random, shutil, subprocess, sys, tempfile

import openpyxl

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "map")
RUN = datetime.date(2025, 3, 14)

GIVEN = ["Jan", "Pieter", "Sanne", "Fatima", "Mohamed", "Lotte", "Daan", "Emma", "Kees", "Anouk", "Willem", "Noor"]
FAMILY = [("", "Jansen"), ("de", "Vries"), ("van den", "Heuvel"), ("van der", "Berg"), ("", "Bakker"), ("van", "Dijk"),
          ("", "Visser"), ("van 't", "Hek"), ("ter", "Horst"), ("", "El Amrani"), ("", "Ek"), ("in 't", "Veld")]
ADDRESSES = [("Dorpstraat", "18", "a"), ("Laan van Meerdervoort", "1024", "B"), ("Postbus", "12", ""), ("Plein 1813", "4", ""),
             ("Burgemeester de Withstraat", "7", "bis"), ("Kerkweg", "3", "hs"), ("Oranjestraat", "12", "III"),
             ("Haagweg", "4", "F12"), ("Spoorlaan", "100", "A"), ("Rederijweg", "59", ""), ("Kerkstraat", "20", ""), ("Molenweg", "5", "")]
PLACES = [("1012 AB", "Amsterdam"), ("2514 GL", "'s-Gravenhage"), ("3511 AX", "Utrecht"), ("4906 CX", "Oosterhout"),
          ("9711 LM", "Groningen"), ("6211 CK", "Maastricht")]
MOBILES = ["06-12345678", "06 23456789", "+31 6 3456 7890", "0031645678901"]
MOBILE_E164 = ["31612345678", "31623456789", "31634567890", "31645678901"]
DESCRIPTIONS = ["Onderhoud", "Abonnement", "Levering", "Reparatie"]


def records(seed):
    rng = random.Random(seed)
    out = []
    for i in range(12):
        prefix, family = FAMILY[i]
        street, number, ext = ADDRESSES[i]
        zipc, city = PLACES[rng.randrange(len(PLACES))]
        m = rng.randrange(len(MOBILES))
        invdate = RUN - datetime.timedelta(days=rng.randrange(20, 90))
        cents = rng.randrange(1200, 480000)
        out.append(dict(
            debnr=f"D{seed:03d}{i + 1:02d}", given=GIVEN[i], prefix=prefix, family=family,
            gender=rng.choice(["M", "F"]), street=street, number=number, ext=ext, zip=zipc, city=city,
            phone=MOBILES[m], phone_e164=MOBILE_E164[m], email=f"{GIVEN[i].lower()}.{seed}{i}@voorbeeld.nl",
            invnr=f"F{seed:03d}{i + 1:04d}", invdate=invdate, duedate=invdate + datetime.timedelta(days=30),
            cents=cents, description=f"{rng.choice(DESCRIPTIONS)} {i + 1}",
            iban="NL91ABNA0417164300", kvk=f"{rng.randrange(10000000, 99999999)}",
        ))
    return out


def euro(cents, comma=True, thousands=True):
    whole, frac = divmod(cents, 100)
    w = f"{whole:,}" if thousands else str(whole)
    return (w.replace(",", ".") + f",{frac:02d}") if comma else (w + f".{frac:02d}")


def full_family(r):
    return f"{r['prefix']} {r['family']}".strip()


# Column kinds: (what the export holds, what the column should become, the fields it delivers).
def kind(name, r, style):
    d, dates = r, style.get("dates", "dmy")
    fmt = (lambda x: x.strftime("%d-%m-%Y")) if dates == "dmy" else (lambda x: x.isoformat())
    if style.get("cells"):
        fmt = lambda x: x  # spreadsheet date cells
    amount = (lambda c: c / 100) if style.get("cells") else (lambda c: euro(c, style.get("comma", True), style.get("thousands", True)))
    g_mv = {"M": "M", "F": "V"}
    g_title = {"M": "Dhr.", "F": "Mevr."}
    table = {
        "debnr": (d["debnr"], "PERSON_IDENTIFIER", {"PERSON_IDENTIFIER": d["debnr"]}),
        "given": (d["given"], "PERSON_GIVENNAME", {"PERSON_GIVENNAME": d["given"]}),
        "prefix": (d["prefix"], "join:PERSON_FAMILYNAME:1", {}),
        "family": (d["family"], "join:PERSON_FAMILYNAME:2", {"PERSON_FAMILYNAME": full_family(d)}),
        "family_sorted": (f"{d['family']}, {d['prefix']}" if d["prefix"] else d["family"], "PERSON_FAMILYNAME", {"PERSON_FAMILYNAME": full_family(d)}),
        "gender_mv": (g_mv[d["gender"]], "PERSON_GENDER", {"PERSON_GENDER": d["gender"]}),
        "gender_title": (g_title[d["gender"]], "PERSON_GENDER", {"PERSON_GENDER": d["gender"]}),
        "street": (d["street"], "ADDRESS_STREET", {"ADDRESS_STREET": d["street"]}),
        "number": (int(d["number"]) if style.get("cells") else d["number"], "ADDRESS_HOUSENUMBER", {"ADDRESS_HOUSENUMBER": d["number"]}),
        "ext": (d["ext"], "ADDRESS_EXTENSION", {"ADDRESS_EXTENSION": d["ext"]}),
        "address": (f"{d['street']} {d['number']}{'-' if d['ext'] == 'B' else ('' if len(d['ext']) == 1 else ' ')}{d['ext']}".strip(), "split:address",
                    {"ADDRESS_STREET": d["street"], "ADDRESS_HOUSENUMBER": d["number"], "ADDRESS_EXTENSION": d["ext"]}),
        "zip": (d["zip"], "ADDRESS_ZIPCODE", {"ADDRESS_ZIPCODE": d["zip"]}),
        "city": (d["city"], "ADDRESS_CITY", {"ADDRESS_CITY": d["city"]}),
        "zipcity": (f"{d['zip']}  {d['city']}", "split:zipcode_city", {"ADDRESS_ZIPCODE": d["zip"], "ADDRESS_CITY": d["city"]}),
        "country": ("NL", "ADDRESS_COUNTRY", {"ADDRESS_COUNTRY": "NL"}),
        "country_name": (d.get("country_name", "Nederland"), "ADDRESS_COUNTRY", {"ADDRESS_COUNTRY": d.get("iso", "NL")}),
        "country_afas": (d.get("afas", "NL"), "ADDRESS_COUNTRY", {"ADDRESS_COUNTRY": d.get("iso", "NL")}),
        "phone": (d["phone"], "CONTACT_PHONENUMBER_1", {"CONTACT_PHONENUMBER_1": d["phone_e164"]}),
        "email": (d["email"], "CONTACT_EMAIL_1", {"CONTACT_EMAIL_1": d["email"]}),
        "invnr": (d["invnr"], "INVOICE_NUMBER + INVOICE_REFERENCE", {"INVOICE_NUMBER": d["invnr"], "INVOICE_REFERENCE": d["invnr"]}),
        "invdate": (fmt(d["invdate"]), "INVOICE_DATE", {"INVOICE_DATE": d["invdate"].isoformat()}),
        "duedate": (fmt(d["duedate"]), "INVOICE_DUEDATE", {"INVOICE_DUEDATE": d["duedate"].isoformat()}),
        "amount": (amount(d["cents"]), "INVOICE_AMOUNT", {"INVOICE_AMOUNT": str(d["cents"])}),
        "original": (amount(d["cents"] + 1000), "none", {}),
        "description": (d["description"], "INVOICE_DESCRIPTION", {"INVOICE_DESCRIPTION": d["description"]}),
        "currency": ("EUR", "INVOICE_CURRENCY", {"INVOICE_CURRENCY": "EUR"}),
        "description_plain": (d["description"], "INVOICE_DESCRIPTION", {"INVOICE_DESCRIPTION": d["description"]}),
        "iban": (d["iban"], "none", {}),
        "kvk": (d["kvk"], "none", {}),
        "second_zip": ("4906 CX", "none", {}),
        "second_city": ("Oosterhout", "none", {}),
        "second_street": ("Industrieweg 1", "none", {}),
        "created": (fmt(RUN - datetime.timedelta(days=400)), "none", {}),
        "segment": ("Zakelijk", "none", {}),
    }
    return table[name]


# name, seed, file, style, [(header, kind)]
TUNING = [
    ("t1-exact-openstaande-posten", 1, "csv;", {"bom": True}, [
        ("Debiteurcode", "debnr"), ("FactuurAdres1", "address"), ("FactuurPostcode", "zip"), ("FactuurPlaats", "city"),
        ("FactuurLand", "country"), ("BezoekAdres1", "second_street"), ("BezoekPostcode", "second_zip"), ("BezoekPlaats", "second_city"),
        ("Telefoon", "phone"), ("E-Mail", "email"), ("Factuurnummer", "invnr"), ("Factuurdatum", "invdate"), ("Vervaldatum", "duedate"),
        ("Omschrijving factuur", "description"), ("Openstaand", "amount"), ("Valuta Code", "currency"), ("KvK-nummer", "kvk")]),
    ("t2-afas-debiteuren", 2, "xlsx", {"cells": True}, [
        ("Nummer debiteur", "debnr"), ("Voornaam", "given"), ("Voorvoegsel", "prefix"), ("Achternaam", "family"), ("Geslacht", "gender_mv"),
        ("Straat", "street"), ("Huisnummer", "number"), ("Toev. aan huisnr.", "ext"), ("Postcode", "zip"), ("Woonplaats", "city"),
        ("Land", "country"), ("Mobiel privé", "phone"), ("E-mail werk", "email"), ("IBAN-nummer", "iban"), ("Factuurnummer", "invnr"),
        ("Openstaand bedrag", "amount"), ("Vervaldatum", "duedate")]),
    ("t3-snelstart-relaties", 3, "csv,", {"dates": "iso", "comma": False, "thousands": False}, [
        ("Relatiecode", "debnr"), ("Naam", "family_sorted"), ("Straat", "address"), ("Postcode", "zip"), ("Plaats", "city"),
        ("Land", "country_name"), ("Telefoon", "phone"), ("Email", "email"), ("invoiceNumber", "invnr"), ("invoiceDate", "invdate"),
        ("dueDate", "duedate"), ("openstaandSaldo", "amount")]),
    ("t4-moneybird-api", 4, "csv,", {"dates": "iso", "comma": False, "thousands": False}, [
        ("customer_id", "debnr"), ("firstname", "given"), ("lastname", "family_sorted"), ("address1", "address"), ("zipcode", "zip"),
        ("city", "city"), ("country", "country"), ("phone", "phone"), ("email", "email"), ("invoice_id", "invnr"), ("invoice_date", "invdate"),
        ("due_date", "duedate"), ("total_unpaid", "amount"), ("currency", "currency")]),
    ("t5-eboekhouden", 5, "csv;", {}, [
        ("Code", "debnr"), ("Aanhef", "gender_title"), ("Voornaam", "given"), ("Tussenvoegsel", "prefix"), ("Achternaam", "family"),
        ("Adres", "address"), ("Postcode", "zip"), ("Plaats", "city"), ("Adres2", "second_street"), ("Postcode2", "second_zip"),
        ("Plaats2", "second_city"), ("Telefoon", "phone"), ("Email", "email"), ("Factuurnummer", "invnr"), ("Datum", "invdate"),
        ("Vervaldatum", "duedate"), ("Saldo", "amount")]),
    ("t6-business-central", 6, "xlsx", {"cells": True}, [
        ("Customer No.", "debnr"), ("Bill-to Name", "family_sorted"), ("Address", "address"), ("Post Code", "zip"), ("City", "city"),
        ("Country/Region Code", "country"), ("Phone No.", "phone"), ("E-Mail", "email"), ("Document No.", "invnr"),
        ("Document Date", "invdate"), ("Due Date", "duedate"), ("Remaining Amount", "amount"), ("Currency Code", "currency"),
        ("Ship-to Address", "second_street"), ("Ship-to City", "second_city")]),
    ("t7-incassobureau", 7, "ods", {"cells": True}, [
        ("Factuurnummer", "invnr"), ("Dossiernummer", "segment"), ("Debiteurnummer", "debnr"), ("Titel", "gender_title"), ("Voornaam", "given"), ("Achternaam", "family_sorted"),
        ("Adresregel 1", "address"), ("Adresregel 3", "zipcity"), ("Mobiel", "phone"), ("E-mailadres", "email"),
        ("Vordering", "original"), ("Openstaand bedrag", "amount"), ("Vervaldatum", "duedate"), ("Omschrijving factuur", "description")]),
    ("t8-twinfield-browse", 8, "csv;", {}, [
        ("Debiteur", "debnr"), ("Naam", "family_sorted"), ("Factuurnr.", "invnr"), ("Factuurdatum", "invdate"), ("Vervaldatum", "duedate"),
        ("Openstaand bedrag", "amount"), ("Valuta", "currency"), ("Postcode", "zip"), ("Woonplaats", "city"), ("Telefoonnummer", "phone"),
        ("E-mailadres", "email"), ("Segment", "segment")]),
    # An Exact/Twinfield style "openstaande posten" report saved as xlsx: two title rows and a
    # blank row above the header (row 4), a totals row below the data.
    ("t9-exact-rapport-xlsx", 9, "xlsx", {"cells": True, "titles": ["Openstaande posten debiteuren", "Datum: 14-03-2025"], "totals": True}, [
        ("Debiteurcode", "debnr"), ("Naam", "family_sorted"), ("Factuurnummer", "invnr"), ("Factuurdatum", "invdate"),
        ("Vervaldatum", "duedate"), ("Omschrijving", "description"), ("Origineel bedrag", "original"), ("Openstaand", "amount"),
        ("Valuta", "currency"), ("Postcode", "zip"), ("Plaats", "city"), ("E-mail", "email")]),
    # A SnelStart / e-Boekhouden style export saved by Excel on Windows: `;`, Windows-1252, names
    # and places with é, ë, ü, a Belgian debtor in Liège with the country written "België".
    ("t10-snelstart-windows-1252", 10, "csv;", {"encoding": "cp1252", "accents": True}, [
        ("Relatiecode", "debnr"), ("Voornaam", "given"), ("Achternaam", "family_sorted"), ("Adres", "address"), ("Postcode", "zip"),
        ("Plaats", "city"), ("Land", "country_name"), ("Telefoon", "phone"), ("E-mail", "email"), ("Factuurnummer", "invnr"),
        ("Factuurdatum", "invdate"), ("Vervaldatum", "duedate"), ("Openstaand saldo", "amount"), ("Omschrijving", "description")]),
    # AFAS Profit debtors with AFAS's country codes: NL, and the one-letter vehicle codes B and D.
    ("t11-afas-landcodes", 11, "csv;", {"abroad": True}, [
        ("Nummer debiteur", "debnr"), ("Voornaam", "given"), ("Voorvoegsel", "prefix"), ("Achternaam", "family"), ("Straat", "street"),
        ("Huisnummer", "number"), ("Toev. aan huisnr.", "ext"), ("Postcode", "zip"), ("Woonplaats", "city"), ("Land", "country_afas"),
        ("Mobiel privé", "phone"), ("E-mail privé", "email"), ("Factuurnummer", "invnr"), ("Factuurdatum", "invdate"),
        ("Vervaldatum", "duedate"), ("Openstaand bedrag", "amount"), ("Valuta", "currency")]),
]

# Debtors abroad (style "abroad"): row index → AFAS code, ISO code, postcode, city.
ABROAD = {2: ("B", "BE", "9000", "Gent"), 6: ("B", "BE", "2000", "Antwerpen"), 9: ("D", "DE", "47533", "Kleve")}
# Style "accents": given and family names and a Belgian city with é, ë, ü, ï.
ACCENTED_GIVEN = ["René", "Zoë", "Jürgen", "Anaïs", "Hélène", "Noël", "Daniël", "Chloé", "Jérôme", "Joël", "Michaël", "Loïs"]
ACCENTED_FAMILY = {0: ("", "Müller"), 4: ("", "Brouwër"), 10: ("", "Hüsken")}

HELDOUT = [
    ("h1-unit4-multivers", 101, "csv;", {}, [
        ("customerId", "debnr"), ("name", "family_sorted"), ("street", "address"), ("postalCode", "zip"), ("city", "city"),
        ("countryId", "country"), ("telephone", "phone"), ("emailAddress", "email"), ("invoiceId", "invnr"), ("invoiceDate", "invdate"),
        ("dueDate", "duedate"), ("remainingAmount", "amount"), ("currencyId", "currency")]),
    ("h2-sap-business-one", 102, "xlsx", {"cells": True}, [
        ("CardCode", "debnr"), ("CardName", "family_sorted"), ("Address", "address"), ("ZipCode", "zip"), ("City", "city"),
        ("Country", "country"), ("Cellular", "phone"), ("E_Mail", "email"), ("DocNum", "invnr"), ("DocDate", "invdate"),
        ("DocDueDate", "duedate"), ("OpenAmount", "amount"), ("DocCur", "currency")]),
    ("h3-webxpress-relaties", 103, "csv;", {}, [
        ("Relatiecode", "debnr"), ("Titel", "gender_title"), ("Voorletters", "given"), ("Tussenvoegsel", "prefix"), ("Achternaam", "family"),
        ("Adres", "street"), ("Huisnummer", "number"), ("Toevoeging", "ext"), ("Postcode", "zip"), ("Woonplaats", "city"),
        ("Telefoonnummer", "phone"), ("Emailadres", "email"), ("Factuurnummer", "invnr"), ("Factuurdatum", "invdate"),
        ("Uiterste betaaldatum", "duedate"), ("Nog te betalen", "amount"), ("Aangemaakt op", "created")]),
    ("h4-nmbrs-families", 104, "csv,", {"dates": "iso", "comma": False, "thousands": False}, [
        ("Klantnummer", "debnr"), ("Voornaam", "given"), ("Achternaam", "family_sorted"), ("FactuurAdres", "address"),
        ("FactuurPostcode", "zip"), ("FactuurPlaats", "city"), ("PostAdres", "second_street"), ("PostPostcode", "second_zip"),
        ("PostPlaats", "second_city"), ("Mobiel", "phone"), ("FactuurEmailadres", "email"), ("Factuurnummer", "invnr"),
        ("Vervaldatum", "duedate"), ("Openstaand", "amount")]),
    ("h5-english-ar-aging", 105, "ods", {"cells": True}, [
        ("Account Code", "debnr"), ("First Name", "given"), ("Last Name", "family_sorted"), ("Address Line 1", "address"),
        ("Postal Code", "zip"), ("Town", "city"), ("Mobile", "phone"), ("Email Address", "email"), ("Invoice Number", "invnr"),
        ("Invoice Date", "invdate"), ("Due Date", "duedate"), ("Amount Due", "amount"), ("Original Amount", "original")]),
]

ORDER = ["IDENTIFICATION_IDENTIFIER", "PERSON_FAMILYNAME", "PERSON_GIVENNAME", "PERSON_GENDER", "PERSON_BIRTHDAY", "PERSON_IDENTIFIER",
         "PERSON_HONORIFICPREFIX", "PERSON_HONORIFICSUFFIX", "ADDRESS_STREET", "ADDRESS_HOUSENUMBER", "ADDRESS_EXTENSION",
         "ADDRESS_ZIPCODE", "ADDRESS_CITY", "ADDRESS_COUNTRY", "CONTACT_PHONENUMBER_1", "CONTACT_EMAIL_1", "INVOICE_NUMBER",
         "INVOICE_DATE", "INVOICE_DUEDATE", "INVOICE_CURRENCY", "INVOICE_AMOUNT", "INVOICE_TAX", "INVOICE_DESCRIPTION", "INVOICE_REFERENCE"]


def make(set_name, name, seed, file, style, columns):
    d = os.path.join(ROOT, set_name, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    recs = records(seed)
    for i, r in enumerate(recs):
        if style.get("abroad") and i in ABROAD:
            r["afas"], r["iso"], r["zip"], r["city"] = ABROAD[i]
        if style.get("accents"):
            r["given"] = ACCENTED_GIVEN[i]
            r["email"] = f"debiteur.{seed}{i}@voorbeeld.nl"
            if i in ACCENTED_FAMILY:
                r["prefix"], r["family"] = ACCENTED_FAMILY[i]
            if i == 5:
                r["zip"], r["city"], r["country_name"], r["iso"] = "4000", "Liège", "België", "BE"
    header = [h for h, _ in columns]
    rows, delivered = [], []
    invnr_header = next(h for h, k in columns if k == "invnr")
    for r in recs:
        cells, fields = [], {"IDENTIFICATION_IDENTIFIER": f"{r['invnr']}-{RUN.strftime('%Y%m%d')}"}
        for h, k in columns:
            v, _, f = kind(k, r, style)
            cells.append(v)
            fields.update(f)
        rows.append(cells)
        delivered.append(fields)
    truth = {h: kind(k, recs[0], style)[1] for h, k in columns}
    # The given name column holds initials in WebXpress style: delivered as given, asked.
    present = [f for f in ORDER if any(f in x for x in delivered)]
    with open(os.path.join(d, "expected-delivery.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(present)
        for x in delivered:
            w.writerow([x.get(f, "") for f in present])
    json.dump({"columns": truth, "identifier": f"{{{invnr_header}}}-{{date}}"}, open(os.path.join(d, "truth.json"), "w"), indent=1, ensure_ascii=False)
    read = {}
    if style.get("titles"):
        read["header_row"] = len(style["titles"]) + 2
    if style.get("encoding") == "cp1252":
        read["encoding"] = '"windows-1252"'
    codes = {r["afas"]: r["iso"] for r in recs if "afas" in r}
    write_profile(d, truth, invnr_header, read, codes)
    if file.startswith("csv"):
        delim = file[3]
        enc = style.get("encoding") or ("utf-8-sig" if style.get("bom") else "utf-8")
        with open(os.path.join(d, "export.csv"), "w", newline="", encoding=enc) as fh:
            w = csv.writer(fh, delimiter=delim, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(rows)
        return
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    titles = style.get("titles", [])
    for t in titles:
        ws.append([t])
    if titles:
        ws.append([])
    ws.append(header)
    for cells in rows:
        ws.append(cells)
    top = len(titles) + (1 if titles else 0) + 1
    if style.get("totals"):
        # A totals row as report tools write it: the label, then the sums of the amounts.
        total = ["Totaal"] + [None] * (len(header) - 1)
        for j, (h, k) in enumerate(columns):
            if k in ("amount", "original"):
                total[j] = round(sum(r[j] for r in rows), 2)
        ws.append([])
        ws.append(total)
    for row in ws.iter_rows(min_row=top + 1):
        for c in row:
            if isinstance(c.value, float):
                c.number_format = "#,##0.00"
            elif isinstance(c.value, datetime.date):
                c.number_format = "DD-MM-YYYY"
    xlsx = os.path.join(d, "export.xlsx")
    wb.save(xlsx)
    if file == "ods":
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", tmp, xlsx], check=True, capture_output=True)
            shutil.move(os.path.join(tmp, "export.ods"), os.path.join(d, "export.ods"))
        os.remove(xlsx)


def write_profile(d, truth, invnr_header, read=None, codes=None):
    lines = [f'identifier = "{{{invnr_header}}}-{{date}}"', ""]
    if read:
        lines += ["[read]"] + [f"{k} = {v}" for k, v in read.items()] + [""]
    lines.append("[columns]")
    joins, ignore = [], []
    for h, t in truth.items():
        q = json.dumps(h, ensure_ascii=False)
        if t == "none":
            ignore.append(h)
        elif t.startswith("join:"):
            joins.append((t.split(":")[2], h))
        elif t.startswith("split:"):
            lines.append(f'{q} = {{ split = "{t[6:]}" }}')
        elif " + " in t:
            lines.append(f"{q} = {json.dumps(t.split(' + '))}")
        else:
            lines.append(f'{q} = "{t}"')
    if joins:
        cols = [h for _, h in sorted(joins)]
        lines += ["", "[join.PERSON_FAMILYNAME]", f"columns = {json.dumps(cols, ensure_ascii=False)}"]
    if codes:
        lines += ["", "[values.ADDRESS_COUNTRY]"] + [f'"{k}" = "{v}"' for k, v in sorted(codes.items())]
    if ignore:
        lines += ["", "[ignore]"] + [f'{json.dumps(h, ensure_ascii=False)} = "not delivered"' for h in ignore]
    open(os.path.join(d, "expected-profile.toml"), "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    # Names given: make only those exports (the others' xlsx/ods files carry the time they were
    # made, so remaking them changes bytes without a change of content).
    wanted = sys.argv[1:]
    for spec in TUNING:
        if not wanted or spec[0] in wanted:
            make("tuning", *spec)
    for spec in HELDOUT:
        if not wanted or spec[0] in wanted:
            make("heldout", *spec)
    print("made", len(TUNING), "tuning and", len(HELDOUT), "held-out exports in", ROOT)
