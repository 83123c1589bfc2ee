"""Who may see posts, profiles and referrals (registered with core.access at import)."""

from sqlalchemy import false, select

from core import access
from core.models import Employer, Person
from jobmatch.models import JobPost, Referral, SeekerProfile


def _post_visible(user, post: JobPost) -> bool:
    if user.role == "employer":
        return post.employer_id == user.employer_id
    if user.role == "counselor":
        return post.employer is not None and post.employer.county_code == user.county_code
    if user.role == "graduate":
        return post.status == "open"
    return False


def _post_scope(user):
    if user.role == "employer":
        return JobPost.employer_id == user.employer_id
    if user.role == "counselor":
        county = select(Employer.id).where(Employer.county_code == user.county_code)
        return JobPost.employer_id.in_(county)
    if user.role == "graduate":
        return JobPost.status == "open"
    return false()


def _referral_visible(user, referral: Referral) -> bool:
    if user.role == "employer":
        return referral.post.employer_id == user.employer_id
    if user.role == "counselor":
        return referral.person.county_code == user.county_code or (referral.counselor_id == user.id)
    if user.role == "graduate":
        return referral.person_id == user.person_id
    return False


def _referral_scope(user):
    if user.role == "employer":
        own = select(JobPost.id).where(JobPost.employer_id == user.employer_id)
        return Referral.post_id.in_(own)
    if user.role == "counselor":
        county = select(Person.id).where(Person.county_code == user.county_code)
        return Referral.person_id.in_(county)
    if user.role == "graduate":
        return Referral.person_id == user.person_id
    return false()


access.register(JobPost, _post_visible, _post_scope)
access.register(Referral, _referral_visible, _referral_scope)
access.register_personal(SeekerProfile)
