"""Getting in: password reset by one-time code, employers' self-registration and its decision, a
graduate's invitation; and the outbox addressing accounts and employers (web and API, both DBs)."""

import difflib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import accounts, identity, outbox
from core.extensions import db, limiter
from core.models import (
    AccessCode,
    AuditEvent,
    Employer,
    EmployerRegistration,
    Message,
    User,
    utcnow,
)
from tests import factories


@pytest.fixture(autouse=True)
def _fast(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MIN_SECONDS", 0)


def _messages(**where):
    stmt = select(Message).order_by(Message.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Message, key) == value)
    return db.session.scalars(stmt).all()


def _code_in(message: Message) -> str:
    return re.search(r"\b(\d{8})\b", message.body).group(1)


def _actions(table: str) -> list[str]:
    stmt = select(AuditEvent.action).where(AuditEvent.table_name == table)
    return db.session.scalars(stmt.order_by(AuditEvent.id)).all()


# --- the outbox addresses a person, an account or an employer ------------------------------------


def test_a_message_has_exactly_one_addressee(app):
    person = factories.make_person()
    employer = factories.make_employer()
    base = {"channel": "in_app", "kind": "notice", "body": "x"}
    for n, addressees in enumerate(({}, {"person_id": person.id, "employer_id": employer.id})):
        db.session.add(Message(idempotency_key=f"bad:{n}", **base, **addressees))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    db.session.add(Message(idempotency_key="ok", employer_id=employer.id, **base))
    db.session.commit()
    assert _messages(employer_id=employer.id)[0].addressee_name == employer.name


# --- password reset ------------------------------------------------------------------------------


def _reset_user(**fields):
    person = factories.make_person(phone="13800001234", email="grad@example.cn")
    return factories.make_user("graduate", username="grad_reset", person_id=person.id, **fields)


