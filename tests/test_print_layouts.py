"""Header layouts besides Outlook's memo print, and header values wrapped over several lines.

Small cases cut from the layout test set (eval/layout_set/: the real DC .eml messages of ../shared/corpus printed
as six mail clients lay them out), and hand-placed lines for the wrap decisions the set may not happen to hold.
"""

import os

import pytest

from eval.layout_eval import score_message, scored_form
from eval.layout_set.build import DC_EML, build
from extractors.email.headers import split_people
from extractors.email.split import PageInput, split_messages
from models.records import Word
from tests.conftest import needs_corpus
from tests.test_email_split import layer_pages

CHAR, HEIGHT, PITCH = 5.0, 10.0, 12.0  # a character's width, a line's height and the line pitch, in points


def page(rows: list[tuple[float, float, str]], number: int = 1) -> PageInput:
    """A page of lines placed by hand: (x, y, text), each word CHAR points a character, one space apart."""
    words = []
    for line_number, (x, y, text) in enumerate(rows):
        for token in text.split():
            words.append(Word(token, x, y, x + CHAR * len(token), y + HEIGHT, line_number))
            x += CHAR * (len(token) + 1)
    return PageInput(number, 792.0, words)


def stacked(x: float, top: float, texts: list[str | None]) -> list[tuple[float, float, str]]:
    """Lines one pitch apart from `top`; None leaves a blank line."""
    rows = []
    for index, text in enumerate(texts):
        if text is not None:
            rows.append((x, top + index * PITCH, text))
    return rows


# -- wrapped values ------------------------------------------------------------------------------------

WIDTH_LINE = "x" * 95  # a body line reaching the right margin (the page's text edge at 72 + 95 * 5 pt)


def test_a_list_wrapped_to_the_margin_goes_on_and_a_name_cut_at_the_wrap_stays_whole():
    to = "To: Mango, Paul; Mcgowan, Robert; Lane, Cliff (NIH/NIAID) [E]; Marston, Hilary (NIH/NIAID); Tabak, Lawrence"
    assert 72 + CHAR * len(to) > 72 + CHAR * (len(WIDTH_LINE) - 6)  # the line is full: the next word had no room
    rows = stacked(72, 100, ["From: Fauci, Anthony (NIH/NIAID) [E]", "Sent: Monday, March 2, 2020 9:14 AM",
                             to, "(NIH/NIAID) [E]; Collins, Francis (NIH/OD) [E]", "Subject: Call", None,
                             "Thanks all.", WIDTH_LINE])
    message, = split_messages([page(rows)])
    names = [person.name for person in message.recipients["to"]]
    assert names == ["Mango, Paul", "Mcgowan, Robert", "Lane, Cliff (NIH/NIAID) [E]", "Marston, Hilary (NIH/NIAID)",
                     "Tabak, Lawrence (NIH/NIAID) [E]", "Collins, Francis (NIH/OD) [E]"]
    assert message.subject == "Call" and message.body.startswith("Thanks all.")


def test_an_outlook_web_list_wrapped_to_its_value_column_goes_on():
    # OWA's value column is a short label's width in ("Cc: " is 20 pt), and the line before was not full
    rows = [(72, 40, "RE: possible to delay mtg a day or so?"), (72, 70, '"Grimaldi, John J. (BEGA)" <jg@dc.gov>'),
            (72, 82, "Tue 9/26/2017 8:38 AM"), (72, 94, "To: Anthony, Lavita (EOM);"),
            (72, 106, "Cc: Collier, Tameka (BEGA); Cavendish, Betsy (EOM); Seshasai, Karuna"), (92, 118, "(EOM);"),
            (72, 142, "Thanks, LaVita, but neither today nor tomorrow work on our end."), (72, 154, WIDTH_LINE)]
    message, = split_messages([page(rows)])
    assert message.layout == "outlook_web"
    assert [p.name for p in message.recipients["cc"]] == [
        "Collier, Tameka (BEGA)", "Cavendish, Betsy (EOM)", "Seshasai, Karuna (EOM)"]
    assert message.body.startswith("Thanks, LaVita")


def test_a_subject_too_long_for_its_line_continues_at_the_margin():
    subject = "Subject: RE: Guidance for the clinical management and the care of Hospitalized Patients w/"
    rows = stacked(72, 100, ["From: Lane, Cliff (NIH/NIAID) [E]", "Sent: Monday, March 2, 2020 9:14 AM",
                             "To: Fauci, Anthony (NIH/NIAID) [E]", subject + " x" * 0, "COVID-19", None,
                             "Tony, see the draft.", WIDTH_LINE])
    assert 72 + CHAR * len(subject) >= 72 + CHAR * len(WIDTH_LINE) - CHAR * 9
    message, = split_messages([page(rows)])
    assert message.subject.endswith("Patients w/ COVID-19")
    assert message.body.startswith("Tony, see the draft.")


