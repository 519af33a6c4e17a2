"""Conflicts between two assertions of a claim: detected, marked, settled, confirmed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from claims.models import (
    Assertion,
    Claim,
    Conflict,
    ConflictKind,
    ConflictOrigin,
    ConflictStatus,
    Position,
)
from claims.permissions import require_publisher
from claims.services.common import _lock_claim, records_user
from claims.services.positions import _conflicts_changed, across_positions
from claims.services.values import assertion_interval
from domain import conflict_rules
from ledger.refusals import must_be_one_of
from sources.services import clean_text


@transaction.atomic
def conflicts_detect(*, claim: Claim, assertion: Assertion | None = None) -> list[Conflict]:
    """Bring the claim's detected conflicts in line with its assertions. Idempotent.

    New conflicts open; ones whose assertions no longer conflict go away unless a reviewer
    has settled them; a dismissal stands until one of the two values changes. Conflicts a
    reviewer marked are the reviewer's and are left as they are. Given the one assertion
    that changed, only its pairs are judged again.
    """
    _lock_claim(claim.pk)
    # Read afresh: a claim loaded with_evidence() carries prefetched lists that may be stale.
    facts = [
        conflict_rules.AssertionFacts(a.pk, a.stance, assertion_interval(a))
        for a in Assertion.objects.filter(claim_id=claim.pk).order_by()
    ]
    involving = assertion.pk if assertion is not None else None
    findings = {
        (f.first_id, f.second_id): f
        for f in conflict_rules.find_conflicts(claim.kind, facts, involving)
    }
    conflicts = Conflict.objects.filter(claim_id=claim.pk).order_by()
    if assertion is not None:
        conflicts = conflicts.filter(Q(first=assertion) | Q(second=assertion))
    existing = {(c.first_id, c.second_id): c for c in conflicts}
    gone = [
        c.pk
        for pair, c in existing.items()
        if c.origin == ConflictOrigin.AUTO
        and c.status == ConflictStatus.OPEN
        and pair not in findings
    ]
    Conflict.objects.filter(pk__in=gone).delete()
    new = []
    for pair, finding in findings.items():
        conflict = existing.get(pair)
        if conflict is None:
            new.append(
                Conflict(
                    claim_id=claim.pk,
                    first_id=finding.first_id,
                    second_id=finding.second_id,
                    kind=finding.kind,
                    origin=ConflictOrigin.AUTO,
                    reason=finding.reason,
                    values_signature=finding.signature,
                )
            )
        elif (
            conflict.origin == ConflictOrigin.AUTO
            and conflict.values_signature != finding.signature
        ):
            if conflict.status == ConflictStatus.DISMISSED:
                conflict.status = ConflictStatus.OPEN
            conflict.kind, conflict.reason = finding.kind, finding.reason
            conflict.values_signature = finding.signature
            conflict.save()
    bulk_create_with_history(new, Conflict)
    _conflicts_changed(claim.pk)
    return list(conflicts.all())


def _ordered_pair(first: Assertion, second: Assertion) -> tuple[Assertion, Assertion]:
    if first.claim_id != second.claim_id:
        raise ValidationError({"second": _("both assertions must be on the same claim")})
    if first.pk == second.pk:
        raise ValidationError({"second": _("a conflict needs two different assertions")})
    return (first, second) if first.pk < second.pk else (second, first)


@records_user
@transaction.atomic
def conflict_mark(
    *,
    first: Assertion,
    second: Assertion,
    note: str = "",
    kind: str = ConflictKind.OTHER,
    user=None,
) -> Conflict:
    """A reviewer marks two assertions as conflicting (or confirms a detected conflict)."""
    first, second = _ordered_pair(first, second)
    _lock_claim(first.claim_id)
    conflict = Conflict.objects.filter(first=first, second=second).first()
    if conflict is not None:
        conflict.status = ConflictStatus.CONFIRMED
        conflict.note = clean_text(note, "note") or conflict.note
        conflict.save()
        _conflicts_changed(conflict.claim_id)
        return conflict
    conflict = Conflict.objects.create(
        claim_id=first.claim_id,
        first=first,
        second=second,
        kind=kind,
        origin=ConflictOrigin.REVIEWER,
        status=ConflictStatus.CONFIRMED,
        note=clean_text(note, "note"),
    )
    _conflicts_changed(conflict.claim_id)
    return conflict


@records_user
@transaction.atomic
def conflict_set_status(
    *,
    conflict: Conflict,
    status: str,
    note: str = "",
    note_zh: str = "",
    reviewer_note: str | None = None,
    user=None,
) -> Conflict:
    """Settle or reopen a conflict. `note` (and `note_zh`) is shown to readers;
    `reviewer_note` never is."""
    _lock_claim(conflict.claim_id)
    if status not in ConflictStatus.values:
        raise ValidationError({"status": must_be_one_of("status", ConflictStatus.values)})
    note = clean_text(note, "note")
    if status in (ConflictStatus.RESOLVED, ConflictStatus.DISMISSED) and not (
        note or conflict.note
    ):
        raise ValidationError(
            {"note": _("a %(status)s conflict needs a note saying why") % {"status": status}}
        )
    conflict.status = status
    if note:
        conflict.note = note
    if reviewer_note is not None:
        conflict.reviewer_note = clean_text(reviewer_note, "reviewer_note")
    if note_zh:
        conflict.note_zh = clean_text(note_zh, "note_zh")
    conflict.save()
    _conflicts_changed(conflict.claim_id)
    return conflict


@records_user
@transaction.atomic
def dispute_confirm(*, claim: Claim, note: str = "", user=None) -> list[Conflict]:
    """An Editor confirms a claim's dispute: every open conflict between two of its positions
    is confirmed, with the note, each with its own history entry, in one transaction."""
    require_publisher(user, _("confirm disputes"))
    _lock_claim(claim.pk)
    note = clean_text(note, "note")
    stored = list(Position.objects.filter(claim_id=claim.pk))
    confirmed = []
    open_conflicts = Conflict.objects.filter(claim_id=claim.pk, status=ConflictStatus.OPEN)
    for conflict in open_conflicts.order_by("pk"):
        if across_positions(conflict, stored):
            conflict.status = ConflictStatus.CONFIRMED
            conflict.note = note or conflict.note
            conflict.save()
            confirmed.append(conflict)
    if confirmed:
        _conflicts_changed(claim.pk)
    return confirmed
