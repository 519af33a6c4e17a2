"""Absolute URLs come from settings.SITE_URL, never from a request's Host or X-Forwarded-*.

Pages and API answers are cached and served to everyone: one request with a forged Host
header must not put its host into the canonical links others are given.
"""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from claims.api.views import LedgerCursorPagination
from ledger.site import client_address, forwarded_value

pytestmark = pytest.mark.django_db

SLUG = "musk-contribution-to-openai"
FORGED = {
    "Host": "127.0.0.1:6666",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
}


@pytest.fixture
def small_api_pages(monkeypatch):
    """Pages of two, so the seed ledger's lists have next links."""
    monkeypatch.setattr(LedgerCursorPagination, "page_size", 2)


def urls_in(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>]+", text))


def ours(url: str) -> bool:
    return url.startswith(settings.SITE_URL + "/")


def foreign(text: str) -> set[str]:
    """Absolute URLs that name this site some other way than SITE_URL."""
    return {url for url in urls_in(text) if "6666" in url or "evil" in url or "https://127" in url}


@pytest.mark.usefixtures("published_cache")
@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        f"/en/claims/{SLUG}/",
        "/en/sources/1/",
        "/en/feed/",
        "/api/claims/",
        f"/api/claims/{SLUG}/claimreview/",
        "/api/quotes/1/annotation/",
        "/api/assertions/",
    ],
)
def test_a_forged_host_never_reaches_what_others_are_served(seeded, small_api_pages, url):
    url = url.replace("/en/sources/1/", f"/en/sources/{source_id()}/").replace(
        "/quotes/1/", f"/quotes/{quote_id()}/"
    )
    forged = Client().get(url, headers=FORGED)
    assert forged.status_code == 200, url
    assert forged["X-Ledger-Cache"] == "miss"
    served = Client().get(url)
    assert served["X-Ledger-Cache"] == "hit"
    text = served.content.decode()
    assert not foreign(text), url
    assert any(ours(found) for found in urls_in(text)), url


def source_id():
    from claims.models import Claim

    return Claim.objects.get(slug=SLUG).assertions.first().quote.source_id


def quote_id():
    from claims.models import Claim

    return Claim.objects.get(slug=SLUG).assertions.first().quote_id


def test_canonical_og_and_claimreview_urls_are_the_sites(seeded, client):
    page = client.get(f"/en/claims/{SLUG}/", headers=FORGED).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)"', page).group(1)
    *of_positions, review = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert canonical == og_url == review["url"] == f"{settings.SITE_URL}/en/claims/{SLUG}/"
    assert of_positions and all(r["url"].startswith(review["url"]) for r in of_positions)


def test_api_cursor_links_are_the_sites(seeded, small_api_pages, client):
    body = client.get("/api/claims/", headers=FORGED).json()
    assert body["next"].startswith(f"{settings.SITE_URL}/api/claims/?")


def request_with(**meta):
    return RequestFactory().get("/en/", **meta)


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.9"),
        (1, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.8"},
            "1.2.3.4",
        ),
        (2, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.9"),
        (1, {"REMOTE_ADDR": "10.0.0.9"}, "10.0.0.9"),
    ],
)
def test_the_client_address_counts_only_trusted_proxies(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_with(**meta)) == expected


def test_a_client_sent_forwarded_proto_is_ignored_without_trusted_proxies(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/en/", headers={"X-Forwarded-Proto": "https"})
    assert response.wsgi_request.scheme == "http"


def test_a_trusted_proxy_says_which_scheme_the_client_used(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forged_by_client = client.get("/en/", headers={"X-Forwarded-Proto": "https, http"})
    assert forged_by_client.wsgi_request.scheme == "http"
    through_proxy = client.get("/en/", headers={"X-Forwarded-Proto": "https"})
    assert through_proxy.wsgi_request.scheme == "https"
    assert (
        forwarded_value(
            request_with(HTTP_X_FORWARDED_PROTO="http, https"), "HTTP_X_FORWARDED_PROTO"
        )
        == "https"
    )


def production_check(**env_values):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SITE_URL"}}
    env |= {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "ledger.example.org"}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**env, **env_values},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_needs_a_site_url():
    result = production_check()
    assert result.returncode != 0 and "SITE_URL must be set" in result.stderr
    result = production_check(SITE_URL="https://ledger.example.org/path")
    assert result.returncode != 0 and "SITE_URL must be an origin" in result.stderr
    assert production_check(SITE_URL="https://ledger.example.org").returncode == 0
