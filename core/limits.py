"""Bounds on every request body, checked before any work is done on it.

- `MAX_CONTENT_LENGTH` (Flask): no body larger than this is read at all (413); uploads included.
- A JSON body: at most `JSON_MAX_BYTES` (413), nested at most `JSON_MAX_DEPTH` levels, no number
  longer than `JSON_MAX_NUMBER_DIGITS` digits and no array or object with more than
  `JSON_MAX_ITEMS` entries (422 with a message naming the limit). The depth and digit checks scan
  the raw text before it is parsed, so a hostile body never reaches the parser's recursion or
  Python's integer conversion; the item count is checked on the parsed value before any schema.
- A schema list with a length validator refuses a longer list before deserialising its items
  (`core.schemas.BaseSchema`), so a monthly list of a million items costs nothing.
"""

import json
import re

from flask import current_app, render_template, request
from flask_babel import gettext as _

MAX_ID = 2**31 - 1  # the largest id of an INTEGER primary key (a larger id in input is refused)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_NUMBER_DIGITS = re.compile(r"\d+")


class BodyRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def json_bounds_error(text: str, max_depth: int, max_digits: int, max_items: int) -> str | None:
    """Why this JSON text is refused (a translated message), or None; invalid JSON passes through
    (the schema layer answers it as a 400)."""
    bare = _STRING.sub('""', text)
    depth = 0
    for bracket in _BRACKET.finditer(bare):
        if bracket.group() in "[{":
            depth += 1
            if depth > max_depth:
                return _("The JSON is nested deeper than %(limit)s levels.", limit=max_depth)
        else:
            depth -= 1
    for number in _NUMBER_DIGITS.finditer(bare):
        if len(number.group()) > max_digits:
            return _("A number in the JSON has more than %(limit)s digits.", limit=max_digits)
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    except (ValueError, RecursionError):  # Python's own integer-digit or recursion limit
        return _("A number in the JSON has more than %(limit)s digits.", limit=max_digits)
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, dict)):
            if len(item) > max_items:
                return _("A list in the JSON has more than %(limit)s entries.", limit=max_items)
            stack.extend(item.values() if isinstance(item, dict) else item)
    return None


def check_request_body():
    """before_request: refuse an oversized or hostile body with the API's error shape or a page."""
    try:
        _check()
    except BodyRefused as refused:
        return _refusal(refused.status, refused.message)
    return None


def _check() -> None:
    config = current_app.config
    length = request.content_length
    limit = config.get("MAX_CONTENT_LENGTH")
    if limit and length is not None and length > limit:
        raise BodyRefused(413, _("The request is larger than %(limit)s bytes.", limit=limit))
    if not request.is_json or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    json_limit = config["JSON_MAX_BYTES"]
    if length is not None and length > json_limit:
        raise BodyRefused(413, _("The request is larger than %(limit)s bytes.", limit=json_limit))
    raw = request.stream.read(json_limit + 1)  # also bounds a body sent without a length
    if len(raw) > json_limit:
        raise BodyRefused(413, _("The request is larger than %(limit)s bytes.", limit=json_limit))
    request._cached_data = raw  # what get_data() answers from now on (webargs reads it)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # answered by the JSON parser as a 400
    problem = json_bounds_error(
        text,
        config["JSON_MAX_DEPTH"],
        config["JSON_MAX_NUMBER_DIGITS"],
        config["JSON_MAX_ITEMS"],
    )
    if problem:
        raise BodyRefused(422, problem)


def _refusal(status: int, message: str):
    from core.errors import api_error

    if request.path.startswith("/api/"):
        return api_error(status, {"_request": [message]})
    return render_template("errors/error.html", code=status, message=message), status
