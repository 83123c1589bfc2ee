"""Skills competitions and household registration through the API and the pages (both databases):
records, refusals, the county limit, the award on the person's page and as a badge on the candidates
an employer sees (never the name), and the dashboard's rural/urban and competition figures."""

from datetime import date, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from employment import households, labels, services, welfare
from tests import factories
from tests.integration.jobmatch_helpers import make_post, make_profile

TODAY = date.today()
YEAR = TODAY.year
COMPETITION = {
    "name": f"{YEAR}年浙江省残疾人职业技能竞赛",
    "level": "provincial",
    "organiser": "浙江省残疾人联合会",
    "held_on": TODAY.isoformat(),
    "trades": ["中式面点", "电子商务"],
}


def _indicators(area="330106"):
    return {i.code: i for i in services.indicator_report(YEAR, area).indicators}


def test_competition_entrants_results_and_the_year_figures(
    client, api_headers, counselor, other_counselor
):
    winner = factories.make_person(name="获奖者")
    ranked = factories.make_person(name="参赛者")
    far_person = factories.make_person(county="330212", name="远方选手")
    headers = api_headers(counselor)
    created = client.post("/api/v1/competitions", json=COMPETITION, headers=headers)
    assert created.status_code == 201, created.json
    url = f"/api/v1/competitions/{created.json['id']}/entries"
    entry = client.post(url, json={"person_id": winner.id, "trade": "中式面点"}, headers=headers)
    assert entry.status_code == 201, entry.json
    again = client.post(url, json={"person_id": winner.id, "trade": "中式面点"}, headers=headers)
    assert again.status_code == 409 and "person_id" in again.json["errors"]
    second = client.post(url, json={"person_id": winner.id, "trade": "电子商务"}, headers=headers)
    assert second.status_code == 201  # another trade of the same competition
    wrong = client.post(url, json={"person_id": ranked.id, "trade": "木工"}, headers=headers)
    assert wrong.status_code == 422 and "trade" in wrong.json["errors"]
    plain = client.post(url, json={"person_id": ranked.id, "trade": "电子商务"}, headers=headers)
    outside = client.post(
        url, json={"person_id": far_person.id, "trade": "电子商务"}, headers=headers
    )
    assert outside.status_code == 404  # another county's person
    result_url = f"/api/v1/competition-entries/{entry.json['id']}/result"
    bad = client.put(result_url, json={"rank": 0, "award": "gold"}, headers=headers)
    assert bad.status_code == 422 and {"rank", "award"} <= set(bad.json["errors"])
    done = client.put(result_url, json={"rank": 1, "award": "first"}, headers=headers)
    assert done.status_code == 200 and done.json["award"] == "first"
    client.put(
        f"/api/v1/competition-entries/{plain.json['id']}/result", json={"rank": 4}, headers=headers
    )
    audit = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.table_name == "competition_entry")
    ).all()
    assert audit.count("competition_result") == 2
    far = api_headers(other_counselor)
    assert client.get(url, headers=far).json == []  # the competition, but none of its entrants
    assert client.put(result_url, json={"award": "second"}, headers=far).status_code == 404
    figures = _indicators()
    # Entrants: the winner (two trades, once) and the ranked one; winners: the first prize only.
    assert figures["competition_entrants"].value == 2
    assert figures["competition_winners"].value == 1
    assert _indicators("330212")["competition_entrants"].value == 0


