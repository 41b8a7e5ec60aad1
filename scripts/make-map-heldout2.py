#!/usr/bin/env python3
"""Writes fixtures/map/heldout2/: a second held-out set of exports for `collectmaxx map`.

Made without looking at the recogniser, its known-header table or the first fixture set's
header lists: each export's column names are those of a real system's export or import
format (the sources are named per export below and in fixtures/README.md). The expected
delivery is computed here from the Collectmaxx delivery specification (amounts in cents,
dates yyyy-mm-dd, phones as E.164 digits, countries ISO 3166-1 alpha-2, a sorted family
name "Berg, van der" delivered as "van der Berg"), for the run date 2025-03-14.

Deterministic: random.Random(seed) per export, no clock. Needs openpyxl and phonenumbers
(`pip install openpyxl phonenumbers`) and LibreOffice for the .ods
(`apt-get install libreoffice-calc`). Run from the repository root:
`python3 scripts/make-map-heldout2.py`.
"""
import csv, datetime, io, json, os, random, re, shutil, subprocess, sys, tempfile, zipfile

import openpyxl
import phonenumbers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "map", "heldout2")
RUN = "20250314"

# The delivery fields in the specification's order (the order of a delivery's columns).
ORDER = (
    "IDENTIFICATION_IDENTIFIER PERSON_FAMILYNAME PERSON_GIVENNAME PERSON_GENDER PERSON_BIRTHDAY "
    "PERSON_IDENTIFIER PERSON_HONORIFICPREFIX PERSON_HONORIFICSUFFIX ADDRESS_STREET "
    "ADDRESS_HOUSENUMBER ADDRESS_EXTENSION ADDRESS_ZIPCODE ADDRESS_CITY ADDRESS_COUNTRY "
    "CONTACT_PHONENUMBER_1 CONTACT_PHONENUMBER_2 CONTACT_PHONENUMBER_3 CONTACT_EMAIL_1 "
    "CONTACT_EMAIL_2 CONTACT_EMAIL_3 INVOICE_NUMBER INVOICE_DATE INVOICE_DUEDATE "
    "INVOICE_CURRENCY INVOICE_AMOUNT INVOICE_TAX INVOICE_DESCRIPTION INVOICE_REFERENCE"
).split()

GIVEN_M = ["Jan", "Pieter", "Mohamed", "Daan", "Bram", "Sven", "Thijs", "Ruben", "Kees", "Willem",
           "Ahmet", "Lucas", "Joost", "Hendrik", "Sander", "Koen"]
GIVEN_F = ["Sanne", "Fatima", "Emma", "Lotte", "Anouk", "Fleur", "Ingrid", "Marieke", "Esther",
           "Yasmina", "Noor", "Julia", "Petra", "Sophie", "Iris", "Femke"]
# (tussenvoegsel, achternaam)
FAMILY_NL = [("", "Jansen"), ("de", "Vries"), ("van den", "Heuvel"), ("van der", "Berg"),
             ("", "Bakker"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"),
             ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("van", "Dijk"), ("", "Yılmaz"),
             ("", "El Amrani"), ("van 't", "Hek"), ("ter", "Horst"), ("", "Hoekstra"),
             ("van", "Leeuwen"), ("", "Dekker"), ("in 't", "Veld"), ("", "Brouwer"),
             ("", "Öztürk"), ("", "Müller"), ("", "Kramer"), ("de", "Wit"), ("", "Postma"),
             ("van", "Vliet"), ("", "Koster"), ("", "Prins")]
# street, (zipcode, city)
STREETS_NL = ["Dorpstraat", "Laan van Meerdervoort", "Kerkstraat", "Stationsweg", "Hoofdstraat",
              "Burgemeester de Withstraat", "Vondellaan", "Oude Gracht", "Molenweg",
              "Prinses Beatrixlaan", "Schoolstraat", "Zuiderzeestraat", "Wilhelminapark"]
CITIES_NL = [("2514 GL", "'s-Gravenhage"), ("9711 LM", "Groningen"), ("3511 AB", "Utrecht"),
             ("1012 JS", "Amsterdam"), ("5611 AZ", "Eindhoven"), ("6811 CG", "Arnhem"),
             ("8011 PK", "Zwolle"), ("4811 DJ", "Breda"), ("7511 JE", "Enschede"),
             ("2611 HS", "Delft"), ("6211 CA", "Maastricht"), ("3011 BD", "Rotterdam")]
STREETS_BE = ["Kerkstraat", "Grote Markt", "Veldstraat", "Rue de la Loi", "Steenweg op Gent",
              "Lindenlaan", "Meir", "Bruggestraat", "Stationsplein", "Koning Albertlaan"]
CITIES_BE = [("9000", "Gent"), ("2000", "Antwerpen"), ("1000", "Brussel"), ("8000", "Brugge"),
             ("3000", "Leuven"), ("3500", "Hasselt"), ("2800", "Mechelen"), ("8500", "Kortrijk")]
NL_AREA = ["10", "20", "30", "40", "50", "70", "71", "72", "73", "76", "24", "26"]


def e164(text, region="NL"):
    """The number as the delivery writes it: E.164 digits without the plus."""
    n = phonenumbers.parse(text, region)
    assert phonenumbers.is_valid_number(n), text
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)[1:]


def nl_mobile(rng):
    return "06" + str(rng.randint(10000000, 59999999))


def nl_landline(rng):
    area = rng.choice(NL_AREA)
    return "0" + area + str(rng.randint(1000000 if len(area) == 2 else 100000,
                                        9999999 if len(area) == 2 else 999999))


