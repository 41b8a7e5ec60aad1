#!/usr/bin/env python3
"""Writes fixtures/map/heldout3/: a third held-out set of exports for `collectmaxx map`.

Made without looking at the recogniser, its known-header table, the research header lists or
the earlier sets' truth files and header lists, and without running `map` on these exports.
Each export imitates a system no earlier set used; its column names are those of the system's
export or import format as named per export below and in fixtures/README.md. The expected
delivery is computed here from the Collectmaxx delivery specification (amounts in cents,
dates yyyy-mm-dd, phones as E.164 digits, countries ISO 3166-1 alpha-2, a sorted family name
"Berg, van der" delivered as "van der Berg"), for the run date 2025-03-14.

The writers and the fictitious Dutch and Belgian people are those of the second set, shared
with it in map_fixtures.py (same folder, imported), so the sets write their files the same way;
the German people (map_fixtures.germans) were new with this set.

Deterministic: random.Random(seed) per export, no clock. Needs openpyxl, phonenumbers and
xlwt (`pip install openpyxl phonenumbers xlwt`) and LibreOffice for the .ods
(`apt-get install libreoffice-calc`). Run from the repository root:
`python3 scripts/make-map-heldout3.py`.
"""
import datetime, os, random, uuid

import openpyxl
import xlwt

from map_fixtures import ROOT, RUN, TODAY, CITIES_BE, CITIES_NL, e164, people, germans
from map_fixtures import full_family, iso, money, dashed, spaced_intl, be_national, newdir
from map_fixtures import phones_in_order, write_csv, save_workbook, via_soffice, finish
from map_fixtures import german_or_dutch, address_fields, address_fields_of

OUT = os.path.join(ROOT, "fixtures", "map", "heldout3")

# Belgian French-speaking places, with their streets.
CITIES_WALLOON = [("1000", "Bruxelles"), ("4000", "Liège"), ("5000", "Namur"), ("7000", "Mons"),
                  ("1300", "Wavre"), ("6000", "Charleroi")]
STREETS_WALLOON = ["Rue de la Loi", "Avenue Louise", "Rue Haute", "Chaussée de Namur",
                   "Place Saint-Lambert", "Rue des Carmes"]


# ---------------------------------------------------------------- the exports

