"""Importing an 800 KB text through the admin, with the scan in the background worker.

Run, on a scratch PostgreSQL database (migrated and seeded here; each run adds its sources)
with Redis answering:
    createdb -h 127.0.0.1 -U postgres bench_import
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/import_800kb.py [--kilobytes 800]

It posts the text to the admin's import page as a reviewer does (django.test.Client, the
whole middleware stack) and times the request (CPU: this process's, not the database's);
then it starts the worker as production does (`manage.py scan_worker --burst`, its own
process) and times it until the source's scan is done. For comparison it then imports
another text of the same size with the scan inline (as without Redis). The text is
scan_800kb.py's: numeric sentences in the three scripts naming the seed entities, so nearly
every sentence is scored against every claim.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
import uuid

from harness import ROOT, machine, setup_django

os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP, as behind a TLS proxy
# Each run has a queue of its own, so no other worker takes its job.
os.environ["SCAN_QUEUE"] = f"scan-benchmark-{uuid.uuid4().hex[:8]}"
setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from scan_800kb import numeric_text  # noqa: E402

from claims.models import Claim  # noqa: E402
from seeds.loader import load_seeds  # noqa: E402
from sources.models import ScanState, Source  # noqa: E402


def import_request(client: Client, text: str, title: str) -> tuple[str, Source]:
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post(
        "/admin/sources/source/add/",
        {
            "title": title,
            "text": text,
            "language": "zh-Hans",
            "kind": "court_filing",
            "published_precision": "day",
        },
    )
    elapsed = f"{time.perf_counter() - started:.2f} / {time.process_time() - cpu_started:.2f}"
    assert response.status_code == 302, response.status_code
    return elapsed, Source.objects.get(title=title)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilobytes", type=int, default=800)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Claim.objects.exists():
        load_seeds()
    reviewer, _ = User.objects.get_or_create(
        username="import-benchmark", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(reviewer)
    run = uuid.uuid4().hex[:8]
    seed = int(run, 16)
    print(machine())
    print(f"Redis {settings.REDIS_URL}, queue {settings.SCAN_QUEUE}; seconds, wall / CPU")
    print("| scan | text | request | scan state after the request | scan done after | "
          "sentences | suggestions |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")

    text = numeric_text(args.kilobytes, seed=seed)
    size = len(text.encode()) / 1000
    request, source = import_request(client, text, f"import benchmark {run} queued")
    state = source.scan_state
    started, cpu_started = time.perf_counter(), children_cpu()
    subprocess.run(
        [sys.executable, "manage.py", "scan_worker", "--burst"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    worked = f"{time.perf_counter() - started:.2f} / {children_cpu() - cpu_started:.2f}"
    source.refresh_from_db()
    assert source.scan_state == ScanState.DONE, (source.scan_state, source.scan_message)
    print(
        f"| background worker | {size:,.0f} KB | {request} | {state} "
        f"| {worked} (worker started, scan, worker stopped) | {source.scan_sentences:,} "
        f"| {source.scan_suggestions:,} |"
    )

    text = numeric_text(args.kilobytes, seed=seed + 1)
    with override_settings(REDIS_URL=""):
        request, source = import_request(client, text, f"import benchmark {run} inline")
    print(
        f"| inline (no Redis) | {size:,.0f} KB | {request} | {source.scan_state} "
        f"| in the request | {source.scan_sentences:,} | {source.scan_suggestions:,} |"
    )


if __name__ == "__main__":
    main()
