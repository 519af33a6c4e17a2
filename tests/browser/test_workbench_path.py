"""The reviewer's whole path in a real browser, on the seed ledger: import an English article,
select a passage with the mouse, save it as a quote and link it to the claim on Musk's
contribution, seeing the value read and the claim's positions change, all in the source
page's panel: a few clicks and no page load between selecting and linking."""

import pytest

from claims import services
from claims.models import Assertion, Claim, Position, Quote, ValueOrigin
from sources.models import Source
from tests.browser.test_admin_workbench import drag_over, log_in, make_reviewer

pytestmark = pytest.mark.browser

SLUG = "musk-contribution-to-openai"
TITLE = "The many prices of Musk's OpenAI years"
ARTICLE = (
    "The many prices of Musk's OpenAI years\n\n"
    "How much Elon Musk gave OpenAI depends on who is telling the story. "
    "One early report claimed that Musk gave OpenAI $1 billion, mistaking his pledge for "
    "the money he paid. OpenAI says he contributed less than $45 million of its early "
    "funding, while other donors gave more than $90 million.\n\n"
    "Musk has said he gave about $100 million."
)
PASSAGE = "One early report claimed that Musk gave OpenAI $1 billion"
# A sentence of seed article 002, longer than the 60 characters a quote's name shows.
PASSAGE_ZH = (
    "OpenAI这次流露的凭证中提到,在早期召募到的1亿好意思元资金中,马斯克提供了不到4500万好意思元,"
    "其他捐助者提供了9500万好意思元"
)
# Set on the source page once it has loaded: a page load would take it away.
MARKER = "window.__workbenchPath"


class Clicks:
    """Counts the reviewer's clicks (a drag is one press of the button)."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, selector_or_locator) -> None:
        self.count += 1
        if isinstance(selector_or_locator, str):
            self.page.click(selector_or_locator)
        else:
            selector_or_locator.click()

    def drag_over(self, passage: str) -> None:
        self.count += 1
        drag_over(self.page, passage)


def search_claims(page, term: str) -> None:
    """Type in the open autocomplete and wait for its answer, so the options clicked next are
    the search's and not those the dropdown opened with."""
    asked = f"term={term.split()[0]}"
    with page.expect_response(lambda r: "/admin/autocomplete/" in r.url and asked in r.url):
        page.fill(".select2-container--open .select2-search__field", term)


def claim_picked(page, form: str) -> None:
    page.wait_for_function(
        "form => document.querySelector(`${form} select[name=claim]`).value !== ''", arg=form
    )


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def import_article(page, base_url: str) -> Source:
    page.goto(f"{base_url}/admin/sources/source/add/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_language", "en")
    page.fill("#id_outlet", "The Ledger Test Desk")
    page.fill("#id_text", ARTICLE)
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")
    source = Source.objects.get(title=TITLE)
    page.wait_for_url(f"**/admin/sources/source/{source.pk}/change/")
    return source


