"""Quote, link and see what changed without leaving the source page: the panel's JSON
endpoints, the live reading of a value typed as words, and where a saved assertion takes the
reviewer back to."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Assertion, Claim, Conflict, LedgerState, Position, Quote, ValueOrigin
from claims.roles import REVIEWER
from sources.models import Source
from tests.admin.forms import admin_url, posted_back, with_new_inline_row
from tests.admin.ledger import article, exact, sentence
from tests.constants import M
from tests.factories import logged_in, make_claim, make_quote, make_source, make_user

TEXT = (
    "第一篇说马斯克给了4400万美元。第二篇说他给了1亿美元。"
    "OpenAI说马斯克给了不到4500万美元。有人说只有1000万美元。"
    "马斯克说1000万美元是错的。"
)
LONG = (
    "OpenAI在博客中写道:马斯克在早期资助中给了不到4500万美元,"
    "其他捐助者则给了超过9000万美元,这一说法与他本人的回忆相去甚远。"
)


def quote_url(source: Source) -> str:
    return reverse("admin:sources_source_panel_quote", args=[source.pk])


def link_url(source: Source) -> str:
    return reverse("admin:sources_source_panel_link", args=[source.pk])


def preview_url() -> str:
    return reverse("admin:claims_claim_value")


def answer(response) -> dict:
    assert response["Content-Type"] == "application/json", response.content[:200]
    return json.loads(response.content)


def ledger_rows() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "quotes": list(Quote.objects.values_list("pk", "exact", "start", "end")),
        "assertions": list(
            Assertion.objects.values_list("pk", "claim", "quote", "stance", "low", "high")
        ),
        "conflicts": list(Conflict.objects.values_list("pk", "status", "first", "second")),
        "positions": list(Position.objects.values_list("pk", "claim", "label")),
        "claims": list(Claim.objects.values_list("pk", "version", "position_count")),
        "generation": LedgerState.objects.values_list("generation", flat=True).first(),
        "history": Assertion.history.count() + Quote.history.count(),
    }


@pytest.fixture
def disputed(db):
    """A claim asserted at 44M and at 100M (two positions, one open conflict), and the source
    with the passages still to link."""
    source = make_source(text=TEXT)
    claim = make_claim(statement_en="How much money did Elon Musk give OpenAI?")
    for passage, value in (("第一篇说马斯克给了4400万美元", 44), ("第二篇说他给了1亿美元", 100)):
        services.assertion_add(
            claim=claim,
            quote=make_quote(source, passage),
            stance="supports",
            value=exact(value * M),
        )
    claim.refresh_from_db()
    assert (claim.position_count, claim.conflicts.count()) == (2, 1)
    return source, claim


def staff_with(*codenames: str) -> User:
    user = User.objects.create_user("vera", password="pw", is_staff=True)
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return user


# Saving a selection as a quote


def test_a_selection_is_saved_and_the_page_gets_its_new_highlights_and_list(
    reviewer_client, disputed
):
    source, _ = disputed
    passage = "OpenAI说马斯克给了不到4500万美元"
    start = TEXT.index(passage)

    response = reviewer_client.post(
        quote_url(source),
        {"exact": passage, "start": start, "end": start + len(passage), "prefix": "", "suffix": ""},
    )

    assert response.status_code == 201
    found = answer(response)
    quote = Quote.objects.get(source=source, exact=passage)
    assert found["quote"] == {
        "id": quote.pk,
        "exact": passage,
        "start": start,
        "end": start + len(passage),
        "url": admin_url(Quote, "change", quote.pk),
    }
    assert f'data-quotes="{quote.pk}"' in found["text_html"]
    assert f'id="quote-{quote.pk}"' in found["quotes_html"]
    assert f'data-link-quote="{quote.pk}"' in found["quotes_html"]
    assert found["quote_count"] == 3
    assert f"Quote #{quote.pk} saved" in found["message"]


@pytest.mark.parametrize(
    "posted, field, reason",
    [
        ({"exact": "一亿美元"}, "exact", "does not occur"),
        ({"exact": "1000万美元"}, "exact", "occurs 2 times"),
        ({"exact": "第一篇说马斯克给了4400万美元"}, "exact", "already quote"),
        ({"exact": "第二篇", "start": 0, "end": 3}, "start", "not the"),
        ({"exact": ""}, "exact", "required"),
    ],
)
def test_a_refused_selection_answers_400_with_the_reason_and_saves_nothing(
    reviewer_client, disputed, posted, field, reason
):
    source, _ = disputed
    before = ledger_rows()

    response = reviewer_client.post(quote_url(source), posted)

    assert response.status_code == 400
    refused = answer(response)
    assert reason in refused["error"]
    assert reason in " ".join(refused["errors"][field])
    assert ledger_rows() == before


# Linking it to a claim, and what that did


def test_a_quote_is_linked_with_the_value_read_from_it_and_the_panel_says_what_changed(
    reviewer, reviewer_client, disputed
):
    source, claim = disputed
    quote = make_quote(source, "OpenAI说马斯克给了不到4500万美元")

    response = reviewer_client.post(
        link_url(source),
        {"quote": quote.pk, "claim": claim.pk, "stance": "supports", "value_written": ""},
    )

    assert response.status_code == 201
    done = answer(response)
    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.value_kind, assertion.high, assertion.value_origin) == (
        "upper_bound",
        45 * M,
        ValueOrigin.EXTRACTED,
    )
    assert done["value"] == {
        "low": None,
        "high": "45000000",
        "kind": "upper_bound",
        "unit": "USD",
        "shown": "at most 45,000,000 USD",
        "label": "at most $45M",
    }
    # At most 45M agrees with 44M and not with 100M: one conflict, still two positions.
    assert (done["conflicts_opened"], done["positions_before"], done["positions_after"]) == (
        1,
        2,
        2,
    )
    assert done["summary"] == (
        "Recorded at most $45M on “How much money did Elon Musk give OpenAI?”; "
        "opened 1 conflict; the claim still has 2 positions."
    )
    assert done["claim"]["url"] == admin_url(Claim, "change", claim.pk)
    assert done["claim"]["dispute_url"] == f"/admin/claims/claim/{claim.pk}/dispute/"
    assert f'id="quote-{quote.pk}"' in done["quotes_html"]
    assert "1 assertion" in done["quotes_html"]
    assert assertion.history.get().history_user == reviewer


def test_a_value_typed_as_words_is_the_reviewers_and_can_open_a_position(reviewer_client, disputed):
    source, claim = disputed
    quote = make_quote(source, "有人说只有1000万美元")

    response = reviewer_client.post(
        link_url(source),
        {"quote": quote.pk, "claim": claim.pk, "stance": "supports", "value_written": "$10M"},
    )

    done = answer(response)
    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.low, assertion.high, assertion.value_kind) == (10 * M, 10 * M, "exact")
    assert (assertion.value_origin, assertion.value_text) == (ValueOrigin.REVIEWER, "$10M")
    assert (done["conflicts_opened"], done["positions_after"]) == (2, 3)
    assert done["summary"].endswith("opened 2 conflicts; the claim now has 3 positions (was 2).")


def test_exact_bounds_win_over_the_words(reviewer_client, disputed):
    source, claim = disputed
    quote = make_quote(source, "有人说只有1000万美元")

    response = reviewer_client.post(
        link_url(source),
        {
            "quote": quote.pk,
            "claim": claim.pk,
            "stance": "qualifies",
            "value_written": "$10M",
            "low": "10,000,000",
            "high": "20,000,000",
        },
    )

    assert response.status_code == 201
    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.low, assertion.high, assertion.value_kind) == (10 * M, 20 * M, "range")


def test_a_date_is_typed_and_shown_as_a_date(reviewer_client, db):
    source = make_source(text="xAI是去年成立的。马斯克2018年2月离开了董事会。")
    claim = make_claim(kind="date", unit="date")
    quote = make_quote(source, "马斯克2018年2月离开了董事会")

    response = reviewer_client.post(
        link_url(source),
        {"quote": quote.pk, "claim": claim.pk, "stance": "supports", "value_written": "2018-02"},
    )

    done = answer(response)
    assert (done["value"]["low"], done["value"]["high"], done["value"]["shown"]) == (
        "2018-02-01",
        "2018-02-28",
        "2018-02",
    )
    assertion = Assertion.objects.get(claim=claim)
    assert (assertion.low, assertion.high) == (
        Decimal(date(2018, 2, 1).toordinal()),
        Decimal(date(2018, 2, 28).toordinal()),
    )


@pytest.mark.parametrize(
    "posted, field, reason",
    [
        ({"value_written": "a great deal"}, "value_written", "no value in USD could be read"),
        ({"stance": "endorses"}, "stance", "not one of the available choices"),
        ({"claim": ""}, "claim", "required"),
        ({"low": "20", "high": "10", "value_kind": "range"}, "low", "greater than high"),
        ({"low": "twenty"}, "low", "Enter a number"),
    ],
)
def test_a_refused_link_answers_400_with_the_reason_and_changes_nothing(
    reviewer_client, disputed, posted, field, reason
):
    source, claim = disputed
    quote = make_quote(source, "有人说只有1000万美元")
    before = ledger_rows()

    response = reviewer_client.post(
        link_url(source), {"quote": quote.pk, "claim": claim.pk, "stance": "supports", **posted}
    )

    assert response.status_code == 400
    refused = answer(response)
    assert reason in refused["error"]
    assert reason in " ".join(refused["errors"][field])
    assert ledger_rows() == before


def test_the_services_refusal_is_the_answer_and_changes_nothing(reviewer_client, disputed):
    source, claim = disputed
    linked = claim.assertions.first().quote
    yes_no = make_claim(kind="yes_no", unit="")
    quote = make_quote(source, "有人说只有1000万美元")
    other = make_quote(make_source(), "马斯克说他给了OpenAI 4400万美元")
    before = ledger_rows()

    refusals = [
        ({"quote": linked.pk}, "quote", "already linked to this claim"),
        ({"quote": other.pk}, "quote", "quote of this source"),
        ({"claim": yes_no.pk, "value_written": "$10M"}, "value_written", "takes no value"),
    ]
    for posted, field, reason in refusals:
        data = {"quote": quote.pk, "claim": claim.pk, "stance": "supports", **posted}
        response = reviewer_client.post(link_url(source), data)
        assert response.status_code == 400, posted
        refused = answer(response)
        assert reason in refused["error"], refused
        assert reason in " ".join(refused["errors"][field])
    assert ledger_rows() == before


# Who may, and how


def test_without_the_permission_the_panel_is_refused_and_nothing_changes(disputed):
    source, claim = disputed
    quote = make_quote(source, "有人说只有1000万美元")
    client = logged_in(staff_with("sources.view_source", "claims.view_claim"))
    before = ledger_rows()

    saving = client.post(quote_url(source), {"exact": "马斯克说1000万美元是错的"})
    linking = client.post(
        link_url(source), {"quote": quote.pk, "claim": claim.pk, "stance": "supports"}
    )

    assert (saving.status_code, linking.status_code) == (403, 403)
    assert "claims.add_quote" in answer(saving)["error"]
    assert "claims.add_assertion" in answer(linking)["error"]
    assert ledger_rows() == before


def test_quoting_without_linking_is_its_own_permission(disputed):
    source, claim = disputed
    client = logged_in(staff_with("sources.view_source", "claims.add_quote"))

    saving = client.post(quote_url(source), {"exact": "马斯克说1000万美元是错的"})
    quote = Quote.objects.get(exact="马斯克说1000万美元是错的")
    linking = client.post(
        link_url(source), {"quote": quote.pk, "claim": claim.pk, "stance": "supports"}
    )

    assert (saving.status_code, linking.status_code) == (201, 403)
    assert 'data-link-quote="' not in answer(saving)["quotes_html"]
    assert not Assertion.objects.filter(quote=quote).exists()


def test_only_staff_post_only_with_the_csrf_token_and_only_posts(disputed):
    source, _ = disputed
    data = {"exact": "马斯克说1000万美元是错的"}
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("rita", REVIEWER))
    before = ledger_rows()

    anonymous = Client().post(quote_url(source), data)
    not_staff = logged_in(User.objects.create_user("pat", password="pw")).post(
        quote_url(source), data
    )
    forged = strict.post(quote_url(source), data)
    read = strict.get(quote_url(source))

    assert anonymous.status_code == not_staff.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
    assert forged.status_code == 403
    assert read.status_code == 405
    assert ledger_rows() == before


def test_an_unknown_source_is_not_found(reviewer_client, db):
    url = reverse("admin:sources_source_panel_quote", args=[987654])
    response = reviewer_client.post(url, {"exact": "x"})
    assert response.status_code == 404
    assert answer(response)["error"] == "No such source."


# The live reading of a value typed as words


@pytest.mark.parametrize(
    "typed, value",
    [
        ("$45M", ("45000000", "45000000", "exact", "45,000,000 USD")),
        ("不到4500万", (None, "45000000", "upper_bound", "at most 45,000,000 USD")),
        ("about 100 million", ("100000000", "100000000", "approximate", "about 100,000,000 USD")),
        ("5000万至1亿美元", ("50000000", "100000000", "range", "50,000,000 – 100,000,000 USD")),
    ],
)
def test_a_typed_amount_is_read_in_the_claims_unit(reviewer_client, db, typed, value):
    claim = make_claim()

    response = reviewer_client.get(preview_url(), {"claim": claim.pk, "text": typed})

    assert response.status_code == 200
    read = answer(response)["value"]
    assert (read["low"], read["high"], read["kind"], read["shown"]) == value
    assert read["unit"] == "USD"


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("2018-02", "2018-02"),
        ("2018", "2018"),
        ("2018-02-20", "2018-02-20"),
        ("by 2018-02", "by 2018-02"),
    ],
)
def test_a_typed_date_is_read_and_shown_as_a_date(reviewer_client, db, typed, shown):
    claim = make_claim(kind="date", unit="")

    read = answer(reviewer_client.get(preview_url(), {"claim": claim.pk, "text": typed}))["value"]

    assert (read["shown"], read["unit"]) == (shown, "date")


def test_without_words_the_preview_is_what_the_quote_gives(reviewer_client, db):
    source = make_source(text="OpenAI说马斯克给了不到4500万美元。")
    quote = make_quote(source, "OpenAI说马斯克给了不到4500万美元")
    claim = make_claim()

    read = answer(reviewer_client.get(preview_url(), {"claim": claim.pk, "quote": quote.pk}))

    assert read["read_from"] == "quote"
    assert read["value"]["shown"] == "at most 45,000,000 USD"
    assert read["words"] == "4500万美元"


def test_a_preview_that_reads_nothing_says_why(reviewer_client, db):
    claim = make_claim()
    refused = reviewer_client.get(preview_url(), {"claim": claim.pk, "text": "a lot"})
    unknown = reviewer_client.get(preview_url(), {"claim": "987654", "text": "$1M"})
    hidden = logged_in(staff_with("sources.view_source")).get(
        preview_url(), {"claim": claim.pk, "text": "$1M"}
    )

    assert refused.status_code == 400
    assert answer(refused)["error"] == "no value in USD could be read in “a lot”"
    assert unknown.status_code == 404
    assert hidden.status_code == 403


# Back where the reviewer came from, told what changed


def test_the_assertion_page_returns_to_the_source_page_with_what_changed(reviewer_client, disputed):
    source, claim = disputed
    quote = make_quote(source, "有人说只有1000万美元")
    back = f"{admin_url(Source, 'change', source.pk)}#quote-{quote.pk}"
    url = f"{admin_url(Assertion, 'add')}?quote={quote.pk}&next={back.replace('#', '%23')}"

    response = reviewer_client.post(
        url, {"claim": claim.pk, "quote": quote.pk, "stance": "supports", "value_written": "$10M"}
    )

    assert response.status_code == 302
    assert response["Location"] == back
    shown = [
        str(m)
        for m in reviewer_client.get(admin_url(Source, "change", source.pk)).context["messages"]
    ]
    assert any(
        "Recorded $10M on “How much money did Elon Musk give OpenAI?”; opened 2 conflicts; "
        "the claim now has 3 positions (was 2)." in m
        for m in shown
    ), shown
    assert any(f"/admin/claims/claim/{claim.pk}/dispute/" in m for m in shown)


def test_a_return_address_off_the_site_is_ignored_for_the_claims_page(reviewer_client, disputed):
    source, claim = disputed
    quote = make_quote(source, "有人说只有1000万美元")
    url = f"{admin_url(Assertion, 'add')}?next=https://elsewhere.example/admin/"

    response = reviewer_client.post(
        url, {"claim": claim.pk, "quote": quote.pk, "stance": "mentions"}
    )

    assert response["Location"] == admin_url(Claim, "change", claim.pk)


def test_a_claims_inline_assertion_stays_on_the_claims_page_with_what_changed(
    reviewer_client, disputed
):
    source, claim = disputed
    quote = make_quote(source, "OpenAI说马斯克给了不到4500万美元")
    url = admin_url(Claim, "change", claim.pk)
    data = with_new_inline_row(
        posted_back(reviewer_client.get(url)),
        "assertions",
        quote=quote.pk,
        stance="supports",
        value_written="不到4500万",
    )

    response = reviewer_client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == url
    assertion = Assertion.objects.get(claim=claim, quote=quote)
    assert (assertion.value_kind, assertion.high, assertion.value_text) == (
        "upper_bound",
        45 * M,
        "不到4500万",
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Recorded at most $45M on “How much money did Elon Musk give OpenAI?”" in shown
    assert "opened 1 conflict; the claim still has 2 positions." in shown


def test_a_claim_saved_without_assertions_changing_goes_to_the_list_as_before(
    reviewer_client, disputed
):
    _, claim = disputed
    url = admin_url(Claim, "change", claim.pk)
    data = {**posted_back(reviewer_client.get(url)), "reviewer_notes": "checked"}

    response = reviewer_client.post(url, data)

    assert response["Location"] == admin_url(Claim, "changelist")


# How values and quotes show


def test_the_add_page_shows_the_whole_quote(reviewer_client, db):
    source = make_source(text=LONG)
    quote = make_quote(source, LONG)
    assert len(LONG) > 60

    page = reviewer_client.get(admin_url(Assertion, "add"), {"quote": quote.pk}).content.decode()

    assert LONG in page
    assert "Exact bounds" in page
    assert 'data-value-preview="/admin/claims/claim/value/"' in page


def test_values_show_as_people_write_them_not_as_stored(reviewer_client, disputed, db):
    source, claim = disputed
    assertion = claim.assertions.order_by("pk").first()
    dated = make_claim(kind="date", unit="date")
    left = services.assertion_add(
        claim=dated,
        quote=make_quote(
            source, "马斯克说1000万美元是错的", start=TEXT.index("马斯克说1000万美元是错的")
        ),
        stance="supports",
        value=services.value_typed(claim=dated, text="2018-02"),
    )

    page = reviewer_client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    row = reviewer_client.get(admin_url(Assertion, "change", assertion.pk))
    form = row.context["adminform"].form
    listed = reviewer_client.get(admin_url(Assertion, "changelist")).content.decode()
    dated_form = (
        reviewer_client.get(admin_url(Assertion, "change", left.pk)).context["adminform"].form
    )

    assert "44000000.0000" not in page
    assert 'value="44,000,000"' in page
    assert (form["low"].value(), form["value_written"].value()) == ("44,000,000", "44,000,000 USD")
    assert "44,000,000 USD" in listed and "2018-02" in listed
    assert (dated_form["low"].value(), dated_form["high"].value()) == ("2018-02-01", "2018-02-28")
    assert dated_form["value_written"].value() == "2018-02"


def test_an_unchanged_value_is_left_alone_and_changed_words_are_read_again(
    reviewer_client, disputed
):
    _, claim = disputed
    assertion = claim.assertions.order_by("pk").first()
    url = admin_url(Assertion, "change", assertion.pk)

    untouched = posted_back(reviewer_client.get(url))
    assert reviewer_client.post(url, untouched).status_code == 302
    assert Assertion.objects.get(pk=assertion.pk).version == assertion.version

    changed = {**posted_back(reviewer_client.get(url)), "value_written": "约4500万"}
    response = reviewer_client.post(url, changed)

    assert response["Location"] == admin_url(Claim, "change", claim.pk)
    saved = Assertion.objects.get(pk=assertion.pk)
    assert (saved.value_kind, saved.low, saved.value_text) == ("approximate", 45 * M, "约4500万")


# What the panel costs


def test_the_panel_costs_the_same_queries_with_5_and_60_quotes(reviewer_client, db):
    source, claim = make_source(text=article(70)), make_claim()

    def grow(count: int) -> None:
        done = source.quotes.count()
        for n in range(done, done + count):
            quote = make_quote(source, sentence(n))
            if n % 2:
                services.assertion_add(claim=claim, quote=quote, stance="mentions")

    def costs() -> tuple[int, int, int]:
        n = source.quotes.count()
        with CaptureQueriesContext(connection) as saving:
            saved = reviewer_client.post(quote_url(source), {"exact": sentence(n)})
        quote = answer(saved)["quote"]["id"]
        with CaptureQueriesContext(connection) as linking:
            linked = reviewer_client.post(
                link_url(source), {"quote": quote, "claim": claim.pk, "stance": "supports"}
            )
        with CaptureQueriesContext(connection) as reading:
            read = reviewer_client.get(preview_url(), {"claim": claim.pk, "quote": quote})
        assert (saved.status_code, linked.status_code, read.status_code) == (201, 201, 200)
        return len(saving), len(linking), len(reading)

    grow(5)
    costs()  # fills the per-process caches
    small = costs()
    grow(53)
    assert source.quotes.count() == 60
    assert costs() == small, small
