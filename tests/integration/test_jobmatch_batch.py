"""Batch matching, learned weights and the fairness audit (figures against a hand-computed case)."""

import pytest
from sqlalchemy import func, select

from jobmatch.engine import fairness
from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS
from jobmatch.engine.weights import WEIGHT_BOUNDS
from jobmatch.models import MatchResult, MatchRun, MatchWeights, Referral
from tests import factories
from tests.integration.jobmatch_helpers import (
    JINGNING,
    XIHU,
    constraint_world,
    make_post,
    make_profile,
)


def test_batch_run_stores_the_top_k_of_every_seeker(runner, db):
    world = constraint_world()
    other = factories.make_person(county=XIHU, category=4, level=3, name="肢残求职者")
    make_profile(other)
    factories.make_person(county=XIHU, name="已就业", employment_type="full_time")
    result = runner.invoke(args=["match", "run", "-k", "2", "--chunk-size", "1"])
    assert result.exit_code == 0, result.output
    assert "results stored" in result.output
    run = db.session.scalar(select(MatchRun))
    assert run.seekers == 2 and run.posts == 6 and run.finished_at is not None
    rows = db.session.scalars(
        select(MatchResult).order_by(MatchResult.person_id, MatchResult.rank)
    ).all()
    by_person: dict = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
        assert list(row.contributions) == list(FACTORS)
    assert set(by_person) == {world["person"].id, other.id}
    assert all(len(v) == 2 and [r.rank for r in v] == [1, 2] for v in by_person.values())
    feasible = {world["posts"][k].id for k in ("good", "bridged", "far_home")}
    assert {r.post_id for r in by_person[world["person"].id]} <= feasible
    totals = [r.total for r in by_person[other.id]]
    assert totals == sorted(totals, reverse=True)


def test_fairness_figures_against_a_hand_computed_case():
    seekers = [
        fairness.SeekerFacts(1, category=1, level=1, referred=True, hired=True),
        fairness.SeekerFacts(2, category=1, level=2, referred=True, hired=False),
        fairness.SeekerFacts(3, category=2, level=1),
        fairness.SeekerFacts(4, category=2, level=2, referred=True, hired=True),
    ]
    pairs = [
        fairness.Scored(1, 100, 0.9),
        fairness.Scored(3, 100, 0.8),
        fairness.Scored(4, 100, 0.7),
        fairness.Scored(4, 200, 0.5),
    ]
    rows = {(r.dimension, r.group): r for r in fairness.audit(seekers, pairs, top=2)}
    third = 1 / 1.584962500721156  # 1 / log2(3)
    cat1, cat2 = rows["category", 1], rows["category", 2]
    assert (cat1.seekers, cat1.feasible_share, cat1.mean_exposure) == (2, 0.5, 0.5)
    assert (cat1.referral_rate, cat1.hire_rate) == (1.0, 0.5)
    assert cat2.feasible_share == 1.0 and cat2.mean_exposure == pytest.approx((third + 1) / 2)
    assert (cat2.referral_rate, cat2.hire_rate) == (0.5, 1.0)
    assert cat1.ratios["mean_exposure"] == pytest.approx(0.5 / ((third + 1) / 2))
    assert cat1.ratios["referral_rate"] == 1.0 and cat2.ratios["referral_rate"] == 0.5
    assert cat1.ratios["hire_rate"] == 0.5 and cat2.ratios["feasible_share"] == 1.0
    lvl1, lvl2 = rows["level", 1], rows["level", 2]
    assert lvl1.feasible_share == 1.0 and lvl1.mean_exposure == pytest.approx((1 + third) / 2)
    assert (lvl2.feasible_share, lvl2.mean_exposure, lvl2.hire_rate) == (0.5, 0.5, 0.5)
    csv = fairness.csv_rows(list(rows.values()))
    assert csv[0][:4] == ["dimension", "group", "seekers", "feasible_share"]
    assert csv[1][:4] == ["category", 1, 2, "0.5000"]


def test_a_group_without_referrals_has_no_hire_rate():
    rows = fairness.audit([fairness.SeekerFacts(1, 5, 1)], [])
    assert rows[0].hire_rate is None and rows[0].ratios["hire_rate"] is None
    assert rows[0].feasible_share == 0.0


