"""The plan's indicators as pure rules: each one states its definition, its source and its data year.

Source of the targets and definitions: the province's 14th five-year plan for persons with
disabilities (浙江省“十四五”残疾人事业发展规划), main indicators:
- employment rate of certified persons with disabilities of working age: 60% by 2025; the plan states
  the 2020 baseline as 57% (a plan-stated figure, shown as such, never recomputed);
- vocational training: 20,000 person-times (人次) a year;
- employment of college graduates with disabilities who wish to work (有就业意愿的应届高校毕业生): 100%;
A person whose employment status (or, for the graduates' rate, wish to work) is not known (不详/未核实,
None) is left out of both the numerator and the denominator of a rate and shown beside the figure as
"未知 N 人", and a household with such a member is not counted as a zero-employment household: the
system does not guess a fact the registry does not hold.
- zero-employment households (零就业家庭) of persons with disabilities: cleared as they appear (0);
- blind-massage institutions (盲人按摩机构): 1,000;
- public bodies lead: every provincial party or government body and every member unit of a city's
  disability working committee employs at least one person with disabilities (DESIGN 3.2 item 10).
A 零就业家庭 is a household none of whose members of working age who are able and wish to work has a
job (《就业促进法》 art. 56: a household whose members of legal working age are all unemployed; the
law speaks of urban households, the plan of households of persons with disabilities).
DESIGN.md carries no text of the plan's employment section 二(三) (only 3.2 item 10, the lead public
bodies): the other targets above are the plan's as issue #18 states them.
Flexible and home-based work count as employment only once recognised by the county (认定).
Rural and urban (农村, 城镇): the plan names rural persons with disabilities among those to help first;
《残疾人就业条例》 art. 20 and 《残疾人保障法》 art. 36 ask for the organisation and support of rural persons
with disabilities in farming, breeding, handicrafts and other production. A person's registration is
their own record, else their household's (户籍, with its source); one without either is in neither part.
Skills competitions: see competition_rules.py (entrants and winners of the year, each person once).
Quota figures of year Y are those of the annual review held in Y: employment data year Y-1, filed and
levied in Y (DESIGN 3.2). No regulation gives the disposable income of households with persons with
disabilities: it is shown only where an administrator entered it with its source.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from employment.competition_rules import EntryRecord, year_figures
from employment.rules import HouseholdMember, city_of, is_employed, zero_employment_households

PROVINCE = "330000"
HIGHER_EDUCATION = frozenset({"associate", "bachelor", "master", "doctor"})  # 大专及以上
# The plan's own 2020 figure of the employment rate (plan-stated, province only).
PLAN_BASELINE = {"employment_rate": (2020, Decimal("0.57"))}
# Where a figure comes from.
BASIS = ("records", "snapshot", "plan", "entered", "none")


def is_new_graduate(graduation_year: int | None, education: str | None, year: int) -> bool:
    """A graduate of `year` (应届) from college (大专) or above."""
    return graduation_year == year and education in HIGHER_EDUCATION


def quota_data_year(year: int) -> int:
    """The employment data year of the quota review held (and levy collected) in `year`."""
    return year - 1


@dataclass(frozen=True)
class PersonRecord:
    """A registered person with disabilities, as the indicators count them."""

    person_id: str
    county_code: str
    certified: bool
    working_age: bool
    employment_type: str | None  # None: not known (不详/未核实)
    recognised: bool
    able_to_work: bool
    wishes_to_work: bool | None  # None: not known
    new_graduate: bool = False
    household_id: str | None = None
    rural: bool | None = None  # the person's own registration (户籍); None: not recorded

    @property
    def employed(self) -> bool:
        """Known to be employed (an unknown status is never counted as employment)."""
        return self.employment_type is not None and is_employed(
            self.employment_type, self.recognised
        )


@dataclass(frozen=True)
class PersonCounts:
    """The person-based figures of one area on one day (from the records or a stored snapshot)."""

    adults: int | None
    employed_adults: int | None
    graduates: int | None
    employed_graduates: int | None
    zero_households: int | None
    as_of: date
    basis: str = "records"
    unknown_adults: int = 0  # left out of the employment rate: status not known
    unknown_graduates: int = 0  # left out of the graduates' rate: status or wish not known


def person_counts(
    persons: Iterable[PersonRecord], relatives: Iterable[HouseholdMember], as_of: date
) -> PersonCounts:
    """Count the employment rate, the new graduates' rate and the zero-employment households."""
    persons = list(persons)
    all_adults = [p for p in persons if p.certified and p.working_age]
    adults = [p for p in all_adults if p.employment_type is not None]
    new = [p for p in persons if p.new_graduate and p.wishes_to_work is not False]
    graduates = [p for p in new if p.wishes_to_work and p.employment_type is not None]
    members = [
        HouseholdMember(
            p.household_id, p.working_age, p.able_to_work, bool(p.wishes_to_work), p.employed
        )
        for p in persons
        if p.household_id
    ]
    unsure = {p.household_id for p in persons if p.household_id and p.employment_type is None}
    zero = [h for h in zero_employment_households([*members, *relatives]) if h not in unsure]
    return PersonCounts(
        adults=len(adults),
        employed_adults=sum(p.employed for p in adults),
        graduates=len(graduates),
        employed_graduates=sum(p.employed for p in graduates),
        zero_households=len(zero),
        as_of=as_of,
        unknown_adults=len(all_adults) - len(adults),
        unknown_graduates=len(new) - len(graduates),
    )


