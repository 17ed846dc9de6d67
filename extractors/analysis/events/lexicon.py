"""The event lexicon: trigger words per type, and the words the sense, status and place rules look for."""

from __future__ import annotations

EVENT_TYPES = ("demo", "training", "pilot", "meeting", "purchase", "conference")
# Single-word triggers: lower-case lemma -> type. Nouns and verbs apart: "meet" the verb, "meeting" the noun.
NOUNS = {
    "demo": "demo", "demonstration": "demo", "walkthrough": "demo", "walk-through": "demo",
    "training": "training", "trainings": "training", "course": "training", "workshop": "conference",
    "seminar": "training", "class": "training", "bootcamp": "training",
    "pilot": "pilot", "trial": "pilot", "evaluation": "pilot", "test": "pilot", "poc": "pilot",
    "meeting": "meeting", "mtg": "meeting", "call": "meeting", "teleconference": "meeting", "telecon": "meeting",
    "svtc": "meeting", "vtc": "meeting", "videoconference": "meeting", "briefing": "meeting",
    "session": "meeting", "visit": "meeting", "consultation": "meeting", "hearing": "meeting",
    "roundtable": "meeting", "conversation": "meeting", "appointment": "meeting", "check-in": "meeting",
    "conference": "conference", "webinar": "conference", "summit": "conference", "expo": "conference",
    "symposium": "conference", "convention": "conference", "tradeshow": "conference", "fair": "conference",
    "congress": "conference", "plenary": "conference", "forum": "conference", "panel": "conference",
    "interview": "meeting", "bilat": "meeting", "discussion": "meeting", "negotiation": "meeting",
    "purchase": "purchase", "quote": "purchase", "quotation": "purchase", "contract": "purchase",
    "agreement": "purchase", "license": "purchase", "licence": "purchase", "renewal": "purchase",
    "po": "purchase", "pricing": "purchase", "procurement": "purchase", "subscription": "purchase",
}
VERBS = {
    "demo": "demo", "demonstrate": "demo",
    "train": "training",
    "pilot": "pilot", "trial": "pilot", "test": "pilot",
    "meet": "meeting", "call": "meeting", "brief": "meeting", "visit": "meeting", "teleconference": "meeting",
    "tour": "meeting",
    "interview": "meeting",
    "purchase": "purchase", "buy": "purchase", "procure": "purchase",
}
# Multiword triggers (lower-case words, hyphens ignored) -> type; matched before single words.
MULTIWORD = {
    ("proof", "of", "concept"): "pilot", ("field", "test"): "pilot", ("beta", "test"): "pilot",
    ("test", "drive"): "pilot", ("pilot", "test"): "pilot",
    ("purchase", "order"): "purchase", ("sole", "source", "contract"): "purchase", ("price", "quote"): "purchase",
    ("conference", "call"): "meeting", ("phone", "call"): "meeting", ("video", "call"): "meeting",
    ("check", "in", "call"): "meeting", ("round", "table"): "meeting", ("site", "visit"): "meeting",
    ("get", "together"): "meeting", ("see", "you"): "meeting", ("sit", "down"): "meeting",
    ("meet", "and", "greet"): "meeting", ("touch", "base"): "meeting", ("check", "in"): "meeting",
    ("come", "by"): "meeting", ("stop", "by"): "meeting",
    ("trade", "show"): "conference", ("user", "conference"): "conference", ("user", "group"): "conference",
    ("open", "house"): "conference",
}
# A word that names an event and nothing else: never a person's name ("executed this Contract PO-060").
EVENT_WORDS = set(NOUNS) | set(VERBS)
MULTI_FIRST = {}
for _words, _type in MULTIWORD.items():
    MULTI_FIRST.setdefault(_words[0], []).append((_words, _type))
for _first in MULTI_FIRST:
    MULTI_FIRST[_first].sort(key=lambda item: -len(item[0]))
# The type a trigger takes from the words that modify it: a press or video conference is a meeting, a plenary
# or keynote session a conference's, a workshop that trains someone's people a training.
MEETING_MODIFIERS = {"press", "news", "media", "video", "phone", "telephone", "audio", "zoom", "skype", "teams"}
CONFERENCE_PARTS = {"plenary", "opening", "closing", "breakout", "keynote", "poster", "concurrent", "parallel",
                    "general", "conference", "summit", "symposium", "congress"}
TRAINING_MODIFIERS = {"training", "hands-on", "certification", "instructional", "refresher", "operator", "user"}
# Verbs that are a meeting when a person is their object ("asked to see you on Monday", "I saw Fawzi").
SEEING = {"see"}
# Proposal verbs that make "talk", "speak", "discuss" a meeting ("would like to speak with you").
CONVERSE = {"talk", "speak", "discuss", "chat", "connect", "confer", "consult"}
# What is a text, not someone who converses ("the report discusses the bill", "this section speaks to").
TEXT_NOUNS = {"report", "bill", "memo", "memorandum", "letter", "article", "document", "paper", "email", "e-mail",
              "message", "section", "chapter", "proposal", "plan", "policy", "draft", "study", "book", "guidance",
              "rule", "regulation", "law", "act", "code", "statement", "opinion", "decision", "order", "text",
              "story", "piece", "post", "paragraph", "provision", "language", "amendment", "attachment", "note",
              "summary", "analysis", "review", "testimony", "page", "it", "this", "that", "which"}
