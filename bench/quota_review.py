"""Speed of the whole annual quota review (verify, assess, store) against the pure `assess` loop.

Generates N employers (default 100,000) with 2.5 claimed disabled employees each on average, 1% of
the people claimed by two employers, all filed for one data year; then runs `quota.review.run_review`
on SQLite and on PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/quota_bench,
created if missing) and prints filings per second and the ratio to assessing the same filings in memory.

    python -m bench.quota_review [--employers 100000] [--backends sqlite,postgresql] [--repeats 3]

Each submitted filing has its history entry (as save_filing keeps it); after loading, the tables are
vacuumed and analysed, as autovacuum would long have done for rows filed over months.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text

YEAR = 2022
CLAIMS_PER_EMPLOYER = 2.5
DOUBLE_SHARE = 0.01
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/quota_bench"
# `fingerprint` of the results of main's review before its reads, writes and indexes were reworked
# (commit fb7add1), on this module's data, by number of employers (the same on SQLite and
# PostgreSQL): the reworked review must decide and store exactly the same.
REFERENCE: dict[int, str] = {
    20_000: "6cee7999183dbe4c6d0b8a9972a363ef4f23c0e3430311e31248603b0e8e8619",
    100_000: "912e84b956c6b8a2791b88c719b68f882740717b59013959ac80f612dbd3a3d0",
}


def _ensure_pg_database(url: str) -> None:
    """Create the benchmark database when it does not exist yet."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _app(url: str):
    from core import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "DATA_ENCRYPTION_KEY": "bench-key",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
        }
    )


def _reset(db) -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    db.create_all()


def generate(n_employers: int, seed: int = 7) -> dict:
    """Rows for employers, people, filings and claims (claims reference people by blind index)."""
    from core import divisions, identity
    from core.services import cipher

    # Employers spread over the 11 cities (the review's assessment is split by city).
    spread = [divisions.counties(city.code)[0].code for city in divisions.cities()]
    rng = random.Random(seed)
    fc = cipher()
    now = datetime(2023, 5, 10)
    n_claims = int(n_employers * CLAIMS_PER_EMPLOYER)
    n_doubles = int(n_claims * DOUBLE_SHARE)
    n_people = n_claims - n_doubles
    people, indexes = [], []
    for i in range(n_people):
        birth = date(1965 + i % 40, 1 + i % 12, 1 + i % 28)
        level = 1 + i % 4
        id_index, cert_index = fc.blind_index(f"p{i}"), fc.blind_index(f"c{i}")
        indexes.append((id_index, cert_index, level))
        people.append(
            {
                "id_cipher": "-",
                "id_index": id_index,
                "id_masked": "330106********0000",
                "cert_index": cert_index,
                "disability_category": 4,
                "disability_level": level,
                "name": "测试",
                "sex": "M" if i % 2 == 0 else "F",
                "birth_date": birth,
                "county_code": "330106",
            }
        )
    employers, filings, versions, claims = [], [], [], []
    slots = list(range(n_people)) + rng.sample(range(n_people), n_doubles)
    rng.shuffle(slots)
    per = [0] * n_employers
    for _slot in slots:
        per[rng.randrange(n_employers)] += 1
    cursor = 0
    for e in range(n_employers):
        employers.append(
            {
                "id": e + 1,
                "credit_code": identity.make_credit_code(f"91330106MA{e:07d}"),
                "name": f"企业{e}",
                "unit_type": "enterprise" if e % 10 else "public_institution_2",
                "county_code": spread[e % len(spread)],
            }
        )
        headcount = rng.randint(10, 400)
        filings.append(
            {
                "id": e + 1,
                "employer_id": e + 1,
                "data_year": YEAR,
                "status": "submitted",
                "version": 1,
                "source": "bulk",
                "monthly_headcounts": [str(headcount)] * 11 + [str(headcount + e % 3)],
                "wage_total": Decimal(headcount * rng.randint(50, 200) * 1000),
                "submitted_at": now,
            }
        )
        mine = []
        for slot in slots[cursor : cursor + per[e]]:
            id_index, cert_index, level = indexes[slot]
            mine.append(
                {
                    "filing_id": e + 1,
                    "employer_id": e + 1,
                    "data_year": YEAR,
                    "person_index": id_index,
                    "cert_index": cert_index,
                    "cert_masked": "330106**********0000",
                    "level": level,
                    "months": 12 if slot % 5 else 6,
                    "verdict": "pending",
                }
            )
        cursor += per[e]
        claims.extend(mine)
        versions.append(_submitted_version(filings[-1], mine))  # as save_filing keeps it
    return {
        "employers": employers,
        "people": people,
        "filings": filings,
        "versions": versions,
        "claims": claims,
    }