@pytest.mark.parametrize("blank_line", [True, False])
def test_a_short_subject_does_not_take_the_body_first_line(blank_line):
    texts = ["From: Lane, Cliff (NIH/NIAID) [E]", "Sent: Monday, March 2, 2020 9:14 AM",
             "To: Fauci, Anthony (NIH/NIAID) [E]", "Subject: Draft guidance"] + ([None] if blank_line else []) + \
        ["Tony, here is the draft we discussed on the call with the hospital group this morning.", WIDTH_LINE]
    message, = split_messages([page(stacked(72, 100, texts))])
    assert message.subject == "Draft guidance"
    assert message.body.startswith("Tony, here is the draft")


def test_a_full_subject_line_does_not_take_the_body_after_a_blank_line():
    subject = "Subject: " + "word " * 17 + "last"
    texts = ["From: Lane, Cliff", "Sent: Monday, March 2, 2020 9:14 AM", "To: Fauci, Anthony", subject, None,
             "Body starts here.", WIDTH_LINE]
    message, = split_messages([page(stacked(72, 100, texts))])
    assert message.subject.endswith("last") and message.body.startswith("Body starts here.")


def test_lists_split_on_the_separators_the_client_printed():
    gmail = split_people('"Collier, Tameka (BEGA)" <tameka.collier@dc.gov>, (b) (6), "Johnson, Dare" <(b)(6)>, '
                         'kmitchell@DCCOUNCIL.US')
    assert [(p.name, p.email, p.redacted) for p in gmail] == [
        ("Collier, Tameka (BEGA)", "tameka.collier@dc.gov", False), (None, None, True),
        ("Johnson, Dare", None, True), (None, "kmitchell@DCCOUNCIL.US", False)]
    # Outlook's commas belong to names; a list with no quotes or addresses is one name, not two
    assert [p.name for p in split_people("Mills, Cheryl D; Abedin, Huma")] == ["Mills, Cheryl D", "Abedin, Huma"]
    assert [p.name for p in split_people("Mills, Cheryl D")] == ["Mills, Cheryl D"]
    spaced = split_people('"Collier, Tameka" <tameka. collier @dc. gov>')  # OCR's spaces inside the brackets
    assert spaced[0].email == "tameka.collier@dc.gov"


def test_ocr_damage_to_separators_and_at_signs():
    # a ';' of an Outlook list read as ':' separates; so it does not in a list without ';'
    assert [p.name for p in split_people("Wade, Shomari Brock: Barton, Johnnie (BEGA); Grimaldi, John")] == \
        ["Wade, Shomari Brock", "Barton, Johnnie (BEGA)", "Grimaldi, John"]
    assert [p.name for p in split_people("Note: Barton, Johnnie")] == ["Note: Barton, Johnnie"]
    efros, = split_people("Efros, Ellen (Council) <eefros ®DCCOUNCIL.US>")  # '@' read as '®'
    assert (efros.name, efros.email) == ("Efros, Ellen (Council)", "eefros@DCCOUNCIL.US")
    assert split_people("Grimaldi © Co")[0].email is None  # no domain after it: no address


def test_a_bracketed_address_wrapped_to_the_margin_belongs_to_the_last_name():
    rows = stacked(72, 100, ['From: "Mitchell, Katherine (Council)" <kmitchell@DCCOUNCIL.US>',
                             "Date: Mon, Jul 31, 2017 at 5:49 PM", "Subject: RE: Proposed Legislation",
                             'To: "Grimaldi, John J. (BEGA)" <John.Grimaldi@dc.gov>',
                             'Cc: "Collier, Tameka (BEGA)" <tameka.collier@dc.gov>, "Flowers, Brian (BEGA)"',
                             '<Brian.Flowers@dc.gov>, "Weil, Sonia (Council)" <sweil@DCCOUNCIL.US>', None,
                             "Hi Jack,", WIDTH_LINE])
    message, = split_messages([page(rows)])
    assert [(p.name, p.email) for p in message.recipients["cc"]] == [
        ("Collier, Tameka (BEGA)", "tameka.collier@dc.gov"), ("Flowers, Brian (BEGA)", "Brian.Flowers@dc.gov"),
        ("Weil, Sonia (Council)", "sweil@DCCOUNCIL.US")]
    assert message.body.startswith("Hi Jack,")


