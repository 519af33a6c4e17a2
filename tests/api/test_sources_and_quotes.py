import json

import pytest

from claims.models import Quote
from sources.models import Source
from tests.factories import make_entity, make_source

pytestmark = pytest.mark.django_db

ARTICLE = "马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。马斯克说。"


def test_sources_list_without_text_and_detail_with_text_and_hash(anonymous, ledger):
    listed = anonymous.get("/api/sources/").json()["results"]
    assert all("text" not in row for row in listed)
    source = ledger["sources"][0]
    detail = anonymous.get(f"/api/sources/{source.pk}/").json()
    assert (detail["text"], detail["sha256"], detail["title"]) == (
        source.text,
        source.sha256,
        "Public article",
    )


def test_source_filters(anonymous, ledger):
    english = make_source("Musk said he gave $44 million.", title="English one", language="en")
    anonymous_ids = {
        row["id"] for row in anonymous.get("/api/sources/?language=zh-Hans").json()["results"]
    }
    assert anonymous_ids == {s.pk for s in ledger["sources"]}
    assert english.pk not in anonymous_ids
    response = anonymous.get("/api/sources/?language=klingon")
    assert response.status_code == 400 and "language" in response.json()


def test_importing_a_new_source_answers_201(reviewer_client, db):
    response = reviewer_client.post(
        "/api/sources/",
        {
            "title": "An article",
            "text": "  Indented first line.\r\nSecond line.  ",
            "language": "en",
            "url": "https://news.example/article",
            "outlet": "News",
            "author": "A. Writer",
            "published_on": "2024-03-06",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["already_existed"] is False
    # Stored exactly, but for line endings (offsets count into this text).
    assert body["text"] == "  Indented first line.\nSecond line.  "
    assert Source.objects.get(pk=body["id"]).published_on.isoformat() == "2024-03-06"


def test_importing_identical_text_answers_200_with_the_existing_source(reviewer_client, db):
    existing = make_source(ARTICLE, title="First import")
    response = reviewer_client.post(
        "/api/sources/", {"title": "Again", "text": ARTICLE, "language": "zh-Hans"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["already_existed"]) == (
        existing.pk,
        "First import",
        True,
    )
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "T.", "language": "en"}, "title"),
        ({"title": "T", "language": "en"}, "text"),
        ({"title": "T", "text": "T."}, "language"),
        ({"title": "T", "text": "T.", "language": "fr"}, "language"),
        ({"title": "T", "text": 42, "language": "en"}, "text"),
        ({"title": "T", "text": "T.", "language": "en", "published_on": "March"}, "published_on"),
        ({"title": "T", "text": "T.", "language": "en", "url": "not a url"}, "url"),
        ({"title": "T", "text": "a\x00b", "language": "en"}, "text"),
        ({"title": "T\x00", "text": "T.", "language": "en"}, "title"),
        ({"title": "T", "text": "   ", "language": "en"}, "text"),
    ],
)
def test_bad_sources_answer_400_naming_the_field(reviewer_client, db, body, field):
    response = reviewer_client.post("/api/sources/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Source.objects.count() == 0


def test_body_over_the_limit_answers_413_and_stores_nothing(reviewer_client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"title": "Too long", "text": "字" * 1000, "language": "zh-Hans"}
    response = reviewer_client.post("/api/sources/", body, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than this server accepts."}
    assert Source.objects.count() == 0


def test_body_under_the_limit_is_accepted(reviewer_client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"title": "Short", "text": "字" * 100, "language": "zh-Hans"}
    assert len(json.dumps(body).encode()) < 1000
    assert reviewer_client.post("/api/sources/", body, format="json").status_code == 201


def test_malformed_json_answers_400(reviewer_client, db):
    response = reviewer_client.post("/api/sources/", b'{"title": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


# Quotes


@pytest.fixture
def article(db):
    return make_source(ARTICLE, title="Quoted")


def post_quote(client, **body):
    return client.post("/api/quotes/", body, format="json")


def test_quote_is_created_with_resolved_offsets_and_context(reviewer_client, article):
    make_entity(slug="sam-altman")
    response = post_quote(
        reviewer_client, source=article.pk, exact="不到4500万美元", speaker="sam-altman"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    start = ARTICLE.index("不到4500万美元")
    assert (body["start"], body["end"]) == (start, start + len("不到4500万美元"))
    assert body["prefix"] == ARTICLE[:start] and body["speaker"] == "sam-altman"
    assert ARTICLE[body["start"] : body["end"]] == body["exact"]


def test_ambiguous_quote_is_refused_with_the_count(reviewer_client, article):
    response = post_quote(reviewer_client, source=article.pk, exact="马斯克说")
    assert response.status_code == 400
    assert "2 times" in response.json()["exact"][0]
    assert Quote.objects.count() == 0


def test_ambiguous_quote_is_settled_by_its_prefix_or_start(reviewer_client, article):
    second = ARTICLE.rindex("马斯克说")
    by_prefix = post_quote(reviewer_client, source=article.pk, exact="马斯克说", prefix="美元。")
    assert (by_prefix.status_code, by_prefix.json()["start"]) == (201, second)
    by_start = post_quote(reviewer_client, source=article.pk, exact="马斯克说", start=0)
    assert (by_start.status_code, by_start.json()["start"]) == (201, 0)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"exact": "一亿美元"}, "exact", "does not occur"),
        ({"exact": "马斯克说", "start": 5, "end": 9}, "start", ""),
        ({}, "exact", "required"),
        ({"exact": ""}, "exact", "blank"),
        ({"exact": "美元", "start": "first"}, "start", "integer"),
        ({"exact": "美元", "start": -1}, "start", ""),
        ({"exact": "美元\x00"}, "exact", "Null"),
        ({"exact": "4400万美元", "prefix": "\x00"}, "prefix", "Null"),
        ({"exact": "4400万美元", "speaker": "nobody"}, "speaker", "does not exist"),
        ({"exact": "4400万美元", "source": 999999}, "source", "does not exist"),
        ({"exact": "4400万美元", "source": "one"}, "source", "Incorrect type"),
    ],
)
def test_bad_quotes_answer_400_naming_the_field(reviewer_client, article, body, field, words):
    response = post_quote(reviewer_client, **{"source": article.pk, **body})
    assert response.status_code == (404 if words == "does not exist" else 400)
    messages = response.json()[field]
    assert words in " ".join(messages), messages
    assert Quote.objects.count() == 0


