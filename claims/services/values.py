"""A value on a claim: the one rule from what was entered, typed or read to an interval."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from claims.models import Assertion, Claim, ClaimKind, Quote, ValueOrigin
from domain import extraction, typed_values
from domain.intervals import DATE_UNIT, Interval, IntervalError
from domain.units import normalize_unit, value_unit_refusal
from ledger.refusals import said
from sources.models import Source


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
        raise ValidationError({f"value.{error.field}": said(error)}) from error
    except ArithmeticError as error:
        raise ValidationError({"value": _("low and high must be numbers")}) from error


def value_columns(interval: Interval | None, text: str, origin: str) -> dict:
    """An assertion's value columns for an interval (None: no value), its words and origin."""
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
    refuse_a_foreign_unit(claim, interval)
    return interval


def refuse_a_foreign_unit(claim: Claim, interval: Interval | None) -> None:
    """A value given for a claim is in its unit (domain.units.value_unit_refusal)."""
    if interval is None:
        return
    refusal = value_unit_refusal(interval.unit, value_unit(claim))
    if refusal is not None:
        raise ValidationError({"value.unit": said(refusal)})


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
            {
                "value": _("a %(kind)s claim takes no value")
                % {"kind": claim.get_kind_display().lower()}
            }
        )
    dated = {}
    if source is not None:
        dated = {"published_on": source.published_on, "precision": source.published_precision}
    interval = typed_values.read_typed(text, unit=unit, **dated)
    if interval is None:
        if unit == DATE_UNIT:
            unread = _("no date could be read in “%(text)s”")
        elif unit:
            unread = _("no value in %(unit)s could be read in “%(text)s”")
        else:
            unread = _("no number could be read in “%(text)s”")
        raise ValidationError({"value": unread % {"text": text, "unit": unit}})
    return interval


def assertion_interval(assertion: Assertion) -> Interval | None:
    if not assertion.value_kind:
        return None
    return Interval(assertion.low, assertion.high, assertion.value_kind, assertion.unit)
