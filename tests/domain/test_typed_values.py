"""Values as reviewers type them, read by the extraction engine in the claim's unit, and the
words the admin shows a value in, which read back as the same value."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.intervals import Interval
from domain.typed_values import dates_as_the_engine_reads_them, read_typed
from domain.values import full_amount, written
from tests.constants import M


def day(*parts) -> Decimal:
    return Decimal(date(*parts).toordinal())


@pytest.mark.parametrize(
    "typed, low, high, kind",
    [
        ("$45M", 45 * M, 45 * M, "exact"),
        ("不到4500万", None, 45 * M, "upper_bound"),
        ("不到4500万美元", None, 45 * M, "upper_bound"),
        ("about 100 million", 100 * M, 100 * M, "approximate"),
        ("约1亿", 100 * M, 100 * M, "approximate"),
        ("45,000,000", 45 * M, 45 * M, "exact"),
        ("5000万至1亿", 50 * M, 100 * M, "range"),
        ("at least $13B", 13000 * M, None, "lower_bound"),
    ],
)
def test_an_amount_is_read_in_the_claims_unit_without_naming_it(typed, low, high, kind):
    assert read_typed(typed, unit="USD") == Interval(low, high, kind, "USD")


@pytest.mark.parametrize(
    "typed, low, high, kind",
    [
        ("2018-02", day(2018, 2, 1), day(2018, 2, 28), "range"),
        ("2018", day(2018, 1, 1), day(2018, 12, 31), "range"),
        ("2018-02-20", day(2018, 2, 20), day(2018, 2, 20), "exact"),
        ("by 2018-02", None, day(2018, 2, 28), "upper_bound"),
        ("since 2015-12", day(2015, 12, 1), None, "lower_bound"),
        ("2018-02 – 2018-05", day(2018, 2, 1), day(2018, 5, 31), "range"),
        ("2018年2月", day(2018, 2, 1), day(2018, 2, 28), "range"),
        ("February 2018", day(2018, 2, 1), day(2018, 2, 28), "range"),
    ],
)
def test_a_date_is_read_as_people_write_it(typed, low, high, kind):
    assert read_typed(typed, unit="date") == Interval(low, high, kind, "date")


def test_a_relative_date_is_read_against_the_publication():
    assert read_typed("去年11月", unit="date", published_on=date(2024, 3, 12)) == Interval(
        day(2023, 11, 1), day(2023, 11, 30), "range", "date"
    )


@pytest.mark.parametrize("typed", ["", "  ", "a great deal", "4500万 CNY", "2018-02"])
def test_words_that_give_no_value_in_the_unit_give_none(typed):
    assert read_typed(typed, unit="USD") is None


def test_iso_dates_and_english_hedges_are_given_to_the_engine_in_its_form():
    assert dates_as_the_engine_reads_them("by 2018-02") == "2018年2月之前"
    assert (
        dates_as_the_engine_reads_them("2018-02-03 – 2018-02-10") == "2018年2月3日至2018年2月10日"
    )
    assert dates_as_the_engine_reads_them("since 2018") == "2018年以后"


def test_values_are_written_in_full_or_compact():
    assert written(45 * M, 45 * M, "exact", "USD") == "45,000,000 USD"
    assert written(None, 45 * M, "upper_bound", "USD") == "at most 45,000,000 USD"
    assert written(None, 45 * M, "upper_bound", "USD", compact=True) == "at most $45M"
    assert written(50 * M, 100 * M, "range", "USD") == "50,000,000 – 100,000,000 USD"
    assert written(day(2018, 2, 1), day(2018, 2, 28), "range", "date") == "2018-02"
    assert written(day(2018, 1, 1), day(2018, 12, 31), "range", "date") == "2018"
    assert written(day(2018, 2, 20), None, "lower_bound", "date") == "from 2018-02-20"
    assert full_amount(Decimal("17.5000"), "%") == "17.5 %"


amounts = st.integers(min_value=1, max_value=10**12).map(Decimal)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def amount_intervals(draw):
    kind = draw(st.sampled_from(["exact", "approximate", "upper_bound", "lower_bound", "range"]))
    a, b = sorted([draw(amounts), draw(amounts)])
    if kind in ("exact", "approximate"):
        return Interval(a, a, kind, "USD")
    if kind == "upper_bound":
        return Interval(None, b, kind, "USD")
    if kind == "lower_bound":
        return Interval(a, None, kind, "USD")
    return Interval(a, b if b > a else a + 1, kind, "USD")


@st.composite
def date_intervals(draw):
    kind = draw(st.sampled_from(["exact", "upper_bound", "lower_bound", "range"]))
    first = draw(days)
    last = first + timedelta(days=draw(st.integers(min_value=1, max_value=900)))
    low, high = Decimal(first.toordinal()), Decimal(last.toordinal())
    if kind == "exact":
        return Interval(low, low, kind, "date")
    if kind == "upper_bound":
        return Interval(None, high, kind, "date")
    if kind == "lower_bound":
        return Interval(low, None, kind, "date")
    return Interval(low, high, kind, "date")


@given(amount_intervals())
def test_an_amount_written_in_full_reads_back_as_itself(value):
    words = written(value.low, value.high, value.kind, value.unit)
    assert read_typed(words, unit="USD") == value, words


@given(date_intervals())
def test_a_date_written_as_a_date_reads_back_as_itself(value):
    words = written(value.low, value.high, value.kind, value.unit)
    assert read_typed(words, unit="date") == value, words
