"""Reading money, counts, percentages and dates out of zh-Hans, zh-Hant and English text.

Plain Python, no Django. Every value comes back as an Interval (claims.intervals) with its
span in the original text. How the words are read:

- Numbers: Arabic (`3,800`, `17.5`, `6.3k`) or Chinese (`一千万`, `十亿`, read with cn2an),
  times 十/百/千/万/亿 or thousand/million/billion (`$1B`, `$45M`); spaces may sit between
  number, magnitude and unit (`5000 万 美元`). Traditional text is read through OpenCC t2s,
  which keeps offsets because it maps these texts character for character.
- Vague numbers are honest ranges: 数/几 + magnitude is 2–9 of it (`数十亿` = 20亿–90亿);
  `190多万` is 190万–200万, `一亿多` is 1亿–2亿.
- Hedges: 约/大约/约合/左右, about, around give an approximate value; 近/将近/接近,
  nearly, almost give the range from the value less APPROXIMATE_TOLERANCE up to it;
  超过/至少/逾/以上, over, more than, at least give a lower bound; 不到/不足/以下, under,
  less than, up to give an upper bound. A range `A至B` (`5000 万至 1 亿`, `10 到 20 万`)
  lends B's magnitude to a bare A when that keeps A <= B.
- Article 002 of the seeds is word-spun; its substitutions are read as what they replace:
  好意思元/好意思金 = 美元/美金, 客岁 = 去年, 本年 = 今年, 特出 = 超出, 东谈主 = 人.
- Counts need a counted noun (`770名员工`, `10万个英伟达H100`, `3140亿参数`); a bare
  万/亿 figure later in the same sentence takes the unit of the value before it
  (`1亿美元,而到2017年则是每年数十亿`). `九成` is 90% (approximate: a rounding to tenths).
- Dates are day numbers (date.toordinal()); a year or month is the range of its days.
  Relative dates (`去年11月`, `今年4月`, `上个月`, `十年前`) and dates without a year
  (`6月10日`, `21日`) resolve against the publication date, known to its precision: a value
  that depends on an unknown part of it widens to every day it could be. A date without a
  year is taken to be in the publication's year unless that puts it after publication.
  `3年之后` and `次月` count from the last date earlier in the same sentence, and are
  not read without one. 年底 is November–December, 年初 January–February, 月底 the 21st
  on; 之后/以来/起 make a lower bound, 之前/以前 an upper bound, 前后 widens by one unit.
"""

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from claims.intervals import (
    APPROXIMATE,
    APPROXIMATE_TOLERANCE,
    DATE_UNIT,
    EXACT,
    LOWER_BOUND,
    RANGE,
    UPPER_BOUND,
    Interval,
)
from sources.text import to_simplified

MONEY, COUNT, PERCENT, DATE = "money", "count", "percent", "date"
YEAR, MONTH, DAY = "year", "month", "day"
_PRECISIONS = (YEAR, MONTH, DAY)


@dataclass(frozen=True)
class Extracted:
    start: int
    end: int
    text: str
    quantity: str
    interval: Interval
    precision: str = ""


def extract(
    text: str, *, published_on: date | None = None, precision: str = DAY
) -> list[Extracted]:
    """Every money amount, count, percentage and date in the text, in reading order."""
    reading = reading_form(text)
    sentences = sentence_spans(reading)
    sentence_starts = [start for start, _ in sentences]
    published = _published_days(published_on, precision)
    found = _dates(reading, sentence_starts, published) + _amounts(reading, sentence_starts)
    kept: list[Extracted] = []
    for start, end, quantity, interval, value_precision in sorted(
        found, key=lambda f: (f[0], f[0] - f[1])
    ):
        if kept and start < kept[-1].end:
            continue
        kept.append(Extracted(start, end, text[start:end], quantity, interval, value_precision))
    return kept


def value_for(
    text: str, *, unit: str, published_on: date | None = None, precision: str = DAY
) -> tuple[Interval, str] | None:
    """The first value in the text in this unit ("date" for dates), with its words.

    The interval carries `unit` as the caller spells it ("percent" for "%", "usd" for "USD"),
    so it compares with the claim's other values.
    """
    for found in extract(text, published_on=published_on, precision=precision):
        if same_unit(found.interval.unit, unit):
            return replace(found.interval, unit=unit), found.text
    return None


