"""A synthetic ledger at any scale, for benchmarks: deterministic from a seed, bulk-loaded.

Texts are made of the seed articles' sentences (simplified, and converted to traditional)
and of English sentences about the seed entities; quotes are sentences of those texts at
their real offsets; claims are about the seed entities and topics. How many assertions a
claim gets follows a power law, so at the default scale dozens of claims have 1,000+.
Only a claim's first ACTIVE_LIMIT assertions take a side or carry a value (the rest
mention it), which keeps the conflicts per claim at what a reviewer could work through.

Rows bypass the services for speed but hold every invariant the services keep: quote text
at its offsets with its context, folded search texts, conflicts exactly those that
detection finds (ordered pairs, reasons, signatures). PostgreSQL loads with COPY, with
the secondary indexes set aside and rebuilt once; other databases with executemany.
"""

import random
import re
import time
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from claims.models import (
    Assertion,
    Claim,
    ClaimKind,
    ClaimStatus,
    Conflict,
    ConflictOrigin,
    ConflictStatus,
    Entity,
    LedgerState,
    Quote,
    Stance,
    Topic,
    ValueOrigin,
    Verdict,
)
from claims.search import claim_search_text_from, quote_search_text
from claims.services import positions_rebuild
from domain import conflict_rules
from domain.anchoring import context_around
from domain.intervals import DATE_UNIT, Interval, date_interval
from domain.text import fold_for_search, normalize_text, sha256_of, to_simplified, to_traditional
from seeds.loader import SEEDS_DIR, load_seeds, read_yaml
from sources.models import DatePrecision, Language, ScanState, Source, SourceKind
from sources.services import source_search_text

ACTIVE_LIMIT = 12
# Values as the database gives them back, so conflict signatures match detection's.
STORED_PLACES = Decimal(1).scaleb(-Assertion._meta.get_field("low").decimal_places)
# Assertions per claim fall off as 1 / (rank + OFFSET) ** EXPONENT.
EXPONENT, OFFSET = 0.8, 3
BATCH_SOURCES = 2000
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
_SENTENCE = re.compile(r"[^。！？!?；\n]+[。！？!?；]?")
_SPEECH = re.compile(r"说|說|表示|称|稱|写道|寫道|回应|回應|said|wrote|told")


@dataclass(frozen=True)
class Scale:
    sources: int = 100_000
    quotes: int = 1_000_000
    claims: int = 50_000


@dataclass(frozen=True)
class EntityInfo:
    id: int
    name: str
    name_zh: str
    kind: str
    aliases: tuple[str, ...]

    @property
    def chinese_names(self) -> list[str]:
        names = [a for a in (self.name_zh, *self.aliases) if re.search(r"[\u4e00-\u9fff]", a)]
        return names or [self.name]

    @property
    def english_names(self) -> list[str]:
        return [a for a in (self.name, *self.aliases) if a.isascii()] or [self.name]


@dataclass(frozen=True)
class TopicInfo:
    id: int
    name: str
    name_zh: str


@dataclass(frozen=True)
class Material:
    """What the synthetic ledger is made of: the seed sentences, entities and topics."""

    sentences: dict[str, tuple[str, ...]]  # by language
    entities: tuple[EntityInfo, ...]
    topics: tuple[TopicInfo, ...]


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        rows = [f"{name}: {count:,} created" for name, count in self.created.items()]
        return [*rows, f"in {self.seconds:.1f} s"]


# The columns written for each model; every concrete field, so every row is complete.
COLUMNS = {
    Source: [
        "id", "title", "outlet", "author", "url", "published_on", "published_precision",
        "published_stated", "language", "kind", "reader_note", "reader_note_zh", "text",
        "sha256", "search_text", "scan_state", "scan_sentences", "scan_suggestions",
        "scan_message", "created_at", "updated_at",
    ],
    Quote: [
        "id", "source_id", "exact", "start", "end", "prefix", "suffix", "speaker_id",
        "anchor_state", "search_text", "created_at", "updated_at",
    ],
    Claim: [
        "id", "slug", "statement_en", "statement_zh", "kind", "unit", "status", "verdict",
        "rationale", "rationale_zh", "reviewer_notes", "match_terms", "assignee_id", "version",
        "search_text", "published_at", "disputed", "position_count", "created_at", "updated_at",
    ],
    Claim.subjects.through: ["claim_id", "entity_id"],
    Claim.topics.through: ["claim_id", "topic_id"],
    Assertion: [
        "id", "claim_id", "quote_id", "stance", "low", "high", "value_kind", "unit",
        "value_text", "value_origin", "note", "set_aside", "set_aside_note", "version",
        "created_at", "updated_at",
    ],
    Conflict: [
        "id", "claim_id", "first_id", "second_id", "kind", "origin", "status", "reason", "note",
        "note_zh", "reviewer_note", "values_signature", "created_at", "updated_at",
    ],
}  # fmt: skip


