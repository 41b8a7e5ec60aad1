#!/usr/bin/env python3
"""Writes the password-protected workbooks under fixtures/workbooks/.

LibreOffice opens fixtures/sheets/customers.xlsx and saves it with the password "secret" as
.xlsx (ECMA-376 "Standard" encryption: an OLE2 file holding EncryptionInfo and
EncryptedPackage), .xls (BIFF8 with a FILEPASS record, RC4) and .ods (encrypted zip parts,
listed with manifest:encryption-data in META-INF/manifest.xml). The files are committed:
tests never need LibreOffice.

Needs LibreOffice's Python bridge (`uno`), which Debian ships for the system Python only:

    /usr/bin/python3 scripts/make-encrypted-fixtures.py

`soffice --convert-to` cannot encrypt (its JSON filter options do not reach the encryption
code in LibreOffice 7.4), so the script drives a headless LibreOffice over a pipe and calls
storeToURL with the password. For .xls and .ods the media descriptor's `Password` is enough;
OOXML needs `EncryptionData` with `OOXPassword` and `CryptoType` "Standard" (LibreOffice 7.4
fails to write its "Agile" kind). The encrypted bytes differ on every run (random salts).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import uno
    from com.sun.star.beans import NamedValue, PropertyValue
except ImportError:
    sys.exit("needs LibreOffice's Python bridge: run with /usr/bin/python3 "
             "(apt-get install python3-uno libreoffice-calc)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "fixtures", "sheets", "customers.xlsx")
OUT = os.path.join(ROOT, "fixtures", "workbooks")
PASSWORD = "secret"


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def named(name, value):
    v = NamedValue()
    v.Name, v.Value = name, value
    return v


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            return resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except Exception:  # the office is still starting
            time.sleep(0.5)
    sys.exit("LibreOffice did not start")


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-calc")
    os.makedirs(OUT, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="cmx-lo-")
    pipe = "collectmaxx%d" % os.getpid()
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore",
         "-env:UserInstallation=file://" + profile,
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(SOURCE), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            sys.exit("LibreOffice could not open " + SOURCE)
        ooxml = uno.Any("[]com.sun.star.beans.NamedValue",
                        (named("OOXPassword", PASSWORD), named("CryptoType", "Standard")))
        targets = [
            ("encrypted.xlsx", "Calc MS Excel 2007 XML", prop("EncryptionData", ooxml)),
            ("encrypted.xls", "MS Excel 97", prop("Password", PASSWORD)),
            ("encrypted.ods", "calc8", prop("Password", PASSWORD)),
        ]
        for name, filt, secret in targets:
            dest = os.path.join(OUT, name)
            uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(dest),
                                           (prop("FilterName", filt), secret)))
            print("wrote", os.path.relpath(dest, ROOT))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes down with the office
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
