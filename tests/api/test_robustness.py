"""The API stands up to malformed parameters and bodies, and answers every error in JSON."""

import pytest

pytestmark = pytest.mark.django_db

OVERLONG = "x" * 100_000


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/claims/", "q"),
        ("/api/sources/", "q"),
        ("/api/claims/", "entity"),
        ("/api/claims/", "topic"),
        ("/api/quotes/", "claim"),
        ("/api/quotes/", "speaker"),
        ("/api/assertions/", "claim"),
        ("/api/conflicts/", "claim"),
    ],
)
@pytest.mark.parametrize("value", ["a\x00b", OVERLONG], ids=["nul", "overlong"])
def test_malformed_filters_answer_400_naming_the_parameter(anonymous, ledger, url, name, value):
    response = anonymous.get(url, {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]
