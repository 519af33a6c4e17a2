"""A Web Annotation against the W3C MUST assertions, run as web-platform-tests runs them.

The suite (`annotation-model/`, see README.md beside this module) states each requirement
as a JSON Schema draft-04 "assertion" and each test as an ordered list of them; its
README says how a list is evaluated. `failed_musts` runs the two MUST tests offline;
`anchoring` adds what the suite cannot check: that the selectors point at the quote.
"""

import json
import re
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.jsonschema import DRAFT4

HERE = Path(__file__).resolve().parent
WPT = HERE / "annotation-model"  # verbatim wpt files, at their wpt paths
STANDINS = HERE / "standins"  # read only for an assertion file that WPT lacks
MUST_TESTS = ("annotations/annotationMusts.test", "specificResource/specificResourceMusts.test")

# onUnexpectedResult -> what happens to the rest of the list
ACTIONS = {
    "failAndContinue": "continue",
    "failAndSkip": "skip",
    "failAndAbort": "abort",
    "passAndContinue": "continue",
    "passAndSkip": "skip",
    "passAndAbort": "abort",
}

# The wpt harness validated with ajv; these are its default ("fast") formats (ajv 5 and 6).
AJV_FORMATS = {
    "uri": re.compile(r"[a-z][a-z0-9+.\-]*:\S*", re.IGNORECASE),
    "date-time": re.compile(
        r"[0-9]{4}-[01][0-9]-[0-3][0-9][t\s](?:[0-2][0-9]:[0-5][0-9]:[0-5][0-9]|23:59:60)"
        r"(?:\.[0-9]+)?(?:z|[+-][0-9]{2}(?::?[0-9]{2})?)",
        re.IGNORECASE,
    ),
}


def _format_check(pattern: re.Pattern):
    return lambda value: not isinstance(value, str) or pattern.fullmatch(value) is not None


FORMATS = FormatChecker(formats=())
for name, pattern in AJV_FORMATS.items():
    FORMATS.checks(name)(_format_check(pattern))

# "$ref": "id.json#/..." finds a definitions file by its own "id"; nothing is ever fetched.
DEFINITIONS = Registry().with_resources(
    (schema["id"], DRAFT4.create_resource(schema))
    for schema in (json.loads(p.read_text("utf-8")) for p in (WPT / "definitions").glob("*.json"))
)


@dataclass
class Result:
    """One assertion's outcome; `passed` is None when a skip left it out."""

    passed: bool | None
    kind: str  # assertionType: must, should or may
    file: str  # its wpt path, or "inline"
    title: str
    stand_in: bool = False
    note: str = ""
    children: list["Result"] = field(default_factory=list)  # a Condition Object's

    @property
    def fails_a_must(self) -> bool:
        return self.passed is False and self.kind == "must"

    def __str__(self) -> str:
        stand_in = " [stand-in]" if self.stand_in else ""
        return f"{self.file}{stand_in} - {self.title}: {self.note}"


def failed_musts(annotation) -> list[Result]:
    """The MUST assertions of the suite that `annotation` fails."""
    return [
        result
        for test in MUST_TESTS
        for result in run_test(test, annotation)
        if result.fails_a_must
    ]


def must_failures(annotation) -> list[str]:
    """One readable line per MUST assertion that `annotation` fails."""
    return [str(result) for result in failed_musts(annotation)]


def run_test(test: str, annotation) -> list[Result]:
    """A .test file of the suite, by its wpt path, run against `annotation`."""
    return run(_load(test)[0]["assertions"], annotation, folder=test.rpartition("/")[0])


def run(assertions: list, annotation, folder: str = "") -> list[Result]:
    """An assertion list in order; `folder` holds the .test file it came from."""
    results = []
    _run_list(assertions, annotation, folder, results, "continue")
    return results


