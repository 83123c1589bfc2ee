"""Demo quota data: filings of every demo employer for the last data year, reviewed, with a few
double claims, payments and credit flags (idempotent: a rerun adds nothing; a few seconds).

The social average wage of the last data year is not on file yet, so the demo sets a placeholder
(the latest published figure) and the reward per person over the quota; both are marked as demo
values in the audit trail and should be replaced with the published figures.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from core import audit
from core.dates import is_working_age
from core.extensions import db
from core.models import Employer, Person, User
from quota.models import (
    CertificateCheck,
    LevyPayment,
    QuotaClaim,
    QuotaFiling,
    QuotaFilingVersion,
    QuotaOfficialData,
    QuotaYearSetting,
    QuotaYearTerms,
    RegistryRecord,
)
from quota.rules.wages import load_average_wages
from quota.services import nominal, payments, registry, review

SEED = 2026
DOUBLE_CLAIMS = 6
# Employees whose certificates were issued outside Zhejiang (not in the province's registry extract):
# (issuing area, birth date, level); the first two are confirmed by a counselor in the demo.
OUT_OF_PROVINCE = (
    ("310101", date(1986, 3, 14), 3),  # Shanghai, Huangpu
    ("320102", date(1990, 8, 2), 4),  # Nanjing, Xuanwu
    ("340104", date(1984, 11, 23), 2),  # Hefei, Shushan
    ("360102", date(1992, 5, 6), 4),  # Nanchang, Donghu
)


def demo_year() -> int:
    return date.today().year - 1


def _setting(year: int) -> None:
    wages = load_average_wages()
    latest = wages[max(wages)]
    setting = QuotaYearSetting(
        data_year=year,
        social_average_wage=Decimal(str(latest)),
        social_average_wage_source="演示数值：非私营单位平均工资，请替换为公布的全口径数据",
        reward_per_excess_person=Decimal("5000"),
        window_open=True,
    )
    db.session.add(setting)
    db.session.flush()
    audit.record(
        "demo_parameters",
        "quota_year_setting",
        None,
        {"data_year": year, "note": "demo values: replace with the published figures"},
    )


def _terms(year: int) -> None:
    """What the demo's notices state about paying: demo values, to be replaced by the federation's."""
    db.session.add(
        QuotaYearTerms(
            data_year=year,
            issuer="浙江省残疾人联合会（演示）",
            payee="国家税务总局浙江省税务局（演示）",
            how_to_pay="通过浙江省电子税务局“残疾人就业保障金”栏目申报缴纳（演示）",
            where_to_pay="所在地主管税务机关办税服务厅（演示）",
            review_request_days=30,
        )
    )
    db.session.flush()
    audit.record(
        "demo_parameters",
        "quota_year_terms",
        None,
        {"data_year": year, "note": "demo values: replace with the federation's terms"},
    )


def _eligible_people(year: int) -> list[Person]:
    people = db.session.scalars(select(Person).order_by(Person.id))
    return [p for p in people if is_working_age(p.birth_date, p.sex, date(year, 12, 31))]


def _rows(rng: random.Random, year: int, employers, people):
    filings, claims, official = [], [], []
    pool = list(people)
    rng.shuffle(pool)
    doubles = pool[:DOUBLE_CLAIMS]
    now = datetime(year + 1, 6, 1)
    for i, employer in enumerate(employers):
        official_n = rng.randint(8, 600)
        official.append((employer.id, official_n, official_n * rng.randint(60, 190) * 1000))
        if i % 20 == 19:  # a few employers did not file: the review records them
            continue
        declared = official_n if i % 25 else int(official_n * 0.9)  # a few under-declare
        status = "draft" if i % 30 == 29 else "submitted"
        filings.append(
            {
                "employer_id": employer.id,
                "data_year": year,
                "status": status,
                "version": 1,
                "source": "excel" if i % 3 == 0 else "form",
                "monthly_headcounts": [str(declared)] * 12,
                "wage_total": Decimal(official[-1][2]),
                "submitted_at": None if status == "draft" else now + timedelta(minutes=i),
            }
        )
        wanted = min(len(pool), max(0, round(declared * 0.015 * rng.uniform(0.2, 1.6))))
        chosen = [pool.pop() for _ in range(min(wanted, len(pool) - DOUBLE_CLAIMS))]
        if i < 2 * DOUBLE_CLAIMS:
            chosen.append(doubles[i % DOUBLE_CLAIMS])
        claims.append((employer.id, chosen, i % 40 == 7))
    return filings, claims, official


def _claim_row(filing_id: int, employer_id: int, year: int, person: Person, uninsured: bool):
    return {
        "filing_id": filing_id,
        "employer_id": employer_id,
        "data_year": year,
        "person_index": person.id_index,
        "cert_index": person.cert_index,
        "cert_masked": person.cert_masked,
        "cert_cipher": person.cert_cipher,
        "level": person.disability_level,
        "months": 12 if person.id % 4 else 6 + person.id % 6,
        "long_contract": True,
        "min_wage": True,
        "social_insurance": not uninsured,
        "verdict": "pending",
    }


def _insert(year: int, filings, claims, official) -> int:
    db.session.execute(insert(QuotaFiling.__table__), filings)
    ids = dict(
        db.session.execute(
            select(QuotaFiling.employer_id, QuotaFiling.id).where(QuotaFiling.data_year == year)
        ).all()
    )
    rows = [
        _claim_row(ids[employer_id], employer_id, year, person, uninsured and n == 0)
        for employer_id, people, uninsured in claims
        for n, person in enumerate(people)
    ]
    if rows:
        db.session.execute(insert(QuotaClaim.__table__), rows)
    db.session.execute(
        insert(QuotaFilingVersion.__table__),
        [
            {
                "filing_id": ids[f["employer_id"]],
                "version": 1,
                "status": f["status"],
                "data": {
                    "monthly_headcounts": f["monthly_headcounts"],
                    "wage_total": str(f["wage_total"]),
                },
            }
            for f in filings
        ],
    )
    db.session.execute(
        insert(QuotaOfficialData.__table__),
        [
            {"employer_id": e, "data_year": year, "headcount": Decimal(n), "wage_total": Decimal(w)}
            for e, n, w in official
        ],
    )
    return len(rows)


def _payments(rng: random.Random, year: int) -> int:
    from quota.models import QuotaAssessment

    owing = db.session.execute(
        select(QuotaAssessment.employer_id, QuotaAssessment.levy).where(
            QuotaAssessment.data_year == year,
            QuotaAssessment.current.is_(True),
            QuotaAssessment.levy > 0,
        )
    ).all()
    rows = []
    for n, (employer_id, levy) in enumerate(owing):
        if n % 3 == 2:
            continue  # left unpaid
        rows.append(
            {
                "employer_id": employer_id,
                "data_year": year,
                "voucher_no": f"DEMO{year}{employer_id:06d}",
                "amount": Decimal(levy),
                "paid_on": date(year + 1, 10, 1) + timedelta(days=rng.randint(0, 40)),
                "late_fee": Decimal("0"),
            }
        )
    if rows:
        db.session.execute(insert(LevyPayment.__table__), rows)
    return len(rows)


def _nominal_hire_example(year: int) -> int:
    """One finding by the demo administrator, so the nominal-hire flag shows in the demo."""
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    claim_id = db.session.scalar(
        select(QuotaClaim.id)
        .where(QuotaClaim.data_year == year, QuotaClaim.verdict == "accepted")
        .order_by(QuotaClaim.id)
    )
    if admin is None or claim_id is None:
        return 0
    nominal.record_nominal_hire(
        claim_id, admin, "演示数据：走访核查发现本人长期在外地务工，未在单位实际工作"
    )
    return 1


def seed_demo() -> dict:
    """Filings, a review, payments and flags for the last data year; nothing if already seeded."""
    year = demo_year()
    if db.session.get(QuotaYearSetting, year) is not None:
        return {}
    rng = random.Random(SEED)
    employers = list(db.session.scalars(select(Employer).order_by(Employer.id)))
    if not employers:
        return {}
    _setting(year)
    registered = _registry(year)
    _terms(year)
    filings, claims, official = _rows(rng, year, employers, _eligible_people(year))
    claim_count = _insert(year, filings, claims, official)
    claim_count += _out_of_province(year)
    db.session.commit()
    verified = review.verify_pending(year)
    confirmed = _confirm_examples(year)
    db.session.commit()
    summary = review.run_review(year)
    nominal_hires = _nominal_hire_example(year)
    paid = _payments(rng, year)
    db.session.commit()
    flags = payments.evaluate_flags(year)
    return {
        "quota filings": len(filings),
        "quota claims": claim_count,
        "registry records": registered,
        "certificates confirmed": confirmed,
        "certificates to verify": db.session.scalar(
            select(func.count(CertificateCheck.id)).where(CertificateCheck.status == "to_verify")
        ),
        "quota conflicts": verified["conflicts"] + summary.get("conflicts", 0),
        "quota non-filers": summary.get("non_filers", 0),
        "nominal hires": nominal_hires,
        "levy payments": paid,
        "credit flags": flags["raised"],
    }


def _registry(year: int) -> int:
    """A registry extract of the demo people's certificates, taken in March of the filing year."""
    extract = date(year + 1, 3, 31)
    rows = [
        {
            "person_index": p.id_index,
            "cert_index": p.cert_index,
            "cert_cipher": p.cert_cipher,
            "cert_masked": p.cert_masked,
            "name": p.name,
            "category": p.disability_category,
            "level": p.disability_level,
            "valid_until": None,
            "status": "valid",
            "issuing_area": p.cert_masked[:6],
            "birth_date": p.birth_date,
            "sex": p.sex,
            "extract_date": extract,
            "imported_at": datetime(year + 1, 4, 1),
        }
        for p in db.session.scalars(select(Person).where(Person.cert_index.is_not(None)))
    ]
    if rows:
        db.session.execute(insert(RegistryRecord.__table__), rows)
    return len(rows)


