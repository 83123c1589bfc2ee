"""The state of a long list (filters, sort, page) read from the URL, checked, and applied.

Each list declares once what it may be filtered and sorted by (`ListSpec`); `ListSpec.parse`
reads `request.args` into a `ListState` or refuses a bad value with a `ListError` (400, the field
named and what is wrong, in the reader's language). The state goes back into every link
(`ListState.query`), so a filtered, sorted page has its own address, and an export given the same
arguments carries exactly the filtered rows in the same order (`sorted_rows`, `sorted_query`).

Paging is bounded: at most `MAX_PER_PAGE` rows per page and a page number that exists; a list on a
page of its own is shown `PER_PAGE` rows at a time. The controls are macros in
`templates/macros.html` (`list_filters`, `sort_header`, `list_summary`, `list_pages`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import gettext as _

from core.database import ServiceError

PER_PAGE = 50  # rows shown at a time (the "every list over 50 rows")
MAX_PER_PAGE = 200  # the most rows a page may ask for
MAX_PAGE = 100_000  # a larger OFFSET would overflow the database's integer
MAX_INT = 2**31 - 1
TEXT_LENGTH = 50


class ListError(ServiceError):
    """A list parameter that cannot be used: answered as 400 with {parameter: [message]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors, 400)


@dataclass(frozen=True)
class Filter:
    """One filter of a list: `kind` is "text", "choice" (from `choices()`), "int" or "date"."""

    name: str
    label: object  # a lazy string: the control's label and the name in error messages
    kind: str = "text"
    choices: Callable[[], Sequence[tuple[str, str]]] | None = None
    max_length: int = TEXT_LENGTH
    placeholder: object = ""

    def options(self) -> list[tuple[str, str]]:
        return [(str(v), str(t)) for v, t in (self.choices() if self.choices else ())]

    def read(self, raw: str):
        """The checked value of a non-empty argument, or raise ValueError(message)."""
        label = str(self.label)
        if self.kind == "text":
            value = raw.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query
            if len(value) > self.max_length:
                raise ValueError(
                    _(
                        "%(field)s is longer than %(max)s characters.",
                        field=label,
                        max=self.max_length,
                    )
                )
            return value
        if self.kind == "choice":
            if raw not in {value for value, _text in self.options()}:
                raise ValueError(
                    _(
                        "“%(value)s” is not one of the choices of %(field)s.",
                        value=raw[:40],
                        field=label,
                    )
                )
            return raw
        if self.kind == "int":
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_INT:
                raise ValueError(_("%(field)s must be a whole number from 1.", field=label))
            return int(raw)
        if self.kind == "date":
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise ValueError(
                    _("%(field)s must be a date written like 2026-12-06.", field=label)
                ) from None
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class ListSpec:
    """What one list may be filtered and sorted by.

    `sorts` maps a sort key (the `?sort=` value; `-key` sorts descending) to a SQL expression (for
    `query_page`) or to a function of a row (for `rows_page`); `tiebreak` orders equal rows the
    same way on every page (a SQL expression or a row function).
    """

    name: str
    sorts: Mapping[str, object]
    default_sort: str
    filters: tuple[Filter, ...] = ()
    tiebreak: object = None
    per_page: int = PER_PAGE

    def parse(self, args: Mapping[str, str]) -> ListState:
        errors: dict[str, list[str]] = {}
        values: dict[str, object] = {}
        for spec in self.filters:
            raw = str(args.get(spec.name) or "").strip()
            if not raw:
                continue
            try:
                found = spec.read(raw)
            except ValueError as error:
                errors[spec.name] = [str(error)]
                continue
            if found not in ("", None):
                values[spec.name] = found
        sort = str(args.get("sort") or self.default_sort).strip()
        if sort.removeprefix("-") not in self.sorts:
            errors["sort"] = [
                _(
                    "The list cannot be sorted by “%(value)s”; choose one of: %(choices)s.",
                    value=sort[:40],
                    choices=", ".join(self.sorts),
                )
            ]
            sort = self.default_sort
        page = _whole(args.get("page"), 1, MAX_PAGE)
        if page is None:
            errors["page"] = [_("The page must be a whole number from 1 to %(max)s.", max=MAX_PAGE)]
        per_page = _whole(args.get("per_page"), self.per_page, MAX_PER_PAGE)
        if per_page is None:
            errors["per_page"] = [
                _("Rows per page must be a whole number from 1 to %(max)s.", max=MAX_PER_PAGE)
            ]
        if errors:
            raise ListError(errors)
        return ListState(self, values, sort, page, per_page)