_UNIT_SPELLINGS = {"percent": "%", "per cent": "%", "pct": "%", "rmb": "cny", "gpu": "gpus"}


def same_unit(a: str, b: str) -> bool:
    """Whether two unit names mean the same unit ("%" and "percent", "USD" and "usd")."""
    return _unit_key(a) == _unit_key(b)


def _unit_key(unit: str) -> str:
    unit = unit.strip().casefold()
    return _UNIT_SPELLINGS.get(unit, unit)


# The text as it is read: simplified script, half-width, offsets unchanged.

_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def reading_form(text: str) -> str:
    """Simplified and half-width, with one character for each character of `text`."""
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        simplified = "".join(_one_for_one(char) for char in text)
    return simplified.translate(_HALF_WIDTH)


@lru_cache(maxsize=4096)
def _one_for_one(char: str) -> str:
    converted = to_simplified(char)
    return converted if len(converted) == 1 else char


_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\"']*|\n+|\.[”’\")]*(?=\s)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at 。！？!? and line ends, whitespace trimmed."""
    spans, start = [], 0
    for end_mark in _SENTENCE_END.finditer(text):
        spans.append((start, end_mark.end()))
        start = end_mark.end()
    spans.append((start, len(text)))
    trimmed = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def _sentence_of(sentence_starts: list[int], offset: int) -> int:
    return bisect_right(sentence_starts, offset)


# Numbers

_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUMERAL = _CN_DIGIT + "十百千万亿"
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_EN_MAGNITUDE = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}

_NUMBER = re.compile(
    rf"""
    (?P<vague>[数几])(?P<vague_magnitude>[十百千]?[万亿]?)
  | (?P<arabic>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
  | (?P<chinese>[{_CN_NUMERAL}]*[{_CN_DIGIT}十][{_CN_NUMERAL}]*)
    """,
    re.X,
)
_AFTER_NUMBER = re.compile(
    r"""
    (?P<more_before>\s*[多余])?
    (?:\s*(?P<magnitude>[十百千万亿]+))?
    (?P<more_after>[多余])?
    (?:\s*(?P<en_word>thousand|million|billion|trillion)(?![a-z])
      |(?P<en_letter>mn|bn|tn|[kmb])(?![a-z]))?
    """,
    re.X | re.I,
)
# Beyond any figure in the news, and beyond what Assertion.low/high can store.
_TOO_LARGE = Decimal(10) ** 19
# A number glued to letters is part of a name (GPT-4, H100, Grok-1), not a value.
_NOT_A_VALUE_BEFORE = re.compile(r"(?:[A-Za-z\d.]|[A-Za-z]-|第)$")


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    low: Decimal
    high: Decimal
    scale: Decimal  # the magnitude written with it (万, 亿, million …), else 1
    lone_one: bool  # a bare 一 or 两: "a", "the two" more often than a count

    @property
    def scaled(self) -> bool:
        return self.scale != 1


def _number_at(reading: str, match: re.Match) -> _Number | None:
    if match["vague"]:
        if not match["vague_magnitude"]:
            return None
        scale = _product(match["vague_magnitude"])
        return _Number(match.start(), match.end(), 2 * scale, 9 * scale, scale, False)
    if match["arabic"]:
        value = Decimal(match["arabic"].replace(",", ""))
        figures, magnitude = match["arabic"], ""
    else:
        core = match["chinese"].rstrip("万亿")
        magnitude = match["chinese"][len(core) :] if core else ""
        value = _chinese_number(core or match["chinese"])
        if value is None:
            return None
        figures = str(value)
    after = _AFTER_NUMBER.match(reading, match.end())
    english = (after["en_word"] or after["en_letter"] or "").lower()
    scale = _product(magnitude + (after["magnitude"] or "")) * _EN_MAGNITUDE.get(english, 1)
    if value * scale >= _TOO_LARGE:
        return None
    low = high = value
    if after["more_before"]:
        high = value + _step(figures)
    elif after["more_after"]:
        high = value + 1
    return _Number(
        match.start(),
        after.end(),
        _whole(low * scale),
        _whole(high * scale),
        scale,
        match["chinese"] in ("一", "两"),
    )


def _product(magnitudes: str) -> Decimal:
    scale = Decimal(1)
    for char in magnitudes:
        scale *= _MAGNITUDE[char]
    return scale


