"""The conflict queue: open conflicts first, settled one by one or by action."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.base import (
    WORKBENCH_CSS,
    ServiceAdmin,
    action_form_page,
    admin_page,
    apply_to_all,
    conflict_side,
    nothing_to_save,
    refusal_shown_on,
)
from claims.forms import (
    ClaimChoiceForm,
    ConflictForm,
    ConflictMarkForm,
    ConflictNoteForm,
    add_service_errors,
)
from claims.models import (
    Conflict,
    ConflictStatus,
)
from claims.search import (
    search_conflicts,
)

# The conflict queue shows open conflicts first, then confirmed ones, then settled ones.
CONFLICT_QUEUE_ORDER = Case(
    When(status=ConflictStatus.OPEN, then=Value(0)),
    When(status=ConflictStatus.CONFIRMED, then=Value(1)),
    default=Value(2),
)


@admin.register(Conflict)
class ConflictAdmin(ServiceAdmin):
    form = ConflictForm
    list_display = ("kind", "status", "claim", "first_side", "second_side", "origin", "updated_at")
    list_display_links = ("kind",)
    list_select_related = ("claim", "first__quote__source", "second__quote__source")
    list_filter = ("status", "kind", "origin")
    # get_search_results searches the claim's statements and the two quotes, folded.
    search_fields = (
        "claim__search_text",
        "first__quote__search_text",
        "second__quote__search_text",
    )
    ordering = (CONFLICT_QUEUE_ORDER, "-updated_at")
    actions = ("confirm", "dismiss", "resolve")
    fields = ("claim", "sides", "kind", "origin", "reason", "status", "note", "reviewer_note")
    readonly_fields = ("claim", "sides", "kind", "origin", "reason")

    class Media:
        css = WORKBENCH_CSS

    def get_search_results(self, request, queryset, search_term):
        return search_conflicts(queryset, search_term), False

    def has_delete_permission(self, request, obj=None):
        # A settled conflict is dismissed or resolved, with its note, never removed.
        return False

    @admin.display(description=gettext_lazy("first"))
    def first_side(self, conflict):
        return conflict_side(conflict.first)

    @admin.display(description=gettext_lazy("second"))
    def second_side(self, conflict):
        return conflict_side(conflict.second)

    @admin.display(description=gettext_lazy("the two quotes"))
    def sides(self, conflict):
        return format_html(
            '<div class="conflict-sides">{}{}</div>',
            conflict_side(conflict.first),
            conflict_side(conflict.second),
        )

    def save_model(self, request, obj, form, change):
        if nothing_to_save(form, obj):
            return
        data = form.cleaned_data
        with refusal_shown_on(form):
            services.conflict_set_status(
                conflict=Conflict.objects.get(pk=obj.pk),
                status=data["status"],
                note=data["note"],
                reviewer_note=data["reviewer_note"],
                user=request.user,
            )

    def _set_status(self, request, queryset, status: str, note: str = "") -> None:
        apply_to_all(
            self,
            request,
            queryset,
            lambda conflict: services.conflict_set_status(
                conflict=conflict, status=status, note=note, user=request.user
            ),
            _("{count} conflict(s) now %(status)s.")
            % {"status": ConflictStatus(status).label.lower()},
        )

    def _settle(self, request, queryset, status: str):
        """Dismissing or resolving needs a note: ask for it on a page of its own, then apply."""
        form = ConflictNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._set_status(request, queryset, status, form.cleaned_data["note"])
            return None
        label = ConflictStatus(status).label
        items = [
            (
                str(c.claim),
                _("«%(first)s» vs «%(second)s» (%(kind)s)")
                % {"first": c.first.quote, "second": c.second.quote, "kind": c.get_kind_display()},
            )
            for c in queryset
        ]
        return action_form_page(
            self, request, form, _("%(status)s: add a note") % {"status": label}, label, items
        )

    @admin.action(
        description=gettext_lazy("Confirm: the two cannot both hold"), permissions=["change"]
    )
    def confirm(self, request, queryset):
        self._set_status(request, queryset, ConflictStatus.CONFIRMED)

    @admin.action(description=gettext_lazy("Dismiss (with a note)"), permissions=["change"])
    def dismiss(self, request, queryset):
        return self._settle(request, queryset, ConflictStatus.DISMISSED)

    @admin.action(description=gettext_lazy("Resolve (with a note)"), permissions=["change"])
    def resolve(self, request, queryset):
        return self._settle(request, queryset, ConflictStatus.RESOLVED)

    def add_view(self, request, form_url="", extra_context=None):
        """Mark a conflict by hand: choose the claim, then two of its assertions."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        claim_form = ClaimChoiceForm(request.GET or None)
        claim = claim_form.cleaned_data["claim"] if claim_form.is_valid() else None
        form = None
        if claim is not None:
            form = ConflictMarkForm(request.POST or None, claim=claim)
            if request.method == "POST" and form.is_valid():
                data = form.cleaned_data
                try:
                    conflict = services.conflict_mark(
                        first=data["first"],
                        second=data["second"],
                        kind=data["kind"],
                        note=data["note"],
                        user=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.log_addition(request, conflict, [{"added": {}}])
                    self.message_user(
                        request,
                        format_html(
                            _('Conflict <a href="{}">{}</a> marked between assertions {} and {}.'),
                            reverse("admin:claims_conflict_change", args=[conflict.pk]),
                            conflict.pk,
                            conflict.first_id,
                            conflict.second_id,
                        ),
                        messages.SUCCESS,
                    )
                    return redirect("admin:claims_claim_change", claim.pk)
        return admin_page(
            self,
            request,
            "admin/claims/conflict/mark.html",
            _("Mark a conflict"),
            claim_form.media + form.media if form else claim_form.media,
            claim=claim,
            claim_form=claim_form,
            form=form,
        )
