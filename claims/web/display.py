"""How the ledger's things read in the reader's language: statements, names, sources."""

from urllib.parse import quote

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from claims.web import languages
from domain.citations import cited_keys, replace_source_marks
from domain.text import chinese_punctuation, to_traditional
from sources.models import Source

# A source's short name in the picture's labels, where the width is that of a phone.
SHORT_TITLE = 16
# Stands in for an id or slug while a URL name is reversed: a valid int and a valid slug.
_ARGUMENT = "9876543210"


def chinese() -> bool:
    return translation.get_language().startswith("zh")


def language_code() -> str:
    """ "zh" or "en", as domain.values takes it."""
    return "zh" if chinese() else "en"


def statement(claim) -> str:
    if chinese() and claim.statement_zh:
        return ledger_chinese(claim.statement_zh)
    return claim.statement_en


def ledger_chinese(text: str) -> str:
    """The ledger's own Chinese text (written in simplified) as this page shows it: with
    Chinese punctuation, and in traditional script on a traditional page."""
    text = chinese_punctuation(text)
    return to_traditional(text) if languages.traditional() else text


def chinese_or_english(chinese_text: str, english: str) -> str:
    """A field's Chinese text on a Chinese page where there is one, else its English."""
    return ledger_chinese(chinese_text) if chinese() and chinese_text else english


def in_language(thing, field: str) -> tuple[str, str]:
    """(text, lang) of a reader-facing field: its Chinese text on a Chinese page, else the
    English one, marked "en" so that readers and screen readers know."""
    english = getattr(thing, field)
    if chinese():
        translated = getattr(thing, f"{field}_zh")
        if translated:
            return ledger_chinese(translated), languages.html_lang()
        return english, "en" if english else languages.html_lang()
    return english, "en"


def name(entity_or_topic) -> str:
    return chinese_or_english(entity_or_topic.name_zh, entity_or_topic.name)


def short(text: str, limit: int = SHORT_TITLE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_name(source) -> str:
    return source.outlet or short(source.title)


def source_citation(source) -> str:
    """A source as a rationale cites it: its outlet and title, “…” or 《…》 by language."""
    title = f"《{source.title}》" if chinese() else f"“{source.title}”"
    if not source.outlet:
        return title
    return f"{source.outlet}{title}" if chinese() else f"{source.outlet}, {title}"


def publication_date(source) -> str:
    """A source's date as far as it is known (year, month or day), and "date not stated"
    when the source does not print it and the ledger inferred it."""
    day = source.published_on
    if day is None:
        return _("undated")
    if source.published_precision == "year":
        known = formats.date_format(day, "Y") + ("年" if chinese() else "")
    elif source.published_precision == "month":
        known = formats.date_format(day, "YEAR_MONTH_FORMAT")
    else:
        known = formats.date_format(day, "DATE_FORMAT")
    if not source.published_stated:
        return _("date not stated (about %(date)s)") % {"date": known}
    return known


def reader_note(source) -> tuple[str, str]:
    """(text, lang) of a source's reader note, as in_language gives a field."""
    return in_language(source, "reader_note")


class Links:
    """URLs of one argument (a source's id, an entity's slug) for one page: reverse() works
    out a URL name afresh on every call, and took a third of the claim page's shaping for
    its few dozen links, so each name is reversed once a page and the argument set in."""

    def __init__(self):
        self._around = {}

    def __call__(self, name: str, argument) -> str:
        if name not in self._around:
            before, after = reverse(name, args=[_ARGUMENT]).split(_ARGUMENT)
            self._around[name] = before, after
        before, after = self._around[name]
        return f"{before}{quote(str(argument), safe='')}{after}"


def with_citations(texts: list[str]) -> list[str]:
    """Each text as HTML, line breaks kept, its `[[source:N]]` marks linked to the sources
    under the names readers see; one query for all of them."""
    ids = {int(key) for text in texts for key in cited_keys(text) if key.isdigit()}
    sources = Source.objects.only("pk", "title", "outlet").in_bulk(ids) if ids else {}

    def cite(key: str) -> str:
        source = sources.get(int(key)) if key.isdigit() else None
        if source is None:
            return ""
        return format_html(
            '<a class="cited-source" href="{}">{}</a>',
            reverse("web:source-detail", args=[source.pk]),
            source_citation(source),
        )

    return [
        mark_safe(replace_source_marks(text, cite, lambda part: linebreaksbr(part, True)))
        for text in texts
    ]
