"""Chinese first, English available: locale choice and message catalogues."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

CATALOG_DIRS = ("translations",)


def select_locale() -> str:
    """The request's language: ?lang=, then the saved choice, then (API only) Accept-Language."""
    if not has_request_context():  # CLI commands and scheduled jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    saved = session.get("lang")
    if saved in languages:
        return saved
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or "zh"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def lang() -> str:
    """'zh' or 'en' for the current request ('zh' outside a request)."""
    if not has_request_context():
        return "zh"
    locale = get_locale()
    return locale.language if locale else "zh"


def translation_directories(root: Path, extra: tuple[str, ...] = ()) -> list[str]:
    """Every catalogue folder that exists: those of the domain packages, then the shared one.

    All catalogues share one gettext domain and Flask-Babel lets a later catalogue override an
    earlier one, so the shared catalogue comes last: a msgid the core translates ("Not found.",
    "There is a problem", "Employer") reads the same on every page, whatever a package's own
    catalogue says.
    """
    candidates = [root / d for d in extra + CATALOG_DIRS]
    return [str(path) for path in candidates if path.is_dir()]


def compile_catalogs(directories: list[str]) -> None:
    """Compile each .po into .mo when the .mo is missing or older (a few milliseconds)."""
    for directory in directories:
        for po_path in Path(directory).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
