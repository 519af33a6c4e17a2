import pytest
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

from claims.roles import EDITOR, REVIEWER
from tests.factories import make_user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reviewer(db):
    return make_user("rita", REVIEWER)


@pytest.fixture
def editor(db):
    return make_user("ed", EDITOR)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request or test that activated another
    one leaves it active in its thread, and a worker runs many test files in turn."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def scans_inline(settings):
    """Imports scan inline, whatever REDIS_URL the environment sets; tests/claims/test_scans.py
    runs the background path against a queue of its own."""
    settings.REDIS_URL = ""


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def published_cache(settings):
    """The published-response cache on (as with Redis in production), empty before and after."""
    from django.core.cache import cache

    settings.PUBLISHED_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def seed_snapshot(django_db_blocker):
    """The seed ledger as the real loader writes it, loaded once and kept as rows.

    Loading takes 2-8 s (every item goes through the services); restoring the same rows
    takes a fraction of that. Loaded inside a transaction that is rolled back, so the
    test database stays empty for the tests that want it so.
    """
    from seeds.loader import load_seeds

    with django_db_blocker.unblock(), transaction.atomic():
        report = load_seeds()
        rows = [
            serializers.serialize("python", model._default_manager.order_by("pk"))
            for model in _ledger_models()
        ]
        transaction.set_rollback(True)
    return report, rows


def _ledger_models():
    return [
        model for name in ("sources", "claims") for model in apps.get_app_config(name).get_models()
    ]


@pytest.fixture
def seeded(db, seed_snapshot):
    """The five seed articles and the curated seed ledger, as the real loader leaves them."""
    report, rows = seed_snapshot
    # One transaction: PostgreSQL checks the (deferred) foreign keys at its end, also in
    # tests that run outside a test transaction (the browser's live server).
    with transaction.atomic(), connection.constraint_checks_disabled():
        for model_rows in rows:
            for row in serializers.deserialize("python", model_rows):
                row.save()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), _ledger_models()):
            cursor.execute(statement)
    return report
