"""Entities and events in the database, loaded with each document: the sample release's story, with evidence."""

from tests.conftest import query


def test_the_vendor_demo_and_training_for_the_agency_are_two_events_with_parties_date_and_place(sample_db):
    rows = query(sample_db, """
        SELECT event_type, vendor, agency, date_start::DATE::VARCHAR, location, file_name, page_number, bates
        FROM vendor_agency_events
        WHERE event_type IN ('demo', 'training') AND vendor = 'Quillmark Biometrics, Inc.'
          AND agency = 'Port Halden Police Department'
        ORDER BY date_start""")
    demos = [row for row in rows if row[0] == "demo"]
    trainings = [row for row in rows if row[0] == "training"]
    assert demos and trainings, rows
    assert any(row[3] == "2019-04-17" and "Reston" in (row[4] or "") for row in demos), demos
    assert any(row[3] == "2019-05-06" and "Reston" in (row[4] or "") for row in trainings), trainings
    for row in demos + trainings:
        assert row[5].startswith("PHPD-") and row[6] >= 1 and row[7].startswith("PHPD-"), row


def test_every_event_points_at_the_words_of_its_sentence_on_its_page(sample_db):
    events = query(sample_db, "SELECT count(*) FROM events")[0][0]
    assert events >= 4
    rebuilt = query(sample_db, """
        SELECT e.event_id, e.sentence, string_agg(w.text, ' ' ORDER BY w.word_index) AS words
        FROM events e JOIN page_words w ON w.document_id = e.document_id AND w.page_number = e.page_number
                                       AND w.layer = e.layer AND list_contains(e.word_indices, w.word_index)
        GROUP BY ALL""")
    assert len(rebuilt) == events
    for event_id, sentence, words in rebuilt:
        # the sentence's words on its first page, in order (a sentence may run onto the next line or page)
        assert " ".join(sentence.split()).startswith(words[:40]) or words.split()[0] in sentence, (event_id, words)


def test_people_are_linked_across_spellings_and_addresses_stay_with_their_names(sample_db):
    aliases = dict(query(sample_db, """SELECT e.entity_id, list(a.alias ORDER BY a.alias) FROM entities e
                                       JOIN entity_aliases a USING (entity_id) WHERE e.entity_type = 'PERSON'
                                       GROUP BY ALL"""))
    feldmoor = aliases["PERSON:feldmoor|grant"]
    assert "Feldmoor, Grant (PHPD)" in feldmoor and "gfeldmoor@porthalden.example.gov" in feldmoor
    assert any(alias.startswith(("Captain Feldmoor", "Feldmoor")) and "," not in alias for alias in feldmoor)


def test_vendor_and_product_mentions_come_from_the_gazetteer(sample_db):
    rows = query(sample_db, """SELECT label, text, source, entity_id, part FROM mentions
                               WHERE label IN ('VENDOR', 'PRODUCT') AND text LIKE '%Quill%'""")
    assert any(label == "PRODUCT" and text.startswith("FaceQuill") for label, text, _, _, _ in rows)
    assert {source for _, _, source, _, part in rows if part == "body"} == {"gazetteer"}
    # the vendor's staff write from its domain: their messages name it as a header party
    assert ("VENDOR", "Quillmark Biometrics, Inc.", "domain", "VENDOR:quillmark biometrics, inc", "header") in rows
    assert {entity_id for label, _, _, entity_id, _ in rows if label == "VENDOR"} == {"VENDOR:quillmark biometrics, inc"}


def test_the_timeline_orders_dated_events(sample_db):
    dates = [row[0] for row in query(sample_db, "SELECT date_start FROM timeline")]
    assert dates and dates == sorted(dates)
