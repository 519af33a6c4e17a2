"""What the claim page reads of a claim: the claim, its conflicts, positions (with their
ratings), subjects and topics, and, for a claim whose page shows every one of its
assertions, those assertions whole, with their quotes, sources and context windows.

On PostgreSQL it is one query: PostgreSQL writes the rows as JSON and they become the same
model instances the ORM makes. The ORM took eight queries, and most of a median claim's page
time was their Python (benchmarks/README.md). SQLite reads them through the ORM.
tests/web/test_claim_reads.py holds the two readers to the same objects.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connection, models

from claims.models import (
    EVIDENCE_ORDER,
    EVIDENCE_UNSHOWN,
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    Entity,
    Position,
    PositionRating,
    Quote,
    Topic,
)
from claims.permissions import is_reviewer
from claims.querysets import ranked_positions
from claims.web import passages
from sources.models import Source

# The cards a stance column of the claim page shows: a claim with at most this many
# assertions shows them all, so they are read whole with the claim.
CARDS_PER_STANCE = 30


def _unshown(path: str) -> set[str]:
    """The fields EVIDENCE_UNSHOWN leaves out of the model at `path` from an assertion."""
    return {
        name.removeprefix(path)
        for name in EVIDENCE_UNSHOWN
        if name.startswith(path) and "__" not in name.removeprefix(path)
    }


UNSHOWN = {Assertion: _unshown(""), Quote: _unshown("quote__"), Source: _unshown("quote__source__")}


@dataclass
class ClaimReads:
    """What the claim page reads of a claim besides the claim itself."""

    conflicts: list[Conflict]
    # In rank order, each with `ratings_latest_first` (querysets.ranked_positions()).
    positions: list[Position]
    subjects: list[Entity]
    topics: list[Topic]
    # In evidence order, when the page shows every assertion; else None.
    whole: list[Assertion] | None


def read_claim(slug: str, user) -> tuple[Claim, ClaimReads] | None:
    """The claim with that slug that `user` may see, with `assertion_count` set, and what
    its page reads of it; None if there is none."""
    if connection.vendor == "postgresql":
        return read_in_one_query(slug, user)
    return read_through_orm(slug, user)


def read_through_orm(slug: str, user) -> tuple[Claim, ClaimReads] | None:
    claims = Claim.objects.visible_to(user).with_assertion_count()
    claim = claims.filter(slug=slug).first()
    if claim is None:
        return None
    whole = None
    if claim.assertion_count <= CARDS_PER_STANCE:
        whole = list(read_whole(claim.assertions.order_by(*EVIDENCE_ORDER)))
    return claim, ClaimReads(
        conflicts=list(claim.conflicts.order_by("pk")),
        positions=list(ranked_positions().filter(claim=claim)),
        subjects=list(claim.subjects.all()),
        topics=list(claim.topics.all()),
        whole=whole,
    )


def read_whole(assertions):
    """Assertions read whole: with their quotes, sources and context windows, less what the
    page never shows (EVIDENCE_UNSHOWN)."""
    return (
        assertions.select_related("quote__source", "quote__speaker")
        .defer(*EVIDENCE_UNSHOWN)
        .with_context(passages.CONTEXT_LIMIT)
    )


# One query


def _columns(model, alias: str, leave=frozenset()) -> str:
    """A json_build_object of the model's columns, keyed by attname, in field order."""
    pairs = (
        f"'{f.attname}', {alias}.{connection.ops.quote_name(f.column)}"
        for f in model._meta.concrete_fields
        if f.attname not in leave
    )
    return f"json_build_object({', '.join(pairs)})"


def _columns_or_null(model, alias: str) -> str:
    """_columns() of a LEFT JOIN's row, NULL where it found none."""
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE {_columns(model, alias)} END"


