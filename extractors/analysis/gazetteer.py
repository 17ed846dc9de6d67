"""Gazetteers for the entity types spaCy's NER does not know: AGENCY, VENDOR and PRODUCT.

Pure: no database, no model at import. `load_gazetteer()` reads the files shipped in extractors/analysis/gazetteer_data/
(agencies.jsonl: US federal agencies and components; federal_offices.jsonl: office symbols and bodies the reference
tables lack; intergovernmental.jsonl: NATO, the UN...; surveillance_tech.jsonl: surveillance vendors, products
and technology kinds) plus any user files (`--gazetteer FILE`, CSV or JSONL). `make_ruler(nlp, gazetteer)` adds a
spaCy EntityRuler that tags them, and state and local agencies by pattern ("Port Halden Police Department",
"Orange County Sheriff's Office", "Department of Parks and Recreation").

Matching rules (so that ordinary words are never tagged):
- names of several words match case-insensitively ("drug enforcement administration", "FLOCK SAFETY");
- acronyms and other aliases without lower-case letters match exactly ("DEA", "ALPR"; never "dea", "Ice");
- one-word names of vendors, agencies and named products match as written, Capitalised or in CAPITALS
  ("Flock", "FLOCK"; never "flock"); one-word technology kinds ("drones", "biometrics") match in any case;
- aliases listed in an entry's `case_sensitive` ("State Department") match as written or in CAPITALS.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gazetteer_data")
SHIPPED_FILES = ("agencies.jsonl", "federal_offices.jsonl", "intergovernmental.jsonl", "surveillance_tech.jsonl")
RULER_NAME = "entity_ruler"
LABEL_RE = re.compile(r"^[A-Z][A-Z_]*$")
CSV_COLUMNS = ("label", "canonical", "aliases", "domains")
CSV_OPTIONAL = ("parent", "category", "vendor", "case_sensitive")


class GazetteerError(ValueError):
    """A gazetteer file that cannot be read: the message names the file and the line."""


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    label: str  # AGENCY | VENDOR | PRODUCT (user files may add others)
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # an agency's parent department; a vendor's owner
    domains: tuple[str, ...] = ()  # e-mail / web domains the organisation owns
    category: str | None = None  # surveillance technology category ("face recognition", ...)
    vendor: str | None = None  # for a PRODUCT: its vendor's canonical name; None for a technology kind
    case_sensitive: tuple[str, ...] = ()  # aliases matched only as written (or in capitals)
    note: str = field(default="", compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)

    @property
    def is_technology_kind(self) -> bool:
        """A generic kind of technology ("face recognition", "drones"), not a named product."""
        return self.label == "PRODUCT" and not self.vendor


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def is_acronym(alias: str) -> bool:
    """No lower-case letters: "DEA", "ALPR", "LEARN-NVLS", "AT&T", "DOJ OIG", "I&A"."""
    letters = _letters(alias)
    return bool(letters) and letters.isupper()


def match_mode(entry: GazetteerEntry, alias: str) -> str:
    """"exact" (as written, plus capitalised forms) or "lower" (any case)."""
    if is_acronym(alias) or alias in entry.case_sensitive:
        return "exact"
    if len(_norm(alias).split()) == 1 and not entry.is_technology_kind:
        return "exact"
    return "lower"


def _exact_forms(alias: str) -> list[str]:
    forms = [alias]
    if not is_acronym(alias):
        forms.append(alias.upper())
        if len(alias.split()) == 1:
            forms.append(alias[:1].upper() + alias[1:].lower())
        if "." in alias and " " not in alias:  # "Evidence.com"
            forms.append(alias.lower())
    return list(dict.fromkeys(forms))


class Gazetteer:
    def __init__(self, entries: list[GazetteerEntry]):
        self.entries: list[GazetteerEntry] = entries
        self._exact: dict[str, GazetteerEntry] = {}
        self._lower: dict[str, GazetteerEntry] = {}
        self._domains: dict[str, GazetteerEntry] = {}
        for e in entries:
            for alias in e.names:
                alias = _norm(alias)
                if match_mode(e, alias) == "exact":
                    for form in _exact_forms(alias):
                        self._exact.setdefault(form, e)
                else:
                    self._lower.setdefault(alias.lower(), e)
            for d in e.domains:
                self._domains.setdefault(d.lower().strip("."), e)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> GazetteerEntry | None:
        """The entry a name or alias stands for: case-insensitive for names, exact for acronyms."""
        text = _norm(text)
        if not text:
            return None
        return self._exact.get(text) or self._lower.get(text.lower())

    def by_domain(self, domain_or_address: str) -> GazetteerEntry | None:
        """The organisation an e-mail address or domain belongs to: "x@mail.dea.gov" -> the DEA."""
        domain = (domain_or_address or "").strip().strip("<>").rsplit("@", 1)[-1].lower().strip(".")
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            entry = self._domains.get(".".join(parts[i:]))
            if entry is not None:
                return entry
        return None

    def ruler_patterns(self) -> list[dict]:
        """Ruler patterns: a phrase pattern (a string) for each name, with "id" = canonical and "attr" = "LOWER"
        for a case-insensitive name or "ORTH" for an exact one; then the state and local agency token patterns
        (AGENCY, no id)."""
        patterns: list[dict] = []
        seen: set[tuple] = set()
        for e in self.entries:
            for alias in e.names:
                alias = _norm(alias)
                # a LOWER pattern keeps its case: the tokenizer splits "U.S." and "u.s." differently
                forms = [alias] if match_mode(e, alias) == "lower" else _exact_forms(alias)
                attr = "LOWER" if match_mode(e, alias) == "lower" else "ORTH"
                for form in forms:
                    if (attr, e.label, form.lower() if attr == "LOWER" else form) not in seen:
                        seen.add((attr, e.label, form.lower() if attr == "LOWER" else form))
                        patterns.append({"label": e.label, "pattern": form, "id": e.canonical, "attr": attr})
        patterns.extend(local_agency_patterns())
        return patterns


# ---- state and local agencies, by pattern ---------------------------------------------------------------

# US state and territory codes (as agency lists print them after a name, "Antioch Police Department CA").
STATE_CODES = sorted(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split())

# Capitalised words that begin sentences and greetings rather than names.
_NOT_NAME = ["the", "a", "an", "and", "or", "of", "for", "to", "from", "with", "at", "in", "on", "by", "as", "our",
             "your", "their", "his", "her", "my", "this", "that", "these", "those", "dear", "hi", "hello", "thanks",
             "thank", "please", "re", "fw", "fwd", "cc", "subject", "sent", "attn", "per", "regarding", "yesterday",
             "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "if", "when", "both", "all", "each", "every", "any", "no", "not", "also", "but", "so", "we", "i",
             "you", "they", "he", "she", "it", "local", "area", "other", "several", "many", "some", "new", "via",
             "contact", "call", "email", "mr", "ms", "mrs", "dr", "sheriff", "lt", "sgt",
             # the word that ends an agency's name: in a list run together ("... Attorney Office Addison Police
             # Department") it ends one name, it does not begin the next
             "office", "department", "dept", "dept.", "force", "agency", "bureau", "division", "unit", "center",
             "centre", "patrol"]
_CAP = r"^(?:[A-Z][A-Za-z'\u2019.\-]*|[A-Z]+)$"
NAME = {"TEXT": {"REGEX": _CAP}, "LOWER": {"NOT_IN": _NOT_NAME}}
NAME_OR_POSS = {"TEXT": {"REGEX": r"^(?:[A-Z][A-Za-z'\u2019.\-]*|['\u2019]s)$"}, "LOWER": {"NOT_IN": _NOT_NAME}}
POSS = {"ORTH": {"IN": ["'s", "\u2019s", "s'", "s\u2019"]}}


def _w(word: str, op: str | None = None) -> dict:
    """A keyword: any case, but capitalised in running text is what makes it a name, so require a capital."""
    tok = {"LOWER": word.lower(), "TEXT": {"REGEX": r"^[A-Z]"}}
    if op:
        tok["OP"] = op
    return tok


def _name(min_n: int = 1, max_n: int = 4) -> list[dict]:
    """One to four capitalised name words ("Port Halden", "Los Angeles", "Prince George's")."""
    return [dict(NAME), {**NAME_OR_POSS, "OP": f"{{0,{max_n - 1}}}"}] if min_n == 1 else \
        [dict(NAME) for _ in range(min_n)] + [{**NAME_OR_POSS, "OP": f"{{0,{max_n - min_n}}}"}]


def _cap_phrase(max_n: int = 4) -> list[list[dict]]:
    """Capitalised words, optionally joined by one "and"/"&" ("Parks and Recreation", "Health and Human Services")."""
    one = [dict(NAME), {**NAME, "OP": f"{{0,{max_n - 1}}}"}]
    conj = {"LOWER": {"IN": ["and", "&"]}}
    return [one, one + [conj] + one]


def local_agency_patterns() -> list[dict]:
    """Token patterns for state and local agencies (AGENCY, no id). The ruler keeps the longest match."""
    sheriff = [_w("Sheriff"), {**POSS, "OP": "?"}]
    sheriffs = [{"LOWER": {"IN": ["sheriff", "sheriffs", "sheriff's", "sheriff\u2019s"]}, "TEXT": {"REGEX": r"^[A-Z]"}},
                {**POSS, "OP": "?"}]
    office_or_dept = {"LOWER": {"IN": ["office", "department", "dept", "dept."]}, "TEXT": {"REGEX": r"^[A-Z]"}}
    seqs: list[list[dict]] = []
    name = _name()
    # <Name> Police Department / Police Dept / Police / Department of Public Safety / Public Safety Department
    seqs.append(name + [_w("Police"), {"LOWER": {"IN": ["department", "dept", "dept.", "bureau", "service"]},
                                       "TEXT": {"REGEX": r"^[A-Z]"}}])
    seqs.append(name + [_w("Police")])
    seqs.append(name + [_w("Public"), _w("Safety"), office_or_dept])
    seqs.append([_w("Police"), _w("Department")])
    # <Name> County Sheriff('s) (Office|Department), <Name> Sheriff's Office, Sheriff-Coroner Department
    seqs.append(name + sheriffs + [office_or_dept])
    seqs.append(name + [_w("County")] + sheriff)
    seqs.append(name + [_w("Sheriff"), {"ORTH": "-"}, _w("Coroner"), office_or_dept])
    seqs.append(sheriffs + [office_or_dept])
    seqs.append([_w("Sheriff"), {"ORTH": "-"}, _w("Coroner"), office_or_dept])
    # District attorneys, city attorneys, marshals
    da = [_w("District"), _w("Attorney"), {**POSS, "OP": "?"}]
    seqs.append(name + [_w("County", "?")] + da + [_w("Office", "?")])
    seqs.append(da + [_w("Office")])
    seqs.append(name + [_w("City", "?"), _w("Attorney"), {**POSS, "OP": "?"}, _w("Office")])
    seqs.append([_w("City"), _w("Attorney"), {**POSS, "OP": "?"}, _w("Office", "?")])
    seqs.append([_w("City"), _w("Manager"), {**POSS, "OP": "?"}, _w("Office")])
    seqs.append([_w("Mayor"), {**POSS, "OP": "?"}, {"LOWER": "office"}])
    seqs.append(name + [_w("Marshal"), {**POSS, "OP": "?"}, _w("Office")])
    # State police, highway patrol
    seqs.append(name + [_w("State"), {"LOWER": {"IN": ["police", "patrol"]}, "TEXT": {"REGEX": r"^[A-Z]"}}])
    seqs.append([_w("State"), {"LOWER": {"IN": ["police", "patrol"]}, "TEXT": {"REGEX": r"^[A-Z]"}}])
    seqs.append(name + [_w("Highway"), _w("Patrol")])
    seqs.append([_w("Highway"), _w("Patrol")])
    seqs.append(name + [_w("Transit"), _w("Police")])
    # Fusion centres, intelligence and crime centres, task forces
    seqs.append(name + [_w("Fusion"), _w("Center")])
    seqs.append([_w("Fusion"), _w("Center")])
    for centre in ("Center", "Centre"):
        seqs.append(name + [_w("Regional", "?"), _w("Intelligence"), _w(centre)])
        seqs.append([_w("Regional"), _w("Intelligence"), _w(centre)])
        rtcc = [_w("Real"), {"ORTH": "-", "OP": "?"}, _w("Time"), _w("Crime"), _w(centre)]
        seqs.append(rtcc)
        seqs.append(name + rtcc)
        seqs.append(name + [_w("Crime"), _w(centre)])
    seqs.append(name + [_w("Task"), _w("Force")])
    seqs.append(name + [_w("Working"), _w("Group")])  # "Body Camera Working Group", "ALPR Working Group"
    # Units of a police department: Crime Analysis Unit, Robbery Division, Detective Bureau
    seqs.append(name + [{"LOWER": {"IN": ["unit", "division", "bureau"]}, "TEXT": {"REGEX": r"^[A-Z]"}}])
    # Councils, boards, commissions and committees of a government
    seqs.append(name + [{"LOWER": {"IN": ["county", "city"]}, "TEXT": {"REGEX": r"^[A-Z]"}},
                        {"LOWER": {"IN": ["council", "commission"]}, "TEXT": {"REGEX": r"^[A-Z]"}}])
    seqs.append(name + [_w("County", "?"), _w("Board"), _w("of"), _w("Supervisors")])
    seqs.append([_w("Board"), {"LOWER": "of"}, _w("Supervisors")])
    for phrase in _cap_phrase():
        seqs.append([_w("Committee"), {"LOWER": "on"}, {"LOWER": "the", "OP": "?"}] + phrase)
        seqs.append(phrase + [{"LOWER": {"IN": ["committee", "commission"]}, "TEXT": {"REGEX": r"^[A-Z]"}}])
        # Department of <X>, <X> Department of <Y>, Office of (the) <X>
        seqs.append([_w("Department"), {"LOWER": "of"}] + phrase)
        seqs.append(_name(1, 3) + [_w("Department"), {"LOWER": "of"}] + phrase)
        seqs.append([_w("Office"), {"LOWER": "of"}, {"LOWER": "the", "OP": "?"}] + phrase)
        seqs.append(_name(1, 3) + [_w("Office"), {"LOWER": "of"}, {"LOWER": "the", "OP": "?"}] + phrase)
    # Boards ("Ethics Board", "Accountability Review Board", "Police Review Board")
    seqs.append(name + [_w("Board")])
    # Embassies and consulates by name ("Embassy Tripoli", "U.S. Embassy in Jakarta", "Consulate General Karachi")
    seqs.append([{"ORTH": {"IN": ["U.S.", "US"]}, "OP": "?"}, _w("Embassy"), {"LOWER": "in", "OP": "?"}] + _name(1, 3))
    seqs.append([{"ORTH": {"IN": ["U.S.", "US"]}, "OP": "?"}, _w("Consulate"), _w("General", "?"),
                 {"LOWER": "in", "OP": "?"}] + _name(1, 3))
    # Governments as parties: "State of California", "County of Orange", "City of Irvine", "the Libyan government"
    for unit in ("State", "County", "City", "Commonwealth"):
        seqs.append([_w(unit), {"LOWER": "of"}] + _name(1, 3))
    seqs.append([{"TEXT": {"REGEX": r"^[A-Z][a-z]+(an|ese|ish|i|ic)$"}}, {"LOWER": "government"}])
    # Agencies as lists abbreviate them (a data-sharing report, a distribution list): "Irvine CA PD", "Redwood City
    # PD", "Travis County SO", "Jefferson CO TX SO", "Kern County Sheriff - KCSO", "City of Vidor TX", "Lost Hills
    # Station - LA County", "CA DOJ". A state code is a name word here (NAME takes capitals): lists.py reads it.
    capital = {"TEXT": {"REGEX": r"^[A-Z]+\.?$"}}
    seqs.append(name + [{"LOWER": "pd", **capital}])
    seqs.append(name + [_w("County"), {"LOWER": "so", **capital}])
    seqs.append(name + [{"LOWER": {"IN": ["co", "co."]}, **capital}, {"TEXT": {"IN": STATE_CODES}, "OP": "?"},
                        {"LOWER": "so", **capital}])
    seqs.append(name + [_w("County"), _w("Sheriff"), {"ORTH": {"IN": ["-", "\u2013"]}},
                        {"TEXT": {"REGEX": r"^[A-Z]{2,6}$"}}])
    seqs.append(name + [_w("Station"), {"ORTH": {"IN": ["-", "\u2013"]}}] + _name(1, 3) + [_w("County")])
    seqs.append([_w("City"), {"LOWER": "of"}] + _name(1, 3) + [{"TEXT": {"IN": STATE_CODES}}])
    seqs.append([{"TEXT": {"IN": STATE_CODES}},
                 {"LOWER": {"IN": ["doj", "dps", "dot", "dmv", "chp", "dhs"]}, **capital}])
    # Courts
    seqs.append([_w("Supreme"), _w("Court")])
    seqs.append(name + [{"LOWER": {"IN": ["superior", "district", "circuit", "municipal", "county", "supreme"]},
                         "TEXT": {"REGEX": r"^[A-Z]"}}, _w("Court")])
    return [{"label": "AGENCY", "pattern": p} for p in seqs]


# ---- loading ---------------------------------------------------------------------------------------------

def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def _entry(record: dict, where: str) -> GazetteerEntry:
    if not isinstance(record, dict):
        raise GazetteerError(f"{where}: expected a JSON object with label and canonical")
    label = str(record.get("label") or "").strip()
    canonical = _norm(str(record.get("canonical") or ""))
    if not canonical:
        raise GazetteerError(f"{where}: no canonical name")
    if not LABEL_RE.match(label):
        raise GazetteerError(f"{where}: label {label!r} is not a label such as AGENCY, VENDOR or PRODUCT")

    def many(name):
        value = record.get(name) or ()
        if isinstance(value, str):
            return _split(value)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise GazetteerError(f"{where}: {name} must be a list of strings")
        return tuple(_norm(v) for v in value if v.strip())

    def one(name):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise GazetteerError(f"{where}: {name} must be a string")
        return _norm(value) if value else None

    return GazetteerEntry(canonical=canonical, label=label, aliases=many("aliases"), parent=one("parent"),
                          domains=tuple(d.lower() for d in many("domains")), category=one("category"),
                          vendor=one("vendor"), case_sensitive=many("case_sensitive"), note=one("note") or "")


def read_gazetteer_file(path: str) -> list[GazetteerEntry]:
    """Entries from a JSONL file (one object a line) or a CSV file with the header label,canonical,aliases,domains
    (aliases and domains `;`-separated; optional columns parent, category, vendor, case_sensitive)."""
    if not os.path.isfile(path):
        raise GazetteerError(f"{path}: no such gazetteer file")
    entries: list[GazetteerEntry] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        if path.lower().endswith((".jsonl", ".json", ".ndjson")):
            for n, line in enumerate(f, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise GazetteerError(f"{path}, line {n}: not valid JSON ({exc.msg})") from None
                entries.append(_entry(record, f"{path}, line {n}"))
            return entries
        reader = csv.reader(f)
        header = None
        for row in reader:
            n = reader.line_num
            if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                missing = [c for c in CSV_COLUMNS if c not in header]
                unknown = [c for c in header if c not in CSV_COLUMNS + CSV_OPTIONAL]
                if missing or unknown:
                    raise GazetteerError(f"{path}, line {n}: the header must be {','.join(CSV_COLUMNS)} "
                                         f"(optional: {','.join(CSV_OPTIONAL)}); "
                                         + (f"missing {', '.join(missing)}" if missing else
                                            f"unknown column {', '.join(unknown)}"))
                continue
            if len(row) > len(header):
                raise GazetteerError(f"{path}, line {n}: {len(row)} fields for {len(header)} columns "
                                     "(quote a value that holds a comma, or separate aliases with ';')")
            entries.append(_entry(dict(zip(header, (c.strip() for c in row))), f"{path}, line {n}"))
    if header is None:
        raise GazetteerError(f"{path}, line 1: empty file (expected the header {','.join(CSV_COLUMNS)})")
    return entries


def load_gazetteer(extra_files=()) -> Gazetteer:
    """The shipped gazetteers plus the user's files (`--gazetteer FILE`). A user entry with the same label and
    canonical name as a shipped one adds its aliases and domains to it; a new one is added."""
    entries: dict[tuple[str, str], GazetteerEntry] = {}
    for path in [os.path.join(DATA_DIR, name) for name in SHIPPED_FILES] + [str(p) for p in extra_files]:
        for e in read_gazetteer_file(path):
            k = (e.label, e.canonical.lower())
            old = entries.get(k)
            if old is not None:
                e = GazetteerEntry(
                    canonical=old.canonical, label=old.label,
                    aliases=tuple(dict.fromkeys(old.aliases + e.aliases)),
                    parent=e.parent or old.parent, domains=tuple(dict.fromkeys(old.domains + e.domains)),
                    category=e.category or old.category, vendor=e.vendor or old.vendor,
                    case_sensitive=tuple(dict.fromkeys(old.case_sensitive + e.case_sensitive)),
                    note=old.note or e.note)
            entries[k] = e
    return Gazetteer(list(entries.values()))


def make_ruler(nlp, gazetteer: Gazetteer | None = None, name: str = RULER_NAME):
    """Add the gazetteer ruler (extractors/analysis/gazetteer_ruler.py) before "ner" (or last when there is none); its
    entities overwrite the model's and the NER fills in around them. Returns the ruler."""
    from extractors.analysis.gazetteer_ruler import FACTORY  # noqa: PLC0415 - imports spaCy, which this module must not

    gazetteer = gazetteer or load_gazetteer()
    if name in nlp.pipe_names:
        nlp.remove_pipe(name)
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe(FACTORY, name=name, **where)
    with nlp.select_pipes(enable=[]):  # phrase patterns are tokenized only, not tagged and parsed
        ruler.add_patterns(gazetteer.ruler_patterns())
    return ruler
