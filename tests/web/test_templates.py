"""The reader pages' Jinja2 templates print what Django's did, in development as in production."""

import re

import pytest
from django.template.backends.jinja2 import Jinja2

from claims.models import Claim, Entity
from sources.models import Source

JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)


def test_a_missing_value_prints_nothing_in_development(settings):
    # DEBUG on, as `make run` has it: Django's Jinja2 backend would print "{{ name }}".
    settings.DEBUG = True
    [reader] = [e for e in settings.TEMPLATES if e["BACKEND"] == Jinja2.__module__ + ".Jinja2"]
    engine = Jinja2({"NAME": "reader", **{k: v for k, v in reader.items() if k != "BACKEND"}})
    template = engine.from_string("[{{ nothing }}][{{ claim.nothing }}]")
    assert template.render({"claim": object()}) == "[][]"


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_no_reader_page_shows_template_syntax(client, seeded, language):
    claim = Claim.objects.published().filter(assertions__isnull=False).first()
    source = Source.objects.filter(quotes__assertions__claim=claim).first()
    entity = Entity.objects.filter(claims__in=Claim.objects.published()).first()
    paths = [
        "",
        "?q=马斯克",
        f"claims/{claim.slug}/",
        f"claims/{claim.slug}/?stance=supports",
        f"sources/{source.pk}/",
        f"entities/{entity.slug}/",
    ]
    for path in paths:
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        # The JSON-LD is JSON, whose objects may well end in "}}".
        page = JSON_LD.sub("", response.content.decode())
        assert "{{" not in page and "{%" not in page and "}}" not in page, path
    missing = client.get(f"/{language}/claims/no-such-claim/")
    assert missing.status_code == 404
    assert "{{" not in missing.content.decode()