@cache
def _sql() -> str:
    # read_through_orm() in SQL: its orders (ranked_positions(), EVIDENCE_ORDER), the context
    # window of querysets._context() and Claim.objects.visible_to() are written again here,
    # and tests/web/test_claim_reads.py holds the two readers to the same objects.
    context = passages.CONTEXT_LIMIT
    offset = f"greatest(q.start - {context + 1}, 0)"
    assertion = _columns(Assertion, "a", UNSHOWN[Assertion])
    quote = _columns(Quote, "q", UNSHOWN[Quote])
    source = _columns(Source, "s", UNSHOWN[Source])
    return f"""
SELECT json_build_object(
    'claim', {_columns(Claim, "c")},
    'assertion_count', n.count,
    'conflicts', (SELECT coalesce(json_agg({_columns(Conflict, "f")} ORDER BY f.id), '[]')
                  FROM claims_conflict f WHERE f.claim_id = c.id),
    'positions', (
        SELECT coalesce(json_agg(json_build_object(
            'position', {_columns(Position, "p")},
            'ratings', (
                SELECT coalesce(json_agg(json_build_object(
                    'rating', {_columns(PositionRating, "r")},
                    'speaker', {_columns_or_null(Entity, "rs")})
                    ORDER BY r.rated_at DESC, r.id DESC), '[]')
                FROM claims_positionrating r LEFT JOIN claims_entity rs ON rs.id = r.speaker_id
                WHERE r.position_id = p.id))
            ORDER BY p.rank), '[]')
        FROM claims_position p WHERE p.claim_id = c.id),
    'subjects', (SELECT coalesce(json_agg({_columns(Entity, "e")} ORDER BY e.name), '[]')
                 FROM claims_claim_subjects cs JOIN claims_entity e ON e.id = cs.entity_id
                 WHERE cs.claim_id = c.id),
    'topics', (SELECT coalesce(json_agg({_columns(Topic, "t")} ORDER BY t.name), '[]')
               FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
               WHERE ct.claim_id = c.id),
    'whole', CASE WHEN n.count <= %(cards_per_stance)s THEN (
        SELECT coalesce(json_agg(json_build_object(
            'assertion', {assertion}, 'quote', {quote}, 'source', {source},
            'speaker', {_columns_or_null(Entity, "sp")},
            'context_offset', {offset},
            'context_window', substr(s.text, {offset} + 1, q."end" + {context + 1} - {offset}))
            ORDER BY s.published_on, s.id, q.start), '[]')
        FROM claims_assertion a
        JOIN claims_quote q ON q.id = a.quote_id
        JOIN sources_source s ON s.id = q.source_id
        LEFT JOIN claims_entity sp ON sp.id = q.speaker_id
        WHERE a.claim_id = c.id) END
)::text
FROM claims_claim c,
     LATERAL (SELECT count(*) FROM claims_assertion a WHERE a.claim_id = c.id) n
WHERE c.slug = %(slug)s AND (c.status = %(published)s OR NOT %(published_only)s)
"""


@cache
def _converters(model) -> dict:
    """How a column's JSON becomes its Python value, where JSON has no type for it."""
    return {
        f.attname: f.to_python
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField | models.DecimalField)  # DateTimeField is a DateField
    }


def _instance(model, row: dict):
    """The model instance of a row from _columns(), as the ORM would have read it."""
    convert = _converters(model)
    values = [
        convert[name](value) if value is not None and name in convert else value
        for name, value in row.items()
    ]
    return model.from_db(connection.alias, list(row), values)


def read_in_one_query(slug: str, user) -> tuple[Claim, ClaimReads] | None:
    """read_through_orm(), in one query. PostgreSQL only."""
    # Claim.objects.visible_to(user), in SQL.
    published_only = not is_reviewer(user)
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(),
            {
                "slug": slug,
                "published": ClaimStatus.PUBLISHED,
                "published_only": published_only,
                "cards_per_stance": CARDS_PER_STANCE,
            },
        )
        found = cursor.fetchone()
    if found is None:
        return None
    read = json.loads(found[0], parse_float=Decimal)
    claim = _instance(Claim, read["claim"])
    claim.assertion_count = read["assertion_count"]
    return claim, ClaimReads(
        conflicts=[_instance(Conflict, row) for row in read["conflicts"]],
        positions=[_position(row) for row in read["positions"]],
        subjects=[_instance(Entity, row) for row in read["subjects"]],
        topics=[_instance(Topic, row) for row in read["topics"]],
        whole=None if read["whole"] is None else [_assertion(row) for row in read["whole"]],
    )


def _position(row: dict) -> Position:
    position = _instance(Position, row["position"])
    position.ratings_latest_first = []  # as querysets.ranked_positions() reads them
    for read in row["ratings"]:
        rating = _instance(PositionRating, read["rating"])
        rating.speaker = read["speaker"] and _instance(Entity, read["speaker"])
        position.ratings_latest_first.append(rating)
    return position


def _assertion(row: dict) -> Assertion:
    assertion = _instance(Assertion, row["assertion"])
    quote = _instance(Quote, row["quote"])
    quote.source = _instance(Source, row["source"])
    quote.speaker = row["speaker"] and _instance(Entity, row["speaker"])
    assertion.quote = quote
    assertion.context_offset = row["context_offset"]
    assertion.context_window = row["context_window"]
    return assertion
