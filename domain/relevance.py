"""Whether a sentence bears on a claim, and why: the scoring behind suggested evidence.

Plain Python, no Django. A claim is read as a ClaimProfile: its subjects under every alias
(folded, given names included), which of them its statement names (the subjects it is
about), its match terms (the words for what it says happened: donated / 捐赠, withdrew /
撤诉), and its kind and unit. A sentence bears on the claim when

- it names the subjects the statement names (all but one when there are three or more),
  itself or through the sentence before it when it points back with a pronoun ("He
  withdrew the suit", "其后撤诉"), unless the term it uses names one ("xAI + founded");
- it uses one of the match terms (a term written "raised + non-profit" needs both words);
- for a quantity, it carries a value in the claim's unit (for a share, any count or share);
  for a date, a date.

Each sentence is compared with each claim once, so a scan is linear in the text's length.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain import units
from domain.extraction import DATE, Extracted, sentence_spans
from domain.text import fold_for_search

QUANTITY, DATE_KIND = "quantity", "date"

# Words that point back to someone or something the sentence before named.
_ANAPHORA_EN = re.compile(
    r"(?<![a-z])(?:he|him|his|she|her|they|them|their|it|its|the (?:company|billionaire|"
    r"entrepreneur|firm|lab|startup|organi[sz]ation|tesla chief|tech mogul)|both sides)(?![a-z])"
)
_ANAPHORA_ZH = re.compile(r"[他她其]|该公司|这家|此后|此前|这位|双方|后者|前者|对方|该机构")
_LATIN = re.compile(r"[a-z0-9]")

SCORE_REQUIRED_SUBJECT = 3
SCORE_OTHER_SUBJECT = 1
SCORE_TERM = 3
SCORE_VALUE = 2
SCORE_CARRIED = -1  # a subject only the sentence before names is a little less sure
THRESHOLD = SCORE_TERM + SCORE_REQUIRED_SUBJECT + SCORE_CARRIED


@dataclass(frozen=True)
class Subject:
    name: str
    aliases: tuple[str, ...]  # folded


@dataclass(frozen=True)
class ClaimProfile:
    key: object
    subjects: tuple[Subject, ...]
    required: frozenset[str]  # names of the subjects the statement names
    terms: tuple[tuple[str, ...], ...]  # folded; each term is one or more words all needed
    kind: str
    unit: str = ""


@dataclass(frozen=True)
class Match:
    key: object
    score: int
    reason: str


def given_names(name: str) -> list[str]:
    """The given name of a person's full name: Elon of Elon Musk, 埃隆 of 埃隆·马斯克."""
    for separator in ("·", "・", "•"):
        if separator in name:
            return [name.split(separator)[0]]
    parts = name.split()
    return [parts[0]] if len(parts) > 1 else []


def parse_terms(text: str) -> tuple[tuple[str, ...], ...]:
    """One term a line; a line whose words are joined by '+' needs all of them."""
    terms = []
    for line in text.splitlines():
        words = tuple(fold_for_search(word.strip()) for word in line.split("+") if word.strip())
        if words:
            terms.append(words)
    return tuple(terms)


def profile(
    key,
    *,
    subjects: Iterable[tuple[str, bool, Iterable[str]]],
    statements: Iterable[str],
    match_terms: str,
    kind: str,
    unit: str = "",
) -> ClaimProfile:
    """A claim as scoring reads it. `subjects` are (name, is a person, every name and alias)."""
    read = []
    for name, person, names in subjects:
        names = [n.strip() for n in names if n and n.strip()]
        if person:
            names += [given for n in names for given in given_names(n)]
        folded = dict.fromkeys(fold_for_search(n) for n in names)
        read.append(Subject(name, tuple(sorted(folded, key=len, reverse=True))))
    statement = fold_for_search("\n".join(statements))
    return ClaimProfile(
        key=key,
        subjects=tuple(read),
        required=frozenset(names_in(statement, read)),
        terms=parse_terms(match_terms),
        kind=kind,
        unit=unit,
    )


def _occurs(needle: str, folded: str) -> bool:
    """Whether a folded name or term is in the folded sentence, as a whole word if Latin."""
    if not _LATIN.match(needle[:1]) and not _LATIN.match(needle[-1:]):
        return needle in folded
    start = folded.find(needle)
    while start != -1:
        end = start + len(needle)
        before = folded[start - 1] if start else " "
        after = folded[end] if end < len(folded) else " "
        if not (_LATIN.match(needle[:1]) and before.isalnum() and before.isascii()) and not (
            _LATIN.match(needle[-1:]) and after.isalnum() and after.isascii() and after != "s"
        ):
            return True
        start = folded.find(needle, start + 1)
    return False


