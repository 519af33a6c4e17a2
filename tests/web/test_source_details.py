"""What readers are told about a source: its date as far as it is known, its title in the
script they chose, its speakers' pages, and a note the reviewers wrote for them."""

import datetime
import re

import pytest

from claims import services
from sources.services import source_update
from tests.factories import make_claim, make_entity, make_quote, make_source
from tests.web.conftest import publish

pytestmark = pytest.mark.django_db

TEXT = "開頭的話。馬斯克說他給了OpenAI 4400萬美元。後面發生了許多變化。"
QUOTE = "馬斯克說他給了OpenAI 4400萬美元"


@pytest.fixture
def quoted():
    source = make_source(TEXT, title="馬斯克的說法", language="zh-Hant")
    speaker = make_entity(slug="elon", name="Elon Musk", name_zh="马斯克")
    claim = publish(make_claim(slug="what-was-given", statement_en="What was given?"))
    quote = make_quote(source, QUOTE, speaker=speaker)
    services.assertion_add(claim=claim, quote=quote, stance="supports")
    return source, claim


def dated(source, day, precision, stated=True):
    return source_update(
        source=source, published_on=day, published_precision=precision, published_stated=stated
    )


def meta_date(page: str) -> str:
    return re.search(r'<dd><time datetime="[^"]*">([^<]*)</time></dd>', page).group(1)


@pytest.mark.parametrize(
    "precision, english, chinese",
    [
        ("year", "2024", "2024年"),
        ("month", "June 2024", "2024年6月"),
        ("day", "June 15, 2024", "2024年6月15日"),
    ],
)
def test_a_date_is_shown_as_precisely_as_it_is_known(client, quoted, precision, english, chinese):
    source, claim = quoted
    dated(source, datetime.date(2024, 6, 15), precision)
    assert meta_date(client.get(f"/en/sources/{source.pk}/").content.decode()) == english
    assert meta_date(client.get(f"/zh-hans/sources/{source.pk}/").content.decode()) == chinese
    card = client.get(f"/en/claims/{claim.slug}/").content.decode()
    assert f">{english}</time>" in card


def test_an_inferred_date_says_the_source_does_not_state_it(client, quoted):
    source, claim = quoted
    dated(source, datetime.date(2024, 6, 15), "month", stated=False)
    page = client.get(f"/en/sources/{source.pk}/").content.decode()
    assert meta_date(page) == "date not stated (about June 2024)"
    assert "<dt>Published</dt>" not in page
    assert (
        "date not stated (about June 2024)"
        in client.get(f"/en/claims/{claim.slug}/").content.decode()
    )
    chinese = client.get(f"/zh-hans/sources/{source.pk}/").content.decode()
    assert meta_date(chinese) == "日期未注明（约2024年6月）"


def test_the_seed_sources_dates_are_inferred(seeded, client):
    from sources.models import Source

    assert not Source.objects.filter(published_stated=True).exists()


@pytest.mark.parametrize("script, title", [("hans", "马斯克的说法"), ("hant", "馬斯克的說法")])
def test_script_converts_the_title_with_the_text(client, quoted, script, title):
    source, _claim = quoted
    page = client.get(f"/en/sources/{source.pk}/", {"script": script}).content.decode()
    assert re.search(r"<h1[^>]*>([^<]*)</h1>", page).group(1) == title
    assert client.get(f"/en/sources/{source.pk}/").content.decode().count("馬斯克的說法") >= 1


def test_speakers_link_to_their_entity_pages(client, quoted):
    source, claim = quoted
    for url in (f"/en/claims/{claim.slug}/", f"/en/sources/{source.pk}/"):
        page = client.get(url).content.decode()
        assert '<a href="/en/entities/elon/">Elon Musk</a>' in page, url
    chinese = client.get(f"/zh-hans/claims/{claim.slug}/").content.decode()
    assert '<a href="/zh-hans/entities/elon/">马斯克</a>' in chinese
    assert client.get("/en/entities/elon/").status_code == 200


def test_a_reader_note_is_shown_on_the_source_and_beside_its_quotes(client, quoted):
    source, claim = quoted
    source_update(
        source=source,
        reader_note="This copy of the article contains machine-spun wording.",
        reader_note_zh="此版本的文章含有机器改写的措辞。",
    )
    for url in (f"/en/sources/{source.pk}/", f"/en/claims/{claim.slug}/"):
        page = client.get(url).content.decode()
        assert 'class="reader-note"' in page, url
        assert "machine-spun wording" in page, url
    chinese = client.get(f"/zh-hans/claims/{claim.slug}/").content.decode()
    assert "此版本的文章含有机器改写的措辞。" in chinese
    traditional = client.get(f"/zh-hant/sources/{source.pk}/").content.decode()
    assert "此版本的文章含有機器改寫的措辭。" in traditional


def test_a_missing_chinese_note_shows_the_english_one_marked_as_english(client, quoted):
    source, _claim = quoted
    source_update(source=source, reader_note="Spun wording.")
    page = client.get(f"/zh-hans/sources/{source.pk}/").content.decode()
    assert re.search(r'<span lang="en">Spun wording.</span>', page)


def test_no_note_no_notice(client, quoted):
    source, claim = quoted
    assert 'class="reader-note"' not in client.get(f"/en/sources/{source.pk}/").content.decode()
    assert 'class="reader-note"' not in client.get(f"/en/claims/{claim.slug}/").content.decode()


def test_the_admin_source_form_edits_the_reader_note(admin_client, quoted):
    source, _claim = quoted
    page = admin_client.get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    for name in ("reader_note", "reader_note_zh", "published_stated"):
        assert f'name="{name}"' in page, name
