"""Positions: a claim's evidence grouped into what each side says, stored, merged and rated."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from claims.models import (
    Assertion,
    Claim,
    Conflict,
    ConflictKind,
    ConflictOrigin,
    ConflictStatus,
    Entity,
    Position,
    PositionRating,
    Verdict,
)
from claims.permissions import require_publisher
from claims.services.common import _claim_changed, _lock_claim, records_user
from domain import positions
from domain.intervals import Interval
from ledger.refusals import must_be_one_of
from sources.services import clean_text


def _conflicts_changed(claim_id: int) -> None:
    positions_refresh(claim_id=claim_id)
    Claim.refresh_disputed([claim_id])
    _claim_changed(claim_id)


_EVIDENCE_COLUMNS = (
    "claim_id",
    "pk",
    "stance",
    "low",
    "high",
    "value_kind",
    "unit",
    "set_aside",
    "quote__source_id",
    "quote__speaker__slug",
    "quote__source__published_on",
)


def _positions_input(claim_ids) -> dict:
    """Per claim: (evidence, dismissed pairs, set-aside ids, marked pairs), in two queries."""
    found = {claim_id: ([], set(), set(), set()) for claim_id in claim_ids}
    rows = Assertion.objects.filter(claim_id__in=claim_ids).order_by()
    for (
        claim_id,
        pk,
        stance,
        low,
        high,
        kind,
        unit,
        aside,
        source,
        speaker,
        published,
    ) in rows.values_list(*_EVIDENCE_COLUMNS):
        evidence, _, set_aside, _ = found[claim_id]
        value = Interval(low, high, kind, unit) if kind else None
        evidence.append(positions.Evidence(pk, stance, value, source, speaker or "", published))
        if aside:
            set_aside.add(pk)
    decided = Conflict.objects.filter(claim_id__in=claim_ids).exclude(status=ConflictStatus.OPEN)
    for claim_id, first, second, status, origin in decided.order_by().values_list(
        "claim_id", "first_id", "second_id", "status", "origin"
    ):
        _, dismissed, _, marked = found[claim_id]
        if status in (ConflictStatus.DISMISSED, ConflictStatus.RESOLVED):
            dismissed.add((first, second))
        elif origin == ConflictOrigin.REVIEWER:
            marked.add((first, second))
    return found


def _position_evidence(claim: Claim):
    return _positions_input([claim.pk])[claim.pk]


def _find_positions(claim: Claim, evidence, dismissed, set_aside, marked) -> list[Position]:
    found = positions.find_positions(claim.kind, evidence, dismissed, set_aside, marked)
    return [_position_row(claim, rank, p) for rank, p in enumerate(found)]


def _position_row(claim: Claim, rank: int, found: positions.Position) -> Position:
    value = found.value
    return Position(
        claim_id=claim.pk,
        rank=rank,
        stance=found.stance,
        label=positions.label(found, "en", claim.kind),
        label_zh=positions.label(found, "zh", claim.kind),
        low=value.low if value else None,
        high=value.high if value else None,
        value_kind=value.kind if value else "",
        unit=value.unit if value else "",
        assertion_ids=list(found.members),
        bridging_ids=sorted(found.bridging),
        source_ids=list(found.sources),
        speakers=list(found.speakers),
        first_published_on=found.first_published_on,
    )


_POSITION_FIELDS = [
    "rank",
    "stance",
    "label",
    "label_zh",
    "low",
    "high",
    "value_kind",
    "unit",
    "assertion_ids",
    "bridging_ids",
    "source_ids",
    "speakers",
    "first_published_on",
]


def _same_positions(stored: list[Position], fresh: list[Position]) -> bool:
    def shape(p):
        values = [getattr(p, name) for name in _POSITION_FIELDS]
        return [
            None if v is None else (str(v.normalize()) if isinstance(v, Decimal) else v)
            for v in values
        ]

    return [shape(p) for p in stored] == [shape(p) for p in fresh]


@transaction.atomic
def positions_refresh(*, claim_id: int) -> list[Position]:
    """Rewrite a claim's positions from its evidence as it is now, under the claim's lock.

    Called by every service that changes a claim's assertions or conflict decisions, in the
    same transaction. Unchanged positions are left as they are; ratings follow the new
    position their members overlap most with (claims.models.PositionRating).
    """
    claim = _lock_claim(claim_id)
    fresh = _find_positions(claim, *_position_evidence(claim))
    stored = list(Position.objects.filter(claim_id=claim_id).order_by("rank"))
    if _same_positions(stored, fresh):
        return stored
    ratings = list(PositionRating.objects.filter(claim_id=claim_id))
    Position.objects.filter(claim_id=claim_id).delete()
    Position.objects.bulk_create(fresh)
    for rating in ratings:
        rated = set(rating.assertion_ids)
        best = max(fresh, key=lambda p: len(rated & set(p.assertion_ids)), default=None)
        if best is None or not rated & set(best.assertion_ids):
            best = None
        rating.position = best
        rating.evidence_changed = best is None or set(best.assertion_ids) != rated
        rating.save(update_fields=["position", "evidence_changed"])
    if claim.position_count != len(fresh):
        Claim.objects.filter(pk=claim_id).update(position_count=len(fresh))
    return fresh


def positions_rebuild(*, claim_ids: Iterable[int], batch: int = 2000) -> None:
    """Compute the positions of many claims that have none yet (a bulk load), in batches."""
    ids = list(
        claim_ids.values_list("pk", flat=True) if hasattr(claim_ids, "values_list") else claim_ids
    )
    for offset in range(0, len(ids), batch):
        chunk = ids[offset : offset + batch]
        claims = {c.pk: c for c in Claim.objects.filter(pk__in=chunk).only("pk", "kind")}
        rows, counts = [], {}
        for claim_id, found in _positions_input(chunk).items():
            fresh = _find_positions(claims[claim_id], *found)
            rows += fresh
            counts.setdefault(len(fresh), []).append(claim_id)
        Position.objects.filter(claim_id__in=chunk).delete()
        Position.objects.bulk_create(rows, batch_size=1000)
        for count, claim_ids_with_count in counts.items():
            Claim.objects.filter(pk__in=claim_ids_with_count).update(position_count=count)
        Claim.refresh_disputed(chunk)


@records_user
@transaction.atomic
def positions_merge(*, first: Position, second: Position, note: str, user=None) -> list[Position]:
    """Say two positions are one: every open or confirmed conflict between their members is
    dismissed with the note, each with its own history entry, in one transaction."""
    if first.claim_id != second.claim_id or first.pk == second.pk:
        raise ValidationError({"second": gettext("pick two different positions of the same claim")})
    _lock_claim(first.claim_id)
    note = clean_text(note, "note")
    if not note.strip():
        raise ValidationError({"note": gettext("say why the two positions are one")})
    claim = Claim.objects.get(pk=first.claim_id)
    evidence, dismissed, _, marked = _position_evidence(claim)
    by_id = {e.id: e for e in evidence}
    one, other = set(first.assertion_ids), set(second.assertion_ids)
    existing = {
        (c.first_id, c.second_id): c
        for c in Conflict.objects.filter(claim_id=claim.pk).filter(
            Q(first_id__in=one, second_id__in=other) | Q(first_id__in=other, second_id__in=one)
        )
    }
    for a in sorted(one - other):
        for b in sorted(other - one):
            pair = (min(a, b), max(a, b))
            conflict = existing.get(pair)
            if conflict is not None:
                if conflict.status != ConflictStatus.DISMISSED:
                    conflict.status, conflict.note = ConflictStatus.DISMISSED, note
                    conflict.save()
            elif not positions.compatible(claim.kind, by_id[a], by_id[b], dismissed, marked):
                # Incompatible without a detected conflict (another unit, another side): the
                # dismissal is the reviewer's own record that the two agree.
                Conflict.objects.create(
                    claim_id=claim.pk,
                    first_id=pair[0],
                    second_id=pair[1],
                    kind=ConflictKind.OTHER,
                    origin=ConflictOrigin.REVIEWER,
                    status=ConflictStatus.DISMISSED,
                    note=note,
                )
    _conflicts_changed(first.claim_id)
    return list(Position.objects.filter(claim_id=first.claim_id).order_by("rank"))


@records_user
@transaction.atomic
def position_rate(
    *,
    position: Position,
    verdict: str,
    rationale: str = "",
    rationale_zh: str = "",
    statement: str = "",
    statement_zh: str = "",
    speaker: Entity | None = None,
    user=None,
) -> PositionRating:
    """An Editor rates one position; a new rating replaces the position's earlier one."""
    require_publisher(user, gettext("rate positions"))
    _lock_claim(position.claim_id)
    if verdict not in Verdict.values or not verdict:
        raise ValidationError({"verdict": must_be_one_of("verdict", Verdict.values[1:])})
    fields = {
        name: clean_text(value, name)
        for name, value in (
            ("rationale", rationale),
            ("rationale_zh", rationale_zh),
            ("statement", statement),
            ("statement_zh", statement_zh),
        )
    }
    position = Position.objects.get(pk=position.pk)
    rating = PositionRating.objects.filter(position=position).first() or PositionRating(
        claim_id=position.claim_id, position=position
    )
    rating.assertion_ids = list(position.assertion_ids)
    rating.verdict, rating.speaker = verdict, speaker
    for name, value in fields.items():
        setattr(rating, name, value)
    rating.evidence_changed = False
    rating.rated_at = timezone.now()
    rating.full_clean(exclude=["claim", "position", "speaker"])
    rating.save()
    _claim_changed(position.claim_id)
    return rating


def across_positions(conflict: Conflict, stored: list[Position]) -> bool:
    """Whether a conflict stands between two of the claim's positions: both of its assertions
    are in positions (neither set aside nor outside the dispute), and no position holds both."""
    pair = {conflict.first_id, conflict.second_id}
    members = [set(p.assertion_ids) for p in stored]
    return pair <= set().union(*members) and not any(pair <= m for m in members)
