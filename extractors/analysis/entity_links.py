"""Mentions -> canonical entities, with their aliases.

One entity per real-world thing, keyed so that the same thing found in another document gets the same id:
- agencies, vendors and products known to the gazetteer: its canonical name ("DEA" = "Drug Enforcement
  Administration" = "U.S. Drug Enforcement Administration");
- people: surname and first name, whichever order they are printed in ("Mills, Cheryl D" = "Cheryl Mills");
  an address joins a person only where a header printed the two together ("Mills, Cheryl D
  <MillsCD@state.gov>"); an address seen alone is its own entity until such a header links it;
- everything else: its text, trimmed and lower-cased.
"""

from __future__ import annotations

import re

from models.records import EntityRecord, Mention

_PARENTHESES = re.compile(r"\([^)]*\)")
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
# Titles and ranks printed before names ("Lt. Dorian Vasquez-Lind", "Captain Feldmoor"): not part of the name.
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "lt", "lieutenant", "capt", "captain", "sgt", "sergeant", "det",
          "detective", "officer", "chief", "cmdr", "commander", "maj", "major", "col", "colonel", "gen", "general",
          "hon", "amb", "ambassador", "sen", "senator", "rep", "gov", "governor", "secretary", "mayor", "director",
          "analyst", "agent", "deputy", "sheriff", "judge", "president", "jr", "sr", "ii", "iii", "esq"}


def one_line(name: str) -> str:
    """A name as entities and aliases store it: its whitespace one space, never a line break."""
    return " ".join(name.split())


def person_key(name: str) -> str | None:
    """'last|first' in lower case, from "Last, First M" or "First M Last"; None when no name is there."""
    if "@" in name:
        return None
    plain = _PARENTHESES.sub(" ", name)

    def name_tokens(text: str) -> list[str]:
        return [token for token in _NAME_TOKEN.findall(text)
                if len(token.strip(".")) > 1 and token.strip(".").lower() not in TITLES]

    if "," in plain:
        last_part, _, first_part = plain.partition(",")
        last, first = name_tokens(last_part), name_tokens(first_part)
        if last and first:
            return f"{last[-1].lower()}|{first[0].lower()}"
    tokens = name_tokens(plain)
    if len(tokens) >= 2:
        return f"{tokens[-1].lower()}|{tokens[0].lower()}"
    if len(tokens) == 1:
        return tokens[0].lower()
    letters = plain.strip(" .,;:'\"")
    return letters.lower() if len(letters) == 1 and letters.isalpha() else None  # "H", as State printed it


def _plain_key(text: str) -> str:
    return re.sub(r"\s+", " ", _LEADING_ARTICLE.sub("", text.strip())).lower().strip(" .,;:'\"")


def entity_id_for(mention: Mention, addresses: dict[str, str] | None = None) -> str | None:
    """The id of the entity a mention names, or None (dates are not entities)."""
    if mention.label == "DATE":
        return None
    if mention.label == "PERSON":
        if "@" in mention.text:
            address = mention.text.lower()
            linked = (addresses or {}).get(address)
            return f"PERSON:{linked}" if linked else f"PERSON:{address}"
        key = person_key(mention.text)
        return f"PERSON:{key}" if key else None
    key = _plain_key(mention.canonical or mention.text)
    if key and mention.label == "AGENCY" and mention.state:
        key = f"{key}|{mention.state.lower()}"  # "Brentwood Police Department" in CA and in TN are two agencies
    return f"{mention.label}:{key}" if key else None


def link_entities(mentions: list[Mention], addresses: dict[str, str] | None = None
                  ) -> tuple[list[str | None], dict[str, EntityRecord]]:
    """Each mention's entity id, and the entities with every spelling they were found under.
    `addresses` maps an e-mail address (lower case) to the person key printed with it in a header."""
    ids: list[str | None] = []
    entities: dict[str, EntityRecord] = {}
    full_names = {entity_id_for(m, addresses) for m in mentions if m.label == "PERSON"}
    by_surname: dict[str, set[str]] = {}
    for entity_id in full_names:
        if entity_id and "|" in entity_id:
            by_surname.setdefault(entity_id.split("|")[0], set()).add(entity_id)
    stated: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.label == "AGENCY" and mention.state:
            entity_id = entity_id_for(mention)
            stated.setdefault(entity_id.rsplit("|", 1)[0], set()).add(entity_id)
    for mention in mentions:
        entity_id = entity_id_for(mention, addresses)
        if entity_id and mention.label == "PERSON" and "|" not in entity_id and "@" not in entity_id:
            # A surname alone ("Captain Feldmoor") is the person of that surname, if the document has one only.
            same = by_surname.get(entity_id, set())
            entity_id = next(iter(same)) if len(same) == 1 else entity_id
        elif entity_id and mention.label == "AGENCY" and not mention.state and len(stated.get(entity_id, ())) == 1:
            entity_id = next(iter(stated[entity_id]))  # an agency named without its state, the document's only one
        ids.append(entity_id)
        if entity_id is None:
            continue
        name = one_line(mention.canonical or mention.text)  # the mention keeps the printed words
        source = "gazetteer" if mention.canonical else {"header": "header", "domain": "domain"}.get(
            mention.source, "text")
        entity = entities.get(entity_id)
        if entity is None:
            entity = entities[entity_id] = EntityRecord(entity_id, mention.label, name, source,
                                                        state=mention.state if mention.label == "AGENCY" else None)
        elif not mention.canonical and entity.source != "gazetteer" and "@" not in name and (
                len(name) > len(entity.name) or "@" in entity.name):
            entity.name = name  # the fullest printed form names it, an address only when nothing else does
        entity.aliases.add(one_line(mention.text))
    for address, key in (addresses or {}).items():
        entity = entities.get(f"PERSON:{key}")
        if entity is not None:
            entity.aliases.add(address)
    return ids, entities
