"""The reviewers' workbench in a real browser: quote a passage selected with the mouse, link it
to a claim with a stance and a value, mark a conflict; then check the offsets stored."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from claims.models import Assertion, Claim, Conflict, ConflictOrigin, ConflictStatus, Quote
from claims.roles import REVIEWER, sync_roles
from sources.models import Source
from sources.services import source_import

pytestmark = pytest.mark.browser

SLUG = "musk-contribution-to-openai"
# From seed article 002: it begins before a seed quote and ends inside it, so the drag
# crosses the edge of a highlighted passage.
PASSAGE = "毕竟,手脚OpenAI的调和创举东谈主之一,马斯克在OpenAI初创时豪砸4400万好意思元"

# Where a passage is on screen: the middle of the left edge of its first character and of
# the right edge of its last, found through the text nodes of the article's container.
LOCATE = """
([passage]) => {
    const container = document.getElementById("source-text");
    const at = container.textContent.indexOf(passage);
    if (at < 0) return null;
    const point = (index, isEnd) => {
        const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const length = node.data.length;
            if (isEnd ? index <= seen + length : index < seen + length) {
                return [node, index - seen];
            }
            seen += length;
        }
        return null;
    };
    const [startNode, startOffset] = point(at, false);
    const [endNode, endOffset] = point(at + passage.length, true);
    const first = document.createRange();
    first.setStart(startNode, startOffset);
    first.setEnd(startNode, startOffset + 1);
    container.scrollTop +=
        first.getBoundingClientRect().top - container.getBoundingClientRect().top - 60;
    const last = document.createRange();
    last.setStart(endNode, endOffset - 1);
    last.setEnd(endNode, endOffset);
    const a = first.getBoundingClientRect();
    const b = last.getBoundingClientRect();
    return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
}
"""


def make_reviewer() -> User:
    # The groups come from a migration; a transactional test may run after a flush.
    sync_roles(Group, Permission)
    user = User.objects.create_user("rita", password="rita-reviews", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))
    return user


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "rita-reviews")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def drag_over(page, passage: str) -> None:
    """Select the passage with a real mouse drag across the article's text."""
    page.locator("#source-text").scroll_into_view_if_needed()
    box = page.evaluate(LOCATE, [passage])
    assert box is not None, "the passage is not in the page's text"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=12)
    page.mouse.up()


def save_selection_as_quote(page, source: Source, passage: str) -> Quote:
    drag_over(page, passage)
    assert page.input_value("[data-selection=exact]") == passage
    page.click("input[name=_save_quote]")
    wait_for_saved_quote(page)
    return Quote.objects.get(source=source, exact=passage)


def wait_for_saved_quote(page) -> None:
    """The panel saves the quote without a page load and says so."""
    page.wait_for_selector("#panel-result:not([hidden])")
    assert "saved" in page.inner_text("#panel-result")


