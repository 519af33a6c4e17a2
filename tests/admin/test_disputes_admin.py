"""The dispute queue and a claim's dispute page: positions side by side, settled as such."""

import itertools

from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.models import Claim, Conflict, ConflictStatus, Position, PositionRating
from tests.admin.forms import admin_url
from tests.admin.ledger import exact
from tests.constants import M
from tests.factories import logged_in, make_claim, make_entity, make_quote, make_source

QUEUE_BUDGET = 14
DISPUTE_PAGE_BUDGET = 16

_articles = itertools.count(1)


def dispute(*said, claim=None):
    """A quantity claim in USD with one assertion per value said, all in one new source.

    Each item is a value in millions, or (value, speaker) for a quote of that speaker.
    """
    said = [item if isinstance(item, tuple) else (item, None) for item in said]
    lines = "".join(f"第{n}人说是{v}百万美元。" for n, (v, _) in enumerate(said))
    source = make_source(text=f"第{next(_articles)}篇。{lines}")
    claim = claim or make_claim()
    assertions = [
        services.assertion_add(
            claim=claim,
            quote=make_quote(source, f"第{n}人说是{v}百万美元", speaker=speaker),
            stance="supports",
            value=exact(v * M),
        )
        for n, (v, speaker) in enumerate(said)
    ]
    return claim, assertions


def queue_url() -> str:
    return reverse("admin:claims_claim_disputes")


def dispute_url(claim) -> str:
    return reverse("admin:claims_claim_dispute", args=[claim.pk])


def labels(claim) -> list[str]:
    return list(
        Position.objects.filter(claim=claim).order_by("rank").values_list("label", flat=True)
    )


