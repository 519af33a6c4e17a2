"""Reader pages stand up to whatever the ledger holds and whatever a URL carries."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.models import Assertion
from claims.roles import REVIEWER
from claims.web.svg import FIRST_DAY, LAST_DAY, MAX_TICKS, Scale, date_ticks, number_ticks
from tests.api.conftest import client_for
from tests.factories import make_claim, make_quote, make_source, make_user, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_api(db):
    return client_for(make_user("rita", REVIEWER))


def add_value(api, slug, quote, value):
    return api.post(
        "/api/assertions/",
        {"claim": slug, "quote": quote.pk, "stance": "supports", "value": value},
        format="json",
    )


def claim_pages(client, slug) -> list[int]:
    stances = Assertion.objects.filter(claim__slug=slug).values_list("stance", flat=True)
    urls = [f"/en/claims/{slug}/", *(f"/en/claims/{slug}/?stance={s}" for s in set(stances))]
    return [client.get(url).status_code for url in urls]


# Values at the edges of what the API accepts


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_at_either_end_of_the_calendar_renders(client, seeded, reviewer_api, day):
    source = make_source("据称xAI成立于很久以前。", title="Edge")
    quote = make_quote(source, "xAI成立于很久以前")
    response = add_value(
        reviewer_api, "xai-founding-date", quote, {"low": day, "high": day, "kind": "exact"}
    )
    assert response.status_code == 201, response.json()
    assert claim_pages(client, "xai-founding-date") == [200, 200]


def test_the_axis_of_the_whole_calendar_and_of_every_magnitude_has_a_few_ticks():
    calendar = Scale(FIRST_DAY, LAST_DAY)
    assert [label for _, label in date_ticks(calendar)] == ["2000", "4000", "6000", "8000"]
    assert len(number_ticks(Scale(0.0001, 10.0**19, log=True))) <= MAX_TICKS


DAYS = st.dates(min_value=date.min, max_value=date.max).map(date.isoformat)
BIGGEST = Decimal(10) ** 19
NUMBERS = st.one_of(
    st.decimals(min_value=-BIGGEST, max_value=BIGGEST, places=4),
    st.sampled_from([Decimal(0), Decimal("0.0001"), Decimal("-0.0001"), BIGGEST, -BIGGEST]),
).map(lambda d: format(d, "f"))


@st.composite
def values(draw, bounds, order, unit=None):
    """A value as the API takes it: bounds in order, as many as its kind needs."""
    low, high = sorted([draw(bounds), draw(bounds)], key=order)
    kind = draw(st.sampled_from(["exact", "approximate", "upper_bound", "lower_bound", "range"]))
    value = {
        "exact": {"low": low, "high": low},
        "approximate": {"low": low, "high": low},
        "upper_bound": {"high": high},
        "lower_bound": {"low": low},
        "range": {"low": low, "high": draw(st.sampled_from([low, high]))},
    }[kind]
    return {**value, "kind": kind, **({"unit": unit} if unit else {})}


CLAIMS = st.one_of(
    st.tuples(st.just("date"), st.just(""), st.lists(values(DAYS, str), min_size=1, max_size=3)),
    st.tuples(
        st.just("quantity"),
        st.sampled_from(["USD", "percent", "people", "CNY"]),
        st.lists(values(NUMBERS, Decimal), min_size=1, max_size=3),
    ),
    # A value in another unit than the claim's is refused (tests/api/test_values.py).
)


def test_every_value_the_api_accepts_renders_on_the_claim_page(client, reviewer_api):
    source = make_source("。".join(f"第{n}句话" for n in range(3)) + "。", title="Fuzz")
    quotes = [make_quote(source, f"第{n}句话") for n in range(3)]
    slugs = count()

    @given(claim=CLAIMS)
    @example(claim=("date", "", [{"low": "0001-01-01", "high": "0001-01-01", "kind": "exact"}]))
    @example(claim=("date", "", [{"low": "9999-12-31", "high": "9999-12-31", "kind": "exact"}]))
    @example(claim=("date", "", [{"low": "0001-01-01", "high": "9999-12-31", "kind": "range"}]))
    @example(
        claim=("date", "", [{"low": "9999-01-01", "high": "9999-01-01", "kind": "approximate"}])
    )
    @example(
        claim=(
            "quantity",
            "USD",
            [
                {"low": "0.0001", "high": "0.0001", "kind": "exact"},
                {"low": "10000000000000000000", "kind": "lower_bound"},
            ],
        )
    )
    @example(
        claim=(
            "quantity",
            "percent",
            [
                {"low": "-10000000000000000000", "high": "-0.0001", "kind": "range"},
                {"low": "0", "high": "0", "kind": "range"},
            ],
        )
    )
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def renders(claim):
        kind, unit, claim_values = claim
        created = make_claim(kind=kind, unit=unit, slug=f"fuzz-{next(slugs)}")
        for quote, value in zip(quotes, claim_values, strict=False):
            response = add_value(reviewer_api, created.slug, quote, value)
            assert response.status_code == 201, (value, response.json())
        publish(created)
        assert claim_pages(client, created.slug) == [200, 200]

    renders()


# Query parameters: a bad value is a 400 with a short message, or is ignored


NUL, OVERLONG, GARBAGE = "a\x00b", "x" * 100_000, "'\"<>%; -- ∅"
# What each parameter refuses; filters with a fixed set of values (disputed, verdict,
# stance, script) ignore one they do not know, as the index's form always did.
REFUSES = {
    "q": (NUL, OVERLONG),
    "entity": (NUL, OVERLONG, GARBAGE),
    "topic": (NUL, OVERLONG, GARBAGE),
    "page": (NUL, OVERLONG, GARBAGE),
}


def parameters(claim: str, source: int):
    """Each page, the parameters it already carries, and those it reads."""
    return [
        ("/en/", {}, ["q", "entity", "topic", "page", "disputed", "verdict"]),
        (f"/en/claims/{claim}/", {}, ["stance", "page"]),
        (f"/en/claims/{claim}/", {"stance": "supports"}, ["page"]),
        (f"/en/sources/{source}/", {}, ["script", "anything"]),
        ("/en/entities/elon-musk/", {}, ["page"]),
        ("/en/feed/", {}, ["anything"]),
    ]


@pytest.mark.parametrize("value", [NUL, OVERLONG, GARBAGE], ids=["nul", "overlong", "garbage"])
def test_no_query_parameter_takes_a_page_down(client, seeded, value):
    source = Assertion.objects.filter(claim__slug="xai-founding-date").first().quote.source_id
    for path, query, names in parameters("xai-founding-date", source):
        for name in names:
            response = client.get(path, {**query, name: value})
            refused = value in REFUSES.get(name, ())
            assert response.status_code == (400 if refused else 200), (path, name)
            if refused:
                assert response["Content-Type"] == "text/plain; charset=utf-8"
                message = response.content.decode()
                assert message.startswith(f"{name}: ") and len(message) < 200, message


def test_a_page_past_the_last_shows_the_last_and_page_zero_is_refused(client, seeded):
    assert client.get("/en/", {"page": 10**30}).status_code == 200
    assert client.get("/en/", {"page": 0}).status_code == 400
