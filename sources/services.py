"""Writes to sources: import with deduplication, description edits and text corrections.

Nothing here knows of claims: each write sends `source_changed` in its transaction, and the
claims app answers it (its ledger state moves on; a corrected text re-anchors its quotes).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from domain.text import TextError, fold_for_search, normalize_text, sha256_of
from ledger.refusals import must_be_one_of, said
from sources.models import DatePrecision, Language, Source, SourceKind

# Sent inside the write's transaction with `source` and `change`: "imported", "described"
# or "corrected". Receivers' answers come back to the caller (a correction's re-anchoring).
source_changed = Signal()


def clean_text(value: str, field_name: str) -> str:
    """Normalised text, or a ValidationError naming the field."""
    try:
        return normalize_text(value)
    except TextError as error:
        raise ValidationError(
            {field_name: _("%(field)s %(problem)s") % {"field": field_name, "problem": said(error)}}
        ) from error


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
        raise ValidationError({"text": _("text is empty")})
    if not fields["title"].strip():
        raise ValidationError({"title": _("title is empty")})
    if language not in Language.values:
        raise ValidationError({"language": must_be_one_of("language", Language.values)})
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
    source.full_clean(exclude=["sha256", "search_text", "scan_state"])
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # The same text imported at the same moment: the first one in is the source.
        existing = Source.objects.filter(sha256=digest).first()
        if existing is None:
            raise
        return existing, False
    source_changed.send(Source, source=source, change="imported")
    return source, True


EDITABLE_SOURCE_FIELDS = {
    "title",
    "outlet",
    "author",
    "url",
    "published_on",
    "published_precision",
    "published_stated",
    "language",
    "kind",
    "reader_note",
    "reader_note_zh",
}


@transaction.atomic
def source_update(*, source: Source, user=None, **fields) -> Source:
    """Change a source's description; its text changes only through source_correct_text."""
    if unknown := set(fields) - EDITABLE_SOURCE_FIELDS:
        raise ValidationError(
            {name: _("%(field)s cannot be changed here") % {"field": name} for name in unknown}
        )
    current = Source.objects.select_for_update().get(pk=source.pk)
    for name in ("title", "outlet", "author", "url", "reader_note", "reader_note_zh"):
        if name in fields:
            fields[name] = clean_text(fields[name] or "", name)
    if "title" in fields and not fields["title"].strip():
        raise ValidationError({"title": _("title is empty")})
    for name, value in fields.items():
        setattr(current, name, value)
    current.search_text = source_search_text(current.title, current.text)
    current.full_clean(exclude=["sha256", "search_text", "scan_state"])
    current.save()
    source_changed.send(Source, source=current, change="described")
    return current


@transaction.atomic
def source_correct_text(*, source: Source, text: str):
    """Replace a source's text; what the receivers of `source_changed` answer comes back
    (the claims app's re-anchoring report: its quotes re-anchor or are orphaned)."""
    text = clean_text(text, "text")
    digest = sha256_of(text)
    clash = Source.objects.filter(sha256=digest).exclude(pk=source.pk).first()
    if clash is not None:
        raise ValidationError(
            {"text": _("another source (id %(id)s) has exactly this text") % {"id": clash.pk}}
        )
    source.text = text
    source.sha256 = digest
    source.search_text = source_search_text(source.title, text)
    source.save()
    answers = source_changed.send(Source, source=source, change="corrected")
    return next((answer for _, answer in answers if answer is not None), None)
