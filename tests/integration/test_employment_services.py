"""Hard-to-employ flags, zero-employment households that clear themselves, and snapshots."""

from datetime import date

from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from employment import jobs, services
from employment.models import IndicatorSnapshot
from tests import factories

ON = date(2025, 6, 1)


def _person(county="330106", **fields):
    return factories.make_person(
        county=county, birth=fields.pop("birth", date(1990, 5, 1)), **fields
    )


def test_hard_to_employ_flags_from_the_records(app):
    flagged = _person()
    not_able = _person(able_to_work=False)
    not_wishing = _person(wish_to_work=False)
    employed = _person(employment_type="full_time")
    home_based = _person(employment_type="home_based")
    retired_woman = _person(birth=date(1969, 1, 1), male=False)  # 56 in 2025
    working_man = _person(birth=date(1968, 1, 1), male=True)  # 57: still of working age
    too_young = _person(birth=date(2010, 1, 1))
    elsewhere = _person("330212")
    assert services.is_hard_to_employ(flagged, ON)
    for person in (not_able, not_wishing, employed, home_based, retired_woman, too_young):
        assert not services.is_hard_to_employ(person, ON), person.id
    assert services.is_hard_to_employ(working_man, ON)
    listed = services.hard_to_employ("330106", ON)
    assert [p.id for p in listed] == [flagged.id, working_man.id]
    assert [p.id for p in services.hard_to_employ("330212", ON)] == [elsewhere.id]
    assert services.is_hard_to_employ(flagged)  # today, by default


def test_hard_to_employ_page_lists_only_the_counselors_county(client, auth, counselor):
    mine = _person(name="本县求职者")
    _person("330212", name="外县求职者")
    auth.login(counselor)
    html = client.get("/employment/hard-to-employ?county=330212").get_data(as_text=True)
    assert mine.name in html and "外县求职者" not in html
    assert '<th scope="col">' in html


def test_household_clears_when_a_member_is_employed(app):
    first = _person(household_id="HH-1")
    _person(household_id="HH-1")
    _person(household_id="HH-2", employment_type="full_time")
    _person(household_id="HH-3", birth=date(1950, 1, 1))  # no working-age member
    households = services.zero_employment_households("330106", ON)
    assert [h.household_id for h in households] == ["HH-1"]
    assert len(households[0].members) == 2
    first.employment_type = "full_time"
    db.session.commit()
    assert services.zero_employment_households("330106", ON) == []


def test_snapshot_records_counts_per_area_and_reruns_update(app, runner):
    _person(household_id="HH-1")
    _person("330212", household_id="HH-9", employment_type="full_time")
    assert services.take_snapshot(ON) == 5  # two counties, two cities, the province
    rows = {s.area_code: s for s in db.session.scalars(select(IndicatorSnapshot))}
    assert rows["330106"].zero_employment_households == 1
    assert rows["330000"].zero_employment_households == 1
    assert rows["330000"].working_age == 2 and rows["330000"].employed == 1
    assert rows["330200"].zero_employment_households == 0
    assert rows["330100"].hard_to_employ == 1
    result = runner.invoke(args=["employment", "snapshot", "--on", ON.isoformat()])
    assert result.exit_code == 0, result.output
    assert db.session.query(IndicatorSnapshot).count() == 5  # same day: updated, not added
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "snapshot"))


def test_snapshot_job_and_monthly_series(app):
    _person(household_id="HH-1")
    job = next(j for j in jobs.JOBS if j["id"] == "employment.snapshot")
    assert job["func"]() == 3
    db.session.add(IndicatorSnapshot(taken_on=date(2020, 1, 5), area_code="330106"))
    db.session.commit()
    series = services.monthly_series("330106")
    assert [s.taken_on for s in series] == [date.today()]
    assert {j["id"] for j in jobs.JOBS} == {"employment.snapshot", "employment.reminders"}


def test_demo_seed_is_idempotent(app):
    from core.demo import seed_core
    from employment import demo

    seed_core()
    first = demo.seed_demo()
    assert first["recognition applications"] >= 5
    assert first["income disregards"] >= 1
    assert first["indicator snapshots"] > 0
    assert set(demo.seed_demo().values()) == {0}
