"""Demo training data: providers in all 11 cities, 66 courses, enrolment histories with outcomes.

Deterministic and idempotent (a rerun adds nothing). Course quality varies, so that completion,
certificate and six-month employment rates spread visibly in the public notice.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select

from core import divisions, identity
from core.extensions import db
from core.models import Person, User
from training import notice
from training.models import Course, Enrolment, Provider
from training.states import HOLDS_SEAT

SEED = 5005
ALL = ("sign_language", "screen_reader", "braille", "step_free", "easy_read")
# (title, skill ids, level, accessibility always offered, online?)
TEMPLATES = (
    (
        "盲人保健按摩",
        ("blind_massage", "health_massage", "acupressure"),
        "beginner",
        ("braille", "screen_reader", "step_free"),
        False,
    ),
    (
        "电商客服实务",
        ("ecommerce_customer_service", "chat_support_tools", "order_processing"),
        "beginner",
        ("screen_reader",),
        True,
    ),
    (
        "直播带货与直播运营",
        ("livestream_selling", "livestream_operation", "live_product_selection"),
        "intermediate",
        (),
        False,
    ),
    (
        "短视频拍摄与剪辑",
        ("short_video_production", "video_editing", "subtitle_making"),
        "beginner",
        ("sign_language",),
        True,
    ),
    (
        "数据标注员培训",
        ("data_labelling", "image_annotation", "text_annotation", "annotation_qa"),
        "beginner",
        ("screen_reader", "easy_read"),
        True,
    ),
    (
        "办公软件应用",
        ("office_software", "excel", "touch_typing"),
        "beginner",
        ("screen_reader",),
        True,
    ),
    (
        "读屏软件与计算机操作",
        ("screen_reader_use", "computer_operation", "touch_typing"),
        "beginner",
        ("screen_reader", "braille"),
        False,
    ),
    (
        "平面设计与Photoshop",
        ("graphic_design", "photoshop", "online_design_tools"),
        "intermediate",
        ("sign_language",),
        False,
    ),
    (
        "中式面点与烘焙",
        ("dim_sum", "baking", "food_safety"),
        "beginner",
        ("easy_read", "sign_language"),
        False,
    ),
    (
        "竹编与刺绣手工艺",
        ("bamboo_weaving", "embroidery", "handicraft"),
        "beginner",
        ("easy_read", "step_free"),
        False,
    ),
    ("缝纫与服装制作", ("sewing", "garment_making"), "beginner", ("sign_language",), False),
    (
        "软件测试与无障碍测试",
        ("software_testing", "mobile_app_testing", "accessibility_testing"),
        "intermediate",
        ("screen_reader",),
        True,
    ),
    (
        "网店运营实战",
        ("online_store_operation", "product_listing", "product_copywriting"),
        "intermediate",
        (),
        True,
    ),
    (
        "会计与财务软件",
        ("bookkeeping", "accounting_software", "invoicing"),
        "intermediate",
        ("screen_reader",),
        False,
    ),
    ("咖啡师与茶艺", ("barista", "tea_art"), "beginner", ("sign_language", "step_free"), False),
    (
        "电话客服与投诉处理",
        ("phone_customer_service", "complaint_handling"),
        "beginner",
        ("braille",),
        False,
    ),
    ("养老护理员", ("elderly_care", "nursing_assistant"), "beginner", ("easy_read",), False),
    (
        "电子装配与质检",
        ("electronics_assembly", "quality_inspection"),
        "beginner",
        ("sign_language", "easy_read"),
        False,
    ),
    (
        "快递分拣与仓储管理",
        ("parcel_sorting", "warehouse_management", "wms_system"),
        "beginner",
        ("sign_language",),
        False,
    ),
    ("手机与电脑维修", ("phone_repair", "computer_repair"), "intermediate", ("step_free",), False),
    (
        "AI工具应用与人工智能训练师",
        ("ai_tools", "ai_trainer", "data_labelling"),
        "advanced",
        ("screen_reader",),
        True,
    ),
    (
        "手语视频制作",
        ("sign_language_video", "video_editing"),
        "intermediate",
        ("sign_language",),
        True,
    ),
)
COURSES_PER_CITY = 6
DROP_REASONS = ("身体原因", "找到工作", "交通不便", "家庭原因", "课程难度较大", "时间冲突")


def _code(county: str, serial: int) -> str:
    return identity.make_credit_code(f"52{county}MJ{serial:07d}"[:17])


def provider_rows() -> list[dict]:
    """Two providers in every city (a federation centre and a school), plus a provincial online one."""
    rows, serial = [], 1
    for city in divisions.cities():
        counties = divisions.counties(city.code)
        home = counties[0].code
        for kind, access in (("残疾人职业技能培训中心", ALL), ("阳光职业培训学校", ("step_free",))):
            rows.append(
                {
                    "name": f"{city.name}{kind}",
                    "credit_code": _code(home, serial),
                    "licence": f"浙人社培{serial:05d}",
                    "county_code": home,
                    "counties_served": [c.code for c in counties],
                    "venue_accessibility": list(access),
                    "address": f"{city.name}{counties[0].name}",
                }
            )
            serial += 1
    rows.append(
        {
            "name": "浙江省残疾人网络培训学院",
            "credit_code": _code("330106", serial),
            "licence": f"浙人社培{serial:05d}",
            "county_code": "330106",
            "counties_served": [c.code for c in divisions.counties()],
            "venue_accessibility": list(ALL),
            "address": "杭州市西湖区",
        }
    )
    return rows


def _phase_dates(slot: int, rng: random.Random, today: date) -> tuple[date, date]:
    """Slots 0-1 ended 8-14 months ago, 2 ended recently, 3 is running, 4-5 start soon."""
    length = timedelta(days=rng.choice((21, 28, 42, 56)))
    if slot <= 1:
        ends = today - timedelta(days=rng.randint(240, 420))
    elif slot == 2:
        ends = today - timedelta(days=rng.randint(30, 120))
    elif slot == 3:
        ends = today + timedelta(days=rng.randint(14, 40))
    else:
        ends = today + timedelta(days=rng.randint(20, 70)) + length
    return ends - length, ends


def course_rows(providers: list[Provider], rng: random.Random, today: date) -> list[dict]:
    """Six courses a city over the province, online ones from the provincial college."""
    online = providers[-1]
    rows = []
    for i, city in enumerate(divisions.cities()):
        counties = divisions.counties(city.code)
        local = [p for p in providers if p.county_code[:4] == city.code[:4]]
        for slot in range(COURSES_PER_CITY):
            title, skills, level, access, is_online = TEMPLATES[(i * 5 + slot * 3) % len(TEMPLATES)]
            provider = online if is_online and slot % 2 == 0 else local[slot % len(local)]
            extra = {a for a in ALL if rng.random() < 0.3}
            accessibility = sorted(
                set(access) | extra | set(provider.venue_accessibility) & {"step_free"}
            )
            starts, ends = _phase_dates(slot, rng, today)
            county = counties[(slot + i) % len(counties)].code
            rows.append(
                {
                    "provider_id": provider.id,
                    "title": f"{title}（{city.name}第{slot + 1}期）",
                    "description": f"面向持证残疾人的{title}课程，学员免费参加。",
                    "skills": list(skills),
                    "level": level,
                    "mode": "online" if provider is online else "in_person",
                    "county_code": county,
                    "venue": "" if provider is online else f"{divisions.full_name(county)}培训教室",
                    "starts_on": starts,
                    "ends_on": ends,
                    "schedule": rng.choice(
                        ("周一至周五 9:00-12:00", "周一、三、五 14:00-17:00", "每周六 9:00-16:00")
                    ),
                    "hours": rng.choice((60, 80, 120, 160)),
                    "seats": rng.choice((20, 25, 30, 40)),
                    "accessibility": accessibility,
                    "cost": rng.choice((1200, 1800, 2400, 3000)),
                    "free_for_disabled": True,
                    "status": "open",
                }
            )
    return rows


def _pools(rng: random.Random) -> dict[str, dict[str, list[Person]]]:
    """People of working age by city, split into employed and not employed, in a fixed order."""
    account_people = set(
        db.session.scalars(select(User.person_id).where(User.person_id.is_not(None)))
    )
    people = db.session.scalars(
        select(Person).where(Person.able_to_work.is_(True)).order_by(Person.id)
    )
    pools: dict[str, dict[str, list[Person]]] = {}
    for person in people:
        if person.id in account_people:
            continue
        city = pools.setdefault(person.county_code[:4], {"employed": [], "unemployed": []})
        city["employed" if person.employed else "unemployed"].append(person)
    for city in pools.values():
        for group in city.values():
            rng.shuffle(group)
    return pools


def _history(steps: list[tuple[str, date]], reason: str = "") -> list[dict]:
    return [
        {
            "status": s,
            "at": f"{d.isoformat()}T09:00:00",
            "by": "demo",
            "reason": reason if s == "dropped" else "",
        }
        for s, d in steps
    ]


def _past_enrolment(
    person: Person, course: Course, quality: float, rng: random.Random
) -> Enrolment:
    applied = course.starts_on - timedelta(days=rng.randint(7, 30))
    if rng.random() > 0.55 + 0.4 * quality:
        reason = rng.choice(DROP_REASONS)
        dropped = course.starts_on + timedelta(days=rng.randint(1, 10))
        steps = [
            ("applied", applied),
            ("accepted", applied + timedelta(days=3)),
            ("attending", course.starts_on),
            ("dropped", dropped),
        ]
        return Enrolment(
            person_id=person.id,
            course_id=course.id,
            status="dropped",
            applied_on=applied,
            drop_reason=reason,
            history=_history(steps, reason),
        )
    certified = rng.random() < 0.3 + 0.6 * quality
    steps = [
        ("applied", applied),
        ("accepted", applied + timedelta(days=3)),
        ("attending", course.starts_on),
        ("completed", course.ends_on),
    ]
    if certified:
        steps.append(("certified", course.ends_on + timedelta(days=20)))
    if person.employed and person.employed_since is None:
        late = rng.random() < 0.15
        person.employed_since = course.ends_on + timedelta(
            days=rng.randint(200, 260) if late else rng.randint(10, 150)
        )
    return Enrolment(
        person_id=person.id,
        course_id=course.id,
        status="certified" if certified else "completed",
        applied_on=applied,
        completed_on=course.ends_on,
        certificate=certified,
        certificate_no=f"ZJPX{course.id:04d}{person.id:05d}" if certified else "",
        history=_history(steps),
    )


def _current_enrolment(
    person: Person, course: Course, rng: random.Random, today: date
) -> Enrolment:
    applied = min(today, course.starts_on) - timedelta(days=rng.randint(3, 20))
    if course.starts_on <= today:
        steps = [
            ("applied", applied),
            ("accepted", applied + timedelta(days=2)),
            ("attending", course.starts_on),
        ]
    else:
        steps = [("applied", applied)] + (
            [("accepted", applied + timedelta(days=2))] if rng.random() < 0.5 else []
        )
    return Enrolment(
        person_id=person.id,
        course_id=course.id,
        status=steps[-1][0],
        applied_on=applied,
        history=_history(steps),
    )


def _enrol_people(courses: list[Course], rng: random.Random, today: date) -> list[Enrolment]:
    pools = _pools(rng)
    enrolments = []
    for course in courses:
        city = pools.get(course.county_code[:4])
        if city is None:
            continue
        quality = rng.uniform(0.25, 0.95)
        ended = course.ends_on < today
        count = rng.randint(10, min(22, course.seats)) if ended else rng.randint(2, 8)
        for _ in range(count):
            employed = rng.random() < (0.2 + 0.6 * quality if ended else 0.2)
            group = (
                city["employed" if employed else "unemployed"]
                or city["employed"]
                or city["unemployed"]
            )
            if not group:
                break
            person = group.pop()
            enrolments.append(
                _past_enrolment(person, course, quality, rng)
                if ended
                else _current_enrolment(person, course, rng, today)
            )
    return enrolments


def seed_demo() -> dict:
    """Add the demo providers, courses and enrolments once, then evaluate them."""
    rows = provider_rows()
    if db.session.scalar(select(Provider.id).where(Provider.credit_code == rows[0]["credit_code"])):
        return {}
    rng, today = random.Random(SEED), date.today()
    providers = [Provider(**row) for row in rows]
    db.session.add_all(providers)
    db.session.flush()
    courses = [Course(**row, seats_taken=0) for row in course_rows(providers, rng, today)]
    db.session.add_all(courses)
    db.session.flush()
    enrolments = _enrol_people(courses, rng, today)
    db.session.add_all(enrolments)
    taken: dict[int, int] = {}
    for e in enrolments:
        if e.status in HOLDS_SEAT:
            taken[e.course_id] = taken.get(e.course_id, 0) + 1
    for course in courses:
        course.seats_taken = taken.get(course.id, 0)
    db.session.commit()
    notice.run_evaluation(today)
    return {
        "training providers": len(providers),
        "training courses": len(courses),
        "training enrolments": len(enrolments),
    }
