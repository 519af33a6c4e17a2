"""Value extraction read against the seed articles, figure by figure, and by property."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.extraction import asserted_value, extract, reading_form, sentence_spans, value_for
from domain.intervals import DATE_UNIT, Interval, date_interval

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

SOURCES = {
    str(meta["key"]): meta for meta in yaml.safe_load((SEEDS_DIR / "sources.yaml").read_text())
}


def article(key: str) -> str:
    return (SEEDS_DIR / "articles" / SOURCES[key]["file"]).read_text(encoding="utf-8")


def read(key: str):
    meta = SOURCES[key]
    return extract(
        article(key), published_on=meta["published_on"], precision=meta["published_precision"]
    )


def day(text: str) -> Decimal:
    return Decimal(date.fromisoformat(text).toordinal())


# Each figure in the seed articles, with the interval the words mean, written from the text:
# (article, words just before it, the figure as read, low, high, kind, unit).
# Dates are ISO days; None is an open bound.
B, M, W, Y = 10**9, 10**6, 10**4, 10**8
FIGURES = [
    ("000", "工资,", "560亿美元", 560 * Y, 560 * Y, "exact", "USD"),
    ("000", "约合", "4000亿人民币", 4000 * Y, 4000 * Y, "approximate", "CNY"),
    ("000", "价值", "60亿美元", 60 * Y, 60 * Y, "exact", "USD"),
    ("000", "直接囤了", "一万张显卡", W, W, "exact", "GPUs"),
    ("000", "将需要", "10万个英伟达H100显卡", 10 * W, 10 * W, "exact", "GPUs"),
    ("000", "仅为", "2万", 2 * W, 2 * W, "exact", "GPUs"),
    ("000", "实现", "10万张卡", 10 * W, 10 * W, "exact", "GPUs"),
    ("000", "马斯克", "2018年1月", "2018-01-01", "2018-01-31", "range", "date"),
    ("000", "当地时间", "6月10日", "2024-06-10", "2024-06-10", "exact", "date"),
    ("000", "直至", "2018年", "2018-01-01", "2018-12-31", "range", "date"),
    ("000", "\n\n", "2015年底", "2015-11-01", "2015-12-31", "range", "date"),
    ("000", "在", "今年4月份", "2024-04-01", "2024-04-30", "range", "date"),
    ("000", "已于", "5月底", "2024-05-21", "2024-05-31", "range", "date"),
    ("000", "公司", "去年以来", "2023-01-01", None, "lower_bound", "date"),
    ("001", "发布时间:", "2024-11-19", "2024-11-19", "2024-11-19", "exact", "date"),
    ("001", "Altman 在 ", "2016 年 9 月", "2016-09-01", "2016-09-30", "range", "date"),
    ("001", "他们以 ", "1000 万美元", 10 * M, 10 * M, "exact", "USD"),
    ("001", "价值 ", "6000 万美元", 60 * M, 60 * M, "exact", "USD"),
    ("001", "愿意以 ", "5000 万美元", 50 * M, 50 * M, "exact", "USD"),
    ("001", "就值 ", "5000 万美元以上", 50 * M, None, "lower_bound", "USD"),
    ("001", "投资了", "5000 万至 1 亿美元", 50 * M, 100 * M, "range", "USD"),
    ("001", "积累了", "数十亿美元", 2 * B, 9 * B, "range", "USD"),
    ("001", "寻求超过 ", "1 亿美元", Y, None, "lower_bound", "USD"),
    ("001", "承诺提供 ", "10 亿美元", B, B, "exact", "USD"),
    ("001", "支持和", "数百万美元", 2 * M, 9 * M, "range", "USD"),
    ("001", "基本工资 ", "17.5 万美元", 175_000, 175_000, "exact", "USD"),
    ("001", "年薪接近 ", "100 万美元", 900_000, M, "range", "USD"),
    ("001", "增加 ", "10 到 20 万美元", 100_000, 200_000, "range", "USD"),
    ("001", "获得了 ", "27.5 万美元", 275_000, 275_000, "exact", "USD"),
    ("001", "员工获得了 ", "17.5 万美元", 175_000, 175_000, "exact", "USD"),
    ("001", "加上 ", "12.5 万美元", 125_000, 125_000, "exact", "USD"),
    ("001", "赚了 ", "190 多万美元", 1_900_000, 2 * M, "range", "USD"),
    ("001", "敲定 ", "2 亿至 10 亿美元", 2 * Y, B, "range", "USD"),
    ("001", "已投资 ", "1 亿美元", Y, Y, "exact", "USD"),
    ("001", "筹集 ", "1 亿美元", Y, Y, "exact", "USD"),
    ("001", "获得了近 ", "10 亿美元", 9 * Y, B, "range", "USD"),
    ("001", "只有 ", "1.3 亿美元", 130 * M, 130 * M, "exact", "USD"),
    ("001", "生下了 ", "12 个孩子中的 3 个", 3, 3, "exact", "children"),
    ("001", "组建一支由 ", "7 到 10 名成员", 7, 10, "range", "people"),
    ("001", "YC 创业公司的 ", "0.25%", Decimal("0.25"), Decimal("0.25"), "exact", "%"),
    ("001", "可能性为 ", "0%", 0, 0, "exact", "%"),
    ("001", "而不是 ", "1%", 1, 1, "exact", "%"),
    ("001", "马斯克于 ", "2018 年 2 月", "2018-02-01", "2018-02-28", "range", "date"),
    ("001", "但", "十年前", "2014-01-01", "2014-12-31", "range", "date"),
    ("002", "悉数高达", "1.28亿好意思元", 128 * M, 128 * M, "exact", "USD"),
    ("002", "马斯克以", "440亿好意思元", 440 * Y, 440 * Y, "exact", "USD"),
    ("002", "捐赠了约 ", "1 亿好意思元", Y, Y, "approximate", "USD"),
    ("002", "市值 ", "300 亿好意思元", 300 * Y, 300 * Y, "exact", "USD"),
    ("002", "豪砸", "4400万好意思元", 44 * M, 44 * M, "exact", "USD"),
    ("002", "首批投资高达", "10亿好意思元", B, B, "exact", "USD"),
    ("002", "投资达", "100亿好意思元", 10 * B, 10 * B, "exact", "USD"),
    ("002", "召募到的", "1亿好意思元", Y, Y, "exact", "USD"),
    ("002", "提供了不到", "4500万好意思元", None, 45 * M, "upper_bound", "USD"),
    ("002", "捐助者提供了", "9500万好意思元", 95 * M, 95 * M, "exact", "USD"),
    ("002", "至少需要", "10亿好意思元", B, None, "lower_bound", "USD"),
    ("002", "够不上", "10亿好意思元", B, B, "exact", "USD"),
    ("002", "蓄意,", "20好意思元", 20, 20, "exact", "USD"),
    ("002", "达到", "16亿好意思元", 16 * Y, 16 * Y, "exact", "USD"),
    ("002", "不错达到", "50亿好意思元", 50 * Y, 50 * Y, "exact", "USD"),
    ("002", "特出", "1000亿好意思元", 1000 * Y, None, "lower_bound", "USD"),
    ("002", "就要烧掉至少", "几千万好意思金", 20 * M, None, "lower_bound", "USD"),
    ("002", "至少要烧掉", "几亿好意思金", 2 * Y, None, "lower_bound", "USD"),
    ("002", "无用砸", "几千万好意思金", 20 * M, 90 * M, "range", "USD"),
    ("002", "特出", "85%", 85, None, "lower_bound", "%"),
    ("002", "抢到了", "80%以上", 80, None, "lower_bound", "%"),
    ("002", "达到", "1亿月活", Y, Y, "exact", "users"),
    ("002", "早在", "2022年12月", "2022-12-01", "2022-12-31", "range", "date"),
    ("002", "授权。\n", "客岁", "2023-01-01", "2023-12-31", "range", "date"),
    ("002", "技巧。\n", "客岁1月", "2023-01-01", "2023-01-31", "range", "date"),
    ("002", "谷歌在", "本年2月", "2024-02-01", "2024-02-29", "range", "date"),
    ("002", "到", "2024年底", "2024-11-01", "2024-12-31", "range", "date"),
    ("002", "展望在", "本年7月", "2024-07-01", "2024-07-31", "range", "date"),
    ("002", "契机。\n", "客岁11月", "2023-11-01", "2023-11-30", "range", "date"),
    ("003", "這是一個", "3140億參數", 3140 * Y, 3140 * Y, "exact", "parameters"),
    ("003", "保住他在", "3月11日", "2024-03-11", "2024-03-11", "exact", "date"),
    ("003", "\n", "2015年12月", "2015-12-01", "2015-12-31", "range", "date"),
    ("003", "OpenAI,", "3年之後", "2018-01-01", "2018-12-31", "range", "date"),
    ("003", "在OpenAI", "去年11月", "2023-11-01", "2023-11-30", "range", "date"),
    ("003", "數字是", "1億美元", Y, Y, "exact", "USD"),
    ("003", "每年", "數十億", 2 * B, 9 * B, "range", "USD"),
    ("003", "與他們在", "2017年前後", "2016-01-01", "2018-12-31", "range", "date"),
    ("003", "也就是在", "2017年之後", "2017-01-01", None, "lower_bound", "date"),
    ("003", "而對於", "上個月", "2024-02-01", "2024-02-29", "range", "date"),
    ("003", "集資", "10億美元", B, B, "exact", "USD"),
    ("003", "僅有", "4500萬美元", 45 * M, 45 * M, "exact", "USD"),
    ("003", "享受團隊", "九成", 90, 90, "approximate", "%"),
    ("003", "先是在", "去年11月16日", "2023-11-16", "2023-11-16", "exact", "date"),
    ("003", "CEO,", "次月2日", "2023-12-02", "2023-12-02", "exact", "date"),
    ("003", "創造的", "49%", 49, 49, "exact", "%"),
    ("004", "要“", "0元", 0, 0, "exact", "CNY"),
    ("004", "有“", "0元", 0, 0, "exact", "CNY"),
    ("004", "可以“", "0元", 0, 0, "exact", "CNY"),
    ("004", "北京时间", "21日", "2023-11-21", "2023-11-21", "exact", "date"),
    ("004", "OpenAI的", "770名员工", 770, 770, "exact", "people"),
    ("004", "每人提供", "1000万美元", 10 * M, 10 * M, "exact", "USD"),
    ("004", "合计约为", "77亿美元", 77 * Y, 77 * Y, "approximate", "USD"),
    ("004", "要知道", "今年十月", "2023-10-01", "2023-10-31", "range", "date"),
    ("004", "估值约为", "860亿美元", 860 * Y, 860 * Y, "approximate", "USD"),
    ("004", "股价涨", "2.05%", Decimal("2.05"), Decimal("2.05"), "exact", "%"),
    ("004", "增加了近", "300亿美元", 270 * Y, 300 * Y, "range", "USD"),
    ("004", "相比,", "77亿美元", 77 * Y, 77 * Y, "exact", "USD"),
    ("004", "谷歌花了", "6.25亿美元", 625 * M, 625 * M, "exact", "USD"),
    ("004", "收购了不足", "100人", None, 100, "upper_bound", "people"),
    ("004", "OpenAI约", "770名员工", 770, 770, "approximate", "people"),
    ("004", "员工中超过", "750人", 750, None, "lower_bound", "people"),
    ("004", "联名信上的", "700多个名字", 700, 800, "range", "people"),
    ("004", "投资超过", "130亿美元", 130 * Y, None, "lower_bound", "USD"),
    ("004", "自", "2019年起至2023年初", "2019-01-01", "2023-02-28", "range", "date"),
    ("004", "部门运营。", "今年2月底", "2023-02-21", "2023-02-28", "range", "date"),
    ("004", "到了", "4月", "2023-04-01", "2023-04-30", "range", "date"),
    ("004", "人心所向。在", "20日", "2023-11-20", "2023-11-20", "exact", "date"),
]


def expected_interval(low, high, kind, unit) -> Interval:
    if unit == DATE_UNIT:
        low, high = (None if v is None else day(v) for v in (low, high))
    else:
        low, high = (None if v is None else Decimal(v) for v in (low, high))
    return Interval(low, high, kind, unit)


def figure_id(row):
    return f"{row[0]}:{row[2]}"


@pytest.mark.parametrize("row", FIGURES, ids=figure_id)
def test_each_seed_figure_reads_as_the_text_means(row):
    key, before, figure, low, high, kind, unit = row
    text = article(key)
    starts = [m.start() + len(before) for m in re.finditer(re.escape(before + figure), text)]
    assert starts, f"{before + figure!r} is not in article {key}"
    values = {(x.start, x.text): x.interval for x in read(key)}
    for start in starts:
        assert values.get((start, figure)) == expected_interval(low, high, kind, unit)


CURRENCY_MARKERS = re.compile(
    r"美元|好意思元|好意思金|美金|人民币|人民幣|\$|(?<=[\d一二三四五六七八九十百千万亿萬億])\s*元"
)


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_currency_marker_is_read_as_a_listed_amount(key):
    text = article(key)
    values = read(key)
    listed = {
        (m.start() + len(before), figure): expected_interval(low, high, kind, unit)
        for row_key, before, figure, low, high, kind, unit in FIGURES
        if row_key == key
        for m in re.finditer(re.escape(before + figure), text)
    }
    markers = list(CURRENCY_MARKERS.finditer(text))
    assert markers
    for marker in markers:
        covering = [x for x in values if x.start <= marker.start() and marker.end() <= x.end]
        assert len(covering) == 1, f"{text[marker.start() - 12 : marker.end()]!r} is not read"
        value = covering[0]
        assert value.quantity == "money"
        assert listed.get((value.start, value.text)) == value.interval, (
            f"{value.text!r} in {key} is missing from FIGURES or reads wrong"
        )


def test_traditional_text_keeps_offsets_through_opencc():
    for key in SOURCES:
        text = article(key)
        assert len(reading_form(text)) == len(text)
    assert reading_form("約4500萬美元") == "约4500万美元"


def test_value_for_takes_the_first_value_in_the_unit():
    quote = "约770名员工中超过750人联署了一封信,微软为每人提供1000万美元"
    interval, words = value_for(quote, unit="USD")
    assert (interval, words) == (
        Interval(Decimal(10**7), Decimal(10**7), "exact", "USD"),
        "1000万美元",
    )
    interval, words = value_for(quote, unit="people")
    assert interval.kind == "approximate" and words == "770名员工"
    assert value_for(quote, unit="GPUs") is None


def test_value_for_dates_needs_the_publication_date_for_relative_ones():
    quote = "因为他在去年创立一家与OpenAI有直接业务竞争关系的X AI公司"
    assert value_for(quote, unit="date") is None
    interval, words = value_for(quote, unit="date", published_on=date(2024, 3, 18))
    assert words == "去年" and interval == date_interval(2023)


def test_a_vague_publication_date_widens_what_depends_on_it():
    # Known to the month, 上个月 and 21日 are exact; known to the year, 上个月 is any month.
    text = "上个月发布。21日开会。"
    by_month = extract(text, published_on=date(2024, 6, 15), precision="month")
    assert [x.interval for x in by_month] == [date_interval(2024, 5), date_interval(2024, 6, 21)]
    by_year = extract(text, published_on=date(2024, 6, 15), precision="year")
    assert by_year[0].interval.low == day("2023-12-01")
    assert by_year[0].interval.high == day("2024-11-30")
    assert by_year[0].precision == "year"


def test_a_date_without_a_year_is_not_after_publication():
    [value] = extract("12月20日,他离开了。", published_on=date(2024, 1, 5))
    assert value.interval == date_interval(2023, 12, 20)


def test_years_after_count_from_the_date_before_them_in_the_sentence():
    assert extract("三年之后,他离开了。", published_on=date(2024, 1, 5)) == []
    _, later = extract("2015年12月创立,三年之后离开。")
    assert later.interval == date_interval(2018) and later.precision == "year"


@pytest.mark.parametrize(
    "text, low, high, kind, unit",
    [
        ("Musk gave $44 million.", 44 * M, 44 * M, "exact", "USD"),
        ("less than $45M of it", None, 45 * M, "upper_bound", "USD"),
        ("a $1B commitment", B, B, "exact", "USD"),
        ("over $13 billion", 13 * B, None, "lower_bound", "USD"),
        ("$44.4 million", Decimal("44.4") * M, Decimal("44.4") * M, "exact", "USD"),
        ("about $100M", 100 * M, 100 * M, "approximate", "USD"),
        ("between $50 million and $100 million", 50 * M, 100 * M, "range", "USD"),
        ("$50-100 million", 50 * M, 100 * M, "range", "USD"),
        ("3,800万美元", 38 * M, 38 * M, "exact", "USD"),
        ("一千万美元", 10 * M, 10 * M, "exact", "USD"),
        ("十亿美元", B, B, "exact", "USD"),
        ("约1亿美金", Y, Y, "approximate", "USD"),
        ("不到4500萬美元", None, 45 * M, "upper_bound", "USD"),
        ("超過130億美元", 130 * Y, None, "lower_bound", "USD"),
        ("人民币4000亿元", 4000 * Y, 4000 * Y, "exact", "CNY"),
        ("一亿多美元", Y, 2 * Y, "range", "USD"),
        ("超过750人", 750, None, "lower_bound", "people"),
        ("96%的员工", 96, 96, "exact", "%"),
        ("10,000 GPUs", 10_000, 10_000, "exact", "GPUs"),
        ("314 billion parameters", 314 * B, 314 * B, "exact", "parameters"),
        ("about 770 employees", 770, 770, "approximate", "people"),
        ("In February 2018 he left", "2018-02-01", "2018-02-28", "range", "date"),
        ("on March 6, 2024", "2024-03-06", "2024-03-06", "exact", "date"),
        ("since 2019", "2019-01-01", None, "lower_bound", "date"),
    ],
)
def test_forms_the_issue_names(text, low, high, kind, unit):
    [value] = extract(text)
    assert value.interval == expected_interval(low, high, kind, unit)


def test_names_with_numbers_are_not_values():
    assert extract("GPT-4、H100显卡、Grok-1、Windows7系统和Llama 2") == []


def test_sentences_split_at_chinese_and_english_stops():
    text = "第一句。第二句！“第三句？”\nFourth. Fifth"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "第一句。",
        "第二句！",
        "“第三句？”",
        "Fourth.",
        "Fifth",
    ]


# Properties

whole_numbers = st.integers(min_value=1, max_value=99_999)
magnitudes = st.sampled_from([("万", 10**4), ("亿", 10**8), ("千万", 10**7)])


@given(whole_numbers, magnitudes, st.sampled_from(["", " "]), st.booleans())
def test_arabic_figures_with_a_magnitude_read_back(n, magnitude, space, separated):
    word, scale = magnitude
    figures = f"{n:,}" if separated else str(n)
    [value] = extract(f"他投资了{figures}{space}{word}美元。")
    assert value.interval == Interval(Decimal(n * scale), Decimal(n * scale), "exact", "USD")


@given(st.integers(min_value=1, max_value=9_999), magnitudes)
def test_chinese_numerals_with_a_magnitude_read_back(n, magnitude):
    word, scale = magnitude
    assume(word != "千万" or n < 10)  # 十千万 is not how anyone writes 一亿
    [value] = extract(f"共{cn2an.an2cn(n)}{word}美元")
    assert value.interval.low == value.interval.high == n * scale


@given(whole_numbers, whole_numbers, magnitudes, magnitudes, st.sampled_from(["至", "到", "-"]))
def test_ranges_never_run_backwards(a, b, first, second, join):
    values = extract(f"估计{a}{first[0]}{join}{b}{second[0]}美元")
    assert values
    for value in values:
        low, high = value.interval.low, value.interval.high
        assert low is None or high is None or low <= high


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_written_dates_read_back_to_their_day(when):
    for text in (f"{when.year}年{when.month}月{when.day}日", when.isoformat()):
        [value] = extract(f"在{text},他离开了。")
        assert value.interval == date_interval(when.year, when.month, when.day)


@given(st.dates(min_value=date(1901, 2, 1), max_value=date(2099, 12, 31)))
def test_last_year_is_the_year_before_publication(published):
    [value] = extract("去年11月", published_on=published)
    assert value.interval == date_interval(published.year - 1, 11)


PIECES = [
    "约", "近", "超过", "不到", "至少", "数十", "几", "多", "万", "萬", "亿", "億", "千万",
    "美元", "好意思元", "人民币", "元", "$", "million", "至", "到", "-", " ", ",", "。",
    "年", "月", "日", "去年", "今年", "客岁", "之后", "名员工", "人", "成", "%", "个孩子中的",
    "馬斯克", "參數", "员工", "H100", "GPT-", "一", "两", "十", "九",
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.integers(0, 3000).map(str)), max_size=25
).map("".join)


@given(texts, st.one_of(st.none(), st.dates()), st.sampled_from(["year", "month", "day"]))
def test_every_value_sits_at_its_offsets(text, published, precision):
    values = extract(text, published_on=published, precision=precision)
    ends = [0]
    for value in values:
        assert text[value.start : value.end] == value.text
        assert value.start >= ends[-1], "values overlap"
        ends.append(value.end)
        assert value.quantity in ("money", "count", "percent", "date")
        assert (value.precision != "") == (value.quantity == "date")


@given(st.text())
def test_any_text_reads_without_error_and_keeps_its_length(text):
    assert len(reading_form(text)) == len(text)
    for value in extract(text, published_on=date(2024, 3, 18)):
        assert text[value.start : value.end] == value.text


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)), st.integers(0, 400))
def test_relative_dates_never_fall_after_a_day_precise_publication(published, back):
    when = published - timedelta(days=back)
    assume(when.year == published.year)
    [value] = extract(f"{when.month}月{when.day}日", published_on=published)
    assert value.interval.high <= published.toordinal()


# What the reader makes of the words around a figure, category by category. The labelled
# corpus (tests/data/extraction_corpus.yaml) holds many more of each, in news passages.

PUBLISHED = date(2024, 3, 18)


def read_at(text: str, words: str, **context):
    """The one value whose span overlaps the first occurrence of `words`."""
    start = text.index(words)
    values = extract(text, published_on=PUBLISHED, **context)
    [value] = [v for v in values if v.start < start + len(words) and start < v.end]
    return value


@pytest.mark.parametrize(
    "text, words, low, high, kind, unit",
    [
        # A verb's particle is no bound; a comparison with another figure is one.
        ("The charity handed over $5 million.", "$5 million", 5 * M, 5 * M, "exact", "USD"),
        ("It took over a rival for $18 million.", "$18 million", 18 * M, 18 * M, "exact", "USD"),
        ("It paid over $5 million.", "$5 million", 5 * M, None, "lower_bound", "USD"),
        ("It paid far more than the $10M reported.", "$10M", 10 * M, None, "lower_bound", "USD"),
        ("The fine was well under $3 million.", "$3 million", None, 3 * M, "upper_bound", "USD"),
        ("It will not pay more than $2 million.", "$2 million", None, 2 * M, "upper_bound", "USD"),
        ("比例绝对不会超过一成。", "一成", None, 10, "upper_bound", "%"),
        ("补贴远低于外界所称的60元。", "60元", None, 60, "upper_bound", "CNY"),
        # Hedges make a value approximate.
        ("It cost on the order of $200 million.", "$200 million", 200 * M, 200 * M,
         "approximate", "USD"),
        ("It cost in the region of £40 million.", "£40 million", 40 * M, 40 * M,
         "approximate", "GBP"),
        ("It raised some $5 million.", "$5 million", 5 * M, 5 * M, "approximate", "USD"),
        ("The fine was an estimated €20 million.", "€20 million", 20 * M, 20 * M,
         "approximate", "EUR"),
        ("裁员五千人上下。", "五千人", 5000, 5000, "approximate", "people"),
        ("約占全球員工的6%。", "6%", 6, 6, "approximate", "%"),
        # Counts and shares where the noun does not follow the figure.
        ("Some 600 of the firm's 900 staff left.", "600", 600, 600, "approximate", "people"),
        ("The death toll rose to 37,000.", "37,000", 37000, 37000, "exact", "people"),
        ("It cut 3,000 jobs, not 1,200.", "1,200", 1200, 1200, "exact", "people"),
        ("遊行人數接近200萬。", "200萬", 1_800_000, 2_000_000, "range", "people"),
        ("九成员工签了名。", "九成", 90, 90, "approximate", "%"),
        ("超过七成员工签了名。", "七成", 70, None, "lower_bound", "%"),
        ("Two out of three patients finished.", "Two out of three", Decimal("66.67"),
         Decimal("66.67"), "approximate", "%"),
        ("Roughly one in five voters stayed home.", "one in five", 20, 20, "approximate", "%"),
        ("每四名市民便有一人上街。", "每四名市民便有一人", 25, 25, "exact", "%"),
        # Vague, spelled and fractional numbers.
        ("亏损近百亿元。", "百亿元", 90 * Y, 100 * Y, "range", "CNY"),
        ("投入三四亿美元。", "三四亿美元", 3 * Y, 4 * Y, "range", "USD"),
        ("投入上千万元。", "千万元", 10 * M, None, "lower_bound", "CNY"),
        ("百分之三十的员工", "百分之三十", 30, 30, "exact", "%"),
        ("四分之三的员工", "四分之三", 75, 75, "exact", "%"),
        ("一半的员工", "一半", 50, 50, "exact", "%"),
        ("57萬5590票", "57萬5590票", 575590, 575590, "exact", "votes"),
        ("It spent a third of a billion dollars.", "a third of a billion dollars",
         333_333_333, 333_333_333, "approximate", "USD"),
        ("It lost tens of millions of dollars.", "tens of millions of dollars", 20 * M, 90 * M,
         "range", "USD"),
        ("A dozen senators signed.", "A dozen senators", 12, 12, "exact", "people"),
        ("Several hundred workers left.", "Several hundred workers", 200, 900, "range",
         "people"),
        ("Half a million people marched.", "Half a million people", 500_000, 500_000, "exact",
         "people"),
        ("3 to 5 thousand workers left.", "3 to 5 thousand", 3000, 5000, "range", "people"),
        # Units: a bare 元 is the yuan the text names; a bare figure takes the last unit.
        ("新台幣8,000億元,其中約3,000億元用於軍購。", "3,000億元", 3000 * Y, 3000 * Y,
         "approximate", "TWD"),
        ("总投资为50亿美元。其中20亿由政府承担。", "20亿", 20 * Y, 20 * Y, "exact", "USD"),
        ("Shares closed at 167.5 pence.", "167.5 pence", Decimal("1.675"), Decimal("1.675"),
         "exact", "GBP"),
        ("Revenue was up 30pc.", "30pc", 30, 30, "exact", "%"),
    ],
)  # fmt: skip
def test_the_words_around_a_figure_read_as_the_text_means(text, words, low, high, kind, unit):
    assert read_at(text, words).interval == expected_interval(low, high, kind, unit)


@pytest.mark.parametrize(
    "text, words, low, high, kind",
    [
        ("Profits peaked in 2019, then fell.", "2019", "2019-01-01", "2019-12-31", "range"),
        ("Its revenue peaked in 2021.[4] Sales fell.", "2021", "2021-01-01", "2021-12-31",
         "range"),
        ("the country's 2021 GDP", "2021", "2021-01-01", "2021-12-31", "range"),
        ("The project ran between 2014–2017.", "2014–2017", "2014-01-01", "2017-12-31",
         "range"),
        ("between 2014 and 2018", "2014", "2014-01-01", "2018-12-31", "range"),
        ("from March 2021 to August 2023", "March 2021", "2021-03-01", "2023-08-31", "range"),
        ("2014至2017年间", "2014", "2014-01-01", "2017-12-31", "range"),
        ("2014-17", "2014", "2014-01-01", "2017-12-31", "range"),
        ("Sales rose in Q2 2022.", "Q2 2022", "2022-04-01", "2022-06-30", "range"),
        ("in the first quarter of 2024", "first quarter", "2024-01-01", "2024-03-31", "range"),
        ("2022年第二季度", "2022年第二季度", "2022-04-01", "2022-06-30", "range"),
        ("去年第四季虧損", "去年第四季", "2023-10-01", "2023-12-31", "range"),
        ("今年上半年", "今年上半年", "2024-01-01", "2024-06-30", "range"),
        ("今年前三季度", "今年前三季度", "2024-01-01", "2024-09-30", "range"),
        ("the second half of 2023", "second half", "2023-07-01", "2023-12-31", "range"),
        ("Sales rose in Q2 2022 and again in H2.", "H2", "2022-07-01", "2022-12-31", "range"),
        ("It began in early 2020.", "2020", "2020-01-01", "2020-02-29", "range"),
        ("in the summer of 2021", "summer", "2021-06-01", "2021-08-31", "range"),
        ("in the 1980s", "1980s", "1980-01-01", "1989-12-31", "range"),
        ("上世纪90年代", "90年代", "1990-01-01", "1999-12-31", "range"),
        ("It was founded in June.", "June", "2023-06-01", "2023-06-30", "range"),
        ("The vote is expected in June.", "June", "2024-06-01", "2024-06-30", "range"),
        ("It will be decided by Dec. 15.", "Dec. 15", None, "2024-12-15", "upper_bound"),
        ("by the end of 2024", "2024", None, "2024-12-31", "upper_bound"),
        ("since 2019", "2019", "2019-01-01", None, "lower_bound"),
        ("It was not until 2016 that it won.", "2016", "2016-01-01", "2016-12-31", "range"),
        ("自1999年九二一大地震以來", "1999年", "1999-01-01", None, "lower_bound"),
        # 起 in a verb is no bound.
        ("此案自2019年7月起訴。", "2019年7月", "2019-07-01", "2019-07-31", "range"),
        ("去年发起的诉讼", "去年", "2023-01-01", "2023-12-31", "range"),
    ],
)  # fmt: skip
def test_dates_read_as_the_text_means(text, words, low, high, kind):
    assert read_at(text, words).interval == expected_interval(low, high, kind, "date")


@pytest.mark.parametrize(
    "text, denied, asserted",
    [
        ("Turnout was not 70%, as the governor said, but 61.4%.", "70%", "61.4%"),
        ("The fund is $8.9 billion, not the $10 billion reported.", "$10 billion",
         "$8.9 billion"),
        ("Rather than the 5,000 jobs first announced, 3,200 positions will go.", "5,000 jobs",
         "3,200 positions"),
        ("The agency denied that it had paid the contractor $7 million.", "$7 million", None),
        ("Reports that it offered $60 a share were incorrect.", "$60", None),
        ("Officials rejected claims that 40,000 ballots were lost; 212 were.", "40,000 ballots",
         "212"),
        ("马斯克的捐款并非1亿美元,而是不足4500万美元。", "1亿美元", "4500万美元"),
        ("被告否認曾收受新台幣500萬元,但承認收到約80萬元。", "500萬元", "80萬元"),
        ("网传“死亡十余人”系谣言,官方确认3人死亡。", "十余人", "3人"),
        ("有报道称获得1000万张选票,但最终统计为970万票左右。", "1000万张选票", "970万票"),
    ],
)  # fmt: skip
def test_a_denied_value_is_marked_and_never_the_one_asserted(text, denied, asserted):
    value = read_at(text, denied)
    assert value.denied
    picked = asserted_value(text, unit=value.interval.unit, published_on=PUBLISHED)
    if asserted is None:
        assert picked is None
    else:
        assert not picked.denied and asserted in text[picked.start : picked.end + 2]


@pytest.mark.parametrize(
    "text, words",
    [
        ("The firm said it would not pay more than $2 million.", "$2 million"),
        ("It was not until 2016 that the drug was approved.", "2016"),
        ("The drug did not reduce deaths: 18 patients died.", "18 patients"),
        ("The company did not say how much of the $400 million it spent.", "$400 million"),
        ("调查显示,不少于六成受访者支持。", "六成"),
        ("这家公司的估值没有超过100亿美元。", "100亿美元"),
        ("Pinecrest had rejected an earlier approach of $48 a share.", "$48"),
    ],
)
def test_a_negation_that_bounds_or_belongs_elsewhere_denies_nothing(text, words):
    assert not read_at(text, words).denied


def test_a_bare_figure_takes_the_unit_of_the_claim_or_article():
    assert value_for("其中约30亿用于偿还债务。", unit="usd")[0] == Interval(
        3 * B, 3 * B, "approximate", "usd"
    )
    assert value_for("Of that, 1.2 billion will go to rail.", unit="EUR")[0].low == Decimal(
        12 * 10**8
    )
    [value] = extract("每股600元以上。", default_unit="TWD")
    assert value.interval.unit == "TWD"
    [value] = extract("每股600元以上。", default_unit="USD")
    assert value.interval.unit == "CNY", "元 is a yuan, never the dollar of the context"


def test_value_for_compares_units_by_the_vocabulary():
    quote = "投票率为61.4%,约190,000票的差距。"
    assert value_for(quote, unit="percent")[0] == Interval(
        Decimal("61.4"), Decimal("61.4"), "exact", "percent"
    )
    assert value_for("捐赠了4400万美元", unit="usd")[0].unit == "usd"
    assert value_for("捐赠了4400万美元", unit="HKD") is None


# Properties of the categories

millions = st.integers(min_value=1, max_value=9_999)


@given(millions, millions)
def test_not_one_figure_but_another_asserts_the_other(first, second):
    assume(first != second)
    for text in (
        f"The fund is not ${first} million but ${second} million.",
        f"基金并非{first}万美元,而是{second}万美元。",
    ):
        scale = M if text.isascii() else 10**4
        interval, _ = value_for(text, unit="USD")
        assert interval.low == interval.high == second * scale
        assert [v.denied for v in extract(text)] == [True, False]


@given(
    st.integers(min_value=1900, max_value=2099),
    st.sampled_from([",", ".", ";", ")", ".[4]", ",[12]", ":", "!"]),
)
def test_a_year_before_punctuation_or_a_footnote_mark_is_read(year, mark):
    [value] = extract(f"Sales peaked in {year}{mark} They fell after that.")
    assert value.interval == date_interval(year)


@given(
    st.integers(min_value=1950, max_value=2090),
    st.integers(min_value=1, max_value=9),
    st.sampled_from(
        [
            "It ran between {a} and {b}.",
            "It ran from {a} to {b}.",
            "It ran {a}–{b}.",
            "它在{a}年至{b}年间运营。",
            "它在{a}至{b}年间运营。",
            "它在{a}-{b}年间运营。",
        ]
    ),
)
def test_a_year_range_runs_from_the_first_year_to_the_last(first, span, written):
    [value] = extract(written.format(a=first, b=first + span))
    start, end = date_interval(first), date_interval(first + span)
    assert (value.interval.low, value.interval.high) == (start.low, end.high)


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1950, max_value=2090))
def test_a_quarter_is_its_three_months_however_it_is_written(quarter, year):
    ordinal = ["first", "second", "third", "fourth"][quarter - 1]
    months = (date_interval(year, 3 * quarter - 2).low, date_interval(year, 3 * quarter).high)
    for text in (
        f"Sales rose in Q{quarter} {year}.",
        f"in the {ordinal} quarter of {year}",
        f"{year}年第{cn2an.an2cn(quarter)}季度",
    ):
        [value] = extract(text)
        assert (value.interval.low, value.interval.high) == months


@given(st.integers(min_value=1, max_value=99))
def test_a_percentage_in_words_reads_as_in_figures(n):
    [words] = extract(f"百分之{cn2an.an2cn(n)}的员工")
    [figures] = extract(f"{n}%的员工")
    assert words.interval == figures.interval == Interval(Decimal(n), Decimal(n), "exact", "%")


EN_PIECES = [
    "about", "over", "not", "but", "rather than", "denied", "$", "£", "million", "billion",
    "percent", "%", "of", "the", "staff", "people", "in", "since", "by", "Q2", "H1", "early",
    "March", "June", "between", "and", "–", "to", ",", ".", " ", "a third", "half", "dozen",
    "tens of", "thousands", "handed over", "nearly", "one in", "five", "2019", "were wrong",
    "votes", "shares", "the death toll rose to", "pence",
]  # fmt: skip
english_texts = st.lists(
    st.one_of(st.sampled_from(EN_PIECES), st.integers(0, 3000).map(str)), max_size=25
).map(" ".join)


@given(english_texts, st.one_of(st.none(), st.dates()))
def test_any_english_text_reads_to_values_at_their_offsets(text, published):
    ends = [0]
    for value in extract(text, published_on=published):
        assert text[value.start : value.end] == value.text
        assert value.start >= ends[-1], "values overlap"
        ends.append(value.end)
        assert isinstance(value.denied, bool)
