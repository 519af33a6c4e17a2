"""Who reads and writes what: anonymous, signed-in non-reviewer, Reviewer, Editor."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from claims import services
from claims.models import Claim, ClaimStatus, Topic
from tests.api.conftest import if_match
from tests.factories import make_entity

pytestmark = pytest.mark.django_db


def ids(response, key="id"):
    return {row[key] for row in response.json()["results"]}


def test_anonymous_lists_hold_published_claims_and_what_hangs_off_them_only(anonymous, ledger):
    assert ids(anonymous.get("/api/claims/"), "slug") == {"musk-gave"}
    assert ids(anonymous.get("/api/sources/")) == {s.pk for s in ledger["sources"]}
    assert ids(anonymous.get("/api/quotes/")) == {a.quote_id for a in ledger["assertions"]}
    assert ids(anonymous.get("/api/assertions/")) == {a.pk for a in ledger["assertions"]}
    assert ids(anonymous.get("/api/conflicts/")) == {ledger["conflict"].pk}


def test_anonymous_gets_404_for_drafts_and_everything_only_they_use(anonymous, ledger):
    for url in [
        "/api/claims/draft-claim/",
        "/api/claims/draft-claim/claimreview/",
        f"/api/sources/{ledger['draft_source'].pk}/",
        f"/api/quotes/{ledger['draft_quote'].pk}/",
        f"/api/quotes/{ledger['draft_quote'].pk}/annotation/",
        f"/api/assertions/{ledger['draft_assertion'].pk}/",
    ]:
        assert anonymous.get(url).status_code == 404, url


def test_entities_and_topics_of_drafts_are_not_listed_for_anonymous(
    anonymous, reviewer_client, ledger
):
    hidden = make_entity(slug="only-on-a-draft")
    ledger["draft"].subjects.add(hidden)
    assert "only-on-a-draft" not in ids(anonymous.get("/api/entities/"), "slug")
    assert anonymous.get("/api/entities/only-on-a-draft/").status_code == 404
    assert reviewer_client.get("/api/entities/only-on-a-draft/").status_code == 200


def test_filters_answer_for_a_draft_as_for_something_unknown(anonymous, reviewer_client, ledger):
    # The draft shares a public quote, and has a subject, a speaker and a topic of its own.
    public_quote = ledger["assertions"][0].quote
    services.assertion_add(claim=ledger["draft"], quote=public_quote, stance="mentions")
    ledger["draft"].subjects.add(make_entity(slug="draft-subject"))
    ledger["draft"].topics.add(Topic.objects.create(slug="draft-topic", name="Draft topic"))
    services.quote_set_speaker(quote=ledger["draft_quote"], speaker=make_entity(slug="drafted"))
    draft_source = ledger["draft_source"].pk
    for url, hidden, unknown in [
        ("/api/quotes/?claim={}", "draft-claim", "no-such-claim"),
        ("/api/quotes/?speaker={}", "drafted", "no-such-entity"),
        ("/api/quotes/?source={}", draft_source, 999_999),
        ("/api/assertions/?claim={}", "draft-claim", "no-such-claim"),
        ("/api/assertions/?source={}", draft_source, 999_999),
        ("/api/conflicts/?claim={}", "draft-claim", "no-such-claim"),
        ("/api/claims/?entity={}", "draft-subject", "no-such-entity"),
        ("/api/claims/?topic={}", "draft-topic", "no-such-topic"),
        ("/api/claims/?source={}", draft_source, 999_999),
    ]:
        shown = anonymous.get(url.format(hidden))
        assert shown.status_code == 200
        assert shown.json() == anonymous.get(url.format(unknown)).json(), url
    listed = reviewer_client.get("/api/quotes/?claim=draft-claim").json()["results"]
    assert {q["id"] for q in listed} == {public_quote.pk, ledger["draft_quote"].pk}


def test_reviewer_notes_are_never_in_anonymous_or_plain_user_responses(
    anonymous, plain_client, ledger
):
    for client in (anonymous, plain_client):
        detail = client.get("/api/claims/musk-gave/").json()
        assert "reviewer_notes" not in detail
        assert all("note" not in a for a in detail["assertions"])
        listed = client.get("/api/claims/").json()["results"][0]
        assert "reviewer_notes" not in listed
        assertion = client.get(f"/api/assertions/{ledger['assertions'][0].pk}/").json()
        assert "note" not in assertion
        assert b"check the 2018 filing" not in client.get("/api/claims/?format=csv").content


def test_reviewers_see_drafts_and_notes(reviewer_client, ledger):
    assert ids(reviewer_client.get("/api/claims/"), "slug") == {"musk-gave", "draft-claim"}
    detail = reviewer_client.get("/api/claims/musk-gave/").json()
    assert detail["reviewer_notes"] == "check the 2018 filing"
    notes = {a["id"]: a["note"] for a in detail["assertions"]}
    assert notes[ledger["assertions"][0].pk] == "a reviewer's doubt"
    assert reviewer_client.get(f"/api/sources/{ledger['draft_source'].pk}/").status_code == 200


WRITES = [
    ("post", "/api/sources/", {"title": "T", "text": "Some text.", "language": "en"}),
    ("post", "/api/claims/", {"slug": "new", "statement_en": "New?", "kind": "yes_no"}),
    ("patch", "/api/claims/musk-gave/", {"statement_zh": "马斯克给了多少?"}),
    ("put", "/api/claims/musk-gave/", {"slug": "musk-gave", "statement_en": "X?", "kind": "text"}),
    ("post", "/api/quotes/", "QUOTE"),
    ("post", "/api/assertions/", "ASSERTION"),
    ("patch", "/api/assertions/FIRST/", {"stance": "qualifies"}),
    ("put", "/api/assertions/FIRST/", {"stance": "qualifies"}),
    ("post", "/api/conflicts/", "MARK"),
    ("patch", "/api/conflicts/CONFLICT/", {"status": "confirmed"}),
]


def resolve(ledger, url, body):
    first, second = ledger["assertions"]
    url = url.replace("FIRST", str(first.pk)).replace("CONFLICT", str(ledger["conflict"].pk))
    bodies = {
        "QUOTE": {"source": ledger["sources"][0].pk, "exact": "不到4500万美元"},
        "ASSERTION": {
            "claim": "musk-gave",
            "quote": ledger["draft_quote"].pk,
            "stance": "mentions",
        },
        "MARK": {"first": first.pk, "second": second.pk, "note": "they differ"},
    }
    return url, bodies.get(body, body) if isinstance(body, str) else body


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_anonymous_writes_are_refused_with_401(anonymous, ledger, method, url, body):
    url, body = resolve(ledger, url, body)
    before = Claim.objects.get(slug="musk-gave").version
    response = getattr(anonymous, method)(url, body, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert Claim.objects.get(slug="musk-gave").version == before


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_signed_in_non_reviewers_are_refused_with_403(plain_client, ledger, method, url, body):
    url, body = resolve(ledger, url, body)
    response = getattr(plain_client, method)(url, body, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_reviewers_may_write(reviewer_client, ledger, method, url, body):
    url, body = resolve(ledger, url, body)
    precondition = if_match(reviewer_client, url) if method in ("patch", "put") else {}
    response = getattr(reviewer_client, method)(url, body, format="json", **precondition)
    assert response.status_code in (200, 201), response.json()


def test_reviewer_cannot_set_a_verdict_and_nothing_changes(reviewer_client, ledger):
    url = "/api/claims/musk-gave/"
    response = reviewer_client.patch(
        url,
        {"verdict": "false", "statement_zh": "改了"},
        format="json",
        **if_match(reviewer_client, url),
    )
    assert response.status_code == 403
    assert "editors" in response.json()["detail"]
    claim = Claim.objects.get(slug="musk-gave")
    assert (claim.verdict, claim.statement_zh) == ("mixed", "")


def test_reviewer_cannot_publish_but_can_send_to_review(reviewer_client, ledger):
    url = "/api/claims/draft-claim/"
    response = reviewer_client.patch(
        url, {"status": "in_review"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    response = reviewer_client.patch(
        url, {"status": "published"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 403
    assert Claim.objects.get(slug="draft-claim").status == ClaimStatus.IN_REVIEW


def test_reviewer_cannot_unpublish(reviewer_client, ledger):
    url = "/api/claims/musk-gave/"
    response = reviewer_client.patch(
        url, {"status": "in_review"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 403
    assert Claim.objects.get(slug="musk-gave").status == ClaimStatus.PUBLISHED


def test_editor_sets_the_verdict_and_publishes(editor_client, ledger):
    url = "/api/claims/draft-claim/"
    response = editor_client.patch(
        url,
        {"verdict": "false", "rationale": "No source says so.", "status": "in_review"},
        format="json",
        **if_match(editor_client, url),
    )
    assert response.status_code == 200
    response = editor_client.patch(
        url, {"status": "published"}, format="json", **if_match(editor_client, url)
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["verdict"], body["rating_value"]) == ("published", "false", 1)


def test_anonymous_requests_are_throttled_and_reviewers_are_not(
    anonymous, reviewer_client, ledger, monkeypatch
):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [anonymous.get("/api/claims/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in anonymous.get("/api/claims/")
    assert all(reviewer_client.get("/api/claims/").status_code == 200 for _ in range(5))
