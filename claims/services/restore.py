"""Bringing back what was deleted, from its history, under its own id."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from claims.models import Assertion, Claim, Conflict, ConflictOrigin, ConflictStatus, Entity, Quote
from claims.services.common import _ledger_changed, _lock_claim, records_user
from claims.services.conflicts import conflicts_detect
from claims.services.positions import _conflicts_changed
from claims.services.quotes import _quote_of, _refuse_a_quoted_passage
from domain.anchoring import AnchorError, Selector, anchor
from ledger.refusals import said
from sources.models import Source


def _deleted_record(model, history_id: int):
    """The record of an object's deletion, or a refusal if there is nothing to restore."""
    name = model._meta.verbose_name
    record = model.history.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise ValidationError(
            _("no deleted %(name)s has the record %(record)s")
            % {"name": name, "record": history_id}
        )
    if model.objects.filter(pk=record.id).exists():
        raise ValidationError(
            _("%(name)s %(id)s exists; there is nothing to restore")
            % {"name": name, "id": record.id}
        )
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


@records_user
@transaction.atomic
def quote_restore(*, history_id: int, user=None) -> Quote:
    """Bring a deleted quote back under its own id, if its text still anchors in its source."""
    record = _deleted_record(Quote, history_id)
    source = Source.objects.filter(pk=record.source_id).first()
    if source is None:
        raise ValidationError({"source": _("the quote's source is gone")})
    try:
        found = anchor(
            source.text,
            Selector(record.exact, record.prefix, record.suffix, record.start, record.end),
        )
    except AnchorError as error:
        raise ValidationError(
            {
                "exact": _("the quote no longer anchors in its source: %(why)s")
                % {"why": said(error)}
            }
        ) from error
    _refuse_a_quoted_passage(source, found.start, found.end)
    speaker = Entity.objects.filter(pk=record.speaker_id).first()
    quote = _quote_of(source, found, speaker, pk=record.id)
    _ledger_changed(public=False)  # no claim uses it until its assertions come back
    return quote


@records_user
@transaction.atomic
def assertion_restore(*, history_id: int, user=None) -> Assertion:
    """Bring a deleted assertion back with the settled conflicts (and their notes) that went
    with it; conflicts are detected again and positions recomputed."""
    record = _deleted_record(Assertion, history_id)
    if not Claim.objects.filter(pk=record.claim_id).exists():
        raise ValidationError({"claim": _("the assertion's claim is gone")})
    claim = _lock_claim(record.claim_id)
    if not Quote.objects.filter(pk=record.quote_id).exists():
        raise ValidationError(
            {"quote": _("the assertion's quote is gone; restore the quote first")}
        )
    linked = Assertion.objects.filter(claim_id=record.claim_id, quote_id=record.quote_id).first()
    if linked is not None:
        raise ValidationError(
            {"quote": _("this quote is linked to this claim again (%(link)s)") % {"link": linked}}
        )
    assertion = _recreated(record)
    for conflict in _settled_conflicts_deleted_with(assertion):
        _recreated(conflict)
    conflicts_detect(claim=claim, assertion=assertion)  # records the change
    return assertion


@records_user
@transaction.atomic
def conflict_restore(*, history_id: int, user=None) -> Conflict:
    """Bring a deleted conflict back, if both its assertions are here."""
    record = _deleted_record(Conflict, history_id)
    if not Claim.objects.filter(pk=record.claim_id).exists():
        raise ValidationError({"claim": _("the conflict's claim is gone")})
    _lock_claim(record.claim_id)
    here = Assertion.objects.filter(pk__in=[record.first_id, record.second_id]).count()
    if here != 2:
        raise ValidationError(
            {"first": _("an assertion of this conflict is gone; restore the assertion first")}
        )
    if Conflict.objects.filter(first_id=record.first_id, second_id=record.second_id).exists():
        raise ValidationError({"first": _("these two assertions are in conflict already")})
    conflict = _recreated(record)
    _conflicts_changed(record.claim_id)
    return conflict
