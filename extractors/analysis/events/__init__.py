"""Events a sentence reports: demo, training, pilot, meeting, purchase, conference, with evidence.

`detect_events(doc, mentions, sent_at)` (detect.py) reads a parsed text (a spaCy Doc) sentence by sentence:

1. Triggers (triggers.py) come from a lexicon per type (lexicon.py: lemmas, and multiword terms such as "proof of
   concept", "purchase order", "conference call", "trade show"), used as a noun or a verb that names an event.
2. Each trigger must pass sense rules (senses.py) that use the parse, not particular sentences: a trigger that only
   modifies another noun ("training data", "demo account", "conference room", "meeting agenda") is no
   event unless that noun is itself an event word ("pilot program", "training course"); idioms ("meeting of
   the minds", "Meet the Press"); naming and demanding senses of "call" ("call it X", "call on X to",
   "call in"); "meet" with requirements; a "demonstration" or "trial" with no product or vendor in sight
   (a protest, a court trial); an aircraft "pilot"; a "press conference".
3. Negated events (senses.py) ("does not have a contract", "no trial is planned"), hypothetical ones ("may be called",
   "if ... a hearing is set") and generic ones ("meets monthly", "each meeting") are dropped: negation is
   not a status.
4. Status (status.py) from cues on the path from the trigger up to the sentence's root, nearest first: cancelled and
   declined anywhere on that path, then proposed (offer, invite, would like, could you, a quote), scheduled
   (will, scheduled, confirmed, agenda), held (past tense, thank you for, attended), then the event's date
   against sent_at.
5. Date (dates.py): the DATE mention nearest the trigger in the parse tree (each DATE goes to one trigger), read
   by `extractors.analysis.mention_dates.normalize_date` with the clause's tense. Location (participants.py): a
   place after at / in / to (a GPE mention, a proper name, a place noun, a street address). Participants: the
   mentions in the trigger's clause, plus the message's sender and recipients.

`detect_calendar_event(fields, sent_at)` (calendar.py) reads a calendar-invite printout's fields.
Pure functions: no database, no model loading (the caller parses).
"""

from extractors.analysis.events.calendar import detect_calendar_event
from extractors.analysis.events.detect import detect_events, detect_events_in
from extractors.analysis.events.lexicon import (CONVERSE, CONVERSE_PROPOSAL, EVENT_TYPES, EVENT_WORDS, MULTIWORD, NOUNS,
                                                SEEING, VERBS)

__all__ = ["CONVERSE", "CONVERSE_PROPOSAL", "EVENT_TYPES", "EVENT_WORDS", "MULTIWORD", "NOUNS", "SEEING", "VERBS",
           "detect_calendar_event", "detect_events", "detect_events_in"]
