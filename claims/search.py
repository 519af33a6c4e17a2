"""Search over the ledger: simplified/traditional, width and case folded, aliases expanded.

Claims, sources, quotes and suggestions keep a folded `search_text`
(domain.text.fold_for_search), refreshed by the services whenever what it is made from
changes. A query is folded the same way and split into words; a word that names an entity
(one of its aliases, or a word of one) stands for every alias of it, so "Altman" finds
奥特曼, 奧特曼 and 阿尔特曼.

Results match any word. Claims are ranked: more of the query's words first, then words
found in the statements before those found only in subjects or topics, then the most
recently changed. Sources (newest first) and quotes (in source order) are ranked by the
number of words only, so that a one-word search reads rows in an indexed order and stops
at the first page, however many rows match. Every admin list searches through here too,
each by its own text: an assertion by its quote and its claim's statements, a conflict by
its claim's statements and its two quotes, a suggestion by its sentence.

On PostgreSQL claims, sources and quotes have a stored `search_bigrams` column (the
two-character substrings of `search_text`, as numbers) with a GIN index: a term of two or
more characters first narrows the rows to those holding all its bigrams, then LIKE
confirms; a term of two characters needs no confirming, since its one bigram is the term.
Bigrams rather than pg_trgm's trigrams because two-character Chinese words (微软, 董事) are
common queries and yield no trigram (benchmarks/README.md). Elsewhere the same LIKE runs
alone.
"""

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import add, or_

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    IntegerField,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Left, StrIndex
from django.db.models.lookups import Contains

from domain.text import (
    NEAR_DUPLICATE,
    Comparable,
    fold_for_search,
    near_duplicate_likeness,
    normalize_text,
    sha256_of,
    to_simplified,
    to_traditional,
)
from sources.models import Source

# Ends the statements in a claim's search text, so a match can be ranked by where it is.
# A search as long as the longest statement; SQLite refuses LIKE patterns of 50,000 bytes.
MAX_QUERY_LENGTH = 300
STATEMENT_END = "\x1e"
# What separates the words of an alias: "埃隆·马斯克" is 埃隆 and 马斯克, "Sam Altman" two.
_ALIAS_WORD_BREAK = re.compile(r"[\s·・•.,，、\-_/()（）]+")


# PostgreSQL's bigram index

