"""The main menu: each package registers its entries with the roles that see them."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

PUBLIC = "public"


@dataclass(frozen=True)
class NavItem:
    label: object
    endpoint: str
    roles: tuple[str, ...]
    order: int


_ITEMS: list[NavItem] = []


def register(label, endpoint: str, roles: tuple[str, ...], order: int = 50) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(label, endpoint, roles, order))


def nav_items() -> list[dict]:
    """The menu entries the current visitor may use, in order."""
    role = current_user.role if current_user.is_authenticated else None
    items = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if PUBLIC in item.roles or role in item.roles:
            try:
                items.append({"label": str(item.label), "url": url_for(item.endpoint)})
            except BuildError:
                continue
    return items


register(_l("Home"), "core.home", (PUBLIC,), order=0)
register(_l("People"), "core.people", ("admin", "counselor"), order=10)
register(_l("Employers"), "core.employers", ("admin", "counselor"), order=20)
register(_l("Audit trail"), "core.audit_log", ("admin",), order=90)
