"""FOIA exemption codes, withheld-page notices and release stamps, found in a page's text or OCR.

Agencies print the same exemption in many forms: `(b)(6)`, `(b) (6)`, `b6`, `B6`, `B7(C)`, `(b)(7)(C)`,
`(b)(3):50 USC 3024(i)`, `Ex. 6`, `Exemption 5`, the State Department's `B1,1.4(D)` (an exemption and the
classification reason of Executive Order 13526 section 1.4), and state-law citations such as California
Government Code section 6254(f). `find_codes` returns each printed mark with its character span and the
exemptions it names in one normal form (`b6`, `b7(c)`, `b3`, `1.4(d)`, `ca-gc-6254(f)`), so that counts per
exemption compare across agencies. `release_stamp` reads a document's release decision (`RELEASE IN PART
B5,B6`) and `withheld_notice` a page that stands for withheld pages ("Page withheld pursuant to exemption
(b)(5)", "Duplicate", "Non-responsive").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# One federal exemption as printed: "(b)(6)", "(b) (7) (C)", "b6", "B7(C)", "B7C" is not taken (a room number
# as often); OCR's "(b)(6)" with a capital or a letter "l" for the digit 1 is left to the caller's text.
_PAREN_B = r"\(\s*b\s*\)\s*\(\s*(?P<pd>[1-9])\s*\)(?:\s*\(\s*(?P<pl>[A-Fa-f])\s*\))?"
# OCR reads a sans-serif 5 as S: "BS" is B5 (taken, as every bare form, only where the layout makes it a code),
# and loses the closing parenthesis of a subsection at a word's end: "B7(E" is B7(E).
_BARE_B = r"(?<![\w.])(?:[bB]\s?(?P<bd>[1-9])|B(?P<bs>S))(?:\s?\(\s*(?P<bl>[A-Fa-f])(?:\s*\)|(?=[\s,;]|$)))?(?![\w(])"
# Executive Order 13526 section 1.4 reasons, printed after a B1: "1.4(D)", "1.4 (b)".
_EO = r"(?<![\w.])1\.4\s?\(\s*(?P<eo>[a-hA-H])\s*\)"
# "Ex. 6", "Exemption 5", "Exemption (b)(5)" is caught by the parenthesised form itself.
_WORDED = r"\b(?:Ex\.|Exemptions?|Exempt\.)\s*(?P<wd>[1-9])(?:\s?\(\s*(?P<wl>[A-Fa-f])\s*\))?(?![\w])"
# A statute given with (b)(3): "(b)(3):50 USC 3024(i)", "(b)(3) - 10 U.S.C. 130b".
_STATUTE = r"\s*[:\-\u2013]?\s*(?P<statute>\d{1,2}\s*U\.?\s?S\.?\s?C\.?\s*(?:\u00a7+\s*)?\d+[a-z]?(?:\([a-z0-9]+\))*)"
# California and other states' records acts, cited by code section: "Gov. Code \u00a7 6254(f)",
# "California Government Code Section 7922.000", "GC 6255".
_STATE = (r"(?P<state>(?:Cal(?:ifornia|\.)?\s+)?Gov(?:ernment|'t|\.)?\s*Code\s*(?:\u00a7+|[Ss]ec(?:tion|\.)?s?)?\s*"
          r"(?P<section>\d{4}(?:\.\d+)?(?:\s?\([a-z0-9]+\))*)"
          r"|(?<![\w.])GC\s*\u00a7?\s*(?P<gcsection>\d{4}(?:\.\d+)?(?:\([a-z0-9]+\))*))")

CODE = re.compile("|".join([f"(?:{_PAREN_B})(?:{_STATUTE})?", _EO, _WORDED, _STATE, _BARE_B]))
# Codes printed as a list share one mark: "B1,1.4(D)", "B5, B6", "(b)(6); (b)(7)(C)".
_JOINER = re.compile(r"\s*[,;&/]\s*|\s+and\s+|\s+")

# Between a stamp's words OCR may read the edges of its frame as marks of their own: "RELEASE IN | — FULL",
# "RELEASE IN ' |PART B6".
_STAMP_GAP = r"(?:\s+[^\w\s]{1,3})*\s+[^\w\s]{0,2}"
# A stamp's first word is capitalised ("RELEASE IN PART", "Released in Full"); prose's "release in full" is none.
RELEASE_STAMP = re.compile(r"\b(?P<decision>(?:(?-i:R)ELEASED?|(?-i:D)ECLINED?){gap}IN{gap}(?:FULL|PART)|"
                           r"(?-i:D)ENIED{gap}IN{gap}FULL)\b".replace("{gap}", _STAMP_GAP), re.IGNORECASE)
_WITHHELD = [
    ("withheld_page", re.compile(r"\b(?:pages?|documents?)\s+(?:\d+\s+)?(?:(?:is|are|was|were|has been|have been)\s+)?"
                                 r"withheld\b|\bwithheld\s+in\s+(?:full|its entirety)\b|"
                                 r"\bwithheld\s+pursuant\s+to\b", re.IGNORECASE)),
    ("duplicate", re.compile(r"^\W*duplicate(?:\s+(?:page|document|record)s?)?\W*$", re.IGNORECASE | re.MULTILINE)),
    ("non_responsive", re.compile(r"\bnon-?\s?responsive\b|\bout\s+of\s+scope\b|\bnot\s+responsive\b",
                                  re.IGNORECASE)),
]


@dataclass(frozen=True, slots=True)
class ExemptionMark:
    """One printed code mark: its span in the text, the words as printed, the exemptions it names."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]  # normal forms: b1 .. b9, b7(c), b3, 1.4(d), ca-gc-6254(f)
    statute: str | None = None  # the statute a (b)(3) names
    bare: bool = False  # only the short form "B6"/"b6", which prose also prints ("Room B5"): a caller needs the
    # layout (a margin, a box beside it, a header field) before taking it for a code


