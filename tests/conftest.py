import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def seeded(db):
    """The five seed articles and the curated seed ledger, loaded by the real loader."""
    from seeds.loader import load_seeds

    return load_seeds()
