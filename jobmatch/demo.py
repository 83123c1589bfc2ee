"""Demo records of matching: posts across the province, seeker profiles, past referral outcomes,
learned weights and one batch run. Idempotent: each part is skipped when its table has rows.

The behavioural model of the demo's referral outcomes
-----------------------------------------------------
Each seeker with a profile is referred to one of their 30 best posts under the default weights
(picked at random, so that referrals vary in fit, distance and pay, as counselors' do). Whether the
referral ends in a hire is drawn with the probability

    P(hire) = 1 / (1 + exp(-z)),
    z = -4.2 + 3.0 skills + 2.0 distance + 1.2 salary + 0.8 work_mode + 0.6 education
        + 0.4 employer_need + 0.6 accommodation

where skills, distance, salary, work_mode, education and employer_need are the matcher's factor
values of the pair (each in [0, 1]: skill coverage, nearness by travel tier, pay against the wish,
fit of the work mode, education against the minimum, the employer's quota shortfall) and
``accommodation`` is 1 when the employer offers an accommodation that closes one of the seeker's
functional gaps. Skills, distance and pay matter most, as counselors report; the weights learned
from these outcomes therefore look like what a province would learn, not a flat set. The
coefficients are the demo's stated assumption (``HIRE_MODEL``), not a measurement. Each referral
keeps the snapshot of the seeker and the post at the time (learning trains on it, not on the state
after the hire).

Default commute limits (an administrator's parameter, per disability level and travel mode)
-----------------------------------------------------------------------------------------------
No rule gives them, so the code ships none. The demo seeds ``DEMO_COMMUTE_KM`` as the
administrator's table, marked on the admin page as example values of the demo, not a finding:
a shorter reach on foot or by wheelchair and for the more severe levels, the city (30 km) by public
or accessible transport for levels 1-2, a neighbouring city (80 km) by own vehicle for levels 3-4.
A demo seeker's travel mode is drawn per person (one in five not recorded).
"""

import csv
import math
import random
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func, insert, select, update

from core.extensions import db
from core.models import Employer, Person, User, utcnow
from jobmatch.engine.accessibility import default_profile, validate_post_requirements
from jobmatch.engine.explain import bridged_accommodations
from jobmatch.engine.factors import FACTORS
from jobmatch.engine.geography import TRAVEL_MODES
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.snapshot import pair_snapshot
from jobmatch.models import JobPost, MatchPostChange, Referral, SeekerProfile
from jobmatch.services import batch, learning
from jobmatch.services.matching import (
    commute_setting,
    employer_shortfalls,
    post_of,
    seeker_of,
    set_commute_table,
)
from jobmatch.services.records import map_skills

SEED = 4404
POST_COUNT = 320
REFERRAL_POOL = 30  # a referral goes to one of the seeker's this many best posts
# The demo's behavioural model of a hire (log-odds), see the module docstring.
HIRE_MODEL = {
    "intercept": -4.2,
    "skills": 3.0,
    "distance": 2.0,
    "salary": 1.2,
    "work_mode": 0.8,
    "education": 0.6,
    "employer_need": 0.4,
    "accommodation": 0.6,
}
# Example values (km) for the demo's administrator table, see the module docstring.
DEMO_COMMUTE_KM = {
    1: {"on_foot": 5, "public_transport": 30, "accessible_transport": 30, "own_vehicle": 30},
    2: {"on_foot": 5, "public_transport": 30, "accessible_transport": 30, "own_vehicle": 50},
    3: {"on_foot": 10, "public_transport": 50, "accessible_transport": 50, "own_vehicle": 80},
    4: {"on_foot": 10, "public_transport": 80, "accessible_transport": 80, "own_vehicle": 80},
}
DEMO_JOBS_CSV = Path(__file__).resolve().parent / "data" / "demo_jobs.csv"
# Rural work the plan names (planting, breeding, handicrafts, processing for supplied materials,
# selling farm produce online), one post each in a rural county (the CSV's county_code).
DEMO_RURAL_JOBS_CSV = DEMO_JOBS_CSV.with_name("demo_rural_jobs.csv")
# Seekers of the rural demo posts' counties whose profiles are written in their own words about
# rural work: in each county, the first unemployed person wishing to work gets the phrase.
RURAL_PHRASES = (
    ("330127", "在家养鸡三年，会种茶"),  # 淳安: the tea garden post
    ("331124", "养鸭养鹅，会种菜"),  # 松阳: the poultry post
    ("330523", "会编竹篮，做过草编"),  # 安吉: the bamboo weaving post
    ("331127", "在来料加工点做过串珠"),  # 景宁: home-based outwork
    ("330328", "帮村里在网上卖土特产，会拍短视频"),  # 文成: farm produce online
    ("330824", "种过香菇，也种茶"),  # 开化: the mushroom post
)


