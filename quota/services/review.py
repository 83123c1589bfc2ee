"""The annual review run: record non-filers, verify pending claims, assess and store every filing.

Works in bulk (set-based selects, grouped updates and multi-row inserts, committed per chunk), so the
province's 100,000 employers are reviewed in well under a minute; the run row carries the progress.
Non-filers and verification run once (a person may be claimed in two cities). With a broker the
assessment is split by city over the Celery workers (core.tasks.fan_out), once the verdicts are
stored. Without one the year is assessed here in one part: it reads what it needs (taking the
verdicts just decided from memory), then a writer (core.bulk.writer; on PostgreSQL a thread with a
connection of its own) stores the verdicts and then each chunk of assessments, in that order, while
this thread goes on assessing.
"""

import gc
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from core import audit, bulk, tasks
from core.bulk import in_values, insert_rows, update_rows
from core.database import ServiceError
from core.extensions import db
from core.models import Employer, utcnow
from quota.models import (
    CertificateCheck,
    ConflictDecision,
    NominalHireFinding,
    QuotaAssessment,
    QuotaClaim,
    QuotaCountedPerson,
    QuotaFiling,
    QuotaFilingVersion,
    QuotaOfficialData,
    QuotaReviewRun,
)
from quota.rules.assessment import assess
from quota.rules.filing import DisabledEmployee, Filing
from quota.rules.numbers import exact_sum, money, show, to_fraction
from quota.rules.rule_sets import QuotaRuleSet, public_body_lead_finding
from quota.rules.sources import OFFICIAL, larger
from quota.rules.verification import (
    TO_VERIFY,
    ClaimFacts,
    check_claim,
    settle_double_claims,
)
from quota.services import registry
from quota.services.year_settings import effective_rule_set, social_wage

CHUNK = 5000
FILED = ("submitted", "assessed")
log = logging.getLogger(__name__)
# Seconds spent per phase (wall clock, and CPU time of the thread) in this process; read by
# bench/quota_review.py (a few keys only). The writer's phases run on its own thread on PostgreSQL,
# beside the others.
PHASE_SECONDS: Counter = Counter()
PHASE_CPU_SECONDS: Counter = Counter()
WRITER_PHASES = ("verify_store", "store")
_phases = threading.local()  # each thread's stack of open phases


@contextmanager
def _phase(name: str):
    """Add the time spent in the block to PHASE_SECONDS[name] and its thread's CPU time to
    PHASE_CPU_SECONDS[name] (nested phases count in the inner one only)."""
    started, cpu = time.perf_counter(), time.thread_time()
    stack = _phases.__dict__.setdefault("stack", [])
    outer = stack[-1] if stack else None
    stack.append(name)
    try:
        yield
    finally:
        stack.pop()
        spent, spent_cpu = time.perf_counter() - started, time.thread_time() - cpu
        PHASE_SECONDS[name] += spent
        PHASE_CPU_SECONDS[name] += spent_cpu
        if outer is not None:
            PHASE_SECONDS[outer] -= spent
            PHASE_CPU_SECONDS[outer] -= spent_cpu


@contextmanager
def _many_objects():
    """Pause the cycle collector while the review builds its hundreds of thousands of small acyclic
    objects (rows, facts, results): it would traverse them again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _core(stmt):
    """Execute a bulk select on the session's connection, skipping ORM result processing."""
    return db.session.connection().execute(stmt)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prepared_rule_set(year: int) -> QuotaRuleSet:
    """The year's rule set, refusing to run when the wage cap needs a social wage nobody set."""
    rule_set = effective_rule_set(year)
    if rule_set.cap_multiple is not None and social_wage(year) is None:
        raise ServiceError(
            {
                "social_average_wage": [
                    _("Set the social average wage of %(year)s before the review.", year=year)
                ]
            }
        )
    return rule_set


# --- non-filers -------------------------------------------------------------------------------


