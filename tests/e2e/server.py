"""A live server for the browser tests: fresh SQLite, real migrations, the demo seed, CSRF on.

Run as `python -m tests.e2e.server <folder>`; prints one JSON line (port and public pages) once it
listens, then serves until terminated. A separate process keeps the app's globals (limiter, API
spec) apart from the in-process test apps and lets the browser and server run on both cores.
"""

import json
import os
import sys
from pathlib import Path


def public_get_pages(app) -> list[str]:
    """Paths of public GET routes without URL parameters (marked `anonymous` on the view)."""
    pages = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        public = "anonymous" in getattr(view, "allowed_roles", ())
        if public and "GET" in rule.methods and not rule.arguments:
            pages.append(rule.rule)
    return sorted(pages)


def demo_facts() -> dict:
    """Facts the journeys need: a seeker of the demo counselor's county with a unique name."""
    from sqlalchemy import func, select

    from core.demo import COUNSELOR_COUNTIES, DEMO_PASSWORD
    from core.extensions import db
    from core.models import Person

    county = COUNSELOR_COUNTIES["counselor"]
    unique = (
        select(Person.name)
        .where(Person.county_code == county)
        .group_by(Person.name)
        .having(func.count() == 1)
    )
    person = db.session.scalar(
        select(Person)
        .where(Person.county_code == county, Person.name.in_(unique))
        .order_by(Person.id)
    )
    return {
        "password": DEMO_PASSWORD,
        "county": county,
        "seeker": {
            "id": person.id,
            "name": person.name,
            "initials": person.name_initials,
            "cert_masked": person.cert_masked,
        },
        "employer": _employer_facts(),
        "graduate": _graduate_facts(),
        "counselor_filing": _counselor_filing(county),
    }


def _counselor_filing(county: str) -> int | None:
    """A filing of the demo counselor's county with an accepted claim and no nominal-hire finding yet."""
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Employer

    try:
        from quota.models import NominalHireFinding, QuotaClaim, QuotaFiling
    except ImportError:  # the quota package is not there
        return None
    return db.session.scalar(
        select(QuotaFiling.id)
        .join(Employer, Employer.id == QuotaFiling.employer_id)
        .join(QuotaClaim, QuotaClaim.filing_id == QuotaFiling.id)
        .where(Employer.county_code == county, QuotaClaim.verdict == "accepted")
        .where(QuotaFiling.employer_id.not_in(select(NominalHireFinding.employer_id)))
        .order_by(QuotaFiling.id)
    )


def _employer_facts() -> dict:
    """The demo employer `employer1`: its name, the data year it files, a certificate it claims."""
    from datetime import date

    from core.extensions import db
    from core.models import Employer, User

    user = db.session.scalar(db.select(User).where(User.username == "employer1"))
    employer = db.session.get(Employer, user.employer_id) if user else None
    if employer is None:
        return {}
    facts = {"id": employer.id, "name": employer.name, "year": date.today().year - 1}
    try:
        from quota.services import filings as services
    except ImportError:  # the quota package is not there
        return facts
    filing = services.filing_for(employer.id, facts["year"])
    claims = list(filing.claims) if filing is not None else []
    if claims:
        facts["certificate"] = services.certificate_of(claims[0])
        facts["status"] = filing.status
    return facts


def _graduate_facts() -> dict:
    from core.extensions import db
    from core.models import Person, User

    user = db.session.scalar(db.select(User).where(User.username == "graduate1"))
    person = db.session.get(Person, user.person_id) if user and user.person_id else None
    if person is None:
        return {}
    return {"id": person.id, "name": person.name, "courses": _open_courses(person)}


def _open_courses(person, count: int = 6) -> list[int]:
    """Courses open for enrolment, with seats, that the person has not enrolled in (by id)."""
    from datetime import date

    try:
        from training.models import Course, Enrolment
        from training.services import enrolment_closed_reason
    except ImportError:  # the training package is not there
        return []
    from core.extensions import db

    taken = db.select(Enrolment.course_id).where(Enrolment.person_id == person.id)
    courses = db.session.scalars(
        db.select(Course)
        .where(Course.id.not_in(taken), Course.seats_taken < Course.seats)
        .order_by(Course.id)
    )
    today = date.today()
    return [c.id for c in courses if enrolment_closed_reason(c, today) is None][:count]


def main(folder: str) -> None:
    base = Path(folder)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{base / 'e2e.db'}")
    os.environ.setdefault("INSTANCE_PATH", str(base / "instance"))
    os.environ.setdefault("RATELIMIT_LOGIN", "1000 per minute")
    for name in ("RATELIMIT_RESET", "RATELIMIT_RESET_ACCOUNT", "RATELIMIT_REGISTER"):
        os.environ.setdefault(name, "1000 per minute")  # every journey comes from 127.0.0.1
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from core import create_app
    from core.cli import seed_demo_data

    app = create_app()
    # The journeys file quota reviews whatever today's date: keep the filing window open.
    app.config["QUOTA_FILING_WINDOW"] = "open"
    with app.app_context():
        upgrade(revision="heads")
        seed_demo_data()
        facts = demo_facts()
    # Journeys that need what the outbox sent (a reset code, an invitation link) read it here.
    facts["database"] = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    info = {"port": server.server_port, "public": public_get_pages(app), "facts": facts}
    print(json.dumps(info, ensure_ascii=False), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
