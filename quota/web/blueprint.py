"""The quota blueprint: its menu entries, names shown in templates, and helpers shared by its pages.

The pages are in `public.py` (calculator, published lists), `employer.py` (an employer's filings) and
`staff.py` (counselors and administrators).
"""

from datetime import date

from flask import Blueprint, Response
from flask_babel import lazy_gettext as _l

from core.navigation import register as nav
from core.templating import add_employer_section, add_home_link
from quota import access, excel  # noqa: F401  (access registers the access rules)
from quota.rules.documents import receipt_reference

bp = Blueprint("quota", __name__, url_prefix="/quota")

nav(_l("Quota calculator"), "quota.calculator_page", ("public",), order=40)
nav(_l("Quota lists"), "quota.publication_page", ("public",), order=41)
nav(_l("My quota review"), "quota.mine", ("employer",), order=42)
nav(_l("Quota filings"), "quota.filings", ("admin", "counselor"), order=43)
nav(_l("Quota administration"), "quota.admin_home", ("admin",), order=44)
nav(_l("Certificates to verify"), "quota.checks", ("admin", "counselor", "employer"), order=45)
nav(_l("Quota requests"), "quota.requests_list", ("admin", "counselor"), order=46)
add_home_link("employer", _l("Check your levy with the quota calculator"), "quota.calculator_page")
add_employer_section("quota/_employer_section.html")


STATUS_NAMES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "assessed": _l("Assessed"),
    "not_filed": _l("Not filed"),
}
VERDICT_NAMES = {
    "pending": _l("Being verified"),
    "accepted": _l("Counted"),
    "rejected": _l("Not counted"),
    "conflict": _l("In conflict"),
    "to_verify": _l("To be verified"),
}
GRADE_NAMES = {"general": _l("General"), "serious": _l("Serious")}


@bp.context_processor
def _names():
    return {
        "status_name": lambda code: str(STATUS_NAMES.get(code, code)),
        "verdict_name": lambda code: str(VERDICT_NAMES.get(code, code)),
        "grade_name": lambda code: str(GRADE_NAMES.get(code, code)),
        "receipt_reference": receipt_reference,
    }


def last_data_year() -> int:
    return date.today().year - 1


def excel_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(body: bytes, filename: str, mimetype: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
