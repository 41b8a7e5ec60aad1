#!/usr/bin/env python3
"""Writes fixtures/map/heldout4/: a fourth held-out set of exports for `collectmaxx map`.

Made without looking at the recogniser, its known-header table, the research header lists or
the earlier sets' truth files and header lists, and without running `map` on these exports.
Each export imitates a system no earlier set used; its column names are those of the system's
export or import format as named per export below and in fixtures/README.md. The expected
delivery is computed here from the Collectmaxx delivery specification (amounts in cents,
dates yyyy-mm-dd, phones as E.164 digits, countries ISO 3166-1 alpha-2, a sorted family name
"Berg, van der" delivered as "van der Berg"), for the run date 2025-03-14.

The writers and the fictitious Dutch, Belgian and German people of the second and third sets
come from map_fixtures.py (same folder, imported), so the sets write their files the same way.

Deterministic: random.Random(seed) per export, no clock. Needs openpyxl, phonenumbers and
xlwt (`pip install openpyxl phonenumbers xlwt`) and LibreOffice for the .ods
(`apt-get install libreoffice-calc`). Run from the repository root:
`python3 scripts/make-map-heldout4.py`.
"""
import datetime, os, random

import openpyxl
import xlwt

from map_fixtures import ROOT, RUN, TODAY, e164, people, germans, full_family, iso, money
from map_fixtures import dashed, spaced_intl, be_national, newdir, phones_in_order, write_csv
from map_fixtures import save_workbook, via_soffice, german_or_dutch, finish
from map_fixtures import address_fields, address_fields_of

OUT = os.path.join(ROOT, "fixtures", "map", "heldout4")


def initials(given):
    return given[0] + "."


# ---------------------------------------------------------------- the exports

