import base64
import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from claims import services
from claims.api.serializers import ClaimDetailSerializer
from claims.api.views import LedgerCursorPagination, LedgerJSONRenderer
from claims.models import Assertion, Claim, Conflict, Topic
from claims.search import search_claims
from tests.api.conftest import if_match
from tests.factories import make_claim, make_entity, make_quote, make_source, publish

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def catalogue(ledger):
    """Besides the ledger's disputed claim: an undisputed published one with subject and topic."""
    musk = make_entity(slug="elon-musk", name="Elon Musk", aliases=["马斯克", "馬斯克", "Musk"])
    topic = Topic.objects.create(slug="funding", name="Funding", name_zh="资金")
    calm = make_claim(
        slug="xai-founded",
        kind="yes_no",
        unit="",
        statement_en="Did Musk found xAI after leaving?",
        subjects=[musk],
        topics=[topic],
    )
    services.assertion_add(
        claim=calm, quote=make_quote(make_source("xAI成立于2023年。"), "xAI成立"), stance="supports"
    )
    publish(calm, verdict="true")
    return ledger


def test_disputed_filter_uses_open_conflicts(anonymous, catalogue):
    assert slugs(anonymous.get("/api/claims/?disputed=true")) == ["musk-gave"]
    assert slugs(anonymous.get("/api/claims/?disputed=false")) == ["xai-founded"]
    services.conflict_set_status(
        conflict=catalogue["conflict"], status="resolved", note="both true at different dates"
    )
    assert slugs(anonymous.get("/api/claims/?disputed=true")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=published", {"musk-gave", "xai-founded"}),
        ("verdict=true", {"xai-founded"}),
        ("verdict=mixed", {"musk-gave"}),
        ("kind=yes_no", {"xai-founded"}),
        ("kind=quantity", {"musk-gave"}),
        ("entity=elon-musk", {"xai-founded"}),
        ("topic=funding", {"xai-founded"}),
        ("q=xAI", {"xai-founded"}),
        ("q=資金", {"xai-founded"}),
        ("q=馬斯克", {"musk-gave", "xai-founded"}),
        ("q=Musk", {"musk-gave", "xai-founded"}),
        ("entity=nobody", set()),
    ],
)
def test_claim_filters(anonymous, catalogue, query, expected):
    assert set(slugs(anonymous.get(f"/api/claims/?{query}"))) == expected


def test_status_filter_shows_drafts_to_reviewers_only(anonymous, reviewer_client, catalogue):
    assert slugs(anonymous.get("/api/claims/?status=draft")) == []
    assert slugs(reviewer_client.get("/api/claims/?status=draft")) == ["draft-claim"]


def test_source_filter_takes_a_source_id(anonymous, catalogue):
    source = catalogue["sources"][1]
    assert slugs(anonymous.get(f"/api/claims/?source={source.pk}")) == ["musk-gave"]


