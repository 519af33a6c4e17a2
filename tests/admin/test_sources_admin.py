"""Sources in the admin: the highlighted text, quoting a selection, importing, correcting."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.admin.sources import highlighted_text
from claims.models import Quote
from sources.models import Source
from sources.services import source_update
from tests.admin.forms import admin_url, posted_back
from tests.admin.ledger import article, sentence
from tests.factories import make_quote, make_source

# Characters outside the Basic Multilingual Plane count twice in JavaScript, once here.
SAVE_BUDGET = 35

ASTRAL = "开头😀𠮷野家说:OpenAI收到了4400万美元。<b>&\"'</b> OpenAI收到了。结尾🎉"


def page_text(fragment: str) -> str:
    """What a browser makes of the fragment as text: tags gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def marked(fragment: str) -> dict[int, str]:
    """Each quote's marked text, joined from the runs that name it."""
    found: dict[int, str] = {}
    for ids, text in re.findall(r'<mark [^>]*data-quotes="([^"]+)"[^>]*>(.*?)</mark>', fragment):
        for pk in ids.split():
            found[int(pk)] = found.get(int(pk), "") + html.unescape(text)
    return found


def test_the_highlighted_text_is_the_text_with_every_quote_marked(db):
    source = make_source(text=ASTRAL)
    outer = make_quote(source, "𠮷野家说:OpenAI收到了4400万美元")
    inner = make_quote(source, "OpenAI收到了4400万美元", prefix="说:")
    escaped = make_quote(source, "<b>&\"'</b>")

    fragment = str(highlighted_text(source.text, list(source.quotes.all())))

    assert page_text(fragment) == ASTRAL
    assert "<b>" not in fragment
    assert marked(fragment) == {q.pk: q.exact for q in (outer, inner, escaped)}
    assert fragment.count("quote overlap") == 1


def test_the_source_page_shows_the_text_exactly_and_its_quotes(reviewer_client):
    source = make_source(text=ASTRAL)
    quote = make_quote(source, "4400万美元")

    page = reviewer_client.get(admin_url(Source, "change", source.pk)).content.decode()

    container = re.search(r'<div id="source-text"[^>]*>(.*?)</div>', page, re.DOTALL).group(1)
    assert page_text(container) == ASTRAL
    assert marked(container) == {quote.pk: "4400万美元"}
    assert 'id="quote-form"' in page
    assert "claims/admin/workbench.js" in page


def test_a_selection_is_saved_as_a_quote_at_its_character_offsets(reviewer_client):
    source = make_source(text=ASTRAL)
    passage = "OpenAI收到了4400万美元"
    start = ASTRAL.index(passage)
    url = admin_url(Source, "quote", source.pk)

    response = reviewer_client.post(
        url,
        {
            "exact": passage,
            "start": start,
            "end": start + len(passage),
            "prefix": ASTRAL[start - 32 if start > 32 else 0 : start],
            "suffix": ASTRAL[start + len(passage) :][:32],
        },
    )

    quote = Quote.objects.get(source=source)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/change/#quote-{quote.pk}")
    assert (quote.start, quote.end, quote.exact) == (start, start + len(passage), passage)
    assert source.text[quote.start : quote.end] == passage


def test_a_selection_the_service_refuses_shows_why_beside_the_text(reviewer_client):
    source = make_source(text=ASTRAL)
    taken = make_quote(source, "4400万美元")
    url = admin_url(Source, "quote", source.pk)
    utf16_start = len(ASTRAL[: ASTRAL.index("OpenAI")].encode("utf-16-le")) // 2

    refusals = [
        ({"exact": "一亿美元"}, "exact", "does not occur"),
        ({"exact": "OpenAI收到了"}, "exact", "occurs 2 times"),
        ({"exact": "4400万美元"}, "exact", f"already quote {taken.pk}"),
        ({"exact": "OpenAI", "start": utf16_start, "end": utf16_start + 6}, "start", "not the"),
    ]
    for data, field, reason in refusals:
        response = reviewer_client.post(url, data)
        assert response.status_code == 200, data
        form = response.context["quote_form"]
        assert reason in " ".join(form.errors[field]), (data, form.errors)
        assert page_text(str(response.context["source_text"])) == ASTRAL
    assert list(Quote.objects.filter(source=source)) == [taken]


