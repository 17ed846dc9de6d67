"""Score message splitting and header parsing against the corpus ground truth; print per-field figures.

Everything is scored on databases made by `foia ingest` (then `foia reparse`, so a changed parser is measured
without repeating OCR), kept in eval/.work/ (or $FOIA_EVAL_DIR) between runs:

- State set (177 PDFs): the first message of each PDF against the State Department's own metadata, in the
  three modes: the agency's OCR layer alone (--reocr-hidden-layer never), our OCR alone (--force-ocr), and the
  default (agency layer plus our OCR of scanned pages that show a header, combined). A field is scored only
  where page 1 shows it (eval/labels/state_first_page_fields.json, read from the page images).
- DC set (11 PDFs): every message the pages print against labels made by eye (eval/labels/dc_bega_messages.json),
  and the messages that have an .eml original against its headers and body.

Scoring rules (../shared/corpus/README.md): names compare case-insensitively after trimming; "First Last"
matches "Last, First"; a name or subject differing only by OCR character errors (similarity at least 0.9)
counts as right; an empty ground-truth field is not scored. Run: make eval
"""

from __future__ import annotations

import csv
import difflib
import email
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email import policy
from email.utils import getaddresses
from zoneinfo import ZoneInfo

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eval.splits import SPLITS, split_of  # noqa: E402
from extractors.email.headers import normalize_subject  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
STATE = os.path.join(CORPUS, "state-clinton-F-2015-04841")
DC = os.path.join(CORPUS, "dc-bega-2018-03-13")
LABELS = os.path.join(ROOT, "eval", "labels")
WORK = os.environ.get("FOIA_EVAL_DIR", os.path.join(ROOT, "eval", ".work"))
FOIA = os.path.join(os.path.dirname(sys.executable), "foia")
FIELDS = ("sender", "subject", "date", "recipient")
STATE_MODES = (  # (name, foia ingest options)
    ("agency layer only", ["--reocr-hidden-layer", "never"]),
    ("our OCR only", ["--force-ocr"]),
    ("default", []),
)
DC_LOCAL_TIME = ZoneInfo("America/New_York")  # the printouts show Washington, DC wall-clock time
QUOTE_START = re.compile(r"^\s*(-{3,}\s*Original Message|From:\s|On .{6,120} wrote:|_{10,}|Begin forwarded)", re.M)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def same_name(got: str | None, want: str | None) -> bool:
    if not got or not want:
        return False
    a, b = _norm(got), _norm(want)
    if a == b:
        return True
    tokens_a, tokens_b = sorted(re.findall(r"[\w@.'-]+", a)), sorted(re.findall(r"[\w@.'-]+", b))
    if tokens_a == tokens_b:
        return True
    return difflib.SequenceMatcher(None, " ".join(tokens_a), " ".join(tokens_b)).ratio() >= 0.9


def same_person(name: str | None, address: str | None, want: str | None) -> bool:
    return same_name(name, want) or same_name(address, want)


def same_subject(got: str | None, want: str | None) -> bool:
    a, b = _norm(normalize_subject(got)), _norm(normalize_subject(want))
    if not a and not b:  # a subject that is only a prefix ("FW:"): nothing is left after removing it
        return bool(_norm(got)) and bool(_norm(want))
    return bool(a) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def similarity(a: str, b: str) -> float:
    a, b = " ".join(a.split()), " ".join(b.split())
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# ---------------------------------------------------------------------------------------------------- ingest

def ingest(name: str, inputs: list[str], options: list[str]) -> dict:
    """Ingest into eval/.work/NAME.duckdb (a no-op when already loaded), re-parse, and return the costs."""
    os.makedirs(WORK, exist_ok=True)
    db = os.path.join(WORK, f"{name}.duckdb")
    command = [FOIA, "ingest", *inputs, "--db", db, "--release", name, *options]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    subprocess.run([FOIA, "reparse", "--db", db], check=True, stdout=subprocess.DEVNULL)
    reparse_seconds = time.perf_counter() - start
    con = duckdb.connect(db, read_only=True)
    try:
        seconds, runs = con.execute("SELECT sum(epoch(finished_at - started_at)), count(*) FROM ingest_runs "
                                    "WHERE documents_loaded > 0").fetchone()
        pages, ocr, second = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE method = 'ocr'), count(second_reading) FROM pages").fetchone()
        errors = con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0]
    finally:
        con.close()
    return {"db": db, "ingest_seconds": seconds or 0.0, "runs": runs, "pages": pages, "pages_ocr": ocr,
            "pages_read_twice": second, "errors": errors, "reparse_seconds": reparse_seconds}


