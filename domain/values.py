"""How values read to a person: compact amounts in English or Chinese, dates at their precision.

Plain Python, no Django: the language is passed in ("en" or "zh").
"""

import calendar
from datetime import date
from decimal import Decimal

from domain.intervals import APPROXIMATE, DATE_UNIT, EXACT, LOWER_BOUND, RANGE, UPPER_BOUND

_EN_STEPS = [(Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M")]
_ZH_STEPS = [(Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")]
# Units shown as a symbol before the number in English and a word after it in Chinese.
PERCENT_UNITS = {"%", "percent"}
_CURRENCIES = {"USD": ("$", "美元"), "CNY": ("¥", "元"), "EUR": ("€", "欧元")}


def _trimmed(value: Decimal, grouped: bool) -> str:
    shown = f"{value:,.2f}" if grouped else f"{value:.2f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def compact_number(value: Decimal, language: str) -> str:
    """44000000 → "44M" in English, "4400万" in Chinese; small numbers as they are."""
    value = Decimal(value)
    steps = _ZH_STEPS if language == "zh" else _EN_STEPS
    if language != "zh" and abs(value) >= 10_000:
        steps = [*steps, (Decimal(1000), "K")]
    grouped = language != "zh"
    for size, suffix in steps:
        if abs(value) >= size:
            return f"{_trimmed(value / size, grouped)}{suffix}"
    return _trimmed(value, grouped)


def show_amount(value: Decimal, unit: str, language: str) -> str:
    number = compact_number(value, language)
    if unit in PERCENT_UNITS:
        return f"{number}%"
    if unit in _CURRENCIES:
        symbol, word = _CURRENCIES[unit]
        return f"{number}{word}" if language == "zh" else f"{symbol}{number}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def show_day(day_number: Decimal, bound: str = "") -> str:
    """A day; as a lower or upper bound, a year or month it starts or ends is shown as such."""
    day = date.fromordinal(int(day_number))
    if bound == "low" and day.day == 1:
        return str(day.year) if day.month == 1 else day.strftime("%Y-%m")
    if bound == "high" and day.day == calendar.monthrange(day.year, day.month)[1]:
        return str(day.year) if day.month == 12 else day.strftime("%Y-%m")
    return day.isoformat()


def show_days(low: Decimal, high: Decimal) -> str | None:
    """A span of days that is exactly one month or one year, shown at that precision."""
    first, last = date.fromordinal(int(low)), date.fromordinal(int(high))
    month_end = calendar.monthrange(last.year, last.month)[1]
    if (first.year, first.month, first.day) == (last.year, last.month, 1) and last.day == month_end:
        return first.strftime("%Y-%m")
    if first.year == last.year and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    return None


def describe(low, high, kind: str, unit: str, language: str) -> str:
    """A value as a reader sees it: "$44M", "≈ 1亿美元", "≤ $45M", "$50M – $100M"."""

    def show(value, bound=""):
        return show_day(value, bound) if unit == DATE_UNIT else show_amount(value, unit, language)

    if kind == EXACT:
        return show(low)
    if kind == APPROXIMATE:
        return f"≈ {show(low)}"
    if kind == UPPER_BOUND:
        return f"≤ {show(high, 'high')}"
    if kind == LOWER_BOUND:
        return f"≥ {show(low, 'low')}"
    if kind == RANGE:
        if unit == DATE_UNIT:
            whole = show_days(low, high)
            if whole:
                return whole
        return f"{show(low, 'low')} – {show(high, 'high')}"
    return ""


def unit_name(unit: str, language: str) -> str:
    """The unit as a caption names it: "USD", "美元"; nothing for dates."""
    if unit == DATE_UNIT:
        return ""
    if language == "zh" and unit in _CURRENCIES:
        return _CURRENCIES[unit][1]
    if unit in PERCENT_UNITS:
        return "百分比" if language == "zh" else "percent"
    return unit


def full_amount(value: Decimal, unit: str) -> str:
    """An amount with every digit: 45000000 → "45,000,000 USD"."""
    value = Decimal(value)
    number = f"{value:,f}" if value != value.to_integral_value() else f"{int(value):,}"
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return f"{number} {unit}" if unit else number


def written(low, high, kind: str, unit: str, *, compact: bool = False) -> str:
    """A value in words, as a reviewer reads and types it (domain.typed_values reads them back):
    "at most 45,000,000 USD" (compact: "at most $45M"), "2018-02", "from 2018-02-20"."""
    dates = unit == DATE_UNIT

    def show(value, bound=""):
        if dates:
            return show_day(value, bound)
        return show_amount(value, unit, "en") if compact else full_amount(value, unit)

    if kind == EXACT:
        return show(low)
    if kind == APPROXIMATE:
        return f"about {show(low)}"
    if kind == UPPER_BOUND:
        return f"{'by' if dates else 'at most'} {show(high, 'high')}"
    if kind == LOWER_BOUND:
        return f"{'from' if dates else 'at least'} {show(low, 'low')}"
    if kind == RANGE:
        if dates:
            return show_days(low, high) or f"{show(low, 'low')} – {show(high, 'high')}"
        if compact:
            return f"{show(low)} – {show(high)}"
        # The unit once, after the second figure: "50,000,000 – 100,000,000 USD".
        return f"{full_amount(low, '')} – {full_amount(high, unit)}"
    return ""
