"""Each page works under its Content-Security-Policy in a real browser: nothing is refused."""

import pytest
from django.contrib.auth.models import User

from claims.models import Claim

pytestmark = pytest.mark.browser

# Violations are reported to the page as events; keep them for the test to read.
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


def test_reader_admin_and_api_docs_pages_break_no_rule(live_server, seeded, page, artifacts):
    page.add_init_script(COLLECT)
    console = []
    page.on("console", lambda message: console.append(message.text))
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    source = claim.assertions.first().quote.source_id
    base = live_server.url
    for url in ["/en/", f"/en/claims/{claim.slug}/", f"/en/sources/{source}/", "/api/docs/"]:
        assert visit(page, base + url) == [], url
    assert page.locator(".swagger-ui .info").count() == 1, "Swagger UI did not start"
    page.screenshot(path=artifacts / "api-docs.png")

    User.objects.create_superuser("admin", password="admin-pass")
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "admin-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    for url in [
        "/admin/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/sources/source/{source}/change/",
        "/admin/claims/conflict/",
    ]:
        assert visit(page, base + url) == [], url
    assert not [text for text in console if "Content Security Policy" in text]
