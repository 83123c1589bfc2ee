"""Password hashing parameters come from the configuration; a login remakes an outdated hash."""

import pytest
from argon2 import PasswordHasher

from core import auth
from core.extensions import db as _db
from core.models import User
from tests import factories

OLD = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=2)


@pytest.fixture
def cheap_argon2(app):
    """Cheap parameters for the test (the rule under test is the same whatever they are)."""
    saved = {
        k: app.config.get(k)
        for k in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "ARGON2_PARALLELISM")
    }
    app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_KIB=1024, ARGON2_PARALLELISM=1)
    yield
    app.config.update(saved)


def _parameters(password_hash: str):
    from argon2 import extract_parameters

    params = extract_parameters(password_hash)
    return params.time_cost, params.memory_cost, params.parallelism


def test_the_defaults_are_owasps_recommended_argon2id():
    from core.config import Config

    config = Config()
    assert (config.ARGON2_TIME_COST, config.ARGON2_MEMORY_KIB, config.ARGON2_PARALLELISM) == (
        2,
        19 * 1024,
        1,
    )
    assert auth.DEFAULT_ARGON2 == {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


def test_the_parameters_are_read_from_the_environment(monkeypatch):
    from core.config import Config

    monkeypatch.setenv("ARGON2_TIME_COST", "3")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "65536")
    monkeypatch.setenv("ARGON2_PARALLELISM", "4")
    config = Config()
    assert (config.ARGON2_TIME_COST, config.ARGON2_MEMORY_KIB, config.ARGON2_PARALLELISM) == (
        3,
        65536,
        4,
    )


def test_new_hashes_use_the_configured_parameters(app, cheap_argon2):
    made = auth.hash_password("s3cret-Pass")
    assert made.startswith("$argon2id$")
    assert _parameters(made) == (1, 1024, 1)
    assert auth.check_password(made, "s3cret-Pass")
    assert not auth.check_password(made, "wrong")
    assert not auth.needs_rehash(made)
    assert auth.needs_rehash(OLD.hash("s3cret-Pass"))
    assert auth.needs_rehash("not a hash")


def test_a_login_remakes_an_outdated_hash_in_the_same_commit(app, db, cheap_argon2):
    user = factories.make_user("counselor", username="rehash_me")
    user.password_hash = OLD.hash(factories.PASSWORD)
    _db.session.commit()
    assert _parameters(user.password_hash) == (1, 2048, 2)

    assert auth.authenticate("rehash_me", factories.PASSWORD) is not None
    _db.session.expire_all()
    stored = _db.session.get(User, user.id)
    assert _parameters(stored.password_hash) == (1, 1024, 1)
    assert stored.last_login_at is not None
    assert auth.check_password(stored.password_hash, factories.PASSWORD)


def test_a_wrong_password_does_not_touch_the_hash(app, db, cheap_argon2):
    user = factories.make_user("counselor", username="keep_me")
    old_hash = OLD.hash(factories.PASSWORD)
    user.password_hash = old_hash
    _db.session.commit()

    assert auth.authenticate("keep_me", "wrong-password") is None
    _db.session.expire_all()
    assert _db.session.get(User, user.id).password_hash == old_hash


def test_a_current_hash_is_kept_as_it_is(app, db, cheap_argon2):
    user = factories.make_user("counselor", username="current")
    current = auth.hash_password(factories.PASSWORD)
    user.password_hash = current
    _db.session.commit()
    assert auth.authenticate("current", factories.PASSWORD) is not None
    _db.session.expire_all()
    assert _db.session.get(User, user.id).password_hash == current
