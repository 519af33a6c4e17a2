"""The reviewers' workbench: claims with their assertions, quotes, the conflict queue.

Every save goes through claims.services. A refusal (ValidationError, PermissionDenied,
StaleEdit) rolls the whole save back and shows the form again with the refusal as form
errors (ServiceAdmin); actions change all the selected objects or none.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Q, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from claims import evidence, services
from claims.admin_deleted import RESTORERS, DeletedViews
from claims.admin_disputes import DISPUTE_MEDIA, DisputeViews, queue_rows
from claims.admin_inplace import ValuePreview, recorded, recorded_in, remember, return_url
from claims.forms import (
    BOTH,
    THEIRS,
    AssertionForm,
    ClaimChoiceForm,
    ClaimCommentForm,
    ClaimForm,
    ConflictForm,
    ConflictMarkForm,
    ConflictNoteForm,
    QuoteForm,
    Refusal,
    RefusedForm,
    RefusedFormSet,
    SuggestionAcceptForm,
    VersionedForm,
    add_service_errors,
    as_posted,
    as_validation_error,
    edited,
    field_merges,
    historical,
    shortened,
    stale_edit_error,
    started_from,
    value_words,
)
from claims.models import (
    Alias,
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictStatus,
    Entity,
    Quote,
    Stance,
    Suggestion,
    SuggestionStatus,
    Topic,
)
from claims.search import (
    search_assertions,
    search_claims,
    search_conflicts,
    search_entities,
    search_quotes,
    search_suggestions,
    search_topics,
)

WORKBENCH_CSS = {"all": ["claims/admin/workbench.css"]}
# The scripts' words in the admin's language (gettext() in the scripts).
WORKBENCH_JSI18N = reverse_lazy("workbench-jsi18n")
# Values typed as words are read as they are typed; the exact bounds fold away.
INPLACE_JS = [WORKBENCH_JSI18N, "claims/admin/inplace.js"]
# The conflict queue shows open conflicts first, then confirmed ones, then settled ones.
CONFLICT_QUEUE_ORDER = Case(
    When(status=ConflictStatus.OPEN, then=Value(0)),
    When(status=ConflictStatus.CONFIRMED, then=Value(1)),
    default=Value(2),
)


def adopt(obj, saved) -> None:
    """Make the admin's object the one the service saved: the admin logs and redirects with it."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False


MERGE_FIELDSET = (
    gettext_lazy("Saved by someone else meanwhile: theirs and yours"),
    {"fields": ("merge",), "classes": ("merge",)},
)
# What the services raise when they refuse a change.
SERVICE_REFUSALS = (ValidationError, PermissionDenied, services.StaleEdit)


def refusal_from(error: Exception, form) -> tuple:
    """The form error for a service's refusal, and the posted values to replace with it.

    A stale save shows the form again with the version saved now, so saving again is
    possible, and with theirs in every field only they changed; a form that can show the
    fields side by side (VersionedForm's `merge`) asks for yours or theirs where both
    changed one, and an inline row takes theirs there too, its error saying what yours were.
    """
    if not isinstance(error, services.StaleEdit):
        return as_validation_error(error), {}
    current = error.current
    side_by_side = form.prefix is None and "merge" in form.fields
    record = started_from(current, error.expected_version)
    merges = field_merges(form, record, current) if record is not None else []
    replaced = {form.add_prefix("expected_version"): current.version}
    if side_by_side:
        replaced[form.add_prefix("merge")] = error.expected_version
    for merge in merges:
        if merge.state == THEIRS or (merge.state == BOTH and not side_by_side):
            replaced[form.add_prefix(merge.name)] = as_posted(current, merge.name)
    return stale_edit_error(error, merges, side_by_side=side_by_side), replaced


@contextmanager
def refusal_shown_on(form):
    """A service's refusal inside the block shows the form again with it as errors."""
    try:
        yield
    except SERVICE_REFUSALS as error:
        form_error, replaced = refusal_from(error, form)
        raise Refusal([form_error], data=replaced) from error


def nothing_to_save(form, obj) -> bool:
    """Saving an unchanged form would only write a new version; a revert always saves."""
    return historical(obj) is None and not edited(form)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or _("not allowed")


