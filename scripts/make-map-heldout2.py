#!/usr/bin/env python3
"""Writes fixtures/map/heldout2/: a second held-out set of exports for `collectmaxx map`.

Made without looking at the recogniser, its known-header table or the first fixture set's
header lists: each export's column names are those of a real system's export or import
format (the sources are named per export below and in fixtures/README.md). The expected
delivery is computed here from the Collectmaxx delivery specification (amounts in cents,
dates yyyy-mm-dd, phones as E.164 digits, countries ISO 3166-1 alpha-2, a sorted family
name "Berg, van der" delivered as "van der Berg"), for the run date 2025-03-14.

The writers and the fictitious Dutch and Belgian people are in map_fixtures.py (same folder,
imported), where the later held-out sets take them from too.

Deterministic: random.Random(seed) per export, no clock. Needs openpyxl and phonenumbers
(`pip install openpyxl phonenumbers`) and LibreOffice for the .ods
(`apt-get install libreoffice-calc`). Run from the repository root:
`python3 scripts/make-map-heldout2.py`.
"""
import csv, os

import openpyxl

from map_fixtures import ROOT, RUN, TODAY, CITIES_BE, CITIES_NL, e164, people, full_family, iso
from map_fixtures import money, dashed, spaced_intl, iban_be, phones_in_order, newdir, write_csv
from map_fixtures import save_workbook, via_soffice, address_fields, address_fields_of, finish

OUT = os.path.join(ROOT, "fixtures", "map", "heldout2")


# ---------------------------------------------------------------- the exports

def exact_globe(seed=201):
    """Exact Globe: the field names of its CSV definition for debtors (XML-Server import
    definition 'Accounts receivable'), as an operator exports them; Windows-1252, ';'."""
    d = newdir(OUT, "01-exact-globe-debiteuren")
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
            "PERSON_IDENTIFIER": debcode,
            **address_fields(street, number, ext, zipcode, city, country),
            "CONTACT_PHONENUMBER_1": e164(phone)})
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", encoding="cp1252")
    columns = {"debcode": "PERSON_IDENTIFIER", "naam": "PERSON_FAMILYNAME",
               "adres1": "split:address", "postcode": "ADDRESS_ZIPCODE",
               "woonpl": "ADDRESS_CITY", "landcode": "ADDRESS_COUNTRY",
               "telnr": "CONTACT_PHONENUMBER_1"}
    ignore = {"adres2": "a second address line (floor), no delivery field",
              "faxnr": "a fax number", "cntpers1": "a contact person",
              "banknr1": "a bank account (IBAN)", "kredlimiet": "a credit limit",
              "blokkeer": "a blocked flag"}
    finish(d, header, "{debcode}-{date}", {"delimiter": ";", "encoding": "windows-1252"}, columns,
           ignore, delivered)


def xero(seed=202):
    """Xero: the columns of its sales invoice CSV (the import template that its export
    follows), with the postal (PO…) and street (SA…) address families; ','."""
    d = newdir(OUT, "02-xero-sales-invoices")
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
            "PERSON_GIVENNAME": given, **address_fields_of(p, "NL"), "CONTACT_EMAIL_1": p["email"],
            "INVOICE_NUMBER": number, "INVOICE_DATE": iso(p["invdate"]),
            "INVOICE_DUEDATE": iso(p["duedate"]), "INVOICE_CURRENCY": "EUR",
            "INVOICE_AMOUNT": str(due), "INVOICE_TAX": str(p["tax"]), "INVOICE_REFERENCE": ref})
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
    finish(d, header, "{InvoiceNumber}-{date}",
           {"delimiter": ",", "date_order": "dmy", "amounts": "major"}, columns, ignore,
           delivered)


