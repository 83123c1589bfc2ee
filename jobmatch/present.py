"""Results, candidates and referrals as plain dicts in the user's language (pages and API)."""

from core import divisions, offers
from core.i18n import lang
from jobmatch.engine.accessibility import FUNCTION_IDS
from jobmatch.engine.factors import FACTORS
from jobmatch.engine.functional_model import MAX_LEVEL
from jobmatch.engine.skills import default_vocabulary
from jobmatch.labels import (
    accommodation_name,
    demand_name,
    explanation,
    factor_name,
    function_name,
    reason_text,
    work_mode_name,
)
from jobmatch.services.matching import functional_profile
from jobmatch.services.records import skill_names
from jobmatch.services.referrals import status_name


def factor_rows(result, weights: dict) -> list[dict]:
    """Each factor's weight, value and contribution (weight x value) to the total."""
    rows = []
    for f in FACTORS:
        weight = float(weights.get(f, 0.0))
        contribution = float(result.contributions.get(f, 0.0))
        rows.append(
            {
                "factor": f,
                "label": factor_name(f),
                "weight": round(weight, 4),
                "value": round(contribution / weight, 4) if weight else 0.0,
                "contribution": round(contribution, 4),
            }
        )
    return rows


def explain_text(result) -> str:
    """A result's one-line explanation in the request's language."""
    return explanation(result, default_vocabulary())


def match_dict(rank: int, ranked, weights: dict) -> dict:
    post, result = ranked.post, ranked.result
    welfare = bool(getattr(post, "welfare", False))
    return {
        "rank": rank,
        "kind": "welfare_post" if welfare else "job_post",
        "post_id": None if welfare else post.id,
        "welfare_post_id": post.welfare_post_id if welfare else None,
        "welfare_priority_group": result.welfare_group,
        "title": post.title,
        "employer_name": post.employer.name if post.employer else "",
        "county_code": post.county_code,
        "work_mode": post.work_mode,
        "total": round(float(result.total), 4),
        "excluded": bool(result.excluded),
        "explanation": explain_text(result),
        "factors": factor_rows(result, weights),
        "reasons": [{"code": r.code, "text": reason_text(r)} for r in result.reasons],
    }


def functional_needs(person, profile) -> list[str]:
    """The functions where the seeker's capacity is limited, in plain words (no diagnosis)."""
    language = lang()
    fp = functional_profile(person, profile)
    out = []
    for f in FUNCTION_IDS:
        can = fp.can_meet(f)
        if can < MAX_LEVEL:
            sep = "：" if language == "zh" else ": "
            out.append(f"{function_name(f)}{sep}{demand_name(can)}")
    return out


def candidate_dict(rank: int, candidate, weights: dict) -> dict:
    """A candidate for a post; an anonymous one carries no name, no id and no numbers."""
    language, person, profile = lang(), candidate.person, candidate.profile
    referral = candidate.referral
    return {
        "rank": rank,
        "anonymous": not candidate.named,
        "person_id": person.id if candidate.named else None,
        "name": person.name if candidate.named else None,
        "skills": skill_names(profile.skills if profile else [], language),
        "education": person.education or "none",
        "county_code": person.county_code,
        "county_name": divisions.full_name(person.county_code),
        "functional_needs": functional_needs(person, profile),
        "accessibility_needs": [
            accommodation_name(a) for a in (profile.accessibility_needs if profile else [])
        ],
        "total": round(float(candidate.result.total), 4),
        "explanation": explain_text(candidate.result),
        "factors": factor_rows(candidate.result, weights),
        "referral_id": referral.id if referral and candidate.named else None,
        "seeker_consented": bool(referral and referral.seeker_consented),
        "awards": offers.skill_awards(person),  # competition awards: shown even when anonymous
    }


def referral_dict(referral, user) -> dict:
    """A referral; an employer sees the seeker's name only after the seeker's consent."""
    named = user.role != "employer" or referral.seeker_consented
    return {
        "id": referral.id,
        "person_id": referral.person_id if named else None,
        "person_name": referral.person.name if named else None,
        "post_id": referral.post_id,
        "post_title": referral.post.title,
        "status": referral.status,
        "status_name": status_name(referral.status),
        "seeker_consented": referral.seeker_consented,
        "seeker_interested": referral.seeker_interested,
        "reason": referral.reason or "",
        "history": referral.history or [],
        "outcome_at": referral.outcome_at,
        "created_at": referral.created_at,
    }


