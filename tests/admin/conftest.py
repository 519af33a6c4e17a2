import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from claims.roles import EDITOR, REVIEWER, sync_roles


def make_staff(username: str, group: str) -> User:
    # The groups come from a migration; a transactional test elsewhere may have flushed them.
    sync_roles(Group, Permission)
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer(db):
    return make_staff("rita", REVIEWER)


@pytest.fixture
def editor(db):
    return make_staff("ed", EDITOR)


@pytest.fixture
def reviewer_client(reviewer):
    return logged_in(reviewer)


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)
