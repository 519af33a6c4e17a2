"""Values and texts the admin tests build their ledgers from."""

import itertools
from decimal import Decimal

from claims import services
from domain.intervals import Interval
from tests.factories import make_claim, make_quote, make_source

_serial = itertools.count(1)


def exact(value) -> Interval:
    """An exact amount in US dollars."""
    return Interval(Decimal(value), Decimal(value), "exact", "USD")


def sentence(n: int) -> str:
    return f"第{n}句话里有一件事。"


def article(sentences: int) -> str:
    """A new article (its first line is its own) of distinct sentences."""
    return f"第{next(_serial)}号文。" + "".join(sentence(n) for n in range(sentences))


def disputed_claim(*values):
    """A quantity claim with one assertion per value; values that differ conflict."""
    text = "".join(f"第{n}篇说是{v}美元。" for n, v in enumerate(values))
    source = make_source(text=text)
    claim = make_claim()
    assertions = [
        services.assertion_add(
            claim=claim,
            quote=make_quote(source, f"第{n}篇说是{v}美元"),
            stance="supports",
            value=exact(v),
        )
        for n, v in enumerate(values)
    ]
    return claim, assertions