# Material


def split_sentences(text: str) -> list[str]:
    found = (m.group().strip() for m in _SENTENCE.finditer(text))
    return [s for s in found if 6 <= len(s) <= 160 and not s.startswith(("作者", "当前位置"))]


ENGLISH_TEMPLATES = [
    "{a} said the talks with {b} had broken down.",
    "{a} declined to comment on the lawsuit against {b}.",
    "According to court filings, {a} and {b} exchanged emails in {year}.",
    "{a} wrote that the odds of success for {b} were close to zero.",
    "The board of {b} met again in {month} {year}.",
    "{a} argued that {b} had abandoned its founding mission.",
    "Reporters could not confirm whether {a} had signed a founding agreement with {b}.",
    "{b} published a blog post responding to {a}.",
    "Analysts say {b} is effectively controlled by its largest investor.",
    "More than 700 employees of {b} signed the letter, {a} said.",
    "{a} told investors in {month} {year} that {b} needed far more computing power.",
    "A spokesperson for {b} said {a} had wanted majority equity and the CEO post.",
]
MONTHS = "January February March April May June July August September October November December"


def english_sentences(entities: tuple[EntityInfo, ...]) -> list[str]:
    names = sorted({n for e in entities for n in e.english_names}) or ["OpenAI"]
    sentences = []
    for template in ENGLISH_TEMPLATES:
        for a in names:
            for b in names:
                if a == b and len(names) > 1:
                    continue
                for year in (2016, 2018, 2023):
                    month = MONTHS.split()[(year + len(a)) % 12]
                    sentences.append(template.format(a=a, b=b, year=year, month=month))
    return list(dict.fromkeys(sentences))


def material_from_seeds() -> Material:
    """The seed articles' sentences and the seed entities and topics (loaded if need be)."""
    load_seeds()
    simplified, traditional = [], []
    for meta in read_yaml(SEEDS_DIR / "sources.yaml"):
        text = normalize_text((SEEDS_DIR / "articles" / meta["file"]).read_text(encoding="utf-8"))
        for sentence in split_sentences(text):
            if meta["language"] == Language.ZH_HANT:
                traditional.append(sentence)
                simplified.append(to_simplified(sentence))
            else:
                simplified.append(sentence)
                traditional.append(to_traditional(sentence))
    entities = tuple(
        EntityInfo(e.pk, e.name, e.name_zh, e.kind, tuple(sorted(a.name for a in e.aliases.all())))
        for e in Entity.objects.prefetch_related("aliases").order_by("slug")
    )
    topics = tuple(TopicInfo(t.pk, t.name, t.name_zh) for t in Topic.objects.order_by("slug"))
    return Material(
        sentences={
            Language.ZH_HANS: tuple(dict.fromkeys(simplified)),
            Language.ZH_HANT: tuple(dict.fromkeys(traditional)),
            Language.EN: tuple(english_sentences(entities)),
        },
        entities=entities,
        topics=topics,
    )


# Claims


