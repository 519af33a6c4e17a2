"""The source page: the article with its quotes highlighted, in either Chinese script."""

import re

import pytest

from claims import services
from domain.text import to_simplified, to_traditional
from tests.factories import make_claim, make_quote, make_source, publish

pytestmark = pytest.mark.django_db

TEXT = "开头的话。马斯克说他给了OpenAI 4400万美元,奥特曼说不到4500万美元。后面发生了许多变化。"


def marks(page: str) -> list[tuple[str, str, str, str]]:
    """(id, data-quotes, link, text) of every highlighted piece, in order."""
    found = re.findall(
        r'<mark class="quote"(?: id="([^"]+)")? data-quotes="([^"]*)">'
        r'<a class="quote-claim" href="([^"]*)">([^<]*)</a></mark>',
        page,
    )
    return found


def quoted(*exacts, text=TEXT, language="zh-Hans"):
    source = make_source(text, language=language)
    claim = publish(make_claim(slug="on-the-source", statement_en="What was given?"))
    quotes = [make_quote(source, exact) for exact in exacts]
    for quote in quotes:
        services.assertion_add(claim=claim, quote=quote, stance="supports")
    return source, claim, quotes


def test_every_quote_is_highlighted_and_linked_to_its_claims(client):
    source, claim, (first, second) = quoted(
        "马斯克说他给了OpenAI 4400万美元", "奥特曼说不到4500万美元"
    )
    page = client.get(f"/en/sources/{source.pk}/").content.decode()
    link = {
        a.quote_id: f"/en/claims/{claim.slug}/#assertion-{a.pk}" for a in claim.assertions.all()
    }
    assert marks(page) == [
        (f"quote-{first.pk}", str(first.pk), link[first.pk], first.exact),
        (f"quote-{second.pk}", str(second.pk), link[second.pk], second.exact),
    ]
    assert f'href="#note-{first.pk}"' in page and f'href="{link[second.pk]}"' in page


def test_overlapping_quotes_each_keep_an_anchor_and_their_words(client):
    source, _claim, (outer, inner) = quoted(
        "马斯克说他给了OpenAI 4400万美元", "4400万美元,奥特曼说"
    )
    page = client.get(f"/en/sources/{source.pk}/").content.decode()
    pieces = marks(page)
    assert f'id="quote-{outer.pk}"' in page and f'id="quote-{inner.pk}"' in page
    for quote in (outer, inner):
        words = "".join(text for _id, ids, _link, text in pieces if str(quote.pk) in ids.split())
        assert words == quote.exact


SIMPLIFIED_QUOTE = "马斯克说他给了OpenAI 4400万美元"


@pytest.mark.parametrize(
    "script, text, exact, convert",
    [
        ("hant", TEXT, SIMPLIFIED_QUOTE, to_traditional),
        ("hans", to_traditional(TEXT), to_traditional(SIMPLIFIED_QUOTE), to_simplified),
    ],
)
def test_script_toggle_converts_the_text_and_keeps_highlights_on_their_words(
    client, script, text, exact, convert
):
    source, _claim, [quote] = quoted(exact, text=text)
    page = client.get(f"/en/sources/{source.pk}/", {"script": script}).content.decode()
    [(_id, _ids, _link, words)] = marks(page)
    assert words == convert(quote.exact) != quote.exact
    assert convert("后面发生了许多变化") in page
    language = {"hant": "zh-Hant", "hans": "zh-Hans"}[script]
    assert f'<div class="article-text" lang="{language}">' in page
    assert f'<a href="?script={script}" lang="{language}" aria-current="true"' in page


def test_english_source_has_no_script_toggle(client):
    source, *_ = quoted("gave $44 million", text="Musk gave $44 million to OpenAI.", language="en")
    page = client.get(f"/en/sources/{source.pk}/", {"script": "hant"}).content.decode()
    assert 'href="?script=hant"' not in page
    assert "Musk <mark" in page and " to OpenAI." in page
