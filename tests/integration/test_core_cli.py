"""The flask commands: `seed-demo` (idempotent, every demo role logs in) and `users create`."""

import re

import pytest
from sqlalchemy import func, select

from core import divisions
from core.codes import UNIT_TYPES
from core.demo import DEMO_PASSWORD
from core.extensions import db as _db
from core.extensions import limiter
from core.models import Employer, Person, User
from tests.support import isolated_client


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _counts() -> dict:
    return {model.__tablename__: _count(model) for model in (Person, Employer, User)}


def test_seed_demo_twice_adds_nothing_the_second_time_and_every_role_logs_in(app, runner):
    """One test, so that the province-wide seed runs once per backend."""
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    assert counts["person"] >= 2000 and counts["employer"] >= 300
    assert f"password {DEMO_PASSWORD}" in first.output
    usernames = re.findall(
        r"^\s{2}(\S+)\s+(admin|counselor|employer|graduate)\b", first.output, re.M
    )
    assert {role for _name, role in usernames} == {"admin", "counselor", "employer", "graduate"}

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == counts
    assert "added people: 0" in second.output and "added employers: 0" in second.output
    assert (
        re.findall(r"^\s{2}(\S+)\s+(admin|counselor|employer|graduate)\b", second.output, re.M)
        == usernames
    )

    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "skipped" in skipped.output and _counts() == counts

    _assert_province_wide()
    _assert_every_demo_account_logs_in(app, usernames)


def _assert_province_wide():
    counties = _db.session.scalars(select(Person.county_code).distinct()).all()
    cities = {divisions.city_of(code) for code in counties}
    assert len(cities) == 11
    categories = set(_db.session.scalars(select(Person.disability_category).distinct()))
    levels = set(_db.session.scalars(select(Person.disability_level).distinct()))
    assert categories == set(range(1, 8)) and levels == {1, 2, 3, 4}
    unit_types = set(_db.session.scalars(select(Employer.unit_type).distinct()))
    assert unit_types == set(UNIT_TYPES)


def _assert_every_demo_account_logs_in(app, usernames):
    """Each account on the web; the first of each role through the API too."""
    roles_seen = set()
    for username, role in usernames:
        limiter.reset()  # more accounts than the login limit allows per minute
        client = isolated_client(app)
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/account").status_code == 200, username
        if role not in roles_seen:
            roles_seen.add(role)
            token = client.post(
                "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert token.status_code == 200 and token.json["role"] == role
        user = _db.session.scalar(select(User).where(User.username == username))
        if role == "employer":
            assert user.employer_id is not None
        if role == "graduate":
            assert user.person_id is not None
        if role == "counselor":
            assert divisions.is_county(user.county_code)


def test_users_create(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "liu",
            "--role",
            "counselor",
            "--county",
            "330106",
            "--password",
            "Secret-2026",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created liu (counselor)" in result.output
    user = _db.session.scalar(select(User).where(User.username == "liu"))
    assert user.county_code == "330106" and user.active
    assert user.password_hash.startswith("$argon2")
    client = isolated_client(app)
    assert (
        client.post("/login", data={"username": "liu", "password": "Secret-2026"}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["users", "create", "emp", "--role", "employer", "--password", "Secret-2026"],
            "employer_id",
        ),
        (["users", "create", "short", "--role", "admin", "--password", "short"], "password"),
        (["users", "create", "x", "--role", "overlord", "--password", "Secret-2026"], "overlord"),
    ],
)
def test_users_create_refusals(app, runner, args, fragment):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert fragment in result.output
    assert _count(User) == 0


def test_users_create_refuses_a_taken_username(app, runner):
    args = ["users", "create", "dup", "--role", "admin", "--password", "Secret-2026"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "username" in again.output
    assert _count(User) == 1


def test_users_create_prompts_for_the_password_twice(app, runner):
    result = runner.invoke(
        args=["users", "create", "prompted", "--role", "admin"], input="Secret-2026\nSecret-2026\n"
    )
    assert result.exit_code == 0, result.output
    assert "Secret-2026" not in result.output
