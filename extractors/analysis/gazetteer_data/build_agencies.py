"""Write agencies.jsonl: US federal agencies and their components, with safe aliases and .gov domains.

Reads the reference tables in ../shared/corpus/reference/ (not shipped with the project; the output file is):

- federal_agencies_18f_foia.csv and 18f_foia_contacts/*.yaml: 18F's FOIA contact data (agencies, their
  components, and the abbreviations the agencies use);
- dotgov_agencies-and-subs.csv: CISA's list of federal agencies and bureaus;
- dotgov_current-federal.csv: every federal .gov domain and the organisation (and sub-organisation) that owns it.

Aliases are generated, then filtered so that none is an ordinary word or ambiguous:
- acronyms come from the data (plus the CURATED_ACRONYMS below, for agencies the data gives none for);
  one- and two-letter acronyms and acronyms that are common words or stand for something else at least as
  often (PRC, ACL, EPIC...) are dropped; acronyms are matched case-sensitively by the gazetteer;
- "U.S. X" / "US X" / "United States X" forms of each name, with and without the prefix;
- "Department of the X" <-> "Department of X", and "X Department" for the cabinet departments whose
  short form is unambiguous (listed in DEPARTMENT_SHORT_FORMS; matched case-sensitively, as written);
- "&" <-> "and";
- an alias shared by two entries is dropped from both (and reported);
- single words ("State", "Energy", "Justice", "Treasury", "Army") are never aliases matched case-insensitively.

Generic component names ("Headquarters", "Office of the Secretary", "Region 4 (...)") are left out: they
name nothing on their own. A component's Office of Inspector General becomes "<Department> Office of
Inspector General" with the alias "<ACRONYM> OIG".

State and local agencies are not listed: extractors/analysis/gazetteer.py finds them by pattern.

Run: .venv/bin/python extractors/analysis/gazetteer_data/build_agencies.py [--reference DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DEFAULT_REFERENCE = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "reference"))
DEFAULT_OUT = os.path.join(HERE, "agencies.jsonl")

# Words that make a multi-word name an organisation's name rather than a phrase ("Rural Development",
# "Science and Technology" and "Enterprise Operations" have none and are left out).
HEAD_WORDS = {
    "department", "agency", "administration", "bureau", "service", "services", "commission", "office",
    "board", "council", "corporation", "foundation", "institute", "institutes", "division", "center",
    "centers", "command", "corps", "authority", "directorate", "survey", "guard", "trust", "mint", "court",
    "courts", "committee", "laboratory", "library", "museum", "police", "marshals", "network", "reserve",
    "archives", "congress", "senate", "representatives", "gallery", "fund", "bank", "panel", "academy",
    "staff", "navy", "army", "force", "patrol", "task", "program", "system", "house", "attorneys",
    "trustees", "secretary", "representative", "inspector", "investigations", "unit", "enforcement",
    "protection",
}

# Components that name nothing on their own.
GENERIC_COMPONENT = re.compile(
    r"^(the )?(headquarters|national headquarters|main office|departmental offices?|departmental management|"
    r"departmental administration|office of (the )?(secretary|solicitor|general counsel|chief [a-z ]+officer|"
    r"executive secretary|civil rights|communications|administrative law judges|special trustee)|"
    r"the authority.*|region [0-9ivx]+.*|.*district office.*|.*regional office|.*field office.*|"
    r".*operations office|[a-z]+ office|central office.*|program support center|enterprise operations|"
    r"allowances|buildings and facilities|executive operations|energy programs|housing programs|housing supply|"
    r"defense-wide|army|air force|navy, marine corps|general administration|management directorate|"
    r"management and administration|analysis and operations|science and technology|rural development|"
    r"research, education & economics|interagency law enforcement|.*foia service center.*|"
    r"office of (the )?assistant secretary.*|office of deputy assistant secretary.*|"
    r"legal activities and u\.s\. marshals|federal prison system|power marketing administration|"
    r"environmental and other defense activities|radiation exposure compensation|disaster education recovery|"
    r"usps (headquarters|field) office|.*inspector general.*|.* local office|.*\bfoia\b.*|"
    r".* - [A-Z]+|department-wide programs|military sales program|affordable housing program|.*allowances|financing vehicles.*|headquarters & .*|office of gsa it|"
    r"accessioned .*)$",
    re.IGNORECASE,
)
INSPECTOR_GENERAL = re.compile(r"^(the )?office of (the )?inspector general$|^inspector general$", re.IGNORECASE)

# Acronyms that are words or stand for something else at least as often in email.
BAD_ACRONYMS = {
    "PRC", "ACL", "CFA", "DOS", "SSS", "NW", "DC", "PC", "PT", "CO", "ED", "VA", "EPIC", "ARC", "ACE", "CARE",
    "MINT", "CORPS", "AMTRAK", "TREASURY", "FCA", "MCC", "OSC", "HOPE", "IT", "US", "OR", "IAF", "DO", "IHS",
}

# Well-known acronyms the reference data does not give (name as it appears in the data -> acronyms).
CURATED_ACRONYMS = {
    "Federal Bureau of Investigation": ["FBI"],
    "National Security Agency": ["NSA"],
    "Federal Emergency Management Agency": ["FEMA"],
    "Transportation Security Administration": ["TSA"],
    "United States Secret Service": ["USSS"],
    "United States Marshals Service": ["USMS"],
    "Centers for Disease Control and Prevention": ["CDC"],
    "Food and Drug Administration": ["FDA"],
    "National Institutes of Health": ["NIH"],
    "Centers for Medicare and Medicaid Services": ["CMS"],
    "Federal Aviation Administration": ["FAA"],
    "National Park Service": ["NPS"],
    "Bureau of Land Management": ["BLM"],
    "U.S. Geological Survey": ["USGS"],
    "U.S. Fish and Wildlife Service": ["USFWS"],
    "National Oceanic and Atmospheric Administration": ["NOAA"],
    "National Institute of Standards and Technology": ["NIST"],
    "Defense Intelligence Agency": ["DIA"],
    "National Geospatial-Intelligence Agency": ["NGA"],
    "Defense Information Systems Agency": ["DISA"],
    "Defense Logistics Agency": ["DLA"],
    "Defense Threat Reduction Agency": ["DTRA"],
    "Defense Contract Audit Agency": ["DCAA"],
    "Defense Contract Management Agency": ["DCMA"],
    "Executive Office for Immigration Review": ["EOIR"],
    "Executive Office for United States Attorneys": ["EOUSA"],
    "Office of Justice Programs": ["OJP"],
    "Office of Information Policy": ["OIP"],
    "Office of Legal Counsel": ["OLC"],
    "Office of Community Oriented Policing Services": ["COPS Office"],
    "Cybersecurity and Infrastructure Security Agency": ["CISA"],
    "National Aeronautics and Space Administration": ["NASA"],
    "Government Accountability Office": ["GAO"],
    "Government Publishing Office": ["GPO"],
    "Congressional Budget Office": ["CBO"],
    "National Archives and Records Administration": ["NARA"],
    "Internal Revenue Service - Headquarters Office": ["IRS"],
    "Department of Agriculture": ["USDA"],
    "Substance Abuse and Mental Health Services Administration": ["SAMHSA"],
    "National Nuclear Security Administration": ["NNSA"],
    "Financial Crimes Enforcement Network": ["FinCEN"],
    "Office of the Comptroller of the Currency": ["OCC"],
    "Federal Law Enforcement Training Center": ["FLETC"],
    "Office of Biometric Identity Management": ["OBIM"],
    "Office of Intelligence & Analysis": ["I&A"],
    "Science & Technology Directorate": ["DHS S&T"],
    "U.S. Citizenship & Immigration Services": ["USCIS"],
    "National Highway Traffic Safety Administration": ["NHTSA"],
    "Supreme Court of the United States": ["SCOTUS"],
    "Administrative Office of the United States Courts": ["AOUSC"],
    "Internet Crime Complaint Center": ["IC3"],
    "Terrorist Screening Center": ["TSC"],
}

# Law-enforcement bodies that FOIA email names often and the reference data lacks (canonical, parent, aliases).
CURATED_ENTITIES = [
    ("Homeland Security Investigations", "U.S. Immigration and Customs Enforcement", ["HSI"]),
    ("Enforcement and Removal Operations", "U.S. Immigration and Customs Enforcement", ["ICE ERO"]),
    ("Bureau of Justice Assistance", "Department of Justice", ["BJA"]),
    ("National Institute of Justice", "Department of Justice", ["NIJ"]),
    ("Bureau of Justice Statistics", "Department of Justice", ["BJS"]),
    ("Joint Terrorism Task Force", "Federal Bureau of Investigation", ["JTTF"]),
    ("Criminal Justice Information Services Division", "Federal Bureau of Investigation", ["CJIS", "CJIS Division"]),
    ("Federal Protective Service", "Department of Homeland Security", ["FPS"]),
    ("National Counterterrorism Center", "Office of the Director of National Intelligence", ["NCTC"]),
    ("El Paso Intelligence Center", "Drug Enforcement Administration", []),
    ("High Intensity Drug Trafficking Areas Program", "Office of National Drug Control Policy",
     ["HIDTA", "High Intensity Drug Trafficking Area"]),
    ("United States Congress", None, ["U.S. Congress", "US Congress", "Congress"]),
    ("Internal Revenue Service", "Department of the Treasury", []),
    ("Bureau of Prisons", "Department of Justice", []),
    ("White House", "Executive Office of the President", []),
]

# Canonical spellings for names the data spells oddly.
CANONICAL_OVERRIDES = {
    "Department of Interior": "Department of the Interior",
    "Jobs Corps": "Job Corps",
    "Center for Medicare and Medicaid Services": "Centers for Medicare and Medicaid Services",
    "Recovery Accountablity and Transparency Board": "Recovery Accountability and Transparency Board",
    "Internal Revenue Service - Headquarters Office": "Internal Revenue Service",
    "Federal Bureau of Prisons": "Federal Bureau of Prisons",
    "Export-Import Bank of the U.S.": "Export-Import Bank of the United States",
    "AMTRAK": "National Railroad Passenger Corporation",
    "Animal & Plant Health Inspection": "Animal and Plant Health Inspection Service",
    "Forest Service - Headquarters": "Forest Service",
    "SAMSHA": "SAMHSA",
    "FINCEN": "FinCEN",
    "White House Office": "White House",
    "U.S. Customs & Border Protection": "U.S. Customs and Border Protection",
}
EXTRA_ALIASES = {  # a few further safe aliases for entries the data names oddly
    "National Railroad Passenger Corporation": ["Amtrak", "AMTRAK"],
    "Department of the Army": ["U.S. Army", "US Army", "United States Army"],
    "Department of the Navy": ["U.S. Navy", "US Navy", "United States Navy"],
    "Department of the Air Force": ["U.S. Air Force", "US Air Force", "United States Air Force", "USAF"],
    "US Marine Corps": ["U.S. Marine Corps", "United States Marine Corps", "USMC"],
    "Drug Enforcement Administration": ["Drug Enforcement Agency"],  # a common misnomer
    "Federal Bureau of Prisons": [],
    "Office of the Director of National Intelligence": ["ODNI"],
    "United States House of Representatives": ["U.S. House of Representatives", "US House of Representatives"],
    "United States Senate": ["U.S. Senate", "US Senate"],
    "Supreme Court of the United States": ["U.S. Supreme Court", "US Supreme Court", "United States Supreme Court"],
    "Department of the Treasury": ["U.S. Treasury", "US Treasury", "United States Treasury"],
    "Department of Homeland Security": ["Homeland Security Department"],
}
SINGLE_WORD_ALIASES = {"Congress", "Amtrak"}  # one-word names that mean one body (matched as written)
# "Department of X" -> "X Department": only where the short form means the federal department.
DEPARTMENT_SHORT_FORMS = {
    "Department of Justice": "Justice Department",
    "Department of State": "State Department",
    "Department of Defense": "Defense Department",
    "Department of the Treasury": "Treasury Department",
    "Department of Energy": "Energy Department",
    "Department of Labor": "Labor Department",
    "Department of Commerce": "Commerce Department",
    "Department of the Interior": "Interior Department",
    "Department of Agriculture": "Agriculture Department",
    "Department of Education": "Education Department",
    "Department of Transportation": "Transportation Department",
    "Department of Veterans Affairs": "Veterans Affairs Department",
    "Department of Homeland Security": "Homeland Security Department",
}

PREFIX = re.compile(r"^(?:the\s+)?(?:u\.?\s?s\.?|united states)\s+", re.IGNORECASE)


def fail(message: str) -> None:
    print(f"build_agencies: {message}", file=sys.stderr)
    raise SystemExit(2)


def clean(name: str) -> str:
    name = re.sub(r"\s+", " ", (name or "").replace("\u2013", "-")).strip().strip(",")
    name = re.sub(r",\s*NIH$", "", name).replace(" & ", " and ")
    return CANONICAL_OVERRIDES.get(name, name)


def key(name: str) -> str:
    """The comparison key two spellings of one organisation share."""
    k = name.lower().replace("&", " and ")
    k = PREFIX.sub("", k)
    k = re.sub(r"\bu\.\s?s\b\.?", "united states", k)
    k = re.sub(r"\bthe\b", " ", k)
    k = re.sub(r"[^a-z0-9]+", " ", k)
    return " ".join(k.split())


def is_acronym(alias: str) -> bool:
    return " " not in alias and not any(c.islower() for c in alias[1:]) and any(c.isupper() for c in alias)


def acronym_ok(acr: str) -> bool:
    letters = re.sub(r"[^A-Za-z0-9]", "", acr)
    return len(letters) >= 3 and acr.upper() not in BAD_ACRONYMS


def has_head(name: str) -> bool:
    words = re.findall(r"[a-z]+", name.lower())
    return len(words) >= 2 and any(w in HEAD_WORDS for w in words)


class Registry:
    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}

    def by_acronym(self) -> dict[str, dict]:
        index: dict[str, list[dict]] = defaultdict(list)
        for e in self.entries.values():
            for a in e["aliases"]:
                if is_acronym(a) and acronym_ok(a):
                    index[a.upper()].append(e)
        return {a: es[0] for a, es in index.items() if len(es) == 1}

    def get(self, name: str) -> dict | None:
        return self.entries.get(key(clean(name)))

    def add(self, name: str, parent: str | None = None, acronyms=(), source: str = "", force: bool = False) -> dict | None:
        name = clean(name)
        paren = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", name)
        aliases = []
        if paren:  # "U.S. Chemical Safety and Hazard Investigation Board (CSB)", "AMTRAK (National Railroad ...)"
            inner = paren.group(2).strip()
            if is_acronym(inner):
                name, acronyms = clean(paren.group(1)), [*acronyms, inner]
            elif has_head(inner) and not re.search(r"[,;:]", inner):
                aliases.append(clean(paren.group(1)))
                name = clean(inner)
            else:
                return None
        if "," in name:  # "Department of Justice, National Institute of Corrections": the part after the comma
            before, after = name.split(",", 1)
            if has_head(after) and not re.search(r"\b(and|&)\s*$", before):
                if re.search(r"[A-Z]{2}", after) or not has_head(before):
                    return None
                return self.add(after, before, acronyms, source)
        if force:
            pass
        elif not re.match(r"[A-Z0-9]", name) or GENERIC_COMPONENT.match(name) or not has_head(name) or re.search(r"[/;]|\b[A-Z]\. [A-Z]\.", name):
            return None
        k = key(name)
        entry = self.entries.get(k)
        if entry is None:
            entry = self.entries[k] = {"canonical": name, "label": "AGENCY", "aliases": [], "parent": None,
                                       "domains": [], "sources": set()}
        entry["sources"].add(source)
        for a in [*aliases, name]:
            if a != entry["canonical"] and a not in entry["aliases"]:
                entry["aliases"].append(a)
        for acr in acronyms:
            acr = CANONICAL_OVERRIDES.get(acr.strip(), acr.strip())
            if acr and acr not in entry["aliases"]:
                entry["aliases"].append(acr)
        if parent and (source == "curated" or not (entry["parent"] or entry.get("parent_locked"))):
            parent = clean(parent)
            if key(parent) != k:
                entry["parent"] = parent
        if source == "curated":
            entry["parent_locked"] = True
        return entry


def read_reference(ref: str) -> Registry:
    files = {n: os.path.join(ref, n) for n in ("federal_agencies_18f_foia.csv", "dotgov_agencies-and-subs.csv",
                                               "dotgov_current-federal.csv")}
    yamls = sorted(glob.glob(os.path.join(ref, "18f_foia_contacts", "*.yaml")))
    missing = [p for p in files.values() if not os.path.isfile(p)]
    if not os.path.isdir(ref) or missing or not yamls:
        fail(f"the reference tables are not at {ref} (missing: {', '.join(missing) or '18f_foia_contacts/*.yaml'}).\n"
             "They are part of the research corpus (../shared/corpus/reference beside the project), which is not "
             "shipped; agencies.jsonl is. Pass --reference DIR to build from another copy.")
    reg = Registry()
    inspector_generals: list[tuple[str, str]] = []  # (parent name, parent acronym)

    import yaml

    for path in yamls:  # 18F: agency, its components, abbreviations
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
        agency, abbr = clean(data.get("name", "")), (data.get("abbreviation") or "").strip()
        if not agency:
            continue
        reg.add(agency, None, [abbr] if abbr else [], "18f")
        for dep in data.get("departments") or []:
            name = clean(dep.get("name", ""))
            if INSPECTOR_GENERAL.match(name):
                inspector_generals.append((agency, abbr))
                continue
            if key(name) == key(agency):
                continue
            dabbr = (dep.get("abbreviation") or "").strip()
            reg.add(name, agency, [dabbr] if dabbr else [], "18f")
    with open(files["federal_agencies_18f_foia.csv"], encoding="utf-8") as f:  # the same data as a table
        for row in csv.DictReader(f):
            name = clean(row["name"])
            acr = [row["abbreviation"].strip()] if row["abbreviation"].strip() else []
            if INSPECTOR_GENERAL.match(name):
                inspector_generals.append((clean(row["parent_name"]), row["parent_abbreviation"].strip()))
            elif row["level"] == "agency" or key(name) != key(row["parent_name"]):
                reg.add(name, row["parent_name"] or None, acr, "18f")
    with open(files["dotgov_agencies-and-subs.csv"], encoding="utf-8") as f:
        for row in csv.DictReader(f):
            agency, bureau = clean(row["Agency"]), clean(row["Bureau"])
            reg.add(agency, None, (), "dotgov")
            if bureau and key(bureau) != key(agency):
                if INSPECTOR_GENERAL.match(bureau):
                    inspector_generals.append((agency, ""))
                else:
                    reg.add(bureau, agency, (), "dotgov")
    for canonical, parent, aliases in CURATED_ENTITIES:
        reg.add(canonical, parent, aliases, "curated")
    for name, acrs in CURATED_ACRONYMS.items():
        entry = reg.get(name)
        if entry is not None:
            for acr in acrs:
                if acr not in entry["aliases"]:
                    entry["aliases"].append(acr)
    for name, aliases in EXTRA_ALIASES.items():
        entry = reg.get(name)
        if entry is not None:
            entry["aliases"].extend(a for a in aliases if a not in entry["aliases"])

    # Offices of Inspector General, named by their department.
    for parent, abbr in inspector_generals:
        pentry = reg.get(parent)
        if pentry is None:
            continue
        pname = pentry["canonical"]
        acrs = [a for a in pentry["aliases"] if is_acronym(a) and acronym_ok(a)] or ([abbr] if acronym_ok(abbr) else [])
        entry = reg.add(f"{pname} Office of Inspector General", pname, [f"{a} OIG" for a in acrs], "18f", force=True)
        if entry is not None:
            entry["aliases"].extend(a for a in [f"{pname} Office of the Inspector General",
                                                f"{pname} Inspector General", f"{pname} OIG"]
                                    + [f"{a} Office of Inspector General" for a in acrs]
                                    + [f"{a} Inspector General" for a in acrs] if a not in entry["aliases"])

    # .gov domains -> the organisation that owns them.
    with open(files["dotgov_current-federal.csv"], encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        org, sub = clean(row["Organization name"]), clean(row["Suborganization name"])
        if INSPECTOR_GENERAL.search(org):
            continue
        reg.add(org, None, (), "dotgov")
        if sub and key(sub) != key(org) and not INSPECTOR_GENERAL.match(sub):
            reg.add(sub, org, (), "dotgov")
    for row in rows:
        domain = row["Domain name"].strip().lower()
        org, sub = clean(row["Organization name"]), clean(row["Suborganization name"])
        owner = owner_of(reg, domain, org, sub)
        if owner is not None and domain not in owner["domains"]:
            owner["domains"].append(domain)
    return reg


def owner_of(reg: Registry, domain: str, org: str, sub: str) -> dict | None:
    """dea.gov belongs to the DEA (its sub-organisation), dhs.gov to DHS itself although the table files it under
    "Management Directorate", usdoj.gov to the DOJ (its sub-organisation is a generic office)."""
    label = domain.rsplit(".", 1)[0].split(".")[-1]
    org_e, sub_e = reg.get(org), (reg.get(sub) if sub else None)
    named = reg.by_acronym().get(label.upper())
    if named is not None:  # usaid.gov: USAID's staff, although the table now files the domain under State
        return named

    def names(e):
        if e is None:
            return False
        acrs = {a.lower() for a in e["aliases"] if is_acronym(a)}
        words = set(re.findall(r"[a-z]+", e["canonical"].lower()))
        return label in acrs or label in words or any(label in (f"us{a}", f"{a}s") for a in acrs | words)

    if names(org_e) and not names(sub_e):
        return org_e
    if sub_e is not None:
        return sub_e
    return org_e


def add_variants(entry: dict) -> None:
    """Generated aliases: with/without "U.S."/"US"/"United States", "the", "&"/"and", "X Department"."""
    canonical = entry["canonical"]
    names = [canonical] + [a for a in entry["aliases"] if not is_acronym(a)]
    out = list(entry["aliases"])

    def push(a):
        a = " ".join(a.split())
        if a and a != canonical and a not in out:
            out.append(a)

    for n in names:
        forms = {n, n.replace(" & ", " and "), n.replace(" and ", " & ")}
        for form in list(forms):
            if re.search(r"\bof the\b", form):
                forms.add(re.sub(r"\bof the\b", "of", form, count=1))
            if form.lower().startswith("the "):
                forms.add(form[4:])
        for form in forms:
            bare = PREFIX.sub("", form)
            push(form)
            if bare != form and has_head(bare) and len(bare.split()) >= 2:
                push(bare)
            notable = entry["parent"] is None or any(is_acronym(a) for a in entry["aliases"])
            if notable and has_head(bare) and len(bare.split()) >= 2 and not re.search(r"\b[A-Z]{2,}\b", bare):
                for p in ("U.S. ", "US ", "United States "):
                    push(p + bare)
    short = DEPARTMENT_SHORT_FORMS.get(canonical)
    if short:
        push(short)
    entry["aliases"] = out


def finish(reg: Registry) -> list[dict]:
    entries = list(reg.entries.values())
    for e in entries:
        add_variants(e)
        keep = []
        for a in e["aliases"]:
            if is_acronym(a) or re.fullmatch(r"[A-Z0-9&]+ (OIG|ERO|S&T|Office|Division|Inspector General|"
                                               r"Office of Inspector General)", a):
                if acronym_ok(a.split()[0]) or a.split()[0] in ("HSI", "CJIS", "I&A"):
                    keep.append(a)
            elif a in SINGLE_WORD_ALIASES or has_head(a) and key(a) not in ("office of inspector general",
                                                                             "inspector general"):
                keep.append(a)
        e["aliases"] = keep
    # An alias two entries share names neither: drop it from both.
    owners = defaultdict(set)
    for i, e in enumerate(entries):
        for a in {e["canonical"], *e["aliases"]}:
            owners[a if is_acronym(a) else key(a)].add(i)
    shared = {k for k, v in owners.items() if len(v) > 1}
    for k in sorted(shared):
        print(f"  ambiguous alias dropped: {k!r} ({'; '.join(entries[i]['canonical'] for i in owners[k])})",
              file=sys.stderr)
    for e in entries:
        e["aliases"] = sorted({a for a in e["aliases"] if (a if is_acronym(a) else key(a)) not in shared
                               and a != e["canonical"]}, key=lambda a: (not is_acronym(a), len(a), a))
        case_sensitive = [a for a in e["aliases"] if re.fullmatch(r"[A-Z][a-z]+ Department", a)]
        out = {"canonical": e["canonical"], "label": "AGENCY", "aliases": e["aliases"], "parent": e["parent"],
               "domains": sorted(e["domains"])}
        if case_sensitive:
            out["case_sensitive"] = case_sensitive
        e["out"] = out
    return sorted((e["out"] for e in entries), key=lambda o: o["canonical"].lower())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", default=DEFAULT_REFERENCE, help=f"reference folder (default {DEFAULT_REFERENCE})")
    ap.add_argument("--out", default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    args = ap.parse_args()
    reg = read_reference(args.reference)
    rows = finish(reg)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} agencies, {sum(len(r['aliases']) for r in rows)} aliases, "
          f"{sum(len(r['domains']) for r in rows)} domains to {args.out}")


if __name__ == "__main__":
    main()