def visma(seed=401):
    """Visma eAccounting (Dutch), the report 'Openstaande posten debiteuren' exported to
    Excel: report title and reference date above the header (row 4), the customer's full name
    in one column, date cells dd-mm-yyyy, amount cells #,##0.00, invoice amount beside the
    open amount, days overdue, a 'Totaal' row at the bottom, customers with two invoices."""
    d = newdir(OUT, "01-visma-eaccounting-openstaand")
    header = ["Klantnr.", "Klantnaam", "E-mail", "Factuurnr.", "Factuurdatum", "Vervaldatum",
              "Dagen vervallen", "Valuta", "Factuurbedrag", "Openstaand", "Herinnering"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Openstaande posten"
    ws.append(["Openstaande posten debiteuren"])
    ws.append(["Peildatum: 14-03-2025"])
    ws.append([])
    ws.append(header)
    customers = people(seed, 22)
    rng = random.Random(seed * 7)
    delivered = []
    total_inv = total_open = 0
    for n in range(28):
        p = customers[n] if n < 22 else customers[(n * 3) % 22]
        klantnr = 1000 + p["i"] * 4
        name = f"{p['given']} {full_family(p)}".replace("ı", "i")
        factuur = f"2025{n + 31:04d}" if n % 4 else f"2024{n + 812:04d}"
        invdate = datetime.date(2024, 11, 20) + datetime.timedelta(days=rng.randint(0, 95))
        due = invdate + datetime.timedelta(days=rng.choice([14, 30]))
        amount = rng.randint(2500, 320000)
        open_ = rng.choice([amount, amount, amount - rng.randint(1, amount // 2)])
        total_inv += amount
        total_open += open_
        ws.append([klantnr, name, p["email"], factuur, invdate, due, max(0, (TODAY - due).days),
                   "EUR", amount / 100, open_ / 100,
                   rng.choice(["Ja", "Nee", "Nee"])])
        r = ws.max_row
        ws[f"E{r}"].number_format = "dd-mm-yyyy"
        ws[f"F{r}"].number_format = "dd-mm-yyyy"
        ws[f"I{r}"].number_format = "#,##0.00"
        ws[f"J{r}"].number_format = "#,##0.00"
        given, family = name.split(" ", 1)
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{factuur}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "PERSON_IDENTIFIER": str(klantnr),
            "CONTACT_EMAIL_1": p["email"], "INVOICE_NUMBER": factuur,
            "INVOICE_DATE": iso(invdate), "INVOICE_DUEDATE": iso(due),
            "INVOICE_CURRENCY": "EUR", "INVOICE_AMOUNT": str(open_),
            "INVOICE_REFERENCE": factuur})
    ws.append(["Totaal", None, None, None, None, None, None, None, total_inv / 100,
               total_open / 100])
    r = ws.max_row
    ws[f"I{r}"].number_format = "#,##0.00"
    ws[f"J{r}"].number_format = "#,##0.00"
    save_workbook(wb, os.path.join(d, "export.xlsx"))
    columns = {"Klantnr.": "PERSON_IDENTIFIER", "Klantnaam": "split:name",
               "E-mail": "CONTACT_EMAIL_1",
               "Factuurnr.": ["INVOICE_NUMBER", "INVOICE_REFERENCE"],
               "Factuurdatum": "INVOICE_DATE", "Vervaldatum": "INVOICE_DUEDATE",
               "Valuta": "INVOICE_CURRENCY", "Openstaand": "INVOICE_AMOUNT"}
    ignore = {"Dagen vervallen": "days past due",
              "Factuurbedrag": "the invoice amount; the open amount is delivered",
              "Herinnering": "whether a reminder was sent"}
    finish(d, header, "{Factuurnr.}-{date}", {"header_row": 4, "amounts": "major"}, columns,
           ignore, delivered)


def wefact(seed=402):
    """WeFact (Dutch invoicing for hosting and IT firms), the debtor list exported as CSV:
    ';', Windows-1252, 'Aanhef' Dhr./Mevr. as the only gender, initials instead of given
    names, the family name with its prefix, one address line, Belgian rows whose phones are
    written as Belgians write them (the row's country is BE), mostly empty company name,
    VAT, Chamber of Commerce number, IBAN, and the debtor's open balance."""
    d = newdir(OUT, "02-wefact-debiteuren")
    header = ["Debiteurnummer", "Bedrijfsnaam", "Aanhef", "Voorletters", "Achternaam",
              "Adres", "Postcode", "Plaats", "Land", "E-mailadres", "Telefoonnummer",
              "Mobielnummer", "BTW-nummer", "KvK-nummer", "IBAN", "Openstaand"]
    dutch = people(seed, 26)
    belgians = people(seed + 1000, 4, belgian=True)
    rows, delivered = [], []
    for p in dutch:
        rng = p["rng"]
        be = p["i"] % 7 == 5
        q = belgians[p["i"] // 7] if be else p
        code = f"DB{p['i'] + 10001}"
        company = rng.choice(["Webdesign " + p["family"].replace("ı", "i"),
                              f"{p['family']} ICT".replace("ı", "i")]) if p["i"] % 6 == 2 else ""
        aanhef = "Mevr." if q["female"] else "Dhr."
        family = full_family(q).replace("ı", "i")  # not in Windows-1252
        if be:
            phone = be_national(rng, False) if p["i"] % 2 else ""
            mobile = be_national(rng, True)
            region, country = "BE", "BE"
        else:
            phone = dashed(p["landline"]) if p["i"] % 3 else ""
            mobile = p["mobile"] if p["i"] % 4 != 1 else ""
            region, country = "NL", "NL"
        vat = f"NL{rng.randint(100000000, 999999999)}B01" if company else ""
        kvk = str(rng.randint(10000000, 99999999)) if company else ""
        balance = money(rng.choice([0, 0, rng.randint(1000, 90000)]))
        rows.append([code, company, aanhef, initials(q["given"]), family, q["address"],
                     q["zipcode"], q["city"], country, q["email"], phone, mobile, vat, kvk,
                     q["iban"], balance])
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{code}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": initials(q["given"]), "PERSON_GENDER": "F" if q["female"] else "M",
            "PERSON_IDENTIFIER": code, **address_fields_of(q, country),
            "CONTACT_EMAIL_1": q["email"]},
            [e164(x, region) for x in (phone, mobile) if x]))
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", encoding="cp1252")
    columns = {"Debiteurnummer": "PERSON_IDENTIFIER", "Aanhef": "PERSON_GENDER",
               "Voorletters": "PERSON_GIVENNAME", "Achternaam": "PERSON_FAMILYNAME",
               "Adres": "split:address", "Postcode": "ADDRESS_ZIPCODE", "Plaats": "ADDRESS_CITY",
               "Land": "ADDRESS_COUNTRY", "E-mailadres": "CONTACT_EMAIL_1",
               "Telefoonnummer": "CONTACT_PHONENUMBER_1",
               "Mobielnummer": "CONTACT_PHONENUMBER_2"}
    ignore = {"Bedrijfsnaam": "the debtor's company name, mostly empty: the person is delivered",
              "BTW-nummer": "a VAT number", "KvK-nummer": "a Chamber of Commerce number",
              "IBAN": "the debtor's bank account",
              "Openstaand": "the debtor's balance over all invoices, not one invoice"}
    finish(d, header, "{Debiteurnummer}-{date}", {"delimiter": ";", "encoding": "windows-1252"},
           columns, ignore, delivered, values={"PERSON_GENDER": {"Dhr.": "M", "Mevr.": "F"}})


