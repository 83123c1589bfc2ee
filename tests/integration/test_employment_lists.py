"""The employment package's long lists (core.listing): institutions, public-welfare posts, auxiliary
centres, start-up applications and skills competitions are filtered, sorted and paged from the URL,
a counselor still sees only their county, the CSV exports carry exactly the filtered rows in the
shown order with titled headers in the reader's language, and a bad parameter is a 400 naming it."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from core import identity
from core.extensions import db
from employment.models import (
    AuxiliaryCentre,
    AuxiliaryParticipant,
    Competition,
    CompetitionEntry,
    HouseholdIncome,
    IncomeDisregard,
    Institution,
    StartupApplication,
    WelfareAssignment,
    WelfarePost,
)
from tests import factories

TODAY = date.today()
HERE, FAR = "330106", "330212"


def _rows(html: str) -> list[str]:
    listed = html.split('class="list-summary"', 1)[1]  # the list, not the page's other tables
    body = listed.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[ >].*?</tr>", body, re.S)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _institutions():
    serial = 0
    for county, count in ((HERE, 55), (FAR, 3)):
        for i in range(count):
            serial += 1
            db.session.add(
                Institution(
                    kind="blind_massage" if i % 3 else "welfare_enterprise",
                    name=f"机构{serial:03d}",
                    credit_code=identity.make_credit_code(f"91{county}MA{serial:07d}"),
                    county_code=county,
                    registered_on=date(2020, 1, 1) + timedelta(days=serial),
                    closed_on=date(2024, 1, 1) if i == 1 else None,
                )
            )
    db.session.commit()


def test_institutions_are_filtered_sorted_paged_and_limited_to_the_county(client, auth, counselor):
    _institutions()
    auth.login(counselor)
    first = client.get("/employment/institutions").get_data(as_text=True)
    assert len(_rows(first)) == 50 and "第 1–50 条，共 55 条" in first
    assert 'for="filter-kind"' in first and 'aria-sort="ascending"' in first
    assert "机构056" not in first  # the far county's institutions stay out of a counselor's list
    second = client.get("/employment/institutions?page=2").get_data(as_text=True)
    assert len(_rows(second)) == 5 and "第 51–55 条，共 55 条" in second
    # the far county cannot be chosen by a counselor: it is not one of the choices
    assert client.get(f"/employment/institutions?county={FAR}").status_code == 400
    welfare = client.get("/employment/institutions?kind=welfare_enterprise&sort=-name")
    rows = _rows(welfare.get_data(as_text=True))
    assert len(rows) == 19 and "机构055" in rows[0] and "机构001" in rows[-1]
    assert 'aria-sort="descending"' in welfare.get_data(as_text=True)
    found = client.get("/employment/institutions?q=机构01").get_data(as_text=True)
    assert len(_rows(found)) == 10
    closed = client.get("/employment/institutions?state=closed").get_data(as_text=True)
    assert len(_rows(closed)) == 1 and "机构002" in closed and "已关闭" in closed
    # the state stays in the links: the next page keeps the filter and the sort
    many = client.get("/employment/institutions?kind=blind_massage&sort=-registered&per_page=10")
    assert "kind=blind_massage" in many.get_data(as_text=True).split('rel="next"')[0][-400:]


def test_the_institutions_export_is_exactly_the_filtered_rows_in_order(
    client, auth, admin, counselor
):
    _institutions()
    auth.login(counselor)
    args = "kind=blind_massage&sort=-name&per_page=200"
    page = client.get(f"/employment/institutions?{args}").get_data(as_text=True)
    shown = [re.search(r"机构\d{3}", row).group(0) for row in _rows(page)]
    assert "download" in page and "/employment/institutions.csv?" in page
    table = _csv(client.get("/employment/institutions.csv?kind=blind_massage&sort=-name"))
    assert table[0] == ["名称", "统一社会信用代码", "类型", "县（市、区）", "登记日期", "关闭日期"]
    assert [row[0] for row in table[1:]] == shown and len(shown) == 36
    assert {row[2] for row in table[1:]} == {"盲人按摩机构"}
    everything = _csv(client.get("/employment/institutions.csv"))
    assert len(everything) == 1 + 55  # the counselor's county only
    auth.logout()
    auth.login(admin)
    client.get("/lang/en")
    province = _csv(client.get("/employment/institutions.csv"))
    assert province[0][:2] == ["Name", "Unified social credit code"] and len(province) == 59
    far = _csv(client.get(f"/employment/institutions.csv?county={FAR}"))
    assert [row[0] for row in far[1:]] == ["机构056", "机构057", "机构058"]


def _posts(counselor):
    for i in range(53):
        start = TODAY - timedelta(days=400) if i % 2 else TODAY + timedelta(days=30 + i)
        db.session.add(
            WelfarePost(
                title=f"岗位{i:02d}",
                host="街道" if i % 4 else "社区",
                funding="就业补助资金",
                county_code=HERE,
                seats=3,
                starts_on=start,
                ends_on=start + timedelta(days=365 * 2),
            )
        )
    db.session.add(
        WelfarePost(
            title="远方岗位", host="街道", funding="资金", county_code=FAR, seats=1,
            starts_on=TODAY, ends_on=TODAY + timedelta(days=10),
        )
    )  # fmt: skip
    db.session.commit()
    post = db.session.query(WelfarePost).filter_by(title="岗位07").one()
    for n in range(2):
        person = factories.make_person(name=f"在岗{n}", birth=date(1990, 1, 1 + n))
        db.session.add(
            WelfareAssignment(
                post_id=post.id, person_id=person.id, starts_on=post.starts_on,
                ends_on=post.ends_on, status="active", priority_group=1,
            )
        )  # fmt: skip
    db.session.commit()


def test_welfare_posts_filter_sort_page_and_export(client, auth, counselor):
    _posts(counselor)
    auth.login(counselor)
    first = client.get("/employment/welfare-posts").get_data(as_text=True)
    assert len(_rows(first)) == 50 and "共 53 条" in first and "远方岗位" not in first
    running = client.get("/employment/welfare-posts?term=current").get_data(as_text=True)
    assert len(_rows(running)) == 26 and "岗位00" not in running
    upcoming = client.get("/employment/welfare-posts?term=upcoming").get_data(as_text=True)
    assert len(_rows(upcoming)) == 27
    last_year = client.get(f"/employment/welfare-posts?year={TODAY.year - 1}")
    assert len(_rows(last_year.get_data(as_text=True))) == 26  # the posts begun 400 days ago
    taken = _rows(client.get("/employment/welfare-posts?sort=-taken").get_data(as_text=True))
    assert "岗位07" in taken[0] and "2 / 3" in taken[0]
    hosts = client.get("/employment/welfare-posts?q=社区").get_data(as_text=True)
    assert len(_rows(hosts)) == 14
    table = _csv(client.get("/employment/welfare-posts.csv?q=社区&sort=title"))
    assert table[0][:3] == ["岗位", "用工单位", "资金来源"] and table[0][5] == "已占名额"
    assert [row[0] for row in table[1:]] == [f"岗位{i:02d}" for i in range(0, 53, 4)]
    assert {row[1] for row in table[1:]} == {"社区"}


def test_centres_applications_and_competitions_filter_sort_and_page(client, auth, counselor):
    for i in range(52):
        db.session.add(
            AuxiliaryCentre(
                name=f"中心{i:02d}", operator="残联" if i % 2 else "民政", county_code=HERE,
                opened_on=date(2020, 1, 1),
            )
        )  # fmt: skip
    db.session.add(
        AuxiliaryCentre(name="远方中心", operator="残联", county_code=FAR, opened_on=TODAY)
    )
    db.session.commit()
    centre = db.session.query(AuxiliaryCentre).filter_by(name="中心10").one()
    person = factories.make_person(name="学员", category=5, level=2)
    db.session.add(AuxiliaryParticipant(centre_id=centre.id, person_id=person.id, joined_on=TODAY))
    applicant = factories.make_person(name="创业者", birth=date(1991, 2, 3))
    far = factories.make_person(name="远方创业者", county=FAR, birth=date(1992, 2, 3))
    for i in range(51):
        db.session.add(
            StartupApplication(
                person_id=applicant.id, business_name=f"项目{i:02d}", business_plan="计划",
                amount_requested=Decimal(1000 + i), status="approved" if i < 4 else "pending",
            )
        )  # fmt: skip
    db.session.add(
        StartupApplication(
            person_id=far.id, business_name="远方项目", business_plan="计划",
            amount_requested=Decimal(1), status="pending",
        )
    )  # fmt: skip
    for i in range(3):
        db.session.add(
            Competition(
                name=f"竞赛{i}", level="city" if i else "national", organiser="省残联",
                held_on=date(2024 + i, 5, 1), trades=["按摩"],
            )
        )  # fmt: skip
    db.session.commit()
    auth.login(counselor)
    centres = client.get("/employment/auxiliary").get_data(as_text=True)
    assert len(_rows(centres)) == 50 and "共 52 条" in centres and "远方中心" not in centres
    busiest = _rows(client.get("/employment/auxiliary?sort=-participants").get_data(as_text=True))
    assert "中心10" in busiest[0]
    assert len(_rows(client.get("/employment/auxiliary?q=民政").get_data(as_text=True))) == 26

    apps = client.get("/employment/startups").get_data(as_text=True)
    assert len(_rows(apps)) == 50 and "共 51 条" in apps and "远方项目" not in apps
    approved = client.get("/employment/startups?status=approved&sort=-amount")
    rows = _rows(approved.get_data(as_text=True))
    assert len(rows) == 4 and "项目03" in rows[0] and "项目00" in rows[-1]
    assert len(_rows(client.get("/employment/startups?q=项目5").get_data(as_text=True))) == 1

    comps = _rows(client.get("/employment/competitions?sort=held").get_data(as_text=True))
    assert [re.search(r"竞赛\d", r).group(0) for r in comps] == ["竞赛0", "竞赛1", "竞赛2"]
    city = client.get("/employment/competitions?level=city&year=2025").get_data(as_text=True)
    assert len(_rows(city)) == 1 and "竞赛1" in city


def test_running_disregards_and_income_figures_filter_sort_and_page(client, auth, admin):
    for i in range(53):
        person = factories.make_person(
            name=f"豁免{i:02d}",
            county=HERE if i % 2 else FAR,
            birth=date(1980, 1, 1) + timedelta(i),
        )
        db.session.add(
            IncomeDisregard(
                person_id=person.id, status="active", start_date=date(2020 + i % 3, 3, 1 + i % 20)
            )
        )
    areas = ["330000", "330100", "330106", "330200", "330212"]
    for year in range(2015, 2026):
        for n, area in enumerate(areas):
            db.session.add(
                HouseholdIncome(year=year, area_code=area, amount=Decimal(20000 + n), source="统计")
            )
    db.session.commit()
    auth.login(admin)
    running = client.get("/employment/disregards").get_data(as_text=True)
    assert len(_rows(running)) == 50 and "共 53 条" in running
    here = client.get(f"/employment/disregards?county={HERE}&year=2021&sort=started")
    rows = _rows(here.get_data(as_text=True))
    expected = [i for i in range(53) if i % 2 and i % 3 == 1]
    assert len(rows) == len(expected)
    dates = [re.search(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}", r).group(0) for r in rows]
    assert dates == sorted(dates, key=lambda d: [int(x) for x in re.findall(r"\d+", d)])
    named = client.get("/employment/disregards?q=豁免07").get_data(as_text=True)
    assert len(_rows(named)) == 1

    figures = client.get("/employment/household-income").get_data(as_text=True)
    assert len(_rows(figures)) == 50 and "共 55 条" in figures
    ningbo = client.get("/employment/household-income?area=3302&year=2025&sort=-amount")
    rows = _rows(ningbo.get_data(as_text=True))
    assert len(rows) == 2 and "20,004.00" in rows[0] and "20,003.00" in rows[1]


def test_a_posts_candidates_and_a_competitions_entrants_are_paged(client, auth, counselor):
    people = [
        factories.make_person(name=f"候选{i:02d}", birth=date(1990, 1, 1) + timedelta(i))
        for i in range(53)
    ]
    post = WelfarePost(
        title="协管员", host="街道", funding="资金", county_code=HERE, seats=2,
        starts_on=TODAY, ends_on=TODAY + timedelta(days=300),
    )  # fmt: skip
    competition = Competition(
        name="省赛", level="provincial", organiser="省残联", held_on=TODAY - timedelta(days=9),
        trades=["按摩", "面点"],
    )  # fmt: skip
    db.session.add_all([post, competition])
    db.session.flush()
    for i, person in enumerate(people):
        db.session.add(
            CompetitionEntry(
                competition_id=competition.id, person_id=person.id,
                trade="按摩" if i % 2 else "面点", rank=i + 1 if i < 5 else None,
                award="first" if i == 0 else None,
            )
        )  # fmt: skip
    db.session.commit()
    auth.login(counselor)
    detail = f"/employment/welfare-posts/{post.id}"
    first = client.get(detail).get_data(as_text=True)
    assert len(_rows(first)) == 50 and "共 53 条" in first
    assert len(_rows(client.get(f"{detail}?page=2").get_data(as_text=True))) == 3
    one = client.get(f"{detail}?q=候选07").get_data(as_text=True)
    assert len(_rows(one)) == 1 and "候选07" in _rows(one)[0]
    assert "没有符合条件的记录" in client.get(f"{detail}?rural=yes").get_data(as_text=True)
    assert "共 53 条" in client.get(f"{detail}?rural=unknown&sort=-name").get_data(as_text=True)

    entrants = f"/employment/competitions/{competition.id}"
    listed = client.get(entrants).get_data(as_text=True)
    assert len(_rows(listed)) == 50 and "共 53 条" in listed
    ranked = _rows(client.get(f"{entrants}?sort=rank").get_data(as_text=True))
    assert [re.search(r"候选\d\d", r).group(0) for r in ranked[:5]] == [
        f"候选{i:02d}" for i in range(5)
    ]
    massage = client.get(f"{entrants}?trade=按摩&per_page=100").get_data(as_text=True)
    assert len(_rows(massage)) == 26
    awarded = _rows(client.get(f"{entrants}?awarded=1").get_data(as_text=True))
    assert len(awarded) == 1 and "候选00" in awarded[0]


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/employment/institutions?sort=profit", "profit"),
        ("/employment/institutions?kind=castle", "castle"),
        ("/employment/institutions.csv?kind=castle", "castle"),
        ("/employment/institutions?page=3", "3"),
        ("/employment/welfare-posts?term=forever", "聘期"),
        ("/employment/welfare-posts?year=1066", "1066"),
        ("/employment/welfare-posts.csv?per_page=0", "每页"),
        ("/employment/auxiliary?county=999999", "999999"),
        ("/employment/startups?status=maybe", "maybe"),
        ("/employment/competitions?level=galactic", "galactic"),
        ("/employment/disregards?sort=income", "income"),
        ("/employment/household-income?year=1999", "1999"),
    ],
)
def test_a_bad_list_parameter_is_a_400_naming_it(client, auth, admin, url, named):
    auth.login(admin)
    response = client.get(url)
    assert response.status_code == 400
    assert named in response.get_data(as_text=True)
