"""Assertions: a quote linked to a claim, added and corrected on pages of their own."""

from collections import defaultdict

from django.contrib import admin
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.base import (
    INPLACE_JS,
    WORKBENCH_CSS,
    ServiceAdmin,
    adopt,
    change_link,
    nothing_to_save,
    refusal_shown_on,
    save_and_report,
    staying,
    tell_recorded,
    value_shown,
)
from claims.admin.inplace import return_url
from claims.forms import (
    AssertionForm,
)
from claims.models import (
    Assertion,
    Conflict,
    Stance,
)
from claims.search import (
    search_assertions,
)


@admin.register(Assertion)
class AssertionAdmin(ServiceAdmin):
    form = AssertionForm
    list_display = ("__str__", "claim", "source", "stance", "value", "value_origin")
    list_select_related = ("claim", "quote__source")
    list_filter = ("stance", "value_origin")
    # get_search_results searches the quote's text and the claim's statements, folded.
    search_fields = ("quote__search_text", "claim__search_text")
    autocomplete_fields = ("claim", "quote")
    fieldsets = (
        (
            None,
            {"fields": ("claim", "quote", "stance", "value_written", "note", "expected_version")},
        ),
        (
            gettext_lazy("Exact bounds"),
            {
                "classes": ("collapse",),
                "description": gettext_lazy(
                    "For a value the words cannot say; bounds changed here win over "
                    "the words. Dates as dates (2018-02-20)."
                ),
                "fields": (("low", "high", "value_kind", "unit"),),
            },
        ),
    )

    class Media:
        css = WORKBENCH_CSS
        js = INPLACE_JS

    def get_changeform_initial_data(self, request):
        return {"stance": Stance.SUPPORTS, **super().get_changeform_initial_data(request)}

    def get_search_results(self, request, queryset, search_term):
        return search_assertions(queryset, search_term), False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new assertion may overlap evidence already linked: "add anyway" says it is meant.
        return [
            (name, {**options, "fields": (*options["fields"], "add_anyway")})
            if name is None
            else (name, options)
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # Which quote bears on which claim is the assertion itself; add another instead.
        return ("claim", "quote") if obj is not None else ()

    def get_deleted_objects(self, objs, request):
        """The assertions and the conflicts that assertion_delete takes with them.

        The conflicts go with their assertion, so removing them needs no permission of its
        own (the queue never deletes one by itself); they are read in one query.
        """
        assertions = list(objs)
        ids = {assertion.pk for assertion in assertions}
        conflicts = defaultdict(list)
        for conflict in (
            Conflict.objects.filter(Q(first__in=ids) | Q(second__in=ids))
            .select_related("claim")
            .order_by("pk")
        ):
            conflicts[conflict.first_id if conflict.first_id in ids else conflict.second_id].append(
                change_link(conflict)
            )
        listed = []
        for assertion in assertions:
            listed.append(change_link(assertion))
            if conflicts[assertion.pk]:
                listed.append(conflicts[assertion.pk])
        counts = {Assertion._meta.verbose_name_plural: len(assertions)}
        if conflicts:
            counts[Conflict._meta.verbose_name_plural] = sum(map(len, conflicts.values()))
        perms_needed = set() if self.has_delete_permission(request) else {self.opts.verbose_name}
        return listed, counts, perms_needed, []

    @admin.display(description=gettext_lazy("source"), ordering="quote__source__title")
    def source(self, assertion):
        return assertion.quote.source.title

    @admin.display(description=gettext_lazy("value"))
    def value(self, assertion):
        return value_shown(assertion)

    def save_model(self, request, obj, form, change):
        if change and nothing_to_save(form, obj):
            return
        with refusal_shown_on(form):
            saved = save_and_report(request, form, obj.claim)
        adopt(obj, saved)

    def response_add(self, request, obj, post_url_continue=None):
        if staying(request):
            return super().response_add(request, obj, post_url_continue)
        return self.back_after_saving(request, obj)

    def response_change(self, request, obj):
        if staying(request):
            return super().response_change(request, obj)
        return self.back_after_saving(request, obj)

    def back_after_saving(self, request, assertion):
        """Back where the reviewer came from (the source page, say), else the claim's page,
        saying what the save did; not to the first page of every assertion."""
        if not tell_recorded(self, request):
            self.message_user(
                request, _("Nothing changed in “%(assertion)s”.") % {"assertion": assertion}
            )
        claim_url = reverse("admin:claims_claim_change", args=[assertion.claim_id])
        return redirect(return_url(request, claim_url))

    def delete_model(self, request, obj):
        services.assertion_delete(assertion=obj, user=request.user)
