"""The admin in Chinese: every project string has a translation, and the workbench pages
show none of the project's English words to a reviewer who reads Chinese."""

import ast
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import services
from claims.models import Assertion, Claim, Conflict, Quote
from sources.models import Source

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
# What makemessages reads: the project's code, templates and scripts.
PROJECT_DIRS = ("claims", "sources", "ledger", "domain", "seeds", "templates", "locale")
# Words that read the same in both languages.
SAME_IN_BOTH = {"URL", "SHA-256"}


def po_entries(path: Path) -> list[dict]:
    """Each entry of a .po file: its msgid, its translations and whether it is fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"msgid": None, "msgstr": [], "fuzzy": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            elif line.startswith("#"):
                continue
            elif found := re.match(
                r"^(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?) (\".*\")$", line
            ):
                field = found.group(1)
                value = ast.literal_eval(found.group(2))
                if field.startswith("msgstr"):
                    entry["msgstr"].append(value)
                elif field == "msgid":
                    entry["msgid"] = value
            elif line.startswith('"') and field is not None:
                value = ast.literal_eval(line)
                if field.startswith("msgstr"):
                    entry["msgstr"][-1] += value
                elif field == "msgid":
                    entry["msgid"] += value
        if entry["msgid"]:
            entries.append(entry)
    return entries


def untranslated(path: Path) -> list[str]:
    return [
        e["msgid"]
        for e in po_entries(path)
        if e["fuzzy"] or not e["msgstr"] or not all(e["msgstr"])
    ]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_makemessages_finds_no_project_string_without_a_translation(
    tmp_path, monkeypatch, settings
):
    """makemessages, run on a copy of the project, leaves no msgid without its Chinese."""
    for name in PROJECT_DIRS:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    call_command("makemessages", locale=["zh_Hans"], domain="djangojs", verbosity=0)

    copied = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    assert untranslated(copied / "django.po") == []
    assert untranslated(copied / "djangojs.po") == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_makemessages_reads_the_jinja2_templates_messages(tmp_path, monkeypatch, settings):
    """The reader pages' {{ _() }} and {% trans %} blocks reach the catalogue, plural and
    trimmed, under the line they are on."""
    (tmp_path / "jinja2").mkdir()
    (tmp_path / "locale").mkdir()
    (tmp_path / "jinja2" / "page.html").write_text(
        '<h1>{{ _("Hello, reader") }}</h1>\n'
        "<p>{% trans counter=apples|length %}{{ counter }} apple\n"
        "    on the table{% pluralize %}{{ counter }} apples on the table{% endtrans %}</p>\n",
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["de"], verbosity=0)

    catalogue = (tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po").read_text()
    assert '#: jinja2/page.html:1\nmsgid "Hello, reader"' in catalogue
    assert (
        "#: jinja2/page.html:2\n#, python-format\n"
        'msgid "%(counter)s apple on the table"\n'
        'msgid_plural "%(counter)s apples on the table"'
    ) in catalogue


def test_the_compiled_catalogues_are_committed():
    for domain in ("django", "djangojs"):
        mo = LOCALE / f"{domain}.mo"
        assert mo.exists(), f"{mo.name}: run compilemessages"
        assert mo.stat().st_size > 1000


class VisibleText(HTMLParser):
    """The words a reader of the page sees: text outside scripts and styles, and the
    attributes browsers show (titles, placeholders, button values, labels for the blind).

    Not images' alt texts: the admin's only images are Django's own icons, whose alt
    texts ("True", "Search") Django leaves in English.
    """

    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__()
        self.texts = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden_depth += 1
        for name, value in attrs:
            shown = name in self.SHOWN_ATTRIBUTES or (
                tag == "input" and name == "value" and dict(attrs).get("type") == "submit"
            )
            if shown and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.texts.append(data)


def shown_texts(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {" ".join(t.split()).rstrip(":：").strip().casefold() for t in parser.texts}


def project_english() -> set[str]:
    """The project's interface strings in English, as they would show untranslated."""
    strings = set()
    for entry in po_entries(LOCALE / "django.po") + po_entries(LOCALE / "djangojs.po"):
        msgid = entry["msgid"]
        if "%" in msgid or "{" in msgid or "<" in msgid or msgid in SAME_IN_BOTH:
            continue
        strings.add(" ".join(msgid.split()).rstrip(":").strip().casefold())
    return strings


