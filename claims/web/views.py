"""The public reader pages: claim index, claim, source and entity pages.

Reads go through the models' QuerySet methods with `visible_to(request.user)`, so an
anonymous reader only ever sees published claims and the quotes and sources they use.
Each page runs a fixed number of queries, however many quotes it shows.

Query parameters are read through small forms: a malformed search, slug or page number
answers 400 with a one-line plain-text message naming the parameter; a page past the last
shows the last (the ledger may have shrunk since the link was made). Filters with a fixed
set of values (disputed, verdict, stance, script) ignore a value they do not know.
"""

import json
from collections import defaultdict
from functools import wraps

from django import forms
from django.core.paginator import Paginator
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
)
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from claims.cache import always, cache_published, conditional
from claims.jsonld import claim_review, organization, position_reviews
from claims.models import (
    DISPUTING_STATUSES,
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    Entity,
    Quote,
    Topic,
    Verdict,
)
from claims.querysets import sources_visible_to
from claims.search import MAX_QUERY_LENGTH, search_claims
from claims.web import display, labels, og_image, passages
from claims.web.claim_page import STANCE_ORDER, claim_page, value_picture
from claims.web.claim_reads import read_claim
from domain.text import to_simplified, to_traditional
from ledger.site import absolute_url
from sources.models import Language

PAGE_SIZE = 20
VERDICT_CHOICES = [value for value in Verdict.values if value]
SCRIPTS = {"hans": to_simplified, "hant": to_traditional}
SCRIPT_LANGUAGES = {"hans": Language.ZH_HANS, "hant": Language.ZH_HANT}
# JSON inside <script> must not be able to close the element.
_SCRIPT_SAFE = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"}


# Query parameters


class PageQuery(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


class IndexQuery(PageQuery):
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False)
    entity = forms.SlugField(max_length=Entity._meta.get_field("slug").max_length, required=False)
    topic = forms.SlugField(max_length=Topic._meta.get_field("slug").max_length, required=False)


def query(form_class):
    """Hand the view its parameters, read by `form_class`, as `query`; or answer 400."""

    def decorate(view):
        @wraps(view)
        def read(request, *args, **kwargs):
            form = form_class(request.GET)
            if not form.is_valid():
                name, errors = next(iter(form.errors.items()))
                return HttpResponseBadRequest(
                    f"{name}: {errors[0]}\n", content_type="text/plain; charset=utf-8"
                )
            return view(request, *args, query=form.cleaned_data, **kwargs)

        return read

    return decorate


# Conditional GET (claims.cache.conditional): whether a page is there for this reader.


def _claim_exists(request, slug):
    return Claim.objects.visible_to(request.user).filter(slug=slug).exists()


def _source_exists(request, pk):
    return sources_visible_to(request.user).filter(pk=pk).exists()


def _entity_exists(request, slug):
    return Entity.objects.visible_to(request.user).filter(slug=slug).exists()


# Rows of claims (index and entity pages)


def _claim_rows(claims):
    """Claims with what a row shows: statement, verdict, sources agreeing and conflicting."""
    claims = list(claims)
    in_conflict = defaultdict(set)
    # From the claims' live conflicts to their quotes' sources: a claim may have 10,000
    # assertions and only a few dozen conflicts.
    pairs = (
        Conflict.objects.filter(claim__in=[c.pk for c in claims], status__in=DISPUTING_STATUSES)
        .order_by()
        .values_list("claim_id", "first__quote__source_id", "second__quote__source_id")
    )
    if claims:
        for claim_id, *source_ids in pairs:
            in_conflict[claim_id].update(source_ids)
    for claim in claims:
        claim.statement = display.statement(claim)
        claim.verdict_label = labels.VERDICTS[claim.verdict]
        claim.conflicting_sources = len(in_conflict[claim.pk])
        claim.agreeing_sources = claim.source_count - claim.conflicting_sources
    return claims


def _page_of_claim_rows(number: int | None, claims):
    """Page `number` of PAGE_SIZE claims, as rows."""
    page = Paginator(claims, PAGE_SIZE).get_page(number)
    page.object_list = _claim_rows(page.object_list)
    return page


def _listed(request):
    return Claim.objects.visible_to(request.user).with_counts()


