"""Quotes in the admin: added through the anchoring service, never deleted while in use."""

from claims import services
from claims.models import Quote
from tests.admin.forms import admin_url
from tests.factories import make_claim, make_quote, make_source

TEXT = "马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。"


def test_a_quote_in_use_cannot_be_deleted_by_any_path(editor_client):
    source = make_source(text=TEXT)
    used = make_quote(source, "4400万美元")
    services.assertion_add(claim=make_claim(), quote=used, stance="supports")
    url = admin_url(Quote, "delete", used.pk)

    assert (
        "deletelink" not in editor_client.get(admin_url(Quote, "change", used.pk)).content.decode()
    )
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    editor_client.post(
        admin_url(Quote, "changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk], "post": "yes"},
    )

    assert Quote.objects.filter(pk=used.pk).exists()


def test_an_unused_quote_is_deleted_through_the_service_and_its_history_kept(reviewer_client):
    source = make_source(text=TEXT)
    unused = make_quote(source, "不到4500万美元")

    response = reviewer_client.post(admin_url(Quote, "delete", unused.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Quote.objects.filter(pk=unused.pk).exists()
    assert Quote.history.filter(id=unused.pk).first().history_type == "-"


def test_adding_a_quote_anchors_it_and_refusals_are_form_errors(reviewer_client):
    source = make_source(text=TEXT)
    url = admin_url(Quote, "add")
    data = {"source": source.pk, "exact": "4400万美元", "start": "", "end": ""}

    assert reviewer_client.post(url, data).status_code == 302
    quote = Quote.objects.get(source=source)
    start = TEXT.index("4400万美元")
    assert (quote.start, quote.end) == (start, start + len("4400万美元"))

    again = reviewer_client.post(url, data)
    assert again.status_code == 200
    assert f"already quote {quote.pk}" in " ".join(again.context["adminform"].form.errors["exact"])
    missing = reviewer_client.post(url, {**data, "exact": "一亿美元"})
    assert "does not occur" in " ".join(missing.context["adminform"].form.errors["exact"])
    assert Quote.objects.count() == 1
