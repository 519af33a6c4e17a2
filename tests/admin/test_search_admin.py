"""Every admin list searches through claims.search: any name's spelling, 简 or 繁, its own text."""

from claims import evidence, services
from claims.models import Assertion, Claim, Conflict, Entity, Quote, Suggestion
from sources.models import Source
from tests.admin.forms import admin_url
from tests.admin.ledger import exact
from tests.factories import make_claim, make_entity, make_quote, make_source

NAMED_LISTS = (Claim, Source, Entity, Quote, Assertion, Conflict, Suggestion)


def found(client, model, query: str) -> set[int]:
    response = client.get(admin_url(model, "changelist"), {"q": query})
    assert response.status_code == 200, (model, query)
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def test_every_list_finds_the_same_rows_for_any_spelling_of_musk(seeded, reviewer_client):
    for source in Source.objects.all():
        evidence.suggestions_find(source=source)

    for model in NAMED_LISTS:
        results = {q: found(reviewer_client, model, q) for q in ("馬斯克", "马斯克", "Musk")}
        assert results["Musk"], model
        assert results["馬斯克"] == results["马斯克"] == results["Musk"], model
        everything = set(model.objects.values_list("pk", flat=True))
        if model is not Entity:
            assert results["Musk"] < everything, model


def test_each_list_searches_its_own_text_only(reviewer_client):
    altman = make_entity(name="Sam Altman", aliases=["奥特曼", "奧特曼", "Altman"])
    source = make_source(
        title="Altman's week",
        text="奧特曼说公司收到了4400万美元。另有人说收到了1亿美元。天气很好。",
    )
    named = make_quote(source, "奧特曼说公司收到了4400万美元")
    unnamed = make_quote(source, "另有人说收到了1亿美元")
    plain = make_quote(source, "天气很好")
    claim = make_claim(statement_en="How much did OpenAI receive?", subjects=[altman])
    asserted = services.assertion_add(
        claim=claim, quote=named, stance="supports", value=exact(44_000_000)
    )
    other = services.assertion_add(
        claim=claim, quote=unnamed, stance="supports", value=exact(100_000_000)
    )
    by_statement = make_claim(statement_en="Was Altman fired?", statement_zh="奥特曼被解雇了吗?")
    stated = services.assertion_add(claim=by_statement, quote=plain, stance="mentions")
    unquoted = make_claim(statement_en="Did Altman invest?", subjects=[altman], match_terms="收到")
    evidence.suggestions_find(source=source)

    # A quote by its text: the source's title names Altman, the quotes without him are not found.
    assert found(reviewer_client, Quote, "Altman") == {named.pk}
    # An assertion by its quote's text and its claim's statement, not the claim's subjects.
    assert found(reviewer_client, Assertion, "altman") == {asserted.pk, stated.pk}
    assert other.pk not in found(reviewer_client, Assertion, "奥特曼")
    # A conflict by its claim's statement and its two quotes.
    conflict = Conflict.objects.get(claim=claim)
    assert found(reviewer_client, Conflict, "Altman") == {conflict.pk}
    assert found(reviewer_client, Conflict, "1亿") == {conflict.pk}
    assert found(reviewer_client, Conflict, "天气") == set()
    # A suggestion by its sentence.
    suggested = Suggestion.objects.get(claim=unquoted)
    assert suggested.exact.startswith("奧特曼")
    assert found(reviewer_client, Suggestion, "奥特曼") == {suggested.pk}
    assert found(reviewer_client, Suggestion, "week") == set()
    # Entities by any of their names.
    assert found(reviewer_client, Entity, "奧特曼") == {altman.pk}
