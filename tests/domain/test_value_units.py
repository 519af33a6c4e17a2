import pytest

from domain.units import value_unit_refusal


@pytest.mark.parametrize(
    ("value_unit", "claim_unit"),
    [
        ("USD", "USD"),
        ("usd", "USD"),
        ("date", "date"),
        ("people", "%"),
        ("", ""),
        ("USD", ""),
        ("", "USD"),  # no unit named: read in the claim's
    ],
)
def test_values_a_claim_takes(value_unit, claim_unit):
    assert value_unit_refusal(value_unit, claim_unit) is None


@pytest.mark.parametrize(
    ("value_unit", "claim_unit", "words"),
    [
        ("EUR", "USD", "the claim is in USD; this value is in EUR"),
        ("date", "USD", "the claim is in USD; this value is a date"),
        ("USD", "date", "the claim takes a date; this value is in USD"),
        ("USD", "%", "the claim is in %; this value is in USD"),
        ("date", "", "the claim takes amounts; this value is a date"),
        ("votes", "people", "the claim is in people; this value is in votes"),
        ("USD", None, "takes no value"),
    ],
)
def test_values_a_claim_refuses(value_unit, claim_unit, words):
    assert words in value_unit_refusal(value_unit, claim_unit).message
