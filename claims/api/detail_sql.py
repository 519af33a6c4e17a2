"""A claim's detail as PostgreSQL builds it: one query that writes, with json_agg, the JSON
GET /api/claims/{slug}/ answers a reader who is not a reviewer, value for value and key for
key (tests/api/test_claim_detail_sql.py holds it to claim_detail_row on the seed claims).

A median claim's detail read through the ORM cost about 1 ms of Python per query and three
times the database's own work (benchmarks/README.md, per-request cost); this is one query
and one json.loads. claim_detail_row still answers reviewers, whose detail carries notes,
and SQLite.
"""

import json
from decimal import Decimal
from functools import cache

from django.db import connection

from claims.api.serializers import english_label
from claims.models import DISPUTING_STATUSES, RATING_VALUES, ClaimStatus, Verdict
from domain.intervals import DATE_UNIT


def _iso(column: str) -> str:
    """A timestamp as the API writes one: UTC, microseconds only when there are any, Z."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE "
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN mod(extract(microseconds FROM {utc})::int, 1000000) = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || 'Z' END"
    )


def _bound(column: str, unit: str) -> str:
    """A value's bound as the API writes it: a date for dates, else the number with its
    digits, whole numbers without a fraction."""
    return (
        f"CASE WHEN {column} IS NULL THEN NULL "
        f"WHEN {unit} = '{DATE_UNIT}' "
        f"THEN to_json((date '0001-01-01' + ({column}::int - 1))::text) "
        f"WHEN {column} = trunc({column}) THEN to_json(trunc({column})) "
        f"ELSE to_json(trim_scale({column})) END"
    )


def _case(column: str, values: dict) -> str:
    """A CASE that maps a verdict column's values onto SQL literals."""
    whens = " ".join(f"WHEN '{verdict}' THEN {shown}" for verdict, shown in values.items())
    return f"CASE {column} {whens} END"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@cache
def claim_detail_sql() -> str:
    labels = {v.value: _quoted(english_label(v)) for v in Verdict if v.value}
    return _DETAIL.format(
        published=_quoted(ClaimStatus.PUBLISHED),
        disputing=", ".join(_quoted(status) for status in DISPUTING_STATUSES),
        claim_rating=_case("c.verdict", RATING_VALUES),
        rating=_case("r.verdict", RATING_VALUES),
        rating_label=_case("r.verdict", labels),
    )


def published_claim_detail(slug: str) -> tuple[dict, int, int] | None:
    """The detail of the published claim with that slug, as claim_detail_row shows it to a
    reader who is not a reviewer, with the claim's id and version; None if there is no such
    claim. PostgreSQL only."""
    with connection.cursor() as cursor:
        cursor.execute(claim_detail_sql(), [slug])
        found = cursor.fetchone()
    if found is None:
        return None
    document, pk, version = found
    return json.loads(document, parse_float=Decimal), pk, version