def _submitted_version(filing: dict, claims: list[dict]) -> dict:
    """The history row of a submitted filing (quota.services.filings.snapshot's content)."""
    keys = ("cert_masked", "level", "months", "long_contract", "min_wage", "social_insurance")
    data = {
        "status": "submitted",
        "monthly_headcounts": filing["monthly_headcounts"],
        "wage_total": str(filing["wage_total"]),
        "claims": [
            {**{k: c.get(k, True) for k in keys}, "verdict": "pending", "reason": None}
            for c in claims
        ],
    }
    return {
        "filing_id": filing["id"],
        "version": 1,
        "status": "submitted",
        "data": data,
        "created_at": filing["submitted_at"],
    }


def load(db, rows: dict) -> None:
    from core.models import Employer, Person
    from quota.models import QuotaClaim, QuotaFiling, QuotaFilingVersion

    loaded = (
        (Employer, "employers"),
        (Person, "people"),
        (QuotaFiling, "filings"),
        (QuotaFilingVersion, "versions"),
        (QuotaClaim, "claims"),
    )
    tables = [model.__tablename__ for model, _key in loaded]
    for model, key in loaded:
        data = rows[key]
        for start in range(0, len(data), 20000):
            db.session.execute(insert(model.__table__), data[start : start + 20000])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in tables:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        db.session.commit()
        # The rows of a real year arrive over months, long vacuumed and analysed by the time of the
        # review: done here, so that autovacuum does not work through the fresh load during the run.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.execute(text(f"VACUUM ANALYZE {table}"))
            conn.execute(text("CHECKPOINT"))


def pure_seconds(rows: dict) -> float:
    """Assess the same filings in memory, every claim counted, no verification or storage."""
    from quota.rules.assessment import assess
    from quota.rules.filing import DisabledEmployee, Filing
    from quota.rules.rule_sets import rule_set_for
    from quota.rules.wages import social_average_wage

    rule_set = rule_set_for(YEAR)
    social = social_average_wage(YEAR)
    by_filing: dict[int, list] = {}
    for claim in rows["claims"]:
        by_filing.setdefault(claim["filing_id"], []).append(
            DisabledEmployee(claim["level"], claim["months"])
        )
    start = time.perf_counter()
    for filing, employer in zip(rows["filings"], rows["employers"], strict=True):
        assess(
            Filing(
                unit_type=employer["unit_type"],
                monthly_headcounts=filing["monthly_headcounts"],
                wage_total=filing["wage_total"],
                social_average_wage=social,
                disabled_employees=tuple(by_filing.get(filing["id"], ())),
            ),
            rule_set,
        )
    return time.perf_counter() - start


def fingerprint(db) -> str:
    """A digest of what the review decided and stored: every claim's verdict, reason and dispute
    flag, and every current assessment's figures, explanation basis and findings (not the ids,
    run or times). Equal digests mean identical results, whatever the code or the database."""
    from sqlalchemy import select

    claim, assessment = (db.metadata.tables[name] for name in ("quota_claim", "quota_assessment"))
    digest = hashlib.sha256()
    verdicts = select(claim.c.id, claim.c.verdict, claim.c.reason, claim.c.disputed)
    for row in db.session.execute(verdicts.order_by(claim.c.id)):
        digest.update(repr(tuple(row)).encode())
    columns = [c for c in assessment.columns if c.name not in ("id", "run_id", "created_at")]
    stored = select(*columns).where(assessment.c.current.is_(True)).order_by(assessment.c.filing_id)
    for row in db.session.execute(stored):
        values = [
            json.dumps(v, sort_keys=True, ensure_ascii=False) if isinstance(v, dict | list) else v
            for v in row
        ]
        digest.update(repr(values).encode())
    return digest.hexdigest()


def _enter_social_wage() -> None:
    """The all-units (全口径) figure the review needs is entered by an admin; the bench enters the
    shipped non-private figure as a stand-in (a benchmark figure, not a published one)."""
    from decimal import Decimal

    from quota.rules.wages import social_average_wage
    from quota.services.year_settings import set_year_parameters

    set_year_parameters(YEAR, {"social_average_wage": Decimal(str(social_average_wage(YEAR)))})


