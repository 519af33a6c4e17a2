"""The page of deleted evidence lists deleted assertions, quotes and conflicts and restores them."""

from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.models import Assertion, Conflict, Quote
from tests.admin.forms import admin_url
from tests.admin.ledger import exact
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source

TEXT = "马斯克说他给了OpenAI 4400万美元。另有人说1亿美元。"
DELETED = reverse("admin:claims_claim_deleted")


def revert_url(model, object_id, record) -> str:
    opts = model._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[object_id, record.history_id],
    )


def disputed_claim():
    source = make_source(text=TEXT)
    claim = make_claim()
    kept = services.assertion_add(
        claim=claim, quote=make_quote(source, "4400万美元"), stance="supports", value=exact(44 * M)
    )
    gone = services.assertion_add(
        claim=claim, quote=make_quote(source, "1亿美元"), stance="supports", value=exact(100 * M)
    )
    conflict = claim.conflicts.get()
    services.conflict_set_status(conflict=conflict, status="resolved", note="a later sum")
    return claim, kept, gone, conflict


def deleted(assertion) -> int:
    """Delete the assertion through the service; its id (deleting clears it on the object)."""
    pk = assertion.pk
    services.assertion_delete(assertion=assertion)
    return pk


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_version_of_a_deleted_assertion_sends_the_reviewer_to_restore_it(reviewer_client):
    claim, kept, gone, conflict = disputed_claim()
    record = Assertion.history.filter(id=gone.pk).latest("history_date")
    pk = deleted(gone)
    url = revert_url(Assertion, pk, record)
    for response in (reviewer_client.get(url), reviewer_client.post(url, {"stance": "supports"})):
        assert response.status_code == 302 and response["Location"] == DELETED
    assert not Assertion.objects.filter(pk=pk).exists()


def test_deleted_evidence_is_listed_and_restored_with_its_settled_conflict(
    reviewer_client, django_assert_max_num_queries
):
    claim, kept, gone, conflict = disputed_claim()
    third = services.assertion_add(
        claim=claim,
        quote=make_quote(gone.quote.source, "马斯克说"),
        stance="supports",
        value=exact(50 * M),
    )
    services.assertion_update(assertion=third, value=exact(44 * M))
    conflict_id = conflict.pk
    pk = deleted(gone)
    with django_assert_max_num_queries(12):
        page = reviewer_client.get(DELETED)
    assert page.status_code == 200
    text = page.content.decode()
    record = Assertion.history.get(id=pk, history_type="-")
    assert "1亿美元" in text and "a later sum" in text
    assert f'name="history_id" value="{record.history_id}"' in text
    # Open detected conflicts (gone with a value's change, or with the assertion) are not listed.
    assert text.count('name="kind" value="conflict"') == 1

    response = reviewer_client.post(DELETED, {"kind": "assertion", "history_id": record.history_id})

    assert response.status_code == 302
    assert Assertion.objects.get(pk=pk).low == 100 * M
    back = Conflict.objects.get(pk=conflict_id)
    assert (back.status, back.note) == ("resolved", "a later sum")
    listed = reviewer_client.get(DELETED).content.decode()
    assert f'name="history_id" value="{record.history_id}"' not in listed


def test_an_impossible_restore_is_refused_with_a_message_and_changes_nothing(reviewer_client):
    claim, kept, gone, conflict = disputed_claim()
    quote = gone.quote
    pk = deleted(gone)
    again = services.assertion_add(claim=claim, quote=quote, stance="qualifies")
    record = Assertion.history.get(id=pk, history_type="-")

    response = reviewer_client.post(DELETED, {"kind": "assertion", "history_id": record.history_id})

    assert response.status_code == 302 and response["Location"] == DELETED
    assert any("Not restored" in message for message in said(response))
    assert list(Assertion.objects.filter(quote=quote)) == [again]
    assert not Assertion.objects.filter(pk=pk).exists()


def test_a_deleted_quote_is_restored_from_the_page(reviewer_client):
    quote = make_quote(make_source(text=TEXT), "另有人说")
    pk = quote.pk
    services.quote_delete(quote=quote)
    record = Quote.history.get(id=pk, history_type="-")
    response = reviewer_client.post(DELETED, {"kind": "quote", "history_id": record.history_id})
    assert response["Location"] == admin_url(Quote, "change", pk)
    assert Quote.objects.get(pk=pk).exact == "另有人说"
