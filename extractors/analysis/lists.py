"""Lists of names, read entry by entry, and the US state an agency's entry gives.

A list is of one kind of thing: where most entries of a list's column are agencies (by the gazetteer, its
patterns or the document's acronyms), the other entries of that column that are written as names are agencies
too ("ALEA", "Delta Regional Auto Theft Team (CA)", "Guadalupe County Constables"), whatever the model read them
as. An entry is one name: the name is the entry without the state code or the state column that follows it, and
an agency read in part of an entry ("Drug Task Force" in "21st Drug Task Force", "ATF" in "ATF National
Account") is the whole entry; an entry whose head noun names a text or a list ("IPD Regional Hotlist") is none.
State and local agencies print their state after the name ("Addison Police Department (TX)", "Antioch Police
Department CA"), inside it ("Jefferson CO TX SO"), or in a column of their own; that state is part of the
agency's identity (two Brentwood Police Departments).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.analysis.agency_acronyms import US_STATE_CODES
from extractors.analysis.entities import names_nothing
from models.records import Mention, PassageRecord

SOURCE = "list"
# A column is a list of agencies when at least this share of its entries (and this many) are read as agencies.
AGENCY_SHARE, MIN_ENTRIES = 0.6, 5
STATE_AFTER = re.compile(r"^[ \t,\-]*\(?(?P<code>[A-Z]{2})\)?(?=[\s,;)]|$)")  # on the same line
STATE_INSIDE = re.compile(r"\b(?P<code>[A-Z]{2})\b")
# Written as a name: capitalised words (and the odd lower-case joining word), a digit-led ordinal at most.
COUNT_AFTER = re.compile(r"\s*\(\s*\d[\d,]*\s+[a-z][\w ]*\)\s*$")
NAME_LIKE = re.compile(r"^(?=.*[A-Z][A-Za-z])[A-Z0-9(][\w.'\u2019&()\-/ ]+$")


def state_after(text: str, end: int) -> str | None:
    """The US state code printed right after a name ending at `end` ("... Department (TX)", "... Department CA")."""
    match = STATE_AFTER.match(text[end:end + 8])
    return match.group("code") if match and match.group("code") in US_STATE_CODES else None


def state_inside(name: str) -> str | None:
    """A state code inside an agency's name as lists abbreviate them ("Jefferson CO TX SO", "CA DOJ"): the last
    one that does not stand for a county ("LA County", "Jefferson CO")."""
    codes = [m.group("code") for m in STATE_INSIDE.finditer(name) if m.group("code") in US_STATE_CODES
             and not re.match(r"\s+(?:county|co)\b", name[m.end():], re.IGNORECASE)]
    return codes[-1] if codes and len(name.split()) > 1 else None


def with_states(text: str, mentions: list[Mention]) -> list[Mention]:
    """Agencies found by pattern (no gazetteer entry) with the state their text prints after or inside them."""
    out = []
    for mention in mentions:
        if mention.label == "AGENCY" and mention.canonical is None and mention.state is None:
            state = state_after(text, mention.end) or state_inside(mention.text)
            if state:
                mention = replace(mention, state=state)
        out.append(mention)
    return out


def _entry_name(text: str) -> tuple[int, int] | None:
    """The name an entry holds: its words without a trailing state code or state column; None for no name."""
    end = len(text.rstrip())
    count = COUNT_AFTER.search(text[:end])  # "Irvine CA PD (12 cameras)"
    end = count.start() if count else end
    match = re.search(r"[\s,\-]*\(?[A-Z]{2}\)?\s*$", text[:end])
    state = match.group().strip(" ,-()") if match else None
    if state in US_STATE_CODES:
        end = match.start()
    name = text[:end].strip()
    if len(name) < 3 or not NAME_LIKE.match(name) or name.upper() == name and len(name.split()) > 3:
        return None
    start = text.index(name)
    return start, start + len(name)


def read_list(passage: PassageRecord, text: str, starts: list[int], mentions: list[Mention]) -> list[Mention]:
    """A list passage's mentions with its agency columns read entry by entry: each entry of a column of agencies
    holds one agency (a new mention where the model read it as something else or missed it), with its state.
    `starts` are the offsets of the passage's lines (entries) in `text`."""
    if passage.kind != "list" or not passage.cells:
        return mentions
    ends = [start + len(line.text) for start, line in zip(starts, passage.lines)]
    in_entry: dict[int, list[Mention]] = {}
    for mention in mentions:
        for number, (start, end) in enumerate(zip(starts, ends)):
            if start <= mention.start < end:
                in_entry.setdefault(number, []).append(mention)
                break
    rows: dict[int, list[int]] = {}
    for number, (row, _) in enumerate(passage.cells):
        rows.setdefault(row, []).append(number)

    def agency_of(number: int) -> Mention | None:
        return next((mention for mention in in_entry.get(number, []) if mention.label == "AGENCY"), None)

    columns: dict[int, list[int]] = {}
    header = _header_row(passage, rows)
    for number, (row, column) in enumerate(passage.cells):
        if row != header:
            columns.setdefault(column, []).append(number)
    added: list[Mention] = []
    replaced: set[int] = set()
    for numbers in columns.values():
        agencies = [number for number in numbers if agency_of(number) is not None]
        named = [number for number in numbers if _entry_name(passage.lines[number].text) is not None]
        if len(agencies) < MIN_ENTRIES or len(agencies) < AGENCY_SHARE * max(len(named), 1):
            continue
        for number in named:
            span = _entry_name(passage.lines[number].text)
            first, last = starts[number] + span[0], starts[number] + span[1]
            inside = [m for m in in_entry.get(number, []) if m.start < last and first < m.end]
            agencies_inside = [m for m in inside if m.label == "AGENCY"]
            if any(m.start <= first and last <= m.end for m in agencies_inside):
                continue  # the entry is one agency already
            if names_nothing(text[first:last], "AGENCY"):
                replaced |= {id(m) for m in agencies_inside}  # "IPD Regional Hotlist": a list of plates, no agency
                continue
            unbracketed = [m for m in agencies_inside if not text[:m.start].rstrip().endswith("(")]
            if sum(len(m.text.split()) > 1 for m in unbracketed) > 1:
                continue  # several agencies run together in one cell: each stays as read
            # one entry, one agency: "21st Drug Task Force" (the pattern read "Drug Task Force"), "ATF National
            # Account", "Bay Area Rapid Transit Police", or a name no pattern knows ("ALEA")
            replaced |= {id(m) for m in inside}
            added.append(Mention(first, last, text[first:last], "AGENCY", SOURCE))
    kept = [m for m in mentions if id(m) not in replaced] + added
    kept.sort(key=lambda m: (m.start, m.end))
    return [_with_row_state(m, passage, starts, ends, rows, text) for m in with_states(text, kept)]