# Each two-character substring as one integer: the pair's code points side by side when
# both are in the Basic Multilingual Plane (Latin, digits, the common CJK characters), so
# distinct pairs never share a number and a two-character term's bigram test is exact (no
# LIKE needed). Integers because GIN compares them far faster than collated strings. A
# character beyond the BMP counts as U+FFFF, a noncharacter that text does not hold, so
# terms with one still need LIKE. bigrams() below is the same in Python.
BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_bigrams(text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array(
        SELECT DISTINCT (least(ascii(pair.first), 65535)::bigint * 65536
                         + least(ascii(pair.second), 65535) - 2147483648)::integer
        FROM (SELECT string_to_array($1, NULL) AS chars) AS split,
             unnest(split.chars, split.chars[2:]) AS pair(first, second)
        WHERE pair.second IS NOT NULL
    )
$$
"""
LAST_BMP = 0xFFFF


def add_bigram_column(schema_editor, table: str) -> None:
    """A stored generated column, so reading it row by row costs nothing to compute."""
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN search_bigrams integer[] "
        "GENERATED ALWAYS AS (ledger_bigrams(search_text)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {table}_search_bigrams ON {table} USING gin (search_bigrams)"
    )


def drop_bigram_column(schema_editor, table: str) -> None:
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_bigrams")


def bigrams(text: str) -> list[int]:
    """The text's two-character substrings as ledger_bigrams() numbers them."""

    def code(ch: str) -> int:
        return min(ord(ch), LAST_BMP)

    return sorted({code(a) * 2**16 + code(b) - 2**31 for a, b in itertools.pairwise(text)})


def bigram_exact(term: str) -> bool:
    """Whether holding the term's one bigram means holding the term: two BMP characters."""
    return len(term) == 2 and all(ord(ch) < LAST_BMP for ch in term)


class SearchBigrams(Expression):
    """The search_bigrams column, which the database has but the model does not declare."""

    output_field = ArrayField(IntegerField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_bigrams')}", []


# Search texts


def claim_search_text_from(
    statements: Iterable[str], subjects: Iterable[Iterable[str]], topics: Iterable[str]
) -> str:
    """The folded search text of a claim: its statements, then subjects' names, then topics."""

    def clean(parts):
        return "\n".join(p.replace(STATEMENT_END, " ") for p in parts if p)

    names = [name for entity in subjects for name in entity]
    return fold_for_search(clean(statements) + STATEMENT_END + clean([*names, *topics]))


def claim_search_text(claim) -> str:
    # Sorted here, not by the database, so bulk-generated claims get the very same text.
    subjects = [
        [entity.name, entity.name_zh, *sorted(alias.name for alias in entity.aliases.all())]
        for entity in sorted(claim.subjects.prefetch_related("aliases"), key=lambda e: e.name)
    ]
    topics = sorted(f"{topic.name} {topic.name_zh}" for topic in claim.topics.all())
    return claim_search_text_from([claim.statement_en, claim.statement_zh], subjects, topics)


def quote_search_text(exact: str) -> str:
    return fold_for_search(exact)


@dataclass(frozen=True)
class Query:
    """A folded query: one group of terms per word, any term of a group matching the word."""

    groups: tuple[tuple[str, ...], ...]

    @property
    def terms(self) -> list[str]:
        return sorted({term for group in self.groups for term in group})

    def __bool__(self):
        return bool(self.groups)


def _alias_words(folded_alias: str) -> set[str]:
    return {folded_alias, *(w for w in _ALIAS_WORD_BREAK.split(folded_alias) if w)}


def _entities_named(words: list[str]) -> dict[str, set[int]]:
    """For each folded word, the entities it names (as an alias, or a word of one)."""
    from claims.models import Alias

    named: dict[str, set[int]] = {w: set() for w in words}
    candidates = Alias.objects.filter(reduce(or_, (Q(folded__contains=w) for w in words)))
    for entity_id, alias in candidates.values_list("entity_id", "folded"):
        for word in words:
            if word in _alias_words(alias):
                named[word].add(entity_id)
    return named


def parse_query(query: str) -> Query:
    """Fold the query, split it into words and expand each word that names an entity.

    The whole query is one word when it is an entity's name ("Sam Altman").
    """
    from claims.models import Alias

    folded = " ".join(fold_for_search(query).split())
    if not folded:
        return Query(())
    words = folded.split()
    named = _entities_named(list(dict.fromkeys([folded, *words])))
    if len(words) > 1 and named[folded]:
        words = [folded]
    words = list(dict.fromkeys(words))
    aliases: dict[int, set[str]] = {}
    wanted = set().union(*(named[w] for w in words))
    for entity_id, alias in Alias.objects.filter(entity_id__in=wanted).values_list(
        "entity_id", "folded"
    ):
        aliases.setdefault(entity_id, set()).add(alias)
    groups = [
        tuple(sorted({word}.union(*(aliases[e] for e in named[word] if e in aliases))))
        for word in words
    ]
    return Query(tuple(groups))


def query_terms(query: str) -> list[str]:
    """Every folded term the query stands for: its words and the aliases they name."""
    return parse_query(query).terms


def _essential(terms: Iterable[str]) -> list[str]:
    """Terms not containing another term: whatever contains 埃隆·马斯克 contains 马斯克."""
    terms = sorted(set(terms), key=lambda term: (len(term), term))
    kept: list[str] = []
    for term in terms:
        if not any(shorter in term for shorter in kept):
            kept.append(term)
    return kept


def _contains_any(terms: Iterable[str]) -> Q:
    return reduce(or_, (Q(search_text__contains=term) for term in terms))


def _has_bigrams_of_any(terms: list[str]) -> Q | None:
    """What the bigram index can answer for the terms, or None if a term is too short."""
    if any(len(term) < 2 for term in terms):
        return None
    return reduce(or_, (Q(search_bigrams__contains=bigrams(term)) for term in terms))


class SearchStatements(Expression):
    """The search_statements column: the search text before STATEMENT_END, stored by
    PostgreSQL (migration 0017), which the model does not declare."""

    output_field = TextField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_statements')}", []


def _in_statements(terms: Iterable[str]) -> Q:
    """Some term occurs in the statements: the search text before STATEMENT_END.

    A common word ranks 8,000 claims (benchmarks/README.md): PostgreSQL reads the stored
    statements, a fifth of the query's time less than cutting each text again; elsewhere
    the text is cut once per term.
    """
    if connection.vendor == "postgresql":
        statements = SearchStatements()
    else:
        statements = Left("search_text", StrIndex("search_text", Value(STATEMENT_END)) - 1)
    return reduce(or_, (Q(Contains(statements, term)) for term in terms))


def _count(conditions: list[Q]):
    return reduce(
        add,
        (
            Case(When(c, then=Value(1)), default=Value(0), output_field=IntegerField())
            for c in conditions
        ),
    )


def _matching(queryset, groups: list[list[str]]):
    terms = [term for group in groups for term in group]
    indexed = _has_bigrams_of_any(terms) if connection.vendor == "postgresql" else None
    if indexed is None:
        return queryset.filter(_contains_any(terms))
    queryset = queryset.alias(search_bigrams=SearchBigrams())
    if all(bigram_exact(term) for term in terms):
        # The index answers exactly: no row's long text is read to confirm it.
        return queryset.filter(indexed)
    # Apart from the LIKEs, which imply it, so the planner leaves it to the index alone.
    return queryset.filter(_contains_any(terms)).filter(indexed)


def _search(queryset, query: str, order: list, *, in_statements: bool = False):
    parsed = parse_query(query)
    if not parsed:
        return queryset
    groups = [_essential(group) for group in parsed.groups]
    queryset = _matching(queryset, groups)
    ranks = {}
    if len(groups) > 1:
        ranks["search_matches"] = _count([_contains_any(g) for g in groups])
    if in_statements:
        ranks["search_in_statements"] = _count([_in_statements(g) for g in groups])
    return queryset.annotate(**ranks).order_by(*(f"-{name}" for name in ranks), *order)


def search_claims(queryset, query: str):
    """Claims matching the query, best first (see the module's docstring)."""
    return _search(queryset, query, ["-updated_at", "id"], in_statements=True)


def search_sources(queryset, query: str):
    """Sources whose title or text matches, those matching more words first, then newest."""
    return _search(queryset, query, ["-published_on", "id"])


def search_quotes(queryset, query: str):
    """Quotes whose text matches, those matching more words first, then in source order."""
    return _search(queryset, query, ["source_id", "start"])


# The admin's lists: each searches its own text, any word of the query matching.


def _any_terms(query: str) -> list[str]:
    """The folded terms any of which a row's text must hold: the query's words and aliases."""
    return [term for group in parse_query(query).groups for term in _essential(group)]


def _quotes_holding(terms: list[str]):
    from claims.models import Quote

    return _matching(Quote.objects.order_by(), [terms]).values("pk")


def _claims_stating(terms: list[str]):
    """Claims whose statements hold a term (not their subjects' or topics' names)."""
    from claims.models import Claim

    return _matching(Claim.objects.order_by(), [terms]).filter(_in_statements(terms)).values("pk")


def search_entities(queryset, query: str):
    """Entities with a name or alias that holds a term of the query."""
    from claims.models import Alias

    terms = _any_terms(query)
    if not terms:
        return queryset
    aliases = Alias.objects.filter(entity=OuterRef("pk")).filter(
        reduce(or_, (Q(folded__contains=term) for term in terms))
    )
    names = reduce(or_, (Q(name__icontains=term) | Q(name_zh__icontains=term) for term in terms))
    return queryset.filter(names | Q(Exists(aliases)))


def search_topics(queryset, query: str):
    """Topics whose English or Chinese name (in either script) or slug holds a term."""
    terms = _any_terms(query)
    if not terms:
        return queryset
    return queryset.filter(
        reduce(
            or_,
            (
                Q(name__icontains=term)
                | Q(slug__icontains=term)
                | Q(name_zh__contains=term)
                | Q(name_zh__contains=to_traditional(term))
                for term in terms
            ),
        )
    )


def search_assertions(queryset, query: str):
    """Assertions whose quote's text or claim's statements hold a term."""
    terms = _any_terms(query)
    if not terms:
        return queryset
    return queryset.filter(
        Q(quote__in=_quotes_holding(terms)) | Q(claim__in=_claims_stating(terms))
    )


def search_conflicts(queryset, query: str):
    """Conflicts whose claim's statements or either side's quote hold a term."""
    terms = _any_terms(query)
    if not terms:
        return queryset
    quotes = _quotes_holding(terms)
    return queryset.filter(
        Q(claim__in=_claims_stating(terms))
        | Q(first__quote__in=quotes)
        | Q(second__quote__in=quotes)
    )


def search_suggestions(queryset, query: str):
    """Suggestions whose sentence holds a term."""
    terms = _any_terms(query)
    if not terms:
        return queryset
    return queryset.filter(_contains_any(terms))


# Sources that may be copies of a text

# Runs of words between punctuation and line breaks, in a folded text.
_PASSAGE = re.compile(r"[^\W_]+(?: [^\W_]+)*")
PASSAGE_LENGTH = 12
PASSAGES = 8


def passages(text: str) -> list[str]:
    """Up to PASSAGES folded passages spread over the text, each the first or the last
    PASSAGE_LENGTH characters of a run of words with no punctuation or line break in it:
    what a copy of the text holds, however its quotes, commas and line breaks are written,
    and most of them what a copy with a few words changed holds too."""
    runs = [match.group() for match in _PASSAGE.finditer(fold_for_search(text))]
    ends = [
        passage
        for run in runs
        if len(run) >= PASSAGE_LENGTH
        for passage in dict.fromkeys((run[:PASSAGE_LENGTH], run[-PASSAGE_LENGTH:]))
    ]
    if not ends:
        longest = max(runs, key=len, default="")
        return [longest] if len(longest) >= 2 else []
    step = len(ends) / PASSAGES
    return list(dict.fromkeys(ends[int(i * step)] for i in range(min(PASSAGES, len(ends)))))


def search_sources_sharing(queryset, text: str, limit: int):
    """Sources holding any of the text's passages, those holding more first: the few that
    may be copies of it, found by the search index rather than by reading every text."""
    found = passages(text)
    if not found:
        return queryset.none()
    shared = _count([Q(search_text__contains=passage) for passage in found])
    matching = _matching(queryset, [found]).annotate(search_matches=shared)
    return matching.order_by("-search_matches", "-published_on", "id")[:limit]


# Highlighting


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index it came from in `text`."""
    pieces = [unicodedata.normalize("NFKC", ch).casefold() for ch in text]
    joined = "".join(pieces)
    folded = to_simplified(joined)
    if len(folded) != len(joined):
        # A phrase conversion changed the length; fold character by character instead.
        pieces = [to_simplified(piece) for piece in pieces]
        folded = "".join(pieces)
    origins = [i for i, piece in enumerate(pieces) for _ in piece]
    return folded, origins


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where in `text` any of the folded terms occurs, as merged (start, end) spans."""
    folded, origins = _folded_with_origins(text)
    spans = []
    for term in terms:
        if not term:
            continue
        at = folded.find(term)
        while at != -1:
            spans.append((origins[at], origins[at + len(term) - 1] + 1))
            at = folded.find(term, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(
    text: str, query: str | Query, *, around: int | None = None
) -> list[tuple[str, bool]]:
    """`text` cut into (segment, is_match) pieces; with `around`, only the first match's passage.

    The passage keeps `around` characters either side of the first match, marked with "…"
    where the text was cut. Pass a parsed Query to highlight many texts with one parse.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    spans = match_spans(text, parsed.terms)
    first, last = 0, len(text)
    if around is not None and spans:
        first = max(0, spans[0][0] - around)
        last = min(len(text), spans[0][1] + around)
    elif around is not None:
        last = min(len(text), 2 * around)
    pieces: list[tuple[str, bool]] = [("…", False)] if first > 0 else []
    at = first
    for start, end in spans:
        if end <= first or start >= last:
            continue
        start, end = max(start, first), min(end, last)
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < last:
        pieces.append((text[at:last], False))
    if last < len(text):
        pieces.append(("…", False))
    return pieces


# Sources like a new text (the import form's warning)

# How many sources sharing passages with a new text are compared with it in full.
LIKELY_COPIES = 20


@dataclass(frozen=True)
class Likeness:
    """A source whose text is like another's: `same` once punctuation and whitespace are
    set aside, `identical` character for character."""

    source: Source
    similarity: float
    same: bool
    identical: bool


def sources_like(*, text: str) -> list[Likeness]:
    """The sources whose text is this one's, or nearly (similarity ≥ NEAR_DUPLICATE), once
    quotes, punctuation and whitespace are set aside; the most alike first."""
    text = normalize_text(text)
    digest, mine = sha256_of(text), Comparable(text)
    candidates = search_sources_sharing(
        Source.objects.only("pk", "title", "text", "sha256"), text, LIKELY_COPIES
    )
    found = []
    for source in candidates:
        theirs = Comparable(source.text)
        alike = near_duplicate_likeness(mine, theirs)
        if alike >= NEAR_DUPLICATE:
            same = theirs.text == mine.text
            found.append(Likeness(source, alike, same, source.sha256 == digest))
    return sorted(found, key=lambda like: (-like.similarity, like.source.pk))
