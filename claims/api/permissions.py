"""Who may read and write what over the API: the DRF side of claims.permissions.

Anonymous clients and plain users read published claims and what hangs off them; Reviewers
and Editors (claims/roles.py) see everything, reviewer notes included, and write (what each
sees is its QuerySet's `visible_to`, claims.querysets). Writes are checked against the same
model permissions the admin uses; publishing and verdicts are enforced by the services.
"""

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.permissions import (
    SAFE_METHODS,
    BasePermission,
    DjangoModelPermissionsOrAnonReadOnly,
)

from claims.permissions import can_work_on_suggestions
from claims.roles import EDITOR, REVIEWER


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's: writes need the model's permission, reads none. A read is answered at once,
    where DRF's would build the view's queryset first only to learn its model."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return bool(request.user)
        return super().has_permission(request, view)


class ReviewersOnly(BasePermission):
    """Reviewer tools (suggestions): reading and acting on them both need a reviewer."""

    def has_permission(self, request, view):
        return can_work_on_suggestions(request.user)


class TokenRefused(Exception):
    pass


def token_for(username: str) -> Token:
    """The API token of a Reviewer or Editor, created on first use."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TokenRefused(f"no user named {username!r}")
    if not user.is_active:
        raise TokenRefused(f"{username} is not active")
    if not user.groups.filter(name__in=[REVIEWER, EDITOR]).exists():
        raise TokenRefused(f"{username} is in neither the {REVIEWER} nor the {EDITOR} group")
    token, _ = Token.objects.get_or_create(user=user)
    return token
