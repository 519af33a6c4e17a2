"""Standard exports: schema.org ClaimReview and W3C Web Annotation JSON-LD.

The JSON-LD builders are plain functions of model instances and the URLs to cite, so the
API and the public pages produce the same documents. They read only what the caller
prefetched (Claim.objects.with_evidence()) or passed.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from claims.models import Assertion, Claim, ClaimStatus, EntityKind, Position, Quote, Stance
from claims.services import assertion_interval
from claims.web.languages import TRADITIONAL
from domain.citations import without_source_marks
from domain.text import chinese_punctuation, to_traditional
from sources.models import Source, SourceKind

PUBLISHER_NAME = "Claims ledger"
# Google asks for claimReviewed under 75 characters.
CLAIM_REVIEWED_LIMIT = 74
BEST_RATING, WORST_RATING = 5, 1
_WORK_TYPES = {SourceKind.NEWS: "NewsArticle", SourceKind.BLOG: "BlogPosting"}


def organization(url: str, name: str = PUBLISHER_NAME) -> dict:
    return {"@type": "Organization", "name": name, "url": url}


def shorten(text: str, limit: int = CLAIM_REVIEWED_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _timestamp(moment) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _creative_work(source: Source, source_url: Callable[[Source], str]) -> dict:
    work = {
        "@type": _WORK_TYPES.get(source.kind, "CreativeWork"),
        "url": source.url or source_url(source),
        "headline": shorten(source.title, 110),
        "inLanguage": source.language,
    }
    if source.published_on:
        work["datePublished"] = source.published_display
    if source.author:
        work["author"] = {"@type": "Person", "name": source.author}
    if source.outlet:
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work


def _rating(label: str, value: int | None) -> dict:
    """schema.org Rating of a verdict: its name, and its number where the scale has one."""
    rating = {"@type": "Rating", "alternateName": label}
    if value is not None:
        rating.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return rating


def _entity_author(entity) -> dict:
    kind = "Person" if entity.kind == EntityKind.PERSON else "Organization"
    return {"@type": kind, "name": entity.name}


def _claim_author(assertion: Assertion) -> dict | None:
    """Who made the claim where it first appeared: the speaker quoted, else the source."""
    speaker, source = assertion.quote.speaker, assertion.quote.source
    if speaker is not None:
        return _entity_author(speaker)
    if source.author:
        return {"@type": "Person", "name": source.author}
    if source.outlet:
        return {"@type": "Organization", "name": source.outlet}
    return None


@dataclass(frozen=True)
class Appearances:
    """Where a claim appears: the sources of its assertions that do more than mention it,
    in publication order, and the first such assertion in the source published first."""

    sources: Iterable[Source]
    first: Assertion | None


def first_appearance(evidence: Iterable, published_on: Callable):
    """Where the claim first appears, of its evidence in EVIDENCE_ORDER (publication order):
    the first dated item that does more than mention it, else the first such item.

    A source that only mentions the claim is not where the claim appears.
    """
    appearing = [item for item in evidence if item.stance != Stance.MENTIONS]
    return next((item for item in appearing if published_on(item)), next(iter(appearing), None))


def claim_appearances(claim: Claim) -> Appearances:
    """From the assertions Claim.objects.with_evidence() prefetched, in EVIDENCE_ORDER."""
    assertions = [a for a in claim.assertions.all() if a.stance != Stance.MENTIONS]
    sources = list({a.quote.source_id: a.quote.source for a in assertions}.values())
    return Appearances(sources, first_appearance(assertions, lambda a: a.quote.source.published_on))


def claim_review(
    claim: Claim,
    *,
    url: str,
    publisher: dict,
    source_url: Callable[[Source], str],
    statement: str | None = None,
    language: str = "en",
    verdict_label: str | None = None,
    appearances: Appearances | None = None,
) -> dict | None:
    """schema.org ClaimReview of a published claim with a verdict; None for any other claim.

    `url` is the page carrying the review, `publisher` the reviewing Organization
    (organization()), `source_url` the ledger's own page for a source without a URL.
    `statement` and `verdict_label` default to the English ones. `appearances` default to
    claim_appearances(claim), of a claim from Claim.objects.with_evidence(). Google's
    required and recommended properties are all present.
    https://developers.google.com/search/docs/appearance/structured-data/factcheck
    """
    if claim.status != ClaimStatus.PUBLISHED or not claim.verdict:
        return None
    statement = statement or claim.statement_en
    rating = _rating(verdict_label or claim.get_verdict_display(), claim.rating_value)
    item = {"@type": "Claim", "name": statement}
    appearances = appearances or claim_appearances(claim)
    if appearances.first:
        first = appearances.first.quote.source
        item["appearance"] = [_creative_work(s, source_url) for s in appearances.sources]
        item["firstAppearance"] = _creative_work(first, source_url)
        if first.published_on:
            item["datePublished"] = first.published_display
        author = _claim_author(appearances.first)
        if author:
            item["author"] = author
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": shorten(statement),
        "datePublished": (claim.published_at or claim.updated_at).date().isoformat(),
        "dateModified": _timestamp(claim.updated_at),
        "inLanguage": language,
        "author": publisher,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.rationale:
        review["reviewBody"] = without_source_marks(claim.rationale)
    return review


def position_reviews(
    claim: Claim,
    *,
    url: str,
    publisher: dict,
    source_url: Callable[[Source], str],
    language: str = "en",
    sources: Mapping[int, Source] | None = None,
    positions: Iterable[Position] | None = None,
) -> list[dict]:
    """One ClaimReview per rated position of a published claim: the position's statement as
    its main speaker made it, rated, with the sources that hold it.

    Reads `positions`, else the claim's, with their ratings and the ratings' speakers
    (querysets.ranked_positions(), or ClaimQuerySet.with_positions()), and, in
    one query, the sources they cite that are not in `sources` already.
    """
    if claim.status != ClaimStatus.PUBLISHED:
        return []
    zh = language.startswith("zh")

    def chinese(text: str) -> str:
        # The ledger's Chinese as the page shows it: with Chinese punctuation, and in
        # traditional script on a traditional page (the ledger writes simplified).
        text = chinese_punctuation(text)
        return to_traditional(text) if text and language == TRADITIONAL else text

    rated = []
    for position in claim.positions.all() if positions is None else positions:
        rating = next(iter(position.ratings_latest_first), None)
        statement = rating and ((chinese(rating.statement_zh) if zh else "") or rating.statement)
        if statement:
            rated.append((position, rating, statement))
    sources = dict(sources or {})
    missing = {i for position, _, _ in rated for i in position.source_ids} - sources.keys()
    if missing:
        sources.update(Source.objects.in_bulk(missing))
    reviews = []
    for position, rating, statement in rated:
        held = [sources[i] for i in position.source_ids if i in sources]
        item = {"@type": "Claim", "name": statement}
        if held:
            first = min(held, key=lambda s: (s.published_on is None, s.published_on, s.pk))
            item["appearance"] = [_creative_work(source, source_url) for source in held]
            item["firstAppearance"] = _creative_work(first, source_url)
            if first.published_on:
                item["datePublished"] = first.published_display
        if rating.speaker is not None:
            item["author"] = _entity_author(rating.speaker)
        review_rating = _rating(rating.get_verdict_display(), rating.rating_value)
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{url}#position-{position.rank + 1}",
            "claimReviewed": shorten(statement),
            "datePublished": rating.rated_at.date().isoformat(),
            "dateModified": _timestamp(rating.rated_at),
            "inLanguage": language,
            "author": publisher,
            "reviewRating": review_rating,
            "itemReviewed": item,
        }
        body = without_source_marks(
            (chinese(rating.rationale_zh) if zh else "") or rating.rationale
        )
        if body:
            review["reviewBody"] = body
        reviews.append(review)
    return reviews


def _assertion_text(assertion: Assertion) -> str:
    text = f"{assertion.get_stance_display()}: {assertion.claim.statement_en}"
    interval = assertion_interval(assertion)
    return f"{text} (value: {interval.describe()})" if interval else text


def quote_annotation(
    quote: Quote,
    assertions: Iterable[Assertion],
    *,
    id: str,
    source_id: str,
    claim_urls: Mapping[int, str],
) -> dict:
    """A W3C Web Annotation of a quote: what it asserts about each claim, and where it is.

    `source_id` is the URL of the text the offsets count into (code points of the stored,
    NFC-normalised text); `claim_urls` maps claim ids to the URLs to link them by.
    """
    body = []
    for assertion in assertions:
        body.append(
            {
                "type": "TextualBody",
                "value": _assertion_text(assertion),
                "format": "text/plain",
                "language": "en",
                "purpose": "assessing",
            }
        )
        body.append(
            {
                "type": "SpecificResource",
                "source": claim_urls[assertion.claim_id],
                "purpose": "linking",
            }
        )
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": id,
        "type": "Annotation",
        "motivation": "assessing" if body else "highlighting",
        "created": _timestamp(quote.created_at),
        "modified": _timestamp(quote.updated_at),
        "target": {
            "source": source_id,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": quote.exact,
                    "prefix": quote.prefix,
                    "suffix": quote.suffix,
                },
                {"type": "TextPositionSelector", "start": quote.start, "end": quote.end},
            ],
        },
    }
    if body:
        annotation["body"] = body
    return annotation