def _out_of_province(year: int) -> int:
    """Claims of employees holding another province's certificate, on a few submitted filings."""
    from core.identity import make_resident_id
    from core.services import cipher

    fc = cipher()
    filings = list(
        db.session.scalars(
            select(QuotaFiling)
            .where(QuotaFiling.data_year == year, QuotaFiling.status == "submitted")
            .order_by(QuotaFiling.id.desc())
            .limit(len(OUT_OF_PROVINCE))
        )
    )
    rows = []
    for filing, (area, birth, level) in zip(filings, OUT_OF_PROVINCE, strict=False):
        number = f"{make_resident_id(area, birth, 17, True)}1{level}"
        rows.append(
            {
                "filing_id": filing.id,
                "employer_id": filing.employer_id,
                "data_year": year,
                "person_index": fc.blind_index(number[:18]),
                "cert_index": fc.blind_index(number),
                "cert_masked": number[:6] + "*" * 10 + number[-4:],
                "cert_cipher": fc.encrypt(number),
                "level": level,
                "months": 12,
                "long_contract": True,
                "min_wage": True,
                "social_insurance": True,
                "verdict": "pending",
            }
        )
    if rows:
        db.session.execute(insert(QuotaClaim.__table__), rows)
    return len(rows)


def _confirm_examples(year: int) -> int:
    """The demo administrator confirms the first two out-of-province certificates; the others stay
    in the queue, so the page of certificates to verify shows both kinds."""
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    checks = list(
        db.session.scalars(
            select(CertificateCheck)
            .where(CertificateCheck.data_year == year)
            .order_by(CertificateCheck.id)
            .limit(2)
        )
    )
    if admin is None:
        return 0
    for check in checks:
        registry.decide(check, True, "演示数据：已核对外省残疾人证原件，证件有效", admin)
    return len(checks)
