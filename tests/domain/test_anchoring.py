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
    assert found is not None
    assert edited[found.start : found.end] == quote
    assert found.start == len(before) + (len(inserted) if where == "before" else 0)


@given(
    before=st.text(alphabet="abcdefgh \n", max_size=80),
    quote=st.text(alphabet="马斯克奥特曼万亿", min_size=1, max_size=20),
    after=st.text(alphabet="abcdefgh \n", max_size=80),
)
def test_deleting_a_quotes_text_orphans_it(before, quote, after):
    start = len(before)
    selector = Selector(quote, before[-32:], after[:32], start, start + len(quote))
    assert reanchor(before + after, selector) is None


def test_small_correction_inside_a_quote_reanchors_fuzzily():
    text = "开头。马斯克在OpenAI初创时豪砸4400万好意思元,还为OpenAI奔走。结尾"
    exact = "马斯克在OpenAI初创时豪砸4400万好意思元"
    start = text.index(exact)
    corrected = text.replace("好意思元", "美元")
    found = reanchor(corrected, Selector(exact, start=start, end=start + len(exact)))
    assert found is not None and found.method == "fuzzy"
    assert "4400万美元" in corrected[found.start : found.end]
