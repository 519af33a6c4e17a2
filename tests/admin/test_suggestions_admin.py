"""The queue of suggested evidence: found for a source, accepted with a stance, or rejected."""

from claims.models import Assertion, Suggestion, SuggestionStatus, ValueOrigin
from sources.models import Source
from tests.admin.forms import admin_url
from tests.factories import make_claim, make_entity, make_source

TEXT = "马斯克在OpenAI初创时给了4400万美元。天气很好。馬斯克后来说他捐了约1亿美元。"


def post_action(client, model, action: str, objects, **extra):
    data = {"action": action, "_selected_action": [str(o.pk) for o in objects], **extra}
    return client.post(admin_url(model, "changelist"), data)


def test_suggestions_are_found_then_accepted_with_a_stance_or_rejected(reviewer_client):
    musk = make_entity(name="Elon Musk", aliases=["马斯克"])
    claim = make_claim(subjects=[musk], match_terms="给了\n捐")
    source = make_source(text=TEXT)

    post_action(reviewer_client, Source, "find_suggestions", [source])

    first, second = Suggestion.objects.filter(claim=claim).order_by("start")
    assert first.exact == "马斯克在OpenAI初创时给了4400万美元。"
    queue = reviewer_client.get(admin_url(Suggestion, "changelist"))
    assert list(queue.context["cl"].result_list) == [first, second]
    assert reviewer_client.get(admin_url(Suggestion, "change", first.pk)).status_code == 200

    asked = post_action(reviewer_client, Suggestion, "accept", [first])
    assert asked.status_code == 200
    assert 'name="stance"' in asked.content.decode()
    assert Suggestion.objects.get(pk=first.pk).status == SuggestionStatus.PENDING

    done = post_action(
        reviewer_client, Suggestion, "accept", [first], apply="yes", stance="supports"
    )

    assert done.status_code == 302
    accepted = Suggestion.objects.get(pk=first.pk)
    assertion = Assertion.objects.get(pk=accepted.assertion_id)
    assert accepted.status == SuggestionStatus.ACCEPTED
    assert (assertion.claim, assertion.stance, assertion.quote.exact) == (
        claim,
        "supports",
        first.exact,
    )
    assert (assertion.value_origin, assertion.low) == (ValueOrigin.EXTRACTED, 44_000_000)

    post_action(reviewer_client, Suggestion, "reject", [second])
    assert Suggestion.objects.get(pk=second.pk).status == SuggestionStatus.REJECTED
    refused = post_action(reviewer_client, Suggestion, "reject", [accepted])
    assert refused.status_code == 302
    assert Suggestion.objects.get(pk=first.pk).status == SuggestionStatus.ACCEPTED
