"""Evaluation and public notice against hand-computed figures, Wilson intervals included."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent, Person
from tests import factories
from tests.integration.test_training_support import make_course, make_provider
from training import notice, services
from training.models import CourseEvaluation

AS_OF = date(2025, 6, 30)


def _history(course, outcome, completed_on=None, **person_fields):
    """A person enrolled in a 2024 course and taken through the workflow to `outcome`."""
    person = factories.make_person(name=person_fields.pop("name", "学员"), **person_fields)
    enrolment = services.enrol(person, course, today=date(2024, 6, 1))
    steps = {
        "applied": [],
        "attending": ["accept", "attend"],
        "dropped": ["accept", "drop"],
        "completed": ["accept", "attend", "complete"],
        "certified": ["accept", "attend", "complete", "certify"],
    }[outcome]
    for action in steps:
        details = {"reason": "家庭原因", "completed_on": completed_on}
        enrolment = services.transition(enrolment, action, **details)
    return enrolment


@pytest.fixture
def world(app):
    """C1 and C2 by provider P1, C3 by P2 (the cases of the unit test, through the services).

    C1: 5 concluded, 4 completed (80%); 3 of 4 certified; of 3 completers due by 30 June 2025,
        1 employed six months after (one started too late, one is not employed).
    C2: 1 of 2 completed; not certified; employed from the clamped check day (28 Feb 2025).
    C3: one person still attending.
    """
    p1 = make_provider(name="杭州阳光职业培训学校")
    p2 = make_provider(county="330212", name="宁波助残培训中心")
    start = date(2024, 7, 1)
    c1 = make_course(p1, title="直播带货一期", starts_on=start)
    c2 = make_course(
        p1, title="电商客服一期", starts_on=start, skills=["ecommerce_customer_service"]
    )
    c3 = make_course(p2, title="盲人按摩一期", starts_on=start, county_code="330212")
    with app.test_request_context():
        _history(
            c1,
            "certified",
            date(2024, 10, 15),
            employment_type="full_time",
            employed_since=date(2024, 11, 1),
            name="王一",
        )
        _history(
            c1,
            "certified",
            date(2024, 10, 15),
            employment_type="full_time",
            employed_since=date(2025, 5, 1),
        )
        _history(c1, "completed", date(2024, 12, 31))
        _history(c1, "certified", date(2025, 1, 31))
        _history(c1, "dropped")
        _history(c1, "attending")
        _history(c1, "applied")
        _history(c2, "dropped")
        _history(
            c2,
            "completed",
            date(2024, 8, 31),
            employment_type="flexible",
            employed_since=date(2025, 2, 28),
        )
        _history(c3, "attending", county="330212")
    notice.run_evaluation(AS_OF)
    return {"p1": p1.id, "p2": p2.id, "c1": c1.id, "c2": c2.id, "c3": c3.id}


def _stored(scope, subject_id):
    return db.session.scalar(
        select(CourseEvaluation).where(
            CourseEvaluation.scope == scope, CourseEvaluation.subject_id == subject_id
        )
    )


def test_stored_rates_match_the_hand_computation(world):
    c1 = _stored("course", world["c1"])
    assert (c1.enrolled, c1.completed, c1.concluded, c1.certified) == (7, 4, 5, 3)
    assert (c1.employed_6m, c1.employment_due) == (1, 3)
    assert c1.completion_rate == pytest.approx(0.8)
    assert (round(c1.completion_low, 4), round(c1.completion_high, 4)) == (0.3755, 0.9638)
    assert (round(c1.certificate_low, 4), round(c1.certificate_high, 4)) == (0.3006, 0.9544)
    assert (round(c1.employment_low, 4), round(c1.employment_high, 4)) == (0.0615, 0.7923)
    c2 = _stored("course", world["c2"])
    assert (c2.completed, c2.concluded, c2.certified, c2.employed_6m, c2.employment_due) == (
        1,
        2,
        0,
        1,
        1,
    )
    c3 = _stored("course", world["c3"])
    assert (c3.concluded, c3.completion_rate, c3.completion_low) == (0, None, None)
    p1 = _stored("provider", world["p1"])
    assert (p1.completed, p1.concluded, p1.certified, p1.employed_6m, p1.employment_due) == (
        5,
        7,
        3,
        2,
        4,
    )
    province = _stored("province", 0)
    assert (province.enrolled, province.completed, province.concluded) == (10, 5, 7)
    assert (round(province.employment_low, 4), round(province.employment_high, 4)) == (0.15, 0.85)


def test_a_rerun_for_the_same_day_replaces_its_rows(world):
    before = db.session.scalar(select(db.func.count(CourseEvaluation.id)))
    notice.run_evaluation(AS_OF)
    assert db.session.scalar(select(db.func.count(CourseEvaluation.id))) == before == 3 + 2 + 1
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluate")).all()
    assert len(events) == 2 and events[0].new["as_of"] == "2025-06-30"


def test_the_public_notice_shows_the_figures_with_intervals(client, world):
    page = client.get("/training/notice?lang=en").get_data(as_text=True)
    assert "<h1>Public notice of training providers and courses</h1>" in page
    assert "Results as of" in page
    for figure in (
        "80.0%",
        "4/5",
        "37.6%–96.4%",
        "75.0%",
        "3/4",
        "30.1%–95.4%",
        "33.3%",
        "1/3",
        "6.1%–79.2%",
    ):
        assert figure in page, figure
    assert "71.4%" in page and "35.9%–91.8%" in page  # provider P1 and the province: 5/7
    assert "杭州阳光职业培训学校" in page and "盲人按摩一期" in page
    chinese = client.get("/training/notice").get_data(as_text=True)
    assert "培训机构和培训项目公示" in chinese and "95% 置信区间" in chinese


def test_the_notice_is_searchable(client, world):
    page = client.get("/training/notice", query_string={"q": "电商客服"}).get_data(as_text=True)
    assert "电商客服一期" in page and "直播带货一期" not in page
    by_skill = client.get("/training/notice", query_string={"q": "livestream selling"}).get_data(
        as_text=True
    )
    assert "直播带货一期" in by_skill and "电商客服一期" not in by_skill
    ningbo = client.get("/training/notice", query_string={"county": "330200"}).get_data(
        as_text=True
    )
    assert "宁波助残培训中心" in ningbo and "杭州阳光职业培训学校" not in ningbo


def test_the_notice_has_no_personal_data(client, world):
    names = ("王一", "学员")
    persons = db.session.scalars(select(Person)).all()
    pages = [
        client.get("/training/notice").get_data(as_text=True),
        client.get("/training/notice.csv").get_data().decode("utf-8-sig"),
        client.get(f"/training/courses/{world['c1']}").get_data(as_text=True),
        str(client.get("/api/v1/training/evaluations").json),
    ]
    for text in pages:
        for name in names:
            assert name not in text
        for person in persons:
            assert person.id_masked not in text and person.cert_masked not in text


def test_the_notice_exports_csv_and_excel(client, world):
    response = client.get("/training/notice.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["类型", "培训机构", "统一社会信用代码", "课程"]
    assert {r[0] for r in rows[1:]} >= {"培训机构", "课程", "全省平均"}
    assert all(len(r) == len(rows[0]) for r in rows), "a row does not line up with the header"
    assert not [h for h in rows[0] if "_" in h], "a code in the header"
    course_row = next(r for r in rows if r[3] == "直播带货一期")
    header = rows[0]
    assert course_row[header.index("结业率")] == "80.0%"
    assert course_row[header.index("结业率（人数/基数）")] == "4/5"
    assert course_row[header.index("结业率 Wilson 置信区间")] == "37.6%–96.4%"
    assert course_row[header.index("结业 6 个月后就业率 Wilson 置信区间")] == "6.1%–79.2%"
    assert rows[-1][0] == "全省平均"
    english = client.get("/training/notice.csv?lang=en").get_data().decode("utf-8-sig")
    assert english.startswith("Kind,Provider,Unified social credit code,Course,")
    excel = client.get("/training/notice.xlsx")
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == rows[0]
    assert any(row[3] == "直播带货一期" and "4/5" in row for row in values)
    assert client.get("/training/notice.pdf").status_code == 404


def test_the_evaluation_api_is_public_and_the_run_is_admin_only(
    client, api_headers, admin, counselor, world
):
    listed = client.get("/api/v1/training/evaluations").json
    c1 = next(r for r in listed if r["scope"] == "course" and r["subject_id"] == world["c1"])
    assert c1["name"] == "直播带货一期"
    assert (c1["completion"]["numerator"], c1["completion"]["count"]) == (4, 5)
    assert round(c1["completion"]["low"], 4) == 0.3755
    assert c1["employment_6m"]["comparison"] == "similar"
    assert client.post("/api/v1/training/evaluations", json={}).status_code == 401
    assert (
        client.post(
            "/api/v1/training/evaluations", json={}, headers=api_headers(counselor)
        ).status_code
        == 403
    )
    run = client.post(
        "/api/v1/training/evaluations", json={"as_of": "2025-07-31"}, headers=api_headers(admin)
    )
    assert run.status_code == 201 and run.json == {
        "as_of": "2025-07-31",
        "courses": 3,
        "providers": 2,
        "enrolments": 10,
    }
    later = next(
        r
        for r in client.get("/api/v1/training/evaluations").json
        if r["subject_id"] == world["c1"] and r["scope"] == "course"
    )
    assert (later["employment_6m"]["numerator"], later["employment_6m"]["count"]) == (1, 4)


def test_cli_and_admin_button_recompute(client, auth, runner, admin, world):
    result = runner.invoke(args=["training", "evaluate", "--as-of", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "evaluated 3 courses and 2 providers as of 2025-06-30 (10 enrolments)" in result.output
    assert "province employment 6m: 50.0% (2/4)" in result.output
    assert runner.invoke(args=["training", "evaluate", "--as-of", "June"]).exit_code != 0
    auth.login(admin)
    assert client.get("/training/admin").status_code == 200
    response = client.post("/training/admin/evaluate")
    assert response.status_code == 302
    assert notice.latest_as_of() == date.today()
    events = select(AuditEvent).where(AuditEvent.action == "evaluate").order_by(AuditEvent.id)
    event = db.session.scalars(events).all()[-1]
    assert event.actor_name == "admin_t"


def test_people_trained_this_year_against_the_target(client, auth, admin, app):
    course = make_course(starts_on=date(date.today().year, 1, 5))
    with app.test_request_context():
        for i in range(3):
            _history(
                course,
                "completed" if i < 2 else "attending",
                date(date.today().year, 2, 5),
                name=f"今年{i}",
            )
    totals = services.trained_in_year(date.today().year)
    assert (totals["trained"], totals["target"]) == (2, 20000)
    auth.login(admin)
    page = client.get("/training/admin?lang=en").get_data(as_text=True)
    assert "2 of the target of 20,000 people trained this year (0.0%)" in page
    assert '<progress value="2" max="20000"' in page


def test_the_nightly_job_recomputes_as_of_today(world):
    from core.scheduler import package_jobs

    job = next(j for j in package_jobs() if j["id"] == "training.evaluate")
    assert (job["trigger"], job["hour"]) == ("cron", 2)
    job["func"]()
    assert notice.latest_as_of() == date.today()
    today = _stored_on(date.today(), "course", world["c1"])
    assert (today.employed_6m, today.employment_due) == (1, 4)  # every six months have passed now


def _stored_on(day, scope, subject_id):
    return db.session.scalar(
        select(CourseEvaluation).where(
            CourseEvaluation.as_of == day,
            CourseEvaluation.scope == scope,
            CourseEvaluation.subject_id == subject_id,
        )
    )


def test_a_completer_whose_status_is_unknown_does_not_count_as_employed(app):
    """An unknown status (不详) with a stale employment date is not employment in the notice."""
    course = make_course(make_provider(name="未知状态培训学校"), starts_on=date(2024, 7, 1))
    with app.test_request_context():
        enrolment = _history(course, "completed", date(2024, 8, 31), name="不详")
        person = db.session.get(Person, enrolment.person_id)
        person.employment_type, person.employed_since = None, date(2024, 9, 1)
        db.session.commit()
    [record] = [r for r in notice.evaluation_records() if r.course_id == str(course.id)]
    assert record.employed_since is None
