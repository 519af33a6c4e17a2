"""Reading money, counts, percentages and dates out of zh-Hans, zh-Hant and English text.

Plain Python, no Django. Every value comes back as an Interval (domain.intervals) with its
span in the original text, and whether the text denies it. How the words are read:

- Numbers: Arabic (`3,800`, `17.5`, `6.3k`, `57万5590`) or Chinese (`一千万`, `十亿`, read
  with cn2an; `百亿`, `千万` written without a digit), times 十/百/千/万/亿 or
  thousand/million/billion (`$1B`, `$45M`, `a billion`, `half a million`); spaces may sit
  between number, magnitude and unit (`5000 万 美元`). English number words name counts
  (`three patients`, `a dozen senators`). Traditional text is read through OpenCC t2s,
  which keeps offsets because it maps these texts character for character.
- Vague numbers are honest ranges: 数/几/several/a few + magnitude is 2–9 of it
  (`数十亿` = 20亿–90亿, `tens of millions` = 20M–90M, `dozens` = 24–108); `190多万` is
  190万–200万, `十余人` 10–20, `一亿多` 1亿–2亿; two digits side by side are their range
  (`三四亿` = 3亿–4亿).
- Shares: `%`, percent, percentage points, 百分点, 百分之三十, 成 (tenths: `九成` is about
  90%, `两成五` 25%, `一成多` 10–20%), fractions (`四分之三`, `a quarter of`, `两成`, `一半`,
  `half of`), and rates with a small base (`one in five`, `2 out of 3`, `每四人中有一人`).
  A fraction that does not end in hundredths is rounded to them and approximate.
- Hedges: 约/大约/左右/上下, about, around, some, an estimated, on the order of, in the
  region of give an approximate value; 近/将近/接近, nearly, almost, just under give the
  range from the value less APPROXIMATE_TOLERANCE up to it; 超过/至少/逾/以上/突破/上千,
  over, more than, upwards of, at least, exceeds give a lower bound; 不到/不足/以下/最高/上看,
  under, less than, up to, as much as, no more than give an upper bound, and so does a
  lower bound negated (`不会超过`, `would not pay more than`). A comparison with another
  figure bounds the value (`far more than the $10M reported` is at least $10M). `over`
  after a verb it belongs to (`handed over $5M`, `took over`) is no hedge. A range `A至B`
  (`5000 万至 1 亿`, `10 到 20 万`) lends B's magnitude to a bare A when that keeps A <= B.
- Article 002 of the seeds is word-spun; its substitutions are read as what they replace:
  好意思元/好意思金 = 美元/美金, 客岁 = 去年, 本年 = 今年, 特出 = 超出, 东谈主 = 人.
- Units come from one vocabulary (domain.units): ISO 4217 codes for currencies, % for
  shares, people for people in any role, and a plural name for other counted things (votes,
  seats, shares, homes, companies, users, GPUs …). A bare 元 is the yuan the text last
  named (新台币, 港币, 人民币) or the context's, else CNY. Counts need what they count: a
  noun after the number (`770名员工`, `12 million new shares`), a measure before it (`the
  death toll rose to 37,000`, `遊行人數接近200萬`), the count after `of` (`640 of its
  15,000 employees`), or the count just before it in the sentence (`not 3,000 jobs but
  1,200`). A bare 万/亿/million figure takes the unit of the value before it in its own or
  the previous sentence, else `default_unit` (the claim's or the article's currency).
- Denials: a value the text says is not so (`not $10M but $4M`, `rather than the 5,000`,
  `denied paying $7M`, `reports of $60 were incorrect`, 并非, 而非, 不是, 否认, 系谣言,
  失实, 有误) is read with `denied`; asserted_value and value_for never return one.
- Dates are day numbers (date.toordinal()); a year or month is the range of its days.
  Years (`2019`, `in 2019,`, `2021.[4]`), year ranges (`2014–2017`, `between 2014 and
  2017`, `2014至2017年`), quarters (`Q2 2022`, `the first quarter of 2024`, `第二季度`),
  halves (`H2`, `上半年`), seasons (`the summer of 2021`), decades (`the 1980s`, `90年代`)
  and parts of a year (early/mid/late, 年初/年底: January–February, June–July,
  November–December) are read. Relative dates (`去年11月`, `今年4月`, `上个月`, `十年前`,
  `last year`) and dates without a year (`6月10日`, `21日`, `Sept. 8`, `in June`, `the
  fourth quarter`) resolve against the publication date, known to its precision: a value
  that depends on an unknown part of it widens to every day it could be. A date without a
  year is the latest such one begun by publication, unless the sentence speaks of the future
  (will, expected, 将, 预计); a date earlier in the sentence lends its year. `3年之后` and
  `次月` count from the last date earlier in the same sentence, and are not read without
  one. 月底 is the 21st on; since/after/之后/以来/起 make a lower bound, before/by/until/
  之前/以前/前 an upper bound (`not until 2016` is 2016), 前后 widens by one unit. 起 in a
  verb (起诉, 发起) is no bound.
"""

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from domain import units
from domain.intervals import (
    APPROXIMATE,
    APPROXIMATE_TOLERANCE,
    DATE_UNIT,
    EXACT,
    LOWER_BOUND,
    RANGE,
    UPPER_BOUND,
    Interval,
)
from domain.text import to_simplified

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
    denied: bool = False  # the text says this value is not so ("not $10M but $4M")


def extract(
    text: str,
    *,
    published_on: date | None = None,
    precision: str = DAY,
    default_unit: str = "",
) -> list[Extracted]:
    """Every money amount, count, percentage and date in the text, in reading order.

    `default_unit` is the unit the text's context states elsewhere (the claim's currency,
    the article's 新台币): a bare 万/亿/million figure with no unit of its own takes it.
    """
    reading = reading_form(text)
    sentences = sentence_spans(reading)
    sentence_starts = [start for start, _ in sentences]
    published = _published_days(published_on, precision)
    default = units.normalize_unit(default_unit) if default_unit else ""
    found = _dates(reading, sentence_starts, published) + _amounts(
        reading, sentence_starts, default
    )
    kept: list[_Found] = []
    for value in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if kept and value[0] < kept[-1][1]:
            continue
        kept.append(value)
    denied = _denied(reading, sentences, kept)
    return [
        Extracted(start, end, text[start:end], quantity, interval, value_precision, index in denied)
        for index, (start, end, quantity, interval, value_precision) in enumerate(kept)
    ]


def value_for(
    text: str, *, unit: str, published_on: date | None = None, precision: str = DAY
) -> tuple[Interval, str] | None:
    """The value the text asserts in this unit ("date" for dates), with its words.

    The interval carries `unit` as the caller spells it ("percent" for "%", "usd" for "USD"),
    so it compares with the claim's other values.
    """
    found = asserted_value(text, unit=unit, published_on=published_on, precision=precision)
    return (replace(found.interval, unit=unit), found.text) if found else None


def asserted_value(
    text: str, *, unit: str, published_on: date | None = None, precision: str = DAY
) -> Extracted | None:
    """The value a quote asserts about a claim in this unit: the first one it does not deny.

    The claim's unit is the text's context: a bare 20亿 in the quote is read in it.
    """
    context = unit if unit != DATE_UNIT else ""
    for found in extract(
        text, published_on=published_on, precision=precision, default_unit=context
    ):
        if same_unit(found.interval.unit, unit) and not found.denied:
            return found
    return None


def same_unit(a: str, b: str) -> bool:
    """Whether two unit names mean the same unit ("%" and "percent", "USD" and "usd")."""
    return units.same_unit(a, b)


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


def _sentence_start(sentence_starts: list[int], sentence: int) -> int:
    return sentence_starts[sentence - 1] if sentence else 0


_Found = tuple[int, int, str, Interval, str]


# Numbers

_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUMERAL = _CN_DIGIT + "十百千万亿"
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "兆": 10**12}
_EN_MAGNITUDE = {
    "dozen": 12,
    "hundred": 100,
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
    "crore": 10**7,
    "lakh": 10**5,
}
_EN_PLURAL_MAGNITUDE = {
    "tens": 10,
    "hundreds": 100,
    "thousands": 10**3,
    "millions": 10**6,
    "billions": 10**9,
}
_EN_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen"]  # fmt: skip
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_WORDS = (
    {word: n for n, word in enumerate(_EN_ONES, start=1)}
    | {word: n for n, word in enumerate(_EN_TEENS, start=10)}
    | {word: 10 * n for n, word in enumerate(_EN_TENS, start=2)}
)
_EN_WORD = "|".join(sorted(_EN_WORDS, key=len, reverse=True))
_EN_PLURAL = "|".join(_EN_PLURAL_MAGNITUDE)

_NUMBER = rf"""
    (?P<vague>[数几])(?P<vague_magnitude>[十百千]?[万亿]?)
  | (?P<arabic>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
  | (?P<chinese>[{_CN_NUMERAL}]*[{_CN_DIGIT}十][{_CN_NUMERAL}]*)
  | (?P<round>[百千][万亿]*|万亿|(?<=上)万)
  | (?i:(?<![a-z])(?P<en_vague>(?:{_EN_PLURAL})(?:\s+of\s+(?:{_EN_PLURAL}))*)
      (?=\s+(?:of|more)(?![a-z])|\s*[,.;:!?)]|\s*$))
  | (?i:(?<![a-z])(?P<en_dozens>dozens)(?=\s+of(?![a-z])))
  | (?i:(?<![a-z])(?P<en_some>several|a\s+few|a|an|one|half\s+a)
      \s+(?P<en_some_scale>dozen|hundred|thousand|million|billion|trillion)(?![a-z]))
  | (?i:(?<![a-z-])(?P<en_word>(?:{"|".join(_EN_TENS)})-(?:{"|".join(_EN_ONES)})|{_EN_WORD})
      (?![a-z]))
"""
_AFTER_NUMBER = re.compile(
    r"""
    (?P<more_before>\s*[多余几])?
    (?:\s*(?P<magnitude>[十百千万亿]+|兆(?=\s*(?:元|美元|日元|日圆|韩元|欧元|港元|港币|新台币|台币|人民币))))?
    (?P<more_after>[多余])?
    (?:\s*(?P<en_word>dozen|hundred|thousand|million|billion|trillion|crore|lakh)(?![a-z])
      |(?P<en_letter>mn|bn|tn|[kmb])(?![a-z]))?
    """,
    re.X | re.I,
)
# 57万5590: the figures after 万 or 亿 belong to the same number.
_CONTINUED = re.compile(
    r"(?P<figures>\d{1,4}|[一二两三四五六七八九])(?P<place>[千百])?(?P<wan>万)?"
    r"(?![\d.]|\s*[年月日号%])"
)
_OF_AFTER_VAGUE = re.compile(r"\s+of(?![a-z])", re.I)
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
    lone_one: bool = False  # a bare 一 or 两: "a", "the two" more often than a count
    worded: bool = False  # a small number word or a digitless 百/千: counts only with a noun
    year_like: bool = False  # 1900–2099 with no separator or magnitude: a year, not a count
    approximate: bool = False  # a fraction rounded to write it (a third of a billion)

    @property
    def scaled(self) -> bool:
        return self.scale != 1


