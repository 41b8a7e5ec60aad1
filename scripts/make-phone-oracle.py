#!/usr/bin/env python3
"""Writes tests/data/phone-oracle.csv: phone numbers as people type them, with the verdict of
Google's libphonenumber (its Python port, `phonenumbers`) on each.

The test `tests/rules/phone_oracle.rs` reads the committed file and compares collectmaxx's reading
with these verdicts; it never needs Python. Run this script again (with the same seed) to
remake the file; a newer `phonenumbers` may change a few verdicts where its metadata changed.

    python3 scripts/make-phone-oracle.py            # seed 12, 4000 numbers

Each row:
- input: the text as typed in a cell;
- kind: how it was made (region, number type, written form), for the test's messages;
- valid, e164: `phonenumbers.parse(input, "NL")` (default region NL, as the tool's default
  country), then `is_valid_number`; e164 without its `+` when valid;
- intl_valid, intl_e164: for input without `+` whose digits do not start with 0 (a "bare"
  number), the verdict on `+` followed by its digits: the tool reads such digits as an
  international number first (the specification writes its example `31107989525` so), which
  libphonenumber does only for the default region's own country code;
- space_valid, space_e164: for input holding a space that libphonenumber does not take for
  one (thin space U+2009, figure space U+2007, narrow no-break space U+202F: French
  typography puts the last between digit groups), the verdict on the same input with plain
  spaces there. The specification allows spaces; the tool reads these as spaces.

Deterministic: one `random.Random(seed)` drives every choice, in a fixed order.
"""
import argparse
import csv
import os
import random
import sys

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "phone-oracle.csv")

# Where the customers of a Dutch client live, roughly: most Dutch, then the neighbours.
REGIONS = [("NL", 40), ("BE", 15), ("DE", 15), ("GB", 10), ("FR", 10), ("US", 10)]

# Leading digits of national significant numbers, by region, to draw plausible numbers from
# (mobile ranges first). Validity is not assumed: every drawn number is judged by the library.
LEADS = {
    "NL": ["6", "6", "6", "10", "20", "30", "40", "50", "70", "71", "73", "76", "85", "88",
           "23", "24", "26", "33", "35", "38", "43", "45", "53", "55", "58", "113", "172",
           "180", "222", "251", "294", "313", "341", "412", "475", "492", "511", "546", "570",
           "591", "800", "900", "906", "909", "97"],
    "BE": ["47", "48", "49", "46", "2", "3", "4", "9", "10", "11", "13", "14", "15", "16",
           "19", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "63",
           "64", "65", "67", "69", "71", "80", "81", "82", "83", "84", "85", "86", "87", "89",
           "800", "900", "78"],
    "DE": ["151", "152", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174",
           "175", "176", "177", "178", "179", "30", "40", "69", "89", "221", "211", "231",
           "201", "341", "351", "511", "611", "711", "911", "228", "6221", "7071", "800",
           "900", "180", "32", "33", "34", "35", "36", "37", "38", "39"],
    "GB": ["7", "7", "74", "75", "77", "78", "79", "20", "121", "131", "141", "161", "113",
           "114", "115", "116", "117", "118", "1223", "1865", "1632", "800", "808", "3",
           "843", "844", "870", "871", "56", "55", "1"],
    "FR": ["6", "7", "1", "2", "3", "4", "5", "9", "80", "81", "82", "89"],
    "US": ["201", "202", "212", "213", "305", "312", "415", "617", "646", "702", "713",
           "718", "800", "888", "900", "555", "123", "011", "911", "2", "3", "4", "5", "6",
           "7", "8", "9"],
}

# Lengths of national significant numbers to draw, by region (the common ones first; the
# neighbours of the right length make numbers too short and too long).
LENGTHS = {
    "NL": [9, 9, 9, 9, 7, 8, 10, 11],
    "BE": [8, 9, 9, 9, 7, 10],
    "DE": [10, 11, 10, 11, 9, 8, 7, 12, 13],
    "GB": [10, 10, 10, 9, 11, 7],
    "FR": [9, 9, 9, 9, 8, 10],
    "US": [10, 10, 10, 10, 9, 11],
}

