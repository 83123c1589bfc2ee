"""One error shape for the API, accessible error pages for the web; never a 500 for bad input."""

import logging
import re

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.database import ServiceError

log = logging.getLogger(__name__)

_DEFAULT_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please log in."),
    403: _l("You do not have permission to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("Someone else changed this record; reload it and try again."),
    413: _l("The upload is too large."),
    415: _l("The request body must be JSON."),
    422: _l("Some fields are not valid."),
    429: _l("Too many attempts; wait a minute and try again."),
    500: _l("Something went wrong on our side."),
}


def status_message(code: int) -> str:
    return str(_DEFAULT_MESSAGES.get(code, _DEFAULT_MESSAGES[500]))


def N_(message: str) -> str:  # noqa: N802 (Babel's marker name)
    """Mark a msgid for extraction; it is translated when used."""
    return message


# Marshmallow's validator messages with values filled in (Range, Length, OneOf, Equal), written as
# msgids with named placeholders; each is matched back from the English text to translate it.
_FILLED_MESSAGES = (
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s and less than %(max)s."),
    N_("Must be greater than %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than %(min)s and less than %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be greater than %(min)s."),
    N_("Must be less than or equal to %(max)s."),
    N_("Must be less than %(max)s."),
    N_("Length must be between %(min)s and %(max)s."),
    N_("Length must be %(equal)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Longer than maximum length %(max)s."),
    N_("Must be one of: %(choices)s."),
    N_("Must be equal to %(other)s."),
)


def _pattern(msgid: str) -> re.Pattern:
    """The regular expression that reads a filled-in message back: each %(name)s becomes a group."""
    parts = re.split(r"%\((\w+)\)s", msgid)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + "$"
    )


_FILLED_PATTERNS = tuple((_pattern(msgid), msgid) for msgid in _FILLED_MESSAGES)


def translate_message(message: str) -> str:
    """One English message in the request's language: a msgid, or a validator's filled-in text."""
    translated = _(message)
    if translated != message:
        return translated
    for pattern, msgid in _FILLED_PATTERNS:
        found = pattern.match(message)
        if found:
            return _(msgid, **found.groupdict())
    return message


def translate_messages(errors):
    """Translate marshmallow's English messages (and our own) into the request's language."""
    if isinstance(errors, dict):
        return {key: translate_messages(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate_messages(item) for item in errors]
    return translate_message(errors) if isinstance(errors, str) else errors


def messages_of(found) -> list[str]:
    """Every message of a nested marshmallow error value (dicts of rows, lists), in order, as text."""
    if isinstance(found, dict):
        return [m for value in found.values() for m in messages_of(value)]
    if isinstance(found, list):
        return [m for value in found for m in messages_of(value)]
    return [str(found)]


def flatten_locations(errors: dict) -> dict:
    """webargs nests errors by location ({"json": {...}}); the API answers {field: [...]}."""
    flat: dict = {}
    for location, fields in errors.items():
        if location in ("json", "query", "form", "files", "view_args", "headers") and isinstance(
            fields, dict
        ):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def api_error(code: int, errors: dict | None = None):
    body = {"errors": errors or {"_request": [status_message(code)]}}
    return jsonify(body), code


class ServiceApi(Api):
    """flask-smorest's Api answering every error as {"errors": {field: [message]}}."""

    def handle_http_exception(self, error):
        return _http_error(error)


def _http_error(error: HTTPException):
    code = error.code or 500
    if request.path.startswith("/api/"):
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        errors = translate_messages(flatten_locations(messages)) if messages else None
        if errors is None and isinstance(getattr(error, "description", None), dict):
            errors = error.description
        response, status = api_error(code, errors)
        for key, value in getattr(error, "get_headers", lambda: [])() or []:
            if key.lower() in ("retry-after", "www-authenticate"):
                response.headers[key] = value
        return response, status
    return render_template("errors/error.html", code=code, message=status_message(code)), code


def _csrf_error(error: CSRFError):
    if request.path.startswith("/api/"):
        return api_error(
            400, {"csrf_token": [_("The form expired; reload the page and try again.")]}
        )
    message = _("The form expired; reload the page and try again.")
    return render_template("errors/error.html", code=400, message=message), 400


def _unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    from core.extensions import db

    db.session.rollback()  # a failed transaction must not poison the error page or the next request
    return _http_error(InternalServerError())


def _service_error(error: ServiceError):
    """A use case refused: the API answers its field messages; a page shows them (views that
    want to flash them instead catch the error themselves)."""
    from core.extensions import db

    db.session.rollback()  # nothing a refused use case did is kept
    if request.path.startswith("/api/"):
        return api_error(error.status, error.errors)
    message = " ".join(m for messages in error.errors.values() for m in messages)
    return render_template("errors/error.html", code=error.status, message=message), error.status


def init_app(app) -> None:
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