def _number_at(reading: str, match: re.Match) -> _Number | None:
    if match["vague"]:
        if not match["vague_magnitude"]:
            return None
        scale = _product(match["vague_magnitude"])
        return _Number(match.start(), match.end(), 2 * scale, 9 * scale, scale)
    if match["en_vague"] or match["en_dozens"]:
        return _english_vague(reading, match)
    if match["en_some"]:
        return _english_some(match)
    if match["arabic"]:
        value = Decimal(match["arabic"].replace(",", ""))
        figures, magnitude = match["arabic"], ""
    elif match["en_word"]:
        word = match["en_word"].lower()
        tens, _, ones = word.partition("-")
        value = Decimal(_EN_WORDS[tens] + (_EN_WORDS[ones] if ones else 0))
        figures, magnitude = str(value), ""
    else:
        numeral = match["chinese"] or match["round"]
        read = _chinese_figure(numeral)
        if read is None:
            return None
        low_value, value, magnitude = read
        figures = str(value)
        if low_value != value:
            return _chinese_pair(reading, match, low_value, value, magnitude)
    after = _AFTER_NUMBER.match(reading, match.end())
    english = (after["en_word"] or after["en_letter"] or "").lower()
    if english == "dozen" and not match["en_word"]:
        english = ""
    written = magnitude + (after["magnitude"] or "")
    scale = _product(written) * _EN_MAGNITUDE.get(english, 1)
    if value * scale >= _TOO_LARGE:
        return None
    low = high = value
    if after["more_before"]:
        if after["more_before"].strip() == "几" and not figures.endswith("0"):
            return None
        high = value + _step(figures)
    elif after["more_after"]:
        high = value + (_step(figures) if "." in figures else 1)
    end = after.end() if english or written or after["more_before"] else match.end()
    low, high = _whole(low * scale), _whole(high * scale)
    if match["arabic"] and written[-1:] in ("万", "亿") and low == high:
        continued = _CONTINUED.match(reading, end)
        if continued and (written[-1] == "亿" or not continued["wan"]):
            extra = _small(continued["figures"]) * _MAGNITUDE.get(continued["place"], 1)
            extra *= 10**4 if continued["wan"] else 1
            if extra < scale:
                low = high = low + extra
                end = continued.end()
    year_like = (
        bool(match["arabic"]) and scale == 1 and match["arabic"].isdigit() and 1900 <= value <= 2099
    )
    return _Number(
        match.start(),
        end,
        low,
        high,
        scale,
        lone_one=match["chinese"] in ("一", "两") or match["en_word"] is not None and value == 1,
        worded=bool(match["en_word"] or match["round"]),
        year_like=year_like,
    )


def _chinese_pair(reading: str, match: re.Match, low: Decimal, high: Decimal, magnitude: str):
    """三四亿, 两三百人: two digits side by side are the range between them."""
    after = _AFTER_NUMBER.match(reading, match.end())
    written = magnitude + (after["magnitude"] or "")
    scale = _product(written)
    end = after.end() if after["magnitude"] else match.end()
    return _Number(match.start(), end, low * scale, high * scale, scale)


def _english_vague(reading: str, match: re.Match) -> _Number:
    """tens of thousands, hundreds of millions, dozens: 2–9 of the magnitude they name."""
    if match["en_dozens"]:
        low, high, scale = Decimal(24), Decimal(108), Decimal(12)
    else:
        scale = Decimal(1)
        for word in re.findall(_EN_PLURAL, match["en_vague"], re.I):
            scale *= _EN_PLURAL_MAGNITUDE[word.lower()]
        low, high = 2 * scale, 9 * scale
    of = _OF_AFTER_VAGUE.match(reading, match.end())
    return _Number(match.start(), of.end() if of else match.end(), low, high, scale)


def _english_some(match: re.Match) -> _Number:
    """several hundred, a few thousand, a million, half a billion, a dozen."""
    scale = Decimal(_EN_MAGNITUDE[match["en_some_scale"].lower()])
    quantity = " ".join(match["en_some"].lower().split())
    if quantity in ("several", "a few"):
        return _Number(match.start(), match.end(), 2 * scale, 9 * scale, scale)
    value = _whole(scale / 2) if quantity == "half a" else scale
    return _Number(match.start(), match.end(), value, value, scale)


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


_PAIR = re.compile(r"([一二两三四五六七八])([二三四五六七八九])([十百千]?)")
_PAIR_DIGITS = "一二三四五六七八九"


def _chinese_figure(numeral: str) -> tuple[Decimal, Decimal, str] | None:
    """(low, high, trailing 万/亿) of a Chinese numeral; low < high for 三四千 and the like."""
    core = numeral.rstrip("万亿")
    magnitude = numeral[len(core) :] if core else ""
    if core and re.search("[万亿]", core):
        core, magnitude = numeral, ""
    if pair := _PAIR.fullmatch(core or numeral):
        first = _PAIR_DIGITS.index(pair[1].replace("两", "二")) + 1
        second = _PAIR_DIGITS.index(pair[2]) + 1
        if second != first + 1:
            return None
        place = _MAGNITUDE.get(pair[3], 1)
        return Decimal(first * place), Decimal(second * place), magnitude
    if not core:
        core, magnitude = numeral[:1], numeral[1:]
        if core in "万亿":
            return Decimal(1), Decimal(1), numeral
    value = _chinese_number(core if core[0] not in "百千" else "一" + core)
    if value is None:
        return None
    return value, value, magnitude


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


# Units: every unit is named as domain.units names it.

_YUAN_FAMILY = ("CNY", "TWD", "HKD", "MOP")
_YUAN = "元"


