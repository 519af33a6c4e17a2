"""Search over the ledger: simplified/traditional, width and case folded, aliases expanded.

Claims keep a folded `search_text` (statements, subjects under all their aliases, topics),
refreshed by the services whenever any of those change. A query is folded the same way and
expanded to every alias of each entity it names, so "Altman" finds 奥特曼 and 奧特曼.
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from sources.text import fold_for_search


def claim_search_text(claim) -> str:
    parts = [claim.statement_en, claim.statement_zh]
    for entity in claim.subjects.prefetch_related("aliases"):
        parts += [entity.name, entity.name_zh, *(alias.name for alias in entity.aliases.all())]
    parts += [f"{topic.name} {topic.name_zh}" for topic in claim.topics.all()]
    return fold_for_search("\n".join(p for p in parts if p))


def query_terms(query: str) -> list[str]:
    """The folded query and the folded aliases of every entity it names."""
    from claims.models import Alias

    folded = fold_for_search(query).strip()
    if not folded:
        return []
    entity_ids = Alias.objects.filter(folded__contains=folded).values("entity_id")
    aliases = Alias.objects.filter(entity_id__in=entity_ids).values_list("folded", flat=True)
    return sorted({folded, *aliases})


def matching(field: str, terms: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{field}__contains": term}) for term in terms), Q(pk__in=[]))


def search_claims(queryset, query: str):
    terms = query_terms(query)
    return queryset.filter(matching("search_text", terms)) if terms else queryset


def search_sources(queryset, query: str):
    terms = query_terms(query)
    return queryset.filter(matching("search_text", terms)) if terms else queryset
