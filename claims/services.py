"""Every write that touches claims, quotes, assertions or conflicts goes through here.

Admin, API, seed loader and tests call the same functions, so a rule holds on every path.
Errors are ValidationError keyed by the field at fault, PermissionDenied, or StaleEdit.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims.models import (
    PLACED_ANCHOR_STATES,
    AnchorState,
    Assertion,
    Claim,
    ClaimComment,
    ClaimKind,
    ClaimStatus,
    Conflict,
    ConflictKind,
    ConflictOrigin,
    ConflictStatus,
    Entity,
    LedgerState,
    Position,
    PositionRating,
    Quote,
    SetAside,
    Stance,
    Topic,
    ValueOrigin,
    Verdict,
)
from claims.search import claim_search_text, quote_search_text
from domain import conflict_rules, extraction, positions, typed_values
from domain.anchoring import AnchorError, Selector, anchor, reanchor_all
from domain.intervals import DATE_UNIT, Interval, IntervalError
from domain.units import normalize_unit, value_unit_refusal
from sources.models import Source
from sources.services import clean_text

# Which status changes the workflow allows.
TRANSITIONS = {
    ClaimStatus.DRAFT: {ClaimStatus.IN_REVIEW, ClaimStatus.ARCHIVED},
    ClaimStatus.IN_REVIEW: {ClaimStatus.DRAFT, ClaimStatus.PUBLISHED, ClaimStatus.ARCHIVED},
    ClaimStatus.PUBLISHED: {ClaimStatus.IN_REVIEW, ClaimStatus.ARCHIVED},
    ClaimStatus.ARCHIVED: {ClaimStatus.DRAFT},
}
EDITOR_ONLY_FIELDS = {"verdict", "rationale", "rationale_zh"}
# What a claim's verdict was given on: a change by a Reviewer returns a published claim to
# review, so its verdict is never shown beside words the Editor did not see.
REVIEWED_FIELDS = {"statement_en", "statement_zh", "kind", "unit", "slug"}
CLAIM_UPDATE_FIELDS = (
    REVIEWED_FIELDS
    | EDITOR_ONLY_FIELDS
    | {
        "status",
        "reviewer_notes",
        "match_terms",
    }
)


class StaleEdit(Exception):
    """The object changed since the editor loaded it; nothing was saved."""

    def __init__(self, obj, expected_version: int):
        super().__init__(
            f"{obj._meta.verbose_name} was changed by someone else "
            f"(your version {expected_version}, current version {obj.version}); "
            "reload it and apply your change again"
        )
        self.current = obj
        self.expected_version = expected_version


def _ledger_changed(*, public: bool | QuerySet = True) -> None:
    """Pages' validators and cached responses move on once the current transaction commits.

    `public`: whether readers can see the change (a QuerySet: whether it finds a row).
    """
    LedgerState.record_change(public=public)


def _claim_changed(claim_id: int) -> None:
    _ledger_changed(public=Claim.objects.published().filter(pk=claim_id))


def _quotes_changed(quotes: QuerySet) -> None:
    _ledger_changed(public=quotes.filter(pk__in=Quote.objects.visible_to(None)))


def _conflicts_changed(claim_id: int) -> None:
    positions_refresh(claim_id=claim_id)
    Claim.refresh_disputed([claim_id])
    _claim_changed(claim_id)


def _lock_claim(claim_id: int) -> Claim:
    """Hold the claim's row until the transaction ends.

    Every change to a claim's assertions or conflicts takes this lock before it reads them,
    so detection and positions always see the writes committed before theirs: two
    reviewers adding conflicting values at once cannot each miss the other's.
    """
    return Claim.objects.select_for_update().get(pk=claim_id)


def can_publish(user) -> bool:
    """Editors publish and set verdicts; None is the system itself (seed loader, scripts)."""
    return user is None or user.has_perm("claims.publish_claim")


def _require_publisher(user, what: str):
    if not can_publish(user):
        raise PermissionDenied(f"only editors may {what}")


# Quotes


def _refuse_a_quoted_passage(source: Source, start: int, end: int) -> None:
    duplicate = Quote.objects.filter(
        source=source, start=start, end=end, anchor_state__in=PLACED_ANCHOR_STATES
    ).first()
    if duplicate is not None:
        raise ValidationError({"exact": f"this passage is already quote {duplicate.pk}"})


@transaction.atomic
def quote_create(
    *,
    source: Source,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    speaker: Entity | None = None,
) -> Quote:
    exact = clean_text(exact, "exact")
    prefix = clean_text(prefix, "prefix")
    suffix = clean_text(suffix, "suffix")
    try:
        found = anchor(source.text, Selector(exact, prefix, suffix, start, end))
    except AnchorError as error:
        raise ValidationError({error.field: error.message}) from error
    _refuse_a_quoted_passage(source, found.start, found.end)
    try:
        with transaction.atomic():
            quote = Quote.objects.create(
                source=source,
                exact=found.exact,
                start=found.start,
                end=found.end,
                prefix=found.prefix,
                suffix=found.suffix,
                speaker=speaker,
                search_text=quote_search_text(found.exact),
            )
    except IntegrityError:
        # The same passage quoted at the same moment: answered as if this one came second.
        _refuse_a_quoted_passage(source, found.start, found.end)
        raise
    _ledger_changed(public=False)  # no claim uses a new quote yet
    return quote


def quote_delete(*, quote: Quote) -> None:
    if quote.assertions.exists():
        raise ValidationError(
            {"quote": "assertions use this quote; delete or move them first, or archive the claim"}
        )
    quote.delete()
    _ledger_changed(public=False)  # a quote no claim uses


@transaction.atomic
def quote_set_speaker(*, quote: Quote, speaker: Entity | None, user=None) -> Quote:
    # Read the row itself, so a caller's stale copy never overwrites a re-anchored span.
    current = Quote.objects.select_for_update().get(pk=quote.pk)
    current.speaker = speaker
    current.save(update_fields=["speaker", "updated_at"])
    # Positions name their speakers.
    for claim_id in current.assertions.order_by("claim_id").values_list("claim_id", flat=True):
        positions_refresh(claim_id=claim_id)
    _quotes_changed(Quote.objects.filter(pk=current.pk))
    return current


@dataclass
class ReanchorReport:
    kept: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    fuzzy: list[int] = field(default_factory=list)
    review: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)


def source_changed(*, source: Source, change: str, **kwargs) -> ReanchorReport | None:
    """The claims side of every write to a source (sources.services.source_changed)."""
    if change == "imported":
        _ledger_changed(public=False)  # no claim quotes a new source yet
        return None
    if change == "corrected":
        return quotes_reanchor(source=source)
    _quotes_changed(source.quotes.all())
    return None


ANCHOR_STATE_OF = {
    "kept": AnchorState.ANCHORED,
    "moved": AnchorState.ANCHORED,
    "fuzzy": AnchorState.FUZZY,
    "review": AnchorState.REVIEW,
    "orphaned": AnchorState.ORPHANED,
}


def quotes_reanchor(*, source: Source) -> ReanchorReport:
    """Re-anchor a source's quotes after its text changed; none is ever deleted.

    Quotes are placed together (no two on one span) and move in one step: those that change
    are first set aside (unplaced, so outside the unique span), then written where they
    now are, so two quotes can trade places. A quote that cannot be placed for sure keeps
    its old offsets and is marked for review or orphaned.
    """
    report = ReanchorReport()
    quotes = list(source.quotes.select_for_update().order_by("pk"))
    found = reanchor_all(
        source.text,
        {q.pk: Selector(q.exact, q.prefix, q.suffix, q.start, q.end) for q in quotes},
    )
    changed = []
    for quote in quotes:
        result = found[quote.pk]
        getattr(report, result.outcome).append(quote.pk)
        before = (quote.start, quote.end, quote.exact, quote.prefix, quote.suffix)
        before += (quote.anchor_state,)
        quote.anchor_state = ANCHOR_STATE_OF[result.outcome]
        if result.placed:
            at = result.anchor
            quote.start, quote.end, quote.exact = at.start, at.end, at.exact
            quote.prefix, quote.suffix = at.prefix, at.suffix
            quote.search_text = quote_search_text(at.exact)
        after = (quote.start, quote.end, quote.exact, quote.prefix, quote.suffix)
        if before != (*after, quote.anchor_state):
            changed.append(quote)
    Quote.objects.filter(pk__in=[q.pk for q in changed]).update(anchor_state=AnchorState.REVIEW)
    for quote in changed:
        quote.save()
    _quotes_changed(source.quotes.all())
    return report


# Claims


def _validate_claim_fields(fields: dict) -> dict:
    for name in (
        "statement_en",
        "statement_zh",
        "rationale",
        "rationale_zh",
        "reviewer_notes",
        "match_terms",
        "unit",
        "slug",
    ):
        if name in fields:
            fields[name] = clean_text(fields[name] or "", name)
    if "unit" in fields:
        fields["unit"] = normalize_unit(fields["unit"])
    if "statement_en" in fields and not fields["statement_en"].strip():
        raise ValidationError({"statement_en": "statement_en is empty"})
    if "kind" in fields and fields["kind"] not in ClaimKind.values:
        raise ValidationError({"kind": f"kind must be one of {', '.join(ClaimKind.values)}"})
    if "verdict" in fields and fields["verdict"] not in Verdict.values:
        raise ValidationError(
            {"verdict": f"verdict must be one of {', '.join(Verdict.values[1:])}"}
        )
    return fields


def _refresh_search_text(claim: Claim) -> None:
    claim.search_text = claim_search_text(claim)
    Claim.objects.filter(pk=claim.pk).update(search_text=claim.search_text)


@transaction.atomic
def claim_create(
    *,
    slug: str,
    statement_en: str,
    kind: str,
    statement_zh: str = "",
    unit: str = "",
    subjects: Iterable[Entity] = (),
    topics: Iterable[Topic] = (),
    reviewer_notes: str = "",
    match_terms: str = "",
    user=None,
) -> Claim:
    fields = _validate_claim_fields(
        {
            "match_terms": match_terms,
            "slug": slug,
            "statement_en": statement_en,
            "statement_zh": statement_zh,
            "kind": kind,
            "unit": unit,
            "reviewer_notes": reviewer_notes,
        }
    )
    claim = Claim(**fields)
    claim.full_clean(exclude=["search_text"])
    claim.save()
    claim.subjects.set(subjects)
    claim.topics.set(topics)
    _refresh_search_text(claim)
    _ledger_changed(public=False)  # a new claim is a draft
    return claim


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user=None,
    expected_version: int | None = None,
    subjects: Iterable[Entity] | None = None,
    topics: Iterable[Topic] | None = None,
    **fields,
) -> Claim:
    """Change a claim's fields; refused if it changed since `expected_version` was read.

    A published claim whose statement, kind, unit, slug or subjects a Reviewer changes goes
    back to review, its verdict kept but unpublished until an Editor publishes it again.
    """
    subjects = None if subjects is None else list(subjects)
    unknown = fields.keys() - CLAIM_UPDATE_FIELDS
    if unknown:
        raise ValidationError(
            {name: f"{name} is not a field a claim update sets" for name in unknown}
        )
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    fields = _validate_claim_fields(fields)
    changed_editor_fields = {
        name
        for name in EDITOR_ONLY_FIELDS & fields.keys()
        if getattr(current, name) != fields[name]
    }
    if changed_editor_fields:
        _require_publisher(user, "set a verdict or its rationale")
    reworded = any(
        getattr(current, name) != fields[name] for name in REVIEWED_FIELDS & fields.keys()
    ) or (
        subjects is not None
        and {s.pk for s in subjects} != set(current.subjects.values_list("pk", flat=True))
    )
    status = fields.pop("status", current.status)
    if reworded and current.status == ClaimStatus.PUBLISHED and not can_publish(user):
        current.status = ClaimStatus.IN_REVIEW
        status = ClaimStatus.IN_REVIEW if status == ClaimStatus.PUBLISHED else status
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["search_text"])
    current.version += 1
    current.save()
    if subjects is not None:
        current.subjects.set(subjects)
    if topics is not None:
        current.topics.set(topics)
    _refresh_search_text(current)
    _claim_changed(current.pk)
    if status != current.status:
        current = claim_set_status(claim=current, status=status, user=user)
    return current


@transaction.atomic
def claim_set_status(*, claim: Claim, status: str, user=None) -> Claim:
    if status not in ClaimStatus.values:
        raise ValidationError({"status": f"status must be one of {', '.join(ClaimStatus.values)}"})
    if status == claim.status:
        return claim
    if status not in TRANSITIONS[claim.status]:
        raise ValidationError(
            {"status": f"a {claim.get_status_display().lower()} claim cannot become {status}"}
        )
    if ClaimStatus.PUBLISHED in (status, claim.status):
        _require_publisher(user, "publish or unpublish claims")
    # The row, not the caller's copy, says whether readers saw the claim until now.
    was_published = Claim.objects.select_for_update().filter(pk=claim.pk).published().exists()
    claim.status = status
    if status == ClaimStatus.PUBLISHED:
        claim.published_at = claim.published_at or timezone.now()
    claim.version += 1
    claim.save(update_fields=["status", "published_at", "version", "updated_at"])
    _ledger_changed(public=was_published or status == ClaimStatus.PUBLISHED)
    return claim


@transaction.atomic
def claim_set_verdict(
    *, claim: Claim, verdict: str, rationale: str, rationale_zh: str = "", user=None
) -> Claim:
    return claim_update(
        claim=claim, user=user, verdict=verdict, rationale=rationale, rationale_zh=rationale_zh
    )


# Assertions and their values


def interval_from(value: dict | None, *, default_unit: str) -> Interval | None:
    """An Interval from a {low, high, kind, unit} mapping, or a ValidationError naming the field.

    The one rule from a value to an interval: admin, API, seed loader and extractor all come
    here (value_interval for a claim). The unit is the vocabulary's (domain.units): "usd",
    "$" and "USD" are one unit, and so are "percent" and "%".
    """
    if value is None:
        return None
    try:
        low = None if value.get("low") is None else Decimal(str(value["low"]))
        high = None if value.get("high") is None else Decimal(str(value["high"]))
        unit = normalize_unit(value.get("unit") or default_unit or "")
        return Interval(low, high, value.get("kind", ""), unit)
    except IntervalError as error:
        raise ValidationError({f"value.{error.field}": error.message}) from error
    except ArithmeticError as error:
        raise ValidationError({"value": "low and high must be numbers"}) from error


def _value_fields(interval: Interval | None, text: str, origin: str) -> dict:
    if interval is None:
        return {
            "low": None,
            "high": None,
            "value_kind": "",
            "unit": "",
            "value_text": "",
            "value_origin": ValueOrigin.NONE,
        }
    return {
        "low": interval.low,
        "high": interval.high,
        "value_kind": interval.kind,
        "unit": interval.unit,
        "value_text": text,
        "value_origin": origin,
    }


def value_interval(value: dict | None, *, claim: Claim) -> Interval | None:
    """A value given for a claim as its interval, in the claim's unit unless it names one."""
    interval = interval_from(value, default_unit=value_unit(claim) or claim.unit)
    _refuse_a_foreign_unit(claim, interval)
    return interval