def _currency_words(ascii_words: bool) -> str:
    words = [
        word
        for spellings in units.CURRENCY_WORDS.values()
        for word in spellings
        if word.isascii() == ascii_words and not re.search(r"[$¥€£₩₹₽]", word)
    ]
    # A pound or a won after a number is as often a weight or a verb as money.
    words = [w for w in words if w not in ("pound", "pounds", "won", "元", "円")]
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CURRENCY_AFTER = (
    rf"(?:{_currency_words(False)})"
    rf"|(?<![a-z])(?:{_currency_words(True)})(?![a-z])"
    rf"|(?-i:(?:{'|'.join(sorted(units.CURRENCY_CODES))})(?![A-Za-z]))"
)
# 元 alone is the yuan of the text (新台币 in a Taiwanese article), never part of a word.
_YUAN_AFTER = r"元(?!素|年|旦|宵|首|老|气|帅|凶|件|器|朝|代|月|日|宇宙)|块钱"
_CURRENCY_BEFORE_RE = re.compile(
    r"(?:(?<![a-z])(?:us|hk|nt|s|a|c|r)\$|\$|(?<![a-z])(?:usd|eur|gbp|rmb|cny|hkd|twd)\s?"
    r"|(?<![a-z])(?:rs\.?|rp|rm)\s?|¥|€|£|₩|₹|₺|₫|₱|₦|₪|฿|人民币|新台币|台币|港币|美金)\s*$",
    re.I,
)
_PERCENT = r"%|(?<![a-z])(?:percent|per cent|pct|pc|percentage points?)(?![a-z])|(?:个\s*)?百分点"
_TENTHS = r"成(?!功|立|长|本|果|交|绩|熟|就|不变|年|人|都|市|型|品|份)"
_EN_ADJECTIVES = (
    r"(?:(?!(?:of|in|on|at|to|for|from|by|and|or|the|a|an|than|more|less|were|was|are|is"
    r"|had|have|has|will|years?|months?|weeks?|days?|hours?|percent)(?![a-z]))[a-z][a-z'-]*\s+)"
    r"{0,2}"
)
_EN_PEOPLE = (
    "people|persons|person|staffers|staff|employees|employee|workers|worker|jobs|job|positions"
    "|posts|roles|members|voters|residents|patients|participants|passengers|victims|deaths"
    "|fatalities|casualties|nurses|doctors|teachers|miners|protesters|demonstrators|marchers"
    "|women|men|students|soldiers|troops|officers|firefighters|volunteers|customers|villagers"
    "|senators|lawmakers|delegates|refugees|migrants|civilians|journalists|engineers"
    "|researchers|individuals|adults|visitors|tourists|spectators|pilots|farmers|contractors"
    "|inmates|prisoners|hostages|survivors|drivers|riders|couriers|physicians|surgeons"
    "|scientists|economists|analysts|officials|executives|managers|clerks|guards|police"
    "|rescuers|athletes|players|fans|attendees|guests|applicants|graduates|pupils|babies"
    "|infants|pensioners|retirees|veterans|taxpayers|shareholders|investors|borrowers"
    "|homeowners|tenants|citizens|nationals|foreigners|immigrants|evacuees|inhabitants"
    "|creditors|depositors|clients|donors|debtors|buyers|consumers|viewers|readers|followers"
    "|revellers|revelers|mourners|pilgrims|worshippers|[a-z]*goers|smokers|drinkers|renters"
    "|[a-z]*holders|[a-z]*owners|[a-z]*dwellers|[a-z]*seekers|[a-z]*earners|[a-z]*payers"
    r"|[a-z]*(?:workers|men|women|people|folk|persons)"
)
_COUNTED = [
    (
        r"(?:[个张块颗枚]\s*)?(?:(?:英伟达|nvidia)\s*)?"
        r"(?:(?:h100|a100|h800|h20|b200)(?:\s*(?:显卡|gpus?))?|显卡|gpus?)|张\s*卡|graphics cards",
        "GPUs",
    ),
    (r"(?:个\s*)?参数|parameters", "parameters"),
    (
        r"(?:[个名位]\s*)?(?:月活跃用户|活跃用户|月活|订阅用户|用户)"
        rf"|{_EN_ADJECTIVES}(?:monthly active users|users|subscribers)(?![a-z])",
        "users",
    ),
    (rf"(?:[个名]\s*)?(?:孩子|子女)|{_EN_ADJECTIVES}children(?![a-z])", "children"),
    (
        r"(?:[家个]\s*)?(?:公司|企业)|家\s*[\u4e00-\u9fff]{0,3}?(?:公司|企业|企|银行)"
        # 家 counts firms when a kind of firm follows: 数十家赞助商, 数百家中小型油脂企业.
        r"|家\s*[\u4e00-\u9fff]{0,6}?(?:企业|公司|集团|机构|厂商|供应商|赞助商|承包商|开发商|银行)"
        rf"|{_EN_ADJECTIVES}(?:companies|firms)(?![a-z])",
        "companies",
    ),
    (
        r"(?:张\s*)?(?:选票|票(?!房|价|据|证|面|务))"
        rf"|{_EN_ADJECTIVES}(?:votes|ballots)(?![a-z])",
        "votes",
    ),
    (r"(?:个\s*)?(?:议席|席位|席次|席(?!卷|间|位))" rf"|{_EN_ADJECTIVES}seats(?![a-z])", "seats"),
    (r"股(?!东|价|票|份|权|市|息|民|指)" rf"|{_EN_ADJECTIVES}shares(?![a-z])", "shares"),
    (
        r"(?:栋|幢|户)(?:\s*(?:房屋|住房|住宅|房子|空屋|民宅|建筑|房))?"
        r"|套(?=\s*(?:房|住|公寓|空|商品房|上下|左右|[,，。、]))|间\s*(?:房屋|房子|民房|住宅)"
        rf"|{_EN_ADJECTIVES}(?:homes|houses|buildings|households|apartments|dwellings)(?![a-z])",
        "homes",
    ),
    (
        r"(?:[名位个]\s*)?(?:员工|雇员|职员|研究人员|研究员|工程师|成员|名字|东谈主)"
        r"|人(?!工|民|类|气|性|格|心|们|物|生|口|才|次|均|士|数)|名(?!义|字辈|称)|位(?!数|于|置)"
        rf"|{_EN_ADJECTIVES}(?:{_EN_PEOPLE})(?![a-z])",
        "people",
    ),
    (r"页|pages", "pages"),
    (r"字(?!节|母|样)|characters", "characters"),
    (r"颗?星|stars", "stars"),
]
# One pattern, tried in this order: currencies, yuan, percent, 成 (tenths), counted nouns.
_UNIT_KINDS = (
    [(MONEY, "", _CURRENCY_AFTER), (MONEY, _YUAN, _YUAN_AFTER)]
    + [(PERCENT, "%", _PERCENT), (PERCENT, "成", _TENTHS)]
    + [(COUNT, unit, pattern) for pattern, unit in _COUNTED]
)
_UNIT_RE = re.compile(
    r"\s*(?:" + "|".join(f"(?P<u{i}>{p})" for i, (_, _, p) in enumerate(_UNIT_KINDS)) + ")",
    re.I,
)
_TENTHS_MORE = re.compile(r"(?P<digit>[一二三四五六七八九])|(?P<more>多)")
# A hundredth of a currency: 167.5 pence, 99 cents, 50美分.
_SUBUNIT = re.compile(
    r"\s*(?:(?P<GBP>pence|便士)|(?P<USD>cents?|美分)|(?P<EUR>欧分))(?![a-z])", re.I
)


@dataclass
class _Context:
    """What the reading of a text carries from one value to the next."""

    default_unit: str  # the unit of the claim or article, for bare 万/亿/million figures
    yuan: str  # the currency a bare 元 is in
    last: tuple[int, str, str] | None = None  # (sentence, quantity, unit) of the last amount


def _unit_at(
    reading: str, position: int, number: _Number, context: _Context, prefixed: str | None
) -> tuple[str, str, int] | None:
    """(quantity, unit, end) of the unit word right after a number."""
    found = _UNIT_RE.match(reading, position)
    if found is None:
        return None
    index = int(found.lastgroup[1:])
    quantity, unit, _ = _UNIT_KINDS[index]
    if quantity == MONEY:
        if unit == _YUAN:
            unit = prefixed if prefixed in _YUAN_FAMILY else context.yuan
        else:
            unit = units.normalize_unit(found[found.lastgroup])
    if unit == "成" and (number.low != number.high or number.low > 10 or number.scaled):
        return None
    return quantity, unit, found.end()


def _currency_before(reading: str, position: int) -> tuple[str, int] | None:
    window = reading[max(0, position - 6) : position]
    if found := _CURRENCY_BEFORE_RE.search(window):
        code = units.normalize_unit(found[0].strip())
        return code, position - (len(window) - found.start())
    return None


# Hedges

_HEDGES_BEFORE = [
    (r"不超过|不多于|不少于|不低于|不到|不足|不及|未满|少于|低于|小于|至多|最多|最高|上看", None),
    (r"(?:不|没|未)[\u4e00-\u9fff]{0,3}(?:超过|超出|多于|高于|大于)", UPPER_BOUND),
    (r"(?:低于|少于|不及)[\u4e00-\u9fff]{1,8}的", UPPER_BOUND),
    (r"(?:高于|多于|超过|超出)[\u4e00-\u9fff]{1,8}的", LOWER_BOUND),
    (r"超过|超出|特出|多于|高于|大于|至少|起码|最少|逾|超|突破|(?<![以之向往])上", LOWER_BOUND),
    (r"将近|接近|几近|逼近|(?<!最|附|邻)近", "near"),
    (
        r"(?:约|大约)(?:占|为|相当于)[\u4e00-\u9fff\d]{1,16}的"
        r"|大约|约为|约合|约有|约莫|约占|约在|大概|大致|差不多"
        r"|约(?:上涨|下跌|增长|下降|减少|增加|上升|涨|跌|增|减|降|升)了?|约",
        APPROXIMATE,
    ),
    (
        r"(?:(?:far|much|well|slightly) )?(?:less|fewer|lower|smaller) than(?: the)?"
        r"|(?:well )?(?:under|below)|up to|at most|at the most|no more than|not more than"
        r"|as (?:much|many|high|large) as|a maximum of",
        UPPER_BOUND,
    ),
    (
        r"(?:(?:far|much|well|slightly|just) )?(?:more|greater|higher|larger) than(?: the)?"
        r"|(?:well |just )?(?:over|above)|at least|upwards of|in excess of|north of"
        r"|no (?:fewer|less) than|a minimum of|exceed(?:s|ed|ing)?|topped|surpass(?:es|ed|ing)?"
        r"|as (?:few|little|low) as",
        LOWER_BOUND,
    ),
    (r"nearly|almost|close to|just under|just shy of|approaching", "near"),
    (
        r"about|around|approximately|roughly|some|circa|~|an estimated"
        r"|(?:on|in|of) the order of|in the (?:region|neighbou?rhood) of|closer to|nearer"
        r"|approx\.?",
        APPROXIMATE,
    ),
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
# 至少 is an adverb and may stand before the verb: 至少需要10亿, 至少造成营收减少两成.
_AT_LEAST_BEFORE_VERB = re.compile(r"(?:至少|起码|最少)[\u4e00-\u9fff]{1,10}$")
_AT_MOST_BEFORE_VERB = re.compile(r"(?:最高|最多|至多)(?:可|将|能|会|只)[\u4e00-\u9fff]{0,2}$")
# "over" belongs to the verb before it: handed over $5M, took over in 2021.
_PHRASAL_OVER = re.compile(
    r"(?<![a-z])(?:hand|tak|took|turn|sign|fork|pass|carr|hold|held|win|won|giv|gave|tip)"
    r"[a-z]*\s+over\s*$",
    re.I,
)
# A lower bound negated is an upper one: would not pay more than $2M, did not exceed 5%.
_NEGATION_BEFORE = re.compile(r"(?<![a-z])(?:not|never|n't|cannot)\s+(?:[a-z]+\s+){0,2}$", re.I)
_HEDGE_AFTER = re.compile(
    r"(?P<lower>\s*(?:以上|之上|或以上|及以上|\+|or more(?![a-z])|-plus(?![a-z])))"
    r"|(?P<upper>\s*(?:以下|以内|之内|or less(?![a-z])|or fewer(?![a-z])))"
    r"|(?P<approximate>\s*(?:左右|上下|or so(?![a-z])))",
    re.I,
)


def _hedge_before(reading: str, position: int) -> str | None:
    window = reading[max(0, position - 30) : position]
    if found := _HEDGE_BEFORE_RE.search(window):
        words = found[found.lastgroup]
        kind = _HEDGES_BEFORE[int(found.lastgroup[1:])][1]
        kind = kind or _NEGATED.get(words, UPPER_BOUND)
        before = window[: found.start()]
        if words.lower().startswith("over") and _PHRASAL_OVER.search(window[: found.end()]):
            return None
        if words == "上" and reading[position : position + 1] not in "百千万":
            return None  # 上 is 'upwards of' only before a round 百, 千 or 万: 上千人, 上万名
        if kind == LOWER_BOUND and words.isascii() and _NEGATION_BEFORE.search(before):
            return UPPER_BOUND
        return kind
    if _AT_MOST_BEFORE_VERB.search(window):
        return UPPER_BOUND
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


_AFTER_GROUPS = {"lower": LOWER_BOUND, "upper": UPPER_BOUND, "approximate": APPROXIMATE}


def _after_kind(after: re.Match | None) -> str | None:
    return _AFTER_GROUPS[after.lastgroup] if after else None


# Shares written as fractions and rates

_CN_SMALL = r"\d+|[一二两三四五六七八九十]+"
_EN_SMALL = "one|two|three|four|five|six|seven|eight|nine|ten"
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6,
              "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_SHARE = rf"""
    百分之(?P<percent>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点]+)
  | 千分之(?P<permille>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点]+)
  | (?P<denominator>{_CN_SMALL})分之(?P<numerator>{_CN_SMALL})
  | (?P<half>一半|半数)|(?P<over_half>过半数?|超过半数)
  | 每(?P<every>{_CN_SMALL})\s*(?:[名个位]\s*)?[\u4e00-\u9fff]{{0,3}}?[人民员者工户家庭]
      (?:中|当中|里)?[,，]?
      \s*(?:就|便)?有(?P<every_has>{_CN_SMALL})\s*(?:[名个位户家]|人)?
  | (?i:(?<![a-z\d,.])(?P<rate>\d+|{_EN_SMALL})\s+(?:out\s+of|in)\s+(?P<rate_base>\d+|{_EN_SMALL})
      (?![a-z\d]|[,.]\d|\s*(?:%|percent|per\s+cent|million|billion|thousand)))
  | (?i:(?<![a-z])(?P<fraction>a|one|two|three|four|five|six|seven|eight|nine)[\s-]+
      (?P<fraction_of>halves|half|(?:third|quarter|fifth|sixth|seventh|eighth|ninth|tenth)s?)
      (?![a-z]))
  | (?i:(?<![a-z])(?<!first\s)(?<!second\s)(?P<half_en>half)
      (?=\s+(?:of|the|its|their|all)(?![a-z])|\s*[,.;:!?)]
        |\s+as(?!\s+(?:many|much|large|big|high|long|likely|often|fast|well))(?![a-z])
        |\s+(?:are|were|is|was|have|has|had|say|said|will|would|can|could|did|do|does)(?![a-z])))
