"""Property-based fuzzing of the JSON API with schemathesis, in-process, with an admin token.

Every operation of /api/openapi.json gets generated requests (valid and invalid); the API must
never answer 5xx, and its answers must match the documented schemas and content types. A second
test checks that the OpenAPI document lists every /api/v1 route of the URL map, so "every
operation" means every API route.

While working on one area, FUZZ_PATHS (comma-separated path prefixes, e.g.
``FUZZ_PATHS=/api/v1/training,/api/v1/courses``) restricts the fuzzing to the operations whose
path starts with one of them; unset, every operation is fuzzed. FUZZ_EXAMPLES raises the number of
generated cases per operation and mode (default 10) for a deeper local run.
"""

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from core.auth import issue_token
from core.extensions import db as _db
from core.extensions import limiter
from tests import factories

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))  # per operation and mode (valid, invalid)
PATH_PREFIXES = tuple(p.strip() for p in os.environ.get("FUZZ_PATHS", "").split(",") if p.strip())


@pytest.fixture
def fuzz_world(app, client):
    """A little data for the generated ids to hit, and an admin with a real token."""
    for county in ("330106", "330212"):
        factories.make_person(county=county)
        factories.make_employer(county=county)
    admin = factories.make_user("admin", username="fuzz_admin")
    response = client.post(
        "/api/v1/auth/token", json={"username": "fuzz_admin", "password": factories.PASSWORD}
    )
    assert response.status_code == 200, response.json
    return admin


def _fuzz(app, operation, mode, admin) -> str | None:
    """Run one operation's generated cases; the first failure (shrunk) as text, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        limiter.reset()
        # A fresh token per call: a fuzzed /auth/revoke must not turn later calls into 401s.
        headers = {"Authorization": f"Bearer {issue_token(admin)}"}
        # Each case in its own app context (its own database session), as in production: a
        # transaction one case left failed (PostgreSQL) must not turn every later case into a 500.
        try:
            with app.app_context():
                case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            _db.session.rollback()  # the test's own session: see what the case committed

    try:
        run()
    except Unsatisfiable:
        # Nothing to make invalid (an operation without parameters or body): no negative cases.
        return None if mode == GenerationMode.NEGATIVE else "no valid case could be generated"
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # a check failed (an exception group): name the operation
        return f"{type(error).__name__}: {error}"[:3000]
    return None


def test_api_fuzz(app, fuzz_world):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations, failures, seconds = [], {}, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if PATH_PREFIXES and not operation.path.startswith(PATH_PREFIXES):
            continue
        operations.append(operation.label)
        started = time.perf_counter()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz(app, operation, mode, fuzz_world)
            if failure:
                failures[f"{operation.label} ({mode.value})"] = failure
        seconds[operation.label] = round(time.perf_counter() - started, 2)
    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:5]
    print(f"fuzzed {len(operations)} operations; slowest: {slowest}")
    assert len(operations) >= (1 if PATH_PREFIXES else 10), operations
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())


def test_every_api_route_is_documented(app, client):
    spec = client.get("/api/openapi.json").json
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", f"{{{name}}}").replace(f"<{name}>", f"{{{name}}}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, path) not in documented:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"API routes missing from /api/openapi.json: {missing}"