IMPORT = {"title": "", "language": "zh-Hans", "kind": "news", "published_precision": "day"}


def test_pasted_text_is_imported_and_the_same_text_again_points_to_it(reviewer_client):
    url = admin_url(Source, "add")
    text = "马斯克说他给了OpenAI 4400万美元。\n奥特曼说不到4500万美元。"

    response = reviewer_client.post(url, {**IMPORT, "title": "两种说法", "text": text})

    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == admin_url(Source, "change", source.pk)
    assert (source.title, source.text) == ("两种说法", text)

    again = reviewer_client.post(
        url, {**IMPORT, "title": "Copy", "text": text.replace("\n", "\r\n")}, follow=True
    )

    assert Source.objects.count() == 1
    assert again.redirect_chain[-1][0] == admin_url(Source, "change", source.pk)
    assert "already the source “两种说法”" in " ".join(str(m) for m in again.context["messages"])


def test_an_uploaded_utf8_file_is_imported_under_its_name(reviewer_client):
    text = "第一段。\n马斯克在OpenAI初创时豪砸4400万好意思元。"
    upload = SimpleUploadedFile("musk-openai.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))

    response = reviewer_client.post(admin_url(Source, "add"), {**IMPORT, "upload": upload})

    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.title, source.text) == ("musk-openai", text)


def test_an_import_the_form_or_service_refuses_shows_why(reviewer_client):
    url = admin_url(Source, "add")
    latin1 = SimpleUploadedFile("old.txt", "café".encode("latin-1"))
    cases = [
        ({**IMPORT, "upload": latin1}, "upload", "not UTF-8"),
        ({**IMPORT, "title": "Empty"}, "text", "Paste the article"),
        ({**IMPORT, "title": "Nul", "text": "a\x00b"}, "text", "Null characters"),
        ({**IMPORT, "language": "fr", "title": "x", "text": "y"}, "language", "valid choice"),
    ]
    for data, field, reason in cases:
        response = reviewer_client.post(url, data)
        assert response.status_code == 200, data
        assert reason in " ".join(response.context["form"].errors[field]), data
    assert not Source.objects.exists()


def test_a_corrected_text_reanchors_the_quotes(reviewer_client):
    source = make_source(text="马斯克说他给了OpenAI 4400万美元。")
    quote = make_quote(source, "4400万美元")
    url = admin_url(Source, "change", source.pk)
    data = posted_back(reviewer_client.get(url))
    data["text"] = "据报道,\r\n马斯克说他给了OpenAI 4400万美元。"

    response = reviewer_client.post(url, data, follow=True)

    quote.refresh_from_db()
    source.refresh_from_db()
    assert source.text == "据报道,\n马斯克说他给了OpenAI 4400万美元。"
    assert source.text[quote.start : quote.end] == "4400万美元"
    assert "1 moved" in " ".join(str(m) for m in response.context["messages"])


def test_correcting_a_text_whose_repeated_sentence_is_quoted_twice_saves(reviewer_client):
    said = "马斯克说他给了OpenAI 4400万美元"
    text = f"甲。{said}。乙。{said}。丙。"
    source = make_source(text=text)
    first = make_quote(source, said, start=text.index(said))
    second = make_quote(source, said, start=text.rindex(said))
    url = admin_url(Source, "change", source.pk)
    data = posted_back(reviewer_client.get(url))
    data["text"] = f"甲。乙。{said}。丙。"  # one of the two sentences deleted

    response = reviewer_client.post(url, data, follow=True)

    assert response.status_code == 200
    source.refresh_from_db()
    assert source.text == f"甲。乙。{said}。丙。"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.anchor_state, second.anchor_state) == ("review", "anchored")
    assert "1 moved" in " ".join(str(m) for m in response.context["messages"])
    assert "1 to review" in " ".join(str(m) for m in response.context["messages"])


