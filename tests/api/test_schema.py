import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid_and_lists_every_endpoint(anonymous):
    response = anonymous.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert {
        "/api/claims/",
        "/api/claims/{slug}/",
        "/api/claims/{slug}/claimreview/",
        "/api/sources/",
        "/api/sources/{id}/",
        "/api/quotes/",
        "/api/quotes/{id}/",
        "/api/quotes/{id}/annotation/",
        "/api/assertions/",
        "/api/assertions/{id}/",
        "/api/conflicts/",
        "/api/conflicts/{id}/",
        "/api/entities/",
        "/api/entities/{slug}/",
        "/api/topics/",
    } <= set(schema["paths"])
    claim_filters = {p["name"] for p in schema["paths"]["/api/claims/"]["get"]["parameters"]}
    assert claim_filters >= {
        "disputed", "status", "verdict", "kind", "entity", "topic", "source", "q",
        "updated_after", "cursor",
    }  # fmt: skip


def test_docs_page_uses_local_static_files_only(anonymous):
    page = "/api/docs/"
    response = anonymous.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    urls += re.findall(r"""["'](https?://[^"']+)["']""", html)
    assert urls, "the page loads no scripts or styles?"
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), f"{page} loads {url} from elsewhere"
    assets = [url for url in urls if url.startswith("/static/")]
    assert assets
    for url in assets:
        assert anonymous.get(url).status_code == 200, url
