import pytest

from claims.models import Assertion, Suggestion, SuggestionStatus
from tests.factories import make_claim, make_entity

pytestmark = pytest.mark.django_db

ARTICLE = "马斯克说他给了OpenAI 4400万美元。天气很好。奥特曼说马斯克只给了不到4500万美元。"


@pytest.fixture
def queued(reviewer_client):
    """A claim about Musk, and a new source whose sentences about his money get queued."""
    musk = make_entity(slug="elon-musk", name="Elon Musk", aliases=["马斯克"])
    make_claim(slug="musk-gave", subjects=[musk], match_terms="给了\n捐")
    response = reviewer_client.post(
        "/api/sources/", {"title": "New", "text": ARTICLE, "language": "zh-Hans"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["suggestions_queued"] == 2
    return list(Suggestion.objects.order_by("start"))


def url(suggestion=None, verb=""):
    base = "/api/claims/musk-gave/suggestions/"
    return f"{base}{suggestion.pk}/{verb}/" if suggestion else base


def test_importing_the_same_text_again_queues_nothing(reviewer_client, queued):
    response = reviewer_client.post(
        "/api/sources/", {"title": "Again", "text": ARTICLE, "language": "zh-Hans"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["suggestions_queued"] == 0


def test_reviewers_list_a_claims_suggestions_pending_first(reviewer_client, queued):
    first, second = queued
    reviewer_client.post(url(first, "reject"), format="json")
    rows = reviewer_client.get(url()).json()
    assert [(row["id"], row["status"]) for row in rows] == [
        (second.pk, "pending"),
        (first.pk, "rejected"),
    ]
    assert rows[0]["exact"] == "奥特曼说马斯克只给了不到4500万美元。"
    assert "names Elon Musk" in rows[0]["reason"]


@pytest.mark.parametrize(("who", "code"), [("anonymous", 401), ("plain_client", 403)])
def test_suggestions_are_for_reviewers_only(request, reviewer_client, queued, who, code):
    client = request.getfixturevalue(who)
    assert client.get(url()).status_code == code
    assert client.post(url(queued[0], "accept"), {"stance": "supports"}).status_code == code
    assert client.post(url(queued[0], "reject")).status_code == code
    assert Suggestion.objects.filter(status=SuggestionStatus.PENDING).count() == 2


def test_accepting_makes_the_quote_and_the_assertion(reviewer_client, queued):
    response = reviewer_client.post(url(queued[0], "accept"), {"stance": "supports"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"]["exact"] == "马斯克说他给了OpenAI 4400万美元。"
    assert (body["stance"], body["value"]["low"], body["value"]["origin"]) == (
        "supports",
        44_000_000,
        "extracted",
    )
    assert Suggestion.objects.get(pk=queued[0].pk).status == SuggestionStatus.ACCEPTED
    again = reviewer_client.post(url(queued[0], "accept"), {"stance": "supports"}, format="json")
    assert again.status_code == 400 and "already accepted" in again.json()["status"][0]


def test_accepting_with_a_reviewers_value(reviewer_client, queued):
    response = reviewer_client.post(
        url(queued[1], "accept"),
        {"stance": "contradicts", "value": {"high": 45_000_000, "kind": "upper_bound"}},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["value"]["origin"] == "reviewer"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "stance"),
        ({"stance": "agrees"}, "stance"),
        ({"stance": "supports", "value": {"low": 9, "high": 1, "kind": "range"}}, "value.low"),
    ],
)
def test_bad_acceptances_answer_400_and_change_nothing(reviewer_client, queued, body, field):
    response = reviewer_client.post(url(queued[0], "accept"), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Assertion.objects.exists()
    assert Suggestion.objects.get(pk=queued[0].pk).status == SuggestionStatus.PENDING


def test_rejecting_sets_it_aside(reviewer_client, queued):
    response = reviewer_client.post(url(queued[0], "reject"))
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_unknown_suggestion_or_one_of_another_claim_is_404(reviewer_client, queued):
    make_claim(slug="other-claim")
    assert (
        reviewer_client.post("/api/claims/musk-gave/suggestions/999999/reject/").status_code == 404
    )
    response = reviewer_client.post(f"/api/claims/other-claim/suggestions/{queued[0].pk}/reject/")
    assert response.status_code == 404
    assert reviewer_client.get("/api/claims/nothing/suggestions/").status_code == 404
