"""Every change made in the admin is recorded with its user, and can be reverted there."""

from django.urls import reverse

from claims import services
from claims.models import Assertion, Claim, Conflict, Quote
from sources.models import Source
from tests.admin.forms import admin_url, posted_back, with_new_inline_row
from tests.admin.ledger import exact
from tests.constants import M
from tests.factories import make_claim, make_quote, make_source

TEXT = "马斯克说他给了OpenAI 4400万美元。另有人说1亿美元。"


def revert_url(obj, record) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.history_id]
    )


def latest(obj):
    return type(obj).history.filter(id=obj.pk).first()


def test_every_kind_of_change_is_recorded_with_who_made_it(reviewer, reviewer_client):
    source = make_source(text=TEXT)
    claim = make_claim()
    other = services.assertion_add(
        claim=claim,
        quote=make_quote(source, "另有人说1亿美元"),
        stance="supports",
        value=exact(100 * M),
    )

    data = posted_back(reviewer_client.get(admin_url(Source, "change", source.pk)))
    data["text"] = "据报道," + TEXT
    reviewer_client.post(admin_url(Source, "change", source.pk), data)
    reviewer_client.post(
        admin_url(Source, "quote", source.pk), {"exact": "马斯克说他给了OpenAI 4400万美元"}
    )
    quote = Quote.objects.get(exact="马斯克说他给了OpenAI 4400万美元")
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(reviewer_client.get(url))
    data["reviewer_notes"] = "two figures"
    data = with_new_inline_row(
        data, "assertions", quote=quote.pk, stance="supports", low=44 * M, high=44 * M
    )
    reviewer_client.post(url, data)
    added = Assertion.objects.get(quote=quote)
    conflict = Conflict.objects.get(first=other, second=added)
    reviewer_client.post(
        admin_url(Conflict, "change", conflict.pk), {"status": "resolved", "note": "rounding"}
    )

    for obj in (source, quote, claim, added, conflict):
        record = latest(obj)
        assert record.history_user == reviewer, obj
    assert "text" in latest(source).diff_against(latest(source).prev_record).changed_fields
    assert latest(claim).reviewer_notes == "two figures"
    assert latest(conflict).status == "resolved"
    assert latest(quote).history_type == "+"


def test_reverting_an_assertion_and_a_conflict_restores_them(reviewer_client):
    source = make_source(text=TEXT)
    claim = make_claim()
    first = services.assertion_add(
        claim=claim, quote=make_quote(source, "4400万美元"), stance="supports", value=exact(44 * M)
    )
    services.assertion_add(
        claim=claim, quote=make_quote(source, "1亿美元"), stance="supports", value=exact(100 * M)
    )
    before = latest(first)
    changed = services.assertion_update(
        assertion=first, stance="qualifies", value=exact(45 * M), note="rounded"
    )
    conflict = claim.conflicts.get()
    open_record = latest(conflict)
    services.conflict_set_status(conflict=conflict, status="dismissed", note="not comparable")

    for obj, record in ((changed, before), (conflict, open_record)):
        url = revert_url(obj, record)
        page = reviewer_client.get(url)
        assert page.status_code == 200
        assert reviewer_client.post(url, posted_back(page)).status_code == 302

    restored = Assertion.objects.get(pk=first.pk)
    assert (restored.stance, restored.low, restored.note) == ("supports", 44 * M, "")
    assert restored.version == changed.version + 1
    # The conflict's note stays: a conflict is reopened, its record of why is not erased.
    assert Conflict.objects.get(pk=conflict.pk).status == "open"


def test_reverting_an_assertion_restores_where_its_value_came_from(reviewer_client):
    source = make_source(text=TEXT)
    claim = make_claim()
    read = services.assertion_add(
        claim=claim, quote=make_quote(source, "另有人说1亿美元"), stance="supports"
    )
    assert read.value_origin == "extracted"
    before = latest(read)
    changed = services.assertion_update(assertion=read, value=exact(90 * M))
    assert changed.value_origin == "reviewer"

    url = revert_url(changed, before)
    assert reviewer_client.post(url, posted_back(reviewer_client.get(url))).status_code == 302

    restored = Assertion.objects.get(pk=read.pk)
    assert (restored.low, restored.value_text, restored.value_origin) == (
        before.low,
        before.value_text,
        "extracted",
    )