def utility_be(seed=403):
    """A Belgian energy supplier (Luminus/Engie style), open invoices of household customers
    in Dutch, ods saved by LibreOffice: family name and given name apart, street, house
    number and 'Bus' in their own columns, numeric postcode cells, Belgian national phones
    (default_country BE), a structured payment reference +++123/4567/89012+++, an EAN code,
    the contract account beside the customer number, invoice and open amounts, a
    direct-debit flag and a language code."""
    d = newdir(OUT, "03-energie-be-openstaande-facturen")
    header = ["Klantnummer", "Contractrekening", "Naam", "Voornaam", "Straat", "Huisnr", "Bus",
              "Postcode", "Gemeente", "Taal", "GSM", "Telefoon", "E-mail", "Factuurnummer",
              "Factuurdatum", "Vervaldag", "Factuurbedrag", "Openstaand saldo",
              "Gestructureerde mededeling", "EAN-code", "Domiciliëring"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Openstaande facturen"
    ws.append(header)
    delivered = []
    for p in people(seed, 32, belgian=True):
        rng = p["rng"]
        klant = str(1200000000 + rng.randint(0, 99999999))
        contract = "3" + str(rng.randint(10 ** 10, 10 ** 11 - 1))
        bus = str(rng.randint(1, 12)) if p["i"] % 4 == 1 else ""
        gsm = be_national(rng, True) if p["i"] % 5 != 3 else ""
        tel = be_national(rng, False) if p["i"] % 3 == 0 else ""
        email = p["email"].replace("@voorbeeld.nl", "@voorbeeld.be") if p["i"] % 6 != 4 else ""
        invnr = str(710000000 + rng.randint(0, 9999999))
        base = rng.randint(1, 9999999999)
        ogm = f"{base:010d}{base % 97 or 97:02d}"
        ogm = f"+++{ogm[:3]}/{ogm[3:7]}/{ogm[7:]}+++"
        ean = "5414" + "".join(str(rng.randint(0, 9)) for _ in range(14))
        invdate = datetime.date(2025, 1, 5) + datetime.timedelta(days=rng.randint(0, 50))
        due = invdate + datetime.timedelta(days=15)
        amount = rng.randint(4000, 60000)
        open_ = amount if p["i"] % 5 else amount - rng.randint(1000, 3999)
        ws.append([klant, contract, p["family"], p["given"], p["street"], p["number"],
                   bus or None, int(p["zipcode"]), p["city"], rng.choice(["NL", "NL", "FR"]),
                   gsm or None, tel or None, email or None, invnr, invdate, due, amount / 100,
                   open_ / 100, ogm, ean, rng.choice(["Ja", "Nee"])])
        r = ws.max_row
        ws[f"O{r}"].number_format = "dd/mm/yyyy"
        ws[f"P{r}"].number_format = "dd/mm/yyyy"
        ws[f"Q{r}"].number_format = "#,##0.00"
        ws[f"R{r}"].number_format = "#,##0.00"
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{invnr}-{RUN}", "PERSON_FAMILYNAME": p["family"],
            "PERSON_GIVENNAME": p["given"], "PERSON_IDENTIFIER": klant,
            **address_fields(p["street"], p["number"], bus, p["zipcode"], p["city"]),
            "CONTACT_EMAIL_1": email, "INVOICE_NUMBER": invnr, "INVOICE_DATE": iso(invdate),
            "INVOICE_DUEDATE": iso(due), "INVOICE_AMOUNT": str(open_), "INVOICE_REFERENCE": ogm},
            [e164(x, "BE") for x in (gsm, tel) if x]))
    via_soffice(wb, "ods", os.path.join(d, "export.ods"))
    columns = {"Klantnummer": "PERSON_IDENTIFIER", "Naam": "PERSON_FAMILYNAME",
               "Voornaam": "PERSON_GIVENNAME", "Straat": "ADDRESS_STREET",
               "Huisnr": "ADDRESS_HOUSENUMBER", "Bus": "ADDRESS_EXTENSION",
               "Postcode": "ADDRESS_ZIPCODE", "Gemeente": "ADDRESS_CITY",
               "GSM": "CONTACT_PHONENUMBER_1", "Telefoon": "CONTACT_PHONENUMBER_2",
               "E-mail": "CONTACT_EMAIL_1", "Factuurnummer": "INVOICE_NUMBER",
               "Factuurdatum": "INVOICE_DATE", "Vervaldag": "INVOICE_DUEDATE",
               "Openstaand saldo": "INVOICE_AMOUNT",
               "Gestructureerde mededeling": "INVOICE_REFERENCE"}
    ignore = {"Contractrekening": "the contract account, not the customer",
              "Taal": "a language code",
              "Factuurbedrag": "the invoice amount; the open amount is delivered",
              "EAN-code": "the connection's EAN code", "Domiciliëring": "a direct-debit flag"}
    finish(d, header, "{Factuurnummer}-{date}", {"default_country": "BE", "amounts": "major"},
           columns, ignore, delivered)


