"""Effectiveness runs and the public notice (公示): stored evaluations, listings and exports.

A service module: it loads enrolments with the people's employment records, calls the pure
evaluation, stores the results with their intervals, and builds the public (non-personal) listing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from core import audit, divisions, listing
from core.codes import in_work
from core.extensions import db
from core.models import Person, utcnow
from jobmatch.interface import default_vocabulary
from training import evaluation as ev
from training.labels import comparison_name
from training.models import Course, CourseEvaluation, Enrolment, Provider


def evaluation_records() -> list[ev.EnrolmentRecord]:
    """Every enrolment as the evaluation needs it: course, provider, outcome, employment."""
    stmt = (
        select(Enrolment, Course.provider_id, Person.employment_type, Person.employed_since)
        .join(Course, Enrolment.course_id == Course.id)
        .join(Person, Enrolment.person_id == Person.id)
        .order_by(Enrolment.id)
    )
    records = []
    for enrolment, provider_id, employment_type, employed_since in db.session.execute(stmt):
        employed = in_work(employment_type)
        completed = enrolment.status in ev.COMPLETED
        records.append(
            ev.EnrolmentRecord(
                course_id=str(enrolment.course_id),
                provider_id=str(provider_id),
                status=enrolment.status,
                completed_on=(enrolment.completed_on or enrolment.applied_on)
                if completed
                else None,
                certificate=enrolment.certificate,
                employed_since=employed_since if employed else None,
            )
        )
    return records


def _row(scope: str, subject_id: int, group: ev.GroupEvaluation, as_of: date) -> CourseEvaluation:
    def parts(rate: ev.Rate):
        low, high = rate.interval or (None, None)
        return rate.numerator, rate.count, rate.rate, low, high

    c, cn, cr, cl, ch = parts(group.completion)
    s, sn, sr, sl, sh = parts(group.certificate)
    e, en, er, el, eh = parts(group.employment_6m)
    return CourseEvaluation(
        as_of=as_of,
        scope=scope,
        subject_id=subject_id,
        course_id=subject_id if scope == "course" else None,
        provider_id=subject_id if scope == "provider" else None,
        enrolled=group.enrolled,
        completed=c,
        concluded=cn,
        completion_rate=cr,
        completion_low=cl,
        completion_high=ch,
        certified=s,
        certificate_rate=sr,
        certificate_low=sl,
        certificate_high=sh,
        employed_6m=e,
        employment_due=en,
        employment_rate=er,
        employment_low=el,
        employment_high=eh,
        computed_at=utcnow(),
    )


def run_evaluation(as_of: date | None = None, actor=None) -> ev.Evaluation:
    """Recompute every course's and provider's rates as of a day and store them (replacing that day's)."""
    as_of = as_of or date.today()
    result = ev.evaluate(evaluation_records(), as_of)
    db.session.execute(delete(CourseEvaluation).where(CourseEvaluation.as_of == as_of))
    rows = [_row("course", int(k), g, as_of) for k, g in result.by_course.items()]
    rows += [_row("provider", int(k), g, as_of) for k, g in result.by_provider.items()]
    rows.append(_row("province", 0, result.province, as_of))
    db.session.add_all(rows)
    summary = {
        "as_of": as_of.isoformat(),
        "courses": len(result.by_course),
        "providers": len(result.by_provider),
        "enrolments": result.province.enrolled,
    }
    audit.record("evaluate", "course_evaluation", None, summary, actor=actor)
    db.session.commit()
    return result


def latest_as_of() -> date | None:
    return db.session.scalar(select(func.max(CourseEvaluation.as_of)))


def latest_rows(as_of: date | None = None) -> dict:
    """The stored rows of the latest (or given) run: {"course": {id: row}, "provider": ..., "province": row}."""
    as_of = as_of or latest_as_of()
    found: dict = {"course": {}, "provider": {}, "province": None, "as_of": as_of}
    if as_of is None:
        return found
    for row in db.session.scalars(select(CourseEvaluation).where(CourseEvaluation.as_of == as_of)):
        if row.scope == "province":
            found["province"] = row
        else:
            found[row.scope][row.subject_id] = row
    return found


@dataclass(frozen=True)
class Figure:
    """One stored rate as shown in the notice: counts, rate, interval, comparison."""

    numerator: int
    count: int
    rate: float | None
    low: float | None
    high: float | None
    comparison: str

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def interval(self) -> str:
        return "—" if self.low is None else f"{self.low * 100:.1f}%–{self.high * 100:.1f}%"


METRICS = {
    "completion": ("completed", "concluded", "completion"),
    "certificate": ("certified", "completed", "certificate"),
    "employment": ("employed_6m", "employment_due", "employment"),
}


def figures(row: CourseEvaluation | None, province: CourseEvaluation | None) -> dict[str, Figure]:
    """The three figures of a stored row, each compared with the province average."""
    out = {}
    for metric, (num, count, prefix) in METRICS.items():
        if row is None:
            out[metric] = Figure(0, 0, None, None, None, "unknown")
            continue
        rate = getattr(row, f"{prefix}_rate")
        low, high = getattr(row, f"{prefix}_low"), getattr(row, f"{prefix}_high")
        stored = ev.Rate(
            getattr(row, num), getattr(row, count), rate, None if low is None else (low, high)
        )
        average = getattr(province, f"{prefix}_rate") if province is not None else None
        comparison = ev.compare_to_average(stored, ev.Rate(0, 0, average, None))
        out[metric] = Figure(stored.numerator, stored.count, rate, low, high, comparison)
    return out


def notice(q: str = "", county_code: str = "") -> dict:
    """The public notice: providers and courses (no personal data) with their latest rates."""
    stored = latest_rows()
    province = stored["province"]
    providers = _notice_providers(q, county_code)
    courses = _notice_courses(q, county_code)
    return {
        "as_of": stored["as_of"],
        "province": figures(province, province) if province else None,
        "province_enrolled": province.enrolled if province else 0,
        "providers": [(p, figures(stored["provider"].get(p.id), province)) for p in providers],
        "courses": [(c, figures(stored["course"].get(c.id), province)) for c in courses],
    }


def _notice_providers(q: str, county_code: str) -> list[Provider]:
    stmt = (
        select(Provider)
        .where(Provider.active.is_(True))
        .order_by(Provider.county_code, Provider.id)
    )
    if q:
        stmt = stmt.where(
            or_(
                Provider.name.contains(q),
                Provider.credit_code == q.upper(),
                Provider.id.in_(select(Course.provider_id).where(Course.title.contains(q))),
            )
        )
    if county_code:
        stmt = stmt.where(
            Provider.county_code.startswith(county_code[:4])
            if county_code.endswith("00")
            else Provider.county_code == county_code
        )
    return list(db.session.scalars(stmt))


def _notice_courses(q: str, county_code: str) -> list[Course]:
    from training.services import search_courses

    county = county_code if county_code and not county_code.endswith("00") else ""
    page = search_courses({"q": q, "county_code": county}, page=1, per_page=1000)
    courses = [c for c in page.items if c.provider.active]
    if county_code.endswith("00"):
        courses = [c for c in courses if c.county_code[:4] == county_code[:4]]
    return courses


def skill_names(skills: list[str], lang: str = "zh") -> str:
    vocab = default_vocabulary()
    return "、".join(vocab.skill_name(s, lang) if s in vocab else s for s in skills)


def comparison_label(code: str) -> str:
    return comparison_name(code)


def evaluation_listing() -> list[dict]:
    """The latest stored rates as plain records (provider, course, province), for the API."""
    stored = latest_rows()
    province = stored["province"]
    if province is None:
        return []
    names = {
        "provider": dict(db.session.execute(select(Provider.id, Provider.name)).all()),
        "course": dict(db.session.execute(select(Course.id, Course.title)).all()),
    }
    out = []
    for scope in ("provider", "course"):
        for subject_id, row in sorted(stored[scope].items()):
            out.append(_listing(scope, subject_id, names[scope].get(subject_id, ""), row, province))
    out.append(_listing("province", 0, "", province, province))
    return out


def _listing(scope: str, subject_id: int, name: str, row, province) -> dict:
    figs = figures(row, province)
    return {
        "scope": scope,
        "subject_id": subject_id,
        "name": name,
        "completion": figs["completion"].__dict__,
        "certificate": figs["certificate"].__dict__,
        "employment_6m": figs["employment"].__dict__,
    }


# --- the public notice as a long list: cached per data version, filtered, sorted and paged --------


def _figure_dicts(figs: dict[str, Figure]) -> dict:
    return {metric: dict(f.__dict__) for metric, f in figs.items()}


def notice_data() -> dict:
    """Every active provider and course of the notice with its latest rates, as plain data (JSON),
    from the page cache while no provider, course, enrolment or evaluation has changed."""
    from core import pagecache

    version = pagecache.data_version(Provider, Course, Enrolment, CourseEvaluation)
    return pagecache.cached("training.notice", version, {}, _notice_data)


def _notice_data() -> dict:
    data = notice()
    return {
        "as_of": data["as_of"].isoformat() if data["as_of"] else None,
        "province": _figure_dicts(data["province"]) if data["province"] else None,
        "province_enrolled": data["province_enrolled"],
        "providers": [
            {
                "id": p.id,
                "name": p.name,
                "credit_code": p.credit_code,
                "licence": p.licence,
                "county_code": p.county_code,
                "counties_served": list(p.counties_served or []),
                "venue_accessibility": list(p.venue_accessibility or []),
                "course_titles": [c.title for c in p.courses],
                "figures": _figure_dicts(figs),
            }
            for p, figs in data["providers"]
        ],
        "courses": [
            {
                "id": c.id,
                "title": c.title,
                "provider": {"name": c.provider.name, "credit_code": c.provider.credit_code},
                "skills": list(c.skills or []),
                "mode": c.mode,
                "level": c.level,
                "county_code": c.county_code,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
                "seats": c.seats,
                "accessibility": list(c.accessibility or []),
                "cost": str(c.cost or 0),
                "free_for_disabled": bool(c.free_for_disabled),
                "figures": _figure_dicts(figs),
            }
            for c, figs in data["courses"]
        ],
    }


def _rate(metric: str):
    return lambda row: row["figures"][metric]["rate"]


NOTICE_PER_PAGE = 20  # a provider's or course's row carries nine figures: fewer rows at a time
_NOTICE_FILTERS = (
    listing.Filter("q", _l("Provider, course or skill")),
    listing.Filter(
        "county",
        _l("City"),
        "choice",
        choices=lambda: [(d.code, d.name) for d in divisions.cities()],
    ),
)
NOTICE_LISTS = {
    "providers": listing.ListSpec(
        "providers",
        {
            "name": lambda row: row["name"],
            "county": lambda row: row["county_code"],
            "completion": _rate("completion"),
            "certificate": _rate("certificate"),
            "employment": _rate("employment"),
        },
        "county",
        _NOTICE_FILTERS,
        tiebreak=lambda row: row["id"],
        per_page=NOTICE_PER_PAGE,
    ),
    "courses": listing.ListSpec(
        "courses",
        {
            "title": lambda row: row["title"],
            "starts_on": lambda row: row["starts_on"],
            "county": lambda row: row["county_code"],
            "completion": _rate("completion"),
            "certificate": _rate("certificate"),
            "employment": _rate("employment"),
        },
        "-starts_on",
        _NOTICE_FILTERS,
        tiebreak=lambda row: row["id"],
        per_page=NOTICE_PER_PAGE,
    ),
}


def matching(rows: list[dict], kind: str, state: listing.ListState) -> list[dict]:
    """The rows the notice's filters keep, as the search did: a provider by name, credit code or a
    course title; a course by title, provider or a skill the text names; a city by its code."""
    q, county = state.get("q"), state.get("county")
    if q:
        if kind == "providers":
            rows = [
                r
                for r in rows
                if q in r["name"]
                or r["credit_code"] == q.upper()
                or any(q in t for t in r["course_titles"])
            ]
        else:
            skills = {sid for sid, score in default_vocabulary().map_text(q) if score >= 0.8}
            rows = [
                r
                for r in rows
                if q in r["title"] or q in r["provider"]["name"] or skills & set(r["skills"])
            ]
    if county:
        rows = [r for r in rows if r["county_code"][:4] == county[:4]]
    return rows


def shown(row: dict) -> SimpleNamespace:
    """A cached row as the templates and the export read it (dates, money, figures)."""
    found = SimpleNamespace(**row)
    found.figures = {m: Figure(**f) for m, f in row["figures"].items()}
    if "starts_on" in row:
        found.provider = SimpleNamespace(**row["provider"])
        found.starts_on = date.fromisoformat(row["starts_on"])
        found.ends_on = date.fromisoformat(row["ends_on"])
        found.cost = Decimal(row["cost"])
    return found


def province_figures(data: dict) -> dict | None:
    return {m: Figure(**f) for m, f in data["province"].items()} if data["province"] else None
