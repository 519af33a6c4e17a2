"""Text normalisation, defined once for every text the ledger stores or searches.

Stored text (articles, quotes, statements) is normalised to Unicode NFC with LF line
endings, so offsets mean the same thing on every database and in every client. NUL
characters are refused: PostgreSQL cannot store them and no article contains one.

Search text is folded further: NFKC (full-width ＯｐｅｎＡＩ becomes OpenAI), case-folded,
and traditional Chinese converted to simplified with OpenCC, so 馬斯克 and 马斯克 match.

Texts are compared for sameness without their punctuation and whitespace (curly or
straight quotes, full-width or half-width commas, line breaks), and a text's language is
read from the text itself: its script, and which way OpenCC changes its characters.
"""

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from domain.messages import Refusal, gettext_noop


class TextError(Refusal):
    """A text that cannot be stored as it is."""


def normalize_text(text: str) -> str:
    if "\x00" in text:
        raise TextError(
            "",
            gettext_noop("contains a NUL character at offset %(offset)s"),
            offset=text.index(chr(0)),
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


# Embeddings, overrides and isolates of the Unicode bidirectional algorithm: they reorder
# the text around them as shown, so a title, name or statement could read as words it does
# not hold ("Trojan Source"). Article texts keep theirs: quotes must match them exactly.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bidi_control_in(text: str) -> tuple[int, str] | None:
    """The offset and the character of the first bidi control in `text`, if it has one."""
    return next(((i, ch) for i, ch in enumerate(text) if ch in BIDI_CONTROLS), None)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def fold_for_search(text: str) -> str:
    """The form in which texts and queries are compared: width, case and script folded."""
    return to_simplified(unicodedata.normalize("NFKC", text).casefold())


# Comparing texts

# How alike two texts must be (0–1, on their comparable forms) to be taken for one article.
NEAR_DUPLICATE = 0.9


class _MarksTable(dict):
    """str.translate's table dropping whitespace, punctuation, control and separator
    characters; each character is judged once, so an 800 KB text is one pass in C."""

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        dropped = char.isspace() or unicodedata.category(char).startswith(("P", "C", "Z"))
        self[code] = None if dropped else code
        return self[code]


_MARKS = _MarksTable()


def _unmarked(text: str) -> str:
    return text.translate(_MARKS)


def comparable_text(text: str) -> str:
    """The text without punctuation or whitespace, width folded: two copies of an article
    that differ only in their quotes (“ or "), commas (，or ,) and spacing compare equal."""
    # Marks go before folding too, so none stands between a letter and its accent.
    return _unmarked(unicodedata.normalize("NFKC", _unmarked(text)))


def similarity(first: str, second: str) -> float:
    """How alike two texts are, from 0 to 1, once punctuation and whitespace are set aside."""
    return fuzz.ratio(comparable_text(first), comparable_text(second)) / 100


# Above this many comparable characters, texts are compared by the sentences they share: the
# exact ratio costs time in the product of the lengths (8 s of CPU for two 800 KB filings).
LONG_TEXT = 20_000
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.)\s")


# A letter no text here uses, which comparable_text keeps: it marks where sentences end.
_SENTENCE_BREAK = "\u2c00"


class Comparable:
    """A text as near-duplicate checks compare it (its comparable text, and that text's
    sentences), worked out once for many comparisons in two passes over the text."""

    def __init__(self, text: str):
        marked = comparable_text(_SENTENCE_END.sub(_SENTENCE_BREAK, text))
        pieces = marked.split(_SENTENCE_BREAK)
        self.text = "".join(pieces)
        self.sentences = Counter(piece for piece in pieces if piece)


def near_duplicate_likeness(first: Comparable, second: Comparable) -> float:
    """How alike two texts are, if at least NEAR_DUPLICATE, else 0.

    Short texts: similarity(), the edit ratio, worked out only as far as the cutoff needs.
    Long ones (either over LONG_TEXT): the share of their characters in sentences both hold,
    which copies differing in punctuation, spacing or a few sentences keep high.
    """
    total = len(first.text) + len(second.text)
    if not total:
        return 1.0
    if first.text == second.text:
        return 1.0
    if 2 * min(len(first.text), len(second.text)) < NEAR_DUPLICATE * total:
        return 0.0
    if max(len(first.text), len(second.text)) <= LONG_TEXT:
        return fuzz.ratio(first.text, second.text, score_cutoff=NEAR_DUPLICATE * 100) / 100
    shared = first.sentences & second.sentences
    alike = 2 * sum(len(key) * count for key, count in shared.items()) / total
    return alike if alike >= NEAR_DUPLICATE else 0.0


def comparable_key(text: str) -> str:
    """The SHA-256 of the comparable text: one key for every way of punctuating it."""
    return sha256_of(comparable_text(text))


def nearly_one_of(text: str, comparables: list[str]) -> bool:
    """Whether the text is NEAR_DUPLICATE-alike to one of the comparable texts given."""
    mine = comparable_text(text)
    cutoff = NEAR_DUPLICATE * 100
    return any(fuzz.ratio(mine, other, score_cutoff=cutoff) for other in comparables)


# Reading a text's language

ENGLISH, SIMPLIFIED, TRADITIONAL = "en", "zh-Hans", "zh-Hant"


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def detect_language(text: str) -> str:
    """en, zh-Hans or zh-Hant, read from the text: Chinese when it has a Han character for
    every three Latin letters or fewer (names like OpenAI run through Chinese articles),
    then traditional when more of its characters are ones OpenCC would simplify than ones
    it would write the traditional way."""
    han = Counter(ch for ch in text if _is_han(ch))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if not han or sum(han.values()) * 3 < latin:
        return ENGLISH
    # One character a line, so that OpenCC's phrase tables see no phrases across them.
    chars = list(han)
    simplified = to_simplified("\n".join(chars)).split("\n")
    traditional = to_traditional("\n".join(chars)).split("\n")
    traditional_only = sum(
        han[ch] for ch, simple in zip(chars, simplified, strict=True) if simple != ch
    )
    simplified_only = sum(
        han[ch] for ch, trad in zip(chars, traditional, strict=True) if trad != ch
    )
    return TRADITIONAL if traditional_only > simplified_only else SIMPLIFIED


_FULL_WIDTH = {"?": "？", "!": "！", ",": "，", ":": "：", ";": "；"}
# Only after a Chinese character, so "10:30", "v1.0" or a quoted English phrase stay as they are.
_CJK_THEN_MARK = re.compile(r"([\u3400-\u9fff\uff09）」』])([?!,:;])")


def chinese_punctuation(text: str) -> str:
    """A Chinese sentence's ASCII marks after Chinese characters as full-width ones:
    "吗?" → "吗？"."""
    return _CJK_THEN_MARK.sub(lambda m: m.group(1) + _FULL_WIDTH[m.group(2)], text)
