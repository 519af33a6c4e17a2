"""Data for the reader pages, made through the real services."""

import pytest

from claims import services
from claims.models import Assertion
from domain.intervals import Interval, exact
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source, publish


def sentence(number: int) -> str:
    return f"第{number}篇报道称马斯克出资4400万美元"


def add_quotes(claim, source, numbers, value=None, stance="supports"):
    """Quotes of the numbered sentences, each asserting `value` on the claim.

    Assertions are stored in one batch and conflicts detected once: assertion_add re-runs
    detection over every pair on each call, which is minutes for hundreds of quotes.
    """
    quotes = [make_quote(source, sentence(n)) for n in numbers]
    value = value or exact(44 * M, "USD")
    Assertion.objects.bulk_create(
        Assertion(
            claim=claim,
            quote=quote,
            stance=stance,
            low=value.low,
            high=value.high,
            value_kind=value.kind,
            unit=value.unit,
            value_text=quote.exact,
            value_origin="reviewer",
        )
        for quote in quotes
    )
    services.conflicts_detect(claim=claim)
    return quotes


@pytest.fixture
def quoted_claim(db):
    """A published quantity claim over one long source, with a value conflict in it.

    Returns (claim, source, grow): grow(n) adds quotes until the claim has n of them.
    """
    count = 500
    source = make_source(
        "。".join(sentence(n) for n in range(count)) + "。", title="长篇报道", outlet="测试日报"
    )
    claim = publish(
        make_claim(statement_en="How much did Musk give?", statement_zh="马斯克出资多少?")
    )
    first = make_quote(source, sentence(0))
    services.assertion_add(
        claim=claim,
        quote=first,
        stance="supports",
        value=Interval(None, 45 * M, "upper_bound", "USD"),
    )
    services.assertion_add(
        claim=claim,
        quote=make_quote(source, sentence(1)),
        stance="supports",
        value=exact(100 * M, "USD"),
    )
    have = {"n": 2}

    def grow(n):
        add_quotes(claim, source, range(have["n"], n))
        have["n"] = n
        return claim

    return claim, source, grow
