import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from claims import services
from claims.models import (
    AnchorState,
    Claim,
    Conflict,
    ConflictStatus,
    Position,
    PositionRating,
    Quote,
)
from domain.intervals import Interval, exact
from sources.models import Source
from sources.services import source_correct_text, source_import
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source

pytestmark = pytest.mark.django_db


def test_identical_text_is_one_source():
    first, created = source_import(title="A", text="同一篇文章。\r\n", language="zh-Hans")
    again, created_again = source_import(title="B", text="同一篇文章。\n", language="zh-Hans")
    assert created and not created_again
    assert again.pk == first.pk and Source.objects.count() == 1


def test_nul_byte_in_source_text_is_refused_and_nothing_stored():
    with pytest.raises(ValidationError) as error:
        source_import(title="A", text="abc\x00def", language="en")
    assert "NUL" in error.value.message_dict["text"][0]
    assert Source.objects.count() == 0


def test_quote_not_in_source_is_refused():
    source = make_source()
    with pytest.raises(ValidationError) as error:
        make_quote(source, "一亿美元")
    assert error.value.message_dict == {"exact": ["the text does not occur in the source"]}
    assert Quote.objects.count() == 0


def test_ambiguous_quote_names_the_count():
    source = make_source("马斯克说。马斯克说。")
    with pytest.raises(ValidationError) as error:
        make_quote(source, "马斯克说")
    assert "2 times" in error.value.message_dict["exact"][0]


def test_quote_is_stored_at_its_offsets():
    source = make_source()
    quote = make_quote(source, "4400万美元")
    assert source.text[quote.start : quote.end] == quote.exact == "4400万美元"


def test_same_passage_twice_is_refused():
    source = make_source()
    make_quote(source, "4400万美元")
    with pytest.raises(ValidationError, match="already quote"):
        make_quote(source, "4400万美元")


def test_value_conflicts_are_detected_once_with_a_reason():
    source = make_source()
    claim = make_claim()
    a = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    b = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "不到4500万美元"),
        stance="supports",
        value=Interval(50 * M, 100 * M, "range", "USD"),
    )
    services.conflicts_detect(claim=claim)
    conflict = Conflict.objects.get()
    assert (conflict.first_id, conflict.second_id) == (a.pk, b.pk)
    assert conflict.reason == (
        "44,000,000 USD exact vs 50,000,000–100,000,000 USD range: no overlap"
    )


def test_dismissed_conflict_stays_dismissed_until_a_value_changes():
    source = make_source()
    claim = make_claim()
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    b = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "不到4500万美元"),
        stance="supports",
        value=exact(90 * M, "USD"),
    )
    conflict = Conflict.objects.get()
    services.conflict_set_status(conflict=conflict, status="dismissed", note="different dates")
    services.conflicts_detect(claim=claim)
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.DISMISSED
    services.assertion_update(assertion=b, value=exact(95 * M, "USD"))
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    assert "95,000,000" in conflict.reason


def test_conflict_goes_away_when_values_come_to_agree():
    source = make_source()
    claim = make_claim()
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    b = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "不到4500万美元"),
        stance="supports",
        value=exact(90 * M, "USD"),
    )
    assert Conflict.objects.count() == 1
    services.assertion_update(assertion=b, value=Interval(None, 45 * M, "upper_bound", "USD"))
    assert Conflict.objects.count() == 0


def test_resolving_needs_a_note():
    source = make_source()
    claim = make_claim(kind="yes_no", unit="")
    a = services.assertion_add(
        claim=claim, quote=make_quote(source, "4400万美元"), stance="supports"
    )
    b = services.assertion_add(
        claim=claim, quote=make_quote(source, "不到4500万美元"), stance="contradicts"
    )
    conflict = Conflict.objects.get(first=a, second=b)
    assert conflict.kind == "stance"
    with pytest.raises(ValidationError) as error:
        services.conflict_set_status(conflict=conflict, status="resolved")
    assert "note" in error.value.message_dict
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_stale_claim_edit_is_refused_and_changes_nothing():
    claim = make_claim()
    services.claim_update(claim=claim, expected_version=1, statement_en="First edit?")
    with pytest.raises(services.StaleEdit) as error:
        services.claim_update(claim=claim, expected_version=1, statement_en="Second edit?")
    assert error.value.current.statement_en == "First edit?"
    claim.refresh_from_db()
    assert claim.statement_en == "First edit?" and claim.version == 2