def octopus(seed=203):
    """Octopus (Belgium): the columns of its relation export/import sheet ('Export
    relaties'); tab-separated, Belgian addresses with 'bus', 4-digit postcodes, +32 phones."""
    d = newdir(OUT, "03-octopus-relaties")
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
            **address_fields_of(p, "BE"), "CONTACT_PHONENUMBER_1": e164(phone),
            "CONTACT_EMAIL_1": email})
    write_csv(os.path.join(d, "export.txt"), header, rows, "\t")
    columns = {"Id": "PERSON_IDENTIFIER", "Naam": "PERSON_FAMILYNAME",
               "Voornaam": "PERSON_GIVENNAME", "Straat en nummer": "split:address",
               "Postcode": "ADDRESS_ZIPCODE", "Gemeente": "ADDRESS_CITY",
               "Land": "ADDRESS_COUNTRY", "Telefoon": "CONTACT_PHONENUMBER_1",
               "E-mail": "CONTACT_EMAIL_1"}
    ignore = {"Actief": "an active flag", "Contactpersoon": "a contact person, empty",
              "Taal": "a language code", "BTW nummer": "a VAT number",
              "Bank rekening nummer": "a bank account (IBAN)", "Is klant": "a customer flag"}
    finish(d, header, "{Id}-{date}", {"delimiter": "tab"}, columns, ignore, delivered)


def odoo(seed=204):
    """Odoo: an export of customer invoices (account.move) with the partner's fields, as its
    export dialog names them (field labels, related fields as 'Partner/…'); ',' and every
    value quoted, ISO dates, amounts as decimals with a point."""
    d = newdir(OUT, "04-odoo-invoices")
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
            "PERSON_GIVENNAME": given,
            **address_fields(street, number, ext, zipcode, city, country),
            "CONTACT_PHONENUMBER_1": e164(phone), "CONTACT_EMAIL_1": p["email"],
            "INVOICE_NUMBER": inv, "INVOICE_DATE": iso(p["invdate"]),
            "INVOICE_DUEDATE": iso(p["duedate"]), "INVOICE_CURRENCY": "EUR",
            "INVOICE_AMOUNT": str(due), "INVOICE_TAX": str(p["tax"]), "INVOICE_REFERENCE": ref})
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
    finish(d, header, "{Number}-{date}", {"delimiter": ",", "amounts": "major"}, columns, ignore,
           delivered)


def quickbooks(seed=205):
    """QuickBooks Online: its Open Invoices report exported to Excel: the company name, the
    report's title and date on rows 1-3, the header on row 5, date cells, amounts formatted
    #,##0.00, a TOTAL row at the bottom."""
    d = newdir(OUT, "05-quickbooks-open-invoices")
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
    for p in people(seed, 22):
        num = str(1043 + p["i"])
        open_bal = p["amount"] - p["paid"]
        total_amount += p["amount"]
        total_open += open_bal
        given, family = p["given"], full_family(p)
        past_due = max(0, (TODAY - p["duedate"]).days)
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
    save_workbook(wb, os.path.join(d, "export.xlsx"))
    columns = {"Date": "INVOICE_DATE", "Num": ["INVOICE_NUMBER", "INVOICE_REFERENCE"],
               "Customer": "split:name", "Due Date": "INVOICE_DUEDATE",
               "Open Balance": "INVOICE_AMOUNT"}
    ignore = {"Transaction Type": "the document type", "Past Due": "days past due",
              "Amount": "the invoice total; the open balance is delivered"}
    finish(d, header, "{Num}-{date}", {}, columns, ignore, delivered)


def salesforce(seed=206):
    """Salesforce: a Data Loader export of Contact records (API field names), with the
    mailing and the other address; ods by LibreOffice from an openpyxl workbook."""
    d = newdir(OUT, "06-salesforce-contacts")
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
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{sfid}-{RUN}", "PERSON_FAMILYNAME": full_family(p),
            "PERSON_GIVENNAME": p["given"], "PERSON_GENDER": "F" if p["female"] else "M",
            "PERSON_BIRTHDAY": iso(p["birthday"]), "PERSON_IDENTIFIER": sfid,
            **address_fields_of(p, "NL"), "CONTACT_EMAIL_1": p["email"]},
            [e164(x) if x else "" for x in (phone, mobile)]))
    via_soffice(wb, "ods", os.path.join(d, "export.ods"))
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
    finish(d, header, "{Id}-{date}", {}, columns, ignore, delivered,
           values={"PERSON_GENDER": {"Mr.": "M", "Ms.": "F", "Mrs.": "F"}})


