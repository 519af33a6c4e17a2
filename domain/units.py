"""One vocabulary for the units a value is in: currencies, percent, counts and dates.

Plain Python, no Django. Every spelling a unit arrives in (a reviewer's "usd", a claim's
"percent", the extractor's "美元" or "US$", a loader's "staff") is turned into one canonical
name by normalize_unit, so two values compare by what their unit means, not how it is spelled:

- currencies are ISO 4217 codes (USD, CNY, HKD …), from a code, a symbol or a word in
  English or Chinese; a bare "$" or "dollars" is USD and a bare "元" or "¥" is CNY, as in
  the news this ledger reads;
- percentages are "%" (percent, per cent, pct, 百分比);
- counts of people, whatever the role (staff, employees, workers, voters, patients, the
  dead; jobs cut are people), are "people"; other counted things keep a plural English name
  (votes, seats, shares, homes, users, GPUs …);
- dates are "date" (domain.intervals.DATE_UNIT).

A spelling the vocabulary does not know comes back trimmed, as written.
"""

import re
from functools import lru_cache

from domain.intervals import DATE_UNIT
from domain.messages import Refusal, gettext_noop
from domain.text import to_simplified

PERCENT = "%"
PEOPLE = "people"
DATE = DATE_UNIT

# Active ISO 4217 codes (currencies in circulation, not funds or metals).
_ISO_4217 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
    ZMW ZWG
