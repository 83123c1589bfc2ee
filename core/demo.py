"""Realistic, deterministic demo data for the whole province (idempotent: a rerun adds nothing)."""

import random
from datetime import date

from sqlalchemy import select

from core import divisions, identity
from core.auth import hash_password
from core.codes import UNIT_TYPES
from core.extensions import db
from core.models import Employer, Person, User
from core.services import cipher, pinyin_of

SEED = 2026
DEMO_PASSWORD = "Demo2026!"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯佳琪晨欣怡思雨婷雪梦涵子轩博文嘉宁瑶一诺梓萱晓宏建国志远海波鹏飞"
MAJORS = (
    "计算机科学与技术",
    "电子商务",
    "会计学",
    "视觉传达设计",
    "针灸推拿学",
    "软件工程",
    "市场营销",
    "工商管理",
    "康复治疗学",
    "汉语言文学",
    "动画",
    "数据科学",
)
EDUCATION_WEIGHTS = {
    "junior": 18,
    "senior": 22,
    "vocational": 20,
    "associate": 18,
    "bachelor": 18,
    "master": 4,
}
EMPLOYER_WORDS = (
    "科技",
    "电子商务",
    "制造",
    "物流",
    "信息技术",
    "文化创意",
    "食品",
    "纺织",
    "医疗器械",
    "服务",
    "网络",
    "实业",
)
UNIT_WEIGHTS = {
    "enterprise": 66,
    "state_owned_enterprise": 4,
    "government": 5,
    "public_institution_1": 5,
    "public_institution_2": 6,
    "social_organisation": 5,
    "welfare_enterprise": 6,
    "sheltered_workshop": 3,
}
CATEGORY_WEIGHTS = {1: 14, 2: 16, 3: 4, 4: 40, 5: 10, 6: 8, 7: 8}
LEVEL_WEIGHTS = {1: 15, 2: 25, 3: 30, 4: 30}
PERSON_COUNT = 2200
EMPLOYER_COUNT = 360
# Demo accounts: (username, role, link) where link names the record they belong to.
COUNSELOR_COUNTIES = {
    "counselor": "330106",
    "counselor_ningbo": "330212",
    "counselor_wenzhou": "330302",
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person_row(rng: random.Random, serial: int, county: str) -> dict:
    """One job-seeker; the first three of each county are recent graduates, the first unemployed."""
    forced_graduate = serial < 3 * len(divisions.counties())
    year = rng.randint(1999, 2003) if forced_graduate else rng.randint(1966, 2004)
    birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
    male = rng.random() < 0.55
    rid = identity.make_resident_id(county, birth, serial, male)
    category, level = _pick(rng, CATEGORY_WEIGHTS), _pick(rng, LEVEL_WEIGHTS)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    graduate = forced_graduate or (birth.year >= 1999 and rng.random() < 0.45)
    employed = serial >= len(divisions.counties()) and rng.random() < (0.35 if graduate else 0.52)
    return {
        "certificate_no": f"{rid}{category}{level}",
        "name": name,
        "county_code": county,
        "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
        "email": f"seeker{serial}@example.org" if graduate else None,
        "education": "bachelor"
        if graduate and rng.random() < 0.6
        else _pick(rng, EDUCATION_WEIGHTS),
        "major": rng.choice(MAJORS) if graduate else None,
        "graduation_year": rng.choice((2024, 2025, 2026)) if graduate else None,
        "household_id": f"HH{county}{serial // 2:05d}",
        "low_income": rng.random() < 0.12,
        "employment_type": rng.choice(
            ("full_time", "full_time", "flexible", "home_based", "self_employed")
        )
        if employed
        else "unemployed",
        "wish_to_work": employed or rng.random() < 0.75,
        "consent": True,
    }


def person_rows(rng: random.Random, count: int = PERSON_COUNT) -> list[dict]:
    """Job-seekers over all 11 cities, every category and level, a few per household."""
    counties = divisions.counties()
    rows = []
    for serial in range(count):
        county = counties[serial % len(counties)].code
        rows.append(_person_row(rng, serial, county))
    return rows


def employer_rows(rng: random.Random, count: int = EMPLOYER_COUNT) -> list[dict]:
    """Employers of every unit type across the province, with valid credit codes."""
    counties = divisions.counties()
    unit_types = list(UNIT_TYPES)
    rows = []
    for serial in range(count):
        county = counties[(serial * 7) % len(counties)]
        unit_type = unit_types[serial] if serial < len(unit_types) else _pick(rng, UNIT_WEIGHTS)
        prefix = {
            "government": "11",
            "public_institution_1": "12",
            "public_institution_2": "12",
            "social_organisation": "51",
        }.get(unit_type, "91")
        code = identity.make_credit_code(f"{prefix}{county.code}MA{serial:07d}"[:17])
        city = divisions.division_name(county.parent_code)[:-1]
        rows.append(
            {
                "credit_code": code,
                "name": _employer_name(rng, unit_type, city, county.name, serial),
                "unit_type": unit_type,
                "county_code": county.code,
                "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "contact_phone": f"0571-{rng.randint(10000000, 99999999)}",
                "is_lead_unit": unit_type == "government" and rng.random() < 0.5,
            }
        )
    return rows


def _employer_name(rng, unit_type, city, county, serial) -> str:
    if unit_type == "government":
        return f"{county}{rng.choice(('人力资源和社会保障局', '民政局', '财政局', '教育局', '文化和旅游局'))}"
    if unit_type.startswith("public_institution"):
        return f"{county}{rng.choice(('人民医院', '第一中学', '图书馆', '疾病预防控制中心', '社会福利院'))}{serial}"
    if unit_type == "social_organisation":
        return f"{city}{rng.choice(('助残志愿者协会', '盲人协会', '聋人协会', '社会工作服务中心'))}{serial}"
    if unit_type == "sheltered_workshop":
        return f"{county}阳光庇护工场{serial}"
    suffix = "福利企业有限公司" if unit_type == "welfare_enterprise" else "有限公司"
    return f"{city}{rng.choice(('恒', '华', '联', '鑫', '博', '越', '之江', '钱塘', '瓯', '甬'))}{rng.choice(('创', '达', '信', '安', '盛', '合'))}{rng.choice(EMPLOYER_WORDS)}{suffix}"


def _seed_people(rows: list[dict]) -> int:
    fc = cipher()
    existing = set(db.session.scalars(select(Person.id_index)))
    added = 0
    for row in rows:
        cert = identity.parse_certificate(row["certificate_no"])
        rid = cert.resident_id.number
        index = fc.blind_index(rid)
        if index in existing:
            continue
        existing.add(index)
        pinyin, initials = pinyin_of(row["name"])
        fields = {k: v for k, v in row.items() if k != "certificate_no"}
        db.session.add(
            Person(
                id_cipher=fc.encrypt(rid),
                id_index=index,
                id_masked=identity.mask_number(rid),
                cert_cipher=fc.encrypt(cert.number),
                cert_index=fc.blind_index(cert.number),
                cert_masked=identity.mask_number(cert.number),
                disability_category=cert.category,
                disability_level=cert.level,
                sex=cert.resident_id.sex,
                birth_date=cert.resident_id.birth_date,
                name_pinyin=pinyin,
                name_initials=initials,
                **fields,
            )
        )
        added += 1
    return added


def _seed_employers(rows: list[dict]) -> int:
    existing = set(db.session.scalars(select(Employer.credit_code)))
    new = [Employer(**row) for row in rows if row["credit_code"] not in existing]
    db.session.add_all(new)
    return len(new)


def _graduate_people(count: int) -> list[Person]:
    stmt = (
        select(Person)
        .where(
            Person.graduation_year.is_not(None),
            Person.employment_type == "unemployed",
            Person.county_code == "330106",
        )
        .order_by(Person.id)
        .limit(count)
    )
    return list(db.session.scalars(stmt))


def demo_accounts() -> list[dict]:
    """The demo accounts to create: one admin, counselors, two employers, two graduates."""
    employers = list(
        db.session.scalars(
            select(Employer)
            .where(Employer.unit_type == "enterprise")
            .order_by(Employer.id)
            .limit(2)
        )
    )
    graduates = _graduate_people(2)
    accounts = [{"username": "admin", "role": "admin", "display_name": "省残联管理员"}]
    accounts += [
        {
            "username": name,
            "role": "counselor",
            "county_code": code,
            "display_name": f"{divisions.division_name(code)}就业服务员",
        }
        for name, code in COUNSELOR_COUNTIES.items()
    ]
    accounts += [
        {
            "username": f"employer{i + 1}",
            "role": "employer",
            "employer_id": e.id,
            "display_name": e.name,
        }
        for i, e in enumerate(employers)
    ]
    accounts += [
        {
            "username": f"graduate{i + 1}",
            "role": "graduate",
            "person_id": p.id,
            "display_name": p.name,
            "email": p.email,
        }
        for i, p in enumerate(graduates)
    ]
    return accounts


def _seed_accounts() -> list[dict]:
    existing = set(db.session.scalars(select(User.username)))
    password_hash = None
    accounts = demo_accounts()
    for account in accounts:
        if account["username"] in existing:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        db.session.add(User(password_hash=password_hash, **account))
    return accounts


def seed_core() -> dict:
    """Seed people, employers and demo accounts; returns counts of what was added."""
    rng = random.Random(SEED)
    people = _seed_people(person_rows(rng))
    employers = _seed_employers(employer_rows(rng))
    db.session.flush()
    accounts = _seed_accounts()
    db.session.commit()
    return {"people": people, "employers": employers, "accounts": accounts}