@dataclass(frozen=True)
class TrainingRecord:
    """One completion of a training course (one 人次)."""

    person_id: str
    county_code: str
    completed_on: date


@dataclass(frozen=True)
class FilingRecord:
    """An employer's current quota assessment of the data year, with what it paid."""

    employer_id: str
    county_code: str
    non_filer: bool
    meets_quota: bool
    levy_assessed: Decimal = Decimal(0)
    levy_paid: Decimal = Decimal(0)
    reward_eligible: bool = False
    reward_computed: Decimal = Decimal(0)


@dataclass(frozen=True)
class LeadUnitRecord:
    """A lead public body and the persons with disabilities it employed (None: no assessment)."""

    employer_id: str
    name: str
    county_code: str
    arranged: Decimal | None


@dataclass(frozen=True)
class InstitutionRecord:
    """A registered blind-massage institution in operation during the year."""

    institution_id: str
    county_code: str


@dataclass(frozen=True)
class WelfareRecord:
    """A person holding a public-welfare post at some time during the year."""

    person_id: str
    county_code: str


@dataclass(frozen=True)
class AuxiliaryRecord:
    """A person who worked in auxiliary employment in some month of the year."""

    person_id: str
    county_code: str


@dataclass(frozen=True)
class StartupCheck:
    """A supported business's one-year follow-up, due in the year (operating None: not checked)."""

    county_code: str
    operating: bool | None


@dataclass(frozen=True)
class IncomeFigure:
    """An entered per-capita disposable income of households with persons with disabilities."""

    area_code: str
    amount: Decimal
    source: str


@dataclass(frozen=True)
class PlanFacts:
    """The records behind the indicators of one year. `counts` replaces the person records of a
    past year by the stored snapshots (area code -> counts); None means: compute from `persons`."""

    year: int
    as_of: date
    persons: tuple[PersonRecord, ...] = ()
    relatives: tuple[tuple[str, HouseholdMember], ...] = ()  # (county, member without disability)
    counts: dict[str, PersonCounts] | None = None
    trainings: tuple[TrainingRecord, ...] = ()
    filings: tuple[FilingRecord, ...] = ()
    lead_units: tuple[LeadUnitRecord, ...] = ()
    institutions: tuple[InstitutionRecord, ...] = ()
    incomes: dict[str, IncomeFigure] = field(default_factory=dict)
    welfare: tuple[WelfareRecord, ...] = ()
    auxiliary: tuple[AuxiliaryRecord, ...] = ()
    startups: tuple[StartupCheck, ...] = ()
    # Whether the year's quota review has any assessment anywhere (None: judge from `filings`).
    quota_reviewed: bool | None = None
    rural_households: dict[str, bool] = field(default_factory=dict)  # household id -> rural
    competitions: tuple[EntryRecord, ...] = ()


@dataclass(frozen=True)
class Targets:
    """The plan's targets; count targets apply to the province only."""

    employment_rate: Decimal | None = Decimal("0.60")
    graduate_employment_rate: Decimal | None = Decimal("1")
    zero_employment_households: int | None = 0
    training_person_times: int | None = 20_000
    quota_compliance: Decimal | None = None
    lead_bodies_employing: Decimal | None = Decimal("1")
    blind_massage_institutions: int | None = 1_000


@dataclass(frozen=True)
class Indicator:
    """One indicator of one area: figures, target, whether met, basis and dates, one-line takeaway."""

    code: str
    value: Decimal | int | None
    numerator: Decimal | int | None
    denominator: int | None
    target: Decimal | int | None
    met: bool | None
    kind: str  # what the one-line takeaway says: one of TAKEAWAYS (words in employment/labels.py)
    year: int
    basis: str = "records"
    as_of: date | None = None
    data_year: int | None = None
    unknown: int = 0  # people left out of a rate because a fact is not known (未知 N 人)
    short: int | None = None  # a rate below its target: how many more it needs
    at_most: bool = False  # the target is a ceiling (zero-employment households)
    source: str = ""  # an entered figure's source, as entered


