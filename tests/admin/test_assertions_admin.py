"""Assertions in the admin: deleted through the service, from the claim's page or their own,
and the conflicts they were part of go with them."""

from django.contrib.admin.models import LogEntry
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Assertion, Claim, Conflict
from tests.admin.forms import admin_url, posted_back
from tests.admin.ledger import article, disputed_claim, sentence
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source

# The deletion, its conflicts, and the rewrite of the claim's positions under its lock.
DELETE_BUDGET = 40


def three_figures():
    """A claim asserted at 44M, 100M and 44M: the 100M conflicts with each of the others."""
    claim, assertions = disputed_claim(44 * M, 100 * M, 44 * M)
    assert claim.conflicts.count() == 2
    return claim, assertions


def snapshot(claim: Claim) -> dict:
    """The claim and what remains of its assertions and conflicts, with their versions."""
    return {
        "claim": Claim.objects.values_list("statement_en", "version").get(pk=claim.pk),
        "assertions": list(
            Assertion.objects.filter(claim=claim).values_list("pk", "stance", "version")
        ),
        "conflicts": list(
            Conflict.objects.filter(claim=claim).values_list("pk", "status", "first", "second")
        ),
    }


def row_of(data: dict, assertion: Assertion) -> str:
    """The inline prefix of the row showing the assertion."""
    for key, value in data.items():
        if key.startswith("assertions-") and key.endswith("-id") and value == str(assertion.pk):
            return key.removesuffix("-id")
    raise AssertionError(f"no row for assertion {assertion.pk}")


def removed_by(model, pk) -> object:
    record = model.history.filter(id=pk).first()
    assert record.history_type == "-", (model, pk)
    return record.history_user


def test_a_row_ticked_for_deletion_goes_with_its_conflicts_and_nothing_else(
    reviewer, reviewer_client
):
    claim, (first, middle, last) = three_figures()
    conflicts = list(claim.conflicts.values_list("pk", flat=True))
    url = admin_url(Claim, "change", claim.pk)
    page = reviewer_client.get(url)
    data = posted_back(page)
    assert f'name="{row_of(data, middle)}-DELETE"' in page.content.decode()
    data[f"{row_of(data, middle)}-DELETE"] = "on"
    before = snapshot(claim)

    assert reviewer_client.post(url, data).status_code == 302

    after = snapshot(claim)
    assert after["claim"] == before["claim"]
    assert after["assertions"] == [a for a in before["assertions"] if a[0] != middle.pk]
    assert after["conflicts"] == []
    assert removed_by(Assertion, middle.pk) == reviewer
    assert {removed_by(Conflict, pk) for pk in conflicts} == {reviewer}
    logged = LogEntry.objects.get(object_id=str(claim.pk))
    assert "Deleted assertion" in logged.get_change_message()


def test_a_refused_row_takes_the_deletion_back_with_it(reviewer_client):
    claim, (first, middle, last) = three_figures()
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(reviewer_client.get(url))
    data[f"{row_of(data, middle)}-DELETE"] = "on"
    data[f"{row_of(data, first)}-stance"] = "qualifies"
    # Someone else changes the first assertion while the page is open.
    services.assertion_update(assertion=first, note="checked")
    before = snapshot(claim)

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    errors = [error for form in formset.forms for error in form.non_field_errors()]
    assert any("changed by someone else" in error for error in errors)
    assert snapshot(claim) == before
    # The deletion is still ticked, for the reviewer to save again having seen the change.
    assert posted_back(response)[f"{row_of(data, middle)}-DELETE"] == "True"


def test_the_assertion_page_deletes_through_the_service_with_its_conflicts(
    reviewer, reviewer_client
):
    claim, (first, middle, last) = three_figures()
    url = admin_url(Assertion, "delete", middle.pk)
    page = reviewer_client.get(url)
    assert page.status_code == 200
    shown = page.content.decode()
    assert "permission" not in shown  # the conflicts need none of their own
    assert shown.count("Conflict: <a") == 2
    before = snapshot(claim)

    assert reviewer_client.post(url, {"post": "yes"}).status_code == 302

    after = snapshot(claim)
    assert after["assertions"] == [a for a in before["assertions"] if a[0] != middle.pk]
    assert (after["claim"], after["conflicts"]) == (before["claim"], [])
    assert removed_by(Assertion, middle.pk) == reviewer


