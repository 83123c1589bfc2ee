"""Helpers for the tests of the employer's year after filing: assessed employers, terms, PDFs."""

import io
from decimal import Decimal

from pypdf import PdfReader

from quota.schemas import FilingIn
from quota.services import documents, review
from quota.services import filings as services
from quota.services.year_settings import set_year_parameters
from tests.integration.quota_helpers import YEAR, claimable, employer_account, filing_data

TERMS = {
    "issuer": "杭州市残疾人联合会",
    "payee": "国家税务总局杭州市西湖区税务局",
    "how_to_pay": "通过电子税务局申报缴纳，或到办税服务厅缴纳",
    "where_to_pay": "杭州市西湖区文三路办税服务厅",
    "review_request_days": 30,
}


def submit(employer, certs=(), **extra):
    return services.save_filing(
        employer, FilingIn().load({**filing_data(certs), "submit": True, **extra})
    )


def levied_employer(**fields):
    """An employer of 100 staff with no disabled employee: levy 108,000.00 for YEAR once assessed."""
    employer, user = employer_account(**fields)
    submit(employer)
    return employer, user


def over_quota_employer(**fields):
    """An employer of 100 staff with two level-1 employees: reward 12,500.00 at 5,000 a person."""
    employer, user = employer_account(**fields)
    submit(employer, [claimable(level=1), claimable(level=1)])
    return employer, user


def assess_year(reward=Decimal("5000")):
    set_year_parameters(YEAR, {"reward_per_excess_person": reward})
    return review.run_review(YEAR)


def set_terms(year=YEAR, **changes):
    return documents.set_terms(year, {**TERMS, **changes})


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(body: bytes) -> set[str]:
    """Names of the fonts embedded in a PDF (a font file attached to its descriptor)."""
    reader = PdfReader(io.BytesIO(body))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descriptor["/FontName"]))
    return names