def test_saving_an_unchanged_text_writes_nothing(reviewer_client):
    source = make_source(text="第一行。\n第二行。")
    url = admin_url(Source, "change", source.pk)
    data = posted_back(reviewer_client.get(url))
    data["text"] = data["text"].replace("\n", "\r\n")  # as a browser posts a textarea

    assert reviewer_client.post(url, data).status_code == 302
    assert source.history.count() == 1


# The source's description

DESCRIPTION = {
    "title": "马斯克的说法",
    "outlet": "Reuters",
    "author": "A. Writer",
    "url": "https://example.com/musk",
    "published_on": "2018-02-21",
    "published_precision": "month",
    "language": "zh-Hant",
    "kind": "blog",
    "reader_note": "This copy of the article contains machine-spun wording.",
    "reader_note_zh": "此版本的文章含有机器改写的措辞。",
}


def described(source: Source) -> dict:
    return {name: str(getattr(source, name) or "") for name in DESCRIPTION}


def test_the_description_is_edited_through_the_service_and_nothing_else_changes(
    reviewer, reviewer_client
):
    source = make_source(text="马斯克说他给了OpenAI 4400万美元。", title="Old title")
    quote = make_quote(source, "4400万美元")
    before = Source.objects.get(pk=source.pk)
    url = admin_url(Source, "change", source.pk)
    data = posted_back(reviewer_client.get(url))
    # A decomposed é: the service, not the form, stores it composed (NFC).
    data.update(DESCRIPTION, title="Cafe\u0301: 馬斯克的說法")

    response = reviewer_client.post(url, data, follow=True)

    assert response.redirect_chain[-1][1] == 302
    after = Source.objects.get(pk=source.pk)
    assert described(after) == {**DESCRIPTION, "title": "Café: 馬斯克的說法"}
    assert (after.text, after.sha256) == (before.text, before.sha256)
    assert "马斯克的说法" in after.search_text  # folded by the service, for search
    assert Quote.objects.get(pk=quote.pk).start == quote.start
    record = after.history.first()
    assert (record.history_user, after.history.count()) == (reviewer, 2)
    changed = record.diff_against(record.prev_record, excluded_fields=["updated_at"])
    assert set(changed.changed_fields) == set(DESCRIPTION)
    assert "Text corrected" not in " ".join(str(m) for m in response.context["messages"])


def test_a_description_the_service_refuses_shows_on_its_field_and_nothing_is_saved(
    reviewer_client,
):
    source = make_source(text="第二篇的文字。", title="Old title", outlet="Xinhua")
    before = described(source)
    url = admin_url(Source, "change", source.pk)
    data = posted_back(reviewer_client.get(url))
    # 500 characters for the form; each becomes two in the service's normal form (NFC).
    data.update(outlet="Reuters", title="\u0958" * 500)

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["title"]
    assert "at most 500 characters (it has 1000)" in " ".join(errors)
    assert described(Source.objects.get(pk=source.pk)) == before
    assert source.history.count() == 1


def test_a_correction_to_another_sources_text_is_refused_with_the_description_change(
    reviewer_client,
):
    taken = make_source(text="第一篇的文字。")
    source = make_source(text="第二篇的文字。", outlet="Xinhua")
    url = admin_url(Source, "change", source.pk)
    data = posted_back(reviewer_client.get(url))
    data.update(outlet="Reuters", text="第一篇的文字。")

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["text"]
    assert f"another source (id {taken.pk}) has exactly this text" in " ".join(errors)
    after = Source.objects.get(pk=source.pk)
    assert (after.outlet, after.text, after.history.count()) == ("Xinhua", "第二篇的文字。", 1)
    # The reviewer's input is still there to correct.
    assert response.context["adminform"].form["outlet"].value() == "Reuters"


def test_reverting_restores_the_description(reviewer, reviewer_client):
    source = make_source(text="第三篇的文字。", title="First title", outlet="Xinhua")
    first = source.history.first()
    source_update(source=source, title="Second title", outlet="Reuters", kind="blog")
    url = reverse("admin:sources_source_simple_history", args=[source.pk, first.history_id])
    page = reviewer_client.get(url)

    assert reviewer_client.post(url, posted_back(page)).status_code == 302

    after = Source.objects.get(pk=source.pk)
    assert (after.title, after.outlet, after.kind) == ("First title", "Xinhua", "news")
    assert after.history.first().history_user == reviewer


