import os
import subprocess
import sys

import pytest
from django.core.management import call_command

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
def test_a_query_may_carry_more_than_65535_parameters(db):
    """Parameters are bound by the client. The unpaginated CSV export prefetches by every
    published claim's id, and a query whose parameters the server binds takes 65,535."""
    assert not Claim.objects.filter(pk__in=range(-70_000, 0)).exists()
