"""Working as a team: claims assigned to reviewers, and a comment thread on each claim."""

from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.admin.forms import admin_url, posted_back
from tests.factories import make_claim


def test_an_editor_assigns_a_claim_and_the_reviewer_finds_it_among_their_claims(
    reviewer, reviewer_client, editor_client
):
    claim, other = make_claim(), make_claim()
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(editor_client.get(url))
    data["assignee"] = str(reviewer.pk)

    assert editor_client.post(url, data).status_code == 302

    assigned = Claim.objects.get(pk=claim.pk)
    assert assigned.assignee == reviewer
    assert assigned.history.first().history_user.username == "ed"
    mine = reviewer_client.get(admin_url(Claim, "changelist"), {"assigned": "me"})
    assert list(mine.context["cl"].result_list) == [assigned]
    nobodys = reviewer_client.get(admin_url(Claim, "changelist"), {"assigned": "nobody"})
    assert list(nobodys.context["cl"].result_list) == [other]
    index = reviewer_client.get(reverse("admin:index")).content.decode()
    assert f'href="{admin_url(Claim, "changelist")}?assigned=me"' in index
    assert "My claims</a></th><td>1</td>" in index


def test_assigning_with_other_changes_saves_both_and_a_stale_assignment_is_refused(
    reviewer, editor, reviewer_client, editor_client
):
    claim = make_claim()
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(reviewer_client.get(url))
    stale = posted_back(editor_client.get(url))
    data.update(assignee=str(reviewer.pk), reviewer_notes="Mine now.")

    assert reviewer_client.post(url, data).status_code == 302
    after = Claim.objects.get(pk=claim.pk)
    assert (after.assignee, after.reviewer_notes) == (reviewer, "Mine now.")

    stale["assignee"] = str(editor.pk)
    response = editor_client.post(url, stale)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).assignee == reviewer


def test_comments_are_shown_and_added_on_the_claims_page(reviewer, reviewer_client):
    claim = make_claim()
    services.claim_comment_add(claim=claim, text="Which figure does 002 give?", user=reviewer)
    url = admin_url(Claim, "change", claim.pk)
    comment_url = reverse("admin:claims_claim_comment", args=[claim.pk])

    page = reviewer_client.get(url).content.decode()
    assert 'id="comments"' in page
    assert "Which figure does 002 give?" in page
    assert f'action="{comment_url}"' in page

    response = reviewer_client.post(comment_url, {"text": "44M, in the second paragraph."})

    assert response.status_code == 302
    assert response["Location"] == f"{url}#comments"
    assert [c.text for c in claim.comments.all()] == [
        "Which figure does 002 give?",
        "44M, in the second paragraph.",
    ]
    assert claim.comments.last().author == reviewer
    assert Claim.objects.get(pk=claim.pk).version == claim.version
    empty = reviewer_client.post(comment_url, {"text": " "}, follow=True)
    assert "empty" in " ".join(str(m) for m in empty.context["messages"])
    assert claim.comments.count() == 2
