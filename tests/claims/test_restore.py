"""Deleted assertions, quotes and conflicts come back from their history, or are refused."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Assertion, Conflict, Position, Quote
from domain.intervals import exact
from sources.services import source_correct_text
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source

pytestmark = pytest.mark.django_db

TEXT = "马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。另有人说1亿美元。"


def deletion(model, pk):
    return model.history.filter(id=pk, history_type="-").latest("history_date")


def delete(assertion):
    """assertion_delete, keeping the id that deleting clears on the instance."""
    pk = assertion.pk
    services.assertion_delete(assertion=assertion)
    assertion.pk = assertion.id = pk


def two_values():
    source = make_source(TEXT)
    claim = make_claim()
    first = services.assertion_add(
        claim=claim, quote=make_quote(source, "4400万美元"), stance="supports", value=exact(44 * M)
    )
    second = services.assertion_add(
        claim=claim, quote=make_quote(source, "1亿美元"), stance="supports", value=exact(100 * M)
    )
    return source, claim, first, second


def test_deleted_assertion_comes_back_with_its_settled_conflict_and_note():
    _, claim, first, second = two_values()
    conflict = claim.conflicts.get()
    services.conflict_set_status(
        conflict=conflict, status="dismissed", note="different sums", reviewer_note="ask the desk"
    )
    assert Position.objects.filter(claim=claim).count() == 1

    delete(second)
    assert not Conflict.objects.filter(pk=conflict.pk).exists()

    restored = services.assertion_restore(history_id=deletion(Assertion, second.pk).history_id)
    assert (restored.pk, restored.low, restored.value_origin) == (second.pk, 100 * M, "reviewer")
    back = Conflict.objects.get(pk=conflict.pk)
    assert (back.status, back.note, back.reviewer_note) == (
        "dismissed",
        "different sums",
        "ask the desk",
    )
    assert list(Conflict.objects.filter(claim=claim)) == [back]
    assert Position.objects.filter(claim=claim).count() == 1


def test_restored_assertion_without_its_settled_conflict_is_in_conflict_again():
    _, claim, first, second = two_values()
    delete(second)
    services.assertion_restore(history_id=deletion(Assertion, second.pk).history_id)
    assert claim.conflicts.get().status == "open"
    assert Position.objects.filter(claim=claim).count() == 2


def test_restoring_is_refused_when_an_identical_assertion_exists():
    _, claim, first, second = two_values()
    quote = second.quote
    delete(second)
    again = services.assertion_add(claim=claim, quote=quote, stance="supports")
    with pytest.raises(ValidationError, match="linked to this claim again"):
        services.assertion_restore(history_id=deletion(Assertion, second.pk).history_id)
    assert list(Assertion.objects.filter(quote=quote)) == [again]


def test_restoring_an_assertion_whose_quote_is_gone_is_refused_until_the_quote_is_back():
    _, claim, first, second = two_values()
    quote = second.quote
    quote_id = quote.pk
    delete(second)
    services.quote_delete(quote=quote)
    quote.pk = quote.id = quote_id
    record = deletion(Assertion, second.pk).history_id
    with pytest.raises(ValidationError, match="quote is gone"):
        services.assertion_restore(history_id=record)
    assert not Assertion.objects.filter(pk=second.pk).exists()

    services.quote_restore(history_id=deletion(Quote, quote.pk).history_id)
    assert services.assertion_restore(history_id=record).quote_id == quote.pk


def test_restoring_a_quote_whose_span_no_longer_anchors_is_refused():
    source = make_source(TEXT)
    quote = make_quote(source, "另有人说1亿美元")
    quote_id = quote.pk
    services.quote_delete(quote=quote)
    quote.pk = quote.id = quote_id
    source_correct_text(source=source, text="马斯克说他给了OpenAI 4400万美元。")
    with pytest.raises(ValidationError, match="no longer anchors"):
        services.quote_restore(history_id=deletion(Quote, quote.pk).history_id)
    assert not Quote.objects.filter(pk=quote.pk).exists()


def test_restoring_what_exists_is_refused():
    _, claim, first, second = two_values()
    record = Assertion.history.filter(id=first.pk).latest("history_date")
    with pytest.raises(ValidationError, match="no deleted assertion"):
        services.assertion_restore(history_id=record.history_id)


def test_deleted_conflict_comes_back_when_both_assertions_are_here():
    _, claim, first, second = two_values()
    conflict = claim.conflicts.get()
    services.conflict_set_status(conflict=conflict, status="resolved", note="rounding")
    delete(first)
    record = deletion(Conflict, conflict.pk).history_id
    with pytest.raises(ValidationError, match="restore the assertion first"):
        services.conflict_restore(history_id=record)

    # The assertion comes back on its own, without the conflict; then the conflict.
    Assertion.objects.bulk_create([deletion(Assertion, first.pk).instance])
    restored = services.conflict_restore(history_id=record)
    assert (restored.status, restored.note) == ("resolved", "rounding")