def record_non_filers(year: int) -> int:
    """Record every employer that did not submit: a 'not_filed' filing is added, and a draft never
    submitted becomes one (its claims are not recognised; it may still be submitted later)."""
    filed = select(QuotaFiling.employer_id).where(QuotaFiling.data_year == year)
    missing = list(db.session.scalars(select(Employer.id).where(Employer.id.not_in(filed))))
    now = utcnow()
    rows = [
        {
            "employer_id": employer_id,
            "data_year": year,
            "status": "not_filed",
            "version": 1,
            "source": "official",
            "created_at": now,
            "updated_at": now,
        }
        for employer_id in missing
    ]
    for chunk in _chunks(rows):
        db.session.execute(insert(QuotaFiling.__table__), chunk)
    drafts_of_year = select(QuotaFiling.id).where(
        QuotaFiling.data_year == year, QuotaFiling.status == "draft"
    )
    db.session.execute(  # the draft's newest history entry says what became of it
        update(QuotaFilingVersion)
        .where(
            QuotaFilingVersion.filing_id.in_(drafts_of_year),
            QuotaFilingVersion.version
            == select(QuotaFiling.version)
            .where(QuotaFiling.id == QuotaFilingVersion.filing_id)
            .scalar_subquery(),
        )
        .values(status="not_filed")
        .execution_options(synchronize_session=False)
    )
    drafts = db.session.execute(
        update(QuotaFiling)
        .where(QuotaFiling.data_year == year, QuotaFiling.status == "draft")
        .values(status="not_filed")
        .execution_options(synchronize_session=False)
    ).rowcount
    return len(rows) + drafts


# --- verification -----------------------------------------------------------------------------


def _pending(year: int, filing_ids, *columns):
    """A select of the pending claims of filed filings (of the year, or of the filings given)."""
    stmt = (
        select(*columns)
        .join(QuotaFiling, QuotaFiling.id == QuotaClaim.filing_id)
        .where(
            QuotaClaim.data_year == year,
            QuotaClaim.verdict == "pending",
            QuotaFiling.status.in_(FILED),
        )
    )
    if filing_ids is not None:
        stmt = stmt.where(in_values(db.session, QuotaClaim.filing_id, list(filing_ids)))
    return stmt


def _pending_claims(year: int, filing_ids: list[int] | None = None):
    stmt = _pending(
        year,
        filing_ids,
        QuotaClaim.id,
        QuotaClaim.person_index,
        QuotaClaim.cert_index,
        QuotaClaim.long_contract,
        QuotaClaim.min_wage,
        QuotaClaim.social_insurance,
        QuotaClaim.employer_id,
        QuotaClaim.cert_cipher,
    ).order_by(QuotaFiling.submitted_at, QuotaFiling.id, QuotaClaim.id)
    return list(map(ClaimFacts._make, _core(stmt).all()))


def _accepted_people(year: int, person_indexes=None) -> set[str]:
    """The people an accepted claim already counts for an employer in the year."""
    stmt = select(QuotaCountedPerson.person_index).where(QuotaCountedPerson.data_year == year)
    if person_indexes is not None:
        stmt = stmt.where(
            in_values(db.session, QuotaCountedPerson.person_index, list(person_indexes))
        )
    return set(_core(stmt).scalars().all())


Decided = dict[int, tuple[str, str | None]]  # claim id -> (verdict, reason) decided by a run


class Verification(NamedTuple):
    """The verdicts decided for pending claims, before they are stored."""

    summary: dict  # how many accepted, rejected, conflicts, to verify
    verdicts: dict  # (verdict, reason) -> claim ids
    disputed: list[str]  # people whose acceptance another employer's claim now disputes

    def decided(self) -> Decided:
        return {claim_id: key for key, ids in self.verdicts.items() for claim_id in ids}


def verify_pending(year: int, filing_ids: list[int] | None = None, people=None) -> dict:
    """Give every pending claim of filed filings its verdict; double claims become conflicts."""
    verification = decide_pending(year, filing_ids, people)
    store_verdicts(year, verification)
    return verification.summary


def decide_pending(year: int, filing_ids: list[int] | None = None, people=None) -> Verification:
    """The verdicts of every pending claim of filed filings (nothing written)."""
    with _phase("verify_load"), _many_objects():
        return _verify(year, filing_ids, people)


