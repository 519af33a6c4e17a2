"""What the admin's pages share: saves through claims.services, a refusal shown on the form,
the assertion form's save, and the pages an action or a custom view renders.

Every save goes through claims.services. A refusal (ValidationError, PermissionDenied,
StaleEdit) rolls the whole save back and shows the form again with the refusal as form
errors (ServiceAdmin); actions change all the selected objects or none.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.admin.deleted import RESTORERS
from claims.admin.inplace import assertion_link, recorded, recorded_in, remember
from claims.forms import (
    BOTH,
    THEIRS,
    AssertionForm,
    Refusal,
    RefusedForm,
    RefusedFormSet,
    VersionedForm,
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
    Assertion,
    Claim,
)

WORKBENCH_CSS = {"all": ["claims/admin/workbench.css"]}


# The scripts' words in the admin's language (gettext() in the scripts).
WORKBENCH_JSI18N = reverse_lazy("workbench-jsi18n")
# Values typed as words are read as they are typed; the exact bounds fold away.
INPLACE_JS = [WORKBENCH_JSI18N, "claims/admin/inplace.js"]


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
        return assertion_link(form, claim, data["quote"], user)
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