def workbench_pages() -> dict[str, str]:
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    source = Source.objects.filter(quotes__assertions__claim=claim).first()
    return {
        "index": reverse("admin:index"),
        "claim list": reverse("admin:claims_claim_changelist"),
        "claim": reverse("admin:claims_claim_change", args=[claim.pk]),
        "source list": reverse("admin:sources_source_changelist"),
        "source": reverse("admin:sources_source_change", args=[source.pk]),
        "assertion add": reverse("admin:claims_assertion_add"),
        "assertion list": reverse("admin:claims_assertion_changelist"),
        "quote list": reverse("admin:claims_quote_changelist"),
        "conflict list": reverse("admin:claims_conflict_changelist"),
        "suggestion list": reverse("admin:claims_suggestion_changelist"),
        "dispute queue": reverse("admin:claims_claim_disputes"),
        "dispute": reverse("admin:claims_claim_dispute", args=[claim.pk]),
        "deleted items": reverse("admin:claims_claim_deleted"),
        "import": reverse("admin:sources_source_add"),
        "conflict mark": reverse("admin:claims_conflict_add") + f"?claim={claim.pk}",
    }


def delete_some_evidence(user) -> None:
    """The deleted-items page lists something to restore."""
    quote = Quote.objects.filter(assertions__isnull=True).first()
    if quote is not None:
        services.quote_delete(quote=quote)
    assertion = Assertion.objects.order_by("-pk").first()
    services.assertion_delete(assertion=assertion, user=user)


def test_workbench_pages_in_chinese_show_no_english_of_the_project(
    seeded, reviewer, reviewer_client
):
    delete_some_evidence(reviewer)
    reviewer_client.cookies["django_language"] = "zh-hans"
    english = project_english()
    left = {}
    for name, url in workbench_pages().items():
        response = reviewer_client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Language"] == "zh-hans", name
        found = shown_texts(response.content.decode()) & english
        if found:
            left[name] = sorted(found)
    assert not left, left


@pytest.mark.parametrize(
    ("page", "chinese", "english"),
    [
        ("index", ["我的说法", "争议队列", "说法", "来源"], ["My claims", "Your work"]),
        ("claim list", ["选择 说法 来修改", "送交审核", "负责人"], ["Send to review"]),
        (
            "claim",
            # The status is the claim's ("已发布"), not a reader page's publication date.
            ["表述（英文）", "流程与结论", "审核备注", "标记两条论断之间的冲突", "已发布"],
            ["Statement en", "Workflow and verdict", "Reviewer notes"],
        ),
        ("source", ["正文与引文", "保存为引文", "新引文", "发表日期精度"], ["Save as quote"]),
        ("assertion add", ["仍然添加", "从引文读取", "立场"], ["Add anyway", "Stance"]),
        ("dispute", ["合并两种立场", "搁置一条论断"], ["Merge two positions"]),
        ("deleted items", ["已删除的证据", "恢复"], ["Deleted evidence", "Restore"]),
        (
            "import",
            ["导入来源", "仍然导入", "从正文识别"],
            ["Import a source", "Read from the text"],
        ),
        ("conflict list", ["选择 冲突 来修改", "确认：两者不能同时成立"], ["conflict 来修改"]),
    ],
)
def test_spot_checks_of_the_chinese_admin(
    seeded, reviewer, reviewer_client, page, chinese, english
):
    delete_some_evidence(reviewer)
    reviewer_client.cookies["django_language"] = "zh-hans"
    html = reviewer_client.get(workbench_pages()[page]).content.decode()
    for words in chinese:
        assert words in html, (page, words)
    for words in english:
        assert words not in html, (page, words)


def test_the_scripts_words_come_in_chinese(reviewer_client):
    reviewer_client.cookies["django_language"] = "zh-hans"
    catalog = reviewer_client.get(reverse("workbench-jsi18n")).content.decode("utf-8")
    # The catalog writes its strings as JSON, non-ASCII escaped.
    assert f'"Reads as %s": {json.dumps("读作 %s")}' in catalog
    assert json.dumps("显示精确界限（下限、上限、类型、单位）") in catalog


def test_a_conflict_page_names_its_fields_in_chinese(seeded, reviewer_client):
    reviewer_client.cookies["django_language"] = "zh-hans"
    conflict = Conflict.objects.order_by("pk").first()
    url = reverse("admin:claims_conflict_change", args=[conflict.pk])
    html = reviewer_client.get(url).content.decode()
    assert "公开说明（向读者显示）" in html
    assert "审核员备注" in html


def test_a_refusal_from_the_services_or_the_domain_comes_in_chinese(seeded, reviewer_client):
    """Why a write was refused, in the reviewer's language: the domain's words (a passage
    not in its source) and the services' own (a duplicate passage)."""
    reviewer_client.cookies["django_language"] = "zh-hans"
    quote = Quote.objects.select_related("source").first()
    add = reverse("admin:claims_quote_add")
    before = Quote.objects.count()

    absent = reviewer_client.post(add, {"source": quote.source.pk, "exact": "来源里没有的一句话"})
    again = reviewer_client.post(add, {"source": quote.source.pk, "exact": quote.exact})

    assert "这段文字不在来源中" in absent.content.decode()
    assert "the text does not occur in the source" not in absent.content.decode()
    assert f"这段文字已是引文 {quote.pk}" in again.content.decode()
    assert Quote.objects.count() == before
