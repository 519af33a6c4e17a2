import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.anchoring import (
    CONTEXT_LENGTH,
    PositionMismatch,
    QuoteAmbiguous,
    QuoteNotFound,
    Selector,
    anchor,
    context_around,
    reanchor,
    reanchor_all,
)

TEXT = "马斯克说:我给了4400万。OpenAI说:不到4500万。马斯克说:我给了4400万。"


def test_unique_quote_anchors_with_context():
    found = anchor(TEXT, Selector("OpenAI说"))
    assert TEXT[found.start : found.end] == "OpenAI说"
    assert found.prefix == TEXT[: found.start]
    assert found.suffix == TEXT[found.end : found.end + CONTEXT_LENGTH]


def test_missing_quote_is_not_found():
    with pytest.raises(QuoteNotFound) as error:
        anchor(TEXT, Selector("一亿美元"))
    assert error.value.field == "exact"
    assert "does not occur" in error.value.message


def test_repeated_quote_is_ambiguous_with_count():
    with pytest.raises(QuoteAmbiguous) as error:
        anchor(TEXT, Selector("我给了4400万"))
    assert error.value.count == 2
    assert "2 times" in error.value.message


def test_context_settles_ambiguity():
    second = TEXT.rindex("我给了4400万")
    found = anchor(TEXT, Selector("我给了4400万", prefix="。马斯克说:"))
    assert found.start == second


def test_context_that_never_fits_names_the_prefix():
    with pytest.raises(QuoteNotFound) as error:
        anchor(TEXT, Selector("我给了4400万", prefix="Altman"))
    assert error.value.field == "prefix"
    assert "2 times" in error.value.message


def test_position_must_hold_the_quote():
    with pytest.raises(PositionMismatch) as error:
        anchor(TEXT, Selector("OpenAI说", start=0, end=8))
    assert error.value.field == "start"
    assert "马斯克说" in error.value.message


@pytest.mark.parametrize(
    ("start", "end", "field"), [(-1, 3, "start"), (0, 999, "end"), (5, 5, "end")]
)
def test_position_out_of_range(start, end, field):
    with pytest.raises(PositionMismatch) as error:
        anchor(TEXT, Selector(TEXT[0:3], start=start, end=end))
    assert error.value.field == field


def test_position_settles_ambiguity():
    second = TEXT.rindex("我给了4400万")
    found = anchor(TEXT, Selector("我给了4400万", start=second))
    assert (found.start, found.end) == (second, second + len("我给了4400万"))


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1)


@given(data=st.data(), text=texts)
def test_any_substring_anchors_back_given_its_context(data, text):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    exact = text[start:end]
    assume(exact.strip())
    # With the whole text before and after as context, exactly one place fits.
    found = anchor(text, Selector(exact, prefix=text[:start], suffix=text[end:]))
    assert (found.start, found.end) == (start, end)
    assert anchor(text, Selector(exact, start=start, end=end)).start == start


@given(
    before=st.text(alphabet="abcdefgh \n", max_size=80),
    quote=st.text(alphabet="马斯克奥特曼万亿", min_size=1, max_size=20),
    after=st.text(alphabet="abcdefgh \n", max_size=80),
    inserted=st.text(alphabet="xyz", min_size=1, max_size=30),
    where=st.sampled_from(["before", "after"]),
)
def test_edits_outside_a_quote_keep_it_anchored(before, quote, after, inserted, where):
    text = before + quote + after
    prefix, suffix = context_around(text, len(before), len(before) + len(quote))
    selector = Selector(quote, prefix, suffix, len(before), len(before) + len(quote))
    edited = inserted + text if where == "before" else text + inserted
    found = reanchor(edited, selector)
    assert found.outcome == ("moved" if where == "before" else "kept")
    assert edited[found.anchor.start : found.anchor.end] == quote
    assert found.anchor.start == len(before) + (len(inserted) if where == "before" else 0)


