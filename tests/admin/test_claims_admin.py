"""Claims in the admin: workflow and who may publish, inline assertions, stale edits, search."""

import pytest

from claims import services
from claims.models import Assertion, Claim, ConflictStatus, Topic, ValueOrigin
from tests.admin.forms import admin_url, posted_back, with_new_inline_row
from tests.admin.ledger import exact
from tests.constants import M
from tests.factories import logged_in, make_claim, make_entity, make_quote, make_source


def in_review(**fields) -> Claim:
    return services.claim_set_status(claim=make_claim(**fields), status="in_review")


def reloaded(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def post_action(client, model, action: str, objects, **extra):
    data = {"action": action, "_selected_action": [str(o.pk) for o in objects], **extra}
    return client.post(admin_url(model, "changelist"), data, follow=True)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# Who may publish and judge


def test_reviewer_is_not_offered_publish_and_a_crafted_publish_action_changes_nothing(
    reviewer_client, editor_client
):
    claim = in_review()
    changelist = reviewer_client.get(admin_url(Claim, "changelist")).content.decode()
    assert 'value="send_to_review"' in changelist
    assert 'value="publish"' not in changelist

    post_action(reviewer_client, Claim, "publish", [claim])
    assert reloaded(claim).status == "in_review"
    assert reloaded(claim).version == claim.version

    response = post_action(editor_client, Claim, "publish", [claim])
    assert reloaded(claim).status == "published"
    assert "now published" in messages_of(response)


def test_reviewer_cannot_publish_through_the_change_form(reviewer_client):
    claim = in_review()
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(reviewer_client.get(url))
    data["status"] = "published"
    data["reviewer_notes"] = "ready"

    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    assert "only editors may publish" in response.content.decode()
    after = reloaded(claim)
    assert (after.status, after.version, after.reviewer_notes) == ("in_review", claim.version, "")


def test_the_refusal_to_publish_is_said_in_the_reviewers_language(reviewer_client):
    claim = in_review()
    url = admin_url(Claim, "change", claim.pk)
    reviewer_client.cookies["django_language"] = "zh-hans"
    data = posted_back(reviewer_client.get(url))
    data["status"] = "published"

    response = reviewer_client.post(url, data)

    assert "只有编辑可以发布或撤回说法" in response.content.decode()
    assert reloaded(claim).status == "in_review"


def test_reviewer_cannot_set_a_verdict_through_the_change_form(reviewer_client):
    claim = in_review()
    url = admin_url(Claim, "change", claim.pk)
    page = reviewer_client.get(url)
    assert 'name="verdict"' not in page.content.decode()
    data = posted_back(page)
    data.update(verdict="false", rationale="I say so", reviewer_notes="checked the figures")

    response = reviewer_client.post(url, data)

    assert response.status_code == 302
    after = reloaded(claim)
    assert (after.verdict, after.rationale) == ("", "")
    assert after.reviewer_notes == "checked the figures"


def test_editor_sets_a_verdict_through_the_change_form(editor_client):
    claim = in_review()
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(editor_client.get(url))
    data.update(verdict="mostly_false", rationale="The documents say otherwise.")

    assert editor_client.post(url, data).status_code == 302

    after = reloaded(claim)
    assert (after.verdict, after.rationale) == ("mostly_false", "The documents say otherwise.")


def test_status_actions_change_every_claim_selected_or_none(reviewer_client, editor_client):
    draft = make_claim()
    published = services.claim_set_status(claim=in_review(), status="published")

    response = post_action(reviewer_client, Claim, "archive", [draft, published])

    assert "Nothing was changed" in messages_of(response)
    assert "only editors may publish or unpublish" in messages_of(response)
    assert (reloaded(draft).status, reloaded(published).status) == ("draft", "published")

    post_action(reviewer_client, Claim, "send_to_review", [draft])
    assert reloaded(draft).status == "in_review"
    post_action(editor_client, Claim, "archive", [draft, published])
    assert (reloaded(draft).status, reloaded(published).status) == ("archived", "archived")


# No lost updates


def test_a_stale_save_shows_yours_theirs_and_where_you_started_and_keeps_theirs_unless_chosen(
    reviewer, editor_client
):
    claim = in_review(statement_en="How much did Musk give?")
    topic = Topic.objects.create(slug="funding", name="Funding")
    url = admin_url(Claim, "change", claim.pk)
    reviewer_client = logged_in(reviewer)
    mine = posted_back(reviewer_client.get(url))
    theirs = posted_back(editor_client.get(url))

    theirs.update(
        statement_en="How much money did Musk give OpenAI?",
        verdict="mixed",
        reviewer_notes="Checked the filings.",
        topics=[str(topic.pk)],
    )
    assert editor_client.post(url, theirs).status_code == 302
    saved = reloaded(claim)

    mine.update(
        statement_en="How much did Elon Musk give?",
        statement_zh="马斯克给了多少?",
        reviewer_notes="Ask the desk.",
    )
    response = reviewer_client.post(url, mine)

    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else" in page
    assert "by ed" in page
    # The heading names the claim as saved, not as the refused form has it.
    assert response.context["subtitle"] == "How much money did Musk give OpenAI?"
    start = page.index('<table class="merge">')
    table = page[start : page.index("</table>", start)]
    for label in ("Statement (English)", "Statement (Chinese)", "Reviewer notes", "Topics"):
        assert f">{label}</th>" in table
    assert "reviewer_notes" not in table.replace('name="merge_keep_reviewer_notes"', "")
    for value in (
        "How much did Musk give?",
        "How much money did Musk give OpenAI?",
        "How much did Elon Musk give?",
        "Checked the filings.",
        "Ask the desk.",
        "Funding",
    ):
        assert value in table
    assert reloaded(claim).version == saved.version
    # Where only they changed something, the form now holds theirs.
    form = response.context["adminform"].form
    assert form["topics"].value() == [str(topic.pk)]
    assert form["statement_en"].value() == "How much did Elon Musk give?"

    # Saving again without a choice is refused: theirs are never overwritten unasked.
    again = posted_back(response)
    undecided = reviewer_client.post(url, again)
    assert undecided.status_code == 200
    asked = "Keep yours or theirs for: Statement (English), Reviewer notes."
    assert asked in undecided.content.decode()
    assert reloaded(claim).version == saved.version

    again.update(merge_keep_statement_en="yours", merge_keep_reviewer_notes="theirs")
    assert reviewer_client.post(url, again).status_code == 302

    after = reloaded(claim)
    assert after.statement_en == "How much did Elon Musk give?"  # yours, chosen
    assert after.reviewer_notes == "Checked the filings."  # theirs, chosen
    assert after.statement_zh == "马斯克给了多少?"  # only you changed it
    assert (after.verdict, list(after.topics.all())) == ("mixed", [topic])  # only they did


# Inline assertions


@pytest.fixture
def claim_with_quotes(db):
    source = make_source(
        text="马斯克说他给了OpenAI 4400万美元。奥特曼说不到4500万美元。另有人说1亿美元。"
    )
    claim = make_claim(kind="quantity", unit="USD")
    quotes = [
        make_quote(source, "马斯克说他给了OpenAI 4400万美元"),
        make_quote(source, "奥特曼说不到4500万美元"),
        make_quote(source, "另有人说1亿美元"),
    ]
    return claim, quotes


def test_a_new_inline_assertion_goes_through_the_service(editor_client, claim_with_quotes):
    claim, (first, _, third) = claim_with_quotes
    services.assertion_add(claim=claim, quote=first, stance="supports", value=exact(44 * M))
    url = admin_url(Claim, "change", claim.pk)
    data = with_new_inline_row(
        posted_back(editor_client.get(url)),
        "assertions",
        quote=third.pk,
        stance="supports",
        low=100_000_000,
        high=100_000_000,
        note="reportedly",
    )

    assert editor_client.post(url, data).status_code == 302

    added = Assertion.objects.get(claim=claim, quote=third)
    assert (added.stance, added.value_kind, added.low, added.high) == (
        "supports",
        "exact",
        100 * M,
        100 * M,
    )
    assert (added.value_origin, added.note) == (ValueOrigin.REVIEWER, "reportedly")
    # The service detected the conflict with the 44M already asserted.
    assert claim.conflicts.get().status == ConflictStatus.OPEN


def test_an_inline_value_left_empty_is_read_from_the_quote(editor_client, claim_with_quotes):
    claim, (_, second, _) = claim_with_quotes
    url = admin_url(Claim, "change", claim.pk)
    data = with_new_inline_row(
        posted_back(editor_client.get(url)), "assertions", quote=second.pk, stance="supports"
    )

    assert editor_client.post(url, data).status_code == 302

    added = Assertion.objects.get(claim=claim, quote=second)
    assert added.value_origin == ValueOrigin.EXTRACTED
    assert (added.value_kind, added.high) == ("upper_bound", 45 * M)


def test_a_refused_inline_row_shows_its_error_and_nothing_is_saved(
    editor_client, claim_with_quotes
):
    claim, (first, second, _) = claim_with_quotes
    services.assertion_add(claim=claim, quote=first, stance="supports")
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(editor_client.get(url))
    data["statement_en"] = "A changed statement"
    data = with_new_inline_row(
        data, "assertions", quote=second.pk, stance="supports", low=2, high=1, value_kind="range"
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[1]
    assert "greater than high" in " ".join(row.errors["low"])
    assert reloaded(claim).statement_en == claim.statement_en
    assert not Assertion.objects.filter(claim=claim, quote=second).exists()
    # The reviewer's input is still there to correct.
    assert row["quote"].value() == str(second.pk)


def test_an_inline_assertion_changes_through_the_service_and_a_stale_one_is_refused(
    reviewer_client, claim_with_quotes
):
    claim, (first, _, _) = claim_with_quotes
    assertion = services.assertion_add(claim=claim, quote=first, stance="supports")
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(reviewer_client.get(url))
    data.update({"assertions-0-stance": "qualifies", "assertions-0-note": "hedged"})

    assert reviewer_client.post(url, data).status_code == 302
    changed = Assertion.objects.get(pk=assertion.pk)
    assert (changed.stance, changed.note, changed.version) == ("qualifies", "hedged", 2)
    assert changed.value_origin == assertion.value_origin  # no value given, none changed

    # Someone else corrects it while the page is open; its save is refused on that row.
    data = posted_back(reviewer_client.get(url))
    services.assertion_update(assertion=changed, stance="contradicts")
    data["assertions-0-stance"] = "mentions"
    response = reviewer_client.post(url, data)

    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    error = " ".join(row.non_field_errors())
    assert "changed by someone else" in error
    assert "Stance: you started from Qualifies, theirs Contradicts, yours Mentions" in error
    assert Assertion.objects.get(pk=assertion.pk).stance == "contradicts"
    # The row shows theirs: saving the page again keeps them; yours must be entered again.
    assert row["stance"].value() == "contradicts"
    again = posted_back(response)
    assert reviewer_client.post(url, again).status_code == 302
    assert Assertion.objects.get(pk=assertion.pk).stance == "contradicts"


def test_a_quote_is_linked_to_a_claim_from_the_assertion_page(reviewer_client, claim_with_quotes):
    claim, (first, _, _) = claim_with_quotes
    url = admin_url(Assertion, "add")
    page = reviewer_client.get(url, {"quote": first.pk})
    assert page.context["adminform"].form["quote"].value() == str(first.pk)

    response = reviewer_client.post(
        url,
        {"claim": claim.pk, "quote": first.pk, "stance": "contradicts", "note": "denies it"},
    )

    assert response.status_code == 302
    assertion = Assertion.objects.get(claim=claim, quote=first)
    assert (assertion.stance, assertion.note) == ("contradicts", "denies it")
    assert (
        reviewer_client.post(
            url, {"claim": claim.pk, "quote": first.pk, "stance": "supports"}
        ).status_code
        == 200
    )
    assert claim.assertions.count() == 1


def test_adding_a_claim_goes_through_the_service(reviewer_client):
    musk = make_entity(slug="elon-musk", name="Elon Musk", aliases=["马斯克"])
    data = {
        "statement_en": "Did Musk leave OpenAI?",
        "statement_zh": "马斯克是否离开了OpenAI?",
        "slug": "musk-left-openai",
        "kind": "yes_no",
        "unit": "",
        "subjects": [str(musk.pk)],
        "reviewer_notes": "",
        "assertions-TOTAL_FORMS": "0",
        "assertions-INITIAL_FORMS": "0",
        "assertions-MIN_NUM_FORMS": "0",
        "assertions-MAX_NUM_FORMS": "1000",
    }

    assert reviewer_client.post(admin_url(Claim, "add"), data).status_code == 302

    claim = Claim.objects.get(slug="musk-left-openai")
    assert list(claim.subjects.all()) == [musk]
    assert "马斯克" in claim.search_text  # written by the service, not by the form


# History


def test_a_change_records_who_and_what_and_a_revert_restores_the_claim(reviewer, reviewer_client):
    musk, altman = make_entity(name="Elon Musk"), make_entity(name="Sam Altman")
    claim = in_review(statement_en="Who left?", subjects=[musk])
    url = admin_url(Claim, "change", claim.pk)
    before = claim.history.first()
    data = posted_back(reviewer_client.get(url))
    data.update(statement_en="Who left OpenAI in 2018?", subjects=[str(altman.pk)])

    assert reviewer_client.post(url, data).status_code == 302

    latest = claim.history.first()
    assert latest.history_user == reviewer
    changed = set(latest.diff_against(before).changed_fields)
    assert {"statement_en", "subjects"} <= changed
    history_page = reviewer_client.get(admin_url(Claim, "history", claim.pk))
    assert "Who left OpenAI in 2018?" in history_page.content.decode()

    revert_url = reverse_history(claim, before.history_id)
    form_page = reviewer_client.get(revert_url)
    assert form_page.status_code == 200
    assert reviewer_client.post(revert_url, posted_back(form_page)).status_code == 302

    restored = reloaded(claim)
    assert restored.statement_en == "Who left?"
    assert list(restored.subjects.all()) == [musk]
    assert restored.history.first().history_user == reviewer


def reverse_history(claim: Claim, history_id: int) -> str:
    from django.urls import reverse

    return reverse("admin:claims_claim_simple_history", args=[claim.pk, history_id])


# Finding claims


def test_search_matches_either_script_and_any_alias(reviewer_client):
    altman = make_entity(name="Sam Altman", aliases=["奥特曼", "Sam Altman"])
    fired = make_claim(statement_en="Was he fired?", statement_zh="奥特曼被解雇了吗?")
    named = make_claim(statement_en="Did the board act alone?", subjects=[altman])
    other = make_claim(statement_en="How much did Microsoft invest?")
    url = admin_url(Claim, "changelist")

    def found(query):
        response = reviewer_client.get(url, {"q": query})
        return set(response.context["cl"].result_list)

    assert found("奧特曼") == {fired, named}
    assert found("Altman") == {fired, named}
    assert other not in found("Altman")


def test_list_filters_narrow_the_claims(reviewer_client, claim_with_quotes):
    disputed, (first, _, third) = claim_with_quotes
    services.assertion_add(claim=disputed, quote=first, stance="supports", value=exact(44 * M))
    services.assertion_add(claim=disputed, quote=third, stance="supports", value=exact(100 * M))
    topic = Topic.objects.create(slug="funding", name="Funding")
    musk = make_entity(name="Elon Musk")
    calm = in_review(kind="yes_no", unit="", topics=[topic], subjects=[musk])
    calm = services.claim_set_verdict(claim=calm, verdict="true", rationale="ok")
    url = admin_url(Claim, "changelist")

    def listed(**params):
        return set(reviewer_client.get(url, params).context["cl"].result_list)

    assert listed(disputed="yes") == {disputed}
    assert listed(disputed="no") == {calm}
    assert listed(status__exact="in_review") == {calm}
    assert listed(verdict__exact="true") == {calm}
    assert listed(kind__exact="quantity") == {disputed}
    assert listed(topics__id__exact=topic.pk) == {calm}
    assert listed(subjects__id__exact=musk.pk) == {calm}


@pytest.mark.parametrize(("unit", "words"), [("EUR", "in EUR"), ("date", "a date")])
def test_a_value_in_another_unit_than_the_claims_is_refused_on_the_form(
    reviewer_client, claim_with_quotes, unit, words
):
    claim, (first, _, _) = claim_with_quotes
    response = reviewer_client.post(
        admin_url(Assertion, "add"),
        {
            "claim": claim.pk,
            "quote": first.pk,
            "stance": "supports",
            "low": "738000",
            "high": "738000",
            "value_kind": "exact",
            "unit": unit,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert f"the claim is in USD; this value is {words}" in " ".join(errors["unit"])
    assert not claim.assertions.exists()


def test_a_reviewer_rewording_a_published_claim_in_the_admin_sends_it_back_to_review(
    reviewer_client,
):
    claim = services.claim_set_status(claim=in_review(statement_en="Who left?"), status="published")
    url = admin_url(Claim, "change", claim.pk)
    data = posted_back(reviewer_client.get(url))
    data["statement_en"] = "Who was pushed out?"
    assert reviewer_client.post(url, data).status_code == 302
    assert (reloaded(claim).statement_en, reloaded(claim).status) == (
        "Who was pushed out?",
        "in_review",
    )


def test_a_reviewer_reverting_a_published_claims_wording_sends_it_back_to_review(
    reviewer_client,
):
    claim = in_review(statement_en="Who left?")
    before = claim.history.first()
    claim = services.claim_update(claim=claim, statement_en="Who left OpenAI?")
    claim = services.claim_set_status(claim=claim, status="published")
    revert_url = reverse_history(claim, before.history_id)
    form_page = reviewer_client.get(revert_url)
    assert reviewer_client.post(revert_url, posted_back(form_page)).status_code == 302
    restored = reloaded(claim)
    assert (restored.statement_en, restored.status) == ("Who left?", "in_review")