def test_only_editors_publish_or_set_verdicts():
    reviewer = User.objects.create_user("reviewer", is_staff=True)
    editor = User.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="publish_claim"))
    claim = make_claim()
    claim = services.claim_set_status(claim=claim, status="in_review", user=reviewer)
    with pytest.raises(PermissionDenied):
        services.claim_set_status(claim=claim, status="published", user=reviewer)
    with pytest.raises(PermissionDenied):
        services.claim_set_verdict(claim=claim, verdict="false", rationale="no", user=reviewer)
    claim.refresh_from_db()
    assert claim.status == "in_review" and claim.verdict == ""
    claim = services.claim_set_status(claim=claim, status="published", user=editor)
    assert claim.status == "published" and claim.published_at is not None


def test_workflow_refuses_skipping_review():
    claim = make_claim()
    with pytest.raises(ValidationError, match="cannot become published"):
        services.claim_set_status(claim=claim, status="published")


def test_corrected_text_reanchors_and_orphans_without_deleting():
    source = make_source("甲。马斯克说他给了4400万美元。乙。奥特曼说不到4500万美元。丙。")
    kept = make_quote(source, "马斯克说他给了4400万美元")
    lost = make_quote(source, "奥特曼说不到4500万美元")
    report = source_correct_text(source=source, text="新的开头。马斯克说他给了4400万美元。丙。")
    kept.refresh_from_db()
    lost.refresh_from_db()
    # Its words occur once, but no context around them is left: placed, flagged to check.
    assert report.fuzzy == [kept.pk] and report.orphaned == [lost.pk]
    assert source.text[kept.start : kept.end] == kept.exact
    assert kept.anchor_state == AnchorState.FUZZY
    assert lost.anchor_state == AnchorState.ORPHANED and lost.exact == "奥特曼说不到4500万美元"


def test_quote_used_by_an_assertion_cannot_be_deleted():
    source = make_source()
    quote = make_quote(source, "4400万美元")
    services.assertion_add(claim=make_claim(kind="text", unit=""), quote=quote, stance="mentions")
    with pytest.raises(ValidationError):
        services.quote_delete(quote=quote)
    assert Quote.objects.filter(pk=quote.pk).exists()


@pytest.mark.parametrize("seed", range(3))
def test_incremental_detection_matches_a_full_recount(seed):
    import random

    rng = random.Random(seed)
    text = "".join(f"第{n}句说了{n}万美元。" for n in range(40))
    source = make_source(text)
    claim = make_claim()
    assertions = []
    for n in range(12):
        low = Decimal(rng.randint(1, 60)) * M
        kind = rng.choice(["exact", "approximate", "upper_bound", "range"])
        value = {
            "exact": Interval(low, low, "exact", "USD"),
            "approximate": Interval(low, low, "approximate", "USD"),
            "upper_bound": Interval(None, low, "upper_bound", "USD"),
            "range": Interval(low, low + 10 * M, "range", "USD"),
        }[kind]
        stance = rng.choice(["supports", "supports", "contradicts", "qualifies"])
        quote = make_quote(source, f"第{n}句说了{n}万美元")
        assertions.append(
            services.assertion_add(claim=claim, quote=quote, stance=stance, value=value)
        )
        if n % 4 == 3:
            changed = rng.choice(assertions)
            services.assertion_update(assertion=changed, value=exact(low * 2, "USD"))

    def state():
        return set(Conflict.objects.values_list("first_id", "second_id", "kind", "reason"))

    incremental = state()
    services.conflicts_detect(claim=claim)
    assert state() == incremental
    assert incremental


def test_detection_reads_assertions_afresh_not_a_prefetched_list():
    source, claim = make_source(), make_claim()
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    loaded = Claim.objects.with_evidence().get(pk=claim.pk)
    list(loaded.assertions.all())
    services.assertion_add(
        claim=loaded,
        quote=make_quote(source, "不到4500万美元"),
        stance="supports",
        value=exact(90 * M, "USD"),
    )
    assert Conflict.objects.count() == 1


def test_a_stance_change_does_not_reopen_a_dismissed_value_conflict():
    source, claim = make_source(), make_claim()
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    b = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "不到4500万美元"),
        stance="supports",
        value=exact(90 * M, "USD"),
    )
    conflict = Conflict.objects.get()
    services.conflict_set_status(conflict=conflict, status="dismissed", note="rounding")
    services.assertion_update(assertion=b, stance="qualifies")
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.DISMISSED