def test_saving_the_description_costs_the_same_queries_with_10_and_500_quotes(
    reviewer_client, django_assert_max_num_queries
):
    source = make_source(text=article(500))
    url = admin_url(Source, "change", source.pk)

    def save_title(title: str) -> int:
        data = {**posted_back(reviewer_client.get(url)), "title": title}
        with django_assert_max_num_queries(SAVE_BUDGET) as captured:
            assert reviewer_client.post(url, data).status_code == 302
        return len(captured)

    def grow(count: int) -> None:
        done = source.quotes.count()
        for n in range(done, done + count):
            make_quote(source, sentence(n))

    grow(10)
    small = save_title("Ten quotes")
    grow(490)
    assert save_title("Five hundred quotes") == small
    assert Source.objects.get(pk=source.pk).title == "Five hundred quotes"


# What an import reads from the text, and what it finds already there

ARTICLE = (
    "据报道,马斯克说他给了OpenAI大约1亿美元。OpenAI则表示,他的捐款不到4500万美元。\n"
    "双方在2018年分道扬镳,马斯克此后创立了xAI,并在去年起诉OpenAI违背“创始协议”。"
)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_language_is_read_from_the_text_unless_chosen(reviewer_client):
    url = admin_url(Source, "add")
    texts = {
        "zh-Hans": ARTICLE,
        "zh-Hant": "據報道,馬斯克說他給了OpenAI大約1億美元。OpenAI則表示,他的捐款不到4500萬美元。",
        "en": "Musk said he gave OpenAI about $100 million (马斯克). OpenAI said less.",
    }
    assert reviewer_client.get(url).context["form"]["language"].value() in (None, "")
    for language, text in texts.items():
        response = reviewer_client.post(
            url, {**IMPORT, "language": "", "title": language, "text": text}, follow=True
        )
        source = Source.objects.get(title=language)
        assert source.language == language
        assert f"read from the text: {source.get_language_display()}" in messages_of(response)
    chosen = {**IMPORT, "language": "zh-Hant", "title": "chosen", "text": "另一篇文章。"}
    assert reviewer_client.post(url, chosen).status_code == 302
    assert Source.objects.get(title="chosen").language == "zh-Hant"


def test_a_text_held_under_other_quotes_and_spacing_offers_the_source_held(reviewer_client):
    held = make_source(text=ARTICLE, title="Held")
    url = admin_url(Source, "add")
    respaced = (
        ARTICLE.replace(",", ",").replace("“", '"').replace("”", '"').replace("。", "。\n\n ")
    )
    data = {**IMPORT, "title": "Copy", "text": respaced}

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{admin_url(Source, "change", held.pk)}"' in page
    assert "Import anyway" in page
    assert list(Source.objects.all()) == [held]

    imported = reviewer_client.post(url, {**data, "import_anyway": "on"}, follow=True)

    copy = Source.objects.get(title="Copy")
    assert imported.redirect_chain[-1][0] == admin_url(Source, "change", copy.pk)


def test_a_near_duplicate_is_imported_and_flagged_with_a_link(reviewer_client):
    held = make_source(text=ARTICLE, title="Held")
    edited = ARTICLE.replace("大约1亿美元", "约1亿美元").replace("此后", "随后")

    response = reviewer_client.post(
        admin_url(Source, "add"), {**IMPORT, "title": "Edited", "text": edited}, follow=True
    )

    edited_source = Source.objects.get(title="Edited")
    assert response.redirect_chain[-1][0] == admin_url(Source, "change", edited_source.pk)
    shown = messages_of(response)
    assert "Nearly the same text" in shown
    assert f'href="{admin_url(Source, "change", held.pk)}"' in shown
    unrelated = reviewer_client.post(
        admin_url(Source, "add"),
        {
            **IMPORT,
            "title": "Other",
            "text": "微软向OpenAI投资了130亿美元,并获得了董事会观察员席位。",
        },
        follow=True,
    )
    assert "Nearly the same text" not in messages_of(unrelated)
