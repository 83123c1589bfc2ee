"""Filings: web form, API, Excel upload, optimistic locking, access between employers."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.extensions import db
from quota.models import QuotaClaim, QuotaFiling, QuotaFilingVersion
from tests.integration.quota_helpers import (
    YEAR,
    claimable,
    employer_account,
    filing_data,
    form_data,
)

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def test_web_form_draft_then_submit(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    response = client.post(f"/quota/filings/form/{YEAR}", data=form_data([cert], action="save"))
    assert response.status_code == 302
    filing = db.session.scalar(select(QuotaFiling))
    assert filing.status == "draft" and filing.claims[0].verdict == "pending"
    page = client.get(f"/quota/filings/{filing.id}")
    assert cert not in page.get_data(as_text=True)  # masked
    response = client.post(f"/quota/filings/{filing.id}/submit", data={"version": filing.version})
    assert response.status_code == 302
    db.session.expire_all()
    filing = db.session.get(QuotaFiling, filing.id)
    assert filing.status == "submitted"
    assert filing.claims[0].verdict == "accepted"
    versions = db.session.scalar(select(func.count()).select_from(QuotaFilingVersion))
    assert versions == 2


def test_web_form_errors_write_nothing(client, auth):
    employer, user = employer_account()
    auth.login(user)
    form = form_data(["330106199001011234"], m3="-1")
    response = client.post(f"/quota/filings/form/{YEAR}", data=form)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'href="#field-emp-0-certificate_no"' in text and 'href="#field-m3"' in text
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0


def test_more_rows_keeps_what_was_typed_and_saves_nothing(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    form = form_data([cert], action="more_rows", rows="5", m7="101")
    response = client.post(f"/quota/filings/form/{YEAR}", data=form)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'value="{cert}"' in text and 'id="field-m7" name="m7" value="101"' in text
    assert 'name="emp-14-certificate_no"' in text and 'name="emp-15-' not in text
    assert 'id="field-emp-5-certificate_no" name="emp-5-certificate_no" value=""' in text
    assert text.count("autofocus") == 1 and 'name="rows" value="15"' in text
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0


def test_form_rows_are_capped(client, auth):
    employer, user = employer_account()
    auth.login(user)
    form = form_data([], action="more_rows", rows="100000")
    text = client.post(f"/quota/filings/form/{YEAR}", data=form).get_data(as_text=True)
    assert 'name="emp-499-certificate_no"' in text and 'name="emp-500-' not in text
    assert 'value="more_rows"' not in text  # no further rows offered


def test_window_closed_refuses_new_filings(app, client, api_headers):
    app.config["QUOTA_FILING_WINDOW"] = "closed"
    employer, user = employer_account()
    response = client.post("/api/v1/quota/filings", json=filing_data(), headers=api_headers(user))
    assert response.status_code == 422
    assert "data_year" in response.json["errors"]


def test_api_optimistic_locking_and_amendment(client, api_headers):
    cert = claimable()
    employer, user = employer_account()
    headers = api_headers(user)
    first = client.post("/api/v1/quota/filings", json=filing_data([cert]), headers=headers)
    assert first.status_code == 200, first.json
    version = first.json["version"]
    second = client.post(
        "/api/v1/quota/filings", json=filing_data([], version=version), headers=headers
    )
    assert second.status_code == 200
    stale = client.post(
        "/api/v1/quota/filings", json=filing_data([cert], version=version), headers=headers
    )
    assert stale.status_code == 409
    assert "version" in stale.json["errors"]
    current = second.json["version"]
    submitted = client.post(
        f"/api/v1/quota/filings/{first.json['id']}/submit",
        json={"version": current},
        headers=headers,
    )
    assert submitted.status_code == 200, submitted.json
    no_reason = client.post(
        "/api/v1/quota/filings",
        json=filing_data([cert], version=submitted.json["version"]),
        headers=headers,
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    amended = client.post(
        "/api/v1/quota/filings",
        json=filing_data([cert], version=submitted.json["version"], reason="forgot one employee"),
        headers=headers,
    )
    assert amended.status_code == 200
    assert amended.json["claims"][0]["verdict"] == "accepted"
    versions = db.session.scalars(select(QuotaFilingVersion.reason)).all()
    assert "forgot one employee" in versions and len(versions) == 4


def test_employers_cannot_see_each_other(client, auth, api_headers):
    a, user_a = employer_account()
    b, user_b = employer_account()
    client.post("/api/v1/quota/filings", json=filing_data(), headers=api_headers(user_b))
    filing_b = db.session.scalar(select(QuotaFiling).where(QuotaFiling.employer_id == b.id))
    assert (
        client.get(f"/api/v1/quota/filings/{filing_b.id}", headers=api_headers(user_a)).status_code
        == 404
    )
    assert client.get("/api/v1/quota/filings", headers=api_headers(user_a)).json == []
    auth.login(user_a)
    assert client.get(f"/quota/filings/{filing_b.id}").status_code == 404
    assert client.get(f"/quota/employers/{b.id}").status_code == 404
    assert client.get(f"/quota/employers/{a.id}").status_code == 200


def test_counselor_sees_own_county_only(client, api_headers, counselor, other_counselor):
    employer, user = employer_account(county="330106")
    client.post("/api/v1/quota/filings", json=filing_data(), headers=api_headers(user))
    assert len(client.get("/api/v1/quota/filings", headers=api_headers(counselor)).json) == 1
    assert client.get("/api/v1/quota/filings", headers=api_headers(other_counselor)).json == []


def _workbook(client, certs, months=12, level=None):
    template = client.get(f"/quota/filings/template/{YEAR}.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.data))
    sheet = book.worksheets[0]
    for row in range(3, 15):
        sheet.cell(row=row, column=2, value=100)
    sheet.cell(row=15, column=2, value=8000000)
    people = book.worksheets[1]
    for i, cert in enumerate(certs, start=2):
        people.cell(row=i, column=1, value=cert)
        people.cell(row=i, column=2, value=level)
        people.cell(row=i, column=3, value=months)
        for column in (4, 5, 6):
            people.cell(row=i, column=column, value="是")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_upload_good_file(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    book = load_workbook(io.BytesIO(client.get(f"/quota/filings/template/{YEAR}.xlsx").data))
    assert book.worksheets[1].data_validations.dataValidation  # dropdowns for levels and yes/no
    content = _workbook(client, [cert])
    response = client.post(
        "/quota/filings/upload",
        data={"year": YEAR, "submit": "1", "workbook": (io.BytesIO(content), "filing.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    filing = db.session.scalar(select(QuotaFiling))
    assert filing.source == "excel" and filing.status == "submitted"
    assert filing.claims[0].verdict == "accepted"


def test_excel_upload_bad_rows_are_written_back_and_nothing_saved(client, auth):
    cert = claimable(level=3)
    employer, user = employer_account()
    auth.login(user)
    content = _workbook(client, [cert, "33010619900101123X44"], months=13, level=1)
    response = client.post(
        "/quota/filings/upload",
        data={"year": YEAR, "workbook": (io.BytesIO(content), "filing.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "工作表“职工”第 2 行" in text and "Nothing was saved" not in text
    assert "工作表“职工”第 2 行：“在岗月数”：须在 1 到 12 之间" in text  # the column, by its title
    assert "employees" not in text and "certificate_no" not in text and "months:" not in text
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0
    assert db.session.scalar(select(func.count()).select_from(QuotaClaim)) == 0
    link = text.split('href="/quota/filings/upload/errors/')[1].split('"')[0]
    annotated = client.get(f"/quota/filings/upload/errors/{link}")
    assert annotated.status_code == 200
    sheet = load_workbook(io.BytesIO(annotated.data)).worksheets[1]
    assert sheet.cell(row=2, column=7).value  # level mismatch and months out of range
    assert sheet.cell(row=3, column=7).value  # invalid certificate


def test_excel_upload_rejects_other_files(client, auth):
    employer, user = employer_account()
    auth.login(user)
    response = client.post(
        "/quota/filings/upload",
        data={"year": YEAR, "workbook": (io.BytesIO(b"not excel"), "x.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def _many_claimable(count: int) -> list[str]:
    from datetime import date

    from core.services import new_person
    from tests import factories

    certs = []
    for i in range(count):
        birth = date(1980 + i % 20, 1 + i % 12, 1 + i // 240)
        cert = factories.certificate_number(birth=birth, serial=i % 400)
        certs.append(cert)
        db.session.add(
            new_person({"certificate_no": cert, "name": "李四", "county_code": "330106"})
        )
    db.session.commit()
    return certs


def test_form_with_250_employees_stores_250_claims(client, auth):
    """Rows past index 200 were silently dropped: the form reader and the page had two limits."""
    certs = _many_claimable(250)
    employer, user = employer_account()
    auth.login(user)
    response = client.post(f"/quota/filings/form/{YEAR}", data=form_data(certs, action="save"))
    assert response.status_code == 302
    count = db.session.scalar(select(func.count()).select_from(QuotaClaim))
    assert count == 250


def test_form_over_the_limit_says_so_and_keeps_every_row(client, auth):
    from quota.rules.filing import FORM_EMPLOYEES_MAX

    employer, user = employer_account()
    auth.login(user)
    certs = [f"33010619900101{i:04d}43" for i in range(FORM_EMPLOYEES_MAX + 2)]
    response = client.post(f"/quota/filings/form/{YEAR}", data=form_data(certs, action="save"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert str(FORM_EMPLOYEES_MAX) in text and "Excel" in text
    assert f'value="{certs[-1]}"' in text  # the last typed row is still on the page
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0


# --- issue #13 item 5: the Excel template and upload -----------------------------------------------


def _post_workbook(client, content: bytes):
    return client.post(
        "/quota/filings/upload",
        data={"year": YEAR, "workbook": (io.BytesIO(content), "filing.xlsx")},
        content_type="multipart/form-data",
    )


def test_template_certificate_column_is_text(client, auth):
    employer, user = employer_account()
    auth.login(user)
    book = load_workbook(io.BytesIO(client.get(f"/quota/filings/template/{YEAR}.xlsx").data))
    people = book.worksheets[1]
    assert people["A2"].number_format == "@" and people["A2000"].number_format == "@"


def test_numeric_certificate_cells_say_what_happened(client, auth):
    cert = claimable()
    while "X" in cert:  # a number Excel could store as a float (no X check character)
        cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    book = load_workbook(io.BytesIO(_workbook(client, [cert])))
    book.worksheets[1]["A2"].value = float(cert[:18] + "43")  # what Excel/WPS stores: 3.30106E+19
    book.worksheets[1]["A2"].number_format = "General"
    out = io.BytesIO()
    book.save(out)
    response = _post_workbook(client, out.getvalue())
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "已丢失末尾几位" in text and "校验位" not in text
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0


def test_a_zip_bomb_is_refused_before_parsing(client, auth):
    import time
    import zipfile

    from quota import excel

    employer, user = employer_account()
    auth.login(user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (excel.MAX_UNCOMPRESSED_BYTES + 1))
    assert len(out.getvalue()) < 1024 * 1024  # a small file
    start = time.perf_counter()
    response = _post_workbook(client, out.getvalue())
    assert response.status_code == 413
    assert time.perf_counter() - start < 5
    assert "MB" in response.get_data(as_text=True)


def test_an_employees_sheet_of_three_columns_is_422_not_500(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    book = load_workbook(io.BytesIO(_workbook(client, [cert])))
    people = book.worksheets[1]
    people.delete_cols(4, 4)  # certificate, level, months only
    out = io.BytesIO()
    book.save(out)
    response = _post_workbook(client, out.getvalue())
    assert response.status_code == 422  # the missing counting conditions are never guessed
    assert "工作表“职工”须保留模板的各列：残疾人证号、等级" in response.get_data(as_text=True)
    book = load_workbook(io.BytesIO(_workbook(client, [cert])))
    book.worksheets[0].delete_cols(2, 2)  # the filing sheet without its values
    out = io.BytesIO()
    book.save(out)
    assert _post_workbook(client, out.getvalue()).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0


def test_too_many_rows_are_refused(client, auth, monkeypatch):
    from quota import excel

    monkeypatch.setattr(excel, "MAX_ROWS", 2)
    certs = [claimable() for _ in range(3)]
    employer, user = employer_account()
    auth.login(user)
    response = _post_workbook(client, _workbook(client, certs))
    assert response.status_code == 422
    assert "2" in response.get_data(as_text=True)


def test_the_template_of_a_filed_year_carries_its_employees(client, auth):
    certs = [claimable(), claimable()]
    employer, user = employer_account()
    auth.login(user)
    client.post(
        f"/quota/filings/form/{YEAR}", data=form_data(certs, action="submit", confirmed="1")
    )
    book = load_workbook(io.BytesIO(client.get(f"/quota/filings/template/{YEAR}.xlsx").data))
    people = book.worksheets[1]
    assert [people.cell(row=r, column=1).value for r in (2, 3)] == certs
    assert people["C2"].value == 12 and people["D2"].value == "是"


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="soffice is not installed")
def test_a_workbook_converted_by_libreoffice_uploads(client, auth, tmp_path):
    import subprocess

    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    source = tmp_path / "in" / "filing.xlsx"
    source.parent.mkdir()
    source.write_bytes(_workbook(client, [cert]))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = (tmp_path / "out" / "filing.xlsx").read_bytes()
    response = _post_workbook(client, converted)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(QuotaFiling)).claims[0].verdict == "pending"


@pytest.mark.usefixtures("all_units_wage")
def test_each_save_is_one_version_and_the_history_says_what_became_of_it(client, api_headers):
    from quota.services import review

    cert = claimable()
    employer, user = employer_account()
    headers = api_headers(user)
    draft = client.post("/api/v1/quota/filings", json=filing_data([cert]), headers=headers).json
    assert draft["version"] == 1
    saved = client.post(
        "/api/v1/quota/filings", json=filing_data([cert], version=1), headers=headers
    ).json
    assert saved["version"] == 2
    submitted = client.post(
        "/api/v1/quota/filings", json=filing_data([cert], version=2, submit=True), headers=headers
    ).json
    assert submitted["version"] == 3
    review.run_review(YEAR)
    amended = client.post(
        "/api/v1/quota/filings",
        json=filing_data([cert], version=3, reason="一名职工月数有误", wage_total="8100000"),
        headers=headers,
    )
    assert amended.status_code in (200, 201), amended.json
    assert amended.json["version"] == 4 and amended.json["status"] == "assessed"
    db.session.expire_all()
    filing = db.session.scalar(select(QuotaFiling))
    history = list(
        db.session.scalars(
            select(QuotaFilingVersion)
            .where(QuotaFilingVersion.filing_id == filing.id)
            .order_by(QuotaFilingVersion.version)
        )
    )
    assert [v.version for v in history] == [1, 2, 3, 4]  # no gaps
    assert history[-1].version == filing.version
    assert [v.status for v in history] == ["draft", "draft", "assessed", "assessed"]


def test_a_retried_save_gets_the_first_answer(client, auth, api_headers):
    cert = claimable()
    employer, user = employer_account()
    headers = {**api_headers(user), "Idempotency-Key": "retry-0001-abcd"}
    first = client.post("/api/v1/quota/filings", json=filing_data([cert]), headers=headers)
    assert first.status_code == 200
    # the answer was lost; the client sends the same request again (its version is now stale)
    again = client.post("/api/v1/quota/filings", json=filing_data([cert]), headers=headers)
    assert again.status_code == 200, again.json
    assert again.json["id"] == first.json["id"] and again.json["version"] == first.json["version"]
    body = filing_data([cert], version=1, submission_key="retry-0002-abcd", submit=True)
    plain = api_headers(user)
    assert client.post("/api/v1/quota/filings", json=body, headers=plain).status_code == 200
    assert client.post("/api/v1/quota/filings", json=body, headers=plain).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(QuotaFilingVersion)) == 2
    bad = client.post(
        "/api/v1/quota/filings",
        json=filing_data([cert]),
        headers={**plain, "Idempotency-Key": "x"},
    )
    assert bad.status_code == 422
    # the web form: the page carries a key; posting the same page twice saves once
    auth.login(user)
    page = client.get(f"/quota/filings/form/{YEAR}").get_data(as_text=True)
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    form = form_data(
        [cert], action="submit", version="2", reason="补充说明", submission_key=key, confirmed="1"
    )
    assert client.post(f"/quota/filings/form/{YEAR}", data=form).status_code == 302
    assert client.post(f"/quota/filings/form/{YEAR}", data=form).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(QuotaFilingVersion)) == 3


# --- issue #16 item 6: one language at a time ---------------------------------------------------


def test_the_template_speaks_the_session_language_and_keeps_codes_hidden(client, auth):
    employer, user = employer_account()
    auth.login(user)
    book = load_workbook(io.BytesIO(client.get(f"/quota/filings/template/{YEAR}.xlsx").data))
    assert book.sheetnames[:2] == ["申报", "职工"]
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    assert [s.title for s in visible] == ["申报", "职工"]
    assert book["_codes"].sheet_state == "hidden"
    assert [c.value for c in book["职工"][1]] == [
        "残疾人证号",
        "等级",
        "在岗月数",
        "签订一年以上劳动合同",
        "工资不低于最低工资标准",
        "足额缴纳社会保险",
        "错误",
    ]
    items = [row[0] for row in book["申报"].iter_rows(values_only=True)]
    assert items[:3] == ["项目", "数据年度", "1月职工人数"] and items[14] == "年度工资总额（元）"
    text = " ".join(str(c) for s in visible for row in s.iter_rows(values_only=True) for c in row)
    assert not re.search(r"[a-z]+_[a-z_]+", text), text  # no code on a visible sheet
    client.get("/lang/en")
    book = load_workbook(io.BytesIO(client.get(f"/quota/filings/template/{YEAR}.xlsx").data))
    assert book.sheetnames[:2] == ["Filing", "Employees"]
    assert book["Employees"]["A1"].value == "Certificate number"
    assert book["Filing"]["A3"].value == "Headcount in month 1"
    assert book["Employees"].data_validations.dataValidation[-1].formula1 == '"yes,no"'


def test_an_english_template_uploads_in_a_chinese_session(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    client.get("/lang/en")
    content = _workbook(client, [cert])
    client.get("/lang/zh")
    response = client.post(
        "/quota/filings/upload",
        data={"year": YEAR, "submit": "1", "workbook": (io.BytesIO(content), "filing.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(select(QuotaFiling)).claims[0].verdict == "accepted"


def _old_template(cert: str, months: int = 12) -> bytes:
    """The layout before issue #16: sheets "filing" and "employees", codes in column A."""
    from openpyxl import Workbook

    book = Workbook()
    filing = book.active
    filing.title = "filing"
    filing.append(["项目 item", "数值 value", "错误 errors"])
    filing.append(["data_year", YEAR])
    for month in range(1, 13):
        filing.append([f"month_{month}", 100])
    filing.append(["wage_total", 8000000])
    people = book.create_sheet("employees")
    people.append(
        [
            "残疾人证号 certificate_no",
            "等级 level",
            "在岗月数 months",
            "一年以上合同 contract ≥ 1 year",
            "不低于最低工资 ≥ minimum wage",
            "足额缴纳社保 social insurance",
            "错误 errors",
        ]
    )
    people.append([cert, None, months, "是", "是", "是"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_template_of_the_older_code_layout_still_uploads(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    response = client.post(
        "/quota/filings/upload",
        data={
            "year": YEAR,
            "submit": "1",
            "workbook": (io.BytesIO(_old_template(cert)), "filing.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(select(QuotaFiling)).claims[0].verdict == "accepted"


def test_errors_of_an_older_template_name_sheet_and_column_in_english_too(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    client.get("/lang/en")
    response = _post_workbook(client, _old_template(cert, months=13))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Sheet &#34;employees&#34;, row 2: &#34;Months employed&#34;: " in text, text[:3000]
    assert "months:" not in text