SEPARATORS = [" ", " ", " ", "-", "-", ".", "/", "\u00a0", "\u2013"]
# Dash and space look-alikes that word processors and spreadsheets put in.
LOOKALIKES = ["\u2010", "\u2011", "\u2012", "\u2014", "\u2212", "\u202f", "\u2009", "\u00ad"]


# White space that the library's pattern of phone punctuation does not hold.
UNKNOWN_SPACES = "\u2007\u2009\u202f"


def verdict(text, region="NL"):
    """(valid, e164 digits or "") as libphonenumber judges `text` read in `region`."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False, ""
    if not phonenumbers.is_valid_number(number):
        return False, ""
    return True, phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]


def group(rng, digits):
    """The digits in groups as people write them, with one separator or none."""
    style = rng.randrange(8)
    if style == 0 or len(digits) < 4:
        return digits
    sep = rng.choice(SEPARATORS)
    if style == 1:
        sizes = [2] * (len(digits) // 2) + ([1] if len(digits) % 2 else [])
    elif style == 2:
        sizes = [3, 3, len(digits) - 6] if len(digits) > 6 else [len(digits)]
    elif style == 3:
        head = rng.randint(1, 3)
        sizes = [head, len(digits) - head]
    elif style == 4:
        sizes = []
        rest = len(digits)
        while rest > 0:
            n = min(rest, 4)
            sizes.append(n)
            rest -= n
    else:
        sizes = []
        rest = len(digits)
        while rest > 0:
            n = min(rest, rng.randint(1, 4))
            sizes.append(n)
            rest -= n
    out, i = [], 0
    for n in sizes:
        if n <= 0:
            continue
        out.append(digits[i:i + n])
        i += n
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


def split_area(rng, nsn):
    """(area, rest): the national number cut after 1 to 4 digits."""
    cut = min(len(nsn) - 1, rng.randint(1, 4))
    return nsn[:cut], nsn[cut:]


def library_format(region, nsn, fmt):
    number = phonenumbers.PhoneNumber(
        country_code=phonenumbers.country_code_for_region(region), national_number=int(nsn))
    return phonenumbers.format_number(number, fmt)


def draw_nsn(rng, region):
    lead = rng.choice(LEADS[region])
    length = max(len(lead) + 1, rng.choice(LENGTHS[region]))
    return lead + "".join(rng.choice("0123456789") for _ in range(length - len(lead)))


def draw_valid_nsn(rng, region):
    """A drawn national number that is valid, most of the time, as real exports mostly hold
    valid numbers; the rest are drawn without looking (wrong ranges, too short, too long)."""
    cc = phonenumbers.country_code_for_region(region)
    if rng.random() < 0.8:
        for _ in range(200):
            nsn = draw_nsn(rng, region)
            if nsn[0] != "0" and verdict(f"+{cc}{nsn}")[0]:
                return nsn
    return draw_nsn(rng, region)


def written_forms(rng, region, nsn):
    """(form name, text) for one number in many ways of writing it."""
    cc = str(phonenumbers.country_code_for_region(region))
    grouped = group(rng, nsn)
    area, rest = split_area(rng, nsn)
    rest_g = group(rng, rest)
    forms = [
        ("+cc", f"+{cc}{nsn}"),
        ("+cc grouped", f"+{cc} {grouped}"),
        ("+cc-grouped", f"+{cc}-{grouped}"),
        ("00cc", f"00{cc} {grouped}"),
        ("00cc tight", f"00{cc}{nsn}"),
        ("+cc (0)", f"+{cc} (0){area} {rest_g}"),
        ("+cc (0) spaced", f"+{cc} (0) {area} {rest_g}"),
        ("+cc(0)tight", f"+{cc}(0){nsn}"),
        ("00cc (0)", f"00{cc} (0){area} {rest_g}"),
        ("+cc 0", f"+{cc} 0{grouped}"),
        ("(+cc)", f"(+{cc}) {grouped}"),
        ("(+cc)tight", f"(+{cc}){nsn}"),
        ("++cc", f"++{cc} {grouped}"),
        ("+(cc)", f"+({cc}) {grouped}"),
        ("(00cc)", f"(00{cc}) {grouped}"),
        ("+cc (area)", f"+{cc} ({area}) {rest_g}"),
        ("cc bare", f"{cc}{nsn}"),
        ("cc bare grouped", f"{cc} {grouped}"),
        ("cc (0) bare", f"{cc} (0){nsn}"),
        ("library international", library_format(region, nsn, PhoneNumberFormat.INTERNATIONAL)),
        ("library national", library_format(region, nsn, PhoneNumberFormat.NATIONAL)),
        ("national 0", f"0{grouped}"),
        ("national 0 tight", f"0{nsn}"),
        ("national (0area)", f"(0{area}) {rest_g}"),
        ("national 0area-rest", f"0{area}-{rest}"),
        ("national 0area/rest", f"0{area}/{rest_g}"),
        ("national (0)", f"(0){area} {rest_g}"),
        ("lost zero", nsn),
        ("lost zero grouped", grouped),
        ("+0cc", f"+0{cc}{nsn}"),
        ("0cc", f"0{cc}{nsn}"),
        ("000cc", f"000{cc}{nsn}"),
        ("+cc 00", f"+{cc} 00{nsn}"),
    ]
    if region == "US":
        forms += [
            ("US (area)", f"({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}"),
            ("US 1-area", f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}"),
            ("US +1 (0)", f"+1 (0){nsn[:3]}-{nsn[3:6]}-{nsn[6:]}"),
            ("US 001", f"001 {nsn[:3]} {nsn[3:6]} {nsn[6:]}"),
        ]
    return forms


def junk_forms(rng, region, nsn):
    """Values with something besides a phone number in them."""
    cc = str(phonenumbers.country_code_for_region(region))
    national = f"0{group(rng, nsn)}"
    intl = f"+{cc} {group(rng, nsn)}"
    other = draw_nsn(rng, region)
    return [
        ("letters: tel prefix", f"tel: {intl}"),
        ("letters: T.", f"T. {national}"),
        ("letters: mob", f"mob. {national}"),
        ("letters: note after", f"{national} (mobiel)"),
        ("letters: ext", f"{intl} ext. {rng.randint(1, 999)}"),
        ("letters: x ext", f"{intl} x{rng.randint(1, 99)}"),
        ("letters: word", f"{national} alleen overdag"),
        ("letters: vanity", f"0800-{rng.choice(['FLOWERS', 'BELLEN', 'HULPNU', 'CALLME'])}"),
        ("letters: letter O for zero", f"O{nsn}"),
        ("letters: scientific", f"{int(cc + nsn) / 10 ** (len(cc + nsn) - 1):.5f}E+{len(cc + nsn) - 1}"),
        ("symbol: star", f"*{cc}{nsn}"),
        ("symbol: star inside", f"0{nsn[:1]}*{nsn[1:]}"),
        ("symbol: hash end", f"{intl}#"),
        ("symbol: semicolon end", f"{national};"),
        ("symbol: comma end", f"{national},"),
        ("symbol: apostrophe", f"'{national}"),
        ("symbol: curly apostrophe", f"\u2019{intl}"),
        ("symbol: equals", f"={intl}"),
        ("symbol: plus end", f"{national}+"),
        ("symbol: dash end", f"{national}-"),
        ("symbol: dot end", f"{national}."),
        ("symbol: brackets", f"[0{nsn[:2]}] {nsn[2:]}"),
        ("symbol: tilde", f"0{nsn[:2]}~{nsn[2:]}"),
        ("two numbers slash", f"{national} / 0{other}"),
        ("two numbers comma", f"{national}, 0{other}"),
        ("two numbers of", f"{national} of 0{other}"),
        ("float cell text", f"{cc}{nsn}.0"),
        ("plus twice", f"{intl} +{cc}"),
        ("plus space plus", f"+ +{cc}{nsn}"),
        ("lookalike dash", f"0{nsn[:2]}{rng.choice(LOOKALIKES)}{nsn[2:]}"),
        ("lookalike dash intl", f"+{cc}{rng.choice(LOOKALIKES)}{nsn[:3]}{rng.choice(LOOKALIKES)}{nsn[3:]}"),
        ("fullwidth plus", f"\uff0b{cc} {nsn}"),
        ("fullwidth parentheses", f"\uff080{nsn[:2]}\uff09{nsn[2:]}"),
    ]


PLACEHOLDERS = ["-", "0", "00", "000", "+", "0000000000", "1234567890", "0612345678",
                "n.v.t.", "onbekend", "geen", "?", "06", "06-", "+31", "+31 6", "31", "x",
                "0031", "999", "112", "0800", "14020", "1", "12", "123", "1234", "12345",
                "0000", "+0", "--", "()", "( )", "+()", "0-0", "06 00000000", "+31 000000000",
                "99999999999", "0123456789", "000000000000000", "+999 1234567",
                "+1234567890123456789", "12345678901234567890123"]


def lookalike_punctuation(rng, text):
    """The same text with one ASCII dash or space swapped for a look-alike."""
    for i, c in enumerate(text):
        if c in "- " and rng.random() < 0.5:
            return text[:i] + rng.choice(LOOKALIKES) + text[i + 1:]
    return text


def make(seed, count):
    rng = random.Random(seed)
    regions = [r for r, w in REGIONS for _ in range(w)]
    rows, seen = [], set()

    def add(kind, text):
        if text in seen or not text.strip():
            return
        seen.add(text)
        valid, e164 = verdict(text)
        digits = "".join(c for c in text if c.isdigit() and c.isascii())
        bare = "+" not in text and "\uff0b" not in text and digits[:1] not in ("", "0")
        intl_valid, intl_e164 = verdict("+" + digits) if bare else (False, "")
        spaced = any(c in UNKNOWN_SPACES for c in text)
        plain = "".join(" " if c in UNKNOWN_SPACES else c for c in text)
        space_valid, space_e164 = verdict(plain) if spaced else (False, "")
        rows.append({
            "input": text, "kind": kind,
            "valid": int(valid), "e164": e164,
            "intl_valid": int(intl_valid) if bare else "", "intl_e164": intl_e164,
            "space_valid": int(space_valid) if spaced else "", "space_e164": space_e164,
        })

    for text in PLACEHOLDERS:
        add("placeholder", text)
    # The issue's own examples.
    for text in ["(+31) 6 88684316", "++31 6 32448337", "+1 (0)202-879-2052",
                 "+31 (0)6 12345678", "31107989525", "+44 (0)20 7946 0018"]:
        add("issue example", text)

    while len(rows) < count:
        region = rng.choice(regions)
        nsn = draw_valid_nsn(rng, region)
        roll = rng.random()
        if roll < 0.12:
            kind, text = rng.choice(junk_forms(rng, region, nsn))
        else:
            kind, text = rng.choice(written_forms(rng, region, nsn))
            if rng.random() < 0.05:
                text = lookalike_punctuation(rng, text)
                kind += " (look-alike punctuation)"
            if rng.random() < 0.03:
                text = rng.choice([" ", "  ", "\t"]) + text + rng.choice(["", " "])
                kind += " (padded)"
        add(f"{region} {kind}", text)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    rows = make(args.seed, args.count)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        f.write(f"# made by scripts/make-phone-oracle.py --seed {args.seed} --count {args.count}; "
                f"verdicts of phonenumbers {phonenumbers.__version__}, default region NL\n")
        writer = csv.DictWriter(f, fieldnames=["input", "kind", "valid", "e164", "intl_valid",
                                               "intl_e164", "space_valid", "space_e164"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    valid = sum(r["valid"] for r in rows)
    print(f"{len(rows)} numbers ({valid} valid) written to {os.path.relpath(args.out, ROOT)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