def be_mobile(rng):
    return "+32 4" + str(rng.choice([70, 72, 75, 77, 78, 79, 84, 85, 86, 95, 96, 97])) + " " + \
        f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def iban_nl(rng):
    bank = rng.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB"])
    acct = f"{rng.randint(0, 9999999999):010d}"
    return iban("NL", bank + acct)


def iban_be(rng):
    return iban("BE", f"{rng.randint(0, 999999999999):012d}")


def iban(cc, bban):
    digits = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(digits) % 97
    return f"{cc}{check:02d}{bban}"


def house(rng, be=False):
    """(number, extension, as written after the street)."""
    n = str(rng.choice([1, 2, 3, 4, 5, 7, 8, 12, 14, 18, 21, 27, 33, 45, 56, 101, 112, 1024]))
    kind = rng.random()
    if be and kind < 0.25:
        b = str(rng.randint(1, 12))
        return n, "bus " + b, f"{n} bus {b}"
    if kind < 0.2:
        e = rng.choice("abc")
        return n, e, n + e
    if kind < 0.3:
        e = rng.choice(["A", "B", "II", "H"])
        return n, e, f"{n}-{e}"
    return n, "", n


def people(seed, count, belgian=False):
    rng = random.Random(seed)
    out = []
    used = set()
    for i in range(count):
        female = rng.random() < 0.5
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        if belgian:
            family = rng.choice(["Peeters", "Janssens", "Maes", "Van den Broeck", "Wouters",
                                 "De Smet", "Claes", "Goossens", "Vermeulen", "Dubois",
                                 "Lambert", "Van Damme", "Willems", "De Backer", "Mertens"])
            prefix = ""
            street = rng.choice(STREETS_BE)
            zipcode, city = rng.choice(CITIES_BE)
            country = "BE"
        else:
            prefix, family = rng.choice(FAMILY_NL)
            street = rng.choice(STREETS_NL)
            zipcode, city = rng.choice(CITIES_NL)
            country = "NL"
        number, ext, written = house(rng, belgian)
        key = (given, prefix, family)
        if key in used:
            given = rng.choice(GIVEN_F if female else GIVEN_M)
        used.add((given, prefix, family))
        invdate = datetime.date(2024, 12, 1) + datetime.timedelta(days=rng.randint(0, 100))
        amount = rng.choice([rng.randint(1500, 99999), rng.randint(100000, 450000)])
        out.append(dict(
            i=i, female=female, given=given, prefix=prefix, family=family,
            street=street, number=number, ext=ext, address=f"{street} {written}",
            zipcode=zipcode, city=city, country=country,
            birthday=datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randint(0, 22000)),
            mobile=nl_mobile(rng), landline=nl_landline(rng), be_mobile=be_mobile(rng),
            email=f"{given.lower()}.{family.lower().replace(' ', '').replace('ı', 'i').replace('ö', 'o').replace('ü', 'u')}{seed}{i}@voorbeeld.nl",
            iban=iban_be(rng) if belgian else iban_nl(rng),
            invdate=invdate, duedate=invdate + datetime.timedelta(days=rng.choice([14, 30, 30, 60])),
            amount=amount, tax=round(amount * 21 / 121), paid=rng.choice([0, 0, 0, 1000, 2500]),
            rng=rng,
        ))
    return out


def full_family(p):
    return (p["prefix"] + " " + p["family"]).strip()


def iso(d):
    return d.isoformat()


def money(cents, dec=",", thou="."):
    whole, frac = divmod(cents, 100)
    s = f"{whole:,}".replace(",", thou) if thou else str(whole)
    return f"{s}{dec}{frac:02d}"


# ---------------------------------------------------------------- writers

def write_csv(path, header, rows, delimiter, encoding="utf-8", quoting=csv.QUOTE_MINIMAL,
              bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding)
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)


def fixed_properties(wb):
    """The workbook's document dates fixed, so the file does not depend on the clock."""
    when = datetime.datetime(2025, 3, 14, 8, 0, 0)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "collectmaxx fixtures"


def fixed_zip_times(path):
    """Rewrites a zip-based workbook with every entry dated 2025-03-14 (order, compression
    and contents unchanged), so that running the script again gives the same bytes."""
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            if info.filename in ("docProps/core.xml", "meta.xml"):
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", r"\g<1>2025-03-14T08:00:00Z", text)
                text = re.sub(r"(<dc:date>)[^<]*", r"\g<1>2025-03-14T08:00:00", text)
                data = text.encode("utf-8")
            new = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 14, 8, 0, 0))
            new.compress_type = info.compress_type
            new.external_attr = info.external_attr
            z.writestr(new, data)