def king(seed=301):
    """King Business Software: the report 'Openstaande posten debiteuren' saved as CSV: the
    report's title, administration and reference date above the header (row 5), ';',
    Windows-1252, a combined 'Postcode / plaats', dd-mm-yyyy, decimal comma with thousands
    dots, paid and open amounts beside the invoice amount, a 'Totaal' row at the bottom, and
    debtors with more than one open invoice."""
    d = newdir(OUT, "01-king-openstaande-posten")
    header = ["Debiteur", "Naam", "Adres", "Postcode / plaats", "Telefoon", "Factuur", "Datum",
              "Vervaldatum", "Omschrijving", "Bedrag", "Betaald", "Openstaand", "Dagen"]
    debtors = people(seed, 24)
    rng = random.Random(seed * 7)
    rows, delivered = [], []
    totals = [0, 0, 0]
    texts = ["Onderhoud cv-ketel", "Storing verhelpen", "Installatie zonnepanelen",
             "Jaarcontract ventilatie", "Vervangen boiler", "Materiaal en arbeid"]
    for n in range(30):
        p = debtors[n % 24] if n < 24 else debtors[(n * 5) % 24]
        debnr = str(20000 + p["i"] * 3)
        family = full_family(p).replace("ı", "i")
        naam = f"{p['family']}, {p['prefix']}" if p["prefix"] and p["i"] % 2 else family
        naam = naam.replace("ı", "i")
        belgian = p["i"] in (6, 15)
        if belgian:
            zipcode, city = CITIES_BE[p["i"] % len(CITIES_BE)]
            street, number, ext = "Lindenlaan", str(3 + p["i"]), "bus 2"
            adres = f"Lindenlaan {number} bus 2"
            phone, region, country = p["be_mobile"], "BE", "BE"
            pcpl = f"{zipcode} {city}"
        else:
            zipcode, city = p["zipcode"], p["city"]
            street, number, ext, adres = p["street"], p["number"], p["ext"], p["address"]
            phone, region, country = dashed(p["landline"] if p["i"] % 3 else p["mobile"]), \
                "NL", "NL"
            pcpl = f"{zipcode}  {city}"
        factuur = str(250100 + n * 7)
        invdate = datetime.date(2024, 11, 1) + datetime.timedelta(days=rng.randint(0, 110))
        due = invdate + datetime.timedelta(days=rng.choice([14, 30]))
        amount = rng.choice([rng.randint(4500, 99999), rng.randint(100000, 650000)])
        paid = rng.choice([0, 0, 0, 5000, amount // 2])
        open_ = amount - paid
        days = max(0, (TODAY - due).days)
        text = rng.choice(texts)
        totals = [totals[0] + amount, totals[1] + paid, totals[2] + open_]
        rows.append([debnr, naam, adres, pcpl, phone, factuur, invdate.strftime("%d-%m-%Y"),
                     due.strftime("%d-%m-%Y"), text, money(amount), money(paid), money(open_),
                     str(days)])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{factuur}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_IDENTIFIER": debnr, **address_fields(street, number, ext, zipcode, city),
            "CONTACT_PHONENUMBER_1": e164(phone, region), "INVOICE_NUMBER": factuur,
            "INVOICE_DATE": iso(invdate), "INVOICE_DUEDATE": iso(due),
            "INVOICE_AMOUNT": str(open_), "INVOICE_DESCRIPTION": text,
            "INVOICE_REFERENCE": factuur})
    rows.append(["", "Totaal", "", "", "", "", "", "", "", money(totals[0]), money(totals[1]),
                 money(totals[2]), ""])
    above = [["Openstaande posten debiteuren"] + [""] * 12,
             ["Administratie: 001 Installatiebedrijf Van Dam B.V."] + [""] * 12,
             ["Peildatum: 14-03-2025"] + [""] * 12, [""] * 13]
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", encoding="cp1252", above=above)
    columns = {"Debiteur": "PERSON_IDENTIFIER", "Naam": "PERSON_FAMILYNAME",
               "Adres": "split:address", "Postcode / plaats": "split:zipcode_city",
               "Telefoon": "CONTACT_PHONENUMBER_1",
               "Factuur": ["INVOICE_NUMBER", "INVOICE_REFERENCE"], "Datum": "INVOICE_DATE",
               "Vervaldatum": "INVOICE_DUEDATE", "Omschrijving": "INVOICE_DESCRIPTION",
               "Openstaand": "INVOICE_AMOUNT"}
    ignore = {"Bedrag": "the invoice amount; the open amount is delivered",
              "Betaald": "the amount paid", "Dagen": "days past due"}
    finish(d, header, "{Factuur}-{date}",
           {"delimiter": ";", "encoding": "windows-1252", "header_row": 5, "date_order": "dmy",
            "amounts": "major"}, columns, ignore, delivered)