def _step(figures: str) -> Decimal:
    """The place value `多` adds to: 190多 is 190–200, 700多 is 700–800, 1.5多 is 1.5–1.6."""
    whole, _, fraction = figures.replace(",", "").partition(".")
    if fraction:
        return Decimal(10) ** -len(fraction)
    return Decimal(10) ** (len(whole) - len(whole.rstrip("0")))


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@lru_cache(maxsize=1024)
def _chinese_number(numeral: str) -> Decimal | None:
    # Two digits side by side (两三, 八九) are a rough range, not a number; cn2an would read 23.
    if re.search(r"[一二两三四五六七八九]{2}", numeral):
        return None
    import cn2an

    try:
        return Decimal(int(cn2an.cn2an(numeral.replace("两", "二"), "strict")))
    except (ValueError, KeyError, TypeError):
        return None


# Units

_CURRENCY_AFTER = [
    (r"好意思元|好意思金|美元|美金|us\s*dollars?|dollars?|usd(?![a-z])", "USD"),
    (r"人民币|rmb(?![a-z])|cny(?![a-z])|yuan(?![a-z])|元(?!素|年|旦|宵|首)|块钱", "CNY"),
    (r"港元|港币|hk\$", "HKD"),
    (r"欧元|euros?(?![a-z])", "EUR"),
    (r"英镑", "GBP"),
    (r"日元|yen(?![a-z])", "JPY"),
]
_CURRENCY_BEFORE = [
    (r"us\$|\$|usd\s?", "USD"),
    (r"rmb\s?|cny\s?|¥|人民币", "CNY"),
    (r"€", "EUR"),
    (r"£", "GBP"),
]
_COUNTED = [
    (
        r"(?:[个张块颗枚]\s*)?(?:(?:英伟达|nvidia)\s*)?"
        r"(?:(?:h100|a100|h800|h20|b200)(?:\s*(?:显卡|gpus?))?|显卡|gpus?)|张\s*卡|graphics cards",
        "GPUs",
    ),
    (r"(?:个\s*)?参数|parameters", "parameters"),
    (
        r"(?:[个名位]\s*)?(?:月活跃用户|活跃用户|月活|订阅用户|用户)|(?:monthly active )?users",
        "users",
    ),
    (r"(?:[个名]\s*)?(?:孩子|子女)|children", "children"),
    (r"(?:[家个]\s*)?(?:公司|企业)|companies|firms", "companies"),
    (
        r"(?:[名位个]\s*)?(?:员工|雇员|职员|研究人员|研究员|工程师|成员|名字|东谈主)"
        r"|人(?!工|民|类|气|性|格|心|们|物|生|口|才)|名|位(?!数)"
        r"|employees|staff|people|workers|researchers|engineers|members",
        "people",
    ),
    (r"页|pages", "pages"),
    (r"字(?!节|母|样)|characters", "characters"),
    (r"颗?星|stars", "stars"),
]


_TENTHS = r"成(?!为|功|立|长|本|果|交|绩|熟|就|不变|年|人)"
_PERCENT = r"%|percent(?![a-z])|per cent(?![a-z])"
# One pattern, tried in this order: currencies, percent, 成 (tenths), counted nouns.
_UNIT_KINDS = (
    [(MONEY, unit, pattern) for pattern, unit in _CURRENCY_AFTER]
    + [(PERCENT, "%", _PERCENT), (PERCENT, "成", _TENTHS)]
    + [(COUNT, unit, pattern) for pattern, unit in _COUNTED]
)
_UNIT_RE = re.compile(
    r"\s*(?:" + "|".join(f"(?P<u{i}>{p})" for i, (_, _, p) in enumerate(_UNIT_KINDS)) + ")",
    re.I,
)
_CURRENCY_BEFORE_RE = re.compile(
    "(?:" + "|".join(f"(?P<{unit}>{pattern})" for pattern, unit in _CURRENCY_BEFORE) + r")\s*$",
    re.I,
)


def _unit_at(reading: str, position: int, number: _Number) -> tuple[str, str, int] | None:
    """(quantity, unit, end) of the unit word right after a number."""
    found = _UNIT_RE.match(reading, position)
    if found is None:
        return None
    quantity, unit, _ = _UNIT_KINDS[int(found.lastgroup[1:])]
    if unit == "成" and (number.low != number.high or number.low > 10 or number.scaled):
        return None
    return quantity, unit, found.end()


