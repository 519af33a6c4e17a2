"""Assertions: a quote linked to a claim, with its stance and value."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims.models import Assertion, Claim, Quote, SetAside, Stance, ValueOrigin
from claims.services.common import (
    StaleEdit,
    _lock_claim,
    records_user,
    refuse_unknown_fields,
)
from claims.services.conflicts import conflicts_detect
from claims.services.positions import _conflicts_changed
from claims.services.values import refuse_a_foreign_unit, value_columns, value_read
from domain.intervals import Interval
from ledger.refusals import must_be_one_of
from sources.models import Source
from sources.services import clean_text


@records_user
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
        raise ValidationError({"stance": must_be_one_of("stance", Stance.values)})
    if Assertion.objects.filter(claim=claim, quote=quote).exists():
        raise ValidationError({"quote": _("this quote is already linked to this claim")})
    if value is None:
        read = value_read(claim=claim, quote=quote)
        fields = (
            value_columns(*read, ValueOrigin.EXTRACTED) if read else value_columns(None, "", "")
        )
    else:
        refuse_a_foreign_unit(claim, value)
        fields = value_columns(value, value_text or quote.exact, ValueOrigin.REVIEWER)
    try:
        with transaction.atomic():
            assertion = Assertion.objects.create(
                claim=claim, quote=quote, stance=stance, note=clean_text(note, "note"), **fields
            )
    except IntegrityError as error:
        # The database's own words name its constraints and SQL: not for the client.
        raise ValidationError({"value": _("the database refused this value")}) from error
    conflicts_detect(claim=claim, assertion=assertion)  # records the change
    return assertion


_UNSET = object()
ASSERTION_UPDATE_FIELDS = {"stance", "value", "value_text", "note", "value_origin"}


@records_user
@transaction.atomic
def assertion_update(
    *,
    assertion: Assertion,
    expected_version: int | None = None,
    user=None,
    **fields,
) -> Assertion:
    """Change an assertion's `stance`, `value` (an Interval or None, with its `value_text`)
    or `note`; a value given here is the reviewer's correction and is kept.

    `value_origin`: where the value came from when it is not the reviewer's own (a revert
    puts back the origin the value had in that version).
    """
    refuse_unknown_fields(fields, ASSERTION_UPDATE_FIELDS, what="an assertion update")
    stance, note, value_origin = (
        fields.get("stance"),
        fields.get("note"),
        fields.get("value_origin"),
    )
    value, value_text = fields.get("value", _UNSET), fields.get("value_text", "")
    _lock_claim(Assertion.objects.values_list("claim_id", flat=True).get(pk=assertion.pk))
    current = Assertion.objects.select_for_update().get(pk=assertion.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    if stance is not None:
        if stance not in Stance.values:
            raise ValidationError({"stance": must_be_one_of("stance", Stance.values)})
        current.stance = stance
    if value is not _UNSET:
        origin = ValueOrigin.REVIEWER if value is not None else ValueOrigin.NONE
        if value is not None and value_origin is not None:
            origin = ValueOrigin(value_origin)
        if origin == ValueOrigin.REVIEWER:
            refuse_a_foreign_unit(current.claim, value)
        for name, field_value in value_columns(
            value, value_text or current.quote.exact, origin
        ).items():
            setattr(current, name, field_value)
    if note is not None:
        current.note = clean_text(note, "note")
    current.version += 1
    current.save()
    conflicts_detect(claim=current.claim, assertion=current)
    return current


@records_user
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


@records_user
@transaction.atomic
def assertion_set_aside(
    *, assertion: Assertion, set_aside: str, note: str = "", user=None
) -> Assertion:
    """Leave an assertion out of its claim's positions (an outlier, another measure), or
    bring it back with `set_aside=""`."""
    _lock_claim(assertion.claim_id)
    if set_aside not in SetAside.values:
        raise ValidationError(
            {"set_aside": must_be_one_of("set_aside", [v for v in SetAside.values if v])}
        )
    note = clean_text(note, "set_aside_note")
    if set_aside and not note:
        raise ValidationError({"set_aside_note": _("say why, for readers")})
    current = Assertion.objects.select_for_update().get(pk=assertion.pk)
    current.set_aside, current.set_aside_note = set_aside, note if set_aside else ""
    current.version += 1
    current.save()
    _conflicts_changed(current.claim_id)
    return current
