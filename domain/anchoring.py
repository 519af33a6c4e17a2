"""Quote anchoring, after the W3C Web Annotation selectors.

A quote is identified by its exact text, optional prefix/suffix context and optional
position (TextQuoteSelector plus TextPositionSelector). `anchor` finds it in a text or
says precisely why it cannot; `reanchor` finds it again after the text was corrected,
from its exact text, the context on either side and its old position taken together, and
says when the evidence does not settle where it now is (a case for review, never a guess).
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from domain.messages import Refusal, gettext_noop

CONTEXT_LENGTH = 32
# Fuzzy re-anchoring needs enough text to be meaningful and a close match to be trusted.
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_SCORE = 85.0
# A second fuzzy match this close to the best one makes the best one a guess.
FUZZY_RIVAL_MARGIN = 5.0


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


class AnchorError(Refusal):
    """Why a selector does not anchor; `field` names the selector field at fault."""


class QuoteNotFound(AnchorError):
    pass


class QuoteAmbiguous(AnchorError):
    def __init__(self, count: int):
        super().__init__(
            "exact",
            gettext_noop(
                "the text occurs %(count)s times in the source; "
                "give a prefix or suffix, or its start offset, to say which"
            ),
            count=count,
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
        raise AnchorError("exact", gettext_noop("the quote text is empty"))
    if not exact.strip():
        raise AnchorError("exact", gettext_noop("the quote text is only white space"))
    if selector.start is not None or selector.end is not None:
        return _anchor_at_position(text, selector)
    starts = occurrences(text, exact)
    if not starts:
        raise QuoteNotFound("exact", gettext_noop("the text does not occur in the source"))
    fitting = [s for s in starts if _fits_context(text, s, selector)]
    if not fitting:
        raise QuoteNotFound(
            "prefix" if selector.prefix else "suffix",
            gettext_noop(
                "the text occurs %(count)s times in the source, "
                "but never with the given prefix and suffix"
            ),
            count=len(starts),
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
        raise PositionMismatch("start", gettext_noop("start %(start)s is negative"), start=start)
    if end > len(text):
        raise PositionMismatch(
            "end",
            gettext_noop("end %(end)s is past the end of the text (%(length)s)"),
            end=end,
            length=len(text),
        )
    if start >= end:
        raise PositionMismatch(
            "end",
            gettext_noop("end %(end)s must be greater than start %(start)s"),
            end=end,
            start=start,
        )
    if text[start:end] != selector.exact:
        found = len(occurrences(text, selector.exact))
        there = {"start": start, "end": end, "there": text[start:end][:40]}
        if found:
            raise PositionMismatch(
                "start",
                gettext_noop(
                    "the text at %(start)s–%(end)s is %(there)r, not the quote; "
                    "the text occurs %(count)s times elsewhere"
                ),
                count=found,
                **there,
            )
        raise PositionMismatch(
            "start",
            gettext_noop("the text at %(start)s–%(end)s is %(there)r, not the quote"),
            **there,
        )
    return _make_anchor(text, start, end)


@dataclass(frozen=True)
class Reanchored:
    """Where a quote is in a corrected text, and how sure that is.

    outcome: kept (same place), moved (found elsewhere, its context confirming it), fuzzy
    (placed, to be checked: its words changed, or neither side of its context is left),
    review (several places fit equally: not placed), orphaned (its words are gone).
    """

    outcome: str
    anchor: Anchor | None = None
    reason: str = ""
    # How much evidence placed it: twice the characters of context intact, plus one when at
    # its old place (so position only breaks a tie of context).
    evidence: int = -1

    @property
    def placed(self) -> bool:
        return self.anchor is not None


def _context_evidence(text: str, start: int, selector: Selector) -> int:
    """How much of the quote's stored context is intact around `start`, in characters.

    A side counts only whole. An empty side means the quote began (or ended) the text; it
    holds, for one character's worth, only if it still does.
    """
    end = start + len(selector.exact)
    prefix, suffix = selector.prefix, selector.suffix
    before = text[:start].endswith(prefix) if prefix else start == 0
    after = text[end:].startswith(suffix) if suffix else end == len(text)
    return before * max(len(prefix), 1) + after * max(len(suffix), 1)


def _outcome(selector: Selector, found: Anchor) -> str:
    same = (found.start, found.end) == (selector.start, selector.end)
    return "kept" if same else "moved"


def reanchor(text: str, selector: Selector) -> Reanchored:
    """Find a quote again in a corrected text.

    Each place the exact text occurs is weighed by how much of its context is intact there;
    among equally good places, the old position settles it only if one of them is exactly
    there. Anything less certain is never a silent move: several equal places make it a case
    for review, and a lone occurrence with no context left is placed but flagged to check.
    """
    exact = selector.exact
    starts = occurrences(text, exact)
    if not starts:
        return _fuzzy(text, selector)
    evidence = {s: _context_evidence(text, s, selector) for s in starts}
    best = max(evidence.values())
    fitting = [s for s in starts if evidence[s] == best]
    if len(fitting) > 1:
        fitting = [s for s in fitting if s == selector.start] or fitting
    if len(fitting) > 1 or (best == 0 and len(starts) > 1):
        return Reanchored(
            "review",
            reason=f"the text occurs in {len(fitting if best else starts)} places that fit "
            "its context and position equally",
        )
    at = fitting[0]
    found = _make_anchor(text, at, at + len(exact), "exact" if best else "fuzzy")
    # Context first, then the old position, which only breaks ties.
    weight = 2 * best + (at == selector.start)
    if best == 0 and at != selector.start:
        # The words occur once, but nothing around them is as it was: placed, to be checked.
        return Reanchored("fuzzy", found, "no context on either side is left", weight)
    return Reanchored(_outcome(selector, found), found, evidence=weight)


def reanchor_all(text: str, selectors: Mapping[Hashable, Selector]) -> dict:
    """Re-anchor a source's quotes together: no two are placed on the same span.

    Where several land on one span, the one with the most evidence keeps it and the others
    become cases for review; with no clear winner, all of them do.
    """
    found = {key: reanchor(text, selector) for key, selector in selectors.items()}
    by_span: dict[tuple[int, int], list] = {}
    for key, result in found.items():
        if result.placed:
            by_span.setdefault((result.anchor.start, result.anchor.end), []).append(key)
    for keys in by_span.values():
        if len(keys) < 2:
            continue
        ranked = sorted(keys, key=lambda k: found[k].evidence, reverse=True)
        winner = ranked[0] if found[ranked[0]].evidence > found[ranked[1]].evidence else None
        how = "as well" if winner is None else "better"
        for key in keys:
            if key != winner:
                reason = f"another quote of the same words fits this place {how}"
                found[key] = Reanchored("review", reason=reason)
    return found


def _fuzzy(text: str, selector: Selector) -> Reanchored:
    exact = selector.exact
    gone = Reanchored("orphaned", reason="the text no longer occurs in the source")
    best = _fuzzy_match(text, exact, FUZZY_MIN_SCORE)
    if best is None:
        return gone
    start, end, score = best
    # Blank out the match and look again: a rival nearly as good makes it a guess.
    masked = text[:start] + "\x00" * (end - start) + text[end:]
    if _fuzzy_match(masked, exact, max(FUZZY_MIN_SCORE, score - FUZZY_RIVAL_MARGIN)):
        return Reanchored("review", reason="the changed text is close to 2 places or more")
    return Reanchored("fuzzy", _make_anchor(text, start, end, "fuzzy"), "its words changed")


def _fuzzy_match(text: str, exact: str, cutoff: float) -> tuple[int, int, float] | None:
    if len(exact) < FUZZY_MIN_LENGTH:
        return None
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=cutoff)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    # The match must also be about as long as the quote, not a fragment of it.
    if (end - start) < len(exact) * FUZZY_MIN_SCORE / 100:
        return None
    return start, end, alignment.score