CLAIM_TEMPLATES = [
    (ClaimKind.QUANTITY, "USD", "How much money did {a} give {b} in {year}?",
     "{a}在{year}年向{b}投入了多少钱?"),
    (ClaimKind.QUANTITY, "USD", "What was {b} worth in {year}, according to {a}?",
     "据{a}所说,{b}在{year}年价值多少?"),
    (ClaimKind.QUANTITY, "people", "How many staff of {b} threatened to leave over {a} in {year}?",
     "{year}年{b}有多少员工因{a}威胁离职?"),
    (ClaimKind.DATE, DATE_UNIT, "When did {a} leave the board of {b}?",
     "{a}何时离开{b}董事会?"),
    (ClaimKind.DATE, DATE_UNIT, "When did {a} start a rival to {b}?",
     "{a}何时创立了与{b}竞争的公司?"),
    (ClaimKind.YES_NO, "", "Did {a} withdraw the lawsuit against {b} in {year}?",
     "{a}在{year}年撤回了对{b}的诉讼吗?"),
    (ClaimKind.YES_NO, "", "Is {b} effectively controlled by {a}?",
     "{b}实际上受{a}控制吗?"),
    (ClaimKind.YES_NO, "", "Did {a} sign a founding agreement with {b}?",
     "{a}与{b}签署过创始协议吗?"),
    (ClaimKind.TEXT, "", "Why did {a} and {b} part ways in {year}?",
     "{year}年{a}与{b}为何分道扬镳?"),
]  # fmt: skip
STATUS_WEIGHTS = {
    ClaimStatus.PUBLISHED: 70,
    ClaimStatus.IN_REVIEW: 12,
    ClaimStatus.DRAFT: 13,
    ClaimStatus.ARCHIVED: 5,
}
VERDICTS = [v for v in Verdict.values if v]
# The claims most quoted are the ones a ledger publishes.
ALWAYS_PUBLISHED = 100


def assertion_weights(claims: int) -> list[float]:
    """How likely each claim (in order) is to be the one the next quote bears on."""
    return [1 / (rank + OFFSET) ** EXPONENT for rank in range(claims)]


@dataclass
class ClaimPlan:
    id: int
    kind: str
    unit: str
    subjects: list[EntityInfo]
    truth: Decimal | date | None
    sided: int = 0
    active: list[conflict_rules.AssertionFacts] = field(default_factory=list)


def _moment(rng: random.Random, days: int = 700) -> datetime:
    return EPOCH + timedelta(minutes=rng.randrange(days * 24 * 60))


def _truth(rng: random.Random, kind: str, unit: str):
    if kind == ClaimKind.DATE:
        return date(rng.randint(2015, 2024), rng.randint(1, 12), 1)
    if kind == ClaimKind.QUANTITY and unit == "people":
        return Decimal(rng.randrange(50, 1000, 10))
    if kind == ClaimKind.QUANTITY:
        return Decimal(rng.randint(1, 99)) * 10 ** rng.randint(6, 9)
    return None


def plan_claims(rng, material: Material, count: int, first_id: int, seed: int):
    """Claim, subject and topic rows, and each claim's plan for its assertions."""
    entities, topics = material.entities, material.topics
    statuses = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count)
    claims, subject_rows, topic_rows, plans = [], [], [], []
    for n in range(count):
        kind, unit, en, zh = rng.choice(CLAIM_TEMPLATES)
        subjects = rng.sample(entities, min(2, len(entities)))
        a, b = (subjects * 2)[:2] if subjects else (None, None)
        year = rng.randint(2015, 2024)
        statement_en = en.format(a=a.name if a else "he", b=b.name if b else "OpenAI", year=year)
        statement_zh = zh.format(
            a=rng.choice(a.chinese_names) if a else "他",
            b=rng.choice(b.chinese_names) if b else "OpenAI",
            year=year,
        )
        chosen_topics = rng.sample(topics, rng.randint(0, min(2, len(topics))))
        status = ClaimStatus.PUBLISHED if n < ALWAYS_PUBLISHED else statuses[n]
        created = _moment(rng)
        updated = created + timedelta(minutes=rng.randrange(60 * 24 * 30))
        published = status == ClaimStatus.PUBLISHED
        search_text = claim_search_text_from(
            [statement_en, statement_zh],
            [[e.name, e.name_zh, *e.aliases] for e in sorted(subjects, key=lambda e: e.name)],
            sorted(f"{t.name} {t.name_zh}" for t in chosen_topics),
        )
        claim_id = first_id + n
        claims.append(
            (
                claim_id, f"synthetic-{seed}-{n}", statement_en, statement_zh, kind, unit,
                status, rng.choice(VERDICTS) if published else "",
                "The sources disagree; see the assertions." if published else "",
                "来源说法不一；见各条陈述。" if published else "",
                "", "", None, 1, search_text, updated if published else None, False, 0,
                created, updated,
            )
        )  # fmt: skip
        subject_rows += [(claim_id, e.id) for e in subjects]
        topic_rows += [(claim_id, t.id) for t in chosen_topics]
        plans.append(ClaimPlan(claim_id, kind, unit, subjects, _truth(rng, kind, unit)))
    return claims, subject_rows, topic_rows, plans


