"""The Atom feed: valid for feed readers, with an author, and polled with conditional GETs."""

import feedparser
import pytest
from django.conf import settings

from claims import services
from claims.models import Claim
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_feed_readers_parse_it_with_its_author(seeded, client):
    response = client.get("/en/feed/")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.author == "Claims ledger"
    assert feed.feed.author_detail.href == f"{settings.SITE_URL}/en/"
    assert feed.entries and all(
        entry.link.startswith(f"{settings.SITE_URL}/en/claims/") for entry in feed.entries
    )
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{settings.SITE_URL}/en/feed/"]


def test_the_feed_answers_conditional_gets(seeded, client):
    first = client.get("/en/feed/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/en/feed/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/en/feed/", headers={"If-Modified-Since": modified}).status_code == 304
    make_claim(slug="a-new-draft")  # readers cannot see a draft: nothing to fetch
    assert client.get("/en/feed/", headers={"If-None-Match": etag}).status_code == 304
    services.claim_set_status(claim=Claim.objects.published().first(), status="in_review")
    assert client.get("/en/feed/", headers={"If-None-Match": etag}).status_code == 200


def test_the_feed_says_what_it_varies_by(seeded, client):
    response = client.get("/en/feed/")
    vary = {name.strip() for name in response["Vary"].split(",")}
    assert "Cookie" in vary and "Accept-Language" not in vary
    chinese = client.get("/zh-hans/feed/")
    assert chinese["ETag"] != response["ETag"]
    assert (
        feedparser.parse(chinese.content).feed.title
        != feedparser.parse(response.content).feed.title
    )
