"""Values as readers see them, and passages cut from a source's text. No database."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from claims.web.passages import segments, surrounding_sentence
from domain.text import to_simplified, to_traditional
from domain.values import compact_number, describe, show_amount
from tests.constants import M


def day(*parts):
    return Decimal(date(*parts).toordinal())


def test_amounts_in_english_and_chinese():
    assert show_amount(44 * M, "USD", "en") == "$44M"
    assert show_amount(44 * M, "USD", "zh") == "4400万美元"
    assert show_amount(128 * M, "USD", "zh") == "1.28亿美元"
    assert compact_number(Decimal(13_000) * M, "en") == "13B"
    assert compact_number(Decimal(750), "zh") == "750"
    assert show_amount(Decimal(770), "people", "en") == "770 people"


def test_each_kind_of_value_reads_differently():
    assert describe(100 * M, 100 * M, "approximate", "USD", "en") == "≈ $100M"
    assert describe(None, 45 * M, "upper_bound", "USD", "en") == "≤ $45M"
    assert describe(13000 * M, None, "lower_bound", "USD", "en") == "≥ $13B"
    assert describe(50 * M, 100 * M, "range", "USD", "zh") == "5000万美元 – 1亿美元"


def test_dates_read_at_their_precision():
    assert describe(day(2018, 2, 1), day(2018, 2, 28), "range", "date", "en") == "2018-02"
    assert describe(day(2018, 1, 1), None, "lower_bound", "date", "en") == "≥ 2018"
    assert describe(None, day(2018, 12, 31), "upper_bound", "date", "en") == "≤ 2018"
    assert describe(day(2018, 2, 5), day(2018, 2, 5), "exact", "date", "en") == "2018-02-05"


def test_surrounding_sentence_in_chinese_and_english():
    text = "第一句。马斯克说他给了OpenAI 4400万美元,这是真的。最后一句"
    start = text.index("4400万美元")
    assert surrounding_sentence(text, start, start + 7) == (
        "马斯克说他给了OpenAI ",
        "4400万美元",
        ",这是真的。",
    )
    english = "He said so. Musk gave $44 million to it. Then more."
    start = english.index("$44")
    assert surrounding_sentence(english, start, start + 11) == (
        "Musk gave ",
        "$44 million",
        " to it.",
    )


def test_long_sentences_are_cut_with_an_ellipsis():
    text = "a" * 300
    before, quote, after = surrounding_sentence(text, 150, 160, limit=20)
    assert before == "…" + "a" * 20 and after == "a" * 20 + "…" and quote == "a" * 10


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 20)), max_size=6)


@given(text=st.text(alphabet="马斯克說给了亿萬美元。 ab", min_size=1, max_size=60), spans=spans)
def test_segments_cover_the_text_and_each_quote_exactly(text, spans):
    quotes = [
        (n, start, min(start + length, len(text)))
        for n, (start, length) in enumerate(spans)
        if start < len(text)
    ]
    pieces = segments(text, quotes)
    assert "".join(p.text for p in pieces) == text
    for quote_id, start, end in quotes:
        covered = "".join(p.text for p in pieces if quote_id in p.quote_ids)
        assert covered == text[start:end]
        assert sum(quote_id in p.starting for p in pieces) == 1


@given(
    text=st.text(alphabet="马斯克说给了亿万美元后来发现。", min_size=1, max_size=60), spans=spans
)
def test_converted_segments_keep_each_quote_on_its_words(text, spans):
    quotes = [
        (n, start, min(start + length, len(text)))
        for n, (start, length) in enumerate(spans)
        if start < len(text)
    ]
    pieces = segments(text, quotes, to_traditional)
    for quote_id, start, end in quotes:
        covered = "".join(p.text for p in pieces if quote_id in p.quote_ids)
        assert to_simplified(covered) == to_simplified(text[start:end])
