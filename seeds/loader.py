"""Loads the seed articles and the curated seed ledger through the ledger's own services.

Idempotent: sources are found by their text's hash, entities, topics and claims by slug,
quotes by their span, assertions by quote and claim; what exists is left as it is, so a
reviewer's later work is never overwritten. Transactional: an error anywhere loads
nothing and names the claim and quote at fault.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import services
from claims.models import (
    Alias,
    Assertion,
    Claim,
    ClaimKind,
    ClaimStatus,
    Conflict,
    ConflictStatus,
    Entity,
    PositionRating,
    Quote,
    Topic,
)
from domain.anchoring import AnchorError, Selector, anchor
from domain.citations import resolve_source_marks
from domain.intervals import DATE_UNIT, date_interval
from sources.models import Source
from sources.services import source_import, source_update

SEEDS_DIR = Path(__file__).resolve().parent


class SeedError(Exception):
    """A fault in the seed files, named by where it is."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    # Seeded objects a reviewer deleted: left out, never loaded again.
    deleted: Counter = field(default_factory=Counter)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.existing) | set(self.deleted))
        return [
            f"{kind}: {self.created[kind]} created, {self.existing[kind]} already there"
            + (f", {self.deleted[kind]} deleted by reviewers" if self.deleted[kind] else "")
            for kind in kinds
        ]


def deleted_before(model, **fields) -> bool:
    """Whether an object like this was deleted (by a reviewer: the loader never deletes)."""
    return model.history.filter(history_type="-", **fields).exists()


def read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"{path.name}: {error}") from error


@transaction.atomic
def load_seeds(seeds_dir: Path = SEEDS_DIR) -> LoadReport:
    report = LoadReport()
    sources = _load_sources(seeds_dir, report)
    ledger = read_yaml(seeds_dir / "ledger.yaml") or {}
    entities = _load_entities(ledger.get("entities", []), report)
    topics = _load_topics(ledger.get("topics", []), report)
    for number, spec in enumerate(ledger.get("claims", []), start=1):
        where = f"ledger.yaml, claim {number} ({spec.get('slug', 'no slug')})"
        try:
            _load_claim(spec, sources, entities, topics, report, where)
        except (ValidationError, AnchorError, KeyError, TypeError, ValueError) as error:
            raise SeedError(f"{where}: {_explain(error)}") from error
    return report


def _explain(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    if isinstance(error, KeyError):
        return f"missing field {error}"
    return str(error)


def _load_sources(seeds_dir: Path, report: LoadReport) -> dict[str, Source]:
    sources = {}
    for number, meta in enumerate(read_yaml(seeds_dir / "sources.yaml"), start=1):
        try:
            raw = (seeds_dir / "articles" / meta["file"]).read_bytes()
            if hashlib.sha256(raw).hexdigest() != meta["sha256"]:
                raise ValueError(f"{meta['file']} is not the article recorded (sha256 differs)")
            text = raw.decode("utf-8")
            source, created = source_import(
                title=meta["title"],
                text=text,
                language=meta["language"],
                outlet=meta.get("outlet", ""),
                author=meta.get("author", ""),
                url=meta.get("url", ""),
                published_on=meta.get("published_on"),
                published_precision=meta.get("published_precision", "day"),
                kind=meta.get("kind", "news"),
            )
            if created and not meta.get("published_stated", True):
                source = source_update(source=source, published_stated=False)
        except (OSError, KeyError, ValueError, ValidationError) as error:
            raise SeedError(f"sources.yaml, entry {number}: {_explain(error)}") from error
        sources[str(meta["key"])] = source
        report.count("sources", created)
    return sources


def _load_entities(specs: list[dict], report: LoadReport) -> dict[str, Entity]:
    entities = {}
    for spec in specs:
        entity, created = Entity.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "name_zh": spec.get("name_zh", ""),
                "kind": spec["kind"],
                "description": spec.get("description", ""),
                "description_zh": spec.get("description_zh", ""),
            },
        )
        report.count("entities", created)
        for name in dict.fromkeys(
            [spec["name"], spec.get("name_zh", ""), *spec.get("aliases", [])]
        ):
            if name:
                _, made = Alias.objects.get_or_create(entity=entity, name=name)
                report.count("aliases", made)
        entities[entity.slug] = entity
    return entities


