"""Flexible and home-based work recognition: apply with evidence, approve or reject, who sees what."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent, Person
from employment.models import RecognitionApplication
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
TEXT = "在淘宝开设网店，近六个月月均销售额约3200元。"


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path):
    app.config["EMPLOYMENT_UPLOAD_DIR"] = str(tmp_path)
    yield tmp_path
    app.config.pop("EMPLOYMENT_UPLOAD_DIR", None)


@pytest.fixture
def person(app):
    return factories.make_person(name="李网店", graduation_year=2025)


@pytest.fixture
def graduate(app, person):
    return factories.make_user("graduate", username="grad_t", person_id=person.id)


def _form(**extra):
    return {"kind": "flexible", "work_started_on": "2025-03-01", "evidence_text": TEXT, **extra}


def _apply(client, person_id=None, **extra):
    data = _form(**extra)
    if person_id:
        data["person_id"] = str(person_id)
    return client.post(
        "/employment/recognitions/new", data=data, content_type="multipart/form-data"
    )


def test_graduate_applies_with_a_file_and_sees_only_their_own(
    client, auth, graduate, person, upload_dir
):
    other = factories.make_person(name="别人")
    foreign = RecognitionApplication(
        person_id=other.id, kind="home_based", work_started_on=date(2025, 1, 1), evidence_text=TEXT
    )
    db.session.add(foreign)
    db.session.commit()
    auth.login(graduate)
    response = _apply(client, other.id, evidence_file=(io.BytesIO(PNG), "截图.png"))
    assert response.status_code == 302  # a graduate always applies for themself
    application = db.session.scalar(
        select(RecognitionApplication).where(RecognitionApplication.person_id == person.id)
    )
    assert application.status == "pending" and application.evidence_filename == "截图.png"
    assert application.evidence_file.endswith(".png") and "截图" not in application.evidence_file
    listing = client.get("/employment/recognitions").get_data(as_text=True)
    assert f'/employment/recognitions/{application.id}"' in listing
    assert f'/employment/recognitions/{foreign.id}"' not in listing
    assert client.get(f"/employment/recognitions/{foreign.id}").status_code == 404
    assert client.get(f"/employment/recognitions/{foreign.id}/evidence").status_code == 404
    evidence = client.get(f"/employment/recognitions/{application.id}/evidence")
    assert evidence.status_code == 200 and evidence.data == PNG
    assert evidence.mimetype == "image/png"
    assert (upload_dir / application.evidence_file).read_bytes() == PNG
    assert client.post(f"/employment/recognitions/{application.id}/decision").status_code == 403


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"MZ fake", "shop.exe"), "PDF"),
        ((b"not a png at all", "shop.png"), "PDF"),
        ((PDF + b"x" * 2048, "big.pdf"), "1 MB"),
    ],
)
def test_evidence_files_are_checked(app, client, auth, counselor, person, upload, message):
    app.config["EMPLOYMENT_EVIDENCE_MAX_BYTES"] = 1024
    auth.login(counselor)
    content, filename = upload
    response = _apply(client, person.id, evidence_file=(io.BytesIO(content), filename), lang="en")
    app.config.pop("EMPLOYMENT_EVIDENCE_MAX_BYTES")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(RecognitionApplication).count() == 0


def test_counselor_approves_and_the_person_counts_as_employed(client, auth, counselor, person):
    auth.login(counselor)
    assert _apply(client, person.id, kind="home_based").status_code == 302
    application = db.session.scalar(select(RecognitionApplication))
    assert _apply(client, person.id).status_code == 409  # one pending application at a time
    response = client.post(
        f"/employment/recognitions/{application.id}/decision",
        data={"decision": "approve", "reason": "材料齐全"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert (person.employment_type, person.employed_since) == ("home_based", date(2025, 3, 1))
    assert application.status == "approved" and application.decided_by_id == counselor.id
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"create", "approve", "recognise"} <= actions
    recognised = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recognise"))
    assert recognised.new["employment_type"] == "home_based" and recognised.actor_id == counselor.id
    again = client.post(
        f"/employment/recognitions/{application.id}/decision", data={"decision": "reject"}
    )
    assert again.status_code == 409


def test_reject_needs_a_reason_and_leaves_the_person_unemployed(client, auth, counselor, person):
    auth.login(counselor)
    _apply(client, person.id)
    application = db.session.scalar(select(RecognitionApplication))
    url = f"/employment/recognitions/{application.id}/decision"
    assert client.post(url, data={"decision": "reject", "reason": " "}).status_code == 422
    response = client.post(url, data={"decision": "reject", "reason": "收入记录不足三个月"})
    assert response.status_code == 302
    db.session.expire_all()
    assert application.status == "rejected" and application.decision_reason == "收入记录不足三个月"
    assert db.session.get(Person, person.id).employment_type == "unemployed"
    page = client.get(f"/employment/recognitions/{application.id}").get_data(as_text=True)
    assert "收入记录不足三个月" in page


def test_counselor_of_another_county_gets_404(client, auth, counselor, other_counselor, person):
    auth.login(counselor)
    _apply(client, person.id)
    application = db.session.scalar(select(RecognitionApplication))
    auth.logout()
    auth.login(other_counselor)
    assert client.get(f"/employment/recognitions/{application.id}").status_code == 404
    decision = {"decision": "approve"}
    url = f"/employment/recognitions/{application.id}/decision"
    assert client.post(url, data=decision).status_code == 404
    assert _apply(client, person.id).status_code == 404
    assert "李网店" not in client.get("/employment/recognitions").get_data(as_text=True)


def test_api_recognition_workflow(
    client, api_headers, counselor, other_counselor, graduate, person
):
    grad = api_headers(graduate)
    created = client.post(
        "/api/v1/recognitions",
        json={"kind": "flexible", "work_started_on": "2025-02-01", "evidence_text": TEXT},
        headers=grad,
    )
    assert created.status_code == 201, created.json
    app_id = created.json["id"]
    assert created.json["person_id"] == person.id and created.json["status"] == "pending"
    upload = client.put(
        f"/api/v1/recognitions/{app_id}/evidence",
        data={"evidence_file": (io.BytesIO(PDF), "income.pdf")},
        headers=grad,
        content_type="multipart/form-data",
    )
    assert upload.status_code == 200, upload.json
    assert upload.json["has_evidence_file"] is True
    assert (
        client.post(f"/api/v1/recognitions/{app_id}/approve", json={}, headers=grad).status_code
        == 403
    )
    far = api_headers(other_counselor)
    assert client.get(f"/api/v1/recognitions/{app_id}", headers=far).status_code == 404
    assert client.get("/api/v1/recognitions", headers=far).json == []
    mine = api_headers(counselor)
    rejected = client.post(f"/api/v1/recognitions/{app_id}/reject", json={}, headers=mine)
    assert rejected.status_code == 422 and "reason" in rejected.json["errors"]
    approved = client.post(
        f"/api/v1/recognitions/{app_id}/approve", json={"reason": "ok"}, headers=mine
    )
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert client.get("/api/v1/recognitions?status=approved", headers=grad).json[0]["id"] == app_id
    bad = client.post("/api/v1/recognitions", json={"kind": "volunteer"}, headers=mine)
    assert bad.status_code == 422 and "kind" in bad.json["errors"]
    assert client.get("/api/v1/recognitions").status_code == 401


def test_two_counselors_deciding_at_once_the_second_gets_409(client, auth, counselor, person):
    """The second decision was taken from the same 'pending' page: it must not overwrite the first."""
    from sqlalchemy import update

    from core.database import ServiceError
    from employment import recognition

    auth.login(counselor)
    assert _apply(client, person.id).status_code == 302
    application = db.session.scalar(select(RecognitionApplication))
    assert application.status == "pending"  # what the second counselor's page shows
    db.session.expunge(application)  # the second counselor's copy, loaded before the first decided
    db.session.execute(  # meanwhile the first counselor rejected it (another session)
        update(RecognitionApplication)
        .where(RecognitionApplication.id == application.id)
        .values(status="rejected", decision_reason="材料不全")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.add(application)  # still says "pending"
    with pytest.raises(ServiceError) as refused:
        recognition.approve(counselor, application, "材料齐全")
    assert refused.value.status == 409
    db.session.expire_all()
    stored = db.session.get(RecognitionApplication, application.id)
    assert (stored.status, stored.decision_reason) == ("rejected", "材料不全")
    assert db.session.get(Person, person.id).employment_type == "unemployed"