def _refuse_a_foreign_unit(claim: Claim, interval: Interval | None) -> None:
    """A value given for a claim is in its unit (domain.units.value_unit_refusal)."""
    if interval is None:
        return
    refusal = value_unit_refusal(interval.unit, value_unit(claim))
    if refusal is not None:
        raise ValidationError({"value.unit": refusal})


def value_unit(claim: Claim) -> str | None:
    """The unit a claim's values are read in ("date" for dates); None if it takes no value."""
    if claim.kind == ClaimKind.DATE:
        return DATE_UNIT
    return claim.unit if claim.kind == ClaimKind.QUANTITY else None


def value_read(*, claim: Claim, quote: Quote) -> tuple[Interval, str] | None:
    """The value assertion_add reads from the quote when none is given, with its words."""
    unit = value_unit(claim)
    if unit is None:
        return None
    return extraction.value_for(
        quote.exact,
        unit=unit,
        published_on=quote.source.published_on,
        precision=quote.source.published_precision,
    )


def value_typed(*, claim: Claim, text: str, source: Source | None = None) -> Interval:
    """A value as a reviewer typed it ("$45M", "不到4500万", "2018-02"), in the claim's unit.

    Relative dates (去年11月) are read against the source's publication date.
    """
    unit = value_unit(claim)
    if unit is None:
        raise ValidationError(
            {"value": f"a {claim.get_kind_display().lower()} claim takes no value"}
        )
    dated = {}
    if source is not None:
        dated = {"published_on": source.published_on, "precision": source.published_precision}
    interval = typed_values.read_typed(text, unit=unit, **dated)
    if interval is None:
        wanted = "date" if unit == DATE_UNIT else f"value in {unit}" if unit else "number"
        raise ValidationError({"value": f"no {wanted} could be read in “{text}”"})
    return interval