def _load_topics(specs: list[dict], report: LoadReport) -> dict[str, Topic]:
    topics = {}
    for spec in specs:
        topic, created = Topic.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "name_zh": spec.get("name_zh", "")}
        )
        report.count("topics", created)
        topics[topic.slug] = topic
    return topics


def _load_claim(spec, sources, entities, topics, report, where) -> None:
    claim = Claim.objects.filter(slug=spec["slug"]).first()
    if claim is None and deleted_before(Claim, slug=spec["slug"]):
        report.deleted["claims"] += 1
        return
    report.count("claims", claim is None)
    if claim is None:
        claim = services.claim_create(
            slug=spec["slug"],
            statement_en=spec["statement_en"],
            statement_zh=spec.get("statement_zh", ""),
            kind=spec["kind"],
            unit=spec.get("unit", ""),
            subjects=[_named(entities, s, "subject") for s in spec.get("subjects", [])],
            topics=[_named(topics, t, "topic") for t in spec.get("topics", [])],
            match_terms=_match_terms(spec),
        )
        _publish(claim, spec, sources)
    elif not claim.match_terms and spec.get("match_terms"):
        claim = services.claim_update(claim=claim, match_terms=_match_terms(spec))
    assertions = []
    for number, item in enumerate(spec.get("assertions", []), start=1):
        try:
            assertions.append(_load_assertion(claim, item, sources, entities, report))
        except (ValidationError, AnchorError, KeyError, TypeError, ValueError) as error:
            exact = item.get("exact", "") if isinstance(item, dict) else ""
            raise SeedError(
                f"{where}, quote {number} (source {item.get('source')}, {exact[:30]!r}): "
                f"{_explain(error)}"
            ) from error
    for number, item in enumerate(spec.get("conflicts", []), start=1):
        try:
            _settle_conflict(claim, item, assertions)
        except (ValidationError, KeyError, TypeError, ValueError) as error:
            raise SeedError(f"{where}, conflict {number}: {_explain(error)}") from error
    for number, item in enumerate(spec.get("positions", []), start=1):
        try:
            _rate_position(claim, item, assertions, entities, sources)
        except (ValidationError, KeyError, TypeError, ValueError) as error:
            raise SeedError(f"{where}, position {number}: {_explain(error)}") from error


def _match_terms(spec: dict) -> str:
    """The claim's match terms, one a line, as the claim admin keeps them."""
    return "\n".join(spec.get("match_terms", []))


def _named(table: dict, key: str, what: str):
    if key not in table:
        raise ValueError(f"unknown {what} {key!r}")
    return table[key]


def _publish(claim: Claim, spec: dict, sources: dict) -> None:
    status = spec.get("status", ClaimStatus.DRAFT)
    verdict = spec.get("verdict", "")
    if not isinstance(verdict, str):
        raise ValueError(f'verdict {verdict!r} is not text; quote it ("true", "false")')
    if verdict:
        claim = services.claim_set_verdict(
            claim=claim,
            verdict=verdict,
            rationale=_cited(spec.get("rationale", ""), sources),
            rationale_zh=_cited(spec.get("rationale_zh", ""), sources),
        )
    path = {
        ClaimStatus.DRAFT: [],
        ClaimStatus.IN_REVIEW: [ClaimStatus.IN_REVIEW],
        ClaimStatus.PUBLISHED: [ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED],
        ClaimStatus.ARCHIVED: [ClaimStatus.ARCHIVED],
    }[status]
    for step in path:
        claim = services.claim_set_status(claim=claim, status=step)


def _load_assertion(claim, item, sources, entities, report) -> Assertion | None:
    """The seeded assertion, created if missing; None if a reviewer deleted it or its quote."""
    source = _named(sources, str(item["source"]), "source")
    found = anchor(
        source.text,
        Selector(item["exact"], item.get("prefix", ""), item.get("suffix", ""), item.get("start")),
    )
    quote = Quote.objects.filter(source=source, start=found.start, end=found.end).first()
    if quote is None and deleted_before(
        Quote, source_id=source.pk, start=found.start, end=found.end
    ):
        report.deleted["quotes"] += 1
        return None
    report.count("quotes", quote is None)
    if quote is None:
        speaker = _named(entities, item["speaker"], "speaker") if item.get("speaker") else None
        quote = services.quote_create(
            source=source,
            exact=item["exact"],
            prefix=item.get("prefix", ""),
            start=item.get("start"),
            suffix=item.get("suffix", ""),
            speaker=speaker,
        )
    assertion = Assertion.objects.filter(claim=claim, quote=quote).first()
    if assertion is None and deleted_before(Assertion, claim_id=claim.pk, quote_id=quote.pk):
        report.deleted["assertions"] += 1
        return None
    report.count("assertions", assertion is None)
    if assertion is None:
        assertion = services.assertion_add(
            claim=claim,
            quote=quote,
            stance=item["stance"],
            value=_value(claim, item.get("value")),
            value_text=(item.get("value") or {}).get("text", ""),
            note=item.get("note", ""),
        )
    return assertion