def sage_bob(seed=302):
    """Sage BOB 50 (Belgium), the customer list ('Clients') exported to Excel in French: one
    name column, Belgian national phone numbers (needs default_country BE), Flemish and
    Walloon places, a VAT number, a language code and the balance; xls written by
    xlwt (an .xls as older exporters write it)."""
    d = newdir(OUT, "02-sage-bob50-clients")
    header = ["Référence", "Nom", "Rue", "Code postal", "Localité", "Pays", "Téléphone", "GSM",
              "E-mail", "N° TVA", "Langue", "Solde"]
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Clients")
    amount = xlwt.easyxf(num_format_str="#,##0.00")
    for c, name in enumerate(header):
        ws.write(0, c, name)
    delivered = []
    for p in people(seed, 26, belgian=True):
        rng = p["rng"]
        walloon = p["i"] % 3 == 0
        if walloon:
            zipcode, city = CITIES_WALLOON[p["i"] % len(CITIES_WALLOON)]
            street = STREETS_WALLOON[p["i"] % len(STREETS_WALLOON)]
            number, ext = str(rng.randint(1, 140)), ""
            address, lang = f"{street} {number}", "F"
        else:
            zipcode, city, street = p["zipcode"], p["city"], p["street"]
            number, ext, address, lang = p["number"], p["ext"], p["address"], "N"
        ref = f"{p['family'].upper().replace(' ', '')[:6]}{p['i']:02d}"
        tel = be_national(rng, False) if p["i"] % 4 != 1 else ""
        gsm = be_national(rng, True) if p["i"] % 5 != 2 else ""
        email = p["email"].replace("@voorbeeld.nl", "@exemple.be")
        vat = f"BE0{rng.randint(200, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}" \
            if p["i"] % 7 == 3 else None
        balance = rng.choice([0, 0, rng.randint(1000, 250000)]) / 100
        values = [ref, f"{p['given']} {p['family']}", address, zipcode, city, "BE", tel, gsm,
                  email, vat, lang]
        for c, v in enumerate(values):
            if v:
                ws.write(p["i"] + 1, c, v)
        ws.write(p["i"] + 1, len(values), balance, amount)
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{ref}-{RUN}", "PERSON_FAMILYNAME": p["family"],
            "PERSON_GIVENNAME": p["given"], "PERSON_IDENTIFIER": ref,
            **address_fields(street, number, ext, zipcode, city, "BE"),
            "CONTACT_EMAIL_1": email}, [e164(x, "BE") for x in (tel, gsm) if x]))
    wb.save(os.path.join(d, "export.xls"))
    columns = {"Référence": "PERSON_IDENTIFIER", "Nom": "split:name", "Rue": "split:address",
               "Code postal": "ADDRESS_ZIPCODE", "Localité": "ADDRESS_CITY",
               "Pays": "ADDRESS_COUNTRY", "Téléphone": "CONTACT_PHONENUMBER_1",
               "GSM": "CONTACT_PHONENUMBER_2", "E-mail": "CONTACT_EMAIL_1"}
    ignore = {"N° TVA": "a VAT number", "Langue": "a language code",
              "Solde": "the customer's account balance, not an invoice"}
    finish(d, header, "{Référence}-{date}", {"default_country": "BE"}, columns, ignore, delivered)


