"""Positions: the sides of a dispute, checked on the examples and on random evidence."""

import random
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.intervals import Interval, exact
from domain.positions import (
    CONTRADICTS,
    SUPPORTS,
    Evidence,
    compatible,
    find_positions,
    label,
    members_of,
)
from tests.constants import M


def usd(low, high=None, kind="exact"):
    low = None if low is None else Decimal(low) * M
    high = low if high is None and kind in ("exact", "approximate") else high
    high = None if high is None else Decimal(high) * (M if not isinstance(high, Decimal) else 1)
    return Interval(low, high, kind, "USD")


def musk_contribution():
    """The seed claim: 44M, about 100M, under 45M, 50–100M, 100M, 45M (1 and 6 dismissed)."""
    return [
        Evidence(1, SUPPORTS, usd(44), source_id=2),
        Evidence(2, SUPPORTS, usd(100, kind="approximate"), source_id=2, speaker="elon-musk"),
        Evidence(3, SUPPORTS, Interval(None, 45 * M, "upper_bound", "USD"), 2, "openai"),
        Evidence(4, SUPPORTS, Interval(50 * M, 100 * M, "range", "USD"), source_id=1),
        Evidence(5, SUPPORTS, usd(100), source_id=1),
        Evidence(6, SUPPORTS, usd(45), source_id=3, speaker="vinod-khosla"),
        Evidence(7, "mentions", None, source_id=1),
    ]


def test_the_musk_contribution_has_two_positions_once_the_rounding_is_dismissed():
    positions = find_positions("quantity", musk_contribution(), dismissed={(6, 1)})
    assert [p.members for p in positions] == [(1, 3, 6), (2, 4, 5)]
    low, high = positions
    assert label(low, "en") == "$44M–$45M"
    assert label(high, "en") == "about $100M" and label(high, "zh") == "约1亿美元"
    assert low.sources == (2, 3) and low.speakers == ("openai", "vinod-khosla")
    assert high.bridging == frozenset()


def test_without_the_dismissal_44m_and_45m_are_apart_and_under_45m_bridges_them():
    positions = find_positions("quantity", musk_contribution())
    assert sorted(p.members for p in positions) == [(1, 3), (2, 4, 5), (3, 6)]
    assert all(p.bridging == {3} for p in positions if 3 in p.members)


def test_a_wide_range_bridges_two_positions():
    evidence = [
        Evidence(1, SUPPORTS, usd(10)),
        Evidence(2, SUPPORTS, usd(20)),
        Evidence(3, SUPPORTS, Interval(5 * M, 25 * M, "range", "USD")),
    ]
    positions = find_positions("quantity", evidence)
    assert sorted(p.members for p in positions) == [(1, 3), (2, 3)]
    assert all(p.bridging == {3} for p in positions)


def test_agreement_is_one_position_and_set_aside_outliers_are_in_none():
    evidence = [Evidence(i, SUPPORTS, usd(100, kind="approximate")) for i in range(1, 5)]
    evidence.append(Evidence(9, SUPPORTS, usd(1)))
    assert len(find_positions("quantity", evidence)) == 2
    (only,) = find_positions("quantity", evidence, set_aside={9})
    assert only.members == (1, 2, 3, 4) and label(only, "en") == "about $100M"


def test_yes_no_claims_have_a_supporting_and_a_contradicting_side():
    evidence = [
        Evidence(1, SUPPORTS, source_id=1),
        Evidence(2, "qualifies", source_id=1),
        Evidence(3, CONTRADICTS, source_id=2),
        Evidence(4, SUPPORTS, source_id=3),
        Evidence(5, "mentions", source_id=3),
    ]
    yes, no = find_positions("yes_no", evidence)
    assert (yes.members, no.members) == ((1, 4), (3,))
    assert (label(yes, "en", "yes_no"), label(no, "zh", "yes_no")) == ("Yes", "否")
    # A reviewer who dismissed every cross pair says the sides are one.
    (both,) = find_positions("yes_no", evidence, dismissed={(1, 3), (3, 4)})
    assert both.members == (1, 3, 4)


def test_a_pair_marked_as_conflicting_is_kept_apart_even_when_the_values_overlap():
    evidence = [
        Evidence(1, SUPPORTS, usd(10, kind="approximate")),
        Evidence(2, SUPPORTS, usd(10)),
        Evidence(3, SUPPORTS, Interval(9 * M, 11 * M, "range", "USD")),
    ]
    assert len(find_positions("quantity", evidence)) == 1
    positions = find_positions("quantity", evidence, marked={(2, 1)})
    assert sorted(p.members for p in positions) == [(1, 3), (2, 3)]


