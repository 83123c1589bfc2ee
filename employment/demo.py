"""Demo records of the employment services: recognition applications, income disregards and a year
of snapshots. Idempotent: each part is skipped when its table already has rows.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from core.extensions import db
from core.models import Person, User
from employment import (
    auxiliary,
    competitions,
    disregard,
    institutions,
    recognition,
    rules,
    services,
    startups,
    welfare,
)
from employment import households as household_data
from employment.models import (
    AuxiliaryCentre,
    Competition,
    HouseholdRelative,
    HouseholdRural,
    IncomeDisregard,
    IndicatorSnapshot,
    Institution,
    RecognitionApplication,
    StartupApplication,
    WelfarePost,
)

COUNTY = "330106"
EVIDENCE = (
    ("flexible", "在淘宝开设手工编织网店“巧手小铺”，近六个月月均销售额约3200元，附店铺后台截图。"),
    ("home_based", "居家为本地电商公司做客服，按件计酬，近三个月月均收入约2800元，附劳务协议。"),
    ("flexible", "在抖音直播销售本地茶叶，近四个月月均收入约4500元，附平台结算记录。"),
    ("home_based", "居家从事盲文校对和有声书录制，与出版社签订协议，月均收入约2600元。"),
    ("flexible", "在社区开展推拿服务，预约制，近半年月均收入约3500元。"),
    ("home_based", "居家从事网店美工设计，按单结算，近三个月月均收入约3000元。"),
    ("flexible", "外卖平台兼职配送，近两个月月均收入约1800元，尚无稳定记录。"),
)
PLAN = ("pending", "pending", "approved", "approved", "rejected", "pending", "rejected")


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _unemployed(county: str, limit: int, low_income: bool | None = None) -> list[Person]:
    stmt = select(Person).where(
        Person.county_code == county, Person.employment_type == "unemployed"
    )
    if low_income is not None:
        stmt = stmt.where(Person.low_income.is_(low_income))
    return list(db.session.scalars(stmt.order_by(Person.id).limit(limit)))


def _seed_recognitions(counselor: User) -> int:
    if db.session.scalar(select(func.count(RecognitionApplication.id))):
        return 0
    graduate = _user("graduate1")
    people = _unemployed(COUNTY, len(PLAN) + 2, low_income=False)
    if graduate is not None and graduate.person_id:
        people = [db.session.get(Person, graduate.person_id)] + [
            p for p in people if p.id != graduate.person_id
        ]
    today = date.today()
    for i, (person, outcome) in enumerate(zip(people, PLAN, strict=False)):
        kind, text = EVIDENCE[i]
        applicant = graduate if i == 0 and graduate is not None else counselor
        data = {
            "kind": kind,
            "work_started_on": today - timedelta(days=60 + 20 * i),
            "evidence_text": text,
        }
        application = recognition.apply(applicant, person, data)
        if outcome == "approved":
            recognition.approve(counselor, application, "收入证明材料齐全，予以认定。")
        elif outcome == "rejected":
            recognition.reject(
                counselor, application, "收入记录不足三个月，请补充平台结算记录后重新申请。"
            )
    return min(len(people), len(PLAN))


def _take_job(person: Person, on: date) -> None:
    """The person starts work; for a low-income family this offers the disregard automatically."""
    if person.employment_type == "unemployed":
        person.employment_type, person.employed_since = "full_time", on
        db.session.commit()


def _seed_disregards(counselor: User) -> int:
    if db.session.scalar(select(func.count(IncomeDisregard.id))):
        return 0
    applicants = select(RecognitionApplication.person_id)
    people = db.session.scalars(
        select(Person)
        .where(Person.county_code == COUNTY, Person.id.not_in(applicants))
        .order_by(Person.low_income.is_(False), Person.employment_type == "unemployed", Person.id)
        .limit(4)
    ).all()
    for person in people:  # demo families receiving 低保 (minimum living allowance)
        person.low_income = True
    db.session.commit()
    today = date.today()
    starts = (
        rules.add_months(today, -36) + timedelta(days=20),
        rules.add_months(today, -14),
        today - timedelta(days=45),
        today - timedelta(days=10),
    )
    for i, (person, start) in enumerate(zip(people, starts, strict=False)):
        _take_job(person, start)
        if i < 3:  # the last one stays an offer for the counselor to confirm
            disregard.record_start(counselor, person, start, "演示数据")
    return len(people)


def _seed_snapshots() -> int:
    if db.session.scalar(select(func.count(IndicatorSnapshot.id))):
        return 0
    today = date.today()
    counts = services.area_counts(today)
    rows = []
    for months_ago in range(11, -1, -1):
        month_start = rules.add_months(today.replace(day=1), -months_ago)
        day = today if months_ago == 0 else rules.add_months(month_start, 1) - timedelta(days=1)
        for area, values in counts.items():
            rows.append(_past(area, values, day, months_ago))
    db.session.add_all(rows)
    db.session.commit()
    return len(rows)


def _past(area: str, values: dict, day: date, months_ago: int) -> IndicatorSnapshot:
    """A plausible past snapshot: the counts were a little higher a year ago and fell month by month."""
    zero = values.get("zero_employment_households", 0)
    hard = values.get("hard_to_employ", 0)
    return IndicatorSnapshot(
        taken_on=day,
        area_code=area,
        zero_employment_households=zero + (zero * months_ago * 5 + 99) // 100,
        hard_to_employ=hard + (hard * months_ago * 2 + 99) // 100,
        working_age=values.get("working_age", 0),
        employed=max(
            0, values.get("employed", 0) - (values.get("employed", 0) * months_ago) // 100
        ),
        certified_working_age=values.get("certified_working_age", 0),
        employed_certified=values.get("employed_certified", 0),
        graduates=values.get("graduates", 0),
        graduates_employed=values.get("graduates_employed", 0),
        year_end=(day.month, day.day) == (12, 31),
    )


INSTITUTIONS = (
    ("blind_massage", "西湖区明目盲人按摩中心", "330106", (12, 6, 6)),
    ("blind_massage", "杭州康心盲人推拿店", "330106", (8, 4, 4)),
    ("welfare_enterprise", "杭州恒益福利包装厂", "330106", (60, 16, 15)),
    ("blind_massage", "海曙区光明盲人按摩院", "330203", (10, 5, 5)),
)


def _seed_institutions(counselor: User) -> int:
    """A few institutions with this year's months, and the parameters their check needs."""
    if db.session.scalar(select(func.count(Institution.id))):
        return 0
    from core import identity

    today = date.today()
    admin = _user("admin") or counselor
    institutions.set_multiple(admin, today.year, Decimal(4), "财税〔2016〕52号第三条")
    institutions.set_tier(admin, "330106", 1)
    for serial, (kind, name, county, (staff, disabled, qualifying)) in enumerate(INSTITUTIONS):
        registered = institutions.register(
            admin,
            {
                "kind": kind,
                "name": name,
                "credit_code": identity.make_credit_code(f"91{county}MA{9000000 + serial:07d}"),
                "county_code": county,
                "registered_on": date(today.year - 2, 3, 1),
            },
        )
        for month in range(1, today.month + 1):
            dip = 1 if month == 2 and serial == 1 else 0  # one worker left in February
            institutions.record_month(
                admin,
                registered,
                {
                    "month": f"{today.year}-{month:02d}",
                    "staff": staff,
                    "disabled": disabled - dip,
                    "qualifying": qualifying - dip,
                },
            )
    return len(INSTITUTIONS)


