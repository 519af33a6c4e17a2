from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.intervals import Interval, IntervalError, date_interval, exact, overlaps
from tests.constants import M


def test_seed_figures_overlap_as_the_articles_imply():
    forty_four = exact(44 * M, "USD")
    under_45 = Interval(None, 45 * M, "upper_bound", "USD")
    fifty_to_hundred = Interval(50 * M, 100 * M, "range", "USD")
    about_hundred = Interval(100 * M, 100 * M, "approximate", "USD")
    assert overlaps(forty_four, under_45)
    assert not overlaps(forty_four, fifty_to_hundred)
    assert not overlaps(under_45, fifty_to_hundred)
    assert not overlaps(forty_four, about_hundred)
    assert overlaps(fifty_to_hundred, about_hundred)


def test_approximate_tolerance_is_ten_percent():
    about = Interval(100 * M, 100 * M, "approximate")
    assert overlaps(about, exact(90 * M))
    assert not overlaps(about, exact(89 * M))


def test_low_above_high_is_refused():
    with pytest.raises(IntervalError) as error:
        Interval(Decimal(5), Decimal(4), "range")
    assert error.value.field == "low"


def test_month_covers_its_days():
    feb = date_interval(2018, 2)
    assert feb.kind == "range" and feb.high - feb.low == 27
    assert overlaps(feb, date_interval(2018))
    assert not overlaps(feb, date_interval(2018, 3))


def test_describe_reads_like_the_reason():
    assert exact(44 * M, "USD").describe() == "44,000,000 USD exact"
    assert (
        Interval(50 * M, 100 * M, "range", "USD").describe() == "50,000,000–100,000,000 USD range"
    )


def intervals():
    number = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False)

    def build(kind, a, b):
        low, high = sorted([a, b])
        bounds = {
            "exact": (a, a),
            "approximate": (a, a),
            "upper_bound": (None, high),
            "lower_bound": (low, None),
            "range": (low, high),
        }[kind]
        return Interval(*bounds, kind)

    return st.builds(
        build,
        st.sampled_from(["exact", "approximate", "upper_bound", "lower_bound", "range"]),
        number,
        number,
    )


@given(intervals(), intervals())
def test_overlap_is_symmetric(a, b):
    assert overlaps(a, b) == overlaps(b, a)


@given(intervals())
def test_an_interval_overlaps_itself(a):
    assert overlaps(a, a)


@given(intervals(), intervals(), st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_a_shared_point_means_overlap(a, b, point):
    def admits(i, x):
        low, high = i.admitted()
        return (low is None or low <= x) and (high is None or x <= high)

    if admits(a, point) and admits(b, point):
        assert overlaps(a, b)
