"""When to retry a message that could not be delivered (pure: no Flask, no database)."""

import random
from datetime import timedelta

TRANSIENT_HTTP = frozenset({408, 429})


def backoff_delay(
    attempt: int,
    base: timedelta = timedelta(seconds=30),
    cap: timedelta = timedelta(hours=6),
    rng: random.Random | None = None,
) -> timedelta:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempt-1))]."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    ceiling = cap.total_seconds()
    exponent = min(attempt - 1, 62)
    ceiling = min(ceiling, base.total_seconds() * 2**exponent)
    return timedelta(seconds=(rng or random).uniform(0, ceiling))


def failure_code(protocol: str, code: int | str) -> str:
    """A storable error code such as 'smtp:550' or 'http:503'."""
    return f"{protocol}:{code}"


def is_permanent_failure(error_code: str) -> bool:
    """Whether retrying cannot help: SMTP 5xx, HTTP 4xx except 408/429; all else is transient.

    Codes are tagged by protocol ('smtp:550', 'smtp:4.2.2', 'http:404') because SMTP 4xx is
    transient while HTTP 4xx is not; 'timeout', 'connection' and unknown codes are transient.
    """
    protocol, _, code = str(error_code).strip().lower().partition(":")
    if protocol == "smtp" and code[:1] in {"4", "5"}:
        return code[0] == "5"
    if protocol == "http" and code.isdigit():
        status = int(code)
        return 400 <= status < 500 and status not in TRANSIENT_HTTP
    return False
