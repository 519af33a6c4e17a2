"""The claim page: its quotes in stance columns, its conflicts, the picture of its values.

A claim may have a thousand assertions. Each is read as a row (Evidence): enough to place
its card, link to it and count its source. Only the assertions the page names are read
whole, with their quotes and sources: the cards shown, the conflicts' pairs, the values in
the picture, and the claim's first appearance.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.api.exports import Appearances, first_appearance
from claims.models import (
    DISPUTING_STATUSES,
    EVIDENCE_ORDER,
    EVIDENCE_UNSHOWN,
    AnchorState,
    Assertion,
    ClaimKind,
    Quote,
    Stance,
)
from claims.web import display, labels, passages, svg
from claims.web.values import compact_number, describe, unit_name
from sources.models import Source

CARDS_PER_STANCE = 30
CARDS_PER_PAGE = 100
STANCE_ORDER = [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.QUALIFIES, Stance.MENTIONS]


def _marks(assertions, conflicting_ids, language):
    """One mark per distinct value and stance, labelled by the sources that assert it."""
    groups = defaultdict(list)
    for assertion in assertions:
        if assertion.has_value:
            key = (assertion.value_kind, assertion.low, assertion.high, assertion.stance)
            groups[key].append(assertion)
    marks = []
    for (kind, low, high, stance), members in groups.items():
        value = describe(low, high, kind, members[0].unit, language)
        names = []
        for a in members:
            name = display.source_name(a.quote.source)
            if a.quote.speaker:
                name += f" ({display.name(a.quote.speaker)})"
            names.append(name)
        shown = " · ".join(names[:2])
        if len(names) > 2:
            shown += " " + _("and %(count)s more") % {"count": len(names) - 2}
        prefix = {Stance.CONTRADICTS: _("denies"), Stance.MENTIONS: _("mentions")}.get(stance)
        prefix = f"{prefix} " if prefix else ""
        conflicting = any(a.pk in conflicting_ids for a in members)
        detail = "; ".join(
            f"{display.name(a.quote.speaker) + ', ' if a.quote.speaker else ''}"
            f"{a.quote.source.title} ({a.quote.source.published_display or _('undated')}): "
            f"“{a.value_text or a.quote.exact}”"
            for a in members
        )
        marks.append(
            svg.Mark(
                assertion_ids=tuple(a.pk for a in members),
                low=low,
                high=high,
                kind=kind,
                value_label=f"{prefix}{value}",
                source_label=shown,
                detail=f"{prefix}{value}: {detail}",
                flag=_("in conflict") if conflicting else "",
                conflicting=conflicting,
                muted=stance in (Stance.CONTRADICTS, Stance.MENTIONS),
                href=members[0].card_url,
            )
        )
    return sorted(marks, key=lambda m: (m.extent()[0], m.extent()[-1]))


def _value_picture(claim, assertions, conflicting_ids):
    language = display.language_code()
    marks = _marks(assertions, conflicting_ids, language)
    if not marks:
        return ""
    lines = [
        f"{mark.value_label} — {mark.source_label}{' (' + mark.flag + ')' if mark.flag else ''}"
        for mark in marks
    ]
    return svg.value_axis(
        marks,
        title=_("Values the sources give for: %(statement)s") % {"statement": claim.statement},
        desc="; ".join(lines),
        tick_label=lambda value: compact_number(Decimal(value), language),
        dates=claim.kind == ClaimKind.DATE,
    )


def _cards(members: list, page: str | None):
    """The cards a stance column shows: (cards, None) on the claim page, (None, a Page) on
    one stance's list.

    On the claim page each column shows CARDS_PER_STANCE cards, those in conflict first,
    in publication order; `?stance=…&page=…` lists one stance whole, CARDS_PER_PAGE at a time.
    A claim with a thousand quotes would otherwise be a page no one can read (or wait for).
    """
    if page is None:
        chosen = set(sorted(members, key=lambda a: not a.in_conflict)[:CARDS_PER_STANCE])
        return [a for a in members if a in chosen], None
    return None, Paginator(members, CARDS_PER_PAGE).get_page(page)


def _card_url(a, position: int) -> str:
    """Where a card is: on this page, or on its stance's list."""
    if a.shown:
        return f"#assertion-{a.pk}"
    return f"?stance={a.stance}&page={position // CARDS_PER_PAGE + 1}#assertion-{a.pk}"


@dataclass(eq=False)
class Evidence:
    """One of a claim's assertions as its page first reads them all: enough to place its
    card, count its source and tell whether the page names it."""

    pk: int
    stance: str
    source_id: int
    published_on: date | None
    has_value: bool
    in_conflict: bool = False
    shown: bool = False
    card_url: str = ""


def _evidence(claim, conflicting_ids) -> list[Evidence]:
    rows = claim.assertions.order_by(*EVIDENCE_ORDER).values_list(
        "pk", "stance", "quote__source_id", "quote__source__published_on", "value_kind"
    )
    return [
        Evidence(pk, stance, source_id, published_on, bool(kind), pk in conflicting_ids)
        for pk, stance, source_id, published_on, kind in rows
    ]


