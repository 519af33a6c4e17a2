import pytest

from claims.models import Assertion, Conflict, ConflictStatus
from domain import extraction
from tests.api.conftest import if_match
from tests.factories import make_claim, make_quote, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted(ledger):
    """A new quote, not yet linked to anything, in the ledger's first source."""
    return make_quote(ledger["sources"][0], "不到4500万美元")


def post_assertion(client, **body):
    return client.post("/api/assertions/", body, format="json")


def test_assertion_with_a_value_recomputes_the_claims_conflicts(reviewer_client, ledger, quoted):
    response = post_assertion(
        reviewer_client,
        claim="musk-gave",
        quote=quoted.pk,
        stance="supports",
        value={"high": 45_000_000, "kind": "upper_bound", "text": "不到4500万美元"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["value"] == {
        "low": None,
        "high": 45_000_000,
        "kind": "upper_bound",
        "unit": "USD",
        "text": "不到4500万美元",
        "origin": "reviewer",
    }
    assert body["quote"]["exact"] == "不到4500万美元"
    # at most 45M contradicts 50–100M; 44M exact fits under it
    pairs = {
        tuple(c["assertions"])
        for c in reviewer_client.get("/api/claims/musk-gave/").json()["conflicts"]
    }
    assert (ledger["assertions"][1].pk, body["id"]) in pairs
    assert (ledger["assertions"][0].pk, body["id"]) not in pairs


def test_omitted_value_on_a_quantity_claim_is_read_from_the_quote(reviewer_client, ledger, quoted):
    response = post_assertion(
        reviewer_client, claim="musk-gave", quote=quoted.pk, stance="supports"
    )
    assert response.status_code == 201
    interval, text = extraction.value_for(
        quoted.exact, unit="USD", published_on=quoted.source.published_on
    )
    assert response.json()["value"] == {
        "low": interval.low,
        "high": interval.high,
        "kind": interval.kind,
        "unit": "USD",
        "text": text,
        "origin": "extracted",
    }
    assert (interval.kind, interval.high) == ("upper_bound", 45_000_000)


def test_date_values_go_in_and_out_as_iso_dates(reviewer_client, db):
    source = make_source("他在2018年2月离开了董事会。")
    make_claim(kind="date", unit="", slug="left-board")
    quote = make_quote(source, "2018年2月")
    response = post_assertion(
        reviewer_client,
        claim="left-board",
        quote=quote.pk,
        stance="supports",
        value={"low": "2018-02-01", "high": "2018-02-28", "kind": "range"},
    )
    assert response.status_code == 201, response.json()
    value = response.json()["value"]
    assert (value["low"], value["high"], value["unit"]) == ("2018-02-01", "2018-02-28", "date")
    assertion = Assertion.objects.get()
    assert assertion.low == 736726 and assertion.high == 736753


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"claim": "musk-gave", "stance": "supports"}, "quote", "required"),
        ({"quote": "Q", "stance": "supports"}, "claim", "required"),
        ({"claim": "musk-gave", "quote": "Q"}, "stance", "required"),
        ({"claim": "no-such-claim", "quote": "Q", "stance": "supports"}, "claim", "does not exist"),
        ({"claim": "musk-gave", "quote": 999999, "stance": "supports"}, "quote", "does not exist"),
        ({"claim": "musk-gave", "quote": "Q", "stance": "agrees"}, "stance", "not a valid"),
        ({"claim": "musk-gave", "quote": "Q", "stance": 1}, "stance", "not a valid"),
        ({"claim": ["musk-gave"], "quote": "Q", "stance": "supports"}, "claim", ""),
        (
            {"claim": "musk-gave", "quote": "Q", "stance": "supports", "note": "\x00"},
            "note",
            "Null",
        ),
        (
            {"claim": "musk-gave", "quote": "Q", "stance": "supports", "value": "45M"},
            "value",
            "dictionary",
        ),
        (
            {"claim": "musk-gave", "quote": "Q", "stance": "supports", "value": {"low": 1}},
            "value",
            "required",
        ),
        (
            {
                "claim": "musk-gave",
                "quote": "Q",
                "stance": "supports",
                "value": {"low": 9, "high": 5, "kind": "range"},
            },
            "value.low",
            "greater than high",
        ),
        (
            {
                "claim": "musk-gave",
                "quote": "Q",
                "stance": "supports",
                "value": {"low": "many", "high": 5, "kind": "range"},
            },
            "value",
            "number",
        ),
        (
            {
                "claim": "musk-gave",
                "quote": "Q",
                "stance": "supports",
                "value": {"low": "2018-02-01", "high": "2018-02-01", "kind": "exact"},
            },
            "value.low",
            "must be a number",
        ),
        (
            {
                "claim": "musk-gave",
                "quote": "Q",
                "stance": "supports",
                "value": {"low": 1, "high": 2, "kind": "exact"},
            },
            "value.high",
            "low equal to high",
        ),
        (
            {
                "claim": "musk-gave",
                "quote": "Q",
                "stance": "supports",
                "value": {"low": 10**30, "high": 10**30, "kind": "exact"},
            },
            "value",
            "digits",
        ),
        (
            {
                "claim": "musk-gave",
                "quote": "Q",
                "stance": "supports",
                "value": {"low": 1, "high": 1, "kind": "exact", "unit": "U\x00"},
            },
            "value",
            "Null",
        ),
    ],
)
def test_bad_assertions_answer_400_naming_the_field(
    reviewer_client, ledger, quoted, body, field, words
):
    if body.get("quote") == "Q":
        body["quote"] = quoted.pk
    before = Assertion.objects.count()
    response = post_assertion(reviewer_client, **body)
    errors = response.json()
    # Naming only objects that do not exist is a 404; any other refusal a 400.
    assert response.status_code == (404 if "does not exist" in str(errors) else 400), errors
    assert field in errors, errors
    assert words in str(errors[field]), errors
    assert Assertion.objects.count() == before