def first_messages(db: str) -> dict[str, dict]:
    """file_name -> the first message of each document, with its to/cc people."""
    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute(
            """SELECT d.file_name, m.message_id, m.sender_name, m.sender_email, m.sender_raw, m.sent_at, m.sent_raw,
                      m.subject FROM documents d LEFT JOIN messages m ON m.document_id = d.document_id
                                                                      AND m.ordinal = 0""").fetchall()
        people = con.execute("""SELECT message_id, name, email, raw FROM recipients WHERE kind IN ('to', 'cc')
                                ORDER BY kind DESC, position""").fetchall()
    finally:
        con.close()
    by_message: dict[str, list] = {}
    for message_id, name, address, raw in people:
        by_message.setdefault(message_id, []).append((name, address, raw))
    keys = ("message_id", "sender_name", "sender_email", "sender_raw", "sent_at", "sent_raw", "subject")
    return {row[0]: {**dict(zip(keys, row[1:])), "people": by_message.get(row[1], [])} for row in rows}


# ---------------------------------------------------------------------------------------------------- State

def score_state(messages: dict[str, dict], truths: list[dict], shown: dict[str, dict]) -> tuple[dict, list, dict]:
    tally = {field: [0, 0] for field in FIELDS}
    left_out = Counter()
    misses = []
    for truth in truths:
        name = truth["pdf_file"]
        message = messages.get(name) or {}
        visible = shown.get(name, {})

        def count(field: str, right: bool, got, want) -> None:
            tally[field][1] += 1
            tally[field][0] += right
            if not right:
                misses.append((name, field, got, want))

        checks = {
            "sender": ("sender_shown", truth["sender"],
                       lambda: same_person(message.get("sender_name"), message.get("sender_email"), truth["sender"]),
                       message.get("sender_raw")),
            "subject": ("subject_shown", truth["subject"], lambda: same_subject(message.get("subject"),
                                                                                truth["subject"]),
                        message.get("subject")),
            "date": ("date_shown", truth["doc_date_utc"],
                     lambda: bool(message.get("sent_at")) and
                     message["sent_at"].date().isoformat() == truth["doc_date_utc"][:10], message.get("sent_raw")),
            "recipient": ("recipient_shown", truth["recipient"],
                          lambda: any(same_person(n, a, truth["recipient"]) for n, a, _ in message.get("people", [])),
                          [raw for _, _, raw in message.get("people", [])]),
        }
        for field, (shown_key, want, judge, got) in checks.items():
            if not want:
                continue
            if visible.get(shown_key) is not True:
                left_out[field] += 1
                continue
            count(field, judge(), got, want)
    return tally, misses, left_out


def evaluate_state() -> None:
    truths = list(csv.DictReader(open(os.path.join(STATE, "ground_truth.csv"), encoding="utf-8")))
    shown = {row["pdf_file"]: row for row in json.load(open(os.path.join(LABELS, "state_first_page_fields.json")))}
    pdfs = [os.path.join(STATE, "pdfs", row["pdf_file"]) for row in truths]
    print(f"\n## State set: {len(truths)} PDFs, first message of each vs the State Department's metadata")
    print("   scored where page 1 shows the field (eval/labels/state_first_page_fields.json); targets: sender, "
          "subject, date >= 0.97, recipient >= 0.95")
    for mode, options in STATE_MODES:
        cost = ingest("state-" + mode.split()[0], pdfs, options)
        messages = first_messages(cost["db"])
        tally, misses, left_out = score_state(messages, truths, shown)
        figures = "  ".join(f"{field} {right / total:.3f} ({right}/{total})" for field, (right, total) in tally.items())
        print(f"\n   {mode}: {figures}")
        for split in SPLITS:  # eval/splits.py's hash rule applied to the PDF's file name
            part, _, _ = score_state(messages, [row for row in truths if split_of(row["pdf_file"]) == split], shown)
            print(f"     {split:<11}: " + "  ".join(f"{field} {right / total:.3f} ({right}/{total})"
                                                      for field, (right, total) in part.items() if total))
        print(f"     cost: ingest {cost['ingest_seconds']:.0f} s for {cost['pages']} pages ({cost['pages_ocr']} OCR, "
              f"{cost['pages_read_twice']} read twice) on {os.cpu_count()} cores; messages, entities and events "
              f"{cost['reparse_seconds']:.1f} s (foia reparse, from the stored words); {cost['errors']} ingest errors")
        print(f"     not scored (page does not show it): {dict(left_out) or 'none'}")
        print("     misses by field:", dict(Counter(field for _, field, _, _ in misses)))
        for name, field, got, want in misses[:40]:
            print(f"       {name} {field}: got {got!r}, truth {want!r}")


