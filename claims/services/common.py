"""What every service shares: the ledger's change record, the claim's row lock, a stale
edit's refusal, the allowed-fields check of every update, and the acting user's record."""

import functools
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from claims.models import Claim, LedgerState, Quote


class StaleEdit(Exception):
    """The object changed since the editor loaded it; nothing was saved."""

    def __init__(self, obj, expected_version: int):
        super().__init__(
            _(
                "%(object)s was changed by someone else (your version %(yours)s, current "
                "version %(current)s); reload it and apply your change again"
            )
            % {"object": obj._meta.verbose_name, "yours": expected_version, "current": obj.version}
        )
        self.current = obj
        self.expected_version = expected_version


def _ledger_changed(*, public: bool | QuerySet = True) -> None:
    """Pages' validators and cached responses move on once the current transaction commits.

    `public`: whether readers can see the change (a QuerySet: whether it finds a row).
    """
    LedgerState.record_change(public=public)


def _claim_changed(claim_id: int) -> None:
    _ledger_changed(public=Claim.objects.published().filter(pk=claim_id))


def _quotes_changed(quotes: QuerySet) -> None:
    _ledger_changed(public=quotes.filter(pk__in=Quote.objects.visible_to(None)))


def _lock_claim(claim_id: int) -> Claim:
    """Hold the claim's row until the transaction ends.

    Every change to a claim's assertions or conflicts takes this lock before it reads them,
    so detection and positions always see the writes committed before theirs: two
    reviewers adding conflicting values at once cannot each miss the other's.
    """
    return Claim.objects.select_for_update().get(pk=claim_id)


def refuse_unknown_fields(fields: dict, allowed: Collection[str], *, what: str) -> None:
    """Every update sets only the fields named for it: any other is refused, by name."""
    unknown = fields.keys() - set(allowed)
    if unknown:
        raise ValidationError(
            {
                name: _("%(field)s is not a field %(what)s sets") % {"field": name, "what": what}
                for name in unknown
            }
        )


@dataclass(frozen=True)
class _Acting:
    """Stands for the request in simple_history's context: all it reads is the user."""

    user: object


def records_user(service):
    """The user a service is given (`user=`) is the one its history entries name.

    The history middleware sees only the session's user; an API request's token user is
    known only to the view, which passes it here. With no user (the seed loader, scripts)
    the middleware's user, if any, stands.
    """

    @functools.wraps(service)
    def run(*args, **kwargs):
        user = kwargs.get("user")
        if user is None or not user.is_authenticated:
            return service(*args, **kwargs)
        context = HistoricalRecords.context
        previous = getattr(context, "request", None)
        context.request = _Acting(user)
        try:
            return service(*args, **kwargs)
        finally:
            if previous is None:
                del context.request
            else:
                context.request = previous

    return run
