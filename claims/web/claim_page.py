"""The claim page: its positions (the sides of its dispute), its quotes grouped by position,
where they disagree, the picture of its values.

A claim may have a thousand assertions. Each is read as a row (Evidence): enough to place
its card, link to it, count its source and name who holds each position. Only the
assertions the page names are read whole, with their quotes and sources: the cards shown,
the conflicts' pairs, the values in the picture, and the claim's first appearance.
"""

import html
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _

from claims.jsonld import Appearances, first_appearance
from claims.models import (
    DISPUTING_STATUSES,
    EVIDENCE_ORDER,
    Assertion,
    ClaimKind,
    ConflictKind,
    Position,
    Stance,
)
from claims.web import display, labels, passages, svg
from claims.web.claim_reads import CARDS_PER_STANCE, ClaimReads, read_whole
from domain.values import PERCENT_UNITS, compact_number, describe, unit_name
from sources.models import Source

CARDS_PER_PAGE = 100
STANCE_ORDER = [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.QUALIFIES, Stance.MENTIONS]
# Speakers and sources named on a position's line; the rest are counted.
HOLDERS_NAMED = 3
# What the page never shows of a source that only its ClaimReview cites.
SOURCE_UNSHOWN = ("text", "search_text", "created_at", "updated_at")


def _side(positions, set_aside: bool) -> str:
    """Which side of the dispute a value is on, in words."""
    if set_aside:
        return _("set aside")
    names = " / ".join(p.name for p in positions)
    return _("position: %(names)s") % {"names": names} if names else ""


def _marks(assertions, held, language):
    """One mark per distinct value, stance and position, labelled by the sources asserting it.

    `held` gives each assertion's positions, in rank order.
    """
    groups = defaultdict(list)
    for a in assertions:
        if a.has_value:
            ranks = tuple(p.rank for p in held.get(a.pk, ()))
            key = (a.value_kind, a.low, a.high, a.stance, ranks, bool(a.set_aside))
            groups[key].append(a)
    marks = []
    for (kind, low, high, stance, ranks, aside), members in groups.items():
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
        side = _side(held.get(members[0].pk, ()), aside)
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
                detail=f"{prefix}{value}{f' ({side})' if side else ''}: {detail}",
                positions=() if aside else ranks,
                set_aside=aside,
                muted=stance in (Stance.CONTRADICTS, Stance.MENTIONS),
                href=members[0].card_url,
            )
        )
    return sorted(marks, key=lambda m: (m.extent()[0], m.extent()[-1]))


def _value_picture(claim, assertions, held) -> tuple[str, list]:
    """The SVG of the values, and its marks."""
    language = display.language_code()
    marks = _marks(assertions, held, language)
    if not marks:
        return "", []
    lines = []
    for mark in marks:
        side = _side(held.get(mark.assertion_ids[0], ()), mark.set_aside)
        lines.append(f"{mark.value_label} — {mark.source_label}{f' ({side})' if side else ''}")
    picture = svg.value_axis(
        marks,
        title=_("Values the sources give for: %(statement)s") % {"statement": claim.statement},
        desc="; ".join(lines),
        tick_label=lambda value: compact_number(Decimal(value), language),
        dates=claim.kind == ClaimKind.DATE,
        percent=claim.unit in PERCENT_UNITS,
        axis_start=lambda first: _("The axis starts at %(value)s, not at zero.") % {"value": first},
    )
    return picture, marks