def nav(seed=303):
    """Microsoft Dynamics NAV (German), the customer list 'Debitorenübersicht' sent to Excel:
    the card's captions, an empty 'Name 2' and a mostly empty 'Adresse 2', German national
    phone numbers (needs default_country DE) beside Dutch rows written +31, numbers
    formatted #,##0.00, a blocked flag."""
    d = newdir(OUT, "03-dynamics-nav-debitoren")
    header = ["Nr.", "Name", "Name 2", "Adresse", "Adresse 2", "PLZ-Code", "Ort",
              "Länder-/Regionscode", "Telefonnr.", "Kontakt", "E-Mail", "USt-IdNr.",
              "Zahlungsbedingungscode", "Saldo (MW)", "Saldo fällig (MW)", "Gesperrt"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Debitorenübersicht"
    ws.append(header)
    delivered = []
    dutch = people(seed + 1000, 6)
    for p in germans(seed, 28):
        rng = p["rng"]
        nr = f"D{10010 + p['i'] * 10}"
        (given, family, street, number, ext, address, zipcode, city, country, phone, region,
         email) = german_or_dutch(p, dutch, 5, spaced_intl)
        extra = "Hinterhaus" if p["i"] in (2, 13) else None
        vat = f"DE{rng.randint(100000000, 999999999)}" if p["i"] % 6 == 0 else None
        balance = rng.randint(0, 300000)
        overdue = rng.choice([0, balance // 2, balance])
        ws.append([nr, f"{given} {family}", None, address, extra, zipcode, city, country, phone,
                   f"{given} {family}", email, vat, rng.choice(["14 TAGE", "30 TAGE", "LS"]),
                   balance / 100, overdue / 100, None])
        for c in ("N", "O"):
            ws[f"{c}{ws.max_row}"].number_format = "#,##0.00"
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{nr}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "PERSON_IDENTIFIER": nr,
            **address_fields(street, number, ext, zipcode, city, country),
            "CONTACT_PHONENUMBER_1": e164(phone, region), "CONTACT_EMAIL_1": email})
    save_workbook(wb, os.path.join(d, "export.xlsx"))
    columns = {"Nr.": "PERSON_IDENTIFIER", "Name": "split:name", "Adresse": "split:address",
               "PLZ-Code": "ADDRESS_ZIPCODE", "Ort": "ADDRESS_CITY",
               "Länder-/Regionscode": "ADDRESS_COUNTRY", "Telefonnr.": "CONTACT_PHONENUMBER_1",
               "E-Mail": "CONTACT_EMAIL_1"}
    ignore = {"Name 2": "a second name line, empty", "Adresse 2": "a second address line",
              "Kontakt": "the contact person (here the same person as the name)",
              "USt-IdNr.": "a VAT number", "Zahlungsbedingungscode": "payment terms",
              "Saldo (MW)": "the customer's account balance, not an invoice",
              "Saldo fällig (MW)": "the customer's overdue balance, not an invoice",
              "Gesperrt": "a blocked flag, empty"}
    finish(d, header, "{Nr.}-{date}", {"default_country": "DE"}, columns, ignore, delivered)


def zoho_books(seed=304):
    """Zoho Books: the invoice export (CSV) with its billing and shipping address families,
    ',', ISO dates, amounts with a decimal point, country names, an internal 'Invoice ID'
    beside the 'Invoice Number', 'Balance' beside 'Total', an empty 'Billing State'."""
    d = newdir(OUT, "04-zoho-books-invoices")
    header = ["Invoice Date", "Invoice ID", "Invoice Number", "Invoice Status", "Customer ID",
              "Customer Name", "Due Date", "Currency Code", "Exchange Rate", "SubTotal", "Total",
              "Balance", "Billing Address", "Billing Street2", "Billing City", "Billing State",
              "Billing Country", "Billing Code", "Billing Phone", "Shipping Address",
              "Shipping City", "Shipping Code", "Shipping Country", "PurchaseOrder", "Notes"]
    rows, delivered = [], []
    for p in people(seed, 27):
        rng = p["rng"]
        belgian = p["i"] in (4, 11, 20)
        if belgian:
            zipcode, city = CITIES_BE[p["i"] % len(CITIES_BE)]
            street, number, ext = "Grote Markt", str(p["i"] + 1), ""
            address, country, cname = f"Grote Markt {number}", "BE", "Belgium"
            phone = p["be_mobile"]
        else:
            zipcode, city = p["zipcode"], p["city"]
            street, number, ext, address = p["street"], p["number"], p["ext"], p["address"]
            country, cname = "NL", "Netherlands"
            phone = spaced_intl(p["mobile"] if p["i"] % 3 else p["landline"])
        inv_id = str(1795000000000 + rng.randint(10 ** 6, 10 ** 7))
        number_ = f"INV-{p['i'] + 310:06d}"
        cust = str(1795000000000 + p["i"] * 311)
        total = p["amount"]
        sub = total - p["tax"]
        balance = total - p["paid"]
        po = f"PO-{rng.randint(100, 999)}" if p["i"] % 3 == 1 else ""
        ship = p["i"] % 5 == 0
        s_zip, s_city = CITIES_NL[(p["i"] + 4) % len(CITIES_NL)]
        status = "Overdue" if p["duedate"] < TODAY else "Sent"
        if p["paid"]:
            status = "PartiallyPaid"
        rows.append([iso(p["invdate"]), inv_id, number_, status, cust,
                     f"{p['given']} {full_family(p)}", iso(p["duedate"]), "EUR", "1.00",
                     money(sub, ".", ""), money(total, ".", ""), money(balance, ".", ""),
                     address, "", city, "", cname, zipcode, phone,
                     f"Magazijnweg {p['i'] + 1}" if ship else "", s_city if ship else "",
                     s_zip if ship else "", "Netherlands" if ship else "", po,
                     "Bedankt voor uw opdracht." if p["i"] % 4 == 0 else ""])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{number_}-{RUN}", "PERSON_FAMILYNAME": full_family(p),
            "PERSON_GIVENNAME": p["given"], "PERSON_IDENTIFIER": cust,
            **address_fields(street, number, ext, zipcode, city, country),
            "CONTACT_PHONENUMBER_1": e164(phone), "INVOICE_NUMBER": number_,
            "INVOICE_DATE": iso(p["invdate"]), "INVOICE_DUEDATE": iso(p["duedate"]),
            "INVOICE_CURRENCY": "EUR", "INVOICE_AMOUNT": str(balance), "INVOICE_REFERENCE": po})
    write_csv(os.path.join(d, "export.csv"), header, rows, ",")
    columns = {"Invoice Date": "INVOICE_DATE", "Invoice Number": "INVOICE_NUMBER",
               "Customer ID": "PERSON_IDENTIFIER", "Customer Name": "split:name",
               "Due Date": "INVOICE_DUEDATE", "Currency Code": "INVOICE_CURRENCY",
               "Balance": "INVOICE_AMOUNT", "Billing Address": "split:address",
               "Billing City": "ADDRESS_CITY", "Billing Country": "ADDRESS_COUNTRY",
               "Billing Code": "ADDRESS_ZIPCODE", "Billing Phone": "CONTACT_PHONENUMBER_1",
               "PurchaseOrder": "INVOICE_REFERENCE"}
    ignore = {"Invoice ID": "the system's internal record id; the invoice number is delivered",
              "Invoice Status": "the invoice status", "Exchange Rate": "an exchange rate",
              "SubTotal": "the amount before tax", "Total": "the invoice total; the balance "
              "is delivered", "Billing Street2": "a second address line, empty",
              "Billing State": "a province, empty", "Notes": "a note printed on the invoice"}
    for c in header:
        if c.startswith("Shipping"):
            ignore[c] = "the shipping address; the billing address is delivered"
    finish(d, header, "{Invoice Number}-{date}", {"delimiter": ",", "amounts": "major"}, columns,
           ignore, delivered)


