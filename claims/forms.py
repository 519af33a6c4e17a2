"""Forms of the reviewers' workbench in the admin, and how a service's refusal reaches them.

The admin saves through the services. When a service refuses (ValidationError keyed by
field, PermissionDenied, StaleEdit), the admin rolls the whole save back and shows the
same form again with the refusal as form errors: see `Refusal` and claims.admin.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims.models import (
    Assertion,
    Claim,
    Conflict,
    ConflictKind,
    Entity,
    PositionRating,
    Quote,
    SetAside,
    Stance,
    ValueKind,
    Verdict,
)
from claims.roles import EDITOR, REVIEWER
from claims.services import (
    StaleEdit,
    assertion_interval,
    assertions_overlapping,
    interval_from,
    value_interval,
    value_typed,
    value_unit,
)
from domain.intervals import DATE_UNIT, Interval
from domain.text import detect_language
from domain.values import written
from sources.models import DatePrecision, Language, SourceKind

# Service error keys that name a form field by another name.
FIELD_FOR_KEY = {
    "value.low": "low",
    "value.high": "high",
    "value.kind": "value_kind",
    "value.unit": "unit",
    "value": "low",
}
VALUE_FIELDS = ("low", "high", "value_kind", "unit")


class Refusal(Exception):
    """A service refused an admin save: errors for the main form and for inline rows.

    `data` replaces posted values when the form is shown again (the version a stale
    edit was checked against becomes the current one, so saving again is a choice).
    """

    def __init__(self, form_errors=(), inline_errors=None, data=None):
        super().__init__("the save was refused")
        self.form_errors = list(form_errors)
        self.inline_errors = inline_errors or {}
        self.data = data or {}


def as_validation_error(error: Exception) -> ValidationError:
    if isinstance(error, PermissionDenied):
        reason = str(error) or _("you do not have permission to do this")
        return ValidationError(
            _("Not allowed: %(reason)s. Nothing was saved.") % {"reason": reason}
        )
    return error


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, the rest on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        field = FIELD_FOR_KEY.get(key, key)
        if field in form.fields and not form.fields[field].disabled:
            form.add_error(field, errors)
        else:
            label = key.replace("_", " ")
            form.add_error(None, [f"{label}: {m}" for e in errors for m in e.messages])


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Merging a save refused as stale: yours, theirs and the version you started from

# Whose value of a field stands: one side's, or the reviewer's choice where both changed it.
YOURS, THEIRS, BOTH = "yours", "theirs", "both"
# The merge table's words for each side, in the admin's language.
KEEP = {YOURS: _("keep yours"), THEIRS: _("keep theirs")}
KEPT = {YOURS: _("yours kept"), THEIRS: _("theirs kept"), BOTH: _("both kept")}


@dataclass
class FieldMerge:
    """One field as the reviewer started from it, as saved by someone else since, and as the
    reviewer wants it. Values are comparable keys: a related object by its pk, many by
    their sorted pks."""

    name: str
    label: str
    started: object
    theirs: object
    yours: object
    shown: dict  # {"started"|"theirs"|"yours": the value as a reviewer reads it}
    keep: str | None = None  # the reviewer's choice, where both changed it

    @property
    def state(self) -> str:
        """Whose value stands: theirs, yours, or both (the reviewer must choose)."""
        if self.yours == self.theirs or self.yours == self.started:
            return THEIRS
        if self.theirs == self.started:
            return YOURS
        return BOTH


def _key(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(_key(v) for v in value)
    return "" if value is None else value


def _started(record, field):
    """A field's value in a history record, as a comparable key."""
    if field.many_to_many:
        # The record keeps the related rows of its time, each naming its object by column.
        column = f"{field.related_model._meta.model_name}_id"
        return sorted(getattr(row, column) for row in getattr(record, field.name).all())
    return _key(getattr(record, field.attname))


def _current(instance, field):
    if field.many_to_many:
        return sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return _key(getattr(instance, field.attname))


def _display(field, key) -> str:
    """A comparable key as a reviewer reads it: choices by label, objects by name."""
    if field.is_relation:
        keys = key if isinstance(key, list) else [key] if key != "" else []
        named = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=keys)}
        shown = ", ".join(named.get(k, f"#{k}") for k in keys)
    elif field.choices:
        shown = str(dict(field.flatchoices).get(key, key))
    else:
        shown = str(key)
    return shortened(shown, 300) if shown else _("(empty)")


