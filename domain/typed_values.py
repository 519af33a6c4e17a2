"""Reading a value as a reviewer types it: "$45M", "不到4500万", "2018-02", "about 100 million".

Plain Python, no Django. The words go to the extraction engine (domain.extraction.value_for)
in the claim's unit. A reviewer leaves out what the claim already says: a figure without a
currency is read in the claim's unit, and dates may be written the ISO way (`2018-02`,
`2018`) with English hedges (`by 2018-02`, `since 2018`), which are given to the engine in
the form it reads (`2018年2月之前`, `2018年以后`).
"""

import re
from datetime import date

from domain.extraction import DAY, value_for
from domain.intervals import DATE_UNIT, Interval

_ISO_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_ISO_MONTH = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})(?![\d-])")
_BARE_YEAR = re.compile(r"(?<![\d年月-])(\d{4})(?![\d年月日-])")
# Between two dates already in the engine's form: "2018年2月 – 2018年5月".
_DATE_RANGE = re.compile(r"(?<=[年月日])\s*(?:–|—|-|~|to|until)\s*(?=\d)", re.IGNORECASE)
_DATE_HEDGES = (
    (re.compile(r"^(?:by|until|before|no later than|up to)\s+", re.IGNORECASE), "之前"),
    (re.compile(r"^(?:from|since|after|no earlier than)\s+", re.IGNORECASE), "以后"),
    (re.compile(r"^(?:about|around|circa|c\.)\s*", re.IGNORECASE), "左右"),
)


def read_typed(
    text: str, *, unit: str, published_on: date | None = None, precision: str = DAY
) -> Interval | None:
    """The value the words give in this unit ("date" for dates), or None if they give none."""
    text = " ".join(text.split())
    if not text:
        return None
    if unit == DATE_UNIT:
        readings = (dates_as_the_engine_reads_them(text), text)
    elif _ISO_MONTH.search(text) or _ISO_DAY.search(text):
        readings = (text,)  # a date: "2018-02 USD" would read as 2 USD
    else:
        readings = (text, f"{text} {unit}")
    for reading in readings:
        found = value_for(reading, unit=unit, published_on=published_on, precision=precision)
        if found is not None:
            return found[0]
    return None


def dates_as_the_engine_reads_them(text: str) -> str:
    """ISO dates and English hedges rewritten the way the engine reads dates."""
    hedge = ""
    for pattern, suffix in _DATE_HEDGES:
        if pattern.match(text):
            text, hedge = pattern.sub("", text, count=1), suffix
            break
    text = _ISO_DAY.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    text = _ISO_MONTH.sub(lambda m: f"{m[1]}年{int(m[2])}月", text)
    text = _BARE_YEAR.sub(r"\1年", text)
    text = _DATE_RANGE.sub("至", text)
    return text + hedge
