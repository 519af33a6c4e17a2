"""The conflict queue: open first, settled by actions with a note, marked by hand."""

import pytest

from claims import services
from claims.models import Conflict, ConflictKind, ConflictOrigin, ConflictStatus
from tests.admin.forms import admin_url
from tests.admin.ledger import disputed_claim
from tests.constants import M


def post_action(client, action: str, conflicts, **extra):
    data = {"action": action, "_selected_action": [str(c.pk) for c in conflicts], **extra}
    return client.post(admin_url(Conflict, "changelist"), data)


def status_of(conflict) -> str:
    return Conflict.objects.get(pk=conflict.pk).status


def test_the_queue_lists_open_conflicts_first_with_both_quotes(reviewer_client):
    claim, _ = disputed_claim(44 * M, 45 * M, 100 * M, 1 * M)
    conflicts = list(claim.conflicts.order_by("pk"))
    settled = {
        conflicts[0].pk: ConflictStatus.RESOLVED,
        conflicts[1].pk: ConflictStatus.CONFIRMED,
        conflicts[2].pk: ConflictStatus.DISMISSED,
    }
    for pk, status in settled.items():
        services.conflict_set_status(conflict=Conflict.objects.get(pk=pk), status=status, note="n")

    response = reviewer_client.get(admin_url(Conflict, "changelist"))

    statuses = [c.status for c in response.context["cl"].result_list]
    rank = {"open": 0, "confirmed": 1, "dismissed": 2, "resolved": 2}
    assert len(statuses) == 6
    assert [rank[s] for s in statuses] == sorted(rank[s] for s in statuses)
    assert statuses[:3] == ["open"] * 3
    page = response.content.decode()
    for conflict in conflicts:
        for side in (conflict.first, conflict.second):
            assert side.quote.exact in page
    assert conflicts[0].first.quote.source.title in page
    assert "Supports 44,000,000 USD" in page


def test_confirm_is_one_click(reviewer_client):
    claim, _ = disputed_claim(44 * M, 100 * M)
    conflict = claim.conflicts.get()

    post_action(reviewer_client, "confirm", [conflict])

    assert status_of(conflict) == ConflictStatus.CONFIRMED


@pytest.mark.parametrize("action", ["dismiss", "resolve"])
def test_dismiss_and_resolve_ask_for_a_note_first(reviewer_client, action):
    claim, _ = disputed_claim(44 * M, 100 * M)
    conflict = claim.conflicts.get()

    asked = post_action(reviewer_client, action, [conflict])
    assert asked.status_code == 200
    assert 'name="note"' in asked.content.decode()
    assert status_of(conflict) == ConflictStatus.OPEN

    refused = post_action(reviewer_client, action, [conflict], apply="yes", note="")
    assert refused.status_code == 200
    assert refused.context["form"].errors["note"]
    assert status_of(conflict) == ConflictStatus.OPEN

    done = post_action(reviewer_client, action, [conflict], apply="yes", note="Different dates.")
    assert done.status_code == 302
    settled = Conflict.objects.get(pk=conflict.pk)
    expected = {"dismiss": "dismissed", "resolve": "resolved"}[action]
    assert (settled.status, settled.note) == (expected, "Different dates.")


def test_the_change_form_needs_a_note_to_resolve(reviewer_client):
    claim, _ = disputed_claim(44 * M, 100 * M)
    conflict = claim.conflicts.get()
    url = admin_url(Conflict, "change", conflict.pk)
    assert reviewer_client.get(url).status_code == 200

    refused = reviewer_client.post(url, {"status": "resolved", "note": ""})

    assert refused.status_code == 200
    assert "needs a note" in refused.content.decode()
    assert status_of(conflict) == ConflictStatus.OPEN
    done = reviewer_client.post(url, {"status": "resolved", "note": "Both true at their dates."})
    assert done.status_code == 302
    assert status_of(conflict) == ConflictStatus.RESOLVED


def test_a_reviewer_marks_a_conflict_by_hand(reviewer_client):
    claim, (a, b) = disputed_claim(44 * M, 44 * M)
    assert not claim.conflicts.exists()
    other_claim, (elsewhere,) = disputed_claim(1 * M)
    url = admin_url(Conflict, "add")

    chooser = reviewer_client.get(url)
    assert 'name="claim"' in chooser.content.decode()
    form_page = reviewer_client.get(url, {"claim": claim.pk})
    assert {a.pk, b.pk} == {c.pk for c in form_page.context["form"].fields["first"].queryset}

    mark_url = f"{url}?claim={claim.pk}"
    same = reviewer_client.post(mark_url, {"first": a.pk, "second": a.pk, "kind": "other"})
    assert same.status_code == 200
    assert "two different assertions" in same.content.decode()
    foreign = reviewer_client.post(mark_url, {"first": a.pk, "second": elsewhere.pk})
    assert foreign.context["form"].errors["second"]
    assert not Conflict.objects.exists()

    response = reviewer_client.post(
        mark_url, {"first": b.pk, "second": a.pk, "kind": "other", "note": "Same sum, two stories"}
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url(claim, "change", claim.pk)
    conflict = claim.conflicts.get()
    assert (conflict.first_id, conflict.second_id) == (a.pk, b.pk)
    assert (conflict.origin, conflict.status, conflict.kind) == (
        ConflictOrigin.REVIEWER,
        ConflictStatus.CONFIRMED,
        ConflictKind.OTHER,
    )
    assert conflict.note == "Same sum, two stories"
    assert not other_claim.conflicts.exists()


def test_conflicts_are_settled_not_deleted(editor_client):
    claim, _ = disputed_claim(44 * M, 100 * M)
    conflict = claim.conflicts.get()

    page = editor_client.get(admin_url(Conflict, "change", conflict.pk)).content.decode()

    assert "deletelink" not in page
    assert editor_client.get(admin_url(Conflict, "delete", conflict.pk)).status_code == 403


def test_the_form_says_which_note_readers_see_and_keeps_the_reviewers_own(reviewer_client):
    claim, _ = disputed_claim(44 * M, 100 * M)
    conflict = claim.conflicts.get()
    url = admin_url(Conflict, "change", conflict.pk)
    form = reviewer_client.get(url).content.decode()
    assert "Public note (shown to readers)" in form and "never shown to readers" in form

    done = reviewer_client.post(
        url, {"status": "resolved", "note": "Both true.", "reviewer_note": "Ask the desk."}
    )

    assert done.status_code == 302
    saved = Conflict.objects.get(pk=conflict.pk)
    assert (saved.note, saved.reviewer_note) == ("Both true.", "Ask the desk.")
    assert saved.history.latest().reviewer_note == "Ask the desk."