def datev(seed=404):
    """DATEV Rechnungswesen, the OPOS list of debtors ('Offene Posten', items not condensed)
    opened in Excel, with the debtor's master data (street, postcode, place, country, phone,
    e-mail) added beside it, as xls (xlwt): German captions, a bare 'Datum', date cells
    dd.mm.yyyy, 'Sollbetrag' / 'Habenbetrag' / 'Saldo' number cells, the contra account,
    German national phones (default_country DE) and Dutch rows with Dutch national numbers and
    country NL, days overdue and a dunning level."""
    d = newdir(OUT, "04-datev-opos-debitoren")
    header = ["Konto", "Name", "Straße", "PLZ", "Ort", "Land", "Telefon", "E-Mail",
              "Rechnungsnummer", "Datum", "Fälligkeit", "Sollbetrag", "Habenbetrag", "Saldo",
              "Gegenkonto", "Buchungstext", "Tage überfällig", "Mahnstufe"]
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("OPOS Debitoren")
    datefmt = xlwt.easyxf(num_format_str="dd.mm.yyyy")
    amountfmt = xlwt.easyxf(num_format_str="#,##0.00")
    for c, name in enumerate(header):
        ws.write(0, c, name)
    dutch = people(seed + 1000, 6)
    rng = random.Random(seed * 3)
    texts = ["Wartung Heizung", "Beratung", "Lieferung Ersatzteile", "Montage",
             "Rechnung Dienstleistung", "Softwarelizenz"]
    delivered = []
    for p in germans(seed, 30):
        prng = p["rng"]
        konto = str(10000 + p["i"] * 17)
        (given, family, street, number, ext, address, zipcode, city, country, phone, region,
         email) = german_or_dutch(p, dutch, 6, dashed)
        if p["i"] % 8 == 3:
            phone = ""
        beleg = f"RE-2025-{p['i'] * 3 + 101:05d}"
        belegdatum = datetime.date(2024, 12, 1) + datetime.timedelta(days=rng.randint(0, 80))
        due = belegdatum + datetime.timedelta(days=rng.choice([10, 14, 30]))
        soll = rng.randint(5000, 480000)
        haben = rng.choice([0, 0, 0, soll // 4])
        saldo = soll - haben
        text = rng.choice(texts)
        days = max(0, (TODAY - due).days)
        values = [konto, f"{given} {family}", address, zipcode, city, country, phone, email]
        r = p["i"] + 1
        for c, v in enumerate(values):
            if v:
                ws.write(r, c, v)
        ws.write(r, 8, beleg)
        ws.write(r, 9, belegdatum, datefmt)
        ws.write(r, 10, due, datefmt)
        ws.write(r, 11, soll / 100, amountfmt)
        ws.write(r, 12, haben / 100, amountfmt)
        ws.write(r, 13, saldo / 100, amountfmt)
        ws.write(r, 14, rng.choice([8400, 8400, 8300, 8125]))
        ws.write(r, 15, text)
        ws.write(r, 16, days)
        ws.write(r, 17, min(3, days // 14))
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{beleg}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": given, "PERSON_IDENTIFIER": konto,
            **address_fields(street, number, ext, zipcode, city, country),
            "CONTACT_PHONENUMBER_1": e164(phone, region) if phone else "",
            "CONTACT_EMAIL_1": email, "INVOICE_NUMBER": beleg, "INVOICE_DATE": iso(belegdatum),
            "INVOICE_DUEDATE": iso(due), "INVOICE_AMOUNT": str(saldo), "INVOICE_DESCRIPTION": text,
            "INVOICE_REFERENCE": beleg})
    wb.save(os.path.join(d, "export.xls"))
    columns = {"Konto": "PERSON_IDENTIFIER", "Name": "split:name", "Straße": "split:address",
               "PLZ": "ADDRESS_ZIPCODE", "Ort": "ADDRESS_CITY", "Land": "ADDRESS_COUNTRY",
               "Telefon": "CONTACT_PHONENUMBER_1", "E-Mail": "CONTACT_EMAIL_1",
               "Rechnungsnummer": ["INVOICE_NUMBER", "INVOICE_REFERENCE"],
               "Datum": "INVOICE_DATE", "Fälligkeit": "INVOICE_DUEDATE",
               "Saldo": "INVOICE_AMOUNT", "Buchungstext": "INVOICE_DESCRIPTION"}
    ignore = {"Sollbetrag": "the invoice amount (debit); the open amount is delivered",
              "Habenbetrag": "the amount paid (credit)",
              "Gegenkonto": "the revenue account the invoice was booked against",
              "Tage überfällig": "days past due", "Mahnstufe": "the dunning level"}
    finish(d, header, "{Rechnungsnummer}-{date}", {"default_country": "DE", "amounts": "major"},
           columns, ignore, delivered)


def pipedrive(seed=405):
    """Pipedrive, a people export as CSV (',', UTF-8): every caption prefixed 'Person - ',
    the full name beside first and last name, the last name holding the prefix, work and
    home e-mail, work and mobile phone (international and national, some empty), the
    organisation, owner, label, open deals count and the time the person was added."""
    d = newdir(OUT, "05-pipedrive-people")
    header = ["Person - ID", "Person - Name", "Person - First name", "Person - Last name",
              "Person - Organization", "Person - Email - Work", "Person - Email - Home",
              "Person - Phone - Work", "Person - Phone - Mobile", "Person - Owner",
              "Person - Label", "Person - Open deals", "Person - Add time"]
    rows, delivered = [], []
    owners = ["Lisa de Graaf", "Martijn Vos", "Rik Janssen"]
    for p in people(seed, 27):
        rng = p["rng"]
        pid = str(1400 + p["i"] * 9)
        family = full_family(p)
        org = rng.choice(["", "", f"{p['family']} Advies B.V.", "Gemeente Utrecht"])
        home = p["email"].replace("@voorbeeld.nl", "@thuis.nl") if p["i"] % 5 == 1 else ""
        work = spaced_intl(p["landline"]) if p["i"] % 3 != 2 else ""
        mobile = (p["mobile"] if p["i"] % 2 else spaced_intl(p["mobile"])) \
            if p["i"] % 7 != 4 else ""
        added = datetime.datetime(2023, 6, 1, 8, 0) + datetime.timedelta(
            minutes=rng.randint(0, 700000))
        rows.append([pid, f"{p['given']} {family}", p["given"], family, org, p["email"], home,
                     work, mobile, rng.choice(owners), rng.choice(["Hot", "Warm", "Cold", ""]),
                     str(rng.randint(0, 3)), added.strftime("%Y-%m-%d %H:%M:%S")])
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{pid}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": p["given"], "PERSON_IDENTIFIER": pid,
            "CONTACT_EMAIL_1": p["email"], "CONTACT_EMAIL_2": home},
            [e164(x) for x in (work, mobile) if x]))
    write_csv(os.path.join(d, "export.csv"), header, rows, ",")
    columns = {"Person - ID": "PERSON_IDENTIFIER", "Person - First name": "PERSON_GIVENNAME",
               "Person - Last name": "PERSON_FAMILYNAME",
               "Person - Email - Work": "CONTACT_EMAIL_1",
               "Person - Email - Home": "CONTACT_EMAIL_2",
               "Person - Phone - Work": "CONTACT_PHONENUMBER_1",
               "Person - Phone - Mobile": "CONTACT_PHONENUMBER_2"}
    ignore = {"Person - Name": "the full name; first and last name are delivered apart",
              "Person - Organization": "the person's organisation",
              "Person - Owner": "the sales owner, not the debtor",
              "Person - Label": "a sales label", "Person - Open deals": "a count of deals",
              "Person - Add time": "when the record was made"}
    finish(d, header, "{Person - ID}-{date}", {"delimiter": ","}, columns, ignore, delivered)