def test_import_quote_link_and_see_what_changed_without_leaving_the_source_page(
    live_server, seeded, wide_page, artifacts
):
    page = wide_page
    make_reviewer()
    claim = Claim.objects.get(slug=SLUG)
    positions_before = Position.objects.filter(claim=claim).count()
    log_in(page, live_server.url)

    source = import_article(page, live_server.url)
    assert source.language == "en" and source.text == ARTICLE
    page.screenshot(path=artifacts / "workbench-path-1-imported.png")

    # From here on, the page must not load again.
    page.evaluate(f"{MARKER} = 'still here'")
    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    clicks = Clicks(page)

    clicks.drag_over(PASSAGE)
    assert page.input_value("[data-selection=exact]") == PASSAGE
    page.screenshot(path=artifacts / "workbench-path-2-selected.png")
    scrolled = page.evaluate("[document.getElementById('source-text').scrollTop, window.scrollY]")

    clicks.click("input[name=_save_quote]")
    page.wait_for_selector("#link-form:not([hidden])")
    quote = Quote.objects.get(source=source, exact=PASSAGE)
    assert f"Quote #{quote.pk} saved" in page.inner_text("#panel-result")
    assert page.inner_text("#link-form [data-linking-text]") == PASSAGE
    # The new highlight and the quote list, where the reviewer was in the text.
    marked = page.locator(f'#source-text mark[data-quotes~="{quote.pk}"]').all_inner_texts()
    assert "".join(marked) == PASSAGE
    assert page.locator(f"#quote-list #quote-{quote.pk}").count() == 1
    assert page.evaluate("document.getElementById('source-text').textContent") == ARTICLE
    assert (
        page.evaluate("[document.getElementById('source-text').scrollTop, window.scrollY]")
        == scrolled
    )
    page.screenshot(path=artifacts / "workbench-path-3-quote-saved.png")

    # Pick the claim by autocomplete; the value the quote gives is read into the panel.
    clicks.click("#link-form .field-claim .select2-selection")
    search_claims(page, "How much money")
    clicks.click(page.locator(".select2-results__option", has_text=claim.statement_en).first)
    claim_picked(page, "#link-form")
    value = page.locator("#link-form input[name=value_written]")
    page.locator("#link-form output.value-preview").get_by_text(
        "Read from the quote: 1,000,000,000 USD"
    ).wait_for()
    assert value.input_value() == "1,000,000,000 USD"
    assert page.input_value("#link-form select[name=stance]") == "supports"
    page.screenshot(path=artifacts / "workbench-path-4-linking.png")

    clicks.click("#link-form input[name=_link]")
    page.wait_for_selector("#panel-result .recorded-summary")

    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.stance, assertion.value_origin) == ("supports", ValueOrigin.EXTRACTED)
    assert (assertion.low, assertion.high, assertion.value_kind) == (10**9, 10**9, "exact")
    positions_after = Position.objects.filter(claim=claim).count()
    opened = (
        claim.conflicts.filter(first=assertion).count()
        + claim.conflicts.filter(second=assertion).count()
    )
    assert positions_after != positions_before and opened > 0
    summary = page.inner_text("#panel-result .recorded-summary")
    assert summary == (
        f"Recorded $1B on “{claim.statement_en}”; opened {opened} conflicts; "
        f"the claim now has {positions_after} positions (was {positions_before})."
    )
    links = page.locator("#panel-result a")
    assert links.nth(0).get_attribute("href") == f"/admin/claims/claim/{claim.pk}/change/"
    assert links.nth(1).get_attribute("href") == f"/admin/claims/claim/{claim.pk}/dispute/"
    assert "1 assertion" in page.inner_text(f"#quote-list #quote-{quote.pk}")
    page.screenshot(path=artifacts / "workbench-path-5-linked.png")

    # From the source page to a linked assertion: a handful of clicks and no page load.
    assert clicks.count <= 8, clicks.count
    assert loads == []
    assert page.evaluate(MARKER) == "still here"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert page.evaluate("performance.getEntriesByType('navigation')[0].name").endswith(
        f"/admin/sources/source/{source.pk}/change/"
    )

    # The dispute page the panel links to shows the new position.
    page.click("#panel-result a >> nth=1")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/dispute/")
    page.screenshot(path=artifacts / "workbench-path-6-dispute.png", full_page=True)


def test_the_assertion_page_shows_the_whole_quote_reads_words_and_returns_to_the_source(
    live_server, seeded, wide_page, artifacts
):
    page = wide_page
    make_reviewer()
    claim = Claim.objects.get(slug=SLUG)
    source = Source.objects.get(text__contains=PASSAGE_ZH)
    quote = services.quote_create(source=source, exact=PASSAGE_ZH)
    assert len(PASSAGE_ZH) > 60
    back = f"/admin/sources/source/{source.pk}/change/"
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/admin/claims/assertion/add/?quote={quote.pk}&next={back}")
    assert page.inner_text(".field-quote .select2-selection__rendered").strip() == PASSAGE_ZH
    page.click(".field-claim .select2-selection")
    search_claims(page, "How much money")
    page.locator(".select2-results__option", has_text=claim.statement_en).first.click()
    claim_picked(page, "#assertion_form")
    page.fill("input[name=value_written]", "不到4500万")
    page.get_by_text("Reads as at most 45,000,000 USD").wait_for()
    assert not page.locator("input[name=low]").is_visible()
    page.click("text=Exact bounds")
    assert page.locator("input[name=low]").is_visible()
    page.screenshot(path=artifacts / "admin-assertion-add.png", full_page=True)
    page.click("input[name=_save]")
    # The passage holds a seeded quote of this claim: the page names it before linking again.
    page.get_by_text("This passage overlaps evidence already linked to this claim").wait_for()
    page.check("input[name=add_anyway]")
    page.click("input[name=_save]")

    page.wait_for_url(f"{live_server.url}{back}")
    message = page.inner_text("ul.messagelist li.success")
    assert f"Recorded at most $45M on “{claim.statement_en}”" in message
    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.high, assertion.value_kind, assertion.value_text) == (
        45 * 10**6,
        "upper_bound",
        "不到4500万",
    )
    page.screenshot(path=artifacts / "admin-assertion-returned.png")
