"""The matching pages: the counselor's flow to a hire, graduates' and employers' views, posts."""

from datetime import date

from sqlalchemy import select

from core.models import AuditEvent, Person
from jobmatch.models import JobPost, Referral, SeekerProfile
from tests import factories
from tests.integration.jobmatch_helpers import (
    XIHU,
    constraint_world,
    make_post,
    make_profile,
    make_referral,
)


def test_counselor_goes_from_seeker_to_a_hire(client, auth, counselor, db):
    world = constraint_world()
    person, post = world["person"], world["posts"]["good"]
    auth.login(counselor)
    found = client.get("/jobmatch/seekers", query_string={"q": person.name_pinyin[:6]})
    assert f"/jobmatch/seekers/{person.id}" in found.get_data(as_text=True)
    by_cert = client.get("/jobmatch/seekers", query_string={"q": person.cert_masked[-6:]})
    assert f"/jobmatch/seekers/{person.id}" in by_cert.get_data(as_text=True)
    page = client.get(f"/jobmatch/seekers/{person.id}").get_data(as_text=True)
    assert "收银员" in page and "技能" in page and "贡献" in page
    assert "已关闭岗位" in page and "岗位已关闭" in page and "单位未提供手语支持" in page
    referred = client.post(
        f"/jobmatch/seekers/{person.id}/refer", data={"post_id": post.id, "reason": "技能对口"}
    )
    assert referred.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert referral.status == "referred" and referral.counselor_id == counselor.id
    assert set(referral.factors) >= {"skills", "distance"}
    detail = client.get(f"/jobmatch/referrals/{referral.id}").get_data(as_text=True)
    assert "记录结果" in detail
    missing = client.post(f"/jobmatch/referrals/{referral.id}/outcome", data={"status": "declined"})
    assert missing.status_code == 422 and "error-summary" in missing.get_data(as_text=True)
    assert (
        client.post(
            f"/jobmatch/referrals/{referral.id}/outcome", data={"status": "interviewed"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/jobmatch/referrals/{referral.id}/outcome", data={"status": "hired"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    person, post = db.session.get(Person, person.id), db.session.get(JobPost, post.id)
    assert person.employment_type == "full_time" and person.employed_since == date.today()
    assert post.filled == 1
    assert [h["status"] for h in referral.history] == ["referred", "interviewed", "hired"]
    audited = {(e.table_name, e.action) for e in db.session.scalars(select(AuditEvent))}
    assert {
        ("referral", "create"),
        ("referral", "update"),
        ("job_post", "update"),
        ("person", "update"),
    } <= audited
    pipeline = client.get("/jobmatch/referrals").get_data(as_text=True)
    assert "已录用" in pipeline and person.name in pipeline
    final = client.post(
        f"/jobmatch/referrals/{referral.id}/outcome", data={"status": "declined", "reason": "x"}
    )
    assert final.status_code == 409


def test_hire_into_a_home_based_post_sets_home_based_employment(client, auth, counselor, db):
    world = constraint_world()
    person, post = world["person"], world["posts"]["far_home"]
    referral = make_referral(person, post, status="referred", counselor_id=counselor.id)
    auth.login(counselor)
    client.post(f"/jobmatch/referrals/{referral.id}/outcome", data={"status": "hired"})
    db.session.expire_all()
    assert db.session.get(Person, person.id).employment_type == "home_based"


def test_profile_page_adjusts_the_functional_profile(client, auth, counselor, db):
    person = factories.make_person(county=XIHU, category=1, level=2, name="视障求职者")
    auth.login(counselor)
    form = client.get(f"/jobmatch/seekers/{person.id}/profile").get_data(as_text=True)
    assert "视觉辨识" in form and "证件默认" in form
    data = {
        "skills_text": "盲人按摩, 推拿",
        "preferred_modes": ["full_time", "flexible"],
        "min_salary": "4000",
        "max_commute_km": "30",
        "functions_present": "1",
        "active": "1",
        **{f"fn_{f}": "3" for f in ("hearing", "speaking", "standing")},
        "fn_seeing": "1",
        "fn_reading": "0",
    }
    saved = client.post(f"/jobmatch/seekers/{person.id}/profile", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    profile = db.session.scalar(select(SeekerProfile).where(SeekerProfile.person_id == person.id))
    assert "blind_massage" in profile.skills and profile.functions == {"seeing": 1}
    assert profile.functions_adjusted and profile.preferred_modes == ["full_time", "flexible"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "adjust_functions"))
    assert "tuina" in profile.skills
    profile.skills_text = "做过两年超市收银，會用扫码枪，喜欢画沙画"
    db.session.commit()
    page = client.get(f"/jobmatch/seekers/{person.id}/profile").get_data(as_text=True)
    assert "未识别为技能的词语" in page and "沙画" in page
    assert "收银" in page.split('id="mapped-skills"')[1].split("</p>")[0]


def test_far_counselor_cannot_open_the_seeker(client, auth, other_counselor):
    person = factories.make_person(county=XIHU)
    auth.login(other_counselor)
    assert client.get(f"/jobmatch/seekers/{person.id}").status_code == 404
    assert client.post(f"/jobmatch/seekers/{person.id}/refer", data={}).status_code == 404


def test_post_form_refuses_category_and_shows_mapped_skills(client, auth, db):
    employer = factories.make_employer(county=XIHU)
    user = factories.make_user("employer", employer_id=employer.id)
    auth.login(user)
    base = {
        "title": "客服专员",
        "skills_text": "网店客服 收营",
        "min_education": "senior",
        "work_mode": "home_based",
        "positions": "2",
        "status": "open",
        "salary_min": "3000",
        "salary_max": "5000",
        "fn_hearing": "2",
        "accommodations": ["text_communication"],
    }
    refused = client.post("/jobmatch/posts/new", data=base | {"description": "不招聋哑人"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "岗位要求不得以残疾类别作为条件" in text
    assert "电商客服" in text  # the mapped skills are shown back
    created = client.post("/jobmatch/posts/new", data=base | {"description": "在家处理网店咨询"})
    assert created.status_code == 302
    post = db.session.scalar(select(JobPost))
    assert post.employer_id == employer.id and post.functions == {"hearing": 2}
    assert "ecommerce_customer_service" in post.skills and post.accommodations == [
        "text_communication"
    ]
    shown = client.get(f"/jobmatch/posts/{post.id}").get_data(as_text=True)
    assert "电商客服" in shown and "文字沟通" in shown
    edit = client.post(
        f"/jobmatch/posts/{post.id}/edit", data=base | {"title": "资深客服", "positions": "3"}
    )
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.get(JobPost, post.id).title == "资深客服"


def test_employer_b_cannot_see_employer_a_post_or_referrals(client, auth):
    a, b = factories.make_employer(county=XIHU), factories.make_employer(county="330212")
    user_b = factories.make_user("employer", employer_id=b.id)
    post = make_post(a)
    person = factories.make_person(county=XIHU)
    referral = make_referral(person, post)
    auth.login(user_b)
    for url in (
        f"/jobmatch/posts/{post.id}/edit",
        f"/jobmatch/posts/{post.id}",
        f"/jobmatch/posts/{post.id}/candidates",
        f"/jobmatch/referrals/{referral.id}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/jobmatch/posts/{post.id}/edit", data={"title": "x"}).status_code == 404
    assert person.name not in client.get("/jobmatch/referrals").get_data(as_text=True)


def test_employer_candidates_page_is_anonymous_until_consent(client, auth):
    employer = factories.make_employer(county=XIHU)
    user = factories.make_user("employer", employer_id=employer.id)
    post = make_post(employer)
    person = factories.make_person(county=XIHU, name="钱七")
    make_profile(person)
    auth.login(user)
    page = client.get(f"/jobmatch/posts/{post.id}/candidates").get_data(as_text=True)
    assert "钱七" not in page and "候选人 1" in page and person.cert_masked not in page
    make_referral(person, post, seeker_consented=True)
    assert "钱七" in client.get(f"/jobmatch/posts/{post.id}/candidates").get_data(as_text=True)


def test_graduate_recommendations_interest_and_consent(client, auth, db):
    world = constraint_world()
    person = world["person"]
    other = factories.make_person(county=XIHU, name="别的毕业生")
    other_ref = make_referral(other, world["posts"]["good"])
    user = factories.make_user("graduate", person_id=person.id)
    auth.login(user)
    page = client.get("/jobmatch/my/recommendations").get_data(as_text=True)
    assert "收银员" in page and "这份工作需要你具备的技能" in page and "景宁收银员" not in page
    easy = client.get("/jobmatch/my/recommendations?easy=1").get_data(as_text=True)
    assert "这份工作用得上你的技能。" in easy
    post = world["posts"]["good"]
    assert client.post(f"/jobmatch/my/recommendations/{post.id}/interest").status_code == 302
    referral = db.session.scalar(select(Referral).where(Referral.person_id == person.id))
    assert referral.status == "proposed" and referral.seeker_interested
    mine = client.get("/jobmatch/my/referrals").get_data(as_text=True)
    assert "收银员" in mine and "别的毕业生" not in mine
    assert client.post(f"/jobmatch/my/referrals/{other_ref.id}/consent").status_code == 404
    assert client.post(f"/jobmatch/my/referrals/{referral.id}/consent").status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).seeker_consented


def test_person_page_has_a_matches_section(client, auth, counselor):
    person = factories.make_person(county=XIHU, name="孙八")
    auth.login(counselor)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "岗位匹配" in page and f"/jobmatch/seekers/{person.id}" in page