"""
CURRENCY_CODES = frozenset(_ISO_4217.split())

# Words and symbols for the currencies the news names most, by code. Chinese words are given
# in simplified script; normalize_unit reads traditional spellings through OpenCC.
CURRENCY_WORDS = {
    "USD": ["美元", "美金", "好意思元", "好意思金", "us$", "$", "us dollar", "us dollars",
            "u.s. dollars", "dollar", "dollars"],
    "CNY": ["人民币", "元", "块钱", "rmb", "yuan", "renminbi", "¥", "cn¥"],
    "HKD": ["港元", "港币", "hk$", "hong kong dollars"],
    "MOP": ["澳门元", "澳门币", "葡币", "mop$", "pataca", "patacas"],
    "TWD": ["新台币", "台币", "nt$", "new taiwan dollars"],
    "EUR": ["欧元", "€", "euro", "euros"],
    "GBP": ["英镑", "£", "pound", "pounds", "pounds sterling", "sterling"],
    "JPY": ["日元", "日圆", "円", "yen", "jp¥"],
    "KRW": ["韩元", "韩圆", "₩", "won"],
    "AUD": ["澳元", "a$", "australian dollars"],
    "CAD": ["加元", "c$", "canadian dollars"],
    "SGD": ["新加坡元", "新元", "s$", "singapore dollars"],
    "CHF": ["瑞士法郎", "瑞郎", "swiss francs"],
    "INR": ["卢比", "印度卢比", "₹", "rupee", "rupees", "rs", "rs."],
    "RUB": ["卢布", "₽", "rouble", "roubles", "ruble", "rubles"],
    "TRY": ["里拉", "土耳其里拉", "lira", "liras", "turkish lira", "₺"],
    "IDR": ["印尼盾", "rupiah", "rp"],
    "MYR": ["林吉特", "令吉", "ringgit", "rm"],
    "THB": ["泰铢", "baht", "฿"],
    "VND": ["越南盾", "dong", "₫"],
    "PHP": ["菲律宾比索", "₱"],
    "BRL": ["雷亚尔", "reais", "r$"],
    "ZAR": ["兰特", "rand"],
    "NGN": ["奈拉", "naira", "₦"],
    "ILS": ["谢克尔", "shekel", "shekels", "₪"],
    "AED": ["迪拉姆", "dirham", "dirhams"],
    "SAR": ["里亚尔", "riyal", "riyals"],
}  # fmt: skip

_PERCENT_WORDS = ["%", "％", "percent", "per cent", "pct", "percentage", "percentage points",
                  "百分比", "百分点", "个百分点"]  # fmt: skip
_DATE_WORDS = ["date", "dates", "日期"]

# Counted things: the canonical name, then the words for one or several of them.
COUNT_WORDS = {
    PEOPLE: ["people", "person", "persons", "staff", "employee", "employees", "worker",
             "workers", "member", "members", "voter", "voters", "resident", "residents",
             "patient", "patients", "participant", "participants", "passenger", "passengers",
             "victim", "victims", "death", "deaths", "fatalities", "dead", "job", "jobs",
             "position", "positions", "nurses", "doctors", "teachers", "miners", "protesters",
             "demonstrators", "women", "men", "customers", "villagers", "staffers", "creditors",
             "人", "名", "人数", "员工", "雇员", "职员", "工人", "成员", "会员", "选民", "居民",
             "患者", "病人", "受试者", "参与者", "乘客", "遇难者", "死者", "岗位", "职位"],
    "votes": ["vote", "votes", "ballot", "ballots", "票", "选票"],
    "seats": ["seat", "seats", "席", "议席", "席位", "席次"],
    "shares": ["share", "shares", "股"],
    "homes": ["home", "homes", "house", "houses", "building", "buildings", "房屋", "住房",
              "房子", "建筑"],
    "users": ["user", "users", "用户", "活跃用户", "月活"],
    "children": ["child", "children", "孩子", "子女"],
    "companies": ["company", "companies", "firm", "firms", "公司", "企业"],
    "GPUs": ["gpu", "gpus", "显卡", "graphics cards"],
    "parameters": ["parameter", "parameters", "参数"],
    "pages": ["page", "pages", "页"],
    "characters": ["character", "characters", "字"],
    "stars": ["star", "stars", "星"],
}  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", to_simplified(text.strip().casefold()))


_CANONICAL: dict[str, str] = {code.casefold(): code for code in CURRENCY_CODES}
for _code, _words in CURRENCY_WORDS.items():
    _CANONICAL.update({_key(word): _code for word in _words})
_CANONICAL.update({_key(word): PERCENT for word in _PERCENT_WORDS})
_CANONICAL.update({_key(word): DATE for word in _DATE_WORDS})
for _name, _words in COUNT_WORDS.items():
    _CANONICAL.update({_key(word): _name for word in [_name, *_words]})


@lru_cache(maxsize=1024)
def normalize_unit(text: str) -> str:
    """The canonical name of a unit: "usd", "US$", "美元" → "USD"; "percent" → "%" …"""
    return _CANONICAL.get(_key(text), text.strip())


def same_unit(a: str, b: str) -> bool:
    """Whether two spellings name the same unit ("%" and "percent", "USD" and "usd")."""
    return normalize_unit(a).casefold() == normalize_unit(b).casefold()


def is_currency(unit: str) -> bool:
    return normalize_unit(unit) in CURRENCY_CODES


def value_unit_refusal(value_unit: str, claim_unit: str | None) -> Refusal | None:
    """Why a value in `value_unit` cannot be given for a claim whose values are in
    `claim_unit` (None: the claim takes no value), or None when it can.

    A value that names no unit is read in the claim's; a share (%) may also be given as a
    count ("700 of 770 staff"); a claim with no unit takes any amount; otherwise the units
    must be one.
    """
    if claim_unit is None:
        return Refusal(
            "unit", gettext_noop("this claim takes no value (only quantities and dates do)")
        )
    if not value_unit or same_unit(value_unit, claim_unit):
        return None
    if claim_unit == DATE:
        return Refusal(
            "unit",
            gettext_noop("the claim takes a date; this value is in %(unit)s"),
            unit=value_unit,
        )
    if value_unit != DATE and (
        not claim_unit or (claim_unit == PERCENT and not is_currency(value_unit))
    ):
        return None
    if not claim_unit:
        return Refusal("unit", gettext_noop("the claim takes amounts; this value is a date"))
    if value_unit == DATE:
        return Refusal(
            "unit",
            gettext_noop("the claim is in %(claim_unit)s; this value is a date"),
            claim_unit=claim_unit,
        )
    return Refusal(
        "unit",
        gettext_noop("the claim is in %(claim_unit)s; this value is in %(unit)s"),
        claim_unit=claim_unit,
        unit=value_unit,
    )
