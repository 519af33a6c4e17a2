"""Schemathesis against the app's own /api/schema/, anonymously and with a reviewer token.

Every operation gets a bounded number of generated requests, valid and invalid, sent
through the real WSGI application, with production's settings, to the seeded ledger, and
every check schemathesis has is run on each answer: no 5xx; every status, content type,
header and body as documented; schema-valid requests accepted and schema-violating ones
refused; reads open to anonymous callers as declared and writes not; required headers
required; undeclared methods refused.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks
from schemathesis.core.failures import FailureGroup

from claims.api.permissions import token_for
from claims.models import Claim

# Per operation and generation mode; each example is sent twice (anonymous, reviewer).
EXAMPLES = 5

# Every check this schemathesis offers (the CLI's `--checks all`).
load_all_checks()
CHECKS = REGISTERED_CHECKS.get_by_names(REGISTERED_CHECKS.get_all_names())


@pytest.fixture
def application(settings):
    """The WSGI app with production's settings, kept from closing the test's database
    connection as the test client is."""
    settings.DEBUG = False
    settings.SITE_URL = "https://ledger.example.org"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # The WSGI transport hands bodies back as sent and asks for gzip: compression stays out.
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith(".GZipMiddleware")
    ]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def real_path_parameters(operation) -> dict | None:
    """Path parameters naming a seeded object, so detail operations reach real rows too."""
    claim = Claim.objects.filter(assertions__isnull=False, conflicts__isnull=False).first()
    assertion = claim.assertions.first()
    objects = {
        "/api/claims/": {"slug": claim.slug},
        "/api/sources/": {"id": assertion.quote.source_id},
        "/api/quotes/": {"id": assertion.quote_id},
        "/api/assertions/": {"id": assertion.pk},
        "/api/conflicts/": {"id": claim.conflicts.first().pk},
        "/api/entities/": {"slug": claim.subjects.first().slug},
        "/api/topics/": {"slug": claim.topics.first().slug},
    }
    if "{" not in operation.path:
        return None
    return next(v for prefix, v in objects.items() if operation.path.startswith(prefix))


# Refusals by rules a JSON Schema cannot state: two fields that must differ or name rows of
# one claim, and a value whose kind, bounds and unit must agree with each other and with the
# claim's kind. A schema-valid request may break them, and 400 naming them is then right.
RULES_THE_SCHEMA_CANNOT_STATE = {
    "a conflict needs two different assertions",
    "both assertions must be on the same claim",
}


def refused_by_a_rule(response) -> bool:
    if response.status_code != 400:
        return False
    try:
        errors = response.json()
        messages = [m for ms in errors.values() for m in ms]
    except (ValueError, AttributeError, TypeError):
        return False
    about_the_value = all(field == "value" or field.startswith("value.") for field in errors)
    return bool(messages) and (about_the_value or set(messages) <= RULES_THE_SCHEMA_CANNOT_STATE)


def exercise(operation, mode, headers_per_call, path_parameters=None) -> list[str]:
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for headers in headers_per_call:
            cache.clear()  # the anonymous throttle must not turn answers into 429s
            response = case.call(headers=headers)
            if refused_by_a_rule(response):
                continue
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as failure:
                who = "reviewer" if headers else "anonymous"
                where = f"{mode}, {who}" + (", real object" if path_parameters else "")
                failures.append(f"{operation.label} [{where}]: {failure}")
                return

    run()
    return failures


def test_every_operation_answers_within_its_schema(seeded, reviewer, application):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    # A well-formed If-Match may still name a version other than the current one: 412.
    for check in ("positive_data_acceptance", "negative_data_rejection"):
        getattr(schema.config.checks, check).expected_statuses.append("412")
    headers_per_call = [{}, {"Authorization": f"Token {token_for(reviewer.username).key}"}]
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += exercise(operation, mode, headers_per_call)
        real = real_path_parameters(operation)
        if real:
            failures += exercise(operation, GenerationMode.POSITIVE, headers_per_call, real)
    assert operations >= 25
    assert len(CHECKS) >= 14
    assert not failures, "\n\n".join(failures[:10])
