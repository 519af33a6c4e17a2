"""Who may do what in the ledger: the roles' checks, one place for admin, API and services."""

from django.core.exceptions import PermissionDenied


def can_publish(user) -> bool:
    """Editors publish and set verdicts; None is the system itself (seed loader, scripts)."""
    return user is None or user.has_perm("claims.publish_claim")


def require_publisher(user, what: str):
    if not can_publish(user):
        raise PermissionDenied(f"only editors may {what}")


def can_review(user) -> bool:
    """Whether a user works on claims: Reviewers and Editors (and superusers)."""
    return bool(user and user.is_active and user.has_perm("claims.change_claim"))