@cache_published()
@conditional(always)
@query(IndexQuery)
def claim_index(request, query):
    claims = _listed(request).order_by("-updated_at", "pk")
    visible = Claim.objects.visible_to(request.user)
    filters = {
        "disputed": request.GET.get("disputed", ""),
        "verdict": request.GET.get("verdict", ""),
        "entity": query["entity"],
        "topic": query["topic"],
        "q": query["q"],
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
    page = _page_of_claim_rows(query["page"], claims)
    # EXISTS, not a DISTINCT join: each entity needs one visible claim, not all of them.
    entities = Entity.objects.filter(Exists(visible.filter(subjects=OuterRef("pk")).order_by()))
    topics = Topic.objects.filter(Exists(visible.filter(topics=OuterRef("pk")).order_by()))
    return render(
        request,
        "claims/index.html",
        {
            "page": page,
            "filters": filters,
            "filtering": any(filters.values()),
            "verdicts": [(value, labels.VERDICTS[value]) for value in VERDICT_CHOICES],
            "canonical_url": absolute_url(request.get_full_path()),
            # The filters' choices, (slug, name) by name.
            "entities": [(e.slug, display.name(e)) for e in entities.order_by("name")],
            "topics": [(t.slug, display.name(t)) for t in topics.order_by("name")],
        },
    )


# The claim page (its evidence, conflicts and picture: claims.web.claim_page)


@cache_published()
@conditional(_claim_exists)
@query(PageQuery)
def claim_detail(request, slug, query):
    found = read_claim(slug, request.user)
    if found is None:
        raise Http404("no such claim")
    claim, reads = found
    claim.statement = display.statement(claim)
    only = request.GET.get("stance")
    context = claim_page(
        claim,
        reads,
        only=only if only in STANCE_ORDER else None,
        page=str(query["page"] or 1),
    )
    url = absolute_url(reverse("web:claim-detail", args=[claim.slug]))
    appearances = context.pop("appearances")
    links = display.Links()
    cited = {
        "url": url,
        "publisher": organization(absolute_url(reverse("web:claim-index"))),
        "source_url": lambda s: absolute_url(links("web:source-detail", s.pk)),
        "language": translation.get_language(),
    }
    review = claim_review(
        claim,
        **cited,
        statement=claim.statement,
        verdict_label=str(labels.VERDICTS[claim.verdict]),
        appearances=appearances,
    )
    # One ClaimReview per rated position, then the claim's own (a JSON-LD list).
    sources = {s.pk: s for s in appearances.sources}
    reviews = position_reviews(claim, **cited, sources=sources, positions=context["positions"])
    reviews += [review] if review else []
    return render(
        request,
        "claims/claim_detail.html",
        {
            **context,
            "claim": claim,
            "verdict_label": labels.VERDICTS[claim.verdict],
            "unpublished": claim.status != ClaimStatus.PUBLISHED,
            "canonical_url": url,
            "picture_url": absolute_url(reverse("web:claim-picture", args=[claim.slug])),
            "picture_alt": _("Values the sources give for: %(statement)s")
            % {"statement": claim.statement},
            "picture_width": og_image.WIDTH,
            "json_ld": _script_json(reviews[0] if len(reviews) == 1 else reviews)
            if reviews
            else "",
        },
    )


@cache_published()
@conditional(_claim_exists)
def claim_picture(request, slug):
    """The claim's value picture as a PNG (its og:image); 404 when it has no value to draw."""
    claim = get_object_or_404(Claim.objects.visible_to(request.user).with_positions(), slug=slug)
    claim.statement = display.statement(claim)
    picture = value_picture(claim)
    if not picture:
        raise Http404("no value to draw")
    return HttpResponse(og_image.png(picture), content_type="image/png")


# The source page


@cache_published()
@conditional(_source_exists)
def source_detail(request, pk):
    source = get_object_or_404(sources_visible_to(request.user), pk=pk)
    quotes = list(
        Quote.objects.visible_to(request.user)
        .filter(source=source)
        .select_related("speaker")
        .prefetch_related(
            Prefetch(
                "assertions",
                queryset=Assertion.objects.visible_to(request.user)
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
        if quote.speaker:
            quote.speaker.display_name = display.name(quote.speaker)
        quote.links = [(a.claim, a.pk) for a in quote.assertions.all()]
        for claim, _assertion in quote.links:
            claim.statement = display.statement(claim)
        quote.href = (
            reverse("web:claim-detail", args=[quote.links[0][0].slug])
            + f"#assertion-{quote.links[0][1]}"
        )
        by_id[quote.pk] = quote
    # An unplaced quote's offsets may no longer point at its words: listed, not highlighted.
    anchored = [(q.pk, q.start, q.end) for q in quotes if q.is_placed]
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
            # ?script= converts the title with the text.
            "title": convert(source.title) if convert else source.title,
            "date_label": display.publication_date(source),
            "note": display.reader_note(source),
            "script": script if convert else "",
            "chinese_text": chinese_text,
            "text_language": SCRIPT_LANGUAGES[script] if convert else source.language,
            "language_label": labels.LANGUAGES.get(source.language, source.language),
            "kind_label": labels.SOURCE_KINDS.get(source.kind, source.kind),
            "canonical_url": absolute_url(request.path),
        },
    )


# The entity page


@cache_published()
@conditional(_entity_exists)
@query(PageQuery)
def entity_detail(request, slug, query):
    entity = get_object_or_404(Entity.objects.prefetch_related("aliases"), slug=slug)
    page = _page_of_claim_rows(
        query["page"], _listed(request).filter(subjects=entity).order_by("-updated_at", "pk")
    )
    # The latest of what they said; the rest is on the claim pages.
    quoted = list(
        Quote.objects.visible_to(request.user)
        .filter(speaker=entity)
        .select_related("source")
        .defer("source__text", "source__search_text", "search_text")
        .order_by(F("source__published_on").desc(nulls_last=True), "-pk")
        .prefetch_related(
            Prefetch(
                "assertions",
                queryset=Assertion.objects.visible_to(request.user).select_related("claim"),
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
            claim.statement = display.statement(claim)
    entity.display_name = display.name(entity)
    return render(
        request,
        "claims/entity_detail.html",
        {
            "entity": entity,
            **dict(
                zip(
                    ("description", "description_lang"),
                    display.in_language(entity, "description"),
                    strict=True,
                )
            ),
            "aliases": [a.name for a in entity.aliases.all() if a.name != entity.display_name],
            "page": page,
            "quoted": quoted,
            "more_quoted": more_quoted,
            "canonical_url": absolute_url(request.path),
        },
    )


def _script_json(value) -> str:
    # Unindented: json's C encoder writes only that (indented, it ran in Python, 3× slower).
    text = json.dumps(value, ensure_ascii=False)
    # Not str.translate(): it takes 5 ms over the 50 KB review of a claim with 1,000 quotes.
    for char, escaped in _SCRIPT_SAFE.items():
        text = text.replace(char, escaped)
    return mark_safe(text)
