"""Who may read and write what over the API.

Anonymous clients and plain users read published claims and what hangs off them; Reviewers
and Editors (claims/roles.py) see everything, reviewer notes included, and write. Writes are
checked against the same model permissions the admin uses; publishing and verdicts are
enforced by the services.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from rest_framework.authtoken.models import Token
from rest_framework.permissions import (
    SAFE_METHODS,
    BasePermission,
    DjangoModelPermissionsOrAnonReadOnly,
)

from claims.models import Assertion, Claim, Conflict, Entity, Quote, Topic, is_reviewer
from claims.roles import EDITOR, REVIEWER
from sources.models import Source


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's: writes need the model's permission, reads none. A read is answered at once,
    where DRF's would build the view's queryset first only to learn its model."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return bool(request.user)
        return super().has_permission(request, view)


def visible_claims(user):
    return Claim.objects.visible_to(user)


def visible_quotes(user):
    return Quote.objects.visible_to(user)


def visible_sources(user):
    if is_reviewer(user):
        return Source.objects.all()
    return Source.objects.filter(Exists(visible_quotes(user).filter(source=OuterRef("pk"))))


def visible_assertions(user):
    if is_reviewer(user):
        return Assertion.objects.all()
    return Assertion.objects.filter(claim__in=visible_claims(user))


def visible_conflicts(user):
    if is_reviewer(user):
        return Conflict.objects.all()
    return Conflict.objects.filter(claim__in=visible_claims(user))


def visible_entities(user):
    if is_reviewer(user):
        return Entity.objects.all()
    return Entity.objects.filter(
        Q(Exists(visible_claims(user).filter(subjects=OuterRef("pk"))))
        | Q(Exists(visible_quotes(user).filter(speaker=OuterRef("pk"))))
    )


def visible_topics(user):
    if is_reviewer(user):
        return Topic.objects.all()
    return Topic.objects.filter(Exists(visible_claims(user).filter(topics=OuterRef("pk"))))


class ReviewersOnly(BasePermission):
    """Reviewer tools (suggestions): reading and acting on them both need a reviewer."""

    def has_permission(self, request, view):
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perms(["claims.view_suggestion", "claims.change_suggestion"])
        )


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
