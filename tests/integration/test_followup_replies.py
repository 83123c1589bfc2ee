"""Messages that name a person: the counselor's name and contact in every follow-up, replies in the
app, the counselor's task list of unanswered replies, one answer each; the work contact; unknown."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from core.models import Message, Person
from followup import home, replies, services
from followup.models import MessageReply, OfficeContact
from tests import factories


@pytest.fixture
def plan(app, db, counselor):
    counselor.display_name = "陈老师"
    db.session.commit()
    person = factories.make_person(graduation_year=2026, name="赵六")
    return services.create_plan(person, {"counselor_id": counselor.id}, today=date(2026, 11, 2))


@pytest.fixture
def graduate(plan):
    return factories.make_user("graduate", username="grad_r", person_id=plan.person_id)


def _message(db, plan, key="r1"):
    message = Message(
        idempotency_key=key,
        person_id=plan.person_id,
        plan_id=plan.id,
        channel="in_app",
        kind="cadence",
        body="您好：就业服务员想了解您的情况。",
        status="sent",
    )
    db.session.add(message)
    db.session.commit()
    return message


def _written(db, plan):
    services.write_follow_up(plan, "cadence", date(2026, 12, 7))
    db.session.commit()
    return db.session.scalar(select(Message).where(Message.plan_id == plan.id)).body


def test_a_follow_up_names_the_counselor_with_their_own_telephone(db, plan, counselor):
    counselor.phone, counselor.email = "0571-87001234", "chen@example.org"
    db.session.commit()
    body = _written(db, plan)
    assert "您的就业服务员：陈老师，电话 0571-87001234，邮箱 chen@example.org" in body
    assert "可在系统中直接回复本消息" in body


def test_without_a_telephone_the_county_office_or_nothing(db, plan, counselor, admin):
    body = _written(db, plan)
    assert "您的就业服务员：陈老师。" in body and "电话" not in body  # never a made-up number
    db.session.execute(Message.__table__.delete())
    replies.set_office_contact(admin, "330106", "0571-88880000", None)
    assert "陈老师，电话 0571-88880000" in _written(db, plan)


def test_staff_set_their_work_contact_and_the_office_contacts(client, auth, db, counselor, admin):
    auth.login(counselor)
    bad = client.post("/account/contact", data={"phone": "12345", "email": ""})
    assert bad.status_code == 422 and "固定电话" in bad.get_data(as_text=True)
    ok = client.post("/account/contact", data={"phone": "0571-87001234", "email": ""})
    assert ok.status_code == 302
    db.session.refresh(counselor)
    assert counselor.phone == "0571-87001234" and counselor.email is None
    assert client.get("/admin/office-contacts").status_code == 403
    auth.login(admin)
    saved = client.post(
        "/admin/office-contacts", data={"county_code": "330106", "phone": "0571-88880000"}
    )
    assert saved.status_code == 302
    assert db.session.get(OfficeContact, "330106").phone == "0571-88880000"
    missing = client.post("/admin/office-contacts", data={"phone": "0571-88880000"})
    assert missing.status_code == 422 and "请选择县" in missing.get_data(as_text=True)


def test_graduate_replies_and_counselor_answers_from_the_task_list(
    client, auth, db, plan, graduate, counselor
):
    message = _message(db, plan)
    message.read_at = message.created_at  # the graduate has read it
    db.session.commit()
    auth.login(graduate)
    assert home.unread_messages(graduate) == 0
    empty = client.post(f"/my/messages/{message.id}/reply", data={"body": "  "})
    assert empty.status_code == 422 and "请填写" in empty.get_data(as_text=True)
    sent = client.post(f"/my/messages/{message.id}/reply", data={"body": "我下周有空面试。"})
    assert sent.status_code == 302
    assert "我下周有空面试。" in client.get("/my/plan").get_data(as_text=True)
    auth.login(counselor)
    home_page = client.get("/").get_data(as_text=True)
    assert "待答复的回复" in home_page and "/followup/replies" in home_page
    listing = client.get("/followup/replies").get_data(as_text=True)
    assert "我下周有空面试。" in listing and "赵六" in listing
    row = db.session.scalar(select(MessageReply))
    answered = client.post(f"/followup/replies/{row.id}/answer", data={"body": "好的，周二见。"})
    assert answered.status_code == 302
    again = client.post(f"/followup/replies/{row.id}/answer", data={"body": "重复"})
    assert again.status_code == 409
    assert "没有待答复的回复" in client.get("/followup/replies").get_data(as_text=True)
    auth.login(graduate)
    assert home.unread_messages(graduate) == 1  # the answer shows as unread news on their home
    assert "好的，周二见。" in client.get("/my/plan").get_data(as_text=True)


def test_replies_by_api_and_who_may_see_them(
    client, api_headers, db, plan, graduate, counselor, other_counselor
):
    message = _message(db, plan)
    mine = api_headers(graduate)
    url = f"/api/v1/messages/{message.id}/replies"
    created = client.post(url, json={"body": "收到，谢谢。"}, headers=mine)
    assert created.status_code == 201 and created.json["from_person"] is True
    stranger = factories.make_user("graduate", person_id=factories.make_person().id)
    assert client.post(url, json={"body": "x"}, headers=api_headers(stranger)).status_code == 404
    far_headers = api_headers(other_counselor)
    assert client.get(url, headers=far_headers).status_code == 404
    far = client.get("/api/v1/replies/unanswered", headers=far_headers)
    assert far.json == []
    staff = api_headers(counselor)
    waiting = client.get("/api/v1/replies/unanswered", headers=staff).json
    assert [r["body"] for r in waiting] == ["收到，谢谢。"]
    answer_url = f"/api/v1/replies/{waiting[0]['id']}/answer"
    assert client.post(answer_url, json={"body": "x"}, headers=far_headers).status_code == 404
    assert client.post(answer_url, json={"body": "不客气"}, headers=staff).status_code == 201
    assert client.post(answer_url, json={"body": "不客气"}, headers=staff).status_code == 409
    assert [r["body"] for r in client.get(url, headers=mine).json] == ["收到，谢谢。", "不客气"]


def test_unknown_status_and_wish_are_honest_answers_at_registration(client, auth, db, counselor):
    auth.login(counselor)
    form = client.get("/people/new").get_data(as_text=True)
    assert "不详（未核实）" in form
    data = {
        "certificate_no": factories.certificate_number(),
        "name": "钱七",
        "county_code": "330106",
        "education": "bachelor",
        "employment_type": "unknown",
        "low_income": "0",
        "wish_to_work": "unknown",
        "able_to_work": "1",
        "consent": "y",
    }
    assert client.post("/people/new", data=data).status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "钱七"))
    assert person.employment_type is None and person.wish_to_work is None
    assert not person.employed
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert page.count("不详（未核实）") == 2
    edit = client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert re.search(r'<option value="unknown"\s+selected', edit)  # employment: unknown
    assert re.search(r'name="wish_to_work" value="unknown" required\s+checked', edit)