def test_reviewer_quotes_a_selected_passage_links_it_to_a_claim_and_marks_a_conflict(
    live_server, seeded, page, artifacts
):
    make_reviewer()
    source = Source.objects.get(text__contains=PASSAGE)
    assert source.text.count(PASSAGE) == 1
    claim = Claim.objects.get(slug=SLUG)
    mentions = claim.assertions.filter(stance="mentions", value_kind="").first()
    assert mentions is not None, "the seed claim has an assertion without a value"

    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/sources/source/{source.pk}/change/")
    marked = page.locator("#source-text mark.quote").evaluate_all(
        "marks => marks.flatMap(m => m.dataset.quotes.split(' ').map(Number))"
    )
    assert set(marked) == set(source.quotes.values_list("pk", flat=True))
    assert page.evaluate("document.getElementById('source-text').textContent") == source.text

    drag_over(page, PASSAGE)
    start = source.text.index(PASSAGE)
    assert page.input_value("[data-selection=exact]") == PASSAGE
    assert page.input_value("[data-selection=start]") == str(start)
    assert page.input_value("[data-selection=end]") == str(start + len(PASSAGE))
    page.screenshot(path=artifacts / "admin-source-selection.png")
    page.click("input[name=_save_quote]")
    wait_for_saved_quote(page)

    quote = Quote.objects.get(source=source, exact=PASSAGE)
    assert (quote.start, quote.end) == (start, start + len(PASSAGE))
    assert source.text[quote.start : quote.end] == quote.exact == PASSAGE
    assert page.locator(f'#source-text mark[data-quotes~="{quote.pk}"]').count() >= 1

    # Link it to the claim through the claim's inline, picking the quote by autocomplete.
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.click("#assertions-group .add-row a")
    row = page.locator("#assertions-group tr.form-row.dynamic-assertions").last
    row.locator(".field-quote .select2-selection").click()
    page.fill(".select2-dropdown .select2-search__field", "毕竟,手脚OpenAI")
    page.locator(".select2-results__option", has_text="毕竟").first.click()
    row.locator(".field-stance select").select_option("supports")
    # The value as words; the exact bounds stay folded.
    row.locator(".field-value_written input").fill("$44M")
    row.locator(".field-value_written output").get_by_text("Reads as 44,000,000 USD").wait_for()
    page.locator("#assertions-group").screenshot(path=artifacts / "admin-claim-inline.png")
    page.click("input[name=_continue]")
    # The passage overlaps a seeded quote of this claim: the page says so and names it.
    page.get_by_text("This passage overlaps evidence already linked to this claim").wait_for()
    row = page.locator("#assertions-group tr.form-row.dynamic-assertions").last
    row.locator(".field-add_anyway input").check()
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist li.success")

    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.stance, assertion.value_kind, assertion.value_origin) == (
        "supports",
        "exact",
        "reviewer",
    )
    assert assertion.low == assertion.high == 44_000_000

    # Mark a conflict by hand between the new assertion and one without a value.
    page.click("a.mark-conflict")
    page.select_option("#id_first", str(assertion.pk))
    page.select_option("#id_second", str(mentions.pk))
    page.fill("#id_note", "The passage and the other quote tell different stories.")
    page.click("input[name=_save]")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")
    page.wait_for_selector("ul.messagelist li.success")
    page.screenshot(path=artifacts / "admin-claim-conflicts.png", full_page=True)

    pair = sorted([assertion.pk, mentions.pk])
    conflict = Conflict.objects.get(first_id=pair[0], second_id=pair[1])
    assert (conflict.origin, conflict.status) == (ConflictOrigin.REVIEWER, ConflictStatus.CONFIRMED)
    assert conflict.claim_id == claim.pk

    # The stored offsets still point at the passage in the article as stored.
    quote.refresh_from_db()
    source.refresh_from_db()
    assert source.text[quote.start : quote.end] == PASSAGE
    assert quote.prefix == source.text[max(0, quote.start - 32) : quote.start]
    assert quote.suffix == source.text[quote.end : quote.end + 32]


def test_offsets_count_characters_outside_the_basic_plane_once(live_server, page, artifacts):
    """JavaScript counts 😀 and 𠮷 as two units each; the stored offsets count characters."""
    make_reviewer()
    text = "开头😀𠮷野家的老板说:OpenAI收到了4400万美元。𠀀结尾🎉还有一句。"
    passage = "OpenAI收到了4400万美元"
    source, _ = source_import(title="Astral test", text=text, language="zh-Hans")

    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/sources/source/{source.pk}/change/")
    quote = save_selection_as_quote(page, source, passage)
    page.screenshot(path=artifacts / "admin-source-astral.png")

    assert (quote.start, quote.end) == (text.index(passage), text.index(passage) + len(passage))
    assert source.text[quote.start : quote.end] == passage
    assert quote.prefix == text[: quote.start]
    # The page marks the new quote at the same characters.
    marked = page.locator(f'#source-text mark[data-quotes~="{quote.pk}"]').all_inner_texts()
    assert "".join(marked) == passage