def _legend(positions, marks) -> dict:
    """What the picture's legend names: the positions drawn, stripes, grey."""
    drawn = {rank for mark in marks for rank in mark.positions}
    return {
        "positions": [p for p in positions if p.rank in drawn],
        "bridging": any(m.bridging for m in marks),
        "set_aside": any(m.set_aside for m in marks),
    }


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
    card, count its source and speaker and tell whether the page names it."""

    pk: int
    stance: str
    source_id: int
    published_on: date | None
    has_value: bool
    in_conflict: bool = False
    set_aside: str = ""
    speaker_id: int | None = None
    shown: bool = False
    card_url: str = ""


# What an Evidence is made of, as paths from an assertion, in Evidence's order but for
# in_conflict, which the page's conflicts decide.
EVIDENCE_FIELDS = (
    "pk",
    "stance",
    "quote__source_id",
    "quote__source__published_on",
    "value_kind",
    "set_aside",
    "quote__speaker_id",
)
# The same fields of an assertion read whole.
_evidence_fields = operator.attrgetter(*(path.replace("__", ".") for path in EVIDENCE_FIELDS))


def _evidence(rows, conflicting_ids) -> list[Evidence]:
    """Evidence from rows of EVIDENCE_FIELDS."""
    return [
        Evidence(pk, stance, source, published, bool(kind), pk in conflicting_ids, aside, speaker)
        for pk, stance, source, published, kind, aside, speaker in rows
    ]


def _read(claim, whole: list | None, conflicting_ids) -> tuple[list[Evidence], dict | None]:
    """The claim's evidence, and its assertions read whole by id when `whole` has them all
    (claim_reads.ClaimReads.whole); else None, and the page reads whole only those it names
    (_named)."""
    if whole is None:
        rows = claim.assertions.order_by(*EVIDENCE_ORDER).values_list(*EVIDENCE_FIELDS)
        return _evidence(rows, conflicting_ids), None
    return _evidence(map(_evidence_fields, whole), conflicting_ids), {a.pk: a for a in whole}


def _positions(positions: list, evidence: list[Evidence]) -> tuple[list, dict]:
    """The claim's positions (querysets.ranked_positions()), each with what its line says
    but names: its label in the reader's language, its colour, its counts, the first quote
    of each of its first speakers and sources (read whole later, to name them), its latest
    rating, and the quotes it shares with other positions; and each assertion's positions,
    in rank order."""
    held = defaultdict(list)
    for p in positions:
        for i in p.assertion_ids:
            held[i].append(p)
    members_of = defaultdict(list)  # in publication order
    for e in evidence:
        for p in held.get(e.pk, ()):
            members_of[p.rank].append(e)
    for p in positions:
        members = members_of[p.rank]
        speakers, sources = {}, {}  # the first quote of each, in publication order
        for e in members:
            sources.setdefault(e.source_id, e)
            if e.speaker_id:
                speakers.setdefault(e.speaker_id, e)
        speakers, sources = list(speakers.values()), list(sources.values())
        p.css = f"position-{p.rank}"
        p.colour = svg.position_colour(p.rank)
        # A class, not a style attribute: the pages' CSP allows no inline styles.
        p.colour_class = f"colour-{p.rank % len(svg.POSITION_COLOURS)}"
        p.name = display.chinese_or_english(p.label_zh, p.label)
        p.quote_count = len(members)
        p.source_count = len(sources)
        p.speaker_holders, p.more_speakers = speakers[:HOLDERS_NAMED], len(speakers[HOLDERS_NAMED:])
        p.source_holders, p.more_sources = sources[:HOLDERS_NAMED], len(sources[HOLDERS_NAMED:])
        p.rating = next(iter(p.ratings_latest_first), None)
        if p.rating:
            rating = p.rating
            rating.verdict_label = labels.VERDICTS[rating.verdict]
            rating.shown_statement = display.chinese_or_english(
                rating.statement_zh, rating.statement
            )
            rating.shown_rationale = display.chinese_or_english(
                rating.rationale_zh, rating.rationale
            )
    for p in positions:
        mine = set(p.assertion_ids)
        p.shares = [
            (other, len(mine & set(other.assertion_ids)))
            for other in positions
            if other is not p and mine & set(other.assertion_ids)
        ]
    return positions, held


def _name_holders(positions, by_id: dict, links: display.Links) -> None:
    """Each position's speakers and sources, named and linked, from their assertions read
    whole."""
    for p in positions:
        speakers = [by_id[e.pk].quote.speaker for e in p.speaker_holders]
        sources = [by_id[e.pk].quote.source for e in p.source_holders]
        p.speaker_links = [(display.name(s), links("web:entity-detail", s.slug)) for s in speakers]
        p.source_links = [
            (display.source_name(s), links("web:source-detail", s.pk), s.language) for s in sources
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


def _named(evidence: list[Evidence], ids, *, whole: dict | None = None) -> dict:
    """The assertions with these ids, by id, read whole (claim_reads.read_whole), unless
    `whole` has them already; each with its place on the page."""
    named = whole
    if named is None:
        named = {a.pk: a for a in read_whole(Assertion.objects.filter(pk__in=ids).order_by())}
    for e in evidence:
        if e.pk in named:
            named[e.pk].in_conflict, named[e.pk].card_url = e.in_conflict, e.card_url
    return named


def _appearing_sources(evidence: list[Evidence], whole: dict | None) -> list[Source]:
    """The sources of the assertions that do more than mention the claim, in evidence order
    (publication order), read unless `whole` has them."""
    appearing = [e for e in evidence if e.stance != Stance.MENTIONS]
    if whole is None:
        read = Source.objects.filter(pk__in={e.source_id for e in appearing})
        by_id = read.defer(*SOURCE_UNSHOWN).in_bulk()
    else:
        by_id = {e.source_id: whole[e.pk].quote.source for e in appearing}
    return [by_id[source_id] for source_id in dict.fromkeys(e.source_id for e in appearing)]


@dataclass(eq=False)
class QuoteGroup:
    """The cards under one position's heading, under "Other quotes" (no position), or on
    one stance's list (its stance, label and count; its cards a Page)."""

    position: Position | None
    cards: list = field(default_factory=list)
    stance: tuple | None = None
    # Its bridging quotes, shown once, under the first position they are in.
    shared: list = field(default_factory=list)
    # How many of its quotes only the stance lists show.
    more: int = 0