def test_results_wait_for_the_competition_and_trades_are_required(client, api_headers, admin):
    headers = api_headers(admin)
    person = factories.make_person()
    future = {**COMPETITION, "held_on": (TODAY + timedelta(days=30)).isoformat()}
    competition = client.post("/api/v1/competitions", json=future, headers=headers).json
    entry = client.post(
        f"/api/v1/competitions/{competition['id']}/entries",
        json={"person_id": person.id, "trade": "中式面点"},
        headers=headers,
    ).json
    early = client.put(
        f"/api/v1/competition-entries/{entry['id']}/result",
        json={"award": "first"},
        headers=headers,
    )
    assert early.status_code == 422 and "award" in early.json["errors"]
    no_trades = client.post(
        "/api/v1/competitions", json={**COMPETITION, "trades": [" "]}, headers=headers
    )
    assert no_trades.status_code == 422 and "trades" in no_trades.json["errors"]
    level = client.post(
        "/api/v1/competitions", json={**COMPETITION, "level": "county"}, headers=headers
    )
    assert level.status_code == 422 and "level" in level.json["errors"]


def _winner(client, api_headers, counselor, person):
    headers = api_headers(counselor)
    competition = client.post("/api/v1/competitions", json=COMPETITION, headers=headers).json
    entry = client.post(
        f"/api/v1/competitions/{competition['id']}/entries",
        json={"person_id": person.id, "trade": "电子商务"},
        headers=headers,
    ).json
    client.put(
        f"/api/v1/competition-entries/{entry['id']}/result",
        json={"rank": 2, "award": "second"},
        headers=headers,
    )


def test_the_award_shows_to_employers_without_the_name(client, api_headers, counselor, auth):
    employer = factories.make_employer()
    employer_user = factories.make_user("employer", employer_id=employer.id)
    post = make_post(employer)
    person = factories.make_person(name="钱获奖")
    make_profile(person)
    _winner(client, api_headers, counselor, person)
    badge = f"{YEAR}年浙江省残疾人职业技能竞赛（{YEAR}年，省级）电子商务二等奖"
    body = client.get(f"/api/v1/posts/{post.id}/candidates", headers=api_headers(employer_user))
    assert body.status_code == 200
    assert body.json[0]["anonymous"] and body.json[0]["awards"] == [badge]
    assert "钱获奖" not in body.get_data(as_text=True)
    english = client.get(
        f"/api/v1/posts/{post.id}/candidates",
        headers={**api_headers(employer_user), "Accept-Language": "en"},
    ).json
    assert english[0]["awards"][0].startswith("Second prize, ")
    auth.login(employer_user)
    page = client.get(f"/jobmatch/posts/{post.id}/candidates").get_data(as_text=True)
    assert badge in page and "钱获奖" not in page
    auth.logout()
    auth.login(counselor)
    person_page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "职业技能竞赛获奖" in person_page and badge in person_page


def test_the_badge_and_the_names_in_both_languages(app):
    args = (2026, "provincial", "2026年浙江省残疾人职业技能竞赛", "中式面点", "first")
    with app.test_request_context(), force_locale("zh"):
        assert labels.badge(*args) == "2026年浙江省残疾人职业技能竞赛（2026年，省级）中式面点一等奖"
        assert [labels.competition_level_name(c) for c in ("national", "city")] == ["全国", "市级"]
        assert labels.award_name("excellence") == "优秀奖"
    with app.test_request_context(), force_locale("en"):
        badge = labels.badge(2026, "national", "National contest", "E-commerce", "excellence")
        assert badge == "Honourable mention, National contest (2026, National level), E-commerce"


def test_competition_pages_record_and_refuse(client, auth, counselor):
    person = factories.make_person(name="页面选手")
    auth.login(counselor)
    assert "职业技能竞赛" in client.get("/employment/competitions").get_data(as_text=True)
    empty = client.post("/employment/competitions", data={"name": "x"})
    assert empty.status_code == 422 and 'id="error-summary"' in empty.get_data(as_text=True)
    form = {**COMPETITION, "trades": "中式面点、电子商务"}
    created = client.post("/employment/competitions", data=form)
    assert created.status_code == 302
    detail_url = created.headers["Location"]
    entered = client.post(
        f"{detail_url}/entries", data={"person_id": person.id, "trade": "中式面点"}
    )
    assert entered.status_code == 302
    page = client.get(detail_url).get_data(as_text=True)
    assert "页面选手" in page and "未录入奖项" in page
    entry_id = db.session.scalars(
        select(AuditEvent.row_id).where(AuditEvent.table_name == "competition_entry")
    ).first()
    recorded = client.post(
        f"{detail_url}/results", data={"entry_id": entry_id, "rank": "1", "award": "first"}
    )
    assert recorded.status_code == 302
    assert "一等奖" in client.get(detail_url).get_data(as_text=True)
    refused = client.post(f"{detail_url}/results", data={"entry_id": entry_id, "award": "gold"})
    assert refused.status_code == 422


