"""The Arrow schemas of the tables models/store.py loads, with pyarrow itself.

Apart from models/store.py so that pyarrow (and the NumPy it imports, about 0.1 s) loads only when a run writes:
a `foia` command that reads, or an ingest with nothing new, never needs it.
"""

from __future__ import annotations

import pyarrow as pa

WORD_SCHEMA = pa.schema([
    ("document_id", pa.string()), ("page_number", pa.int32()), ("word_index", pa.int32()),
    ("line_number", pa.int32()), ("text", pa.string()), ("x0", pa.float32()), ("y0", pa.float32()),
    ("x1", pa.float32()), ("y1", pa.float32()), ("confidence", pa.float32()), ("layer", pa.string()),
])
MESSAGE_SCHEMA = pa.schema([
    ("message_id", pa.string()), ("document_id", pa.string()), ("ordinal", pa.int32()),
    ("parent_message_id", pa.string()), ("depth", pa.int32()), ("layout", pa.string()), ("reading", pa.string()),
    ("page_start", pa.int32()), ("page_end", pa.int32()), ("word_start", pa.int32()), ("word_end", pa.int32()),
    ("sender_name", pa.string()), ("sender_email", pa.string()), ("sender_email_clean", pa.string()),
    ("sender_raw", pa.string()), ("sender_redacted", pa.bool_()), ("sent_at", pa.timestamp("us")),
    ("sent_tz_offset_minutes", pa.int32()), ("sent_raw", pa.string()), ("sent_flag", pa.string()),
    ("subject", pa.string()), ("subject_normalized", pa.string()), ("body", pa.string()),
    ("sender_name_raw", pa.string()), ("sender_email_raw", pa.string()), ("subject_raw", pa.string()),
    ("sender_redaction_codes", pa.list_(pa.string())),
    ("repaired", pa.bool_()),
    ("header_message_id", pa.string()), ("in_reply_to", pa.string()), ("header_references", pa.list_(pa.string())),
    ("sent_at_utc", pa.timestamp("us")), ("header_conversation_id", pa.string()),
])
RECIPIENT_SCHEMA = pa.schema([
    ("message_id", pa.string()), ("kind", pa.string()), ("position", pa.int32()), ("name", pa.string()),
    ("email", pa.string()), ("email_clean", pa.string()), ("raw", pa.string()), ("redacted", pa.bool_()),
    ("name_raw", pa.string()), ("email_raw", pa.string()), ("repaired", pa.bool_()),
    ("redaction_codes", pa.list_(pa.string())),
])
ATTACHMENT_SCHEMA = pa.schema([("message_id", pa.string()), ("position", pa.int32()), ("name", pa.string()),
                                ("content_type", pa.string()), ("size_bytes", pa.int64()),
                                ("attached_document_id", pa.string())])
LINE_SCHEMA = pa.schema([
    ("message_id", pa.string()), ("line_number", pa.int32()), ("part", pa.string()), ("page_number", pa.int32()),
    ("layer", pa.string()), ("word_indices", pa.list_(pa.int32())), ("text", pa.string()),
    ("char_start", pa.int32()), ("char_end", pa.int32()),
])
PASSAGE_SCHEMA = pa.schema([
    ("passage_id", pa.string()), ("document_id", pa.string()), ("ordinal", pa.int32()), ("kind", pa.string()),
    ("follows_message_id", pa.string()), ("page_start", pa.int32()), ("page_end", pa.int32()),
    ("word_start", pa.int32()), ("word_end", pa.int32()), ("text", pa.string()),
])
PASSAGE_LINE_SCHEMA = pa.schema([
    ("passage_id", pa.string()), ("line_number", pa.int32()), ("page_number", pa.int32()), ("layer", pa.string()),
    ("word_indices", pa.list_(pa.int32())), ("text", pa.string()), ("entry_row", pa.int32()),
    ("entry_column", pa.int32()),
])
MENTION_SCHEMA = pa.schema([
    ("document_id", pa.string()), ("message_id", pa.string()), ("part", pa.string()), ("entity_id", pa.string()),
    ("label", pa.string()), ("text", pa.string()), ("source", pa.string()), ("start_char", pa.int32()),
    ("end_char", pa.int32()), ("page_number", pa.int32()), ("layer", pa.string()),
    ("word_indices", pa.list_(pa.int32())), ("date_start", pa.timestamp("us")), ("date_end", pa.timestamp("us")),
    ("passage_id", pa.string()),
])
EVENT_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("document_id", pa.string()), ("message_id", pa.string()), ("event_type", pa.string()),
    ("trigger", pa.string()), ("status", pa.string()), ("date_text", pa.string()), ("date_start", pa.timestamp("us")),
    ("date_end", pa.timestamp("us")), ("location", pa.string()), ("confidence", pa.float64()),
    ("sentence", pa.string()), ("page_number", pa.int32()), ("layer", pa.string()),
    ("word_indices", pa.list_(pa.int32())), ("passage_id", pa.string()),
])
PARTICIPANT_SCHEMA = pa.schema([("event_id", pa.string()), ("role", pa.string()), ("entity_id", pa.string()),
                                ("name", pa.string()), ("found_via", pa.string())])
REDACTION_SCHEMA = pa.schema([("document_id", pa.string()), ("page_number", pa.int32()),
                              ("redaction_index", pa.int32()), ("kind", pa.string()), ("source", pa.string()),
                              ("codes", pa.list_(pa.string())), ("code_text", pa.string()), ("x0", pa.float64()),
                              ("y0", pa.float64()), ("x1", pa.float64()), ("y1", pa.float64()),
                              ("uncovered_chars", pa.int32()), ("uncovered_text", pa.string()),
                              ("message_id", pa.string()), ("passage_id", pa.string()), ("field", pa.string()),
                              ("recipient_position", pa.int32())])