HEADER_WORDS = 2


def _header_row(passage: PassageRecord, rows: dict[int, list[int]]) -> int | None:
    """The row of column titles a table opens with ("Agency | City | State"): the first row of several cells,
    when each of them is a word or two and no number."""
    for row in sorted(rows):
        cells = [passage.lines[number].text for number in rows[row]]
        if len(cells) > 1:
            short = all(len(re.sub(r"\(.*?\)", "", cell).split()) <= HEADER_WORDS and not re.search(r"\d", cell)
                        for cell in cells)
            return row if short else None
    return None


def _with_row_state(mention: Mention, passage: PassageRecord, starts: list[int], ends: list[int],
                    rows: dict[int, list[int]], text: str) -> Mention:
    """An agency without a state of its own takes the state column of its row ("Gardena Police Department | Gardena
    | CA")."""
    if mention.label != "AGENCY" or mention.state is not None or mention.canonical is not None:
        return mention
    number = next((n for n, (start, end) in enumerate(zip(starts, ends)) if start <= mention.start < end), None)
    if number is None:
        return mention
    row, column = passage.cells[number]
    for other in rows[row]:
        other_column = passage.cells[other][1]
        cell = passage.lines[other].text.strip(" ()")
        if other_column > column and cell in US_STATE_CODES:
            return replace(mention, state=cell)
    return mention
