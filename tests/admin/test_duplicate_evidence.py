"""A passage overlapping evidence already linked to the claim: a warning with a link, then a
deliberate "add anyway"."""

from claims import evidence, services
from claims.models import Assertion, Claim, Suggestion, SuggestionStatus
from tests.admin.forms import admin_url, posted_back, with_new_inline_row
from tests.factories import make_claim, make_entity, make_quote, make_source

TEXT = "马斯克在OpenAI初创时给了4400万美元。天气很好。馬斯克后来说他捐了约1亿美元。"


def linked_and_overlapping():
    source = make_source(text=TEXT)
    claim = make_claim()
    amount = make_quote(source, "4400万美元")
    existing = services.assertion_add(claim=claim, quote=amount, stance="supports")
    sentence = make_quote(source, "马斯克在OpenAI初创时给了4400万美元。")
    return claim, existing, sentence


def test_adding_an_overlapping_assertion_warns_with_a_link_until_added_anyway(reviewer_client):
    claim, existing, sentence = linked_and_overlapping()
    url = admin_url(Assertion, "add")
    data = {"claim": claim.pk, "quote": sentence.pk, "stance": "supports"}

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{admin_url(Assertion, "change", existing.pk)}"' in page
    assert "Add anyway" in page
    assert claim.assertions.count() == 1

    assert reviewer_client.post(url, {**data, "add_anyway": "on"}).status_code == 302
    assert claim.assertions.filter(quote=sentence).exists()


def test_an_inline_row_overlapping_linked_evidence_warns_on_its_row(reviewer_client):
    claim, existing, sentence = linked_and_overlapping()
    url = admin_url(Claim, "change", claim.pk)
    data = with_new_inline_row(
        posted_back(reviewer_client.get(url)), "assertions", quote=sentence.pk, stance="supports"
    )

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[1]
    assert f'href="{admin_url(Assertion, "change", existing.pk)}"' in str(row.non_field_errors())
    assert claim.assertions.count() == 1

    data["assertions-1-add_anyway"] = "on"
    assert reviewer_client.post(url, data).status_code == 302
    assert claim.assertions.filter(quote=sentence).exists()


def test_accepting_a_suggestion_that_overlaps_linked_evidence_asks_first(reviewer_client):
    musk = make_entity(name="Elon Musk", aliases=["马斯克"])
    claim = make_claim(subjects=[musk], match_terms="给了\n捐")
    source = make_source(text=TEXT)
    suggestion = evidence.suggestions_find(source=source)[0]
    existing = services.assertion_add(
        claim=claim, quote=make_quote(source, "4400万美元"), stance="supports"
    )
    action = {
        "action": "accept",
        "_selected_action": [str(suggestion.pk)],
        "apply": "yes",
        "stance": "supports",
    }
    url = admin_url(Suggestion, "changelist")

    response = reviewer_client.post(url, action)

    assert response.status_code == 200
    assert f'href="{admin_url(Assertion, "change", existing.pk)}"' in response.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING

    assert reviewer_client.post(url, {**action, "add_anyway": "on"}).status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ACCEPTED
    assert claim.assertions.count() == 2