def test_dates_are_labelled_at_their_precision():
    def days(first, last, kind="range"):
        return Interval(Decimal(first.toordinal()), Decimal(last.toordinal()), kind, "date")

    evidence = [
        Evidence(1, SUPPORTS, days(date(2023, 1, 1), date(2023, 12, 31))),
        Evidence(2, SUPPORTS, days(date(2023, 7, 12), date(2023, 7, 12), "exact")),
        Evidence(
            3,
            SUPPORTS,
            Interval(None, Decimal(date(2018, 2, 28).toordinal()), "upper_bound", "date"),
        ),
    ]
    first, second = find_positions("date", evidence)
    assert label(first, "en") == "2023-07-12" and label(second, "en") == "no later than 2018-02"


# Properties over random evidence

STANCES = [SUPPORTS, SUPPORTS, SUPPORTS, CONTRADICTS, "qualifies", "mentions"]


@st.composite
def interval(draw):
    kind = draw(st.sampled_from(["exact", "approximate", "upper_bound", "lower_bound", "range"]))
    a, b = sorted(draw(st.lists(st.integers(1, 60), min_size=2, max_size=2)))
    unit = draw(st.sampled_from(["USD", "USD", "USD", "EUR"]))
    low, high = Decimal(a), Decimal(b)
    if kind in ("exact", "approximate"):
        return Interval(low, low, kind, unit)
    if kind == "upper_bound":
        return Interval(None, high, kind, unit)
    if kind == "lower_bound":
        return Interval(low, None, kind, unit)
    return Interval(low, high, kind, unit)


@st.composite
def claims(draw):
    kind = draw(st.sampled_from(["quantity", "yes_no", "text"]))
    count = draw(st.integers(0, 14))
    evidence = [
        Evidence(
            i,
            draw(st.sampled_from(STANCES)),
            draw(st.none() | interval()) if kind == "quantity" else None,
            source_id=draw(st.integers(1, 5)),
        )
        for i in range(1, count + 1)
    ]
    ids = [e.id for e in evidence]
    pairs = [(a, b) for a in ids for b in ids if a < b]
    dismissed = set(draw(st.lists(st.sampled_from(pairs), max_size=6))) if pairs else set()
    set_aside = set(draw(st.lists(st.sampled_from(ids), max_size=2))) if ids else set()
    marked = set(draw(st.lists(st.sampled_from(pairs), max_size=3))) if pairs else set()
    return kind, evidence, dismissed - marked, set_aside, marked


@settings(max_examples=400, deadline=None)
@given(claims())
def test_positions_are_compatible_maximal_covering_and_deterministic(claim):
    kind, evidence, dismissed, set_aside, marked = claim
    positions = find_positions(kind, evidence, dismissed, set_aside, marked)
    members = [e for e in members_of(kind, evidence) if e.id not in set_aside]
    by_id = {e.id: e for e in members}

    def fits(a, b):
        return compatible(kind, by_id[a], by_id[b], dismissed, marked)

    for p in positions:
        assert all(fits(a, b) for a in p.members for b in p.members if a < b), p
        outsiders = set(by_id) - set(p.members)
        assert not [o for o in outsiders if all(fits(o, m) for m in p.members)], p
    covered = {m for p in positions for m in p.members}
    assert covered == set(by_id)
    for p in positions:
        assert p.bridging == {m for m in p.members if sum(m in q.members for q in positions) > 1}
    shuffled = evidence[:]
    random.Random(len(evidence)).shuffle(shuffled)
    assert find_positions(kind, shuffled, dismissed, set_aside, marked) == positions


@settings(max_examples=200, deadline=None)
@given(claims())
def test_without_dismissals_every_pair_of_positions_is_kept_apart_by_a_conflict(claim):
    kind, evidence, _, set_aside, _ = claim
    positions = find_positions(kind, evidence, set(), set_aside)
    members = {e.id: e for e in members_of(kind, evidence) if e.id not in set_aside}
    for p in positions:
        for q in positions:
            if p is not q:
                assert any(
                    not compatible(kind, members[a], members[b], set())
                    for a in p.members
                    for b in q.members
                )


def test_a_thousand_values_with_one_percent_outliers_make_a_few_positions():
    rng = random.Random(7)
    evidence = [
        Evidence(i, SUPPORTS, usd(100 + rng.randint(-5, 5), kind="approximate")) for i in range(990)
    ]
    evidence += [
        Evidence(990 + i, SUPPORTS, exact(Decimal(rng.randint(1, 40)) * M, "USD"))
        for i in range(10)
    ]
    positions = find_positions("quantity", evidence)
    assert 2 <= len(positions) <= 11
    assert len(positions[0].members) == 990