def _verify(year: int, filing_ids, people) -> Verification:
    claims = _pending_claims(year, filing_ids)
    if not claims:
        return Verification({"accepted": 0, "rejected": 0, "conflicts": 0, "to_verify": 0}, {}, [])
    if (
        people is None
    ):  # the claimed people, read by a subquery (nothing sent, whatever their number)
        people = registry.facts_by_index(_pending(year, filing_ids, QuotaClaim.person_index))
    unknown = {
        c.person_index: c.cert_cipher
        for c in claims
        if c.person_index and c.person_index not in people
    }
    if unknown:  # valid certificates no local source knows: to be verified, never rejected for it
        people = {**people, **registry.unregistered_facts(unknown)}
    verdicts: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    passing = []
    nominal = nominal_hires(year)
    decided = conflict_decisions(year)
    checked = registry.check_decisions(year)
    for claim in claims:
        key = (claim.employer_id, claim.person_index)
        reason = check_claim(
            claim, people.get(claim.person_index), year, key in nominal, checked.get(key)
        )
        if (
            reason is None
            and decided.get(claim.person_index, claim.employer_id) != claim.employer_id
        ):
            reason = "claimed_by_another_employer"  # a counselor chose another employer
        if reason is None:
            passing.append((claim.claim_id, claim.person_index))
        elif reason == TO_VERIFY:
            verdicts[("to_verify", reason)].append(claim.claim_id)
        else:
            verdicts[("rejected", reason)].append(claim.claim_id)
    indexes = {person for _id, person in passing}
    already = _accepted_people(year, None if filing_ids is None else list(indexes))
    accepted, conflicts, disputed = settle_double_claims(passing, already)
    verdicts[("conflict", "claimed_by_another_employer")].extend(conflicts)
    verdicts[("accepted", None)].extend(accepted)
    summary = {
        "accepted": len(accepted),
        "rejected": sum(len(v) for (k, _r), v in verdicts.items() if k == "rejected"),
        "conflicts": len(conflicts),
        "to_verify": len(verdicts.get(("to_verify", TO_VERIFY), [])),
    }
    return Verification(summary, dict(verdicts), sorted(disputed))


def store_verdicts(year: int, verification: Verification) -> None:
    """Store the verdicts, mark the disputed acceptances and open a certificate check for each
    claim to verify."""
    verdicts, disputed = verification.verdicts, verification.disputed
    with _phase("verify_store"):
        # Every verdict in one statement (UPDATE ... FROM unnest on PostgreSQL), in the table's order.
        rows = sorted(
            (claim_id, verdict, reason, verdict == "conflict")
            for (verdict, reason), ids in verdicts.items()
            for claim_id in ids
        )
        columns = ("id", "verdict", "reason", "disputed")
        changes = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
        update_rows(db.session, QuotaClaim.__table__, "id", changes)
        _mark_disputed(year, disputed)
        registry.open_checks(year, verdicts.get(("to_verify", TO_VERIFY), []))


def nominal_hires(year: int) -> set[tuple[int, str]]:
    """(employer, person) pairs a counselor found to be nominal hires in the year, still open."""
    stmt = select(NominalHireFinding.employer_id, NominalHireFinding.person_index).where(
        NominalHireFinding.data_year == year, NominalHireFinding.withdrawn_at.is_(None)
    )
    return set(_core(stmt))


def conflict_decisions(year: int) -> dict[str, int]:
    """Person -> the employer a counselor decided they count for, while that employer claims them."""
    winner_claims = select(QuotaClaim.id).where(
        QuotaClaim.data_year == year,
        QuotaClaim.person_index == ConflictDecision.person_index,
        QuotaClaim.employer_id == ConflictDecision.employer_id,
    )
    stmt = select(ConflictDecision.person_index, ConflictDecision.employer_id).where(
        ConflictDecision.data_year == year, winner_claims.exists()
    )
    return dict(_core(stmt).all())


def _mark_disputed(year: int, person_indexes: list[str]) -> None:
    for chunk in _chunks(person_indexes):
        db.session.execute(
            update(QuotaClaim)
            .where(
                QuotaClaim.data_year == year,
                QuotaClaim.verdict == "accepted",
                QuotaClaim.disputed.is_(False),  # only rows that change
                in_values(db.session, QuotaClaim.person_index, chunk),
            )
            .values(disputed=True)
            .execution_options(synchronize_session=False)
        )


# --- assessment --------------------------------------------------------------------------------


def _in_city(city: str | None):
    """Employers of a city (its 4-digit code prefix), or every employer."""
    return Employer.county_code.like(f"{city}%") if city else True


def _counted_claims(year: int, filing_ids=None, city=None) -> dict[int, list[DisabledEmployee]]:
    """Accepted claims count; claims failing only the counting conditions are shown as not counting."""
    if city:
        filing_ids = [row.id for row in _filing_rows(year, filing_ids, city)]
    return _claims_to_assess(year, filing_ids)[0]


