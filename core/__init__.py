"""The shared kernel: identity, access, audit, outbox, scheduler, and the application factory.

Importing `core` loads nothing else, so that pure modules such as `core.dates` and `core.codes` stay
free of Flask and the database; `create_app` (in `core/app.py`) is imported when it is called.
"""

# The domain packages the app registers (models, web pages, API, commands, jobs, demo data). The
# order is the order of registration only; which package may call which is in docs/ARCHITECTURE.md.
DOMAIN_PACKAGES = ("jobmatch", "training", "quota", "followup", "employment")


def create_app(config: dict | None = None):
    """Build the Flask app; `config` overrides settings (tests pass their database URL and flags)."""
    from core.app import create_app as build

    return build(config)
