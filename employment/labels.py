"""Display names of the employment package's codes, in the request's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.i18n import lang
from core.labels import namer
from employment import competition_rules, indicators, welfare_rules

# Skills competitions (codes in competition_rules.py).
COMPETITION_LEVEL_NAMES = {
    "national": _l("National level"),
    "provincial": _l("Provincial level"),
    "city": _l("City level"),
}
AWARD_NAMES = {
    "first": _l("First prize"),
    "second": _l("Second prize"),
    "third": _l("Third prize"),
    "excellence": _l("Honourable mention"),
}
assert tuple(COMPETITION_LEVEL_NAMES) == competition_rules.LEVELS
assert tuple(AWARD_NAMES) == competition_rules.AWARDS

# Public-welfare posts' priority groups (codes in welfare_rules.py).
PRIORITY_GROUP_NAMES = {
    0: _l("Rural and in a zero-employment household"),
    1: _l("Rural, or in a zero-employment household"),
    2: _l("Other persons hard to employ"),
}
assert tuple(PRIORITY_GROUP_NAMES) == welfare_rules.GROUPS

competition_level_name = namer(COMPETITION_LEVEL_NAMES)
priority_group_name = namer(PRIORITY_GROUP_NAMES)
award_name = namer(AWARD_NAMES)


def names(table: dict) -> dict[str, str]:
    """Every code of `table` with its name in the request's language (for a page's choices)."""
    return {code: str(name) for code, name in table.items()}


def badge(year: int, level: str, name: str, trade: str, award: str) -> str:
    """An award as an employer sees it on an anonymised candidate: award, competition and trade,
    never the person."""
    return _(
        "%(award)s, %(name)s (%(year)s, %(level)s), %(trade)s",
        award=award_name(award),
        name=name,
        year=year,
        level=competition_level_name(level),
        trade=trade,
    )


# The plan's indicators (codes in indicators.py): name (%(year)s the selected year), definition
# and source.
INDICATOR_LABELS = {
    "employment_rate": _l("Employment rate of certified working-age persons, %(year)s"),
    "graduate_employment_rate": _l("Employment of %(year)s college graduates who wish to work"),
    "zero_employment_households": _l("Zero-employment households, %(year)s"),
    "training_person_times": _l("Training person-times, %(year)s"),
    "people_trained": _l("People trained, %(year)s"),
    "quota_compliance": _l("Filers meeting the quota, review of %(year)s"),
    "levy_collected": _l("Levy paid, review of %(year)s"),
    "rewards_computed": _l("Over-quota rewards computed (not payments), review of %(year)s"),
    "lead_bodies_employing": _l(
        "Lead public bodies employing a person with disabilities, review of %(year)s"
    ),
    "blind_massage_institutions": _l("Blind-massage institutions, %(year)s"),
    "auxiliary_participants": _l("Persons in auxiliary employment, %(year)s"),
    "startup_survival": _l(
        "Supported start-ups still operating one year on (checks due in %(year)s)"
    ),
    "welfare_post_holders": _l("Persons with disabilities in public-welfare posts, %(year)s"),
    "household_income": _l(
        "Disposable income per head of households with persons with disabilities, %(year)s"
    ),
    "rural_employment_rate": _l("Employment rate of rural certified working-age persons, %(year)s"),
    "urban_employment_rate": _l("Employment rate of urban certified working-age persons, %(year)s"),
    "zero_employment_households_rural": _l("Rural zero-employment households, %(year)s"),
    "zero_employment_households_urban": _l("Urban zero-employment households, %(year)s"),
    "competition_entrants": _l("Persons with disabilities in skills competitions, %(year)s"),
    "competition_winners": _l(
        "Persons with disabilities winning an award in skills competitions, %(year)s"
    ),
}
INDICATOR_DEFINITIONS = {
    "employment_rate": (
        _l(
            "Certified persons of working age (men 16-59, women 16-54) with a job, of"
            " all certified persons of working age; flexible and home-based work "
            "count only once recognised. The plan states the 2020 baseline as 57% (a "
            "plan-stated figure)."
        ),
        _l("the province's 14th five-year plan; past years from the year's last stored snapshot"),
    ),
    "graduate_employment_rate": (
        _l(
            "Graduates of the year from college or above who wish to work and have a "
            "job (flexible work once recognised), of all such graduates."
        ),
        _l("the province's 14th five-year plan"),
    ),
    "zero_employment_households": (
        _l(
            "Households of persons with disabilities in which no member of working "
            "age who is able and wishes to work (with or without a disability) has a "
            "job."
        ),
        _l("the province's 14th five-year plan; Employment Promotion Law art. 56"),
    ),
    "training_person_times": (
        _l(
            "Completions of training in the year (one person completing two courses "
            "counts twice), against the plan's 20,000 person-times a year."
        ),
        _l("the province's 14th five-year plan; course completion records"),
    ),
    "people_trained": (
        _l("Persons who completed at least one course in the year (beside the person-times)."),
        _l("course completion records"),
    ),
    "quota_compliance": (
        _l(
            "Of the employers that filed in the year's review (data of the previous "
            "year), the share meeting the 1.5% quota; non-filers are not in the "
            "denominator."
        ),
        _l("Zhejiang employment measures; the review's assessments"),
    ),
    "levy_collected": (
        _l(
            "Levy payments recorded for the year's review (data of the previous "
            "year), counting the employers that paid."
        ),
        _l("imported payment vouchers"),
    ),
    "rewards_computed": (
        _l(
            "Over-quota rewards as computed by the review; no reward payments are "
            "recorded yet, so this is not an amount paid."
        ),
        _l("the review's assessments; the reward rate is an administrator's parameter"),
    ),
    "lead_bodies_employing": (
        _l(
            "Of the lead public bodies, the share that employed at least one person "
            "with disabilities in the year's review; a body without an assessment "
            "counts as employing none."
        ),
        _l("the province's 14th five-year plan; the review's assessments"),
    ),
    "blind_massage_institutions": (
        _l(
            "Registered blind-massage institutions operating in the year, against the plan's 1,000."
        ),
        _l(
            "the province's 14th five-year plan; the register of "
            "concentrated-employment institutions"
        ),
    ),
    "auxiliary_participants": (
        _l(
            "Persons with intellectual, mental or severe disabilities who worked some"
            " hours in an auxiliary-employment centre in at least one month of the "
            "year (each person once)."
        ),
        _l("the 2015 opinion on auxiliary employment; the centres' monthly records"),
    ),
    "startup_survival": (
        _l(
            "Of the supported businesses whose one-year follow-up fell due in the "
            "year and was done, the share still operating; follow-ups not yet done "
            "are left out."
        ),
        _l("start-up support decisions and follow-ups"),
    ),
    "welfare_post_holders": (
        _l(
            "Persons with disabilities holding a government-funded public-welfare "
            "post at any time in the year (each person once)."
        ),
        _l("Employment Promotion Law art. 52; public-welfare post allocations"),
    ),
    "household_income": (
        _l("The figure an administrator entered with its source; none is estimated."),
        _l("entered statistics"),
    ),
    "rural_employment_rate": (
        _l(
            "Of certified persons of working age whose registration is rural, the "
            "share with a job (as the overall rate counts it). A person's "
            "registration is their own record, else their household's; a person with "
            "neither is in neither part. Past years have no rural/urban snapshot and "
            "none is estimated."
        ),
        _l(
            "the province's 14th five-year plan; Regulations on the Employment of "
            "Persons with Disabilities art. 20; recorded registrations"
        ),
    ),
    "urban_employment_rate": (
        _l(
            "Of certified persons of working age whose registration is urban, the "
            "share with a job; registration as for the rural rate."
        ),
        _l("the province's 14th five-year plan; recorded registrations"),
    ),
    "zero_employment_households_rural": (
        _l(
            "Zero-employment households whose registration is rural: the household's "
            "record (with its source), else the registration its members with "
            "disabilities share; a household with neither is in neither part."
        ),
        _l(
            "the province's 14th five-year plan; Employment Promotion Law art. 56; "
            "recorded registrations"
        ),
    ),
    "zero_employment_households_urban": (
        _l(
            "Zero-employment households whose registration is urban; registration as "
            "for the rural count."
        ),
        _l(
            "the province's 14th five-year plan; Employment Promotion Law art. 56; "
            "recorded registrations"
        ),
    ),
    "competition_entrants": (
        _l(
            "Persons with disabilities entered in the skills competitions (national, "
            "provincial, city) held in the year, each person once."
        ),
        _l("the province's 14th five-year plan; competition entries"),
    ),
    "competition_winners": (
        _l(
            "Persons with disabilities awarded a first, second or third prize or an "
            "honourable mention in the competitions held in the year, each person "
            "once; a rank alone is not an award."
        ),
        _l("the province's 14th five-year plan; competition results"),
    ),
}
BASIS_NAMES = {
    "records": _l("computed from the records"),
    "snapshot": _l("from the stored snapshot"),
    "plan": _l("a plan-stated figure"),
    "entered": _l("an entered statistic"),
    "none": _l("no data available"),
}
assert tuple(INDICATOR_LABELS) == indicators.CODES == tuple(INDICATOR_DEFINITIONS)
assert tuple(BASIS_NAMES) == indicators.BASIS


def indicator_label(code: str, year: int) -> str:
    return str(INDICATOR_LABELS[code]) % {"year": year}


def indicator_definition(code: str) -> tuple[str, str]:
    """The indicator's definition and source."""
    meaning, source = INDICATOR_DEFINITIONS[code]
    return str(meaning), str(source)