def _currency_before(reading: str, position: int) -> tuple[str, int] | None:
    window = reading[max(0, position - 6) : position]
    if found := _CURRENCY_BEFORE_RE.search(window):
        return found.lastgroup, position - (len(window) - found.start())
    return None


# Hedges

_HEDGES_BEFORE = [
    (r"不超过|不多于|不少于|不低于|不到|不足|不及|未满|少于|低于|小于|至多|最多", None),
    (r"超过|超出|特出|多于|高于|大于|至少|起码|最少|逾|超", LOWER_BOUND),
    (r"将近|接近|几近|逼近|(?<!最|附|邻)近", "near"),
    (r"大约|约为|约合|约有|约莫|大概|大致|差不多|约", APPROXIMATE),
    (r"(?:less|fewer) than|under|below|up to|at most|no more than|not more than", UPPER_BOUND),
    (r"more than|over|above|at least|upwards of|in excess of|north of", LOWER_BOUND),
    (r"nearly|almost|close to", "near"),
    (r"about|around|approximately|roughly|some|circa|~", APPROXIMATE),
]
_NEGATED = {"不少于": LOWER_BOUND, "不低于": LOWER_BOUND}
# One pattern: the longest hedge that ends right before the number wins (不超过 over 超过).
_HEDGE_BEFORE_RE = re.compile(
    "(?:"
    + "|".join(
        f"(?P<h{i}>(?<![a-z])(?:{pattern}))" if pattern.isascii() else f"(?P<h{i}>{pattern})"
        for i, (pattern, _) in enumerate(_HEDGES_BEFORE)
    )
    + r")\s*$",
    re.I,
)
# 至少 is an adverb and may stand before the verb: 至少需要10亿, 至少要烧掉几亿.
_AT_LEAST_BEFORE_VERB = re.compile(r"(?:至少|起码|最少)[\u4e00-\u9fff]{1,3}$")
_HEDGE_AFTER = re.compile(
    r"(?P<lower>\s*(?:以上|之上|\+|or more(?![a-z])))"
    r"|(?P<upper>\s*(?:以下|以内|之内|or less(?![a-z])|or fewer(?![a-z])))"
    r"|(?P<approximate>\s*(?:左右|上下))",
    re.I,
)


def _hedge_before(reading: str, position: int) -> str | None:
    window = reading[max(0, position - 12) : position]
    if found := _HEDGE_BEFORE_RE.search(window):
        kind = _HEDGES_BEFORE[int(found.lastgroup[1:])][1]
        return kind or _NEGATED.get(found[found.lastgroup], UPPER_BOUND)
    if _AT_LEAST_BEFORE_VERB.search(window):
        return LOWER_BOUND
    return None


def _hedged(low: Decimal, high: Decimal, before: str | None, after: str | None, unit: str):
    if before and after and before != after:
        before = after = APPROXIMATE
    hedge = before or after
    if hedge == LOWER_BOUND:
        return Interval(low, None, LOWER_BOUND, unit)
    if hedge == UPPER_BOUND:
        return Interval(None, high, UPPER_BOUND, unit)
    if low != high:
        return Interval(low, high, RANGE, unit)
    if hedge == APPROXIMATE:
        return Interval(low, high, APPROXIMATE, unit)
    if hedge == "near":
        return Interval(_whole(high - high * APPROXIMATE_TOLERANCE), high, RANGE, unit)
    return Interval(low, high, EXACT, unit)


# Amounts: money, counts, percentages

_RANGE_JOIN = re.compile(r"\s*(?:至|到|~|～|-|–|—|to(?![a-z])|(?P<and>and(?![a-z])))\s*", re.I)
_BETWEEN = re.compile(r"(?<![a-z])between\s*(?:us\$|\$|¥|€|£)?\s*$", re.I)
_PART_OF = re.compile(r"\s*中的\s*")
_CLASSIFIER = re.compile(r"\s*[个名位张人]")
_BARE_END = re.compile(r"\s*(?:左右|上下)?\s*(?:[,，、;；。!?！？)）”」]|$)")

_Found = tuple[int, int, str, Interval, str]


