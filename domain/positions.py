"""The sides of a claim's dispute: positions.

A **position** is a set of a claim's assertions that can all hold together. Two members
are compatible when:

- on a quantity or date claim, both assert a value in the same unit and their intervals
  (with an approximate value's tolerance) overlap; or both contradict the claim;
- on a yes/no or free-text claim, both support it or both contradict it;
- whatever the kind, a reviewer dismissed or resolved the conflict between them (it is not
  one), unless a reviewer marked the two as conflicting, which always keeps them apart.

Who is a member: on quantity and date claims, every assertion with a value that does not
contradict (a contradicting quote's value is what it denies), and the contradicting
assertions as one side of their own; on other claims, the supporting and the contradicting
assertions. Qualifying and mentioning assertions without a value belong to no position,
and neither does an assertion a reviewer set aside (an outlier, or a measure of
something else).

The positions of a claim are maximal (no member could join one without breaking it) and
cover every member; an assertion compatible with two positions (a wide range) is in both
and is *bridging*. Without dismissals a value claim's positions come from one sweep over
the sorted bounds, O(n log n): intervals on a line that pairwise overlap share a common
point, so the positions are the sets of intervals open at the points where one closes
right after another opened. Dismissals merge positions on top of that: two positions
whose cross pairs are all compatible become one, and a member dismissed against every
member of a position joins it.

Positions come in a stable order: most sources first, then most members, then the lowest
value, then the lowest member ids. The same evidence always gives the same positions.

Plain Python, no Django.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations

from domain.intervals import APPROXIMATE, DATE_UNIT, Interval
from domain.values import compact_number, show_amount, show_day, show_days

SUPPORTS, CONTRADICTS = "supports", "contradicts"
VALUE_CLAIM_KINDS = ("quantity", "date")
_INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class Evidence:
    """One assertion as positions see it."""

    id: int
    stance: str
    value: Interval | None = None
    source_id: int = 0
    speaker: str = ""  # the quote's speaker (an entity slug), or "" for the outlet's voice
    published_on: date | None = None

    def bounds(self) -> tuple[Decimal, Decimal]:
        low, high = self.value.admitted()
        return (-_INFINITY if low is None else low, _INFINITY if high is None else high)


@dataclass(frozen=True)
class Position:
    members: tuple[int, ...]
    stance: str  # SUPPORTS or CONTRADICTS: which way its members read the claim
    value: Interval | None  # what all members admit (None for a side without values)
    bridging: frozenset[int] = field(default_factory=frozenset)
    sources: tuple[int, ...] = ()
    speakers: tuple[str, ...] = ()
    first_published_on: date | None = None


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def members_of(claim_kind: str, evidence: list[Evidence]) -> list[Evidence]:
    if claim_kind in VALUE_CLAIM_KINDS:
        return [e for e in evidence if e.stance == CONTRADICTS or e.value is not None]
    return [e for e in evidence if e.stance in (SUPPORTS, CONTRADICTS)]


def compatible(
    claim_kind: str, a: Evidence, b: Evidence, dismissed: set, marked: set = frozenset()
) -> bool:
    pair = _pair(a.id, b.id)
    if pair in marked:
        return False
    if pair in dismissed:
        return True
    if (a.stance == CONTRADICTS) != (b.stance == CONTRADICTS):
        return False
    if claim_kind not in VALUE_CLAIM_KINDS or a.stance == CONTRADICTS:
        return True
    if a.value.unit != b.value.unit:
        return False
    (a_low, a_high), (b_low, b_high) = a.bounds(), b.bounds()
    return a_low <= b_high and b_low <= a_high


def _sweep(values: list[Evidence]) -> list[frozenset[int]]:
    """The maximal sets of pairwise overlapping intervals (closed), one sweep."""
    events = []
    for e in values:
        low, high = e.bounds()
        events.append((low, 0, e.id))  # at one point, openings come before closings
        events.append((high, 1, e.id))
    events.sort()
    open_now: set[int] = set()
    found, last_was_opening = [], False
    for _, closing, assertion_id in events:
        if closing:
            if last_was_opening:
                found.append(frozenset(open_now))
            open_now.discard(assertion_id)
            last_was_opening = False
        else:
            open_now.add(assertion_id)
            last_was_opening = True
    return found


def _groups(claim_kind: str, members: list[Evidence]) -> list[frozenset[int]]:
    """The positions as they stand without dismissals."""
    contradicting = frozenset(e.id for e in members if e.stance == CONTRADICTS)
    groups = [contradicting] if contradicting else []
    if claim_kind not in VALUE_CLAIM_KINDS:
        supporting = frozenset(e.id for e in members if e.stance != CONTRADICTS)
        return groups + ([supporting] if supporting else [])
    by_unit = defaultdict(list)
    for e in members:
        if e.stance != CONTRADICTS:
            by_unit[e.value.unit].append(e)
    for unit in sorted(by_unit):
        groups += _sweep(by_unit[unit])
    return groups


def _split(group: frozenset[int], marked: set) -> list[frozenset[int]]:
    """The largest parts of a group that hold no pair a reviewer marked as conflicting."""
    inside = sorted(pair for pair in marked if pair[0] in group and pair[1] in group)
    if not inside:
        return [group]
    a, b = inside[0]
    return _split(group - {a}, marked) + _split(group - {b}, marked)


def _apply_decisions(claim_kind, groups, by_id, dismissed, marked) -> list[frozenset[int]]:
    """Apply reviewers' decisions: marked pairs split positions, dismissed pairs merge and
    extend them. Every result is pairwise compatible and maximal."""
    partners = defaultdict(set)
    for a, b in dismissed:
        if a in by_id and b in by_id:
            partners[a].add(b)
            partners[b].add(a)
    marked = {pair for pair in marked if pair[0] in by_id and pair[1] in by_id}
    if not partners and not marked:
        return groups

    def fits(candidate: int, group) -> bool:
        return all(
            compatible(claim_kind, by_id[candidate], by_id[m], dismissed, marked) for m in group
        )

    groups = list(dict.fromkeys(part for group in groups for part in _split(group, marked)))
    merged = True
    while merged:
        merged = False
        for i, j in combinations(range(len(groups)), 2):
            a, b = groups[i], groups[j]
            linked = any(partners[m] & b for m in a - b)
            if linked and all(fits(m, a) for m in b - a):
                groups[i] = a | b
                del groups[j]
                merged = True
                break
    extended = []
    for group in groups:
        # Without a decision involving it, an outsider compatible with every member would
        # already be in the group.
        candidates = set(by_id) if marked else {p for m in group for p in partners[m]}
        for candidate in sorted(candidates - group):
            if fits(candidate, group):
                group = group | {candidate}
        extended.append(group)
    unique = list(dict.fromkeys(extended))
    return [g for g in unique if not any(g < other for other in unique)]


def _common_value(values: list[Interval]) -> Interval | None:
    """What every member admits; where a dismissal joined values that do not overlap, the
    narrowest span that meets every one of them ("$44M" and "$45M" give "$44M–$45M")."""
    if not values:
        return None
    lows = [v.admitted()[0] for v in values]
    highs = [v.admitted()[1] for v in values]
    known_lows = [x for x in lows if x is not None]
    known_highs = [x for x in highs if x is not None]
    low = max(known_lows) if known_lows else None
    high = min(known_highs) if known_highs else None
    if low is not None and high is not None and low > high:
        low, high = high, low
    hedged = [v for v in values if v.kind == APPROXIMATE and v.low in (low, high)]
    if low == high and hedged:
        return hedged[0]  # "$100M" and "about $100M" side by side read as "about $100M"
    for v in values:
        if v.admitted() == (low, high):
            return v  # the narrowest member says it best: "about $100M", not "$90M–$110M"
    unit = values[0].unit
    if low is None:
        return Interval(None, high, "upper_bound", unit)
    if high is None:
        return Interval(low, None, "lower_bound", unit)
    return Interval(low, high, "exact" if low == high else "range", unit)


def find_positions(
    claim_kind: str,
    evidence: list[Evidence],
    dismissed: set[tuple[int, int]] = frozenset(),
    set_aside: set[int] = frozenset(),
    marked: set[tuple[int, int]] = frozenset(),
) -> list[Position]:
    """The positions of one claim, in their stable order.

    `dismissed`: pairs whose conflict a reviewer dismissed or resolved; `marked`: pairs a
    reviewer marked as conflicting; `set_aside`: assertions left out (outliers).
    """
    members = [e for e in members_of(claim_kind, evidence) if e.id not in set_aside]
    by_id = {e.id: e for e in members}
    dismissed = {_pair(a, b) for a, b in dismissed}
    marked = {_pair(a, b) for a, b in marked}
    groups = _apply_decisions(claim_kind, _groups(claim_kind, members), by_id, dismissed, marked)
    times_in = defaultdict(int)
    for group in groups:
        for m in group:
            times_in[m] += 1
    positions = []
    for group in groups:
        chosen = sorted((by_id[m] for m in group), key=lambda e: e.id)
        dated = [e.published_on for e in chosen if e.published_on is not None]
        valued = [e.value for e in chosen if e.value is not None and e.stance != CONTRADICTS]
        positions.append(
            Position(
                members=tuple(e.id for e in chosen),
                stance=CONTRADICTS if chosen[0].stance == CONTRADICTS else SUPPORTS,
                value=_common_value(valued) if claim_kind in VALUE_CLAIM_KINDS else None,
                bridging=frozenset(m for m in group if times_in[m] > 1),
                sources=tuple(sorted({e.source_id for e in chosen})),
                speakers=tuple(sorted({e.speaker for e in chosen if e.speaker})),
                first_published_on=min(dated) if dated else None,
            )
        )
    return sorted(positions, key=_order)


def _order(position: Position):
    value = position.value
    low = None if value is None else value.admitted()[0]
    return (
        -len(position.sources),
        -len(position.members),
        position.stance == CONTRADICTS,
        -_INFINITY if low is None else low,
        position.members,
    )


# Labels


def _show(value: Decimal, unit: str, language: str, bound: str = "") -> str:
    if unit == DATE_UNIT:
        shown = show_day(value, bound)
        return f"{shown}年" if language == "zh" and len(shown) == 4 else shown
    if unit in ("percent", "%"):
        return f"{compact_number(value, language)}%"
    return show_amount(value, unit, language)


_SIDES = {  # (yes/no claim, contradicting) -> English, Chinese
    (True, False): ("Yes", "是"),
    (True, True): ("No", "否"),
    (False, False): ("Supports", "支持"),
    (False, True): ("Contradicts", "反驳"),
}
_BOUND_WORDS = {  # (kind, date?) -> English, Chinese
    ("upper_bound", False): ("at most {}", "不超过{}"),
    ("lower_bound", False): ("at least {}", "至少{}"),
    ("upper_bound", True): ("no later than {}", "不晚于{}"),
    ("lower_bound", True): ("no earlier than {}", "不早于{}"),
}


def label(position: Position, language: str, claim_kind: str = "yes_no") -> str:
    """How a reader names the position: "about $100M", "$44M–$45M", "约1亿美元", "Yes"."""
    zh = language == "zh"
    value = position.value
    if value is None:
        side = _SIDES[(claim_kind == "yes_no", position.stance == CONTRADICTS)]
        return side[1] if zh else side[0]
    unit, is_date = value.unit, value.unit == DATE_UNIT
    if value.kind in ("upper_bound", "lower_bound"):
        bound = value.high if value.kind == "upper_bound" else value.low
        shown = _show(bound, unit, language, "high" if value.kind == "upper_bound" else "low")
        words = _BOUND_WORDS[(value.kind, is_date)]
        return (words[1] if zh else words[0]).format(shown)
    if value.kind in ("exact", APPROXIMATE):
        shown = _show(value.low, unit, language)
        if value.kind == APPROXIMATE:
            return f"约{shown}" if zh else f"about {shown}"
        return shown
    if is_date:
        whole = show_days(value.low, value.high)
        if whole:
            return _show(value.low, unit, language) if len(whole) == 4 else whole
    high = _show(value.high, unit, language, "high")
    if zh:
        # "4400万至4500万美元": the unit once, after the second figure
        low = (
            compact_number(value.low, language)
            if not is_date
            else _show(value.low, unit, language, "low")
        )
        return f"{low}至{high}"
    return f"{_show(value.low, unit, language, 'low')}–{high}"