def data_text(indicator: indicators.Indicator) -> str:
    """Where the figure comes from and of which date or data year."""
    parts = [str(BASIS_NAMES[indicator.basis])]
    if indicator.as_of is not None:
        parts.append(_("as of %(date)s", date=indicator.as_of.isoformat()))
    if indicator.data_year is not None:
        parts.append(_("data year %(year)s", year=indicator.data_year))
    return ("; " if lang() == "en" else "；").join(parts)


def takeaway(indicator: indicators.Indicator) -> str:
    """The indicator in one line: its name, figure and target (indicator.kind says which words),
    and the people left out because a fact is not known."""
    text = _takeaway(indicator)
    if indicator.unknown:
        text += _(" (unknown: %(n)s)", n=indicator.unknown)
    return text


def _takeaway(i: indicators.Indicator) -> str:
    name = indicator_label(i.code, i.year)
    if i.kind == "no_data":
        return _("%(label)s: no data recorded for that year", label=name)
    if i.kind == "not_entered":
        return _("%(label)s: no figure entered", label=name)
    if i.kind == "rate_empty":
        return _("%(label)s: no data yet", label=name)
    if i.kind == "baseline":
        return _(
            "%(label)s %(value)s (the plan's stated 2020 baseline, not computed here)",
            label=name,
            value=f"{i.value:.0%}",
        )
    if i.kind == "income":
        return _(
            "%(label)s CNY %(amount)s (source: %(source)s)",
            label=name,
            amount=f"{i.value:,.2f}",
            source=i.source,
        )
    if i.kind == "money":
        return _(
            "%(label)s CNY %(amount)s (%(n)s employers)",
            label=name,
            amount=f"{i.value:,.2f}",
            n=i.denominator,
        )
    if i.kind == "count":
        text = f"{name} {i.value:,}"
        if i.target is not None:
            target = f"{i.target:,}"
            if i.at_most:
                text += (
                    _(", target at most %(target)s, met", target=target)
                    if i.met
                    else _(", target at most %(target)s, not met", target=target)
                )
            else:
                text += (
                    _(", target %(target)s, met", target=target)
                    if i.met
                    else _(", target %(target)s, not met", target=target)
                )
        return text
    text = _(
        "%(label)s %(value)s (%(num)s of %(den)s)",
        label=name,
        value=f"{i.value:.1%}",
        num=i.numerator,
        den=i.denominator,
    )
    if i.target is not None:
        target = f"{i.target:.0%}"
        text += (
            _(", meets the %(target)s target", target=target)
            if i.met
            else _(", below the %(target)s target, %(short)s short", target=target, short=i.short)
        )
    return text


# --- the income disregard's reminders (employment/rules.py) ---------------------------------------


def reminder_text(change_on, new_share) -> str:
    """What the counselor is reminded of: the date the disregard changes and its new share."""
    return _(
        "From %(date)s the earnings disregard becomes %(percent)s; tell the family and review the "
        "benefit",
        date=change_on.isoformat(),
        percent=f"{new_share * 100:.0f}%",
    )


def reminder_subject(name: str) -> str:
    return _("Income disregard change reminder: %(name)s", name=name)