def teamleader(seed=305):
    """Teamleader Focus (Belgium), contacts exported in Dutch: ';' with a byte order mark,
    'Aanspreektitel' beside 'Geslacht', 'Familienaam', one address line, 'Gemeente',
    Belgian national numbers (needs default_country BE) and Dutch rows written +31,
    birth dates dd/mm/yyyy, tags."""
    d = newdir(OUT, "05-teamleader-contacten")
    header = ["ID", "Aanspreektitel", "Voornaam", "Familienaam", "Geslacht", "Geboortedatum",
              "E-mailadres", "Telefoon", "GSM", "Adres", "Postcode", "Gemeente", "Land", "Taal",
              "Tags", "Toegevoegd op"]
    rows, delivered = [], []
    dutch = people(seed + 1000, 8)
    rng0 = random.Random(seed)
    for p in people(seed, 30, belgian=True):
        rng = p["rng"]
        cid = str(uuid.UUID(int=rng0.getrandbits(128), version=4))
        if p["i"] % 4 == 3:
            q = dutch[p["i"] // 4]
            given, family, female, birthday = q["given"], full_family(q), q["female"], \
                q["birthday"]
            street, number, ext, address = q["street"], q["number"], q["ext"], q["address"]
            zipcode, city, land, country = q["zipcode"], q["city"], "Nederland", "NL"
            tel, gsm, region = "", spaced_intl(q["mobile"]), "NL"
            email = q["email"]
        else:
            given, family, female, birthday = p["given"], p["family"], p["female"], \
                p["birthday"]
            street, number, ext, address = p["street"], p["number"], p["ext"], p["address"]
            zipcode, city, land, country = p["zipcode"], p["city"], "België", "BE"
            tel = be_national(rng, False) if p["i"] % 3 == 0 else ""
            gsm = be_national(rng, True) if p["i"] % 7 != 5 else ""
            region, email = "BE", p["email"].replace("@voorbeeld.nl", "@voorbeeld.be")
        added = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        rows.append([cid, "Mevrouw" if female else "De heer", given, family,
                     "Vrouw" if female else "Man", birthday.strftime("%d/%m/%Y"), email, tel,
                     gsm, address, zipcode, city, land, "nl",
                     rng.choice(["", "klant", "klant, nieuwsbrief", "prospect"]),
                     added.strftime("%d/%m/%Y")])
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{cid}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "PERSON_GENDER": "F" if female else "M",
            "PERSON_BIRTHDAY": iso(birthday), "PERSON_IDENTIFIER": cid,
            **address_fields(street, number, ext, zipcode, city, country),
            "CONTACT_EMAIL_1": email}, [e164(x, region) for x in (tel, gsm) if x]))
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", bom=True)
    columns = {"ID": "PERSON_IDENTIFIER", "Voornaam": "PERSON_GIVENNAME",
               "Familienaam": "PERSON_FAMILYNAME", "Geslacht": "PERSON_GENDER",
               "Geboortedatum": "PERSON_BIRTHDAY", "E-mailadres": "CONTACT_EMAIL_1",
               "Telefoon": "CONTACT_PHONENUMBER_1", "GSM": "CONTACT_PHONENUMBER_2",
               "Adres": "split:address", "Postcode": "ADDRESS_ZIPCODE",
               "Gemeente": "ADDRESS_CITY", "Land": "ADDRESS_COUNTRY"}
    ignore = {"Aanspreektitel": "a form of address; the gender comes from 'Geslacht'",
              "Taal": "a language code", "Tags": "tags",
              "Toegevoegd op": "the date the contact was added"}
    finish(d, header, "{ID}-{date}",
           {"delimiter": ";", "date_order": "dmy", "default_country": "BE"}, columns, ignore,
           delivered, values={"PERSON_GENDER": {"Man": "M", "Vrouw": "F"}})


