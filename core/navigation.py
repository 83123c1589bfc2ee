"""The main menu: each package registers its entries with the roles that see them.

Entries are shown in at most seven task groups (home, people, jobs, follow-ups, training, quota,
reports and administration): a group with one entry for the visitor is a plain link, a larger one
a disclosure menu. The group of an entry is the `group` given at registration, else the one its
endpoint is listed under here, else its blueprint's.
"""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

PUBLIC = "public"


# The task groups, in menu order (at most seven top entries with "home").
GROUPS = {
    "home": _l("Home"),
    "people": _l("People and employers"),
    "jobs": _l("Jobs and referrals"),
    "followup": _l("Follow-ups"),
    "training": _l("Training"),
    "quota": _l("Employment quota"),
    "admin": _l("Reports and administration"),
}
_GROUP_OF_ENDPOINT = {
    "core.home": "home",
    "core.people": "people",
    "core.employers": "people",
    "core.audit_log": "admin",
    "employment.dashboard": "admin",
    "jobmatch.weights": "admin",
    "jobmatch.fairness_page": "admin",
    "followup.scheduler_status": "admin",
}
_GROUP_OF_BLUEPRINT = {
    "core": "admin",
    "employment": "people",
    "jobmatch": "jobs",
    "followup": "followup",
    "training": "training",
    "quota": "quota",
}


@dataclass(frozen=True)
class NavItem:
    label: object
    endpoint: str
    roles: tuple[str, ...]
    order: int
    group: str | None = None


_ITEMS: list[NavItem] = []


def register(
    label, endpoint: str, roles: tuple[str, ...], order: int = 50, group: str | None = None
) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(label, endpoint, roles, order, group))


def group_of(item: NavItem) -> str:
    group = item.group or _GROUP_OF_ENDPOINT.get(item.endpoint)
    group = group or _GROUP_OF_BLUEPRINT.get(item.endpoint.split(".")[0], "admin")
    return group if group in GROUPS else "admin"


def nav_items() -> list[dict]:
    """The menu entries the current visitor may use, in order."""
    return [{"label": entry["label"], "url": entry["url"]} for entry in _visible_items()]


def _visible_items() -> list[dict]:
    role = current_user.role if current_user.is_authenticated else None
    items = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if PUBLIC in item.roles or role in item.roles:
            try:
                url = url_for(item.endpoint)
            except BuildError:
                continue
            items.append({"label": str(item.label), "url": url, "group": group_of(item)})
    return items


def _is_current(url: str, path: str) -> bool:
    return url == path or (url != "/" and path.startswith(url.rstrip("/") + "/"))


def nav_groups() -> list[dict]:
    """The menu as task groups: {key, label, items, url (one entry: the link), current}."""
    path = request.path if request else ""
    groups = []
    visible = _visible_items()
    for key, label in GROUPS.items():
        items = [
            {**item, "current": item["url"] == path, "within": _is_current(item["url"], path)}
            for item in visible
        ]
        items = [item for item in items if item["group"] == key]
        if not items:
            continue
        single = len(items) == 1
        groups.append(
            {
                "key": key,
                "label": items[0]["label"] if single else str(label),
                "entries": items,
                "url": items[0]["url"] if single else None,
                "current": any(item["within"] for item in items),
            }
        )
    return groups


register(_l("Home"), "core.home", (PUBLIC,), order=0)
register(_l("People"), "core.people", ("admin", "counselor"), order=10)
register(_l("Employers"), "core.employers", ("admin", "counselor"), order=20)
register(_l("Audit trail"), "core.audit_log", ("admin",), order=90)