def soffice_convert(src, fmt, dest):
    tmp = tempfile.mkdtemp()
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", fmt, "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = os.path.splitext(os.path.basename(src))[0]
        shutil.move(os.path.join(tmp, base + "." + fmt.split(":")[0]), dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_expected(d, truth, profile, delivered):
    """truth.json, expected-profile.toml and expected-delivery.csv of one export."""
    with open(os.path.join(d, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(d, "expected-profile.toml"), "w", encoding="utf-8") as f:
        f.write(profile)
    fields = [x for x in ORDER if any(x in r for r in delivered)]
    with open(os.path.join(d, "expected-delivery.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(";".join(fields) + "\r\n")
        for r in delivered:
            f.write(";".join(r.get(x, "") for x in fields) + "\r\n")


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def profile_text(identifier, read, columns, ignore, values=None, joins=None):
    lines = [f"identifier = {toml_str(identifier)}", ""]
    if read:
        lines.append("[read]")
        for k, v in read.items():
            lines.append(f"{k} = {v if isinstance(v, int) else toml_str(v)}")
        lines.append("")
    lines.append("[columns]")
    for col, target in columns.items():
        if isinstance(target, list):
            lines.append(f"{toml_str(col)} = [{', '.join(toml_str(t) for t in target)}]")
        elif target.startswith("split:"):
            lines.append(f"{toml_str(col)} = {{ split = {toml_str(target[6:])} }}")
        else:
            lines.append(f"{toml_str(col)} = {toml_str(target)}")
    for field, cols in (joins or {}).items():
        lines.append("")
        lines.append(f"[join.{field}]")
        lines.append(f"columns = [{', '.join(toml_str(c) for c in cols)}]")
        lines.append('separator = " "')
    for field, mapping in (values or {}).items():
        lines.append("")
        lines.append(f"[values.{field}]")
        for k, v in mapping.items():
            lines.append(f"{toml_str(k)} = {toml_str(v)}")
    if ignore:
        lines.append("")
        lines.append("[ignore]")
        for col, why in ignore.items():
            lines.append(f"{toml_str(col)} = {toml_str(why)}")
    return "\n".join(lines) + "\n"


def truth_of(columns, ignore, identifier, joins=None):
    t = {}
    for field, cols in (joins or {}).items():
        for n, col in enumerate(cols):
            t[col] = f"join:{field}:{n + 1}"
    for col, target in columns.items():
        t[col] = " + ".join(target) if isinstance(target, list) else target
    for col in ignore:
        t[col] = "none"
    return {"columns": t, "identifier": identifier}


def order_columns(header, columns, ignore, joins=None):
    joined = {c for cols in (joins or {}).values() for c in cols}
    every = set(columns) | set(ignore) | joined
    assert every == set(header), set(header) ^ every
    assert not set(columns) & set(ignore)


def newdir(name):
    d = os.path.join(OUT, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


# ---------------------------------------------------------------- the exports

def dashed(num):
    """A Dutch national number written as people do: 010-4123456, 06-12345678."""
    cut = 2 if num.startswith("06") else (3 if num[1:3] in NL_AREA else 4)
    return num[:cut] + "-" + num[cut:]


def spaced_intl(num):
    """+31 6 12345678, +31 20 1234567."""
    rest = num[1:]
    cut = 1 if rest.startswith("6") else 2
    return f"+31 {rest[:cut]} {rest[cut:]}"


def exact_globe(seed=201):
    """Exact Globe: the field names of its CSV definition for debtors (XML-Server import
    definition 'Accounts receivable'), as an operator exports them; Windows-1252, ';'."""
    d = newdir("01-exact-globe-debiteuren")
    header = ["debcode", "naam", "adres1", "adres2", "postcode", "woonpl", "landcode", "telnr",
              "faxnr", "cntpers1", "banknr1", "kredlimiet", "blokkeer"]
    rows, delivered = [], []
    for p in people(seed, 30):
        rng = p["rng"]
        belgian = p["i"] in (7, 19)
        family = full_family(p).replace("ı", "i")
        if p["prefix"] and rng.random() < 0.6:
            naam = f"{p['family']}, {p['prefix']}".replace("ı", "i")
        else:
            naam = family
        if belgian:
            zipcode, city = CITIES_BE[p["i"] % len(CITIES_BE)]
            b = str(1 + p["i"] % 5)
            street, number, ext = "Veldstraat", "12", "bus " + b
            adres1 = f"Veldstraat 12 bus {b}"
            phone = p["be_mobile"]
            country = "BE"
            bank = iban_be(rng)
        else:
            zipcode, city = p["zipcode"], p["city"]
            street, number, ext, adres1 = p["street"], p["number"], p["ext"], p["address"]
            if p["i"] == 11:
                street, number, ext, adres1 = "Postbus", "412", "", "Postbus 412"
            phone = dashed(p["mobile"] if p["i"] % 3 else p["landline"])
            country = "NL"
            bank = p["iban"]
        adres2 = "2e etage" if p["i"] in (4, 22) else ""
        fax = dashed(p["landline"]) if p["i"] % 7 == 0 and not belgian else ""
        debcode = str(10000 + seed * 10 + p["i"])
        rows.append([debcode, naam, adres1, adres2, zipcode, city, country, phone, fax, "",
                     bank, money(rng.choice([100000, 250000, 500000])), "N"])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{debcode}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_IDENTIFIER": debcode, "ADDRESS_STREET": street, "ADDRESS_HOUSENUMBER": number,
            "ADDRESS_EXTENSION": ext, "ADDRESS_ZIPCODE": zipcode, "ADDRESS_CITY": city,
            "ADDRESS_COUNTRY": country, "CONTACT_PHONENUMBER_1": e164(phone)})
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", encoding="cp1252")
    columns = {"debcode": "PERSON_IDENTIFIER", "naam": "PERSON_FAMILYNAME",
               "adres1": "split:address", "postcode": "ADDRESS_ZIPCODE",
               "woonpl": "ADDRESS_CITY", "landcode": "ADDRESS_COUNTRY",
               "telnr": "CONTACT_PHONENUMBER_1"}
    ignore = {"adres2": "a second address line (floor), no delivery field",
              "faxnr": "a fax number", "cntpers1": "a contact person",
              "banknr1": "a bank account (IBAN)", "kredlimiet": "a credit limit",
              "blokkeer": "a blocked flag"}
    order_columns(header, columns, ignore)
    ident = "{debcode}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {"delimiter": ";", "encoding": "windows-1252"},
                                columns, ignore), delivered)


def xero(seed=202):
    """Xero: the columns of its sales invoice CSV (the import template that its export
    follows), with the postal (PO…) and street (SA…) address families; ','."""
    d = newdir("02-xero-sales-invoices")
    header = ["ContactName", "EmailAddress", "POAddressLine1", "POAddressLine2", "POCity",
              "PORegion", "POPostalCode", "POCountry", "SAAddressLine1", "SAAddressLine2",
              "SACity", "SARegion", "SAPostalCode", "SACountry", "InvoiceNumber", "Reference",
              "InvoiceDate", "DueDate", "Total", "TaxTotal", "InvoiceAmountPaid",
              "InvoiceAmountDue", "Currency", "Type", "Status"]
    rows, delivered = [], []
    regions = {"2514 GL": "Zuid-Holland", "3011 BD": "Zuid-Holland", "1012 JS": "Noord-Holland"}
    for p in people(seed, 26):
        rng = p["rng"]
        given, family = p["given"], full_family(p)
        number = f"INV-{1200 + p['i']:04d}"
        ref = rng.choice(["", f"PO {rng.randint(4000, 9999)}", f"Project {rng.randint(10, 99)}"])
        has_sa = p["i"] % 4 == 1
        sa_zip, sa_city = CITIES_NL[(p["i"] + 3) % len(CITIES_NL)]
        due = p["amount"] - p["paid"]
        cnames = {"NL": "Netherlands"}
        rows.append([f"{given} {family}", p["email"], p["address"], "", p["city"],
                     regions.get(p["zipcode"], ""), p["zipcode"], cnames["NL"],
                     f"Industrieweg {rng.randint(1, 90)}" if has_sa else "", "",
                     sa_city if has_sa else "", "", sa_zip if has_sa else "",
                     "Netherlands" if has_sa else "", number, ref,
                     p["invdate"].strftime("%d/%m/%Y"), p["duedate"].strftime("%d/%m/%Y"),
                     money(p["amount"], ".", ""), money(p["tax"], ".", ""),
                     money(p["paid"], ".", ""), money(due, ".", ""), "EUR", "Sales invoice",
                     "Awaiting Payment"])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{number}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "ADDRESS_STREET": p["street"],
            "ADDRESS_HOUSENUMBER": p["number"], "ADDRESS_EXTENSION": p["ext"],
            "ADDRESS_ZIPCODE": p["zipcode"], "ADDRESS_CITY": p["city"], "ADDRESS_COUNTRY": "NL",
            "CONTACT_EMAIL_1": p["email"], "INVOICE_NUMBER": number,
            "INVOICE_DATE": iso(p["invdate"]), "INVOICE_DUEDATE": iso(p["duedate"]),
            "INVOICE_CURRENCY": "EUR", "INVOICE_AMOUNT": str(due), "INVOICE_TAX": str(p["tax"]),
            "INVOICE_REFERENCE": ref})
    write_csv(os.path.join(d, "export.csv"), header, rows, ",")
    columns = {"ContactName": "split:name", "EmailAddress": "CONTACT_EMAIL_1",
               "POAddressLine1": "split:address", "POCity": "ADDRESS_CITY",
               "POPostalCode": "ADDRESS_ZIPCODE", "POCountry": "ADDRESS_COUNTRY",
               "InvoiceNumber": "INVOICE_NUMBER", "Reference": "INVOICE_REFERENCE",
               "InvoiceDate": "INVOICE_DATE", "DueDate": "INVOICE_DUEDATE",
               "TaxTotal": "INVOICE_TAX", "InvoiceAmountDue": "INVOICE_AMOUNT",
               "Currency": "INVOICE_CURRENCY"}
    ignore = {"POAddressLine2": "a second postal address line, empty",
              "PORegion": "a province: no delivery field"}
    for c in header:
        if c.startswith("SA"):
            ignore[c] = "the street address family; the postal address (PO…) is delivered"
    ignore.update({"Total": "the invoice total; the amount due is delivered",
                   "InvoiceAmountPaid": "an amount paid", "Type": "the document type",
                   "Status": "the invoice status"})
    order_columns(header, columns, ignore)
    ident = "{InvoiceNumber}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {"delimiter": ",", "date_order": "dmy",
                                        "amounts": "major"}, columns, ignore), delivered)


