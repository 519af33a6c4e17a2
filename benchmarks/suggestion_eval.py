"""How well the import-time suggestion scan picks the claims a sentence bears on.

Run: DEBUG=1 .venv/bin/python benchmarks/suggestion_eval.py [--corpus PATH] [--misses]

Reads the labelled sentences (tests/data/suggestions_corpus.yaml, whose header says how
they are labelled) and the seed ledger's claims, entities and match terms
(seeds/ledger.yaml), and scans each sentence as claims.evidence does (domain.relevance.scan,
with the sentence before it as context). A suggestion is a (sentence, claim) pair:

- precision: suggestions whose claim the sentence is labelled with, of all suggestions;
- recall: labelled (sentence, claim) pairs that are suggested, of all labelled pairs;

overall, per language (en, zh-Hans, zh-Hant), and for the held-out items apart.
--misses lists every missed and every wrong suggestion, held-out items left out.
"""

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain import extraction, relevance  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "suggestions_corpus.yaml"
LEDGER = ROOT / "seeds" / "ledger.yaml"
# Relative dates in the sentences ("last year", 今年5月) are read as of this day.
PUBLISHED_ON = date(2024, 12, 1)


@dataclass
class Tally:
    suggested: int = 0
    right: int = 0
    labelled: int = 0
    found: int = 0
    wrong: list = field(default_factory=list)
    missed: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0


def ledger_profiles(path: Path = LEDGER) -> list[relevance.ClaimProfile]:
    """The seed claims as the scan reads them, keyed by slug, straight from the ledger file."""
    ledger = yaml.safe_load(path.read_text(encoding="utf-8"))
    entities = {e["slug"]: e for e in ledger["entities"]}
    return [
        relevance.profile(
            claim["slug"],
            subjects=[
                (
                    entities[slug]["name"],
                    entities[slug]["kind"] == "person",
                    [
                        entities[slug]["name"],
                        entities[slug].get("name_zh", ""),
                        *entities[slug].get("aliases", []),
                    ],
                )
                for slug in claim.get("subjects", [])
            ],
            statements=[claim["statement_en"], claim.get("statement_zh", "")],
            match_terms="\n".join(claim.get("match_terms", [])),
            kind=claim["kind"],
            unit=claim.get("unit", ""),
        )
        for claim in ledger["claims"]
    ]


def suggested_for(item: dict, profiles: list[relevance.ClaimProfile]) -> set:
    """The claim keys the scan suggests for the item's sentence (not for its context)."""
    before = item.get("before", "")
    joiner = " " if item["lang"] == "en" else ""
    text = f"{before}{joiner}{item['text']}" if before else item["text"]
    own_start = len(text) - len(item["text"])
    values = extraction.extract(text, published_on=PUBLISHED_ON)
    keys = set()
    for (start, _end), _folded, matches in relevance.scan(text, profiles, values):
        if start >= own_start:
            keys |= {match.key for match in matches}
    return keys


def evaluate(items: list[dict], profiles: list[relevance.ClaimProfile]) -> dict[str, Tally]:
    """Tallies by group: all, each language, held-out."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for item in items:
        labelled = set(item.get("claims") or [])
        suggested = suggested_for(item, profiles)
        groups = ["all", item["lang"]] + (["held out"] if item.get("held_out") else [])
        for group in groups:
            tally = tallies[group]
            tally.suggested += len(suggested)
            tally.right += len(suggested & labelled)
            tally.labelled += len(labelled)
            tally.found += len(suggested & labelled)
            if group == "all" and not item.get("held_out"):
                tally.wrong += [(item["text"], key) for key in sorted(suggested - labelled)]
                tally.missed += [(item["text"], key) for key in sorted(labelled - suggested)]
    return tallies


def read_items(path: Path = CORPUS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    items = read_items(args.corpus)
    tallies = evaluate(items, ledger_profiles())
    print(f"{len(items)} sentences, {tallies['all'].labelled} labelled (sentence, claim) pairs")
    print(f"{'group':<10} {'suggested':>9} {'labelled':>8} {'precision':>9} {'recall':>7}")
    for group in ("all", "en", "zh-Hans", "zh-Hant", "held out"):
        t = tallies[group]
        print(f"{group:<10} {t.suggested:>9} {t.labelled:>8} {t.precision:>9.2f} {t.recall:>7.2f}")
    if args.misses:
        for text, key in tallies["all"].wrong:
            print(f"WRONG  {key}: {text}")
        for text, key in tallies["all"].missed:
            print(f"MISSED {key}: {text}")


if __name__ == "__main__":
    main()
