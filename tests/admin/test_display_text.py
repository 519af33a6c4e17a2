"""Names and titles edited in the admin refuse bidi controls, as the API does."""

import pytest

from claims.models import Entity, Topic
from tests.admin.forms import admin_url, posted_back, with_new_inline_row
from tests.factories import make_entity

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def test_an_entity_name_or_alias_with_a_bidi_control_is_a_form_error(reviewer_client):
    entity = make_entity(slug="altman", name="Sam Altman")
    url = admin_url(entity, "change", entity.pk)
    data = posted_back(reviewer_client.get(url))
    response = reviewer_client.post(url, {**data, "name": f"Sam {RLO}namtlA"})
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    data = with_new_inline_row(data, "aliases", name=f"{RLO}奥特曼")
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert any(form.errors for form in response.context["inline_admin_formsets"][0].formset)
    assert Entity.objects.get(pk=entity.pk).name == "Sam Altman"
    assert not entity.aliases.exists()


def test_a_topic_name_with_a_bidi_control_is_a_form_error(editor_client):
    response = editor_client.post(
        admin_url(Topic, "add"), {"slug": "t", "name": "Topic", "name_zh": f"话题{RLO}"}
    )
    assert response.status_code == 200
    assert "name_zh" in response.context["adminform"].form.errors
    assert not Topic.objects.exists()
