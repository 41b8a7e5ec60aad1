"""The writers and the fictitious people that the held-out fixture sets for `collectmaxx map`
share: scripts/make-map-heldout2.py, make-map-heldout3.py and make-map-heldout4.py import them
from here (same folder), so every set writes its files the same way.

Each set's expected delivery is computed with these helpers from the Collectmaxx delivery
specification (amounts in cents, dates yyyy-mm-dd, phones as E.164 digits through
phonenumbers, countries ISO 3166-1 alpha-2, a sorted family name "Berg, van der" delivered as
"van der Berg"), for the run date 2025-03-14 (RUN, TODAY). The people are drawn from
random.Random(seed), the workbooks' document dates and zip entry times are fixed, so a second
run of a script gives the same bytes. Needs phonenumbers (the workbooks it saves are the
scripts' openpyxl workbooks) and LibreOffice (`soffice`) for via_soffice.
"""
import csv, datetime, io, json, os, random, re, shutil, subprocess, tempfile, zipfile

import phonenumbers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = "20250314"
TODAY = datetime.date(2025, 3, 14)

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


def dashed(num):
    """A Dutch national number written as people do: 010-4123456, 06-12345678."""
    cut = 2 if num.startswith("06") else (3 if num[1:3] in NL_AREA else 4)
    return num[:cut] + "-" + num[cut:]


def spaced_intl(num):
    """+31 6 12345678, +31 20 1234567."""
    rest = num[1:]
    cut = 1 if rest.startswith("6") else 2
    return f"+31 {rest[:cut]} {rest[cut:]}"


def be_national(rng, mobile):
    """A Belgian number as written in Belgium: 0475 12 34 56, 09 233 45 67."""
    if mobile:
        return f"04{rng.choice([70, 75, 77, 78, 79, 84, 86, 95, 96])} " \
            f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    while True:
        area = rng.choice(["09", "03", "02", "016", "050", "011"])
        if len(area) == 2:
            text = f"{area} {rng.randint(200, 899)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        else:
            text = f"{area} {rng.randint(20, 89)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(text, "BE")):
            return text


GIVEN_DE_M = ["Jürgen", "Thomas", "Lukas", "Stefan", "Matthias", "Klaus", "Jonas", "Felix"]
GIVEN_DE_F = ["Anna", "Sabine", "Katrin", "Lena", "Ursula", "Julia", "Monika", "Hannah"]
FAMILY_DE = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
             "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"]
STREETS_DE = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schillerstraße",
              "Am Markt", "Goethestraße", "Kirchplatz"]
CITIES_DE = [("10115", "Berlin"), ("50667", "Köln"), ("80331", "München"), ("20095", "Hamburg"),
             ("40213", "Düsseldorf"), ("52062", "Aachen"), ("48143", "Münster"),
             ("47051", "Duisburg")]


def germans(seed, count):
    rng = random.Random(seed)
    out = []
    for i in range(count):
        female = rng.random() < 0.5
        given = rng.choice(GIVEN_DE_F if female else GIVEN_DE_M)
        family = rng.choice(FAMILY_DE)
        street = rng.choice(STREETS_DE)
        zipcode, city = rng.choice(CITIES_DE)
        number = str(rng.choice([1, 3, 5, 8, 12, 17, 24, 31, 48, 102]))
        ext = rng.choice(["", "", "", "a", "b"])
        area = rng.choice(["030", "0221", "089", "040", "0211", "0241"])
        landline = f"{area} {rng.randint(1000000, 9999999)}"
        mobile = f"01{rng.choice([51, 52, 60, 70, 76])} {rng.randint(10000000, 99999999)}"
        email = (f"{given[0].lower()}.{family.lower()}{seed}{i}@beispiel.de"
                 .replace("ü", "ue").replace("ö", "oe"))
        out.append(dict(i=i, female=female, given=given, family=family, street=street,
                        number=number, ext=ext, address=f"{street} {number}{ext}",
                        zipcode=zipcode, city=city, landline=landline, mobile=mobile,
                        email=email, rng=rng))
    return out


def german_or_dutch(p, dutch, every, nl_phone):
    """The name, address, phone and e-mail of the German person p, or on every every-th row
    those of the Dutch person dutch[i // every] instead, the Dutch mobile written by nl_phone:
    (given, family, street, number, ext, address, zipcode, city, country, phone, region of
    the phone, email)."""
    if p["i"] % every == every - 1:
        q = dutch[p["i"] // every]
        return (q["given"], full_family(q), q["street"], q["number"], q["ext"], q["address"],
                q["zipcode"], q["city"], "NL", nl_phone(q["mobile"]), "NL", q["email"])
    return (p["given"], p["family"], p["street"], p["number"], p["ext"], p["address"],
            p["zipcode"], p["city"], "DE", p["landline"] if p["i"] % 2 else p["mobile"], "DE",
            p["email"])


def address_fields(street, number, ext, zipcode, city, country=None):
    """The address fields of a delivery row (ADDRESS_COUNTRY only when a country is given)."""
    row = {"ADDRESS_STREET": street, "ADDRESS_HOUSENUMBER": number, "ADDRESS_EXTENSION": ext,
           "ADDRESS_ZIPCODE": zipcode, "ADDRESS_CITY": city}
    if country is not None:
        row["ADDRESS_COUNTRY"] = country
    return row


def address_fields_of(p, country=None):
    """The address fields of a delivery row for the person p."""
    return address_fields(p["street"], p["number"], p["ext"], p["zipcode"], p["city"], country)


def phones_in_order(row, values):
    """Numbered phones move up over an empty one: the first number is always slot 1."""
    for k in range(len(values)):
        row[f"CONTACT_PHONENUMBER_{k + 1}"] = ""
    for k, v in enumerate(x for x in values if x):
        row[f"CONTACT_PHONENUMBER_{k + 1}"] = v
    return row


# ---------------------------------------------------------------- writers

def newdir(out, name):
    """The export's folder `name` in the set's folder `out`, made empty."""
    d = os.path.join(out, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def write_csv(path, header, rows, delimiter, encoding="utf-8", quoting=csv.QUOTE_MINIMAL,
              bom=False, lineterminator="\r\n", above=()):
    """A CSV file: the rows `above` (a report's title lines), the header, the rows."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator)
    w.writerows(above)
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


def save_workbook(wb, path):
    """An openpyxl workbook saved with its document dates and zip entry times fixed."""
    fixed_properties(wb)
    wb.save(path)
    fixed_zip_times(path)


def via_soffice(wb, fmt, dest):
    """An openpyxl workbook converted by LibreOffice (fmt as --convert-to names it), its zip
    entry times fixed."""
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "export.xlsx")
        fixed_properties(wb)
        wb.save(src)
        soffice_convert(src, fmt, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fixed_zip_times(dest)


# ---------------------------------------------------------------- the expected files


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


def finish(d, header, ident, read, columns, ignore, delivered, values=None, joins=None):
    """Checks that the truth names every column of the header once, then writes the export's
    truth.json, expected-profile.toml (identifier template `ident`, [read] options `read`,
    value maps `values`, joins `joins`) and expected-delivery.csv."""
    order_columns(header, columns, ignore, joins)
    write_expected(d, truth_of(columns, ignore, ident, joins),
                   profile_text(ident, read, columns, ignore, values, joins), delivered)