def test_updated_after_filter(anonymous, catalogue):
    Claim.objects.filter(slug="musk-gave").update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = anonymous.get("/api/claims/", {"updated_after": since})
    assert slugs(response) == ["xai-founded"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("disputed=maybe", "disputed"),
        ("status=secret", "status"),
        ("verdict=pants-on-fire", "verdict"),
        ("kind=opinion", "kind"),
        ("source=abc", "source"),
        ("source=99999999999999999999", "source"),
        ("updated_after=yesterday", "updated_after"),
        ("q=%00", "q"),
        ("entity=a%00b", "entity"),
    ],
)
def test_bad_filter_values_answer_400_naming_the_parameter(anonymous, catalogue, query, field):
    response = anonymous.get(f"/api/claims/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_cursor_pagination_walks_every_claim_once(anonymous, catalogue, monkeypatch):
    monkeypatch.setattr(LedgerCursorPagination, "page_size", 1)
    seen, url = [], "/api/claims/"
    while url:
        body = anonymous.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == ["musk-gave", "xai-founded"]


def test_search_results_come_in_relevance_order_and_the_cursor_keeps_it(anonymous, db, monkeypatch):
    """Best match first (claims.search): more words, then words in the statements, then
    the latest change; the least relevant claims are the newest, so recency alone would
    reverse the order. Pages of two cut through a rank shared by three claims."""
    musk = make_entity(slug="elon-musk", name="Elon Musk", aliases=["马斯克"])
    made = {
        "both-stated": {"statement_en": "Did Musk fund OpenAI?"},
        "both-one-by-subject": {"statement_en": "Did he fund OpenAI?", "subjects": [musk]},
        "musk-stated-a": {"statement_en": "Did Musk sue?"},
        "musk-stated-b": {"statement_en": "Did Musk leave?"},
        "musk-stated-c": {"statement_en": "Did Musk tweet?"},
        "musk-by-subject": {"statement_en": "Did he resign?", "subjects": [musk]},
        "unrelated": {"statement_en": "Was it sunny?"},
    }
    now = timezone.now()
    for age, (slug, fields) in enumerate(made.items()):
        claim = publish(make_claim(slug=slug, **fields))
        Claim.objects.filter(pk=claim.pk).update(updated_at=now - timedelta(hours=10 - age))
    expected = [
        "both-stated",
        "both-one-by-subject",
        "musk-stated-c",
        "musk-stated-b",
        "musk-stated-a",
        "musk-by-subject",
    ]
    monkeypatch.setattr(LedgerCursorPagination, "page_size", 2)
    pages, url = [], "/api/claims/?q=musk+openai"
    while url:
        body = anonymous.get(url).json()
        pages.append([row["slug"] for row in body["results"]])
        assert body["previous"] is None
        url = body["next"]
    assert pages == [expected[0:2], expected[2:4], expected[4:6]]
    assert [c.slug for c in search_claims(Claim.objects.published(), "musk openai")] == expected
    assert anonymous.get("/api/claims/?q=musk&cursor=bm90IGpzb24=").status_code == 404
    assert anonymous.get("/api/claims/?q=musk&cursor=WyJ4Il0=").status_code == 404
    too_big = base64.b64encode(
        json.dumps([1, {"at": "2024-01-01T00:00:00+00:00"}, 10**30]).encode()
    )
    assert anonymous.get(f"/api/claims/?q=musk&cursor={too_big.decode()}").status_code == 404


def test_claim_detail_carries_assertions_and_conflicts_in_the_contract_shape(anonymous, ledger):
    response = anonymous.get("/api/claims/musk-gave/")
    assert response.status_code == 200
    claim = response.json()
    assert claim["disputed"] is True and claim["rating_value"] == 3
    first = next(a for a in claim["assertions"] if a["id"] == ledger["assertions"][0].pk)
    source = ledger["sources"][0]
    assert first == {
        "id": ledger["assertions"][0].pk,
        "claim": "musk-gave",
        "stance": "supports",
        "value": {
            "low": 44_000_000,
            "high": 44_000_000,
            "kind": "exact",
            "unit": "USD",
            "text": "4400万美元",
            "origin": "reviewer",
        },
        "speaker": None,
        "quote": {
            "id": ledger["assertions"][0].quote_id,
            "exact": "4400万美元",
            "start": source.text.index("4400万美元"),
            "end": source.text.index("4400万美元") + len("4400万美元"),
            "prefix": "马斯克说他给了OpenAI ",
            "suffix": "。奥特曼说不到4500万美元。",
            "anchor_state": "anchored",
            "source": {
                "id": source.pk,
                "title": "Public article",
                "outlet": "Outlet A",
                "published_on": "2024-03-06",
                "url": "https://news.example/a",
            },
        },
        "version": 1,
        "created_at": first["created_at"],
        "updated_at": first["updated_at"],
    }
    conflict = ledger["conflict"]
    assert claim["conflicts"] == [
        {
            "id": conflict.pk,
            "claim": "musk-gave",
            "kind": "value",
            "status": "open",
            "origin": "auto",
            "assertions": [a.pk for a in ledger["assertions"]],
            "reason": conflict.reason,
            "note": "",
            "created_at": claim["conflicts"][0]["created_at"],
            "updated_at": claim["conflicts"][0]["updated_at"],
        }
    ]


@pytest.mark.parametrize("who", ["anonymous", "reviewer_client"])
def test_claim_detail_shows_each_assertion_as_the_assertions_endpoint_does(request, who, seeded):
    """The detail reads its assertions as rows; every seeded claim's must match, field for
    field, the same assertions read as models through /api/assertions/."""
    client = request.getfixturevalue(who)
    services.assertion_update(
        assertion=Assertion.objects.filter(claim__status="published").first(),
        stance="supports",
        note="Checked against the filing.",
    )
    claims = Claim.objects.all() if who == "reviewer_client" else Claim.objects.published()
    assert claims.count() >= 5
    for slug in claims.values_list("slug", flat=True):
        detail = client.get(f"/api/claims/{slug}/").json()
        listed, url = [], f"/api/assertions/?claim={slug}"
        while url:
            page = client.get(url).json()
            listed += page["results"]
            url = page["next"]
        assert listed
        assert {a["id"]: a for a in detail["assertions"]} == {a["id"]: a for a in listed}


@pytest.mark.parametrize("who", ["anonymous", "reviewer_client"])
def test_claim_detail_is_what_the_detail_serializer_makes_of_the_claim(request, who, seeded):
    """The detail is shaped by plain functions; ClaimDetailSerializer, which the schema
    documents, must make the very same JSON of every seeded claim, key order included."""
    client = request.getfixturevalue(who)
    reviewer = who == "reviewer_client"
    Conflict.objects.filter(pk=Conflict.objects.order_by("pk").values("pk")[:1]).update(
        reviewer_note="Asked the outlet.", note="Settled by the filing."
    )
    claims = Claim.objects.all() if reviewer else Claim.objects.published()
    detail = claims.with_counts().prefetch_related(
        "subjects", "topics", "conflicts", "positions__ratings"
    )
    assert claims.filter(conflicts__isnull=False).exists()
    assert claims.filter(positions__isnull=False).exists()
    for claim in detail:
        response = client.get(f"/api/claims/{claim.slug}/")
        expected = ClaimDetailSerializer(claim, context={"reviewer": reviewer}).data
        assert response.content == LedgerJSONRenderer().render(expected), claim.slug


def test_unknown_claim_is_404(anonymous, reviewer_client, db):
    assert anonymous.get("/api/claims/no-such-claim/").status_code == 404
    response = reviewer_client.patch(
        "/api/claims/no-such-claim/", {"unit": "x"}, format="json", HTTP_IF_MATCH='"1-1"'
    )
    assert response.status_code == 404


def test_date_values_are_iso_dates(anonymous, db):
    source = make_source("他在2018年2月离开了董事会。")
    claim = make_claim(kind="date", unit="", slug="left-board")
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "2018年2月"),
        stance="supports",
        value=services.interval_from(
            {"low": 736726, "high": 736753, "kind": "range"}, default_unit="date"
        ),
    )
    publish(claim)
    value = anonymous.get("/api/claims/left-board/").json()["assertions"][0]["value"]
    assert (value["low"], value["high"], value["unit"]) == ("2018-02-01", "2018-02-28", "date")