def test_a_reviewers_marked_conflict_keeps_its_kind_and_note():
    source, claim = make_source(), make_claim()
    a = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    b = services.assertion_add(
        claim=claim, quote=make_quote(source, "不到4500万美元"), stance="mentions"
    )
    marked = services.conflict_mark(first=a, second=b, note="different meanings")
    services.assertion_update(assertion=b, value=exact(90 * M, "USD"))
    marked.refresh_from_db()
    assert (marked.kind, marked.origin, marked.note) == ("other", "reviewer", "different meanings")
    assert marked.reason == ""


def test_deleting_an_assertion_takes_its_conflicts_and_keeps_the_quote():
    source, claim = make_source(), make_claim()
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, "4400万美元"),
        stance="supports",
        value=exact(44 * M, "USD"),
    )
    quote = make_quote(source, "不到4500万美元")
    b = services.assertion_add(
        claim=claim, quote=quote, stance="supports", value=exact(90 * M, "USD")
    )
    assert Conflict.objects.count() == 1
    services.assertion_delete(assertion=b)
    assert Conflict.objects.count() == 0
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_source_description_changes_but_not_its_text():
    from sources.services import source_update

    source = make_source()
    updated = source_update(source=source, title="新标题", outlet="界面新闻")
    assert (updated.title, updated.outlet) == ("新标题", "界面新闻")
    assert "新标题" in updated.search_text
    with pytest.raises(ValidationError) as error:
        source_update(source=source, text="另一篇")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError):
        source_update(source=source, title="a\x00b")
    source.refresh_from_db()
    assert source.title == "新标题"


def disputed_as_stored_and_as_computed(claim):
    claim.refresh_from_db()
    live = claim.conflicts.filter(status__in=["open", "confirmed"]).exists()
    return claim.disputed, live


def test_the_disputed_flag_follows_every_change_to_a_claims_conflicts():
    source = make_source()
    claim = make_claim()
    stale_copy = Claim.objects.get(pk=claim.pk)
    a = services.assertion_add(
        claim=claim, quote=make_quote(source, "4400万美元"), stance="supports",
        value=exact(44 * M, "USD"),
    )  # fmt: skip
    assert disputed_as_stored_and_as_computed(claim) == (False, False)
    b = services.assertion_add(
        claim=claim, quote=make_quote(source, "不到4500万美元"), stance="supports",
        value=exact(90 * M, "USD"),
    )  # fmt: skip
    assert disputed_as_stored_and_as_computed(claim) == (True, True)
    # A copy read before the conflict, saved afterwards, must not clear the flag.
    stale_copy.reviewer_notes = "checked"
    stale_copy.save()
    assert disputed_as_stored_and_as_computed(claim) == (True, True)
    conflict = Conflict.objects.get()
    services.conflict_set_status(conflict=conflict, status="dismissed", note="different dates")
    assert disputed_as_stored_and_as_computed(claim) == (False, False)
    services.conflict_mark(first=a, second=b, note="they do disagree")
    assert disputed_as_stored_and_as_computed(claim) == (True, True)
    services.assertion_delete(assertion=b)
    assert disputed_as_stored_and_as_computed(claim) == (False, False)
    services.assertion_update(assertion=a, value=exact(46 * M, "USD"))
    assert disputed_as_stored_and_as_computed(claim) == (False, False)


def test_the_seed_ledgers_disputed_flags_match_their_conflicts(seeded):
    claims = list(Claim.objects.all())
    assert any(c.disputed for c in claims) and not all(c.disputed for c in claims)
    for claim in claims:
        stored, computed = disputed_as_stored_and_as_computed(claim)
        assert stored == computed, claim.slug


def test_refresh_positions_recomputes_what_is_missing_and_keeps_ratings(seeded):
    ratings = dict(PositionRating.objects.values_list("pk", "position__assertion_ids"))
    before = sorted(Position.objects.values_list("claim_id", "assertion_ids"))
    Position.objects.filter(claim__slug="musk-sought-control").delete()
    Claim.objects.filter(slug="musk-sought-control").update(position_count=0)
    call_command("refresh_positions", stdout=io.StringIO())
    assert sorted(Position.objects.values_list("claim_id", "assertion_ids")) == before
    assert dict(PositionRating.objects.values_list("pk", "position__assertion_ids")) == ratings