CONVERSE_PROPOSAL = {"like", "love", "welcome", "time", "minute", "opportunity", "free", "available", "want", "let",
                     "glad", "happy", "chance", "moment"}
# A trigger that modifies one of these nouns still names an event: "pilot program", "training session".
EVENT_HEADS = {"program", "programme", "project", "session", "course", "class", "event", "day", "workshop",
               "period", "phase", "study", "exercise", "deployment", "run", "series", "meeting", "call", "visit",
               "briefing", "webinar", "conference", "seminar", "training", "demo", "demonstration", "trial",
               "pilot", "evaluation", "certification"}
# Event heads that, in the plural and undated, name standing programmes rather than events.
STANDING_HEADS = {"program", "programme", "project", "course", "class"}
# Punctuation that ends a leading label ("Training - identify ...", "Term of Contract: This Contract ...").
LABEL_ENDS = {"-", "\u2013", "\u2014", ":"}
# Nouns that place something: "at your Reston office", "in Room 412", "on the Route 9 corridor".
PLACE_NOUNS = {"office", "headquarters", "hq", "room", "center", "centre", "building", "hall", "site", "jail",
               "facility", "campus", "hotel", "embassy", "consulate", "station", "precinct", "corridor",
               "courthouse", "library", "school", "academy", "auditorium", "suite", "floor", "lab", "laboratory",
               "warehouse", "annex", "city", "county", "street", "avenue", "road", "plaza", "booth", "venue",
               "chamber", "chambers", "hospital", "base", "capitol", "here", "there"}
SENDING_VERBS = {"send", "travel", "go", "fly", "head", "drive", "bring", "come"}
SELECTING_VERBS = {"select", "choose", "nominate", "register", "enroll", "enrol", "slate", "book", "sign"}
LOOKING_BACK = {"thank", "thanks", "appreciate", "enjoy", "recap", "follow"}
MOTION_VERBS = {"travel", "go", "come", "fly", "send", "head", "return", "drive", "bring", "invite", "host",
                "welcome", "make", "take"}
# Words that show a product or a vendor's offering nearby (a demo, a trial, an evaluation of something).
PRODUCT_WORDS = {"system", "software", "platform", "tool", "app", "application", "product", "device", "camera",
                 "cameras", "solution", "kiosk", "dashboard", "feature", "features", "technology", "module",
                 "reader", "database", "portal", "suite", "service", "services", "license", "licence",
                 "sensor", "drone", "unit", "upgrade", "version", "analytics", "subscription", "equipment"}
OFFERING_MODIFIERS = {"live", "web", "online", "virtual", "onsite", "on-site", "remote", "product", "free",
                      "no-cost", "vendor", "sales", "hands-on", "demo", "pilot", "field", "beta", "trial"}
# Status cues: lemmas on the path from the trigger to the root (nearest first decides).
CANCEL_LEMMAS = {"cancel", "scrap", "scrub", "abandon", "terminate", "cancelled", "canceled", "cancellation"}
DECLINE_LEMMAS = {"decline", "reject", "refuse", "turn", "pass", "forgo", "deny"}
PROPOSE_LEMMAS = {"offer", "invite", "propose", "request", "ask", "suggest", "want", "like", "love", "welcome",
                  "possible", "hope", "recommend", "seek", "encourage", "consider", "promise", "interest", "arrange",
                  "try", "explore", "invitation", "proposal", "opportunity", "need", "wonder", "glad", "happy",
                  "willing", "free", "available", "open", "let", "please", "appreciate", "prefer", "discuss",
                  "pitch", "solicit", "quote", "await", "vote"}
SCHEDULE_LEMMAS = {"schedule", "set", "confirm", "plan", "book", "slate", "reschedule", "calendar", "agenda",
                   "expect", "upcoming", "tentatively", "finalize", "lock"}
HELD_LEMMAS = {"attend", "complete", "finish", "conclude", "sign", "execute", "approve", "award", "thank",
               "thanks", "enjoy", "appreciate", "follow", "recap", "readout", "debrief", "run", "extend",
               "renew", "end", "currently", "ongoing", "underway"}
INHERENTLY_PROPOSED = {"quote", "quotation", "pricing", "proposal"}
GENERIC_ADVERBS = {"monthly", "weekly", "daily", "annually", "yearly", "quarterly", "regularly", "usually",
                   "often", "routinely", "typically", "generally", "sometimes", "biweekly", "always"}
# Modifiers of an event noun that make it a recurring series, not one occurrence, unless a date picks one out.
RECURRING_MODIFIERS = {"annual", "yearly", "weekly", "monthly", "daily", "quarterly", "biweekly", "bimonthly",
                       "semiannual", "regular", "routine", "periodic", "recurring", "standing"}
HYPOTHETICAL_MARKS = {"if", "unless", "once", "whenever"}
HYPOTHETICAL_MODALS = {"may", "might"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
ROLE_OF_LABEL = {"VENDOR": "vendor", "AGENCY": "agency", "PERSON": "person", "PRODUCT": "product"}
PLACE_LABELS = {"GPE", "FAC", "LOC"}
FAIR_KINDS = {"school", "job", "career", "trade", "vendor", "technology", "resource", "county", "expo", "health",
              "safety", "information"}
