"""The claim page in a real browser: the picture of the values, and a quote's way to its source."""

import pytest

from claims.models import Claim

pytestmark = pytest.mark.browser

SLUG = "musk-contribution-to-openai"


def test_musk_contribution_claim_draws_every_figure_and_opens_quotes_in_their_source(
    live_server, seeded, page, artifacts
):
    claim = Claim.objects.get(slug=SLUG)
    valued = list(claim.assertions.exclude(value_kind="").select_related("quote"))
    assert len(valued) >= 6, "the seed ledger gives six figures on this claim"

    page.goto(f"{live_server.url}/en/claims/{SLUG}/")
    picture = page.locator("figure svg.value-axis")
    assert picture.get_attribute("role") == "img"
    drawn = {
        int(i)
        for ids in picture.locator("g.mark").evaluate_all("gs => gs.map(g => g.dataset.assertions)")
        for i in ids.split()
    }
    assert drawn == {a.pk for a in valued}
    for assertion in valued:
        mark = picture.locator(f'g.mark[data-assertions~="{assertion.pk}"]')
        assert mark.count() == 1
        assert mark.locator("circle, rect, line").count() >= 1
        assert mark.bounding_box()["width"] > 0
    page.screenshot(path=artifacts / "claim-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "claim-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    quote = valued[-1].quote
    link = page.locator(f'a[href="/en/sources/{quote.source_id}/#quote-{quote.pk}"]').first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(f"**/sources/{quote.source_id}/#quote-{quote.pk}")
    target = page.locator(f"#quote-{quote.pk}")
    assert target.evaluate("e => e.tagName") == "MARK"
    pieces = page.locator(f'mark.quote[data-quotes~="{quote.pk}"]').all_inner_texts()
    assert "".join(pieces) == quote.exact
    assert target.evaluate("e => e.matches(':target')")
    box = target.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900
    page.screenshot(path=artifacts / "source-quote.png")
