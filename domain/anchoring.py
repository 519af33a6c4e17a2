"""Quote anchoring, after the W3C Web Annotation selectors.

A quote is identified by its exact text, optional prefix/suffix context and optional
position (TextQuoteSelector plus TextPositionSelector). `anchor` finds it in a text or
says precisely why it cannot; `reanchor` finds it again after the text was corrected:
at the same place, then by exact text and context, then fuzzily, weighing the quote,
its context and its old position the way annotation clients do.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

CONTEXT_LENGTH = 32
# Fuzzy re-anchoring needs enough text to be meaningful and a close match to be trusted.
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_SCORE = 85.0


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    method: str = "exact"  # exact | context | fuzzy


class AnchorError(ValueError):
    """Why a selector does not anchor; `field` names the selector field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class QuoteNotFound(AnchorError):
    pass


class QuoteAmbiguous(AnchorError):
    def __init__(self, count: int):
        super().__init__(
            "exact",
            f"the text occurs {count} times in the source; "
            "give a prefix or suffix, or its start offset, to say which",
        )
        self.count = count


class PositionMismatch(AnchorError):
    pass


def context_around(text: str, start: int, end: int, length: int = CONTEXT_LENGTH):
    return text[max(0, start - length) : start], text[end : end + length]


def _make_anchor(text: str, start: int, end: int, method: str = "exact") -> Anchor:
    prefix, suffix = context_around(text, start, end)
    return Anchor(start, end, text[start:end], prefix, suffix, method)


def occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _fits_context(text: str, start: int, selector: Selector) -> bool:
    end = start + len(selector.exact)
    return text[:start].endswith(selector.prefix) and text[end:].startswith(selector.suffix)


def anchor(text: str, selector: Selector) -> Anchor:
    """The one place in `text` the selector points at, or an AnchorError saying why not."""
    exact = selector.exact
    if not exact:
        raise AnchorError("exact", "the quote text is empty")
    if not exact.strip():
        raise AnchorError("exact", "the quote text is only white space")
    if selector.start is not None or selector.end is not None:
        return _anchor_at_position(text, selector)
    starts = occurrences(text, exact)
    if not starts:
        raise QuoteNotFound("exact", "the text does not occur in the source")
    fitting = [s for s in starts if _fits_context(text, s, selector)]
    if not fitting:
        raise QuoteNotFound(
            "prefix" if selector.prefix else "suffix",
            f"the text occurs {len(starts)} times in the source, "
            "but never with the given prefix and suffix",
        )
    if len(fitting) > 1:
        raise QuoteAmbiguous(len(fitting))
    return _make_anchor(text, fitting[0], fitting[0] + len(exact))


def _anchor_at_position(text: str, selector: Selector) -> Anchor:
    start = selector.start
    end = selector.end
    if start is None:
        start = end - len(selector.exact)
    if end is None:
        end = start + len(selector.exact)
    if start < 0:
        raise PositionMismatch("start", f"start {start} is negative")
    if end > len(text):
        raise PositionMismatch("end", f"end {end} is past the end of the text ({len(text)})")
    if start >= end:
        raise PositionMismatch("end", f"end {end} must be greater than start {start}")
    if text[start:end] != selector.exact:
        found = len(occurrences(text, selector.exact))
        where = f"; the text occurs {found} times elsewhere" if found else ""
        raise PositionMismatch(
            "start", f"the text at {start}–{end} is {text[start:end][:40]!r}, not the quote{where}"
        )
    return _make_anchor(text, start, end)


def reanchor(text: str, selector: Selector) -> Anchor | None:
    """Find a quote again in a corrected text; None when it cannot be found (orphaned)."""
    exact = selector.exact
    if selector.start is not None and text[selector.start : selector.start + len(exact)] == exact:
        return _make_anchor(text, selector.start, selector.start + len(exact))
    starts = occurrences(text, exact)
    if starts:
        best = _closest(
            [s for s in starts if _fits_context(text, s, selector)] or starts, selector.start
        )
        method = "exact" if len(starts) == 1 else "context"
        return _make_anchor(text, best, best + len(exact), method)
    return _fuzzy(text, selector)


def _closest(starts: list[int], old_start: int | None) -> int:
    if old_start is None:
        return starts[0]
    return min(starts, key=lambda s: abs(s - old_start))


def _fuzzy(text: str, selector: Selector) -> Anchor | None:
    exact = selector.exact
    if len(exact) < FUZZY_MIN_LENGTH:
        return None
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=FUZZY_MIN_SCORE)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    # The match must also be about as long as the quote, not a fragment of it.
    if (end - start) < len(exact) * FUZZY_MIN_SCORE / 100:
        return None
    return _make_anchor(text, start, end, "fuzzy")