class ServiceAdmin(SimpleHistoryAdmin):
    """Shows history (revertible) and turns a service's refusal into form errors."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refusal as refusal:
            self.show_again_with(request, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.model._default_manager.filter(pk=unquote(object_id)).exists():
            return self.deleted_since(request)
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except Refusal as refusal:
            self.show_again_with(request, refusal)
            return super().history_form_view(request, object_id, version_id, extra_context)

    def deleted_since(self, request):
        """A version of a deleted object is not reverted to: it is restored, or refused, from
        the page of deleted evidence (or the object's list, for other kinds)."""
        name = self.opts.verbose_name
        if self.opts.model_name in RESTORERS:
            self.message_user(
                request,
                _("This %(name)s was deleted; restore it from deleted evidence.") % {"name": name},
                messages.INFO,
            )
            return redirect("admin:claims_claim_deleted")
        self.message_user(
            request, _("This %(name)s was deleted.") % {"name": name}, messages.WARNING
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    @staticmethod
    def show_again_with(request, refusal: Refusal) -> None:
        """The second pass validates the same POST, and the refusal's errors make it invalid."""
        request.refusal = refusal
        if refusal.data:
            post = request.POST.copy()
            for name, value in refusal.data.items():
                post.setlist(name, value if isinstance(value, list) else [str(value)])
            request.POST = post

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        merging = request.method == "POST" and request.POST.get("merge")
        if obj is None or not merging or not issubclass(self.form, VersionedForm):
            return fieldsets
        # A save refused as stale: the fields side by side first.
        return [MERGE_FIELDSET, *fieldsets]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST" and obj is not None and obj.pk is not None:
            # The form put the unsaved values on `obj`; the heading names what is saved.
            saved = self.model._default_manager.get(pk=obj.pk)
            context.update(subtitle=str(saved), original=saved)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "refusal", None)
        if refusal is None or not refusal.form_errors:
            return form
        return type(form.__name__, (RefusedForm, form), {"refusal_errors": refusal.form_errors})

    def delete_queryset(self, request, queryset):
        # One by one, so that every deletion goes through delete_model and its service.
        for obj in queryset:
            self.delete_model(request, obj)


class ServiceInline:
    """An inline of a ServiceAdmin: a refusal's errors show on the rows at fault."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        refusal = getattr(request, "refusal", None)
        if refusal is None or not refusal.inline_errors:
            return formset
        attrs = {"refusal_errors": refusal.inline_errors}
        return type(formset.__name__, (RefusedFormSet, formset), attrs)


def save_assertion(form: AssertionForm, claim: Claim, user) -> Assertion:
    """Add or change the assertion a form describes, through the services."""
    data = form.cleaned_data
    if form.instance.pk is None:
        quote = data["quote"]
        value, words = form.entered_value(claim, quote)
        return services.assertion_add(
            claim=claim,
            quote=quote,
            stance=data["stance"],
            value=value,
            value_text=words,
            note=data.get("note", ""),
            user=user,
        )
    record = historical(form.instance)
    reverting = record is not None
    changes = {
        name: data[name] for name in ("stance", "note") if reverting or name in form.changed_data
    }
    if form.value_changed():
        value, words = form.entered_value(claim, form.instance.quote)
        changes.update(value=value, value_text=words or form.instance.value_text)
        if reverting and value == services.assertion_interval(record):
            # The value as it was in that version, and where it came from with it.
            changes.update(value_text=record.value_text, value_origin=record.value_origin)
    return services.assertion_update(
        assertion=form.instance,
        expected_version=data["expected_version"],
        user=user,
        **changes,
    )


def save_and_report(request, form: AssertionForm, claim: Claim) -> Assertion:
    """save_assertion, keeping what it did to the claim for the message that follows."""
    done = recorded(claim, lambda: save_assertion(form, claim, request.user))
    remember(request, done)
    return done.assertion


def tell_recorded(model_admin, request) -> bool:
    """Say what each assertion saved in this request did to its claim; False if none was."""
    done = recorded_in(request)
    for each in done:
        model_admin.message_user(request, each.summary_html(), messages.SUCCESS)
    return bool(done)


def staying(request) -> bool:
    """Whether the reviewer asked to stay on the form (or the form is a popup)."""
    return any(
        name in request.POST for name in ("_continue", "_addanother", "_saveasnew", IS_POPUP_VAR)
    )


def change_link(obj):
    """An object as the admin's deletion summary lists it: its kind, and a link to it."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)


def value_shown(assertion: Assertion) -> str:
    return value_words(services.assertion_interval(assertion))


def conflict_side(assertion: Assertion):
    quote = assertion.quote
    return format_html(
        '<div class="conflict-side"><div class="conflict-source">{}</div>'
        '<blockquote lang="{}">{}</blockquote>'
        '<div class="conflict-value">{} {}</div></div>',
        quote.source.title,
        quote.source.language,
        shortened(quote.exact, 200),
        assertion.get_stance_display(),
        value_shown(assertion),
    )


def admin_page(model_admin, request, template: str, title: str, media, **context):
    """A page of the workbench's own, in the admin's frame."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.opts,
            "media": model_admin.media + media,
            **context,
        },
    )


def action_form_page(model_admin, request, form, title: str, submit: str, items):
    """An action's own page asking for what it needs; it posts back to the same action."""
    return admin_page(
        model_admin,
        request,
        "admin/claims/action_form.html",
        title,
        form.media,
        form=form,
        submit=submit,
        items=items,
        action=request.POST["action"],
        selected=request.POST.getlist(ACTION_CHECKBOX_NAME),
        select_across=request.POST.get("select_across", "0"),
        action_checkbox_name=ACTION_CHECKBOX_NAME,
    )


def apply_to_all(model_admin, request, objects, change, done: str) -> None:
    """Apply `change` to every object or, if the services refuse any, to none.

    `done` is the message on success, with {count} for the number of objects changed.
    """
    objects = list(objects)
    refused = []
    with transaction.atomic():
        for obj in objects:
            try:
                change(obj)
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{obj}: {error_text(error)}")
        if refused:
            transaction.set_rollback(True)
    if refused:
        model_admin.message_user(
            request, _("Nothing was changed.") + " " + " · ".join(refused), messages.ERROR
        )
    else:
        model_admin.message_user(request, done.format(count=len(objects)), messages.SUCCESS)


# Entities and topics: plain records without rules of their own.


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ("name",)


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_zh", "kind", "slug")
    list_filter = ("kind",)
    # get_search_results searches these through claims.search: 馬斯克 finds 马斯克 and Musk.
    search_fields = ("name", "name_zh", "aliases__folded")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AliasInline,)

    def get_search_results(self, request, queryset, search_term):
        return search_entities(queryset, search_term), False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "slug")
    # get_search_results searches these through claims.search.
    search_fields = ("name", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_search_results(self, request, queryset, search_term):
        return search_topics(queryset, search_term), False


# Quotes


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
                )
        adopt(obj, quote)

    def delete_model(self, request, obj):
        services.quote_delete(quote=obj)


# Claims and their assertions


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


# The conflict queue


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


# Suggested evidence


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


# The Source admin is the reviewers' workbench for quoting, so it lives with the claims.
from claims import admin_sources  # noqa: E402, F401
