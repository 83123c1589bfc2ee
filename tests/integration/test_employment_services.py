"""Hard-to-employ flags, zero-employment households that clear themselves, and snapshots."""

from datetime import date

from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from employment import facts, jobs, services
from employment.models import HouseholdRelative, IndicatorSnapshot, RecognitionApplication
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
    home_based = _person(employment_type="home_based")  # recognised below
    unrecognised = _person(employment_type="flexible")  # not employed as the plan counts
    retired_woman = _person(birth=date(1969, 1, 1), male=False)  # 56 in 2025
    working_man = _person(birth=date(1968, 1, 1), male=True)  # 57: still of working age
    too_young = _person(birth=date(2010, 1, 1))
    elsewhere = _person("330212")
    db.session.add(
        RecognitionApplication(
            person_id=home_based.id,
            kind="home_based",
            work_started_on=date(2025, 1, 1),
            evidence_text="居家客服，月均收入约2800元",
            status="approved",
        )
    )
    db.session.commit()
    assert services.is_hard_to_employ(flagged, ON)
    assert services.is_hard_to_employ(unrecognised, ON)
    for person in (not_able, not_wishing, employed, home_based, retired_woman, too_young):
        assert not services.is_hard_to_employ(person, ON), person.id
    assert services.is_hard_to_employ(working_man, ON)
    listed = services.hard_to_employ("330106", ON)
    assert [p.id for p in listed] == [flagged.id, unrecognised.id, working_man.id]
    assert [p.id for p in services.hard_to_employ("330212", ON)] == [elsewhere.id]
    assert services.is_hard_to_employ(flagged)  # today, by default


def test_hard_to_employ_page_lists_only_the_counselors_county(client, auth, counselor):
    mine = _person(name="本县求职者")
    _person("330212", name="外县求职者")
    auth.login(counselor)
    html = client.get("/employment/hard-to-employ?county=330212").get_data(as_text=True)
    assert mine.name in html and "外县求职者" not in html
    assert '<th scope="col"' in html


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


def test_household_members_without_a_disability_and_the_wish_to_work(app):
    _person(household_id="HH-1")
    _person(household_id="HH-2")
    _person(household_id="HH-3", able_to_work=False)  # nobody able and wishing: not counted
    _person(household_id="HH-4", employment_type="flexible")  # unrecognised work: no job
    relatives = (
        ("HH-1", True),  # a spouse in work clears HH-1
        ("HH-2", False),
    )
    for household, employed in relatives:
        db.session.add(
            HouseholdRelative(
                household_id=household,
                county_code="330106",
                relation="spouse",
                birth_date=date(1985, 1, 1),
                sex="F",
                able_to_work=True,
                wish_to_work=True,
                employed=employed,
            )
        )
    db.session.commit()
    households = services.zero_employment_households("330106", ON)
    assert [h.household_id for h in households] == ["HH-2", "HH-4"]
    assert [len(h.relatives) for h in households] == [1, 0]


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
    assert (rows["330000"].certified_working_age, rows["330000"].employed_certified) == (2, 1)
    assert rows["330000"].graduates == 0 and rows["330000"].year_end is False
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
    assert {j["id"] for j in jobs.JOBS} == {
        "employment.snapshot",
        "employment.year_end",
        "employment.reminders",
    }
    year_end = next(j for j in jobs.JOBS if j["id"] == "employment.year_end")
    assert (year_end["month"], year_end["day"], year_end["hour"]) == (12, 31, 23)


def test_the_snapshot_of_31_december_is_the_year_end_figure(app):
    _person(household_id="HH-1")
    services.take_snapshot(date(2024, 12, 31))
    services.take_snapshot(date(2025, 1, 1))
    rows = db.session.scalars(
        select(IndicatorSnapshot).where(IndicatorSnapshot.area_code == "330000")
    )
    assert {(s.taken_on, s.year_end) for s in rows} == {
        (date(2024, 12, 31), True),
        (date(2025, 1, 1), False),
    }


def test_demo_seed_is_idempotent(app):
    from core.demo import seed_core
    from employment import demo

    seed_core()
    first = demo.seed_demo()
    assert first["recognition applications"] >= 5
    assert first["income disregards"] >= 1
    assert first["indicator snapshots"] > 0
    assert set(demo.seed_demo().values()) == {0}


def test_a_recorded_hire_into_home_based_work_counts_as_employment(client, auth, counselor):
    from jobmatch.services.referrals import EMPLOYMENT_BY_MODE
    from tests.integration.jobmatch_helpers import constraint_world, make_referral

    world = constraint_world()
    person, post = world["person"], world["posts"]["far_home"]
    referral = make_referral(person, post, status="referred", counselor_id=counselor.id)
    assert not facts.employed(person, facts.recognised_ids())
    auth.login(counselor)
    client.post(f"/jobmatch/referrals/{referral.id}/outcome", data={"status": "hired"})
    db.session.expire_all()
    person = db.session.get(type(person), person.id)
    assert person.employment_type == "home_based"
    assert facts.employed(person, facts.recognised_ids())  # a recorded hire, not an edit
    needs = {mode: kind for mode, kind in EMPLOYMENT_BY_MODE.items() if kind != "full_time"}
    assert needs == facts.HIRE_TYPES