class DemoJob(NamedTuple):
    """A kind of job the demo posts: what it asks, what it offers, how it pays."""

    title: str
    skills: list[str]
    functions: dict[str, int]  # functional demand levels
    accommodations: list[str]
    work_mode: str
    pay: tuple[int, int]
    education: str


@cache
def demo_jobs() -> tuple[DemoJob, ...]:
    """The demo's job kinds from data/demo_jobs.csv (space-separated lists, `function:level`)."""
    with DEMO_JOBS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(_demo_job(row) for row in csv.DictReader(handle))


def _demo_job(row: dict) -> DemoJob:
    """One row of a demo jobs file (space-separated lists, `function:level`)."""
    return DemoJob(
        title=row["title"],
        skills=row["skills"].split(),
        functions={
            name: int(level)
            for name, level in (pair.split(":") for pair in row["functions"].split())
        },
        accommodations=row["accommodations"].split(),
        work_mode=row["work_mode"],
        pay=(int(row["pay_min"]), int(row["pay_max"])),
        education=row["education"],
    )


def demo_rural_jobs() -> list[tuple[DemoJob, str]]:
    """The rural demo jobs and the county of each (data/demo_rural_jobs.csv)."""
    with DEMO_RURAL_JOBS_CSV.open(encoding="utf-8", newline="") as handle:
        return [(_demo_job(row), row["county_code"]) for row in csv.DictReader(handle)]


