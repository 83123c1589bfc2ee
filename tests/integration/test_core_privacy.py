"""The audit trail (old -> new, append-only, no secrets) and the privacy of ID numbers."""

import json
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select

from core.extensions import db as _db
from core.models import AuditEvent, Person
from tests import factories


def _form(certificate: str, **changes) -> dict:
    mine = {
        "name": "李明",
        "phone": "13812345678",
        "education": "bachelor",
        "graduation_year": "2025",
    }
    return factories.person_form(**{**mine, "certificate_no": certificate, **changes})


def _register(client, certificate: str) -> Person:
    response = client.post("/people/new", data=_form(certificate))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return _db.session.scalar(select(Person).order_by(Person.id.desc()))


def _events(action=None, table="person"):
    stmt = select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(_db.session.scalars(stmt))


def _assert_no_secrets(event: AuditEvent, *numbers: str) -> None:
    for side in (event.old or {}, event.new or {}):
        assert not [k for k in side if k.endswith(("_cipher", "_index", "password_hash"))]
    dumped = json.dumps([event.old, event.new], ensure_ascii=False)
    for number in numbers:
        assert number not in dumped
        assert number[6:14] not in dumped, "the birth date part of the number leaked"


class TestAudit:
    def test_registering_a_person_writes_a_create_event(self, client, auth, admin):
        certificate = factories.certificate_number("330106", category=2, level=1)
        auth.login(admin)
        person = _register(client, certificate)
        [event] = _events("create")
        assert event.row_id == str(person.id)
        assert (event.actor_id, event.actor_name) == (admin.id, "admin_t")
        assert event.old is None
        assert event.new["id"] == person.id, "the snapshot is taken after the insert"
        assert event.new["created_at"] is not None
        assert event.new["name"] == "李明"
        assert event.new["disability_category"] == 2
        assert event.new["id_masked"] == certificate[:6] + "********" + certificate[14:18]
        _assert_no_secrets(event, certificate, certificate[:18])

    def test_an_update_records_only_what_changed_old_and_new(self, client, auth, admin):
        person = factories.make_person(name="王芳", phone="13900000001")
        auth.login(admin)
        form = _form("", name="王芳芳", phone="13900000002", county_code="330106")
        del form["certificate_no"]
        response = client.post(f"/people/{person.id}/edit", data=form)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        [event] = _events("update")
        assert event.old["name"] == "王芳" and event.new["name"] == "王芳芳"
        assert event.old["phone"] == "13900000001" and event.new["phone"] == "13900000002"
        assert "updated_at" not in event.new
        assert "id_masked" not in event.new, "unchanged fields are not repeated"
        _assert_no_secrets(event)

    def test_an_unchanged_save_writes_no_event(self, client, auth, admin):
        person = factories.make_person(name="赵六", county="330106")
        auth.login(admin)
        page = client.get(f"/people/{person.id}/edit")
        assert page.status_code == 200
        form = factories.person_form(
            name="赵六", education=person.education, employment_type=person.employment_type
        )
        del form["certificate_no"]  # not on the edit form
        assert client.post(f"/people/{person.id}/edit", data=form).status_code == 302
        assert _events("update") == []

    def test_an_api_change_names_the_api_user(self, client, api_headers, counselor):
        person = factories.make_person(county="330106")
        headers = api_headers(counselor)
        response = client.patch(
            f"/api/v1/people/{person.id}", json={"employment_type": "full_time"}, headers=headers
        )
        assert response.status_code == 200, response.json
        [event] = _events("update")
        assert event.actor_name == "counselor_t"
        assert event.old == {"employment_type": "unemployed"}
        assert event.new == {"employment_type": "full_time"}

    def test_employer_registration_is_audited(self, client, api_headers, admin):
        body = {
            "credit_code": "91110000600037341L",
            "name": "测试科技有限公司",
            "unit_type": "enterprise",
            "county_code": "330106",
        }
        response = client.post("/api/v1/employers", json=body, headers=api_headers(admin))
        assert response.status_code == 201, response.json
        [event] = _events("create", table="employer")
        assert event.new["credit_code"] == "91110000600037341L"

    def test_the_audit_trail_is_append_only(self, app, admin):
        person = factories.make_person()
        from core import audit

        audit.record("create", person, None, {"name": person.name})
        _db.session.commit()
        event = _db.session.scalar(select(AuditEvent))
        event.action = "tampered"
        with pytest.raises(PermissionError):
            _db.session.commit()
        _db.session.rollback()
        event = _db.session.scalar(select(AuditEvent))
        assert event.action == "create"
        _db.session.delete(event)
        with pytest.raises(PermissionError):
            _db.session.commit()
        _db.session.rollback()
        assert _db.session.scalar(select(func.count(AuditEvent.id))) == 1

    def test_the_audit_page_shows_events_to_the_admin(self, client, auth, admin):
        auth.login(admin)
        _register(client, factories.certificate_number("330106"))
        page = client.get("/admin/audit?table=person").get_data(as_text=True)
        assert "admin_t" in page
        assert "&#34;name&#34;: &#34;李明&#34;" in page, "old and new are readable, escaped JSON"
        assert client.get("/admin/audit?page=99").status_code == 400  # beyond the last page


