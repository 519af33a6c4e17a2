"""Why the search index is over bigrams: pg_trgm beside it, on the 1,000,000 quotes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python \
        benchmarks/bigram_vs_trigram.py

Builds a pg_trgm GIN index on claims_quote.search_text (and drops it at the end), then
counts the quotes holding each term, through either index, and says which plan ran.
"""

import time

from harness import setup_django, timed

setup_django()

from django.db import connection  # noqa: E402

from claims.search import bigrams  # noqa: E402

TERMS = ["微软", "红杉", "马斯克", "奥尔特曼", "宇宙首富", "altman"]
TRIGRAM_INDEX = "claims_quote_search_trigrams"
TRIGRAM_SQL = "SELECT count(*) FROM claims_quote WHERE search_text LIKE %s"
BIGRAM_SQL = (
    "SELECT count(*) FROM claims_quote "
    "WHERE search_bigrams @> %s::integer[] AND search_text LIKE %s"
)


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def plan_of(sql, params) -> str:
    """The scans of the plan, e.g. "Bitmap Index Scan on claims_quote_search_bigrams"."""
    lines = [line for (line,) in execute("EXPLAIN " + sql, params)]
    scans = [line.split("->")[-1].split("  (cost")[0].strip() for line in lines if "Scan" in line]
    return "; ".join(dict.fromkeys(scans))


def size(index: str) -> str:
    return execute("SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [index])[0][0]


def main():
    execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    execute("SET maintenance_work_mem = '1GB'")
    began = time.perf_counter()
    execute(f"CREATE INDEX {TRIGRAM_INDEX} ON claims_quote USING gin (search_text gin_trgm_ops)")
    built = time.perf_counter() - began
    execute("ANALYZE claims_quote")
    print(
        f"pg_trgm index: {size(TRIGRAM_INDEX)}, built in {built:.0f} s; "
        f"bigram index: {size('claims_quote_search_bigrams')}\n"
    )
    print(
        "| term | quotes | pg_trgm plan | pg_trgm p50 / p95 ms | bigram plan "
        "| bigram p50 / p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    try:
        for term in TERMS:
            like = f"%{term}%"
            bigram_params = [bigrams(term), like]
            # Each plan with the other index out of the planner's reach.
            execute("BEGIN")
            execute("DROP INDEX claims_quote_search_bigrams")
            trigram_plan = plan_of(TRIGRAM_SQL, [like])
            trigram = timed(lambda p=[like]: execute(TRIGRAM_SQL, p), runs=5, warmup=1)
            count = execute(TRIGRAM_SQL, [like])[0][0]
            execute("ROLLBACK")
            execute("BEGIN")
            execute(f"DROP INDEX {TRIGRAM_INDEX}")
            bigram_plan = plan_of(BIGRAM_SQL, bigram_params)
            bigram = timed(lambda p=bigram_params: execute(BIGRAM_SQL, p), runs=5, warmup=1)
            execute("ROLLBACK")
            print(
                f"| {term} | {count:,} | {trigram_plan} | {trigram['p50']:.0f} / "
                f"{trigram['p95']:.0f} | {bigram_plan} | {bigram['p50']:.0f} / "
                f"{bigram['p95']:.0f} |"
            )
    finally:
        execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


if __name__ == "__main__":
    main()
