"""A release-wide reading of agency acronyms: what one document shows an acronym to be, it is in all of them.

A release is one agency's mail. The directory code printed after a sender's name in one message ("Wallace,
Betsy (EOM)"), or the name an acronym shortens in another ("Office of Open Government"), tells what the bare
acronym means in a third message that never spells it out ("the OOG director"). Each document was analysed on
its own (extractors/analysis/document.py); this pass runs once the release is loaded, over what the database holds, and
returns the mentions to replace and to add. The evidence rules are extractors/analysis/agency_acronyms.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.analysis.agency_acronyms import acronyms_in_document, merge_acronyms, with_known_acronyms
from extractors.analysis.document import TextMap
from extractors.analysis.entity_links import entity_id_for, one_line
from models.records import EntityRecord, LocatedMention, StoredDocument

SOURCE = "release"


@dataclass
class ReleaseAcronyms:
    # (message or passage id, start, end) of the mentions it replaces
    removed: list[tuple[str, int, int]] = field(default_factory=list)
    added: list[tuple[str, LocatedMention]] = field(default_factory=list)  # (document_id, mention)
    entities: dict[str, EntityRecord] = field(default_factory=dict)


def read_release_acronyms(documents: list[StoredDocument]) -> ReleaseAcronyms:
    maps = {body.text_id: TextMap(body.lines) for document in documents for body in document.bodies}
    per_document = [acronyms_in_document([body.mentions for body in document.bodies],
                                         [maps[body.text_id].text for body in document.bodies],
                                         document.header_codes) for document in documents]
    known = merge_acronyms(per_document)
    entity_of = {key: value for document in documents for key, value in document.entity_of.items()}
    result = ReleaseAcronyms()
    for document in documents:
        for body in document.bodies:
            text_map = maps[body.text_id]
            before = {id(mention) for mention in body.mentions}
            after = with_known_acronyms(body.mentions, text_map.text, known, source=SOURCE)
            kept = {id(mention) for mention in after}
            result.removed += [(body.text_id, m.start, m.end) for m in body.mentions if id(m) not in kept]
            for mention in after:
                if id(mention) in before:
                    continue
                entry = known[mention.text]
                entity_id = entity_of.get(id(entry.named_by)) or entity_id_for(mention)
                entity = result.entities.setdefault(entity_id, EntityRecord(entity_id, "AGENCY", one_line(entry.agency),
                                                                            SOURCE))
                entity.aliases.add(one_line(mention.text))
                page, layer, words = text_map.evidence(mention.start, mention.end)
                where = {"message_ordinal": None, "passage_ordinal": body.ordinal} if body.in_passage else \
                    {"message_ordinal": body.ordinal, "passage_ordinal": None}
                result.added.append((document.document_id, LocatedMention(
                    mention, part="passage" if body.in_passage else "body", page_number=page, layer=layer,
                    word_indices=words, entity_id=entity_id, **where)))
    return result
