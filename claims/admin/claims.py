"""Claims with their assertions: the reviewers' list, the claim page and its actions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import services
from claims.admin.base import (
    INPLACE_JS,
    SERVICE_REFUSALS,
    WORKBENCH_CSS,
    ServiceAdmin,
    ServiceInline,
    admin_page,
    adopt,
    apply_to_all,
    conflict_side,
    error_text,
    nothing_to_save,
    refusal_from,
    refusal_shown_on,
    save_and_report,
    staying,
    tell_recorded,
)
from claims.admin.conflicts import CONFLICT_QUEUE_ORDER
from claims.admin.deleted import DeletedViews
from claims.admin.disputes import DISPUTE_MEDIA, DisputeViews, queue_rows
from claims.admin.inplace import ValuePreview, return_url
from claims.forms import (
    AssertionForm,
    ClaimCommentForm,
    ClaimForm,
    Refusal,
    edited,
    historical,
)
from claims.models import (
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictStatus,
)
from claims.search import (
    search_claims,
)


class AssertionInline(ServiceInline, admin.TabularInline):
    model = Assertion
    form = AssertionForm
    extra = 0
    show_change_link = True
    fields = (
        "quote",
        "stance",
        "value_written",
        "low",
        "high",
        "value_kind",
        "unit",
        "value_read",
        "note",
        "add_anyway",
        "expected_version",
    )
    readonly_fields = ("value_read",)
    autocomplete_fields = ("quote",)
    # inplace.js folds the exact bounds (low, high, kind, unit) of an inline with this class.
    classes = ("value-bounds",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("quote__source")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form = type(formset.form.__name__, (formset.form,), {"claim_shown": obj})
        return formset

    @admin.display(description=gettext_lazy("value from"))
    def value_read(self, assertion):
        if assertion.pk is None or not assertion.value_origin:
            return ""
        return format_html(
            "{}<br><small>«{}»</small>", assertion.get_value_origin_display(), assertion.value_text
        )


class AssigneeFilter(admin.SimpleListFilter):
    title = gettext_lazy("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return (("me", _("My claims")), ("nobody", _("No one")))

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.assigned_to(request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


class DisputedFilter(admin.SimpleListFilter):
    title = gettext_lazy("disputed")
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return (
            ("yes", _("Disputed (open or confirmed conflicts)")),
            ("no", _("Not disputed")),
        )

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.disputed(self.value() == "yes")
        return queryset


# Posted by the page asking an editor to publish claims with open conflicts.
PUBLISH_CONFIRMED = "_publish_confirmed"


# The claim's own fields, which claim_create and claim_update set;
# subjects and topics go to the services as lists of their own, the assignee to claim_assign.
CLAIM_FIELDS = tuple(
    name for name in ClaimForm.Meta.fields if name not in ("subjects", "topics", "assignee")
)


# What a claim says and is about, on the add and the change page alike.
CLAIM_DESCRIPTION = (
    "statement_en",
    "statement_zh",
    "slug",
    ("kind", "unit"),
    "subjects",
    "topics",
    "match_terms",
)


@admin.register(Claim)
class ClaimAdmin(ValuePreview, DeletedViews, DisputeViews, ServiceAdmin):
    form = ClaimForm
    list_display = (
        "statement_en",
        "kind",
        "status",
        "verdict",
        "disputed",
        "assertion_count",
        "source_count",
        "assignee",
        "updated_at",
    )
    list_select_related = ("assignee",)
    list_filter = (
        AssigneeFilter,
        "status",
        "verdict",
        "kind",
        DisputedFilter,
        ("topics", admin.RelatedFieldListFilter),
        ("subjects", admin.RelatedFieldListFilter),
    )
    # get_search_results searches the folded search text, aliases expanded.
    search_fields = ("search_text",)
    # Explicit: the counted queryset is grouped, and grouping drops Meta.ordering.
    ordering = ("-updated_at", "id")
    autocomplete_fields = ("subjects", "topics")
    prepopulated_fields = {"slug": ("statement_en",)}
    inlines = (AssertionInline,)
    actions = ("send_to_review", "publish", "archive", "back_to_draft")
    fieldsets = (
        (None, {"fields": (*CLAIM_DESCRIPTION, "expected_version")}),
        (
            gettext_lazy("Workflow and verdict"),
            {
                "fields": (
                    "status",
                    "assignee",
                    "verdict",
                    "rationale",
                    "rationale_zh",
                    "reviewer_notes",
                )
            },
        ),
        (gettext_lazy("Conflicts"), {"fields": ("conflicts",)}),
    )
    add_fieldsets = ((None, {"fields": (*CLAIM_DESCRIPTION, "assignee", "reviewer_notes")}),)

    class Media:
        css = WORKBENCH_CSS
        js = INPLACE_JS

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_search_results(self, request, queryset, search_term):
        return search_claims(queryset, search_term), False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        # No "clear all" ×: each subject has its own, and select2 puts that one inside the
        # list of choices, where screen readers misread it (axe-core: list).
        field.widget.is_required = True
        return field

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["conflicts"]
        if not services.can_publish(request.user):
            readonly += ["verdict", "rationale", "rationale_zh"]
        if obj is not None and historical(obj) is not None:
            # Reverting restores content; the workflow moves only by its own transitions.
            readonly.append("status")
        return readonly

    def has_delete_permission(self, request, obj=None):
        # Archiving is the way out; deleting would take assertions and conflicts with it.
        return False

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def render_page(self, request, template: str, title: str, media, **context):
        return admin_page(self, request, template, title, media, **context)

    def get_urls(self):
        comment = path(
            "<path:object_id>/comment/",
            self.admin_site.admin_view(self.comment_view),
            name="claims_claim_comment",
        )
        return [comment, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context.update(
                comments=list(obj.comments.select_related("author")),
                comment_form=ClaimCommentForm(),
                can_comment=self.has_change_permission(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def comment_view(self, request, object_id):
        """Add a note to the claim's thread, then show the claim's page at its thread."""
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method != "POST" or not self.has_change_permission(request, claim):
            raise PermissionDenied
        form = ClaimCommentForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["text"])
            services.claim_comment_add(
                claim=claim, text=form.cleaned_data["text"], user=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request,
                _("No comment added: %(error)s") % {"error": error_text(error)},
                messages.ERROR,
            )
        else:
            self.message_user(request, _("Comment added."), messages.SUCCESS)
        return redirect(reverse("admin:claims_claim_change", args=[claim.pk]) + "#comments")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if (
            request.method == "POST"
            and object_id is not None
            and request.POST.get("status") == ClaimStatus.PUBLISHED
            and PUBLISH_CONFIRMED not in request.POST
            and self.has_publish_permission(request)
        ):
            claim = self.get_object(request, unquote(object_id))
            if claim is not None and claim.status != ClaimStatus.PUBLISHED:
                asking = self.publish_confirmation(request, [claim])
                if asking is not None:
                    return asking
        return super().changeform_view(request, object_id, form_url, extra_context)

    def publish_confirmation(self, request, claims: list[Claim]):
        """A page asking the editor to confirm publishing claims that still have open
        conflicts, with their positions and those conflicts; None if none has any.

        Confirming posts the same request again, with PUBLISH_CONFIRMED.
        """
        open_ids = set(
            Conflict.objects.filter(claim__in=claims, status=ConflictStatus.OPEN).values_list(
                "claim_id", flat=True
            )
        )
        if not open_ids:
            return None
        return self.render_page(
            request,
            "admin/claims/claim/publish_confirm.html",
            _("Publish with open conflicts?"),
            DISPUTE_MEDIA,
            rows=queue_rows([claim for claim in claims if claim.pk in open_ids]),
            others=[claim for claim in claims if claim.pk not in open_ids],
            posted=[
                (name, value)
                for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken"
                for value in values
            ],
            confirmed=PUBLISH_CONFIRMED,
        )

    @admin.display(description=gettext_lazy("assertions"), ordering="assertion_count")
    def assertion_count(self, claim):
        return claim.assertion_count

    @admin.display(description=gettext_lazy("sources"), ordering="source_count")
    def source_count(self, claim):
        return claim.source_count

    @admin.display(description=gettext_lazy("conflicts"))
    def conflicts(self, claim):
        conflicts = (
            Conflict.objects.filter(claim_id=claim.pk)
            .select_related("first__quote__source", "second__quote__source")
            .order_by(CONFLICT_QUEUE_ORDER, "id")
        )
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a><br><small>{}</small></td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:claims_conflict_change", args=[c.pk]),
                    c.get_status_display(),
                    c.get_kind_display(),
                    conflict_side(c.first),
                    conflict_side(c.second),
                )
                for c in conflicts
            ),
        )
        mark_url = reverse("admin:claims_conflict_add") + f"?claim={claim.pk}"
        return format_html(
            '<table class="claim-conflicts">{}</table>'
            '<p><a class="mark-conflict" href="{}">{}</a></p>',
            rows or format_html("<tr><td>{}</td></tr>", _("No conflicts.")),
            mark_url,
            _("Mark a conflict between two assertions"),
        )

    def save_model(self, request, obj, form, change):
        if change and nothing_to_save(form, obj):
            return  # only assertions changed: the claim's version check is not theirs
        data = form.cleaned_data
        fields = {name: data[name] for name in CLAIM_FIELDS if name in data}
        reverting = historical(obj) is not None
        assigning = "assignee" in data and (
            reverting or "assignee" in form.changed_data or (not change and data["assignee"])
        )
        only_assigning = not reverting and set(form.changed_data) <= {
            "assignee",
            "expected_version",
        }
        with refusal_shown_on(form):
            if not change:
                saved = services.claim_create(
                    user=request.user,
                    subjects=data.get("subjects", ()),
                    topics=data.get("topics", ()),
                    **fields,
                )
                expected = saved.version
            elif only_assigning:
                saved, expected = obj, data["expected_version"]
            else:
                saved = services.claim_update(
                    claim=obj,
                    user=request.user,
                    expected_version=data["expected_version"],
                    subjects=data.get("subjects"),
                    topics=data.get("topics"),
                    **fields,
                )
                expected = saved.version
            if assigning:
                saved = services.claim_assign(
                    claim=saved,
                    assignee=data["assignee"],
                    user=request.user,
                    expected_version=expected,
                )
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # Subjects and topics went through the service with the claim itself.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        errors, data = {}, {}
        for index, inline_form in enumerate(formset.forms):
            assertion = inline_form.instance
            deleting = inline_form in formset.deleted_forms
            if (deleting and assertion.pk is None) or not (deleting or edited(inline_form)):
                continue  # unchanged, or a new row ticked for deletion
            try:
                if deleting:
                    services.assertion_delete(assertion=assertion, user=request.user)
                    formset.deleted_objects.append(assertion)
                elif assertion.pk is None:
                    added = save_and_report(request, inline_form, formset.instance)
                    formset.new_objects.append(added)
                else:
                    changed = save_and_report(request, inline_form, formset.instance)
                    formset.changed_objects.append((changed, inline_form.changed_data))
            except SERVICE_REFUSALS as error:
                form_error, replaced = refusal_from(error, inline_form)
                errors[index] = [form_error]
                data.update(replaced)
        if errors:
            raise Refusal(inline_errors={formset.prefix: errors}, data=data)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self.back_after_assertions(request, obj, response)

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        return self.back_after_assertions(request, obj, response)

    def back_after_assertions(self, request, claim, response):
        """Assertions saved with the claim: say what they did, and stay on the claim's page
        (or go back where the reviewer came from) rather than the list's first page."""
        if not tell_recorded(self, request) or staying(request):
            return response
        return redirect(return_url(request, reverse("admin:claims_claim_change", args=[claim.pk])))

    def _set_status(self, request, queryset, status: str) -> None:
        apply_to_all(
            self,
            request,
            queryset,
            lambda claim: services.claim_set_status(claim=claim, status=status, user=request.user),
            _("{count} claim(s) now %(status)s.") % {"status": ClaimStatus(status).label.lower()},
        )

    @admin.action(description=gettext_lazy("Send to review"), permissions=["change"])
    def send_to_review(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.IN_REVIEW)

    @admin.action(description=gettext_lazy("Publish (editors)"), permissions=["publish"])
    def publish(self, request, queryset):
        if PUBLISH_CONFIRMED not in request.POST:
            asking = self.publish_confirmation(request, list(queryset))
            if asking is not None:
                return asking
        self._set_status(request, queryset, ClaimStatus.PUBLISHED)

    @admin.action(description=gettext_lazy("Archive"), permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.ARCHIVED)

    @admin.action(description=gettext_lazy("Back to draft"), permissions=["change"])
    def back_to_draft(self, request, queryset):
        self._set_status(request, queryset, ClaimStatus.DRAFT)