def octopus(seed=203):
    """Octopus (Belgium): the columns of its relation export/import sheet ('Export
    relaties'); tab-separated, Belgian addresses with 'bus', 4-digit postcodes, +32 phones."""
    d = newdir("03-octopus-relaties")
    header = ["Actief", "Id", "Naam", "Voornaam", "Contactpersoon", "Straat en nummer",
              "Postcode", "Gemeente", "Land", "Telefoon", "E-mail", "Taal", "BTW nummer",
              "Bank rekening nummer", "Is klant"]
    rows, delivered = [], []
    for p in people(seed, 24, belgian=True):
        rng = p["rng"]
        ident = str(300 + p["i"])
        phone = p["be_mobile"]
        if p["i"] % 5 == 2:
            phone = "0032 " + phone[4:]
        email = p["email"].replace("@voorbeeld.nl", "@voorbeeld.be")
        vat = f"BE0{rng.randint(200, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}" \
            if p["i"] % 6 == 0 else ""
        rows.append(["A", ident, p["family"], p["given"], "", p["address"], p["zipcode"],
                     p["city"], "BE", phone, email, rng.choice(["N", "N", "F"]), vat,
                     p["iban"], "1"])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{ident}-{RUN}", "PERSON_FAMILYNAME": p["family"],
            "PERSON_GIVENNAME": p["given"], "PERSON_IDENTIFIER": ident,
            "ADDRESS_STREET": p["street"], "ADDRESS_HOUSENUMBER": p["number"],
            "ADDRESS_EXTENSION": p["ext"], "ADDRESS_ZIPCODE": p["zipcode"],
            "ADDRESS_CITY": p["city"], "ADDRESS_COUNTRY": "BE",
            "CONTACT_PHONENUMBER_1": e164(phone), "CONTACT_EMAIL_1": email})
    write_csv(os.path.join(d, "export.txt"), header, rows, "\t")
    columns = {"Id": "PERSON_IDENTIFIER", "Naam": "PERSON_FAMILYNAME",
               "Voornaam": "PERSON_GIVENNAME", "Straat en nummer": "split:address",
               "Postcode": "ADDRESS_ZIPCODE", "Gemeente": "ADDRESS_CITY",
               "Land": "ADDRESS_COUNTRY", "Telefoon": "CONTACT_PHONENUMBER_1",
               "E-mail": "CONTACT_EMAIL_1"}
    ignore = {"Actief": "an active flag", "Contactpersoon": "a contact person, empty",
              "Taal": "a language code", "BTW nummer": "a VAT number",
              "Bank rekening nummer": "a bank account (IBAN)", "Is klant": "a customer flag"}
    order_columns(header, columns, ignore)
    ident = "{Id}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {"delimiter": "tab"}, columns, ignore), delivered)