def test_missing_source_is_named(reviewer_client, article):
    response = post_quote(reviewer_client, exact="4400万美元")
    assert response.status_code == 400 and "source" in response.json()


def test_the_same_passage_twice_is_refused(reviewer_client, article):
    assert post_quote(reviewer_client, source=article.pk, exact="4400万美元").status_code == 201
    response = post_quote(reviewer_client, source=article.pk, exact="4400万美元")
    assert response.status_code == 400 and "already quote" in response.json()["exact"][0]


def test_quote_filters(anonymous, reviewer_client, ledger):
    source = ledger["sources"][0]
    rows = anonymous.get(f"/api/quotes/?source={source.pk}").json()["results"]
    assert [row["exact"] for row in rows] == ["4400万美元"]
    rows = reviewer_client.get("/api/quotes/?claim=draft-claim").json()["results"]
    assert [row["id"] for row in rows] == [ledger["draft_quote"].pk]
    assert anonymous.get("/api/quotes/?claim=draft-claim").json()["results"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/claims/a%00b/",
        "/api/entities/%00/",
        "/api/sources/99999999999999999999999/",
        "/api/quotes/-1/",
        "/api/assertions/1.5/",
    ],
)
def test_malformed_ids_in_the_path_are_404(anonymous, db, url):
    assert anonymous.get(url).status_code == 404


def test_an_id_beyond_64_bits_in_the_body_names_no_source(reviewer_client, article):
    response = post_quote(reviewer_client, source=10**20, exact="4400万美元")
    assert response.status_code == 404 and "source" in response.json()
