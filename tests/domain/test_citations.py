import pytest

from domain.citations import cited_keys, resolve_source_marks, without_source_marks


def test_seed_keys_resolve_to_source_ids_and_an_unknown_key_is_refused():
    text = "As [[source:002]] reports, and [[source:003]] and [[source:002]] again."
    assert cited_keys(text) == ["002", "003"]
    resolved = resolve_source_marks(text, {"002": 7, "003": 9})
    assert resolved == "As [[source:7]] reports, and [[source:9]] and [[source:7]] again."
    assert resolve_source_marks(resolved, {}) == resolved
    with pytest.raises(ValueError, match="004"):
        resolve_source_marks("[[source:004]]", {"002": 7})


def test_without_links_a_mark_reads_as_its_source_name():
    assert without_source_marks("Per [[source:7]].", {"7": "Reuters"}) == "Per Reuters."
    assert without_source_marks("Per [[source:8]].") == "Per a source."