def _quote_groups(positions, evidence: list[Evidence], by_id: dict, held: dict):
    """The cards shown, grouped by position, and last those in none (qualifying or
    mentioning the claim, or set aside)."""
    groups = {p.rank: QuoteGroup(p) for p in positions}
    other = QuoteGroup(None)
    for e in evidence:
        holding = held.get(e.pk, ())
        if not e.shown:
            for p in holding:
                groups[p.rank].more += 1
            other.more += not holding
        elif not holding:
            other.cards.append(by_id[e.pk])
        else:
            groups[holding[0].rank].cards.append(by_id[e.pk])
            for p in holding[1:]:
                groups[p.rank].shared.append(by_id[e.pk])
    return [*groups.values(), *([other] if other.cards or other.more else [])]


def claim_page(claim, reads: ClaimReads, *, only: str | None, page: str) -> dict:
    """What the claim page shows of a claim: the template's context, and the `appearances`
    its ClaimReview cites. `only` is a stance to list whole, `page` the page of that list.

    `claim` and `reads` are as claim_reads.read_claim() gives them, with `claim.statement`
    set.
    """
    language = display.language_code()
    # Live disputes first, then the settled ones.
    conflicts = sorted(reads.conflicts, key=lambda c: c.status not in DISPUTING_STATUSES)
    conflicting_ids = {
        i for c in conflicts if c.status in DISPUTING_STATUSES for i in c.assertion_ids
    }
    evidence, whole = _read(claim, reads.whole, conflicting_ids)
    positions, held = _positions(reads.positions, evidence)
    # The claim's rationale and the ratings' cite their sources; one query names them all.
    rationale, rationale_lang = display.in_language(claim, "rationale")
    rated = [p.rating for p in positions if p.rating]
    rationale, *shown = display.with_citations([rationale, *(r.shown_rationale for r in rated)])
    for rating, text in zip(rated, shown, strict=True):
        rating.shown_rationale = text
    columns = _columns(evidence, only, page)
    first = first_appearance(evidence, lambda e: e.published_on)
    by_id = _named(
        evidence,
        {e.pk for e in evidence if e.shown or e.has_value}
        | {i for c in conflicts for i in c.assertion_ids}
        | ({first.pk} if first else set())
        | {e.pk for p in positions for e in (*p.speaker_holders, *p.source_holders)},
        whole=whole,
    )
    links = display.Links()
    _name_holders(positions, by_id, links)
    groups = []
    for stance, members, cards, listed in columns:
        if listed is not None:
            listed.object_list = [by_id[e.pk] for e in listed.object_list]
        more = len(members) - len(cards) if cards is not None else 0
        cards = [by_id[e.pk] for e in cards] if cards is not None else listed
        groups.append((stance, labels.STANCES[stance], cards, len(members), more))
    shown = [by_id[e.pk] for e in evidence if e.shown]
    named = set(shown)
    for a in shown:
        # One link per card, where the template took three {% url %} tags (50 µs each).
        a.quote.source.page_url = links("web:source-detail", a.quote.source_id)
        start, end = a.quote.start - a.context_offset, a.quote.end - a.context_offset
        a.context = (
            ("", a.quote.exact, "")
            if not a.quote.is_placed
            else passages.surrounding_sentence(a.context_window, start, end)
        )
        a.positions_held = held.get(a.pk, [])
        a.set_aside_label = labels.SET_ASIDE.get(a.set_aside, "")
        a.stance_tag = labels.STANCES[a.stance] if a.stance != Stance.SUPPORTS else ""
        # On a stance's list a card names its positions; under a position, the others.
        a.other_positions = a.positions_held if only else a.positions_held[1:]
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
        speaker = a.quote.speaker
        if speaker:
            speaker.display_name = display.name(speaker)
            speaker.link = format_html(
                '<a href="{}">{}</a>',
                links("web:entity-detail", speaker.slug),
                speaker.display_name,
            )
        # What the quote says and who said it, as the conflict pairs name it: formatted
        # once here, where the template repeated it for each of a claim's many pairs.
        a.reference = format_html(
            '{} — <span lang="{}">{}</span>{}',
            a.value_label or a.stance_label,
            a.quote.source.language,
            a.source_name,
            f" ({speaker.display_name})" if speaker else "",
        )
    # The reason is said again in the reader's language from the pair it names; the stored
    # one is the reviewers' record, in English.
    for conflict in conflicts:
        one, other = conflict.pair
        if conflict.kind == ConflictKind.STANCE:
            sides = (one.stance_label, other.stance_label)
        elif conflict.kind in (ConflictKind.VALUE, ConflictKind.DATE):
            sides = (one.value_label, other.value_label)
        else:
            sides = None
        conflict.reader_reason = (
            _("%(first)s, against %(second)s") % {"first": sides[0], "second": sides[1]}
            if sides and all(sides)
            else ""
        )
        conflict.reader_note, conflict.note_lang = display.in_language(conflict, "note")
    # The timeline places the quotes shown above; every source is counted.
    timeline = {}
    for a in shown:
        entry = timeline.setdefault(a.quote.source_id, {"source": a.quote.source, "values": []})
        entry["values"].append(a)
    subjects, topics = reads.subjects, reads.topics
    for subject_or_topic in (*subjects, *topics):
        subject_or_topic.display_name = display.name(subject_or_topic)
    picture, marks = _value_picture(claim, [by_id[e.pk] for e in evidence if e.has_value], held)
    set_aside = [e for e in evidence if e.set_aside]
    return {
        "subjects": subjects,
        "topics": topics,
        "positions": positions,
        "list_separator": "、" if display.chinese() else ", ",
        # The position groups are on the claim page itself, not on a stance's list.
        "main_page": reverse("web:claim-detail", args=[claim.slug]) if only else "",
        "set_aside_count": len(set_aside),
        "set_aside_reasons": [
            labels.SET_ASIDE[reason] for reason in dict.fromkeys(e.set_aside for e in set_aside)
        ],
        "picture": picture,
        "rationale": rationale,
        "rationale_lang": rationale_lang,
        # For the page's description: the rationale as plain text, sources named.
        "rationale_text": html.unescape(strip_tags(rationale)),
        # The picture is one image; its marks link to their quotes from a list beside it.
        "value_marks": marks,
        "legend": _legend(positions, marks),
        "value_unit": unit_name(claim.unit, language),
        "groups": groups,
        "quote_groups": (
            [
                QuoteGroup(None, cards, (stance, label, total))
                for stance, label, cards, total, _more in groups
            ]
            if only
            else _quote_groups(positions, evidence, by_id, held)
        ),
        "cards_hidden": any(more for *_, more in groups),
        "only_stance": only,
        "conflicts": conflicts,
        "timeline": sorted(
            timeline.values(),
            key=lambda e: (e["source"].published_on is None, e["source"].published_on),
        ),
        "source_count": len({e.source_id for e in evidence}),
        # Where the claim appears, for its ClaimReviews.
        "appearances": Appearances(
            _appearing_sources(evidence, whole), by_id[first.pk] if first else None
        ),
    }


def value_picture(claim) -> str:
    """The SVG of the claim's values alone, as its page draws it (for its og:image).

    `claim` carries its positions (ClaimQuerySet.with_positions()) and `statement` set.
    """
    evidence, _whole_ = _read(claim, None, set())
    _positions_, held = _positions(list(claim.positions.all()), evidence)
    valued = [e.pk for e in evidence if e.has_value]
    by_id = _named(evidence, set(valued))
    picture, _marks_ = _value_picture(claim, [by_id[pk] for pk in valued], held)
    return picture