# Values and the sentences that state them


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _zh_amount(value: Decimal, unit: str) -> str:
    if unit == "people":
        return f"{value}名员工"
    if value >= 10**8 and value % 10**7 == 0:
        return f"{_plain(value / 10**8)}亿美元"
    return f"{_plain(value / 10**4)}万美元"


def _en_amount(value: Decimal, unit: str) -> str:
    if unit == "people":
        return f"{value} employees"
    if value >= 10**9:
        return f"${_plain(value / 10**9)} billion"
    return f"${_plain(value / 10**6)} million"


def _value_for(rng, plan: ClaimPlan, english: bool) -> tuple[Interval, str]:
    """A value the claim's sources might state, and how a text writes it."""
    if plan.kind == ClaimKind.DATE:
        day = plan.truth
        if rng.random() < 0.08:
            day = day.replace(year=day.year + rng.choice([-2, -1, 1, 2]))
        interval = date_interval(day.year, day.month)
        if english:
            return interval, f"in {MONTHS.split()[day.month - 1]} {day.year}"
        return interval, f"于{day.year}年{day.month}月"
    truth = plan.truth
    shapes = ["exact", "approximate", "upper", "lower", "range", "off"]
    shape = rng.choices(shapes, weights=[40, 20, 10, 10, 15, 5])[0]
    zh, en = (lambda v: _zh_amount(v, plan.unit)), (lambda v: _en_amount(v, plan.unit))
    if shape == "off":
        truth = (truth * Decimal(rng.choice(["0.1", "0.4", "2.5", "10"]))).to_integral_value()
        shape = "exact"
    if shape == "exact":
        return Interval(truth, truth, "exact", plan.unit), en(truth) if english else zh(truth)
    if shape == "approximate":
        text = f"about {en(truth)}" if english else f"约{zh(truth)}"
        return Interval(truth, truth, "approximate", plan.unit), text
    if shape == "upper":
        high = (truth * Decimal("1.1")).to_integral_value()
        text = f"less than {en(high)}" if english else f"不到{zh(high)}"
        return Interval(None, high, "upper_bound", plan.unit), text
    if shape == "lower":
        low = (truth * Decimal("0.9")).to_integral_value()
        text = f"more than {en(low)}" if english else f"超过{zh(low)}"
        return Interval(low, None, "lower_bound", plan.unit), text
    low, high = (truth / 2).to_integral_value(), truth * 2
    text = f"{en(low)} to {en(high)}" if english else f"{zh(low)}至{zh(high)}"
    return Interval(low, high, "range", plan.unit), text


def _value_sentence(rng, plan: ClaimPlan, language: str, value_text: str):
    """A sentence stating the value, and the entity it has say it."""
    speaker = rng.choice(plan.subjects) if plan.subjects else None
    others = [e for e in plan.subjects if e is not speaker]
    other = others[0] if others else None
    if language == Language.EN:
        who = rng.choice(speaker.english_names) if speaker else "A spokesperson"
        whom = rng.choice(other.english_names) if other else "OpenAI"
        if plan.kind == ClaimKind.DATE:
            return f"{who} said the break with {whom} came {value_text}.", speaker
        return f"{who} said the figure for {whom} was {value_text}.", speaker
    who = rng.choice(speaker.chinese_names) if speaker else "知情人士"
    whom = rng.choice(other.chinese_names) if other else "OpenAI"
    if plan.kind == ClaimKind.DATE:
        sentence = f"{who}表示，与{whom}的决裂发生{value_text}。"
    else:
        sentence = f"{who}表示，涉及{whom}的金额为{value_text}。"
    return (to_traditional(sentence) if language == Language.ZH_HANT else sentence), speaker


