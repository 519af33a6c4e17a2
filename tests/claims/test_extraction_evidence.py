"""Denied values through the services: never recorded as asserted, named as denied when suggested.

The reader marks what a quote denies (domain.extraction); these tests follow that mark through
assertion_add, the import-time suggestion scan and accepting a suggestion.
"""

from decimal import Decimal

import pytest

from claims import evidence, services
from claims.models import ValueOrigin
from domain.intervals import Interval, exact
from tests.constants import M
from tests.factories import make_claim, make_entity, make_quote, make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "quoted, unit, asserted, words",
    [
        ("OpenAI said Musk gave less than $45 million, not the $100 million he claimed.",
         "usd", Interval(None, 45 * M, "upper_bound", "USD"), "$45 million"),
        ("马斯克的捐款并非1亿美元,而是4400万美元。", "USD", exact(44 * M, "USD"), "4400万美元"),
        ("Turnout was not 70%, as the governor said, but 61.4%.", "percent",
         exact(Decimal("61.4"), "%"), "61.4%"),
    ],
)  # fmt: skip
def test_the_value_recorded_from_a_quote_is_the_one_it_asserts(quoted, unit, asserted, words):
    # The claim's unit as typed; the vocabulary stores it as "USD" or "%".
    claim = make_claim(unit=unit)
    quote = make_quote(make_source(quoted), quoted)
    assertion = services.assertion_add(claim=claim, quote=quote, stance="supports")
    assert services.assertion_interval(assertion) == asserted
    assert (assertion.value_text, assertion.value_origin) == (words, ValueOrigin.EXTRACTED)


def test_a_quote_that_only_denies_a_value_records_none():
    claim = make_claim(unit="USD")
    quoted = "The agency denied that it had paid the contractor $7 million."
    assertion = services.assertion_add(
        claim=claim, quote=make_quote(make_source(quoted), quoted), stance="contradicts"
    )
    assert not assertion.has_value
    assert assertion.value_origin == ValueOrigin.NONE


def test_a_suggestion_names_the_value_its_sentence_asserts_or_denies():
    musk = make_entity(name="Elon Musk", aliases=["马斯克"])
    claim = make_claim(unit="USD", subjects=[musk], match_terms="捐")
    both = "马斯克的捐款并非1亿美元,而是4400万美元。"
    denied_only = "马斯克否认曾捐出1亿美元。"
    made = evidence.suggestions_find(source=make_source(both + denied_only))
    reasons = {s.exact: s.reason for s in made if s.claim == claim}
    assert reasons[both].endswith("an amount in USD (4400万美元)")
    assert reasons[denied_only].endswith("denies an amount in USD (1亿美元)")


def test_accepting_a_suggestion_never_records_the_denied_value():
    make_claim(
        unit="USD",
        subjects=[make_entity(name="Elon Musk", aliases=["Musk"])],
        match_terms="gift\ngiving",
    )
    text = "Musk's gift was not $100 million but $44 million. Musk denied giving $1 billion."
    made = {s.exact: s for s in evidence.suggestions_find(source=make_source(text))}
    asserted = evidence.suggestion_accept(
        suggestion=made["Musk's gift was not $100 million but $44 million."], stance="supports"
    )
    denied = evidence.suggestion_accept(
        suggestion=made["Musk denied giving $1 billion."], stance="contradicts"
    )
    assert services.assertion_interval(asserted) == exact(44 * M, "USD")
    assert not denied.has_value


def test_each_suggestion_carries_a_value_of_its_own_sentence():
    musk = make_entity(name="Elon Musk", aliases=["Musk"])
    claim = make_claim(unit="USD", subjects=[musk], match_terms="gave")
    sentences = [f"Musk gave ${n} million in {2000 + n}." for n in range(1, 40)]
    made = evidence.suggestions_find(source=make_source(" ".join(sentences)))
    assert [s.exact for s in made if s.claim == claim] == sentences
    for suggestion in made:
        n = int(suggestion.exact.split("$")[1].split()[0])
        assert suggestion.reason.endswith(f"an amount in USD (${n} million)")
