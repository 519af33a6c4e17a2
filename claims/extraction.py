"""Reading values out of quote text (placeholder until the extraction engine lands)."""

from datetime import date

from claims.intervals import Interval


def value_for(
    text: str, *, unit: str, published_on: date | None = None, precision: str = "day"
) -> tuple[Interval, str] | None:
    return None