def _amounts(reading: str, sentence_starts: list[int]) -> list[_Found]:
    found: list[_Found] = []
    last_in_sentence: dict[int, tuple[str, str]] = {}
    position = 0
    while match := _NUMBER.search(reading, position):
        position = match.end()
        if _NOT_A_VALUE_BEFORE.search(reading[max(0, match.start() - 2) : match.start()]):
            continue
        first = _number_at(reading, match)
        if first is None:
            continue
        amount = _amount_from(reading, first)
        sentence = _sentence_of(sentence_starts, first.start)
        if amount is None:
            # A bare 万/亿 figure takes the unit of the value before it in the sentence.
            carried = last_in_sentence.get(sentence)
            if carried and first.scaled and _BARE_END.match(reading, first.end):
                quantity, unit = carried
                hedge = _hedge_before(reading, first.start)
                after = _HEDGE_AFTER.match(reading, first.end)
                interval = _hedged(first.low, first.high, hedge, _after_kind(after), unit)
                end = after.end() if after else first.end
                found.append((first.start, end, quantity, interval, ""))
                position = end
            continue
        start, end, quantity, interval = amount
        found.append((start, end, quantity, interval, ""))
        last_in_sentence[sentence] = (quantity, interval.unit)
        position = end
    return found


_AFTER_GROUPS = {"lower": LOWER_BOUND, "upper": UPPER_BOUND, "approximate": APPROXIMATE}


def _after_kind(after: re.Match | None) -> str | None:
    return _AFTER_GROUPS[after.lastgroup] if after else None


def _amount_from(reading: str, first: _Number) -> tuple[int, int, str, Interval] | None:
    start, end = first.start, first.end
    low, high = first.low, first.high
    unit_found = _unit_at(reading, end, first)
    currency_before = None
    if unit_found is None or unit_found[0] == MONEY:
        currency_before = _currency_before(reading, start)
    if currency_before and unit_found and unit_found[1] != currency_before[0]:
        currency_before = None
    prefixed = (MONEY, currency_before[0]) if currency_before else None
    if unit_found:
        end = unit_found[2]
    elif prefixed:
        unit_found = (*prefixed, end)
    joined = _RANGE_JOIN.match(reading, end)
    if joined and joined["and"] and not _BETWEEN.search(reading, max(0, start - 12), start):
        joined = None
    if joined and (second := _second_number(reading, joined.end())):
        second_unit = _unit_at(reading, second.end, second) or (
            prefixed and (*prefixed, second.end)
        )
        if second_unit and (not unit_found or unit_found[:2] == second_unit[:2]):
            if not first.scaled and second.scaled and low * second.scale <= second.high:
                low, high = low * second.scale, high * second.scale
            if low <= second.high:
                unit_found, high, end = second_unit, second.high, second_unit[2]
    if unit_found is None:
        return None
    quantity, unit, _ = unit_found
    if quantity == COUNT and first.lone_one and low == high:
        return None
    hedge = _hedge_before(reading, currency_before[1] if currency_before else start)
    if currency_before:
        start = currency_before[1]
    if unit == "成":
        unit, low, high = "%", low * 10, high * 10
        hedge = hedge or APPROXIMATE
    part = _PART_OF.match(reading, end)
    if quantity == COUNT and part and (match := _NUMBER.match(reading, part.end())):
        share = _number_at(reading, match)
        if share is not None:
            low, high, end = share.low, share.high, share.end
            if classifier := _CLASSIFIER.match(reading, end):
                end = classifier.end()
    after = _HEDGE_AFTER.match(reading, end)
    if after:
        end = after.end()
    return start, end, quantity, _hedged(low, high, hedge, _after_kind(after), unit)


_CURRENCY_SIGN = re.compile(r"(?:us\$|\$|¥|€|£)\s*", re.I)


def _second_number(reading: str, position: int) -> _Number | None:
    """The upper end of a range, which may repeat its currency sign ($50 million to $100M)."""
    currency = _CURRENCY_SIGN.match(reading, position)
    match = _NUMBER.match(reading, currency.end() if currency else position)
    return _number_at(reading, match) if match else None


# Dates

_MONTH_CN = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY_CN = r"3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"
_MONTH_DAY = rf"(?:\s*(?P<{{p}}month>{_MONTH_CN})\s*月份?(?:\s*(?P<{{p}}day>{_DAY_CN})\s*[日号])?)?"
_PART = r"(?P<{p}part>上旬|中旬|下旬|底|末|初|头)?"
_RELATION = r"(?P<{p}relation>\s*(?:前后|左右|之后|以后|以来|之前|以前|起))?"
_EN_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)


