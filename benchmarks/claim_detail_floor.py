"""A claim with about 1,000 assertions: its detail, page and API, against the SQL floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python \
        benchmarks/claim_detail_floor.py [--assertions 1000]

The floor is one hand-written query that builds the API's claim detail payload (claim,
counts, subjects, topics, positions with their ratings, every assertion with its quote and
source, conflicts) as JSON
inside PostgreSQL with json_agg. It takes turns, run by run, with:
- the API's ClaimDetailSerializer rendered to JSON bytes (no HTTP);
- GET /api/claims/{slug}/ and GET /claims/{slug}/ through the whole Django stack
  (middleware, sessions, rendering), with the published-response cache off.
"""

import argparse
import os

from harness import ledger_size, machine, row, setup_django, timed_alternately

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP, as behind a TLS proxy
setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402

from claims.api.serializers import ClaimDetailSerializer  # noqa: E402
from claims.models import Claim  # noqa: E402

FLOOR = """
SELECT json_build_object(
    'slug', c.slug, 'statement_en', c.statement_en, 'statement_zh', c.statement_zh,
    'kind', c.kind, 'unit', c.unit, 'status', c.status, 'verdict', c.verdict,
    'rationale', c.rationale, 'version', c.version, 'published_at', c.published_at,
    'created_at', c.created_at, 'updated_at', c.updated_at,
    'subjects', (SELECT coalesce(json_agg(e.slug ORDER BY e.name), '[]')
                 FROM claims_claim_subjects cs JOIN claims_entity e ON e.id = cs.entity_id
                 WHERE cs.claim_id = c.id),
    'topics', (SELECT coalesce(json_agg(t.slug ORDER BY t.name), '[]')
               FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
               WHERE ct.claim_id = c.id),
    'assertion_count', (SELECT count(*) FROM claims_assertion a WHERE a.claim_id = c.id),
    'source_count', (SELECT count(DISTINCT q.source_id) FROM claims_assertion a
                     JOIN claims_quote q ON q.id = a.quote_id WHERE a.claim_id = c.id),
    'open_conflict_count', (SELECT count(*) FROM claims_conflict f
                            WHERE f.claim_id = c.id AND f.status IN ('open', 'confirmed')),
    'disputed', c.disputed, 'position_count', c.position_count,
    'positions', (
        SELECT coalesce(json_agg(json_build_object(
            'id', p.id, 'label', p.label, 'label_zh', p.label_zh,
            'value', CASE WHEN p.value_kind = '' THEN NULL ELSE json_build_object(
                'low', p.low, 'high', p.high, 'unit', p.unit) END,
            'stance', p.stance, 'assertions', p.assertion_ids, 'bridging', p.bridging_ids,
            'sources', p.source_ids, 'speakers', p.speakers,
            'first_published_on', p.first_published_on,
            'rating', r.verdict, 'statement', r.statement, 'statement_zh', r.statement_zh,
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
                'low', a.low, 'high', a.high, 'kind', a.value_kind, 'unit', a.unit,
                'text', a.value_text, 'origin', a.value_origin) END,
            'speaker', sp.slug,
            'quote', json_build_object(
                'id', q.id, 'exact', q.exact, 'start', q.start, 'end', q."end",
                'prefix', q.prefix, 'suffix', q.suffix, 'anchor_state', q.anchor_state,
                'source', json_build_object('id', s.id, 'title', s.title, 'outlet', s.outlet,
                                            'published_on', s.published_on, 'url', s.url)),
            'version', a.version, 'created_at', a.created_at, 'updated_at', a.updated_at)
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
            'reason', f.reason, 'note', f.note, 'created_at', f.created_at,
            'updated_at', f.updated_at) ORDER BY f.status, f.id), '[]')
        FROM claims_conflict f WHERE f.claim_id = c.id)
)::text
FROM claims_claim c WHERE c.id = %s
"""


def claim_near(assertions: int) -> Claim:
    """The published claim with about that many assertions (±10%) and the most conflicts."""
    counted = Claim.objects.published().annotate(
        n=Count("assertions", distinct=True), conflict_count=Count("conflicts", distinct=True)
    )
    near = counted.filter(n__gte=assertions * 0.9, n__lte=assertions * 1.1)
    return near.order_by("-conflict_count", "id").first()


def floor(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR, [pk])
        return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--assertions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    # The page is rendered as in production (DEBUG off), which serves hashed static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    claim = claim_near(args.assertions)
    pk = claim.pk
    print(f"Machine: {machine()}")
    print(f"Ledger: {ledger_size()}")
    print(
        f"Claim {claim.slug}: {claim.n} assertions, {claim.conflicts.count()} conflicts, "
        f"floor payload {len(floor(pk).encode()):,} bytes\n"
    )
    claims = (
        Claim.objects.published()
        .with_counts()
        .prefetch_related("subjects", "topics", "conflicts", "positions__ratings")
    )
    client = Client()

    def api_payload():
        return JSONRenderer().render(ClaimDetailSerializer(claims.get(pk=pk)).data)

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response.content

    results = timed_alternately(
        {
            "floor": lambda: floor(pk),
            "api": api_payload,
            "api_http": lambda: get(f"/api/claims/{claim.slug}/"),
            "page_http": lambda: get(f"/en/claims/{claim.slug}/"),
        },
        runs=args.runs,
    )
    base = results["floor"]["p50"]
    names = {
        "floor": "SQL floor: one json_agg query, JSON text out",
        "api": "ClaimDetailSerializer to JSON bytes (assertions read as rows)",
        "api_http": "GET /api/claims/{slug}/ through Django",
        "page_http": "GET /claims/{slug}/ (the claim page) through Django",
    }
    print("| read | p50 ms | p95 ms | p50 / floor |")
    print("|---|---|---|---|")
    for key, result in results.items():
        print(row(names[key], result, f"{result['p50'] / base:.1f}×"))


if __name__ == "__main__":
    main()
