"""Extraction throughput: the five seed articles, repeated to about 10 MB of text.

Run: DEBUG=1 .venv/bin/python benchmarks/extraction.py [--megabytes 10] [--runs 3]

Each article is read as a source is, whole and with its publication date; the best of
--runs passes is reported, as MB/s of UTF-8 text and values found per second, by the wall
clock and by this process's CPU time (the two differ on a busy machine).
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.extraction import extract  # noqa: E402


def seed_articles() -> list[tuple[str, dict]]:
    seeds = ROOT / "seeds"
    metas = yaml.safe_load((seeds / "sources.yaml").read_text(encoding="utf-8"))
    return [((seeds / "articles" / m["file"]).read_text(encoding="utf-8"), m) for m in metas]


def one_pass(corpus: list[tuple[str, dict]]) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds of this process, and values found."""
    started, cpu_started = time.perf_counter(), time.process_time()
    values = 0
    for text, meta in corpus:
        values += len(
            extract(text, published_on=meta["published_on"], precision=meta["published_precision"])
        )
    return time.perf_counter() - started, time.process_time() - cpu_started, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    articles = seed_articles()
    article_bytes = sum(len(text.encode("utf-8")) for text, _ in articles)
    repeats = max(1, round(args.megabytes * 1_000_000 / article_bytes))
    corpus = articles * repeats
    megabytes = article_bytes * repeats / 1_000_000
    extract(articles[0][0])  # load cn2an and OpenCC outside the timing

    timings = [one_pass(corpus) for _ in range(args.runs)]
    seconds, cpu_seconds, values = min(timings)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(
        f"{len(articles)} seed articles x {repeats} = {len(corpus)} texts, {megabytes:.2f} MB UTF-8"
    )
    print(f"best of {args.runs}: {seconds:.2f} s wall ({cpu_seconds:.2f} s CPU), {values} values")
    for clock, taken in (("wall", seconds), ("CPU", cpu_seconds)):
        rate = f"{megabytes / taken:.2f} MB/s, {values / taken:,.0f} values/s"
        print(f"throughput ({clock}): {rate}")


if __name__ == "__main__":
    main()
