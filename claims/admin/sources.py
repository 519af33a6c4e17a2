"""Sources in the admin: import by pasting or uploading, and the quoting workbench.

The change page shows the article's text with its quotes marked; the reviewer selects a
passage with the mouse and claims/static/claims/admin/workbench.js fills the new-quote
form, which claims.services.quote_create checks against the stored text. With scripts on,
the same panel then links the quote to a claim without leaving the page
(claims.admin.inplace). The same page edits the source's description
(sources.services.source_update) and corrects its text (source_correct_text, which
re-anchors the quotes).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import scans
from claims import services as claim_services
from claims.admin.base import (
    WORKBENCH_CSS,
    WORKBENCH_JSI18N,
    ServiceAdmin,
    admin_page,
    adopt,
    refusal_shown_on,
)
from claims.admin.inplace import NEXT, InPlaceQuoting
from claims.forms import (
    AssertionLinkForm,
    QuoteSelectionForm,
    SourceImportForm,
    add_service_errors,
    historical,
)
from claims.models import SuggestionStatus
from claims.search import Likeness, search_sources, sources_like
from domain.text import TextError, normalize_text
from sources.models import ScanState, Source
from sources.services import EDITABLE_SOURCE_FIELDS, source_correct_text, source_update


def highlighted_text(text: str, quotes) -> SafeString:
    """The text, escaped, with every anchored quote marked.

    Overlapping quotes are shown as flat runs of <mark>, each naming the quotes covering
    it. Nothing but the text's own characters is added, so the browser's text offsets
    inside the container are those of the stored text (the selection script relies on it).
    """
    placed = [q for q in quotes if q.is_placed and 0 <= q.start < q.end <= len(text)]
    cuts = sorted({0, len(text), *(q.start for q in placed), *(q.end for q in placed)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [q.pk for q in placed if q.start <= start and end <= q.end]
        if not covering:
            pieces.append(escape(text[start:end]))
            continue
        pieces.append(
            format_html(
                '<mark class="{}" data-quotes="{}" title="{}">{}</mark>',
                "quote overlap" if len(covering) > 1 else "quote",
                " ".join(str(pk) for pk in covering),
                _("Quote %(ids)s") % {"ids": ", ".join(f"#{pk}" for pk in covering)},
                text[start:end],
            )
        )
    return mark_safe("".join(pieces))


def suggestions_url(source: Source) -> str:
    query = f"source__id__exact={source.pk}&status__exact={SuggestionStatus.PENDING}"
    return f"{reverse('admin:claims_suggestion_changelist')}?{query}"


def likeness_links(likes: list[Likeness]) -> str:
    """Sources like an imported text, each linked, with how alike they are."""
    return format_html_join(
        ", ",
        _('<a href="{}">“{}”</a> ({} alike)'),
        (
            (
                reverse("admin:sources_source_change", args=[like.source.pk]),
                like.source,
                f"{like.similarity:.0%}",
            )
            for like in likes
        ),
    )


def text_changed(form) -> bool:
    # Browsers post a textarea's line breaks as CRLF; the stored text has LF.
    try:
        return normalize_text(form.cleaned_data["text"]) != form.initial.get("text")
    except TextError:
        return True


@admin.register(Source)
class SourceAdmin(InPlaceQuoting, ServiceAdmin):
    list_display = ("title", "outlet", "language", "kind", "published", "quotes", "scan")
    list_filter = ("language", "kind")
    actions = ("find_suggestions",)
    # get_search_results searches the folded title and text.
    search_fields = ("search_text",)
    # Explicit: the counted queryset is grouped, and grouping drops Meta.ordering.
    ordering = ("-published_on", "id")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    ("outlet", "author"),
                    "url",
                    ("published_on", "published_precision", "published_stated"),
                    ("language", "kind"),
                    ("reader_note", "reader_note_zh"),
                    "sha256",
                    "scan",
                )
            },
        ),
        (
            gettext_lazy("Correct the text"),
            {
                "classes": ("collapse",),
                "description": gettext_lazy(
                    "A corrected text re-anchors the quotes; those that cannot be "
                    "found again are marked orphaned, and those that fit several places "
                    "are marked for review; none is deleted."
                ),
                "fields": ("text",),
            },
        ),
    )
    readonly_fields = ("sha256", "scan")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = WORKBENCH_CSS
        js = [WORKBENCH_JSI18N, "claims/admin/workbench.js", "claims/admin/inplace.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_quote_counts()

    def get_search_results(self, request, queryset, search_term):
        return search_sources(queryset, search_term), False

    @admin.display(description=gettext_lazy("published"), ordering="published_on")
    def published(self, source):
        return source.published_display

    @admin.display(description=gettext_lazy("quotes"), ordering="quote_count")
    def quotes(self, source):
        return source.quote_count

    @admin.display(description=gettext_lazy("scan for suggestions"), ordering="scan_state")
    def scan(self, source):
        return source.scan_display

    def has_delete_permission(self, request, obj=None):
        # Quotes hold on to their source; an unused import has no service to remove it.
        return False

    @admin.action(
        description=gettext_lazy("Find passages that may bear on claims"), permissions=["change"]
    )
    def find_suggestions(self, request, queryset):
        found, queued = 0, 0
        for source in queryset:
            found += len(scans.source_scan_request(source=source))
            queued += source.scan_state == ScanState.QUEUED
        self.message_user(
            request,
            format_html(
                _('{} new suggestion(s){}. <a href="{}?status__exact={}">The queue</a>.'),
                found,
                _("; {} source(s) queued for the background scan").format(queued) if queued else "",
                reverse("admin:claims_suggestion_changelist"),
                SuggestionStatus.PENDING,
            ),
            messages.SUCCESS,
        )

    def get_urls(self):
        quote_add = path(
            "<path:object_id>/quote/",
            self.admin_site.admin_view(self.quote_add_view),
            name="sources_source_quote",
        )
        return [quote_add, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        reverting = historical(obj) is not None
        data = form.cleaned_data
        described = {
            name: data[name]
            for name in EDITABLE_SOURCE_FIELDS & data.keys()
            if reverting or name in form.changed_data
        }
        correcting = reverting or text_changed(form)
        source, report = obj, None
        with refusal_shown_on(form):
            if described:
                source = source_update(source=obj, user=request.user, **described)
            if correcting:
                report = source_correct_text(source=source, text=data["text"])
        adopt(obj, source)
        if report is None:
            return
        self.message_user(
            request,
            _(
                "Text corrected. Quotes: %(kept)s in place, %(moved)s moved, "
                "%(fuzzy)s re-anchored fuzzily (check them), %(review)s to review "
                "(several places fit), %(orphaned)s orphaned."
            )
            % {
                "kept": len(report.kept),
                "moved": len(report.moved),
                "fuzzy": len(report.fuzzy),
                "review": len(report.review),
                "orphaned": len(report.orphaned),
            },
            messages.WARNING
            if report.fuzzy or report.review or report.orphaned
            else messages.SUCCESS,
        )

    def workbench_context(self, request, source: Source, form=None) -> dict:
        quotes = list(
            source.quotes.select_related("speaker")
            .annotate(assertion_count=Count("assertions"))
            .order_by("start", "end")
        )
        return {
            "workbench": True,
            "source": source,
            "source_text": highlighted_text(source.text, quotes),
            "quotes": quotes,
            "quote_form": form or QuoteSelectionForm(),
            "quote_url": reverse("admin:sources_source_quote", args=[source.pk]),
            "panel_quote_url": reverse("admin:sources_source_panel_quote", args=[source.pk]),
            "panel_link_url": reverse("admin:sources_source_panel_link", args=[source.pk]),
            "link_form": AssertionLinkForm(source=source),
            "source_url": reverse("admin:sources_source_change", args=[source.pk]),
            "can_add_quote": request.user.has_perm("claims.add_quote"),
            "can_add_assertion": request.user.has_perm("claims.add_assertion"),
            "assertion_add_url": reverse("admin:claims_assertion_add"),
            "next_name": NEXT,
            "suggestions_url": suggestions_url(source),
        }

    def workbench_fragments(self, request, source: Source) -> dict:
        """The text with its quotes marked and the list of quotes, as the page shows them."""
        context = self.workbench_context(request, source)
        return {
            "text_html": str(context["source_text"]),
            "quotes_html": render_to_string(
                "admin/sources/source/quote_list.html", context, request=request
            ),
            "quote_count": len(context["quotes"]),
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context.update(self.workbench_context(request, obj))
            context["media"] += context["quote_form"].media + context["link_form"].media
        return super().render_change_form(request, context, add, change, form_url, obj)

    def quote_add_view(self, request, object_id):
        """Save the reviewer's selection as a quote; errors show beside the text again."""
        source = self.get_object(request, unquote(object_id))
        if source is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (
            request.user.has_perm("claims.add_quote")
            and self.has_view_or_change_permission(request, source)
        ):
            raise PermissionDenied
        form = QuoteSelectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                quote = claim_services.quote_create(
                    source=source, **form.cleaned_data, user=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                change_url = reverse("admin:sources_source_change", args=[source.pk])
                back = f"{change_url}#quote-{quote.pk}"
                self.message_user(
                    request,
                    format_html(
                        _('Quote #{} saved: «{}». <a href="{}?{}">Link it to a claim</a>.'),
                        quote.pk,
                        str(quote),
                        reverse("admin:claims_assertion_add"),
                        urlencode({"quote": quote.pk, NEXT: back}),
                    ),
                    messages.SUCCESS,
                )
                return redirect(back)
        context = self.workbench_context(request, source, form)
        return admin_page(
            self,
            request,
            "admin/sources/source/quote_form.html",
            _("New quote"),
            form.media + context["link_form"].media,
            subtitle=source.title,
            original=source,
            **context,
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Import a source from pasted text or a UTF-8 file; a text already held is not copied."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SourceImportForm(
            request.POST or None,
            request.FILES or None,
            max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        )
        if request.method == "POST" and form.is_valid():
            try:
                imported = self.import_source(request, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if imported is not None:
                    return redirect("admin:sources_source_change", imported.pk)
        return admin_page(
            self,
            request,
            "admin/sources/source/import.html",
            _("Import a source"),
            form.media,
            form=form,
        )

    def import_source(self, request, form) -> Source | None:
        """The source the form's text is now, or None when the ledger holds it already under
        other quotes, punctuation or spacing and the reviewer did not say to import it anyway
        (the form then says which source it is)."""
        fields = form.source_fields()
        likes = sources_like(text=fields["text"])
        same = [like for like in likes if like.same]
        identical = any(like.identical for like in same)
        if same and not identical and not form.cleaned_data["import_anyway"]:
            form.add_error(
                None,
                ValidationError(
                    format_html(
                        _(
                            "The ledger has this text already, with other quotes, punctuation "
                            "or spacing: {}. Open that source instead, or tick “Import anyway” "
                            "to import this text as a new source."
                        ),
                        likeness_links(same),
                    ),
                    code="same_text",
                ),
            )
            return None
        source, created, suggestions = scans.source_import_with_suggestions(**fields)
        if not created:
            self.message_user(
                request,
                _("This text is already the source “%(title)s”; nothing was imported. Here it is.")
                % {"title": source.title},
                messages.WARNING,
            )
            return source
        self.log_addition(request, source, [{"added": {}}])
        language = (
            " "
            + _("Its language, read from the text: %(language)s.")
            % {"language": source.get_language_display()}
            if form.language_read
            else ""
        )
        found = (
            _(
                "Its text is queued to be scanned for passages that may bear on claims; "
                '<a href="{}">they will be listed here</a> (the scan\'s state is on this page).'
            )
            if source.scan_state == ScanState.QUEUED
            else _('<a href="{}">{} suggested passage(s)</a> may bear on claims.')
        )
        self.message_user(
            request,
            format_html(
                _("Imported “{}”.{} Select passages in its text to quote them.") + " " + found,
                source.title,
                language,
                suggestions_url(source),
                len(suggestions),
            ),
            messages.SUCCESS,
        )
        if likes:
            self.message_user(
                request,
                format_html(
                    _(
                        "Nearly the same text is already in the ledger: {}. Check that this is "
                        "not the same article."
                    ),
                    likeness_links(likes),
                ),
                messages.WARNING,
            )
        return source
