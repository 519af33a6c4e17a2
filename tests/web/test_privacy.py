"""Unpublished claims and reviewers' notes never reach anonymous readers."""

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.api.permissions import token_for
from claims.models import ClaimStatus
from claims.roles import REVIEWER
from domain.intervals import exact
from tests.constants import M
from tests.factories import make_claim, make_entity, make_quote, make_source, make_user, publish

pytestmark = pytest.mark.django_db

SECRET = "zqx-reviewer-only"


def unpublished(status):
    """A claim in `status` with its own source, entity and quote, and one published claim."""
    entity = make_entity(slug=f"hidden-{status}", name=f"Hidden {status}")
    source = make_source(f"隐秘报道{status}。马斯克出资4400万美元。另一句话。")
    claim = make_claim(
        slug=f"secret-{status}",
        statement_en=f"Secret {status} claim?",
        subjects=[entity],
        reviewer_notes=SECRET,
    )
    quote = make_quote(source, "马斯克出资4400万美元")
    services.assertion_add(
        claim=claim, quote=quote, stance="supports", value=exact(44 * M, "USD"), note=SECRET
    )
    if status != ClaimStatus.DRAFT:
        path = {
            ClaimStatus.IN_REVIEW: [ClaimStatus.IN_REVIEW],
            ClaimStatus.ARCHIVED: [ClaimStatus.ARCHIVED],
        }[status]
        for step in path:
            claim = services.claim_set_status(claim=claim, status=step)
    return claim, source, entity, quote


@pytest.mark.parametrize("status", [ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW, ClaimStatus.ARCHIVED])
def test_unpublished_claim_is_404_and_absent_everywhere(client, status):
    visible = publish(make_claim(slug="visible", statement_en="Visible claim?"))
    claim, source, entity, _quote = unpublished(status)

    assert client.get(f"/en/claims/{claim.slug}/").status_code == 404
    assert client.get(f"/en/sources/{source.pk}/").status_code == 404
    assert client.get(f"/en/entities/{entity.slug}/").status_code == 404
    for url, query in [("/en/", {}), ("/en/", {"q": "Secret"}), ("/en/feed/", {})]:
        page = client.get(url, query).content.decode()
        assert claim.slug not in page and claim.statement_en not in page
    assert visible.slug in client.get("/en/").content.decode()
    assert visible.slug in client.get("/en/feed/").content.decode()


def test_published_claim_hides_reviewer_notes(client):
    claim, _source, entity, _quote = unpublished(ClaimStatus.DRAFT)
    claim = services.claim_set_verdict(claim=claim, verdict="mixed", rationale="Public reasons.")
    claim = services.claim_set_status(claim=claim, status=ClaimStatus.IN_REVIEW)
    services.claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED)
    page = client.get(f"/en/claims/{claim.slug}/").content.decode()
    assert "Public reasons." in page
    assert SECRET not in page
    assert SECRET not in client.get("/en/feed/").content.decode()
    assert SECRET not in client.get(f"/en/entities/{entity.slug}/").content.decode()


def test_source_page_highlights_only_quotes_on_published_claims(client):
    source = make_source("第一句说4400万美元。第二句说1亿美元。")
    shown = make_quote(source, "第一句说4400万美元")
    hidden = make_quote(source, "第二句说1亿美元")
    public = publish(make_claim(slug="public"))
    services.assertion_add(claim=public, quote=shown, stance="supports")
    draft = make_claim(slug="draft-only", statement_en="Draft only?")
    services.assertion_add(claim=draft, quote=hidden, stance="supports")

    page = client.get(f"/en/sources/{source.pk}/").content.decode()
    assert f'id="quote-{shown.pk}"' in page
    assert f'id="quote-{hidden.pk}"' not in page
    assert "第二句说1亿美元" in page  # the article text itself is public
    assert "draft-only" not in page and "Draft only?" not in page


def test_staff_see_unpublished_claims_marked_as_not_public(admin_client):
    claim, *_ = unpublished(ClaimStatus.IN_REVIEW)
    page = admin_client.get(f"/en/claims/{claim.slug}/").content.decode()
    assert "Not public" in page
    assert "application/ld+json" not in page


def test_not_found_page_is_the_sites_own(client, settings):
    settings.DEBUG = False
    response = client.get("/en/claims/no-such-claim/")
    assert response.status_code == 404
    assert "There is no public page here." in response.content.decode()


def test_a_conflicts_reviewer_note_never_reaches_readers_or_the_anonymous_api(client):
    source = make_source("报道称马斯克出资4400万美元。另一篇说1亿美元。")
    claim = make_claim(slug="settled-note")
    for words, value in (("4400万美元", 44 * M), ("1亿美元", 100 * M)):
        services.assertion_add(
            claim=claim, quote=make_quote(source, words), stance="supports", value=exact(value)
        )
    conflict = services.conflict_set_status(
        conflict=claim.conflicts.get(),
        status="resolved",
        note="Public: different rounds.",
        reviewer_note=SECRET,
    )
    publish(claim)

    page = client.get(f"/en/claims/{claim.slug}/").content.decode()
    assert "Public: different rounds." in page and SECRET not in page
    anonymous = APIClient()
    for url in (
        "/api/conflicts/",
        f"/api/conflicts/{conflict.pk}/",
        f"/api/claims/{claim.slug}/",
        "/api/claims/",
    ):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    reviewer = APIClient()
    reviewer.credentials(
        HTTP_AUTHORIZATION=f"Token {token_for(make_user('rita', REVIEWER).username).key}"
    )
    assert reviewer.get(f"/api/conflicts/{conflict.pk}/").json()["reviewer_note"] == SECRET
