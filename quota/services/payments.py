"""Levy payments from the tax bureau, late fees, and graded credit flags raised and lifted by rule.

Payment import: a UTF-8 CSV (a BOM is allowed) with a header row and these columns:

| column       | meaning                                                   | example            |
| ------------ | --------------------------------------------------------- | ------------------ |
| credit_code  | the employer's unified social credit code (18 characters) | 91330106MA0000001X |
| data_year    | the data year Y the levy is for                           | 2025               |
| amount       | yuan paid, with at most two decimals                      | 12345.60           |
| paid_on      | payment date, YYYY-MM-DD                                  | 2027-01-15         |
| voucher_no   | the tax bureau's voucher number, unique                   | 3301002027011500001 |
| notice_no    | optional: the payment notice's number (缴款通知书编号)      | JK2026-0000123     |

A row names the levy by its payment notice's number or by credit code and data year (either is
enough; both must then agree). The tax bureau receives the notice numbers in the levy export
(quota.services.levy_export). A file with any bad row is refused whole, listing each row's errors; a
voucher already imported is skipped, so re-importing a file adds nothing. A payment after the
deadline (the year's, or a deferred one: quota.services.dues) carries a late fee of 5 per mille a day
on the amount paid, capped at that amount (quota.credit.late_fee).

Credit flags exchange format (JSON `{"format": "zjdes-credit-flags/1", "generated_at", "flags": [...]}`
or CSV with the same columns): credit_code, employer_name, data_year, grade (general|serious), code,
reason_zh, reason_en, raised_at, lifted_at (empty while open), status (open|lifted).
Flags follow quota.credit.grade_flags: a levy unpaid after the deadline (one year general, two or
more serious), disabled employees without social insurance, headcount or wages declared more than 5%
below official data. A flag no longer called for is lifted ("remedied"); every change is audited.
"""

import csv
import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from core import audit
from core.database import ServiceError, decide_once
from core.extensions import db
from core.models import Employer, utcnow
from core.spreadsheet import csv_text
from quota.models import (
    CreditFlag,
    LevyPayment,
    NominalHireFinding,
    QuotaAssessment,
    QuotaClaim,
    QuotaFiling,
    QuotaOfficialData,
)
from quota.rules.credit import CreditFacts, full_years_since, grade_flags, late_fee
from quota.services.dues import adjustments, deadline_of
from quota.services.dues import due as due_after_decisions
from quota.services.year_settings import payment_deadline

PAYMENT_COLUMNS = ("credit_code", "data_year", "amount", "paid_on", "voucher_no", "notice_no")
REQUIRED_PAYMENT_COLUMNS = ("amount", "paid_on", "voucher_no")
LEVY_BY = (("credit_code", "data_year"), ("notice_no",))  # either names the levy
FLAG_COLUMNS = (
    "credit_code",
    "employer_name",
    "data_year",
    "grade",
    "code",
    "reason_zh",
    "reason_en",
    "raised_at",
    "lifted_at",
    "status",
)


def _parse_levy(row: dict, employers: dict, notices: dict, errors: list) -> dict:
    """The employer and data year a row pays for: by notice number, or by credit code and year."""
    parsed = {}
    number = (row.get("notice_no") or "").strip().upper()
    code = (row.get("credit_code") or "").strip().upper()
    if number:
        notice = notices.get(number)
        if notice is None:
            errors.append(_("Unknown payment notice number %(number)s.", number=number))
            return {"employer_id": None, "data_year": None}
        parsed["employer_id"], parsed["data_year"] = notice
        if code and employers.get(code) != parsed["employer_id"]:
            errors.append(
                _("The payment notice %(number)s is not for %(code)s.", number=number, code=code)
            )
        year = (row.get("data_year") or "").strip()
        if year and year != str(parsed["data_year"]):
            errors.append(
                _(
                    "The payment notice %(number)s is for %(year)s.",
                    number=number,
                    year=parsed["data_year"],
                )
            )
        return parsed
    parsed["employer_id"] = employers.get(code)
    if parsed["employer_id"] is None:
        errors.append(_("Unknown credit code %(code)s.", code=code or "-"))
    try:
        parsed["data_year"] = int(row.get("data_year") or "")
        if not 2000 <= parsed["data_year"] <= 2100:  # a far year overflows the deadline date
            raise ValueError
    except ValueError:
        errors.append(_("The data year is not a year."))
    return parsed