@given(
    before=st.text(alphabet="abcdefgh \n", max_size=80),
    quote=st.text(alphabet="马斯克奥特曼万亿", min_size=1, max_size=20),
    after=st.text(alphabet="abcdefgh \n", max_size=80),
)
def test_deleting_a_quotes_text_orphans_it(before, quote, after):
    start = len(before)
    selector = Selector(quote, before[-32:], after[:32], start, start + len(quote))
    found = reanchor(before + after, selector)
    assert found.outcome == "orphaned" and found.anchor is None


def test_small_correction_inside_a_quote_reanchors_fuzzily():
    text = "开头。马斯克在OpenAI初创时豪砸4400万好意思元,还为OpenAI奔走。结尾"
    exact = "马斯克在OpenAI初创时豪砸4400万好意思元"
    start = text.index(exact)
    corrected = text.replace("好意思元", "美元")
    found = reanchor(corrected, Selector(exact, start=start, end=start + len(exact)))
    assert found.outcome == "fuzzy"
    assert "4400万美元" in corrected[found.anchor.start : found.anchor.end]


# Re-anchoring after a correction: context on either side, and position, decide together.

INTRO = "Editor's note: this article was updated to add background on the company.\n\n"
PLEDGE = "Musk said he would give OpenAI one billion dollars."
# The same words in 2015 (right after the intro) and in 2018, followed by the same 32
# characters and more.
STORY = (
    f"{PLEDGE} The board took note of the pledge in 2015.\n\n"
    f"Three years later, on leaving the board: {PLEDGE} The board took note of the pledge.\n\n"
)


def selector_at(text: str, start: int, exact: str) -> Selector:
    prefix, suffix = context_around(text, start, start + len(exact))
    return Selector(exact, prefix, suffix, start, start + len(exact))


def test_deleting_the_intro_keeps_a_quote_on_its_own_sentence_when_one_side_tells():
    text = INTRO + STORY.replace(" The board took note", " The board noted it", 1)
    quoted = selector_at(text, text.index(PLEDGE), PLEDGE)  # the 2015 sentence
    corrected = text.removeprefix(INTRO)
    found = reanchor(corrected, quoted)
    # The prefix went with the intro; the suffix still fits the 2015 sentence alone.
    assert found.outcome == "moved"
    assert found.anchor.start == corrected.index(PLEDGE)


def test_deleting_the_intro_makes_an_identical_later_sentence_a_case_for_review():
    text = INTRO + STORY
    quoted = selector_at(text, text.index(PLEDGE), PLEDGE)  # the 2015 sentence
    corrected = text.removeprefix(INTRO)
    # The prefix went with the intro, the suffix is the same after both, and the old position
    # is neither: the quote is never silently put on the 2018 sentence.
    found = reanchor(corrected, quoted)
    assert found.outcome == "review" and found.anchor is None
    assert "2 places" in found.reason


def test_prefix_alone_settles_which_duplicate_after_the_suffix_changed():
    text = STORY
    second = text.rindex(PLEDGE)
    quoted = selector_at(text, second, PLEDGE)
    corrected = "Background.\n\n" + text.replace(" The board took", " The board, it said, took")
    found = reanchor(corrected, quoted)
    assert found.outcome == "moved" and found.anchor.start == corrected.rindex(PLEDGE)


def test_same_place_and_context_keeps_a_duplicated_quote():
    text = STORY
    first = text.index(PLEDGE)
    found = reanchor(text + "Appendix.", selector_at(text, first, PLEDGE))
    assert found.outcome == "kept" and found.anchor.start == first


def test_a_unique_occurrence_whose_context_both_changed_is_placed_but_to_be_checked():
    text = "甲。马斯克说他给了4400万美元。乙。"
    quoted = selector_at(text, text.index("马斯克"), "马斯克说他给了4400万美元")
    found = reanchor("新的开头。马斯克说他给了4400万美元。丙。", quoted)
    assert found.outcome == "fuzzy" and found.anchor.exact == quoted.exact


