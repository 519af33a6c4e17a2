"""The suggestion scan on the labelled sentences (tests/data/suggestions_corpus.yaml), with
the seed ledger's claims as the loader writes them."""

import importlib.util
from pathlib import Path

from claims.evidence import claim_profile
from claims.models import Claim

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "suggestion_eval", ROOT / "benchmarks" / "suggestion_eval.py"
)
suggestion_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suggestion_eval)


def _seed_profiles():
    claims = Claim.objects.prefetch_related("subjects__aliases")
    slugs = dict(claims.values_list("pk", "slug"))
    return [
        profile.__class__(**{**profile.__dict__, "key": slugs[profile.key]})
        for profile in map(claim_profile, claims)
    ]


def test_labelled_set_is_large_and_varied():
    items = suggestion_eval.read_items()
    assert len(items) >= 150
    assert {item["lang"] for item in items} == {"en", "zh-Hans", "zh-Hant"}
    assert sum(1 for item in items if not item["claims"]) >= 50


def test_every_label_is_a_seed_claim(seeded):
    slugs = set(Claim.objects.values_list("slug", flat=True))
    for item in suggestion_eval.read_items():
        assert set(item["claims"]) <= slugs, item["text"]


def test_precision_and_recall_on_the_seed_ledger(seeded):
    tallies = suggestion_eval.evaluate(suggestion_eval.read_items(), _seed_profiles())
    assert tallies["all"].precision >= 0.80
    assert tallies["all"].recall >= 0.75


def test_the_seed_ledger_reads_as_the_ledger_file_does(seeded):
    from_file = {p.key: p for p in suggestion_eval.ledger_profiles()}
    for profile in _seed_profiles():
        assert profile.terms == from_file[profile.key].terms
        assert profile.required == from_file[profile.key].required


def test_every_seed_claim_has_match_terms_in_both_languages(seeded):
    for claim in Claim.objects.all():
        terms = claim.match_terms.splitlines()
        assert any(t.isascii() for t in terms), claim.slug
        assert any(not t.isascii() for t in terms), claim.slug


def test_match_terms_are_edited_without_sending_a_published_claim_back_to_review(seeded):
    from claims import services

    claim = Claim.objects.get(slug="musk-lawsuit-withdrawn")
    assert claim.status == "published" and "撤诉" in claim.match_terms.splitlines()
    updated = services.claim_update(claim=claim, match_terms=claim.match_terms + "\n放弃起诉")
    assert updated.status == "published"
    assert "放弃起诉" in Claim.objects.get(pk=claim.pk).match_terms.splitlines()