_DETAIL = f"""
SELECT json_build_object(
    'slug', c.slug, 'statement_en', c.statement_en, 'statement_zh', c.statement_zh,
    'kind', c.kind, 'unit', c.unit, 'status', c.status, 'verdict', c.verdict,
    'rating_value', {{claim_rating}},
    'rationale', c.rationale,
    'subjects', (SELECT coalesce(json_agg(e.slug ORDER BY e.name), '[]')
                 FROM claims_claim_subjects cs JOIN claims_entity e ON e.id = cs.entity_id
                 WHERE cs.claim_id = c.id),
    'topics', (SELECT coalesce(json_agg(t.slug ORDER BY t.name), '[]')
               FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
               WHERE ct.claim_id = c.id),
    'disputed', c.disputed, 'position_count', c.position_count,
    'positions_summary', (
        SELECT coalesce(string_agg(
            p.label || ' (' || jsonb_array_length(p.source_ids) || ')', ' | ' ORDER BY p.rank
        ), '')
        FROM claims_position p WHERE p.claim_id = c.id),
    'open_conflict_count', (SELECT count(*) FROM claims_conflict f
                            WHERE f.claim_id = c.id AND f.status IN ({{disputing}})),
    'assertion_count', (SELECT count(*) FROM claims_assertion a WHERE a.claim_id = c.id),
    'source_count', (SELECT count(DISTINCT q.source_id) FROM claims_assertion a
                     JOIN claims_quote q ON q.id = a.quote_id WHERE a.claim_id = c.id),
    'version', c.version, 'published_at', {_iso("c.published_at")},
    'created_at', {_iso("c.created_at")}, 'updated_at', {_iso("c.updated_at")},
    'positions', (
        SELECT coalesce(json_agg(json_build_object(
            'id', p.id, 'label', p.label, 'label_zh', p.label_zh,
            'value', CASE WHEN p.value_kind = '' THEN NULL ELSE json_build_object(
                'low', {_bound("p.low", "p.unit")}, 'high', {_bound("p.high", "p.unit")},
                'unit', p.unit) END,
            'stance', p.stance, 'assertions', p.assertion_ids, 'bridging', p.bridging_ids,
            'sources', p.source_ids, 'speakers', p.speakers,
            'first_published_on', p.first_published_on,
            'rating', r.verdict, 'rating_label', {{rating_label}},
            'rating_value', {{rating}},
            'statement', r.statement, 'statement_zh', r.statement_zh,
            'rationale', r.rationale, 'rationale_zh', r.rationale_zh,
            'rated_evidence_changed', r.evidence_changed) ORDER BY p.rank), '[]')
        FROM claims_position p
        LEFT JOIN LATERAL (SELECT * FROM claims_positionrating pr WHERE pr.position_id = p.id
                           ORDER BY pr.rated_at DESC, pr.id DESC LIMIT 1) r ON true
        WHERE p.claim_id = c.id),
    'assertions', (
        SELECT coalesce(json_agg(json_build_object(
            'id', a.id, 'claim', c.slug, 'stance', a.stance,
            'value', CASE WHEN a.value_kind = '' THEN NULL ELSE json_build_object(
                'low', {_bound("a.low", "a.unit")}, 'high', {_bound("a.high", "a.unit")},
                'kind', a.value_kind, 'unit', a.unit,
                'text', a.value_text, 'origin', a.value_origin) END,
            'speaker', sp.slug,
            'quote', json_build_object(
                'id', q.id, 'exact', q.exact, 'start', q.start, 'end', q."end",
                'prefix', q.prefix, 'suffix', q.suffix, 'anchor_state', q.anchor_state,
                'source', json_build_object('id', s.id, 'title', s.title, 'outlet', s.outlet,
                                            'published_on', s.published_on, 'url', s.url)),
            'version', a.version, 'created_at', {_iso("a.created_at")},
            'updated_at', {_iso("a.updated_at")})
            ORDER BY s.published_on, s.id, q.start), '[]')
        FROM claims_assertion a
        JOIN claims_quote q ON q.id = a.quote_id
        JOIN sources_source s ON s.id = q.source_id
        LEFT JOIN claims_entity sp ON sp.id = q.speaker_id
        WHERE a.claim_id = c.id),
    'conflicts', (
        SELECT coalesce(json_agg(json_build_object(
            'id', f.id, 'claim', c.slug, 'kind', f.kind, 'status', f.status,
            'origin', f.origin, 'assertions', json_build_array(f.first_id, f.second_id),
            'reason', f.reason, 'note', f.note, 'created_at', {_iso("f.created_at")},
            'updated_at', {_iso("f.updated_at")}) ORDER BY f.status, f.id), '[]')
        FROM claims_conflict f WHERE f.claim_id = c.id)
)::text, c.id, c.version
FROM claims_claim c WHERE c.slug = %s AND c.status = {{published}}
"""
