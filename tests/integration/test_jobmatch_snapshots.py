"""Learning trains on the state of a referral at the time it was made, not on today's state."""

from core.extensions import db
from jobmatch.engine.snapshot import SNAPSHOT_VERSION
from jobmatch.services import learning, referrals
from jobmatch.services import matching as services
from tests import factories
from tests.integration.jobmatch_helpers import XIHU, make_post, make_profile, make_referral

BINJIANG = "330108"


def test_a_later_change_of_a_person_does_not_change_a_past_outcomes_features(counselor, admin):
    employer = factories.make_employer(county=XIHU, name="西湖超市")
    post = make_post(employer, title="收银员", positions=3)
    person = factories.make_person(county=XIHU, category=4, level=3, name="当时求职")
    profile = make_profile(person, min_salary=3000, travel_mode="public_transport")
    assert services.seeker_of(person).hard_to_employ  # unemployed, wishes to work
    referral = referrals.refer(counselor, person, post, "技能相符")
    assert referral.snapshot["version"] == SNAPSHOT_VERSION
    referrals.record_outcome(counselor, referral, "hired")
    before = learning.outcomes()
    [outcome] = before
    assert outcome.hired and outcome.seeker.hard_to_employ  # as when referred
    assert outcome.seeker.skills == ("cashier", "mobile_payment")
    assert outcome.post.seats_left == 3  # the post before the hire filled a seat

    # Later: the person is employed (no longer hard to employ), moves and changes their profile.
    assert services.seeker_of(person).hard_to_employ is False
    person.county_code = BINJIANG
    profile.skills, profile.min_salary, profile.travel_mode = ["python"], 9000, "on_foot"
    post.salary_min, post.salary_max = 1000, 1500
    db.session.commit()

    [after] = learning.outcomes()
    assert after.seeker == outcome.seeker and after.post == outcome.post
    assert after.seeker.county_code == XIHU and after.seeker.min_salary == 3000
    assert after.seeker.travel_mode == "public_transport"
    assert after.post.salary_min == 4000
    assert learning.outcome_sources() == {"snapshot": 1, "current": 0}


def test_a_referral_made_before_snapshots_falls_back_to_the_current_state(
    client, auth, admin, counselor
):
    employer = factories.make_employer(county=XIHU)
    post = make_post(employer)
    person = factories.make_person(county=XIHU, name="旧推荐")
    make_profile(person)
    make_referral(person, post, status="not_hired", counselor_id=counselor.id)  # no snapshot
    [outcome] = learning.outcomes()
    assert not outcome.hired and outcome.seeker.id == person.id
    assert outcome.seeker.county_code == XIHU
    assert learning.outcome_sources() == {"snapshot": 0, "current": 1}
    auth.login(admin)
    page = client.get("/jobmatch/admin/weights").get_data(as_text=True)
    assert "其中1条产生于推荐记录保存当时状态之前" in page
