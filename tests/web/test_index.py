"""The claim index: verdict filter, pagination and the counts on each row."""

import pytest

from claims import services
from domain.intervals import exact
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source, publish

pytestmark = pytest.mark.django_db


def test_verdict_filter(client):
    true = publish(make_claim(slug="a-true-one"), verdict="true")
    false = publish(make_claim(slug="a-false-one"), verdict="false")
    page = client.get("/en/", {"verdict": "false"}).content.decode()
    assert false.slug in page and true.slug not in page
    page = client.get("/en/", {"verdict": "not-a-verdict"}).content.decode()
    assert false.slug in page and true.slug in page


def test_pagination_keeps_the_filters(client):
    for n in range(25):
        publish(make_claim(slug=f"claim-number-{n}", statement_en=f"Paged claim {n}?"))
    first = client.get("/en/", {"verdict": "mixed"}).content.decode()
    assert first.count('class="claim-row"') == 20
    assert 'href="?verdict=mixed&amp;page=2"' in first
    second = client.get("/en/", {"verdict": "mixed", "page": 2}).content.decode()
    assert second.count('class="claim-row"') == 5
    assert "Page 2 of 2" in second


def claim_with_values(slug: str, millions_by_outlet: dict[str, int]):
    """A published claim with one source an outlet, each giving its sum in millions."""
    claim = publish(make_claim(slug=slug))
    for outlet, millions in millions_by_outlet.items():
        source = make_source(f"{outlet}称马斯克出资{millions}00万美元。", outlet=outlet)
        quote = make_quote(source, f"马斯克出资{millions}00万美元")
        services.assertion_add(
            claim=claim, quote=quote, stance="supports", value=exact(millions * M, "USD")
        )
    return claim


def test_row_counts_sources_that_agree_and_conflict(client):
    claim_with_values("counted", {"甲报": 44, "乙报": 44, "丙报": 100})
    page = client.get("/en/").content.decode()
    assert "3 sources" in page
    assert '<span class="count-agree">0 agree</span>' in page
    assert '<span class="count-conflict some">3 in conflict</span>' in page


def test_a_settled_conflict_no_longer_puts_its_sources_in_conflict(client):
    claim = claim_with_values("settled", {"甲报": 44, "乙报": 100, "丙报": 100})
    # 甲报 against 乙报, and 甲报 against 丙报: all three sources are in conflict.
    page = client.get("/en/").content.decode()
    assert '<span class="count-conflict some">3 in conflict</span>' in page
    against_yi = claim.conflicts.get(second__quote__source__outlet="乙报")
    services.conflict_set_status(conflict=against_yi, status="dismissed", note="A typo.")
    page = client.get("/en/").content.decode()
    assert '<span class="count-agree">1 agree</span>' in page
    assert '<span class="count-conflict some">2 in conflict</span>' in page
