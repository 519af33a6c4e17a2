"""Query counts do not grow with rows: 10 rows and 500 rows cost the same."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.views import LedgerCursorPagination
from claims.models import (
    Alias,
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictKind,
    ConflictOrigin,
    Entity,
    Quote,
    Topic,
)
from domain.text import sha256_of
from sources.models import Source
from tests.constants import M
from tests.factories import make_claim, make_entity, make_source, publish

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def claim_with_assertions(count: int) -> Claim:
    """A published claim quoting `count` passages (half with a speaker), all but one agreeing.

    Quotes, assertions and conflicts go in in bulk: through the services each assertion
    would re-run conflict detection over all the others, which is quadratic.
    """
    n = next(_numbers)
    source = make_source("".join(f"第{n}篇第{i}句说4400万美元。" for i in range(count)))
    speaker = make_entity()
    claim = make_claim(slug=f"claim-{n}-{count}", subjects=[make_entity()])
    quotes = Quote.objects.bulk_create(
        Quote(source=source, exact=exact, start=source.text.index(exact),
              end=source.text.index(exact) + len(exact), speaker=speaker if i % 2 else None)
        for i, exact in enumerate(f"第{n}篇第{i}句说" for i in range(count))
    )  # fmt: skip
    assertions = Assertion.objects.bulk_create(
        Assertion(claim=claim, quote=quote, stance="supports", low=value, high=value,
                  value_kind="exact", unit="USD", value_origin="reviewer", note="a note")
        for quote, value in zip(quotes, [100 * M] + [44 * M] * (count - 1), strict=True)
    )  # fmt: skip
    Conflict.objects.bulk_create(
        Conflict(claim=claim, first=assertions[0], second=other, kind=ConflictKind.VALUE,
                 origin=ConflictOrigin.AUTO, reason="100M vs 44M")
        for other in assertions[1:]
    )  # fmt: skip
    return publish(claim)


@pytest.mark.parametrize("who", ["anonymous", "reviewer_client"])
def test_claim_detail_costs_the_same_for_10_and_500_assertions(
    request, who, django_assert_num_queries
):
    client = request.getfixturevalue(who)
    small, large = claim_with_assertions(10), claim_with_assertions(500)
    expected = queries_for(client, f"/api/claims/{small.slug}/")
    with django_assert_num_queries(expected):
        response = client.get(f"/api/claims/{large.slug}/")
    assert len(response.json()["assertions"]) == 500
    assert len(response.json()["conflicts"]) == 499


def grow_world(count: int) -> None:
    """`count` more of everything, published: sources, quotes, claims with two conflicting
    assertions each, entities with aliases, topics. In bulk, to reach 500 rows quickly."""
    first = next(_numbers) * 10_000
    entities = Entity.objects.bulk_create(
        Entity(slug=f"e-{first + i}", name=f"E {first + i}", kind="person") for i in range(count)
    )
    Alias.objects.bulk_create(
        Alias(entity=e, name=name, folded=name.lower())
        for e in entities
        for name in (e.name, e.slug)
    )
    topics = Topic.objects.bulk_create(
        Topic(slug=f"t-{first + i}", name=f"T {first + i}") for i in range(count)
    )
    texts = [f"文章{first + i}:甲说一百。乙说二百。" for i in range(count)]
    sources = Source.objects.bulk_create(
        Source(title=f"S {first + i}", text=text, sha256=sha256_of(text), language="zh-Hans")
        for i, text in enumerate(texts)
    )
    quotes = Quote.objects.bulk_create(
        Quote(source=source, exact=exact, start=source.text.index(exact),
              end=source.text.index(exact) + len(exact), speaker=entity)
        for source, entity in zip(sources, entities, strict=True)
        for exact in ("甲说一百", "乙说二百")
    )  # fmt: skip
    claims = Claim.objects.bulk_create(
        Claim(
            slug=f"c-{first + i}",
            statement_en=f"Claim {first + i}?",
            kind="quantity",
            unit="USD",
            status=ClaimStatus.PUBLISHED,
            verdict="mixed",
        )
        for i in range(count)
    )
    Claim.subjects.through.objects.bulk_create(
        Claim.subjects.through(claim=c, entity=e) for c, e in zip(claims, entities, strict=True)
    )
    Claim.topics.through.objects.bulk_create(
        Claim.topics.through(claim=c, topic=t) for c, t in zip(claims, topics, strict=True)
    )
    assertions = Assertion.objects.bulk_create(
        Assertion(claim=claim, quote=quote, stance="supports", low=value, high=value,
                  value_kind="exact", unit="USD", value_origin="reviewer", note="n")
        for i, claim in enumerate(claims)
        for quote, value in zip(quotes[2 * i : 2 * i + 2], (100 * M, 200 * M), strict=True)
    )  # fmt: skip
    Conflict.objects.bulk_create(
        Conflict(claim=claim, first=first, second=second, kind=ConflictKind.VALUE,
                 origin=ConflictOrigin.AUTO, reason="100 vs 200")
        for claim, first, second in zip(claims, assertions[::2], assertions[1::2], strict=True)
    )  # fmt: skip


LISTS = [
    "/api/claims/",
    "/api/claims/?disputed=true",
    "/api/claims/?format=csv",
    "/api/sources/",
    "/api/quotes/",
    "/api/assertions/",
    "/api/conflicts/",
    "/api/entities/",
    "/api/topics/",
]


@pytest.mark.parametrize("who", ["anonymous", "reviewer_client"])
def test_lists_cost_the_same_for_10_and_500_rows(request, who, monkeypatch):
    client = request.getfixturevalue(who)
    monkeypatch.setattr(LedgerCursorPagination, "page_size", 1000)
    grow_world(10)
    small = {url: queries_for(client, url) for url in LISTS}
    grow_world(490)
    large = {url: queries_for(client, url) for url in LISTS}
    assert large == small
    assert len(client.get("/api/assertions/").json()["results"]) == 1000


@pytest.mark.postgres
def test_a_readers_claim_detail_is_one_query(anonymous):
    """On PostgreSQL a reader's detail is the one query that builds it (detail_sql)."""
    claim = claim_with_assertions(50)
    with CaptureQueriesContext(connection) as captured:
        response = anonymous.get(f"/api/claims/{claim.slug}/")
    assert response.status_code == 200
    assert len(response.json()["assertions"]) == 50
    assert [q["sql"].split("(", 1)[0].strip() for q in captured] == ["SELECT json_build_object"]
