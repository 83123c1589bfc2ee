"""Annotated workbooks of failed uploads, kept briefly in instance/ for their uploader to download."""

import secrets
import time
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "quota-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(content: bytes, user_id: int) -> str:
    """Store the workbook for this user; returns the token naming it."""
    token = secrets.token_urlsafe(16)
    folder = _folder()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    (folder / f"{user_id}-{token}.xlsx").write_bytes(content)
    return token


def load(token: str, user_id: int) -> bytes | None:
    """The workbook, only for the user who uploaded it."""
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / f"{user_id}-{token}.xlsx"
    return path.read_bytes() if path.exists() else None