def field_merges(form: forms.BaseForm, record, current) -> list[FieldMerge]:
    """The form's fields that the reviewer, the other person, or both changed since the
    history record the reviewer started from; `current` is the object as saved now."""
    model = current._meta.model
    merges = []
    for name, form_field in form.fields.items():
        if form_field.disabled or name not in form.cleaned_data:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # the form's own fields: the version, the merge, "add anyway"
        started, theirs = _started(record, field), _current(current, field)
        yours = _key(form.cleaned_data[name])
        if started == theirs == yours:
            continue
        shown = {
            "started": _display(field, started),
            "theirs": _display(field, theirs),
            "yours": _display(field, yours),
        }
        merges.append(FieldMerge(name, str(form_field.label), started, theirs, yours, shown))
    return merges


def started_from(current, version: int):
    """The history record of the version a reviewer started from (the last of its records)."""
    return current.history.filter(version=version).first()


def as_posted(current, name: str):
    """A field's saved value as a browser posts it."""
    field = current._meta.get_field(name)
    value = _current(current, field)
    return [str(v) for v in value] if isinstance(value, list) else str(value)


def stale_edit_error(stale: StaleEdit, merges: list[FieldMerge], *, side_by_side: bool):
    """Who changed the object since the reviewer loaded it, and what became of each field.

    Side by side, the form shows a table of the fields (MergeWidget) and the reviewer keeps
    yours or theirs where both changed; otherwise (an inline row) theirs is kept and the
    message says what yours were.
    """
    current = stale.current
    latest = current.history.select_related("history_user").first()
    who = ""
    if latest is not None:
        when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M")
        who = _(" by %(user)s at %(when)s") % {
            "user": latest.history_user or _("the system"),
            "when": when,
        }
    opening = _(
        "This %(kind)s was changed by someone else while you were editing it (you started "
        "from version %(started)s; it is now version %(now)s%(who)s). Nothing was saved."
    ) % {
        "kind": current._meta.verbose_name,
        "started": stale.expected_version,
        "now": current.version,
        "who": who,
    }
    if side_by_side:
        return ValidationError(
            _(
                "%(opening)s Yours, theirs and the version you started from are side by side "
                "below: where you both changed a field, keep yours or theirs, then save again."
            )
            % {"opening": opening},
            code="stale",
        )
    fields = [
        _("%(field)s: you started from %(started)s, theirs %(theirs)s")
        % {"field": m.label, "started": m.shown["started"], "theirs": m.shown["theirs"]}
        + (
            _(", yours %(yours)s (not saved)") % {"yours": m.shown["yours"]}
            if m.state == BOTH
            else ""
        )
        for m in merges
        if m.theirs != m.started
    ]
    listed = " · ".join(fields) if fields else _("see the values now shown")
    return ValidationError(
        _(
            "%(opening)s The row now shows theirs where they changed it: %(listed)s. "
            "Enter yours again to keep them instead."
        )
        % {"opening": opening, "listed": listed},
        code="stale",
    )


class MergeWidget(forms.Widget):
    """The version a refused save started from (posted back), and the table of fields as
    they were, as they are saved now and as the reviewer wants them, with a choice of
    yours or theirs where both changed a field."""

    merges: list[FieldMerge] = []
    saved_version = None

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def render(self, name, value, attrs=None, renderer=None):
        started = "" if value in (None, "") else str(value)
        rows = []
        for merge in self.merges:
            if merge.state == BOTH:
                choice = format_html_join(
                    " ",
                    '<label><input type="radio" name="{}" value="{}"{}> {}</label>',
                    (
                        (
                            f"{name}_keep_{merge.name}",
                            side,
                            " checked" if merge.keep == side else "",
                            KEEP[side],
                        )
                        for side in (YOURS, THEIRS)
                    ),
                )
            else:
                choice = KEPT[merge.state]
            rows.append(
                format_html(
                    '<tr class="merge-{}"><th scope="row">{}</th><td>{}</td><td>{}</td>'
                    "<td>{}</td><td>{}</td></tr>",
                    merge.state,
                    merge.label,
                    merge.shown["started"],
                    merge.shown["theirs"],
                    merge.shown["yours"],
                    choice,
                )
            )
        return format_html(
            '<input type="hidden" name="{}" value="{}"><table class="merge"><thead><tr>'
            "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead>"
            "<tbody>{}</tbody></table>",
            name,
            started,
            _("Field"),
            _("You started from (version %(version)s)") % {"version": started},
            _("Theirs (saved, version %(version)s)") % {"version": self.saved_version}
            if self.saved_version
            else _("Theirs (saved)"),
            _("Yours"),
            format_html_join("", "{}", ((row,) for row in rows))
            or format_html('<tr><td colspan="5">{}</td></tr>', _("No field differs.")),
        )


