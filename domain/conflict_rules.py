"""When two assertions on one claim cannot both hold.

- Opposite stances (one supports, the other contradicts) conflict on any claim.
- On quantity and date claims, two values in the same unit conflict when their intervals
  (with an approximate value's tolerance) do not overlap. A value asserted in a
  contradicting quote is what the quote denies, so it is not compared.
"""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from domain.intervals import Interval, comparable, overlaps

SUPPORTS, CONTRADICTS = "supports", "contradicts"
VALUE_KINDS = {"quantity": "value", "date": "date"}
_NO_LOW = Decimal("-Infinity")


@dataclass(frozen=True)
class AssertionFacts:
    id: int
    stance: str
    value: Interval | None

    def signature(self, finding_kind: str) -> str:
        """What a finding of this kind was judged on: the stance, or the value."""
        if finding_kind == "stance":
            return f"{self.id}:{self.stance}"
        v = self.value
        return f"{self.id}:{v.low}:{v.high}:{v.kind}:{v.unit}"

    def admitted_low(self) -> Decimal:
        low = self.value.admitted()[0]
        return _NO_LOW if low is None else low


@dataclass(frozen=True)
class Finding:
    first_id: int
    second_id: int
    kind: str
    reason: str
    signature: str


def _finding(a: AssertionFacts, b: AssertionFacts, kind: str, reason: str) -> Finding:
    return Finding(a.id, b.id, kind, reason, f"{a.signature(kind)}|{b.signature(kind)}")


def judge(claim_kind: str, a: AssertionFacts, b: AssertionFacts) -> Finding | None:
    """The conflict between two assertions, if they cannot both hold."""
    if a.id > b.id:
        a, b = b, a
    if {a.stance, b.stance} == {SUPPORTS, CONTRADICTS}:
        return _finding(a, b, "stance", f"{a.stance} vs {b.stance}: opposite stances")
    value_kind = VALUE_KINDS.get(claim_kind)
    if value_kind is None or a.value is None or b.value is None:
        return None
    if CONTRADICTS in (a.stance, b.stance) or not comparable(a.value, b.value):
        return None
    if overlaps(a.value, b.value):
        return None
    reason = f"{a.value.describe()} vs {b.value.describe()}: no overlap"
    return _finding(a, b, value_kind, reason)


def find_conflicts(
    claim_kind: str, assertions: list[AssertionFacts], involving: int | None = None
) -> list[Finding]:
    """Every conflicting pair, or only the pairs that include the assertion `involving`.

    Without judging the pairs that agree: opposite stances are every supports x
    contradicts pair, and two values conflict when one's admitted high is below the
    other's admitted low, so with each unit's values sorted by admitted low, the values
    wholly above a given one are a suffix, found by bisection.
    """
    if involving is not None:
        one = next(a for a in assertions if a.id == involving)
        found = (judge(claim_kind, one, other) for other in assertions if other.id != involving)
        return [f for f in found if f is not None]
    supporting = [a for a in assertions if a.stance == SUPPORTS]
    contradicting = [a for a in assertions if a.stance == CONTRADICTS]
    findings = [judge(claim_kind, a, b) for a in supporting for b in contradicting]
    if claim_kind in VALUE_KINDS:
        by_unit = defaultdict(list)
        for a in assertions:
            if a.value is not None and a.stance != CONTRADICTS:
                by_unit[a.value.unit].append(a)
        for group in by_unit.values():
            by_low = sorted(group, key=AssertionFacts.admitted_low)
            lows = [a.admitted_low() for a in by_low]
            for a in group:
                high = a.value.admitted()[1]
                if high is not None:
                    above = by_low[bisect_right(lows, high) :]
                    findings += [judge(claim_kind, a, b) for b in above]
    return [f for f in findings if f is not None]