def informer(seed=306):
    """Informer (Dutch online bookkeeping), relations exported tab-separated: a company
    name column (empty for persons), 'Aanhef', 'Voornaam', 'Tussenvoegsel', 'Achternaam',
    street, house number and addition in their own columns, IBAN, VAT and Chamber of
    Commerce numbers; UTF-8 with LF line ends."""
    d = newdir(OUT, "06-informer-relaties")
    header = ["Relatienummer", "Bedrijfsnaam", "Aanhef", "Voornaam", "Tussenvoegsel",
              "Achternaam", "Straat", "Huisnummer", "Toevoeging", "Postcode", "Plaats", "Land",
              "E-mail", "Telefoon", "Mobiel", "IBAN", "Btw-nummer", "KvK-nummer"]
    rows, delivered = [], []
    for p in people(seed, 32):
        rng = p["rng"]
        relnr = str(1000 + p["i"] * 4)
        ext = p["ext"]
        tel = dashed(p["landline"]) if p["i"] % 3 else ""
        mob = p["mobile"] if p["i"] % 5 != 1 else ""
        family = p["family"].replace("ı", "i")
        rows.append([relnr, "", "Mevrouw" if p["female"] else "De heer", p["given"], p["prefix"],
                     family, p["street"], p["number"], ext, p["zipcode"], p["city"], "NL",
                     p["email"], tel, mob, p["iban"], "", ""])
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{relnr}-{RUN}",
            "PERSON_FAMILYNAME": (p["prefix"] + " " + family).strip(),
            "PERSON_GIVENNAME": p["given"], "PERSON_GENDER": "F" if p["female"] else "M",
            "PERSON_IDENTIFIER": relnr, **address_fields_of(p, "NL"),
            "CONTACT_EMAIL_1": p["email"]}, [e164(x) for x in (tel, mob) if x]))
    write_csv(os.path.join(d, "export.txt"), header, rows, "\t", lineterminator="\n")
    columns = {"Relatienummer": "PERSON_IDENTIFIER", "Aanhef": "PERSON_GENDER",
               "Voornaam": "PERSON_GIVENNAME", "Straat": "ADDRESS_STREET",
               "Huisnummer": "ADDRESS_HOUSENUMBER", "Toevoeging": "ADDRESS_EXTENSION",
               "Postcode": "ADDRESS_ZIPCODE", "Plaats": "ADDRESS_CITY", "Land": "ADDRESS_COUNTRY",
               "E-mail": "CONTACT_EMAIL_1", "Telefoon": "CONTACT_PHONENUMBER_1",
               "Mobiel": "CONTACT_PHONENUMBER_2"}
    joins = {"PERSON_FAMILYNAME": ["Tussenvoegsel", "Achternaam"]}
    ignore = {"Bedrijfsnaam": "a company name, empty for these persons",
              "IBAN": "a bank account (IBAN)", "Btw-nummer": "a VAT number, empty",
              "KvK-nummer": "a Chamber of Commerce number, empty"}
    finish(d, header, "{Relatienummer}-{date}", {"delimiter": "tab"}, columns, ignore, delivered,
           values={"PERSON_GENDER": {"De heer": "M", "Mevrouw": "F"}}, joins=joins)