class MergeField(forms.IntegerField):
    """The version a reviewer started from, posted back while merging a stale save."""

    widget = MergeWidget

    def has_changed(self, initial, data):
        return False


class RefusedForm:
    """Mixed into a form shown again after a refusal: it carries the refusal's errors."""

    refusal_errors = ()

    def clean(self):
        cleaned = super().clean()
        for error in self.refusal_errors:
            add_service_errors(self, error)
        return cleaned


class RefusedFormSet:
    """Mixed into an inline formset shown again after a refusal: errors by row."""

    refusal_errors = {}  # {formset prefix: {form index: [ValidationError]}}

    def clean(self):
        super().clean()
        for index, errors in self.refusal_errors.get(self.prefix, {}).items():
            for error in errors:
                add_service_errors(self.forms[index], error)


def historical(instance):
    """The history record an instance was rebuilt from (the admin's revert form), or None."""
    return getattr(instance, "_history", None)


def edited(form: forms.BaseForm) -> bool:
    """Whether the reviewer changed anything (the version carried along is not theirs to change)."""
    return any(name != "expected_version" for name in form.changed_data)


class VersionedForm(forms.ModelForm):
    """Carries the version the reviewer started from, so a stale save is refused.

    After a refusal, `merge` carries the version the reviewer started from and the form
    shows their fields beside those saved since: where both changed a field, the reviewer
    keeps yours or theirs, and saving is refused until every such field is chosen.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    merge = MergeField(label="", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is None:
            return
        self.fields["expected_version"].required = True
        version = instance.version
        if historical(instance) is not None:
            # Reverting starts from what is stored now, not from the old version.
            version = type(instance).objects.values_list("version", flat=True).get(pk=instance.pk)
        self.initial["expected_version"] = version

    def clean(self):
        cleaned = super().clean()
        started = cleaned.get("merge")
        if started is not None and self.instance.pk is not None:
            self._merge(cleaned, started)
        return cleaned

    def _merge(self, cleaned: dict, version: int) -> None:
        """Apply the reviewer's choices: theirs stand unless the reviewer keeps yours."""
        # The instance holds what is saved now: the posted values are put on it later.
        current = self.instance
        record = started_from(current, version)
        if record is None:
            self.add_error("merge", _("The version you started from is not in the history."))
            return
        merges = field_merges(self, record, current)
        undecided = []
        for merge in merges:
            if merge.state == BOTH:
                keep = self.data.get(f"{self.add_prefix('merge')}_keep_{merge.name}")
                merge.keep = keep if keep in (YOURS, THEIRS) else None
                if merge.keep is None:
                    undecided.append(merge.label)
            if merge.state == THEIRS or merge.keep == THEIRS:
                field = current._meta.get_field(merge.name)
                cleaned[merge.name] = (
                    getattr(current, merge.name).all()
                    if field.many_to_many
                    else getattr(current, merge.name)
                )
        # A refused save shows the table first; only a save from it must choose.
        if undecided and not getattr(self, "refusal_errors", ()):
            self.add_error(
                "merge",
                _("Keep yours or theirs for: %(fields)s.") % {"fields": ", ".join(undecided)},
            )
        self.fields["merge"].widget.merges = merges
        self.fields["merge"].widget.saved_version = current.version