def _server_cpu(db):
    """A function giving the CPU seconds used so far by this session's PostgreSQL backend, when the
    server runs on this machine (else None): with the client's CPU time, a load-robust figure."""
    if db.engine.dialect.name != "postgresql":
        return None
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return None

    def seconds() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return seconds


def run_backend(url: str, n_employers: int, expect: str | None = None) -> dict:
    from core.extensions import db
    from quota.services import review
    from quota.services.review import _many_objects, run_review

    app = _app(url)
    with app.app_context():
        _reset(db)
        rows = generate(n_employers)
        load(db, rows)
        with _many_objects():  # the same pause of the cycle collector as the review's
            cpu = time.process_time()
            baseline = pure_seconds(rows)
            baseline_cpu = time.process_time() - cpu
        _enter_social_wage()
        review.PHASE_SECONDS.clear()
        review.PHASE_CPU_SECONDS.clear()
        server_cpu = _server_cpu(db)
        server_start = server_cpu() if server_cpu else None
        cpu = time.process_time()
        start = time.perf_counter()
        summary = run_review(YEAR)
        seconds = time.perf_counter() - start
        client_cpu = time.process_time() - cpu
        server_seconds = server_cpu() - server_start if server_cpu else None
        phases = {name: round(value, 2) for name, value in review.PHASE_SECONDS.items()}
        background = db.engine.dialect.name == "postgresql"  # the writer's own thread (core.bulk)
        main_thread = [
            v
            for k, v in review.PHASE_SECONDS.items()
            if not (background and k in review.WRITER_PHASES)
        ]
        phases["other"] = round(seconds - sum(main_thread), 2)
        phases_cpu = {name: round(value, 2) for name, value in review.PHASE_CPU_SECONDS.items()}
        digest = fingerprint(db)
        db.session.remove()
        db.engine.dispose()
    if expect is not None:  # the results of the code before the change, on the same data
        assert digest == expect, f"results differ from the reference: {digest} != {expect}"
    figures = {
        "employers": n_employers,
        "claims": len(rows["claims"]),
        "review_seconds": round(seconds, 2),
        "filings_per_second": round(n_employers / seconds, 1),
        "pure_assess_seconds": round(baseline, 2),
        "ratio_to_pure_assess": round(seconds / baseline, 2),
        # Parts, wall clock: verify_load (selects and the pure checks), verify_store (the claim
        # updates), assess_load (its selects), assess (the pure assessment and the rows to store),
        # store (assessments COPY and filing updates); other: the rest of the wall time. On
        # PostgreSQL verify_store and store run on the writer's thread, beside the other parts
        # (core.bulk.writer), so the parts add up to more than the whole.
        "phase_seconds": phases,
        # The same parts in CPU time of their thread (the rest of the wall time is the database's
        # work, or waiting for a core on a busy machine).
        "phase_cpu_seconds": phases_cpu,
        "review_cpu_seconds": {
            "client": round(client_cpu, 2),
            "server": None if server_seconds is None else round(server_seconds, 2),
        },
        "pure_assess_cpu_seconds": round(baseline_cpu, 2),
        "results_fingerprint": digest,
        "results_equal_reference": None if expect is None else True,
        "summary": summary,
    }
    if server_seconds is not None:
        figures["cpu_ratio_to_pure_assess"] = round((client_cpu + server_seconds) / baseline_cpu, 2)
    return figures


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="do not compare the results with those of the code before the set-based rewrite",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="runs per backend (data loaded afresh each time); the figures are the fastest run's, "
        "every run's review and pure seconds are listed, and the ratio of the fastest review to "
        "the fastest pure loop is given (noise on a shared machine only ever adds time)",
    )
    args = parser.parse_args(argv)
    results = {}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            path = Path(tempfile.mkdtemp(prefix="quota-bench-")) / "bench.db"
            url = f"sqlite:///{path}"
        else:
            raw = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
            _ensure_pg_database(raw)
            url = raw.replace("postgresql://", "postgresql+psycopg://", 1)
        expect = None if args.no_check else REFERENCE.get(args.employers)
        runs = [run_backend(url, args.employers, expect) for _ in range(max(1, args.repeats))]
        best = min(runs, key=lambda run: run["review_seconds"])
        best["runs"] = [
            {k: run[k] for k in ("review_seconds", "pure_assess_seconds", "ratio_to_pure_assess")}
            for run in runs
        ]
        best["ratio_fastest_review_to_fastest_pure"] = round(
            best["review_seconds"] / min(run["pure_assess_seconds"] for run in runs), 2
        )
        results[backend] = best
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