def _parse_row(row: dict, employers: dict, notices: dict) -> tuple[dict, list[str]]:
    errors = []
    parsed = _parse_levy(row, employers, notices, errors)
    try:
        parsed["amount"] = Decimal((row.get("amount") or "").strip())
        if not parsed["amount"].is_finite() or parsed["amount"] <= 0:
            raise InvalidOperation
        if parsed["amount"] != parsed["amount"].quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(_("The amount must be a positive number of yuan with at most two decimals."))
    try:
        parsed["paid_on"] = date.fromisoformat((row.get("paid_on") or "").strip())
    except ValueError:
        errors.append(_("The payment date must be YYYY-MM-DD."))
    parsed["voucher_no"] = (row.get("voucher_no") or "").strip()
    if not parsed["voucher_no"] or len(parsed["voucher_no"]) > 40:
        errors.append(_("The voucher number is missing or too long."))
    return parsed, errors


def import_payments(text: str, user=None) -> dict:
    """Import a payments CSV: all rows or none; already imported vouchers are skipped."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = set(reader.fieldnames or ())
    if set(REQUIRED_PAYMENT_COLUMNS) - header or not any(set(c) <= header for c in LEVY_BY):
        raise ServiceError(
            {"file": [_("The header must be: %(columns)s.", columns=",".join(PAYMENT_COLUMNS))]}
        )
    employers = dict(db.session.execute(select(Employer.credit_code, Employer.id)).all())
    notices = _payment_notices() if "notice_no" in header else {}
    rows, errors = [], {}
    for number, row in enumerate(reader, start=2):
        parsed, row_errors = _parse_row(row, employers, notices)
        if row_errors:
            errors[f"row {number}"] = row_errors
        rows.append(parsed)
    if errors:
        raise ServiceError(errors)
    known = set(
        db.session.scalars(
            select(LevyPayment.voucher_no).where(
                LevyPayment.voucher_no.in_([r["voucher_no"] for r in rows])
            )
        )
    )
    added, deadlines = 0, {}
    for parsed in rows:
        if parsed["voucher_no"] in known:
            continue
        known.add(parsed["voucher_no"])
        due = deadlines.get((parsed["employer_id"], parsed["data_year"]))
        if due is None:
            due = deadline_of(parsed["employer_id"], parsed["data_year"])
            deadlines[(parsed["employer_id"], parsed["data_year"])] = due
        payment = LevyPayment(**parsed, late_fee=late_fee(parsed["amount"], due, parsed["paid_on"]))
        db.session.add(payment)
        db.session.flush()
        audit.record("import", payment, None, audit.snapshot(payment), actor=user)
        added += 1
    db.session.commit()
    return {"imported": added, "skipped": len(rows) - added}


def _payment_notices() -> dict[str, tuple[int, int]]:
    """Every payment notice's number -> (employer, data year), superseded ones included."""
    from quota.models import QuotaDocument

    stmt = select(QuotaDocument.number, QuotaDocument.employer_id, QuotaDocument.data_year).where(
        QuotaDocument.kind == "payment_notice"
    )
    return {number: (employer, year) for number, employer, year in db.session.execute(stmt)}


def paid_by(year: int) -> dict[int, Decimal]:
    stmt = (
        select(LevyPayment.employer_id, func.sum(LevyPayment.amount))
        .where(LevyPayment.data_year == year)
        .group_by(LevyPayment.employer_id)
    )
    return {employer_id: Decimal(total or 0) for employer_id, total in db.session.execute(stmt)}


def balance(employer_id: int, year: int, today: date | None = None) -> dict | None:
    """Levy, paid, outstanding, late fees paid and the late fee accruing on what is unpaid."""
    assessment = db.session.scalar(
        select(QuotaAssessment).where(
            QuotaAssessment.employer_id == employer_id,
            QuotaAssessment.data_year == year,
            QuotaAssessment.current.is_(True),
        )
    )
    if assessment is None:
        return None
    payments = list(
        db.session.scalars(
            select(LevyPayment)
            .where(LevyPayment.employer_id == employer_id, LevyPayment.data_year == year)
            .order_by(LevyPayment.paid_on)
        )
    )
    paid = sum((p.amount for p in payments), Decimal("0"))
    owed = due_after_decisions(employer_id, year, assessment)
    outstanding = max(Decimal("0"), owed["amount_due"] - paid)
    due = owed["deadline"]
    today = today or date.today()
    return {
        "levy": Decimal(assessment.levy),
        "reduction": owed["reduction"],
        "amount_due": owed["amount_due"],
        "deferred": owed["deferred"],
        "paid": paid,
        "outstanding": outstanding,
        "due": due,
        "overdue": outstanding > 0 and today > due,
        "late_fees_paid": sum((p.late_fee for p in payments), Decimal("0")),
        "late_fee_accruing": late_fee(outstanding, due, today),
        "payments": payments,
    }


