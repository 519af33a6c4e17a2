"""When two assertions on one claim cannot both hold.

- Opposite stances (one supports, the other contradicts) conflict on any claim.
- On quantity and date claims, two values in the same unit conflict when their intervals
  (with an approximate value's tolerance) do not overlap. A value asserted in a
  contradicting quote is what the quote denies, so it is not compared.
"""

from dataclasses import dataclass
from itertools import combinations

from claims.intervals import Interval, comparable, overlaps

SUPPORTS, CONTRADICTS = "supports", "contradicts"
VALUE_KINDS = {"quantity": "value", "date": "date"}


@dataclass(frozen=True)
class AssertionFacts:
    id: int
    stance: str
    value: Interval | None

    def signature(self) -> str:
        v = self.value
        shown = f"{v.low}:{v.high}:{v.kind}:{v.unit}" if v else "-"
        return f"{self.id}:{self.stance}:{shown}"


@dataclass(frozen=True)
class Finding:
    first_id: int
    second_id: int
    kind: str
    reason: str
    signature: str


def judge(claim_kind: str, a: AssertionFacts, b: AssertionFacts) -> Finding | None:
    """The conflict between two assertions, if they cannot both hold."""
    if a.id > b.id:
        a, b = b, a
    signature = f"{a.signature()}|{b.signature()}"
    if {a.stance, b.stance} == {SUPPORTS, CONTRADICTS}:
        reason = f"{a.stance} vs {b.stance}: opposite stances"
        return Finding(a.id, b.id, "stance", reason, signature)
    value_kind = VALUE_KINDS.get(claim_kind)
    if value_kind is None or a.value is None or b.value is None:
        return None
    if CONTRADICTS in (a.stance, b.stance) or not comparable(a.value, b.value):
        return None
    if overlaps(a.value, b.value):
        return None
    reason = f"{a.value.describe()} vs {b.value.describe()}: no overlap"
    return Finding(a.id, b.id, value_kind, reason, signature)


def find_conflicts(
    claim_kind: str, assertions: list[AssertionFacts], involving: int | None = None
) -> list[Finding]:
    """Every conflicting pair, or only the pairs that include the assertion `involving`."""
    if involving is None:
        pairs = combinations(assertions, 2)
    else:
        one = next(a for a in assertions if a.id == involving)
        pairs = ((one, other) for other in assertions if other.id != involving)
    found = (judge(claim_kind, a, b) for a, b in pairs)
    return [f for f in found if f is not None]