@transaction.atomic
def assertion_add(
    *,
    claim: Claim,
    quote: Quote,
    stance: str,
    value: Interval | None = None,
    value_text: str = "",
    note: str = "",
    user=None,
) -> Assertion:
    """Link a quote to a claim. Without a value, a quantity or date is read from the quote."""
    claim = _lock_claim(claim.pk)
    if stance not in Stance.values:
        raise ValidationError({"stance": f"stance must be one of {', '.join(Stance.values)}"})
    if Assertion.objects.filter(claim=claim, quote=quote).exists():
        raise ValidationError({"quote": "this quote is already linked to this claim"})
    if value is None:
        read = value_read(claim=claim, quote=quote)
        fields = (
            _value_fields(*read, ValueOrigin.EXTRACTED) if read else _value_fields(None, "", "")
        )
    else:
        _refuse_a_foreign_unit(claim, value)
        fields = _value_fields(value, value_text or quote.exact, ValueOrigin.REVIEWER)
    try:
        with transaction.atomic():
            assertion = Assertion.objects.create(
                claim=claim, quote=quote, stance=stance, note=clean_text(note, "note"), **fields
            )
    except IntegrityError as error:
        # The database's own words name its constraints and SQL: not for the client.
        raise ValidationError({"value": "the database refused this value"}) from error
    conflicts_detect(claim=claim, assertion=assertion)  # records the change
    return assertion


