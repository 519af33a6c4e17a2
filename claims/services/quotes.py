"""Quotes: passages of a source, anchored in its text, and re-anchored when it changes."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims.models import PLACED_ANCHOR_STATES, AnchorState, Entity, Quote
from claims.search import quote_search_text
from claims.services.common import _ledger_changed, _quotes_changed, records_user
from claims.services.positions import positions_refresh
from domain.anchoring import Anchor, AnchorError, Selector, anchor, reanchor_all
from ledger.refusals import said
from sources.models import Source
from sources.services import clean_text


def _refuse_a_quoted_passage(source: Source, start: int, end: int) -> None:
    duplicate = Quote.objects.filter(
        source=source, start=start, end=end, anchor_state__in=PLACED_ANCHOR_STATES
    ).first()
    if duplicate is not None:
        raise ValidationError(
            {"exact": _("this passage is already quote %(id)s") % {"id": duplicate.pk}}
        )


def _quote_of(source: Source, found: Anchor, speaker: Entity | None, **fields) -> Quote:
    """Save the passage an anchor found in the source as a quote."""
    return Quote.objects.create(
        source=source,
        exact=found.exact,
        start=found.start,
        end=found.end,
        prefix=found.prefix,
        suffix=found.suffix,
        speaker=speaker,
        search_text=quote_search_text(found.exact),
        **fields,
    )


@records_user
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
    user=None,
) -> Quote:
    exact = clean_text(exact, "exact")
    prefix = clean_text(prefix, "prefix")
    suffix = clean_text(suffix, "suffix")
    try:
        found = anchor(source.text, Selector(exact, prefix, suffix, start, end))
    except AnchorError as error:
        raise ValidationError({error.field: said(error)}) from error
    _refuse_a_quoted_passage(source, found.start, found.end)
    try:
        with transaction.atomic():
            quote = _quote_of(source, found, speaker)
    except IntegrityError:
        # The same passage quoted at the same moment: answered as if this one came second.
        _refuse_a_quoted_passage(source, found.start, found.end)
        raise
    _ledger_changed(public=False)  # no claim uses a new quote yet
    return quote


@records_user
@transaction.atomic
def quote_delete(*, quote: Quote, user=None) -> None:
    if quote.assertions.exists():
        raise ValidationError(
            {
                "quote": _(
                    "assertions use this quote; delete or move them first, or archive the claim"
                )
            }
        )
    quote.delete()
    _ledger_changed(public=False)  # a quote no claim uses


@records_user
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
