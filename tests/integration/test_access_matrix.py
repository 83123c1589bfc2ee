"""Every route of the URL map x every role x method answers as its access marker says.

The routes come from the app's URL map (all packages, so the matrix grows by itself). Each view
carries `allowed_roles` (set by `public`, `roles_required` or `api_auth`); a route without one
fails. Expected answers:
- anonymous on a protected web page: 302 to /login; on an API route: 401;
- a logged-in role outside `allowed_roles`: 403;
- an allowed role: neither 401 nor 403, no redirect to the login page, never a 5xx;
- on an object of party A, the parties B (employer B, graduate B, the far counselor) get 404
  wherever their role is allowed, as if the object did not exist (a POST/PUT/PATCH may refuse
  the empty body first with 400/422, which reveals nothing either).
URL parameters are filled from one set of fixture objects per module (see ID_PARAMS); a
parameter that cannot be filled yet skips its cases with the reason.
"""

import importlib
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import create_app, identity
from core.auth import issue_token
from core.extensions import db, limiter
from core.models import User
from tests import conftest, factories

# role name in the matrix -> the account's role
ROLES = {
    "anonymous": None,
    "admin": "admin",
    "counselor": "counselor",
    "counselor_far": "counselor",
    "employer_a": "employer",
    "employer_b": "employer",
    "graduate_a": "graduate",
    "graduate_b": "graduate",
}
COUNTY_A, COUNTY_B = "330106", "330212"

# Framework routes with no view function of ours to mark: static files and the OpenAPI document.
FRAMEWORK_PUBLIC = {"static", "api-docs.openapi_json"}
# Endpoints that check credentials themselves: 401 there means "wrong password", not "log in".
CREDENTIAL_ENDPOINTS = {"core.login", "core_api.create_token"}

# URL parameters that are not object ids: a value per parameter (or per endpoint).
VALUES = {
    "code": "en",
    "fmt": "csv",
    "year": 2025,
    "version": 1,
    "kind": "assessment_notice",
    "number": "ABCD-EFGH-JKMN-PQRS",
    "token": "0" * 32,
    "filename": {"static": "css/site.css", "api_docs.docs_assets": "swagger-ui.css"},
}

B_PARTIES = ("counselor_far", "employer_b", "graduate_b")


@dataclass(frozen=True)
class Owned:
    """An id parameter: the fixture object of party A that fills it, and who must get 404."""

    key: str
    hidden_from: tuple[str, ...] = B_PARTIES


# Grows with the packages: parameter name -> the fixture object (built in `_build_objects`).
ID_PARAMS = {
    "person_id": Owned("person"),
    "employer_id": Owned("employer", ("counselor_far", "employer_b")),
    "post_id": Owned("post", ("counselor_far", "employer_b")),
    "referral_id": Owned("referral"),
    "plan_id": Owned("plan"),
    "action_id": Owned("plan_action"),
    "message_id": Owned("message"),
    "reply_id": Owned("reply"),
    "provider_id": Owned("provider", ()),  # providers and courses are public
    "course_id": Owned("course", ()),
    "enrolment_id": Owned("enrolment"),
    "filing_id": Owned("filing", ("counselor_far", "employer_b")),
    "assessment_id": Owned("assessment", ("counselor_far", "employer_b")),
    "flag_id": Owned("flag", ("counselor_far", "employer_b")),
    "payment_id": Owned("payment", ("counselor_far", "employer_b")),
    "finding_id": Owned("nominal_hire", ("counselor_far", "employer_b")),
    "check_id": Owned("certificate_check", ("counselor_far", "employer_b")),
    "document_id": Owned("document", ("counselor_far", "employer_b")),
    "request_id": Owned("quota_request", ("counselor_far", "employer_b")),
    "evidence_id": Owned("evidence", ("counselor_far", "employer_b")),
    "quota_reminder_id": Owned("quota_reminder", ("counselor_far", "employer_b")),
    "run_id": Owned("review_run", ()),
    "app_id": Owned("recognition"),
    "disregard_id": Owned("disregard"),
    "reminder_id": Owned("reminder"),
    "relative_id": Owned("relative"),
    "household_id": Owned("household"),
    "institution_id": Owned("institution"),
    "welfare_post_id": Owned("welfare_post"),
    "assignment_id": Owned("welfare_assignment"),
    "centre_id": Owned("centre"),
    "participant_id": Owned("participant"),
    "startup_id": Owned("startup"),
    "follow_up_id": Owned("follow_up"),
    "competition_id": Owned("competition", ()),  # competitions are seen by every counselor
    "entry_id": Owned("competition_entry"),
    "registration_id": Owned("registration", ()),  # the federation's (admins') only
}


