"""Shared builders of the jobmatch integration tests: posts, profiles, a small matching world."""

from datetime import date, timedelta

from core.extensions import db
from jobmatch.models import JobPost, Referral, SeekerProfile
from tests import factories

XIHU, JINGNING = "330106", "331127"


def make_post(employer, **fields) -> JobPost:
    values = {
        "employer_id": employer.id,
        "title": "超市收银员",
        "skills": ["cashier"],
        "county_code": employer.county_code,
        "salary_min": 4000,
        "salary_max": 5000,
        "positions": 2,
        "closes_on": date.today() + timedelta(days=30),
    }
    post = JobPost(**(values | fields))
    db.session.add(post)
    db.session.commit()
    return post


def make_profile(person, **fields) -> SeekerProfile:
    values = {
        "person_id": person.id,
        "skills": ["cashier", "mobile_payment"],
        "skills_text": "收银",
    }
    profile = SeekerProfile(**(values | fields))
    db.session.add(profile)
    db.session.commit()
    return profile


def make_referral(person, post, **fields) -> Referral:
    referral = Referral(person_id=person.id, post_id=post.id, history=[], **fields)
    db.session.add(referral)
    db.session.commit()
    return referral


def constraint_world() -> dict:
    """A deaf seeker of Xihu (30 km commute) and one post per hard constraint."""
    person = factories.make_person(county=XIHU, category=2, level=1, name="听障求职者")
    make_profile(person, max_commute_km=30.0, min_salary=3000)
    near = factories.make_employer(county=XIHU, name="西湖超市有限公司")
    far = factories.make_employer(county=JINGNING, name="景宁电商有限公司")
    posts = {
        "good": make_post(near, title="收银员"),
        "closed": make_post(near, title="已关闭岗位", status="closed"),
        "full": make_post(near, title="已招满岗位", positions=1, filled=1),
        "barrier": make_post(near, title="电话客服", functions={"hearing": 3}),
        "bridged": make_post(
            near, title="手语收银员", functions={"hearing": 3}, accommodations=["sign_language"]
        ),
        "far": make_post(far, title="景宁收银员"),
        "far_home": make_post(far, title="居家收银客服", work_mode="home_based"),
    }
    return {"person": person, "near": near, "far": far, "posts": posts}
