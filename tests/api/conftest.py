from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from claims import services
from claims.api.permissions import token_for
from tests.factories import make_claim, make_quote, make_source, make_user, publish


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # Anonymous request counts live in the cache; each test starts with none.
    cache.clear()


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user.username).key}")
    return client


def if_match(client, url) -> dict:
    """The If-Match header of a change to the object at `url`: its ETag as `client` reads it."""
    return {"HTTP_IF_MATCH": client.get(url)["ETag"]}


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def reviewer_client(reviewer):
    return client_for(reviewer)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def plain_client(db):
    """Signed in, but neither Reviewer nor Editor (session auth: no token for such users)."""
    client = APIClient()
    client.force_login(make_user("pat"))
    return client


@pytest.fixture
def ledger(db):
    """A published claim with two conflicting sourced values, and a draft with its own source."""
    public_source = make_source(
        "马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。",
        title="Public article",
        outlet="Outlet A",
        url="https://news.example/a",
        published_on=date(2024, 3, 6),
    )
    other_source = make_source("另一篇报道称马斯克投资了5000万至1亿美元。", title="Second article")
    claim = make_claim(
        slug="musk-gave",
        statement_en="How much did Musk give?",
        reviewer_notes="check the 2018 filing",
    )
    first = services.assertion_add(
        claim=claim,
        quote=make_quote(public_source, "4400万美元"),
        stance="supports",
        value=services.interval_from(
            {"low": 44_000_000, "high": 44_000_000, "kind": "exact"}, default_unit="USD"
        ),
        note="a reviewer's doubt",
    )
    second = services.assertion_add(
        claim=claim,
        quote=make_quote(other_source, "5000万至1亿美元"),
        stance="supports",
        value=services.interval_from(
            {"low": 50_000_000, "high": 100_000_000, "kind": "range"}, default_unit="USD"
        ),
    )
    claim = publish(claim)
    draft_source = make_source("草稿里的文章。", title="Draft-only article")
    draft = make_claim(slug="draft-claim", statement_en="Unpublished?")
    draft_quote = make_quote(draft_source, "草稿")
    draft_assertion = services.assertion_add(claim=draft, quote=draft_quote, stance="mentions")
    return {
        "claim": claim,
        "assertions": [first, second],
        "conflict": claim.conflicts.get(),
        "sources": [public_source, other_source],
        "draft": draft,
        "draft_source": draft_source,
        "draft_quote": draft_quote,
        "draft_assertion": draft_assertion,
    }
