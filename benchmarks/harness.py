"""What every benchmark shares: Django set up on PostgreSQL, timing, the machine's description.

Run a benchmark from the project folder, against a database made by generate_ledger:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/NAME.py
"""

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledger.settings")
    # Production-like settings: DEBUG off, so Django does not keep every query in memory.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("benchmarks run on PostgreSQL: set DATABASE_URL to the generated ledger")


def timed(action, *, runs: int = 30, warmup: int = 3, budget: float = 30.0) -> dict:
    """p50 and p95 of `action` in milliseconds, after warm-up runs.

    A slow action gets fewer runs (at least 5), so one benchmark stays within minutes.
    """
    began = time.perf_counter()
    for _ in range(warmup):
        action()
    each = (time.perf_counter() - began) / max(warmup, 1)
    runs = max(5, min(runs, int(budget / each))) if each > 0 else runs
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return _percentiles(samples)


def _percentiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50": statistics.median(samples), "p95": cuts[18], "runs": len(samples)}


def timed_alternately(actions: dict, *, runs: int = 30, warmup: int = 3) -> dict:
    """timed() for several actions, taking turns run by run, so a change in the machine's
    load while they run falls on all of them alike (for ratios between them)."""
    samples = {name: [] for name in actions}
    for turn in range(warmup + runs):
        for name, action in actions.items():
            began = time.perf_counter()
            action()
            if turn >= warmup:
                samples[name].append((time.perf_counter() - began) * 1000)
    return {name: _percentiles(taken) for name, taken in samples.items()}


def row(name: str, result: dict, extra: str = "") -> str:
    return f"| {name} | {result['p50']:.1f} | {result['p95']:.1f} | {extra} |"


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.split()
    total = memory[memory.index("Mem:") + 1] if "Mem:" in memory else "?"
    return (
        f"{os.cpu_count()} cores, {total} GiB memory, {platform.platform()}, "
        f"Python {platform.python_version()}, PostgreSQL {version} (jit {jit}); "
        f"load average {load_average()}"
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the cores the figures shared."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def ledger_size() -> str:
    from claims.models import Assertion, Claim, Conflict, Quote
    from sources.models import Source

    counts = {m._meta.verbose_name_plural: m.objects.count() for m in (Source, Quote, Claim)}
    counts["assertions"] = Assertion.objects.count()
    counts["conflicts"] = Conflict.objects.count()
    return ", ".join(f"{count:,} {name}" for name, count in counts.items())
