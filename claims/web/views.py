"""The public reader pages: claim index, claim, source and entity pages.

Reads go through the models' QuerySet methods with `visible_to(request.user)`, so an
anonymous reader only ever sees published claims and the quotes and sources they use.
Each page runs a fixed number of queries, however many quotes it shows.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_cookie

from claims.api.exports import Appearances, claim_review, organization
from claims.cache import cache_published
from claims.models import (
    DISPUTING_STATUSES,
    EVIDENCE_ORDER,
    EVIDENCE_UNSHOWN,
    AnchorState,
    Assertion,
    Claim,
    ClaimKind,
    ClaimStatus,
    Conflict,
    Entity,
    LedgerState,
    Quote,
    Stance,
    Topic,
    Verdict,
    is_reviewer,
)
from claims.search import search_claims
from claims.web import labels, passages, svg
from claims.web.values import compact_number, describe, unit_name
from sources.models import Language, Source
from sources.text import to_simplified, to_traditional

PAGE_SIZE = 20
CARDS_PER_STANCE = 30
CARDS_PER_PAGE = 100
# A source's short name in the picture's labels, where the width is that of a phone.
SHORT_TITLE = 16
VERDICT_CHOICES = [value for value in Verdict.values if value]
STANCE_ORDER = [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.QUALIFIES, Stance.MENTIONS]
SCRIPTS = {"hans": to_simplified, "hant": to_traditional}
SCRIPT_LANGUAGES = {"hans": Language.ZH_HANS, "hant": Language.ZH_HANT}
# JSON inside <script> must not be able to close the element.
_SCRIPT_SAFE = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"}


def _chinese() -> bool:
    return translation.get_language().startswith("zh")


def _language_code() -> str:
    return "zh" if _chinese() else "en"


def _statement(claim: Claim) -> str:
    return claim.statement_zh if _chinese() and claim.statement_zh else claim.statement_en


def _name(entity_or_topic) -> str:
    return (
        entity_or_topic.name_zh if _chinese() and entity_or_topic.name_zh else entity_or_topic.name
    )


def _short(text: str, limit: int = SHORT_TITLE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source_name(source: Source) -> str:
    return source.outlet or _short(source.title)


# Conditional GET: one cheap query names the state of what a page shows.


def _ledger_version(request, *args, **kwargs):
    """The ledger's generation and last change: every write moves them on."""
    return LedgerState.current()


def _claim_version(request, slug):
    """The claim with the ledger's generation: any write may change what its page shows (a
    source's title, an entity's name), and one row is cheaper to read than the latest change
    among a claim's quotes and sources (20 ms for a claim with 1,000 assertions)."""
    claims = Claim.objects.visible_to(request.user).filter(slug=slug)
    pk = claims.values_list("pk", flat=True).first()
    return None if pk is None else (pk, *LedgerState.current())


def conditional(version):
    """ETag and Last-Modified from `version`, computed once per request, so repeats get 304.

    The ETag also names the language, the reader's kind and the query string, which change
    the page without changing the data.
    """

    def state(request, *args, **kwargs):
        if not hasattr(request, "_ledger_state"):
            request._ledger_state = version(request, *args, **kwargs)
        return request._ledger_state

    def etag(request, *args, **kwargs):
        found = state(request, *args, **kwargs)
        if found is None:
            return None
        parts = [
            *found,
            translation.get_language(),
            is_reviewer(request.user),
            request.GET.urlencode(),
        ]
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]

    def last_modified(request, *args, **kwargs):
        found = state(request, *args, **kwargs)
        stamps = [value for value in found or () if hasattr(value, "tzinfo")]
        return max(stamps) if stamps else None

    def decorate(view):
        return vary_on_cookie(condition(etag_func=etag, last_modified_func=last_modified)(view))

    return decorate


# Rows of claims (index and entity pages)