def _seed_relatives(counselor: User) -> int:
    """Members without a registered disability for a few households of the demo county."""
    if db.session.scalar(select(func.count(HouseholdRelative.id))):
        return 0
    households = db.session.scalars(
        select(Person.household_id)
        .where(Person.county_code == COUNTY, Person.household_id.is_not(None))
        .distinct()
        .order_by(Person.household_id)
        .limit(4)
    ).all()
    facts = ((True, True, True), (True, True, False), (False, False, False), (True, False, False))
    for household, (able, wish, employed) in zip(households, facts, strict=False):
        household_data.add_relative(
            counselor,
            {
                "household_id": household,
                "relation": "spouse",
                "birth_date": date(1980, 5, 1),
                "sex": "F",
                "able_to_work": able,
                "wish_to_work": wish,
                "employed": employed,
            },
        )
    return len(households)


def _seed_welfare_posts(counselor: User) -> int:
    """One public-welfare post of the demo county with its first seat given by priority."""
    if db.session.scalar(select(func.count(WelfarePost.id))):
        return 0
    year = date.today().year
    term = {"starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31)}
    post = welfare.create_post(
        counselor,
        {"title": "社区助残协管员", "host": "西湖区文新街道办事处", "funding": "县就业补助资金",
         "county_code": COUNTY, "seats": 3, **term},
    )  # fmt: skip
    ranked = welfare.candidates(COUNTY)
    if ranked:
        welfare.assign(counselor, post, {"person_id": ranked[0][1].id, **term})
    return 1


def _seed_auxiliary(counselor: User) -> int:
    """A centre of the demo county with its eligible participants' months of this year."""
    if db.session.scalar(select(func.count(AuxiliaryCentre.id))):
        return 0
    today = date.today()
    centre = auxiliary.create_centre(
        counselor,
        {"name": "西湖区阳光家园", "operator": "西湖区残疾人联合会", "county_code": COUNTY,
         "opened_on": date(today.year - 3, 5, 1)},
    )  # fmt: skip
    eligible = db.session.scalars(
        select(Person)
        .where(
            Person.county_code == COUNTY,
            (Person.disability_category.in_((5, 6))) | (Person.disability_level.in_((1, 2))),
        )
        .order_by(Person.id)
        .limit(4)
    ).all()
    for i, person in enumerate(eligible):
        participant = auxiliary.add_participant(counselor, centre, person, date(today.year, 1, 1))
        for month in range(1, today.month + 1):
            hours = Decimal(60 + 5 * i)
            auxiliary.record_month(
                counselor,
                participant,
                {"month": f"{today.year}-{month:02d}", "hours": hours, "earnings": hours * 12},
            )
    return len(eligible)


def _seed_startups(counselor: User) -> int:
    """Two start-up applications of the demo county: one supported a year ago and checked, one pending."""
    if db.session.scalar(select(func.count(StartupApplication.id))):
        return 0
    people = _unemployed(COUNTY, 2, low_income=False)
    plans = (
        ("巧手编织工作室", "开设手工编织网店，销售本地竹编和毛线制品。", Decimal(20000)),
        ("明目推拿店", "在社区开设盲人推拿店，预约制服务周边居民。", Decimal(30000)),
    )
    today = date.today()
    for i, (person, (name, plan, amount)) in enumerate(zip(people, plans, strict=False)):
        data = {"business_name": name, "business_plan": plan, "amount_requested": amount}
        application = startups.apply(counselor, person, data)
        if i == 0:
            started = rules.add_months(today, -14)
            startups.decide(
                counselor,
                application,
                {"decision": "approved", "amount_granted": amount, "business_started_on": started},
            )
            first = application.follow_ups[0]
            startups.record_follow_up(
                counselor,
                first,
                {"checked_on": first.due_on, "operating": True, "note": "演示数据"},
            )
    return len(people)


def _seed_registrations(counselor: User) -> int:
    """The registration of the demo county's households: every third one rural, as if read from
    their household registers."""
    if db.session.scalar(select(func.count()).select_from(HouseholdRural)):
        return 0
    households = db.session.scalars(
        select(Person.household_id)
        .where(Person.county_code == COUNTY, Person.household_id.is_not(None))
        .distinct()
        .order_by(Person.household_id)
    ).all()
    for i, household in enumerate(households):
        household_data.set_registration(counselor, household, i % 3 == 0, "户口簿（演示数据）")
    return len(households)


COMPETITIONS = (
    # name, level, organiser, years ago, trades, results of the entrants (rank, award)
    ("浙江省残疾人职业技能竞赛", "provincial", "浙江省残疾人联合会", 0, ("中式面点", "电子商务", "盲人按摩"),
     ((1, "first"), (3, "third"), (6, None), (None, None))),
    ("全国残疾人职业技能竞赛", "national", "中国残疾人联合会", 1, ("电子商务",), ((2, "second"),)),
)  # fmt: skip


def _seed_competitions(counselor: User) -> int:
    """Two competitions with entrants of the demo county: this year's provincial one (a winner of a
    first and of a third prize, a ranked entrant without an award, one without a result) and last
    year's national one (a second prize)."""
    if db.session.scalar(select(func.count(Competition.id))):
        return 0
    people = db.session.scalars(
        select(Person).where(Person.county_code == COUNTY).order_by(Person.id).limit(4)
    ).all()
    entered = 0
    today = date.today()
    for name, level, organiser, years, trades, results in COMPETITIONS:
        held_on = min(today, date(today.year - years, 5, 20))
        competition = competitions.create(
            counselor,
            {"name": f"{held_on.year}年{name}", "level": level, "organiser": organiser,
             "held_on": held_on, "trades": list(trades)},
        )  # fmt: skip
        for i, (person, (rank, award)) in enumerate(zip(people, results, strict=False)):
            entry = competitions.enter(counselor, competition, person, trades[i % len(trades)])
            if rank or award:
                competitions.record_result(counselor, entry, {"rank": rank, "award": award})
            entered += 1
    return entered


def seed_demo() -> dict:
    """Add the demo applications, disregards and snapshots (nothing on a rerun)."""
    counselor = _user("counselor") or _user("admin")
    if counselor is None:
        return {}
    return {
        "recognition applications": _seed_recognitions(counselor),
        "income disregards": _seed_disregards(counselor),
        "household members without a disability": _seed_relatives(counselor),
        "concentrated-employment institutions": _seed_institutions(counselor),
        "public-welfare posts": _seed_welfare_posts(counselor),
        "auxiliary-employment participants": _seed_auxiliary(counselor),
        "start-up applications": _seed_startups(counselor),
        "household registrations": _seed_registrations(counselor),
        "skills-competition entries": _seed_competitions(counselor),
        "indicator snapshots": _seed_snapshots(),  # last: they count the records above
    }