# Writes


def test_reviewer_creates_a_draft_claim(reviewer_client, db):
    musk = make_entity(slug="elon-musk")
    response = reviewer_client.post(
        "/api/claims/",
        {
            "slug": "odds",
            "statement_en": "What odds did Musk give OpenAI?",
            "statement_zh": "马斯克认为OpenAI成功的几率是多少?",
            "kind": "quantity",
            "unit": "percent",
            "subjects": ["elon-musk"],
            "reviewer_notes": "see 001",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["subjects"], body["reviewer_notes"]) == (
        "draft",
        ["elon-musk"],
        "see 001",
    )
    assert response["ETag"] == f'"{Claim.objects.get(slug="odds").pk}-1"'
    assert list(Claim.objects.get(slug="odds").subjects.all()) == [musk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statement_en": "No slug?", "kind": "text"}, "slug"),
        ({"slug": "a", "kind": "text"}, "statement_en"),
        ({"slug": "a", "statement_en": "No kind?"}, "kind"),
        ({"slug": "a", "statement_en": "Bad kind?", "kind": 5}, "kind"),
        ({"slug": "has space", "statement_en": "S?", "kind": "text"}, "slug"),
        ({"slug": "a", "statement_en": ["not", "text"], "kind": "text"}, "statement_en"),
        ({"slug": "a", "statement_en": "S?", "kind": "text", "subjects": "x"}, "subjects"),
        ({"slug": "a", "statement_en": "S?", "kind": "text", "subjects": ["ghost"]}, "subjects"),
        ({"slug": "a", "statement_en": "NUL\x00here", "kind": "text"}, "statement_en"),
        ({"slug": "a", "statement_en": "S?", "kind": "text", "unit": "\x00"}, "unit"),
        ({"slug": "a", "statement_en": "   ", "kind": "text"}, "statement_en"),
        ({"slug": "musk-gave", "statement_en": "Again?", "kind": "text"}, "slug"),
    ],
)
def test_bad_claims_answer_400_naming_the_field(reviewer_client, ledger, body, field):
    before = Claim.objects.count()
    response = reviewer_client.post("/api/claims/", body, format="json")
    text = str(response.json())
    # Naming a subject that does not exist is a 404, a slug already taken a 409.
    expected = 404 if "does not exist" in text else 409 if "already exists" in text else 400
    assert response.status_code == expected, text
    assert field in response.json(), response.json()
    assert Claim.objects.count() == before


