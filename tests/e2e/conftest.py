"""Browser fixtures: a live server with the demo data, Debian's Chromium driven by Playwright.

The whole folder is skipped, with a message, only when no Chromium executable exists
(`make browser` installs Debian's `chromium`; Playwright's own download cannot work here).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.a11y import Auditor
from tests.e2e.pages import Driver, Site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_MESSAGE = (
    "browser tests skipped: no Chromium executable (install Debian's `chromium` with "
    "`make browser`, or set CHROMIUM_PATH)"
)


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    if chromium_path() is None:
        skip = pytest.mark.skip(reason=SKIP_MESSAGE)
        for item in items:
            if here in Path(str(item.fspath)).parents:
                item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    public_pages: list[str]
    facts: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def live_server():
    """The app in its own process: a fresh SQLite file, `upgrade heads`, the demo seed, CSRF on.

    While writing journeys, E2E_SERVER_INFO may name the JSON line of a server already started
    with `python -m tests.e2e.server <folder> > info.json` to skip the minute of seeding.
    """
    reuse = os.environ.get("E2E_SERVER_INFO")
    if reuse:
        info = json.loads(Path(reuse).read_text())
        yield LiveServer(
            url=f"http://127.0.0.1:{info['port']}",
            public_pages=info["public"],
            facts=info["facts"],
        )
        return
    folder = Path(tempfile.mkdtemp(prefix="zjdes-e2e-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "SECRET_KEY", "DATA_ENCRYPTION_KEY", "REDIS_URL"):
        env.pop(name, None)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.server", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        line = _first_line(process, timeout=180)
        if line is None:
            log.flush()
            tail = (folder / "server.log").read_text()[-3000:]
            raise RuntimeError(f"the e2e server did not start; its log ends with:\n{tail}")
        info = json.loads(line)
        yield LiveServer(
            url=f"http://127.0.0.1:{info['port']}",
            public_pages=info["public"],
            facts=info["facts"],
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _first_line(process: subprocess.Popen, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip():
            return line
        if process.poll() is not None:
            break
    return None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_MESSAGE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (no shared cookies), closed at the end of the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900, scale: float = 1):
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def auditor():
    return Auditor()


@pytest.fixture
def make_site(live_server, new_page, auditor):
    """A Site for one visitor: `mode` is "mouse" or "keyboard"; audits pages when `audit`."""

    def make(mode: str = "mouse", audit: bool = True) -> Site:
        page = new_page()
        return Site(page, live_server.url, Driver(page, mode), auditor if audit else None)

    return make


def pytest_terminal_summary(terminalreporter):
    summary = Auditor.session_summary()
    if summary:
        terminalreporter.write_line(summary)
