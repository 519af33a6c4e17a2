"""Test data made through the real services, so every rule holds for it too."""

import itertools

from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from claims import services
from claims.models import ClaimStatus, Entity
from claims.roles import sync_roles
from sources.services import source_import

_numbers = itertools.count(1)


def make_source(text=None, **fields):
    n = next(_numbers)
    text = text or f"第{n}篇。马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。"
    defaults = {"title": f"Source {n}", "language": "zh-Hans"}
    return source_import(text=text, **{**defaults, **fields})[0]


def make_entity(slug=None, aliases=(), **fields):
    n = next(_numbers)
    entity = Entity.objects.create(
        slug=slug or f"entity-{n}",
        name=fields.pop("name", f"Entity {n}"),
        kind=fields.pop("kind", "person"),
        **fields,
    )
    for alias in aliases:
        entity.aliases.create(name=alias)
    return entity


def make_claim(kind="quantity", unit="USD", **fields):
    n = next(_numbers)
    defaults = {"slug": f"claim-{n}", "statement_en": f"Claim {n}?"}
    return services.claim_create(kind=kind, unit=unit, **{**defaults, **fields})


def make_quote(source, exact, **fields):
    return services.quote_create(source=source, exact=exact, **fields)


def publish(claim, verdict="mixed", rationale="The sources disagree."):
    """Give the claim a verdict (unless `verdict` is empty) and publish it, as an Editor would."""
    if verdict:
        claim = services.claim_set_verdict(claim=claim, verdict=verdict, rationale=rationale)
    claim = services.claim_set_status(claim=claim, status=ClaimStatus.IN_REVIEW)
    return services.claim_set_status(claim=claim, status=ClaimStatus.PUBLISHED)


def make_user(username: str, group: str | None = None) -> User:
    """A user; with a group (Reviewer or Editor), a staff member of that role."""
    user = User.objects.create_user(username, password="pw", is_staff=group is not None)
    if group:
        # The groups come from a migration; a transactional test elsewhere may have flushed them.
        sync_roles(Group, Permission)
        user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
