from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def issue(username) -> str:
    out = StringIO()
    call_command("issue_token", username, stdout=out)
    return out.getvalue().strip()


def test_prints_a_token_that_works_and_the_same_one_next_time(reviewer, anonymous):
    key = issue("rita")
    assert key == Token.objects.get(user=reviewer).key
    assert issue("rita") == key
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = anonymous.post(
        "/api/sources/", {"title": "T", "text": "Text.", "language": "en"}, format="json"
    )
    assert response.status_code == 201


def test_editors_get_one_too(editor):
    assert issue("ed") == Token.objects.get(user=editor).key


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda: make_user("pat"), "neither"),
        (lambda: None, "no user named"),
    ],
)
def test_refuses_users_outside_the_groups_and_unknown_names(setup, words):
    setup()
    with pytest.raises(CommandError, match=words):
        issue("pat")
    assert not Token.objects.exists()


def test_refuses_inactive_users(reviewer):
    reviewer.is_active = False
    reviewer.save()
    with pytest.raises(CommandError, match="not active"):
        issue("rita")


def test_a_wrong_token_is_401(anonymous, db):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert anonymous.get("/api/claims/").status_code == 401