def test_reset_by_email_code_once_and_every_session_ends(app, client, auth):
    user = _reset_user()
    auth.login(user)
    page = client.post("/password/forgot", data={"username": "grad_reset", "channel": "email"})
    assert page.status_code == 200 and "验证码" in page.get_data(as_text=True)
    [message] = _messages(user_id=user.id)
    assert (message.channel, message.recipient, message.person_id) == (
        "email",
        "grad@example.cn",
        None,
    )
    code = _code_in(message)
    stored = db.session.scalar(select(AccessCode))
    assert stored.code_hash != code and code not in stored.code_hash  # only a keyed hash is kept
    form = {"username": "grad_reset", "code": code, "password": "neues-passwort-1"}
    short = client.post(
        "/password/reset", data={**form, "password": "kurz", "password_confirm": "kurz"}
    )
    assert short.status_code == 422 and "至少使用 8 个字符" in short.get_data(as_text=True)
    done = client.post("/password/reset", data={**form, "password_confirm": "neues-passwort-1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302  # the old session ended
    again = client.post("/password/reset", data={**form, "password_confirm": "neues-passwort-1"})
    assert again.status_code == 422 and "已使用" in again.get_data(as_text=True)  # single use
    auth.login("grad_reset", "neues-passwort-1")
    db.session.expire_all()
    assert code not in _messages(user_id=user.id)[0].body  # the spent code is blanked out
    assert _actions("user_account")[-2:] == ["reset_requested", "password_reset"]


def test_an_expired_unused_code_is_blanked_out_of_its_message(app, client):
    user = _reset_user()
    client.post("/password/forgot", data={"username": "grad_reset", "channel": "email"})
    client.post("/password/forgot", data={"username": "grad_reset", "channel": "sms"})
    first, second = _messages(user_id=user.id)
    assert accounts.redact_expired() == 0  # not expired yet: both still work
    stored = db.session.scalars(select(AccessCode).order_by(AccessCode.id)).first()
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    code = _code_in(first)
    assert accounts.redact_expired() == 1 and accounts.redact_expired() == 0
    db.session.expire_all()
    first, second = _messages(user_id=user.id)
    assert code not in first.body and first.body == accounts.REDACTED
    assert _code_in(second)  # the other, still valid, code stays readable


def test_reset_answers_the_same_for_unknown_accounts(app, client):
    _reset_user()
    pages = [
        client.post("/password/forgot", data={"username": name, "channel": channel})
        for name, channel in (("grad_reset", "email"), ("nobody", "email"), ("grad_reset", "sms"))
    ]
    # The same page but for the CSRF token (signed with the second it was made in).
    texts = [
        re.sub(r'name="csrf_token" value="[^"]*"', "", p.get_data(as_text=True)).replace(
            "nobody", "grad_reset"
        )
        for p in pages
    ]
    assert {p.status_code for p in pages} == {200}
    for text in texts[1:]:
        assert text == texts[0], "\n".join(
            difflib.unified_diff(texts[0].splitlines(), text.splitlines(), lineterm="")
        )
    assert [m.channel for m in _messages()] == ["email", "sms"]  # sms: the person's mobile
    api = [
        client.post("/api/v1/auth/password/forgot", json={"username": n, "channel": "email"})
        for n in ("grad_reset", "nobody")
    ]
    assert [r.status_code for r in api] == [202, 202] and api[0].json == api[1].json


def test_reset_is_not_sent_to_an_inactive_account(app, client):
    _reset_user(active=False)
    client.post("/password/forgot", data={"username": "grad_reset", "channel": "email"})
    assert _messages() == []


def test_reset_code_expires_and_wrong_guesses_spend_it(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_RESET", "50 per minute")  # the per-code count here
    user = _reset_user()
    accounts.request_reset("grad_reset", "email")
    code = _code_in(_messages(user_id=user.id)[0])
    body = {"username": "grad_reset", "code": code, "password": "neues-passwort-1"}
    stored = db.session.scalar(select(AccessCode))
    stored.expires_at -= timedelta(minutes=app.config["PASSWORD_RESET_CODE_MINUTES"] + 1)
    db.session.commit()
    assert client.post("/api/v1/auth/password/reset", json=body).status_code == 422
    accounts.request_reset("grad_reset", "email")
    code = _code_in(_messages(user_id=user.id)[-1])
    for _ in range(app.config["PASSWORD_RESET_MAX_ATTEMPTS"]):
        wrong = client.post("/api/v1/auth/password/reset", json={**body, "code": "00000000"})
        assert wrong.status_code == 422 and "code" in wrong.json["errors"]
    late = client.post("/api/v1/auth/password/reset", json={**body, "code": code})
    assert late.status_code == 422  # too many wrong guesses: the right code no longer works


def test_reset_requests_are_limited_per_account_and_per_address(app, client):
    limiter.reset()
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.config, "RATELIMIT_RESET_ACCOUNT", "2 per hour")
        answers = [
            client.post("/password/forgot", data={"username": "someone", "channel": "email"})
            for _ in range(3)
        ]
        assert [a.status_code for a in answers] == [200, 200, 429]
    answers = [
        client.post("/password/forgot", data={"username": f"u{n}", "channel": "email"})
        for n in range(6)
    ]
    assert answers[-1].status_code == 429  # RATELIMIT_RESET per address


def test_reset_form_says_what_is_missing(app, client):
    page = client.post("/password/forgot", data={"username": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "请输入用户名" in text and "请选择验证码的发送方式" in text
    en = client.post("/password/forgot?lang=en", data={}, headers={"Accept-Language": "en"})
    assert en.status_code == 422


# --- employers' self-registration ----------------------------------------------------------------

CODE = identity.make_credit_code("91330106MA2ABCDE1")


def _registration(**changes):
    return {
        "credit_code": CODE,
        "name": "自助注册有限公司",
        "unit_type": "enterprise",
        "county_code": "330106",
        "contact_name": "王经理",
        "contact_phone": "0571-88888888",
        "contact_email": "hr@zizhu.cn",
        "username": "zizhu_hr",
        "password": "zizhu-pass-1",
        "password_confirm": "zizhu-pass-1",
        **changes,
    }


def test_registration_names_the_mistyped_character(app, client):
    typo = CODE[:10] + "O" + CODE[11:]
    page = client.post("/register/employer", data=_registration(credit_code=typo))
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "第 11 位“O”有误" in text
    wrong_check = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    api = client.post(
        "/api/v1/employer-registrations",
        json=_registration(credit_code=wrong_check),
        headers={"Accept-Language": "en"},
    )
    assert api.status_code == 422 and "check character" in api.json["errors"]["credit_code"][0]
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_registration_waits_then_approval_links_the_existing_employer(app, client, auth, admin):
    existing = factories.make_employer(name="已有单位")
    page = client.post("/register/employer", data=_registration(credit_code=existing.credit_code))
    assert page.status_code == 200 and "等待残联审核" in page.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.username == "zizhu_hr"))
    assert user.active is False and user.employer_id is None
    waiting = client.post("/login", data={"username": "zizhu_hr", "password": "zizhu-pass-1"})
    assert waiting.status_code == 403 and "等待残联审核" in waiting.get_data(as_text=True)
    wrong = client.post("/login", data={"username": "zizhu_hr", "password": "wrong-pass-1"})
    assert wrong.status_code == 401 and "等待残联审核" not in wrong.get_data(as_text=True)
    token = client.post(
        "/api/v1/auth/token", json={"username": "zizhu_hr", "password": "zizhu-pass-1"}
    )
    assert token.status_code == 403 and "username" in token.get_json()["errors"]
    registration = db.session.scalar(select(EmployerRegistration))
    auth.login(admin)
    listing = client.get("/admin/registrations").get_data(as_text=True)
    assert "自助注册有限公司" in listing
    url = f"/admin/registrations/{registration.id}/decide"
    assert client.post(url, data={"outcome": "approve"}).status_code == 302
    assert client.post(url, data={"outcome": "refuse", "reason": "晚了"}).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.active and user.employer_id == existing.id
    assert db.session.get(EmployerRegistration, registration.id).status == "approved"
    [told] = _messages(user_id=user.id)
    assert (told.channel, told.recipient, told.kind) == ("email", "hr@zizhu.cn", "registration")
    assert "approve" in _actions("employer_registration")
    auth.logout()
    auth.login("zizhu_hr", "zizhu-pass-1")


def test_refusal_needs_a_reason_and_a_second_decision_is_409(app, client, admin, api_headers):
    client.post("/api/v1/employer-registrations", json=_registration())
    registration = db.session.scalar(select(EmployerRegistration))
    url = f"/api/v1/employer-registrations/{registration.id}/decision"
    headers = api_headers(admin)
    no_reason = client.post(url, json={"outcome": "refuse"}, headers=headers)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    refused = client.post(
        url, json={"outcome": "refuse", "reason": "代码与名称不符"}, headers=headers
    )
    assert refused.status_code == 200 and refused.json["status"] == "refused"
    again = client.post(url, json={"outcome": "approve"}, headers=headers)
    assert again.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Employer)) == 0
    [told] = _messages(kind="registration")
    assert "代码与名称不符" in told.body
    assert (
        client.get("/api/v1/employer-registrations?status=refused", headers=headers).json[0][
            "reason"
        ]
        == "代码与名称不符"
    )


