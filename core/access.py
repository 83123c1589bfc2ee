"""Role and ownership checks in one place: every object load for a user goes through here.

Each model registers a visibility rule (may this user see this object?) and a scope (the query
filter for lists). Another party's object answers 404, never its data.
"""

from collections.abc import Callable

from flask import abort
from sqlalchemy import false, select, true

from core.extensions import db
from core.models import Employer, Person

_RULES: dict[type, Callable] = {}
_SCOPES: dict[type, Callable] = {}


def register(model: type, can_view: Callable, scope: Callable) -> None:
    """Declare who may see instances of `model`: a predicate and the matching query filter."""
    _RULES[model] = can_view
    _SCOPES[model] = scope


def register_child(model: type, parent: str, parent_key, parent_model: type) -> None:
    """Declare `model` visible exactly where its parent is (the object `model.<parent>`, whose id
    is the column `parent_key`), by the parent's registered rule and scope (register it first)."""
    rule, scope = _RULES[parent_model], _SCOPES[parent_model]
    register(
        model,
        lambda user, obj: rule(user, getattr(obj, parent)),
        lambda user: parent_key.in_(select(parent_model.id).where(scope(user))),
    )


def can_view(user, obj) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    rule = _RULES.get(type(obj))
    return bool(rule and rule(user, obj))


def get_or_404(model: type, object_id, user):
    """Load one object the user may see, or answer 404 whether it is missing or someone else's."""
    obj = db.session.get(model, object_id) if object_id is not None else None
    if obj is None or not can_view(user, obj):
        abort(404)
    return obj


def scope_filter(model: type, user):
    """The WHERE clause limiting `model` rows to those the user may see."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if user.role == "admin":
        return true()
    scope = _SCOPES.get(model)
    return scope(user) if scope else false()


def scoped(model: type, user):
    """A select of the rows of `model` that the user may see."""
    return select(model).where(scope_filter(model, user))


def person_visible(user, person_id: int, county_code: str) -> bool:
    """A record about one person: the counselors of the person's county and the person see it."""
    if user.role == "counselor":
        return county_code == user.county_code
    if user.role == "graduate":
        return person_id == user.person_id
    return False


def person_scope(column):
    """The scope (as `person_visible`) of the rows whose `column` holds a person's id."""

    def scope(user):
        if user.role == "counselor":
            return column.in_(select(Person.id).where(Person.county_code == user.county_code))
        if user.role == "graduate":
            return column == user.person_id
        return false()

    return scope


def register_personal(model: type) -> None:
    """Declare `model` (with `person_id` and `person`) a record about one person."""

    def visible(user, obj) -> bool:
        return person_visible(user, obj.person_id, obj.person.county_code)

    register(model, visible, person_scope(model.person_id))


def _person_visible(user, person: Person) -> bool:
    return person_visible(user, person.id, person.county_code)


def _person_scope(user):
    if user.role == "counselor":
        return Person.county_code == user.county_code
    if user.role == "graduate":
        return Person.id == user.person_id
    return false()


def _employer_visible(user, employer: Employer) -> bool:
    if user.role == "counselor":
        return employer.county_code == user.county_code
    if user.role == "employer":
        return employer.id == user.employer_id
    return False


def _employer_scope(user):
    if user.role == "counselor":
        return Employer.county_code == user.county_code
    if user.role == "employer":
        return Employer.id == user.employer_id
    return false()


register(Person, _person_visible, _person_scope)
register(Employer, _employer_visible, _employer_scope)
