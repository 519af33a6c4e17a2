"""Passages of a source's text: a quote's surrounding sentence, and the text cut at quotes.

Plain Python, no Django. Offsets are those stored on quotes (code points of the NFC text).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

# Where a sentence ends, in Chinese and in English ("." only when a space follows).
_SENTENCE_ENDS = "。！？；!?\n"
CONTEXT_LIMIT = 120


def _is_end(text: str, i: int) -> bool:
    char = text[i]
    if char in _SENTENCE_ENDS:
        return True
    return char == "." and (i + 1 == len(text) or text[i + 1].isspace())


def surrounding_sentence(
    text: str, start: int, end: int, limit: int = CONTEXT_LIMIT
) -> tuple[str, str, str]:
    """(before, quote, after): the sentence the quote stands in, cut to `limit` each side."""
    first = start
    while first > 0 and not _is_end(text, first - 1) and start - first < limit:
        first -= 1
    last = end
    if not (end > start and _is_end(text, end - 1)):
        while last < len(text) and last - end < limit:
            last += 1
            if _is_end(text, last - 1):
                break
    before, after = text[first:start], text[end:last]
    if first > 0 and not _is_end(text, first - 1):
        before = "…" + before
    if last < len(text) and not _is_end(text, last - 1):
        after = after + "…"
    return before.lstrip(), text[start:end], after.rstrip()


@dataclass(frozen=True)
class Segment:
    """A stretch of text between quote boundaries, and the quotes that cover it."""

    text: str
    quote_ids: tuple[int, ...] = ()
    starting: tuple[int, ...] = ()
    ending: tuple[int, ...] = ()

    @property
    def highlighted(self) -> bool:
        return bool(self.quote_ids)


def segments(
    text: str,
    spans: Iterable[tuple[int, int, int]],
    convert: Callable[[str], str] | None = None,
) -> list[Segment]:
    """The text cut at every quote's (id, start, end), each piece converted on its own.

    Converting piece by piece (e.g. simplified to traditional script, which may change a
    piece's length) keeps every highlight on the words it was made on.
    """
    starting, ending = defaultdict(list), defaultdict(list)
    for quote_id, start, end in sorted(spans, key=lambda span: (span[1], span[0])):
        starting[start].append(quote_id)
        ending[end].append(quote_id)
    cuts = sorted({0, len(text), *starting, *ending})
    active: dict[int, None] = {}
    pieces = []
    for left, right in pairwise(cuts):
        for quote_id in ending[left]:
            active.pop(quote_id, None)
        active.update(dict.fromkeys(starting[left]))
        piece = text[left:right]
        pieces.append(
            Segment(
                text=convert(piece) if convert else piece,
                quote_ids=tuple(active),
                starting=tuple(starting[left]),
                ending=tuple(ending[right]),
            )
        )
    return pieces
