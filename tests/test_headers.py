"""Hardening headers: Content-Security-Policy, Permissions-Policy, no Server header."""

import pytest
from django.contrib.auth.models import User

from ledger.middleware import api_docs_policy

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "url", ["/en/", "/en/claims/musk-contribution-to-openai/", "/en/feed/", "/api/claims/"]
)
def test_reader_pages_allow_no_script(seeded, client, url):
    policy = directives(client.get(url))
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


def test_the_admin_may_run_its_own_scripts_only(client):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


def test_the_api_docs_page_runs_no_inline_script(client):
    response = client.get("/api/docs/")
    page = response.content.decode()
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert len(api_docs_policy()["style-src"]) == 2  # 'self' and the page's one <style>
    assert "<script>" not in page and "?script=" in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize(
    "url", ["/en/", "/admin/login/", "/api/claims/", "/api/docs/", "/nowhere/"]
)
def test_every_response_has_a_permissions_policy_and_no_server_header(db, client, url):
    response = client.get(url)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "Server" not in response


def test_signed_in_admin_pages_keep_their_own_cache_control(client):
    user = User.objects.create_superuser("admin", password="pw")
    client.force_login(user)
    response = client.get("/admin/")
    assert "no-store" in response["Cache-Control"]
    assert "script-src" in directives(response)
