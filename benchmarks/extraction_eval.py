"""How well the value reader reads labelled news text: precision, recall, kind, denials.

Run: .venv/bin/python benchmarks/extraction_eval.py [--corpus PATH ...] [--misses]

Two labelled sets are read by default: the corpus (tests/data/extraction_corpus.yaml, whose
header says how it is labelled) and the held-out set (tests/data/extraction_holdout.yaml),
written after the reader was built and first read before any change to it. Each lists, for
each passage, every value it states. A value read from a passage is found when its span
overlaps the labelled words, its unit is the labelled unit, and it shares a bound with the
labelled value (so "over $5M" read as exactly $5M is found, with the wrong kind). Per
language (en, zh-Hans, zh-Hant):

- precision: values read that are found, of all values read;
- recall: labelled values that are found, of all labelled values;
- kind right: found values whose interval kind is the labelled one; interval right: found
  values whose whole interval (kind and both bounds) is the labelled one;
- denied read as asserted: labelled denied values read without their denial; denied picked:
  passages where asserted_value, asked for the unit of a denied value, returns a denied value;
- claim picks right: passages labelled with a claim whose asserted_value is the labelled value.

--misses lists every passage where a value is missed, extra or read with a wrong interval.
"""

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.extraction import asserted_value, extract  # noqa: E402
from domain.intervals import (  # noqa: E402
    APPROXIMATE,
    DATE_UNIT,
    EXACT,
    LOWER_BOUND,
    RANGE,
    UPPER_BOUND,
    Interval,
    date_interval,
)
from domain.units import normalize_unit, same_unit  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "extraction_corpus.yaml"
HOLDOUT = ROOT / "tests" / "data" / "extraction_holdout.yaml"
LANGUAGES = ("en", "zh-Hans", "zh-Hant")
_MAGNITUDES = {"k": 10**3, "M": 10**6, "B": 10**9, "T": 10**12, "万": 10**4, "亿": 10**8}
_FIGURE = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<magnitude>万亿|[kMBT万亿])?")


@dataclass(frozen=True)
class Labelled:
    start: int
    end: int
    words: str
    interval: Interval
    denied: bool


@dataclass(frozen=True)
class Passage:
    topic: str
    lang: str
    text: str
    published: date | None
    unit: str
    values: tuple[Labelled, ...]
    claim_unit: str = ""
    claim_words: str = ""


def _figure(text: str) -> Decimal:
    found = _FIGURE.fullmatch(text.replace(",", ""))
    if found is None:
        raise ValueError(f"not a figure: {text!r}")
    scale = Decimal(1)
    for char in found["magnitude"] or "":
        scale *= _MAGNITUDES[char]
    value = Decimal(found["number"]) * scale
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _days(text: str, last: bool) -> Decimal:
    span = date_interval(*(int(part) for part in text.split("-")))
    return span.high if last else span.low


def labelled_interval(value: str, unit: str) -> Interval:
    """The interval a corpus value (5M, ~5M, 5M.., ..5M, 5M..8M, 2019-03 …) stands for."""
    is_date = unit == DATE_UNIT

    def low_of(text):
        return _days(text, last=False) if is_date else _figure(text)

    def high_of(text):
        return _days(text, last=True) if is_date else _figure(text)

    if value.startswith("~"):
        point = _figure(value[1:])
        return Interval(point, point, APPROXIMATE, unit)
    if ".." in value:
        low, high = value.split("..")
        low_value = low_of(low) if low else None
        high_value = high_of(high) if high else None
        if low and high:
            return Interval(low_value, high_value, RANGE, unit)
        return Interval(low_value, high_value, LOWER_BOUND if low else UPPER_BOUND, unit)
    if is_date:
        return date_interval(*(int(part) for part in value.split("-")))
    point = _figure(value)
    return Interval(point, point, EXACT, unit)


def load_corpus(path: Path = CORPUS) -> list[Passage]:
    passages = []
    for group in yaml.safe_load(path.read_text(encoding="utf-8")):
        for item in group["passages"]:
            text = item["text"]
            values, searched_from = [], 0
            for line in item["values"]:
                words, value, unit, *marks = (part.strip() for part in line.split("|"))
                start = text.find(words, searched_from)
                if start < 0:
                    raise ValueError(f"{words!r} is not in {text!r} (after {searched_from})")
                unit = normalize_unit(unit)
                interval = labelled_interval(value, unit)
                values.append(
                    Labelled(start, start + len(words), words, interval, "denied" in marks)
                )
                searched_from = start + len(words)
            claim = item.get("claim") or {}
            passages.append(
                Passage(
                    topic=group["topic"],
                    lang=item["lang"],
                    text=text,
                    published=item.get("published", group.get("published")),
                    unit=item.get("unit", group.get("unit", "")),
                    values=tuple(values),
                    claim_unit=claim.get("unit", ""),
                    claim_words=claim.get("asserts", ""),
                )
            )
    return passages


def _shares_a_bound(read: Interval, labelled: Interval) -> bool:
    bounds = {labelled.low, labelled.high} - {None}
    return read.low in bounds or read.high in bounds


