"""The import-time suggestion scan over a long source: 800 KB of numeric sentences.

Run: DEBUG=1 .venv/bin/python benchmarks/scan_800kb.py [--kilobytes 100 200 400 800] [--run-on]
With DATABASE_URL set it runs on that database (migrated first); without, on a temporary
SQLite file. The seed ledger is loaded (its claims are what the scan looks out for), and
everything the scan writes is rolled back after each size.

The text is generated: sentences in the three scripts, each with a money amount, a count,
a percentage or a date, most naming an entity of the seed ledger, so nearly every sentence
is looked at for every claim. For each size it reports reading the values (extract), the
whole scan (evidence.suggestions_find, values read included) and the suggestions made, as
wall and CPU seconds; the time per kilobyte should stay flat as the text grows. --run-on
joins the sentences with commas instead of line ends, so the whole text is one sentence:
nothing the reader does per value may look back to the start of its sentence.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledger.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/scan-benchmark.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from claims import evidence  # noqa: E402
from domain import extraction  # noqa: E402
from seeds.loader import load_seeds  # noqa: E402
from sources.services import source_import  # noqa: E402

SENTENCES = [
    "马斯克在{year}年{month}月向OpenAI捐赠了{n}万美元,约占早期资金的{p}%。",
    "據報導,馬斯克在{year}年承諾提供超過{n}億美元,但實際只有{p}%到位。",
    "Musk gave ${n} million to OpenAI in {year}, about {p}% of the early funding.",
    "奥特曼表示,公司在{year}年底有{n}名员工,其中{p}%签署了联名信。",
    "Altman said more than {n} employees, or {p} percent, signed the letter in {year}.",
    "分析人士认为,这笔约{n}亿元的投资在{year}年{month}月之前难以收回。",
]


def numeric_text(kilobytes: int, seed: int = 1, run_on: bool = False) -> str:
    rng = random.Random(seed)
    sentences, size = [], 0
    while size < kilobytes * 1000:
        sentence = rng.choice(SENTENCES).format(
            year=rng.randint(2000, 2024),
            month=rng.randint(1, 12),
            n=rng.randint(1, 9999),
            p=rng.randint(1, 99),
        )
        sentences.append(sentence)
        size += len(sentence.encode("utf-8"))
    if run_on:
        return ",".join(s.rstrip("。.") for s in sentences) + "。"
    return "\n".join(sentences)


def timed(action):
    """(wall seconds, CPU seconds of this process), and what the action returned."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - started, time.process_time() - cpu_started), result


def measure(kilobytes: int, run_on: bool) -> None:
    text = numeric_text(kilobytes, run_on=run_on)
    published = date(2024, 3, 18)
    (read_wall, read_cpu), values = timed(lambda: extraction.extract(text, published_on=published))
    with transaction.atomic():
        source, _ = source_import(
            title=f"scan benchmark {kilobytes} KB",
            text=text,
            language="zh-Hans",
            published_on=published,
        )
        (scan_wall, scan_cpu), made = timed(lambda: evidence.suggestions_find(source=source))
        transaction.set_rollback(True)
    size = len(text.encode("utf-8")) / 1000
    print(
        f"| {size:,.0f} KB | {len(extraction.sentence_spans(text)):,} | {len(values):,} "
        f"| {read_wall:.2f} / {read_cpu:.2f} | {scan_wall:.2f} / {scan_cpu:.2f} "
        f"| {len(made):,} | {1000 * scan_cpu / size:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilobytes", type=int, nargs="+", default=[100, 200, 400, 800])
    parser.add_argument("--run-on", action="store_true", help="one sentence, commas only")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_seeds()
    print(f"database: {connection.vendor}; seconds are wall / CPU")
    print("| text | sentences | values | extract | scan (extract included) | suggestions "
          "| scan CPU ms per KB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for kilobytes in args.kilobytes:
        measure(kilobytes, args.run_on)


if __name__ == "__main__":
    main()
