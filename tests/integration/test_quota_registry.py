"""Issue #13 item 6: every valid certificate counts; the registry extract; certificates to verify."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditEvent
from quota.models import CertificateCheck, QuotaAssessment, QuotaClaim, RegistryRecord
from quota.rules.explanation import ExplanationBasis, explain
from quota.schemas import FilingIn
from quota.services import filings as services
from quota.services import review
from quota.services.year_settings import set_year_parameters
from tests import factories
from tests.integration.quota_helpers import YEAR, employer_account, filing_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def _submit(employer, certs):
    return services.save_filing(employer, FilingIn().load({**filing_data(certs), "submit": True}))


def _claims(filing_id):
    return {
        c.cert_masked[:6]: (c.verdict, c.reason)
        for c in db.session.scalars(select(QuotaClaim).where(QuotaClaim.filing_id == filing_id))
    }


def test_out_of_registry_certificates_are_verified_then_counted(client, auth, counselor):
    zhejiang = factories.certificate_number(county="330106", birth=date(1985, 4, 2))
    shanghai = factories.certificate_number(county="310101", birth=date(1988, 7, 9), level=2)
    employer, user = employer_account(county="330106")
    filing = _submit(employer, [zhejiang, shanghai])
    assert _claims(filing.id) == {
        "330106": ("to_verify", "not_in_registry"),
        "310101": ("to_verify", "not_in_registry"),
    }
    summary = review.run_review(YEAR)
    assert summary["awaiting_verification"] == 1 and summary["awaiting_employers"] == [employer.id]
    assert db.session.scalar(select(func.count()).select_from(QuotaAssessment)) == 0
    checks = list(db.session.scalars(select(CertificateCheck).order_by(CertificateCheck.id)))
    assert [c.issuing_area for c in checks] == ["330106", "310101"]
    auth.login(user)  # the employer attaches a scan
    response = client.post(
        f"/quota/checks/{checks[1].id}/evidence",
        data={"evidence": (io.BytesIO(PNG), "cert.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(counselor)
    page = client.get("/quota/checks").get_data(as_text=True)
    assert checks[1].cert_masked in page and shanghai not in page
    assert client.get(f"/quota/checks/{checks[1].id}/evidence").data == PNG
    for check in checks:
        response = client.post(
            f"/quota/checks/{check.id}/decision",
            data={"decision": "confirm", "reason": "核对原件，证件有效"},
        )
        assert response.status_code == 302
    again = client.post(
        f"/quota/checks/{checks[0].id}/decision", data={"decision": "reject", "reason": "x"}
    )
    assert again.status_code == 409  # decided already: a conditional update
    db.session.expire_all()
    assert set(_claims(filing.id).values()) == {("accepted", None)}
    review.run_review(YEAR)
    assessment = db.session.scalar(select(QuotaAssessment).where(QuotaAssessment.current.is_(True)))
    assert assessment.arranged == 3  # 1 + 2 (level 2 counts double)
    lines = explain(assessment, ExplanationBasis.from_json(assessment.explanation_basis))
    data = next(line for line in lines if line.step == "data")
    assert "2 certificate(s) confirmed by a counselor" in data.en
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"decide_certificate", "attach_evidence"} <= actions


def test_a_counselor_of_another_county_cannot_decide(client, auth, other_counselor):
    cert = factories.certificate_number(county="310101")
    employer, _user = employer_account(county="330106")
    _submit(employer, [cert])
    check = db.session.scalar(select(CertificateCheck))
    auth.login(other_counselor)
    response = client.post(
        f"/quota/checks/{check.id}/decision", data={"decision": "confirm", "reason": "ok"}
    )
    assert response.status_code in (403, 404)
    assert db.session.get(CertificateCheck, check.id).status == "to_verify"


def test_evidence_is_checked(client, auth):
    cert = factories.certificate_number(county="310101")
    employer, user = employer_account()
    _submit(employer, [cert])
    check = db.session.scalar(select(CertificateCheck))
    auth.login(user)
    bad = client.post(
        f"/quota/checks/{check.id}/evidence",
        data={"evidence": (io.BytesIO(b"MZ not a scan"), "x.exe")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    from quota.services import registry

    big = client.post(
        f"/quota/checks/{check.id}/evidence",
        data={"evidence": (io.BytesIO(PNG + b"\0" * registry.EVIDENCE_MAX_BYTES), "x.png")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 413
    other, other_user = employer_account()
    auth.logout()
    auth.login(other_user)
    assert client.get(f"/quota/checks/{check.id}/evidence").status_code in (403, 404)


def test_after_the_deadline_the_review_assesses_with_what_was_confirmed():
    cert = factories.certificate_number(county="310101")
    employer, _user = employer_account()
    _submit(employer, [cert])
    set_year_parameters(YEAR, {"verification_deadline": date.today() - timedelta(days=1)})
    summary = review.run_review(YEAR)
    assert "awaiting_verification" not in summary
    assessment = db.session.scalar(select(QuotaAssessment))
    assert assessment.arranged == 0
    lines = explain(assessment, ExplanationBasis.from_json(assessment.explanation_basis))
    data = next(line for line in lines if line.step == "data")
    assert "not confirmed by the review deadline" in data.en and "未计入" in data.zh


def _extract(rows) -> bytes:
    lines = ["certificate_no,name,valid_until,status,issuing_area"]
    lines += [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_registry_import_by_cli_decides_claims(runner, tmp_path):
    valid = factories.certificate_number(county="330212", birth=date(1990, 1, 5))
    cancelled = factories.certificate_number(county="330212", birth=date(1991, 1, 5))
    path = tmp_path / "extract.csv"
    path.write_bytes(
        _extract(
            [
                (valid, "王五", "2030-12-31", "valid", "330212"),
                (cancelled, "赵六", "", "cancelled", "330212"),
            ]
        )
    )
    result = runner.invoke(args=["registry", "import", str(path), "--extract-date", "2023-03-01"])
    assert result.exit_code == 0, result.output
    assert "added: 2" in result.output
    record = db.session.scalar(select(RegistryRecord).where(RegistryRecord.status == "valid"))
    assert valid not in (record.cert_cipher or "") and record.cert_masked.startswith("330212")
    employer, _user = employer_account()
    filing = _submit(employer, [valid, cancelled])
    verdicts = sorted(
        (c.verdict, c.reason)
        for c in db.session.scalars(select(QuotaClaim).where(QuotaClaim.filing_id == filing.id))
    )
    assert verdicts == [("accepted", None), ("rejected", "certificate_not_current")]
    again = runner.invoke(args=["registry", "import", str(path), "--extract-date", "2023-04-01"])
    assert "replaced: 2" in again.output
    assert db.session.scalar(select(func.count()).select_from(RegistryRecord)) == 2


def test_registry_admin_page_imports_or_names_the_bad_line(client, auth, admin):
    good = factories.certificate_number()
    auth.login(admin)
    response = client.post(
        "/quota/admin/registry",
        data={
            "extract_date": "2023-03-01",
            "extract": (
                io.BytesIO(
                    _extract(
                        [(good, "甲", "", "valid", "330106"), ("123", "乙", "", "valid", "330106")]
                    )
                ),
                "e.csv",
            ),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "3" in page  # line 3 is named
    assert 'id="error-summary"' in page and "未导入任何数据。" in page
    assert db.session.scalar(select(func.count()).select_from(RegistryRecord)) == 0
    response = client.post(
        "/quota/admin/registry",
        data={
            "extract_date": "2023-03-01",
            "extract": (io.BytesIO(_extract([(good, "甲", "", "valid", "330106")])), "e.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(RegistryRecord)) == 1


def test_a_plugged_in_verifier_is_asked_about_unknown_certificates(app):
    from quota.rules.verification import PersonFacts

    cert = factories.certificate_number(county="310101", birth=date(1980, 2, 2))

    class National:
        def look_up(self, numbers):
            return {cert: PersonFacts(None, date(1980, 2, 2), "M")} if cert in numbers else {}

    class Cancelled:
        def look_up(self, numbers):
            return {
                n: PersonFacts(None, date(1980, 2, 2), "M", status="cancelled") for n in numbers
            }

    import sys
    import types

    module = types.ModuleType("national_registry_stub")
    module.National, module.Cancelled = National, Cancelled
    sys.modules["national_registry_stub"] = module
    app.config["QUOTA_CERTIFICATE_VERIFIER"] = "national_registry_stub.National"
    try:
        employer, _user = employer_account()
        filing = _submit(employer, [cert])
        assert set(_claims(filing.id).values()) == {("accepted", None)}  # no counselor needed
        app.config["QUOTA_CERTIFICATE_VERIFIER"] = "national_registry_stub.Cancelled"
        other, _user = employer_account()
        filing = _submit(other, [factories.certificate_number(county="310101")])
        assert set(_claims(filing.id).values()) == {("rejected", "certificate_not_current")}
    finally:
        app.config.pop("QUOTA_CERTIFICATE_VERIFIER")
        del sys.modules["national_registry_stub"]


def test_an_extract_may_name_its_columns_in_chinese(client, auth, admin):
    """The header row of an extract prepared in a spreadsheet uses the columns' Chinese titles."""
    good = factories.certificate_number()
    body = f"残疾人证号,姓名,有效期至,状态,发证地区代码\n{good},甲,,valid,330106\n".encode()
    auth.login(admin)
    page = client.get("/quota/admin/registry").get_data(as_text=True)
    assert "有效期至" in page and "<code>valid_until</code>" in page
    response = client.post(
        "/quota/admin/registry",
        data={"extract_date": "2023-03-01", "extract": (io.BytesIO(body), "e.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(select(func.count()).select_from(RegistryRecord)) == 1
    wrong = client.post(
        "/quota/admin/registry",
        data={"extract_date": "2023-03-01", "extract": (io.BytesIO(b"a,b\n1,2\n"), "e.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert (
        "残疾人证号（certificate_no）、姓名（name）" in wrong and "有效期至（valid_until）" in wrong
    )
