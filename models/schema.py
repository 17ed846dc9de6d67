"""The DuckDB schema, versioned. Each migration moves a database one version up, inside a transaction.

To change the schema: append a migration (never edit a released one), document the tables and columns
in README.md (a test checks every column is documented), and bump nothing else: SCHEMA_VERSION is the
number of migrations.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "releases, documents, pages, page_words, ingest_runs, ingest_errors", (
        "CREATE SEQUENCE release_ids START 1",
        "CREATE SEQUENCE run_ids START 1",
        "CREATE SEQUENCE error_ids START 1",
        """CREATE TABLE releases (
            release_id INTEGER PRIMARY KEY DEFAULT nextval('release_ids'),
            name VARCHAR NOT NULL UNIQUE,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""",
        """CREATE TABLE ingest_runs (
            run_id INTEGER PRIMARY KEY DEFAULT nextval('run_ids'),
            release_id INTEGER NOT NULL,
            started_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            finished_at TIMESTAMP,
            status VARCHAR NOT NULL,
            inputs VARCHAR[] NOT NULL,
            settings JSON NOT NULL,
            tool_version VARCHAR NOT NULL,
            files_found INTEGER,
            documents_loaded INTEGER,
            documents_skipped INTEGER,
            pages_loaded INTEGER,
            pages_ocr INTEGER,
            errors INTEGER
        )""",
        """CREATE TABLE documents (
            document_id VARCHAR PRIMARY KEY,
            release_id INTEGER NOT NULL,
            run_id INTEGER NOT NULL,
            file_name VARCHAR NOT NULL,
            source_path VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            file_modified_at TIMESTAMP,
            page_count INTEGER NOT NULL,
            pdf_version INTEGER,
            title VARCHAR,
            author VARCHAR,
            creator VARCHAR,
            producer VARCHAR,
            pdf_created VARCHAR,
            pdf_modified VARCHAR,
            pages_ocr INTEGER NOT NULL,
            pages_without_text INTEGER NOT NULL,
            loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""",
        """CREATE TABLE pages (
            document_id VARCHAR NOT NULL,
            page_number INTEGER NOT NULL,
            width_pt DOUBLE NOT NULL,
            height_pt DOUBLE NOT NULL,
            rotation INTEGER NOT NULL,
            method VARCHAR NOT NULL,
            decision_reason VARCHAR NOT NULL,
            ocr_confidence DOUBLE,
            char_count INTEGER NOT NULL,
            word_count INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            text_layer_chars INTEGER NOT NULL,
            text_layer_text VARCHAR,
            image_coverage DOUBLE NOT NULL,
            invisible_text_ratio DOUBLE NOT NULL,
            PRIMARY KEY (document_id, page_number)
        )""",
        """CREATE TABLE page_words (
            document_id VARCHAR NOT NULL,
            page_number INTEGER NOT NULL,
            word_index INTEGER NOT NULL,
            line_number INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            x0 REAL NOT NULL,
            y0 REAL NOT NULL,
            x1 REAL NOT NULL,
            y1 REAL NOT NULL,
            confidence REAL
        )""",
        """CREATE TABLE ingest_errors (
            error_id INTEGER PRIMARY KEY DEFAULT nextval('error_ids'),
            run_id INTEGER NOT NULL,
            source_path VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            document_id VARCHAR,
            page_number INTEGER,
            stage VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""",
    )),
    Migration(2, "messages, recipients, attachments, message_lines; page_words.layer; pages.second_reading", (
        "ALTER TABLE page_words ADD COLUMN layer VARCHAR DEFAULT 'text_layer'",
        """UPDATE page_words SET layer = 'ocr' WHERE (document_id, page_number) IN
               (SELECT document_id, page_number FROM pages WHERE method = 'ocr')""",
        "ALTER TABLE pages ADD COLUMN second_reading VARCHAR",
        "ALTER TABLE pages ADD COLUMN second_reading_confidence DOUBLE",
        """CREATE TABLE messages (
            message_id VARCHAR PRIMARY KEY,
            document_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            parent_message_id VARCHAR,
            depth INTEGER NOT NULL,
            layout VARCHAR NOT NULL,
            reading VARCHAR NOT NULL,
            page_start INTEGER NOT NULL,
            page_end INTEGER NOT NULL,
            word_start INTEGER NOT NULL,
            word_end INTEGER NOT NULL,
            sender_name VARCHAR,
            sender_email VARCHAR,
            sender_email_clean VARCHAR,
            sender_raw VARCHAR,
            sender_redacted BOOLEAN,
            sent_at TIMESTAMP,
            sent_tz_offset_minutes INTEGER,
            sent_raw VARCHAR,
            sent_flag VARCHAR NOT NULL,
            subject VARCHAR,
            subject_normalized VARCHAR,
            body VARCHAR NOT NULL
        )""",
        """CREATE TABLE recipients (
            message_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            name VARCHAR,
            email VARCHAR,
            email_clean VARCHAR,
            raw VARCHAR NOT NULL,
            redacted BOOLEAN NOT NULL
        )""",
        """CREATE TABLE attachments (
            message_id VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            name VARCHAR NOT NULL
        )""",
        """CREATE TABLE message_lines (
            message_id VARCHAR NOT NULL,
            line_number INTEGER NOT NULL,
            part VARCHAR NOT NULL,
            page_number INTEGER NOT NULL,
            layer VARCHAR NOT NULL,
            word_indices INTEGER[] NOT NULL,
            text VARCHAR NOT NULL
        )""",
    )),
    Migration(3, "entities, entity_aliases, mentions, events, event_participants; pages.bates; analyst views", (
        "ALTER TABLE pages ADD COLUMN bates VARCHAR",
        """CREATE TABLE entities (
            entity_id VARCHAR PRIMARY KEY,
            entity_type VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            source VARCHAR NOT NULL
        )""",
        """CREATE TABLE entity_aliases (
            entity_id VARCHAR NOT NULL,
            alias VARCHAR NOT NULL,
            PRIMARY KEY (entity_id, alias)
        )""",
        """CREATE TABLE mentions (
            document_id VARCHAR NOT NULL,
            message_id VARCHAR,
            part VARCHAR NOT NULL,
            entity_id VARCHAR,
            label VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            page_number INTEGER,
            layer VARCHAR,
            word_indices INTEGER[] NOT NULL,
            date_start TIMESTAMP,
            date_end TIMESTAMP
        )""",
        """CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY,
            document_id VARCHAR NOT NULL,
            message_id VARCHAR,
            event_type VARCHAR NOT NULL,
            trigger VARCHAR NOT NULL,
            status VARCHAR,
            date_text VARCHAR,
            date_start TIMESTAMP,
            date_end TIMESTAMP,
            location VARCHAR,
            confidence DOUBLE NOT NULL,
            sentence VARCHAR NOT NULL,
            page_number INTEGER,
            layer VARCHAR,
            word_indices INTEGER[] NOT NULL
        )""",
        """CREATE TABLE event_participants (
            event_id VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            entity_id VARCHAR,
            name VARCHAR NOT NULL,
            found_via VARCHAR NOT NULL
        )""",
        """CREATE VIEW vendor_agency_events AS
           SELECT v.name AS vendor, a.name AS agency, e.event_type, e.date_start, e.date_end, e.status,
                  e.location, d.file_name, e.page_number, p.bates, e.sentence, e.event_id, e.message_id
           FROM events e
           JOIN event_participants v ON v.event_id = e.event_id AND v.role = 'vendor'
           JOIN event_participants a ON a.event_id = e.event_id AND a.role = 'agency'
           JOIN documents d ON d.document_id = e.document_id
           LEFT JOIN pages p ON p.document_id = e.document_id AND p.page_number = e.page_number""",
        """CREATE VIEW timeline AS
           SELECT e.date_start, e.date_end, e.event_type, e.status, e.trigger, e.location,
                  (SELECT string_agg(DISTINCT ep.name, '; ') FROM event_participants ep
                   WHERE ep.event_id = e.event_id) AS participants,
                  d.file_name, e.page_number, p.bates, e.sentence, e.event_id
           FROM events e JOIN documents d ON d.document_id = e.document_id
           LEFT JOIN pages p ON p.document_id = e.document_id AND p.page_number = e.page_number
           WHERE e.date_start IS NOT NULL
           ORDER BY e.date_start""",
    )),
    Migration(4, "passages, passage_lines; mentions.passage_id, events.passage_id; entities.state", (
        """CREATE TABLE passages (
            passage_id VARCHAR PRIMARY KEY,
            document_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            follows_message_id VARCHAR,
            page_start INTEGER NOT NULL,
            page_end INTEGER NOT NULL,
            word_start INTEGER NOT NULL,
            word_end INTEGER NOT NULL,
            text VARCHAR NOT NULL
        )""",
        """CREATE TABLE passage_lines (
            passage_id VARCHAR NOT NULL,
            line_number INTEGER NOT NULL,
            page_number INTEGER NOT NULL,
            layer VARCHAR NOT NULL,
            word_indices INTEGER[] NOT NULL,
            text VARCHAR NOT NULL,
            entry_row INTEGER,
            entry_column INTEGER
        )""",
        "ALTER TABLE mentions ADD COLUMN passage_id VARCHAR",
        "ALTER TABLE events ADD COLUMN passage_id VARCHAR",
        "ALTER TABLE entities ADD COLUMN state VARCHAR",
        """CREATE OR REPLACE VIEW vendor_agency_events AS
           SELECT v.name AS vendor, a.name AS agency, e.event_type, e.date_start, e.date_end, e.status,
                  e.location, d.file_name, e.page_number, p.bates, e.sentence, e.event_id, e.message_id,
                  e.passage_id
           FROM events e
           JOIN event_participants v ON v.event_id = e.event_id AND v.role = 'vendor'
           JOIN event_participants a ON a.event_id = e.event_id AND a.role = 'agency'
           JOIN documents d ON d.document_id = e.document_id
           LEFT JOIN pages p ON p.document_id = e.document_id AND p.page_number = e.page_number""",
    )),
    Migration(5, "release-wide header repair: *_raw readings and repaired flags on messages and recipients; "
                 "address_book", (
        "ALTER TABLE messages ADD COLUMN sender_name_raw VARCHAR",
        "ALTER TABLE messages ADD COLUMN sender_email_raw VARCHAR",
        "ALTER TABLE messages ADD COLUMN subject_raw VARCHAR",
        "ALTER TABLE messages ADD COLUMN repaired BOOLEAN DEFAULT false",
        "UPDATE messages SET sender_name_raw = sender_name, sender_email_raw = sender_email, subject_raw = subject",
        "ALTER TABLE recipients ADD COLUMN name_raw VARCHAR",
        "ALTER TABLE recipients ADD COLUMN email_raw VARCHAR",
        "ALTER TABLE recipients ADD COLUMN repaired BOOLEAN DEFAULT false",
        "UPDATE recipients SET name_raw = name, email_raw = email",
        """CREATE TABLE address_book (
            release_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            spelling VARCHAR NOT NULL,
            readings INTEGER NOT NULL,
            mean_confidence DOUBLE,
            corrected_to VARCHAR
        )""",
    )),
    Migration(6, "redactions, document_release_status; views redactions_by_exemption, withheld_pages", (
        """CREATE TABLE redactions (
            document_id VARCHAR NOT NULL,
            page_number INTEGER NOT NULL,
            redaction_index INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            codes VARCHAR[] NOT NULL,
            code_text VARCHAR,
            x0 DOUBLE,
            y0 DOUBLE,
            x1 DOUBLE,
            y1 DOUBLE,
            uncovered_chars INTEGER NOT NULL,
            uncovered_text VARCHAR
        )""",
        """CREATE TABLE document_release_status (
            document_id VARCHAR PRIMARY KEY,
            page_number INTEGER NOT NULL,
            decision VARCHAR NOT NULL,
            codes VARCHAR[] NOT NULL
        )""",
        """CREATE OR REPLACE VIEW redactions_by_exemption AS
           SELECT rl.name AS release, c.code,
                  count(DISTINCT r.document_id) AS documents,
                  count(DISTINCT r.document_id || ':' || r.page_number) AS pages,
                  count(*) FILTER (WHERE r.kind = 'box') AS boxes,
                  count(*) FILTER (WHERE r.kind = 'code_only') AS marks_without_box,
                  count(*) FILTER (WHERE r.kind = 'withheld_page') AS withheld_pages,
                  count(*) FILTER (WHERE r.uncovered_chars > 0) AS failed_boxes
           FROM redactions r
           CROSS JOIN LATERAL (SELECT unnest(CASE WHEN len(r.codes) = 0 THEN ['(none)'] ELSE r.codes END)
                               AS code) c
           JOIN documents d ON d.document_id = r.document_id
           JOIN releases rl ON rl.release_id = d.release_id
           GROUP BY rl.name, c.code""",
        """CREATE OR REPLACE VIEW withheld_pages AS
           SELECT d.file_name, r.page_number, p.bates, r.code_text AS notice, r.codes, r.document_id
           FROM redactions r JOIN documents d ON d.document_id = r.document_id
           LEFT JOIN pages p ON p.document_id = r.document_id AND p.page_number = r.page_number
           WHERE r.kind = 'withheld_page'""",
    )),
    Migration(7, "redactions.message_id, passage_id, field: what each redaction blanks", (
        "ALTER TABLE redactions ADD COLUMN message_id VARCHAR",
        "ALTER TABLE redactions ADD COLUMN passage_id VARCHAR",
        "ALTER TABLE redactions ADD COLUMN field VARCHAR",
    )),
    Migration(8, "senders and recipients redacted with their codes; redactions.recipient_position; the agency of "
                 "a release and of a document; redactions_by_exemption by agency", (
        "ALTER TABLE messages ADD COLUMN sender_redaction_codes VARCHAR[]",
        "ALTER TABLE recipients ADD COLUMN redaction_codes VARCHAR[]",
        "ALTER TABLE redactions ADD COLUMN recipient_position INTEGER",
        "ALTER TABLE releases ADD COLUMN agency VARCHAR",
        "ALTER TABLE documents ADD COLUMN agency VARCHAR",
        """CREATE OR REPLACE VIEW redactions_by_exemption AS
           SELECT rl.name AS release, coalesce(d.agency, rl.agency) AS agency, c.code,
                  count(DISTINCT r.document_id) AS documents,
                  count(DISTINCT r.document_id || ':' || r.page_number) AS pages,
                  count(*) FILTER (WHERE r.kind = 'box') AS boxes,
                  count(*) FILTER (WHERE r.kind = 'code_only') AS marks_without_box,
                  count(*) FILTER (WHERE r.kind = 'withheld_page') AS withheld_pages,
                  count(*) FILTER (WHERE r.uncovered_chars > 0) AS failed_boxes
           FROM redactions r
           CROSS JOIN LATERAL (SELECT unnest(CASE WHEN len(r.codes) = 0 THEN ['(none)'] ELSE r.codes END)
                               AS code) c
           JOIN documents d ON d.document_id = r.document_id
           JOIN releases rl ON rl.release_id = d.release_id
           GROUP BY ALL""",
    )),
    Migration(9, "native email: documents.kind; messages without pages, with their own headers and UTC time; "
                 "message lines' characters in a native body; attachments' type and size", (
        "ALTER TABLE documents ADD COLUMN kind VARCHAR DEFAULT 'pdf'",
        "ALTER TABLE messages ALTER COLUMN page_start DROP NOT NULL",
        "ALTER TABLE messages ALTER COLUMN page_end DROP NOT NULL",
        "ALTER TABLE messages ALTER COLUMN word_start DROP NOT NULL",
        "ALTER TABLE messages ALTER COLUMN word_end DROP NOT NULL",
        "ALTER TABLE messages ADD COLUMN header_message_id VARCHAR",
        "ALTER TABLE messages ADD COLUMN in_reply_to VARCHAR",
        "ALTER TABLE messages ADD COLUMN header_references VARCHAR[]",
        "ALTER TABLE messages ADD COLUMN sent_at_utc TIMESTAMP",
        "ALTER TABLE message_lines ALTER COLUMN page_number DROP NOT NULL",
        "ALTER TABLE message_lines ADD COLUMN char_start INTEGER",
        "ALTER TABLE message_lines ADD COLUMN char_end INTEGER",
        "ALTER TABLE attachments ADD COLUMN content_type VARCHAR",
        "ALTER TABLE attachments ADD COLUMN size_bytes BIGINT",
    )),
    Migration(10, "one email across its copies and threads: messages.email_id and thread_id; views "
                  "message_occurrences, emails, email_mentions, email_events, threads, thread_emails", (
        "ALTER TABLE messages ADD COLUMN email_id VARCHAR",
        "ALTER TABLE messages ADD COLUMN thread_id VARCHAR",
        """CREATE VIEW message_occurrences AS
           SELECT m.email_id, m.message_id, m.document_id, d.file_name, m.page_start, m.page_end,
                  m.depth > 0 AS quoted, m.layout = 'native' AS native
           FROM messages m JOIN documents d USING (document_id)""",
        """CREATE VIEW emails AS
           SELECT r.email_id, r.thread_id, r.sender_name, r.sender_email, r.sent_at, r.sent_at_utc, r.subject,
                  r.subject_normalized, r.body, o.occurrences, o.documents, o.quoted_copies, o.native_copies
           FROM messages r
           JOIN (SELECT email_id, count(*) AS occurrences, count(DISTINCT document_id) AS documents,
                        count(*) FILTER (WHERE depth > 0) AS quoted_copies,
                        count(*) FILTER (WHERE reading = 'native') AS native_copies
                 FROM messages GROUP BY email_id) o ON o.email_id = r.message_id""",
        """CREATE VIEW email_mentions AS
           SELECT m.email_id, n.entity_id, n.label, min(n.text) AS text, count(*) AS mentions,
                  count(DISTINCT n.message_id) AS copies,
                  list({'document_id': n.document_id, 'message_id': n.message_id, 'page_number': n.page_number,
                        'start_char': n.start_char} ORDER BY n.document_id, n.message_id, n.start_char) AS citations
           FROM mentions n JOIN messages m USING (message_id)
           WHERE n.entity_id IS NOT NULL
           GROUP BY m.email_id, n.entity_id, n.label""",
        """CREATE VIEW email_events AS
           SELECT m.email_id, e.event_type, lower(e.trigger) AS trigger, e.date_start, min(e.status) AS status,
                  min(e.sentence) AS sentence, count(DISTINCT e.message_id) AS copies,
                  list({'event_id': e.event_id, 'document_id': e.document_id, 'message_id': e.message_id,
                        'page_number': e.page_number} ORDER BY e.event_id) AS citations
           FROM events e JOIN messages m USING (message_id)
           GROUP BY m.email_id, e.event_type, lower(e.trigger), e.date_start""",
        """CREATE VIEW thread_emails AS
           SELECT e.thread_id, row_number() OVER (PARTITION BY e.thread_id ORDER BY e.sent_at, e.email_id)
                      AS position,
                  e.email_id, e.sent_at, e.sender_name, e.sender_email, e.subject,
                  (SELECT list(DISTINCT coalesce(r.email_clean, r.name)) FROM recipients r
                   WHERE r.message_id = e.email_id AND coalesce(r.email_clean, r.name) IS NOT NULL) AS recipients
           FROM emails e""",
        """CREATE VIEW threads AS
           SELECT t.thread_id, t.emails, t.first_sent, t.last_sent, t.subject, p.participants
           FROM (SELECT thread_id, count(*) AS emails, min(sent_at) AS first_sent, max(sent_at) AS last_sent,
                        arg_min(subject, position) AS subject
                 FROM thread_emails GROUP BY thread_id) t
           LEFT JOIN (SELECT thread_id, list(DISTINCT who ORDER BY who) AS participants
                      FROM (SELECT thread_id, coalesce(sender_email, sender_name) AS who FROM thread_emails
                            UNION ALL SELECT thread_id, unnest(recipients) FROM thread_emails)
                      WHERE who IS NOT NULL GROUP BY thread_id) p USING (thread_id)""",
    )),
    Migration(11, "attachments and embedded files as documents of their own: documents.parent_document_id, "
                  "parent_message_id; attachments.attached_document_id", (
        "ALTER TABLE documents ADD COLUMN parent_document_id VARCHAR",
        "ALTER TABLE documents ADD COLUMN parent_message_id VARCHAR",
        "ALTER TABLE attachments ADD COLUMN attached_document_id VARCHAR",
    )),
    Migration(12, "a native email's Outlook conversation (its Thread-Index): messages.header_conversation_id; "
                  "`foia reparse` fills it from the native files", (
        "ALTER TABLE messages ADD COLUMN header_conversation_id VARCHAR",
    )),
    Migration(13, "timeline.participants and thread_emails.recipients in name order, so that two exports of one "
                  "database are the same bytes", (
        """CREATE OR REPLACE VIEW timeline AS
           SELECT e.date_start, e.date_end, e.event_type, e.status, e.trigger, e.location,
                  (SELECT string_agg(DISTINCT ep.name, '; ' ORDER BY ep.name) FROM event_participants ep
                   WHERE ep.event_id = e.event_id) AS participants,
                  d.file_name, e.page_number, p.bates, e.sentence, e.event_id
           FROM events e JOIN documents d ON d.document_id = e.document_id
           LEFT JOIN pages p ON p.document_id = e.document_id AND p.page_number = e.page_number
           WHERE e.date_start IS NOT NULL
           ORDER BY e.date_start""",
        """CREATE OR REPLACE VIEW thread_emails AS
           SELECT e.thread_id, row_number() OVER (PARTITION BY e.thread_id ORDER BY e.sent_at, e.email_id)
                      AS position,
                  e.email_id, e.sent_at, e.sender_name, e.sender_email, e.subject,
                  (SELECT list(DISTINCT coalesce(r.email_clean, r.name) ORDER BY coalesce(r.email_clean, r.name))
                   FROM recipients r
                   WHERE r.message_id = e.email_id AND coalesce(r.email_clean, r.name) IS NOT NULL) AS recipients
           FROM emails e""",
    )),
    Migration(14, "rolling releases: release_documents (every document a release sent, re-sent ones too); views "
                  "release_members, release_items, release_novelty", (
        """CREATE TABLE release_documents (
            release_id INTEGER NOT NULL,
            document_id VARCHAR NOT NULL,
            run_id INTEGER,
            source_path VARCHAR,
            PRIMARY KEY (release_id, document_id)
        )""",
        """INSERT INTO release_documents
           SELECT release_id, document_id, run_id, source_path FROM documents WHERE parent_document_id IS NULL""",
        # A release holds what it sent and, through their parents, the attachments read out of them.
        """CREATE VIEW release_members AS
           WITH RECURSIVE tree(release_id, document_id, lineage) AS (
               SELECT s.release_id, s.document_id, lower(d.file_name)
               FROM (SELECT release_id, document_id FROM release_documents
                     UNION SELECT release_id, document_id FROM documents WHERE parent_document_id IS NULL) s
               JOIN documents d USING (document_id)
               UNION
               SELECT t.release_id, d.document_id, t.lineage || '/' || lower(d.file_name)
               FROM tree t JOIN documents d ON d.parent_document_id = t.document_id)
           SELECT DISTINCT release_id, document_id, lineage FROM tree""",
        # One row a thing a release holds, however many copies of it: its documents (by lineage: the file name,
        # the same document in every release that sends it), pages, emails (one email across its copies),
        # named entities, events and redactions, each cited by its first copy in the release.
        """CREATE VIEW release_items AS
           WITH m AS (SELECT * FROM release_members),
           rows AS (
               SELECT m.release_id, 'document' AS kind, m.lineage AS item_key, m.lineage, d.file_name AS label,
                      d.page_count || ' page(s)' AS detail, d.document_id, 1 AS page_number, 0 AS copy_rank,
                      d.document_id AS ref
               FROM m JOIN documents d USING (document_id)
               UNION ALL
               SELECT m.release_id, 'page', m.lineage || '#' || p.page_number, m.lineage, 'page ' || p.page_number,
                      p.bates, p.document_id, p.page_number, 0, NULL
               FROM m JOIN pages p USING (document_id)
               UNION ALL
               SELECT m.release_id, 'email', g.email_id, NULL, coalesce(g.subject, '(no subject)'),
                      coalesce(g.sender_name, g.sender_email), g.document_id, g.page_start, g.depth, g.message_id
               FROM m JOIN messages g USING (document_id) WHERE g.email_id IS NOT NULL
               UNION ALL
               SELECT m.release_id, 'entity', n.entity_id, NULL, en.name, en.entity_type, n.document_id,
                      n.page_number, n.start_char, n.entity_id
               FROM m JOIN mentions n USING (document_id) JOIN entities en USING (entity_id)
               UNION ALL
               SELECT m.release_id, 'event',
                      coalesce(g.email_id, m.lineage) || '|' || e.event_type || '|' || lower(e.trigger) || '|'
                          || coalesce(CAST(e.date_start AS VARCHAR), ''),
                      NULL, e.event_type, e.sentence, e.document_id, e.page_number, coalesce(g.depth, 0), e.event_id
               FROM m JOIN events e USING (document_id) LEFT JOIN messages g ON g.message_id = e.message_id
               UNION ALL
               -- the same redaction in two copies of a document: same page, kind and codes, its corner within
               -- a few points
               SELECT m.release_id, 'redaction',
                      m.lineage || '#' || r.page_number || '|' || r.kind || '|' || array_to_string(r.codes, ',')
                          || '|' || coalesce(CAST(round(r.x0 / 4) AS VARCHAR), '') || ','
                          || coalesce(CAST(round(r.y0 / 4) AS VARCHAR), ''),
                      m.lineage, r.kind, coalesce(r.code_text, array_to_string(r.codes, ' ')), r.document_id,
                      r.page_number, r.redaction_index, CAST(r.redaction_index AS VARCHAR)
               FROM m JOIN redactions r USING (document_id))
           SELECT release_id, kind, item_key, any_value(lineage) AS lineage,
                  arg_min(label, (copy_rank, document_id, page_number)) AS label,
                  arg_min(detail, (copy_rank, document_id, page_number)) AS detail,
                  arg_min(document_id, (copy_rank, document_id, page_number)) AS document_id,
                  arg_min(page_number, (copy_rank, document_id, page_number)) AS page_number,
                  arg_min(ref, (copy_rank, document_id, page_number)) AS ref,
                  count(*) AS copies
           FROM rows GROUP BY release_id, kind, item_key""",
        # What each release brought: emails, entities and events never seen in an earlier release; and, for a
        # document an earlier release sent too, what changed against the latest such release (pages added or
        # taken out, redactions added or lifted); a document sent again unchanged is 'resent'.
        """CREATE VIEW release_novelty AS
           WITH items AS (SELECT * FROM release_items),
           first_seen AS (SELECT kind, item_key, min(release_id) AS first_release FROM items
                          WHERE kind IN ('email', 'entity', 'event') GROUP BY kind, item_key),
           lineages AS (SELECT release_id, item_key AS lineage, document_id FROM items WHERE kind = 'document'),
           previous AS (SELECT a.release_id, a.lineage, a.document_id, max(b.release_id) AS previous_release
                        FROM lineages a LEFT JOIN lineages b ON b.lineage = a.lineage AND b.release_id < a.release_id
                        GROUP BY a.release_id, a.lineage, a.document_id),
           changes AS (
               SELECT i.release_id, i.kind, 'new' AS change, i.item_key, NULL::INTEGER AS previous_release,
                      i.label, i.detail, i.document_id, i.page_number, i.ref
               FROM items i JOIN first_seen f ON f.kind = i.kind AND f.item_key = i.item_key
                                             AND f.first_release = i.release_id
               UNION ALL
               SELECT p.release_id, 'document',
                      CASE WHEN p.previous_release IS NULL THEN 'new'
                           WHEN p.document_id = o.document_id THEN 'resent' ELSE 'changed' END,
                      p.lineage, p.previous_release, i.label, i.detail, i.document_id, 1, i.ref
               FROM previous p JOIN items i ON i.release_id = p.release_id AND i.kind = 'document'
                                          AND i.item_key = p.lineage
               LEFT JOIN lineages o ON o.release_id = p.previous_release AND o.lineage = p.lineage
               UNION ALL
               SELECT i.release_id, i.kind, CASE WHEN p.previous_release IS NULL THEN 'new' ELSE 'added' END,
                      i.item_key, p.previous_release, i.label, i.detail, i.document_id, i.page_number, i.ref
               FROM items i JOIN previous p ON p.release_id = i.release_id AND p.lineage = i.lineage
               WHERE (i.kind = 'redaction' OR (i.kind = 'page' AND p.previous_release IS NOT NULL))
                 AND NOT EXISTS (SELECT 1 FROM items o WHERE o.release_id = p.previous_release
                                 AND o.kind = i.kind AND o.item_key = i.item_key)
               UNION ALL
               SELECT p.release_id, o.kind, CASE o.kind WHEN 'page' THEN 'removed' ELSE 'lifted' END, o.item_key,
                      p.previous_release, o.label, o.detail, o.document_id, o.page_number, o.ref
               FROM previous p JOIN items o ON o.release_id = p.previous_release AND o.lineage = p.lineage
               WHERE o.kind IN ('page', 'redaction')
                 AND NOT EXISTS (SELECT 1 FROM items i WHERE i.release_id = p.release_id
                                 AND i.kind = o.kind AND i.item_key = o.item_key))
           SELECT rl.name AS release, c.kind, c.change, c.label, c.detail, d.file_name, c.page_number, pg.bates,
                  pr.name AS previous_release, c.document_id, c.item_key, c.ref, c.release_id
           FROM changes c JOIN releases rl ON rl.release_id = c.release_id
           LEFT JOIN releases pr ON pr.release_id = c.previous_release
           LEFT JOIN documents d ON d.document_id = c.document_id
           LEFT JOIN pages pg ON pg.document_id = c.document_id AND pg.page_number = c.page_number""",
    )),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


class SchemaError(RuntimeError):
    """The database cannot be used by this version of the tool."""


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the database up to SCHEMA_VERSION; returns the version it was at."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
        applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""")
    found = current_version(con)
    if found > SCHEMA_VERSION:
        raise SchemaError(f"the database has schema version {found}, newer than this tool's {SCHEMA_VERSION}; "
                          "upgrade the tool")
    for migration in MIGRATIONS:
        if migration.version <= found:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in migration.statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                        [migration.version, migration.description])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    if found < SCHEMA_VERSION:
        # Into the file now, out of the write-ahead log: DuckDB 1.5.5 cannot replay an ALTER TABLE ... ADD COLUMN
        # with a DEFAULT from the log ("no default database set"), so a run killed before its first checkpoint
        # left a database no one could open.
        con.execute("CHECKPOINT")
    return found


