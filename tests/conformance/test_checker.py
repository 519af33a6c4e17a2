"""The Web Annotation checker: the wpt suite's evaluation rules, and the anchoring check."""

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from referencing.exceptions import Unresolvable

from tests.conformance.web_annotation import checker

EXAMPLES = checker.HERE / "examples"
GOOD = json.loads((EXAMPLES / "good.json").read_text("utf-8"))
BAD = json.loads((EXAMPLES / "bad.json").read_text("utf-8"))
SOURCE_TEXT = (EXAMPLES / "source.txt").read_text("utf-8")

HAS_CONTEXT = {"title": "has @context", "required": ["@context"]}
HAS_TYPE = {"title": "has type", "required": ["type"]}
HAS_BODY = {"title": "has body", "required": ["body"]}
NO_BODY = {"type": "Annotation", "@context": "http://www.w3.org/ns/anno.jsonld"}


def outcomes(results):
    return [(r.title, r.passed) for r in results]


def failed_files(annotation):
    return [r.file for r in checker.failed_musts(annotation)]


def test_the_good_example_passes_every_must_and_anchors():
    assert checker.must_failures(GOOD) == []
    assert checker.anchoring(GOOD, SOURCE_TEXT) == []


def test_the_bad_example_fails_on_its_missing_context_and_negative_start():
    assert failed_files(BAD) == [
        "annotations/3.1-annotationContextValidated.json",
        "specificResource/4.2-selectorValidIfPresent.json",
        "specificResource/4.2-TextDataPositionSelectorValid.json",
    ]
    lines = checker.must_failures(BAD)
    assert lines[0].startswith("annotations/3.1-annotationContextValidated.json - Annotation has")
    assert "'@context' is a required property" in lines[0]
    assert "(-1 is less than the minimum of 0)" in lines[2] and "[stand-in]" in lines[2]


def test_each_must_test_runs_every_assertion_it_lists():
    annotation, specific_resource = (checker.run_test(test, GOOD) for test in checker.MUST_TESTS)
    assert len(annotation) == 14 and all(r.passed and not r.stand_in for r in annotation)
    # the wpt copy lacks the specificResource assertion files: the stand-ins answer for them
    assert len(specific_resource) == 11 and all(r.passed and r.stand_in for r in specific_resource)


def test_an_assertion_expected_invalid_passes_when_validation_fails():
    results = checker.run([{**HAS_BODY, "expectedResult": "invalid"}], NO_BODY)
    assert outcomes(results) == [("has body", True)]


def test_fail_and_skip_skips_the_rest_of_its_own_list_only():
    nested = [{**HAS_BODY, "onUnexpectedResult": "failAndSkip"}, HAS_CONTEXT]
    results = checker.run([nested, HAS_TYPE], NO_BODY)
    assert outcomes(results) == [("has body", False), ("has @context", None), ("has type", True)]
    assert results[0].fails_a_must and results[1].note == "skipped"


def test_a_nested_list_after_a_skip_is_skipped_too():
    results = checker.run([{**HAS_BODY, "onUnexpectedResult": "failAndSkip"}, [HAS_TYPE]], NO_BODY)
    assert outcomes(results) == [("has body", False), ("has type", None)]


def test_fail_and_abort_ends_the_whole_test():
    results = checker.run([[{**HAS_BODY, "onUnexpectedResult": "failAndAbort"}], HAS_TYPE], NO_BODY)
    assert outcomes(results) == [("has body", False)]


def test_pass_and_continue_counts_an_unexpected_result_as_a_pass():
    results = checker.run([{**HAS_BODY, "onUnexpectedResult": "passAndContinue"}], NO_BODY)
    assert outcomes(results) == [("has body", True)]
    assert results[0].note.startswith("the result was not valid")


@pytest.mark.parametrize(("compare_with", "passed"), [("or", True), ("and", False), (None, False)])
def test_a_condition_object_combines_its_children(compare_with, passed):
    condition = {"title": "context or body", "assertions": [HAS_CONTEXT, HAS_BODY]}
    if compare_with:
        condition["compareWith"] = compare_with
    [result] = checker.run([condition], NO_BODY)
    assert result.passed is passed
    assert outcomes(result.children) == [("has @context", True), ("has body", False)]


def test_an_assertion_file_can_be_included_and_overridden():
    overridden = {
        "assertionFile": "annotations/3.1-annotationContextValidated.json",
        "title": "no @context",
        "expectedResult": "invalid",
    }
    [result] = checker.run([overridden], {"type": "Annotation"})
    assert result.passed and result.title == "no @context"
    assert result.file == "annotations/3.1-annotationContextValidated.json"


