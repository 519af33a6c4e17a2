"""Disputed-claims list with filters, and search, on the generated ledger: p50/p95 in ms.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/search.py

Last, the claim index page searched through the whole Django stack (the published-response
cache off, as on a cache miss).
"""

import os

from harness import ledger_size, load_average, machine, row, setup_django, timed

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP, as behind a TLS proxy
setup_django()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.test import Client  # noqa: E402

from claims.models import DISPUTING_STATUSES, Assertion, Claim, Conflict, Quote  # noqa: E402
from claims.search import search_claims, search_quotes, search_sources  # noqa: E402
from sources.models import Source  # noqa: E402

PAGE = 20
TERMS = [
    ("2-character Chinese, common", "微软"),
    ("2-character Chinese, rare", "红杉"),
    ("3-character Chinese", "马斯克"),
    ("4-character Chinese", "宇宙首富"),
    ("English name (alias-expanded)", "Altman"),
]
FILTERS = [
    ("no filter", {}),
    ("entity", {"subjects__slug": "sam-altman"}),
    ("topic", {"topics__slug": "funding"}),
    ("verdict", {"verdict": "mixed"}),
    (
        "entity + topic + verdict",
        {"subjects__slug": "elon-musk", "topics__slug": "funding", "verdict": "false"},
    ),
]


def disputed_by_alias(claims, value: bool = True):
    """disputed() without the flag in SELECT, where PostgreSQL would hash every conflict."""
    return claims.alias(
        is_disputing=Exists(
            Conflict.objects.filter(claim=OuterRef("pk"), status__in=DISPUTING_STATUSES)
        )
    ).filter(is_disputing=value)


def counted_by_subqueries(claims):
    """with_counts() as subqueries, computed only for the rows of the page, not GROUP BY."""

    def count_of(queryset, field="pk"):
        counted = queryset.order_by().values("claim_id").annotate(n=Count(field, distinct=True))
        return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)

    mine = {"claim_id": OuterRef("pk")}
    return claims.annotate(
        assertion_count=count_of(Assertion.objects.filter(**mine)),
        source_count=count_of(Assertion.objects.filter(**mine), "quote__source_id"),
        open_conflict_count=count_of(
            Conflict.objects.filter(**mine, status__in=DISPUTING_STATUSES)
        ),
    )


def page_and_count(queryset, size=PAGE):
    return lambda: (list(queryset[:size]), queryset.count())


def main():
    print(f"Machine: {machine()}")
    print(f"Ledger: {ledger_size()}\n")
    print("Disputed claims, first page of 20 and the total (as the claim index pages them)\n")
    print("| filter | p50 ms | p95 ms | rows |")
    print("|---|---|---|---|")
    published = Claim.objects.published()
    for name, filters in FILTERS:
        current = published.disputed().filter(**filters).order_by("-updated_at", "pk")
        total = current.count()
        result = timed(page_and_count(current.with_counts()))
        print(row(f"{name}: the stored flag, counts by subquery (now)", result, total))
        earlier = disputed_by_alias(published).filter(**filters).order_by("-updated_at", "pk")
        result = timed(page_and_count(counted_by_subqueries(earlier)))
        print(row(f"{name}: EXISTS per claim, counts by subquery (earlier)", result, total))
    print("\nSearch, first page of 20 (claims also counted)\n")
    print("| what | term | p50 ms | p95 ms | matches |")
    print("|---|---|---|---|---|")
    for name, term in TERMS:
        claims = search_claims(Claim.objects.published(), term)
        sources = search_sources(Source.objects.all(), term)
        quotes = search_quotes(Quote.objects.all(), term)
        for what, queryset, action in [
            ("claims", claims, page_and_count(claims)),
            ("sources", sources, lambda qs=sources: list(qs[:PAGE])),
            ("quotes", quotes, lambda qs=quotes: list(qs[:PAGE])),
        ]:
            result = timed(action, runs=20)
            print(
                f"| {what}: {name} | {term} | {result['p50']:.1f} | {result['p95']:.1f} "
                f"| {queryset.count():,} |"
            )
    print(f"\nThe claim index page searched, GET /en/?q=… (load average {load_average()})\n")
    print("| term | p50 ms | p95 ms |")
    print("|---|---|---|")
    # Rendered as in production (DEBUG off), which serves hashed static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()

    def index_page(term):
        response = client.get("/en/", {"q": term})
        assert response.status_code == 200, response.status_code

    for name, term in TERMS:
        print(row(f"{term} ({name})", timed(lambda term=term: index_page(term), runs=20)))


if __name__ == "__main__":
    main()