def jortt(seed=406):
    """Jortt (Dutch bookkeeping for freelancers), the invoice list exported as CSV: ';'
    with a byte order mark, the customer's full name, a contact person column mostly empty,
    one address line, Dutch country names, dd-mm-yyyy, '1234,56' without thousands
    separator, amount excl. VAT, VAT, total, paid and still to receive, a status, the
    customer's own reference."""
    d = newdir(OUT, "06-jortt-facturen")
    header = ["Factuurnummer", "Factuurdatum", "Vervaldatum", "Klantnaam", "Contactpersoon",
              "E-mailadres", "Adres", "Postcode", "Plaats", "Land", "Bedrag excl. btw",
              "Btw-bedrag", "Bedrag incl. btw", "Betaald", "Nog te ontvangen", "Status",
              "Referentie"]
    dutch = people(seed, 24)
    belgians = people(seed + 1000, 3, belgian=True)
    rows, delivered = [], []
    rng = random.Random(seed * 5)
    for p in dutch:
        be = p["i"] % 8 == 6
        q = belgians[p["i"] // 8] if be else p
        family = full_family(q)
        name = f"{q['given']} {family}"
        nr = f"F{2025000 + p['i'] * 2 + 17}"
        invdate = datetime.date(2025, 1, 2) + datetime.timedelta(days=rng.randint(0, 60))
        due = invdate + datetime.timedelta(days=14)
        excl = rng.randint(5000, 250000)
        tax = round(excl * 0.21)
        total = excl + tax
        paid = rng.choice([0, 0, 0, total // 2])
        rest = total - paid
        ref = rng.choice(["", "", f"PO-{rng.randint(1000, 9999)}", "project website"])
        rows.append([nr, invdate.strftime("%d-%m-%Y"), due.strftime("%d-%m-%Y"), name,
                     "", q["email"], q["address"], q["zipcode"], q["city"],
                     "België" if be else "Nederland", money(excl, thou=""), money(tax, thou=""),
                     money(total, thou=""), money(paid, thou=""), money(rest, thou=""),
                     "Gedeeltelijk betaald" if paid else "Openstaand", ref])
        delivered.append({
            "IDENTIFICATION_IDENTIFIER": f"{nr}-{RUN}", "PERSON_FAMILYNAME": family,
            "PERSON_GIVENNAME": q["given"], **address_fields_of(q, "BE" if be else "NL"),
            "CONTACT_EMAIL_1": q["email"], "INVOICE_NUMBER": nr, "INVOICE_DATE": iso(invdate),
            "INVOICE_DUEDATE": iso(due), "INVOICE_AMOUNT": str(rest), "INVOICE_TAX": str(tax),
            "INVOICE_REFERENCE": ref})
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", bom=True)
    columns = {"Factuurnummer": "INVOICE_NUMBER", "Factuurdatum": "INVOICE_DATE",
               "Vervaldatum": "INVOICE_DUEDATE", "Klantnaam": "split:name",
               "E-mailadres": "CONTACT_EMAIL_1", "Adres": "split:address",
               "Postcode": "ADDRESS_ZIPCODE", "Plaats": "ADDRESS_CITY",
               "Land": "ADDRESS_COUNTRY", "Btw-bedrag": "INVOICE_TAX",
               "Nog te ontvangen": "INVOICE_AMOUNT", "Referentie": "INVOICE_REFERENCE"}
    ignore = {"Contactpersoon": "a contact person, empty",
              "Bedrag excl. btw": "the amount before VAT",
              "Bedrag incl. btw": "the invoice total; the amount still to receive is delivered",
              "Betaald": "the amount paid", "Status": "the invoice's status"}
    finish(d, header, "{Factuurnummer}-{date}",
           {"delimiter": ";", "date_order": "dmy", "amounts": "major"}, columns, ignore,
           delivered)


def gripp(seed=407):
    """Gripp (Dutch CRM and project software), the relations list exported as a
    tab-separated text file in Windows-1252: 'Aanhef' Heer/Mevrouw as the only gender,
    'Tussenvoegsel' beside 'Achternaam' (a join), a visiting address family and an invoice
    address family (the invoice address, sometimes a 'Postbus', is delivered), country names
    in Dutch, birth dates dd-mm-yyyy (some empty), a mostly empty invoicing e-mail, a
    company name on a few rows, tags and a creation time."""
    d = newdir(OUT, "07-gripp-relaties")
    header = ["Relatienummer", "Type", "Bedrijfsnaam", "Aanhef", "Voornaam", "Tussenvoegsel",
              "Achternaam", "Bezoekadres", "Bezoekadres postcode", "Bezoekadres plaats",
              "Bezoekadres land", "Factuuradres", "Factuuradres postcode",
              "Factuuradres plaats", "Factuuradres land", "Telefoonnummer", "Mobiel", "E-mail",
              "E-mail facturatie", "Geboortedatum", "Tags", "Aangemaakt op"]
    rows, delivered = [], []
    postbus = [("3500 AA", "Utrecht"), ("1000 AB", "Amsterdam"), ("3000 AD", "Rotterdam")]
    for p in people(seed, 25):
        rng = p["rng"]
        nr = str(300 + p["i"])
        company = p["i"] % 6 == 1
        family = p["family"].replace("ı", "i")  # not in Windows-1252
        if p["i"] % 5 == 3:
            pb = str(rng.randint(10, 9999))
            zc, city = postbus[p["i"] % 3]
            inv = ("Postbus", pb, "", f"Postbus {pb}", zc, city)
        else:
            inv = (p["street"], p["number"], p["ext"], p["address"], p["zipcode"], p["city"])
        phone = dashed(p["landline"]) if p["i"] % 3 else ""
        mobile = p["mobile"][:2] + " " + p["mobile"][2:] if p["i"] % 4 != 2 else ""
        billing = f"facturen{seed}{p['i']}@voorbeeld.nl" if company else ""
        birthday = p["birthday"] if not company and p["i"] % 4 != 0 else None
        created = datetime.datetime(2022, 3, 1, 9, 0) + datetime.timedelta(
            minutes=rng.randint(0, 900000))
        rows.append([nr, "Bedrijf" if company else "Particulier",
                     f"{family} Bouw B.V." if company else "",
                     "Mevrouw" if p["female"] else "Heer", p["given"], p["prefix"], family,
                     p["address"], p["zipcode"], p["city"], "Nederland", inv[3], inv[4], inv[5],
                     "Nederland", phone, mobile, p["email"], billing,
                     birthday.strftime("%d-%m-%Y") if birthday else "",
                     rng.choice(["", "nieuwsbrief", "vip", "nieuwsbrief, vip"]),
                     created.strftime("%d-%m-%Y %H:%M")])
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{nr}-{RUN}",
            "PERSON_FAMILYNAME": (p["prefix"] + " " + family).strip(),
            "PERSON_GIVENNAME": p["given"], "PERSON_GENDER": "F" if p["female"] else "M",
            "PERSON_BIRTHDAY": iso(birthday) if birthday else "", "PERSON_IDENTIFIER": nr,
            **address_fields(inv[0], inv[1], inv[2], inv[4], inv[5], "NL"),
            "CONTACT_EMAIL_1": p["email"], "CONTACT_EMAIL_2": billing},
            [e164(x) for x in (phone, mobile) if x]))
    path = os.path.join(d, "export.txt")
    write_csv(path, header, rows, "\t", encoding="cp1252")
    joins = {"PERSON_FAMILYNAME": ["Tussenvoegsel", "Achternaam"]}
    columns = {"Relatienummer": "PERSON_IDENTIFIER", "Aanhef": "PERSON_GENDER",
               "Voornaam": "PERSON_GIVENNAME", "Factuuradres": "split:address",
               "Factuuradres postcode": "ADDRESS_ZIPCODE", "Factuuradres plaats": "ADDRESS_CITY",
               "Factuuradres land": "ADDRESS_COUNTRY", "Telefoonnummer": "CONTACT_PHONENUMBER_1",
               "Mobiel": "CONTACT_PHONENUMBER_2", "E-mail": "CONTACT_EMAIL_1",
               "E-mail facturatie": "CONTACT_EMAIL_2", "Geboortedatum": "PERSON_BIRTHDAY"}
    ignore = {"Type": "private person or company", "Bedrijfsnaam": "a company name on a few rows",
              "Bezoekadres": "the visiting address: the invoice address is delivered",
              "Bezoekadres postcode": "the visiting address's postcode",
              "Bezoekadres plaats": "the visiting address's place",
              "Bezoekadres land": "the visiting address's country",
              "Tags": "tags", "Aangemaakt op": "when the record was made"}
    finish(d, header, "{Relatienummer}-{date}",
           {"delimiter": "tab", "encoding": "windows-1252", "date_order": "dmy"}, columns, ignore,
           delivered, values={"PERSON_GENDER": {"Heer": "M", "Mevrouw": "F"}}, joins=joins)


def main():
    os.makedirs(OUT, exist_ok=True)
    visma()
    wefact()
    utility_be()
    datev()
    pipedrive()
    jortt()
    gripp()


if __name__ == "__main__":
    main()