@lru_cache(maxsize=256)
def _employee(level: int, months: int, counts: bool) -> DisabledEmployee:
    """One value per (level, months, counts): a few hundred exist, and they are immutable."""
    return DisabledEmployee(level, months, counts)


def _effective(claim_id: int, verdict: str, reason, decided: Decided | None):
    """(verdict, reason) of a claim: a run's decision, not yet stored, for one still pending."""
    if verdict == "pending" and decided:
        return decided.get(claim_id, (verdict, reason))
    return verdict, reason


def _claims_to_assess(
    year: int, filing_ids=None, decided: Decided | None = None
) -> tuple[dict[int, list], dict[int, int]]:
    """One read of the claims of the year (or of the filings given) the assessment needs: each
    filing's employees in the order filed (accepted ones count; those failing only the counting
    conditions are shown as not counting), and how many certificates each still has to verify.
    A claim still pending in the table takes its verdict from `decided` (a run's, not yet stored)."""
    wanted = QuotaClaim.verdict.in_(("accepted", "to_verify")) | (
        QuotaClaim.reason == "conditions_not_met"
    )
    if decided:
        wanted = wanted | (QuotaClaim.verdict == "pending")
    stmt = select(
        QuotaClaim.id,
        QuotaClaim.filing_id,
        QuotaClaim.level,
        QuotaClaim.months,
        QuotaClaim.verdict,
        QuotaClaim.reason,
    ).where(QuotaClaim.data_year == year, wanted)
    if filing_ids is not None:
        stmt = stmt.where(in_values(db.session, QuotaClaim.filing_id, list(filing_ids)))
    found: dict[int, list[DisabledEmployee]] = defaultdict(list)
    waiting: Counter = Counter()
    for claim_id, filing_id, level, months, verdict, reason in _core(
        stmt.order_by(QuotaClaim.id)
    ).all():
        verdict, reason = _effective(claim_id, verdict, reason, decided)
        if verdict == "to_verify":
            waiting[filing_id] += 1
        elif verdict == "accepted" or reason == "conditions_not_met":
            found[filing_id].append(_employee(level, months, verdict == "accepted"))
    return found, dict(waiting)


def _official(year: int, employer_ids=None) -> dict[int, tuple[Decimal, Decimal | None, str]]:
    stmt = select(
        QuotaOfficialData.employer_id,
        QuotaOfficialData.headcount,
        QuotaOfficialData.wage_total,
        QuotaOfficialData.source,
    ).where(QuotaOfficialData.data_year == year)
    if employer_ids is not None:
        stmt = stmt.where(in_values(db.session, QuotaOfficialData.employer_id, list(employer_ids)))
    return {row[0]: (row[1], row[2], row[3]) for row in _core(stmt).all()}


def _text(value: Fraction | None) -> str | None:
    return None if value is None else show(value)


def pure_filing(row, employees, official, social: Fraction | None) -> Filing | None:
    """The pure filing of a stored one; a non-filer's comes from official data (None if unknown)."""
    return pure_filing_and_sources(row, employees, official, social)[0]


def pure_filing_and_sources(row, employees, official, social: Fraction | None):
    """(the pure filing, where its figures come from): the larger of the declared and the official
    headcount and wage total (quota.rules.sources); a non-filer on official data alone."""
    known = official.get(row.employer_id)
    o_count = Fraction(known[0]) if known is not None and known[0] else None
    o_wages = Fraction(known[1]) if known is not None and known[1] is not None else None
    sources = {
        "official_headcount": _text(o_count),
        "official_wage_total": None if o_wages is None else str(money(o_wages)),
        "official_source": known[2] if known is not None and len(known) > 2 else None,
        "non_filer": row.status == "not_filed",
    }
    if row.status != "not_filed":
        months = row.monthly_headcounts
        declared_w = None if row.wage_total is None else Fraction(row.wage_total)
        w, w_from = larger(declared_w, o_wages)
        common = dict(
            unit_type=row.unit_type,
            wage_total=w,
            social_average_wage=social,
            disabled_employees=tuple(employees),
        )
        declared = None
        if months:  # the filing as declared, its months summed once (also for the explanation)
            try:
                declared = Filing(monthly_headcounts=months, **common)
            except ValueError:  # the official headcount may still stand in for it, as below
                declared = None
        if declared is not None:
            declared_n = declared.annual_headcount
        else:
            declared_n = (
                exact_sum(to_fraction(v, "monthly_headcounts") for v in months) / 12
                if months
                else None
            )
        n, n_from = larger(declared_n, o_count)
        sources.update(
            headcount=n_from,
            declared_headcount=_text(declared_n),
            wage_total=w_from,
            declared_wage_total=None if declared_w is None else str(money(declared_w)),
        )
        if n_from == OFFICIAL:
            return Filing(headcount=n, **common), sources
        if declared is not None:
            return declared, sources
        return Filing(monthly_headcounts=months, **common), sources
    if o_count is None:
        return None, sources
    average = o_wages / o_count if o_wages is not None else social
    if average is None:
        return None, sources
    sources.update(headcount=OFFICIAL, wage_total=OFFICIAL if o_wages is not None else None)
    filing = Filing(
        unit_type=row.unit_type,
        headcount=o_count,
        average_wage=average,
        social_average_wage=social,
    )
    return filing, sources


