"""Reader pages' validators (ETag, Last-Modified), Cache-Control and compression.

An ETag must name everything a page is built from: the release of the code and static files,
the page itself, its language, and the published ledger. A page that is not there is never
answered 304, and nothing a reviewer does to a draft shows in what readers are sent.
"""

import gzip

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

from claims import services
from claims.roles import REVIEWER
from domain.intervals import exact
from sources.services import source_update
from tests.constants import M
from tests.factories import (
    logged_in,
    make_claim,
    make_entity,
    make_quote,
    make_source,
    make_user,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    """A published claim about an entity, quoting one source; a draft sharing that source."""
    entity = make_entity(slug="elon-musk", name="Elon Musk")
    source = make_source("马斯克出资4400万美元。奥特曼说不到4500万美元。", title="报道")
    claim = make_claim(slug="musk-money", statement_en="How much?", subjects=[entity])
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "马斯克出资4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    draft = make_claim(slug="draft", statement_en="A draft?", subjects=[entity])
    return {"claim": publish(claim), "draft": draft, "source": source, "entity": entity}


def pages(ledger):
    return [
        "/en/",
        "/en/?page=1",
        f"/en/claims/{ledger['claim'].slug}/",
        f"/en/sources/{ledger['source'].pk}/",
        f"/en/entities/{ledger['entity'].slug}/",
        "/en/feed/",
    ]


def validators(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response["ETag"], response["Last-Modified"]


def revalidate(client, url, etag, **headers):
    return client.get(url, headers={"If-None-Match": etag, **headers}).status_code


def test_every_page_has_its_own_etag(client, ledger):
    etags = [validators(client, url)[0] for url in pages(ledger)]
    assert len(set(etags)) == len(etags)


@pytest.mark.parametrize(
    "missing",
    [
        "/en/claims/no-such-claim/",
        "/en/claims/draft/",
        "/en/sources/999999/",
        "/en/entities/nobody/",
    ],
)
def test_a_page_that_is_not_there_is_never_304(client, ledger, missing):
    etag, modified = validators(client, "/en/")
    assert revalidate(client, missing, etag) == 404
    assert client.get(missing, headers={"If-Modified-Since": modified}).status_code == 404
    assert "ETag" not in client.get(missing)


def test_an_entity_only_drafts_name_is_not_there_for_readers(client, ledger):
    draft_only = make_entity(slug="draft-only", name="Draft only")
    services.claim_update(claim=ledger["draft"], subjects=[ledger["entity"], draft_only])
    _, modified = validators(client, f"/en/entities/{ledger['entity'].slug}/")
    assert (
        client.get("/en/entities/draft-only/", headers={"If-Modified-Since": modified}).status_code
        == 404
    )


def test_the_etag_changes_with_the_release(client, ledger, settings):
    url = f"/en/claims/{ledger['claim'].slug}/"
    etag, _ = validators(client, url)
    settings.RELEASE = "next-deploy"
    assert revalidate(client, url, etag) == 200
    assert validators(client, url)[0] != etag


def test_the_etag_changes_with_the_static_files(client, ledger, monkeypatch):
    etag, _ = validators(client, "/en/")
    staticfiles_storage._setup()
    monkeypatch.setattr(staticfiles_storage._wrapped, "manifest_hash", "new-css", raising=False)
    assert revalidate(client, "/en/", etag) == 200


def test_the_etag_names_the_language(client, ledger):
    etag, _ = validators(client, "/en/")
    assert revalidate(client, "/en/", etag) == 304
    assert revalidate(client, "/zh-hans/", etag) == 200
    assert revalidate(client, "/zh-hant/", etag) == 200


def reviewer_client():
    return logged_in(make_user("rita", REVIEWER))


def test_readers_validators_do_not_move_with_drafts(client, ledger):
    before = {url: validators(client, url) for url in pages(ledger)}
    reviewer = reviewer_client()
    reviewers_etag = validators(reviewer, "/en/")[0]

    draft = services.claim_update(claim=ledger["draft"], statement_en="A draft, reworded?")
    services.assertion_add(
        claim=draft,
        quote=make_quote(ledger["source"], "奥特曼说不到4500万美元"),
        stance="contradicts",
        value=exact(45 * M, "USD"),
    )
    services.claim_set_status(claim=draft, status="in_review")
    make_claim(slug="another-draft")
    make_source("一篇新报道。")

    for url, (etag, modified) in before.items():
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304, url
        assert response["Last-Modified"] == modified, url
    assert revalidate(reviewer, "/en/", reviewers_etag) == 200


def test_publishing_and_unpublishing_move_readers_validators(client, ledger):
    etag, _ = validators(client, "/en/")
    draft = services.claim_set_status(claim=ledger["draft"], status="in_review")
    draft = services.claim_set_status(claim=draft, status="published")
    assert revalidate(client, "/en/", etag) == 200
    etag, _ = validators(client, "/en/")
    services.claim_set_status(claim=draft, status="in_review")
    assert revalidate(client, "/en/", etag) == 200


def test_editing_a_source_quoted_on_a_published_claim_moves_its_page(client, ledger):
    url = f"/en/sources/{ledger['source'].pk}/"
    etag, _ = validators(client, url)
    source_update(source=ledger["source"], title="报道(更正)")
    assert revalidate(client, url, etag) == 200


def test_anonymous_pages_are_public_and_revalidated(client, ledger):
    for url in pages(ledger):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate", url
        # The language is the URL's: shared caches keep one copy per URL, not per header.
        assert "Cookie" in response["Vary"] and "Accept-Language" not in response["Vary"], url
        not_modified = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert not_modified["Cache-Control"] == response["Cache-Control"], url


def test_signed_in_pages_are_private(ledger):
    response = reviewer_client().get("/en/")
    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"


def test_pages_are_compressed_and_revalidate_with_the_weak_etag(client, ledger):
    url = f"/en/claims/{ledger['claim'].slug}/"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"How much?" in gzip.decompress(response.content)
    etag = response["ETag"]
    assert etag.startswith('W/"')  # GZipMiddleware weakens it: the bytes differ
    assert revalidate(client, url, etag, **{"Accept-Encoding": "gzip"}) == 304


@pytest.mark.usefixtures("published_cache")
def test_cached_pages_keep_the_same_validators(ledger):
    url = f"/en/claims/{ledger['claim'].slug}/"
    first = Client().get(url)
    second = Client().get(url, headers={"If-None-Match": first["ETag"]})
    assert (first["X-Ledger-Cache"], second["X-Ledger-Cache"]) == ("miss", "hit")
    assert second.status_code == 304
    assert (
        Client().get("/en/entities/nobody/", headers={"If-None-Match": first["ETag"]}).status_code
        == 404
    )
    services.claim_update(claim=ledger["draft"], statement_en="Still a draft?")
    assert Client().get(url)["X-Ledger-Cache"] == "hit"