def _routes():
    """(endpoint, rule, method) for every route of the URL map, from an app built for reading."""
    app = create_app(conftest.test_config("sqlite", SQLALCHEMY_DATABASE_URI="sqlite://"))
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            view = app.view_functions[rule.endpoint]
            found.append((rule.endpoint, rule.rule, method, getattr(view, "allowed_roles", None)))
    return sorted(found, key=lambda r: (r[1], r[2]))


ROUTES = _routes()
CASES = [
    pytest.param(endpoint, rule, method, allowed, role, id=f"{method} {rule} {role}")
    for endpoint, rule, method, allowed in ROUTES
    for role in ROLES
]


# The fixture world: two parties in two counties, and one object of party A per id parameter.


def _model(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _add(path: str, **fields) -> int:
    obj = _model(path)(**fields)
    db.session.add(obj)
    db.session.flush()
    return obj.id


def _build_objects(ids: dict) -> dict:
    """Party A's objects of the domain packages; a failure is kept as the reason to skip."""
    today = date.today()
    person, employer = ids["person"], ids["employer"]
    builders = {
        "post": lambda: _add(
            "jobmatch.models.JobPost", employer_id=employer, title="会计", county_code=COUNTY_A
        ),
        "referral": lambda: _add("jobmatch.models.Referral", person_id=person, post_id=ids["post"]),
        "plan": lambda: _add(
            "followup.models.Plan",
            person_id=person,
            counselor_id=ids["user:counselor"],
            started_on=today,
        ),
        "plan_action": lambda: _add(
            "followup.models.PlanAction",
            plan_id=ids["plan"],
            kind="interview_coaching",
            description="联系",
            due_on=today,
        ),
        "message": lambda: _add(
            "core.models.Message",
            idempotency_key=f"matrix:{ids['plan']}",
            person_id=person,
            plan_id=ids["plan"],
            channel="in_app",
            kind="cadence",
            body="请回复近况",
            status="sent",
        ),
        "reply": lambda: _add(
            "followup.models.MessageReply",
            message_id=ids["message"],
            person_id=person,
            from_person=True,
            body="谢谢，我还在找工作。",
        ),
        "provider": lambda: _add(
            "training.models.Provider",
            name="测试培训学校",
            credit_code=identity.make_credit_code(f"52{COUNTY_A}MA0000001"),
            county_code=COUNTY_A,
        ),
        "course": lambda: _add(
            "training.models.Course",
            provider_id=ids["provider"],
            title="电子商务",
            county_code=COUNTY_A,
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=60),
            seats=10,
        ),
        "enrolment": lambda: _add(
            "training.models.Enrolment", person_id=person, course_id=ids["course"], applied_on=today
        ),
        "filing": lambda: _add("quota.models.QuotaFiling", employer_id=employer, data_year=2025),
        "flag": lambda: _add(
            "quota.models.CreditFlag",
            employer_id=employer,
            data_year=2025,
            grade="general",
            code="unpaid_levy",
            reason_zh="测试",
            reason_en="test",
        ),
        "nominal_hire": lambda: _add(
            "quota.models.NominalHireFinding",
            employer_id=employer,
            data_year=2025,
            person_index="0" * 64,
            cert_masked="330106**********0000",
            note="测试",
        ),
        "certificate_check": lambda: _add(
            "quota.models.CertificateCheck",
            employer_id=employer,
            data_year=2025,
            person_index="1" * 64,
            cert_masked="310101**********0000",
            issuing_area="310101",
        ),
        "review_run": lambda: _add("quota.models.QuotaReviewRun", data_year=2025),
        "document": lambda: _add(
            "quota.models.QuotaDocument",
            kind="reward_notice",
            number="JL2026-0000001",
            verification="ABCD-EFGH-JKMN-PQRT",
            employer_id=employer,
            data_year=2025,
            figures={"issuer": "测试", "excess": "1", "reward": "1.00"},
        ),
        "quota_request": lambda: _add(
            "quota.models.QuotaRequest",
            kind="relief",
            employer_id=employer,
            data_year=2025,
            reason="测试",
            amount_requested=Decimal("1.00"),
        ),
        "evidence": lambda: _add(
            "quota.models.QuotaEvidence",
            request_id=ids["quota_request"],
            filename="a.pdf",
            content_type="application/pdf",
            size=4,
            data=b"%PDF",
        ),
        "quota_reminder": lambda: _add(
            "quota.models.QuotaReminder",
            key="matrix:reminder",
            kind="window_open",
            employer_id=employer,
            data_year=2025,
            subject="测试",
            body="测试",
        ),
        "recognition": lambda: _add(
            "employment.models.RecognitionApplication",
            person_id=person,
            kind="flexible",
            work_started_on=today,
            evidence_text="网店经营",
        ),
        "disregard": lambda: _add(
            "employment.models.IncomeDisregard", person_id=person, start_date=today
        ),
        "reminder": lambda: _add(
            "employment.models.DisregardReminder",
            disregard_id=ids["disregard"],
            remind_on=today,
            change_on=today + timedelta(days=30),
            new_share=Decimal("0.5"),
        ),
        "registration": lambda: _add(
            "core.models.EmployerRegistration",
            user_id=_add(
                "core.models.User",
                username="matrix_applicant",
                password_hash="x",
                role="employer",
                active=False,
            ),
            credit_code=identity.make_credit_code(f"91{COUNTY_A}MA0000009"),
            name="申请单位",
            unit_type="enterprise",
            county_code=COUNTY_A,
            contact_name="申请人",
            contact_email="apply@example.cn",
        ),
        **_employment_builders(ids, person, today),
    }
    reasons = {}
    for key, build in builders.items():
        try:
            with db.session.begin_nested():
                ids[key] = build()
        except Exception as error:  # a package not built yet, or a model that changed
            reasons[key] = f"cannot build fixture {key!r}: {type(error).__name__}: {error}"[:300]
    return reasons


