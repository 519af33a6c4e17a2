"""Writes to sources: import with deduplication, and text corrections that re-anchor quotes."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import LedgerState
from claims.search import search_sources_sharing
from sources.models import DatePrecision, Language, Source, SourceKind
from sources.text import (
    NEAR_DUPLICATE,
    TextError,
    comparable_text,
    fold_for_search,
    normalize_text,
    sha256_of,
    similarity,
)

# How many sources sharing passages with a new text are compared with it in full.
LIKELY_COPIES = 20


def clean_text(value: str, field_name: str) -> str:
    """Normalised text, or a ValidationError naming the field."""
    try:
        return normalize_text(value)
    except TextError as error:
        raise ValidationError({field_name: f"{field_name} {error}"}) from error


def source_search_text(title: str, text: str) -> str:
    return fold_for_search(f"{title}\n{text}")


@transaction.atomic
def source_import(
    *,
    title: str,
    text: str,
    language: str,
    outlet: str = "",
    author: str = "",
    url: str = "",
    published_on: date | None = None,
    published_precision: str = DatePrecision.DAY,
    kind: str = SourceKind.NEWS,
) -> tuple[Source, bool]:
    """The source with this text, created if new; the flag says whether it was created."""
    text = clean_text(text, "text")
    fields = {
        name: clean_text(value, name)
        for name, value in {"title": title, "outlet": outlet, "author": author, "url": url}.items()
    }
    if not text.strip():
        raise ValidationError({"text": "text is empty"})
    if not fields["title"].strip():
        raise ValidationError({"title": "title is empty"})
    if language not in Language.values:
        raise ValidationError({"language": f"language must be one of {', '.join(Language.values)}"})
    digest = sha256_of(text)
    existing = Source.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    source = Source(
        text=text,
        sha256=digest,
        language=language,
        published_on=published_on,
        published_precision=published_precision,
        kind=kind,
        search_text=source_search_text(fields["title"], text),
        **fields,
    )
    source.full_clean(exclude=["sha256", "search_text"])
    source.save()
    LedgerState.record_change()
    return source, True


@dataclass(frozen=True)
class Likeness:
    """A source whose text is like another's: `same` once punctuation and whitespace are
    set aside, `identical` character for character."""

    source: Source
    similarity: float
    same: bool
    identical: bool


def sources_like(*, text: str) -> list[Likeness]:
    """The sources whose text is this one's, or nearly (similarity ≥ NEAR_DUPLICATE), once
    quotes, punctuation and whitespace are set aside; the most alike first."""
    text = clean_text(text, "text")
    digest, mine = sha256_of(text), comparable_text(text)
    candidates = search_sources_sharing(
        Source.objects.only("pk", "title", "text", "sha256"), text, LIKELY_COPIES
    )
    found = []
    for source in candidates:
        alike = similarity(text, source.text)
        if alike >= NEAR_DUPLICATE:
            same = comparable_text(source.text) == mine
            found.append(Likeness(source, alike, same, source.sha256 == digest))
    return sorted(found, key=lambda like: (-like.similarity, like.source.pk))


EDITABLE_SOURCE_FIELDS = {
    "title",
    "outlet",
    "author",
    "url",
    "published_on",
    "published_precision",
    "language",
    "kind",
}


@transaction.atomic
def source_update(*, source: Source, user=None, **fields) -> Source:
    """Change a source's description; its text changes only through source_correct_text."""
    if unknown := set(fields) - EDITABLE_SOURCE_FIELDS:
        raise ValidationError({name: f"{name} cannot be changed here" for name in unknown})
    current = Source.objects.select_for_update().get(pk=source.pk)
    for name in ("title", "outlet", "author", "url"):
        if name in fields:
            fields[name] = clean_text(fields[name] or "", name)
    if "title" in fields and not fields["title"].strip():
        raise ValidationError({"title": "title is empty"})
    for name, value in fields.items():
        setattr(current, name, value)
    current.search_text = source_search_text(current.title, current.text)
    current.full_clean(exclude=["sha256", "search_text"])
    current.save()
    LedgerState.record_change()
    return current


@dataclass
class ReanchorReport:
    kept: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    fuzzy: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)


@transaction.atomic
def source_correct_text(*, source: Source, text: str) -> ReanchorReport:
    """Replace a source's text; its quotes re-anchor, and those that cannot are orphaned."""
    from claims.services import quotes_reanchor

    text = clean_text(text, "text")
    digest = sha256_of(text)
    clash = Source.objects.filter(sha256=digest).exclude(pk=source.pk).first()
    if clash is not None:
        raise ValidationError({"text": f"another source (id {clash.pk}) has exactly this text"})
    source.text = text
    source.sha256 = digest
    source.search_text = source_search_text(source.title, text)
    source.save()
    LedgerState.record_change()
    return quotes_reanchor(source=source)