def _claim_rows(claims):
    """Claims with what a row shows: statement, verdict, sources agreeing and conflicting."""
    claims = list(claims)
    in_conflict = defaultdict(set)
    disputing = Conflict.objects.filter(status__in=DISPUTING_STATUSES)
    rows = (
        Assertion.objects.filter(claim__in=[c.pk for c in claims])
        .filter(
            Exists(disputing.filter(first=OuterRef("pk")))
            | Exists(disputing.filter(second=OuterRef("pk")))
        )
        .order_by()
        .values_list("claim_id", "quote__source_id")
        .distinct()
    )
    if claims:
        for claim_id, source_id in rows:
            in_conflict[claim_id].add(source_id)
    for claim in claims:
        claim.statement = _statement(claim)
        claim.verdict_label = labels.VERDICTS[claim.verdict]
        claim.is_disputed = claim.open_conflict_count > 0
        claim.conflicting_sources = len(in_conflict[claim.pk])
        claim.agreeing_sources = claim.source_count - claim.conflicting_sources
    return claims


def _claim_page(request, claims):
    """The `?page=` of PAGE_SIZE claims, as rows."""
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _claim_rows(page.object_list)
    return page


def _listed(request):
    return Claim.objects.visible_to(request.user).with_counts()


@cache_published()
@conditional(_ledger_version)
def claim_index(request):
    claims = _listed(request).order_by("-updated_at", "pk")
    visible = Claim.objects.visible_to(request.user)
    filters = {
        "disputed": request.GET.get("disputed", ""),
        "verdict": request.GET.get("verdict", ""),
        "entity": request.GET.get("entity", ""),
        "topic": request.GET.get("topic", ""),
        "q": request.GET.get("q", "").strip(),
    }
    if filters["disputed"] in ("yes", "no"):
        claims = claims.disputed(filters["disputed"] == "yes")
    if filters["verdict"] in VERDICT_CHOICES:
        claims = claims.filter(verdict=filters["verdict"])
    if filters["entity"]:
        claims = claims.filter(subjects__slug=filters["entity"])
    if filters["topic"]:
        claims = claims.filter(topics__slug=filters["topic"])
    if filters["q"]:
        claims = search_claims(claims, filters["q"])
    page = _claim_page(request, claims)
    # EXISTS, not a DISTINCT join: each entity needs one visible claim, not all of them.
    entities = list(
        Entity.objects.filter(Exists(visible.filter(subjects=OuterRef("pk")).order_by())).order_by(
            "name"
        )
    )
    topics = list(
        Topic.objects.filter(Exists(visible.filter(topics=OuterRef("pk")).order_by())).order_by(
            "name"
        )
    )
    for item in (*entities, *topics):
        item.display_name = _name(item)
    return render(
        request,
        "claims/index.html",
        {
            "page": page,
            "filters": filters,
            "filtering": any(filters.values()),
            "verdicts": [(value, labels.VERDICTS[value]) for value in VERDICT_CHOICES],
            "entities": entities,
            "topics": topics,
        },
    )


