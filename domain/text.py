"""Text normalisation, defined once for every text the ledger stores or searches.

Stored text (articles, quotes, statements) is normalised to Unicode NFC with LF line
endings, so offsets mean the same thing on every database and in every client. NUL
characters are refused: PostgreSQL cannot store them and no article contains one.

Search text is folded further: NFKC (full-width ＯｐｅｎＡＩ becomes OpenAI), case-folded,
and traditional Chinese converted to simplified with OpenCC, so 馬斯克 and 马斯克 match.
"""

import hashlib
import unicodedata
from functools import lru_cache


class TextError(ValueError):
    """A text that cannot be stored as it is."""


def normalize_text(text: str) -> str:
    if "\x00" in text:
        raise TextError(f"contains a NUL character at offset {text.index(chr(0))}")
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