def test_a_file_uri_without_a_slash_is_beside_the_test_file():
    [result] = checker.run(["3.1-annotationTypeValidated.json"], NO_BODY, folder="annotations")
    assert result.passed and result.file == "annotations/3.1-annotationTypeValidated.json"


def test_a_should_failure_is_not_a_must_failure():
    [result] = checker.run([{**HAS_BODY, "assertionType": "should"}], NO_BODY)
    assert result.passed is False and not result.fails_a_must


def test_refs_resolve_to_the_local_definitions_by_their_id():
    has_uri_id = {"properties": {"id": {"$ref": "id.json#/definitions/stringUri"}}}
    assert checker.run([has_uri_id], {"id": "https://ledger.example/a"})[0].passed
    assert not checker.run([has_uri_id], {"id": "not a uri"})[0].passed


def test_a_ref_outside_the_definitions_is_never_fetched():
    elsewhere = {"$ref": "https://www.w3.org/ns/anno.jsonld"}
    with pytest.raises(Unresolvable):
        checker.run([elsewhere], GOOD)


@pytest.mark.parametrize(
    ("created", "valid"),
    [
        ("2026-11-23T05:00:00Z", True),
        ("2026-11-23t05:00:00.250+01:00", True),
        ("2026-11-23 05:00:00+0100", True),
        ("2026-11-23", False),
        ("yesterday", False),
    ],
)
def test_date_time_is_ajvs_default_format(created, valid):
    assert (
        "annotations/3.3.1-annotationCreatedValidated.json"
        in failed_files({**GOOD, "created": created})
    ) is not valid


@pytest.mark.parametrize(
    ("uri", "valid"),
    [("https://ledger.example/a", True), ("urn:isbn:0451450523", True), ("/a/b", False)],
)
def test_uri_is_ajvs_default_format(uri, valid):
    assert ("annotations/3.1-annotationIdValidated.json" in failed_files({**GOOD, "id": uri})) is (
        not valid
    )


# Anchoring: the selectors against the source text


def with_selectors(quote=None, position=None):
    annotation = copy.deepcopy(GOOD)
    selectors = annotation["target"]["selector"]
    selectors[0].update(quote or {})
    selectors[1].update(position or {})
    return annotation


@pytest.mark.parametrize(
    ("annotation", "error"),
    [
        (with_selectors(position={"start": 16, "end": 23}), "text[16:23] is '400万美元,'"),
        (with_selectors(quote={"exact": "4500万美元"}), "not '4500万美元'"),
        (with_selectors(quote={"prefix": "OpenAI"}), "the prefix 'OpenAI' does not end at 15"),
        (with_selectors(quote={"suffix": "还为"}), "the suffix '还为' does not start at 22"),
        (with_selectors(position={"start": 30, "end": 99}), "30:99 is not a span of the text"),
        (with_selectors(position={"start": "15"}), "15:22 is not a span of the text"),
    ],
)
def test_anchoring_catches_selectors_that_point_elsewhere(annotation, error):
    errors = checker.anchoring(annotation, SOURCE_TEXT)
    assert errors and error in errors[0]


def test_anchoring_needs_both_selectors_on_every_target():
    quote_only = copy.deepcopy(GOOD)
    del quote_only["target"]["selector"][1]
    assert checker.anchoring(quote_only, SOURCE_TEXT) == [
        "a target needs a TextQuoteSelector and a TextPositionSelector"
    ]
    assert checker.anchoring({**GOOD, "target": "https://ledger.example/sources/2/"}, "x")
    assert checker.anchoring({"type": "Annotation"}, "x") == ["the annotation has no target"]


@given(st.text(min_size=1), st.data())
def test_selectors_cut_from_the_text_anchor_and_shifted_ones_do_not(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = {
        "exact": text[start:end],
        "prefix": text[max(0, start - 5) : start],
        "suffix": text[end : end + 5],
    }
    annotation = with_selectors(quote, {"start": start, "end": end})
    assert checker.anchoring(annotation, text) == []
    shift = data.draw(st.sampled_from([-1, 1]))
    moved = with_selectors(quote, {"start": start + shift, "end": end + shift})
    if text[start + shift : end + shift] != quote["exact"] or start + shift < 0:
        assert checker.anchoring(moved, text)
