import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from claims.models import Claim

# Variables that must not leak from the test run into a production-settings check.
NOT_INHERITED = {"SECRET_KEY", "DEBUG", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage_in_production(*args, **env_values):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**env, "DEBUG": "0", **env_values},
        capture_output=True,
        text=True,
    )


def test_no_pending_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_the_deploy_check():
    result = manage_in_production(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 60 + "production-grade-secret",
        ALLOWED_HOSTS="ledger.example.org",
        SITE_URL="https://ledger.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key():
    result = manage_in_production("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.postgres
def test_a_statement_run_five_times_is_prepared_on_postgresql(db):
    """Parameters are bound by the server, so psycopg prepares a repeated read and
    PostgreSQL plans it once."""

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    before = prepared()
    for _ in range(6):
        list(Claim.objects.filter(slug="no-such-claim"))
    assert prepared() > before