def test_a_token_too_long_for_a_line_is_joined_where_the_client_broke_it():
    address = "IMCEAEX-_o=ExchangeLabs_ou=Exchange+20Administrative+20Group_cn=Recipients_cn=0a76-Darrin@outlook.com"
    cut = len(WIDTH_LINE) - len("Cc: wade@dc.gov, ")
    rows = stacked(72, 100, ["From: Grimaldi, John", "Sent: Monday, March 2, 2020 9:14 AM", "To: Fauci, Anthony",
                             "Cc: wade@dc.gov, " + address[:cut], address[cut:], "Subject: Call", None,
                             "Thanks all.", WIDTH_LINE])
    message, = split_messages([page(rows)])
    assert [p.email for p in message.recipients["cc"]] == ["wade@dc.gov", address]


# -- other clients, placed by hand -------------------------------------------------------------------------

def test_gmail_conversation_print():
    rows = [(72, 40, "Gmail"), (380, 40, "Flowers, Brian <brian@dc.gov>"),
            (72, 70, "Re: Letter to E. Adams re OOG"), (72, 84, "2 messages"),
            (72, 110, '"Collier, Tameka (BEGA)" <tameka.collier@dc.gov>'), (420, 110, "Mon, Nov 13, 2017 at 5:00 PM"),
            (72, 122, 'To: "Cavendish, Betsy (EOM)" <betsy.cavendish@dc.gov>'),
            (72, 134, 'Cc: "Grimaldi, John J. (BEGA)" <John.Grimaldi@dc.gov>, (b) (6)'),
            (72, 158, "I agree with your assessment."),
            (72, 190, '"Cavendish, Betsy (EOM)" <betsy.cavendish@dc.gov>'), (420, 190, "Mon, Nov 13, 2017 at 5:57 PM"),
            (72, 202, 'To: "Collier, Tameka (BEGA)" <tameka.collier@dc.gov>'),
            (72, 226, "Sounds good.")]
    first, second = split_messages([page(rows)])
    assert (first.layout, first.sender.name, first.sent.value.hour, first.subject) == \
        ("gmail", "Collier, Tameka (BEGA)", 17, "Re: Letter to E. Adams re OOG")
    assert [(p.name, p.redacted) for p in first.recipients["cc"]] == [("Grimaldi, John J. (BEGA)", False), (None, True)]
    assert second.subject == first.subject and second.sender.email == "betsy.cavendish@dc.gov"
    assert second.depth == 0  # a conversation's messages follow one another; none is quoted in another
    assert first.body == "I agree with your assessment." and second.body == "Sounds good."


def test_lotus_notes_memo_with_tab_aligned_columns():
    value_x = 342
    rows = [(72, 50, "Grimaldi, John J. (BEGA)"), (324, 50, "To"), (value_x, 50, "djohnson@DCCOUNCIL.US"),
            (72, 62, "Sent by: John.Grimaldi@dc.gov"), (324, 62, "cc"), (value_x, 62, "tameka.collier@dc.gov,"),
            (72, 74, "08/03/2017 01:03 PM"), (value_x, 74, "Brian.Flowers@dc.gov"),
            (315, 86, "bcc"),
            (297, 98, "Subject"), (value_x, 98, "RE: Proposed Legislation - Re: Letter to E."),
            (value_x, 110, "Adams re OOG"),
            (72, 134, "Thanks, Dare. Let us go for 8/23, from 10 am to 11 am.")]
    message, = split_messages([page(rows)])
    assert message.layout == "lotus_notes"
    assert message.sender.name == "Grimaldi, John J. (BEGA)"
    assert message.sent.value.isoformat() == "2017-08-03T13:03:00"
    assert [p.email for p in message.recipients["cc"]] == ["tameka.collier@dc.gov", "Brian.Flowers@dc.gov"]
    assert message.subject == "RE: Proposed Legislation - Re: Letter to E. Adams re OOG"
    assert message.body.startswith("Thanks, Dare.")


def test_a_lotus_memo_whose_date_ocr_damaged_is_still_a_message():
    rows = [(72, 50, "Grimaldi, John J. (BEGA)"), (324, 50, "To"), (342, 50, "tameka.collier@dc.gov"),
            (72, 62, "Sent by: John.Grimaldi@dc.gov"), (324, 62, "cc"),
            (72, 74, "42/29/2017 03:22 PM"), (315, 74, "bcc"),
            (297, 86, "Subject"), (342, 86, "FW: DRAFT MEETING AGENDA"),
            (72, 110, "FYI, the agenda for the meeting on Thursday.")]
    message, = split_messages([page(rows)])
    assert message.layout == "lotus_notes" and message.sender.name == "Grimaldi, John J. (BEGA)"
    assert message.sent.value is None and message.sent.flag == "unparsed"
    assert message.subject == "FW: DRAFT MEETING AGENDA"