def test_deleting_selected_assertions_takes_each_through_the_service(reviewer, reviewer_client):
    claim, (first, middle, last) = three_figures()
    data = {
        "action": "delete_selected",
        "_selected_action": [str(first.pk), str(middle.pk)],
        "post": "yes",
    }

    response = reviewer_client.post(admin_url(Assertion, "changelist"), data)

    assert response.status_code == 302
    assert list(claim.assertions.values_list("pk", flat=True)) == [last.pk]
    assert not claim.conflicts.exists()
    assert {removed_by(Assertion, first.pk), removed_by(Assertion, middle.pk)} == {reviewer}


def test_deleting_an_assertion_costs_the_same_queries_with_10_and_80_on_its_claim(
    reviewer_client, django_assert_max_num_queries
):
    """From its own page, a deletion costs a fixed number of queries. Saving the claim's page
    validates every inline row (Django's formsets query per row), so there the deletion's
    own cost is measured: the same save with and without the row ticked."""
    # 10 vs 80: a claim's page posts some ten fields a row, and Django refuses a request of
    # more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields.
    claim, source = make_claim(), make_source(text=article(82))
    pair = [make_quote(source, sentence(80)), make_quote(source, sentence(81))]
    url = admin_url(Claim, "change", claim.pk)

    def grow(count: int) -> None:
        done = source.quotes.count() - len(pair)
        for n in range(done, done + count):
            quote = make_quote(source, sentence(n))
            services.assertion_add(claim=claim, quote=quote, stance="mentions")

    def in_conflict() -> Assertion:
        """A new pair of assertions in one conflict; the one to delete."""
        for assertion in claim.assertions.filter(quote__in=pair):
            services.assertion_delete(assertion=assertion)
        supports, contradicts = (
            services.assertion_add(claim=claim, quote=quote, stance=stance)
            for quote, stance in zip(pair, ("supports", "contradicts"), strict=True)
        )
        assert claim.conflicts.count() == 1
        return contradicts

    def post(url: str, data: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reviewer_client.post(url, data).status_code == 302
        return len(captured)

    def costs() -> tuple[int, int]:
        reset_queries()  # the query log keeps 9,000: the claim's page fills it fast
        assertion = in_conflict()
        with django_assert_max_num_queries(DELETE_BUDGET) as on_its_page:
            delete_url = admin_url(Assertion, "delete", assertion.pk)
            assert reviewer_client.post(delete_url, {"post": "yes"}).status_code == 302
        assert not claim.conflicts.exists()
        assertion = in_conflict()
        data = posted_back(reviewer_client.get(url))
        unchanged = post(url, data)
        ticked = post(url, {**data, f"{row_of(data, assertion)}-DELETE": "on"})
        assert not claim.conflicts.exists()
        assert ticked - unchanged <= DELETE_BUDGET
        return len(on_its_page), ticked - unchanged

    grow(10)
    costs()  # fills the per-process caches
    small = costs()
    grow(70)
    assert claim.assertions.count() == 81
    assert costs() == small


def test_a_stale_save_on_the_assertion_page_keeps_theirs_where_chosen(reviewer_client):
    claim, (first, _) = disputed_claim(44 * M, 100 * M)
    url = admin_url(Assertion, "change", first.pk)
    mine = posted_back(reviewer_client.get(url))
    services.assertion_update(assertion=first, stance="qualifies", note="their note")
    mine.update(stance="contradicts", note="my note")

    response = reviewer_client.post(url, mine)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="row">Stance</th><td>Supports</td><td>Qualifies</td><td>Contradicts</td>' in (
        page
    )
    again = posted_back(response)
    again.update(merge_keep_stance="theirs", merge_keep_note="yours")
    assert reviewer_client.post(url, again).status_code == 302
    after = Assertion.objects.get(pk=first.pk)
    assert (after.stance, after.note) == ("qualifies", "my note")


def test_the_quote_autocomplete_reads_the_whole_quote_figure_included(reviewer_client):
    """Quotes read more than 60 characters before their figure; the choice shows it."""
    passage = (
        "According to several people who followed the negotiations closely over the years, "
        "Musk eventually gave OpenAI about $44 million in all."
    )
    quote = make_quote(make_source(text=f"Intro. {passage} Outro.", language="en"), passage)
    assert len(str(quote)) <= 60 and "$44 million" not in str(quote)

    response = reviewer_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "claims",
            "model_name": "assertion",
            "field_name": "quote",
            "term": "negotiations",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(quote.pk), "text": passage}]


def test_other_autocompletes_keep_their_names(reviewer_client):
    claim = make_claim()

    response = reviewer_client.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": "assertion", "field_name": "claim", "term": ""},
    )

    assert {"id": str(claim.pk), "text": str(claim)} in response.json()["results"]
