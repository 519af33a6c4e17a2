"""Deleted assertions, quotes and conflicts, read from their history, and restoring them."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from claims import services
from claims.models import Assertion, Claim, Conflict, ConflictOrigin, ConflictStatus, Quote
from sources.models import Source

# What can be restored, by the name the page posts, with the service that restores it.
RESTORERS = {
    "assertion": (Assertion, services.assertion_restore),
    "quote": (Quote, services.quote_restore),
    "conflict": (Conflict, services.conflict_restore),
}
# How many deletions of each kind the page lists, the latest first.
LISTED = 100


@dataclass
class Deleted:
    kind: str
    history_id: int
    object_id: int
    what: str
    when: object
    who: object

    @property
    def kind_name(self) -> str:
        return RESTORERS[self.kind][0]._meta.verbose_name


def deletions(model, *leaving_out) -> list:
    """The latest deletion record of each object of `model` that is still deleted."""
    records = (
        model.history.filter(history_type="-")
        .exclude(*leaving_out)
        .exclude(id__in=model.objects.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest = {}
    for record in records[: LISTED * 2]:
        latest.setdefault(record.id, record)
    return list(latest.values())[:LISTED]


def shortened(text: str) -> str:
    return Truncator(text).chars(80)


def deleted_items() -> list[Deleted]:
    """Every kind's deletions, each described by what it was about (read in a few queries)."""
    assertions, quotes = deletions(Assertion), deletions(Quote)
    # Detection removes and brings back open detected conflicts by itself: not listed.
    conflicts = deletions(Conflict, Q(status=ConflictStatus.OPEN, origin=ConflictOrigin.AUTO))
    claims = Claim.objects.in_bulk(
        {r.claim_id for r in assertions} | {r.claim_id for r in conflicts}
    )
    quoted = Quote.objects.in_bulk({r.quote_id for r in assertions})
    # A deleted assertion's quote may be deleted too: its words are in its history.
    gone = {r.quote_id for r in assertions} - set(quoted)
    quoted.update((r.id, r) for r in Quote.history.filter(id__in=gone).order_by("history_date"))
    sources = Source.objects.in_bulk({r.source_id for r in quotes})

    def claim_of(record) -> str:
        claim = claims.get(record.claim_id)
        if claim is not None:
            return str(claim)
        return _("deleted claim %(id)s") % {"id": record.claim_id}

    items = []
    for record in assertions:
        quote = quoted.get(record.quote_id)
        if quote is not None:
            words = f"«{shortened(quote.exact)}»"
        else:
            words = _("quote %(id)s") % {"id": record.quote_id}
        what = _("%(stance)s: %(words)s on %(claim)s") % {
            "stance": record.get_stance_display(),
            "words": words,
            "claim": claim_of(record),
        }
        items.append(("assertion", record, what))
    for record in quotes:
        source = sources.get(record.source_id)
        if source is not None:
            where = source.title
        else:
            where = _("deleted source %(id)s") % {"id": record.source_id}
        what = _("«%(words)s» in %(source)s") % {"words": shortened(record.exact), "source": where}
        items.append(("quote", record, what))
    for record in conflicts:
        what = _("%(kind)s (%(status)s) on %(claim)s") % {
            "kind": record.get_kind_display(),
            "status": record.get_status_display().lower(),
            "claim": claim_of(record),
        } + (f": {shortened(record.note)}" if record.note else "")
        items.append(("conflict", record, what))
    listed = [
        Deleted(kind, r.history_id, r.id, what, r.history_date, r.history_user)
        for kind, r, what in items
    ]
    return sorted(listed, key=lambda item: item.when, reverse=True)


class DeletedViews:
    """The claim admin's page of deleted evidence, with a Restore button on each row."""

    def get_urls(self):
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name="claims_claim_deleted",
        )
        return [deleted, *super().get_urls()]

    def deleted_view(self, request):
        if not any(request.user.has_perm(f"claims.view_{kind}") for kind in RESTORERS):
            raise PermissionDenied
        if request.method == "POST":
            return self.restore(request)
        items = deleted_items()
        return self.render_page(
            request,
            "admin/claims/claim/deleted.html",
            _("Deleted evidence"),
            self.media,
            items=items,
            can_restore={kind for kind in RESTORERS if request.user.has_perm(f"claims.add_{kind}")},
        )

    def restore(self, request):
        kind = request.POST.get("kind", "")
        if kind not in RESTORERS:
            raise Http404("nothing of that kind is restored here")
        if not request.user.has_perm(f"claims.add_{kind}"):
            raise PermissionDenied
        model, restorer = RESTORERS[kind]
        try:
            history_id = int(request.POST.get("history_id", ""))
        except ValueError as error:
            raise Http404("no such record") from error
        try:
            restored = restorer(history_id=history_id, user=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("Not restored, nothing changed: %(errors)s.")
                % {"errors": "; ".join(error.messages)},
                messages.ERROR,
            )
            return redirect("admin:claims_claim_deleted")
        self.message_user(
            request,
            _("Restored %(kind)s “%(restored)s”.")
            % {"kind": model._meta.verbose_name, "restored": restored},
        )
        return redirect(reverse(f"admin:claims_{kind}_change", args=[restored.pk]))
