"""Publishing a claim with open conflicts asks the editor first, showing what is still open."""

from claims import services
from claims.models import Claim, ClaimStatus, ConflictStatus
from tests.admin.forms import admin_url, posted_back
from tests.admin.ledger import disputed_claim
from tests.constants import M
from tests.factories import make_claim


def in_review(claim: Claim) -> Claim:
    return services.claim_set_status(claim=claim, status=ClaimStatus.IN_REVIEW)


def status_of(claim: Claim) -> str:
    return Claim.objects.get(pk=claim.pk).status


def test_the_publish_action_asks_first_when_a_claim_has_open_conflicts(editor_client):
    disputed, _ = disputed_claim(44 * M, 100 * M)
    disputed = in_review(disputed)
    calm = in_review(make_claim())
    action = {"action": "publish", "_selected_action": [str(disputed.pk), str(calm.pk)]}
    url = admin_url(Claim, "changelist")

    asked = editor_client.post(url, action)

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "1 open conflict" in page
    for position in disputed.positions.all():
        assert position.label in page
    assert calm.statement_en in page
    assert 'name="_publish_confirmed"' in page
    assert (status_of(disputed), status_of(calm)) == ("in_review", "in_review")

    done = editor_client.post(url, {**action, "_publish_confirmed": "Publish"})

    assert done.status_code == 302
    assert (status_of(disputed), status_of(calm)) == ("published", "published")


def test_a_claim_whose_conflicts_are_settled_publishes_without_asking(editor_client):
    disputed, _ = disputed_claim(44 * M, 100 * M)
    disputed = in_review(disputed)
    services.conflict_set_status(
        conflict=disputed.conflicts.get(), status=ConflictStatus.CONFIRMED, user=None
    )
    action = {"action": "publish", "_selected_action": [str(disputed.pk)]}

    assert editor_client.post(admin_url(Claim, "changelist"), action).status_code == 302
    assert status_of(disputed) == "published"


def test_publishing_on_the_change_form_asks_first_and_keeps_the_edit(editor_client):
    disputed, _ = disputed_claim(44 * M, 100 * M)
    disputed = in_review(disputed)
    url = admin_url(Claim, "change", disputed.pk)
    data = posted_back(editor_client.get(url))
    data.update(status="published", rationale="Sources disagree on the sum.")

    asked = editor_client.post(url, data)

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "1 open conflict" in page
    assert 'value="Sources disagree on the sum."' in page
    assert status_of(disputed) == "in_review"

    done = editor_client.post(url, {**data, "_publish_confirmed": "Publish"})

    assert done.status_code == 302
    after = Claim.objects.get(pk=disputed.pk)
    assert (after.status, after.rationale) == ("published", "Sources disagree on the sum.")
