"""What the curated seed ledger must hold once loaded (issue 2, "Done when")."""

import pytest
import yaml

from claims.models import (
    Alias,
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictStatus,
    Entity,
    Quote,
    Topic,
)
from domain.text import fold_for_search
from seeds.loader import SEEDS_DIR, load_seeds
from sources.models import Source
from tests.constants import M

pytestmark = pytest.mark.django_db

DESIGN_CLAIMS = [
    "musk-contribution-to-openai",
    "founding-agreement-exists",
    "musk-pushed-out-2018",
    "xai-founding-date",
    "musk-billion-dollar-pledge",
    "openai-early-funding",
    "musk-lawsuit-withdrawn",
    "musk-sought-control",
    "musk-zero-percent-odds",
    "hoffman-paid-salaries",
    "staff-threatened-to-quit",
    "openai-controlled-by-microsoft",
]

# The spellings DESIGN.md lists for each entity.
DESIGN_ALIASES = {
    "elon-musk": ["马斯克", "馬斯克", "埃隆·马斯克", "伊隆·马斯克", "Elon Musk"],
    "sam-altman": ["奥特曼", "奧特曼", "奥尔特曼", "阿尔特曼", "Sam Altman"],
    "ilya-sutskever": ["苏茨克维", "苏茨克弗", "蘇茨克維", "伊利亚", "Ilya Sutskever"],
    "greg-brockman": ["布罗克曼", "佈羅克曼", "布洛克曼", "Greg Brockman"],
}

MUSK_CLAIM = "musk-contribution-to-openai"


@pytest.fixture
def source_keys(seeded):
    """Each loaded source's key in seeds/sources.yaml ("000" … "004"), by source id."""
    meta = yaml.safe_load((SEEDS_DIR / "sources.yaml").read_text(encoding="utf-8"))
    by_hash = {m["sha256"]: m["key"] for m in meta}
    return {s.pk: by_hash[s.sha256] for s in Source.objects.all()}


def assertions_of(slug):
    return list(
        Assertion.objects.filter(claim__slug=slug)
        .select_related("quote__source", "quote__speaker")
        .order_by("id")
    )


def conflict_between(first, second):
    low, high = sorted([first.pk, second.pk])
    return Conflict.objects.filter(first_id=low, second_id=high).first()


def test_the_design_claims_are_there_each_quoting_two_seed_articles(seeded):
    claims = Claim.objects.with_counts()
    assert claims.count() >= 12
    assert set(DESIGN_CLAIMS) <= set(claims.values_list("slug", flat=True))
    for claim in claims:
        assert claim.source_count >= 2, claim.slug


def test_every_quote_sits_at_its_offsets(seeded, source_keys):
    quotes = list(Quote.objects.select_related("source"))
    assert len(quotes) > 50
    for quote in quotes:
        assert quote.source.text[quote.start : quote.end] == quote.exact


def test_quotes_from_004_point_at_the_first_copy_of_its_repeated_body(seeded, source_keys):
    key_of = {key: pk for pk, key in source_keys.items()}
    article = Source.objects.get(pk=key_of["004"])
    title = "OpenAI宫斗剧完结,谁是最大赢家?\n\n微软的AI野望"
    second_copy = article.text.index(title, article.text.index(title) + 1)
    quotes = Quote.objects.filter(source=article)
    assert quotes.count() >= 5
    assert all(quote.end <= second_copy for quote in quotes)


def test_published_claims_carry_a_verdict_and_some_stay_in_review(seeded):
    published = Claim.objects.published()
    assert published.count() >= 10
    for claim in published:
        assert claim.verdict and claim.rationale, claim.slug
    assert 1 <= Claim.objects.filter(status=ClaimStatus.IN_REVIEW).count() <= 2


def test_musk_contribution_carries_the_six_figures_with_their_kinds(seeded, source_keys):
    valued = [a for a in assertions_of(MUSK_CLAIM) if a.has_value]
    figures = {
        (
            source_keys[a.quote.source_id],
            a.value_text,
            a.value_kind,
            a.low,
            a.high,
            a.unit,
            a.quote.speaker.slug if a.quote.speaker else None,
        )
        for a in valued
    }
    assert len(valued) == 6
    assert figures == {
        ("002", "4400万好意思元", "exact", 44 * M, 44 * M, "USD", None),
        ("002", "约 1 亿好意思元", "approximate", 100 * M, 100 * M, "USD", "elon-musk"),
        ("002", "不到4500万好意思元", "upper_bound", None, 45 * M, "USD", "openai"),
        ("001", "5000 万至 1 亿美元", "range", 50 * M, 100 * M, "USD", None),
        ("001", "1 亿美元", "exact", 100 * M, 100 * M, "USD", None),
        ("003", "4500萬美元", "exact", 45 * M, 45 * M, "USD", "vinod-khosla"),
    }
    reported = next(a for a in valued if a.value_text == "1 亿美元")
    assert reported.note == "reportedly"