def lock_holder(error: BaseException) -> str | None:
    """Which process holds a database file DuckDB refused to open ("process N (program)"), if that is why."""
    text = str(error)
    if "Could not set lock" not in text:
        return None
    holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
    return f"process {holder.group(2)} ({os.path.basename(holder.group(1))})" if holder else "another process"


def busy_reason(error: BaseException, path: str) -> str | None:
    """What to tell the user when DuckDB refused the file because another process holds it. The tool's own
    writers never hold the file readers open (models/working_copy.py), so this is someone's session that has
    it open for writing (`duckdb FILE` opens it so): while it does, no other process can open the file."""
    who = lock_holder(error)
    return None if who is None else busy_message(path, who)


def busy_message(path: str, who: str) -> str:
    return (f"{path} is in use by {who}, which has it open for writing: while it does, no other process can "
            "open it; run this again when that one has closed it (open it with `duckdb -readonly` to share it)")


class DatabaseUnavailable(RuntimeError):
    """A database a command only reads cannot be opened; the message says why, naming the file."""


def open_for_reading(path: str) -> duckdb.DuckDBPyConnection:
    """The file opened read-only as it is (no migration: a reader never changes it), or DatabaseUnavailable."""
    if not os.path.exists(path):
        raise DatabaseUnavailable(f"no database at {path}")
    try:
        return duckdb.connect(path, read_only=True)
    except duckdb.Error as error:
        raise DatabaseUnavailable(busy_reason(error, path) or f"cannot open {path}: {error}") from None


def connect(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path, read_only=read_only)
    if not read_only:
        migrate(con)
    elif current_version(con) != SCHEMA_VERSION:
        raise SchemaError(f"{path} has schema version {current_version(con)}; this tool reads {SCHEMA_VERSION}")
    return con