def assessment_row(
    row, filing: Filing, rule_set: QuotaRuleSet, run_id, now, sources: dict | None = None
) -> dict:
    """Assess one filing and return the row to store, with the lead-unit finding if any."""
    result = assess(filing, rule_set)
    counted = sum(1 for e in filing.disabled_employees if e.counts)
    basis = result.basis.as_json()
    if sources is not None:  # as replacing the basis's sources would store it, without the copies
        basis["sources"] = {
            **sources,
            "claims_counted": counted,
            "confirmed": getattr(row, "confirmed", 0),
            "unverified": getattr(row, "unverified", 0),
        }
    finding = (  # only a lead unit can be found wanting
        public_body_lead_finding(row.unit_type, True, counted) if row.is_lead_unit else None
    )
    return {
        "filing_id": row.id,
        "employer_id": row.employer_id,
        "data_year": rule_set.data_year,
        "filing_version": row.version,
        "run_id": run_id,
        "current": True,
        "non_filer": row.status == "not_filed",
        "rule_set_id": result.rule_set_id,
        "unit_type": row.unit_type,
        "headcount": result.headcount,
        "required": result.required,
        "arranged": result.arranged,
        "shortfall": result.shortfall,
        "arranged_ratio": result.arranged_ratio,
        "wage_base": result.wage_base,
        "social_average_wage": result.social_average_wage,
        "cap": result.cap,
        "capped": result.capped,
        "capped_wage_base": result.capped_wage_base,
        "exempt": result.exempt,
        "factor": result.factor,
        "levy": result.levy,
        "excess": result.excess,
        "reward_eligible": result.reward_eligible,
        "reward": result.reward,
        "explanation_basis": basis,
        "explanation": None,
        "findings": []
        if finding is None
        else [{"code": finding.code, "zh": finding.reason_zh, "en": finding.reason_en}],
        "created_at": now,
    }


def _filing_rows(year: int, filing_ids=None, city=None):
    stmt = (
        select(
            QuotaFiling.id,
            QuotaFiling.employer_id,
            QuotaFiling.version,
            QuotaFiling.status,
            QuotaFiling.monthly_headcounts,
            QuotaFiling.wage_total,
            Employer.unit_type,
            Employer.is_lead_unit,
        )
        .join(Employer, Employer.id == QuotaFiling.employer_id)
        .where(
            QuotaFiling.data_year == year,
            QuotaFiling.status.in_((*FILED, "not_filed")),
            _in_city(city),
        )
        .order_by(QuotaFiling.id)
    )
    if filing_ids is not None:
        stmt = stmt.where(in_values(db.session, QuotaFiling.id, list(filing_ids)))
    return _core(stmt).all()


class FilingFacts(NamedTuple):
    """A filing row as the assessment needs it."""

    id: int
    employer_id: int
    version: int
    status: str
    monthly_headcounts: list | None
    wage_total: Decimal | None
    unit_type: str
    is_lead_unit: bool
    unverified: int = 0  # certificates still to verify, not counted (the deadline has passed)
    confirmed: int = 0  # counted certificates a counselor confirmed