def names_in(folded: str, subjects: Iterable[Subject]) -> dict[str, str]:
    """Each subject the folded sentence names, with the alias it uses."""
    found = {}
    for subject in subjects:
        alias = next((a for a in subject.aliases if _occurs(a, folded)), None)
        if alias is not None:
            found[subject.name] = alias
    return found


def points_back(folded: str) -> bool:
    """Whether the sentence refers to someone named before it (he, its, 其, 该公司)."""
    return bool(_ANAPHORA_EN.search(folded) or _ANAPHORA_ZH.search(folded))


def _in_kind(profile: ClaimProfile, values: Sequence[Extracted]) -> Extracted | None:
    if profile.kind == QUANTITY and units.same_unit(profile.unit, units.PERCENT):
        # A share is as often told by its counts ("700 of 770 staff") as by a percentage.
        fitting = [v for v in values if v.quantity != DATE]
    elif profile.kind == QUANTITY and profile.unit:
        fitting = [
            v
            for v in values
            if v.quantity != DATE and units.same_unit(v.interval.unit, profile.unit)
        ]
    elif profile.kind == DATE_KIND:
        fitting = [v for v in values if v.quantity == DATE]
    else:
        return None
    return next((v for v in fitting if not v.denied), fitting[0] if fitting else None)


def _describe(value: Extracted) -> str:
    if value.quantity == DATE:
        what = "a date"
    else:
        unit = units.normalize_unit(value.interval.unit)
        what = "a share" if unit == units.PERCENT else f"an amount in {unit}"
    return f"denies {what} ({value.text})" if value.denied else f"{what} ({value.text})"


def score(
    profile: ClaimProfile,
    folded: str,
    values: Sequence[Extracted],
    before: dict[str, str] | None = None,
) -> Match | None:
    """How well the folded sentence bears on the claim, or None below the threshold.

    `before` is what the sentence before names (names_in), used when this one points back.
    """
    named = names_in(folded, profile.subjects)
    carried = {}
    if before and points_back(folded):
        carried = {
            name: alias
            for name, alias in before.items()
            if name not in named and (name in profile.required or not profile.required)
        }
    present = named | carried
    if not present:
        return None
    used = [t for t in profile.terms if all(_occurs(w, folded) for w in t)]
    if not used:
        return None
    # A term that names a subject ("xAI + founded") says whom the sentence must be about.
    aliases = {alias for subject in profile.subjects for alias in subject.aliases}
    pinning = [t for t in used if aliases.intersection(t)]
    pinned = bool(pinning)
    term = (pinning or used)[0]
    missing = len(profile.required - present.keys())
    if not pinned and missing > (1 if len(profile.required) > 2 else 0):
        return None
    value = _in_kind(profile, values)
    if profile.kind in (QUANTITY, DATE_KIND) and value is None:
        return None
    points = SCORE_TERM + (SCORE_VALUE if value is not None else 0)
    reasons = []
    for name in present:
        required = name in profile.required or not profile.required
        points += SCORE_REQUIRED_SUBJECT if required else SCORE_OTHER_SUBJECT
        if name in carried:
            points += SCORE_CARRIED
            reasons.append(f"names {name} in the sentence before")
        else:
            reasons.append(f"names {name}")
    reasons.append("'" + " + ".join(term) + "'")
    if value is not None:
        reasons.append(_describe(value))
    if points < THRESHOLD:
        return None
    return Match(profile.key, points, "; ".join(reasons))


def rank(matches: Iterable[Match | None]) -> list[Match]:
    """The matches above the threshold, best first."""
    return sorted((m for m in matches if m is not None), key=lambda m: -m.score)


def _values_by_sentence(text: str, values: Sequence[Extracted]):
    """Each sentence's span with the values inside it, in one pass over both (both are sorted)."""
    next_value = 0
    for start, end in sentence_spans(text):
        while next_value < len(values) and values[next_value].start < start:
            next_value += 1
        inside = next_value
        while inside < len(values) and values[inside].start < end:
            inside += 1
        yield (start, end), [v for v in values[next_value:inside] if v.end <= end]
        next_value = inside


def scan(text: str, profiles: Sequence[ClaimProfile], values: Sequence[Extracted]):
    """Each sentence's span, folded text and the claims it bears on, best first.

    `values` are extraction.extract's for the whole text. One pass over the sentences, each
    scored against each claim and against what the sentence before it names.
    """
    everyone = list({s.name: s for p in profiles for s in p.subjects}.values())
    before: dict[str, str] = {}
    for (start, end), in_sentence in _values_by_sentence(text, values):
        folded = fold_for_search(text[start:end])
        yield (start, end), folded, rank(score(p, folded, in_sentence, before) for p in profiles)
        before = names_in(folded, everyone)
