"""Configuration read from environment variables, with safe defaults for a single machine."""

import os
import secrets
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _stored_secret(name: str, nbytes: int = 32) -> str:
    """Return a secret kept in instance/, creating it on first use so restarts keep sessions valid."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes))
    for _attempt in range(50):  # the creator may still be writing it
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty")


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


class Config:
    """Settings for production and for `make run`; tests override a few keys."""

    def __init__(self) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY") or _stored_secret("secret_key")
        self.DATA_ENCRYPTION_KEY = env.get("DATA_ENCRYPTION_KEY") or _stored_secret("data_key")
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            env.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'service.db'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = env.get("REDIS_URL", "")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # Heavy public lists (core/pagecache.py): in-process by default, Redis when a URL is given.
        self.PAGE_CACHE_REDIS_URL = env.get("PAGE_CACHE_REDIS_URL", "")
        self.PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", "3600"))
        self.PAGE_CACHE_SIZE = int(env.get("PAGE_CACHE_SIZE", "256"))
        self.RATELIMIT_LOGIN = env.get("RATELIMIT_LOGIN", "10 per minute")  # per address
        # Failed logins per username (web and API together): a short window, so that an attack on
        # one account keeps its owner out for minutes at most.
        self.RATELIMIT_LOGIN_ACCOUNT = env.get("RATELIMIT_LOGIN_ACCOUNT", "10 per 5 minutes")
        self.RATELIMIT_HEADERS_ENABLED = True
        # Getting in without a password (core/accounts.py): reset codes asked for per address and
        # per account name, checks of a code per address, wrong guesses per code, how long a reset
        # code and an invitation link stay valid, and the least time a reset request takes (so the
        # answer's timing does not tell whether the account exists).
        self.RATELIMIT_RESET = env.get("RATELIMIT_RESET", "5 per minute")
        self.RATELIMIT_RESET_ACCOUNT = env.get("RATELIMIT_RESET_ACCOUNT", "5 per hour")
        self.RATELIMIT_REGISTER = env.get("RATELIMIT_REGISTER", "10 per hour")
        self.PASSWORD_RESET_CODE_MINUTES = int(env.get("PASSWORD_RESET_CODE_MINUTES", "30"))
        self.PASSWORD_RESET_MAX_ATTEMPTS = int(env.get("PASSWORD_RESET_MAX_ATTEMPTS", "5"))
        self.PASSWORD_RESET_MIN_SECONDS = float(env.get("PASSWORD_RESET_MIN_SECONDS", "0.3"))
        self.INVITATION_DAYS = int(env.get("INVITATION_DAYS", "14"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _flag("HTTPS_ONLY")
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https" if self.SESSION_COOKIE_SECURE else "http"
        self.BEHIND_PROXY = _flag("BEHIND_PROXY")
        # With BEHIND_PROXY, X-Forwarded-* is read only from these addresses (IPs or networks).
        self.TRUSTED_PROXIES = env.get("TRUSTED_PROXIES", "127.0.0.1,::1")
        # A web session ends after this long without a request, and this long after login.
        self.SESSION_IDLE_SECONDS = int(env.get("SESSION_IDLE_SECONDS", "1800"))
        self.SESSION_ABSOLUTE_SECONDS = int(env.get("SESSION_ABSOLUTE_SECONDS", "43200"))
        self.PERMANENT_SESSION_LIFETIME = self.SESSION_ABSOLUTE_SECONDS
        # argon2id for passwords; OWASP's recommended m=19 MiB, t=2, p=1 by default. A change takes
        # effect for each account at its next login (the hash is remade then).
        self.ARGON2_TIME_COST = int(env.get("ARGON2_TIME_COST", "2"))
        self.ARGON2_MEMORY_KIB = int(env.get("ARGON2_MEMORY_KIB", "19456"))
        self.ARGON2_PARALLELISM = int(env.get("ARGON2_PARALLELISM", "1"))
        self.API_TOKEN_MAX_AGE = int(env.get("API_TOKEN_MAX_AGE", "43200"))
        self.BABEL_DEFAULT_LOCALE = "zh"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
        self.LANGUAGES = ("zh", "en")
        self.WTF_CSRF_TIME_LIMIT = None
        self.SMTP_HOST = env.get("SMTP_HOST", "")
        self.SMTP_PORT = int(env.get("SMTP_PORT", "25"))
        self.SMTP_USER = env.get("SMTP_USER", "")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD", "")
        self.SMTP_STARTTLS = _flag("SMTP_STARTTLS")
        self.SMTP_FROM = env.get("SMTP_FROM", "noreply@example.org")
        self.SMS_GATEWAY_URL = env.get("SMS_GATEWAY_URL", "")
        self.PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", "")  # printed on notices made off-request
        self.SMTP_TIMEOUT = float(env.get("SMTP_TIMEOUT", "10"))
        self.SMS_GATEWAY_TIMEOUT = float(env.get("SMS_GATEWAY_TIMEOUT", "10"))
        self.SCHEDULER_TICK_SECONDS = float(env.get("SCHEDULER_TICK_SECONDS", "15"))
        self.SCHEDULER_LEASE_SECONDS = float(env.get("SCHEDULER_LEASE_SECONDS", "60"))
        self.SCHEDULER_JOBS = env.get("SCHEDULER_JOBS", "")  # id prefixes to run; empty: all
        self.SCHEDULER_MISFIRE_GRACE_SECONDS = int(
            env.get("SCHEDULER_MISFIRE_GRACE_SECONDS", "3600")
        )
        # Celery workers for the heavy jobs (docs/DEPLOYMENT.md); empty: the scheduler runs them.
        self.CELERY_BROKER_URL = env.get("CELERY_BROKER_URL", "")
        self.CELERY_QUEUE = env.get("CELERY_QUEUE", "service")
        self.OUTBOX_BATCH_SIZE = int(env.get("OUTBOX_BATCH_SIZE", "100"))
        self.OUTBOX_CLAIM_SECONDS = float(env.get("OUTBOX_CLAIM_SECONDS", "120"))
        self.OUTBOX_MAX_ATTEMPTS = int(env.get("OUTBOX_MAX_ATTEMPTS", "10"))
        self.OUTBOX_RETRY_BASE_SECONDS = float(env.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
        self.OUTBOX_RETRY_CAP_SECONDS = float(env.get("OUTBOX_RETRY_CAP_SECONDS", "21600"))
        # Request bodies (core/limits.py): no body above MAX_CONTENT_LENGTH is read (uploads
        # included); a JSON body is bounded in bytes, nesting depth, digits per number and entries
        # per array or object. A refused body answers 413 (too large) or 422 (which limit).
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024)))
        self.JSON_MAX_BYTES = int(env.get("JSON_MAX_BYTES", str(1024 * 1024)))
        self.JSON_MAX_DEPTH = int(env.get("JSON_MAX_DEPTH", "20"))
        self.JSON_MAX_NUMBER_DIGITS = int(env.get("JSON_MAX_NUMBER_DIGITS", "40"))
        self.JSON_MAX_ITEMS = int(env.get("JSON_MAX_ITEMS", "5000"))
        self.API_TITLE = "浙江省残疾人就业服务 API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = None
        self.API_SPEC_OPTIONS = {
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}
        }


def _normalise_db_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