def test_musk_contribution_conflicts_follow_the_figures(seeded):
    by_text = {a.value_text: a for a in assertions_of(MUSK_CLAIM) if a.has_value}
    exact_44 = by_text["4400万好意思元"]
    range_50_100 = by_text["5000 万至 1 亿美元"]
    about_100 = by_text["约 1 亿好意思元"]
    under_45 = by_text["不到4500万好意思元"]

    for other in (range_50_100, about_100):
        conflict = conflict_between(exact_44, other)
        assert conflict is not None
        assert (conflict.kind, conflict.origin, conflict.status) == ("value", "auto", "open")
    assert conflict_between(exact_44, under_45) is None


def test_lawsuit_withdrawal_conflicts_are_resolved_as_true_at_different_dates(seeded, source_keys):
    claim = Claim.objects.get(slug="musk-lawsuit-withdrawn")
    conflicts = list(claim.conflicts.select_related("first__quote", "second__quote"))
    assert conflicts
    for conflict in conflicts:
        assert conflict.status == ConflictStatus.RESOLVED
        assert conflict.note == "both true at different dates"
        sides = {
            (source_keys[a.quote.source_id], a.stance) for a in (conflict.first, conflict.second)
        }
        assert sides == {("000", "supports"), ("001", "contradicts")}
    assert claim in Claim.objects.disputed(False)


def test_xai_founding_dates_that_cannot_both_hold_are_detected(seeded, source_keys):
    dated = {
        (source_keys[a.quote.source_id], a.value_text): a
        for a in assertions_of("xai-founding-date")
    }
    before_2018 = dated[("000", "2018年被奥特曼等人踢出公司,并于此前")]
    last_year = dated[("003", "去年")]
    conflict = conflict_between(before_2018, last_year)
    assert conflict is not None and conflict.kind == "date"


def test_every_design_alias_resolves_to_its_entity(seeded):
    for slug, aliases in DESIGN_ALIASES.items():
        for alias in aliases:
            named = Alias.objects.filter(name=alias).values_list("entity__slug", flat=True)
            assert list(named) == [slug], alias
            folded = Alias.objects.filter(folded=fold_for_search(alias))
            assert set(folded.values_list("entity__slug", flat=True)) == {slug}, alias


def test_a_second_load_leaves_every_count_and_conflict_as_it_was(seeded):
    def snapshot():
        models = [Source, Entity, Alias, Topic, Claim, Quote, Assertion, Conflict]
        counts = {model.__name__: model.objects.count() for model in models}
        conflicts = set(Conflict.objects.values_list("first_id", "second_id", "status", "note"))
        return counts, conflicts

    before = snapshot()
    report = load_seeds()
    assert snapshot() == before
    assert sum(report.created.values()) == 0


def _position_figures(claim):
    """Each position of the claim as its label and the figures (value_text) its members state."""
    texts = dict(claim.assertions.values_list("pk", "value_text"))
    return [
        (p.label, sorted(texts[i] for i in p.assertion_ids))
        for p in claim.positions.order_by("rank")
    ]


def test_the_musk_contribution_has_two_sides_rated_by_an_editor(seeded):
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    assert _position_figures(claim) == [
        ("$44M–$45M", ["4400万好意思元", "4500萬美元", "不到4500万好意思元"]),
        ("about $100M", ["1 亿美元", "5000 万至 1 亿美元", "约 1 亿好意思元"]),
    ]
    low, high = claim.positions.order_by("rank")
    assert high.label_zh == "约1亿美元" and "elon-musk" in high.speakers
    assert high.ratings.get().verdict == "mostly_false"
    assert low.ratings.get().statement_zh.startswith("马斯克向OpenAI提供了")
    assert claim.disputed


def test_the_founding_agreement_has_two_sides_and_undisputed_claims_one(seeded):
    agreement = Claim.objects.get(slug="founding-agreement-exists")
    assert [p.label for p in agreement.positions.order_by("rank")] == ["Yes", "No"]
    control = Claim.objects.get(slug="musk-sought-control")
    assert control.positions.count() == 1 and not control.disputed
