"""The explanation of an assessment, rendered from its published figures and its stored basis."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from hypothesis import given, settings

from quota.rules.assessment import assess
from quota.rules.explanation import ExplanationBasis, explain, show, show_money
from quota.rules.filing import DisabledEmployee, Filing
from quota.rules.rule_sets import rule_set_for
from tests.unit.test_quota_rules import filings_st, independent_levy, years_st


def stored(assessment):
    """The assessment as a database row gives it back: figures only, the basis through JSON."""
    figures = SimpleNamespace(**{k: v for k, v in vars(assessment).items() if k != "explanation"})
    basis = ExplanationBasis.from_json(json.loads(json.dumps(assessment.basis.as_json())))
    return figures, basis


@settings(max_examples=300, deadline=None)
@given(f=filings_st, year=years_st)
def test_stored_basis_renders_the_same_explanation(f, year):
    assessment = assess(f, rule_set_for(year))
    figures, basis = stored(assessment)
    assert basis == assessment.basis
    assert explain(figures, basis) == assessment.explanation


@settings(max_examples=300, deadline=None)
@given(f=filings_st, year=years_st)
def test_levy_line_shows_the_levy_of_the_formula_written_out(f, year):
    levy_line = assess(f, rule_set_for(year)).explanation[5]
    expected = f"{independent_levy(f, year):,.2f}"
    assert levy_line.en.endswith(f"= {expected} yuan")
    assert levy_line.zh.endswith(f"= {expected} 元")


def test_lines_name_the_filed_totals_and_each_weight():
    filing = Filing(
        unit_type="enterprise",
        monthly_headcounts=[100] * 6 + [101] * 6,
        wage_total=Decimal("9000000.555"),
        social_average_wage=Decimal("100000"),
        disabled_employees=(
            DisabledEmployee(level=1, months=6),
            DisabledEmployee(level=4, months=12),
            DisabledEmployee(level=3, months=12, counts=False),
        ),
    )
    lines = assess(filing, rule_set_for(2022)).explanation
    assert lines[0].en == "Headcount N = 1206 / 12 = 100.5"
    assert lines[1].en == (
        "Arranged D = 1 + 1 + 0 = 2 (levels 1, 2 count 2; part-year in twelfths; "
        "1 not meeting the counting conditions)"
    )
    assert lines[3].en == (
        "Average wage W = 9,000,000.56 / 100.5 = 89,552.24; cap = 2 × 100,000.00 = 200,000.00; "
        "wage base = 89,552.24"
    )
    assert lines[1].zh == (
        "安排残疾人数 D = 1 + 1 + 0 = 2（1、2级按2人计，不足12个月按月折算，1人不符合计入条件）"
    )
    assert lines[3].zh == (
        "年平均工资 W = 9,000,000.56 / 100.5 = 89,552.24；上限 = 2 × 100,000.00 = 200,000.00；"
        "计征工资 = 89,552.24"
    )


# Half-width punctuation in a Chinese line: brackets, colons and semicolons anywhere, a comma
# unless it groups the thousands of a number (80,000.00).
HALF_WIDTH_IN_ZH = re.compile(r"[():;]|,(?!\d{3})")
FULL_WIDTH = re.compile(r"[（）：；，、]")


@settings(max_examples=300, deadline=None)
@given(f=filings_st, year=years_st)
def test_chinese_lines_use_full_width_punctuation_and_english_lines_half_width(f, year):
    for line in assess(f, rule_set_for(year)).explanation:
        assert not HALF_WIDTH_IN_ZH.search(line.zh), line.zh
        assert not FULL_WIDTH.search(line.en), line.en


def test_the_data_lines_use_full_width_punctuation_in_chinese():
    for sources in (
        {
            "headcount": "official",
            "declared_headcount": "100",
            "official_headcount": "120",
            "wage_total": "declared",
            "declared_wage_total": "1",
            "official_wage_total": "2",
            "official_source": "tax",
            "non_filer": False,
            "claims_counted": 2,
            "confirmed": 1,
            "unverified": 1,
        },
        {
            "headcount": "official",
            "official_headcount": "120",
            "wage_total": "official",
            "official_wage_total": "9",
            "non_filer": True,
        },
    ):
        line = _with_sources(sources)["data"]
        assert not HALF_WIDTH_IN_ZH.search(line.zh), line.zh
        assert not FULL_WIDTH.search(line.en), line.en


def test_reward_line_keeps_the_amount_set_when_assessed():
    rules = replace(rule_set_for(2022), reward_per_excess_person=Decimal("5000"))
    filing = Filing(
        unit_type="enterprise",
        headcount=Decimal("100"),
        average_wage=Decimal("80000"),
        social_average_wage=Decimal("100000"),
        disabled_employees=(DisabledEmployee(level=1, months=12),),
    )
    figures, basis = stored(assess(filing, rules))
    assert explain(figures, basis)[6].en == "Over-quota reward = 0.5 × 5,000.00 = 2,500.00 yuan"


def test_show_rounds_half_up_and_drops_trailing_zeros():
    assert show(Decimal("100.0000")) == "100"
    assert show(Decimal("0.00005")) == "0.0001"
    assert show(Decimal("2.50")) == "2.5"
    assert show_money(Decimal("1234.005")) == "1,234.01"


@settings(max_examples=300, deadline=None)
@given(f=filings_st, year=years_st)
def test_levy_line_multiplies_out(f, year):
    from decimal import ROUND_HALF_UP

    assessment = assess(f, rule_set_for(year))
    line = next(x for x in assessment.explanation if x.step == "levy").en
    left, right = line.removeprefix("Levy = ").removesuffix(" yuan").split(" = ")
    # each figure as shown: a decimal, or the exact fraction where no decimal multiplies out
    shortfall, base, factor = (Fraction(t.replace(",", "")) for t in left.split(" × "))
    exact = shortfall * base * factor
    product = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert product == assessment.levy == Decimal(right.replace(",", ""))


def _with_sources(sources):
    filing = Filing(
        unit_type="enterprise",
        headcount=Decimal("120"),
        wage_total=Decimal("9000000"),
        social_average_wage=Decimal("100000"),
    )
    assessment = assess(filing, rule_set_for(2022))
    basis = replace(assessment.basis, sources=sources)
    figures = SimpleNamespace(**{k: v for k, v in vars(assessment).items() if k != "explanation"})
    stored_basis = ExplanationBasis.from_json(json.loads(json.dumps(basis.as_json())))
    return {line.step: line for line in explain(figures, stored_basis)}


def test_the_data_line_states_each_figure_and_its_source():
    lines = _with_sources(
        {
            "headcount": "official",
            "declared_headcount": "100",
            "official_headcount": "120",
            "wage_total": "declared",
            "declared_wage_total": "9000000.00",
            "official_wage_total": None,
            "official_source": "social_insurance",
            "non_filer": False,
            "claims_counted": 2,
            "confirmed": 1,
            "unverified": 0,
        }
    )
    data = lines["data"]
    assert data.en == (
        "Data used: Headcount from social insurance records: 120, larger than the 100 declared "
        "(the larger figure is used); Wage total as declared (no official figure on file); "
        "disabled employees: 2 claim(s) verified and counted (1 certificate(s) confirmed by a "
        "counselor)"
    )
    assert data.zh == (
        "数据来源：在职职工人数取社保数据 120（高于申报数 100，按较大者计）；工资总额取申报数；"
        "残疾职工按核定的申报计入 2 人（其中 1 人证件经就业服务员人工核实）"
    )


def test_the_data_line_of_a_non_filer():
    lines = _with_sources(
        {
            "headcount": "official",
            "declared_headcount": None,
            "official_headcount": "120",
            "wage_total": "official",
            "declared_wage_total": None,
            "official_wage_total": "9000000.00",
            "official_source": "tax",
            "non_filer": True,
        }
    )
    assert lines["data"].en == (
        "Data used: Headcount from tax records (120); Wage total from tax records (9000000.00); "
        "not filed: no disabled employee is recognised"
    )
    assert lines["data"].zh == (
        "数据来源：在职职工人数取税务数据（120）；工资总额取税务数据（9000000.00）；"
        "未申报，残疾职工不予认定"
    )


def test_rows_stored_before_the_sources_have_no_data_line():
    assert "data" not in _with_sources(None)


def test_a_levy_on_a_half_fen_shows_the_exact_shortfall():
    """457/120 x 2 x 0.9 = 6.855 exactly, rounded half-up to 6.86; any rounded decimal of 457/120
    (3.808333...) gives 6.85, so the line shows the fraction and still multiplies out."""
    from quota.rules.explanation import _multiplying_out

    shortfall, base = _multiplying_out(
        Fraction(457, 120), Fraction(2), Decimal("0.9"), Decimal("6.86")
    )
    assert (shortfall, base) == ("457/120", "2.00")
    assert _multiplying_out(Fraction(7, 2), Fraction(100), Decimal("0.9"), Decimal("315.00")) == (
        "3.5",
        "100.00",
    )
