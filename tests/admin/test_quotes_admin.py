"""Quotes in the admin: added through the anchoring service, never deleted while in use; only
the speaker changes once saved."""

from django.urls import reverse

from claims import services
from claims.models import Quote
from sources.services import source_correct_text
from tests.admin.forms import admin_url, posted_back
from tests.admin.ledger import article, sentence
from tests.factories import make_claim, make_entity, make_quote, make_source

PAGE_BUDGET = 15
# The save re-reads the positions of the claims the quote is linked to: they name speakers.
SAVE_BUDGET = 28

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


# The speaker, the one thing about a saved quote a reviewer changes


def anchoring(quote: Quote) -> tuple:
    quote = Quote.objects.get(pk=quote.pk)
    return (quote.source_id, quote.exact, quote.start, quote.end, quote.prefix, quote.suffix)


def test_a_reviewer_changes_the_speaker_and_the_text_and_offsets_stay(reviewer, reviewer_client):
    source = make_source(text=TEXT)
    quote = make_quote(source, "4400万美元")
    musk = make_entity(name="Elon Musk")
    before = anchoring(quote)
    url = admin_url(Quote, "change", quote.pk)
    page = reviewer_client.get(url)
    assert list(page.context["adminform"].form.fields) == ["speaker"]
    data = posted_back(page)
    # A crafted post for the read-only fields changes nothing.
    data.update(speaker=musk.pk, exact="奥特曼", start=0, end=3, prefix="", source=source.pk)

    assert reviewer_client.post(url, data).status_code == 302

    after = Quote.objects.get(pk=quote.pk)
    assert after.speaker == musk
    assert anchoring(after) == before
    record = after.history.first()
    assert (record.history_user, after.history.count()) == (reviewer, 2)
    changed = record.diff_against(record.prev_record, excluded_fields=["updated_at"])
    assert changed.changed_fields == ["speaker"]

    data = posted_back(reviewer_client.get(url))
    data["speaker"] = ""
    assert reviewer_client.post(url, data).status_code == 302
    assert Quote.objects.get(pk=quote.pk).speaker is None


def test_an_unknown_speaker_is_refused_on_the_field_and_nothing_is_saved(reviewer_client):
    quote = make_quote(make_source(text=TEXT), "4400万美元", speaker=make_entity())
    url = admin_url(Quote, "change", quote.pk)
    data = {**posted_back(reviewer_client.get(url)), "speaker": "999999"}

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    assert "valid choice" in " ".join(response.context["adminform"].form.errors["speaker"])
    assert Quote.objects.get(pk=quote.pk).speaker == quote.speaker
    assert quote.history.count() == 1


def test_saving_an_unchanged_speaker_writes_nothing(reviewer_client):
    quote = make_quote(make_source(text=TEXT), "4400万美元", speaker=make_entity())
    url = admin_url(Quote, "change", quote.pk)

    assert reviewer_client.post(url, posted_back(reviewer_client.get(url))).status_code == 302
    assert quote.history.count() == 1


def test_reverting_restores_the_speaker_and_keeps_the_quote_where_it_is(reviewer_client):
    source = make_source(text=TEXT)
    musk, altman = make_entity(name="Elon Musk"), make_entity(name="Sam Altman")
    quote = make_quote(source, "4400万美元", speaker=musk)
    first = quote.history.first()
    services.quote_set_speaker(quote=quote, speaker=altman)
    source_correct_text(source=source, text="据报道," + TEXT)  # the quote moves
    moved = anchoring(quote)
    url = reverse("admin:claims_quote_simple_history", args=[quote.pk, first.history_id])
    page = reviewer_client.get(url)

    assert reviewer_client.post(url, posted_back(page)).status_code == 302

    after = Quote.objects.get(pk=quote.pk)
    assert after.speaker == musk
    assert anchoring(after) == moved
    # The record of the revert is of the quote as it stands, not as it was back then.
    assert after.history.first().start == after.start


def test_the_speaker_form_costs_the_same_queries_with_10_and_500_rows(
    reviewer_client, django_assert_max_num_queries
):
    source = make_source(text=article(501))
    quote = make_quote(source, sentence(0))
    services.assertion_add(claim=make_claim(), quote=quote, stance="supports")
    url = admin_url(Quote, "change", quote.pk)

    def grow(count: int) -> None:
        """More quotes in the source, each with a speaker of its own."""
        done = source.quotes.count()
        for n in range(done, done + count):
            make_quote(source, sentence(n), speaker=make_entity())

    def show_and_save() -> tuple[int, int]:
        with django_assert_max_num_queries(PAGE_BUDGET) as shown:
            page = reviewer_client.get(url)
        data = {**posted_back(page), "speaker": make_entity().pk}
        with django_assert_max_num_queries(SAVE_BUDGET) as saved:
            assert reviewer_client.post(url, data).status_code == 302
        return len(shown), len(saved)

    grow(10)
    show_and_save()  # fills the per-process caches, and gives the quote a speaker to show
    small = show_and_save()
    grow(490)
    assert show_and_save() == small
