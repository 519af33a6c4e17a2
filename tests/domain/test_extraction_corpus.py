"""The value reader on labelled news text, held above its floors in every language.

benchmarks/extraction_eval.py reports the same figures; these floors keep them from slipping.
"""

from collections import Counter

import pytest

from benchmarks.extraction_eval import CORPUS, HOLDOUT, LANGUAGES, evaluate, load_corpus

FLOORS = {"precision": 0.98, "recall": 0.95, "kind_accuracy": 0.95, "interval_accuracy": 0.95}
SETS = {"corpus": CORPUS, "held-out": HOLDOUT}


@pytest.fixture(scope="module", params=sorted(SETS))
def labelled(request):
    passages = load_corpus(SETS[request.param])
    return passages, evaluate(passages)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_each_language_reads_above_its_floor(labelled, language, measure):
    _, scores = labelled
    score = scores[language]
    assert getattr(score, measure) >= FLOORS[measure], "\n\n".join(score.faults)


def test_no_denied_value_is_read_or_picked_as_asserted(labelled):
    _, scores = labelled
    for score in scores.values():
        assert score.denied_as_asserted == 0, "\n\n".join(score.faults)
        assert score.denied_picked == 0, "\n\n".join(score.faults)
        assert score.asserted_as_denied == 0, "\n\n".join(score.faults)
        assert score.claims_right == score.claims, "\n\n".join(score.faults)


def test_the_labelled_text_is_varied_news_in_every_script():
    passages = load_corpus(CORPUS) + load_corpus(HOLDOUT)
    assert len(load_corpus(CORPUS)) >= 200
    languages = Counter(p.lang for p in passages)
    assert set(languages) == set(LANGUAGES) and min(languages.values()) >= 50
    assert len({p.topic for p in passages}) >= 30
    assert sum(v.denied for p in passages for v in p.values) >= 20
    assert {v.interval.kind for p in passages for v in p.values} == {
        "exact",
        "approximate",
        "upper_bound",
        "lower_bound",
        "range",
    }
