//! The header spellings real exports use for each delivery field, referenced beside each field
//! in [`super::FIELDS`]. Collected from the import/export field lists of Dutch and English
//! bookkeeping, ERP and collection systems (Exact, AFAS, SnelStart, Twinfield, Moneybird,
//! e-Boekhouden, Unit4, Business Central, SAP Business One and others).
//!
//! Names are written as the systems write them; the recogniser normalises both sides (case,
//! accents, punctuation, camelCase) before comparing. A name starting with `?` is a candidate
//! only: the header is ambiguous (`Naam`, `Datum`, `Bedrag`) and never maps with confidence on
//! its own. Family prefixes (`Factuur…`, `Post…`, `Bezoek…`) are handled by the recogniser, so
//! `FactuurPostcode` needs no entry of its own.

pub const IDENTIFIER: &[&str] = &["Kenmerk dossier", "Dossiernummer", "?Kenmerk", "?ID"];
pub const FAMILYNAME: &[&str] = &[
    "Achternaam", "Achternaam klant", "Geslachtsnaam", "Last name", "LastName", "lastname",
    "LaNm", "Surname", "Family name", "?Naam", "?Name", "?Naam debiteur", "?Debiteurnaam",
    "?Debiteur naam", "?Naam relatie", "?Relatienaam", "?Bedrijf", "?Bedrijfsnaam",
    "?Accountnaam", "?Account name", "?CardName", "?Customer name", "?DebtorName",
    "?Klantnaam", "?Naam klant", "?Full name", "?Display name", "?Company name", "?Bill-to Name",
    "?Naam betaler",
];
/// Parts joined before the family name (`van den` + `Heuvel`): the recogniser proposes a join.
pub const FAMILYNAME_PREFIX: &[&str] = &[
    "Tussenvoegsel", "Tussenvoegsels", "Voorvoegsel", "Voorvoegsels", "Is", "Prefix",
    "Name prefix", "?Middle name", "?middlename",
];
pub const GIVENNAME: &[&str] = &[
    "Voornaam", "Voornamen", "Voornaam klant", "First name", "FirstName", "firstname", "FiNm",
    "Given name", "?Roepnaam", "?CaNm", "?Voorletters", "?Initials",
];
pub const GENDER: &[&str] = &[
    "Geslacht", "Gender", "Sexe", "ViGe", "Sex", "?Aanhef", "?Aanspreekvorm", "?Briefaanhef",
    "?Salutation", "?mv1", "?Titel",
];
pub const BIRTHDAY: &[&str] = &[
    "Geboortedatum", "Geb datum", "Date of birth", "DateOfBirth", "Birth date", "Birthday",
    "DaBi", "Geburtsdatum",
];
pub const PERSON_IDENTIFIER: &[&str] = &[
    "Debiteurnummer", "Debiteurnr", "Deb nr", "DebNr", "Debiteurcode", "Debiteur code",
    "Nummer debiteur", "Debiteur nummer", "Relatiecode", "Relatienummer", "Relatie nummer",
    "Klantnummer", "Klant nummer", "Klantnr", "KlantnummerSE", "Klant #", "Klantcode", "debcode",
    "Customer No", "Customer number", "Customer ID", "CustomerId", "Customer code", "CardCode",
    "DebtorId", "Debtor number", "Debtor ID", "Debtor reference", "Account code", "AccountCode",
    "RelCode", "Bill-to Customer No", "Customer: Customer number", "?Code", "?Debiteur",
    "?Nummer", "?Number", "?No", "?Nr", "?Rekeningnr", "?Relatie", "?Klant",
];
pub const HONORIFICPREFIX: &[&str] = &[
    "Titulatuur", "Titel voor", "Academische titel", "Predicaat", "TtId", "?Titel",
    "?Title", "?Titel/aanhef", "?prdcode1",
];
pub const HONORIFICSUFFIX: &[&str] = &["TitelNa", "Titel na", "Tweede titel", "TtEx", "Name suffix", "Suffix"];
pub const STREET: &[&str] = &[
    "Straat", "Straatnaam", "Street", "Street name", "AddressStreet", "Ad", "?Adres",
    "?Address", "?Adresregel 1", "?Adresregel1", "?Address line 1", "?AddressLine1", "?Adres1",
    "?Address1", "?Street1", "?Straat en huisnummer", "?Adres ontvanger",
];
pub const HOUSENUMBER: &[&str] = &[
    "Huisnummer", "Huisnr", "Huis nr", "House number", "HouseNumber", "HouseNo", "HmNr",
    "AddressStreetNumber", "Street number", "?Postbusnummer", "?Nr",
];
pub const EXTENSION: &[&str] = &[
    "Toevoeging", "Huisnummertoevoeging", "Huisnummer toevoeging", "Toev", "Toev aan huisnr",
    "Toevoeging huisnummer", "Huisletter", "House number addition", "HouseNumberAddition",
    "House number extension", "HouseNoExtension", "HmAd", "Addition",
];
pub const ZIPCODE: &[&str] = &[
    "Postcode", "Post code", "Postal code", "PostalCode", "Zipcode", "Zip code", "Zip", "ZpCd",
    "Postcode ontvanger", "PLZ", "Postleitzahl", "Code postal",
];
pub const CITY: &[&str] = &[
    "Plaats", "Woonplaats", "Woonpl", "Stad", "Plaatsnaam", "City", "Town", "Rs",
    "Plaats ontvanger", "Ort", "Ville", "?Location", "?Vestigingsplaats",
];
pub const COUNTRY: &[&str] = &[
    "Land", "Landcode", "Land code", "Country", "Country code", "CountryCode",
    "Country/Region Code", "Country region code", "Land-/regiocode", "Relatie Landcode",
    "CoId", "Land ontvanger", "Pays", "?Country name", "?LandID", "?CountryId",
];
pub const PHONENUMBER: &[&str] = &[
    "Telefoon", "Telefoonnummer", "Telefoonnr", "Tel", "Telnr", "Tel nr", "Telefoon nummer",
    "Telefoonnummers van klanten", "Mobiel", "Mobiel nummer", "Mobielnummer", "Mobiele telefoon",
    "Mobiel prive", "Mobiel werk", "Telefoonnr prive", "Telefoonnr werk", "Telefoon prive",
    "Telefoon werk", "Telefoonnummer mobiel", "GSM", "Phone", "Phone number", "Phone No",
    "PhoneNumber", "Phone1", "Phone2", "Telephone", "Mobile", "Mobile phone", "MobilePhone",
    "Mobile number", "Cellular", "Cell phone", "Home phone", "Work phone", "TeNr", "MbNr",
    "TelNr", "TeN2", "MbN2",
];
pub const EMAIL: &[&str] = &[
    "E-mail", "Email", "E-mailadres", "Emailadres", "E-mail adres", "Mail", "Mailadres",
    "E-mail werk", "E-mail klant", "Email address", "EmailAddress", "E-mail address",
    "Reminder email", "ReminderEmail", "EmailAddressReminder", "EmailAddressInvoice",
    "Customer Email", "EmAd", "EmA2", "Ebillmail", "Send invoices to email",
];
pub const INVOICE_NUMBER: &[&str] = &[
    "Factuurnummer", "Factuurnr", "Factuur nr", "Factuur nummer", "Factuur #", "FactuurnummerSE",
    "MutFactuur", "Faknr", "Documentnr", "Documentnummer", "Invoice number", "InvoiceNumber",
    "Invoice No", "InvoiceNr", "Invoice ID", "InvoiceId", "Document No", "Document number",
    "DocNum", "Rechnungsnummer", "?Boekstuknummer", "?Bkstnr", "?Boekstuk",
];
pub const INVOICE_DATE: &[&str] = &[
    "Factuurdatum", "Factuur datum", "Documentdatum", "Datum gefactureerd", "Invoice date",
    "InvoiceDate", "Document date", "DocDate", "Billdate", "Issue date", "Rechnungsdatum",
    "?Datum", "?Date", "?Boekdatum", "?Boekingsdatum", "?Posting date", "?MutDatum",
];
pub const INVOICE_DUEDATE: &[&str] = &[
    "Vervaldatum", "Verval datum", "Vervalt", "Uiterste datum", "Uiterste betaaldatum",
    "Vervdatfak", "Due date", "DueDate", "Date due", "Payment due date", "ExpDate",
    "Invoice expiration date", "DocDueDate", "Fälligkeitsdatum", "Date echeance",
];
pub const INVOICE_CURRENCY: &[&str] = &[
    "Valuta", "Valutacode", "Valuta code", "Valcode", "Munteenheid", "Currency",
    "Currency code", "CurrencyCode", "DocCurrency", "DocCur", "Wahrung", "Devise", "?CurrencyId",
];
pub const INVOICE_AMOUNT: &[&str] = &[
    "Openstaand", "Openstaand bedrag", "Openstaand saldo", "OpenstaandSaldo", "TotaalOpenstaand",
    "Totaal openstaand", "Totaal onbetaald bedrag", "Nog te betalen", "Restant", "Restbedrag",
    "Remaining amount", "RemainingAmount", "Open amount", "OpenAmount", "Amount due",
    "Balance due", "Outstanding", "Outstanding amount", "Total unpaid", "Invoice balance",
    "Restbetrag", "Montant rest", "?Saldo", "?Balance", "?Bedrag", "?Amount", "?Totaal",
    "?Totaalbedrag", "?Factuurbedrag", "?Bedrag incl btw", "?TotaalInclBTW", "?Invoice amount",
    "?Total amount", "?Oorspronkelijk bedrag", "?Original amount", "?DocTotal", "?Euro",
    "?Bedrag EUR", "?AmountDC",
];
pub const INVOICE_TAX: &[&str] = &[
    "Btw", "Btw-bedrag", "Btw bedrag", "BTW", "TotaalBTW", "VAT", "VAT amount", "VatAmount",
    "VATAmountDC", "Tax", "Tax amount", "VatSum",
];
pub const INVOICE_DESCRIPTION: &[&str] = &[
    "Omschrijving factuur", "Factuuromschrijving", "Description", "Invoice description",
    "?Omschrijving", "?Comments", "?Posting description", "?Opmerking", "?Memo",
];
pub const INVOICE_REFERENCE: &[&str] = &[
    "Betalingsreferentie", "Betaalreferentie", "Betaalkenmerk", "Betalingskenmerk",
    "Factuurreferentie", "Payment reference", "PaymentReference", "Betaalref",
    "?Referentie", "?Referentienummer", "?Reference", "?Uw referentie", "?Your reference",
    "?YourRef", "?Extern documentnr", "?Invoice reference", "?Kenmerk",
];
pub const INVOICE_SERIAL: &[&str] = &["?Aanmaningen", "?Reminders", "?Reminder count", "?Aanmaningsniveau", "?Mahnstufe"];
pub const EMANDATE_IDENTIFIER: &[&str] = &["?Mandaat", "?Mandaat ID", "?Machtigingsnummer", "?Incassomandaat-ID", "?Mandate ID", "?MandateId", "?SEPA mandate ID"];
pub const NONE: &[&str] = &[];