def test_the_same_quote_twice_on_a_claim_is_refused(reviewer_client, ledger):
    response = post_assertion(
        reviewer_client,
        claim="musk-gave",
        quote=ledger["assertions"][0].quote_id,
        stance="supports",
    )
    assert response.status_code == 400 and "already linked" in response.json()["quote"][0]


def test_assertion_detail_has_an_etag_and_patch_honours_if_match(reviewer_client, ledger):
    url = f"/api/assertions/{ledger['assertions'][0].pk}/"
    etag = reviewer_client.get(url)["ETag"]
    assert etag == f'"{ledger["assertions"][0].pk}-1"'
    response = reviewer_client.patch(
        url,
        {"value": {"low": 50_000_000, "high": 50_000_000, "kind": "exact"}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{ledger["assertions"][0].pk}-2"'
    # 50M now lies inside 50–100M: the detected conflict goes away
    assert not Conflict.objects.filter(claim__slug="musk-gave").exists()
    stale = reviewer_client.patch(url, {"stance": "contradicts"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Assertion.objects.get(pk=ledger["assertions"][0].pk).stance == "supports"


def test_patch_value_null_clears_it_and_omitting_it_keeps_it(reviewer_client, ledger):
    first, second = ledger["assertions"]
    url = f"/api/assertions/{first.pk}/"
    response = reviewer_client.patch(
        url, {"note": "checked"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.json()["value"]["low"] == 44_000_000
    url = f"/api/assertions/{second.pk}/"
    response = reviewer_client.patch(
        url, {"value": None}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 200 and response.json()["value"] is None


def test_put_on_an_assertion_needs_a_stance(reviewer_client, ledger):
    url = f"/api/assertions/{ledger['assertions'][0].pk}/"
    response = reviewer_client.put(
        url, {"note": "x"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 400 and "stance" in response.json()


def test_patch_with_low_above_high_answers_400_and_changes_nothing(reviewer_client, ledger):
    first = ledger["assertions"][0]
    url = f"/api/assertions/{first.pk}/"
    response = reviewer_client.patch(
        url,
        {"value": {"low": 9, "high": 1, "kind": "range"}},
        format="json",
        **if_match(reviewer_client, url),
    )
    assert response.status_code == 400 and "value.low" in response.json()
    assert Assertion.objects.get(pk=first.pk).version == 1


def test_assertion_filters(anonymous, reviewer_client, ledger):
    first = ledger["assertions"][0]
    rows = anonymous.get(f"/api/assertions/?quote={first.quote_id}").json()["results"]
    assert [row["id"] for row in rows] == [first.pk]
    rows = anonymous.get(f"/api/assertions/?source={first.quote.source_id}").json()["results"]
    assert [row["id"] for row in rows] == [first.pk]
    assert anonymous.get("/api/assertions/?claim=draft-claim").json()["results"] == []
    rows = reviewer_client.get("/api/assertions/?claim=draft-claim&stance=mentions").json()
    assert [row["id"] for row in rows["results"]] == [ledger["draft_assertion"].pk]


# Conflicts


def test_conflict_filters(anonymous, ledger):
    pk = ledger["conflict"].pk
    for query in ["claim=musk-gave", "status=open", "origin=auto", "kind=value"]:
        assert [r["id"] for r in anonymous.get(f"/api/conflicts/?{query}").json()["results"]] == [
            pk
        ]
    for query in ["claim=draft-claim", "status=resolved", "origin=reviewer"]:
        assert anonymous.get(f"/api/conflicts/?{query}").json()["results"] == []
    response = anonymous.get("/api/conflicts/?status=settled")
    assert response.status_code == 400 and "status" in response.json()


def test_reviewer_resolves_a_conflict_with_a_note(reviewer_client, anonymous, ledger):
    url = f"/api/conflicts/{ledger['conflict'].pk}/"
    response = reviewer_client.patch(
        url,
        {"status": "resolved", "note": "both true at different dates"},
        format="json",
        **if_match(reviewer_client, url),
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == (
        "resolved",
        "both true at different dates",
    )
    assert anonymous.get("/api/claims/musk-gave/").json()["disputed"] is False


def test_a_reviewers_note_on_a_conflict_is_for_reviewers_only(reviewer_client, anonymous, ledger):
    url = f"/api/conflicts/{ledger['conflict'].pk}/"
    response = reviewer_client.patch(
        url,
        {"status": "resolved", "note": "different dates", "reviewer_note": "check the filing"},
        format="json",
        **if_match(reviewer_client, url),
    )
    assert response.status_code == 200
    assert response.json()["reviewer_note"] == "check the filing"
    assert Conflict.objects.get(pk=ledger["conflict"].pk).reviewer_note == "check the filing"
    shown = anonymous.get(url).json()
    assert shown["note"] == "different dates" and "reviewer_note" not in shown
    claim = anonymous.get("/api/claims/musk-gave/").json()
    assert all("reviewer_note" not in conflict for conflict in claim["conflicts"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "resolved"}, "note"),
        ({"status": "dismissed", "note": ""}, "note"),
        ({"status": "settled"}, "status"),
        ({"status": "resolved", "note": "\x00"}, "note"),
    ],
)
def test_bad_conflict_changes_answer_400_naming_the_field(reviewer_client, ledger, body, field):
    url = f"/api/conflicts/{ledger['conflict'].pk}/"
    response = reviewer_client.patch(url, body, format="json", **if_match(reviewer_client, url))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Conflict.objects.get(pk=ledger["conflict"].pk).status == ConflictStatus.OPEN


def test_put_on_a_conflict_is_not_allowed(reviewer_client, ledger):
    url = f"/api/conflicts/{ledger['conflict'].pk}/"
    assert reviewer_client.put(url, {"status": "confirmed"}, format="json").status_code == 405


def test_reviewer_marks_a_conflict(reviewer_client, ledger, quoted):
    other = post_assertion(reviewer_client, claim="musk-gave", quote=quoted.pk, stance="mentions")
    first = ledger["assertions"][0]
    response = reviewer_client.post(
        "/api/conflicts/",
        {"first": other.json()["id"], "second": first.pk, "note": "cannot both be the total"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["origin"], body["status"], body["kind"]) == ("reviewer", "confirmed", "other")
    assert body["assertions"] == [first.pk, other.json()["id"]]


def test_marking_a_conflict_across_claims_is_refused(reviewer_client, ledger):
    response = reviewer_client.post(
        "/api/conflicts/",
        {"first": ledger["assertions"][0].pk, "second": ledger["draft_assertion"].pk},
        format="json",
    )
    assert response.status_code == 400 and "second" in response.json()


def test_entities_list_aliases(anonymous, seeded):
    rows = anonymous.get("/api/entities/").json()["results"]
    musk = next(row for row in rows if row["slug"] == "elon-musk")
    assert {"马斯克", "馬斯克", "Elon Musk"} <= set(musk["aliases"])
    assert anonymous.get("/api/entities/elon-musk/").json()["name"] == "Elon Musk"
    assert anonymous.get("/api/entities/?kind=organisation").status_code == 200


def test_topics(anonymous, seeded):
    assert {row["slug"] for row in anonymous.get("/api/topics/").json()["results"]} >= {"funding"}
    assert anonymous.get("/api/topics/funding/").json()["name"] == "Funding"
    assert anonymous.get("/api/topics/nothing/").status_code == 404