# --- credit flags ------------------------------------------------------------------------------


def _unpaid_employers(year: int, today: date | None = None) -> set[int]:
    """Employers owing part of the year's levy (after relief) past their deadline (after deferral)."""
    paid = paid_by(year)
    granted = adjustments(year)
    levies = db.session.execute(
        select(QuotaAssessment.employer_id, QuotaAssessment.levy).where(
            QuotaAssessment.data_year == year, QuotaAssessment.current.is_(True)
        )
    )
    unpaid = set()
    for employer_id, levy in levies:
        relief = granted.get(employer_id, {})
        deferred = relief.get("deadline")
        if deferred is not None and today is not None and today <= deferred:
            continue
        due = Decimal(levy) - (relief.get("reduction") or Decimal("0"))
        if due > paid.get(employer_id, Decimal("0")):
            unpaid.add(employer_id)
    return unpaid


def _unpaid_years(year: int, today: date) -> tuple[dict[int, int], dict[int, date]]:
    """Employers whose levy of the year is outstanding a full year or more after their deadline (a
    deferral moves it): employer -> whole years since the deadline
    (quota.rules.credit.full_years_since), and employer -> that deadline."""
    granted, standard = adjustments(year), payment_deadline(year)
    years, deadlines = {}, {}
    for employer_id in _unpaid_employers(year, today):
        deadline = granted.get(employer_id, {}).get("deadline") or standard
        whole = full_years_since(deadline, today)
        if whole:
            years[employer_id], deadlines[employer_id] = whole, deadline
    return years, deadlines


def credit_facts(year: int, today: date | None = None) -> dict[int, CreditFacts]:
    """What the year's review knows about each employer's conduct."""
    today = today or date.today()
    unpaid, deadlines = _unpaid_years(year, today)
    uninsured = dict(
        db.session.execute(
            select(QuotaClaim.employer_id, func.count())
            .where(QuotaClaim.data_year == year, QuotaClaim.social_insurance.is_(False))
            .group_by(QuotaClaim.employer_id)
        ).all()
    )
    nominal = dict(
        db.session.execute(
            select(NominalHireFinding.employer_id, func.count())
            .where(NominalHireFinding.data_year == year, NominalHireFinding.withdrawn_at.is_(None))
            .group_by(NominalHireFinding.employer_id)
        ).all()
    )
    declared = {
        f.employer_id: f
        for f in db.session.scalars(
            select(QuotaFiling).where(
                QuotaFiling.data_year == year, QuotaFiling.status.in_(("submitted", "assessed"))
            )
        )
    }
    official = {
        o.employer_id: o
        for o in db.session.scalars(
            select(QuotaOfficialData).where(QuotaOfficialData.data_year == year)
        )
    }
    facts = {}
    for employer_id in set(unpaid) | set(uninsured) | set(nominal) | set(declared):
        filing, known = declared.get(employer_id), official.get(employer_id)
        compare = filing is not None and known is not None
        facts[employer_id] = CreditFacts(
            years_unpaid=unpaid.get(employer_id, 0),
            levy_due=deadlines.get(employer_id),
            uninsured_disabled_employees=int(uninsured.get(employer_id, 0)),
            nominal_hires=int(nominal.get(employer_id, 0)),
            declared_headcount=_average(filing) if compare else None,
            verified_headcount=known.headcount if compare else None,
            declared_wage_total=filing.wage_total if compare and known.wage_total else None,
            verified_wage_total=known.wage_total if compare and known.wage_total else None,
        )
    return facts


def _average(filing: QuotaFiling) -> Decimal:
    return sum((Decimal(v) for v in filing.monthly_headcounts or []), Decimal("0")) / 12


