"""A person counts for one employer a year: quota_counted_person, kept by triggers on quota_claim,
mirrors the accepted claims and refuses a second acceptance (both databases)."""

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from quota.models import QuotaClaim, QuotaCountedPerson
from quota.schemas import FilingIn
from quota.services import filings as services
from quota.services import review
from tests.integration.quota_helpers import YEAR, claimable, employer_account, filing_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def submit(employer, certs):
    return services.save_filing(employer, FilingIn().load({**filing_data(certs), "submit": True}))


def counted() -> set[tuple[int, str, int]]:
    rows = db.session.execute(select(QuotaCountedPerson))
    return {
        (
            r.QuotaCountedPerson.data_year,
            r.QuotaCountedPerson.person_index,
            r.QuotaCountedPerson.claim_id,
        )
        for r in rows
    }


def accepted() -> set[tuple[int, str, int]]:
    rows = db.session.scalars(select(QuotaClaim).where(QuotaClaim.verdict == "accepted"))
    return {(c.data_year, c.person_index, c.id) for c in rows}


def test_the_counted_people_are_the_accepted_claims_after_a_review(app):
    shared = claimable()
    submit(employer_account()[0], [shared, claimable(level=1)])
    submit(employer_account()[0], [shared, claimable()])
    review.run_review(YEAR)
    db.session.expire_all()
    assert len(accepted()) == 3  # the shared person counts once: the other claim is a conflict
    assert counted() == accepted()


def one_person_claimed_twice_and_reviewed() -> tuple[QuotaClaim, QuotaClaim]:
    """(the accepted claim, the conflicting one) of a person two employers claimed."""
    shared = claimable()
    submit(employer_account()[0], [shared])
    submit(employer_account()[0], [shared])
    review.run_review(YEAR)
    first = db.session.scalar(select(QuotaClaim).where(QuotaClaim.verdict == "accepted"))
    return first, db.session.scalar(select(QuotaClaim).where(QuotaClaim.verdict == "conflict"))


def test_a_second_acceptance_of_a_person_in_a_year_is_refused(app):
    _first, conflict = one_person_claimed_twice_and_reviewed()
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(QuotaClaim).where(QuotaClaim.id == conflict.id).values(verdict="accepted")
        )
    db.session.rollback()
    assert counted() == accepted()


def test_a_claim_leaving_acceptance_or_deleted_frees_the_person(app):
    first, other = one_person_claimed_twice_and_reviewed()
    db.session.execute(
        update(QuotaClaim).where(QuotaClaim.id == first.id).values(verdict="rejected")
    )
    db.session.execute(
        update(QuotaClaim).where(QuotaClaim.id == other.id).values(verdict="accepted")
    )
    db.session.commit()
    assert counted() == accepted() == {(YEAR, other.person_index, other.id)}
    db.session.execute(delete(QuotaClaim).where(QuotaClaim.id == other.id))
    db.session.commit()
    assert counted() == set()
