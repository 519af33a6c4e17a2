"""Reader pages in each language at their own URL: /en/…, /zh-hans/… and /zh-hant/….

Each reader page lives under a language prefix (ledger/urls.py, Django's i18n_patterns), so
search engines see every language and a cached page is one URL's. An old URL without the
prefix redirects to the reader's language (LocaleMiddleware: cookie, Accept-Language, else
English). Traditional Chinese is the simplified text through OpenCC: the interface's catalog
(locale/zh_Hant, made by `manage.py traditional_catalog`) and the ledger's own Chinese text
(claims.web.display), never the quotes, which stay as their sources wrote them.
"""

from django.conf import settings
from django.utils import translation

from ledger.site import absolute_url

TRADITIONAL = "zh-hant"
# BCP 47 tags, as lang and hreflang attributes write them.
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
# What the language switch calls each language, in that language.
SWITCH_NAMES = {"en": "English", "zh-hans": "简体中文", "zh-hant": "繁體中文"}
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN", "zh-hant": "zh_TW"}


def html_lang(code: str | None = None) -> str:
    code = code or translation.get_language()
    return HTML_LANG.get(code, code)


def traditional() -> bool:
    return translation.get_language() == TRADITIONAL


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def prefix_of(path: str) -> str | None:
    """The language code a path starts with ("/zh-hans/claims/x/" → "zh-hans"), if any."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in codes() else None


def in_language(path: str, code: str | None) -> str:
    """The same page in language `code`; `None` gives the unprefixed URL, which redirects
    each reader to their own language (the hreflang x-default). Reader URLs have no
    translated words, so the page is the path with its first segment swapped."""
    current = prefix_of(path)
    rest = path[len(current) + 1 :] if current else path
    return f"/{code}{rest}" if code else rest


def alternates(path: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of a page in every language, then x-default."""
    return [(html_lang(code), absolute_url(in_language(path, code))) for code in codes()] + [
        ("x-default", absolute_url(in_language(path, None)))
    ]


def page_alternates(canonical_url: str) -> list[tuple[str, str]]:
    """alternates() of the page at `canonical_url` (on settings.SITE_URL); none for a page
    outside the language prefixes."""
    path = canonical_url.removeprefix(settings.SITE_URL)
    return alternates(path) if prefix_of(path) else []


def switch(full_path: str) -> list[dict]:
    """The language switch: this page (with its query) in each language."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "lang": html_lang(code),
            "name": SWITCH_NAMES.get(code, code),
            "href": in_language(full_path, code),
            "current": code == current,
        }
        for code in codes()
    ]


def reader_languages(request=None) -> dict:
    """What base.html says of languages: its lang attribute, og:locale and the switch (only
    on a page under a language prefix)."""
    code = translation.get_language()
    prefixed = request is not None and prefix_of(request.path)
    return {
        "html_lang": html_lang(code),
        "og_locale": OG_LOCALES.get(code, "en_US"),
        "language_switch": switch(request.get_full_path()) if prefixed else [],
    }