def _stance(rng, plan: ClaimPlan) -> tuple[str, bool]:
    """A stance for the claim's next assertion, and whether it carries a value."""
    if plan.sided >= ACTIVE_LIMIT:
        return (Stance.MENTIONS if rng.random() < 0.85 else Stance.QUALIFIES), False
    valued = plan.kind in (ClaimKind.QUANTITY, ClaimKind.DATE)
    stance = rng.choices(
        [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.QUALIFIES], weights=[78, 4, 18]
    )[0]
    valued = valued and stance != Stance.CONTRADICTS
    plan.sided += valued or stance != Stance.QUALIFIES
    return stance, valued


# Sources, quotes and assertions


OUTLETS = {
    Language.ZH_HANS: ["鞭牛士", "界面新闻", "新浪科技", "36氪", "澎湃新闻", ""],
    Language.ZH_HANT: ["聯合報", "端傳媒", "香港01", "中央社", ""],
    Language.EN: ["The Verge", "Reuters", "Bloomberg", "TechCrunch", ""],
}
LANGUAGE_WEIGHTS = {Language.ZH_HANS: 60, Language.ZH_HANT: 25, Language.EN: 15}
KIND_WEIGHTS = {
    SourceKind.NEWS: 80,
    SourceKind.BLOG: 10,
    SourceKind.COURT_FILING: 3,
    SourceKind.EMAIL: 3,
    SourceKind.SOCIAL_POST: 4,
}
PRECISION_WEIGHTS = {DatePrecision.DAY: 85, DatePrecision.MONTH: 12, DatePrecision.YEAR: 3}
CONFLICT_STATUS_WEIGHTS = {
    ConflictStatus.OPEN: 75,
    ConflictStatus.CONFIRMED: 10,
    ConflictStatus.DISMISSED: 10,
    ConflictStatus.RESOLVED: 5,
}
CONFLICT_NOTES = {
    ConflictStatus.OPEN: "",
    ConflictStatus.CONFIRMED: "Checked against both articles: they disagree.",
    ConflictStatus.DISMISSED: "Both figures are estimates; they do not really disagree.",
    ConflictStatus.RESOLVED: "Both true at different dates.",
}


class _Speakers:
    """Which entity a pool sentence quotes, if it reports speech and names one."""

    def __init__(self, material: Material):
        folded_names = [
            (e.id, sorted({fold_for_search(n) for n in (e.name, e.name_zh, *e.aliases) if n}))
            for e in material.entities
        ]
        self.by_sentence: dict[str, int | None] = {}
        for sentences in material.sentences.values():
            for sentence in sentences:
                folded = fold_for_search(sentence)
                named = [eid for eid, names in folded_names if any(n in folded for n in names)]
                speaking = named and _SPEECH.search(sentence)
                self.by_sentence[sentence] = named[0] if speaking else None


def _draws(rng, weights: list[float], count: int) -> list[int]:
    cumulative = list(accumulate(weights))
    total = cumulative[-1]
    return [bisect_left(cumulative, rng.random() * total) for _ in range(count)]