# The claim page


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
            name = _source_name(a.quote.source)
            if a.quote.speaker:
                name += f" ({_name(a.quote.speaker)})"
            names.append(name)
        shown = " · ".join(names[:2])
        if len(names) > 2:
            shown += " " + _("and %(count)s more") % {"count": len(names) - 2}
        prefix = {Stance.CONTRADICTS: _("denies"), Stance.MENTIONS: _("mentions")}.get(stance)
        prefix = f"{prefix} " if prefix else ""
        conflicting = any(a.pk in conflicting_ids for a in members)
        detail = "; ".join(
            f"{_name(a.quote.speaker) + ', ' if a.quote.speaker else ''}"
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
    language = _language_code()
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


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


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
class _Evidence:
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


def _evidence(claim, conflicting_ids) -> list[_Evidence]:
    rows = claim.assertions.order_by(*EVIDENCE_ORDER).values_list(
        "pk", "stance", "quote__source_id", "quote__source__published_on", "value_kind"
    )
    return [
        _Evidence(pk, stance, source_id, published_on, bool(kind), pk in conflicting_ids)
        for pk, stance, source_id, published_on, kind in rows
    ]


def _columns(evidence: list[_Evidence], only: str | None, page: str):
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


def _first_appearance(evidence: list[_Evidence]) -> _Evidence | None:
    """Where the claim first appears, as claim_appearances() finds it: the earliest dated
    of its assertions that do more than mention it, else the first of them."""
    appearing = [e for e in evidence if e.stance != Stance.MENTIONS]
    return next((e for e in appearing if e.published_on), appearing[0] if appearing else None)


def _named(evidence: list[_Evidence], ids) -> dict:
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


def _appearing_sources(evidence: list[_Evidence]):
    """The sources of the assertions that do more than mention the claim, in evidence order."""
    return (
        Source.objects.filter(pk__in={e.source_id for e in evidence if e.stance != Stance.MENTIONS})
        .order_by("published_on", "pk")
        .defer("text", "search_text", "created_at", "updated_at")
    )


@cache_published()
@conditional(_claim_version)
def claim_detail(request, slug):
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user)
        .with_disputed()
        .prefetch_related("subjects", "topics", "conflicts"),
        slug=slug,
    )
    claim.statement = _statement(claim)
    language = _language_code()
    only = request.GET.get("stance")
    only = only if only in STANCE_ORDER else None
    # Live disputes first, then the settled ones.
    conflicts = sorted(
        claim.conflicts.all(), key=lambda c: (c.status not in DISPUTING_STATUSES, c.pk)
    )
    conflicting_ids = {
        i for c in conflicts if c.status in DISPUTING_STATUSES for i in c.assertion_ids
    }
    # Every assertion is read as a row; only those the page names are read whole: the
    # cards shown, the conflicts' pairs, the values in the picture, the first appearance.
    evidence = _evidence(claim, conflicting_ids)
    columns = _columns(evidence, only, request.GET.get("page", "1"))
    first = _first_appearance(evidence)
    by_id = _named(
        evidence,
        {e.pk for e in evidence if e.shown or e.has_value}
        | {i for c in conflicts for i in c.assertion_ids}
        | ({first.pk} if first else set()),
    )
    groups = []
    for stance, members, cards, page in columns:
        if page is not None:
            page.object_list = [by_id[e.pk] for e in page.object_list]
        more = len(members) - len(cards) if cards is not None else 0
        cards = [by_id[e.pk] for e in cards] if cards is not None else page
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
        a.source_name = _source_name(a.quote.source)
        if a.quote.speaker:
            a.quote.speaker.display_name = _name(a.quote.speaker)
    # The timeline places the quotes shown above; every source is counted.
    timeline = {}
    for a in shown:
        entry = timeline.setdefault(a.quote.source_id, {"source": a.quote.source, "values": []})
        entry["values"].append(a)
    for subject in claim.subjects.all():
        subject.display_name = _name(subject)
    for topic in claim.topics.all():
        topic.display_name = _name(topic)
    url = _absolute(request, reverse("web:claim-detail", args=[claim.slug]))
    review = claim_review(
        claim,
        url=url,
        publisher=organization(_absolute(request, reverse("web:claim-index"))),
        source_url=lambda s: _absolute(request, reverse("web:source-detail", args=[s.pk])),
        statement=claim.statement,
        language=translation.get_language(),
        verdict_label=str(labels.VERDICTS[claim.verdict]),
        # The sources are read only if the claim has a review.
        appearances=Appearances(_appearing_sources(evidence), by_id[first.pk] if first else None),
    )
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "verdict_label": labels.VERDICTS[claim.verdict],
            "unpublished": claim.status != ClaimStatus.PUBLISHED,
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
            "canonical_url": url,
            "json_ld": _script_json(review) if review else "",
        },
    )


# The source page


def _visible_quotes(request):
    return Quote.objects.visible_to(request.user)


def _visible_claims(request):
    return Claim.objects.visible_to(request.user)


