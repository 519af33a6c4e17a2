"""Values as intervals, and when two of them can both be true.

Every value a quote asserts is an interval [low, high] with a kind: exact (low == high),
approximate (a point the source hedges, widened by APPROXIMATE_TOLERANCE either side),
upper bound (no low), lower bound (no high) or range. Bounds are inclusive: "under 45M"
is taken to admit 45M, since such hedges are loose. Dates are day numbers
(date.toordinal()), so a month is the interval of its days.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.messages import Refusal, gettext_noop

# An approximate value ("约1亿", "about $100M") admits anything within 10% of it.
APPROXIMATE_TOLERANCE = Decimal("0.10")

EXACT, APPROXIMATE, UPPER_BOUND, LOWER_BOUND, RANGE = (
    "exact",
    "approximate",
    "upper_bound",
    "lower_bound",
    "range",
)
KINDS = (EXACT, APPROXIMATE, UPPER_BOUND, LOWER_BOUND, RANGE)
DATE_UNIT = "date"


class IntervalError(Refusal):
    pass


@dataclass(frozen=True)
class Interval:
    low: Decimal | None
    high: Decimal | None
    kind: str
    unit: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise IntervalError("kind", gettext_noop("unknown value kind %(kind)r"), kind=self.kind)
        if self.low is None and self.high is None:
            raise IntervalError("low", gettext_noop("a value needs at least one bound"))
        if self.low is not None and self.high is not None and self.low > self.high:
            raise IntervalError(
                "low",
                gettext_noop("low %(low)s is greater than high %(high)s"),
                low=self.low,
                high=self.high,
            )
        if self.kind == EXACT and self.low != self.high:
            raise IntervalError("high", gettext_noop("an exact value needs low equal to high"))
        if self.kind == APPROXIMATE and self.low != self.high:
            raise IntervalError(
                "high", gettext_noop("an approximate value needs low equal to high")
            )
        if self.kind == UPPER_BOUND and self.high is None:
            raise IntervalError("high", gettext_noop("an upper bound needs high"))
        if self.kind == LOWER_BOUND and self.low is None:
            raise IntervalError("low", gettext_noop("a lower bound needs low"))
        if self.kind == RANGE and (self.low is None or self.high is None):
            raise IntervalError("low", gettext_noop("a range needs both low and high"))

    def admitted(self) -> tuple[Decimal | None, Decimal | None]:
        """The values this interval admits, with an approximate value's tolerance."""
        if self.kind == APPROXIMATE:
            spread = abs(self.low) * APPROXIMATE_TOLERANCE
            return self.low - spread, self.high + spread
        return self.low, self.high

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit and self.unit != DATE_UNIT else ""
        low, high = _show(self.low, self.unit), _show(self.high, self.unit)
        shown = {
            EXACT: f"{low}{unit} exact",
            APPROXIMATE: f"about {low}{unit}",
            UPPER_BOUND: f"at most {high}{unit}",
            LOWER_BOUND: f"at least {low}{unit}",
            RANGE: f"{low}–{high}{unit} range",
        }
        return shown[self.kind]


def exact(value, unit: str = "") -> Interval:
    value = Decimal(value)
    return Interval(value, value, EXACT, unit)


def _show(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "?"
    if unit == DATE_UNIT:
        return date.fromordinal(int(value)).isoformat()
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def overlaps(a: Interval, b: Interval) -> bool:
    a_low, a_high = a.admitted()
    b_low, b_high = b.admitted()
    a_below_b = a_high is not None and b_low is not None and a_high < b_low
    b_below_a = b_high is not None and a_low is not None and b_high < a_low
    return not (a_below_b or b_below_a)


def comparable(a: Interval, b: Interval) -> bool:
    return a.unit == b.unit


def date_interval(year: int, month: int | None = None, day: int | None = None) -> Interval:
    """The days a date of year, month or day precision covers."""
    if month is None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    elif day is None:
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
    else:
        first = last = date(year, month, day)
    kind = EXACT if first == last else RANGE
    return Interval(Decimal(first.toordinal()), Decimal(last.toordinal()), kind, DATE_UNIT)