def position(claim, label: str) -> Position:
    return Position.objects.get(claim=claim, label=label)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def post(client, claim, action: str, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(dispute_url(claim), data)


def statuses(claim) -> dict[tuple[int, int], str]:
    return {(c.first_id, c.second_id): c.status for c in Conflict.objects.filter(claim=claim)}


# The queue


def test_the_queue_lists_disputed_claims_only_with_their_positions(reviewer_client):
    musk = make_entity(name="Elon Musk")
    disputed, assertions = dispute(44, 44, (100, musk))
    quiet, _ = dispute(7)

    response = reviewer_client.get(queue_url())

    assert response.status_code == 200
    assert [row.claim for row in response.context["rows"]] == [disputed]
    row = response.context["rows"][0]
    assert [card.position.label for card in row.cards] == ["$44M", "$100M"]
    page = response.content.decode()
    assert quiet.statement_en not in page
    assert "4400万美元" in page and "1亿美元" in page  # the labels in Chinese too
    assert assertions[0].quote.exact in page
    assert assertions[0].quote.source.title in page
    assert "Elon Musk" in page
    assert row.conflict_summary == "2 conflicts: 2 open"
    assert dispute_url(disputed) in page
    conflicts = reviewer_client.get(row.all_conflicts_url)
    assert conflicts.status_code == 200
    assert {c.claim_id for c in conflicts.context["cl"].result_list} == {disputed.pk}


def test_the_queue_shortens_long_quotes_around_the_value(reviewer_client):
    before, after = (
        "马斯克在一次很长的采访里说了很多别的事情，" * 6,
        "，然后又讲了很多其他的话题。" * 6,
    )
    source = make_source(text=f"{before}他给了4400万美元{after}又说是1亿美元。")
    claim = make_claim()
    for exact_text, value in ((f"{before}他给了4400万美元{after}", 44), ("又说是1亿美元", 100)):
        services.assertion_add(
            claim=claim,
            quote=make_quote(source, exact_text),
            stance="supports",
            value=exact(value * M),
            value_text="4400万美元" if value == 44 else "1亿美元",
        )

    card = reviewer_client.get(queue_url()).context["rows"][0].cards[0]

    shown = card.members[0].excerpt
    assert len(shown) <= 120 and "4400万美元" in shown
    assert shown.startswith("…") and shown.endswith("…")


def test_the_queue_shows_a_few_quotes_per_position_and_counts_the_rest(reviewer_client):
    claim, _ = dispute(44, 44, 44, 44, 44, 100)

    row = reviewer_client.get(queue_url()).context["rows"][0]

    card = row.cards[0]
    assert (len(card.members), card.hidden) == (3, 2)
    assert "and 2 more" in reviewer_client.get(queue_url()).content.decode()


def test_the_queue_and_its_links_are_on_the_admin_index_and_claim_pages(reviewer_client):
    claim, _ = dispute(44, 100)

    assert queue_url() in reviewer_client.get(reverse("admin:index")).content.decode()
    assert queue_url() in reviewer_client.get(admin_url(Claim, "changelist")).content.decode()
    change = reviewer_client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    assert dispute_url(claim) in change


def test_the_queue_needs_the_right_to_view_claims(db):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", password="pw", is_staff=True)
    claim, _ = dispute(44, 100)

    assert logged_in(nobody).get(queue_url()).status_code == 403
    assert logged_in(nobody).get(dispute_url(claim)).status_code == 403


def test_queue_queries_do_not_grow_with_the_disputed_claims(
    reviewer_client, django_assert_max_num_queries
):
    def grow(count: int) -> None:
        for _ in range(count):
            claim, assertions = dispute(44, 45, (100, make_entity()), 100, 100, 100)
            services.assertion_set_aside(assertion=assertions[1], set_aside="outlier", note="Slip.")
            rated = Position.objects.filter(claim=claim).first()
            services.position_rate(position=rated, verdict="false", statement="Said so.")

    grow(2)
    assert reviewer_client.get(queue_url()).status_code == 200
    with django_assert_max_num_queries(QUEUE_BUDGET) as small:
        response = reviewer_client.get(queue_url())
    assert len(response.context["rows"]) == 2
    grow(10)
    with django_assert_max_num_queries(QUEUE_BUDGET) as large:
        response = reviewer_client.get(queue_url())
    assert len(response.context["rows"]) == 12
    assert len(large) == len(small)


def test_dispute_page_queries_do_not_grow_with_assertions_and_conflicts(
    editor_client, django_assert_max_num_queries
):
    claim, _ = dispute(44, 100)
    grown = iter(range(1000, 2000))

    def grow(count: int) -> None:
        dispute(*(next(grown) for _ in range(count)), claim=claim)

    assert editor_client.get(dispute_url(claim)).status_code == 200
    first = Position.objects.filter(claim=claim).first()
    with django_assert_max_num_queries(DISPUTE_PAGE_BUDGET) as small:
        assert editor_client.get(f"{dispute_url(claim)}?rate={first.pk}").status_code == 200
    grow(12)
    services.position_rate(position=Position.objects.filter(claim=claim).first(), verdict="false")
    first = Position.objects.filter(claim=claim).first()
    with django_assert_max_num_queries(DISPUTE_PAGE_BUDGET) as large:
        response = editor_client.get(f"{dispute_url(claim)}?rate={first.pk}")
    assert response.status_code == 200
    assert len(response.context["dispute"].lines) == 91  # 14 values, every pair apart
    assert len(large) == len(small)


# Merging positions


def test_merging_two_positions_with_a_note_dismisses_the_conflicts_between_them(
    reviewer, reviewer_client
):
    claim, (a, b, c, d) = dispute(44, 44, 45, 100)
    assert labels(claim) == ["$44M", "$45M", "$100M"]

    response = post(
        reviewer_client,
        claim,
        "merge",
        first=position(claim, "$44M").pk,
        second=position(claim, "$45M").pk,
        note="4500萬 is the same sum rounded",
    )

    assert response.status_code == 302
    assert response["Location"] == f"{dispute_url(claim)}#content-start"
    assert messages_of(response) == [
        "Merged “$44M” and “$45M” into “$44M–$45M”: dismissed 2 conflicts; "
        "the claim now has 2 positions."
    ]
    assert labels(claim) == ["$44M–$45M", "$100M"]
    now = statuses(claim)
    assert now[(a.pk, c.pk)] == now[(b.pk, c.pk)] == ConflictStatus.DISMISSED
    assert {now[(x.pk, d.pk)] for x in (a, b, c)} == {ConflictStatus.OPEN}
    for first in (a, b):
        conflict = Conflict.objects.get(first=first, second=c)
        assert conflict.note == "4500萬 is the same sum rounded"
        latest = conflict.history.first()
        assert (latest.status, latest.note, latest.history_user) == (
            ConflictStatus.DISMISSED,
            "4500萬 is the same sum rounded",
            reviewer,
        )
    assert Claim.objects.get(pk=claim.pk).position_count == 2


def test_merging_without_a_note_is_refused_and_changes_nothing(reviewer_client):
    claim, _ = dispute(44, 45, 100)
    before = list(Position.objects.filter(claim=claim).values_list("pk", "assertion_ids"))
    history = Conflict.history.count()

    for note in ("", "   "):
        response = post(
            reviewer_client,
            claim,
            "merge",
            first=position(claim, "$44M").pk,
            second=position(claim, "$45M").pk,
            note=note,
        )
        assert response.status_code == 200
        assert response.context["dispute_forms"]["merge"].errors["note"]
        assert "Nothing was changed" in response.content.decode()

    assert list(Position.objects.filter(claim=claim).values_list("pk", "assertion_ids")) == before
    assert set(statuses(claim).values()) == {ConflictStatus.OPEN}
    assert Conflict.history.count() == history


def test_merging_a_position_with_itself_or_one_gone_is_refused(reviewer_client):
    claim, _ = dispute(44, 100)
    first = position(claim, "$44M")

    same = post(reviewer_client, claim, "merge", first=first.pk, second=first.pk, note="n")
    gone = post(reviewer_client, claim, "merge", first=first.pk, second=999999, note="n")

    assert same.context["dispute_forms"]["merge"].errors["second"] == [
        "Choose two different positions."
    ]
    assert "changed since this page was loaded" in str(
        gone.context["dispute_forms"]["merge"].errors["second"]
    )
    assert set(statuses(claim).values()) == {ConflictStatus.OPEN}


def test_merging_a_position_with_itself_is_refused_in_the_reviewers_language(reviewer_client):
    reviewer_client.cookies["django_language"] = "zh-hans"
    claim, _ = dispute(44, 100)
    first = position(claim, "$44M")
    same = post(reviewer_client, claim, "merge", first=first.pk, second=first.pk, note="n")
    assert same.context["dispute_forms"]["merge"].errors["second"] == ["请选择两个不同的立场。"]


# Setting assertions aside


def test_setting_an_assertion_aside_takes_it_out_of_the_positions(reviewer_client):
    claim, (low, high, slip) = dispute(44, 100, 1)
    assert len(labels(claim)) == 3

    response = post(
        reviewer_client,
        claim,
        "set_aside",
        assertion=slip.pk,
        set_aside="outlier",
        set_aside_note="A typo for 1亿 in the article.",
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        f"Set aside #{slip.pk} «{slip.quote.exact}» (outlier); the claim now has 2 positions."
    ]
    assert labels(claim) == ["$44M", "$100M"]
    assert all(slip.pk not in p.assertion_ids for p in Position.objects.filter(claim=claim))
    slip.refresh_from_db()
    assert (slip.set_aside, slip.set_aside_note) == ("outlier", "A typo for 1亿 in the article.")
    page = reviewer_client.get(dispute_url(claim)).content.decode()
    assert "A typo for 1亿 in the article." in page

    back = post(reviewer_client, claim, "bring_back", assertion=slip.pk)

    assert back.status_code == 302
    assert "back into the dispute; the claim now has 3 positions" in messages_of(back)[0]
    slip.refresh_from_db()
    assert (slip.set_aside, slip.set_aside_note) == ("", "")
    assert len(labels(claim)) == 3


def test_setting_aside_needs_a_note_for_readers(reviewer_client):
    claim, (_, _, slip) = dispute(44, 100, 1)

    response = post(
        reviewer_client, claim, "set_aside", assertion=slip.pk, set_aside="other_measure"
    )

    assert response.status_code == 200
    assert response.context["dispute_forms"]["set_aside"].errors["set_aside_note"]
    slip.refresh_from_db()
    assert slip.set_aside == ""
    assert len(labels(claim)) == 3


def test_the_set_aside_link_chooses_the_assertion(reviewer_client):
    claim, (_, _, slip) = dispute(44, 100, 1)

    response = reviewer_client.get(f"{dispute_url(claim)}?set_aside={slip.pk}")

    form = response.context["dispute_forms"]["set_aside"]
    assert str(form["assertion"].value()) == str(slip.pk)
    assert f"?set_aside={slip.pk}#set-aside" in response.content.decode()


# Confirming the dispute


def test_confirming_confirms_the_open_conflicts_between_positions(editor, editor_client):
    claim, (a, b, c, slip) = dispute(44, 45, 100, 1)
    services.conflict_set_status(
        conflict=Conflict.objects.get(first=a, second=b), status="dismissed", note="Rounded."
    )
    services.assertion_set_aside(assertion=slip, set_aside="outlier", note="A slip.")
    assert labels(claim) == ["$44M–$45M", "$100M"]
    page = editor_client.get(dispute_url(claim))
    assert len(page.context["dispute"].open_across) == 2

    response = post(editor_client, claim, "confirm", note="Both figures are on the record.")

    assert response.status_code == 302
    assert messages_of(response) == [
        "Confirmed 2 conflicts between positions; the claim has 2 positions."
    ]
    now = statuses(claim)
    assert now[(a.pk, c.pk)] == now[(b.pk, c.pk)] == ConflictStatus.CONFIRMED
    assert now[(a.pk, b.pk)] == ConflictStatus.DISMISSED
    assert {now[(x.pk, slip.pk)] for x in (a, b, c)} == {ConflictStatus.OPEN}  # set aside
    for first in (a, b):
        latest = Conflict.objects.get(first=first, second=c).history.first()
        assert (latest.status, latest.note, latest.history_user) == (
            ConflictStatus.CONFIRMED,
            "Both figures are on the record.",
            editor,
        )
    again = post(editor_client, claim, "confirm")
    assert again.status_code == 200
    assert "none to confirm" in str(again.context["dispute_forms"]["confirm"].non_field_errors())


def test_a_reviewer_cannot_confirm_the_dispute(reviewer_client):
    claim, _ = dispute(44, 100)
    page = reviewer_client.get(dispute_url(claim))
    assert "confirm" not in page.context["dispute_forms"]

    response = post(reviewer_client, claim, "confirm")

    assert response.status_code == 200
    assert "only editors may confirm disputes" in str(
        response.context["dispute_forms"]["confirm"].non_field_errors()
    )
    assert set(statuses(claim).values()) == {ConflictStatus.OPEN}


# Rating positions


def test_a_reviewer_cannot_rate_a_position(reviewer_client):
    claim, _ = dispute(44, 100)
    target = position(claim, "$44M")
    page = reviewer_client.get(f"{dispute_url(claim)}?rate={target.pk}")
    assert "rate" not in page.context["dispute_forms"]

    response = post(reviewer_client, claim, "rate", position=target.pk, verdict="false")

    assert response.status_code == 200
    errors = response.context["dispute_forms"]["rate"].non_field_errors()
    assert "Not allowed: only editors may rate positions" in str(errors)
    assert not PositionRating.objects.exists()


def test_an_editor_rates_a_position_as_its_main_speaker_made_it(editor_client):
    musk, khosla = make_entity(name="Elon Musk"), make_entity(name="Vinod Khosla")
    claim, _ = dispute((100, musk), (100, musk), (100, khosla), 44)
    target = position(claim, "$100M")

    page = editor_client.get(f"{dispute_url(claim)}?rate={target.pk}")
    form = page.context["dispute_forms"]["rate"]
    assert form.initial["speaker"] == musk.pk
    assert "Rate position 1, “$100M”" in page.content.decode()

    response = post(
        editor_client,
        claim,
        "rate",
        position=target.pk,
        verdict="mostly_false",
        statement="Elon Musk: I donated about $100M",
        statement_zh="马斯克：我捐了约1亿美元",
        speaker=musk.pk,
        rationale="The filings show $44M.",
        rationale_zh="文件显示为4400万美元。",
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Rated “$100M”: Mostly false."]
    rating = PositionRating.objects.get()
    assert (rating.position_id, rating.verdict, rating.speaker, rating.statement) == (
        target.pk,
        "mostly_false",
        musk,
        "Elon Musk: I donated about $100M",
    )
    assert rating.rationale_zh == "文件显示为4400万美元。"
    again = editor_client.get(f"{dispute_url(claim)}?rate={target.pk}")
    assert again.context["dispute_forms"]["rate"].initial["verdict"] == "mostly_false"


def test_a_rating_needs_a_verdict(editor_client):
    claim, _ = dispute(44, 100)

    response = post(editor_client, claim, "rate", position=position(claim, "$44M").pk)

    assert response.context["dispute_forms"]["rate"].errors["verdict"]
    assert not PositionRating.objects.exists()


def test_a_rating_whose_evidence_changed_is_flagged_for_the_editor(editor_client):
    claim, _ = dispute(44, 100)
    services.position_rate(position=position(claim, "$100M"), verdict="false")
    dispute(100, claim=claim)  # another source says the same: the position has a new member

    response = editor_client.get(dispute_url(claim))

    page = response.content.decode()
    assert PositionRating.objects.get().evidence_changed
    assert "Evidence changed since rated" in page
    assert [r.verdict for r in response.context["dispute"].flagged_ratings] == ["false"]
    queue = editor_client.get(queue_url())
    assert queue.context["rows"][0].ratings_flagged == 1
    assert "evidence changed since rated" in queue.content.decode()


def test_an_unknown_action_changes_nothing(reviewer_client):
    claim, _ = dispute(44, 100)

    response = reviewer_client.post(dispute_url(claim), {"action": "delete"})

    assert response.status_code == 302
    assert messages_of(response) == ["No such action; nothing was changed."]
    assert set(statuses(claim).values()) == {ConflictStatus.OPEN}


def test_the_dispute_page_folds_the_conflicts_under_the_positions(reviewer_client):
    claim, (a, b, c) = dispute(44, 45, 100)
    services.conflict_set_status(
        conflict=Conflict.objects.get(first=a, second=b), status="dismissed", note="Rounded."
    )

    response = reviewer_client.get(dispute_url(claim))

    dispute_shown = response.context["dispute"]
    assert [card.position.label for card in dispute_shown.cards] == ["$44M–$45M", "$100M"]
    assert [line.conflict.status for line in dispute_shown.lines] == ["open", "open", "dismissed"]
    assert [line.across for line in dispute_shown.lines] == [True, True, False]
    page = response.content.decode()
    assert "3 conflicts: 2 open, 1 dismissed" in page
    assert "Rounded." in page
    assert f"claim__id__exact={claim.pk}" in page


def test_a_rating_left_without_its_position_is_flagged_too(editor_client):
    claim, (_, high) = dispute(44, 100)
    services.position_rate(position=position(claim, "$100M"), verdict="false")
    services.assertion_set_aside(assertion=high, set_aside="other_measure", note="Another sum.")

    page = editor_client.get(dispute_url(claim)).content.decode()

    assert "no position holds those assertions any more" in page


def test_every_seed_claim_has_a_dispute_page(seeded, reviewer_client, editor_client):
    for client in (reviewer_client, editor_client):
        assert client.get(queue_url()).status_code == 200
        for claim in Claim.objects.all():
            response = client.get(dispute_url(claim))
            assert response.status_code == 200, claim.slug
            for rated in Position.objects.filter(claim=claim):
                assert client.get(f"{dispute_url(claim)}?rate={rated.pk}").status_code == 200
