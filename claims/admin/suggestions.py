"""Suggested evidence: sentences found for a claim, accepted or rejected by a reviewer."""

from django.contrib import admin
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import evidence
from claims.admin.base import action_form_page, apply_to_all
from claims.forms import (
    SuggestionAcceptForm,
)
from claims.models import (
    Suggestion,
    SuggestionStatus,
)
from claims.search import (
    search_suggestions,
)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("sentence", "claim", "source", "reason", "status")
    list_select_related = ("claim", "source")
    list_filter = ("status", "source__language", "claim__kind")
    # get_search_results searches the sentence, folded.
    search_fields = ("search_text",)
    # Pending suggestions first: the queue a reviewer works through.
    ordering = (
        Case(When(status=SuggestionStatus.PENDING, then=Value(0)), default=Value(1)),
        "claim",
        "source",
        "start",
    )
    actions = ("accept", "reject")
    fields = ("claim", "source", "exact", "start", "end", "reason", "status", "assertion")

    @admin.display(description=gettext_lazy("sentence"), ordering="exact")
    def sentence(self, suggestion):
        return str(suggestion)

    def get_search_results(self, request, queryset, search_term):
        return search_suggestions(queryset, search_term), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Suggestions change only by being accepted or rejected (the actions).
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Accept: quote the sentence and link it to the claim"),
        permissions=["change"],
    )
    def accept(self, request, queryset):
        form = SuggestionAcceptForm(
            request.POST if "apply" in request.POST else None, suggestions=queryset
        )
        if form.is_valid():
            stance = form.cleaned_data["stance"]

            def accept(suggestion):
                evidence.suggestion_accept(suggestion=suggestion, stance=stance, user=request.user)

            apply_to_all(
                self,
                request,
                queryset,
                accept,
                _("{count} suggestion(s) accepted, each now a quote with an assertion."),
            )
            return None
        items = [(str(s.claim), f"{s.source}: «{s}»") for s in queryset]
        return action_form_page(self, request, form, _("Accept suggestions"), _("Accept"), items)

    @admin.action(
        description=gettext_lazy("Reject: never suggest these sentences again"),
        permissions=["change"],
    )
    def reject(self, request, queryset):
        apply_to_all(
            self,
            request,
            queryset,
            lambda s: evidence.suggestion_reject(suggestion=s, user=request.user),
            _("{count} suggestion(s) rejected."),
        )
