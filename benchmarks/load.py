"""Concurrent readers against the app under gunicorn, from wrk in a second process on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/load.py \
        [--connections 200] [--duration 60] [--workers 5] [--redis redis://127.0.0.1:6379/1]

Starts gunicorn with production settings (DEBUG off, static files collected), waits until it
answers, requests every URL once (each must answer 200), then runs wrk (Debian package
`wrk`) with `--connections` open connections for `--duration` seconds. Each wrk thread
walks, from its own starting point, a rotation of reader URLs drawn from the ledger: the
claim index (plain, filtered, searched), claim pages (the largest claims among them),
source and entity pages, the feed, and the API's lists and claim details; a third of the
requests ask for Chinese. Prints throughput, latency percentiles and every error: a
non-2xx answer, a timeout (`--timeout`, default 10 s) or a socket error counts as one.

With `--redis`, anonymous reads are served from the published-response cache, as in
production; without it every request reaches PostgreSQL. The anonymous API throttle is
raised for the run, since every reader comes from 127.0.0.1.
"""

import argparse
import hashlib
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import urlopen

from harness import ROOT, ledger_size, machine, setup_django

setup_django()

from django.db.models import Count  # noqa: E402

from claims.models import Assertion, Claim, Entity  # noqa: E402

SEARCHES = ["马斯克", "红杉", "奧特曼", "Altman", "宇宙首富"]


def reader_paths(seed: int = 1) -> list[str]:
    """A reader's mix of URLs, the same for the same ledger and seed: every choice is drawn
    by `seed` from rows in a fixed order, so runs can be compared. The ten biggest claims
    are always in it, so big claims come up often."""
    rng = random.Random(seed)
    published = Claim.objects.published()
    biggest = list(
        published.annotate(n=Count("assertions"))
        .order_by("-n", "id")
        .values_list("slug", flat=True)[:10]
    )
    every_claim = list(published.order_by("id").values_list("slug", flat=True))
    claims = rng.sample(every_claim, min(300, len(every_claim)))
    # Readers see the sources that published claims quote.
    quoted = sorted(
        set(
            Assertion.objects.filter(claim__slug__in=claims[:100])
            .order_by()
            .values_list("quote__source_id", flat=True)
        )
    )
    sources = rng.sample(quoted, min(200, len(quoted)))
    entities = list(
        Entity.objects.filter(claims__in=published)
        .distinct()
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    paths = ["/en/", "/en/?disputed=yes", "/en/feed/", "/api/claims/", "/api/claims/?disputed=true"]
    paths += [f"/en/?q={quote(term)}" for term in SEARCHES]
    paths += [f"/api/claims/?q={quote(term)}" for term in SEARCHES[:2]]
    paths += [f"/en/?entity={slug}" for slug in entities[:5]]
    paths += [f"/en/claims/{slug}/" for slug in biggest]
    paths += [f"/api/claims/{slug}/" for slug in biggest[:3]]
    paths += [f"/en/claims/{slug}/" for slug in claims[:200]]
    paths += [f"/api/claims/{slug}/" for slug in claims[200:]]
    paths += [f"/en/sources/{pk}/" for pk in sources]
    paths += [f"/en/entities/{slug}/" for slug in entities]
    rng.shuffle(paths)
    return paths


LUA = """
paths = {%s}
local counter = 0
offset = 0
-- Each thread starts at its own fixed place in the mix (not a random one), run after run.
local threads = 0
setup = function(thread)
    thread:set("offset", threads * 997)
    threads = threads + 1
end
request = function()
    counter = counter + 1
    local path = paths[(offset + counter) %% #paths + 1]
    return wrk.format("GET", path, {["Accept-Language"] = (counter %% 3 == 0) and "zh-CN" or "en"})
end
"""


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer in time")


def check_every(paths: list[str], port: int) -> None:
    """One pass over the URLs before the run: each must answer 200 (and it warms up)."""
    failed = []
    for path in paths:
        try:
            with urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                response.read()
        except HTTPError as error:
            failed.append(f"{path}: {error.code}")
    if failed:
        sys.exit("URLs that do not answer 200:\n" + "\n".join(failed))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def summary(wrk_output: str) -> dict:
    def number(pattern, default="0"):
        # Anchored at a line's start: "84.50%" in the thread stats is not the 50th percentile.
        found = re.search(pattern, wrk_output, re.MULTILINE)
        return found.group(1) if found else default

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", wrk_output
    )
    return {
        "requests": int(number(r"(\d+) requests in")),
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "p50": number(r"^\s*50%\s+(\S+)"),
        "p90": number(r"^\s*90%\s+(\S+)"),
        "p99": number(r"^\s*99%\s+(\S+)"),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (over 1: gthread workers)"
    )
    parser.add_argument("--timeout", default="10s")
    parser.add_argument("--redis", default="", help="REDIS_URL for the app, e.g. redis://…/1")
    parser.add_argument(
        "--seed", type=int, default=1, help="draws the URL mix (same seed: same mix)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    paths = reader_paths(args.seed)
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "ANON_THROTTLE_RATE": "1000000/minute",
        "REDIS_URL": args.redis,
    }
    python = Path(sys.executable)
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    if args.redis:
        subprocess.run([python, "-c", "import redis,sys; redis.from_url(sys.argv[1]).flushdb()",
                        args.redis], check=True)  # fmt: skip
    server = subprocess.Popen(
        [python.parent / "gunicorn", "ledger.wsgi", "--workers", str(args.workers),
         "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}", "--backlog", "2048",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(port, server)
        check_every(paths, port)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % ", ".join(f'"{p}"' for p in paths))
        result = subprocess.run(
            ["wrk", "--threads", "2", "--connections", str(args.connections),
             "--duration", f"{args.duration}s", "--timeout", args.timeout, "--latency",
             "--script", script.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"Machine: {machine()}")
    print(f"Ledger: {ledger_size()}")
    mix = hashlib.sha256("\n".join(paths).encode()).hexdigest()[:12]
    print(
        f"{len(paths)} reader URLs (seed {args.seed}, mix {mix}); gunicorn {args.workers} "
        f"{'sync workers' if args.threads == 1 else f'gthread workers of {args.threads} threads'}; "
        f"cache: {'Redis' if args.redis else 'none'}\n"
    )
    print(result.stdout)
    s = summary(result.stdout)
    print("| connections | seconds | cache | requests | req/s | p50 | p90 | p99 | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.connections} | {args.duration} | {'Redis' if args.redis else 'none'} "
        f"| {s['requests']:,} | {s['rps']:.0f} | {s['p50']} | {s['p90']} | {s['p99']} "
        f"| {s['non_2xx'] + s['socket_errors']} |"
    )


if __name__ == "__main__":
    main()
