"""The seeds, then 10,000 synthetic articles through the services: import, quote, assert.

    createdb -h 127.0.0.1 -U postgres bench_ingest
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ingest .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ingest .venv/bin/python \
        benchmarks/ingest.py [--articles 10000] [--quotes-per-article 3] [--claims 1000]

Each article is imported with source_import, each quote anchored with quote_create, and
each assertion added with assertion_add without a value, so the value is extracted from
the quote and the claim's conflicts detected, as when a reviewer links a quote. The
articles, quotes and claims are the synthetic ledger's (seeds/synthetic.py), made from the
seeds; claims are created with claim_create. Wants an empty, migrated database.
"""

import argparse
import random
import time
from collections import defaultdict

from harness import machine, setup_django

setup_django()

from claims import services  # noqa: E402
from claims.models import Assertion, Claim, Conflict, Entity, Quote, Topic  # noqa: E402
from seeds.loader import load_seeds  # noqa: E402
from seeds.synthetic import (  # noqa: E402
    COLUMNS,
    Scale,
    material_from_seeds,
    plan_claims,
    plan_sources,
)
from sources.models import Source  # noqa: E402
from sources.services import source_import  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quotes-per-article", type=int, default=3)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if Source.objects.exists():
        raise SystemExit("wants an empty, migrated database")
    seconds = defaultdict(float)

    began = time.perf_counter()
    load_seeds()
    seconds["seeds: load_seeds()"] = time.perf_counter() - began

    material = material_from_seeds()
    rng = random.Random(args.seed)
    claim_rows, subject_rows, topic_rows, plans = plan_claims(
        rng, material, args.claims, 1, args.seed
    )
    subjects, topics = defaultdict(list), defaultdict(list)
    for claim_id, entity_id in subject_rows:
        subjects[claim_id].append(entity_id)
    for claim_id, topic_id in topic_rows:
        topics[claim_id].append(topic_id)
    claims = {}
    began = time.perf_counter()
    for claim_id, slug, statement_en, statement_zh, kind, unit, *_ in claim_rows:
        claims[claim_id] = services.claim_create(
            slug=slug,
            statement_en=statement_en,
            statement_zh=statement_zh,
            kind=kind,
            unit=unit,
            subjects=Entity.objects.filter(pk__in=subjects[claim_id]),
            topics=Topic.objects.filter(pk__in=topics[claim_id]),
        )
    seconds["claims: claim_create()"] = time.perf_counter() - began

    scale = Scale(args.articles, args.articles * args.quotes_per_article, args.claims)
    sources, quotes, extracted = {}, {}, 0
    for batch in plan_sources(rng, material, scale, plans, (1, 1, 1), args.seed):
        for values in batch[Source]:
            row = dict(zip(COLUMNS[Source], values, strict=True))
            began = time.perf_counter()
            sources[row["id"]] = source_import(
                title=row["title"],
                text=row["text"],
                language=row["language"],
                outlet=row["outlet"],
                url=row["url"],
                published_on=row["published_on"],
                published_precision=row["published_precision"],
                kind=row["kind"],
            )[0]
            seconds["articles: source_import()"] += time.perf_counter() - began
        for values in batch[Quote]:
            row = dict(zip(COLUMNS[Quote], values, strict=True))
            began = time.perf_counter()
            quotes[row["id"]] = services.quote_create(
                source=sources[row["source_id"]],
                exact=row["exact"],
                start=row["start"],
                end=row["end"],
                speaker=Entity.objects.get(pk=row["speaker_id"]) if row["speaker_id"] else None,
            )
            seconds["quotes: quote_create() (anchoring)"] += time.perf_counter() - began
        for values in batch[Assertion]:
            row = dict(zip(COLUMNS[Assertion], values, strict=True))
            began = time.perf_counter()
            assertion = services.assertion_add(
                claim=claims[row["claim_id"]], quote=quotes[row["quote_id"]], stance=row["stance"]
            )
            seconds["assertions: assertion_add() (extraction + detection)"] += (
                time.perf_counter() - began
            )
            extracted += bool(assertion.value_kind)

    print(f"Machine: {machine()}")
    print(
        f"{Source.objects.count():,} sources, {len(quotes):,} quotes, "
        f"{Assertion.objects.count():,} assertions ({extracted:,} with an extracted value), "
        f"{Claim.objects.count():,} claims, {Conflict.objects.count():,} conflicts\n"
    )
    print("| step | seconds | per item ms |")
    print("|---|---|---|")
    items = {
        "articles": args.articles,
        "quotes": len(quotes),
        "assertions": len(quotes),
        "claims": args.claims,
    }
    for step, spent in seconds.items():
        count = items.get(step.split(":")[0])
        per = f"{spent / count * 1000:.2f}" if count else ""
        print(f"| {step} | {spent:.1f} | {per} |")
    print(f"| total | {sum(seconds.values()):.1f} | |")


if __name__ == "__main__":
    main()
