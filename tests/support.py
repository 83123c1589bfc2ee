"""Test support: a test client that isolates each request, and cheap password hashing.

The conftest's `app` fixture keeps an app context pushed for the whole test, and Flask reuses a
pushed context for every request of the test client: `g` (Flask-Login's cached user, the API
user, the audit actor) and the database session would then leak from one request into the next,
so that, for example, a replayed cookie could look refused only because `g` still remembered the
logout. `IsolatedClient` runs each request in its own app context, as production does, and ends the
test's own transaction afterwards so that the test reads what the request committed.
"""

from argon2 import PasswordHasher
from flask.testing import FlaskClient

from core import auth
from core.extensions import db as _db
from tests import factories

# Argon2 with its default cost takes a third of a second per login on a busy machine; tests log in
# hundreds of times. The same code verifies the same kind of hash, only with cheaper parameters.
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.rollback()
        return response


def isolated_client(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


def fast_passwords(monkeypatch) -> None:
    """Use cheap argon2 parameters for the accounts the test creates and checks."""
    fast = (_FAST_HASHER, _FAST_HASHER.hash("not-a-real-password"))
    monkeypatch.setattr(auth, "_current", lambda: fast)
    monkeypatch.setattr(factories, "_PASSWORD_HASH", _FAST_HASHER.hash(factories.PASSWORD))
