"""The Jinja2 environment of the reader pages (the templates in templates/jinja2/).

Reader pages are rendered by Jinja2, several times faster than Django's templates on a
claim page (benchmarks/README.md); the admin keeps Django's. The names below stand in for
the Django tags and filters the pages used: {% url %}, {% static %}, {% querystring %},
|date, |truncatechars and the reader tags (claims.web). Strings are translated with
Django's catalogs: {{ _("…") }} and {% trans %} blocks, trimmed as Django's
{% blocktranslate trimmed %}, which `manage.py makemessages` reads
(claims/management/commands/makemessages.py).
"""

from types import SimpleNamespace

from django.template import defaultfilters, defaulttags
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import template_localtime
from jinja2 import Environment, Undefined

from claims.web import display, languages


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def querystring(request, **changes) -> str:
    """The request's query string with `changes` made, as Django's {% querystring %}."""
    return defaulttags.querystring(SimpleNamespace(request=request), **changes)


def date(value, format_string: str) -> str:
    """A date or time in the reader's time zone and language, as Django's |date."""
    return defaultfilters.date(template_localtime(value), format_string)


def environment(**options) -> Environment:
    # A missing value prints nothing, as in Django's templates, with DEBUG on or off: Django
    # would print it as "{{ name }}" in development and tests only.
    options["undefined"] = Undefined
    env = Environment(extensions=["jinja2.ext.i18n"], keep_trailing_newline=True, **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    # As Django's {% blocktranslate trimmed %}: one message per block, whatever its lines.
    env.policies["ext.i18n.trimmed"] = True
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        reader_languages=languages.reader_languages,
        hreflang_alternates=languages.page_alternates,
    )
    env.filters.update(
        date=date,
        truncatechars=defaultfilters.truncatechars,
        html_lang=languages.html_lang,
        publication_date=display.publication_date,
        reader_note=display.reader_note,
    )
    return env