def stripe(seed=307):
    """Stripe: the dashboard's invoice export (CSV, ','), with the customer's fields,
    lower-case currency codes, amounts in major units with a point, date-times in UTC
    ('2025-01-07 09:41'), 'Amount Due', 'Amount Paid' and 'Amount Remaining' side by side,
    an empty address state."""
    d = newdir(OUT, "07-stripe-invoices")
    header = ["id", "Number", "Customer", "Customer Name", "Customer Email", "Customer Phone",
              "Customer Address Line1", "Customer Address Line2", "Customer Address City",
              "Customer Address State", "Customer Address Postal Code",
              "Customer Address Country", "Status", "Currency", "Subtotal", "Tax", "Total",
              "Amount Due", "Amount Paid", "Amount Remaining", "Date (UTC)", "Due Date (UTC)",
              "Description"]
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    rows, delivered = [], []
    plans = ["Abonnement Pro (maand)", "Abonnement Basis (jaar)", "Extra gebruikers",
             "Opslag 100 GB"]
    for p in people(seed, 25):
        rng = p["rng"]
        inv = "in_1Q" + "".join(rng.choice(chars) for _ in range(22))
        cus = "cus_" + "".join(rng.choice(chars) for _ in range(14))
        number_ = f"8F3A21C7-{p['i'] + 1:04d}"
        belgian = p["i"] in (3, 16)
        if belgian:
            zipcode, city = CITIES_BE[p["i"] % len(CITIES_BE)]
            street, number, ext = "Bruggestraat", str(p["i"] + 10), ""
            address, country, phone = f"Bruggestraat {number}", "BE", p["be_mobile"]
        else:
            zipcode, city = p["zipcode"], p["city"]
            street, number, ext, address = p["street"], p["number"], p["ext"], p["address"]
            country = "NL"
            phone = "+" + e164(p["mobile"]) if p["i"] % 4 else ""
        created = datetime.datetime.combine(p["invdate"], datetime.time(
            rng.randint(0, 23), rng.randint(0, 59)))
        due_at = datetime.datetime.combine(p["duedate"], created.time())
        total = p["amount"]
        paid = p["paid"]
        plan = rng.choice(plans)
        rows.append([inv, number_, cus, f"{p['given']} {full_family(p)}", p["email"], phone,
                     address, "", city, "", zipcode, country, "open", "eur",
                     money(total - p["tax"], ".", ""), money(p["tax"], ".", ""),
                     money(total, ".", ""), money(total, ".", ""), money(paid, ".", ""),
                     money(total - paid, ".", ""), created.strftime("%Y-%m-%d %H:%M"),
                     due_at.strftime("%Y-%m-%d %H:%M"), plan])
        row = {"IDENTIFICATION_IDENTIFIER": f"{number_}-{RUN}",
               "PERSON_FAMILYNAME": full_family(p), "PERSON_GIVENNAME": p["given"],
               "PERSON_IDENTIFIER": cus,
               **address_fields(street, number, ext, zipcode, city, country),
               "CONTACT_PHONENUMBER_1": e164(phone) if phone else "",
               "CONTACT_EMAIL_1": p["email"], "INVOICE_NUMBER": number_,
               "INVOICE_DATE": iso(p["invdate"]), "INVOICE_DUEDATE": iso(p["duedate"]),
               "INVOICE_CURRENCY": "EUR", "INVOICE_AMOUNT": str(total - paid),
               "INVOICE_TAX": str(p["tax"]), "INVOICE_DESCRIPTION": plan,
               "INVOICE_REFERENCE": number_}
        delivered.append(row)
    write_csv(os.path.join(d, "export.csv"), header, rows, ",")
    columns = {"Number": ["INVOICE_NUMBER", "INVOICE_REFERENCE"],
               "Customer": "PERSON_IDENTIFIER", "Customer Name": "split:name",
               "Customer Email": "CONTACT_EMAIL_1", "Customer Phone": "CONTACT_PHONENUMBER_1",
               "Customer Address Line1": "split:address",
               "Customer Address City": "ADDRESS_CITY",
               "Customer Address Postal Code": "ADDRESS_ZIPCODE",
               "Customer Address Country": "ADDRESS_COUNTRY", "Currency": "INVOICE_CURRENCY",
               "Tax": "INVOICE_TAX", "Amount Remaining": "INVOICE_AMOUNT",
               "Date (UTC)": "INVOICE_DATE", "Due Date (UTC)": "INVOICE_DUEDATE",
               "Description": "INVOICE_DESCRIPTION"}
    ignore = {"id": "the system's internal invoice id; the invoice number is delivered",
              "Customer Address Line2": "a second address line, empty",
              "Customer Address State": "a province, empty", "Status": "the invoice status",
              "Subtotal": "the amount before tax",
              "Total": "the invoice total; the amount remaining is delivered",
              "Amount Due": "the amount billed, before payments; the amount remaining is "
              "delivered", "Amount Paid": "the amount paid"}
    finish(d, header, "{Number}-{date}", {"delimiter": ",", "amounts": "major"}, columns, ignore,
           delivered)


