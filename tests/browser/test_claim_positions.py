"""The sides of a dispute in a real browser: on a phone they are read before any scrolling,
and the picture gives each side its own colour."""

import pytest

from claims.models import Claim

pytestmark = pytest.mark.browser

SLUG = "musk-contribution-to-openai"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LOCALES = {"en": "en-US", "zh": "zh-CN"}
PREFIXES = {"en": "en", "zh": "zh-hans"}


def mark_colours(page) -> dict:
    """The colour each position's marks are drawn in, as the browser computes it."""
    return page.locator("svg.value-axis g.mark").evaluate_all(
        """gs => Object.fromEntries(gs.map(g => [
            g.getAttribute('class'),
            getComputedStyle(g.querySelector('circle, rect, line')).stroke,
        ]))"""
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_positions_show_above_the_fold_on_a_phone_and_colour_the_picture(
    live_server, seeded, browser, artifacts, language
):
    positions = list(Claim.objects.get(slug=SLUG).positions.order_by("rank"))
    assert [p.label for p in positions] == ["$44M–$45M", "about $100M"]
    context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
    page = context.new_page()
    page.goto(f"{live_server.url}/{PREFIXES[language]}/claims/{SLUG}/")

    assert page.locator("#positions-heading").inner_text() == (
        "各方说法" if language == "zh" else "Positions"
    )
    lines = page.locator(".position-list > li")
    assert lines.count() == len(positions)
    for line, position in zip(lines.all(), positions, strict=True):
        label = position.label_zh if language == "zh" else position.label
        assert line.locator(".position-label").inner_text() == label
        box = line.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / f"claim-positions-390-{language}-fold.png")
    page.screenshot(path=artifacts / f"claim-positions-390-{language}.png", full_page=True)

    classes = page.locator("svg.value-axis g.mark").evaluate_all(
        "gs => gs.map(g => g.getAttribute('class'))"
    )
    drawn = {name for found in classes for name in found.split() if name.startswith("position-")}
    assert drawn == {f"position-{p.rank}" for p in positions}
    assert not any("conflicting" in found for found in classes)
    colours = mark_colours(page)
    assert len({colours[f"mark position-{p.rank}"] for p in positions}) == len(positions)
    legend = page.locator(".legend-position").all_inner_texts()
    assert legend == [p.label_zh if language == "zh" else p.label for p in positions]

    page.set_viewport_size(DESKTOP)
    page.reload()
    assert lines.first.bounding_box()["y"] + lines.last.bounding_box()["height"] < DESKTOP["height"]
    page.screenshot(path=artifacts / f"claim-positions-1366-{language}.png", full_page=True)
    context.close()