def _whole(raw: str | None, default: int, maximum: int) -> int | None:
    if raw in (None, ""):
        return default
    raw = str(raw).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        return None
    return int(raw)


@dataclass(frozen=True)
class ListState:
    """A checked list state; `query()` gives the URL arguments that reproduce it."""

    spec: ListSpec
    filters: dict = field(default_factory=dict)
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def get(self, name: str, default=""):
        return self.filters.get(name, default)

    def form_value(self, name: str) -> str:
        value = self.filters.get(name)
        return (
            "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
        )

    def query(self, **changes) -> dict:
        """URL arguments of this state (defaults left out) with `changes` applied; a change of
        filter or sort goes back to the first page unless a page is given."""
        args = {name: self.form_value(name) for name in self.filters}
        if self.sort != self.spec.default_sort:
            args["sort"] = self.sort
        if self.per_page != self.spec.per_page:
            args["per_page"] = self.per_page
        if self.page != 1:
            args["page"] = self.page
        if changes and "page" not in changes:
            args.pop("page", None)
        for key, value in changes.items():
            if value in (None, "") or (key == "page" and value == 1):
                args.pop(key, None)
            else:
                args[key] = value
        if args.get("sort") == self.spec.default_sort:
            args.pop("sort")
        return args

    def filter_query(self) -> dict:
        """The filters alone (another list with the same filters, its own sort)."""
        return {name: self.form_value(name) for name in self.filters}

    def export_query(self) -> dict:
        """The filters and the sort, without paging: what an export of this list needs."""
        args = self.query()
        args.pop("page", None)
        args.pop("per_page", None)
        return args

    def sort_query(self, key: str) -> dict:
        """The arguments that sort by `key`: ascending first, descending when already ascending."""
        target = f"-{key}" if self.sort == key else key
        return self.query(sort=target, page=1)

    def aria_sort(self, key: str) -> str | None:
        if self.sort_key != key:
            return None
        return "descending" if self.descending else "ascending"

    def with_page(self, page: int) -> ListState:
        return replace(self, page=page)


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows and where it lies in the whole."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _check_page(state: ListState, total: int) -> None:
    pages = max(1, math.ceil(total / state.per_page))
    if state.page > pages:
        raise ListError(
            {
                "page": [
                    _(
                        "Page %(page)s does not exist: the list has %(pages)s pages.",
                        page=state.page,
                        pages=pages,
                    )
                ]
            }
        )


def _none_last(value):
    return (value is None, value if value is not None else 0)


def sorted_rows(rows: Sequence, state: ListState) -> list:
    """The rows (already filtered) in the state's order; empty values last either way."""
    key = state.spec.sorts[state.sort_key]
    rows = list(rows)
    if state.spec.tiebreak is not None:
        rows.sort(key=state.spec.tiebreak)
    present = [r for r in rows if key(r) not in (None, "")]
    absent = [r for r in rows if key(r) in (None, "")]
    present.sort(key=key, reverse=state.descending)
    return present + absent


def rows_page(rows: Sequence, state: ListState) -> Page:
    """One page of rows held in memory (filtered by the caller), sorted by the state."""
    ordered = sorted_rows(rows, state)
    _check_page(state, len(ordered))
    start = (state.page - 1) * state.per_page
    return Page(ordered[start : start + state.per_page], len(ordered), state.page, state.per_page)


def sorted_query(stmt, state: ListState):
    """The SQL statement ordered by the state's sort (then the tie-break)."""
    column = state.spec.sorts[state.sort_key]
    # empty values last either way, as in sorted_rows (SQLite and PostgreSQL differ by default)
    order = [(column.desc() if state.descending else column.asc()).nulls_last()]
    if state.spec.tiebreak is not None:
        order.append(state.spec.tiebreak)
    return stmt.order_by(None).order_by(*order)


def query_page(stmt, state: ListState) -> Page:
    """One page of a SQL statement (filtered by the caller), sorted by the state."""
    from core.extensions import db

    found = db.paginate(
        sorted_query(stmt, state), page=state.page, per_page=state.per_page, error_out=False
    )
    _check_page(state, found.total or 0)
    return Page(list(found.items), found.total or 0, state.page, state.per_page)