def _value(claim: Claim, value: dict | None):
    if value is None:
        return None
    if claim.kind == ClaimKind.DATE:
        return _date_value(value)
    return services.value_interval(value, claim=claim)


def _date_value(value: dict):
    """A date value written as {"on": 2018-02} or {after: 2018, before: 2019-06}."""
    if True in value:
        raise ValueError('write the key "on" in quotes: YAML reads a bare on as true')

    def days(text, end: bool):
        parts = [int(p) for p in str(text).split("-")]
        interval = date_interval(*parts)
        return interval.high if end else interval.low

    if "on" in value:
        return date_interval(*[int(p) for p in str(value["on"]).split("-")])
    low = days(value["after"], end=False) if value.get("after") else None
    high = days(value["before"], end=True) if value.get("before") else None
    kind = (
        "range"
        if low is not None and high is not None
        else ("lower_bound" if low is not None else "upper_bound")
    )
    return services.interval_from(
        {"low": low, "high": high, "kind": kind, "unit": DATE_UNIT}, default_unit=DATE_UNIT
    )


def _settle_conflict(claim: Claim, item: dict, assertions: list[Assertion]) -> None:
    numbers = item["between"]
    if len(numbers) != 2 or not all(
        isinstance(n, int) and 1 <= n <= len(assertions) for n in numbers
    ):
        raise ValueError(f"conflict between {numbers}: name two assertions, 1 to {len(assertions)}")
    first, second = (assertions[n - 1] for n in numbers)
    if first is None or second is None:
        return  # a reviewer deleted one side
    pair = sorted([first.pk, second.pk])
    conflict = Conflict.objects.filter(first_id=pair[0], second_id=pair[1]).first()
    marked_now = conflict is None
    if marked_now:
        conflict = services.conflict_mark(first=first, second=second, note=item.get("note", ""))
    unsettled = conflict.status in (ConflictStatus.OPEN, ConflictStatus.CONFIRMED)
    if marked_now or (unsettled and not conflict.note):
        services.conflict_set_status(
            conflict=conflict,
            status=item["status"],
            note=item.get("note", ""),
            note_zh=item.get("note_zh", ""),
        )


def _cited(text: str, sources: dict) -> str:
    """The text with its `[[source:<seed key>]]` marks naming the sources' ids."""
    return resolve_source_marks(text, {key: source.pk for key, source in sources.items()})


def _rate_position(
    claim: Claim, item: dict, assertions: list[Assertion], entities, sources
) -> None:
    numbers = item["holding"]
    if not numbers or not all(isinstance(n, int) and 1 <= n <= len(assertions) for n in numbers):
        raise ValueError(f"holding {numbers}: name assertions 1 to {len(assertions)}")
    if any(assertions[n - 1] is None for n in numbers):
        return  # a reviewer deleted some of the evidence it was rated on
    held = {assertions[n - 1].pk for n in numbers}
    position = next(
        (p for p in claim.positions.order_by("rank") if held <= set(p.assertion_ids)), None
    )
    if position is None:
        raise ValueError(f"no position holds assertions {numbers}")
    if PositionRating.objects.filter(position=position).exists():
        return  # an Editor's rating is theirs: never overwritten
    services.position_rate(
        position=position,
        verdict=item["verdict"],
        rationale=_cited(item.get("rationale", ""), sources),
        rationale_zh=_cited(item.get("rationale_zh", ""), sources),
        statement=item.get("statement", ""),
        statement_zh=item.get("statement_zh", ""),
        speaker=_named(entities, item["speaker"], "speaker") if item.get("speaker") else None,
    )
