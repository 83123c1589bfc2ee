"""A home per role: task figures that count exactly the list their link opens, in scope."""

import re
from datetime import date, timedelta

from core.extensions import db as _db
from core.models import Message
from core.navigation import GROUPS
from employment.models import RecognitionApplication
from followup.models import Plan
from followup.services import local_now
from quota.models import CreditFlag
from tests import factories
from tests.integration.jobmatch_helpers import make_post, make_referral


def _tasks(page: str) -> dict[str, tuple[str, str | None]]:
    """{label: (href, figure or status)} of the home page's task tiles."""
    tasks = {}
    for href, body in re.findall(
        r'<li class="task[^"]*">\s*<a href="([^"]+)">(.*?)</a>', page, re.S
    ):
        label = re.search(r'<span class="task-label">(.*?)</span>', body).group(1)
        value = re.search(r'<span class="task-(?:count|status)">(.*?)</span>', body)
        tasks[label] = (href.replace("&amp;", "&"), value.group(1) if value else None)
    return tasks


def _add(*rows):
    _db.session.add_all(rows)
    _db.session.commit()


def test_a_counselor_sees_counts_of_their_county_only(client, auth, counselor):
    today = local_now().date()
    near = factories.make_person(county="330106", name="西湖人")
    near2 = factories.make_person(county="330106", name="西湖人二")
    far = factories.make_person(county="330212", name="鄞州人")
    _add(
        Plan(person_id=near.id, started_on=today, next_due_on=today - timedelta(days=3)),
        Plan(person_id=near2.id, started_on=today, next_due_on=today),
        Plan(person_id=far.id, started_on=today, next_due_on=today - timedelta(days=3)),
    )
    post = make_post(factories.make_employer(county="330106"))
    make_referral(near, post, status="proposed")
    make_referral(near2, post, status="proposed")
    make_referral(near, make_post(factories.make_employer(county="330106")), status="referred")
    make_referral(far, post, status="proposed")
    _add(
        RecognitionApplication(
            person_id=near.id, kind="flexible", work_started_on=date(2026, 1, 5), evidence_text="x"
        ),
        RecognitionApplication(
            person_id=far.id, kind="flexible", work_started_on=date(2026, 1, 5), evidence_text="x"
        ),
    )
    auth.login(counselor)
    tasks = _tasks(client.get("/").get_data(as_text=True))
    assert tasks["逾期未回访"] == ("/followup/overdue", "1")
    assert tasks["今天到期的回访"] == ("/followup/plans", "1")
    assert tasks["待处理的求职意向（有意向）"] == ("/jobmatch/referrals?status=proposed", "2")
    assert tasks["已推荐，等待结果"] == ("/jobmatch/referrals?status=referred", "1")
    assert tasks["待审核的就业认定"] == ("/employment/recognitions?status=pending", "1")
    assert tasks["待裁定的重复申报"] == ("/quota/conflicts", "0")
    # the figure is the length of the list the link opens
    listed = client.get("/jobmatch/referrals?status=proposed").get_data(as_text=True)
    assert listed.count("西湖人") >= 2 and "鄞州人" not in listed


def test_a_waiting_task_is_marked_and_an_empty_one_is_not(client, auth, counselor):
    factories.make_person(county="330106")
    auth.login(counselor)
    page = client.get("/").get_data(as_text=True)
    assert 'class="task waiting"' not in page
    person = factories.make_person(county="330106", name="有意向")
    make_referral(person, make_post(factories.make_employer()), status="proposed")
    page = client.get("/").get_data(as_text=True)
    assert re.search(
        r'class="task waiting">\s*<a href="/jobmatch/referrals\?status=proposed"', page
    )


def test_an_employer_sees_filing_status_deadlines_and_candidates(client, auth):
    employer = factories.make_employer()
    user = factories.make_user("employer", username="boss", employer_id=employer.id)
    person = factories.make_person()
    make_referral(person, make_post(employer), status="referred")
    auth.login(user)
    tasks = _tasks(client.get("/").get_data(as_text=True))
    year = date.today().year - 1
    assert tasks["您的按比例就业申报"] == ("/quota/mine", f"{year} 年度：尚未申报")
    assert "缴款截止" in tasks["截止日期"][1]
    assert tasks["推荐给您的候选人"] == ("/jobmatch/referrals?status=referred", "1")
    assert tasks["您的招聘岗位"] == ("/jobmatch/posts", None)


def test_a_graduate_sees_next_step_unread_messages_and_courses(client, auth):
    person = factories.make_person()
    user = factories.make_user("graduate", username="grad", person_id=person.id)
    today = local_now().date()
    _add(Plan(person_id=person.id, started_on=today, next_due_on=today + timedelta(days=5)))
    _add(
        Message(
            idempotency_key="k1",
            person_id=person.id,
            channel="in_app",
            kind="reminder",
            body="您好",
            status="sent",
        ),
        Message(
            idempotency_key="k2",
            person_id=person.id,
            channel="in_app",
            kind="reminder",
            body="已读",
            status="sent",
            read_at=local_now().replace(tzinfo=None),
        ),
    )
    auth.login(user)
    tasks = _tasks(client.get("/").get_data(as_text=True))
    assert tasks["未读消息"] == ("/my/plan", "1")
    assert tasks["您的下一步"][0] == "/my/plan" and tasks["您的下一步"][1]
    assert tasks["为您推荐的岗位"] == ("/jobmatch/my/recommendations", None)
    assert tasks["正在参加的培训课程"] == ("/training/my", "0")


def test_an_admin_sees_review_publication_flags_and_failed_messages(client, auth, admin):
    employer = factories.make_employer()
    _add(
        CreditFlag(
            employer_id=employer.id,
            data_year=2025,
            grade="general",
            code="unpaid",
            reason_zh="未缴",
            reason_en="unpaid",
        ),
    )
    auth.login(admin)
    tasks = _tasks(client.get("/").get_data(as_text=True))
    assert tasks["待处理的信用标记"] == ("/quota/admin/flags", "1")
    assert tasks["年审"] == ("/quota/admin", "尚未开始年审")
    assert tasks["发送失败的消息"] == ("/followup/dead-letters", "0")
    assert "公示" in tasks["公示名单"][1]


def test_the_menu_has_at_most_seven_task_groups_for_every_role(client, auth, admin, counselor):
    assert len(GROUPS) <= 7
    for user in (None, admin, counselor):
        if user:
            auth.login(user)
        page = client.get("/").get_data(as_text=True)
        nav = page[
            page.index('id="main-nav-list"') : page.index(
                "</nav>", page.index('id="main-nav-list"')
            )
        ]
        assert nav.count('<li class="nav-group">') <= 7
        assert "<script" not in nav and "onclick" not in nav
        if user is admin:
            assert nav.count('<details class="nav-menu">') >= 4
            assert "<summary>统计与管理</summary>" in nav


def test_english_home_of_a_counselor(client, auth, counselor):
    auth.login(counselor)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Your work today" in page and "Follow-ups overdue" in page