# ---------------------------------------------------------------------------------------------------- DC

def eml_text(message) -> str:
    """The text of an .eml's body: its plain part, else its HTML part with the tags taken out."""
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    if body is not None and body.get_content_type() == "text/html":
        text = re.sub(r"<[^>]+>", " ", text)
    return text


def _eml(path: str) -> dict:
    message = email.message_from_binary_file(open(path, "rb"), policy=policy.default)
    text = eml_text(message)
    quote = QUOTE_START.search(text)
    sent = message["Date"].datetime if message["Date"] else None
    raw = {}
    for name, value in message.raw_items():  # as written: the parsed forms mangle names without addresses
        raw.setdefault(name.lower(), value)
    return {
        "from": _eml_people(raw.get("from")),
        "to": _eml_people(raw.get("to")),
        "cc": _eml_people(raw.get("cc")),
        "subject": str(message["Subject"] or ""),
        # "-0000" (parsed as naive) means the zone is unknown: the wall time cannot be known, only the minutes
        "sent_local": sent.astimezone(DC_LOCAL_TIME).replace(tzinfo=None) if sent and sent.tzinfo else None,
        "sent_zone_unknown": sent if sent and not sent.tzinfo else None,
        "body": text[:quote.start()] if quote else text,
    }


def _eml_people(header) -> list[tuple[str, str]]:
    """(name, address) pairs. Converted .msg files sometimes carry only display names, "Last, First (ORG)",
    separated by semicolons: those are names, not comma-separated addresses."""
    raw = re.sub(r"\s+", " ", str(header or "").replace("\x00", "")).strip()
    if not raw:
        return []
    if "@" not in raw:
        return [(part.strip(), "") for part in raw.split(";") if part.strip()]
    return getaddresses([raw])


def _same_sent(printed, original: dict) -> bool:
    if printed is None:
        return False
    if original["sent_local"] is not None:
        return abs(printed - original["sent_local"]) <= timedelta(minutes=1)
    if original["sent_zone_unknown"] is not None:  # same minute and second within any whole-hour offset
        difference = abs(printed - original["sent_zone_unknown"])
        return min(difference % timedelta(hours=1), timedelta(hours=1) - difference % timedelta(hours=1)) \
            <= timedelta(minutes=1) and difference <= timedelta(hours=14)
    return False


def _people_agree(ours: list[tuple], theirs: list[tuple[str, str]]) -> bool:
    """Same number of people; every one the page shows (not redacted) is one of the originals."""
    if len(ours) != len(theirs):
        return False
    return all(redacted or any(same_person(name, address, want_name) or same_person(name, address, want_address)
                               for want_name, want_address in theirs)
               for name, address, redacted in ours)