def test_approval_creates_a_new_employer(app, client, admin, api_headers):
    client.post("/api/v1/employer-registrations", json=_registration())
    registration = db.session.scalar(select(EmployerRegistration))
    url = f"/api/v1/employer-registrations/{registration.id}/decision"
    answer = client.post(url, json={"outcome": "approve"}, headers=api_headers(admin))
    employer = db.session.scalar(select(Employer).where(Employer.credit_code == CODE))
    assert answer.json["employer_id"] == employer.id and employer.name == "自助注册有限公司"


def test_a_second_pending_registration_of_one_code_is_refused(app, client):
    assert client.post("/register/employer", data=_registration()).status_code == 200
    second = client.post("/register/employer", data=_registration(username="other_hr"))
    assert second.status_code == 422 and "等待审核" in second.get_data(as_text=True)


# --- a graduate's invitation ---------------------------------------------------------------------


def _token(message: Message) -> str:
    return re.search(r"/activate/([A-Za-z0-9_-]+)", message.body).group(1)


def test_invitation_makes_the_graduates_account_once(app, client, auth, counselor):
    person = factories.make_person(email="grad@example.cn", name="李四")
    auth.login(counselor)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "邀请李四" in page
    sent = client.post(f"/people/{person.id}/invite", data={"channel": "email"})
    assert sent.status_code == 302
    [message] = _messages(person_id=person.id)
    assert (message.channel, message.recipient, message.kind) == (
        "email",
        "grad@example.cn",
        "invitation",
    )
    token = _token(message)
    assert db.session.scalar(select(AccessCode)).code_hash != token
    auth.logout()
    assert client.get(f"/activate/{token}").status_code == 200
    form = {"username": "lisi", "password": "lisi-pass-1", "password_confirm": "lisi-pass-1"}
    made = client.post(f"/activate/{token}", data=form)
    assert made.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "lisi"))
    assert (user.role, user.person_id, user.county_code) == ("graduate", person.id, "330106")
    assert client.get(f"/activate/{token}").status_code == 410  # single use
    auth.login("lisi", "lisi-pass-1")
    assert "invite" in _actions("person") and "activate" in _actions("access_code")


