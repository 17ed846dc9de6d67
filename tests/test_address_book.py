"""The release's address book: rare spellings OCR damaged are read as the frequent ones, when the evidence is clear."""

import shutil

import duckdb

from extractors.email.address_book import Reading, build_address_book, corrections, repair_subject
from models.header_repair import repair_release_headers


def book_of(readings: list[tuple[str, str, float | None, int]]) -> dict[tuple[str, str], str]:
    """readings: (kind, spelling, OCR confidence or None for a born-digital text layer, how many times)."""
    return corrections(build_address_book([Reading(kind, text, confidence, confidence is not None)
                                           for kind, text, confidence, times in readings for _ in range(times)]))


def test_ocr_confusions_are_corrected_to_the_frequent_spelling():
    fixes = book_of([("address", "millscd@state.gov", None, 12), ("address", "millscd@state.qov", 91.0, 1),
                     ("address", "hanleymr@state.gov", 93.0, 6), ("address", "hanleyrnr@state.gov", 95.0, 1),
                     ("address", "miliscd@state.gov", 96.0, 2),
                     ("code", "OOG-0003", None, 5), ("code", "O0G-0003", 80.0, 1)])
    assert fixes == {("address", "millscd@state.qov"): "millscd@state.gov",
                     ("address", "hanleyrnr@state.gov"): "hanleymr@state.gov",
                     ("address", "miliscd@state.gov"): "millscd@state.gov",
                     ("code", "O0G-0003"): "OOG-0003"}
    assert repair_subject("RE: O0G-0003 draft", fixes) == "RE: OOG-0003 draft"


def test_one_edit_is_corrected_only_where_ocr_read_it_with_low_confidence():
    frequent = [("name", "Slaughter, Anne-Marie", None, 7), ("address", "pverveer@state.gov", None, 5)]
    low = book_of(frequent + [("name", "Sfaughter|, Anne-Marie", 72.0, 1), ("address", "pverveeb@state.gov", 70.0, 1)])
    assert low == {("name", "Sfaughter|, Anne-Marie"): "Slaughter, Anne-Marie",
                   ("address", "pverveeb@state.gov"): "pverveer@state.gov"}
    # the same spellings read from a text layer, or by OCR with high confidence, are what was printed
    assert book_of(frequent + [("name", "Sfaughter|, Anne-Marie", None, 1), ("address", "pverveeb@state.gov", 97.0, 1)]) == {}


def test_a_scanners_hidden_ocr_layer_counts_as_ocr_of_unknown_confidence():
    readings = [Reading("address", "russorv@state.gov", None, True)] * 6 + \
        [Reading("address", "russont@state.gov", None, True)]
    assert corrections(build_address_book(readings)) == {("address", "russont@state.gov"): "russorv@state.gov"}
    printed = [Reading("address", "russorv@state.gov", None, False)] * 6 + \
        [Reading("address", "russont@state.gov", None, False)]
    assert corrections(build_address_book(printed)) == {}


def test_unclear_evidence_leaves_the_reading_as_it_is():
    # not rare enough: read twice against four
    assert book_of([("address", "jsmith@x.gov", None, 4), ("address", "jsrnith@x.gov", 70.0, 2)]) == {}
    # two frequent spellings equally close
    assert book_of([("address", "jsmith@x.gov", None, 6), ("address", "jsmyth@x.gov", None, 6),
                    ("address", "jsmeth@x.gov", 60.0, 1)]) == {}
    # another domain is another address; a shorter form of a name is a spelling people print
    assert book_of([("address", "millscd@state.gov", None, 9), ("address", "millscd@stale.gov", 60.0, 1),
                    ("name", "Dibble, Elizabeth L", None, 9), ("name", "Dibble, Elizabeth", 60.0, 1)]) == {}


def test_a_correction_to_a_damaged_spelling_goes_on_to_the_right_one():
    fixes = book_of([("name", "Mills, Cheryl D", None, 40), ("name", "Mills, Chery! D", 89.0, 10),
                     ("name", "Mills, Chery! 0", 70.0, 1)])
    assert fixes[("name", "Mills, Chery! 0")] == "Mills, Cheryl D"


def test_the_release_is_repaired_in_the_database_keeping_the_readings(sample_db, tmp_path):
    db = str(tmp_path / "repair.duckdb")
    shutil.copy(sample_db, db)
    con = duckdb.connect(db)
    release_id = con.execute("SELECT release_id FROM releases WHERE name = 'sample'").fetchone()[0]
    message_id, kind, position = con.execute(
        """SELECT message_id, kind, position FROM recipients WHERE email_clean = 'gfeldmoor@porthalden.example.gov'
           ORDER BY ALL LIMIT 1""").fetchone()
    con.execute("""UPDATE recipients SET email_raw = 'gfeldmoor@porthalden.example.qov',
                   name_raw = 'Feldrnoor, Grant (PHPD)' WHERE message_id = ? AND kind = ? AND position = ?""",
                [message_id, kind, position])
    for _ in range(2):  # a second run starts again from the readings and gives the same result
        counts = repair_release_headers(con, release_id)
        assert counts.fields >= 1
        row = con.execute("""SELECT name, email, email_clean, name_raw, email_raw, repaired FROM recipients
                             WHERE message_id = ? AND kind = ? AND position = ?""",
                          [message_id, kind, position]).fetchone()
        assert row == ("Feldmoor, Grant (PHPD)", "gfeldmoor@porthalden.example.gov",
                       "gfeldmoor@porthalden.example.gov", "Feldrnoor, Grant (PHPD)",
                       "gfeldmoor@porthalden.example.qov", True)
    assert con.execute("""SELECT corrected_to FROM address_book WHERE release_id = ? AND kind = 'address'
                          AND spelling = 'gfeldmoor@porthalden.example.qov'""",
                       [release_id]).fetchone() == ("gfeldmoor@porthalden.example.gov",)
    assert con.execute("SELECT count(*) FROM recipients WHERE repaired").fetchone()[0] == counts.fields - \
        con.execute("SELECT count(*) FROM messages WHERE repaired").fetchone()[0]
    con.close()
