from datetime import date

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from claims.models import Claim, Quote
from claims.search import (
    bigram_exact,
    bigrams,
    claim_search_text,
    highlight,
    parse_query,
    query_terms,
    search_claims,
    search_quotes,
    search_sources,
)
from sources.models import Source
from tests.factories import make_claim, make_entity, make_quote, make_source

pytestmark = pytest.mark.django_db

ALTMAN_ALIASES = ["奥特曼", "奧特曼", "奥尔特曼", "阿尔特曼", "Sam Altman"]


@pytest.fixture
def altman():
    return make_entity(
        slug="sam-altman", name="Sam Altman", name_zh="奥特曼", aliases=ALTMAN_ALIASES
    )


def slugs(queryset):
    return [claim.slug for claim in queryset]


def test_simplified_query_finds_traditional_statement_and_back():
    traditional = make_claim(slug="trad", statement_en="Funding", statement_zh="馬斯克給了多少錢?")
    simplified = make_claim(slug="simp", statement_en="Exit", statement_zh="马斯克何时离开?")
    make_claim(slug="other", statement_en="Other", statement_zh="微软控制了吗?")
    assert set(slugs(search_claims(Claim.objects.all(), "马斯克"))) == {"trad", "simp"}
    assert set(slugs(search_claims(Claim.objects.all(), "馬斯克"))) == {"trad", "simp"}
    assert slugs(search_claims(Claim.objects.all(), "给了多少钱")) == [traditional.slug]
    assert slugs(search_claims(Claim.objects.all(), "離開")) == [simplified.slug]


def test_width_and_case_fold():
    make_claim(slug="openai", statement_en="Is OpenAI controlled by Microsoft?")
    make_claim(slug="other", statement_en="Did Musk leave?")
    assert slugs(search_claims(Claim.objects.all(), "ＯｐｅｎＡＩ")) == ["openai"]
    assert slugs(search_claims(Claim.objects.all(), "MICROSOFT")) == ["openai"]


def test_an_english_name_finds_every_chinese_spelling(altman):
    for n, name in enumerate(["奥特曼", "奧特曼", "奥尔特曼", "阿尔特曼"]):
        make_claim(slug=f"zh-{n}", statement_en=f"Claim {n}", statement_zh=f"{name}被解雇了吗?")
    make_claim(slug="musk", statement_en="Musk", statement_zh="马斯克离开了吗?")
    found = slugs(search_claims(Claim.objects.all(), "Altman"))
    assert sorted(found) == ["zh-0", "zh-1", "zh-2", "zh-3"]


def test_a_word_of_an_alias_names_the_entity_but_a_fragment_does_not(altman):
    terms = query_terms("altman")
    assert {"奥特曼", "阿尔特曼", "sam altman"} <= set(terms)
    assert query_terms("tman") == ["tman"]
    assert query_terms("   ") == []


def test_a_full_name_of_several_words_is_one_word(altman):
    assert len(parse_query("Sam Altman").groups) == 1
    assert len(parse_query("Altman funding").groups) == 2


def test_subject_aliases_are_searchable_but_statements_rank_first(altman):
    by_subject = make_claim(slug="by-subject", statement_en="Was he fired?", subjects=[altman])
    by_statement = make_claim(
        slug="by-statement", statement_en="Claim", statement_zh="奥特曼回来了吗?"
    )
    by_subject.refresh_from_db()
    by_subject.save()  # the newer one, so only the ranking can put the statement first
    assert slugs(search_claims(Claim.objects.all(), "阿尔特曼")) == [
        by_statement.slug,
        by_subject.slug,
    ]


def test_more_matching_words_rank_first():
    make_claim(slug="one", statement_en="Did Musk give money?")
    make_claim(slug="both", statement_en="Did Musk give money to OpenAI?")
    make_claim(slug="none", statement_en="Unrelated")
    ranked = search_claims(Claim.objects.all(), "openai musk")
    assert slugs(ranked) == ["both", "one"]
    assert [c.search_matches for c in ranked] == [2, 1]


def test_like_wildcards_in_a_query_are_literal():
    make_claim(slug="percent", statement_en="Odds of 0% or 1%?")
    make_claim(slug="plain", statement_en="Odds of success?")
    assert slugs(search_claims(Claim.objects.all(), "0%")) == ["percent"]
    assert slugs(search_claims(Claim.objects.all(), "_")) == []


def test_empty_query_leaves_the_queryset_alone():
    make_claim()
    queryset = Claim.objects.all()
    assert search_claims(queryset, "  ") is queryset