@dataclass(frozen=True)
class IndicatorReport:
    """The indicators for the province, each city and each county."""

    province: tuple[Indicator, ...]
    cities: dict[str, tuple[Indicator, ...]] = field(default_factory=dict)
    counties: dict[str, tuple[Indicator, ...]] = field(default_factory=dict)


# The indicators' codes, in the report's order; their names, definitions and sources are in
# employment/labels.py (through gettext).
CODES = (
    "employment_rate",
    "graduate_employment_rate",
    "zero_employment_households",
    "training_person_times",
    "people_trained",
    "quota_compliance",
    "levy_collected",
    "rewards_computed",
    "lead_bodies_employing",
    "blind_massage_institutions",
    "auxiliary_participants",
    "startup_survival",
    "welfare_post_holders",
    "household_income",
    "rural_employment_rate",
    "urban_employment_rate",
    "zero_employment_households_rural",
    "zero_employment_households_urban",
    "competition_entrants",
    "competition_winners",
)
# What an indicator's one-line takeaway says (employment/labels.py words it): no data recorded, no
# figure entered, a rate over nobody, a rate, a count, a sum of money, the plan's stated baseline, an
# entered figure.
TAKEAWAYS = ("no_data", "not_entered", "rate_empty", "rate", "count", "money", "baseline", "income")

RATES = frozenset(
    {
        "employment_rate",
        "graduate_employment_rate",
        "quota_compliance",
        "lead_bodies_employing",
        "startup_survival",
        "rural_employment_rate",
        "urban_employment_rate",
    }
)
MONEY = frozenset({"levy_collected", "rewards_computed", "household_income"})


def _no_data(code: str, year: int, basis: str, kind="no_data", **dates) -> Indicator:
    return Indicator(code, None, None, None, None, None, kind, year, basis, **dates)


def rate_indicator(
    code: str, num: int, den: int, target: Decimal | None, year: int, unknown: int = 0, **dates
) -> Indicator:
    """A share with its target; met is decided on exact counts, never on a rounded rate. People
    whose status is not known are outside `num` and `den` and shown beside the figure."""
    indicator = _rate(code, num, den, target, year, **dates)
    if not unknown:
        return indicator
    return replace(indicator, unknown=unknown)