def commute_dict(person, profile, table=None) -> dict:
    """The seeker's commute limit for on-site posts, where it comes from, and a sentence saying so."""
    from jobmatch.engine.geography import seeker_commute
    from jobmatch.labels import commute_text
    from jobmatch.services.matching import commute_table

    mode = profile.travel_mode if profile else None
    limit = seeker_commute(
        profile.max_commute_km if profile else None,
        person.disability_level,
        mode,
        table if table is not None else commute_table(),
    )
    return {
        "km": limit.km,
        "basis": limit.basis,
        "travel_mode": mode,
        "text": commute_text(limit.km, limit.basis, person.disability_level, mode),
    }


def profile_dict(person, profile) -> dict:
    fp = functional_profile(person, profile)
    return {
        "person_id": person.id,
        "skills": list(profile.skills or []) if profile else [],
        "skill_names": skill_names(profile.skills if profile else []),
        "skills_text": profile.skills_text if profile else "",
        "preferred_modes": list(profile.preferred_modes or []) if profile else [],
        "min_salary": profile.min_salary if profile else 0,
        "preferred_counties": list(profile.preferred_counties or []) if profile else [],
        "max_commute_km": profile.max_commute_km if profile else None,
        "travel_mode": profile.travel_mode if profile else None,
        "commute": commute_dict(person, profile),
        "functions": {f: fp.can_meet(f) for f in FUNCTION_IDS},
        "adjustments": dict(profile.functions or {}) if profile else {},
        "functions_adjusted": bool(profile and profile.functions_adjusted),
        "accessibility_needs": list(profile.accessibility_needs or []) if profile else [],
        "active": profile.active if profile else True,
    }


def plain_reasons(ranked, profile, weights: dict, easy: bool = False) -> list[str]:
    """Short sentences saying why a post suits the seeker; `easy` gives one simple idea per line."""
    from flask_babel import gettext as _

    from jobmatch.engine.skills import default_vocabulary

    language, post, result = lang(), ranked.post, ranked.result
    rows = factor_rows(result, weights)
    value = {r["factor"]: r["value"] for r in rows}
    gives = {r["factor"]: r["contribution"] > 0 for r in rows}  # a line only for what counts
    vocab = default_vocabulary()
    mine = set(profile.skills or []) if profile else set()
    matched = [s for s in vocab.resolve(tuple(post.skills or ())) if s in mine]
    names = (
        "、".join(vocab.skill_name(s, language) for s in matched[:3])
        if language == "zh"
        else (", ".join(vocab.skill_name(s, language) for s in matched[:3]))
    )
    lines = []
    if matched and gives["skills"]:
        lines.append(
            _("This job uses your skills.")
            if easy
            else _("This job needs skills you have: %(skills)s.", skills=names)
        )
    if post.work_mode == "home_based" and gives["distance"]:
        lines.append(_("You can work from home.") if easy else _("The work is done from home."))
    elif value["distance"] >= 0.7 and gives["distance"]:
        lines.append(
            _("The job is near you.") if easy else _("The workplace is close to where you live.")
        )
    if value["salary"] >= 1 and gives["salary"] and profile and profile.min_salary:
        lines.append(_("The pay is what you asked for.") if easy else _("The pay meets your wish."))
    wished = bool(profile and profile.preferred_modes)
    if value["work_mode"] >= 1 and gives["work_mode"] and wished and post.work_mode != "home_based":
        mode = work_mode_name(post.work_mode)
        lines.append(
            _("The working hours suit you.")
            if easy
            else _("The work mode suits you: %(mode)s.", mode=mode)
        )
    offered = [accommodation_name(a) for a in (post.accommodations or [])]
    if offered:
        sep = "、" if language == "zh" else ", "
        lines.append(
            _("The employer will help you: %(help)s.", help=sep.join(offered[:2]))
            if easy
            else _("The employer offers: %(help)s.", help=sep.join(offered))
        )
    if gives["employer_need"]:
        lines.append(
            _("The employer wants to hire.")
            if easy
            else _("The employer needs to hire more persons with disabilities.")
        )
    return lines or [_("This job could suit you.")]