def odoo(seed=204):
    """Odoo: an export of customer invoices (account.move) with the partner's fields, as its
    export dialog names them (field labels, related fields as 'Partner/…'); ',' and every
    value quoted, ISO dates, amounts as decimals with a point."""
    d = newdir("04-odoo-invoices")
    header = ["Number", "Partner", "Partner/Street", "Partner/Zip", "Partner/City",
              "Partner/Country", "Partner/Mobile", "Partner/Email", "Invoice/Bill Date",
              "Due Date", "Reference", "Tax", "Total", "Amount Due", "Currency", "Status",
              "Payment Status"]
    rows, delivered = [], []
    for p in people(seed, 28):
        rng = p["rng"]
        belgian = p["i"] in (5, 17)
        if belgian:
            zipcode, city = CITIES_BE[p["i"] % len(CITIES_BE)]
            street, number, ext = "Meir", str(20 + p["i"]), ""
            address, phone, country, cname = f"Meir {number}", p["be_mobile"], "BE", "Belgium"
        else:
            zipcode, city = p["zipcode"], p["city"]
            street, number, ext, address = p["street"], p["number"], p["ext"], p["address"]
            phone, country, cname = spaced_intl(p["mobile"]), "NL", "Netherlands"
        inv = f"INV/2025/{p['i'] + 41:05d}"
        ref = f"PO-{rng.randint(1000, 9999)}" if p["i"] % 3 == 0 else ""
        due = p["amount"] - p["paid"]
        given, family = p["given"], full_family(p)
        rows.append([inv, f"{given} {family}", address, zipcode, city, cname, phone, p["email"],
                     iso(p["invdate"]), iso(p["duedate"]), ref, repr(p["tax"] / 100),
                     repr(p["amount"] / 100), repr(due / 100), "EUR", "Posted",
                     "Partially Paid" if p["paid"] else "Not Paid"])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{inv}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "ADDRESS_STREET": street, "ADDRESS_HOUSENUMBER": number,
            "ADDRESS_EXTENSION": ext, "ADDRESS_ZIPCODE": zipcode, "ADDRESS_CITY": city,
            "ADDRESS_COUNTRY": country, "CONTACT_PHONENUMBER_1": e164(phone),
            "CONTACT_EMAIL_1": p["email"], "INVOICE_NUMBER": inv,
            "INVOICE_DATE": iso(p["invdate"]), "INVOICE_DUEDATE": iso(p["duedate"]),
            "INVOICE_CURRENCY": "EUR", "INVOICE_AMOUNT": str(due), "INVOICE_TAX": str(p["tax"]),
            "INVOICE_REFERENCE": ref})
    write_csv(os.path.join(d, "export.csv"), header, rows, ",", quoting=csv.QUOTE_ALL)
    columns = {"Number": "INVOICE_NUMBER", "Partner": "split:name",
               "Partner/Street": "split:address", "Partner/Zip": "ADDRESS_ZIPCODE",
               "Partner/City": "ADDRESS_CITY", "Partner/Country": "ADDRESS_COUNTRY",
               "Partner/Mobile": "CONTACT_PHONENUMBER_1", "Partner/Email": "CONTACT_EMAIL_1",
               "Invoice/Bill Date": "INVOICE_DATE", "Due Date": "INVOICE_DUEDATE",
               "Reference": "INVOICE_REFERENCE", "Tax": "INVOICE_TAX",
               "Amount Due": "INVOICE_AMOUNT", "Currency": "INVOICE_CURRENCY"}
    ignore = {"Total": "the invoice total; the amount due is delivered",
              "Status": "the document state", "Payment Status": "the payment state"}
    order_columns(header, columns, ignore)
    ident = "{Number}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {"delimiter": ",", "amounts": "major"}, columns, ignore),
                   delivered)