def _household(person_id: int) -> str:
    from core.models import Person

    db.session.get(Person, person_id).household_id = "HM-A"
    db.session.flush()
    return "HM-A"


def _employment_builders(ids: dict, person: int, today: date) -> dict:
    """Party A's objects of the employment package's measures."""
    m = "employment.models."
    term = {"starts_on": today.replace(month=1, day=1), "ends_on": today.replace(month=12, day=31)}
    return {
        "household": lambda: _household(person),
        "relative": lambda: _add(
            m + "HouseholdRelative", household_id="HM-A", county_code=COUNTY_A, relation="spouse",
            birth_date=date(1980, 1, 1), sex="F", able_to_work=True, wish_to_work=True,
            employed=False,
        ),
        "institution": lambda: _add(
            m + "Institution", kind="blind_massage", name="测试按摩店", county_code=COUNTY_A,
            credit_code=identity.make_credit_code(f"92{COUNTY_A}MA0000001"), registered_on=today,
        ),
        "welfare_post": lambda: _add(
            m + "WelfarePost", title="协管员", host="街道", funding="县资金", county_code=COUNTY_A,
            seats=2, **term,
        ),
        "welfare_assignment": lambda: _add(
            m + "WelfareAssignment", post_id=ids["welfare_post"], person_id=person,
            priority_group=2, **term,
        ),
        "centre": lambda: _add(
            m + "AuxiliaryCentre", name="阳光家园", operator="残联", county_code=COUNTY_A,
            opened_on=today,
        ),
        "participant": lambda: _add(
            m + "AuxiliaryParticipant", centre_id=ids["centre"], person_id=person, joined_on=today
        ),
        "startup": lambda: _add(
            m + "StartupApplication", person_id=person, business_name="网店",
            business_plan="经营手工网店", amount_requested=Decimal(1000),
        ),
        "follow_up": lambda: _add(
            m + "StartupFollowUp", application_id=ids["startup"], milestone=12, due_on=today
        ),
        "competition": lambda: _add(
            m + "Competition", name="技能竞赛", level="provincial", organiser="省残联",
            held_on=today, trades=["电子商务"],
        ),
        "competition_entry": lambda: _add(
            m + "CompetitionEntry", competition_id=ids["competition"], person_id=person,
            trade="电子商务",
        ),
    }  # fmt: skip


def _build_world() -> dict:
    person_a = factories.make_person(county=COUNTY_A, name="甲方求职者", graduation_year=2025)
    person_b = factories.make_person(county=COUNTY_B, name="乙方求职者", graduation_year=2025)
    employer_a = factories.make_employer(county=COUNTY_A, name="甲方测试有限公司")
    employer_b = factories.make_employer(county=COUNTY_B, name="乙方测试有限公司")
    links = {
        "admin": {},
        "counselor": {"county_code": COUNTY_A},
        "counselor_far": {"county_code": COUNTY_B},
        "employer_a": {"employer_id": employer_a.id},
        "employer_b": {"employer_id": employer_b.id},
        "graduate_a": {"person_id": person_a.id},
        "graduate_b": {"person_id": person_b.id},
    }
    ids = {"person": person_a.id, "employer": employer_a.id}
    for name, link in links.items():
        user = factories.make_user(ROLES[name], username=f"matrix_{name}", **link)
        ids[f"user:{name}"] = user.id
    reasons = _build_objects(ids)
    db.session.commit()
    return {"ids": ids, "reasons": reasons}