def banana(seed=207):
    """Banana Accounting (Dutch): the columns of the accounts table's Address view, where
    'Voorvoegsel' holds the form of address (Dhr., Mw.), exported to Excel under a title row
    that has two values; the header is on row 3."""
    d = newdir(OUT, "07-banana-adressen")
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
        delivered.append(phones_in_order({
            "IDENTIFICATION_IDENTIFIER": f"{acct}-{RUN}", "PERSON_FAMILYNAME": full_family(p),
            "PERSON_GIVENNAME": p["given"], "PERSON_GENDER": "F" if p["female"] else "M",
            "PERSON_IDENTIFIER": acct, **address_fields_of(p, "NL"),
            "CONTACT_EMAIL_1": p["email"]}, [e164(x) if x else "" for x in (land, mob)]))
    save_workbook(wb, os.path.join(d, "export.xlsx"))
    columns = {"Rekening": "PERSON_IDENTIFIER", "Voorvoegsel": "PERSON_GENDER",
               "Voornaam": "PERSON_GIVENNAME", "Achternaam": "PERSON_FAMILYNAME",
               "Straat": "split:address", "Postcode": "ADDRESS_ZIPCODE",
               "Plaats": "ADDRESS_CITY", "Landcode": "ADDRESS_COUNTRY",
               "Vaste telefoon": "CONTACT_PHONENUMBER_1",
               "Mobiele telefoon": "CONTACT_PHONENUMBER_2", "Email werk": "CONTACT_EMAIL_1"}
    ignore = {"Organisatie": "an organisation name, empty for these persons",
              "Adres extra": "an extra address line", "Land": "a country name, empty",
              "Taal": "a language code"}
    finish(d, header, "{Rekening}-{date}", {"header_row": 3}, columns, ignore, delivered,
           values={"PERSON_GENDER": {"Dhr.": "M", "Mw.": "F"}})


def yuki(seed=208):
    """Yuki: the worklist 'Te herinneren facturen' downloaded as CSV with its default columns;
    ';', a byte order mark, dates dd-mm-yyyy, amounts with a decimal comma and thousands dots."""
    d = newdir(OUT, "08-yuki-te-herinneren")
    header = ["Factuurnr.", "Relatie", "Onderwerp", "Factuurdatum", "Vervaldatum", "Btw-bedrag",
              "Bedrag", "Uitstaand", "Dagen achterstallig"]
    rows, delivered = [], []
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
                     money(open_amount), str(max(0, (TODAY - p["duedate"]).days))])
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
    finish(d, header, "{Factuurnr.}-{date}",
           {"delimiter": ";", "date_order": "dmy", "amounts": "major"}, columns, ignore,
           delivered)


def simplicate(seed=209):
    """Simplicate (Dutch CRM): persons as its API names them (/crm/person, the address
    flattened as address_…), with the name prefix in a column of its own beside the family
    name and a computed full_name; ';', ISO dates, gender as 'male'/'female'."""
    d = newdir(OUT, "09-simplicate-personen")
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
            **address_fields_of(p, "NL"), "CONTACT_PHONENUMBER_1": e164(phone) if phone else "",
            "CONTACT_EMAIL_1": p["email"]})
    write_csv(os.path.join(d, "export.csv"), header, rows, ";", lineterminator="\n")
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
    finish(d, header, "{id}-{date}", {"delimiter": ";"}, columns, ignore, delivered, joins=joins)


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