def _assess_chunk(job) -> tuple[list[dict], int]:
    """Assess one chunk of filings (pure work, no database): rows to store and how many lacked data."""
    rows, employees, official, social, rule_set, run_id, now = job
    stored, skipped = [], 0
    for row in rows:
        filing, sources = pure_filing_and_sources(row, employees.get(row.id, ()), official, social)
        if filing is None:
            skipped += 1
            continue
        stored.append(assessment_row(row, filing, rule_set, run_id, now, sources))
    return stored, skipped


def _store_chunk(ids: list[int], new_rows: list[dict], progress: Callable | None = None) -> None:
    """Store a chunk's assessments as the current ones and mark its filings assessed."""
    with _phase("store"):
        _replace_assessments(ids, new_rows)
    if progress is not None:
        progress(len(ids))


def _replace_assessments(ids: list[int], new_rows: list[dict]) -> None:
    db.session.execute(
        update(QuotaAssessment)
        .where(
            in_values(db.session, QuotaAssessment.filing_id, ids),
            QuotaAssessment.current.is_(True),
        )
        .values(current=False)
        .execution_options(synchronize_session=False)
    )
    insert_rows(db.session, QuotaAssessment.__table__, new_rows)
    # The assessment does not make a new version of the filing: the version it assessed is marked
    # assessed in the history, so the page's version and the history's newest entry agree.
    db.session.execute(
        update(QuotaFiling)
        .where(in_values(db.session, QuotaFiling.id, ids), QuotaFiling.status == "submitted")
        .values(status="assessed")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(QuotaFilingVersion)
        .where(
            in_values(db.session, QuotaFilingVersion.filing_id, ids),
            QuotaFilingVersion.version
            == select(QuotaFiling.version)
            .where(QuotaFiling.id == QuotaFilingVersion.filing_id)
            .scalar_subquery(),
        )
        .values(status="assessed")
        .execution_options(synchronize_session=False)
    )


def assess_filings(
    year: int,
    filing_ids=None,
    run_id=None,
    progress: Callable | None = None,
    city: str | None = None,
    writer=None,
    decided: Decided | None = None,
    after_load: Callable | None = None,
):
    """Assess filed filings and non-filers of the year (of one city, or the ones given, or all),
    storing each assessment as the current one, chunk by chunk: through `writer` (default: at once
    in this session), with `progress(count)` after each chunk stored. `decided`: verdicts of the
    run not stored yet (see _claims_to_assess); `after_load()` runs once everything is read."""
    with _many_objects():
        return _assess_filings(
            year,
            filing_ids,
            run_id,
            progress,
            city,
            writer or bulk.InlineWriter(),
            decided,
            after_load,
        )


def _assess_filings(
    year: int, filing_ids, run_id, progress, city, writer, decided, after_load
) -> dict:
    rule_set = prepared_rule_set(year)
    social = social_wage(year)
    with _phase("assess_load"):
        rows = [FilingFacts(*row) for row in _filing_rows(year, filing_ids, city)]
        if city:  # the claims and official data of this city's filings only
            filing_ids = [row.id for row in rows]
        employees, waiting = _claims_to_assess(year, filing_ids, decided)
        awaiting: list[int] = []
        if waiting:
            if registry.verification_deadline_passed(year):  # assess with what was confirmed
                rows = [r._replace(unverified=waiting.get(r.id, 0)) for r in rows]
            else:  # an employer with certificates to verify waits for them (listed in the summary)
                awaiting = sorted(r.employer_id for r in rows if r.id in waiting)
                rows = [r for r in rows if r.id not in waiting]
        confirmed = _confirmed_counts(year, filing_ids, decided)
        if confirmed:
            rows = [r._replace(confirmed=confirmed.get(r.id, 0)) for r in rows]
        official = _official(year, None if not city else [row.employer_id for row in rows])
    if after_load is not None:
        after_load()
    now = utcnow()
    stored = skipped = 0
    for chunk in _chunks(rows):
        with _phase("assess"):
            new_rows, lacking = _assess_chunk(
                (chunk, employees, official, social, rule_set, run_id, now)
            )
        writer.submit(_store_chunk, [row.id for row in chunk], new_rows, progress)
        stored += len(new_rows)
        skipped += lacking
    result = {"assessed": stored, "without_data": skipped}
    if awaiting:
        result.update(awaiting_verification=len(awaiting), awaiting_employers=awaiting[:100])
    return result


