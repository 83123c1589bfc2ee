"""Verification, double claims (also concurrent), the review CLI, non-filers, what-if and rewards."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditEvent
from quota.models import QuotaAssessment, QuotaClaim, QuotaFiling, QuotaOfficialData
from quota.rules.explanation import ExplanationBasis, explain
from quota.schemas import FilingIn
from quota.services import filings as services
from quota.services.overview import what_if
from quota.services.year_settings import set_year_parameters
from tests.integration.quota_helpers import YEAR, claimable, employer_account, filing_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def submit(employer, certs, **extra):
    data = FilingIn().load({**filing_data(certs), "submit": True, **extra})
    return services.save_filing(employer, data)


def verdicts(filing_id):
    return [
        c.verdict
        for c in db.session.scalars(select(QuotaClaim).where(QuotaClaim.filing_id == filing_id))
    ]


def test_verification_reasons(app):
    from datetime import date

    from tests.factories import certificate_number

    known, old = claimable(), claimable(birth=date(1950, 1, 1))
    unknown = certificate_number()
    employer, _user = employer_account()
    filing = submit(employer, [known, old, unknown])
    claims = {c.cert_masked[-4:]: (c.verdict, c.reason) for c in filing.claims}
    assert claims[known[-4:]] == ("accepted", None)
    assert claims[old[-4:]] == ("rejected", "not_working_age")
    # a valid certificate the service does not know is to be verified, never rejected for that
    assert claims[unknown[-4:]] == ("to_verify", "not_in_registry")


def test_double_claim_conflict_and_resolution(client, auth, counselor):
    cert = claimable()
    a, user_a = employer_account(name="甲公司")
    b, user_b = employer_account(name="乙公司")
    filing_a = submit(a, [cert])
    filing_b = submit(b, [cert])
    assert verdicts(filing_a.id) == ["accepted"] and verdicts(filing_b.id) == ["conflict"]
    auth.login(user_a)
    page = client.get(f"/quota/filings/{filing_a.id}").get_data(as_text=True)
    assert "乙公司" not in page and 'class="' in page
    auth.logout()
    auth.login(user_b)
    page_b = client.get(f"/quota/filings/{filing_b.id}").get_data(as_text=True)
    assert "甲公司" not in page_b
    auth.logout()
    auth.login(counselor)
    listing = client.get("/quota/conflicts").get_data(as_text=True)
    assert "甲公司" in listing and "乙公司" in listing
    winner = db.session.scalar(select(QuotaClaim.id).where(QuotaClaim.filing_id == filing_b.id))
    response = client.post("/quota/conflicts/resolve", data={"winner_claim_id": winner})
    assert response.status_code == 302
    db.session.expire_all()
    assert verdicts(filing_a.id) == ["rejected"] and verdicts(filing_b.id) == ["accepted"]
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "resolve")) == 2


def amend(employer, certs, reason="更正"):
    filing = services.filing_for(employer.id, YEAR)
    return submit(employer, certs, reason=reason, version=filing.version)


def test_a_resolution_outlives_amendments_while_the_chosen_employer_claims_the_person(
    auth, client, counselor
):
    cert = claimable()
    a, _ = employer_account()
    b, _ = employer_account()
    filing_a, filing_b = submit(a, [cert]), submit(b, [cert])
    auth.login(counselor)
    winner = db.session.scalar(select(QuotaClaim.id).where(QuotaClaim.filing_id == filing_b.id))
    client.post("/quota/conflicts/resolve", data={"winner_claim_id": winner})
    amend(a, [cert])  # the loser files again: no new conflict, the decision holds
    db.session.expire_all()
    claim_a = db.session.scalar(select(QuotaClaim).where(QuotaClaim.filing_id == filing_a.id))
    assert (claim_a.verdict, claim_a.reason) == ("rejected", "claimed_by_another_employer")
    claim_b = db.session.scalar(select(QuotaClaim).where(QuotaClaim.filing_id == filing_b.id))
    assert (claim_b.verdict, claim_b.disputed) == ("accepted", False)
    amend(b, [cert])  # the chosen employer files again: still accepted
    assert verdicts(filing_b.id) == ["accepted"]
    amend(b, [])  # it no longer claims the person: the other employer's claim can count
    amend(a, [cert])
    assert verdicts(filing_a.id) == ["accepted"]


def test_concurrent_submissions_accept_one_claim(app):
    cert = claimable()
    employers = [employer_account()[0] for _ in range(2)]
    ids = [e.id for e in employers]
    barrier = threading.Barrier(2)
    errors = []

    def worker(employer_id):
        with app.app_context():
            from core.models import Employer

            try:
                employer = db.session.get(Employer, employer_id)
                barrier.wait()
                submit(employer, [cert])
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    found = sorted(db.session.scalars(select(QuotaClaim.verdict)))
    assert found == ["accepted", "conflict"]


def test_review_cli_assesses_and_records_non_filers(runner):
    certs = [claimable(level=2), claimable(level=4)]
    filer, _ = employer_account()
    silent, _ = employer_account()
    unknown, _ = employer_account()
    drafting, _ = employer_account()
    services.save_filing(drafting, FilingIn().load(filing_data([claimable()])))
    db.session.add(
        QuotaOfficialData(
            employer_id=silent.id,
            data_year=YEAR,
            headcount=Decimal("50"),
            wage_total=Decimal("4000000"),
        )
    )
    db.session.commit()
    submit(filer, certs)
    result = runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert "non_filers: 3" in result.output
    assessment = db.session.scalar(
        select(QuotaAssessment).where(QuotaAssessment.employer_id == filer.id)
    )
    # N = 100, D = 2 + 1 = 3 >= 1.5: no levy; W = 80,000
    assert assessment.rule_set_id == "CN-ZJ-2022-v1"
    assert Decimal(assessment.levy) == 0 and Decimal(assessment.arranged) == 3
    lines = explain(assessment, ExplanationBasis.from_json(assessment.explanation_basis))
    step = {line.step: line for line in lines}
    assert step["arranged"].en.startswith("Arranged D = 2 + 1 = 3 (")
    assert step["levy"].en == "Levy = 0 × 80,000.00 × 0.5 = 0.00 yuan"
    assert step["data"].en.startswith("Data used: Headcount as declared (no official figure")
    non_filer = db.session.scalar(
        select(QuotaAssessment).where(QuotaAssessment.employer_id == silent.id)
    )
    assert non_filer.non_filer and Decimal(non_filer.arranged) == 0
    assert Decimal(non_filer.levy) == Decimal("54000.00")  # 0.75 x 80,000 x 0.9
    status = db.session.scalar(
        select(QuotaFiling.status).where(QuotaFiling.employer_id == unknown.id)
    )
    assert status == "not_filed"
    draft = db.session.scalar(select(QuotaFiling).where(QuotaFiling.employer_id == drafting.id))
    assert draft.status == "not_filed" and draft.claims[0].verdict == "pending"
    again = runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    assert again.exit_code == 0
    current = db.session.scalar(select(func.count()).where(QuotaAssessment.current.is_(True)))
    assert current == 2


def test_lead_unit_finding(runner):
    unit, _ = employer_account(unit_type="government", is_lead_unit=True)
    submit(unit, [])
    runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    assessment = db.session.scalar(select(QuotaAssessment))
    assert assessment.findings[0]["code"] == "public_body_without_disabled_employee"


def test_what_if_and_reward(runner, admin):
    employer, _ = employer_account()
    submit(employer, [])
    runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    assessment = db.session.scalar(select(QuotaAssessment))
    assert assessment.levy == Decimal("108000.00")  # 1.5 x 80,000 x 0.9
    figures = what_if(assessment)
    assert [w["levy"] for w in figures] == [
        Decimal("20000.00"),
        Decimal("0.00"),
    ]  # D/N = 1%: 0.5 x 80,000 x 0.5
    over, _ = employer_account()
    submit(over, [claimable(level=1), claimable(level=1)])
    set_year_parameters(YEAR, {"reward_per_excess_person": Decimal("5000")})
    runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    reward = db.session.scalar(
        select(QuotaAssessment.reward).where(
            QuotaAssessment.employer_id == over.id, QuotaAssessment.current.is_(True)
        )
    )
    assert reward == Decimal("12500.00")  # (4 - 1.5) x 5,000


def test_admin_button_queues_and_job_runs_with_progress(client, auth, admin):
    from quota.jobs import JOBS

    employer, _ = employer_account()
    submit(employer, [])
    auth.login(admin)
    response = client.post("/quota/admin/reviews", data={"year": YEAR, "confirm": "1"})
    assert response.status_code == 302
    run_url = response.headers["Location"]
    page = client.get(run_url).get_data(as_text=True)
    assert "<progress" in page and 'aria-live="polite"' in page and "quota-progress.js" in page
    JOBS[0]["func"]()
    progress = client.get(run_url + "/progress").json
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 1


def test_a_review_is_assessed_city_by_city_in_chunks_with_progress(app, runner, monkeypatch):
    from quota.models import QuotaReviewRun
    from quota.services import review

    monkeypatch.setattr(review, "CHUNK", 2)
    counties = ["330106", "330106", "330203", "330203", "330203"]  # Hangzhou, Ningbo
    for county in counties:
        employer = employer_account()[0]
        employer.county_code = county
        submit(employer, [claimable()])
    assert review._cities(YEAR) == ["3301", "3302"]
    result = runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(QuotaAssessment)) == 5
    assert db.session.scalar(select(func.count()).where(QuotaFiling.status == "assessed")) == 5
    run = db.session.scalar(select(QuotaReviewRun).order_by(QuotaReviewRun.id.desc()))
    assert (run.status, run.done, run.total) == ("done", 5, 5)
    assert run.summary["assessed"] == 5 and run.summary["without_data"] == 0


def test_a_failing_part_fails_the_run_and_says_so(app, monkeypatch):
    from quota.models import QuotaReviewRun
    from quota.services import review

    submit(employer_account()[0], [claimable()])
    real = review.assess_filings

    def broken(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(review, "assess_filings", broken)
    with pytest.raises(RuntimeError, match="part"):
        review.run_review(YEAR)
    run = db.session.scalar(select(QuotaReviewRun).order_by(QuotaReviewRun.id.desc()))
    assert run.status == "failed" and "1 part(s)" in run.error
    # chunks commit as they go; a second run replaces them: one current assessment per filing
    monkeypatch.setattr(review, "assess_filings", real)
    assert review.run_review(YEAR)["assessed"] == 1
    current = select(func.count()).where(QuotaAssessment.current.is_(True))
    assert db.session.scalar(current) == 1


def test_employer_page_explains_the_stored_assessment_in_its_language(runner, client, auth):
    over, user = employer_account()
    submit(over, [claimable(level=1), claimable(level=1)])
    set_year_parameters(YEAR, {"reward_per_excess_person": Decimal("5000")})
    runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    set_year_parameters(YEAR, {"reward_per_excess_person": Decimal("8000")})  # after the review
    auth.login(user)
    english = client.get(f"/quota/employers/{over.id}?lang=en").get_data(as_text=True)
    assert "Headcount N = 1200 / 12 = 100" in english
    assert "Arranged D = 2 + 2 = 4 (levels 1, 2 count 2; part-year in twelfths)" in english
    assert "Over-quota reward = 2.5 × 5,000.00 = 12,500.00 yuan" in english
    chinese = client.get(f"/quota/employers/{over.id}?lang=zh").get_data(as_text=True)
    assert "超比例奖励 = 2.5 × 5,000.00 = 12,500.00 元" in chinese
    assert "Over-quota reward" not in chinese


def test_assessments_stored_with_their_text_keep_showing_it(runner, client, auth):
    employer, user = employer_account()
    submit(employer, [])
    runner.invoke(args=["quota", "review", "--year", str(YEAR)])
    assessment = db.session.scalar(select(QuotaAssessment))
    assessment.explanation_basis = None
    assessment.explanation = [{"step": "levy", "zh": "保障金按旧文本", "en": "Levy as worded then"}]
    db.session.commit()
    auth.login(user)
    page = client.get(f"/quota/employers/{employer.id}?lang=en").get_data(as_text=True)
    assert "Levy as worded then" in page and "Headcount N =" not in page


def test_two_staff_resolving_the_same_double_claim_at_once(app, monkeypatch, counselor):
    """Both read the conflict, then both decide for different winners: one wins, the other 409."""
    from core.database import ServiceError
    from core.models import User

    cert = claimable()
    a, _ua = employer_account(name="甲公司")
    b, _ub = employer_account(name="乙公司")
    claim_a = submit(a, [cert]).claims[0].id
    claim_b = submit(b, [cert]).claims[0].id
    barrier = threading.Barrier(2, timeout=10)
    original = services._group

    def group_then_wait(claim):
        members = original(claim)
        barrier.wait()  # both decisions have read the state they decide from
        return members

    monkeypatch.setattr(services, "_group", group_then_wait)
    outcomes, user_id = [], counselor.id

    def worker(winner):
        with app.app_context():
            try:
                services.resolve_conflict(winner, db.session.get(User, user_id))
                outcomes.append("accepted")
            except ServiceError as error:
                outcomes.append(error.status)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(w,)) for w in (claim_a, claim_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == [409, "accepted"]
    db.session.expire_all()
    found = sorted(db.session.scalars(select(QuotaClaim.verdict)))
    assert found == ["accepted", "rejected"]


def test_a_second_resolution_answers_409_on_the_web_and_the_api(
    client, auth, api_headers, counselor
):
    cert = claimable()
    a, _ua = employer_account()
    b, _ub = employer_account()
    submit(a, [cert])
    claim_b = submit(b, [cert]).claims[0].id
    claim_a = db.session.scalar(select(QuotaClaim.id).where(QuotaClaim.employer_id == a.id))
    answer = client.post(
        "/api/v1/quota/conflicts/resolve",
        json={"winner_claim_id": claim_b},
        headers=api_headers(counselor),
    )
    assert answer.status_code == 200, answer.json
    again = client.post(
        "/api/v1/quota/conflicts/resolve",
        json={"winner_claim_id": claim_a},
        headers=api_headers(counselor),
    )
    assert again.status_code == 409
    auth.login(counselor)
    page = client.post("/quota/conflicts/resolve", data={"winner_claim_id": claim_a})
    assert page.status_code == 409