class TestMasking:
    def test_the_person_page_shows_masked_numbers_only(self, client, auth, counselor):
        certificate = factories.certificate_number("330106")
        person = factories.make_person(county="330106", name="孙七")
        auth.login(counselor)
        page = client.get(f"/people/{person.id}").get_data(as_text=True)
        assert person.id_masked in page and person.cert_masked in page
        assert person.id_masked.startswith("330106********")
        full = _db.session.get(Person, person.id)
        from core.services import cipher

        rid = cipher().decrypt(full.id_cipher)
        assert rid not in page and rid[6:14] not in page
        assert certificate not in page
        people = client.get("/people").get_data(as_text=True)
        assert person.cert_masked in people and rid not in people

    def test_reveal_shows_the_full_numbers_and_is_audited(self, client, auth, counselor):
        person = factories.make_person(county="330106")
        from core.services import cipher

        rid = cipher().decrypt(person.id_cipher)
        cert = cipher().decrypt(person.cert_cipher)
        auth.login(counselor)
        response = client.post(f"/people/{person.id}/reveal")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert rid in page and cert in page
        [event] = _events("reveal")
        assert (event.actor_name, event.row_id) == ("counselor_t", str(person.id))
        _assert_no_secrets(event, rid, cert)
        assert client.get(f"/people/{person.id}/reveal").status_code == 405

    def test_api_answers_masked_numbers(self, client, api_headers, admin):
        person = factories.make_person()
        body = client.get(f"/api/v1/people/{person.id}", headers=api_headers(admin)).json
        assert body["id_masked"] == person.id_masked
        assert "id_cipher" not in body and "id_index" not in body and "cert_cipher" not in body


def _text_columns():
    """Every text, string and JSON column of every table."""
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                yield table, column


def _all_stored_text() -> str:
    chunks = []
    for table, column in _text_columns():
        values = _db.session.scalars(select(cast(column, Text)).select_from(table))
        chunks.extend(v for v in values if v)
    return "\n".join(chunks)


class TestNoPlaintextAtRest:
    @pytest.fixture
    def registered(self, client, auth, admin):
        auth.login(admin)
        certificates = [factories.certificate_number("330106", category=c) for c in (1, 5)]
        for certificate in certificates:
            _register(client, certificate)
        person = _db.session.scalar(select(Person).order_by(Person.id))
        client.post(f"/people/{person.id}/reveal")
        client.post(f"/people/{person.id}/edit", data={**_form(""), "name": "李明明"})
        return certificates

    def test_no_column_holds_a_plain_id_or_certificate_number(self, registered):
        stored = _all_stored_text()
        assert "李明明" in stored, "the scan reads the stored rows"
        for certificate in registered:
            assert certificate not in stored
            assert certificate[:18] not in stored
            assert certificate[:6] + "********" + certificate[14:18] in stored  # masked form

    def test_the_sqlite_file_holds_no_plain_number(self, registered, app, backend):
        if backend != "sqlite":
            pytest.skip("a file check is for SQLite; the column scan covers PostgreSQL")
        path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        data = b"".join(
            p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
        )
        assert "李明明".encode() in data, "the file read holds the rows"
        for certificate in registered:
            assert certificate.encode() not in data
            assert certificate[:18].encode() not in data