def _run_list(entries, annotation, folder, results, action) -> str:
    for entry in entries:
        if isinstance(entry, list):
            # a nested list starts where its parent stands; only its abort gets out
            if _run_list(entry, annotation, folder, results, action) == "abort":
                return "abort"
            continue
        assertion, file, stand_in = _resolve(entry, folder)
        kind, title = assertion.get("assertionType", "must"), _plain(assertion.get("title", ""))
        result = Result(True, kind, file, title, stand_in)
        results.append(result)
        if action == "skip":
            result.passed, result.note = None, "skipped"
            continue
        valid, why, result.children = _evaluate(assertion, annotation, folder)
        expected = assertion.get("expectedResult", "valid")
        if valid != (expected == "valid"):
            on_unexpected = assertion.get("onUnexpectedResult", "failAndContinue")
            action = ACTIONS.get(on_unexpected, "continue")
            result.passed = on_unexpected.startswith("pass")
            result.note = assertion.get("errorMessage", f"the result was not {expected}") + why
        if action == "abort":
            return "abort"
    return action


def _evaluate(assertion, annotation, folder) -> tuple[bool, str, list[Result]]:
    """(valid?, why not, the children's results) for an Assertion or Condition Object."""
    if "assertions" in assertion:
        # a Condition Object: the "and" (default) or "or" of its children's outcomes
        children = run(assertion["assertions"], annotation, folder)
        outcomes = [child.passed for child in children if child.passed is not None]
        combine = any if assertion.get("compareWith") == "or" else all
        return combine(outcomes), "", children
    validator = Draft4Validator(assertion, registry=DEFINITIONS, format_checker=FORMATS)
    error = best_match(validator.iter_errors(annotation))
    if error is None:
        return True, "", []
    return False, f" ({textwrap.shorten(error.message, 200)})", []


def _resolve(entry, folder) -> tuple[dict, str, bool]:
    """An assertion list entry (a file URI or an object) -> (assertion, file, stand-in?)."""
    if isinstance(entry, dict) and "assertionFile" not in entry:
        return entry, "inline", False
    path = _suite_path(entry if isinstance(entry, str) else entry["assertionFile"], folder)
    assertion, stand_in = _load(path)
    if isinstance(entry, dict):
        # the file's assertion, with the entry's own keys put over it
        assertion = {**assertion, **{k: v for k, v in entry.items() if k != "assertionFile"}}
    return assertion, path, stand_in


def _suite_path(uri: str, folder: str) -> str:
    # wpt README: a URI without a slash is beside the .test file, else from the suite's top
    return uri if "/" in uri else f"{folder}/{uri}".lstrip("/")


@cache
def _load(path: str) -> tuple[dict, bool]:
    """A suite file by its wpt path -> (its JSON, whether a stand-in answered for it)."""
    if (WPT / path).is_file():
        return json.loads((WPT / path).read_text("utf-8")), False
    if (STANDINS / path).is_file():
        return json.loads((STANDINS / path).read_text("utf-8")), True
    raise FileNotFoundError(f"{path} is in neither {WPT} nor {STANDINS}")


def _plain(markdown: str) -> str:
    """An assertion title without its Markdown links and emphasis."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"\*\*|(?<!\w)_|_(?!\w)", "", text)


def anchoring(annotation, text: str) -> list[str]:
    """What is wrong (nothing, when empty) in how each target's selectors point into `text`.

    A TextPositionSelector's start:end must hold its TextQuoteSelector's `exact`, with
    `prefix` ending right before it and `suffix` starting right after it.
    """
    targets = _as_list(annotation.get("target"))
    if not targets:
        return ["the annotation has no target"]
    errors = []
    for target in targets:
        selectors = _as_list(target.get("selector")) if isinstance(target, dict) else []
        by_type = {s.get("type"): s for s in selectors if isinstance(s, dict)}
        quote, position = by_type.get("TextQuoteSelector"), by_type.get("TextPositionSelector")
        if not quote or not position:
            errors.append("a target needs a TextQuoteSelector and a TextPositionSelector")
            continue
        start, end, exact = position.get("start"), position.get("end"), quote.get("exact")
        if not all(isinstance(n, int) for n in (start, end)) or not 0 <= start <= end <= len(text):
            errors.append(f"{start}:{end} is not a span of the text ({len(text)} characters)")
            continue
        if text[start:end] != exact:
            errors.append(f"text[{start}:{end}] is {text[start:end]!r}, not {exact!r}")
        if not text[:start].endswith(quote.get("prefix", "")):
            errors.append(f"the prefix {quote['prefix']!r} does not end at {start}")
        if not text[end:].startswith(quote.get("suffix", "")):
            errors.append(f"the suffix {quote['suffix']!r} does not start at {end}")
    return errors


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