def test_several_occurrences_with_no_context_left_need_review():
    text = "甲。马斯克说他给了4400万美元。乙。马斯克说他给了4400万美元。丙。"
    quoted = selector_at(text, text.index("马斯克"), "马斯克说他给了4400万美元")
    corrected = "新。马斯克说他给了4400万美元。新。马斯克说他给了4400万美元。新。"
    assert reanchor(corrected, quoted).outcome == "review"


def test_a_fuzzy_match_found_twice_needs_review():
    exact = "马斯克在OpenAI初创时豪砸4400万好意思元"
    text = f"开头。{exact},还为OpenAI奔走。结尾"
    quoted = selector_at(text, text.index(exact), exact)
    fixed = "马斯克在OpenAI初创时豪砸4400万美元"
    corrected = f"开头。{fixed},还为OpenAI奔走。中间。{fixed},还为OpenAI奔走。结尾"
    assert reanchor(corrected, quoted).outcome == "review"


def test_two_quotes_of_a_duplicated_sentence_swap_places():
    a = "In 2015: "
    b = "In 2018: "
    text = f"{a}{PLEDGE} Reported in March.\n\n{b}{PLEDGE} Reported in April.\n\n"
    first, second = text.index(PLEDGE), text.rindex(PLEDGE)
    selectors = {1: selector_at(text, first, PLEDGE), 2: selector_at(text, second, PLEDGE)}
    paragraphs = text.split("\n\n")
    swapped = "\n\n".join([paragraphs[1], paragraphs[0], ""])
    found = reanchor_all(swapped, selectors)
    assert len(a) == len(b)  # so the two spans trade places exactly
    assert (found[1].anchor.start, found[2].anchor.start) == (second, first)
    assert found[1].outcome == found[2].outcome == "moved"


def test_two_quotes_landing_on_one_span_keep_the_better_founded_one():
    text = f"A. {PLEDGE} B. {PLEDGE} C."
    first, second = text.index(PLEDGE), text.rindex(PLEDGE)
    selectors = {1: selector_at(text, first, PLEDGE), 2: selector_at(text, second, PLEDGE)}
    # The first sentence is deleted; both quotes' evidence points at the one left.
    corrected = f"A. B. {PLEDGE} C."
    found = reanchor_all(corrected, selectors)
    assert found[2].outcome == "moved" and found[2].anchor.start == corrected.index(PLEDGE)
    assert found[1].outcome == "review" and found[1].anchor is None


def test_placed_quotes_never_share_a_span():
    text = f"x {PLEDGE} x {PLEDGE} x"
    selectors = {1: Selector(PLEDGE, start=2), 2: Selector(PLEDGE, start=2)}
    found = reanchor_all(text, selectors)
    spans = [(r.anchor.start, r.anchor.end) for r in found.values() if r.anchor]
    assert len(spans) == len(set(spans))


@given(
    paragraphs=st.lists(
        st.sampled_from(["甲乙丙。", PLEDGE, "Another line.", "马斯克说。", "\n"]),
        min_size=1,
        max_size=12,
    ),
    cut=st.data(),
)
def test_reanchoring_never_moves_a_quote_onto_other_words(paragraphs, cut):
    """Whatever the correction, a placed quote covers text equal to (or, fuzzily, close to)
    its words, and no two placed quotes share a span."""
    text = " ".join(paragraphs)
    starts = [s for s in range(len(text)) if text.startswith(PLEDGE, s)]
    selectors = {n: selector_at(text, s, PLEDGE) for n, s in enumerate(starts)}
    i = cut.draw(st.integers(0, len(text)))
    j = cut.draw(st.integers(i, len(text)))
    corrected = text[:i] + cut.draw(st.sampled_from(["", "新", PLEDGE])) + text[j:]
    found = reanchor_all(corrected, selectors)
    spans = []
    for result in found.values():
        if result.outcome in ("kept", "moved"):
            assert corrected[result.anchor.start : result.anchor.end] == PLEDGE
        if result.anchor is not None:
            spans.append((result.anchor.start, result.anchor.end))
    assert len(spans) == len(set(spans))