def plan_sources(rng, material: Material, scale: Scale, plans: list[ClaimPlan], first_ids, seed):
    """Batches of source, quote and assertion rows; conflicts come after, from the plans."""
    source_id, quote_id, assertion_id = first_ids
    speakers = _Speakers(material)
    claim_weights = assertion_weights(len(plans))
    # Per source, how many quotes: at least one, the rest spread unevenly.
    per_source = [1] * scale.sources
    source_weights = [rng.lognormvariate(0, 0.6) for _ in range(scale.sources)]
    for index in _draws(rng, source_weights, max(0, scale.quotes - scale.sources)):
        per_source[index] += 1
    claim_draws = iter(_draws(rng, claim_weights, scale.quotes)) if plans else None
    languages = rng.choices(
        list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()), k=scale.sources
    )
    batch = {Source: [], Quote: [], Assertion: []}
    for n in range(scale.sources):
        language = languages[n]
        pool = material.sentences[language]
        quoted: list[tuple[str, int | None, tuple | None, bool]] = []
        for _ in range(per_source[n]):
            plan = plans[next(claim_draws)] if plans else None
            if plan is None:
                sentence = rng.choice(pool)
                quoted.append((sentence, speakers.by_sentence[sentence], None, True))
                continue
            stance, valued = _stance(rng, plan)
            if valued:
                interval, value_text = _value_for(rng, plan, language == Language.EN)
                sentence, speaker = _value_sentence(rng, plan, language, value_text)
                speaker_id = speaker.id if speaker else None
            else:
                interval, value_text = None, ""
                sentence = rng.choice(pool)
                speaker_id = speakers.by_sentence[sentence]
            quoted.append((sentence, speaker_id, (plan, stance, interval, value_text), True))
        filler_count = rng.randint(5, 3 * len(quoted) + 5)
        parts = quoted + [(rng.choice(pool), None, None, False) for _ in range(filler_count)]
        rng.shuffle(parts)
        published_on = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        outlet = rng.choice(OUTLETS[language])
        text, spans = _compose(parts, language, outlet, published_on, seed, n)
        title = _title(parts[0][0])
        created = _moment(rng)
        batch[Source].append(
            (
                source_id, title, outlet, "", f"https://example.org/synthetic/{seed}/{n}",
                published_on,
                rng.choices(list(PRECISION_WEIGHTS), weights=list(PRECISION_WEIGHTS.values()))[0],
                True,
                language,
                rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0],
                "", "",
                text, sha256_of(text), source_search_text(title, text),
                ScanState.NOT_SCANNED, None, None, "", created, created,
            )
        )  # fmt: skip
        for (sentence, speaker_id, assertion, is_quote), (start, end) in zip(
            parts, spans, strict=True
        ):
            if not is_quote:
                continue
            prefix, suffix = context_around(text, start, end)
            batch[Quote].append(
                (
                    quote_id, source_id, sentence, start, end, prefix, suffix, speaker_id,
                    "anchored", _folded_quote(sentence), created, created,
                )
            )  # fmt: skip
            if assertion is not None:
                batch[Assertion].append(_assertion_row(assertion_id, quote_id, created, *assertion))
                assertion_id += 1
            quote_id += 1
        source_id += 1
        if len(batch[Source]) == BATCH_SOURCES:
            yield batch
            batch = {Source: [], Quote: [], Assertion: []}
    if batch[Source]:
        yield batch


@cache
def _folded_quote(sentence: str) -> str:
    return quote_search_text(sentence)


def _title(sentence: str) -> str:
    title = sentence.strip("「」“”\"'‘’()（）—-:：,，。！？!?；. ") or sentence
    return title if len(title) <= 60 else title[:59] + "…"


def _compose(parts, language, outlet, published_on, seed, n):
    """The article's text, and where in it each part is, as (start, end)."""
    english = language == Language.EN
    day = published_on
    dateline = (
        f"({outlet or 'Staff report'}, {MONTHS.split()[day.month - 1]} {day.day}, {day.year})"
        if english
        else f"（{outlet or '本报讯'} {day.year}年{day.month}月{day.day}日）"
    )
    closing = f"(Story S{seed}-{n})" if english else f"（稿件编号 S{seed}-{n}）"
    if language == Language.ZH_HANT:
        dateline, closing = to_traditional(dateline), to_traditional(closing)
    pieces, spans, at = [dateline, "\n\n"], [], len(dateline) + 2
    for index, (sentence, *_) in enumerate(parts):
        if index and index % 5 == 0:
            pieces.append("\n\n")
            at += 2
        elif index and english:
            pieces.append(" ")
            at += 1
        spans.append((at, at + len(sentence)))
        pieces.append(sentence)
        at += len(sentence)
    pieces += ["\n\n", closing]
    return "".join(pieces), spans


def _assertion_row(assertion_id, quote_id, created, plan, stance, interval, value_text):
    if interval is not None:
        low, high = (
            None if v is None else v.quantize(STORED_PLACES) for v in (interval.low, interval.high)
        )
        interval = Interval(low, high, interval.kind, interval.unit)
    if interval is not None or stance in (Stance.SUPPORTS, Stance.CONTRADICTS):
        plan.active.append(conflict_rules.AssertionFacts(assertion_id, stance, interval))
    return (
        assertion_id, plan.id, quote_id, stance,
        interval.low if interval else None, interval.high if interval else None,
        interval.kind if interval else "", interval.unit if interval else "",
        value_text, ValueOrigin.EXTRACTED if interval else ValueOrigin.NONE,
        "", "", "", 1, created, created,
    )  # fmt: skip


