import pytest

from tests.factories import logged_in


@pytest.fixture
def reviewer_client(reviewer):
    return logged_in(reviewer)


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)