def quickbooks(seed=205):
    """QuickBooks Online: its Open Invoices report exported to Excel: the company name, the
    report's title and date on rows 1-3, the header on row 5, date cells, amounts formatted
    #,##0.00, a TOTAL row at the bottom."""
    d = newdir("05-quickbooks-open-invoices")
    header = ["Date", "Transaction Type", "Num", "Customer", "Due Date", "Past Due", "Amount",
              "Open Balance"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Open Invoices"
    ws.append(["Bakkerij De Korenschoof B.V."])
    ws.append(["Open Invoices"])
    ws.append(["As of March 14, 2025"])
    ws.append([])
    ws.append(header)
    delivered = []
    total_amount = total_open = 0
    today = datetime.date(2025, 3, 14)
    for p in people(seed, 22):
        num = str(1043 + p["i"])
        open_bal = p["amount"] - p["paid"]
        total_amount += p["amount"]
        total_open += open_bal
        given, family = p["given"], full_family(p)
        past_due = max(0, (today - p["duedate"]).days)
        ws.append([p["invdate"], "Invoice", num, f"{given} {family}", p["duedate"], past_due,
                   p["amount"] / 100, open_bal / 100])
        r = ws.max_row
        for c in ("A", "E"):
            ws[f"{c}{r}"].number_format = "mm/dd/yyyy"
        for c in ("G", "H"):
            ws[f"{c}{r}"].number_format = "#,##0.00"
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{num}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "INVOICE_NUMBER": num, "INVOICE_DATE": iso(p["invdate"]),
            "INVOICE_DUEDATE": iso(p["duedate"]), "INVOICE_AMOUNT": str(open_bal),
            "INVOICE_REFERENCE": num})
    ws.append(["TOTAL", None, None, None, None, None, total_amount / 100, total_open / 100])
    r = ws.max_row
    for c in ("G", "H"):
        ws[f"{c}{r}"].number_format = "#,##0.00"
    fixed_properties(wb)
    wb.save(os.path.join(d, "export.xlsx"))
    fixed_zip_times(os.path.join(d, "export.xlsx"))
    columns = {"Date": "INVOICE_DATE", "Num": ["INVOICE_NUMBER", "INVOICE_REFERENCE"],
               "Customer": "split:name", "Due Date": "INVOICE_DUEDATE",
               "Open Balance": "INVOICE_AMOUNT"}
    ignore = {"Transaction Type": "the document type", "Past Due": "days past due",
              "Amount": "the invoice total; the open balance is delivered"}
    order_columns(header, columns, ignore)
    ident = "{Num}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {}, columns, ignore), delivered)


def salesforce(seed=206):
    """Salesforce: a Data Loader export of Contact records (API field names), with the
    mailing and the other address; ods by LibreOffice from an openpyxl workbook."""
    d = newdir("06-salesforce-contacts")
    header = ["Id", "AccountId", "Salutation", "FirstName", "LastName", "MailingStreet",
              "MailingPostalCode", "MailingCity", "MailingCountry", "OtherStreet",
              "OtherPostalCode", "OtherCity", "OtherCountry", "Phone", "MobilePhone", "Email",
              "Birthdate", "LeadSource"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Contact"
    ws.append(header)
    delivered = []
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    for p in people(seed, 32):
        rng = p["rng"]
        sfid = "0035g00000" + "".join(rng.choice(chars) for _ in range(5)) + \
            "".join(rng.choice(chars[:26]) for _ in range(3))
        acct = "0015g00000" + "".join(rng.choice(chars) for _ in range(8))
        sal = "Mr." if not p["female"] else rng.choice(["Ms.", "Mrs."])
        phone = spaced_intl(p["landline"]) if p["i"] % 5 in (0, 2, 3) else ""
        mobile = spaced_intl(p["mobile"]) if p["i"] % 7 != 3 else ""
        other = p["i"] % 4 == 0
        o_zip, o_city = CITIES_NL[(p["i"] + 5) % len(CITIES_NL)]
        ws.append([sfid, acct, sal, p["given"], full_family(p), p["address"], p["zipcode"],
                   p["city"], "Netherlands", f"Havenweg {p['i'] + 2}" if other else None,
                   o_zip if other else None, o_city if other else None,
                   "Netherlands" if other else None, phone or None, mobile or None,
                   p["email"], p["birthday"], rng.choice(["Web", "Phone Inquiry", "Partner"])])
        ws[f"Q{ws.max_row}"].number_format = "yyyy-mm-dd"
        phones = [e164(x) for x in (phone, mobile) if x]
        row = {"IDENTIFICATION_IDENTIFIER": f"{sfid}-{RUN}",
               "PERSON_FAMILYNAME": full_family(p), "PERSON_GIVENNAME": p["given"],
               "PERSON_GENDER": "F" if p["female"] else "M",
               "PERSON_BIRTHDAY": iso(p["birthday"]), "PERSON_IDENTIFIER": sfid,
               "ADDRESS_STREET": p["street"], "ADDRESS_HOUSENUMBER": p["number"],
               "ADDRESS_EXTENSION": p["ext"], "ADDRESS_ZIPCODE": p["zipcode"],
               "ADDRESS_CITY": p["city"], "ADDRESS_COUNTRY": "NL",
               "CONTACT_PHONENUMBER_1": "", "CONTACT_PHONENUMBER_2": "",
               "CONTACT_EMAIL_1": p["email"]}
        # Numbered phones move up over an empty one: the first number is always slot 1.
        for k, v in enumerate(phones):
            row[f"CONTACT_PHONENUMBER_{k + 1}"] = v
        delivered.append(row)
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "export.xlsx")
        fixed_properties(wb)
        wb.save(src)
        soffice_convert(src, "ods", os.path.join(d, "export.ods"))
        fixed_zip_times(os.path.join(d, "export.ods"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    columns = {"Id": "PERSON_IDENTIFIER", "Salutation": "PERSON_GENDER",
               "FirstName": "PERSON_GIVENNAME", "LastName": "PERSON_FAMILYNAME",
               "MailingStreet": "split:address", "MailingPostalCode": "ADDRESS_ZIPCODE",
               "MailingCity": "ADDRESS_CITY", "MailingCountry": "ADDRESS_COUNTRY",
               "Phone": "CONTACT_PHONENUMBER_1", "MobilePhone": "CONTACT_PHONENUMBER_2",
               "Email": "CONTACT_EMAIL_1", "Birthdate": "PERSON_BIRTHDAY"}
    ignore = {"AccountId": "the parent account's id", "LeadSource": "a lead source"}
    for c in header:
        if c.startswith("Other"):
            ignore[c] = "the other address; the mailing address is delivered"
    order_columns(header, columns, ignore)
    ident = "{Id}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {}, columns, ignore,
                                {"PERSON_GENDER": {"Mr.": "M", "Ms.": "F", "Mrs.": "F"}}),
                   delivered)


