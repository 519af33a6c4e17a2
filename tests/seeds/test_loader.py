import shutil

import pytest
import yaml
from django.core.management import call_command

from claims import services
from claims.models import Assertion, Claim, Conflict, Entity, Quote
from seeds.loader import SEEDS_DIR, SeedError, load_seeds
from sources.models import Source

pytestmark = pytest.mark.django_db
MODELS = [Source, Entity, Claim, Quote, Assertion, Conflict]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeds_copy(tmp_path):
    shutil.copytree(SEEDS_DIR / "articles", tmp_path / "articles")
    shutil.copy(SEEDS_DIR / "sources.yaml", tmp_path / "sources.yaml")
    shutil.copy(SEEDS_DIR / "ledger.yaml", tmp_path / "ledger.yaml")
    return tmp_path


def test_stored_text_is_the_article_byte_for_byte(seeded):
    for meta in yaml.safe_load((SEEDS_DIR / "sources.yaml").read_text(encoding="utf-8")):
        raw = (SEEDS_DIR / "articles" / meta["file"]).read_bytes()
        assert Source.objects.get(sha256=meta["sha256"]).text.encode("utf-8") == raw


def test_a_changed_article_loads_nothing(seeds_copy):
    article = next((seeds_copy / "articles").glob("002_*.txt"))
    article.write_bytes(article.read_bytes().replace("好意思元".encode(), "美元".encode(), 1))
    with pytest.raises(SeedError, match="sha256 differs"):
        load_seeds(seeds_copy)
    assert all(n == 0 for n in counts().values())


def test_every_quote_sits_at_its_offsets(seeded):
    quotes = list(Quote.objects.select_related("source"))
    assert quotes
    for quote in quotes:
        assert quote.source.text[quote.start : quote.end] == quote.exact


def test_second_load_changes_nothing(seeded):
    before = counts()
    report = load_seeds()
    assert counts() == before
    assert sum(report.created.values()) == 0


def test_command_reports_what_it_loaded(db, capsys):
    call_command("load_seeds")
    out = capsys.readouterr().out
    assert f"sources: {Source.objects.count()} created" in out
    assert f"claims: {Claim.objects.count()} created" in out


def test_a_typo_in_a_quote_loads_nothing_and_names_claim_and_quote(seeds_copy):
    ledger = yaml.safe_load((seeds_copy / "ledger.yaml").read_text(encoding="utf-8"))
    claim = ledger["claims"][0]
    claim["assertions"][-1]["exact"] += "错字"
    (seeds_copy / "ledger.yaml").write_text(yaml.safe_dump(ledger, allow_unicode=True), "utf-8")
    with pytest.raises(SeedError) as error:
        load_seeds(seeds_copy)
    message = str(error.value)
    assert claim["slug"] in message
    assert f"quote {len(claim['assertions'])}" in message
    assert "does not occur in the source" in message
    assert all(n == 0 for n in counts().values())


def test_an_unknown_entity_loads_nothing(seeds_copy):
    ledger = yaml.safe_load((seeds_copy / "ledger.yaml").read_text(encoding="utf-8"))
    ledger["claims"][0]["subjects"].append("nobody")
    (seeds_copy / "ledger.yaml").write_text(yaml.safe_dump(ledger, allow_unicode=True), "utf-8")
    with pytest.raises(SeedError, match="unknown subject 'nobody'"):
        load_seeds(seeds_copy)
    assert all(n == 0 for n in counts().values())


def test_a_value_in_another_unit_than_its_claims_loads_nothing(seeds_copy):
    ledger = yaml.safe_load((seeds_copy / "ledger.yaml").read_text(encoding="utf-8"))
    claim = next(c for c in ledger["claims"] if c.get("unit") == "USD")
    claim["assertions"][0]["value"]["unit"] = "EUR"
    (seeds_copy / "ledger.yaml").write_text(yaml.safe_dump(ledger, allow_unicode=True), "utf-8")
    with pytest.raises(SeedError) as error:
        load_seeds(seeds_copy)
    assert claim["slug"] in str(error.value)
    assert "the claim is in USD; this value is in EUR" in str(error.value)
    assert all(n == 0 for n in counts().values())


def test_evidence_a_reviewer_deleted_is_not_loaded_again(seeded):
    first, second = Assertion.objects.order_by("pk")[:2]
    first_claim, first_quote = first.claim_id, first.quote_id
    services.assertion_delete(assertion=first)
    quote = second.quote
    services.assertion_delete(assertion=second)
    if not quote.assertions.exists():
        services.quote_delete(quote=quote)
    claim = Claim.objects.order_by("-pk").first()
    claim_slug = claim.slug
    claim.delete()
    before = counts()

    report = load_seeds()

    assert counts() == before
    assert sum(report.created.values()) == 0
    assert report.deleted["claims"] == 1 and report.deleted["assertions"] >= 1
    assert not Claim.objects.filter(slug=claim_slug).exists()
    assert not Assertion.objects.filter(claim_id=first_claim, quote_id=first_quote).exists()