def _columns(evidence: list[Evidence], only: str | None, page: str):
    """The stance columns, as (stance, members, cards, page) per _cards(); marks the cards
    shown and sets every card's URL."""
    by_stance = {stance: [e for e in evidence if e.stance == stance] for stance in STANCE_ORDER}
    columns = []
    for stance, members in by_stance.items():
        if not members or (only and stance != only):
            continue
        cards, listed = _cards(members, page if only else None)
        for e in cards or listed.object_list:
            e.shown = True
        columns.append((stance, members, cards, listed))
    for members in by_stance.values():
        for position, e in enumerate(members):
            e.card_url = _card_url(e, position)
    return columns


def _named(evidence: list[Evidence], ids) -> dict:
    """The assertions with these ids, by id, read whole with their quotes and sources."""
    named = {
        a.pk: a
        for a in Assertion.objects.filter(pk__in=ids)
        .select_related("quote__source", "quote__speaker")
        .defer(*EVIDENCE_UNSHOWN)
        .order_by()
    }
    for e in evidence:
        if e.pk in named:
            named[e.pk].in_conflict, named[e.pk].card_url = e.in_conflict, e.card_url
    return named


def _appearing_sources(evidence: list[Evidence]):
    """The sources of the assertions that do more than mention the claim, in evidence order."""
    return (
        Source.objects.filter(pk__in={e.source_id for e in evidence if e.stance != Stance.MENTIONS})
        .order_by("published_on", "pk")
        .defer("text", "search_text", "created_at", "updated_at")
    )


def claim_page(claim, *, only: str | None, page: str) -> dict:
    """What the claim page shows of a claim: the template's context, and the `appearances`
    its ClaimReview cites. `only` is a stance to list whole, `page` the page of that list.

    `claim` carries its subjects, topics and conflicts prefetched and `statement` set.
    """
    language = display.language_code()
    # Live disputes first, then the settled ones.
    conflicts = sorted(
        claim.conflicts.all(), key=lambda c: (c.status not in DISPUTING_STATUSES, c.pk)
    )
    conflicting_ids = {
        i for c in conflicts if c.status in DISPUTING_STATUSES for i in c.assertion_ids
    }
    evidence = _evidence(claim, conflicting_ids)
    columns = _columns(evidence, only, page)
    first = first_appearance(evidence, lambda e: e.published_on)
    by_id = _named(
        evidence,
        {e.pk for e in evidence if e.shown or e.has_value}
        | {i for c in conflicts for i in c.assertion_ids}
        | ({first.pk} if first else set()),
    )
    groups = []
    for stance, members, cards, listed in columns:
        if listed is not None:
            listed.object_list = [by_id[e.pk] for e in listed.object_list]
        more = len(members) - len(cards) if cards is not None else 0
        cards = [by_id[e.pk] for e in cards] if cards is not None else listed
        groups.append((stance, labels.STANCES[stance], cards, len(members), more))
    shown = [by_id[e.pk] for e in evidence if e.shown]
    named = set(shown)
    windows = {
        pk: (offset, window)
        for pk, offset, window in Quote.objects.filter(pk__in=[a.quote_id for a in shown])
        .with_context(passages.CONTEXT_LIMIT)
        .values_list("pk", "context_offset", "context_window")
    }
    for a in shown:
        # One reverse() per card, where the template took three {% url %} tags (50 µs each).
        a.quote.source.page_url = reverse("web:source-detail", args=[a.quote.source_id])
        offset, window = windows[a.quote_id]
        a.context = (
            ("", a.quote.exact, "")
            if a.quote.anchor_state == AnchorState.ORPHANED
            else passages.surrounding_sentence(window, a.quote.start - offset, a.quote.end - offset)
        )
    for conflict in conflicts:
        conflict.pair = [by_id[conflict.first_id], by_id[conflict.second_id]]
        named.update(conflict.pair)
        conflict.status_label = labels.CONFLICT_STATUSES[conflict.status]
        conflict.kind_label = labels.CONFLICT_KINDS[conflict.kind]
    # Labels only for the quotes the page names (a claim may have a thousand).
    for a in named:
        a.value_label = describe(a.low, a.high, a.value_kind, a.unit, language)
        a.stance_label = labels.STANCES[a.stance]
        a.source_name = display.source_name(a.quote.source)
        if a.quote.speaker:
            a.quote.speaker.display_name = display.name(a.quote.speaker)
    # The timeline places the quotes shown above; every source is counted.
    timeline = {}
    for a in shown:
        entry = timeline.setdefault(a.quote.source_id, {"source": a.quote.source, "values": []})
        entry["values"].append(a)
    for subject in claim.subjects.all():
        subject.display_name = display.name(subject)
    for topic in claim.topics.all():
        topic.display_name = display.name(topic)
    return {
        "picture": _value_picture(
            claim, [by_id[e.pk] for e in evidence if e.has_value], conflicting_ids
        ),
        "value_unit": unit_name(claim.unit, language),
        "groups": groups,
        "only_stance": only,
        "conflicts": conflicts,
        "timeline": sorted(
            timeline.values(),
            key=lambda e: (e["source"].published_on is None, e["source"].published_on),
        ),
        "source_count": len({e.source_id for e in evidence}),
        # The sources are read only if the claim has a review.
        "appearances": Appearances(
            _appearing_sources(evidence), by_id[first.pk] if first else None
        ),
    }