class ClaimForm(VersionedForm):
    class Meta:
        model = Claim
        fields = [
            "slug",
            "statement_en",
            "statement_zh",
            "kind",
            "unit",
            "subjects",
            "topics",
            "status",
            "verdict",
            "rationale",
            "reviewer_notes",
            "match_terms",
            "assignee",
        ]
        widgets = {
            "statement_en": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "statement_zh": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "reviewer_notes": forms.Textarea(attrs={"rows": 3}),
            "match_terms": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = reviewers()
        record = historical(self.instance)
        if record is not None:
            # The instance's own m2m managers read today's rows; the record keeps the old ones.
            for name, column in (("subjects", "entity_id"), ("topics", "topic_id")):
                if name in self.fields:
                    rows = getattr(record, name).all()
                    self.initial[name] = [getattr(row, column) for row in rows]


def reviewers():
    """The people a claim can be assigned to: active Reviewers, Editors and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[REVIEWER, EDITOR]))
        .distinct()
        .order_by("username")
    )


class ClaimCommentForm(forms.Form):
    """A new note in a claim's thread."""

    text = forms.CharField(
        label=_("Add a comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Seen by Reviewers and Editors only."),
    )


class QuoteShown(forms.Widget):
    """An existing assertion's quote as text: which quote an assertion is about never changes."""

    def __init__(self, quote: Quote, attrs=None):
        super().__init__(attrs)
        self.quote = quote

    def render(self, name, value, attrs=None, renderer=None):
        quote = self.quote
        return format_html(
            '<div class="assertion-quote"><span class="assertion-quote-source">{}</span> '
            '<q>{}</q> <span class="assertion-quote-offsets">{}–{}</span></div>',
            quote.source.title,
            quote.exact,
            quote.start,
            quote.end,
        )


def evidence_links(assertions) -> str:
    """Links to assertions already linked to a claim, each with its quote."""
    return format_html_join(
        ", ",
        _('<a href="{}">assertion #{}</a> «{}»'),
        (
            (reverse("admin:claims_assertion_change", args=[a.pk]), a.pk, str(a.quote))
            for a in assertions
        ),
    )


def duplicate_evidence(start: int, end: int, overlapping) -> str:
    """What a reviewer is told before linking a passage the claim already has evidence on."""
    if any((a.quote.start, a.quote.end) == (start, end) for a in overlapping):
        return format_html(
            _("This passage is already linked to this claim: {}."), evidence_links(overlapping)
        )
    return format_html(
        _(
            "This passage overlaps evidence already linked to this claim: {}. Open it to "
            "change it, or tick “Add anyway” to link this passage as well."
        ),
        evidence_links(overlapping),
    )


ADD_ANYWAY_HELP = _("Link it even though it overlaps a quote already linked to the claim.")


def _infer_value_kind(low, high) -> str:
    if low is not None and high is not None:
        return "exact" if low == high else "range"
    return "lower_bound" if low is not None else "upper_bound"


NUMBER_OR_DATE = _("Enter a number (45,000,000) or a date (2018-02-20).")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class ValueBoundField(forms.CharField):
    """One bound of a value as people write it: 45,000,000 or, on a date claim, 2018-02-20.

    Dates are stored as day numbers (claims.models.Assertion); nobody types or reads those.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.dates = False
        self.widget.attrs.setdefault("size", 14)

    def prepare_value(self, value):
        if not isinstance(value, Decimal):
            return value
        if self.dates:
            return date.fromordinal(int(value)).isoformat()
        return f"{value.normalize():,f}" if value != value.to_integral_value() else f"{value:,.0f}"

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        if found := _ISO_DATE.match(value):
            try:
                return Decimal(date(*map(int, found.groups())).toordinal())
            except ValueError as error:
                raise ValidationError(_("%(value)s is not a date.") % {"value": value}) from error
        try:
            number = Decimal(value.replace(",", "").replace("_", "").replace(" ", ""))
        except InvalidOperation as error:
            raise ValidationError(NUMBER_OR_DATE) from error
        if not number.is_finite():
            raise ValidationError(NUMBER_OR_DATE)
        return number


class ValueTextInput(forms.TextInput):
    """The value as written, with a live reading of it (claims/static/claims/admin/inplace.js)."""

    def __init__(self, attrs=None):
        attrs = {
            "size": 24,
            "autocomplete": "off",
            "placeholder": _("read from the quote"),
            "data-value-preview": reverse_lazy("admin:claims_claim_value"),
            **(attrs or {}),
        }
        super().__init__(attrs)

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<output class="value-preview" aria-live="polite"></output>',
            super().render(name, value, attrs, renderer),
        )


def value_written_field() -> forms.CharField:
    return forms.CharField(
        label=_("Value"),
        max_length=Assertion._meta.get_field("value_text").max_length,
        required=False,
        widget=ValueTextInput,
        help_text=_(
            "As people write it: $45M, 不到4500万, 2018-02, about 100 million. "
            "Left empty on a new assertion, it is read from the quote."
        ),
    )


class ValueEntry:
    """A form taking a value as words (`value_written`) or as exact bounds (low, high, kind).

    Bounds the reviewer changed win; otherwise words the reviewer changed are read in the
    claim's unit (services.value_typed); otherwise the value stays as it was.
    """

    def show_bounds_for(self, claim: Claim | None) -> None:
        dates = claim is not None and value_unit(claim) == DATE_UNIT
        for name in ("low", "high"):
            if name in self.fields:
                self.fields[name].dates = dates

    def bounds_changed(self) -> bool:
        return any(name in self.changed_data for name in VALUE_FIELDS)

    def words_changed(self) -> bool:
        return "value_written" in self.changed_data and not self.bounds_changed()

    def bounds(self) -> dict | None:
        """The bounds as services.interval_from reads them, or None when none were given."""
        data = self.cleaned_data
        if data.get("low") is None and data.get("high") is None and not data.get("value_kind"):
            return None
        return {
            "low": data.get("low"),
            "high": data.get("high"),
            "kind": data.get("value_kind", ""),
            "unit": data.get("unit", ""),
        }

    def clean_bounds(self, cleaned: dict) -> None:
        low, high = cleaned.get("low"), cleaned.get("high")
        if not cleaned.get("value_kind") and (low is not None or high is not None):
            cleaned["value_kind"] = _infer_value_kind(low, high)
        bounds = self.bounds()
        if bounds is not None:
            # The service's own reading of a value, so its errors land on the fields at fault.
            try:
                interval_from(bounds, default_unit=bounds["unit"])
            except ValidationError as error:
                add_service_errors(self, error)

    def read_words(self, claim: Claim | None, quote: Quote | None) -> None:
        """Read changed words now if the claim is known, so unreadable ones show on their field."""
        text = self.cleaned_data.get("value_written", "")
        if claim is None or not text or not self.words_changed():
            return
        try:
            value_typed(claim=claim, text=text, source=quote.source if quote else None)
        except ValidationError as error:
            self.add_error("value_written", error.messages)

    def entered_value(self, claim: Claim, quote: Quote) -> tuple[Interval | None, str]:
        """The value entered and the words it was given in ("" for bounds), or (None, "")."""
        text = self.cleaned_data.get("value_written", "")
        if self.words_changed():
            if not text:
                return None, ""
            try:
                return value_typed(claim=claim, text=text, source=quote.source), text
            except ValidationError as error:
                raise ValidationError({"value_written": error.messages}) from error
        bounds = self.bounds()
        if bounds is None:
            return None, ""
        return value_interval(bounds, claim=claim), ""


class AssertionForm(ValueEntry, VersionedForm):
    """One quote's stance on a claim, with the value it asserts: as words ("$45M") or as its
    exact bounds (low, high, kind, unit).

    Leave the value empty on a new assertion to have it read from the quote's text; leave
    the kind empty to have it follow from the bounds given. A new assertion whose quote
    overlaps one already linked to the claim is refused with a link to it, unless the
    reviewer ticks "add anyway".
    """

    # The claim page's inline sets the claim its rows belong to.
    claim_shown = None

    add_anyway = forms.BooleanField(
        required=False, label=_("Add anyway"), help_text=ADD_ANYWAY_HELP
    )

    value_written = value_written_field()
    low = ValueBoundField(label=_("Low bound"))
    high = ValueBoundField(label=_("High bound"))

    class Meta:
        model = Assertion
        fields = [
            "claim",
            "quote",
            "stance",
            "value_written",
            "low",
            "high",
            "value_kind",
            "unit",
            "note",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2, "cols": 30}),
            "unit": forms.TextInput(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is not None and "quote" in self.fields:
            self.fields["quote"].disabled = True
            self.fields["quote"].widget = QuoteShown(instance.quote)
        elif "quote" in self.fields:
            # The whole quote, not the 60 characters of its str().
            self.fields["quote"].label_from_instance = lambda quote: quote.exact
        claim = self.claim_shown or (instance.claim if instance.claim_id else None)
        self.show_bounds_for(claim)
        interval = assertion_interval(instance) if instance.pk is not None else None
        if interval is not None:
            self.initial["value_written"] = written(
                interval.low, interval.high, interval.kind, interval.unit
            )
        if claim is not None and "value_written" in self.fields:
            self.fields["value_written"].widget.attrs["data-claim"] = claim.pk
        if instance.pk is not None and "value_written" in self.fields:
            attrs = self.fields["value_written"].widget.attrs
            attrs.update({"data-quote": instance.quote_id, "placeholder": _("no value")})
        if instance.pk is not None and "add_anyway" in self.fields:
            self.fields["add_anyway"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        self.clean_bounds(cleaned)
        if self.words_changed():
            instance = self.instance
            claim = cleaned.get("claim") or self.claim_shown
            if claim is None and instance.claim_id:
                claim = instance.claim
            quote = cleaned.get("quote") or (instance.quote if instance.quote_id else None)
            self.read_words(claim, quote)
        if self.instance.pk is None and not cleaned.get("add_anyway"):
            self._refuse_duplicate_evidence(cleaned)
        return cleaned

    def _refuse_duplicate_evidence(self, cleaned) -> None:
        quote = cleaned.get("quote")
        claim = cleaned.get("claim") or (self.instance.claim if self.instance.claim_id else None)
        if quote is None or claim is None:
            return
        overlapping = list(
            assertions_overlapping(
                claim=claim, source=quote.source, start=quote.start, end=quote.end
            )
        )
        if overlapping:
            message = duplicate_evidence(quote.start, quote.end, overlapping)
            self.add_error(None, ValidationError(message, code="duplicate_evidence"))

    def value_changed(self) -> bool:
        return (
            historical(self.instance) is not None or self.bounds_changed() or self.words_changed()
        )


class AssertionLinkForm(ValueEntry, forms.Form):
    """The source page's panel: link one of the source's quotes to a claim, in place."""

    quote = forms.ModelChoiceField(
        label=_("Quote"),
        queryset=Quote.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Save the passage as a quote of this source first.")},
    )
    claim = forms.ModelChoiceField(
        label=_("Claim"),
        queryset=Claim.objects.all(),
        widget=AutocompleteSelect(Assertion._meta.get_field("claim"), admin.site),
    )
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices, initial=Stance.SUPPORTS)
    value_written = value_written_field()
    low = ValueBoundField(label=_("Low bound"))
    high = ValueBoundField(label=_("High bound"))
    value_kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "---------"), *ValueKind.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Not shown to readers."),
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote"].queryset = source.quotes.select_related("source")

    def clean(self):
        cleaned = super().clean()
        self.clean_bounds(cleaned)
        self.read_words(cleaned.get("claim"), cleaned.get("quote"))
        return cleaned


class QuoteForm(forms.ModelForm):
    """A new quote: the exact text, and its offsets when known (the selection script fills them)."""

    class Meta:
        model = Quote
        fields = ["source", "exact", "start", "end", "prefix", "suffix", "speaker"]
        widgets = {"exact": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end", "prefix", "suffix"):
            if name in self.fields:
                self.fields[name].required = False


def selection_context(name: str) -> forms.CharField:
    """The text just before or after the selection, which tells equal passages apart."""
    return forms.CharField(
        label=Quote._meta.get_field(name).verbose_name,
        required=False,
        strip=False,
        max_length=Quote._meta.get_field(name).max_length,
        widget=forms.TextInput(attrs={"data-selection": name, "readonly": True}),
    )


class QuoteSelectionForm(forms.Form):
    """The source page's "new quote" form, filled from the reviewer's selection."""

    exact = forms.CharField(
        label=_("Exact text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-selection": "exact"}),
        help_text=_("Select a passage in the text, or type it."),
    )
    start = forms.IntegerField(
        label=_("Start offset"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"data-selection": "start"}),
    )
    end = forms.IntegerField(
        label=_("End offset"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"data-selection": "end"}),
    )
    prefix = selection_context("prefix")
    suffix = selection_context("suffix")
    speaker = forms.ModelChoiceField(
        label=_("Speaker"),
        queryset=Entity.objects.all(),
        required=False,
        widget=AutocompleteSelect(Quote._meta.get_field("speaker"), admin.site),
        help_text=_("Who the article quotes; empty for the article's own voice."),
    )


class SourceImportForm(forms.Form):
    """A new source from pasted text or an uploaded UTF-8 text file.

    Its language is read from the text unless the reviewer chooses one. A text the ledger
    holds already, but with other quotes, punctuation or spacing, is not imported unless
    the reviewer ticks "import anyway" (sources.services.sources_like).
    """

    language_read = False  # set when the language was read from the text

    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Empty: the uploaded file's name."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Read from the text")), *Language.choices],
        required=False,
        help_text=_(
            "Left to the text: simplified or traditional Chinese by its characters, else English."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.NEWS)
    outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("Published on"), required=False, widget=AdminDateWidget)
    published_precision = forms.ChoiceField(
        label=_("Published precision"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "vLargeTextField"}),
        help_text=_("Paste the article's full text, or upload it below."),
    )
    upload = forms.FileField(label=_("Upload"), required=False, help_text=_("A UTF-8 text file."))
    import_anyway = forms.BooleanField(
        label=_("Import anyway"),
        required=False,
        help_text=_(
            "Import it as a new source although the ledger has the same text "
            "with other quotes, punctuation or spacing."
        ),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("the file is larger than %(max)s bytes") % {"max": self.max_bytes}
            )
        raw = upload.read()
        try:
            # utf-8-sig: a byte-order mark is not part of the article.
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("the file is not UTF-8 text (byte %(byte)s cannot be decoded)")
                % {"byte": error.start}
            ) from error

    def clean(self):
        cleaned = super().clean()
        text, uploaded = cleaned.get("text", ""), cleaned.get("upload")
        if "upload" in self.errors or "text" in self.errors:
            return cleaned
        if text and uploaded is not None:
            raise ValidationError(_("Paste the text or upload a file, not both."))
        if uploaded is not None:
            cleaned["text"] = uploaded
            if not cleaned.get("title"):
                cleaned["title"] = self.files["upload"].name.rsplit(".", 1)[0]
        if not cleaned.get("text", "").strip():
            self.add_error("text", _("Paste the article's text or upload a file."))
            return cleaned
        if not cleaned.get("title", "").strip():
            self.add_error("title", _("A title is needed for pasted text."))
        if "language" not in self.errors and not cleaned.get("language"):
            cleaned["language"] = detect_language(cleaned["text"])
            self.language_read = True
        return cleaned

    def source_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name not in ("upload", "import_anyway")}


class ConflictForm(forms.ModelForm):
    class Meta:
        model = Conflict
        fields = ["status", "note", "reviewer_note"]
        labels = {"note": _("Public note (shown to readers)")}
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "reviewer_note": forms.Textarea(attrs={"rows": 3}),
        }


class ConflictNoteForm(forms.Form):
    """The note a dismissal or resolution needs, asked for on the action's own page."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        label=_("Public note"),
        help_text=_(
            "Why, for the record; shown to readers on the claim's page "
            "(for example: both true at different dates)."
        ),
    )


