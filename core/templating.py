"""Template helpers: language, names of codes, masking filters, and extension points for packages."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import request, url_for
from flask_babel import format_date, format_datetime, format_decimal
from sqlalchemy import func, select

from core import divisions, identity, labels
from core.extensions import db
from core.i18n import lang
from core.navigation import nav_groups, nav_items

# Extension points: domain packages add sections to the person and employer pages and
# links to the home page's cards, without core importing them.
_PERSON_SECTIONS: list = []
_EMPLOYER_SECTIONS: list = []
_HOME_LINKS: dict[str, list] = {}


def add_person_section(template: str, when=lambda person: True) -> None:
    _PERSON_SECTIONS.append((template, when))


def add_employer_section(template: str, when=lambda employer: True) -> None:
    _EMPLOYER_SECTIONS.append((template, when))


def add_home_link(card: str, label, endpoint: str) -> None:
    _HOME_LINKS.setdefault(card, []).append((label, endpoint))


@dataclass(frozen=True)
class HomeTask:
    """One task on a role's home page: a figure (or a short status) linking to its list."""

    roles: tuple[str, ...]
    label: object
    endpoint: str
    value: Callable | None  # value(user) -> int | str | None (None: a plain link)
    order: int
    url_args: dict = field(default_factory=dict)
    # "todo": a count of things waiting for the user (highlighted when not zero)
    kind: str = "todo"


_HOME_TASKS: list[HomeTask] = []
_GLOBALS: dict = {}


def add_template_global(name: str, value) -> None:
    """A package's helper for every template (e.g. the names of its status codes)."""
    _GLOBALS.setdefault(name, value)


def add_home_task(
    roles, label, endpoint: str, value=None, order: int = 50, kind: str = "todo", **url_args
) -> None:
    """A package adds a task to the home page of `roles` (registered once per endpoint+args).

    `value(user)` returns a count (int), a short status text, or None for a plain link; it runs
    for each home page view, so it must be one cheap query scoped to the user.
    """
    roles = (roles,) if isinstance(roles, str) else tuple(roles)
    task = HomeTask(roles, label, endpoint, value, order, dict(url_args), kind)
    if any(_same_task(t, task) for t in _HOME_TASKS):
        return  # a module imported twice registers once
    _HOME_TASKS.append(task)


def _same_task(one: HomeTask, other: HomeTask) -> bool:
    fields = ("roles", "endpoint", "url_args", "order")
    same_value = getattr(one.value, "__qualname__", one.value) == getattr(
        other.value, "__qualname__", other.value
    )
    return same_value and all(getattr(one, f) == getattr(other, f) for f in fields)


def home_tasks(user) -> list[dict]:
    """The tasks of the user's role, in order, with their figures."""
    tasks = []
    for task in sorted(_HOME_TASKS, key=lambda t: t.order):
        if user.role not in task.roles:
            continue
        value = task.value(user) if task.value is not None else None
        tasks.append(
            {
                "label": str(task.label),
                "url": url_for(task.endpoint, **task.url_args),
                "value": value,
                "is_count": isinstance(value, int) and not isinstance(value, bool),
                "waiting": task.kind == "todo" and isinstance(value, int) and value > 0,
            }
        )
    return tasks


def count_rows(stmt) -> int:
    """How many rows a select returns (for a home task's figure)."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def _sections(registry, obj) -> list[str]:
    return [template for template, when in registry if when(obj)]


def _home_links(card: str) -> list[dict]:
    from flask import url_for

    return [
        {"label": str(label), "url": url_for(endpoint)}
        for label, endpoint in _HOME_LINKS.get(card, [])
    ]


def _with_lang(code: str) -> str:
    """The current URL with ?lang= set, for the language switch."""
    args = request.args.to_dict()
    args["lang"] = code
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"{request.path}?{query}"


def local_time(value, seconds: bool = False) -> str:
    """A stored UTC time (a datetime or ISO text) in China Standard Time, e.g. 2026-11-28 18:05."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm")


def init_app(app) -> None:
    filters = app.jinja_env.filters
    filters["masked"] = identity.mask_number
    filters["masked_phone"] = identity.mask_phone
    filters["division"] = divisions.full_name
    filters["category"] = labels.category_name
    filters["level"] = labels.level_name
    filters["date"] = lambda d: format_date(d) if d else ""
    filters["datetime"] = local_time
    filters["number"] = lambda n: format_decimal(n) if n is not None else ""
    # Counts to four decimals and amounts to the fen, grouped by thousands: 1,234.5 and 80,000.00.
    filters["count"] = lambda n: (
        format_decimal(n, format="#,##0.####") if n not in (None, "") else ""
    )
    filters["money"] = lambda n: format_decimal(n, format="#,##0.00") if n not in (None, "") else ""
    # Readable JSON for people (tojson escapes Chinese as \uXXXX); autoescaped like any text.
    filters["json_text"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)

    @app.context_processor
    def _globals():
        return {
            "lang": lang(),
            "url_with_lang": _with_lang,
            "nav_items": nav_items,
            "nav_groups": nav_groups,
            "home_links": _home_links,
            "person_sections": lambda p: _sections(_PERSON_SECTIONS, p),
            "employer_sections": lambda e: _sections(_EMPLOYER_SECTIONS, e),
            "role_name": labels.role_name,
            "education_name": labels.education_name,
            "employment_name": labels.employment_name,
            "unit_type_name": labels.unit_type_name,
            "option_pairs": labels.option_pairs,
            "county_options": labels.county_options,
            "home_tasks": home_tasks,
            **_GLOBALS,
        }
