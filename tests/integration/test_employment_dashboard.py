"""The indicator dashboard: a table and a takeaway beside every chart, the Excel export, the API."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from core.extensions import db
from employment.models import IndicatorSnapshot
from tests import factories


@pytest.fixture
def records(app):
    for kind in ("full_time", "full_time", "unemployed", "unemployed", "home_based"):
        factories.make_person(employment_type=kind, birth=date(1990, 1, 1), household_id=None)
    factories.make_person(household_id="H1", birth=date(1991, 1, 1))
    factories.make_person("330212", employment_type="full_time")
    db.session.add(
        IndicatorSnapshot(taken_on=date.today(), area_code="330106", zero_employment_households=7)
    )
    db.session.commit()


def test_every_chart_has_a_table_a_takeaway_and_an_accessible_name(
    client, auth, counselor, records
):
    auth.login(counselor)
    response = client.get("/employment/dashboard?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1>") == 1 and "西湖区" in html  # the counselor's county by default
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) == 21  # twenty indicators and the zero-employment series
    assert html.count("<table>") >= len(svgs) + 1  # one beside each chart, and the summary
    assert html.count("<caption") == html.count("<table>")
    assert html.count("In one line:") == len(svgs)
    for tag in svgs:
        assert 'role="img"' in tag and "aria-labelledby=" in tag
    assert html.count("<title id=") == len(svgs) and html.count("<desc id=") == len(svgs)
    year = date.today().year
    assert (
        f"Employment rate of certified working-age persons, {year} 33.3% (2 of 6), "
        "below the 60% target, 2 short" in html  # the home-based work is not recognised
    )
    assert html.count("Definition:") == 20 and html.count("Source:") == 20
    assert "<dd>a plan-stated figure" not in html  # only for 2020
    assert 'scope="row"' in html and 'scope="col"' in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


def test_counselor_may_view_the_province_and_cities(client, auth, counselor, records):
    auth.login(counselor)
    html = client.get("/employment/dashboard?area=330000").get_data(as_text=True)
    assert "浙江省" in html and "宁波市" in html and "杭州市" in html
    assert client.get("/employment/dashboard?area=330100").status_code == 200
    assert client.get("/employment/dashboard?area=999999").status_code == 404


def test_only_staff_see_the_dashboard(client, auth, records):
    graduate = factories.make_user("graduate", person_id=factories.make_person().id)
    auth.login(graduate)
    assert client.get("/employment/dashboard").status_code == 403
    assert client.get("/employment/dashboard.xlsx").status_code == 403


def test_excel_export_contains_the_figures(client, auth, admin, records):
    auth.login(admin)
    response = client.get("/employment/dashboard.xlsx?area=330106&lang=en")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Indicators", "By area", "Over time"]
    rows = list(book["Indicators"].iter_rows(values_only=True))
    assert rows[0][:2] == ("Area", "西湖区")
    label = f"Employment rate of certified working-age persons, {date.today().year}"
    rate = next(r for r in rows if r[0] == label)
    assert rate[1:4] == (pytest.approx(1 / 3, abs=1e-4), 2, 6)
    assert rate[4:6] == (pytest.approx(0.6), "No")
    assert rate[7].startswith("Certified persons of working age") and rate[9].startswith("computed")
    history = list(book["Over time"].iter_rows(values_only=True))
    assert history[1][1] == 7


def test_api_indicators(client, api_headers, admin, counselor, records):
    headers = api_headers(counselor)
    mine = client.get("/api/v1/indicators?year=" + str(date.today().year), headers=headers)
    assert mine.status_code == 200, mine.json
    assert mine.json["area_code"] == "330106" and mine.json["breakdown"] == []
    rate = next(i for i in mine.json["indicators"] if i["code"] == "employment_rate")
    assert (rate["numerator"], rate["denominator"], rate["met"]) == ("2", 6, False)
    assert rate["basis"] == "records" and rate["as_of"] == date.today().isoformat()
    assert rate["definition"] and rate["source"]
    province = client.get("/api/v1/indicators?county=330000", headers=api_headers(admin))
    assert [a["area_code"] for a in province.json["breakdown"]][:2] == ["330100", "330200"]
    assert len(province.json["indicators"]) == 20
    assert province.json["lead_units"] == []
    bad = client.get("/api/v1/indicators?county=abc", headers=headers)
    assert bad.status_code == 422 and "county" in bad.json["errors"]
    assert client.get("/api/v1/indicators?year=1990", headers=headers).status_code == 422
    assert client.get("/api/v1/indicators").status_code == 401
    graduate = factories.make_user("graduate", person_id=factories.make_person().id)
    assert client.get("/api/v1/indicators", headers=api_headers(graduate)).status_code == 403


def test_api_county_lists(client, api_headers, admin, counselor, records):
    headers = api_headers(counselor)
    hard = client.get("/api/v1/hard-to-employ", headers=headers)
    assert hard.status_code == 200 and len(hard.json) == 4  # with the unrecognised home worker
    households = client.get("/api/v1/zero-employment-households", headers=headers).json
    assert [h["household_id"] for h in households] == ["H1"]
    assert client.get("/api/v1/hard-to-employ?county=330212", headers=headers).status_code == 403
    far = client.get("/api/v1/hard-to-employ?county=330212", headers=api_headers(admin))
    assert far.status_code == 200 and far.json == []
    assert client.get("/api/v1/hard-to-employ", headers=api_headers(admin)).status_code == 422


def test_person_page_shows_the_employment_section(client, auth, counselor):
    person = factories.make_person(low_income=True)
    auth.login(counselor)
    html = client.get(f"/people/{person.id}?lang=en").get_data(as_text=True)
    assert "Employment services" in html and "Hard to employ" in html
    assert f"/employment/people/{person.id}/disregard" in html


def test_households_page_lists_and_shows_the_count_over_time(client, auth, counselor, records):
    auth.login(counselor)
    html = client.get("/employment/households?lang=en").get_data(as_text=True)
    assert "H1" in html and "1 households have no one in work." in html
    assert ">7<" in html


def test_province_export_lists_every_city_and_the_counties(client, auth, admin, records):
    auth.login(admin)
    response = client.get("/employment/dashboard.xlsx?area=330000")
    book = load_workbook(io.BytesIO(response.data))
    codes = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert len(codes) == 20 * (11 + 2)  # twenty indicators of 11 cities and 2 counties
    assert {"330100", "330106", "330212"} <= set(codes)


def test_past_years_show_their_snapshot_the_plan_figure_or_no_data(
    client, auth, api_headers, admin, records
):
    auth.login(admin)
    html = client.get("/employment/dashboard?year=2020&lang=en").get_data(as_text=True)
    assert "Employment rate of certified working-age persons, 2020 57% (the plan" in html
    assert "<dd>a plan-stated figure</dd>" in html
    html = client.get("/employment/dashboard?year=2021&lang=en").get_data(as_text=True)
    assert (
        "Employment rate of certified working-age persons, 2021: no data recorded for that year"
        in html
    )
    assert "Training person-times, 2021" in html  # the label follows the year
    headers = api_headers(admin)
    body = client.get("/api/v1/indicators?year=2021&county=330000", headers=headers).json
    rate = next(i for i in body["indicators"] if i["code"] == "employment_rate")
    assert (rate["value"], rate["basis"]) == (None, "none")
    quota = next(i for i in body["indicators"] if i["code"] == "quota_compliance")
    assert quota["data_year"] == 2020


def test_refusing_a_direct_change_to_flexible_work(client, auth, api_headers, counselor):
    person = factories.make_person()
    headers = api_headers(counselor)
    response = client.patch(
        f"/api/v1/people/{person.id}?lang=en", json={"employment_type": "flexible"}, headers=headers
    )
    assert response.status_code == 422
    assert "work recognition application" in response.json["errors"]["employment_type"][0]
    db.session.refresh(person)
    assert person.employment_type == "unemployed"
    fine = client.patch(
        f"/api/v1/people/{person.id}", json={"employment_type": "full_time"}, headers=headers
    )
    assert fine.status_code == 200  # a recorded job of another type is an ordinary edit
    auth.login(counselor)
    form = client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert "employment_type" in form
    response = client.post(
        f"/people/{person.id}/edit?lang=zh",
        data={
            "name": person.name,
            "county_code": "330106",
            "employment_type": "home_based",
            "education": "senior",
            "low_income": "0",
            "wish_to_work": "1",
            "able_to_work": "1",
        },
    )
    assert response.status_code == 422
    assert "请提交就业认定申请" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.employment_type == "full_time"