def test_a_lotus_label_ocr_misread_is_known_by_its_place():
    # 'cc' read as 'rere:': the one word of the label column, flush with the labels' right edge (334 pt)
    rows = [(72, 50, "Porcello, Michael (Council)"), (324, 50, "To"), (342, 50, "John.Grimaldi@dc.gov"),
            (72, 62, "Sent by: mporcello@DCCOUNCIL.US"), (309, 62, "rere:"), (342, 62, "tameka.collier@dc.gov,"),
            (72, 74, "09/18/2017 05:30 PM"), (342, 74, "Brian.Flowers@dc.gov"), (319, 86, "bcc"),
            (299, 98, "Subject"), (342, 98, "RE: District Lobbying Disclosures Bill Draft"),
            (72, 122, "Hi John, sorry for the delay in responding.")]
    message, = split_messages([page(rows)])
    assert [p.email for p in message.recipients["to"]] == ["John.Grimaldi@dc.gov"]
    assert [p.email for p in message.recipients["cc"]] == ["tameka.collier@dc.gov", "Brian.Flowers@dc.gov"]
    assert message.subject == "RE: District Lobbying Disclosures Bill Draft"


def test_a_lotus_label_read_lower_than_its_row_stays_on_it():
    # word boxes as Tesseract gave them on a scanned Lotus memo (lotus_notes-09, seed 11): the short 'cc' has
    # no ascenders, so its box sits 2 pt below the date at its left and the values at its right
    boxes = [("Hutcheson,", 72.2, 53.8, 120.2, 61.7, 0), ("Norma", 123.8, 53.8, 151.2, 60.5, 0),
             ("To", 322.1, 52.8, 333.4, 60.2, 1), ("John.Grimaldi@dc.gov,", 342.0, 52.6, 445.0, 62.4, 2),
             ("(b)(7)(C)", 449.3, 52.6, 486.2, 62.2, 2),
             ("02/13/2018", 72.0, 66.0, 115.9, 73.0, 3), ("07:33", 119.0, 66.2, 141.4, 72.7, 3),
             ("PM", 144.7, 66.0, 157.2, 72.5, 3), ("cc", 324.0, 67.0, 333.6, 72.5, 4),
             ("shomari.wade", 342.0, 65.0, 403.4, 72.5, 5), ("@dc.gov,", 405.4, 64.8, 445.7, 74.6, 5),
             ("IMCEAEX-_o=Exch", 449.8, 64.8, 536.2, 73.7, 5),
             ("angeLabs_ou=Exchange+20Administrative+20Group@outlook.com", 342.0, 77.5, 538.1, 87.1, 6),
             ("bcc", 319.0, 90.2, 333.6, 97.1, 7), ("Subject", 301.0, 102.7, 333.6, 110.0, 8),
             ("Re:", 342.0, 102.7, 356.0, 110.0, 9), ("OOG", 358.0, 102.7, 382.8, 110.0, 9),
             ("The", 72.0, 125.3, 90.0, 133.0, 10), ("letter", 92.0, 125.3, 118.0, 133.0, 10),
             ("looks", 120.0, 125.3, 144.0, 133.0, 10), ("fine.", 146.0, 125.3, 170.0, 133.0, 10),
             ("x" * 90, 72.0, 140.0, 538.0, 148.0, 11)]
    words = [Word(text, x0, y0, x1, y1, line) for text, x0, y0, x1, y1, line in boxes]
    message, = split_messages([PageInput(1, 792.0, words)])
    assert message.layout == "lotus_notes" and message.sent.value.isoformat() == "2018-02-13T19:33:00"
    assert [p.email for p in message.recipients["to"]] == ["John.Grimaldi@dc.gov", None]
    assert [p.email for p in message.recipients["cc"]] == [
        "shomari.wade@dc.gov", "IMCEAEX-_o=ExchangeLabs_ou=Exchange+20Administrative+20Group@outlook.com"]
    assert message.subject == "Re: OOG" and message.body.startswith("The letter looks fine.")


def tilted_page(rows: list[tuple[float, float, str, int]], slope: float) -> PageInput:
    """Lines as Tesseract reads a scan tilted by `slope` (points down per point right): (x, y, text, line id)."""
    words = []
    for x, y, text, line in rows:
        for token in text.split():
            top = y + slope * (x - 72)
            words.append(Word(token, x, top, x + CHAR * len(token), top + HEIGHT, line))
            x += CHAR * (len(token) + 1)
    return PageInput(1, 792.0, words)


