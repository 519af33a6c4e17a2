"""The value axis: what each kind of value looks like, scales and ticks. No database."""

import re
from datetime import date
from decimal import Decimal

from claims.web.svg import (
    POSITION_COLOURS,
    SET_ASIDE_INK,
    Mark,
    Scale,
    choose_scale,
    date_ticks,
    number_ticks,
    value_axis,
)
from tests.constants import M


def mark(ids, low, high, kind, **fields):
    return Mark(
        assertion_ids=ids,
        low=low,
        high=high,
        kind=kind,
        value_label=fields.pop("value_label", f"{kind} value"),
        source_label=fields.pop("source_label", "Some outlet (A speaker)"),
        detail=fields.pop("detail", "detail"),
        **fields,
    )


SIX = [
    mark((1,), 44 * M, 44 * M, "exact", positions=(0,)),
    mark((2,), 100 * M, 100 * M, "approximate", positions=(1,)),
    mark((3,), None, 45 * M, "upper_bound", positions=(0,)),
    mark((4,), 50 * M, 100 * M, "range", positions=(1,)),
    mark((5,), 13000 * M, None, "lower_bound", set_aside=True),
    mark((6, 7), 45 * M, 45 * M, "exact", positions=(0, 1)),
]


def mark_ids(svg: str) -> list[str]:
    return re.findall(r'<g class="mark[^"]*" data-assertions="([^"]+)"', svg)


def group(svg: str, ids: str) -> str:
    return re.search(rf'<g class="mark[^"]*" data-assertions="{ids}".*?</g>', svg, re.S).group(0)


def test_every_mark_is_drawn_once_with_its_labels():
    svg = value_axis(SIX, title="Values for a claim", desc="six values")
    assert svg.count('<g class="mark') == 6
    assert sorted(mark_ids(svg)) == ["1", "2", "3", "4", "5", "6 7"]
    assert svg.count("Some outlet (A speaker)") == 6
    assert 'role="img"' in svg
    assert '<title id="value-axis-title">Values for a claim</title>' in svg
    assert '<desc id="value-axis-desc">six values</desc>' in svg


def test_each_kind_has_its_own_shape():
    svg = value_axis(SIX, title="t", desc="d")
    assert "<circle" in group(svg, "1") and "<rect" not in group(svg, "1")
    assert "hatch" in group(svg, "2")
    assert "marker-end" in group(svg, "3") and "marker-end" in group(svg, "5")
    assert "<rect" in group(svg, "4") and "hatch" not in group(svg, "4")


def test_marks_take_the_colour_of_their_position():
    svg = value_axis(SIX, title="t", desc="d")
    assert '<g class="mark position-0"' in group(svg, "1")
    assert '<g class="mark position-1"' in group(svg, "4")
    assert POSITION_COLOURS[0] in group(svg, "1") and POSITION_COLOURS[1] not in group(svg, "1")
    assert POSITION_COLOURS[1] in group(svg, "4") and POSITION_COLOURS[0] not in group(svg, "4")
    assert 'marker-end="url(#value-axis-arrow-p0)"' in group(svg, "3")
    assert "in conflict" not in svg and "#b91c1c" not in svg


def test_bridging_marks_are_striped_in_each_positions_colour():
    svg = value_axis(SIX, title="t", desc="d")
    assert '<g class="mark position-0 position-1 bridging"' in group(svg, "6 7")
    assert 'fill="url(#value-axis-bridge-0-1)"' in group(svg, "6 7")
    pattern = re.search(r'<pattern id="value-axis-bridge-0-1".*?</pattern>', svg).group(0)
    assert POSITION_COLOURS[0] in pattern and POSITION_COLOURS[1] in pattern


