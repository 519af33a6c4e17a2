import random

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from domain.text import (
    LONG_TEXT,
    NEAR_DUPLICATE,
    Comparable,
    TextError,
    comparable_text,
    detect_language,
    fold_for_search,
    near_duplicate_likeness,
    normalize_text,
    similarity,
)
from seeds.loader import SEEDS_DIR


def test_line_endings_and_composition_are_normalised():
    assert normalize_text("a\r\nb\rc") == "a\nb\nc"
    assert normalize_text("e\u0301") == "\u00e9"


def test_nul_is_refused_with_its_offset():
    with pytest.raises(TextError, match="NUL character at offset 3"):
        normalize_text("abc\x00")


def test_search_folding_joins_scripts_width_and_case():
    assert fold_for_search("馬斯克") == fold_for_search("马斯克")
    assert fold_for_search("ＯｐｅｎＡＩ") == fold_for_search("openai")


# Comparing texts and reading their language

SEEDS = yaml.safe_load((SEEDS_DIR / "sources.yaml").read_text())


@pytest.mark.parametrize("meta", SEEDS, ids=[meta["key"] for meta in SEEDS])
def test_each_seed_articles_language_is_read_from_its_text(meta):
    assert detect_language((SEEDS_DIR / "articles" / meta["file"]).read_text()) == meta["language"]


def test_a_language_is_read_from_a_few_words():
    assert detect_language("马斯克给了OpenAI 4400万美元") == "zh-Hans"
    assert detect_language("馬斯克給了OpenAI 4400萬美元") == "zh-Hant"
    assert detect_language("Musk gave OpenAI $44 million, says 马斯克.") == "en"
    assert detect_language("") == "en"


@given(
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.lists(st.sampled_from(" \n\t“”\"'‘’，,。.、!?「」"), max_size=8),
    st.randoms(use_true_random=False),
)
def test_quotes_punctuation_and_spacing_do_not_change_a_comparable_text(text, marks, rng):
    chars = list(text)
    for mark in marks:
        chars.insert(rng.randint(0, len(chars)), mark)
    assert comparable_text("".join(chars)) == comparable_text(text)


def test_similar_texts_are_alike_and_others_are_not():
    text = "马斯克说他给了OpenAI大约1亿美元。OpenAI则表示,他的捐款不到4500万美元。"
    assert similarity(text, text.replace(",", "，").replace("。", "。\n")) == 1.0
    assert similarity(text, text.replace("大约", "约")) >= NEAR_DUPLICATE
    assert similarity(text, "微软向OpenAI投资了130亿美元。") < NEAR_DUPLICATE


def long_article(seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(
        f"第{n}段:法院在{rng.randint(2000, 2024)}年认定赔偿{rng.randint(1, 9999)}万元。"
        for n in range(3000)
    )


def test_long_copies_differing_in_punctuation_or_a_sentence_are_near_duplicates():
    original = long_article(1)
    assert len(Comparable(original).text) > LONG_TEXT
    respaced = original.replace("。", ". ").replace(":", ":")
    edited = original.replace("第7段:", "第7段:据称,", 1)
    for copy in (respaced, edited):
        assert near_duplicate_likeness(Comparable(original), Comparable(copy)) >= NEAR_DUPLICATE


def test_long_texts_of_other_figures_are_not_near_duplicates():
    assert near_duplicate_likeness(Comparable(long_article(1)), Comparable(long_article(2))) == 0


def test_short_texts_are_compared_by_their_edit_ratio():
    first, second = "马斯克捐了4400万美元。", "马斯克捐了4500万美元。"
    expected = similarity(first, second)
    assert expected >= NEAR_DUPLICATE
    assert near_duplicate_likeness(Comparable(first), Comparable(second)) == expected
    assert near_duplicate_likeness(Comparable(first), Comparable("天气很好。")) == 0