def evaluate_dc() -> None:
    labels = json.load(open(os.path.join(LABELS, "dc_bega_messages.json"), encoding="utf-8"))
    cost = ingest("dc", [os.path.join(DC, "pdfs")], [])
    con = duckdb.connect(cost["db"], read_only=True)
    rows = con.execute(
        """SELECT d.file_name, m.ordinal, m.message_id, m.sender_name, m.sender_email, m.sent_at, m.subject, m.body
           FROM messages m JOIN documents d USING (document_id) ORDER BY d.file_name, m.ordinal""").fetchall()
    people = con.execute("SELECT message_id, kind, name, email, redacted FROM recipients ORDER BY position").fetchall()
    con.close()
    ours: dict[str, list[dict]] = {}
    recipients: dict[tuple[str, str], list[tuple]] = {}
    for message_id, kind, name, address, redacted in people:
        recipients.setdefault((message_id, kind), []).append((name, address, redacted))
    for file_name, ordinal, message_id, name, address, sent, subject, body in rows:
        ours.setdefault(file_name, []).append({
            "sender_name": name, "sender_email": address, "sent_at": sent, "subject": subject, "body": body,
            "to": recipients.get((message_id, "to"), []), "cc": recipients.get((message_id, "cc"), [])})
    expected = sum(len(d["messages"]) for d in labels)
    print(f"\n## DC set: {expected} labelled messages in {len(labels)} PDFs (ingest {cost['ingest_seconds']:.0f} s, "
          f"{cost['pages']} pages)")
    found = 0
    tally = {field: [0, 0] for field in ("sender", "sent_at", "subject", "to", "cc")}
    against_eml = {field: [0, 0] for field in ("sender", "sent_at", "subject", "to", "cc")}
    body_scores = []
    problems = []
    for document in labels:
        messages = ours.get(document["file_name"], [])
        found += min(len(messages), len(document["messages"]))
        if len(messages) != len(document["messages"]):
            problems.append(f"{document['file_name']}: {len(messages)} messages split, "
                            f"{len(document['messages'])} labelled")
        for label, message in zip(document["messages"], messages):
            checks = {
                "sender": same_person(message["sender_name"], message["sender_email"], label["sender_name"])
                or same_person(message["sender_name"], message["sender_email"], label["sender_email"]),
                "sent_at": (message["sent_at"].isoformat(timespec="minutes") if message["sent_at"] else None)
                == (label["sent_at"][:16] if label["sent_at"] else None),
                "subject": same_subject(message["subject"], label["subject"]) if label["subject"]
                else message["subject"] is None,
                "to": sorted(_norm(p[0] or p[1]) for p in message["to"])
                == sorted(_norm(p["name"] or p["email"]) for p in label["to"]),
                "cc": sorted(_norm(p[0] or p[1]) for p in message["cc"])
                == sorted(_norm(p["name"] or p["email"]) for p in label["cc"]),
            }
            for field, right in checks.items():
                tally[field][1] += 1
                tally[field][0] += right
                if not right:
                    problems.append(f"{document['file_name']} message {label['ordinal']} {field} (labels)")
            if not label.get("eml_file"):
                continue
            original = _eml(os.path.join(DC, "eml", label["eml_file"]))
            sender = original["from"][0] if original["from"] else ("", "")
            eml_checks = {
                "sender": same_person(message["sender_name"], message["sender_email"], sender[0])
                or same_person(message["sender_name"], message["sender_email"], sender[1]),
                "sent_at": _same_sent(message["sent_at"], original),
                "subject": same_subject(message["subject"], original["subject"]),
                "to": _people_agree(message["to"], original["to"]),
                "cc": _people_agree(message["cc"], original["cc"]),
            }
            for field, right in eml_checks.items():
                against_eml[field][1] += 1
                against_eml[field][0] += right
                if not right:
                    problems.append(f"{document['file_name']} message {label['ordinal']} {field} (.eml)")
            body_scores.append((similarity(message["body"], original["body"]), document["file_name"],
                                label["ordinal"]))

    def line(counts: dict) -> str:
        return "  ".join(f"{field} {right / total:.3f} ({right}/{total})" for field, (right, total) in counts.items()
                         if total)

    print(f"   messages split out: {found}/{expected}")
    print(f"   header fields vs labels: {line(tally)}")
    right = sum(r for r, _ in against_eml.values())
    total = sum(t for _, t in against_eml.values())
    print(f"   header fields vs .eml originals ({len(body_scores)} messages): {line(against_eml)}; "
          f"all fields {right / total:.3f} (target 0.97)")
    if body_scores:
        scores = sorted(score for score, _, _ in body_scores)
        print(f"   body similarity vs .eml (text before the quoted part): mean {sum(scores) / len(scores):.3f}, "
              f"min {scores[0]:.3f}, median {scores[len(scores) // 2]:.3f}")
        for score, file_name, ordinal in sorted(body_scores)[:3]:
            print(f"     lowest: {file_name} message {ordinal}: {score:.3f}")
    for problem in problems[:40]:
        print(f"     {problem}")


def main() -> None:
    if not os.path.isdir(CORPUS):
        print(f"The corpus is not at {CORPUS}: nothing to evaluate.")
        return
    evaluate_dc()
    evaluate_state()


if __name__ == "__main__":
    main()
