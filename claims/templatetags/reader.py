"""What every reader page's head and header say about its languages (claims.web.languages)."""

from django import template
from django.conf import settings

from claims.web import display, languages

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_languages(context) -> dict:
    # Error pages may be rendered without a request: no switch then.
    return languages.reader_languages(context.get("request"))


@register.simple_tag
def hreflang_alternates(canonical_url: str) -> list[tuple[str, str]]:
    """The page at `canonical_url` (on settings.SITE_URL) in every language, and x-default."""
    path = canonical_url.removeprefix(settings.SITE_URL)
    return languages.alternates(path) if languages.prefix_of(path) else []


@register.filter
def html_lang(code: str) -> str:
    """A language code as a lang attribute writes it: "zh-hans" → "zh-Hans"."""
    return languages.html_lang(code)


@register.filter
def publication_date(source) -> str:
    """A source's date to the precision known, or that it is not stated (display)."""
    return display.publication_date(source)


@register.filter
def reader_note(source) -> tuple[str, str]:
    """(text, lang) of the note readers are shown about a source; text "" when none."""
    return display.reader_note(source)