class SuggestionAcceptForm(forms.Form):
    """What an accepted suggestion asserts; its value is read from the sentence.

    A sentence overlapping a quote already linked to its claim is not accepted unless the
    reviewer ticks "add anyway"; the error links to the evidence already there.
    """

    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices, initial=Stance.SUPPORTS)
    add_anyway = forms.BooleanField(
        required=False, label=_("Add anyway"), help_text=ADD_ANYWAY_HELP
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("add_anyway"):
            return cleaned
        for suggestion in self.suggestions:
            overlapping = list(
                assertions_overlapping(
                    claim=suggestion.claim,
                    source=suggestion.source,
                    start=suggestion.start,
                    end=suggestion.end,
                )
            )
            if overlapping:
                message = format_html(
                    "«{}» ({}): {}",
                    str(suggestion),
                    suggestion.claim,
                    duplicate_evidence(suggestion.start, suggestion.end, overlapping),
                )
                self.add_error(None, ValidationError(message, code="duplicate_evidence"))
        return cleaned


def value_words(interval: Interval | None, *, compact: bool = False) -> str:
    """A value as the admin shows it: "at most 45,000,000 USD", "2018-02"; "" for none."""
    if interval is None:
        return ""
    return written(interval.low, interval.high, interval.kind, interval.unit, compact=compact)


def assertion_label(assertion: Assertion) -> str:
    interval = assertion_interval(assertion)
    value = f" · {value_words(interval)}" if interval else ""
    return (
        f"#{assertion.pk} {assertion.get_stance_display()} · {assertion.quote.source.title} · "
        f"«{assertion.quote}»{value}"
    )


class AssertionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return assertion_label(obj)


class ClaimChoiceForm(forms.Form):
    """The first step of marking a conflict by hand: which claim."""

    claim = forms.ModelChoiceField(
        label=_("Claim"),
        queryset=Claim.objects.all(),
        widget=AutocompleteSelect(Conflict._meta.get_field("claim"), admin.site),
    )


class ConflictMarkForm(forms.Form):
    """Two assertions of one claim that a reviewer says cannot both hold."""

    first = AssertionChoiceField(label=_("First assertion"), queryset=Assertion.objects.none())
    second = AssertionChoiceField(label=_("Second assertion"), queryset=Assertion.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ConflictKind.choices, initial=ConflictKind.OTHER
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why the two cannot both hold."),
    )

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        assertions = claim.assertions.select_related("quote__source").order_by("id")
        self.fields["first"].queryset = assertions
        self.fields["second"].queryset = assertions


# The dispute page: one form per action on a claim's positions (claims.admin.disputes)

CHANGED_SINCE_LOADED = _("The dispute changed since this page was loaded; choose again.")


class LoadedChoiceField(forms.ChoiceField):
    """A choice among objects the page has already read: listing and checking them costs
    no query. Cleans to the object chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": CHANGED_SINCE_LOADED})
        super().__init__(*args, **kwargs)
        self.objects = {}

    def offer(self, objects, label=str) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        self.choices = [("", "---------"), *((key, label(o)) for key, o in self.objects.items())]

    def clean(self, value):
        key = super().clean(value)
        return self.objects.get(key)


def position_choice_label(position) -> str:
    members = len(position.assertion_ids)
    counted = ngettext("%(count)s assertion", "%(count)s assertions", members) % {"count": members}
    return f"{position.rank + 1}. {position.label} · {position.label_zh} ({counted})"


class PositionMergeForm(forms.Form):
    """Two positions a reviewer says are one side; every conflict between them is dismissed."""

    first = LoadedChoiceField(label=_("Merge"))
    second = LoadedChoiceField(label=_("with"))
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Why the two are one side, kept with every conflict dismissed "
            "(for example: 4500萬 is the same sum rounded)."
        ),
    )

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].offer(positions, position_choice_label)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first is not None and second is not None and first.pk == second.pk:
            self.add_error("second", _("Choose two different positions."))
        return cleaned


class AssertionSetAsideForm(forms.Form):
    """An assertion left out of the positions, with the reason readers see."""

    assertion = LoadedChoiceField(label=_("Assertion"))
    set_aside = forms.ChoiceField(
        label=_("as"),
        choices=[(v, label) for v, label in SetAside.choices if v],
        initial=SetAside.OUTLIER,
        widget=forms.RadioSelect,
    )
    set_aside_note = forms.CharField(
        label=_("Note for readers"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Shown to readers beside the assertion: why it stands outside the dispute."),
    )

    def __init__(self, *args, assertions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assertion"].offer(assertions, assertion_label)


class AssertionBringBackForm(forms.Form):
    """A set-aside assertion brought back into the positions."""

    assertion = LoadedChoiceField(label=_("Assertion"), widget=forms.HiddenInput)

    def __init__(self, *args, assertions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assertion"].offer(assertions)


class DisputeConfirmForm(forms.Form):
    """An Editor confirms every open conflict between the claim's positions."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Kept with every conflict confirmed (optional)."),
    )


class PositionRatingForm(forms.Form):
    """An Editor's rating of one position, with the position as someone made it."""

    position = LoadedChoiceField(label=_("Position"), widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=[("", "---------"), *Verdict.choices[1:]]
    )
    statement = forms.CharField(
        label=_("Statement as made"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
        help_text=_("Attributed, as the speaker made it: Elon Musk: I donated about $100M."),
    )
    statement_zh = forms.CharField(
        label=_("Statement as made (Chinese)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )
    speaker = forms.ModelChoiceField(
        label=_("Speaker"),
        queryset=Entity.objects.all(),
        required=False,
        widget=AutocompleteSelect(PositionRating._meta.get_field("speaker"), admin.site),
        help_text=_(
            "Who made the statement; the speaker quoted most in the position to begin with."
        ),
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rationale_zh = forms.CharField(
        label=_("Rationale (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].offer(positions)

    def rated_position(self):
        """The position being rated, as posted or offered (None if no longer there)."""
        return self.fields["position"].objects.get(str(self["position"].value()))
