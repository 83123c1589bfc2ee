"""Who may see quota records: admins all, counselors their county's employers, employers their own."""

from sqlalchemy import false, select

from core.access import register
from core.models import Employer
from quota.models import (
    CertificateCheck,
    CreditFlag,
    LevyPayment,
    NominalHireFinding,
    QuotaAssessment,
    QuotaDocument,
    QuotaFiling,
    QuotaReminder,
    QuotaRequest,
)


def _employer_visible(user, employer_id: int, employer: Employer | None) -> bool:
    if user.role == "employer":
        return employer_id == user.employer_id
    if user.role == "counselor":
        return employer is not None and employer.county_code == user.county_code
    return False


def _scope(model):
    def scope(user):
        if user.role == "employer":
            return model.employer_id == user.employer_id
        if user.role == "counselor":
            county = select(Employer.id).where(Employer.county_code == user.county_code)
            return model.employer_id.in_(county)
        return false()

    return scope


def _rule(user, obj) -> bool:
    return _employer_visible(user, obj.employer_id, obj.employer)


for _model in (
    QuotaFiling,
    QuotaAssessment,
    CreditFlag,
    LevyPayment,
    NominalHireFinding,
    CertificateCheck,
    QuotaDocument,
    QuotaRequest,
    QuotaReminder,
):
    register(_model, _rule, _scope(_model))
