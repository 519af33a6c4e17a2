"""Who may do what in the ledger: the roles' checks, one place for admin, API and services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_reviewer(user) -> bool:
    """Reviewers and Editors (and superusers) see drafts and reviewer notes; no one else."""
    return bool(user and user.is_authenticated and user.has_perm("claims.view_claim"))


def can_publish(user) -> bool:
    """Editors publish and set verdicts; None is the system itself (seed loader, scripts)."""
    return user is None or user.has_perm("claims.publish_claim")


def require_publisher(user, what: str):
    """`what`: the action refused, translated (as the callers' gettext gives it)."""
    if not can_publish(user):
        raise PermissionDenied(_("only editors may %(action)s") % {"action": what})


def can_review(user) -> bool:
    """Whether a user works on claims: Reviewers and Editors (and superusers)."""
    return bool(user and user.is_active and user.has_perm("claims.change_claim"))


def can_work_on_suggestions(user) -> bool:
    """Reviewer tools (suggestions): reading and acting on them both need a reviewer."""
    return bool(
        user
        and user.is_authenticated
        and user.has_perms(["claims.view_suggestion", "claims.change_suggestion"])
    )