def _awaiting_verification(year: int) -> list[int]:
    """Employers left unassessed because certificates still wait for a counselor's check."""
    if registry.verification_deadline_passed(year):
        return []
    stmt = (
        select(QuotaClaim.employer_id)
        .where(QuotaClaim.data_year == year, QuotaClaim.verdict == "to_verify")
        .distinct()
        .order_by(QuotaClaim.employer_id)
    )
    return list(_core(stmt).scalars())


def _confirmed_counts(year: int, filing_ids=None, decided: Decided | None = None) -> dict[int, int]:
    """Per filing, its counted claims whose certificate a counselor confirmed (a claim still pending
    in the table takes its verdict from `decided`)."""
    confirmed = select(CertificateCheck.id).where(
        CertificateCheck.data_year == year, CertificateCheck.status == "confirmed"
    )
    if _core(confirmed.limit(1)).first() is None:  # the usual case: nothing to join
        return {}
    stmt = (
        select(QuotaClaim.filing_id, QuotaClaim.id, QuotaClaim.verdict)
        .join(
            CertificateCheck,
            (CertificateCheck.employer_id == QuotaClaim.employer_id)
            & (CertificateCheck.person_index == QuotaClaim.person_index)
            & (CertificateCheck.data_year == QuotaClaim.data_year),
        )
        .where(
            QuotaClaim.data_year == year,
            QuotaClaim.verdict.in_(("accepted", "pending")),
            CertificateCheck.status == "confirmed",
        )
    )
    if filing_ids is not None:
        stmt = stmt.where(in_values(db.session, QuotaClaim.filing_id, list(filing_ids)))
    counts: Counter = Counter()
    for filing_id, claim_id, verdict in _core(stmt).all():
        if _effective(claim_id, verdict, None, decided)[0] == "accepted":
            counts[filing_id] += 1
    return dict(counts)


# --- the run -----------------------------------------------------------------------------------


def start_run(year: int, user=None) -> QuotaReviewRun:
    """Queue a review run for the year (executed by the job, or at once by the CLI)."""
    prepared_rule_set(year)
    run = QuotaReviewRun(data_year=year, status="queued", requested_by=getattr(user, "id", None))
    db.session.add(run)
    db.session.flush()
    audit.record("queue_review", run, None, {"data_year": year})
    db.session.commit()
    return run


def _set_run(run_id: int, **values) -> None:
    db.session.execute(update(QuotaReviewRun).where(QuotaReviewRun.id == run_id).values(**values))
    db.session.commit()


def _fail_run(run_id: int, error: Exception | str) -> None:
    db.session.rollback()
    if isinstance(error, Exception):
        error = "; ".join(m for ms in getattr(error, "errors", {}).values() for m in ms) or str(
            error
        )
    _set_run(run_id, status="failed", finished_at=utcnow(), error=error[:2000])


def _cities(year: int) -> list[str]:
    """The cities (4-digit code prefixes) of the employers with something to assess."""
    stmt = (
        select(func.substr(Employer.county_code, 1, 4))
        .join(QuotaFiling, QuotaFiling.employer_id == Employer.id)
        .where(QuotaFiling.data_year == year, QuotaFiling.status.in_((*FILED, "not_filed")))
        .distinct()
    )
    return sorted(_core(stmt).scalars())


def execute_run(run_id: int) -> dict:
    """Run a queued review: non-filers and verification here, then the assessment city by city
    (on the workers when a broker is configured); progress committed per chunk."""
    run = db.session.get(QuotaReviewRun, run_id)
    year = run.data_year
    _set_run(run_id, status="running", started_at=utcnow(), done=0)
    try:
        with _phase("non_filers"):
            non_filers = record_non_filers(year)
        db.session.commit()  # nothing of this session's for the writer's connection to wait on
        verification = decide_pending(year)
        _set_total(run_id, year, {"non_filers": non_filers, **verification.summary})
        if tasks.distributed():
            with bulk.writer() as writer:  # stored before any worker reads them
                writer.submit(store_verdicts, year, verification)
            parts = [(run_id, year, city) for city in _cities(year)]
            tasks.fan_out("quota.assess_part", parts, "quota.finish_run", run_id)
        else:
            _review_here(run_id, year, verification)
    except Exception as error:
        _fail_run(run_id, error)
        raise
    run = db.session.get(QuotaReviewRun, run_id)
    db.session.refresh(run)
    if run.status == "failed":
        raise RuntimeError(run.error)
    return dict(run.summary or {})