def test_assertions_overlapping_a_span_are_those_of_the_claim_sharing_a_character():
    text = "马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。"
    source, elsewhere = make_source(text=text), make_source()
    claim, other_claim = make_claim(), make_claim()
    sentence = make_quote(source, "马斯克说他给了OpenAI 4400万美元")
    linked = services.assertion_add(claim=claim, quote=sentence, stance="supports")
    services.assertion_add(
        claim=other_claim, quote=make_quote(source, "奥特曼说"), stance="mentions"
    )
    services.assertion_add(
        claim=claim, quote=make_quote(elsewhere, "奥特曼说不到4500万美元"), stance="supports"
    )

    def overlapping(start, end):
        return list(
            services.assertions_overlapping(claim=claim, source=source, start=start, end=end)
        )

    amount = text.index("4400万")
    assert overlapping(amount, amount + 5) == [linked]
    assert overlapping(0, len(text)) == [linked]
    assert overlapping(sentence.start, sentence.end) == [linked]
    # Touching is not overlapping; other claims and other sources do not count.
    assert overlapping(sentence.end, len(text)) == []


# Team


def test_a_claim_is_assigned_to_a_reviewer_as_a_change_of_its_own():
    from tests.factories import make_user

    reviewer, outsider = make_user("rita", "Reviewer"), User.objects.create_user("visitor")
    claim = make_claim()

    assigned = services.claim_assign(claim=claim, assignee=reviewer, expected_version=1)

    assert (assigned.assignee, assigned.version) == (reviewer, 2)
    assert claim.history.first().assignee_id == reviewer.pk
    assert list(Claim.objects.assigned_to(reviewer)) == [assigned]
    with pytest.raises(ValidationError, match="not a Reviewer or Editor"):
        services.claim_assign(claim=claim, assignee=outsider)
    with pytest.raises(services.StaleEdit):
        services.claim_assign(claim=claim, assignee=None, expected_version=1)
    assert services.claim_assign(claim=claim, assignee=None).assignee is None


def test_a_comment_joins_the_claims_thread_without_changing_the_claim():
    from tests.factories import make_user

    reviewer, outsider = make_user("rita", "Reviewer"), User.objects.create_user("visitor")
    claim = make_claim()

    comment = services.claim_comment_add(claim=claim, text="Check 003's figure.\r\n", user=reviewer)

    assert (comment.author, comment.text) == (reviewer, "Check 003's figure.\n")
    assert list(claim.comments.all()) == [comment]
    assert comment.history.count() == 1
    assert Claim.objects.get(pk=claim.pk).version == claim.version
    with pytest.raises(ValidationError, match="empty"):
        services.claim_comment_add(claim=claim, text="  ", user=reviewer)
    with pytest.raises(PermissionDenied):
        services.claim_comment_add(claim=claim, text="Hello", user=outsider)


@pytest.mark.parametrize(
    ("update", "target"),
    [(services.claim_update, "claim"), (services.assertion_update, "assertion")],
)
def test_an_update_refuses_a_field_it_does_not_set_and_changes_nothing(update, target):
    claim = make_claim(slug="refused", kind="text")
    assertion = services.assertion_add(
        claim=claim, quote=make_quote(make_source("一句话。"), "一句话"), stance="supports"
    )
    obj = {"claim": claim, "assertion": assertion}[target]
    with pytest.raises(ValidationError) as error:
        update(**{target: obj}, colour="red", note_zh="x")
    assert set(error.value.message_dict) == {"colour", "note_zh"}
    obj.refresh_from_db()
    assert obj.version == 1


def test_the_user_a_service_is_given_is_the_one_its_history_names():
    # No request here: the history middleware cannot name anyone.
    reviewer = User.objects.create_user("rita")
    claim = services.claim_create(slug="named", statement_en="Who?", kind="text", user=reviewer)
    claim = services.claim_update(claim=claim, reviewer_notes="checked", user=reviewer)
    assert [record.history_user for record in claim.history.all()] == [reviewer, reviewer]
    quote = services.quote_create(source=make_source("一句话。"), exact="一句话", user=reviewer)
    assertion = services.assertion_add(claim=claim, quote=quote, stance="mentions", user=reviewer)
    records = [quote.history.get(), assertion.history.get()]
    assert [record.history_user for record in records] == [reviewer, reviewer]
    assert (
        services.claim_create(slug="anon", statement_en="?", kind="text").history.get().history_user
        is None
    )