def _found(read, labelled: Labelled) -> bool:
    return (
        read.start < labelled.end
        and labelled.start < read.end
        and same_unit(read.interval.unit, labelled.interval.unit)
        and _shares_a_bound(read.interval, labelled.interval)
    )


def _overlaps(read, labelled: Labelled) -> bool:
    return read.start < labelled.end and labelled.start < read.end


@dataclass
class Score:
    passages: int = 0
    labelled: int = 0
    read: int = 0
    found: int = 0
    kind_right: int = 0
    interval_right: int = 0
    denied: int = 0
    denied_as_asserted: int = 0
    asserted_as_denied: int = 0
    denied_picked: int = 0
    claims: int = 0
    claims_right: int = 0
    faults: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / self.read if self.read else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.found if self.found else 1.0

    @property
    def interval_accuracy(self) -> float:
        return self.interval_right / self.found if self.found else 1.0


def _read_passage(passage: Passage):
    return extract(passage.text, published_on=passage.published, default_unit=passage.unit)


def _pick(passage: Passage, unit: str):
    return asserted_value(passage.text, unit=unit, published_on=passage.published)


def score_passage(passage: Passage, score: Score) -> None:
    read = _read_passage(passage)
    score.passages += 1
    score.labelled += len(passage.values)
    score.read += len(read)
    unmatched = list(read)
    faults = []
    for labelled in passage.values:
        match = next((r for r in unmatched if _found(r, labelled)), None)
        score.denied += labelled.denied
        if match is None:
            near = [r for r in unmatched if _overlaps(r, labelled)]
            shown = "; ".join(f"{r.text!r} {r.interval.describe()}" for r in near) or "nothing"
            faults.append(f"  missed {labelled.words!r} {labelled.interval.describe()}: {shown}")
            continue
        unmatched.remove(match)
        score.found += 1
        score.kind_right += match.interval.kind == labelled.interval.kind
        same = (match.interval.low, match.interval.high, match.interval.kind) == (
            labelled.interval.low,
            labelled.interval.high,
            labelled.interval.kind,
        )
        score.interval_right += same
        if not same:
            faults.append(
                f"  {labelled.words!r}: read {match.interval.describe()}, "
                f"is {labelled.interval.describe()}"
            )
        if labelled.denied and not match.denied:
            score.denied_as_asserted += 1
            faults.append(f"  {labelled.words!r} is denied but read as asserted")
        if match.denied and not labelled.denied:
            score.asserted_as_denied += 1
            faults.append(f"  {labelled.words!r} is asserted but read as denied")
    faults += [f"  extra {r.text!r} {r.interval.describe()}" for r in unmatched]
    for unit in {v.interval.unit for v in passage.values if v.denied}:
        picked = _pick(passage, unit)
        if picked and any(v.denied and _overlaps(picked, v) for v in passage.values):
            score.denied_picked += 1
            faults.append(f"  asserted_value({unit}) picked the denied {picked.text!r}")
    if passage.claim_unit:
        score.claims += 1
        wanted = next(v for v in passage.values if v.words == passage.claim_words)
        picked = _pick(passage, passage.claim_unit)
        if picked and (picked.interval.low, picked.interval.high, picked.interval.kind) == (
            wanted.interval.low,
            wanted.interval.high,
            wanted.interval.kind,
        ):
            score.claims_right += 1
        else:
            shown = f"{picked.text!r} {picked.interval.describe()}" if picked else "nothing"
            faults.append(f"  asserted_value({passage.claim_unit}) picked {shown}")
    if faults:
        score.faults.append(f"[{passage.lang}] {passage.text}\n" + "\n".join(faults))


def evaluate(passages: list[Passage]) -> dict[str, Score]:
    scores = {lang: Score() for lang in LANGUAGES}
    for passage in passages:
        score_passage(passage, scores[passage.lang])
    return scores


def report(scores: dict[str, Score]) -> str:
    lines = [
        "| language | passages | values | read | precision | recall | kind right "
        "| interval right | denied read as asserted | denied picked | claim picks right |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, s in scores.items():
        lines.append(
            f"| {lang} | {s.passages} | {s.labelled} | {s.read} | {s.precision:.1%} "
            f"| {s.recall:.1%} | {s.kind_accuracy:.1%} | {s.interval_accuracy:.1%} "
            f"| {s.denied_as_asserted} of {s.denied} | {s.denied_picked} "
            f"| {s.claims_right} of {s.claims} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[CORPUS, HOLDOUT])
    parser.add_argument("--misses", action="store_true", help="list every passage read wrong")
    args = parser.parse_args()
    for corpus in args.corpus:
        passages = load_corpus(corpus)
        scores = evaluate(passages)
        topics = Counter(p.topic for p in passages)
        print(f"\n{len(passages)} passages on {len(topics)} topics, from {corpus.name}\n")
        print(report(scores))
        if args.misses:
            for lang, score in scores.items():
                print(f"\n### {lang}: {len(score.faults)} passages read wrong\n")
                print("\n\n".join(score.faults))


if __name__ == "__main__":
    main()
