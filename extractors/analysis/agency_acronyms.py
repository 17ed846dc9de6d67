"""Agencies a document (or a whole release) names by an acronym that no gazetteer lists.

Government mail is written in its own acronyms ("the EOM's proposal", "the OOG director", "OCSD does not have a
contract"). The model reads them as an ORG, a PERSON or nothing. What tells us one is an agency is the
document itself, by three kinds of evidence, strongest first:

- a directory code printed after a sender's or recipient's name: "Grimaldi, John J. (BEGA)";
- an acronym defined right after an agency's name: "the Board of Ethics and Government Accountability (BEGA)";
- the initials of an agency named elsewhere: "Office of Open Government" -> OOG, "Orange County Sheriff's
  Department" -> OCSD.

Each overrules the model's reading of the bare acronym (an ORG, a PERSON: the model reads capitals either way).
Initials are the weaker evidence: a person's monogram is never one ("HRC" is a person in a release that also
names a Human Rights Council), and they are not read among words in capitals, where any word may look like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from extractors.analysis.gazetteer import STATE_CODES
from models.records import Mention

# Government mail directories print the person's agency after the name: "Grimaldi, John J. (BEGA)".
DIRECTORY_CODE = re.compile(r"\((?P<code>[A-Z][A-Za-z&/.-]{1,11})\)\s*$")
# "the Board of Ethics and Government Accountability (BEGA)": an acronym defined right after a name.
DEFINED_ACRONYM = re.compile(r"^\s*\((?P<acronym>[A-Z][A-Z&/]{1,9})\)")
US_STATE_CODES = set(STATE_CODES)
# Initials shorter than this collide with too much ("PD", "DE"); longer ones are seldom written.
MIN_INITIALS, MAX_INITIALS = 3, 6
# Monograms by which government mail names people, never read as an agency's initials: in a release that also
# names the UN Human Rights Council, "HRC" is still the Secretary of State.
PERSON_MONOGRAMS = {"HRC", "WJC", "POTUS", "FLOTUS", "VPOTUS", "JFK", "MLK", "FDR", "LBJ", "RFK", "GWB"}
# Labels the model gives a bare acronym that the document's own evidence may overrule.
OVERRULED = {"ORG", "PERSON", "GPE"}


@dataclass(frozen=True)
class KnownAcronym:
    acronym: str
    named_by: Mention  # the mention that showed it: a header code, or the agency's name
    by_initials: bool  # found only as the initials of the agency's name: weaker evidence

    @property
    def agency(self) -> str:
        """The agency's canonical name, or its name as written (on one line)."""
        return " ".join((self.named_by.canonical or self.named_by.text).split())


def _keep_stronger(known: dict[str, KnownAcronym], entry: KnownAcronym) -> None:
    """Keep the entry unless the acronym is known by evidence as strong already (the first of equals stays)."""
    old = known.get(entry.acronym)
    if old is None or (old.by_initials and not entry.by_initials):
        known[entry.acronym] = entry


def abbreviates(acronym: str, name: str) -> bool:
    """Whether the acronym's letters are the name's capitals, in order, first to first: "OCSD" for "Orange County
    Sheriff's Department", "DCRB" for "DC Retirement Board"; not "TX" after "Addison Police Department"."""
    if acronym in US_STATE_CODES:
        return False  # "Addison Police Department (TX)", "CA DOJ (CA)": where it is, not what it is called
    letters = [c for c in acronym if c.isalpha()]
    capitals = [c for c in name if c.isupper()]
    remaining = iter(capitals)  # `in` on an iterator consumes it: the letters must come in order
    return len(letters) >= 2 and capitals[:1] == letters[:1] and all(letter in remaining for letter in letters)


def initials(name: str) -> str | None:
    """The acronym a name of several capitalised words is shortened to: "Executive Office of the Mayor" -> EOM.
    None for a one-word name, or one that holds an acronym already ("DHS - HSI")."""
    words = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).split()
    capitalised = [word for word in words if word[:1].isupper()]
    if len(capitalised) < 2 or any(len(word) > 1 and word.isupper() for word in capitalised):
        return None
    letters = "".join(word[0] for word in capitalised)
    if letters in PERSON_MONOGRAMS or not (MIN_INITIALS <= len(letters) <= MAX_INITIALS and letters.isalpha()):
        return None
    return letters


def acronyms_in_document(bodies: list[list[Mention]], texts: list[str],
                         header_codes: Iterable[Mention] = ()) -> dict[str, KnownAcronym]:
    """The acronyms a document's headers and bodies show to be agencies, strongest evidence kept."""
    known: dict[str, KnownAcronym] = {}
    for code in header_codes:
        if code.label == "AGENCY":
            _keep_stronger(known, KnownAcronym(code.text, code, False))
    for mentions, text in zip(bodies, texts):
        for mention in mentions:
            if mention.label != "AGENCY":
                continue
            match = DEFINED_ACRONYM.match(text[mention.end:mention.end + 14])
            if match and abbreviates(match.group("acronym"), mention.text):
                _keep_stronger(known, KnownAcronym(match.group("acronym"), mention, False))
            shortened = initials(mention.text)
            if shortened:
                _keep_stronger(known, KnownAcronym(shortened, mention, True))
    return known


_CAPITALS_WORD = re.compile(r"[A-Z]{2,}")


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the word at start..end stands among words in capitals ("HOUSE SELECT BENGHAZI COMM", "ELM ST"),
    where a capitalised word is no sign of an acronym."""
    before = text[max(0, start - 30):start].split()
    after = text[end:end + 30].split()
    return bool(before and _CAPITALS_WORD.fullmatch(before[-1].strip(".,;:()")) or
                after and _CAPITALS_WORD.fullmatch(after[0].strip(".,;:()")))


def merge_acronyms(documents: Iterable[dict[str, KnownAcronym]]) -> dict[str, KnownAcronym]:
    """A release's acronyms: what any of its documents shows, the strongest evidence kept (the first of equals).
    A release is one agency's mail: its directory codes and its names' initials mean the same in every message."""
    merged: dict[str, KnownAcronym] = {}
    for known in documents:
        for entry in known.values():
            _keep_stronger(merged, entry)
    return merged


def with_known_acronyms(mentions: list[Mention], text: str, known: dict[str, KnownAcronym],
                        source: str = "pattern") -> list[Mention]:
    """The text's mentions with every bare use of a known acronym read as its agency: the model's reading of
    it gives way; a longer name around it keeps its own."""
    if not known:
        return mentions

    def agency(start: int, end: int, acronym: str) -> Mention:
        return Mention(start, end, acronym, "AGENCY", source, known[acronym].agency)

    pattern = re.compile(r"\b(" + "|".join(re.escape(acronym) for acronym in known) + r")\b")

    def overruled(mention: Mention) -> re.Match | None:
        """The known acronym inside a mention the model read its own way ("OOG", "the EOM's", "UNSMIL Security
        Advisor"), if it is one the evidence may overrule."""
        if mention.label not in OVERRULED:
            return None
        return pattern.search(mention.text)

    kept = []
    for mention in mentions:
        match = overruled(mention)
        kept.append(agency(mention.start + match.start(), mention.start + match.end(), match.group())
                    if match else mention)
    taken = [(m.start, m.end) for m in kept]
    added = [agency(match.start(), match.end(), match.group()) for match in pattern.finditer(text)
             if not any(start < match.end() and match.start() < end for start, end in taken)
             and not (known[match.group()].by_initials and _in_capitals(text, match.start(), match.end()))]
    return sorted(kept + added, key=lambda m: m.start)