def _set_total(run_id: int, year: int, summary: dict) -> None:
    total = db.session.scalar(
        select(func.count(QuotaFiling.id)).where(
            QuotaFiling.data_year == year,
            QuotaFiling.status.in_((*FILED, "not_filed")),
        )
    )
    _set_run(run_id, total=total, summary=summary)


def _review_here(run_id: int, year: int, verification: Verification) -> None:
    """Without a broker: the year's assessment in one part, here. It reads all it needs first,
    then the writer stores the verdicts and each chunk of assessments while it assesses (the
    reads would otherwise compete with the writes). A failing part is counted, as on the workers."""
    failed = 0
    with bulk.writer() as writer:
        stored = []

        def store_verdicts_once() -> None:
            if not stored:
                stored.append(True)
                writer.submit(store_verdicts, year, verification)

        try:
            assess_filings(
                year,
                run_id=run_id,
                progress=_progress_of(run_id),
                writer=writer,
                decided=verification.decided(),
                after_load=store_verdicts_once,
            )
        except Exception:
            db.session.rollback()
            log.exception("Review %s: the assessment failed", run_id)
            failed = 1
        store_verdicts_once()  # also when the assessment failed before it had read everything
    finish_run(run_id, failed)


def _progress_of(run_id: int) -> Callable[[int], None]:
    """Add a stored chunk's filings to the run's progress (committed: the run's page shows it)."""

    def progress(count: int) -> None:
        db.session.execute(
            update(QuotaReviewRun)
            .where(QuotaReviewRun.id == run_id)
            .values(done=QuotaReviewRun.done + count)
        )
        db.session.commit()

    return progress


def assess_part(run_id: int, year: int, city: str) -> dict:
    """One part of a review run on a worker: assess and store the filings of the employers of one
    city, a writer of its own storing each chunk while the next is assessed."""
    with bulk.writer() as writer:
        return assess_filings(
            year, run_id=run_id, progress=_progress_of(run_id), city=city, writer=writer
        )


def finish_run(run_id: int, failed_parts: int) -> None:
    """After the last part: the run's summary and audit record, or its failure."""
    if failed_parts:
        _fail_run(run_id, f"{failed_parts} part(s) of the assessment failed; see the worker log")
        return
    run = db.session.get(QuotaReviewRun, run_id)
    assessed = db.session.scalar(
        select(func.count(QuotaAssessment.id)).where(
            QuotaAssessment.run_id == run_id, QuotaAssessment.current.is_(True)
        )
    )
    summary = {
        **(run.summary or {}),
        "assessed": assessed,
        "without_data": run.total - assessed,
    }
    awaiting = _awaiting_verification(run.data_year)
    if awaiting:
        summary.update(awaiting_verification=len(awaiting), awaiting_employers=awaiting[:100])
    _set_run(run_id, status="done", finished_at=utcnow(), summary=summary, done=run.total)
    run = db.session.get(QuotaReviewRun, run_id)
    audit.record("review", run, None, summary)
    db.session.commit()


def run_review(year: int, user=None) -> dict:
    """Queue and execute a review at once (the CLI, the tests, the benchmark)."""
    run = start_run(year, user)
    return {"run_id": run.id, **execute_run(run.id)}


def run_queued() -> int:
    """Execute every queued run (the scheduler's job); returns how many ran."""
    ids = list(
        db.session.scalars(
            select(QuotaReviewRun.id)
            .where(QuotaReviewRun.status == "queued")
            .order_by(QuotaReviewRun.id)
        )
    )
    for run_id in ids:
        claimed = db.session.execute(
            update(QuotaReviewRun)
            .where(QuotaReviewRun.id == run_id, QuotaReviewRun.status == "queued")
            .values(status="running")
        ).rowcount
        db.session.commit()
        if claimed:
            try:
                tasks.enqueue("quota.execute_run", run_id)  # here, or on a worker
            except Exception:  # recorded on the run row; the next run goes on
                continue
    return len(ids)


def reassess(filing_ids: list[int], year: int) -> None:
    """Re-verify and re-assess a few already assessed filings (after a resolution or amendment)."""
    verify_pending(year, filing_ids)
    assess_filings(year, filing_ids)


tasks.register("quota.execute_run", execute_run)
tasks.register("quota.assess_part", assess_part)
tasks.register("quota.finish_run", finish_run)
