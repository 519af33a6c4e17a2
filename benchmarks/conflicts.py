"""Conflict detection over one claim with 1,000 assertions.

Run: DEBUG=1 .venv/bin/python benchmarks/conflicts.py [--assertions 1000]
With DATABASE_URL set it runs on that database (migrated first); without, on a temporary
SQLite file. Everything it writes is rolled back at the end.

Two claims are measured: one whose values all agree (no conflicts), and one where 1% of
the values are outliers (each conflicts with the rest). For each, services.conflicts_detect
is timed on its first run (creating the conflicts) and again (idempotent: nothing
changes), and the pure rule conflict_rules.find_conflicts (a sorted sweep) is timed beside
judging every pair, which must find the same conflicts. Then the claim's positions: the pure
positions.find_positions (a sweep over sorted bounds) and services.positions_refresh (read,
compute, compare with the stored positions), with what a reviewer has to settle: the
conflicting pairs against the positions.

The setup writes quotes and assertions with bulk_create: adding 1,000 assertions through
services.assertion_add would run detection after each one, which is what is being measured.
"""

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledger.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/conflicts-benchmark.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from claims import services  # noqa: E402
from claims.models import Assertion, Conflict, Quote  # noqa: E402
from domain import conflict_rules, positions  # noqa: E402
from domain.conflict_rules import SUPPORTS, judge  # noqa: E402
from domain.intervals import Interval  # noqa: E402
from sources.services import source_import  # noqa: E402

M = Decimal(1_000_000)


def find_conflicts_by_all_pairs(claim_kind, assertions):
    """The reference the sorted sweep in conflict_rules.find_conflicts must agree with."""
    found = (judge(claim_kind, a, b) for a, b in combinations(assertions, 2))
    return [f for f in found if f is not None]


def agreeing(n: int) -> Interval:
    """Values that all admit 44M–45M, in every kind the ledger knows."""
    return [
        Interval(44 * M, 44 * M, "exact", "USD"),
        Interval(None, 45 * M, "upper_bound", "USD"),
        Interval(40 * M, 50 * M, "range", "USD"),
        Interval(45 * M, 45 * M, "approximate", "USD"),
        Interval(30 * M, None, "lower_bound", "USD"),
    ][n % 5]


# Conflicts with every agreeing value but the open-ended lower bound.
OUTLIER = Interval(100 * M, 100 * M, "exact", "USD")


def build_claim(name: str, values: list[Interval]):
    text = "".join(f"第{n}条:马斯克投入的数额。" for n in range(len(values))) + name
    source, _ = source_import(title=f"benchmark {name}", text=text, language="zh-Hans")
    claim = services.claim_create(
        slug=f"benchmark-{name}", statement_en=f"Benchmark {name}?", kind="quantity", unit="USD"
    )
    quotes, position = [], 0
    for n in range(len(values)):
        exact = f"第{n}条:马斯克投入的数额。"
        quotes.append(Quote(source=source, exact=exact, start=position, end=position + len(exact)))
        position += len(exact)
    quotes = Quote.objects.bulk_create(quotes)
    Assertion.objects.bulk_create(
        Assertion(
            claim=claim,
            quote=quote,
            stance=SUPPORTS,
            low=value.low,
            high=value.high,
            value_kind=value.kind,
            unit=value.unit,
            value_text="benchmark",
            value_origin="reviewer",
        )
        for quote, value in zip(quotes, values, strict=True)
    )
    return claim


def timed(action):
    """(wall seconds, CPU seconds of this process), and what the action returned."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - started, time.process_time() - cpu_started), result


def measure(name: str, values: list[Interval]) -> None:
    claim = build_claim(name, values)
    first, _ = timed(lambda: services.conflicts_detect(claim=claim))
    conflicts = Conflict.objects.filter(claim=claim).count()
    again, _ = timed(lambda: services.conflicts_detect(claim=claim))
    facts = [
        conflict_rules.AssertionFacts(a.pk, a.stance, services.assertion_interval(a))
        for a in Assertion.objects.filter(claim=claim)
    ]
    sweep, swept = timed(lambda: conflict_rules.find_conflicts(claim.kind, facts))
    pairs, found = timed(lambda: find_conflicts_by_all_pairs(claim.kind, facts))
    assert sorted((f.first_id, f.second_id, f.reason) for f in swept) == sorted(
        (f.first_id, f.second_id, f.reason) for f in found
    ), "the sweep must find exactly what judging every pair finds"
    evidence = [positions.Evidence(f.id, f.stance, f.value) for f in facts]
    pure, found_positions = timed(lambda: positions.find_positions(claim.kind, evidence))
    stored, _ = timed(lambda: services.positions_refresh(claim_id=claim.pk))
    print(f"{name}: {len(values)} assertions, {conflicts} conflicts (seconds: wall, CPU)")
    print(f"  to settle: {conflicts} conflicting pairs, or {len(found_positions)} positions")
    for label, (wall, cpu) in [
        ("conflicts_detect, first run", first),
        ("conflicts_detect, again (no change)", again),
        ("find_conflicts (sorted sweep)", sweep),
        ("every pair judged (reference)", pairs),
        ("find_positions (sorted sweep)", pure),
        ("positions_refresh (no change)", stored),
    ]:
        print(f"  {label:<36} {wall:8.3f} {cpu:8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assertions", type=int, default=1000)
    args = parser.parse_args()
    n = args.assertions
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    with transaction.atomic():
        measure("agreeing", [agreeing(i) for i in range(n)])
        outliers = max(1, n // 100)
        measure("outliers", [agreeing(i) for i in range(n - outliers)] + [OUTLIER] * outliers)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