def banana(seed=207):
    """Banana Accounting (Dutch): the columns of the accounts table's Address view, where
    'Voorvoegsel' holds the form of address (Dhr., Mw.), exported to Excel under a title row
    that has two values; the header is on row 3."""
    d = newdir("07-banana-adressen")
    header = ["Rekening", "Voorvoegsel", "Voornaam", "Achternaam", "Organisatie", "Straat",
              "Adres extra", "Postcode", "Plaats", "Land", "Landcode", "Taal", "Vaste telefoon",
              "Mobiele telefoon", "Email werk"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekeningen"
    ws.append(["Adressen debiteuren", None, None, None, "Afgedrukt: 14-03-2025"])
    ws.append([])
    ws.append(header)
    delivered = []
    for p in people(seed, 25):
        acct = f"D{1001 + p['i']}"
        land = dashed(p["landline"]) if p["i"] % 3 != 1 else ""
        mob = dashed(p["mobile"]) if p["i"] % 6 != 4 else ""
        extra = "achterhuis" if p["i"] in (3, 15) else ""
        ws.append([acct, "Mw." if p["female"] else "Dhr.", p["given"], full_family(p), None,
                   p["address"], extra or None, p["zipcode"], p["city"], None, "NL", "nl",
                   land or None, mob or None, p["email"]])
        phones = [e164(x) for x in (land, mob) if x]
        row = {"IDENTIFICATION_IDENTIFIER": f"{acct}-{RUN}",
               "PERSON_FAMILYNAME": full_family(p), "PERSON_GIVENNAME": p["given"],
               "PERSON_GENDER": "F" if p["female"] else "M", "PERSON_IDENTIFIER": acct,
               "ADDRESS_STREET": p["street"], "ADDRESS_HOUSENUMBER": p["number"],
               "ADDRESS_EXTENSION": p["ext"], "ADDRESS_ZIPCODE": p["zipcode"],
               "ADDRESS_CITY": p["city"], "ADDRESS_COUNTRY": "NL",
               "CONTACT_PHONENUMBER_1": "", "CONTACT_PHONENUMBER_2": "",
               "CONTACT_EMAIL_1": p["email"]}
        for k, v in enumerate(phones):
            row[f"CONTACT_PHONENUMBER_{k + 1}"] = v
        delivered.append(row)
    fixed_properties(wb)
    wb.save(os.path.join(d, "export.xlsx"))
    fixed_zip_times(os.path.join(d, "export.xlsx"))
    columns = {"Rekening": "PERSON_IDENTIFIER", "Voorvoegsel": "PERSON_GENDER",
               "Voornaam": "PERSON_GIVENNAME", "Achternaam": "PERSON_FAMILYNAME",
               "Straat": "split:address", "Postcode": "ADDRESS_ZIPCODE",
               "Plaats": "ADDRESS_CITY", "Landcode": "ADDRESS_COUNTRY",
               "Vaste telefoon": "CONTACT_PHONENUMBER_1",
               "Mobiele telefoon": "CONTACT_PHONENUMBER_2", "Email werk": "CONTACT_EMAIL_1"}
    ignore = {"Organisatie": "an organisation name, empty for these persons",
              "Adres extra": "an extra address line", "Land": "a country name, empty",
              "Taal": "a language code"}
    order_columns(header, columns, ignore)
    ident = "{Rekening}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {"header_row": 3}, columns, ignore,
                                {"PERSON_GENDER": {"Dhr.": "M", "Mw.": "F"}}),
                   delivered)