def _with(pattern: str, prefix: str) -> str:
    return pattern.replace("{p}", prefix)


def _calendar(prefix: str) -> str:
    return _with(_MONTH_DAY + _PART + _RELATION, prefix)


_DATE = re.compile(
    "|".join(
        [
            r"(?P<iso>(?<!\d)(?P<iso_year>(?:19|20)\d{2})[-/.](?P<iso_month>0?[1-9]|1[0-2])"
            r"[-/.](?P<iso_day>3[01]|[12]\d|0?[1-9])(?!\d))",
            r"(?P<abs>(?<![\d.])(?P<abs_year>(?:19|20)\d{2}|[一二][〇零一二三四五六七八九]{3})"
            r"\s*年" + _calendar("abs_") + ")",
            r"(?P<rel>(?P<rel_word>去年|客岁|前年|今年|本年|明年|来年)(?:年(?=[底末初头]))?"
            + _calendar("rel_")
            + ")",
            r"(?P<relm>(?P<relm_word>上个月|上月|本月|这个月|下个月|下月|次月)"
            rf"(?:\s*(?P<relm_day>{_DAY_CN})\s*[日号])?)",
            r"(?P<off>(?<![\d.])(?P<off_n>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年\s*"
            r"(?P<off_way>之后|以后|后|之前|以前|前)(?![后来]))",
            r"(?P<bare>(?<![\d.年个])(?P<bare_month>" + _MONTH_CN + r")\s*月份?"
            rf"(?:\s*(?P<bare_day>{_DAY_CN})\s*[日号])?" + _with(_PART + _RELATION, "bare_") + ")",
            r"(?P<day>(?<![\d.月])(?P<day_n>3[01]|[12]\d|0?[1-9])\s*日(?!元|本|报|期|志|常))",
            rf"(?P<en>(?<![a-z])(?P<en_month>{_EN_MONTHS})\.?\s+"
            r"(?:(?P<en_day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+)?"
            r"(?P<en_year>(?:19|20)\d{2})(?!\d))",
            rf"(?P<en2>(?<![\d.])(?P<en2_day>3[01]|[12]\d|0?[1-9])\s+(?P<en2_month>{_EN_MONTHS})"
            r"\.?,?\s+(?P<en2_year>(?:19|20)\d{2})(?!\d))",
            r"(?P<enrel>(?<![a-z])(?P<enrel_which>last|this|next)\s+(?P<enrel_unit>year|month)"
            r"(?![a-z]))",
            r"(?P<enyear>(?<![a-z])(?P<enyear_word>in|since|by|until|during|before|after|from|"
            r"early|late|mid-?)\s+(?P<enyear_year>(?:19|20)\d{2})(?![\d,]|\s*(?:年|%)))",
        ]
    ),
    re.I,
)
# Every date expression starts with one of these; trying _DATE only there is much faster.
_DATE_CUE = re.compile(
    r"[\d〇零一二两三四五六七八九十去客前今本明来上这下次]|(?<![a-z])[abdefijlmnostu]", re.I
)
_DATE_RANGE_JOIN = re.compile(r"\s*(?:起)?\s*(?:至|到|~|-|–|—)\s*")
_REL_YEARS = {"去年": -1, "客岁": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1, "来年": 1}
_REL_MONTHS = {"上个月": -1, "上月": -1, "本月": 0, "这个月": 0, "下个月": 1, "下月": 1}
_EN_MONTH_NUMBER = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip


@dataclass(frozen=True)
class _Days:
    """A stretch of days and the calendar unit it is known to."""

    first: date
    last: date
    precision: str

    def union(self, other: "_Days") -> "_Days":
        if (self.first, self.last) == (other.first, other.last):
            return self
        return _Days(
            min(self.first, other.first), max(self.last, other.last), _coarser(self, other)
        )


def _coarser(*spans: "_Days") -> str:
    return min((s.precision for s in spans), key=_PRECISIONS.index)


