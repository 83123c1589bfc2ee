"""One error shape for the API, accessible error pages for the web; never a 500 for bad input."""

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


def translate_messages(errors):
    """Translate marshmallow's English messages (and our own) into the request's language."""
    if isinstance(errors, dict):
        return {key: translate_messages(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate_messages(item) for item in errors]
    return _(errors) if isinstance(errors, str) else errors


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


def init_app(app) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