def yuki(seed=208):
    """Yuki: the worklist 'Te herinneren facturen' downloaded as CSV with its default columns;
    ';', a byte order mark, dates dd-mm-yyyy, amounts with a decimal comma and thousands dots."""
    d = newdir("08-yuki-te-herinneren")
    header = ["Factuurnr.", "Relatie", "Onderwerp", "Factuurdatum", "Vervaldatum", "Btw-bedrag",
              "Bedrag", "Uitstaand", "Dagen achterstallig"]
    rows, delivered = [], []
    today = datetime.date(2025, 3, 14)
    subjects = ["Abonnement {m} 2025", "Onderhoud cv-ketel", "Lidmaatschap {m}",
                "Levering en montage", "Huur {m} 2025", "Consult {m}"]
    months = {12: "december", 1: "januari", 2: "februari", 3: "maart"}
    for p in people(seed, 27):
        rng = p["rng"]
        number = f"2025-{p['i'] + 118:04d}"
        subject = rng.choice(subjects).format(m=months[p["invdate"].month])
        open_amount = p["amount"] - p["paid"]
        given, family = p["given"], full_family(p)
        rows.append([number, f"{given} {family}", subject, p["invdate"].strftime("%d-%m-%Y"),
                     p["duedate"].strftime("%d-%m-%Y"), money(p["tax"]), money(p["amount"]),
                     money(open_amount), str(max(0, (today - p["duedate"]).days))])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{number}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "INVOICE_NUMBER": number,
            "INVOICE_DATE": iso(p["invdate"]), "INVOICE_DUEDATE": iso(p["duedate"]),
            "INVOICE_AMOUNT": str(open_amount), "INVOICE_TAX": str(p["tax"]),
            "INVOICE_DESCRIPTION": subject, "INVOICE_REFERENCE": number})
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", bom=True)
    columns = {"Factuurnr.": ["INVOICE_NUMBER", "INVOICE_REFERENCE"], "Relatie": "split:name",
               "Onderwerp": "INVOICE_DESCRIPTION", "Factuurdatum": "INVOICE_DATE",
               "Vervaldatum": "INVOICE_DUEDATE", "Btw-bedrag": "INVOICE_TAX",
               "Uitstaand": "INVOICE_AMOUNT"}
    ignore = {"Bedrag": "the invoice total; the outstanding amount is delivered",
              "Dagen achterstallig": "days overdue"}
    order_columns(header, columns, ignore)
    ident = "{Factuurnr.}-{date}"
    write_expected(d, truth_of(columns, ignore, ident),
                   profile_text(ident, {"delimiter": ";", "date_order": "dmy",
                                        "amounts": "major"}, columns, ignore), delivered)


def simplicate(seed=209):
    """Simplicate (Dutch CRM): persons as its API names them (/crm/person, the address
    flattened as address_…), with the name prefix in a column of its own beside the family
    name and a computed full_name; ';', ISO dates, gender as 'male'/'female'."""
    d = newdir("09-simplicate-personen")
    header = ["id", "full_name", "initials", "first_name", "family_name_prefix", "family_name",
              "gender", "date_of_birth", "social_security_number", "email", "phone",
              "address_line_1", "address_postal_code", "address_locality",
              "address_country_code", "bank_account", "relation_manager_name"]
    rows, delivered = [], []
    managers = ["Jeroen Smits", "Anita Kok", "Marco Vos"]
    for p in people(seed, 28):
        rng = p["rng"]
        pid = "person:" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
        full = " ".join(x for x in (p["given"], p["prefix"], p["family"]) if x)
        phone = spaced_intl(p["mobile"] if p["i"] % 4 else p["landline"]) if p["i"] % 9 != 5 \
            else ""
        bsn = str(rng.randint(100000000, 999999999))
        rows.append([pid, full, p["given"][0] + ".", p["given"], p["prefix"], p["family"],
                     "female" if p["female"] else "male", iso(p["birthday"]), bsn, p["email"],
                     phone, p["address"], p["zipcode"], p["city"], "NL", p["iban"],
                     rng.choice(managers)])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{pid}-{RUN}", "PERSON_FAMILYNAME": full_family(p),
            "PERSON_GIVENNAME": p["given"], "PERSON_GENDER": "F" if p["female"] else "M",
            "PERSON_BIRTHDAY": iso(p["birthday"]), "PERSON_IDENTIFIER": pid,
            "ADDRESS_STREET": p["street"], "ADDRESS_HOUSENUMBER": p["number"],
            "ADDRESS_EXTENSION": p["ext"], "ADDRESS_ZIPCODE": p["zipcode"],
            "ADDRESS_CITY": p["city"], "ADDRESS_COUNTRY": "NL",
            "CONTACT_PHONENUMBER_1": e164(phone) if phone else "", "CONTACT_EMAIL_1": p["email"]})
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(os.path.join(d, "export.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    columns = {"id": "PERSON_IDENTIFIER", "first_name": "PERSON_GIVENNAME",
               "gender": "PERSON_GENDER", "date_of_birth": "PERSON_BIRTHDAY",
               "email": "CONTACT_EMAIL_1", "phone": "CONTACT_PHONENUMBER_1",
               "address_line_1": "split:address", "address_postal_code": "ADDRESS_ZIPCODE",
               "address_locality": "ADDRESS_CITY", "address_country_code": "ADDRESS_COUNTRY"}
    joins = {"PERSON_FAMILYNAME": ["family_name_prefix", "family_name"]}
    ignore = {"full_name": "the full name, computed from the name columns that are delivered",
              "initials": "initials; the first name is delivered",
              "social_security_number": "a citizen service number (BSN)",
              "bank_account": "a bank account (IBAN)",
              "relation_manager_name": "the account manager, not the debtor"}
    order_columns(header, columns, ignore, joins)
    ident = "{id}-{date}"
    write_expected(d, truth_of(columns, ignore, ident, joins),
                   profile_text(ident, {"delimiter": ";"}, columns, ignore, joins=joins),
                   delivered)


def main():
    os.makedirs(OUT, exist_ok=True)
    exact_globe()
    xero()
    octopus()
    odoo()
    quickbooks()
    salesforce()
    banana()
    yuki()
    simplicate()


if __name__ == "__main__":
    main()