def _days(year: int, month: int | None = None, day: int | None = None) -> _Days | None:
    try:
        if month is None:
            return _Days(date(year, 1, 1), date(year, 12, 31), YEAR)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return _Days(date(year, month, 1), date(year, month, last), MONTH)
        return _Days(date(year, month, day), date(year, month, day), DAY)
    except ValueError:
        return None


def _published_days(published_on: date | None, precision: str) -> _Days | None:
    if published_on is None:
        return None
    precision = precision if precision in _PRECISIONS else DAY
    parts = {YEAR: 1, MONTH: 2, DAY: 3}[precision]
    return _days(*(published_on.year, published_on.month, published_on.day)[:parts])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _small_number(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    value = _chinese_number(text)
    return int(value) if value is not None else None


def _year_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in text))


_YEAR_PARTS = {"底": (11, 12), "末": (11, 12), "初": (1, 2), "头": (1, 2), "中": (6, 7)}
_MONTH_PARTS = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "底": (21, 31)}


def _with_part(span: _Days, part: str | None) -> _Days:
    """年底, 年初, 月底, 上旬 …: the part of a year or month they name."""
    if not part:
        return span
    first, last = span.first, span.last
    if span.precision == YEAR and part in _YEAR_PARTS:
        start_month, end_month = _YEAR_PARTS[part]
        first = date(first.year, start_month, 1)
        last = date(first.year, end_month, calendar.monthrange(first.year, end_month)[1])
    elif span.precision == MONTH:
        start_day, end_day = _MONTH_PARTS.get(part, _MONTH_PARTS["底"])
        first, last = first.replace(day=start_day), last.replace(day=min(end_day, last.day))
    return _Days(first, last, span.precision)


def _interval(span: _Days, relation: str | None) -> Interval:
    relation = (relation or "").strip()
    low, high = Decimal(span.first.toordinal()), Decimal(span.last.toordinal())
    if relation in ("之后", "以后", "以来", "起"):
        return Interval(low, None, LOWER_BOUND, DATE_UNIT)
    if relation in ("之前", "以前"):
        return Interval(None, high, UPPER_BOUND, DATE_UNIT)
    if relation in ("前后", "左右"):
        widened = _widened(span)
        low, high = Decimal(widened.first.toordinal()), Decimal(widened.last.toordinal())
    return Interval(low, high, EXACT if low == high else RANGE, DATE_UNIT)


def _widened(span: _Days) -> _Days:
    """One unit of the span's precision either side: 2017年前后 is 2016–2018."""
    if span.precision == YEAR:
        return _Days(
            span.first.replace(year=span.first.year - 1),
            span.last.replace(year=span.last.year + 1),
            YEAR,
        )
    if span.precision == MONTH:
        before = _days(*_shift_month(span.first.year, span.first.month, -1))
        after = _days(*_shift_month(span.last.year, span.last.month, 1))
        return _Days(before.first, after.last, MONTH)
    return span


def _dates(reading: str, sentence_starts: list[int], published: _Days | None) -> list[_Found]:
    found: list[_Found] = []
    last_in_sentence: dict[int, _Days] = {}
    position = 0
    while cue := _DATE_CUE.search(reading, position):
        match = _DATE.match(reading, cue.start())
        position = match.end() if match else cue.start() + 1
        if match is None:
            continue
        sentence = _sentence_of(sentence_starts, match.start())
        read = _date_from(match, last_in_sentence.get(sentence), published)
        if read is None:
            continue
        span, relation = read
        end = match.end()
        joined = _DATE_RANGE_JOIN.match(reading, end)
        if relation in (None, "起") and joined:
            second = _DATE.match(reading, joined.end())
            later = second and _date_from(second, span, published)
            if later and later[1] is None and later[0].last >= span.first:
                span = _Days(span.first, later[0].last, _coarser(span, later[0]))
                relation, end = None, second.end()
        found.append((match.start(), end, DATE, _interval(span, relation), span.precision))
        last_in_sentence[sentence] = span
        position = end
    return found