def test_search_text_is_refreshed_when_subjects_change(altman):
    from claims import services

    claim = make_claim(statement_en="Was he fired?")
    assert slugs(search_claims(Claim.objects.all(), "奧特曼")) == []
    services.claim_update(claim=claim, subjects=[altman])
    claim.refresh_from_db()
    assert claim.search_text == claim_search_text(claim)
    assert slugs(search_claims(Claim.objects.all(), "奧特曼")) == [claim.slug]


def test_sources_match_title_or_text_newest_first():
    older = make_source("馬斯克離開了董事會。", title="董事会的变化", published_on=date(2018, 2, 1))
    newer = make_source("他离开了。", title="马斯克离开", published_on=date(2024, 3, 1))
    make_source("无关的文章。", title="无关")
    assert list(search_sources(Source.objects.all(), "马斯克")) == [newer, older]


def test_quotes_matching_more_words_come_first():
    source = make_source("微软投资了OpenAI。马斯克批评微软。马斯克离开了。")
    first = make_quote(source, "微软投资了OpenAI")
    both = make_quote(source, "马斯克批评微软")
    make_quote(source, "马斯克离开了")
    found = list(search_quotes(Quote.objects.all(), "微软 批评"))
    assert found == [both, first]


def test_quotes_match_their_folded_text(altman):
    source = make_source("據報道，奧特曼說OpenAI需要更多算力。马斯克不同意。")
    quote = make_quote(source, "奧特曼說OpenAI需要更多算力")
    make_quote(source, "马斯克不同意")
    assert list(search_quotes(Quote.objects.all(), "altman")) == [quote]
    assert list(search_quotes(Quote.objects.all(), "奥特曼说")) == [quote]


def test_highlight_marks_the_original_characters():
    text = "據報道，馬斯克說ＯｐｅｎＡＩ欠他錢。"
    pieces = highlight(text, parse_query("马斯克 openai"))
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, matched in pieces if matched] == ["馬斯克", "ＯｐｅｎＡＩ"]


def test_highlight_with_aliases_and_a_passage(altman):
    text = "开头" * 50 + "阿尔特曼回到了公司" + "结尾" * 50
    pieces = highlight(text, "Altman", around=4)
    assert pieces == [
        ("…", False),
        ("开头开头", False),
        ("阿尔特曼", True),
        ("回到了公", False),
        ("…", False),
    ]


def test_highlight_overlapping_terms_merge():
    pieces = highlight("埃隆·马斯克", parse_query("马斯克 埃隆·马"))
    assert pieces == [("埃隆·马斯克", True)]


def test_highlight_without_a_match_gives_the_opening_passage():
    assert highlight("abcdefghij", "xyz", around=2) == [("abcd", False), ("…", False)]
    assert highlight("abc", "xyz") == [("abc", False)]


def test_seeded_ledger_is_found_in_either_script(seeded):
    traditional = slugs(search_claims(Claim.objects.all(), "馬斯克"))
    assert "musk-contribution-to-openai" in traditional
    assert traditional == slugs(search_claims(Claim.objects.all(), "马斯克"))
    titles = [s.title for s in search_sources(Source.objects.all(), "宣佈正式開源")]
    assert titles == ["今天凌晨,馬斯克旗下AI大模型Grok宣佈正式開源"]


@pytest.mark.postgres
def test_sql_bigrams_are_the_python_bigrams():
    texts = ["马斯克說OpenAI\n4400万", "a", "", "ab ab", "😀😁x"]
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute("SELECT ledger_bigrams(%s)", [text])
            assert sorted(cursor.fetchone()[0]) == bigrams(text), text


BMP = st.characters(max_codepoint=0xFFFE, exclude_categories=["Cs"])


@given(st.text(BMP, min_size=2, max_size=2), st.text(), st.booleans(), st.text())
def test_two_bmp_characters_have_a_bigram_no_other_text_has(pair, before, holds, after):
    text = before + (pair if holds else "") + after
    (number,) = bigrams(pair)
    assert bigram_exact(pair)
    assert (number in bigrams(text)) == (pair in text)


@pytest.mark.postgres
def test_two_character_search_reads_no_text(seeded):
    sql = str(search_sources(Source.objects.all(), "開源").query)
    assert "LIKE" not in sql
    found = [s.title for s in search_sources(Source.objects.all(), "開源")]
    assert found == [s.title for s in Source.objects.all() if "开源" in s.search_text]
    assert found
    assert "LIKE" in str(search_sources(Source.objects.all(), "宣佈正式開源").query)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model", "search", "index"),
    [
        (Claim, search_claims, "claims_claim_search_bigrams"),
        (Source, search_sources, "sources_source_search_bigrams"),
        (Quote, search_quotes, "claims_quote_search_bigrams"),
    ],
)
def test_two_character_terms_can_use_the_index(model, search, index):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search(model.objects.all(), "微软").order_by().explain()
    assert index in plan
    assert "Seq Scan" not in plan