@dataclass(frozen=True, slots=True)
class ReleaseStamp:
    decision: str  # release_in_full | release_in_part | decline_in_full | decline_in_part | denied_in_full
    codes: tuple[str, ...]
    start: int
    end: int


def _normal(match: re.Match) -> tuple[str, str | None]:
    groups = match.groupdict()
    if groups.get("bs"):
        groups["bd"] = "5"
    for digit, letter in (("pd", "pl"), ("bd", "bl"), ("wd", "wl")):
        if groups.get(digit):
            code = "b" + groups[digit] + (f"({groups[letter].lower()})" if groups.get(letter) else "")
            statute = re.sub(r"\s+", " ", groups["statute"]).strip() if groups.get("statute") else None
            return code, statute
    if groups.get("eo"):
        return f"1.4({groups['eo'].lower()})", None
    section = groups.get("section") or groups.get("gcsection")
    return "ca-gc-" + re.sub(r"\s+", "", section).lower(), None


def find_codes(text: str) -> list[ExemptionMark]:
    """Every exemption-code mark in text, in reading order; codes printed as one list ("B1,1.4(D)",
    "(b)(6), (b)(7)(C)") make one mark."""
    marks: list[ExemptionMark] = []
    for match in CODE.finditer(text):
        code, statute = _normal(match)
        previous = marks[-1] if marks else None
        if previous is not None and _JOINER.fullmatch(text[previous.end:match.start()]) and (
                "," in text[previous.end:match.start()] or ";" in text[previous.end:match.start()]
                or code.startswith("1.4(")):
            marks[-1] = ExemptionMark(previous.start, match.end(), text[previous.start:match.end()],
                                      previous.codes + (code,), previous.statute or statute,
                                      previous.bare and bool(match.group("bd") or match.group("bs")))
            continue
        marks.append(ExemptionMark(match.start(), match.end(), match.group(), (code,), statute,
                                   bool(match.group("bd") or match.group("bs"))))
    return marks


def is_codes_only(text: str) -> bool:
    """Text that holds nothing but exemption codes (a redaction mark in a margin or in place of a field)."""
    rest = text
    for mark in reversed(find_codes(text)):
        rest = rest[:mark.start] + rest[mark.end:]
    return bool(text.strip()) and not re.search(r"[^\W_]", rest)


def release_stamp(text: str) -> ReleaseStamp | None:
    """The release decision a stamp prints ("RELEASE IN PART B5,B6", "RELEASE IN FULL"), with the codes printed
    after it on the same line."""
    match = RELEASE_STAMP.search(text)
    if match is None:
        return None
    decision = "_".join(re.findall(r"[a-z]+", match.group("decision").lower())).replace("released", "release") \
        .replace("declined", "decline")
    end = match.end()
    codes: tuple[str, ...] = ()
    # the codes follow on the stamp's line, or (State's stamp) alone on the next line
    for line in re.finditer(r"[^\r\n]*", text[end:]):
        piece = line.group()
        if not piece.strip() and line.start() > 0:
            continue
        if line.start() > 0 and not is_codes_only(piece):
            break
        found = tuple(code for mark in find_codes(piece) for code in mark.codes)
        if found:
            codes, end = found, end + line.start() + len(piece.rstrip())
            break
        if line.start() > 0:
            break
    return ReleaseStamp(decision, codes, match.start(), end)


def withheld_notice(text: str) -> str | None:
    """What a page that stands in for withheld material says it is: withheld_page | duplicate |
    non_responsive; None for any other page."""
    for kind, pattern in _WITHHELD:
        if pattern.search(text):
            return kind
    return None


# The releasing agency's name printed beside the FOIA case number on every page it releases ("U.S. Department of
# State / Case No. F-2015-04841"): a name ending in or holding the word for a public body, then the number.
_BODY = r"(?:Department|Dept\.?|Office|Bureau|Agency|Administration|Commission|Board|Service|Police|Sheriff|" \
        r"Council|Authority|Ministry|Division|Command|Court|City|County|State|Government)"
_CASE_FOOTER = re.compile(
    r"(?m)^[ \t]*(?P<agency>(?:[A-Z][\w.&'-]*|of|the|and|for)(?:[ \t]+(?:[A-Z][\w.&'-]*|of|the|and|for)){0,8})"
    r"[ \t]*(?:\r?\n[ \t]*|[ \t]+|,[ \t]*)(?:FOIA[ \t]+|Request[ \t]+)?Case[ \t]+(?:No\.?|Number|#)[ \t]*[:#]?[ \t]*"
    r"[A-Z0-9][\w-]{3,}")


def releasing_agency(page_texts: Iterable[str]) -> str | None:
    """The agency a document's pages name as releasing it, by the first FOIA case-number footer, or None."""
    for match in (match for text in page_texts for match in _CASE_FOOTER.finditer(text)):
        name = re.sub(r"(?:\s+(?:FOIA|Request))+$", "", match.group("agency").strip())
        if re.search(_BODY, name) and len(name.split()) > 1 and name.split()[-1] not in ("of", "the", "and", "for"):
            return name
    return None