def evaluate_flags(
    year: int, today: date | None = None, user=None, employer_ids=None, commit: bool = True
) -> dict:
    """Raise the flags the rules call for and lift those remedied; each change audited.

    `employer_ids` limits the changes to those employers (after a decision about one of them).
    """
    facts = credit_facts(year, today)
    open_flags = defaultdict(dict)
    for flag in db.session.scalars(
        select(CreditFlag).where(CreditFlag.data_year == year, CreditFlag.lifted_at.is_(None))
    ):
        open_flags[flag.employer_id][flag.code] = flag
    raised = lifted = 0
    concerned = set(facts) | set(open_flags)
    if employer_ids is not None:
        concerned &= set(employer_ids)
    for employer_id in concerned:
        wanted = {f.code: f for f in grade_flags(facts.get(employer_id, CreditFacts()))}
        current = open_flags.get(employer_id, {})
        for code, flag in wanted.items():
            if code not in current:
                row = CreditFlag(
                    employer_id=employer_id,
                    data_year=year,
                    grade=flag.grade,
                    code=code,
                    reason_zh=flag.reason_zh,
                    reason_en=flag.reason_en,
                )
                db.session.add(row)
                db.session.flush()
                audit.record("raise_flag", row, None, audit.snapshot(row), actor=user)
                raised += 1
        for code, row in current.items():
            if code not in wanted:
                lift_flag(row, "remedied", user, commit=False)
                lifted += 1
    if commit:
        db.session.commit()
    return {"raised": raised, "lifted": lifted}


def lift_flag(flag: CreditFlag, reason: str, user=None, commit: bool = True) -> CreditFlag:
    """Lift an open flag (remedied, or an administrator's decision), audited; a flag lifted by
    someone else in the meantime answers 409 (a conditional update)."""
    before = audit.snapshot(flag)
    values = {"lifted_at": utcnow(), "lift_reason": reason}
    message = _("This flag has already been lifted.")
    decide_once(db.session, flag, {"lifted_at": None}, values, "flag", message)
    audit.record("lift_flag", flag, *audit.changed(before, audit.snapshot(flag)), actor=user)
    if commit:
        db.session.commit()
    return flag


def flag_rows(include_lifted: bool = True) -> list[dict]:
    stmt = select(CreditFlag, Employer).join(Employer, Employer.id == CreditFlag.employer_id)
    if not include_lifted:
        stmt = stmt.where(CreditFlag.lifted_at.is_(None))
    return [
        flag_row(flag, employer)
        for flag, employer in db.session.execute(stmt.order_by(CreditFlag.id))
    ]


def flag_row(flag: CreditFlag, employer: Employer) -> dict:
    return {
        "credit_code": employer.credit_code,
        "employer_name": employer.name,
        "data_year": flag.data_year,
        "grade": flag.grade,
        "code": flag.code,
        "reason_zh": flag.reason_zh,
        "reason_en": flag.reason_en,
        "raised_at": flag.raised_at.isoformat(timespec="seconds"),
        "lifted_at": flag.lifted_at.isoformat(timespec="seconds") if flag.lifted_at else "",
        "status": "lifted" if flag.lifted_at else "open",
    }


def flags_json() -> dict:
    return {
        "format": "zjdes-credit-flags/1",
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "flags": flag_rows(),
    }


def _flag_rows(flags) -> list[dict]:
    return flag_rows() if flags is None else [flag_row(f, e) for f, e in flags]


def flags_csv(flags=None) -> str:
    """The credit platform's layout: the codes of FLAG_COLUMNS as the header (API and scripts);
    every flag, or the given (flag, employer) pairs in their order."""
    rows = _flag_rows(flags)
    return csv_text([FLAG_COLUMNS, *([row[c] for c in FLAG_COLUMNS] for row in rows)])


def flags_table_csv(language: str, flags=None) -> str:
    """The flags as a person reads them (the staff page's download): titled columns, the grade and
    status by name, the reason in the user's language, no codes; every flag, or the given pairs."""
    from flask_babel import lazy_gettext as _l

    from core.templating import local_time

    grades = {"general": _l("General"), "serious": _l("Serious")}
    header = [
        _("Credit code"),
        _("Employer name"),
        _("Data year"),
        _("Grade"),
        _("Reason"),
        _("Raised (China Standard Time)"),
        _("Lifted (China Standard Time)"),
        _("Status"),
    ]
    body = [
        [
            row["credit_code"],
            row["employer_name"],
            row["data_year"],
            str(grades.get(row["grade"], row["grade"])),
            row["reason_en"] if language == "en" else row["reason_zh"],
            local_time(row["raised_at"]),
            local_time(row["lifted_at"]),
            _("Lifted") if row["status"] == "lifted" else _("In force"),
        ]
        for row in _flag_rows(flags)
    ]
    return csv_text([header, *body])
