"""How long a password-reset request takes for an existing account (a code is made and queued)
and for an unknown name (nothing is written), without and with the padding
(PASSWORD_RESET_MIN_SECONDS), interleaved in one run on a scratch SQLite database.

    python -m bench.reset_timing [--repeats 40]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args(argv)
    from flask_migrate import upgrade

    from core import create_app
    from core.auth import hash_password
    from core.extensions import db
    from core.models import User

    folder = Path(tempfile.mkdtemp(prefix="reset-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench",
            "DATA_ENCRYPTION_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_RESET": "100000 per minute",
            "RATELIMIT_RESET_ACCOUNT": "100000 per minute",
        }
    )
    with app.app_context():
        upgrade(revision="heads")
        db.session.add(
            User(
                username="known",
                password_hash=hash_password("x" * 12),
                role="admin",
                email="known@example.org",
            )
        )
        db.session.commit()
    client = app.test_client()
    result = {}
    for floor in (0.0, app.config["PASSWORD_RESET_MIN_SECONDS"]):
        app.config["PASSWORD_RESET_MIN_SECONDS"] = floor
        times = {"known": [], "unknown": []}
        for _ in range(args.repeats):
            for name in ("known", "unknown"):
                started = time.perf_counter()
                client.post("/password/forgot", data={"username": name, "channel": "email"})
                times[name].append(time.perf_counter() - started)
        key = f"floor_{floor:g}s"
        result[key] = {name: _median_ms(values) for name, values in times.items()}
        result[key]["difference_ms"] = round(result[key]["known"] - result[key]["unknown"], 2)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