def _rural_post_rows(employers: list[Employer]) -> list[dict]:
    """One open post per rural demo job, at an employer of its city (else the first employer)."""
    today, rows = date.today(), []
    for job, county in demo_rural_jobs():
        employer = next((e for e in employers if e.county_code[:4] == county[:4]), employers[0])
        rows.append(
            {
                "employer_id": employer.id,
                "title": job.title,
                "description": f"{employer.name}在{county}招聘{job.title}（农村就业岗位）。",
                "skills": list(job.skills),
                "min_education": job.education,
                "county_code": county,
                "address": "",
                "salary_min": job.pay[0],
                "salary_max": job.pay[1],
                "work_mode": job.work_mode,
                "positions": 3,
                "filled": 0,
                "functions": validate_post_requirements(job.functions, job.accommodations),
                "accommodations": sorted(job.accommodations),
                "status": "open",
                "opens_on": today - timedelta(days=10),
                "closes_on": today + timedelta(days=90),
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
    return rows


def _rural_profiles(rows: list[dict], people: list[Person]) -> None:
    """In each rural demo county, the first unemployed seeker's profile in their own words."""
    county = {p.id: p.county_code for p in people if p.employment_type == "unemployed"}
    for code, phrase in RURAL_PHRASES:
        row = next((r for r in rows if county.get(r["person_id"]) == code), None)
        if row is not None:
            row["skills_text"] = phrase
            row["skills"] = map_skills(phrase)


SKILLS_BY_MAJOR = {
    "计算机科学与技术": ["python", "software_testing", "computer_operation"],
    "电子商务": ["ecommerce_customer_service", "online_store_operation", "livestream_selling"],
    "会计学": ["bookkeeping", "accounting", "excel"],
    "视觉传达设计": ["graphic_design", "photoshop", "typesetting"],
    "针灸推拿学": ["blind_massage", "acupressure", "health_massage"],
    "软件工程": ["software_testing", "java", "web_frontend"],
    "市场营销": ["online_promotion", "telemarketing", "customer_relationship"],
    "工商管理": ["clerk", "office_software", "administrative_assistant"],
    "康复治疗学": ["rehabilitation_assistant", "elderly_care", "medical_massage"],
    "汉语言文学": ["copywriting", "proofreading", "clerk"],
    "动画": ["animation", "video_editing", "illustration"],
    "数据科学": ["data_analysis", "python", "data_labelling"],
}
MODES = ("full_time", "part_time", "flexible", "home_based")


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _post_rows(rng: random.Random, employers: list[Employer]) -> list[dict]:
    today, rows = date.today(), []
    for i in range(POST_COUNT):
        jobs = demo_jobs()
        title, skills, functions, accommodations, mode, (low, high), education = jobs[i % len(jobs)]
        employer = employers[(i * 13) % len(employers)]
        functions = validate_post_requirements(functions, accommodations)
        positions = rng.choice((1, 1, 2, 3, 5))
        status = "closed" if i % 17 == 0 else "open"
        rows.append(
            {
                "employer_id": employer.id,
                "title": title,
                "description": f"{employer.name}招聘{title}，欢迎有意向的求职者报名。",
                "skills": rng.sample(skills, k=min(len(skills), rng.choice((2, 3)))),
                "min_education": education,
                "county_code": employer.county_code,
                "address": f"{employer.name}办公区",
                "salary_min": low,
                "salary_max": high,
                "work_mode": mode,
                "positions": positions,
                "filled": positions if i % 23 == 0 else 0,
                "functions": functions,
                "accommodations": sorted(
                    rng.sample(
                        accommodations,
                        k=min(
                            len(accommodations),
                            max(1, len(accommodations) - rng.choice((0, 0, 1))),
                        ),
                    )
                ),
                "status": status,
                "opens_on": today - timedelta(days=rng.randint(5, 90)),
                "closes_on": today + timedelta(days=rng.randint(10, 120)),
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
    return rows


def _seed_posts(rng: random.Random) -> int:
    if _count(JobPost):
        return 0
    employers = list(db.session.scalars(select(Employer).order_by(Employer.id)))
    if not employers:
        return 0
    first = [e for e in employers if e.unit_type == "enterprise"][:2]
    rows = _post_rows(rng, first + employers) + _rural_post_rows(employers)
    db.session.execute(insert(JobPost), rows)
    # A bulk insert bypasses the flush listener: log the new posts for running workers.
    ids = db.session.scalars(select(JobPost.id)).all()
    db.session.execute(
        insert(MatchPostChange), [{"post_id": i, "changed_at": utcnow()} for i in ids]
    )
    return len(rows)


def _profile_row(rng: random.Random, person: Person) -> dict:
    other = rng.choice(demo_jobs()).skills
    skills = list(SKILLS_BY_MAJOR.get(person.major or "", other))
    skills = rng.sample(skills, k=min(len(skills), rng.choice((2, 3))))
    base = default_profile(person.disability_category, person.disability_level)
    functions = {}
    if rng.random() < 0.1:  # a counselor raised one capacity after talking with the person
        limited = [f for f, v in base.capacities if v < 3]
        if limited:
            functions = {limited[0]: base.can_meet(limited[0]) + 1}
    return {
        "person_id": person.id,
        "skills": skills,
        "skills_text": "、".join(skills),
        "preferred_modes": rng.sample(MODES, k=rng.choice((1, 2))),
        "min_salary": rng.choice((0, 3000, 3500, 4000, 5000)),
        "preferred_counties": [],
        "max_commute_km": rng.choice((None, 30.0, 80.0, 150.0)),
        "travel_mode": _travel_mode(person),
        "functions": functions,
        "functions_adjusted": bool(functions),
        "accessibility_needs": [],
        "active": True,
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }


def _travel_mode(person: Person) -> str | None:
    """A demo seeker's usual travel mode, drawn per person (its own generator: the rest of the demo
    draws the same as before); one in five not recorded."""
    draw = random.Random(SEED * 7919 + person.id)
    if draw.random() < 0.2:
        return None
    return draw.choice(TRAVEL_MODES)


def _seed_commute() -> int:
    """The administrator's default commute table, with the demo's example values (once)."""
    if commute_setting() is not None:
        return 0
    values = {
        f"level_{level}_{mode}": km
        for level, row in DEMO_COMMUTE_KM.items()
        for mode, km in row.items()
    }
    set_commute_table(None, values, source="demo_example")
    return 1


def _seed_profiles(rng: random.Random) -> int:
    if _count(SeekerProfile):
        return 0
    people = db.session.scalars(
        select(Person).where(Person.wish_to_work.is_(True)).order_by(Person.id)
    ).all()
    rows = [_profile_row(rng, p) for p in people]
    _rural_profiles(rows, people)
    if rows:
        db.session.execute(insert(SeekerProfile), rows)
    return len(rows)


def _seekers_to_refer() -> list:
    """The demo graduates first (so their pages show a referral), then other unemployed seekers."""
    graduates = set(
        db.session.scalars(select(User.person_id).where(User.role == "graduate")).all()
    ) - {None}
    rows = db.session.execute(
        select(Person, SeekerProfile)
        .join(SeekerProfile, SeekerProfile.person_id == Person.id)
        .where(Person.employment_type == "unemployed")
        .order_by(Person.id)
        .limit(260)
    ).all()
    extra = db.session.execute(
        select(Person, SeekerProfile)
        .join(SeekerProfile, SeekerProfile.person_id == Person.id)
        .where(Person.id.in_(graduates))
    ).all()
    rest = [r for r in rows if r[0].id not in graduates]
    return list(extra) + rest


def _referral_row(person, post_id, status, counselor_id, consented, now, snapshot=None) -> dict:
    days = lambda n: (now - timedelta(days=n)).isoformat(timespec="seconds")  # noqa: E731
    history = [{"status": "referred", "at": days(60), "by": "counselor"}]
    if status != "referred":
        history.append({"status": status, "at": days(20), "by": "counselor"})
    final = status in ("hired", "not_hired", "declined")
    return {
        "person_id": person.id,
        "post_id": post_id,
        "counselor_id": counselor_id,
        "status": status,
        "seeker_consented": consented,
        "seeker_interested": True,
        "reason": "岗位要求与本人意愿不符" if status in ("not_hired", "declined") else "",
        "factors": {},
        "snapshot": snapshot,
        "history": history,
        "outcome_at": now - timedelta(days=20) if final else None,
        "created_at": now - timedelta(days=60),
        "updated_at": now - timedelta(days=20),
    }


def _seed_referrals(rng: random.Random) -> int:
    """Past referrals with outcomes: the better the match, the likelier the hire.

    The demo graduates get an open referral; the demo employer gets a few, two with consent.
    """
    if _count(Referral):
        return 0
    counselors = dict(
        db.session.execute(select(User.county_code, User.id).where(User.role == "counselor")).all()
    )
    posts = list(
        db.session.scalars(select(JobPost).where(JobPost.status == "open").order_by(JobPost.id))
    )
    rows = _seekers_to_refer()
    if not posts or not rows:
        return 0
    graduates = set(db.session.scalars(select(User.person_id).where(User.role == "graduate")))
    demo_employer = db.session.scalar(select(User.employer_id).where(User.username == "employer1"))
    showcase = [p.id for p in posts if p.employer_id == demo_employer]
    short = employer_shortfalls({p.employer_id for p in posts})
    engine_posts = {p.id: post_of(p, short.get(p.employer_id, 0.0)) for p in posts}
    seekers = [seeker_of(p, f) for p, f in rows]
    ranking = Matcher().fit(list(engine_posts.values())).rank_many(seekers, k=REFERRAL_POOL)
    now, out = utcnow(), []
    for i, (person, _profile) in enumerate(rows):
        ids = ranking.post_ids(i)
        if not ids:
            continue
        rank = rng.randrange(len(ids))
        values = dict(zip(FACTORS, map(float, ranking.factor_values[i][rank]), strict=True))
        bridged = bool(bridged_accommodations(seekers[i], engine_posts[ids[rank]]))
        status = _outcome(rng, hire_probability(values, bridged), i)
        post_id, consented = ids[rank], rng.random() < 0.6
        if person.id in graduates:
            status, consented = "referred", False
        elif showcase and len(out) < len(graduates) + 4:
            post_id, status, consented = showcase[0], "referred", len(out) % 2 == 0
        counselor_id = counselors.get(person.county_code)
        snapshot = pair_snapshot(seekers[i], engine_posts[post_id])
        out.append(_referral_row(person, post_id, status, counselor_id, consented, now, snapshot))
    db.session.execute(insert(Referral), out)
    _employ_hired(out, posts)
    return len(out)


def _employ_hired(rows: list[dict], posts: list[JobPost]) -> None:
    """A past hire is employed now, by the post's work mode, and fills one seat."""
    by_id = {p.id: p for p in posts}
    for row in rows:
        if row["status"] != "hired":
            continue
        post = by_id[row["post_id"]]
        mode = {"full_time": "full_time", "home_based": "home_based"}.get(
            post.work_mode, "flexible"
        )
        db.session.execute(
            update(Person)
            .where(Person.id == row["person_id"])
            .values(employment_type=mode, employed_since=row["outcome_at"].date())
        )
        post.filled = min(post.positions, post.filled + 1)


def hire_probability(values: dict[str, float], accommodation: bool) -> float:
    """The demo's behavioural model: the chance that a referral ends in a hire."""
    z = HIRE_MODEL["intercept"] + HIRE_MODEL["accommodation"] * accommodation
    z += sum(HIRE_MODEL[f] * values[f] for f in FACTORS if f in HIRE_MODEL)
    return 1.0 / (1.0 + math.exp(-z))


def _outcome(rng: random.Random, chance: float, i: int) -> str:
    if i % 9 == 0:
        return rng.choice(("referred", "interviewed"))
    if rng.random() < chance:
        return "hired"
    return "declined" if rng.random() < 0.2 else "not_hired"


def seed_demo() -> dict:
    """Posts, profiles, referral outcomes, learned weights and a batch run (skipped when present)."""
    rng = random.Random(SEED)
    commute = _seed_commute()
    posts = _seed_posts(rng)
    profiles = _seed_profiles(rng)
    db.session.flush()
    referrals = _seed_referrals(rng)
    db.session.commit()
    learned = learning.retrain() if referrals else None
    run = batch.run() if posts or referrals else None
    return {
        "default commute table": commute,
        "job posts": posts,
        "seeker profiles": profiles,
        "referrals": referrals,
        "learned weights": 1 if learned and learned.stored else 0,
        "match results": batch.result_count(run) if run else 0,
    }
