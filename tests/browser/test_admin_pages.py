"""The reviewers' admin pages in a 1366 px window, in English and Chinese: axe-core finds no
serious violation on the workbench pages, no page scrolls sideways, and the add-assertion
autocomplete shows a quote whole, figure included. Screenshots go to artifacts/."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Assertion, Claim, Conflict, Entity, Quote
from sources.models import Source
from sources.services import source_import
from tests.browser.test_admin_workbench import make_reviewer

pytestmark = pytest.mark.browser

WIDTH = 1366
LANGUAGES = ("en", "zh-hans")
SERIOUS = {"serious", "critical"}
SLUG = "musk-contribution-to-openai"


def workbench_pages() -> dict[str, str]:
    """The pages a reviewer works in, checked by axe-core and for their width."""
    claim = Claim.objects.get(slug=SLUG)
    source = Source.objects.filter(quotes__assertions__claim=claim).order_by("pk").first()
    return {
        "index": reverse("admin:index"),
        "claim-list": reverse("admin:claims_claim_changelist"),
        "claim": reverse("admin:claims_claim_change", args=[claim.pk]),
        "source-list": reverse("admin:sources_source_changelist"),
        "source": reverse("admin:sources_source_change", args=[source.pk]),
        "assertion-add": reverse("admin:claims_assertion_add"),
        "conflict-list": reverse("admin:claims_conflict_changelist"),
        "dispute-queue": reverse("admin:claims_claim_disputes"),
        "dispute": reverse("admin:claims_claim_dispute", args=[claim.pk]),
        "deleted": reverse("admin:claims_claim_deleted"),
        "import": reverse("admin:sources_source_add"),
    }


def other_pages() -> dict[str, str]:
    """The rest of the admin a reviewer opens: checked for their width only."""
    claim = Claim.objects.get(slug=SLUG)
    assertion = claim.assertions.order_by("pk").first()
    conflict = Conflict.objects.filter(claim=claim).order_by("pk").first()
    return {
        "claim-add": reverse("admin:claims_claim_add"),
        "claim-history": reverse("admin:claims_claim_history", args=[claim.pk]),
        "assertion-list": reverse("admin:claims_assertion_changelist"),
        "assertion": reverse("admin:claims_assertion_change", args=[assertion.pk]),
        "quote-list": reverse("admin:claims_quote_changelist"),
        "quote": reverse("admin:claims_quote_change", args=[assertion.quote_id]),
        "conflict": reverse("admin:claims_conflict_change", args=[conflict.pk]),
        "conflict-mark": reverse("admin:claims_conflict_add") + f"?claim={claim.pk}",
        "suggestion-list": reverse("admin:claims_suggestion_changelist"),
        "entity-list": reverse("admin:claims_entity_changelist"),
        "entity": reverse("admin:claims_entity_change", args=[Entity.objects.first().pk]),
        "topic-list": reverse("admin:claims_topic_changelist"),
    }


def delete_some_evidence(user) -> None:
    """Something on the page of deleted evidence to restore."""
    unused = Quote.objects.filter(assertions__isnull=True).order_by("pk").first()
    if unused is not None:
        services.quote_delete(quote=unused)
    services.assertion_delete(assertion=Assertion.objects.order_by("-pk").first(), user=user)


def reviewer_context(browser, base_url: str, language: str):
    """A 1366 px window logged in as a reviewer, the admin in `language`."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "rita-reviews")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return context, page


def serious_violations(page, axe_script) -> list[str]:
    page.add_script_tag(content=axe_script)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in SERIOUS
    ]


# The elements that reach past the window's right edge, outermost first, for the message.
BEYOND_THE_EDGE = """
() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 6)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")}`
        + ` (${Math.round(e.getBoundingClientRect().right)} px)`)
"""


def sideways_overflow(page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0 when it fits the window)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_admin_pages_fit_1366_px_and_workbench_pages_pass_axe(
    live_server, seeded, browser, artifacts, axe_script
):
    reviewer = make_reviewer()
    delete_some_evidence(reviewer)
    workbench, others = workbench_pages(), other_pages()
    too_wide, violations = {}, {}
    for language in LANGUAGES:
        context, page = reviewer_context(browser, live_server.url, language)
        for name, path in {**workbench, **others}.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, language)
            page.screenshot(path=artifacts / f"admin-{name}-{language}-{WIDTH}.png", full_page=True)
            overflow = sideways_overflow(page)
            if overflow > 0:
                too_wide[f"{name} {language}"] = (overflow, page.evaluate(BEYOND_THE_EDGE))
            if name in workbench:
                found = serious_violations(page, axe_script)
                if found:
                    violations[f"{name} {language}"] = found
        context.close()
    problems = [f"wider than {WIDTH} px: {k}: {v}" for k, v in too_wide.items()]
    problems += [f"axe-core: {k}: {v}" for k, v in violations.items()]
    assert not problems, "\n".join(problems)


def test_the_add_assertion_autocomplete_shows_the_whole_quote(
    live_server, seeded, browser, artifacts
):
    """A quote whose figure comes after its 60th character is offered whole, wrapped."""
    make_reviewer()
    passage = (
        "According to several people who followed the negotiations closely over the years, "
        "Musk eventually gave OpenAI about $44 million in all."
    )
    source, _ = source_import(title="Negotiations", text=f"Intro. {passage} Outro.", language="en")
    quote = services.quote_create(source=source, exact=passage)
    assert "$44 million" not in str(quote)
    context, page = reviewer_context(browser, live_server.url, "en")
    page.goto(f"{live_server.url}{reverse('admin:claims_assertion_add')}")
    page.locator(".field-quote .select2-selection").click()
    with page.expect_response(
        lambda r: "/admin/autocomplete/" in r.url and "negotiations" in r.url
    ):
        page.fill(".select2-container--open .select2-search__field", "negotiations")
    option = page.locator(".select2-results__option", has_text="$44 million").first
    option.wait_for()
    assert option.inner_text() == quote.exact
    # Wrapped within the window, not cut off at its edge.
    box = option.bounding_box()
    assert box["x"] + box["width"] <= WIDTH
    page.screenshot(path=artifacts / f"admin-assertion-autocomplete-{WIDTH}.png")
    option.click()
    chosen = page.locator(".field-quote .select2-selection__rendered")
    assert chosen.inner_text().replace("×", "").strip() == quote.exact
    assert sideways_overflow(page) <= 0
    page.screenshot(path=artifacts / f"admin-assertion-quote-chosen-{WIDTH}.png")
    context.close()
