"""The picture of a claim's values: every asserted value on one axis, as server-rendered SVG.

Plain Python, no Django. One row per distinct value: a dot for an exact value, a hatched
band for an approximate one (as wide as the tolerance it admits), a bar for a range, an
arrow for an upper or lower bound. Horizontal positions are percentages of the picture's
width, so it stretches to any screen while its text keeps a readable size.

Each mark takes the colour of the position (side of the dispute) it belongs to: striped in
the colours of each when it belongs to several (bridging), grey when a reviewer set it aside.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from domain.intervals import APPROXIMATE, APPROXIMATE_TOLERANCE, LOWER_BOUND, RANGE, UPPER_BOUND

# Values spanning this factor or more are drawn on a logarithmic scale.
LOG_SCALE_RATIO = 100
PLOT_LEFT, PLOT_RIGHT = 4.0, 96.0  # percent of the width
OPEN_END_GAP = 2.5  # percent of the width left between an open bound's arrow and the edge
# The days a date axis can show: those of date.fromordinal(), years 1 to 9999.
FIRST_DAY, LAST_DAY = date.min.toordinal(), date.max.toordinal()
MAX_TICKS = 8
ROW_HEIGHT, TOP, AXIS_HEIGHT = 60, 4, 34
MUTED_INK, GRID = "#6b7280", "#e5e7eb"
TEXT, MUTED = "#1f2937", "#4b5563"
# One colour per position, by rank: Okabe and Ito's colour-blind-safe set, the purple and
# the yellow darkened, so that each stands at 3:1 or more against the white picture.
POSITION_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#B8508C", "#8A6D00", "#000000")
SET_ASIDE_INK = MUTED_INK


def position_colour(rank: int) -> str:
    """The colour of the position of this rank (the palette repeats past its end)."""
    return POSITION_COLOURS[rank % len(POSITION_COLOURS)]


@dataclass(frozen=True)
class Mark:
    """One drawn value: the assertions that assert it, and how it is labelled."""

    assertion_ids: tuple[int, ...]
    low: Decimal | None
    high: Decimal | None
    kind: str
    value_label: str
    source_label: str
    detail: str
    # The ranks of the positions its assertions belong to; several when it bridges them.
    positions: tuple[int, ...] = ()
    set_aside: bool = False
    # A value the quote denies or only mentions: drawn hollow and dashed, not as an answer.
    muted: bool = False
    href: str = ""

    @property
    def bridging(self) -> bool:
        return len(self.positions) > 1

    def css_class(self) -> str:
        if self.set_aside:
            return "mark set-aside"
        ranks = " ".join(f"position-{rank}" for rank in self.positions)
        return f"mark {ranks}{' bridging' if self.bridging else ''}".rstrip()

    def ink(self) -> tuple[str, str]:
        """(name, colour) of its outline: its first position's, else grey."""
        if self.set_aside or not self.positions:
            return ("grey", SET_ASIDE_INK)
        return (f"p{self.positions[0]}", position_colour(self.positions[0]))

    def paint(self, prefix: str) -> str:
        """What fills it: stripes of each of its positions' colours when it bridges them."""
        if self.bridging and not self.set_aside:
            return f"url(#{_bridge_id(prefix, self.positions)})"
        return self.ink()[1]

    def extent(self) -> list[float]:
        """The values this mark covers, an approximate value's tolerance included."""
        bounds = [float(v) for v in (self.low, self.high) if v is not None]
        if self.kind == APPROXIMATE:
            spread = abs(bounds[0]) * float(APPROXIMATE_TOLERANCE)
            bounds = [bounds[0] - spread, bounds[0] + spread]
        return bounds


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    log: bool = False

    def fraction(self, value: float) -> float:
        if self.log:
            low, high, value = math.log10(self.low), math.log10(self.high), math.log10(value)
        else:
            low, high = self.low, self.high
        return min(1.0, max(0.0, (value - low) / (high - low)))

    def x(self, value: float) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * self.fraction(value)


def choose_scale(marks: Sequence[Mark], dates: bool = False, percent: bool = False) -> Scale:
    values = [v for mark in marks for v in mark.extent()]
    if percent:
        # A share is 0–100%: an approximate 97% reaches no further than 100.
        values = [min(max(v, 0.0), 100.0) for v in values]
        low, high = min(values), max(values)
        span = high - low or 10
        return Scale(max(low - span * 0.12, 0.0), min(high + span * 0.12, 100.0))
    if dates:
        # An approximate day's tolerance, or a number on a date claim, may reach past the
        # calendar: it is drawn at the calendar's end.
        values = [min(max(v, FIRST_DAY), LAST_DAY) for v in values]
    low, high = min(values), max(values)
    if not dates and low > 0 and high / low >= LOG_SCALE_RATIO:
        return Scale(low / 1.5, high * 1.5, log=True)
    span = high - low or (30 if dates else abs(high) * 0.2 or 1)
    if dates:
        return Scale(max(low - span * 0.12, FIRST_DAY), min(high + span * 0.12, LAST_DAY))
    return Scale(low - span * 0.12, high + span * 0.12)