def test_fairness_page_and_csv(client, auth, admin, runner):
    constraint_world()
    runner.invoke(args=["match", "run"])
    auth.login(admin)
    page = client.get("/jobmatch/admin/fairness").get_data(as_text=True)
    assert "按残疾类别" in page and "听力残疾" in page and "100.0%" in page
    response = client.get("/jobmatch/admin/fairness.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "feasible_share_ratio" in text and "category,2,1,1.0000" in text


def _outcomes(db, count: int, hire=lambda good, near, i: good):
    """Referrals of good or poor skill fit to a near (Xihu) or far (Jingning) post."""
    near_post = make_post(factories.make_employer(county=XIHU), positions=500)
    far_post = make_post(factories.make_employer(county=JINGNING), positions=500)
    for i in range(count):
        good, near = i % 2 == 0, i % 4 < 2
        person = factories.make_person(county=XIHU, name=f"求职者{i}")
        make_profile(person, skills=["cashier", "mobile_payment"] if good else ["python"])
        status = "hired" if hire(good, near, i) else ("declined" if i % 6 == 1 else "not_hired")
        post = near_post if near else far_post
        db.session.add(Referral(person_id=person.id, post_id=post.id, status=status, history=[]))
    db.session.commit()


def test_weights_stay_default_until_enough_outcomes(runner, db, client, auth, admin):
    _outcomes(db, 10)
    result = runner.invoke(args=["match", "learn"])
    assert result.exit_code == 0 and "not changed" in result.output
    assert db.session.scalar(select(func.count(MatchWeights.id))) == 0
    auth.login(admin)
    assert "默认权重" in client.get("/jobmatch/admin/weights").get_data(as_text=True)


def test_weights_not_better_on_held_out_outcomes_stay_a_candidate(runner, db, client, auth, admin):
    # Hires drawn without regard to skills or distance (every third referral).
    _outcomes(db, 60, hire=lambda good, near, i: i % 3 == 0)
    result = runner.invoke(args=["match", "learn"])
    assert result.exit_code == 0 and "candidate" in result.output, result.output
    row = db.session.scalar(select(MatchWeights))
    assert row.status == "candidate" and not row.active and "not better" in row.note
    auth.login(admin)
    page = client.get("/jobmatch/admin/weights").get_data(as_text=True)
    assert "默认权重" in page and row.version in page and "候选" in page


def test_weights_are_learned_with_a_validation_score(
    runner, db, client, auth, admin, api_headers, counselor
):
    # Hires follow nearness, which the defaults underrate: the learned weights rank better.
    _outcomes(db, 48, hire=lambda good, near, i: near)
    result = runner.invoke(args=["match", "learn"])
    assert result.exit_code == 0 and result.output.startswith("activated"), result.output
    row = db.session.scalar(select(MatchWeights).where(MatchWeights.active.is_(True)))
    assert row.trained_on == 48 and row.status == "active"
    assert float(row.validation_auc) > float(row.baseline_auc)
    assert float(row.ndcg) >= float(row.baseline_ndcg)
    assert (
        set(row.weights) == set(FACTORS) and row.weights["distance"] > DEFAULT_WEIGHTS["distance"]
    )
    assert row.weights["skills"] >= WEIGHT_BOUNDS[0] * DEFAULT_WEIGHTS["skills"]
    auth.login(admin)
    page = client.get("/jobmatch/admin/weights").get_data(as_text=True)
    assert row.version in page and "48" in page and f"{float(row.validation_auc):.3f}" in page
    assert f"{float(row.baseline_auc):.3f}" in page and f"{float(row.baseline_ndcg):.3f}" in page
    retrain = client.post("/jobmatch/admin/weights/retrain")
    assert retrain.status_code == 302
    person = db.session.scalar(select(Referral)).person
    body = client.get(f"/api/v1/seekers/{person.id}/matches", headers=api_headers(counselor)).json
    assert body["weights_version"] == row.version
    skills = next(f for f in body["results"][0]["factors"] if f["factor"] == "skills")
    assert skills["weight"] == pytest.approx(row.weights["skills"], abs=1e-3)


def test_fairness_marks_groups_outside_the_band_and_tells_infeasible_from_ranked_low():
    seekers = [fairness.SeekerFacts(i, category=1 if i < 4 else 2, level=1) for i in range(8)]
    # Category 1: seekers 0-2 on top of posts' lists, 3 feasible but below every top-2 list.
    # Category 2: seekers 4-5 ranked second once; 6-7 without any feasible post.
    pairs = [fairness.Scored(0, 10, 0.9), fairness.Scored(1, 11, 0.9), fairness.Scored(2, 12, 0.9)]
    pairs += [fairness.Scored(4, 10, 0.5), fairness.Scored(5, 11, 0.5)]
    pairs += [fairness.Scored(3, p, 0.1) for p in (10, 11)]
    rows = {(r.dimension, r.group): r for r in fairness.audit(seekers, pairs, top=2)}
    cat1, cat2 = rows["category", 1], rows["category", 2]
    assert (cat1.no_feasible, cat1.ranked_low) == (0, 1)
    assert (cat2.no_feasible, cat2.ranked_low) == (2, 0)
    second = 1 / 1.584962500721156
    overall = (3 + 2 * second) / 8
    assert cat1.exposure_ratio == pytest.approx((3 / 4) / overall) and cat1.flag == "high"
    assert cat2.exposure_ratio == pytest.approx((2 * second / 4) / overall) and cat2.flag == "low"
    assert rows["level", 1].flag is None and rows["level", 1].exposure_ratio == pytest.approx(1.0)
    csv = fairness.csv_rows(list(rows.values()))
    assert csv[0][-4:] == ["no_feasible", "ranked_low", "exposure_ratio_to_all", "flag"]


def test_a_counselor_sees_the_fairness_of_their_county(client, auth, counselor, runner):
    constraint_world()  # a deaf seeker of Xihu
    elsewhere = factories.make_person(county=JINGNING, category=5, level=2, name="景宁求职者")
    make_profile(elsewhere)
    runner.invoke(args=["match", "run"])
    auth.login(counselor)
    page = client.get("/jobmatch/admin/fairness").get_data(as_text=True)
    assert "西湖区的求职者" in page and "听力残疾" in page and "智力残疾" not in page
    text = client.get("/jobmatch/admin/fairness.csv").get_data(as_text=True)
    assert "category,2,1," in text and "category,5" not in text
