"""One rule turns a value into an interval, whichever way it enters: admin, API or loader."""

import pytest

from claims import services
from claims.forms import AssertionForm
from claims.models import Assertion
from claims.roles import REVIEWER
from seeds.loader import _value
from tests.api.conftest import client_for
from tests.factories import make_claim, make_quote, make_source, make_user

pytestmark = pytest.mark.django_db

CASES = [
    # (claim kind, claim unit, admin bounds, API value, loader value)
    (
        "date",
        "",
        {"low": "2018-02-01", "high": "2018-02-28", "value_kind": "range", "unit": ""},
        {"low": "2018-02-01", "high": "2018-02-28", "kind": "range"},
        {"on": "2018-02"},
    ),
    (
        "quantity",
        "USD",
        {"low": "", "high": "45,000,000", "value_kind": "upper_bound", "unit": "usd"},
        {"high": 45_000_000, "kind": "upper_bound", "unit": "$"},
        {"high": 45_000_000, "kind": "upper_bound"},
    ),
    (
        "quantity",
        "percent",
        {"low": "97", "high": "97", "value_kind": "approximate", "unit": ""},
        {"low": 97, "high": 97, "kind": "approximate", "unit": "%"},
        {"low": 97, "high": 97, "kind": "approximate"},
    ),
]


def stored(assertion_id):
    return Assertion.objects.values_list("low", "high", "value_kind", "unit").get(pk=assertion_id)


@pytest.mark.parametrize(("kind", "unit", "admin", "api", "loader"), CASES)
def test_the_same_value_is_the_same_row_through_admin_api_and_loader(
    kind, unit, admin, api, loader
):
    claim = make_claim(kind=kind, unit=unit, slug=f"value-rule-{kind}-{unit or 'none'}")
    source = make_source("甲说了一句。乙说了一句。丙说了一句。")
    quotes = [make_quote(source, text) for text in ("甲说了一句", "乙说了一句", "丙说了一句")]

    form = AssertionForm(
        data={"claim": claim.pk, "quote": quotes[0].pk, "stance": "supports", **admin}
    )
    form.claim_shown = claim
    assert form.is_valid(), form.errors
    value, _ = form.entered_value(claim, quotes[0])
    by_admin = services.assertion_add(claim=claim, quote=quotes[0], stance="supports", value=value)

    response = client_for(make_user("vera", REVIEWER)).post(
        "/api/assertions/",
        {"claim": claim.slug, "quote": quotes[1].pk, "stance": "supports", "value": api},
        format="json",
    )
    assert response.status_code == 201, response.json()

    by_loader = services.assertion_add(
        claim=claim, quote=quotes[2], stance="supports", value=_value(claim, loader)
    )
    rows = {stored(by_admin.pk), stored(response.json()["id"]), stored(by_loader.pk)}
    assert len(rows) == 1, rows
    (row,) = rows
    assert row[3] == {"date": "date", "quantity": "USD" if unit == "USD" else "%"}[kind]