def test_set_aside_marks_are_grey():
    svg = value_axis(SIX, title="t", desc="d")
    assert '<g class="mark set-aside"' in group(svg, "5")
    assert SET_ASIDE_INK in group(svg, "5")
    assert not any(colour in group(svg, "5") for colour in POSITION_COLOURS)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_position_colours_stand_out_from_the_background():
    # WCAG 2.1, 1.4.11: graphical objects at 3:1 or more against white and the page's tint.
    for colour in POSITION_COLOURS:
        for background in ("#ffffff", "#f8fafc"):
            lighter, darker = sorted((_luminance(colour), _luminance(background)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 3, colour
    assert len(set(POSITION_COLOURS)) == len(POSITION_COLOURS)


def test_text_is_escaped():
    svg = value_axis(
        [mark((1,), M, M, "exact", source_label="<script>x</script>")], title="<t>", desc="&"
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;t&gt;" in svg


def test_values_spanning_orders_of_magnitude_use_a_log_scale():
    assert choose_scale(SIX).log
    assert not choose_scale(SIX[:4]).log
    assert 'data-scale="log"' in value_axis(SIX, title="t", desc="d")


def test_positions_follow_the_values():
    svg = value_axis(SIX[:4], title="t", desc="d")
    x44 = float(re.search(r'cx="([\d.]+)%"', group(svg, "1")).group(1))
    bar = re.search(r'<rect x="([\d.]+)%"[^>]*width="([\d.]+)%"', group(svg, "4"))
    left, right = float(bar.group(1)), float(bar.group(1)) + float(bar.group(2))
    assert x44 < left < right


def test_number_ticks_are_round_and_inside_the_scale():
    ticks = number_ticks(Scale(38e6, 112e6))
    assert ticks == [40e6, 60e6, 80e6, 100e6]
    assert number_ticks(Scale(2e6, 3e10, log=True)) == [1e7, 1e8, 1e9, 1e10]


def test_date_ticks_are_years_or_months():
    years = date_ticks(Scale(date(2015, 11, 3).toordinal(), date(2024, 3, 1).toordinal()))
    assert [label for _, label in years] == ["2016", "2018", "2020", "2022", "2024"]
    months = date_ticks(Scale(date(2018, 1, 10).toordinal(), date(2018, 9, 1).toordinal()))
    assert [label for _, label in months] == ["2018-03", "2018-05", "2018-07", "2018-09"]


def test_no_values_no_picture():
    assert value_axis([], title="t", desc="d") == ""


def test_a_percent_axis_stays_within_0_and_100():
    shares = [
        mark((1,), Decimal(97), None, "lower_bound"),
        mark((2,), Decimal(90), Decimal(90), "approximate"),
        mark((3,), Decimal(0), Decimal(0), "exact"),
    ]
    scale = choose_scale(shares, percent=True)
    assert scale.low == 0 and scale.high == 100 and not scale.log
    high_only = choose_scale([mark((1,), Decimal(97), Decimal(97), "approximate")], percent=True)
    assert 0 <= high_only.low < high_only.high <= 100


def test_an_axis_of_amounts_that_starts_above_zero_says_so():
    def note(first):
        return f"The axis starts at {first}, not at zero."

    picture = value_axis(SIX, title="t", desc="d", axis_start=note)
    assert 'class="axis-start"' in picture and "not at zero" in picture
    from_zero = [mark((1,), Decimal(0), Decimal(0), "exact"), mark((2,), 5 * M, 5 * M, "exact")]
    assert 'class="axis-start"' not in value_axis(from_zero, title="t", desc="d", axis_start=note)


def test_an_open_bound_ends_in_an_arrow_short_of_the_plot_edge():
    bounds = [
        mark((1,), None, 45 * M, "upper_bound"),
        mark((2,), 50 * M, None, "lower_bound"),
        mark((3,), 44 * M, 44 * M, "exact"),
    ]
    picture = value_axis(bounds, title="t", desc="d")
    lines = re.findall(
        r'<line class="open-bound" data-open="(\w+)" x1="[\d.]+%" x2="([\d.]+)%"', picture
    )
    assert {side for side, _ in lines} == {"low", "high"}
    for side, end in lines:
        assert (float(end) > 4.0) if side == "low" else (float(end) < 96.0)
    assert picture.count("marker-end=") == 2
