import pytest

from domain.text import TextError, fold_for_search, normalize_text


def test_line_endings_and_composition_are_normalised():
    assert normalize_text("a\r\nb\rc") == "a\nb\nc"
    assert normalize_text("e\u0301") == "\u00e9"


def test_nul_is_refused_with_its_offset():
    with pytest.raises(TextError, match="NUL character at offset 3"):
        normalize_text("abc\x00")


def test_search_folding_joins_scripts_width_and_case():
    assert fold_for_search("馬斯克") == fold_for_search("马斯克")
    assert fold_for_search("ＯｐｅｎＡＩ") == fold_for_search("openai")