def test_patch_with_current_etag_succeeds_and_returns_the_next_one(reviewer_client, ledger):
    etag = reviewer_client.get("/api/claims/draft-claim/")["ETag"]
    response = reviewer_client.patch(
        "/api/claims/draft-claim/", {"unit": "CNY"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.json()["unit"] == "CNY"
    assert response["ETag"] != etag
    assert response["ETag"] == reviewer_client.get("/api/claims/draft-claim/")["ETag"]


@pytest.mark.parametrize("method", ["patch", "put"])
def test_stale_if_match_answers_412_and_changes_nothing(reviewer_client, ledger, method):
    stale = reviewer_client.get("/api/claims/draft-claim/")["ETag"]
    reviewer_client.patch(
        "/api/claims/draft-claim/", {"unit": "CNY"}, format="json", HTTP_IF_MATCH=stale
    )
    body = {"slug": "draft-claim", "statement_en": "Overwritten?", "kind": "text"}
    response = getattr(reviewer_client, method)(
        "/api/claims/draft-claim/", body, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert "changed by someone else" in response.json()["detail"]
    assert response["ETag"] == reviewer_client.get("/api/claims/draft-claim/")["ETag"] != stale
    claim = Claim.objects.get(slug="draft-claim")
    assert (claim.statement_en, claim.unit) == ("Unpublished?", "CNY")


def test_if_match_for_another_object_answers_412(reviewer_client, ledger):
    other = reviewer_client.get("/api/claims/musk-gave/")["ETag"]
    response = reviewer_client.patch(
        "/api/claims/draft-claim/", {"unit": "USD"}, format="json", HTTP_IF_MATCH=other
    )
    assert response.status_code == 412
    claim = Claim.objects.get(slug="draft-claim")
    assert (claim.unit, claim.version) == (ledger["draft"].unit, ledger["draft"].version)


def test_put_needs_the_required_fields(reviewer_client, ledger):
    url = "/api/claims/draft-claim/"
    response = reviewer_client.put(
        url, {"unit": "x"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 400
    assert set(response.json()) == {"slug", "statement_en", "kind"}


def test_put_replaces_the_statement(reviewer_client, ledger):
    url = "/api/claims/draft-claim/"
    response = reviewer_client.put(
        url,
        {"slug": "draft-claim", "statement_en": "Rewritten?", "kind": "text", "topics": []},
        format="json",
        **if_match(reviewer_client, url),
    )
    assert response.status_code == 200
    assert Claim.objects.get(slug="draft-claim").statement_en == "Rewritten?"


def test_patch_with_bad_values_answers_400_naming_the_field(reviewer_client, ledger):
    for body, field in [
        ({"status": "gone"}, "status"),
        ({"status": "published"}, "status"),  # a draft cannot jump to published
        ({"rationale": "\x00"}, "rationale"),
        ({"verdict": 3}, "verdict"),
    ]:
        url = "/api/claims/draft-claim/"
        response = reviewer_client.patch(url, body, format="json", **if_match(reviewer_client, url))
        assert (response.status_code, field in response.json()) == (400, True), body


# CSV


def test_disputed_claims_as_csv(anonymous, catalogue):
    response = anonymous.get("/api/claims/?disputed=true&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == ["musk-gave"]
    assert rows[0]["disputed"] == "true" and rows[0]["verdict"] == "mixed"
    assert rows[0]["open_conflict_count"] == "1"


def test_csv_is_not_paginated(anonymous, catalogue, monkeypatch):
    monkeypatch.setattr(LedgerCursorPagination, "page_size", 1)
    response = anonymous.get("/api/claims/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["slug"] for row in rows} == {"musk-gave", "xai-founded"}


def test_csv_errors_name_the_parameter(anonymous, db):
    response = anonymous.get("/api/claims/?disputed=maybe&format=csv")
    assert response.status_code == 400
    assert response.content.decode().splitlines()[1].startswith("disputed,")