def test_invitation_is_for_the_counselors_county_and_expires(
    app, client, other_counselor, counselor, api_headers
):
    person = factories.make_person(phone="13900001111")
    far = client.post(
        f"/api/v1/people/{person.id}/invitation",
        json={"channel": "sms"},
        headers=api_headers(other_counselor),
    )
    assert far.status_code == 404
    no_email = client.post(
        f"/api/v1/people/{person.id}/invitation",
        json={"channel": "email"},
        headers=api_headers(counselor),
    )
    assert no_email.status_code == 422 and "channel" in no_email.json["errors"]
    ok = client.post(
        f"/api/v1/people/{person.id}/invitation",
        json={"channel": "sms"},
        headers=api_headers(counselor),
    )
    assert ok.status_code == 201
    token = _token(_messages(person_id=person.id)[0])
    code = db.session.scalar(select(AccessCode))
    code.expires_at -= timedelta(days=app.config["INVITATION_DAYS"] + 1)
    db.session.commit()
    late = client.post(
        "/api/v1/auth/activate",
        json={"token": token, "username": "late", "password": "late-pass-1"},
    )
    assert late.status_code == 410


def test_no_invitation_for_a_person_with_an_account(app, client, counselor, api_headers):
    person = factories.make_person(email="a@example.cn")
    factories.make_user("graduate", person_id=person.id)
    answer = client.post(
        f"/api/v1/people/{person.id}/invitation",
        json={"channel": "email"},
        headers=api_headers(counselor),
    )
    assert answer.status_code == 409


# --- the login page and the outbox's delivery of these messages ----------------------------------


def test_login_page_links_to_reset_and_registration(app, client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and 'href="/register/employer"' in page
    redirected = client.get("/account", follow_redirects=True).get_data(as_text=True)
    assert "请先登录" in redirected or "登录" in redirected


def test_account_messages_are_delivered_and_dead_letters_shown_to_admins(
    app, client, auth, admin, counselor, monkeypatch
):
    from core.channels import DeliveryError

    class Refusing:
        name = "email"

        def configured(self, config):
            return True

        def send(self, message, config):
            raise DeliveryError("smtp:550", "no such mailbox")

    monkeypatch.setitem(outbox.CHANNELS, "email", Refusing())
    _reset_user()
    accounts.request_reset("grad_reset", "email")
    assert outbox.deliver_due("test")["dead"] == 1
    auth.login(admin)
    page = client.get("/followup/dead-letters").get_data(as_text=True)
    assert "grad_reset" in page or "张三" in page
    auth.logout()
    auth.login(counselor)
    assert "smtp:550" not in client.get("/followup/dead-letters").get_data(as_text=True)


def test_a_reset_request_is_padded_to_the_same_least_time(app, client, monkeypatch):
    """Whether a code was made or not, the answer waits out PASSWORD_RESET_MIN_SECONDS."""
    import time

    slept = []
    monkeypatch.setattr(time, "sleep", slept.append)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MIN_SECONDS", 5)
    _reset_user()
    for name in ("grad_reset", "nobody"):
        client.post("/password/forgot", data={"username": name, "channel": "email"})
    assert len(slept) == 2 and all(4 < seconds <= 5 for seconds in slept)