@cache_published()
@conditional(_ledger_version)
def source_detail(request, pk):
    source = get_object_or_404(
        Source.objects.filter(Exists(_visible_quotes(request).filter(source=OuterRef("pk")))),
        pk=pk,
    )
    quotes = list(
        _visible_quotes(request)
        .filter(source=source)
        .select_related("speaker")
        .prefetch_related(
            Prefetch(
                "assertions",
                queryset=Assertion.objects.filter(claim__in=_visible_claims(request))
                .select_related("claim")
                .order_by("claim__statement_en"),
            )
        )
    )
    chinese_text = source.language in (Language.ZH_HANS, Language.ZH_HANT)
    script = request.GET.get("script", "")
    convert = SCRIPTS.get(script) if chinese_text else None
    by_id = {}
    for number, quote in enumerate(quotes, start=1):
        quote.number = number
        quote.links = [(a.claim, a.pk) for a in quote.assertions.all()]
        for claim, _assertion in quote.links:
            claim.statement = _statement(claim)
        quote.href = (
            reverse("web:claim-detail", args=[quote.links[0][0].slug])
            + f"#assertion-{quote.links[0][1]}"
        )
        by_id[quote.pk] = quote
    # An orphaned quote's offsets no longer point at its words: it is listed, not highlighted.
    anchored = [(q.pk, q.start, q.end) for q in quotes if q.anchor_state != AnchorState.ORPHANED]
    pieces = [
        {
            "text": piece.text,
            "quote_ids": " ".join(map(str, piece.quote_ids)),
            "mark_id": piece.starting[0] if piece.starting else None,
            # The innermost quote here links to the first claim it bears on.
            "href": by_id[piece.quote_ids[-1]].href if piece.quote_ids else "",
            "anchors": piece.starting[1:],
            "ended": [by_id[i] for i in piece.ending],
        }
        for piece in passages.segments(source.text, anchored, convert)
    ]
    return render(
        request,
        "claims/source_detail.html",
        {
            "source": source,
            "pieces": pieces,
            "quotes": quotes,
            "script": script if convert else "",
            "chinese_text": chinese_text,
            "text_language": SCRIPT_LANGUAGES[script] if convert else source.language,
            "language_label": labels.LANGUAGES.get(source.language, source.language),
            "kind_label": labels.SOURCE_KINDS.get(source.kind, source.kind),
            "canonical_url": _absolute(request, request.path),
        },
    )


# The entity page


@cache_published()
@conditional(_ledger_version)
def entity_detail(request, slug):
    entity = get_object_or_404(Entity.objects.prefetch_related("aliases"), slug=slug)
    page = _claim_page(
        request, _listed(request).filter(subjects=entity).order_by("-updated_at", "pk")
    )
    # The latest of what they said; the rest is on the claim pages.
    quoted = list(
        _visible_quotes(request)
        .filter(speaker=entity)
        .select_related("source")
        .defer("source__text", "source__search_text", "search_text")
        .order_by(F("source__published_on").desc(nulls_last=True), "-pk")
        .prefetch_related(
            Prefetch(
                "assertions",
                queryset=Assertion.objects.filter(
                    claim__in=_visible_claims(request)
                ).select_related("claim"),
            )
        )[: PAGE_SIZE + 1]
    )
    more_quoted = len(quoted) > PAGE_SIZE
    quoted = quoted[:PAGE_SIZE]
    if not page.paginator.count and not quoted:
        raise Http404("nothing public about this entity")
    for quote in quoted:
        quote.links = [(a.claim, a.pk) for a in quote.assertions.all()]
        for claim, _assertion in quote.links:
            claim.statement = _statement(claim)
    entity.display_name = _name(entity)
    return render(
        request,
        "claims/entity_detail.html",
        {
            "entity": entity,
            "aliases": [a.name for a in entity.aliases.all() if a.name != entity.display_name],
            "page": page,
            "quoted": quoted,
            "more_quoted": more_quoted,
            "canonical_url": _absolute(request, request.path),
        },
    )


def _script_json(value) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1)
    # Not str.translate(): it takes 5 ms over the 50 KB review of a claim with 1,000 quotes.
    for char, escaped in _SCRIPT_SAFE.items():
        text = text.replace(char, escaped)
    return mark_safe(text)