def _date_from(
    match: re.Match, context: _Days | None, published: _Days | None
) -> tuple[_Days, str | None] | None:
    """The days a date expression names, and its relation word (之后, 之前 …) if any."""
    kind = match.lastgroup
    group = match.groupdict()
    span, relation = None, None
    if kind == "iso":
        span = _days(int(group["iso_year"]), int(group["iso_month"]), int(group["iso_day"]))
    elif kind in ("abs", "rel"):
        month = _small_number(group[f"{kind}_month"])
        day = _small_number(group[f"{kind}_day"])
        if kind == "abs":
            span = _days(_year_number(group["abs_year"]), month, day)
        else:
            offset = _REL_YEARS[group["rel_word"]]
            span = _relative(published, lambda d: _days(d.year + offset, month, day))
        span = span and _with_part(span, group[f"{kind}_part"])
        relation = group[f"{kind}_relation"]
    elif kind == "relm":
        day = _small_number(group["relm_day"])
        if group["relm_word"] != "次月":
            offset = _REL_MONTHS[group["relm_word"]]
            span = _relative(
                published, lambda d: _days(*_shift_month(d.year, d.month, offset), day), MONTH
            )
        elif context is not None and context.precision != YEAR:
            span = _days(*_shift_month(context.first.year, context.first.month, 1), day)
    elif kind == "off":
        span = _years_off(group, context, published)
    elif kind == "bare":
        month, day = _small_number(group["bare_month"]), _small_number(group["bare_day"])
        span = _in_context_year(context, published, month, day)
        span = span and _with_part(span, group["bare_part"])
        relation = group["bare_relation"]
    elif kind == "day":
        span = _bare_day(int(group["day_n"]), context, published)
    elif kind in ("en", "en2"):
        month = _EN_MONTH_NUMBER[group[f"{kind}_month"].lower()]
        day = int(group[f"{kind}_day"]) if group[f"{kind}_day"] else None
        span = _days(int(group[f"{kind}_year"]), month, day)
    elif kind == "enrel":
        offset = {"last": -1, "this": 0, "next": 1}[group["enrel_which"].lower()]
        if group["enrel_unit"].lower() == "year":
            span = _relative(published, lambda d: _days(d.year + offset))
        else:
            span = _relative(
                published, lambda d: _days(*_shift_month(d.year, d.month, offset)), MONTH
            )
    else:
        word = group["enyear_word"].lower().rstrip("-")
        part = {"early": "初", "late": "底", "mid": "中"}.get(word)
        span = _with_part(_days(int(group["enyear_year"])), part)
        relation = {"since": "以来", "after": "之后", "before": "之前", "until": "之前"}.get(word)
    return (span, relation) if span else None


def _years_off(group: dict, context: _Days | None, published: _Days | None) -> _Days | None:
    """3年之后 counts from the date before it in the sentence; 十年前 may count from publication."""
    years = _small_number(group["off_n"])
    if years is None or years > 100:
        return None
    sign = 1 if group["off_way"] in ("之后", "以后", "后") else -1
    if context is not None:
        return _days(context.first.year + sign * years)
    if sign < 0:
        return _relative(published, lambda d: _days(d.year - years))
    return None


def _relative(
    published: _Days | None, resolve: Callable[[date], _Days | None], needs: str = YEAR
) -> _Days | None:
    """A date counted from publication; every day it could be if publication is vaguer."""
    if published is None:
        return None
    earliest, latest = resolve(published.first), resolve(published.last)
    if earliest is None or latest is None:
        return None
    span = earliest.union(latest)
    if _PRECISIONS.index(published.precision) < _PRECISIONS.index(needs):
        return _Days(span.first, span.last, _coarser(span, published))
    return span


def _in_context_year(
    context: _Days | None, published: _Days | None, month: int | None, day: int | None
) -> _Days | None:
    if month is None:
        return None
    if context is not None and context.first.year == context.last.year:
        return _days(context.first.year, month, day)
    if published is None:
        return None

    def in_year_before_publication(d: date) -> _Days | None:
        span = _days(d.year, month, day)
        if span is not None and span.first > published.last:
            span = _days(d.year - 1, month, day)
        return span

    return _relative(published, in_year_before_publication)


def _bare_day(day: int, context: _Days | None, published: _Days | None) -> _Days | None:
    if (
        context is not None
        and context.precision != YEAR
        and context.first.month == context.last.month
    ):
        return _days(context.first.year, context.first.month, day)
    if published is None:
        return None

    def in_month_before_publication(d: date) -> _Days | None:
        span = _days(d.year, d.month, day)
        if span is None or span.first > published.last:
            span = _days(*_shift_month(d.year, d.month, -1), day)
        return span

    return _relative(published, in_month_before_publication, MONTH)