def plan_conflicts(rng, plans: list[ClaimPlan], first_id: int) -> list[tuple]:
    """The conflicts detection finds among each claim's assertions, some already settled."""
    rows, conflict_id = [], first_id
    statuses = list(CONFLICT_STATUS_WEIGHTS)
    weights = list(CONFLICT_STATUS_WEIGHTS.values())
    for plan in plans:
        for finding in conflict_rules.find_conflicts(plan.kind, plan.active):
            status = rng.choices(statuses, weights=weights)[0]
            created = _moment(rng)
            rows.append(
                (
                    conflict_id, plan.id, finding.first_id, finding.second_id, finding.kind,
                    ConflictOrigin.AUTO, status, finding.reason, CONFLICT_NOTES[status], "", "",
                    finding.signature, created, created,
                )
            )  # fmt: skip
            conflict_id += 1
    return rows


# Writing


def _next_ids() -> dict:
    return {
        model: (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        for model in (Source, Quote, Claim, Assertion, Conflict)
    }


def _check_columns():
    for model, columns in COLUMNS.items():
        expected = {f.attname for f in model._meta.concrete_fields}
        if model in (Claim.subjects.through, Claim.topics.through):
            expected.discard("id")
        if set(columns) != expected:
            raise RuntimeError(
                f"{model.__name__} has fields {sorted(expected ^ set(columns))} "
                "that the generator does not write (or writes but the model lacks)"
            )


def write_rows(model, rows: list[tuple]) -> None:
    if not rows:
        return
    names = COLUMNS[model]
    fields = [model._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        prepared = [
            [f.get_db_prep_value(value, connection) for f, value in zip(fields, row, strict=True)]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


@contextmanager
def _secondary_indexes_set_aside(models):
    """On PostgreSQL, drop the indexes no constraint needs and build them once at the end."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass)
            ORDER BY i.indexname
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run before the tables' indexes can be built.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)


def vacuum() -> None:
    """After a load, leave the tables as autovacuum would: no dead rows, visibility map set.

    Outside any transaction (VACUUM cannot run in one); only PostgreSQL has it.
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


@transaction.atomic
def generate_ledger(*, scale: Scale = Scale(), seed: int = 1, log=None) -> Report:
    """Add a synthetic ledger of `scale` to the database, made from the seeds; all or nothing."""
    began = time.monotonic()
    _check_columns()
    if Claim.objects.filter(slug__startswith=f"synthetic-{seed}-").exists():
        raise ValueError(f"a synthetic ledger with seed {seed} is already in this database")
    material = material_from_seeds()
    rng = random.Random(seed)
    report = Report(created={})
    ids = _next_ids()

    def wrote(model, rows):
        write_rows(model, rows)
        name = model._meta.verbose_name_plural
        report.created[name] = report.created.get(name, 0) + len(rows)

    models = [Source, Quote, Claim, Assertion, Conflict]
    with _secondary_indexes_set_aside(models + [Claim.subjects.through, Claim.topics.through]):
        claims, subjects, topics, plans = plan_claims(rng, material, scale.claims, ids[Claim], seed)
        wrote(Claim, claims)
        wrote(Claim.subjects.through, subjects)
        wrote(Claim.topics.through, topics)
        first_ids = (ids[Source], ids[Quote], ids[Assertion])
        for batch in plan_sources(rng, material, scale, plans, first_ids, seed):
            for model, rows in batch.items():
                wrote(model, rows)
            if log:
                sources = report.created.get("sources", 0)
                log(f"{sources:,} sources, {time.monotonic() - began:.0f} s")
        wrote(Conflict, plan_conflicts(rng, plans, ids[Conflict]))
        positions_rebuild(
            claim_ids=Claim.objects.filter(pk__gte=ids[Claim]).values_list("pk", flat=True)
        )
        if log:
            log(f"rows written, {time.monotonic() - began:.0f} s; building indexes")
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    LedgerState.record_change()
    report.seconds = time.monotonic() - began
    return report
