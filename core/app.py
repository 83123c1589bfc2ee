"""The application factory: configuration, extensions, blueprints of core and domain packages."""

import importlib
import importlib.util

from flask import Flask
from werkzeug.routing import IntegerConverter

from core import DOMAIN_PACKAGES
from core.config import BASE_DIR, INSTANCE_DIR, Config
from core.limits import MAX_ID


class IdConverter(IntegerConverter):
    """`<int:...>` matches only numbers that fit an INTEGER column, so a huge id is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests pass their database URL and flags)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(Config())
    if config:
        app.config.update(config)
    _configure_logging(app)
    _init_extensions(app)
    _register_packages(app)
    return app


def _configure_logging(app: Flask) -> None:
    from core import logmask
    from core.logmask import MaskingFilter

    logmask.install()  # every logger: werkzeug, gunicorn.access, gunicorn.error, libraries
    for handler in app.logger.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())


def _init_extensions(app: Flask) -> None:
    from core import errors, i18n, limits, security
    from core.crypto import FieldCipher
    from core.extensions import api, babel, csrf, db, limiter, login_manager, migrate

    if app.config.get("BEHIND_PROXY"):
        from core.auth import TrustedProxyFix

        app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from core.database import enable_sqlite_pragmas

        with app.app_context():
            enable_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "core.login"
    # A redirect to the login page says why (translated when it is flashed).
    login_manager.login_message = "Please log in to see that page."
    login_manager.localize_callback = _translate_login_message
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    limiter.init_app(app)
    directories = i18n.translation_directories(
        BASE_DIR, tuple(f"{p}/translations" for p in DOMAIN_PACKAGES)
    )
    i18n.compile_catalogs(directories)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    babel.init_app(app, locale_selector=i18n.select_locale)
    api.init_app(app)
    errors.init_app(app)
    app.before_request(limits.check_request_body)
    app.before_request(_check_session_age)
    app.after_request(security.add_security_headers)
    app.extensions["field_cipher"] = FieldCipher(app.config["DATA_ENCRYPTION_KEY"])


def _check_session_age():
    from core.auth import check_session_age

    return check_session_age()


def _register_packages(app: Flask) -> None:
    from core import account_api, account_views, auth, cli, templating, views  # noqa: F401
    from core import api as core_api
    from core.extensions import api, csrf

    templating.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(core_api.docs_bp)
    api.register_blueprint(core_api.blp)
    csrf.exempt(core_api.blp)
    api.register_blueprint(account_api.blp)
    csrf.exempt(account_api.blp)
    cli.init_app(app)
    for package in DOMAIN_PACKAGES:
        _register_domain_package(app, package)


def _optional_module(name: str):
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name) if found else None


def _register_domain_package(app: Flask, package: str) -> None:
    """Import a domain package's models and register its blueprints and commands, if it has them."""
    from core.extensions import api, csrf

    _optional_module(f"{package}.models")
    _optional_module(f"{package}.interface")  # may offer facts to other packages (core.offers)
    views = _optional_module(f"{package}.web") or _optional_module(f"{package}.views")
    if views is not None:
        app.register_blueprint(views.bp)
    api_module = _optional_module(f"{package}.api")
    if api_module is not None:
        for blueprint in getattr(api_module, "blueprints", [api_module.blp]):
            api.register_blueprint(blueprint)
            csrf.exempt(blueprint)
    cli_module = _optional_module(f"{package}.cli")
    if cli_module is not None:
        for command in cli_module.commands:
            app.cli.add_command(command)


def _translate_login_message(message: str) -> str:
    from flask_babel import gettext

    return gettext(message)
