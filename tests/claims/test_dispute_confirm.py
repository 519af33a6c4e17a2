"""dispute_confirm: an Editor confirms every open conflict between a claim's positions."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from claims import services
from claims.models import Conflict, ConflictStatus
from tests.admin.ledger import disputed_claim
from tests.constants import M

pytestmark = pytest.mark.django_db


def statuses(claim) -> dict[tuple[int, int], str]:
    return {(c.first_id, c.second_id): c.status for c in Conflict.objects.filter(claim=claim)}


def settled_dispute():
    """44M and 45M are one position (dismissed), 100M another; 1M is set aside."""
    claim, (a, b, c, slip) = disputed_claim(44 * M, 45 * M, 100 * M, 1 * M)
    services.conflict_set_status(
        conflict=Conflict.objects.get(first=a, second=b), status="dismissed", note="Rounded."
    )
    services.assertion_set_aside(assertion=slip, set_aside="outlier", note="A slip.")
    return claim, (a, b, c, slip)


def test_it_confirms_the_open_conflicts_between_positions_only():
    claim, (a, b, c, slip) = settled_dispute()

    confirmed = services.dispute_confirm(claim=claim, note="Both on the record.")

    assert {(x.first_id, x.second_id) for x in confirmed} == {(a.pk, c.pk), (b.pk, c.pk)}
    now = statuses(claim)
    assert now[(a.pk, c.pk)] == now[(b.pk, c.pk)] == ConflictStatus.CONFIRMED
    assert now[(a.pk, b.pk)] == ConflictStatus.DISMISSED
    assert {now[(x.pk, slip.pk)] for x in (a, b, c)} == {ConflictStatus.OPEN}
    for conflict in confirmed:
        assert [(h.status, h.note) for h in conflict.history.all()[:2]] == [
            (ConflictStatus.CONFIRMED, "Both on the record."),
            (ConflictStatus.OPEN, ""),
        ]
    assert services.dispute_confirm(claim=claim) == []


def test_a_confirmation_without_a_note_keeps_each_conflicts_own():
    claim, _ = disputed_claim(44 * M, 100 * M)
    conflict = claim.conflicts.get()
    conflict.note = "Seen in both articles."
    conflict.save()

    services.dispute_confirm(claim=claim)

    conflict.refresh_from_db()
    assert (conflict.status, conflict.note) == (ConflictStatus.CONFIRMED, "Seen in both articles.")


def test_only_editors_confirm_a_dispute():
    claim, _ = settled_dispute()
    reviewer = User.objects.create_user("rita")
    history = Conflict.history.count()

    with pytest.raises(PermissionDenied):
        services.dispute_confirm(claim=claim, user=reviewer)

    assert ConflictStatus.CONFIRMED not in statuses(claim).values()
    assert Conflict.history.count() == history