class World:
    """The module's fixture objects, rebuilt if another module emptied the tables meanwhile."""

    def __init__(self, app):
        self.app = app
        self.data = {}

    def ensure(self) -> dict:
        admin_id = self.data.get("ids", {}).get("user:admin")
        current = db.session.scalar(select(User.id).where(User.username == "matrix_admin"))
        if admin_id is None or current != admin_id:
            db.session.remove()  # end this read, or PostgreSQL's TRUNCATE waits for it
            conftest.empty_tables(self.app)
            self.data = _build_world()
        return self.data


@pytest.fixture(scope="module")
def world(_app):
    return World(_app)


def _fill(endpoint: str, rule, data: dict) -> tuple[dict, list[Owned]]:
    """URL values for the rule's parameters and the owned objects among them (or skip)."""
    values, owned = {}, []
    for name in rule.arguments:
        if name in VALUES:
            value = VALUES[name]
            values[name] = value.get(endpoint, "x") if isinstance(value, dict) else value
        elif name in ID_PARAMS:
            spec = ID_PARAMS[name]
            if spec.key not in data["ids"]:
                reason = data["reasons"].get(spec.key, f"no fixture object {spec.key!r}")
                pytest.skip(reason)
            values[name] = data["ids"][spec.key]
            owned.append(spec)
        else:
            pytest.skip(f"URL parameter {name!r} has no entry in ID_PARAMS or VALUES yet")
    return values, owned


def _request(app, role: str, method: str, url: str, api: bool, ids: dict):
    client = app.test_client()
    headers = {}
    if role != "anonymous":
        user = db.session.get(User, ids[f"user:{role}"])
        db.session.refresh(user)
        if api:
            headers["Authorization"] = f"Bearer {issue_token(user)}"
        else:
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
                session["login_at"] = session["seen_at"] = time.time()
    body = {"json": {}} if api and method in ("POST", "PUT", "PATCH") else {"data": {}}
    return client.open(url, method=method, headers=headers, **body)


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and response.headers.get("Location", "").split(
        "?"
    )[0].endswith("/login")


@pytest.mark.parametrize(("endpoint", "rule_text", "method", "allowed", "role"), CASES)
def test_access(_app, world, endpoint, rule_text, method, allowed, role):
    if allowed is None:
        if endpoint in FRAMEWORK_PUBLIC:
            allowed = ("anonymous", "admin", "counselor", "employer", "graduate")
        else:
            pytest.fail(
                f"{endpoint} ({rule_text}) has no access marker (public/roles_required/api_auth)"
            )
    with _app.app_context():
        data = world.ensure()
        limiter.reset()
        rule = next(r for r in _app.url_map.iter_rules(endpoint) if r.rule == rule_text)
        values, owned = _fill(endpoint, rule, data)
        with _app.test_request_context():
            url = rule.build(values, append_unknown=False)[1]
        api = rule_text.startswith("/api/v1/")
        response = _request(_app, role, method, url, api, data["ids"])
        db.session.rollback()
    status = response.status_code
    where = f"{method} {url} as {role}: {status}"
    account_role = ROLES[role] or "anonymous"
    assert status < 500, where
    if account_role not in allowed:
        if role == "anonymous":
            if api:
                assert status == 401, f"{where}, expected 401"
            else:
                assert _is_login_redirect(response), f"{where}, expected a redirect to /login"
        else:
            assert status == 403, f"{where}, expected 403"
        return
    assert status != 403, f"{where}: refused an allowed role"
    if endpoint not in CREDENTIAL_ENDPOINTS:
        assert status != 401, f"{where}: asked an allowed role to log in"
    assert not _is_login_redirect(response), f"{where}: sent an allowed role to log in"
    if any(role in spec.hidden_from for spec in owned):
        # A request body is validated before the object is loaded: 400/422 refuse the body
        # alone and reveal nothing; the GET routes of the same objects prove the 404.
        expected = (404,) if method in ("GET", "DELETE") else (400, 404, 422)
        assert status in expected, f"{where}: party A's object must look missing (404) to {role}"
