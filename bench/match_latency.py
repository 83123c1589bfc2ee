"""Latency of GET /api/v1/seekers/{id}/matches on the demo data: warm, after a post edit, after a start.

A worker keeps one fitted matcher over every non-draft post (jobmatch.services.matching): after a
start it builds it (the vocabulary's text model included); after a post edit it applies the logged
change in place; warm requests reuse it. Flask test client, demo data: the database given by
--database (seeded with `flask --app wsgi db upgrade heads && flask --app wsgi seed-demo`), else a
SQLite database in a temporary folder, migrated and seeded here first.
Goal: p95 < 300 ms after an edit, < 2 s after a start.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np


def _percentiles(samples: list[float]) -> dict:
    ms = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "n": len(ms),
    }


def _seeded_sqlite() -> str:
    """A new SQLite demo database: the migrations, then the demo seed (about a minute)."""
    from flask_migrate import upgrade

    from core import create_app
    from core.cli import seed_demo_data

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='match-latency-')) / 'demo.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        seed_demo_data()
    return url


def main(argv=None) -> dict:
    """Run the measurement and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DEMO_DATABASE_URL", ""),
        help="a seeded demo database (default: a new SQLite one, seeded first)",
    )
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--username", default="counselor")
    parser.add_argument("--password", default="Demo2026!")
    args = parser.parse_args(argv)
    if not args.database:
        args.database = _seeded_sqlite()
    os.environ["DATABASE_URL"] = args.database

    from sqlalchemy import select

    from core import create_app
    from core.extensions import db
    from core.models import Person, User
    from jobmatch.engine import features
    from jobmatch.models import JobPost
    from jobmatch.services import matching

    app = create_app()
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": args.username, "password": args.password}
    )
    if token.status_code != 200:
        raise SystemExit(
            f"cannot log in as {args.username}: is {args.database} a seeded demo database?"
        )
    headers = {"Authorization": f"Bearer {token.json['access_token']}"}
    with app.app_context():
        county = db.session.scalar(select(User.county_code).where(User.username == args.username))
        people = list(
            db.session.scalars(
                select(Person.id)
                .where(Person.county_code == county, Person.wish_to_work.is_(True))
                .limit(args.repeats)
            )
        )
        post_id = db.session.scalar(
            select(JobPost.id).where(JobPost.status == "open").order_by(JobPost.id)
        )
    if not people:
        raise SystemExit("no seekers in the counselor's county")

    def get(pid: int) -> float:
        start = time.perf_counter()
        response = client.get(f"/api/v1/seekers/{pid}/matches", headers=headers)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return elapsed

    def edit(step: int) -> None:
        with app.app_context():
            post = db.session.get(JobPost, post_id)
            post.salary_max = post.salary_max + (1 if step % 2 == 0 else -1)
            db.session.commit()

    after_start, after_edit, warm = [], [], []
    for i in range(args.repeats):
        matching._LIVE.clear()
        features._TEXT_MODELS.clear()
        after_start.append(get(people[i % len(people)]))
    for i in range(args.repeats):
        edit(i)
        after_edit.append(get(people[i % len(people)]))
    if args.repeats % 2:
        edit(1)  # leave the demo post as it was
    for i in range(args.repeats):
        warm.append(get(people[i % len(people)]))
    with app.app_context():
        posts = len(matching.live_matcher().posts_)
    figures = {
        "posts": posts,
        "after_start": _percentiles(after_start),
        "after_edit": _percentiles(after_edit),
        "warm": _percentiles(warm),
        "goal": {"after_edit_p95_ms": 300, "after_start_p95_ms": 2000},
    }
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
