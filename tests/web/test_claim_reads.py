"""On PostgreSQL the claim page reads its claim in one query (claims.web.claim_reads); SQLite
reads it through the ORM. The two readers must hand the page the same objects."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models

from claims import services
from claims.models import Claim, Entity, Position
from claims.web.claim_reads import CARDS_PER_STANCE, read_in_one_query, read_through_orm

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def held(value):
    """What a read holds, by repr: each instance's fields, annotations and attributes, which
    of its fields are left unread, and the related objects read with it."""
    if isinstance(value, models.Model):
        # (prefetch_related(to_attr=…) leaves an empty prefetch cache behind.)
        state = {
            name: held(v)
            for name, v in vars(value).items()
            if name != "_state" and (v or name != "_prefetched_objects_cache")
        }
        state["deferred"] = sorted(value.get_deferred_fields())
        # The ORM also remembers what a row was read through (the claim, a rating's
        # position); the page never asks them of the row.
        state["related"] = {
            name: held(v)
            for name, v in value._state.fields_cache.items()
            if name not in ("claim", "position")
        }
        return state
    if isinstance(value, list):
        return [held(v) for v in value]
    return repr(value)


def both_reads(slug, user):
    in_one_query, through_orm = read_in_one_query(slug, user), read_through_orm(slug, user)
    if through_orm is None:
        assert in_one_query is None
        return None
    (claim, reads), (orm_claim, orm_reads) = in_one_query, through_orm
    assert held(claim) == held(orm_claim)
    for name in ("conflicts", "positions", "subjects", "topics", "whole"):
        assert held(getattr(reads, name)) == held(getattr(orm_reads, name)), name
    return claim, reads


@pytest.fixture
def rated(seeded, editor):
    """A rating in force, with its speaker, over an earlier one."""
    position = Position.objects.filter(claim__status="published").first()
    speaker = Entity.objects.first()
    services.position_rate(position=position, verdict="mixed", statement="First.", user=editor)
    services.position_rate(
        position=position,
        verdict="mostly_false",
        statement="Said so.",
        statement_zh="如是说。",
        rationale="Why.",
        speaker=speaker,
        user=editor,
    )
    return position


def test_both_readers_read_every_seed_claim_alike(rated, reviewer):
    claims = Claim.objects.all()
    assert claims.exclude(status="published").exists()
    read = {}
    for claim in claims:
        for user in (AnonymousUser(), reviewer):
            read[claim.slug, user.is_anonymous] = both_reads(claim.slug, user)
    # Among them: positions, a rating with its speaker, conflicts, subjects, topics, values.
    claim, reads = read[rated.claim.slug, True]
    rating = next(p for p in reads.positions if p.pk == rated.pk).ratings_latest_first[0]
    assert (rating.statement, rating.speaker) == ("Said so.", Entity.objects.first())
    everything = [r for r in read.values() if r]
    assert any(reads.conflicts for _claim, reads in everything)
    assert any(reads.subjects and reads.topics for _claim, reads in everything)
    assert any(a.low is not None for _claim, reads in everything for a in reads.whole)
    assert any(a.quote.speaker for _claim, reads in everything for a in reads.whole)
    # Readers see only published claims; reviewers all of them.
    for claim in claims.exclude(status="published"):
        assert read[claim.slug, True] is None
        assert read[claim.slug, False] is not None
    assert both_reads("no-such-claim", reviewer) is None


def test_a_claim_longer_than_its_page_is_not_read_whole(quoted_claim):
    claim, _source, grow = quoted_claim
    grow(CARDS_PER_STANCE)
    _claim, reads = both_reads(claim.slug, AnonymousUser())
    assert len(reads.whole) == CARDS_PER_STANCE
    grow(CARDS_PER_STANCE + 1)
    read, reads = both_reads(claim.slug, AnonymousUser())
    assert (read.assertion_count, reads.whole) == (CARDS_PER_STANCE + 1, None)