def _rate(code: str, num: int, den: int, target: Decimal | None, year: int, **dates) -> Indicator:
    if den == 0:
        return Indicator(code, None, num, den, target, None, "rate_empty", year, **dates)
    value = (Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    met = None if target is None else num >= target * den
    short = None if target is None else max(0, math.ceil(target * den - num))
    return Indicator(code, value, num, den, target, met, "rate", year, short=short, **dates)


def count_indicator(
    code: str, count: int, target: int | None, year: int, at_most: bool = False, **dates
) -> Indicator:
    """A count against a floor (person-times, institutions) or a ceiling (zero households)."""
    met = None if target is None else (count <= target if at_most else count >= target)
    return Indicator(code, count, count, None, target, met, "count", year, at_most=at_most, **dates)


def money_indicator(code: str, amounts: list[Decimal], year: int, **dates) -> Indicator:
    """A sum of money over the employers it came from; no target."""
    total = sum(amounts, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Indicator(code, total, total, len(amounts), None, None, "money", year, **dates)


def _person_indicators(
    counts: PersonCounts | None, year: int, targets: Targets, baseline: bool
) -> list[Indicator]:
    codes = ("employment_rate", "graduate_employment_rate", "zero_employment_households")
    if counts is None or counts.adults is None:
        first = _plan_baseline(year) if baseline else None
        return [first or _no_data(codes[0], year, "none")] + [
            _no_data(c, year, "none") for c in codes[1:]
        ]
    dates = {"basis": counts.basis, "as_of": counts.as_of}
    items = [
        rate_indicator(
            codes[0],
            counts.employed_adults,
            counts.adults,
            targets.employment_rate,
            year,
            counts.unknown_adults,
            **dates,
        )
    ]
    if counts.graduates is None:
        items.append(_no_data(codes[1], year, counts.basis, as_of=counts.as_of))
    else:
        items.append(
            rate_indicator(
                codes[1],
                counts.employed_graduates,
                counts.graduates,
                targets.graduate_employment_rate,
                year,
                counts.unknown_graduates,
                **dates,
            )
        )
    items.append(
        count_indicator(
            codes[2],
            counts.zero_households,
            targets.zero_employment_households,
            year,
            at_most=True,
            **dates,
        )
    )
    return items


def _plan_baseline(year: int) -> Indicator | None:
    """The plan's own figure for a year it states (the 2020 employment rate), labelled as such."""
    stated_year, value = PLAN_BASELINE["employment_rate"]
    if year != stated_year:
        return None
    code = "employment_rate"
    return Indicator(code, value, None, None, None, None, "baseline", year, "plan")


def _training(trainings, year: int, targets: Targets, province: bool) -> list[Indicator]:
    done = [t for t in trainings if t.completed_on.year == year]
    target = targets.training_person_times if province else None
    return [
        count_indicator("training_person_times", len(done), target, year),
        count_indicator("people_trained", len({t.person_id for t in done}), None, year),
    ]


def _quota(filings, lead_units, year: int, targets: Targets, reviewed: bool) -> list[Indicator]:
    data_year = quota_data_year(year)
    dates = {"data_year": data_year}
    filers = [f for f in filings if not f.non_filer]
    paying = [f.levy_paid for f in filings if f.levy_paid > 0]
    rewards = [f.reward_computed for f in filings if f.reward_eligible]
    employing = sum(1 for u in lead_units if u.arranged is not None and u.arranged > 0)
    if not reviewed:  # no review recorded for that data year: say so, even for the lead bodies
        return [
            _no_data(c, year, "none", data_year=data_year)
            for c in (
                "quota_compliance",
                "levy_collected",
                "rewards_computed",
                "lead_bodies_employing",
            )
        ]
    items = [
        rate_indicator(
            "quota_compliance",
            sum(f.meets_quota for f in filers),
            len(filers),
            targets.quota_compliance,
            year,
            **dates,
        ),
        money_indicator("levy_collected", paying, year, **dates),
        money_indicator("rewards_computed", rewards, year, **dates),
    ]
    items.append(
        rate_indicator(
            "lead_bodies_employing",
            employing,
            len(lead_units),
            targets.lead_bodies_employing,
            year,
            **dates,
        )
    )
    return items


def _reviewed(facts: PlanFacts) -> bool:
    return bool(facts.filings) if facts.quota_reviewed is None else facts.quota_reviewed


def _income(figure: IncomeFigure | None, year: int) -> Indicator:
    code = "household_income"
    if figure is None:
        return _no_data(code, year, "entered", "not_entered")
    amount = figure.amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Indicator(
        code, amount, amount, None, None, None, "income", year, "entered", source=figure.source
    )


def area_indicators(
    facts: PlanFacts, area: str, targets: Targets, counts: PersonCounts | None
) -> tuple[Indicator, ...]:
    """The plan's indicators over records already narrowed to one area."""
    province = area == PROVINCE
    blind = targets.blind_massage_institutions if province else None
    return (
        *_person_indicators(counts, facts.year, targets, baseline=province),
        *_training(facts.trainings, facts.year, targets, province),
        *_quota(facts.filings, facts.lead_units, facts.year, targets, _reviewed(facts)),
        count_indicator("blind_massage_institutions", len(facts.institutions), blind, facts.year),
        count_indicator(
            "welfare_post_holders", len({w.person_id for w in facts.welfare}), None, facts.year
        ),
        rate_indicator(
            "startup_survival",
            sum(1 for c in facts.startups if c.operating),
            sum(1 for c in facts.startups if c.operating is not None),
            None,
            facts.year,
        ),
        count_indicator(
            "auxiliary_participants", len({a.person_id for a in facts.auxiliary}), None, facts.year
        ),
        _income(facts.incomes.get(area), facts.year),
        *rural_indicators(facts),
        *competition_indicators(facts),
    )


def person_rural(person: PersonRecord, households: dict[str, bool]) -> bool | None:
    """A person's registration: their own record, else their household's (None: neither)."""
    if person.rural is not None:
        return person.rural
    return households.get(person.household_id) if person.household_id else None


def household_rural(
    household_id: str, persons: Iterable[PersonRecord], households: dict[str, bool]
) -> bool | None:
    """A household's registration: its record, else the one its members with disabilities share."""
    if household_id in households:
        return households[household_id]
    own = {p.rural for p in persons if p.household_id == household_id and p.rural is not None}
    return own.pop() if len(own) == 1 else None


def rural_counts(facts: PlanFacts) -> dict[bool, tuple[int, int, int]]:
    """rural/urban -> (certified working-age persons, those employed, zero-employment households)."""
    adults = [p for p in facts.persons if p.certified and p.working_age]
    members = [
        HouseholdMember(p.household_id, p.working_age, p.able_to_work, p.wishes_to_work, p.employed)
        for p in facts.persons
        if p.household_id
    ]
    zero = zero_employment_households([*members, *(m for _, m in facts.relatives)])
    zero_rural = [household_rural(h, facts.persons, facts.rural_households) for h in zero]
    out = {}
    for rural in (True, False):
        group = [p for p in adults if person_rural(p, facts.rural_households) is rural]
        out[rural] = (len(group), sum(p.employed for p in group), zero_rural.count(rural))
    return out


def rural_indicators(facts: PlanFacts) -> list[Indicator]:
    """The employment rate and the zero-employment households, rural and urban (records only)."""
    codes = (
        "rural_employment_rate",
        "urban_employment_rate",
        "zero_employment_households_rural",
        "zero_employment_households_urban",
    )
    if facts.counts is not None:  # a past year: its snapshots hold no rural/urban split
        return [_no_data(code, facts.year, "none") for code in codes]
    counts, dates = rural_counts(facts), {"as_of": facts.as_of}
    return [
        rate_indicator(codes[0], counts[True][1], counts[True][0], None, facts.year, **dates),
        rate_indicator(codes[1], counts[False][1], counts[False][0], None, facts.year, **dates),
        count_indicator(codes[2], counts[True][2], None, facts.year, **dates),
        count_indicator(codes[3], counts[False][2], None, facts.year, **dates),
    ]


def competition_indicators(facts: PlanFacts) -> list[Indicator]:
    """Entrants and winners of the year's skills competitions (persons, each once)."""
    entrants, winners = year_figures(facts.competitions, facts.year)
    return [
        count_indicator("competition_entrants", entrants, None, facts.year),
        count_indicator("competition_winners", winners, None, facts.year),
    ]


def _narrow(facts: PlanFacts, area_of: Callable[[str], str], area: str) -> PlanFacts:
    def keep(rows):
        return tuple(r for r in rows if area_of(r.county_code) == area)

    return PlanFacts(
        year=facts.year,
        as_of=facts.as_of,
        persons=keep(facts.persons),
        relatives=tuple(r for r in facts.relatives if area_of(r[0]) == area),
        counts=facts.counts,
        trainings=keep(facts.trainings),
        filings=keep(facts.filings),
        lead_units=keep(facts.lead_units),
        institutions=keep(facts.institutions),
        incomes=facts.incomes,
        welfare=keep(facts.welfare),
        auxiliary=keep(facts.auxiliary),
        startups=keep(facts.startups),
        quota_reviewed=_reviewed(facts),
        rural_households=facts.rural_households,
        competitions=keep(facts.competitions),
    )


def _counts_of(facts: PlanFacts, area: str) -> PersonCounts | None:
    if facts.counts is not None:
        return facts.counts.get(area)
    return person_counts(facts.persons, (m for _, m in facts.relatives), facts.as_of)


def _codes(facts: PlanFacts) -> set[str]:
    rows = (
        *facts.persons,
        *facts.trainings,
        *facts.filings,
        *facts.lead_units,
        *facts.institutions,
        *facts.welfare,
        *facts.auxiliary,
        *facts.startups,
        *facts.competitions,
    )
    codes = {r.county_code for r in rows} | {county for county, _ in facts.relatives}
    if facts.counts is not None:
        codes |= {code for code in facts.counts if code != PROVINCE and not code.endswith("00")}
    return codes


def indicators(facts: PlanFacts, targets: Targets | None = None) -> IndicatorReport:
    """The plan's indicators for the province, grouped by city and by county."""
    targets = targets or Targets()
    codes = _codes(facts)
    by_level: dict[str, dict[str, tuple[Indicator, ...]]] = {"cities": {}, "counties": {}}
    for level, area_of in (("cities", city_of), ("counties", lambda code: code)):
        for area in sorted({area_of(code) for code in codes}):
            narrowed = _narrow(facts, area_of, area)
            by_level[level][area] = area_indicators(
                narrowed, area, targets, _counts_of(narrowed, area)
            )
    return IndicatorReport(
        province=area_indicators(facts, PROVINCE, targets, _counts_of(facts, PROVINCE)),
        cities=by_level["cities"],
        counties=by_level["counties"],
    )


def empty(year: int, area: str, as_of: date, targets: Targets | None = None):
    """The indicators of an area without any record."""
    facts = PlanFacts(year=year, as_of=as_of)
    return area_indicators(facts, area, targets or Targets(), _counts_of(facts, area))
