"""Failed admin logins: an address that fails too often is locked out for a while."""

import pytest
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3


def log_in(client, password, **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "rita", "password": password},
        headers=headers,
    )


@pytest.fixture
def rita(db):
    return make_user("rita", "Reviewer")


def test_repeated_failures_lock_the_address_out_even_with_the_right_password(rita):
    client = Client()
    assert [log_in(client, f"wrong-{n}").status_code for n in range(3)] == [200, 200, 429]
    assert log_in(client, "pw").status_code == 429
    assert not client.session.get("_auth_user_id")


def test_a_success_before_the_limit_starts_the_count_again(rita):
    client = Client()
    assert [log_in(client, f"wrong-{n}").status_code for n in range(2)] == [200, 200]
    assert log_in(client, "pw").status_code == 302
    client.logout()
    assert [log_in(client, f"wrong-{n}").status_code for n in range(2)] == [200, 200]


def test_a_made_up_x_forwarded_for_does_not_escape_the_lockout(rita):
    client = Client()
    for n in range(3):
        log_in(client, "wrong", **{"X-Forwarded-For": f"10.0.0.{n}"})
    assert log_in(client, "pw", **{"X-Forwarded-For": "10.0.0.99"}).status_code == 429


def test_behind_the_trusted_proxy_the_lockout_is_per_client_address(rita, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(3):
        log_in(client, "wrong", **{"X-Forwarded-For": f"9.9.9.{n}, 6.6.6.6"})
    assert log_in(client, "pw", **{"X-Forwarded-For": "6.6.6.6"}).status_code == 429
    assert log_in(client, "pw", **{"X-Forwarded-For": "7.7.7.7"}).status_code == 302
