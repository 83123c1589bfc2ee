"""Annotated workbooks of failed uploads, kept briefly in instance/ for their uploader to download.

They quote full certificate numbers: the folder is 0700, each file 0600, and a file older than
`QUOTA_ERROR_WORKBOOK_SECONDS` (default 15 minutes) is neither served nor kept.
"""

import os
import secrets
import time
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 15 * 60


def _max_age() -> float:
    return float(current_app.config.get("QUOTA_ERROR_WORKBOOK_SECONDS", MAX_AGE_SECONDS))


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "quota-uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def keep(content: bytes, user_id: int) -> str:
    """Store the workbook for this user; returns the token naming it."""
    token = secrets.token_urlsafe(16)
    folder = _folder()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - _max_age():
            old.unlink(missing_ok=True)
    fd = os.open(folder / f"{user_id}-{token}.xlsx", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    return token


def load(token: str, user_id: int) -> bytes | None:
    """The workbook, only for the user who uploaded it."""
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / f"{user_id}-{token}.xlsx"
    if not path.exists():
        return None
    if path.stat().st_mtime < time.time() - _max_age():
        path.unlink(missing_ok=True)
        return None
    return path.read_bytes()
