"""The assessed levies of a data year for the tax bureau, which collects them (财税〔2015〕72号).

One row per employer with an amount due (after any relief granted), in this layout, as CSV (UTF-8
with a byte-order mark) or as an .xlsx workbook with one sheet named "levies":

| column       | meaning                                                      | example            |
| ------------ | ------------------------------------------------------------ | ------------------ |
| credit_code  | the employer's unified social credit code (18 characters)    | 91330106MA0000001X |
| name         | the employer's name                                          | 杭州某某有限公司     |
| data_year    | the data year Y the levy is for (collected in Y+1)           | 2025               |
| amount       | yuan due, two decimals, after any relief (减免) granted        | 108000.00          |
| deadline     | the payment deadline, YYYY-MM-DD, after any deferral (缓缴)    | 2026-12-31         |
| notice_no    | the payment notice's number (缴款通知书编号)                      | JK2026-0000123     |

The header row keeps these codes in both formats, in every language: the bureau's import reads the
file by them, and a translated header would change the documented layout under it. A person who opens
the .xlsx file finds a second sheet ("列说明" in Chinese) giving each code's meaning in their language;
the CSV stays the bare layout.

The export issues the payment notices still missing (idempotent: unchanged figures keep their
notice), so every row has a notice number; the payments file that comes back may quote it
(quota.services.payments). The year's terms (how and where to pay) must be set first.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.database import ServiceError
from core.extensions import db
from core.models import Employer
from core.spreadsheet import csv_text, xlsx_bytes
from quota.models import QuotaAssessment
from quota.services import documents

LEVY_COLUMNS = ("credit_code", "name", "data_year", "amount", "deadline", "notice_no")
LEVY_COLUMN_MEANINGS = {
    "credit_code": _l("Credit code"),
    "name": _l("Employer name"),
    "data_year": _l("Data year"),
    "amount": _l("Amount due (yuan), after any relief"),
    "deadline": _l("Payment deadline, after any deferral"),
    "notice_no": _l("Payment notice number"),
}


def levy_rows(year: int, user=None) -> list[dict]:
    """The rows of the export, issuing any payment notice not yet issued (one commit)."""
    if documents.terms(year) is None:
        raise ServiceError(
            {
                "data_year": [
                    _("The federation has not yet set how to pay for %(year)s.", year=year)
                ]
            },
            409,
        )
    employers = db.session.scalars(
        select(Employer)
        .join(QuotaAssessment, QuotaAssessment.employer_id == Employer.id)
        .where(
            QuotaAssessment.data_year == year,
            QuotaAssessment.current.is_(True),
            QuotaAssessment.levy > 0,
        )
        .order_by(Employer.credit_code)
    ).all()
    rows = []
    for employer in employers:
        try:
            notice = documents.issue("payment_notice", employer, year, user, commit=False)
        except ServiceError:  # nothing due after relief
            continue
        rows.append(
            {
                "credit_code": employer.credit_code,
                "name": employer.name,
                "data_year": year,
                "amount": notice.figures["amount_due"],
                "deadline": notice.figures["deadline"],
                "notice_no": notice.number,
            }
        )
    db.session.commit()
    return rows


def levies_csv(year: int, user=None) -> str:
    rows = levy_rows(year, user)
    return csv_text([LEVY_COLUMNS, *([row[c] for c in LEVY_COLUMNS] for row in rows)])


def levies_xlsx(year: int, user=None) -> bytes:
    rows = levy_rows(year, user)
    meanings = [
        [_("Column"), _("Meaning")],
        *([c, str(LEVY_COLUMN_MEANINGS[c])] for c in LEVY_COLUMNS),
    ]
    return xlsx_bytes(
        [
            ("levies", [LEVY_COLUMNS, *([row[c] for c in LEVY_COLUMNS] for row in rows)]),
            (_("Column meanings"), meanings),
        ]
    )
