"""The unit vocabulary: every spelling of a unit comes to one canonical name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.units import CURRENCY_CODES, is_currency, normalize_unit, same_unit


@pytest.mark.parametrize(
    "spelling, canonical",
    [
        ("USD", "USD"),
        ("usd", "USD"),
        (" Usd ", "USD"),
        ("US$", "USD"),
        ("$", "USD"),
        ("dollars", "USD"),
        ("美元", "USD"),
        ("美金", "USD"),
        ("好意思元", "USD"),
        ("rmb", "CNY"),
        ("人民幣", "CNY"),
        ("元", "CNY"),
        ("yuan", "CNY"),
        ("港幣", "HKD"),
        ("HK$", "HKD"),
        ("新臺幣", "TWD"),
        ("€", "EUR"),
        ("歐元", "EUR"),
        ("£", "GBP"),
        ("sterling", "GBP"),
        ("日圓", "JPY"),
        ("chf", "CHF"),
        ("澳門元", "MOP"),
        ("rupiah", "IDR"),
        ("RM", "MYR"),
        ("lira", "TRY"),
        ("seats", "seats"),
        ("議席", "seats"),
        ("percent", "%"),
        ("Per  Cent", "%"),
        ("pct", "%"),
        ("％", "%"),
        ("%", "%"),
        ("staff", "people"),
        ("employees", "people"),
        ("員工", "people"),
        ("人", "people"),
        ("jobs", "people"),
        ("voters", "people"),
        ("ballots", "votes"),
        ("選票", "votes"),
        ("gpus", "GPUs"),
        ("GPUs", "GPUs"),
        ("houses", "homes"),
        ("date", "date"),
        ("日期", "date"),
    ],
)
def test_spellings_come_to_one_canonical_name(spelling, canonical):
    assert normalize_unit(spelling) == canonical


def test_an_unknown_unit_comes_back_as_written_but_trimmed():
    assert normalize_unit("  furlongs ") == "furlongs"
    assert same_unit("Furlongs", "furlongs")


def test_units_compare_by_meaning():
    assert same_unit("usd", "USD")
    assert same_unit("percent", "%")
    assert same_unit("美元", "US$")
    assert not same_unit("USD", "HKD")
    assert not same_unit("people", "votes")
    assert not same_unit("%", "date")


def test_currencies_are_iso_4217_codes():
    assert {"USD", "CNY", "EUR", "JPY", "HKD", "TWD", "GBP"} <= CURRENCY_CODES
    assert all(len(code) == 3 and code.isupper() for code in CURRENCY_CODES)
    assert is_currency("usd") and is_currency("人民币")
    assert not is_currency("%") and not is_currency("people")


@given(st.sampled_from(sorted(CURRENCY_CODES)))
def test_every_currency_code_is_its_own_name_in_any_case(code):
    assert normalize_unit(code.lower()) == normalize_unit(code) == code


@given(st.text(max_size=20))
def test_normalizing_is_idempotent(text):
    once = normalize_unit(text)
    assert normalize_unit(once) == once
