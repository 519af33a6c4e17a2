"""Every reader page, in English and Chinese, on a phone and a desktop, checked by axe-core."""

import pytest

from claims.models import Claim, Entity

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)
LANGUAGES = ("en", "zh-hans", "zh-hant")
BLOCKING = {"serious", "critical", "moderate"}


def reader_paths():
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    source = claim.assertions.select_related("quote").first().quote.source_id
    entity = Entity.objects.filter(claims__isnull=False).order_by("slug").first()
    return {
        "index": "/en/",
        "claim": f"/en/claims/{claim.slug}/",
        "source": f"/en/sources/{source}/",
        "entity": f"/en/entities/{entity.slug}/",
    }


def axe_violations(page, axe_script):
    page.add_script_tag(content=axe_script)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in BLOCKING
    ]


def test_reader_pages_have_no_serious_or_moderate_axe_violations(
    live_server, seeded, browser, artifacts, axe_script
):
    problems = {}
    for language in LANGUAGES:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
            page = context.new_page()
            for name, path in reader_paths().items():
                page.goto(f"{live_server.url}{path.replace('/en/', f'/{language}/', 1)}")
                page.screenshot(
                    path=artifacts / f"axe-{name}-{language}-{width}.png", full_page=True
                )
                found = axe_violations(page, axe_script)
                if found:
                    problems[f"{name} {language} {width}"] = found
            context.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
