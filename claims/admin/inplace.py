"""Quote, link and see what changed, in one place.

The source page's panel (claims/static/claims/admin/inplace.js) saves a selected passage as
a quote and links it to a claim without leaving the page, through two small JSON endpoints
of the source admin (InPlaceQuoting); a value typed as words is read as it is typed by the
claim admin's preview (ValuePreview). Every save of an assertion in the admin, there or on
the assertion and claim pages, reports what it did to the claim (Recorded): the value
recorded, the conflicts it opened, the claim's positions before and after.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims import services
from claims.forms import AssertionLinkForm, QuoteSelectionForm, shortened, value_words
from claims.models import Assertion, Claim, Conflict, ConflictStatus, Quote
from domain.intervals import DATE_UNIT, Interval

# Where a page that saves an assertion sends the reviewer back to.
NEXT = "next"


def counted(number: int, noun: str) -> str:
    """ "1 conflict", "3 positions", in the admin's language."""
    forms = {
        "conflict": ngettext("%(count)s conflict", "%(count)s conflicts", number),
        "position": ngettext("%(count)s position", "%(count)s positions", number),
    }
    return forms[noun] % {"count": number}


def value_json(interval: Interval | None) -> dict | None:
    """A value as the panel shows it: its bounds (dates as dates) and its words."""
    if interval is None:
        return None

    def bound(value):
        if value is None:
            return None
        if interval.unit == DATE_UNIT:
            return date.fromordinal(int(value)).isoformat()
        return f"{value.normalize():f}"

    return {
        "low": bound(interval.low),
        "high": bound(interval.high),
        "kind": interval.kind,
        "unit": interval.unit,
        "shown": value_words(interval),
        "label": value_words(interval, compact=True),
    }


def assertion_link(form, claim: Claim, quote: Quote, user) -> Assertion:
    """Link a quote to a claim with the stance, value and note a form was given."""
    data = form.cleaned_data
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


@dataclass(frozen=True)
class Recorded:
    """What saving one assertion did to its claim, counted before and after the save."""

    assertion: Assertion
    claim: Claim
    conflicts_opened: int
    positions_before: int
    positions_after: int

    @property
    def interval(self) -> Interval | None:
        return services.assertion_interval(self.assertion)

    def summary(self) -> str:
        """Recorded at most $45M on “How much money…”; opened 3 conflicts; the claim now has
        2 positions (was 1)."""
        value = value_words(self.interval, compact=True)
        what = value or f"“{self.assertion.get_stance_display()}”"
        if self.conflicts_opened:
            opened = counted(self.conflicts_opened, "conflict")
        else:
            opened = _("no conflicts")
        if self.positions_after == self.positions_before:
            positions = _("the claim still has %(positions)s") % {
                "positions": counted(self.positions_after, "position")
            }
        else:
            positions = _("the claim now has %(positions)s (was %(before)s)") % {
                "positions": counted(self.positions_after, "position"),
                "before": self.positions_before,
            }
        statement = shortened(self.claim.statement_en, 60)
        return _("Recorded %(what)s on “%(statement)s”; opened %(opened)s; %(positions)s.") % {
            "what": what,
            "statement": statement,
            "opened": opened,
            "positions": positions,
        }

    @property
    def claim_url(self) -> str:
        return reverse("admin:claims_claim_change", args=[self.claim.pk])

    @property
    def dispute_url(self) -> str:
        return reverse("admin:claims_claim_dispute", args=[self.claim.pk])

    def summary_html(self):
        return format_html(
            _('{} <a href="{}">The claim</a> · <a href="{}">its dispute</a>.'),
            self.summary(),
            self.claim_url,
            self.dispute_url,
        )

    def as_json(self) -> dict:
        assertion = self.assertion
        return {
            "assertion": {
                "id": assertion.pk,
                "stance": assertion.stance,
                "url": reverse("admin:claims_assertion_change", args=[assertion.pk]),
            },
            "claim": {
                "id": self.claim.pk,
                "statement": self.claim.statement_en,
                "url": self.claim_url,
                "dispute_url": self.dispute_url,
            },
            "value": value_json(self.interval),
            "value_origin": assertion.value_origin,
            "conflicts_opened": self.conflicts_opened,
            "positions_before": self.positions_before,
            "positions_after": self.positions_after,
            "summary": self.summary(),
        }


def _open_conflicts(claim_id: int) -> set[int]:
    return set(
        Conflict.objects.filter(claim_id=claim_id, status=ConflictStatus.OPEN).values_list(
            "pk", flat=True
        )
    )


def _position_count(claim_id: int) -> int:
    return Claim.objects.values_list("position_count", flat=True).get(pk=claim_id)


def recorded(claim: Claim, save: Callable[[], Assertion]) -> Recorded:
    """Save an assertion on the claim through `save` (a service call) and count what changed.

    In one transaction: a refusal changes nothing, and the counts are those of this save.
    """
    with transaction.atomic():
        open_before = _open_conflicts(claim.pk)
        positions_before = _position_count(claim.pk)
        assertion = save()
        opened = len(_open_conflicts(claim.pk) - open_before)
        claim = Claim.objects.only("pk", "statement_en", "position_count").get(pk=claim.pk)
    return Recorded(assertion, claim, opened, positions_before, claim.position_count)


def remember(request, done: Recorded) -> None:
    """Keep what a save did for the response that follows it (the admin's response_*)."""
    request.assertions_recorded = [*recorded_in(request), done]


def recorded_in(request) -> list[Recorded]:
    return getattr(request, "assertions_recorded", [])


