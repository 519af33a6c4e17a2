"""The median and the largest claim: detail, page and API, against the SQL floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python \
        benchmarks/claim_detail_floor.py [--assertions median largest 1000]

The floor is one hand-written query (claims/api/detail_sql.py) that builds, inside
PostgreSQL with json_agg, the JSON the API answers a reader: the API itself runs it, so the
ratio is what the rest of a request costs. It takes turns, run by run, with:
- the same detail shaped from rows by claim_detail_row, as reviewers and SQLite get it,
  rendered to JSON bytes (no HTTP);
- GET /api/claims/{slug}/ and GET /en/claims/{slug}/ through the whole Django stack
  (middleware, sessions, rendering), with the published-response cache off.
"""

import argparse
import json
import os
from decimal import Decimal

from harness import (
    ledger_size,
    load_average,
    machine,
    row,
    setup_django,
    timed_alternately,
)

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP, as behind a TLS proxy
setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from claims.api.detail_sql import claim_detail_sql  # noqa: E402
from claims.api.serializers import claim_detail_row  # noqa: E402
from claims.api.views import LedgerJSONRenderer  # noqa: E402
from claims.models import Claim  # noqa: E402


def claim_near(assertions: int) -> Claim:
    """The published claim with about that many assertions (±10%) and the most conflicts."""
    counted = Claim.objects.published().annotate(
        n=Count("assertions", distinct=True), conflict_count=Count("conflicts", distinct=True)
    )
    near = counted.filter(n__gte=assertions * 0.9, n__lte=assertions * 1.1)
    return near.order_by("-conflict_count", "id").first()


def floor(slug: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(claim_detail_sql(), [slug])
        return cursor.fetchone()[0]


def assertion_counts() -> list[int]:
    """Every published claim's number of assertions, smallest first."""
    counted = Claim.objects.published().annotate(n=Count("assertions")).order_by("n")
    return list(counted.values_list("n", flat=True))


def pick(which: str, counts: list[int]) -> Claim:
    """'median' (what most readers open), 'largest', or a number of assertions."""
    if which == "median":
        return claim_near(counts[len(counts) // 2])
    if which == "largest":
        return claim_near(counts[-1])
    return claim_near(int(which))


def measure(claim, runs: int) -> None:
    pk = claim.pk
    print(
        f"Claim {claim.slug}: {claim.n} assertions, {claim.conflicts.count()} conflicts, "
        f"floor payload {len(floor(claim.slug).encode()):,} bytes; load average {load_average()}\n"
    )
    claims = Claim.objects.published()
    client = Client()

    def rows_payload():
        return LedgerJSONRenderer().render(claim_detail_row(claims.get(pk=pk), reviewer=False))

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response.content

    # Like with like: the floor's JSON, re-rendered as the API renders, is the API's answer.
    built = json.loads(floor(claim.slug), parse_float=Decimal)
    if LedgerJSONRenderer().render(built) != get(f"/api/claims/{claim.slug}/"):
        raise SystemExit(f"the floor's JSON is not the API's for {claim.slug}")

    results = timed_alternately(
        {
            "floor": lambda: floor(claim.slug),
            "rows": rows_payload,
            "api_http": lambda: get(f"/api/claims/{claim.slug}/"),
            "page_http": lambda: get(f"/en/claims/{claim.slug}/"),
        },
        runs=runs,
    )
    base = results["floor"]["p50"]
    names = {
        "floor": "SQL floor: one json_agg query, JSON text out",
        "rows": "the detail from rows (claim_detail_row), as reviewers get it, to JSON bytes",
        "api_http": "GET /api/claims/{slug}/ through Django",
        "page_http": "GET /en/claims/{slug}/ (the claim page) through Django",
    }
    print("| read | p50 ms | p95 ms | p50 / floor |")
    print("|---|---|---|---|")
    for key, result in results.items():
        print(row(names[key], result, f"{result['p50'] / base:.1f}×"))
    print(f"(load average after: {load_average()})\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--assertions",
        nargs="+",
        default=["median", "largest"],
        help="which claims: median, largest, or a number of assertions (±10%%)",
    )
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    # The page is rendered as in production (DEBUG off), which serves hashed static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Machine: {machine()}")
    print(f"Ledger: {ledger_size()}\n")
    counts = assertion_counts()
    for which in args.assertions:
        measure(pick(which, counts), args.runs)


if __name__ == "__main__":
    main()
