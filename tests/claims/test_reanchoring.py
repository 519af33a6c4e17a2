"""Correcting a source's text re-anchors its quotes together, in one step, never guessing."""

import pytest

from claims import services
from claims.models import AnchorState, Quote
from sources.services import source_correct_text
from tests.factories import make_quote, make_source

pytestmark = pytest.mark.django_db

SAID = "马斯克说他给了4400万美元"
NOTED = "。董事会记录了这一承诺,并在当天的会议纪要中逐字写明了承诺的金额、日期与条件。"


def spans(*quotes):
    for quote in quotes:
        quote.refresh_from_db()
    return [(q.start, q.end, q.anchor_state) for q in quotes]


def test_a_duplicated_sentence_quoted_twice_can_be_corrected():
    text = f"甲。{SAID}。乙。{SAID}。丙。"
    first = make_quote(source := make_source(text), SAID, start=text.index(SAID))
    second = make_quote(source, SAID, start=text.rindex(SAID))
    # One of the two sentences is deleted: both quotes point at the one left. The second's
    # context still fits it, so it stays; the first is kept, to review; the correction saves.
    report = source_correct_text(source=source, text=f"甲。乙。{SAID}。丙。")
    assert report.review == [first.pk] and report.moved == [second.pk]
    assert [state for *_, state in spans(first, second)] == [
        AnchorState.REVIEW,
        AnchorState.ANCHORED,
    ]
    source.refresh_from_db()
    assert source.text == f"甲。乙。{SAID}。丙。"


LEAD_A = "据二〇一五年十二月的会议纪要,在创始晚宴上,甲对在座的人说:"
LEAD_B = "据二〇一八年二月的会议纪要,在离开董事会时,乙对在座的人说:"
TAIL_A = "。董事会当场记录了这一承诺,并写进了当年的年度报告。\n"
TAIL_B = "。董事会事后核对了这一数字,并写进了次年的财务报表。\n"


def test_two_quotes_of_one_sentence_trade_places_in_one_step():
    assert len(LEAD_A) == len(LEAD_B) and len(TAIL_A) == len(TAIL_B)
    text = f"{LEAD_A}{SAID}{TAIL_A}{LEAD_B}{SAID}{TAIL_B}"
    at_first, at_second = text.index(SAID), text.rindex(SAID)
    first = make_quote(source := make_source(text), SAID, start=at_first)
    second = make_quote(source, SAID, start=at_second)
    # The two paragraphs change places, and so must the quotes' spans.
    swapped = f"{LEAD_B}{SAID}{TAIL_B}{LEAD_A}{SAID}{TAIL_A}"
    report = source_correct_text(source=source, text=swapped)
    assert report.moved == [first.pk, second.pk]
    end = len(SAID)
    assert spans(first, second) == [
        (at_second, at_second + end, AnchorState.ANCHORED),
        (at_first, at_first + end, AnchorState.ANCHORED),
    ]
    # Each moved once, to where it is now: one history row each, none for the step between.
    assert first.history.count() == second.history.count() == 2


def test_deleting_the_intro_never_moves_a_quote_onto_an_identical_later_sentence():
    intro = "编者按:本文更新后补充了公司背景。这一段随后被删去了。\n\n"
    tail = NOTED  # the same 32 characters and more after both
    story = f"{SAID}{tail}\n\n三年后离开董事会时:{SAID}{tail}"
    source = make_source(intro + story)
    quote = make_quote(source, SAID, start=len(intro))  # the 2015 sentence
    old = (quote.start, quote.end)
    report = source_correct_text(source=source, text=story)
    quote.refresh_from_db()
    assert report.review == [quote.pk] and not report.moved
    assert quote.anchor_state == AnchorState.REVIEW and (quote.start, quote.end) == old


@pytest.mark.parametrize("state", [AnchorState.REVIEW, AnchorState.ORPHANED])
def test_an_unplaced_quote_does_not_hold_its_old_span(state):
    source = make_source(f"甲。{SAID}。乙。")
    unplaced = make_quote(source, SAID)
    Quote.objects.filter(pk=unplaced.pk).update(anchor_state=state)
    # Its offsets are only where it was: the words there can be quoted again.
    again = make_quote(source, SAID)
    assert (again.start, again.end) == (unplaced.start, unplaced.end)


def test_a_quote_moving_onto_an_orphaned_quotes_old_span_is_saved():
    source = make_source("甲乙丙丁。马斯克说了一句话。奥特曼说了另一句话。")
    gone = make_quote(source, "马斯克说了一句话")
    moving = make_quote(source, "奥特曼说了另一句话")
    report = source_correct_text(source=source, text="甲乙丙丁。奥特曼说了另一句话。")
    assert report.orphaned == [gone.pk] and report.moved == [moving.pk]
    gone.refresh_from_db()
    moving.refresh_from_db()
    assert (gone.start, gone.end)[0] == moving.start  # the orphan's offsets as they were


def test_an_unplaced_quote_is_placed_again_when_its_text_returns():
    text = "甲乙丙丁。马斯克说了一句话。奥特曼说了另一句话。"
    source = make_source(text)
    quote = make_quote(source, "马斯克说了一句话")
    source_correct_text(source=source, text="甲乙丙丁。奥特曼说了另一句话。")
    report = source_correct_text(source=source, text=text)
    quote.refresh_from_db()
    assert report.kept == [quote.pk] and quote.anchor_state == AnchorState.ANCHORED


def test_correcting_keeps_quotes_that_did_not_change_untouched():
    source = make_source(f"甲。{SAID}{NOTED}")
    quote = make_quote(source, SAID)
    source_correct_text(source=source, text=f"甲。{SAID}{NOTED}补充一句。")
    assert quote.history.count() == 1
    services.quote_delete(quote=quote)  # still an ordinary quote


def test_a_quote_to_review_is_listed_on_its_source_page_but_not_highlighted(client):
    from tests.factories import make_claim
    from tests.web.conftest import publish

    intro = "编者按:本文更新后补充了公司背景。这一段随后被删去了。\n\n"
    story = f"{SAID}{NOTED}\n\n三年后离开董事会时:{SAID}{NOTED}"
    source = make_source(intro + story)
    quote = make_quote(source, SAID, start=len(intro))
    services.assertion_add(claim=publish(make_claim(slug="pledge")), quote=quote, stance="supports")
    source_correct_text(source=source, text=story)

    page = client.get(f"/en/sources/{source.pk}/").content.decode()
    assert "Its place in the corrected text is being checked" in page
    assert f'id="note-{quote.pk}"' in page and "<mark" not in page