"""
_OF_A_MAGNITUDE = re.compile(
    r"\s+of\s+(?:a|an|one)\s+(?P<scale>thousand|million|billion|trillion)(?![a-z])", re.I
)
_SHARE_FOLLOWS = re.compile(
    r"\s*(?:(?:of|since|in|from|to|on|at|by|and|or|but|after|before|over|while|as|when"
    r"|compared|than|are|were|is|was|have|has|had|say|said|will|would|can|could|did|do"
    r"|does)(?![a-z])|[,.;:!?)]|$)",
    re.I,
)


def _small(text: str) -> Decimal | None:
    text = text.lower()
    if text.isdigit():
        return Decimal(text)
    if text in _EN_WORDS or text in ("a", "an"):
        return Decimal(_EN_WORDS.get(text, 1))
    return _chinese_number(text)


def _fraction(numerator: Decimal, denominator: Decimal, scale: Decimal) -> tuple[Decimal, bool]:
    """numerator/denominator of scale, rounded to hundredths; whether rounding was needed."""
    value = numerator * scale / denominator
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _whole(rounded), rounded != value


@dataclass(frozen=True)
class _Share:
    start: int
    end: int
    percent: Decimal
    approximate: bool  # a fraction rounded to hundredths (a third is about 33.33%)
    at_least: bool = False  # 过半: more than half


def _share_at(reading: str, match: re.Match) -> _Share | _Number | None:
    """A share of a whole, or a fraction of a magnitude as a number.

    `a third of a billion` is an amount; `a third of the staff` and `三分之一` are shares.
    """
    start, end = match.start(), match.end()
    if match["percent"] or match["permille"]:
        figures = (match["percent"] or match["permille"]).replace("点", ".")
        try:
            value = Decimal(figures)
        except ArithmeticError:
            value = _chinese_number(figures)
        if value is None:
            return None
        return _Share(start, end, value if match["percent"] else value / 10, False)
    if match["half"] or match["over_half"]:
        return _Share(start, end, Decimal(50), False, bool(match["over_half"]))
    if match["denominator"]:
        numerator, denominator = _small(match["numerator"]), _small(match["denominator"])
    elif match["every"]:
        numerator, denominator = _small(match["every_has"]), _small(match["every"])
    elif match["rate"]:
        numerator, denominator = _small(match["rate"]), _small(match["rate_base"])
        if denominator is None or denominator > 10:
            return None
    elif match["half_en"]:
        numerator, denominator = Decimal(1), Decimal(2)
    else:
        numerator = _small(match["fraction"])
        denominator = Decimal(_FRACTIONS[match["fraction_of"].lower().rstrip("s")
                                         .replace("halve", "half")])  # fmt: skip
        if of := _OF_A_MAGNITUDE.match(reading, end):
            scale = Decimal(_EN_MAGNITUDE[of["scale"].lower()])
            value, rounded = _fraction(numerator, denominator, scale)
            value = _whole(value.quantize(Decimal(1))) if rounded else value
            return _Number(start, of.end(), value, value, scale, approximate=rounded)
        if not _SHARE_FOLLOWS.match(reading, end):
            return None
    if not numerator or not denominator or numerator >= denominator:
        return None
    value, rounded = _fraction(numerator, denominator, Decimal(100))
    return _Share(start, end, value, rounded)


# Amounts: money, counts, percentages

_FIGURE = re.compile(f"(?P<share>{_SHARE})|(?P<number>{_NUMBER})", re.X)
_NUMBER_RE = re.compile(_NUMBER, re.X)
_RANGE_JOIN = re.compile(r"\s*(?:至|到|~|～|-|–|—|to(?![a-z])|(?P<and>and(?![a-z])))\s*", re.I)
_BETWEEN = re.compile(r"(?<![a-z])between\s*(?:us\$|\$|¥|€|£)?\s*$", re.I)
# "rose from €15.50 to €19.50": two values a change runs between, not a range.
_CHANGED_FROM = re.compile(
    r"(?<![a-z])(?:rose|rise|rising|risen|fell|fall|falling|fallen|increased|increasing"
    r"|decreased|grew|grown|dropped|climbed|jumped|declined|raised|cut|lowered|reduced|up"
    r"|down|went\s+(?:up|down)|revised|shrank|swelled)\s+from\s*$",
    re.I,
)
# "people over 65", "aged 30": an age, never a count carried from before.
_AGE_BEFORE = re.compile(
    r"(?<![a-z])(?:aged|ages|age|(?:people|adults|those|persons|men|women|residents|children"
    r"|voters|patients|workers|anyone|everyone)\s+(?:over|under|above|below|older\s+than"
    r"|younger\s+than))\s*$",
    re.I,
)
_PART_OF = re.compile(r"\s*中的\s*")
_CLASSIFIER = re.compile(r"\s*[个名位张人]")
_CURRENCY_SIGN = re.compile(r"(?:us\$|hk\$|nt\$|\$|¥|€|£)\s*", re.I)
# "640 of its 15,000 employees": the count after "of" names what the first figure counts.
_OF_THE = re.compile(
    r"\s+(?:out\s+)?of\s+(?:(?:the|its|their|his|her|our|this|that|these|those|all|[a-z]+['’]s"
    r"|roughly|about|around|nearly|some|approximately|almost|more\s+than|over)\s+){0,4}",
    re.I,
)
# A figure with nothing counted after it: followed by punctuation, a clause word or a verb,
# not by a noun or a Chinese measure word (30万辆, 120起, 3个月).
_BARE_WORD_AFTER = re.compile(
    r"\s*(?:[,.;:!?)\]”」』\"'，。；：！？、）]|$|(?:in|on|at|by|for|from|to|and|or|but|than"
    r"|rather|who|which|that|were|was|are|is|had|have|has|will|would|could|said|say|says"
    r"|cited|claimed|reported|estimated|more|last|this|the|a|an|according|as|with|while"
    r"|when|after|before|during|since|of|today|now|remain|remained|a year|each|[a-z]+ed)"
    r"(?![a-z]))",
    re.I,
)
# Units outside the vocabulary, after which a figure is not bare: 35万人次, 20公里.
_MEASURE_TERMS = ("人次", "公里", "平方", "公斤", "毫米", "厘米", "小时", "分钟", "公顷", "架次")
# Chinese classifiers that count things named before the figure: 房屋7000余间, 商家1450万家.
_CLASSIFIER_AFTER = re.compile(r"\s*(?:[多余])?\s*[间栋套户家名位个座](?!次)")
_COUNTED_BEFORE = re.compile(
    r"(?:(?P<homes>房屋|住房|房子|民房|住宅|空屋)|(?P<companies>商家|企业|公司|厂商|银行|房企|车企|债权人|债权机构|供应商|赞助商)"
    r"|(?P<people>员工|工人|职工|骑手|人员|劳工|居民|群众|游客|乘客|患者|学生))"
    r"(?:[有达约近逾超过共计总为在]|一度|累计|超过|接近|大约)*$"
)
_MEASURE_WORDS = set(
    "个只条件张辆台架艘吨克斤米里次天年月日号时分秒岁倍度股家间栋套户座所部项颗粒起例宗场轮批"
)
# What a figure with no noun counts, named before it: the death toll rose to 37,000.
_MEASURE_BEFORE = re.compile(
    r"(?P<people>(?<![a-z])(?:head\s*count|workforce|death\s+toll|toll|membership|population"
    r"|turnout|attendance|crowds?|crews?|casualties|enrol?ment|number\s+of\s+(?:people|dead|deaths"
    r"|displaced|victims|workers|employees|staff|protesters|voters|residents|patients"
    r"|refugees|migrants|members))(?![a-z])|人数|人口"
    r"|[\u4e00-\u9fff]{0,2}[人员手工者民客生师军](?:数量|总数))"
    r"|(?P<users>用户数量?|用户总数|number\s+of\s+users)|(?P<homes>户数)|(?P<votes>票数)"
    r"|(?P<seats>席次)",
    re.I,
)
_MEASURE_LINK_EN = re.compile(
    r"(?<![a-z])(?:rose|rise|rises|risen|fell|fall|falls|fallen|reached|reach|reaches|hit|hits"
    r"|topped|exceed|exceeds|exceeded|surpassed|stood|stands|was|were|is|are|be|been|at|of"
    r"|totall?ed|totals?|numbered|numbers|climbed|jumped|dropped|declined|increased"
    r"|decreased|grew|grown|swelled|doubled|put|to|numbering|from|revised)(?![a-z])",
    re.I,
)
_MEASURE_LINK_ZH = re.compile(r"[为是达至逾超约近有在仅共]")
# A yuan-family currency named outright, which a later bare 元 is in.
_NAMED_YUAN = re.compile(
    r"人民币|新台币|台币|港币|港元|澳门币|澳门元|rmb|cny|nt\$|hk\$|hkd|twd|mop", re.I
)


def _amounts(reading: str, sentence_starts: list[int], default_unit: str) -> list[_Found]:
    found: list[_Found] = []
    yuan = default_unit if default_unit in _YUAN_FAMILY else "CNY"
    default = default_unit if default_unit not in ("", units.PERCENT, units.DATE) else ""
    context = _Context(default, yuan)
    position = 0
    while match := _FIGURE.search(reading, position):
        position = match.end()
        sentence = _sentence_of(sentence_starts, match.start())
        if match["share"] is not None:
            share = _share_at(reading, match)
            if isinstance(share, _Share):
                value = _share_value(reading, share)
                found.append(value)
                context.last = (sentence, PERCENT, units.PERCENT)
                position = value[1]
                continue
            if share is None:
                continue
            first = share
        else:
            if _NOT_A_VALUE_BEFORE.search(reading[max(0, match.start() - 2) : match.start()]):
                continue
            first = _number_at(reading, match)
            if first is None:
                continue
        sentence_start = _sentence_start(sentence_starts, sentence)
        amount = _amount_from(reading, first, context, sentence, sentence_start)
        if amount is None:
            continue
        found.append(amount)
        context.last = (sentence, amount[2], amount[3].unit)
        position = amount[1]
    return found


def _share_value(reading: str, share: _Share) -> _Found:
    hedge = LOWER_BOUND if share.at_least else _hedge_before(reading, share.start)
    after = _HEDGE_AFTER.match(reading, share.end)
    if share.approximate and not hedge and not after:
        hedge = APPROXIMATE
    interval = _hedged(share.percent, share.percent, hedge, _after_kind(after), units.PERCENT)
    return share.start, after.end() if after else share.end, PERCENT, interval, ""


def _amount_from(
    reading: str, first: _Number, context: _Context, sentence: int, sentence_start: int
) -> _Found | None:
    start, end = first.start, first.end
    low, high = first.low, first.high
    currency_before = _currency_before(reading, start)
    prefixed_code = currency_before[0] if currency_before else None
    unit_found = _unit_at(reading, end, first, context, prefixed_code)
    if subunit := _SUBUNIT.match(reading, end):
        unit_found = (MONEY, subunit.lastgroup, subunit.end())
        low, high = _whole(low / 100), _whole(high / 100)
    if unit_found and (unit_found[0] != MONEY or unit_found[1] != prefixed_code):
        currency_before = None
    prefixed = (MONEY, currency_before[0]) if currency_before else None
    if unit_found:
        end = unit_found[2]
    elif prefixed:
        unit_found = (*prefixed, end)
    joined = _RANGE_JOIN.match(reading, end)
    if joined and joined["and"] and not _BETWEEN.search(reading, max(0, start - 12), start):
        joined = None
    opened = currency_before[1] if currency_before else start
    if joined and _CHANGED_FROM.search(reading, max(0, opened - 30), opened):
        joined = None
    if joined and (second := _second_number(reading, joined.end())):
        second_unit = _unit_at(reading, second.end, second, context, prefixed_code) or (
            prefixed and (*prefixed, second.end)
        )
        both_bare = unit_found is None and second_unit is None
        if both_bare or (second_unit and (not unit_found or unit_found[:2] == second_unit[:2])):
            if not first.scaled and second.scaled and low * second.scale <= second.high:
                low, high = low * second.scale, high * second.scale
            if low <= second.high and not (first.year_like or second.year_like):
                high, end = second.high, second_unit[2] if second_unit else second.end
                unit_found = second_unit
                first = replace(first, scale=max(first.scale, second.scale))
    if unit_found is None:
        implied = _implied_unit(reading, first, end, context, sentence, sentence_start)
        if implied is None:
            return None
        quantity, unit = implied
    else:
        quantity, unit, _ = unit_found
        named_from = currency_before[1] if currency_before else start
        if unit in _YUAN_FAMILY and _NAMED_YUAN.search(reading, named_from, end):
            context.yuan = unit
    if quantity == COUNT and first.lone_one and low == high:
        return None
    hedge = _hedge_before(reading, currency_before[1] if currency_before else start)
    if first.approximate and not _HEDGE_AFTER.match(reading, end):
        hedge = hedge or APPROXIMATE
    if currency_before:
        start = currency_before[1]
    if unit == "成":
        unit, low, high = units.PERCENT, low * 10, high * 10
        if not _HEDGE_AFTER.match(reading, end + 1 if _TENTHS_MORE.match(reading, end) else end):
            hedge = hedge or APPROXIMATE
        if more := _TENTHS_MORE.match(reading, end):
            if more["digit"]:
                low = high = low + _PAIR_DIGITS.index(more["digit"]) + 1
            else:
                high = low + 10
            end = more.end()
    part = _PART_OF.match(reading, end)
    if quantity == COUNT and part and (match := _NUMBER_RE.match(reading, part.end())):
        share = _number_at(reading, match)
        if share is not None:
            low, high, end = share.low, share.high, share.end
            if classifier := _CLASSIFIER.match(reading, end):
                end = classifier.end()
    after = _HEDGE_AFTER.match(reading, end)
    if after:
        end = after.end()
    return start, end, quantity, _hedged(low, high, hedge, _after_kind(after), unit), ""


def _implied_unit(
    reading: str, first: _Number, end: int, context: _Context, sentence: int, sentence_start: int
) -> tuple[str, str] | None:
    """What a figure with no unit of its own counts or is in, from the words around it."""
    if first.year_like or first.worded:
        return None
    if _AGE_BEFORE.search(reading, max(sentence_start, first.start - 30), first.start):
        return None
    of = _OF_THE.match(reading, end)
    if of and (match := _NUMBER_RE.match(reading, of.end())):
        later = _number_at(reading, match)
        counted = later and _unit_at(reading, later.end, later, context, None)
        if counted and counted[0] == COUNT:
            return COUNT, counted[1]
    if _CLASSIFIER_AFTER.match(reading, end) and (
        named := _named_before(reading, first.start, sentence_start)
    ):
        return COUNT, named
    if not _bare_after(reading, end):
        return None
    last = context.last
    carried = last and (last[1] == COUNT or last[1] == MONEY and first.scaled)
    if carried and last[0] == sentence:
        return last[1], last[2]
    if measure := _measure_before(reading, first.start, sentence_start):
        return COUNT, measure
    if not first.scaled:
        return None
    if carried and last[0] == sentence - 1:
        return last[1], last[2]
    if context.default_unit:
        if units.is_currency(context.default_unit):
            return MONEY, context.default_unit
        return COUNT, context.default_unit
    return None


def _bare_after(reading: str, position: int) -> bool:
    if _BARE_WORD_AFTER.match(reading, position):
        return True
    following = reading[position : position + 1]
    if reading.startswith(_MEASURE_TERMS, position):
        return False
    return "\u4e00" <= following <= "\u9fff" and following not in _MEASURE_WORDS


def _named_before(reading: str, position: int, sentence_start: int) -> str | None:
    """倒塌房屋7000余间, 活跃商家约1450万家: the thing a classifier counts, named before it."""
    window = reading[max(sentence_start, position - 12) : position]
    named = _COUNTED_BEFORE.search(window)
    return named.lastgroup if named else None


def _measure_before(reading: str, position: int, sentence_start: int) -> str | None:
    window = reading[max(sentence_start, position - 60) : position]
    measures = list(_MEASURE_BEFORE.finditer(window))
    if not measures:
        return None
    measure = measures[-1]
    gap = window[measure.end() :]
    if re.search(r"[\d,;:.!?()，。；：！？、]", gap):
        return None
    if measure[0].isascii():
        if len(gap.split()) > 8 or not _MEASURE_LINK_EN.search(gap):
            return None
    else:
        gap = gap.strip()
        if gap and (len(gap) > 6 or not _MEASURE_LINK_ZH.search(gap)):
            return None
    return units.PEOPLE if measure.lastgroup == "people" else measure.lastgroup


def _second_number(reading: str, position: int) -> _Number | None:
    """The upper end of a range, which may repeat its currency sign ($50 million to $100M)."""
    currency = _CURRENCY_SIGN.match(reading, position)
    match = _NUMBER_RE.match(reading, currency.end() if currency else position)
    return _number_at(reading, match) if match else None


# Denials: "not $10M but $4M", 并非1亿美元, "reports of $60 were incorrect", 系谣言

_CLAUSE_BREAK = re.compile(r"[,;:，；：]")
_DENIAL_REACH = 120  # characters: the farthest a denial stands from the figure it denies
_DENIED_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:not|rather\s+than|instead\s+of|as\s+opposed\s+to)|(?<=[a-z])n['’]t)"
    r"(?P<short>(?:\s+[^\s\d]+){0,3}?)\s*$"
    r"|(?<![a-z])(?:denied|denies|deny|denying|refuted|refutes)(?:\s+[^\s\d]+){0,8}?\s*$"
    r"|(?<![a-z])(?:rejected|rejects|rejecting|dismissed|dismisses|disputed|disputes|rebutted)"
    r"\s+(?:[^\s\d]+\s+){0,3}?(?:claims?|reports?|suggestions?|allegations?|figures?"
    r"|estimates?|numbers?|assertions?|accounts?|rumou?rs?)(?:\s+[^\s\d]+){0,5}?\s*$"
    r"|(?<![a-z])revised\s+(?:[^\s\d]+\s+){0,3}?down(?:wards?)?\s+from\s*$"
    r"|(?:并非|而非|绝非|并不是|绝对不是|不是|并未|从未|未曾|并没有)(?P<short_zh>[^\d]{0,8})$"
    r"|否认[^\d]{0,16}$",
    re.I,
)
# A negation that bounds the figure denies nothing: not more than $2M, 并未超过, not until.
_BOUND_NOT_DENIAL = re.compile(
    r"(?<![a-z])(?:more|less|fewer|over|under|above|below|exceed\w*|until|till|only|just"
    r"|including|counting|least|most|much|many|as|up|higher|lower)(?![a-z])"
    r"|^\s*(?:超过|超出|多于|高于|大于|少于|低于|到|达到|只|仅)",
    re.I,
)
_DENIED_AFTER = re.compile(
    r"(?<![a-z])(?:was|were|is|are|had\s+been|has\s+been|have\s+been)\s+(?:[a-z]+\s+){0,5}?"
    r"(?:as\s+)?"
    r"(?:incorrect|wrong|false|untrue|inaccurate|baseless|unfounded|mistaken|fabricated"
    r"|exaggerated|overstated|inflated|overblown|too\s+(?:high|low)|an\s+exaggeration"
    r"|not\s+(?:true|accurate|correct))(?![a-z])"
    r"|系谣言|纯属谣言|是谣言|属谣言|为谣言|失实|不实(?!施|行|际|用|在|现)|有误(?!导|会|差|解)"
    r"|不正确|不属实|予以否认|否认了这一说法|否认这一说法|否认此说|辟谣|缺乏依据|没有依据"
    r"|毫无根据|不支持这一说法|站不住脚|是假的|并非事实|不是事实|与事实不符|纯属捏造|子虚乌有"
    r"|并不属实|夸大|不准确|并非如此|并非这样|并不是这样|不是这样|并无此事|没有此事",
    re.I,
)
# "有报道称1000万张, 但最终统计为970万": a reported figure the text then corrects.
_CORRECTED_AFTER = re.compile(
    r"(?:但|不过|然而|澄清)(?:是)?[^,，。;；]{0,10}?(?:实际|最终|事实上|其实|真实)|澄清"
    r"|(?<![a-z])but\s+(?:[a-z]+\s+){0,4}?(?:actual(?:ly)?|in\s+fact"
    r"|the\s+(?:final|true|real|actual)\s+(?:count|number|figure|tally))(?![a-z])",
    re.I,
)
_REPORTED = re.compile(
    r"报道|称|传闻|传言|网传|据传|说法|(?<![a-z])(?:reports?|reported|claimed|claims|rumou?rs?)"
    r"(?![a-z])",
    re.I,
)


def _denied(reading: str, sentences: list[tuple[int, int]], values: list[_Found]) -> set[int]:
    """The indexes of the values the text denies."""
    denied: set[int] = set()
    index = 0
    for start, end in sentences:
        in_sentence = []
        while index < len(values) and values[index][0] < end:
            if values[index][0] >= start:
                in_sentence.append(index)
            index += 1
        if not in_sentence:
            continue
        for i in in_sentence:
            # A denial stands a few words before what it denies, in the same clause.
            window = max(start, values[i][0] - _DENIAL_REACH)
            clause_start = window
            for clause_break in _CLAUSE_BREAK.finditer(reading, window, values[i][0]):
                clause_start = clause_break.end()
            cue = _DENIED_BEFORE.search(reading, clause_start, values[i][0])
            if cue is None:
                continue
            short = cue["short"] if cue["short"] is not None else cue["short_zh"]
            if short is None or not _BOUND_NOT_DENIAL.search(short):
                denied.add(i)
        ends = [values[i][1] for i in in_sentence]
        for cue in _DENIED_AFTER.finditer(reading, start, end):
            if (i := _denied_by(reading, values, in_sentence, ends, cue.start())) is not None:
                denied.add(i)
        for cue in _CORRECTED_AFTER.finditer(reading, start, end):
            i = _denied_by(reading, values, in_sentence, ends, cue.start())
            reach = max(start, values[i][0] - _DENIAL_REACH) if i is not None else start
            if i is not None and _REPORTED.search(reading, reach, values[i][0]):
                denied.add(i)
    return denied


def _denied_by(
    reading: str, values: list[_Found], indexes: list[int], ends: list[int], cue: int
) -> int | None:
    """The value a denial after it speaks of: the nearest before it, a clause away at most, or
    two when the sentence says whose figure it was ("Reports of €150M, with wages, were …")."""
    nearest = bisect_right(ends, cue) - 1
    if nearest < 0 or cue - values[indexes[nearest]][1] > _DENIAL_REACH:
        return None
    value = values[indexes[nearest]]
    breaks = len(_CLAUSE_BREAK.findall(reading, value[1], cue))
    reported = _REPORTED.search(reading, max(0, value[0] - _DENIAL_REACH), value[0])
    if breaks <= 1 or breaks == 2 and reported:
        return indexes[nearest]
    return None


# Dates

_MONTH_CN = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY_CN = r"3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"
_MONTH_DAY = (
    rf"\s*(?P<{{p}}month>{_MONTH_CN})\s*(?:(?:至|到|-|–|~)\s*(?P<{{p}}month_end>{_MONTH_CN})\s*)?"
    rf"月份?(?:\s*(?P<{{p}}day>{_DAY_CN})\s*[日号])?"
)
_YEAR_PART_CN = (
    r"(?P<{p}half>上半年|下半年)|(?P<{p}quarters>前[二两三]季度?)"
    r"|(?P<{p}quarter>第[一二三四1-4]季度?(?![赛节集])|[一二三四1-4]季度)"
    r"|(?P<{p}season>春季|夏季|秋季|冬季|春天|夏天|秋天|冬天)"
    r"|(?P<{p}months>(?:前|首)(?:1[01]|[2-9]|十一|十|[二两三四五六七八九])个?月)"
)
_PART = r"(?P<{p}part>上旬|中旬|下旬|底|末|初|头)?"
_RELATION = (
    r"(?P<{p}relation>\s*(?:前后|左右|之后|以后|以来|之前|以前"
    r"|起(?!诉|草|义|飞|床|步|火|源|见|码|跑|来|身|航|点|伏|落|色|名|因|家|始|初)"
    r"|前(?!往|去|来|进|行|面|述|者|任|期|夕|三|两|二|几|半|十|一|景|提|线|台|身|途|所)))?"
)
_EN_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_EN_FULL_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_EN_DAY = r"3[01]|[12]\d|0?[1-9]"
_EN_YEAR = r"(?:1[6-9]|20)\d{2}"
_EN_PART = r"early|late|mid|(?:the\s+)?(?:end|start|beginning|middle)\s+of"


def _with(pattern: str, prefix: str) -> str:
    return pattern.replace("{p}", prefix)


def _calendar(prefix: str) -> str:
    return _with(rf"(?:{_MONTH_DAY}|\s*(?:{_YEAR_PART_CN}))?" + _PART + _RELATION, prefix)


_DATE = re.compile(
    "|".join(
        [
            r"(?P<iso>(?<!\d)(?P<iso_year>(?:19|20)\d{2})[-/.](?P<iso_month>0?[1-9]|1[0-2])"
            r"[-/.](?P<iso_day>3[01]|[12]\d|0?[1-9])(?!\d))",
            r"(?P<cd>(?P<cd_century>上世纪|二十世纪|20世纪)?(?<!\d)(?P<cd_n>(?:19|20)?[1-9]0|"
            r"[一二三四五六七八九]十)\s*年代" + _with(_RELATION, "cd_") + ")",
            r"(?P<cyr>(?<![\d.])(?P<cyr_from>(?:1[5-9]|20)\d{2})\s*(?:至|到|-|–|—|~)\s*"
            r"(?P<cyr_to>(?:1[5-9]|20)\d{2})\s*年(?!代))",
            r"(?P<abs>(?<![\d.])(?P<abs_year>(?:1[5-9]|20)\d{2}|[一二][〇零一二三四五六七八九]{3})"
            r"\s*年" + _calendar("abs_") + ")",
            r"(?P<rel>(?P<rel_word>去年|客岁|前年|今年|本年|明年|来年)(?!同期)(?:年(?=[底末初头]))?"
            + _calendar("rel_")
            + ")",
            r"(?P<relm>(?P<relm_word>上个月|上月|本月|这个月|下个月|下月|次月)"
            rf"(?:\s*(?P<relm_day>{_DAY_CN})\s*[日号])?)",
            r"(?P<off>(?<![\d.])(?P<off_n>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年\s*"
            r"(?P<off_way>之后|以后|后|之前|以前|前)(?![后来]))",
            r"(?P<cq>(?<!\d)(?:"
            + _with(_YEAR_PART_CN, "cq_")
            + ")"
            + _with(_RELATION, "cq_")
            + ")",
            r"(?P<cy>(?<![\d年今去明本前来岁每])年(?P<cy_part>底|末|初)"
            + _with(_RELATION, "cy_")
            + ")",
            r"(?P<bare>(?<![\d.年个])(?P<bare_month>" + _MONTH_CN + r")\s*"
            rf"(?:(?:至|到|-|–|~)\s*(?P<bare_month_end>{_MONTH_CN})\s*)?月份?"
            rf"(?:\s*(?P<bare_day>{_DAY_CN})\s*[日号])?" + _with(_PART + _RELATION, "bare_") + ")",
            r"(?P<day>(?<![\d.月])(?P<day_n>3[01]|[12]\d|0?[1-9])\s*日(?!元|本|报|期|志|常))",
            rf"(?P<en>(?<![a-z])(?:(?P<en_part>{_EN_PART})[\s-]+)?(?P<en_month>{_EN_MONTHS})\.?\s+"
            rf"(?:(?P<en_day>{_EN_DAY})(?:st|nd|rd|th)?,?\s+)?(?P<en_year>{_EN_YEAR})(?!\d))",
            rf"(?P<en2>(?<![\d.])(?P<en2_day>{_EN_DAY})\s+(?P<en2_month>{_EN_MONTHS})"
            rf"\.?,?\s+(?P<en2_year>{_EN_YEAR})(?!\d))",
            r"(?P<enq>(?<![a-z])(?:the\s+)?(?P<enq_n>first|second|third|fourth|1st|2nd|3rd|4th)"
            rf"[\s-]+quarter(?![a-z])(?:\s+(?:of\s+)?(?:(?P<enq_year>{_EN_YEAR})(?!\d)"
            r"|(?P<enq_which>this|last|next)\s+year))?"
            rf"|(?<![a-z\d])q(?P<enq_d>[1-4])(?:\s*(?:(?P<enq_year2>{_EN_YEAR})|['’](?P<enq_yy>\d{{2}}))"
            rf"(?!\d))?(?![a-z\d])|(?<![\d.])(?P<enq_year3>{_EN_YEAR})\s*q(?P<enq_d3>[1-4])(?![a-z\d]))",
            r"(?P<enh>(?<![a-z])(?:the\s+)?(?P<enh_n>first|second)\s+half\s+of\s+"
            rf"(?:(?P<enh_year>{_EN_YEAR})(?!\d)|(?P<enh_which>this|last|next|the)\s+year)"
            rf"|(?<![a-z\d])h(?P<enh_d>[12])(?:\s*(?P<enh_year2>{_EN_YEAR})(?!\d))?(?![a-z\d])"
            rf"|(?<![\d.])(?P<enh_year3>{_EN_YEAR})\s*h(?P<enh_d3>[12])(?![a-z\d]))",
            r"(?P<ens>(?<![a-z])(?:the\s+)?(?P<ens_season>spring|summer|autumn|fall|winter)\s+"
            rf"(?:of\s+)?(?P<ens_year>{_EN_YEAR})(?!\d))",
            r"(?P<endec>(?<![a-z])(?:the\s+)?(?P<endec_year>(?:19|20)\d0)['’]?s(?![a-z]))",
            r"(?P<enrel>(?<![a-z])(?:(?P<enrel_part>early|late|mid)[\s-]+)?"
            r"(?P<enrel_which>last|this|next)\s+(?P<enrel_unit>year|month)(?![a-z]))",
            rf"(?P<enmd>(?<![a-z])(?P<enmd_month>{_EN_MONTHS})\.?\s+(?P<enmd_day>{_EN_DAY})"
            r"(?:st|nd|rd|th)?(?![\d:]))",
            rf"(?P<endm>(?<![\d.])(?P<endm_day>{_EN_DAY})(?:st|nd|rd|th)?\s+"
            rf"(?P<endm_month>{_EN_FULL_MONTHS})(?![a-z]))",
            rf"(?P<enm>(?<![a-z])(?:(?P<enm_part>{_EN_PART})[\s-]+)?"
            rf"(?P<enm_month>{_EN_FULL_MONTHS})(?![a-z]))",
            rf"(?P<enyear>(?<![a-z])(?:(?P<enyear_part>{_EN_PART})[\s-]+)?(?P<enyear_year>{_EN_YEAR})"
            r"(?![\da-z]|[,.]\d|\s*(?:年|%|percent|per\s+cent)))",
        ]
    ),
    re.I,
)
# Every date expression starts with one of these; trying _DATE only there is much faster.
_DATE_CUE = re.compile(
    r"[\d〇零一二两三四五六七八九十去客前今本明来上这下次第年春夏秋冬]"
    r"|(?<![a-z])[abdefhijlmnoqstuw]",
    re.I,
)
_ENGLISH_DATES = {
    "en",
    "en2",
    "enq",
    "enh",
    "ens",
    "endec",
    "enrel",
    "enmd",
    "endm",
    "enm",
    "enyear",
}
_DATE_RANGE_JOIN = re.compile(r"\s*(?:起)?\s*(?:至|到|~|-|–|—)\s*")
_EN_DATE_RANGE_JOIN = re.compile(r"\s*(?:to|through|until|till|(?P<and>and))\s+", re.I)
_FROM_OR_BETWEEN = re.compile(r"(?<![a-z])(?P<word>from|between)\s+(?:the\s+)?$", re.I)
_TWO_DIGIT_YEAR = re.compile(r"(?P<yy>\d{2})(?![\d%])")
_DAY_RANGE = re.compile(
    rf"\s*(?:[-–—]|and|to)\s*(?P<day>{_EN_DAY})(?:st|nd|rd|th)?(?!\d|\s*(?:{_EN_MONTHS}))",
    re.I,
)
_EN_RELATION = re.compile(
    r"(?<![a-z])(?P<not>(?:not|n't)\s+(?:[a-z]+\s+){0,2})?"
    r"(?P<word>since|after|before|by|until|till|through)\s+$",
    re.I,
)
_EN_RELATIONS = {"since": "以来", "after": "之后"}
# Bare month names need a word that makes them dates: in June, since March, July and August.
_BEFORE_BARE_MONTH = re.compile(
    r"(?<![a-z])(?:in|since|by|until|till|from|to|through|during|before|after|of|and|or|last"
    r"|next|this|that|same|following|between|on|early|late|mid|end|start)[\s-]+$",
    re.I,
)
# A year before 1900 is a date only after a word that makes it one: since 1856, in 1832.
_EARLY_YEAR_BEFORE = re.compile(
    r"(?<![a-z])(?:in|since|by|until|till|before|after|from|during|through|of)\s+$", re.I
)
_FUTURE = re.compile(
    r"(?<![a-z])(?:will|would|shall|due|expect|expected|expects|expecting|intends?|intended"
    r"|aims?|hopes?|forecasts?|scheduled|plans?|planned|set\s+to"
    r"|going\s+to|next|until|till|through)(?![a-z])|将(?!近|军)|预计|计划|拟|有望|即将|预期",
    re.I,
)
# 自1999年九二一大地震以来: "since" may close the phrase its date opens.
_SINCE_OPENS = re.compile(r"(?:自|从)\s*$")
_SINCE_CLOSES = re.compile(r"[^,，。;；、\d]{0,12}?(?:以来|起(?!诉|草|义|飞|床|步|火|源|见))")
_REL_YEARS = {"去年": -1, "客岁": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1, "来年": 1}
_REL_MONTHS = {"上个月": -1, "上月": -1, "本月": 0, "这个月": 0, "下个月": 1, "下月": 1}
_EN_WHICH = {"last": -1, "this": 0, "next": 1, "the": 0}
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
_EN_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
               "4th": 4}  # fmt: skip
_EN_PARTS = {"early": "初", "late": "底", "mid": "中", "end": "底", "start": "初",
             "beginning": "初", "middle": "中"}  # fmt: skip
# Northern seasons as months; winter runs into the next year's February (month 14).
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
            "winter": (12, 14), "春": (3, 5), "夏": (6, 8), "秋": (9, 11),
            "冬": (12, 14)}  # fmt: skip


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


def _months(year: int, first_month: int, last_month: int) -> _Days | None:
    """The days from the first of one month to the end of another (past December: next year)."""
    end_year, end_month = _shift_month(year, first_month, last_month - first_month)
    first, last = _days(year, first_month), _days(end_year, end_month)
    if first is None or last is None or last.last < first.first:
        return None
    return _Days(first.first, last.last, MONTH)


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
_MONTH_PARTS = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20), "中": (11, 20),
                "下旬": (21, 31), "底": (21, 31)}  # fmt: skip


def _with_part(span: _Days, part: str | None) -> _Days:
    """年底, 年初, 月底, 上旬 …: the part of a year or month they name."""
    if not part:
        return span
    first, last = span.first, span.last
    if span.precision == YEAR and part in _YEAR_PARTS:
        start_month, end_month = _YEAR_PARTS[part]
        first = date(first.year, start_month, 1)
        last = date(first.year, end_month, calendar.monthrange(first.year, end_month)[1])
    elif span.precision == MONTH and first.month == last.month:
        start_day, end_day = _MONTH_PARTS.get(part, _MONTH_PARTS["底"])
        first, last = first.replace(day=start_day), last.replace(day=min(end_day, last.day))
    return _Days(first, last, span.precision)


def _english_part(part: str | None) -> str | None:
    """early, mid, late, the end of …: the Chinese part word that names the same stretch."""
    if not part:
        return None
    words = part.lower().split()
    return _EN_PARTS[words[-2] if words[-1] == "of" else words[0]]


def _interval(span: _Days, relation: str | None) -> Interval:
    relation = (relation or "").strip()
    low, high = Decimal(span.first.toordinal()), Decimal(span.last.toordinal())
    if relation in ("之后", "以后", "以来", "起"):
        return Interval(low, None, LOWER_BOUND, DATE_UNIT)
    if relation in ("之前", "以前", "前"):
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
        if match is None or not _stands_as_date(reading, match):
            continue
        sentence = _sentence_of(sentence_starts, match.start())
        sentence_start = _sentence_start(sentence_starts, sentence)
        future = bool(
            _FUTURE.search(reading, max(sentence_start, match.start() - 80), match.start())
        )
        read = _date_from(match, last_in_sentence.get(sentence), published, future)
        if read is None:
            continue
        span, relation = read
        start, end = match.start(), match.end()
        english = match.lastgroup in _ENGLISH_DATES
        if english and relation is None:
            relation, start = _english_relation(reading, start)
        elif (
            relation is None
            and _SINCE_OPENS.search(reading, max(0, start - 2), start)
            and _SINCE_CLOSES.match(reading, end)
        ):
            relation = "以来"
        if relation in (None, "起"):
            joined = _joined_date(reading, match, span, published, future)
            if joined is not None:
                span, end = joined
                relation = None
        found.append((start, end, DATE, _interval(span, relation), span.precision))
        last_in_sentence[sentence] = span
        position = end
    return found


def _stands_as_date(reading: str, match: re.Match) -> bool:
    """Whether an English year or month name is a date here, not a figure or a verb."""
    kind, start = match.lastgroup, match.start()
    before = reading[max(0, start - 1) : start]
    after = reading[match.end() : match.end() + 1]
    if kind == "enyear" and int(match["enyear_year"]) < 1900:
        return bool(_EARLY_YEAR_BEFORE.search(reading, max(0, start - 10), start))
    if kind == "enyear" and not match["enyear_part"]:
        cjk = "\u4e00" <= before <= "\u9fff" or "\u4e00" <= after <= "\u9fff"
        return not cjk and before not in ("$", "£", "€", "¥", "#", "/", "-", "–", ".", ",")
    if kind in ("enm", "enmd"):
        month = match[f"{kind}_month"]
        if not month[0].isupper():
            return False
        if kind == "enm" and not (
            match["enm_part"] or _BEFORE_BARE_MONTH.search(reading, max(0, start - 12), start)
        ):
            return False
    return True


def _english_relation(reading: str, start: int) -> tuple[str | None, int]:
    """since 2019, by the end of 2024, before June: the relation word before a date."""
    found = _EN_RELATION.search(reading, max(0, start - 30), start)
    if found is None or found["not"]:
        return None, start
    word = found["word"].lower()
    return _EN_RELATIONS.get(word, "之前"), found.start("word")


def _joined_date(
    reading: str, match: re.Match, span: _Days, published: _Days | None, future: bool
) -> tuple[_Days, int] | None:
    """A range that runs on from this date: 2014至2017年, 2014–17, from March 2021 to …"""
    end = match.end()
    english = match.lastgroup in _ENGLISH_DATES
    if english and span.precision == DAY and (days := _DAY_RANGE.match(reading, end)):
        last = _days(span.first.year, span.first.month, int(days["day"]))
        if last is not None and last.first > span.first:
            return _Days(span.first, last.last, DAY), days.end()
    joined = _DATE_RANGE_JOIN.match(reading, end)
    if joined is None and english:
        joined = _EN_DATE_RANGE_JOIN.match(reading, end)
        opened = _FROM_OR_BETWEEN.search(reading, max(0, match.start() - 14), match.start())
        if joined and not (opened and (not joined["and"] or opened["word"].lower() == "between")):
            joined = None
    if joined is None:
        return None
    second = _DATE.match(reading, joined.end())
    later = second and _date_from(second, span, published, future)
    if later and later[1] is None and later[0].last >= span.first:
        return _Days(span.first, later[0].last, _coarser(span, later[0])), second.end()
    if english and span.precision == YEAR and (yy := _TWO_DIGIT_YEAR.match(reading, joined.end())):
        year = span.first.year // 100 * 100 + int(yy["yy"])
        if year > span.first.year:
            return _Days(span.first, date(year, 12, 31), YEAR), yy.end()
    return None


def _date_from(
    match: re.Match, context: _Days | None, published: _Days | None, future: bool = False
) -> tuple[_Days, str | None] | None:
    """The days a date expression names, and its relation word (之后, 之前 …) if any."""
    kind = match.lastgroup
    group = match.groupdict()
    span, relation = None, None
    if kind == "iso":
        span = _days(int(group["iso_year"]), int(group["iso_month"]), int(group["iso_day"]))
    elif kind in ("abs", "rel"):
        if kind == "abs":
            year = _year_number(group["abs_year"])
            span = _calendar_span(group, kind, year)
        else:
            offset = _REL_YEARS[group["rel_word"]]
            span = _relative(published, lambda d: _calendar_span(group, kind, d.year + offset))
        relation = group[f"{kind}_relation"]
    elif kind == "cyr":
        first, last = int(group["cyr_from"]), int(group["cyr_to"])
        span = _Days(date(first, 1, 1), date(last, 12, 31), YEAR) if first <= last else None
    elif kind == "cd":
        span = _decade(group)
        relation = group["cd_relation"]
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
    elif kind == "cq":
        span = _in_year(context, published, lambda y: _year_part(group, "cq_", y), future)
        relation = group["cq_relation"]
    elif kind == "cy":
        span = _relative(published, lambda d: _with_part(_days(d.year), group["cy_part"]))
        relation = group["cy_relation"]
    elif kind == "bare":
        month, day = _small_number(group["bare_month"]), _small_number(group["bare_day"])
        month_end = _small_number(group["bare_month_end"])
        if month_end:
            span = _in_year(context, published, lambda y: _months(y, month, month_end), future)
        else:
            span = _in_year(context, published, lambda y: _days(y, month, day), future)
        span = span and _with_part(span, group["bare_part"])
        relation = group["bare_relation"]
    elif kind == "day":
        span = _bare_day(int(group["day_n"]), context, published)
    else:
        span = _english_date(kind, group, context, published, future)
    return (span, relation) if span else None


def _calendar_span(group: dict, kind: str, year: int) -> _Days | None:
    """2019年, 2019年3月5日, 2019年1至10月, 2019年下半年, 去年第四季 …, with 年底 and the like."""
    month = _small_number(group[f"{kind}_month"])
    if month and (month_end := _small_number(group[f"{kind}_month_end"])):
        span = _months(year, month, month_end)
    elif month:
        span = _days(year, month, _small_number(group[f"{kind}_day"]))
    else:
        span = _year_part(group, f"{kind}_", year) or _days(year)
    return span and _with_part(span, group[f"{kind}_part"])


def _year_part(group: dict, prefix: str, year: int) -> _Days | None:
    """上半年, 第三季度, 前三季度, 夏季: the months of the year they name."""
    if half := group.get(f"{prefix}half"):
        return _months(year, 1, 6) if half.startswith("上") else _months(year, 7, 12)
    if quarters := group.get(f"{prefix}quarters"):
        return _months(year, 1, 3 * _small_number(quarters[1]))
    if quarter := group.get(f"{prefix}quarter"):
        n = _small_number(quarter.lstrip("第")[0])
        return _months(year, 3 * n - 2, 3 * n)
    if season := group.get(f"{prefix}season"):
        first, last = _SEASONS[season[0]]
        return _months(year, first, last)
    if months := group.get(f"{prefix}months"):
        return _months(year, 1, _small_number(months[1:].rstrip("个月")))
    return None


def _decade(group: dict) -> _Days | None:
    """90年代, 上世纪80年代, 1990年代: the ten years of a decade."""
    written = group["cd_n"]
    if written.isdigit() and len(written) == 4:
        first = int(written)
    else:
        tens = int(written[0]) if written.isdigit() else _small_number(written[0])
        century = 1900 if group["cd_century"] or tens >= 3 else 2000
        first = century + 10 * tens
    return _Days(date(first, 1, 1), date(first + 9, 12, 31), YEAR)


def _english_date(
    kind: str, group: dict, context: _Days | None, published: _Days | None, future: bool
) -> _Days | None:
    if kind in ("en", "en2"):
        month = _EN_MONTH_NUMBER[group[f"{kind}_month"].lower()]
        day = int(group[f"{kind}_day"]) if group[f"{kind}_day"] else None
        span = _days(int(group[f"{kind}_year"]), month, day)
        return span and _with_part(span, _english_part(group.get("en_part")))
    if kind == "enq":
        n = _EN_ORDINAL.get((group["enq_n"] or "").lower()) or int(
            group["enq_d"] or group["enq_d3"]
        )
        return _english_part_of_year(
            group, "enq", context, published, future, lambda y: _months(y, 3 * n - 2, 3 * n)
        )
    if kind == "enh":
        n = 1 if (group["enh_n"] or "").lower() == "first" else 2
        n = int(group["enh_d"] or group["enh_d3"] or n)
        return _english_part_of_year(
            group, "enh", context, published, future, lambda y: _months(y, 6 * n - 5, 6 * n)
        )
    if kind == "ens":
        first, last = _SEASONS[group["ens_season"].lower()]
        return _months(int(group["ens_year"]), first, last)
    if kind == "endec":
        first = int(group["endec_year"])
        return _Days(date(first, 1, 1), date(first + 9, 12, 31), YEAR)
    if kind == "enrel":
        offset = _EN_WHICH[group["enrel_which"].lower()]
        part = _english_part(group["enrel_part"])
        if group["enrel_unit"].lower() == "year":
            return _relative(published, lambda d: _with_part(_days(d.year + offset), part))
        return _relative(published, lambda d: _days(*_shift_month(d.year, d.month, offset)), MONTH)
    if kind in ("enmd", "endm", "enm"):
        month = _EN_MONTH_NUMBER[group[f"{kind}_month"].lower()]
        day = int(group[f"{kind}_day"]) if group.get(f"{kind}_day") else None
        span = _in_year(context, published, lambda y: _days(y, month, day), future)
        return span and _with_part(span, _english_part(group.get("enm_part")))
    span = _days(int(group["enyear_year"]))
    return _with_part(span, _english_part(group["enyear_part"]))


def _english_part_of_year(
    group: dict, kind: str, context, published, future, months: Callable[[int], _Days | None]
) -> _Days | None:
    """Q2 2022, the first quarter of last year, H2: in the year written, or as a date is."""
    written = group.get(f"{kind}_year") or group.get(f"{kind}_year2") or group.get(f"{kind}_year3")
    if written:
        return months(int(written))
    if group.get("enq_yy") and kind == "enq":
        return months(2000 + int(group["enq_yy"]))
    which = group.get(f"{kind}_which")
    if which:
        offset = _EN_WHICH[which.lower()]
        return _relative(published, lambda d: months(d.year + offset))
    return _in_year(context, published, months, future)


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


def _in_year(
    context: _Days | None,
    published: _Days | None,
    in_year: Callable[[int], _Days | None],
    future: bool,
) -> _Days | None:
    """A date written without its year: the year of the date before it in the sentence, else
    the latest one begun by publication (the next one not yet over, if the text looks ahead)."""
    if context is not None and context.first.year == context.last.year:
        return in_year(context.first.year)
    if published is None:
        return None

    def latest_begun(d: date) -> _Days | None:
        span = in_year(d.year)
        if span is not None and span.first > published.last and not future:
            span = in_year(d.year - 1)
        elif span is not None and span.last < published.first and future:
            span = in_year(d.year + 1)
        return span

    return _relative(published, latest_begun)


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