_UNSET = object()


@transaction.atomic
def assertion_update(
    *,
    assertion: Assertion,
    expected_version: int | None = None,
    stance: str | None = None,
    value=_UNSET,
    value_text: str = "",
    note: str | None = None,
    value_origin: str | None = None,
    user=None,
) -> Assertion:
    """Change an assertion; a value given here is the reviewer's correction and is kept.

    `value_origin`: where the value came from when it is not the reviewer's own (a revert
    puts back the origin the value had in that version).
    """
    _lock_claim(Assertion.objects.values_list("claim_id", flat=True).get(pk=assertion.pk))
    current = Assertion.objects.select_for_update().get(pk=assertion.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    if stance is not None:
        if stance not in Stance.values:
            raise ValidationError({"stance": f"stance must be one of {', '.join(Stance.values)}"})
        current.stance = stance
    if value is not _UNSET:
        origin = ValueOrigin.REVIEWER if value is not None else ValueOrigin.NONE
        if value is not None and value_origin is not None:
            origin = ValueOrigin(value_origin)
        if origin == ValueOrigin.REVIEWER:
            _refuse_a_foreign_unit(current.claim, value)
        for name, field_value in _value_fields(
            value, value_text or current.quote.exact, origin
        ).items():
            setattr(current, name, field_value)
    if note is not None:
        current.note = clean_text(note, "note")
    current.version += 1
    current.save()
    conflicts_detect(claim=current.claim, assertion=current)
    return current


@transaction.atomic
def assertion_delete(*, assertion: Assertion, user=None) -> None:
    """Unlink a quote from a claim; the conflicts it was part of go with it, kept in their
    history, and the settled ones come back with it (assertion_restore)."""
    _lock_claim(assertion.claim_id)
    assertion.delete()
    _conflicts_changed(assertion.claim_id)


def assertions_overlapping(*, claim: Claim, source: Source, start: int, end: int):
    """The claim's assertions whose quote shares a character with [start, end) of the source.

    Evidence a reviewer is about to link may already be there under a longer or shorter
    quote; the admin warns before linking it twice.
    """
    return (
        Assertion.objects.filter(
            claim_id=claim.pk,
            quote__source_id=source.pk,
            quote__start__lt=end,
            quote__end__gt=start,
        )
        .select_related("quote")
        .order_by("quote__start", "pk")
    )


def assertion_interval(assertion: Assertion) -> Interval | None:
    if not assertion.value_kind:
        return None
    return Interval(assertion.low, assertion.high, assertion.value_kind, assertion.unit)


# Conflicts


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
        raise ValidationError({"second": "both assertions must be on the same claim"})
    if first.pk == second.pk:
        raise ValidationError({"second": "a conflict needs two different assertions"})
    return (first, second) if first.pk < second.pk else (second, first)


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
        raise ValidationError(
            {"status": f"status must be one of {', '.join(ConflictStatus.values)}"}
        )
    note = clean_text(note, "note")
    if status in (ConflictStatus.RESOLVED, ConflictStatus.DISMISSED) and not (
        note or conflict.note
    ):
        raise ValidationError({"note": f"a {status} conflict needs a note saying why"})
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


# Positions


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


@transaction.atomic
def assertion_set_aside(
    *, assertion: Assertion, set_aside: str, note: str = "", user=None
) -> Assertion:
    """Leave an assertion out of its claim's positions (an outlier, another measure), or
    bring it back with `set_aside=""`."""
    _lock_claim(assertion.claim_id)
    if set_aside not in SetAside.values:
        raise ValidationError(
            {"set_aside": f"set_aside must be one of {', '.join(v for v in SetAside.values if v)}"}
        )
    note = clean_text(note, "set_aside_note")
    if set_aside and not note:
        raise ValidationError({"set_aside_note": "say why, for readers"})
    current = Assertion.objects.select_for_update().get(pk=assertion.pk)
    current.set_aside, current.set_aside_note = set_aside, note if set_aside else ""
    current.version += 1
    current.save()
    _conflicts_changed(current.claim_id)
    return current


@transaction.atomic
def positions_merge(*, first: Position, second: Position, note: str, user=None) -> list[Position]:
    """Say two positions are one: every open or confirmed conflict between their members is
    dismissed with the note, each with its own history entry, in one transaction."""
    if first.claim_id != second.claim_id or first.pk == second.pk:
        raise ValidationError({"second": "pick two different positions of the same claim"})
    _lock_claim(first.claim_id)
    note = clean_text(note, "note")
    if not note.strip():
        raise ValidationError({"note": "say why the two positions are one"})
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
    _require_publisher(user, "rate positions")
    _lock_claim(position.claim_id)
    if verdict not in Verdict.values or not verdict:
        raise ValidationError(
            {"verdict": f"verdict must be one of {', '.join(Verdict.values[1:])}"}
        )
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


@transaction.atomic
def dispute_confirm(*, claim: Claim, note: str = "", user=None) -> list[Conflict]:
    """An Editor confirms a claim's dispute: every open conflict between two of its positions
    is confirmed, with the note, each with its own history entry, in one transaction."""
    _require_publisher(user, "confirm disputes")
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


# Team


def can_review(user) -> bool:
    """Whether a user works on claims: Reviewers and Editors (and superusers)."""
    return bool(user and user.is_active and user.has_perm("claims.change_claim"))


@transaction.atomic
def claim_assign(
    *, claim: Claim, assignee, user=None, expected_version: int | None = None
) -> Claim:
    """Give a claim to a reviewer to work on, or to no one (`assignee=None`).

    A change to the claim like any other: recorded in its history, and refused if the
    claim changed since `expected_version` was read.
    """
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    if assignee is not None and not can_review(assignee):
        raise ValidationError({"assignee": f"{assignee} is not a Reviewer or Editor"})
    if current.assignee_id == (assignee.pk if assignee is not None else None):
        return current
    current.assignee = assignee
    current.version += 1
    current.save(update_fields=["assignee", "version", "updated_at"])
    _ledger_changed()
    return current


@transaction.atomic
def claim_comment_add(*, claim: Claim, text: str, user) -> ClaimComment:
    """Add a note to a claim's thread. The claim itself does not change: a comment never
    makes anyone's open edit of the claim stale, and readers never see it."""
    if user is not None and not can_review(user):
        raise PermissionDenied("only Reviewers and Editors comment on claims")
    text = clean_text(text, "text")
    if not text.strip():
        raise ValidationError({"text": "the comment is empty"})
    return ClaimComment.objects.create(claim_id=claim.pk, author=user, text=text)


# Restoring


def _deleted_record(model, history_id: int):
    """The record of an object's deletion, or a refusal if there is nothing to restore."""
    name = model._meta.verbose_name
    record = model.history.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise ValidationError(f"no deleted {name} has the record {history_id}")
    if model.objects.filter(pk=record.id).exists():
        raise ValidationError(f"{name} {record.id} exists; there is nothing to restore")
    return record


def _recreated(record):
    """The object as its record last saw it, saved again under its own id."""
    obj = record.instance
    if hasattr(obj, "version"):
        obj.version += 1  # an edit begun before the deletion is stale
    obj.save(force_insert=True)
    # created_at is auto_now_add: the object keeps the moment it was first made.
    type(obj).objects.filter(pk=obj.pk).update(created_at=record.created_at)
    obj.created_at = record.created_at
    return obj


def _settled_conflicts_deleted_with(assertion: Assertion) -> list:
    """The records of the reviewers' settled conflicts that went when the assertion was deleted,
    whose other assertion is here again and whose pair is not in conflict anew."""
    records = Conflict.history.filter(
        Q(first_id=assertion.pk) | Q(second_id=assertion.pk)
    ).order_by("id", "-history_date", "-history_id")
    latest = {}
    for record in records:
        latest.setdefault(record.id, record)
    wanted = [
        record
        for record in latest.values()
        if record.history_type == "-"
        and (record.status != ConflictStatus.OPEN or record.origin == ConflictOrigin.REVIEWER)
    ]
    here = set(
        Assertion.objects.filter(
            pk__in=[r.first_id for r in wanted] + [r.second_id for r in wanted]
        ).values_list("pk", flat=True)
    )
    return [
        record
        for record in wanted
        if {record.first_id, record.second_id} <= here
        and not Conflict.objects.filter(
            Q(pk=record.id) | Q(first_id=record.first_id, second_id=record.second_id)
        ).exists()
    ]


@transaction.atomic
def quote_restore(*, history_id: int, user=None) -> Quote:
    """Bring a deleted quote back under its own id, if its text still anchors in its source."""
    record = _deleted_record(Quote, history_id)
    source = Source.objects.filter(pk=record.source_id).first()
    if source is None:
        raise ValidationError({"source": "the quote's source is gone"})
    try:
        found = anchor(
            source.text,
            Selector(record.exact, record.prefix, record.suffix, record.start, record.end),
        )
    except AnchorError as error:
        raise ValidationError(
            {"exact": f"the quote no longer anchors in its source: {error.message}"}
        ) from error
    _refuse_a_quoted_passage(source, found.start, found.end)
    quote = Quote.objects.create(
        pk=record.id,
        source=source,
        exact=found.exact,
        start=found.start,
        end=found.end,
        prefix=found.prefix,
        suffix=found.suffix,
        speaker=Entity.objects.filter(pk=record.speaker_id).first(),
        search_text=quote_search_text(found.exact),
    )
    _ledger_changed(public=False)  # no claim uses it until its assertions come back
    return quote


@transaction.atomic
def assertion_restore(*, history_id: int, user=None) -> Assertion:
    """Bring a deleted assertion back with the settled conflicts (and their notes) that went
    with it; conflicts are detected again and positions recomputed."""
    record = _deleted_record(Assertion, history_id)
    if not Claim.objects.filter(pk=record.claim_id).exists():
        raise ValidationError({"claim": "the assertion's claim is gone"})
    claim = _lock_claim(record.claim_id)
    if not Quote.objects.filter(pk=record.quote_id).exists():
        raise ValidationError({"quote": "the assertion's quote is gone; restore the quote first"})
    linked = Assertion.objects.filter(claim_id=record.claim_id, quote_id=record.quote_id).first()
    if linked is not None:
        raise ValidationError({"quote": f"this quote is linked to this claim again ({linked})"})
    assertion = _recreated(record)
    for conflict in _settled_conflicts_deleted_with(assertion):
        _recreated(conflict)
    conflicts_detect(claim=claim, assertion=assertion)  # records the change
    return assertion


@transaction.atomic
def conflict_restore(*, history_id: int, user=None) -> Conflict:
    """Bring a deleted conflict back, if both its assertions are here."""
    record = _deleted_record(Conflict, history_id)
    if not Claim.objects.filter(pk=record.claim_id).exists():
        raise ValidationError({"claim": "the conflict's claim is gone"})
    _lock_claim(record.claim_id)
    here = Assertion.objects.filter(pk__in=[record.first_id, record.second_id]).count()
    if here != 2:
        raise ValidationError(
            {"first": "an assertion of this conflict is gone; restore the assertion first"}
        )
    if Conflict.objects.filter(first_id=record.first_id, second_id=record.second_id).exists():
        raise ValidationError({"first": "these two assertions are in conflict already"})
    conflict = _recreated(record)
    _conflicts_changed(record.claim_id)
    return conflict