def hubspot(seed=308):
    """HubSpot: a contacts export (property labels as the export writes them), saved as
    ods by LibreOffice from an openpyxl workbook: birth-date and create-date cells,
    'Last Name' holding the name prefix, country names, the contact owner, empty phone
    cells, a state column that is empty."""
    d = newdir(OUT, "08-hubspot-contacts")
    header = ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
              "Mobile Phone Number", "Street Address", "City", "State/Region", "Postal Code",
              "Country/Region", "Date of birth", "Contact owner", "Lifecycle Stage",
              "Create Date"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "contacts"
    ws.append(header)
    delivered = []
    owners = ["Mark de Jong", "Eva Smits", "Tom Hendriks"]
    for p in people(seed, 34):
        rng = p["rng"]
        rid = str(51000000000 + rng.randint(10 ** 6, 10 ** 8))
        phone = spaced_intl(p["landline"]) if p["i"] % 3 == 0 else ""
        mobile = spaced_intl(p["mobile"]) if p["i"] % 6 != 4 else ""
        created = datetime.datetime(2024, 1, 1, 9, 0) + datetime.timedelta(
            minutes=rng.randint(0, 500000))
        birthday = p["birthday"] if p["i"] % 5 != 2 else None
        ws.append([int(rid), p["given"], full_family(p), p["email"], phone or None,
                   mobile or None, p["address"], p["city"], None, p["zipcode"], "Netherlands",
                   birthday, rng.choice(owners), rng.choice(["Customer", "Lead", "Customer"]),
                   created])
        r = ws.max_row
        ws[f"L{r}"].number_format = "yyyy-mm-dd"
        ws[f"O{r}"].number_format = "yyyy-mm-dd hh:mm"
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{rid}-{RUN}", "PERSON_FAMILYNAME": full_family(p),
            "PERSON_GIVENNAME": p["given"], "PERSON_BIRTHDAY": iso(birthday) if birthday else "",
            "PERSON_IDENTIFIER": rid, **address_fields_of(p, "NL"),
            "CONTACT_EMAIL_1": p["email"]}, [e164(x) for x in (phone, mobile) if x]))
    via_soffice(wb, "ods", os.path.join(d, "export.ods"))
    columns = {"Record ID": "PERSON_IDENTIFIER", "First Name": "PERSON_GIVENNAME",
               "Last Name": "PERSON_FAMILYNAME", "Email": "CONTACT_EMAIL_1",
               "Phone Number": "CONTACT_PHONENUMBER_1",
               "Mobile Phone Number": "CONTACT_PHONENUMBER_2",
               "Street Address": "split:address", "City": "ADDRESS_CITY",
               "Postal Code": "ADDRESS_ZIPCODE", "Country/Region": "ADDRESS_COUNTRY",
               "Date of birth": "PERSON_BIRTHDAY"}
    ignore = {"State/Region": "a province, empty", "Contact owner": "the sales owner, not the "
              "debtor", "Lifecycle Stage": "a sales stage",
              "Create Date": "the date the record was made"}
    finish(d, header, "{Record ID}-{date}", {}, columns, ignore, delivered)


def main():
    os.makedirs(OUT, exist_ok=True)
    king()
    sage_bob()
    nav()
    zoho_books()
    teamleader()
    informer()
    stripe()
    hubspot()


if __name__ == "__main__":
    main()