def return_url(request, default: str) -> str:
    """Where the reviewer came from (`next`, if it is a page of this site), else `default`."""
    wanted = request.POST.get(NEXT) or request.GET.get(NEXT)
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


# JSON answers


def error_messages(error: Exception) -> tuple[str, dict]:
    """A refusal as one line and as messages by field."""
    if isinstance(error, ValidationError):
        by_field = error.message_dict if hasattr(error, "error_dict") else {}
        return "; ".join(error.messages), by_field
    return str(error) or _("not allowed"), {}


def refused(error: Exception, status: int = 400) -> JsonResponse:
    message, by_field = error_messages(error)
    return JsonResponse({"error": message, "errors": by_field}, status=status)


def invalid(form) -> JsonResponse:
    """A form's errors; the one line names the field of each, as the panel shows them."""
    by_field = {name: list(errors) for name, errors in form.errors.items()}
    lines = [
        f"{form.fields[name].label or name}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in by_field.items()
    ]
    return JsonResponse({"error": "; ".join(lines), "errors": by_field}, status=400)


def forbidden(what: str) -> JsonResponse:
    message = _("Not allowed: %(what)s. Nothing was saved.") % {"what": what}
    return JsonResponse({"error": message}, status=403)


def not_found(what: str) -> JsonResponse:
    return JsonResponse({"error": _("No such %(what)s.") % {"what": what}}, status=404)


# The views


class ValuePreview:
    """The claim admin's live reading of a value typed as words, in the claim's unit.

    GET value/?claim=<id>&text=<words>[&quote=<id>]: the interval and how it will be shown; no
    words and a quote give the value assertion_add would read from the quote.
    """

    def get_urls(self):
        preview = path(
            "value/",
            self.admin_site.admin_view(self.value_preview_view),
            name="claims_claim_value",
        )
        return [preview, *super().get_urls()]

    def value_preview_view(self, request):
        claim = self.get_object(request, request.GET.get("claim", ""))
        if claim is None:
            return not_found(_("claim"))
        if not self.has_view_permission(request, claim):
            return forbidden(_("you cannot see this claim"))
        quote = None
        if request.GET.get("quote", "").isdigit() and request.user.has_perm("claims.view_quote"):
            quote = Quote.objects.select_related("source").filter(pk=request.GET["quote"]).first()
        text = request.GET.get("text", "").strip()
        if text:
            try:
                interval = services.value_typed(
                    claim=claim, text=text, source=quote.source if quote else None
                )
            except ValidationError as error:
                return refused(error)
            return JsonResponse({"value": value_json(interval), "read_from": "words"})
        read = services.value_read(claim=claim, quote=quote) if quote else None
        return JsonResponse(
            {
                "value": value_json(read[0]) if read else None,
                "read_from": "quote" if quote else "",
                "words": read[1] if read else "",
            }
        )


class InPlaceQuoting:
    """The source page's panel: save the selection as a quote, then link it to a claim.

    POST only, CSRF-protected (the admin's views are), answered in JSON: 201 with what was
    saved and the page's new text and quote list, 400 with the service's refusal (nothing
    saved), 403 without the permission. The source admin provides
    `workbench_fragments(request, source)`.
    """

    def get_urls(self):
        views = [
            # Not ".../quote/": the page's own "<path:object_id>/quote/" would take it.
            path(
                "<path:object_id>/panel/selection/",
                self.admin_site.admin_view(self.panel_quote_view),
                name="sources_source_panel_quote",
            ),
            path(
                "<path:object_id>/panel/link/",
                self.admin_site.admin_view(self.panel_link_view),
                name="sources_source_panel_link",
            ),
        ]
        return [*views, *super().get_urls()]

    def _panel_source(self, request, object_id, permission: str):
        """The source, or the JSON answer refusing the request."""
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        source = self.get_object(request, unquote(object_id))
        if source is None:
            return None, not_found(_("source"))
        if not (
            request.user.has_perm(permission)
            and self.has_view_or_change_permission(request, source)
        ):
            return None, forbidden(
                _("you lack the permission %(permission)s") % {"permission": permission}
            )
        return source, None

    def panel_quote_view(self, request, object_id):
        source, refusal = self._panel_source(request, object_id, "claims.add_quote")
        if refusal is not None:
            return refusal
        form = QuoteSelectionForm(request.POST)
        if not form.is_valid():
            return invalid(form)
        try:
            quote = services.quote_create(source=source, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            return refused(error)
        return JsonResponse(
            {
                "quote": {
                    "id": quote.pk,
                    "exact": quote.exact,
                    "start": quote.start,
                    "end": quote.end,
                    "url": reverse("admin:claims_quote_change", args=[quote.pk]),
                },
                "message": _("Quote #%(id)s saved: «%(words)s».")
                % {"id": quote.pk, "words": shortened(quote.exact, 80)},
                **self.workbench_fragments(request, source),
            },
            status=201,
        )

    def panel_link_view(self, request, object_id):
        source, refusal = self._panel_source(request, object_id, "claims.add_assertion")
        if refusal is not None:
            return refusal
        form = AssertionLinkForm(request.POST, source=source)
        if not form.is_valid():
            return invalid(form)
        data = form.cleaned_data
        claim, quote = data["claim"], data["quote"]

        try:
            done = recorded(claim, lambda: assertion_link(form, claim, quote, request.user))
        except ValidationError as error:
            return refused(error)
        except PermissionDenied as error:
            return refused(error, status=403)
        self.log_addition(request, done.assertion, [{"added": {}}])
        fragments = self.workbench_fragments(request, source)
        return JsonResponse(
            {**done.as_json(), "quotes_html": fragments["quotes_html"]},
            status=201,
        )
