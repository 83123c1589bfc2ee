"""Passwords, sessions, API bearer tokens and role decorators."""

import ipaddress
import time
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, has_app_context, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from limits import parse as parse_limit
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests

from core.codes import ROLES
from core.extensions import db, limiter, login_manager
from core.models import EmployerRegistration, User, utcnow

# argon2id parameters: OWASP's recommended minimum (m=19 MiB, t=2, p=1) unless configured
# (ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM). One verify costs about an eighth of
# argon2-cffi's default (t=3, 64 MiB, p=4) in CPU time, so logins do not eat the web workers.
DEFAULT_ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hashers: dict[tuple[int, int, int], tuple[PasswordHasher, str]] = {}


def hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return _hasher_and_dummy(time_cost, memory_cost, parallelism)[0]


def _hasher_and_dummy(time_cost: int, memory_cost: int, parallelism: int):
    key = (int(time_cost), int(memory_cost), int(parallelism))
    if key not in _hashers:
        hasher = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
        # A fixed hash to verify against when the username is unknown, so timing does not reveal
        # it: made with the same parameters as real hashes, so it costs the same.
        _hashers[key] = (hasher, hasher.hash("not-a-real-password"))
    return _hashers[key]


def _current():
    if has_app_context():
        config = current_app.config
        return _hasher_and_dummy(
            config.get("ARGON2_TIME_COST", DEFAULT_ARGON2["time_cost"]),
            config.get("ARGON2_MEMORY_KIB", DEFAULT_ARGON2["memory_cost"]),
            config.get("ARGON2_PARALLELISM", DEFAULT_ARGON2["parallelism"]),
        )
    return _hasher_and_dummy(**DEFAULT_ARGON2)


def hash_password(password: str) -> str:
    return _current()[0].hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Whether the password matches; the hash's own parameters are used, whatever the config."""
    try:
        return _current()[0].verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _account_limit():
    return parse_limit(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def _account_key(username: str) -> str:
    return (username or "").strip().lower()[:80]


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than the configured ones."""
    try:
        return _current()[0].check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


class InactiveAccount(Exception):
    """The password is right but the account may not log in (yet): a pending registration or a
    disabled account. Told only to whoever knows the password."""

    def __init__(self, pending: bool):
        super().__init__("pending" if pending else "disabled")
        self.pending = pending

    def message(self) -> str:
        if self.pending:
            return _(
                "Your registration is waiting for the federation's approval; you will be told by e-mail."
            )
        return _("This account is disabled. Ask the federation's administrator.")


def _waiting_registration(user: User) -> bool:
    status = db.session.scalar(
        select(EmployerRegistration.status).where(EmployerRegistration.user_id == user.id)
    )
    return status == "pending"


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (InactiveAccount when the password is right
    but the account is waiting for approval or disabled).

    Failed attempts are also counted per username (web and API together, whatever the address):
    past `RATELIMIT_LOGIN_ACCOUNT` the account's logins answer 429 until the short window ends, so
    guessing one account's password from many addresses is slow, and its owner waits minutes only.
    """
    key = _account_key(username)
    if not limiter.limiter.test(_account_limit(), "login-account", key):
        raise TooManyRequests()
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        check_password(_current()[1], password or "")  # the same cost as a real check
        limiter.limiter.hit(_account_limit(), "login-account", key)
        return None
    if not check_password(user.password_hash, password or ""):
        limiter.limiter.hit(_account_limit(), "login-account", key)
        return None
    if not user.active:
        raise InactiveAccount(_waiting_registration(user))
    if needs_rehash(user.password_hash):
        # The parameters changed since this hash was made: store a new one, in the same
        # transaction as the login time, now that the password is known to be right.
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie and API token of this user (logout, disable)."""
    user.session_version = (user.session_version or 1) + 1


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Load the session's user only while its session version and active flag still hold."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "ver": user.session_version})


def user_from_token(token: str) -> User | None:
    """The user a bearer token names, if it is valid, unexpired and not revoked."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["API_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    return load_user(f"{data.get('uid')}:{data.get('ver')}")


def bearer_user() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return user_from_token(header[7:].strip())


BEARER = [{"bearerAuth": []}]  # an API endpoint's OpenAPI security (the scheme: core.config)


def public(view):
    """Mark a view as meant to be reachable without login (checked by the access-matrix test)."""
    view.allowed_roles = ("anonymous", *ROLES)
    return view


def api_auth(*roles: str):
    """Require a valid bearer token (and one of `roles`, when given) on an API endpoint."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = bearer_user()
            if user is None:
                abort(401)
            if roles and user.role not in roles:
                abort(403)
            g.api_user = g.actor = user
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles or ROLES
        return wrapped

    return decorator


def api_user() -> User:
    return g.api_user


def roles_required(*roles: str):
    """Require a logged-in web user with one of `roles` (any role when none are given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles or ROLES
        return wrapped

    return decorator


# --- web session lifetime ------------------------------------------------------------------------


def start_session() -> None:
    """Mark the moment of login (absolute timeout) and of the last request (idle timeout)."""
    session["login_at"] = session["seen_at"] = time.time()


def check_session_age():
    """before_request: a web session ends after SESSION_IDLE_SECONDS without a request or
    SESSION_ABSOLUTE_SECONDS after login, whichever comes first (the request goes on anonymous)."""
    if "_user_id" not in session:
        return
    now, config = time.time(), current_app.config
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if (
        login_at is None
        or seen_at is None
        or now - login_at > config["SESSION_ABSOLUTE_SECONDS"]
        or now - seen_at > config["SESSION_IDLE_SECONDS"]
    ):
        language = session.get("lang")
        logout_user()
        session.clear()
        if language:
            session["lang"] = language
        return
    if now - seen_at > 30:  # not on every request: the cookie need not change each time
        session["seen_at"] = now


# --- proxies -------------------------------------------------------------------------------------


class TrustedProxyFix:
    """Read X-Forwarded-For/-Proto only on requests that come from a configured proxy address
    (TRUSTED_PROXIES); a client reaching the app directly cannot choose its own address."""

    def __init__(self, wsgi_app, trusted: str):
        from werkzeug.middleware.proxy_fix import ProxyFix

        self.direct = wsgi_app
        self.proxied = ProxyFix(wsgi_app, x_for=1, x_proto=1)
        self.networks = [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in trusted.split(",")
            if part.strip()
        ]

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.proxied(environ, start_response)
        return self.direct(environ, start_response)
