"""Scoring a sentence against a claim: subjects, match terms, values and the sentence before."""

from datetime import date

from domain import extraction, relevance

MUSK = ("Elon Musk", True, ["Elon Musk", "埃隆·马斯克", "Musk", "马斯克"])
OPENAI = ("OpenAI", False, ["OpenAI"])
XAI = ("xAI", False, ["xAI"])


def gift():
    return relevance.profile(
        "gift",
        subjects=[MUSK, OPENAI],
        statements=["How much money did Elon Musk give OpenAI?"],
        match_terms="donated\ngave\n捐赠",
        kind="quantity",
        unit="USD",
    )


def founded():
    return relevance.profile(
        "founded",
        subjects=[XAI, MUSK],
        statements=["When did Elon Musk found xAI?"],
        match_terms="xAI + founded\nxAI + 成立",
        kind="date",
    )


def suggested(text, *profiles):
    values = extraction.extract(text, published_on=date(2024, 12, 1))
    return {
        text[start:end]: [(m.key, m.reason) for m in matches]
        for (start, end), _, matches in relevance.scan(text, profiles, values)
    }


def test_a_sentence_needs_the_subjects_a_term_and_a_value_of_the_claims_kind():
    found = suggested(
        "Musk donated $44 million to OpenAI. OpenAI raised $6.6 billion. "
        "Musk gave OpenAI 10,000 GPUs. Musk and OpenAI met in 2015 over $1 billion.",
        gift(),
    )
    assert found == {
        "Musk donated $44 million to OpenAI.": [
            ("gift", "names Elon Musk; names OpenAI; 'donated'; an amount in USD ($44 million)")
        ],
        "OpenAI raised $6.6 billion.": [],
        "Musk gave OpenAI 10,000 GPUs.": [],
        "Musk and OpenAI met in 2015 over $1 billion.": [],
    }


def test_given_names_and_traditional_script_name_the_subject():
    found = suggested("埃隆向OpenAI捐贈了4400萬美元。", gift())
    assert found["埃隆向OpenAI捐贈了4400萬美元。"][0][1].startswith("names Elon Musk; names OpenAI")


def test_a_pronoun_names_whom_the_sentence_before_named():
    found = suggested("Musk cut ties with OpenAI. He had donated $44 million.", gift())
    assert found["He had donated $44 million."] == [
        (
            "gift",
            "names Elon Musk in the sentence before; names OpenAI in the sentence before; "
            "'donated'; an amount in USD ($44 million)",
        )
    ]
    assert suggested("Musk cut ties with OpenAI. Donations of $44 million.", gift()) == {
        "Musk cut ties with OpenAI.": [],
        "Donations of $44 million.": [],
    }


def test_a_term_that_names_a_subject_pins_the_sentence_to_it():
    found = suggested(
        "xAI was founded in July 2023. Musk founded OpenAI in December 2015.", founded()
    )
    assert [key for key, _ in found["xAI was founded in July 2023."]] == ["founded"]
    assert found["Musk founded OpenAI in December 2015."] == []


def test_latin_names_and_terms_match_whole_words_only():
    musk = relevance.Subject("Elon Musk", ("musk",))
    assert relevance.names_in("musk's gift", [musk]) == {"Elon Musk": "musk"}
    assert relevance.names_in("muskrat farms", [musk]) == {}
    assert relevance.names_in("马斯克的捐款", [relevance.Subject("Elon Musk", ("马斯克",))])


def test_matches_are_ranked_best_first():
    pledge = relevance.profile(
        "pledge",
        subjects=[MUSK, OPENAI],
        statements=["Did Elon Musk give OpenAI the $1 billion he pledged?"],
        match_terms="pledged",
        kind="yes_no",
    )
    found = suggested(
        "Musk donated $45 million to OpenAI, not the $1 billion he pledged.", gift(), pledge
    )
    scores = [key for key, _ in next(iter(found.values()))]
    assert scores == ["gift", "pledge"]


def test_a_long_text_is_scanned_one_sentence_at_a_time():
    sentence = "Musk donated $44 million to OpenAI. He was thanked. "
    for copies in (10, 1000):
        text = sentence * copies
        values = extraction.extract(text)
        found = sum(len(m) for _, _, m in relevance.scan(text, [gift(), founded()], values))
        assert found == copies
