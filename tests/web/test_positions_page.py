"""The claim page shows a dispute as its positions: the sides at the top, the picture
coloured by side, the quotes grouped by side, and side against side. English and Chinese."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from markupsafe import escape  # as the reader pages (Jinja2) escape

from claims import services
from claims.models import Assertion, Claim, Position
from domain.intervals import Interval
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source, publish
from tests.web.test_queries import MAX_QUERIES

SLUG = "musk-contribution-to-openai"
URL = f"/en/claims/{SLUG}/"
CHINESE = {"language": "zh-hans"}


def page_of(client, url=URL, language="en") -> str:
    response = client.get(url.replace("/en/", f"/{language}/", 1))
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def part(page: str, pattern: str) -> str:
    found = re.search(pattern, page, re.S)
    assert found, pattern
    return found.group(0)


def position_line(page: str, rank: int) -> str:
    return part(page, rf'<li class="position position-{rank} [^"]*".*?</li>')


def quote_group(page: str, name: str) -> str:
    return part(page, rf'<section class="quote-group[^"]*" id="quotes-{name}".*?</section>')


def cards_in(html: str) -> list[int]:
    return [
        int(i) for i in re.findall(r'<article class="quote-card[^"]*" id="assertion-(\d+)"', html)
    ]


def mark_classes(page: str) -> dict[int, str]:
    svg = part(page, r"<svg[^>]*class=\"value-axis\".*?</svg>")
    return {
        int(i): classes
        for classes, ids in re.findall(r'<g class="([^"]+)" data-assertions="([^"]+)"', svg)
        for i in ids.split()
    }


@pytest.fixture
def musk(seeded):
    claim = Claim.objects.get(slug=SLUG)
    positions = list(claim.positions.order_by("rank"))
    assert [(p.label, p.label_zh) for p in positions] == [
        ("$44M–$45M", "4400万至4500万美元"),
        ("about $100M", "约1亿美元"),
    ]
    return claim, positions


def test_the_positions_come_first_each_with_who_holds_it_and_its_sources(client, musk):
    _claim, positions = musk
    page = page_of(client)
    block = part(page, r'<section class="positions".*?</section>')
    assert page.index(block) < page.index('class="verdict-panel')
    assert '<h2 id="positions-heading">Positions</h2>' in block
    for position in positions:
        line = position_line(page, position.rank)
        assert f'href="#quotes-position-{position.rank}">{escape(position.label)}</a>' in line
        for slug in position.speakers:
            assert f'href="/en/entities/{slug}/"' in line
        for source_id in position.source_ids:
            assert f'href="/en/sources/{source_id}/"' in line
        assert f"{len(position.source_ids)} sources:" in text(line)
        rating = position.ratings.get()  # the seed ledger rates both sides
        assert f"Rated {rating.get_verdict_display()}" in text(line)
    assert ">Elon Musk</a>" in position_line(page, 1)
    assert "/en/entities/elon-musk/" not in position_line(page, 0)
    # The claim's own verdict is still there, as it was.
    assert '<strong class="verdict verdict-mixed">Mixed</strong>' in page


def test_the_positions_in_chinese(client, musk):
    _claim, positions = musk
    page = page_of(client, **CHINESE)
    assert '<h2 id="positions-heading">各方说法</h2>' in page
    for position in positions:
        line = position_line(page, position.rank)
        assert f">{position.label_zh}</a>" in line
        assert f"{len(position.source_ids)} 个信源：" in text(line)
    assert ">埃隆·马斯克</a>" in position_line(page, 1)
    assert "、" in position_line(page, 0)  # names listed the Chinese way


def test_the_picture_has_one_colour_per_position_and_names_them(client, musk):
    claim, positions = musk
    page = page_of(client)
    classes = mark_classes(page)
    for position in positions:
        for assertion_id in position.assertion_ids:
            assert classes[assertion_id] == f"mark position-{position.rank}"
    valued = claim.assertions.exclude(value_kind="").values_list("pk", flat=True)
    assert set(classes) == set(valued)
    legend = part(page, r'<ul class="legend">.*?</ul>')
    assert [text(item) for item in re.findall(r'<li class="legend-position.*?</li>', legend)] == [
        p.label for p in positions
    ]
    assert "in conflict" not in page and "conflicting" not in page and "#b91c1c" not in page
    chinese = page_of(client, **CHINESE)
    assert "约1亿美元</li>" in part(chinese, r'<ul class="legend">.*?</ul>')


def test_quotes_are_grouped_by_position_and_the_rest_come_last(client, musk):
    claim, positions = musk
    page = page_of(client)
    for position in positions:
        group = quote_group(page, f"position-{position.rank}")
        assert sorted(cards_in(group)) == sorted(position.assertion_ids)
        assert escape(position.label) in part(group, r"<h3.*?</h3>")
    in_none = set(claim.assertions.values_list("pk", flat=True)) - {
        i for p in positions for i in p.assertion_ids
    }
    assert in_none, "the seed claim has a quote that only mentions it"
    other = quote_group(page, "other")
    assert set(cards_in(other)) == in_none
    assert "Other quotes" in other and "Mentions" in other
    assert page.index('id="quotes-position-1"') < page.index('id="quotes-other"')
    assert "其他原话" in quote_group(page_of(client, **CHINESE), "other")


def test_the_sources_disagree_position_against_position_with_the_pairs_folded(client, musk):
    claim, _positions = musk
    page = page_of(client)
    section = part(page, r'<section class="conflicts".*?</section>')
    assert "Where the sources disagree" in section
    assert "$44M–$45M (2 sources) vs about $100M (2 sources)" in text(
        part(section, r'<p class="sides">.*?</p>')
    )
    pairs = part(section, r'<details class="conflict-pairs">.*?</details>')
    assert pairs.count('<li class="conflict ') == claim.conflicts.count()
    assert f"Quote against quote: {claim.conflicts.count()} pairs" in pairs

    chinese = part(page_of(client, **CHINESE), r'<section class="conflicts".*?</section>')
    assert "各方分歧" in chinese
    assert "4400万至4500万美元 （2 个信源） 对 约1亿美元 （2 个信源）" in text(chinese)


def test_a_rated_position_shows_its_latest_rating_and_nothing_about_changed_evidence(client, musk):
    claim, positions = musk
    rated = positions[1]
    services.position_rate(
        position=rated,
        verdict="mostly_false",
        statement="Elon Musk: I gave about $100M",
        statement_zh="马斯克：我捐了约1亿美元",
        rationale="The documents say less.",
    )
    rating = services.position_rate(
        position=rated,
        verdict="false",
        statement="Elon Musk: I gave about $100M",
        statement_zh="马斯克：我捐了约1亿美元",
        rationale="The documents put his share under $45M.",
    )
    line = position_line(page_of(client), rated.rank)
    assert '<span class="verdict verdict-false">Rated False</span>' in line
    assert "Mostly false" not in line
    assert "Elon Musk: I gave about $100M" in line
    assert "The documents put his share under $45M." in line
    line = position_line(page_of(client, **CHINESE), rated.rank)
    assert "评级：不实" in line and "马斯克：我捐了约1亿美元" in line

    # Evidence under the rating changes: the editor is told (rating.evidence_changed), the
    # readers are not.
    services.assertion_set_aside(
        assertion=Assertion.objects.get(pk=rated.assertion_ids[-1]),
        set_aside="other_measure",
        note="Counts pledges, not money given.",
    )
    rating.refresh_from_db()
    assert rating.evidence_changed and rating.position is not None
    page = page_of(client)
    line = position_line(page, rating.position.rank)
    assert "Rated False" in line
    assert "changed" not in text(page).lower()


def test_a_bridging_quote_is_striped_shown_once_and_named_under_both_positions(client, musk):
    claim, _positions = musk
    wide = claim.assertions.get(value_kind="range")
    services.assertion_update(assertion=wide, value=Interval(40 * M, 100 * M, "range", "USD"))
    positions = list(claim.positions.order_by("rank"))
    assert [p.bridging_ids for p in positions] == [[wide.pk], [wide.pk]]
    page = page_of(client)

    for position, other in (positions, positions[::-1]):
        assert f"Shares 1 quote with {escape(other.label)}: it fits both." in text(
            position_line(page, position.rank)
        )
    assert cards_in(page).count(wide.pk) == 1
    first, second = (quote_group(page, f"position-{p.rank}") for p in positions)
    assert wide.pk in cards_in(first) and wide.pk not in cards_in(second)
    card = part(first, rf'<article class="quote-card" id="assertion-{wide.pk}".*?</article>')
    assert f'href="#quotes-position-{positions[1].rank}"' in card and "Also fits:" in card
    assert f'href="#assertion-{wide.pk}"' in second and "Also in this position:" in second
    assert mark_classes(page)[wide.pk] == "mark position-0 position-1 bridging"
    assert 'fill="url(#value-axis-bridge-0-1)"' in page
    assert "striped: in more than one position" in page
    assert "也符合：" in page_of(client, **CHINESE)


def test_a_set_aside_quote_is_grey_in_no_position_and_explained(client, musk):
    claim, positions = musk
    outlier = Assertion.objects.get(pk=positions[1].assertion_ids[-1])
    services.assertion_set_aside(
        assertion=outlier, set_aside="outlier", note="Reported without a source."
    )
    assert all(outlier.pk not in p.assertion_ids for p in claim.positions.all())
    page = page_of(client)

    assert "1 quote set aside by reviewers (an outlier) is in no position." in text(
        part(page, r'<section class="positions".*?</section>')
    )
    other = quote_group(page, "other")
    card = part(
        other, rf'<article class="quote-card set-aside" id="assertion-{outlier.pk}".*?</article>'
    )
    assert "Set aside by reviewers: an outlier. Reported without a source." in text(card)
    assert mark_classes(page)[outlier.pk] == "mark set-aside"
    assert "grey: set aside by reviewers" in page
    chinese = page_of(client, **CHINESE)
    assert "已被审核人搁置：离群值。" in chinese and "不属于任何一方" in chinese


def test_the_stance_lists_name_each_cards_position(client, musk):
    _claim, positions = musk
    page = page_of(client, f"{URL}?stance=supports")
    cards = "".join(re.findall(r'<article class="quote-card.*?</article>', page, re.S))
    for position in positions:
        chip = f'href="{URL}#quotes-position-{position.rank}">{escape(position.label)}</a>'
        assert cards.count(chip) == len(position.assertion_ids)
    # The positions block links to the groups on the claim page.
    assert f'href="{URL}#quotes-position-0"' in position_line(page, 0)


def test_a_claim_without_positions_shows_no_sides(client, db):
    claim = publish(make_claim(slug="only-mentioned", statement_en="Only mentioned?"))
    source = make_source("马斯克说他给了OpenAI很多钱。")
    services.assertion_add(
        claim=claim, quote=make_quote(source, "给了OpenAI很多钱"), stance="mentions"
    )
    assert not Position.objects.filter(claim=claim).exists()
    page = page_of(client, f"/en/claims/{claim.slug}/")
    assert 'class="positions"' not in page and "Other quotes" not in page
    assert 'class="conflicts"' not in page
    assert len(cards_in(page)) == 1


def test_positions_and_ratings_cost_a_fixed_number_of_queries(client, musk):
    _claim, positions = musk
    with CaptureQueriesContext(connection) as unrated:
        page_of(client)
    for position in positions:
        services.position_rate(position=position, verdict="mixed", rationale="Both are reported.")
    with CaptureQueriesContext(connection) as rated:
        page = page_of(client)
    assert page.count("Rated Mixed") == len(positions)
    assert len(rated) == len(unrated) <= MAX_QUERIES


def test_position_colours_come_from_classes_the_stylesheet_defines(client, musk):
    """The pages' Content-Security-Policy allows no style attribute: colours are classes."""
    from django.contrib.staticfiles import finders

    from claims.web.svg import POSITION_COLOURS

    page = page_of(client)
    assert 'style="' not in page
    with open(finders.find("claims/web/site.css"), encoding="utf-8") as css:
        stylesheet = css.read()
    for index, colour in enumerate(POSITION_COLOURS):
        assert f".colour-{index} {{ --colour: {colour}; }}" in stylesheet
    assert 'class="position position-0 colour-0"' in page