def _nice_step(span: float, count: int = 5) -> float:
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def number_ticks(scale: Scale) -> list[float]:
    if scale.log:
        powers = range(math.floor(math.log10(scale.low)), math.ceil(math.log10(scale.high)) + 1)
        ones = [10.0**p for p in powers if scale.low <= 10.0**p <= scale.high]
        if len(ones) >= 3:
            return ones[:: math.ceil(len(ones) / MAX_TICKS)]
        return [
            m * 10.0**p for p in powers for m in (1, 2, 5) if scale.low <= m * 10.0**p <= scale.high
        ]
    step = _nice_step(scale.high - scale.low)
    first = math.ceil(scale.low / step) * step
    return [first + i * step for i in range(int((scale.high - first) // step) + 1)]


def date_ticks(scale: Scale) -> list[tuple[float, str]]:
    """Ticks on the first day of years, of months or on days, whichever gives a few."""
    first, last = date.fromordinal(math.ceil(scale.low)), date.fromordinal(int(scale.high))
    months = (last.year - first.year) * 12 + last.month - first.month
    if months >= 36:
        years_shown = last.year - first.year
        step = next(
            s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if years_shown / s <= 6
        )
        years = range(first.year + (first.month > 1 or first.day > 1), last.year + 1)
        return [(date(y, 1, 1).toordinal(), str(y)) for y in years if y % step == 0]
    if months >= 2:
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 6)
        first_month = first.year * 12 + first.month - 1 + (first.day > 1)
        ticks = []
        for index in range(first_month, last.year * 12 + last.month):
            year, month = divmod(index, 12)
            if month % step == 0:
                ticks.append((date(year, month + 1, 1).toordinal(), f"{year}-{month + 1:02d}"))
        return ticks
    step = max(1, math.ceil((last - first).days / 6))
    days = range(first.toordinal(), last.toordinal() + 1, step)
    return [(d, date.fromordinal(d).isoformat()) for d in days]


def _ticks(scale: Scale, dates: bool, tick_label: Callable[[float], str]):
    if dates:
        return date_ticks(scale)
    return [(value, tick_label(value)) for value in number_ticks(scale)]


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def _bridge_id(prefix: str, ranks: Sequence[int]) -> str:
    return f"{prefix}-bridge-{'-'.join(map(str, ranks))}"


def _shape(mark: Mark, scale: Scale, y: int, prefix: str) -> str:
    ink_name, colour = mark.ink()
    paint = mark.paint(prefix)
    dash = ' stroke-dasharray="4 3"' if mark.muted else ""
    arrow = f"url(#{prefix}-arrow-{ink_name})"
    if mark.kind == APPROXIMATE:
        low, high = mark.extent()
        value = float(mark.low)
        band = paint if mark.bridging else f"url(#{prefix}-hatch-{ink_name})"
        return (
            f'<rect x="{_pct(scale.x(low))}" y="{y - 8}" height="16" '
            f'width="{_pct(scale.x(high) - scale.x(low))}" rx="3" '
            f'fill="{band}" stroke="{colour}"{dash}/>'
            f'<circle cx="{_pct(scale.x(value))}" cy="{y}" r="5" fill="#fff" '
            f'stroke="{colour}" stroke-width="2.5"/>'
        )
    if mark.kind == RANGE:
        left, right = scale.x(float(mark.low)), scale.x(float(mark.high))
        return (
            f'<rect x="{_pct(left)}" y="{y - 5}" width="{_pct(max(right - left, 0.4))}" '
            f'height="10" rx="2" fill="{paint}" fill-opacity="0.85"/>'
            f'<line x1="{_pct(left)}" x2="{_pct(left)}" y1="{y - 9}" y2="{y + 9}" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{_pct(right)}" x2="{_pct(right)}" y1="{y - 9}" y2="{y + 9}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    if mark.kind in (UPPER_BOUND, LOWER_BOUND):
        bound = scale.x(float(mark.high if mark.kind == UPPER_BOUND else mark.low))
        # The open side ends in an arrow short of the plot's edge, so that it never reads as
        # a value at the axis's end (a floor or a ceiling).
        toward = -1 if mark.kind == UPPER_BOUND else 1
        edge = PLOT_LEFT if mark.kind == UPPER_BOUND else PLOT_RIGHT
        end = edge - toward * OPEN_END_GAP
        if (end - bound) * toward < OPEN_END_GAP:
            end = bound + toward * OPEN_END_GAP
        return (
            f'<line class="open-bound" data-open="{"low" if toward < 0 else "high"}" '
            f'x1="{_pct(bound)}" x2="{_pct(end)}" y1="{y}" y2="{y}" stroke="{paint}" '
            f'stroke-width="3"{dash} marker-end="{arrow}"/>'
            f'<line x1="{_pct(bound)}" x2="{_pct(bound)}" y1="{y - 9}" y2="{y + 9}" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    fill = "#fff" if mark.muted else paint
    return (
        f'<circle cx="{_pct(scale.x(float(mark.low)))}" cy="{y}" r="6.5" fill="{fill}" '
        f'stroke="{colour}" stroke-width="2"{dash}/>'
    )


def _defs(marks: Sequence[Mark], prefix: str) -> str:
    """The arrowheads and hatches in each colour the marks use, and a striped pattern for
    each set of positions a mark bridges."""
    parts = []
    for name, colour in dict(mark.ink() for mark in marks).items():
        parts.append(
            f'<marker id="{prefix}-arrow-{name}" viewBox="0 0 10 10" refX="8" refY="5" '
            f'markerWidth="4" markerHeight="4" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            f'<pattern id="{prefix}-hatch-{name}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="{colour}" fill-opacity="0.12"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="2.5" '
            f'stroke-opacity="0.55"/></pattern>'
        )
    bridged = dict.fromkeys(m.positions for m in marks if m.bridging and not m.set_aside)
    for ranks in bridged:
        width = 4 * len(ranks)
        stripes = "".join(
            f'<rect x="{4 * i}" width="4" height="{width}" fill="{position_colour(rank)}"/>'
            for i, rank in enumerate(ranks)
        )
        parts.append(
            f'<pattern id="{_bridge_id(prefix, ranks)}" class="bridging-hatch" width="{width}" '
            f'height="{width}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f"{stripes}</pattern>"
        )
    return f"<defs>{''.join(parts)}</defs>"


def value_axis(
    marks: Sequence[Mark],
    *,
    title: str,
    desc: str,
    tick_label: Callable[[float], str] = str,
    dates: bool = False,
    percent: bool = False,
    axis_start: Callable[[str], str] | None = None,
    prefix: str = "value-axis",
) -> str:
    """The SVG markup of the axis, or "" when there is no value to draw.

    `axis_start` words a note for an axis of amounts that starts above zero, given the
    first tick's label ("The axis starts at 40M, not at zero").
    """
    if not marks:
        return ""
    scale = choose_scale(marks, dates, percent)
    axis_y = TOP + ROW_HEIGHT * len(marks) + 4
    starts_above_zero = not dates and scale.low > 0 and axis_start is not None
    height = axis_y + AXIS_HEIGHT + (18 if starts_above_zero else 0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="value-axis" role="img" width="100%" '
        f'height="{height}" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'data-scale="{"log" if scale.log else "linear"}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
        _defs(marks, prefix),
    ]
    ticks = _ticks(scale, dates, tick_label)
    for value, label in ticks:
        x = _pct(scale.x(value))
        out.append(
            f'<line class="grid" x1="{x}" x2="{x}" y1="{TOP}" y2="{axis_y}" stroke="{GRID}"/>'
            f'<text class="tick" x="{x}" y="{axis_y + 20}" text-anchor="middle" '
            f'font-size="12" fill="{MUTED}">{escape(label)}</text>'
        )
    out.append(
        f'<line class="axis" x1="{_pct(PLOT_LEFT)}" x2="{_pct(PLOT_RIGHT)}" y1="{axis_y}" '
        f'y2="{axis_y}" stroke="#9ca3af"/>'
    )
    if starts_above_zero and ticks:
        out.append(
            f'<text class="axis-start" x="{_pct(PLOT_LEFT)}" y="{axis_y + 38}" font-size="12" '
            f'fill="{MUTED}">{escape(axis_start(ticks[0][1]))}</text>'
        )
    for row, mark in enumerate(marks):
        top = TOP + ROW_HEIGHT * row
        group = (
            f'<g class="{mark.css_class()}" '
            f'data-assertions="{" ".join(map(str, mark.assertion_ids))}" '
            f'data-kind="{mark.kind}" data-low="{"" if mark.low is None else mark.low}" '
            f'data-high="{"" if mark.high is None else mark.high}">'
            f"<title>{escape(mark.detail)}</title>"
            f'<text class="label" x="{_pct(PLOT_LEFT)}" y="{top + 14}" font-size="14" '
            f'font-weight="600" fill="{TEXT}">{escape(mark.value_label)}</text>'
            f'<text class="source-label" x="{_pct(PLOT_LEFT)}" y="{top + 31}" font-size="12" '
            f'fill="{MUTED}">{escape(mark.source_label)}</text>'
            f"{_shape(mark, scale, top + 46, prefix)}</g>"
        )
        out.append(group)
    out.append("</svg>")
    return "".join(out)
