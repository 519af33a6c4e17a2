"""Quotes: saved through the services, so a passage is anchored in its source."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.base import ServiceAdmin, adopt, nothing_to_save, refusal_shown_on
from claims.forms import (
    QuoteForm,
)
from claims.models import (
    Quote,
)
from claims.search import (
    search_quotes,
)


@admin.register(Quote)
class QuoteAdmin(ServiceAdmin):
    form = QuoteForm
    list_display = ("__str__", "source", "start", "end", "speaker", "anchor_state", "assertions")
    list_select_related = ("source", "speaker")
    list_filter = ("anchor_state", "source__language")
    # get_search_results searches the folded text, aliases expanded.
    search_fields = ("search_text",)
    autocomplete_fields = ("source", "speaker")
    # Explicit: the counted queryset is grouped, and grouping drops Meta.ordering.
    ordering = ("source", "start")
    fields = ("source", "exact", "start", "end", "prefix", "suffix", "speaker")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(assertion_count=Count("assertions"))

    def get_search_results(self, request, queryset, search_term):
        return search_quotes(queryset, search_term), False

    def autocomplete_text(self, quote):
        # The whole passage, wrapped, so that the figure in it shows.
        return quote.exact

    @admin.display(description=gettext_lazy("assertions"), ordering="assertion_count")
    def assertions(self, quote):
        return quote.assertion_count

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else (*self.fields, "anchor_state")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A quote's text and offsets are anchored in its source; only re-anchoring moves them.
        return tuple(name for name in self.get_fields(request, obj) if name != "speaker")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.assertions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change and nothing_to_save(form, obj):
            return
        data = form.cleaned_data
        with refusal_shown_on(form):
            if change:
                # Read afresh: a revert's object carries the old text and offsets too.
                quote = services.quote_set_speaker(
                    quote=Quote.objects.get(pk=obj.pk), speaker=data["speaker"], user=request.user
                )
            else:
                quote = services.quote_create(
                    source=data["source"],
                    exact=data["exact"],
                    prefix=data.get("prefix", ""),
                    suffix=data.get("suffix", ""),
                    start=data.get("start"),
                    end=data.get("end"),
                    speaker=data.get("speaker"),
                    user=request.user,
                )
        adopt(obj, quote)

    def delete_model(self, request, obj):
        services.quote_delete(quote=obj, user=request.user)