def test_household_registration_and_the_rural_split(
    client, api_headers, auth, counselor, other_counselor
):
    rural_working = factories.make_person(household_id="HR-1", employment_type="full_time")
    rural_idle = factories.make_person(household_id="HR-2")
    urban_idle = factories.make_person(household_id="HU-1")
    headers = api_headers(counselor)
    url = "/api/v1/households/{}/registration"
    assert client.get(url.format("HR-1"), headers=headers).status_code == 404  # not recorded yet
    missing = client.put(url.format("HR-1"), json={"registration": "rural"}, headers=headers)
    assert missing.status_code == 422 and "source" in missing.json["errors"]
    for household, kind in (("HR-1", "rural"), ("HR-2", "rural"), ("HU-1", "urban")):
        saved = client.put(
            url.format(household), json={"registration": kind, "source": "户口簿 2026-03"},
            headers=headers,
        )  # fmt: skip
        assert saved.status_code == 200 and saved.json["registration"] == kind
    assert client.get(url.format("HU-1"), headers=headers).json["source"] == "户口簿 2026-03"
    far = api_headers(other_counselor)
    hidden = client.put(
        url.format("HR-1"), json={"registration": "urban", "source": "户口簿"}, headers=far
    )
    assert hidden.status_code == 404
    figures = _indicators()
    rate = figures["rural_employment_rate"]
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert figures["urban_employment_rate"].denominator == 1
    assert figures["zero_employment_households_rural"].value == 1  # HR-2
    assert figures["zero_employment_households_urban"].value == 1  # HU-1
    api = client.get("/api/v1/indicators?county=330106", headers=headers).json
    rows = {i["code"]: i for i in api["indicators"]}
    assert rows["rural_employment_rate"]["numerator"] == "1"  # decimals answered as strings
    assert "《残疾人就业条例》第二十条" in rows["rural_employment_rate"]["source"]
    auth.login(counselor)
    page = client.post("/employment/households/HU-1/registration", data={"registration": "rural"})
    assert page.status_code == 302
    shown = client.get("/employment/households/HU-1/relatives").get_data(as_text=True)
    assert "城镇户籍" in shown and "户口簿 2026-03" in shown  # the refused change left it as it was
    assert (
        client.post(
            "/employment/households/HU-1/registration",
            data={"registration": "rural", "source": "户口簿"},
        ).status_code
        == 302
    )
    assert "农村户籍" in client.get("/employment/households/HU-1/relatives").get_data(as_text=True)
    dashboard = client.get("/employment/dashboard?county=330106").get_data(as_text=True)
    assert "农村持证就业年龄段残疾人就业率" in dashboard and "职业技能竞赛获奖残疾人" in dashboard
    assert rural_working and rural_idle and urban_idle


def test_a_welfare_candidate_is_rural_by_their_households_registration(
    client, api_headers, counselor
):
    idle = factories.make_person(household_id="HW-1", birth=date(1990, 1, 1))
    households.set_registration(counselor, "HW-1", True, "户口簿")
    ranked = {p.id: c for _group, p, c in welfare.candidates("330106")}
    assert ranked[idle.id].rural is True
    welfare.set_rural(counselor, idle, False)  # the person's own record comes first
    ranked = {p.id: c for _group, p, c in welfare.candidates("330106")}
    assert ranked[idle.id].rural is False