def test_a_gmail_sender_line_on_a_tilted_scan_keeps_its_date_and_a_wrapped_address_goes_on():
    # the date at the right stands 6 pt lower than the sender at the left: Tesseract makes two lines of them
    slope = 0.02
    rows = [(72, 40, "Gmail", 0), (72, 70, "RE: possible to delay mtg a day or so", 1), (72, 84, "2 messages", 2),
            (72, 104, '"Grimaldi, John J. (BEGA)" <John.Grimaldi@dc.gov>', 3),
            (400, 104, "Thu, Sep 21, 2017 at 3:39 PM", 4),
            (72, 117, 'To: "Collier, Tameka (BEGA)" <tameka.collier@dc.gov>', 5),
            (72, 130, 'Cc: "Flowers, Brian (BEGA)" <Brian.Flowers@dc.gov>, "Cavendish, Betsy"', 6),
            (72, 143, '<betsy.cavendish@dc.gov>, "Seshasai, Karuna (EOM)" <karuna.seshasai@dc.gov>', 7),
            (72, 165, "Next Monday at 11:00 works for the meeting, and the week after would work too.", 8),
            (72, 178, "Thanks and see you then, and let me know if the room is not free that morning.", 9),
            (72, 191, "x" * 90, 10)]
    message, = split_messages([tilted_page(rows, slope)])
    assert message.layout == "gmail" and message.sent.value.isoformat() == "2017-09-21T15:39:00"
    assert [p.name for p in message.recipients["cc"]] == [
        "Flowers, Brian (BEGA)", "Cavendish, Betsy", "Seshasai, Karuna (EOM)"]
    assert message.recipients["cc"][1].email == "betsy.cavendish@dc.gov"
    assert message.body.startswith("Next Monday")


def test_apple_mail_order_and_a_forwarded_block_with_date():
    rows = [(97, 50, 'From: "Flowers, Brian (BEGA)" <Brian.Flowers@dc.gov>'),
            (85, 62, "Subject: RE: BEGA Oversight Hearing"),
            (100, 74, "Date: February 7, 2018 at 5:05:00 PM EST"),
            (108, 86, 'To: "Grimaldi, John J. (BEGA)" <John.Grimaldi@dc.gov>'),
            (72, 110, "I was just informed."),
            (72, 140, "---------- Forwarded message ---------"),
            (72, 158, 'From: "Grimaldi, John J. (BEGA)" <John.Grimaldi@dc.gov>'),
            (72, 170, "Date: Wed, Feb 7, 2018 at 11:31 AM"),
            (72, 182, "Subject: Fw: BEGA Oversight Hearing"),
            (72, 194, 'To: "Weil, Sonia (Council)" <sweil@DCCOUNCIL.US>, "Marks, Laura" <lmarks@DCCOUNCIL.US>'),
            (72, 218, "Thanks, Sonia.")]
    apple, forwarded = split_messages([page(rows)])
    assert (apple.subject, apple.sent.value.hour, apple.recipients["to"][0].name) == \
        ("RE: BEGA Oversight Hearing", 17, "Grimaldi, John J. (BEGA)")
    assert forwarded.sent.value.isoformat() == "2018-02-07T11:31:00" and forwarded.depth == 1
    assert [p.name for p in forwarded.recipients["to"]] == ["Weil, Sonia (Council)", "Marks, Laura"]


# -- cut from the layout set (real messages) ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def layout_cases(tmp_path_factory):
    if not os.path.isdir(DC_EML):
        pytest.skip(f"the DC .eml messages are not at {DC_EML}: the layout set cannot be built")
    folder = str(tmp_path_factory.mktemp("layouts"))
    labels = build(folder, seed=11, per_layout=3, scan_share=0.0)
    return folder, labels


@needs_corpus(DC_EML)
@pytest.mark.parametrize("layout", ["outlook", "outlook_web", "gmail", "apple_mail", "lotus_notes", "forwarded"])
def test_every_printed_message_of_each_layout_reads_whole(layout_cases, layout):
    folder, labels = layout_cases
    files = [f for f in labels["files"] if f["layout"] == layout]
    assert files
    for file in files:
        messages = split_messages(layer_pages(os.path.join(folder, file["file_name"])))
        assert len(messages) == len(file["messages"]), file["file_name"]
        for message, want in zip(messages, file["messages"]):
            wrong = [field for field, right in score_message(scored_form(message), want, False).items() if not right]
            assert not wrong, (file["file_name"], message.ordinal, wrong)
