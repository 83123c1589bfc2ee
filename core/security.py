"""Security headers on every response, error pages included."""

from urllib.parse import urlsplit

from flask import request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _holds_personal_data(response):
        headers["Cache-Control"] = "no-store"  # also over send_file's "no-cache"
    _one_charset(response)
    return response


_DOWNLOAD_TYPES = (
    "text/csv",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/pdf",
)


def _holds_personal_data(response) -> bool:
    """Pages, API answers and every download (CSV, XLSX, JSON export) are never stored by a browser
    or proxy; only static assets are cacheable."""
    if request.path.startswith("/static/") or request.path.startswith("/api/docs/assets/"):
        return False
    return (
        request.path.startswith("/api/")
        or response.mimetype in ("text/html", *_DOWNLOAD_TYPES)
        or "attachment" in response.headers.get("Content-Disposition", "")
    )


def _one_charset(response) -> None:
    """A view that passes `mimetype="text/csv; charset=utf-8"` gets Flask's charset added again:
    keep the first."""
    value = response.headers.get("Content-Type", "")
    parts = [part.strip() for part in value.split(";")]
    charsets = [p for p in parts if p.lower().startswith("charset=")]
    if len(charsets) > 1:
        kept = [p for p in parts if not p.lower().startswith("charset=")] + charsets[:1]
        response.headers["Content-Type"] = "; ".join(kept)


# What a browser removes from a URL before parsing it (WHATWG URL standard: ASCII tab and newline
# anywhere, C0 controls and spaces at either end); a backslash counts as a slash in http(s) URLs.
_URL_REMOVED = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a same-site relative path after the browser's own normalisation, else
    `fallback`: no scheme, no host, no leading `//` (or `/\\`), no control characters."""
    if not target:
        return fallback
    cleaned = target.translate(_URL_REMOVED).strip(_C0_AND_SPACE)
    normalised = cleaned.replace("\\", "/")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in normalised):
        return fallback
    if not normalised.startswith("/") or normalised.startswith("//"):
        return fallback
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc:
        return fallback
    return normalised
