"""The employment package's codes in words (employment/labels.py): the indicators' names,
definitions, sources and one-line takeaways in Chinese and English."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from employment import indicators, labels
from employment.indicators import IncomeFigure


def _in(app, language, func, *args):
    with app.test_request_context(), force_locale(language):
        return func(*args)


@pytest.mark.parametrize("code", indicators.CODES)
def test_every_indicator_has_a_name_a_definition_and_a_source_in_both_languages(app, code):
    for language in ("zh", "en"):
        name = _in(app, language, labels.indicator_label, code, 2031)
        meaning, source = _in(app, language, labels.indicator_definition, code)
        assert "2031" in name and meaning and source
    zh_name = _in(app, "zh", labels.indicator_label, code, 2031)
    assert zh_name != _in(app, "en", labels.indicator_label, code, 2031)


def test_sources_cite_their_articles(app):
    rural = _in(app, "zh", labels.indicator_definition, "zero_employment_households_rural")[1]
    assert "《就业促进法》第五十六条" in rural
    assert "第二十条" in _in(app, "zh", labels.indicator_definition, "rural_employment_rate")[1]


def test_a_rate_below_its_target_with_people_unknown(app):
    rate = indicators.rate_indicator("employment_rate", 4, 9, Decimal("0.6"), 2025, 3)
    assert _in(app, "zh", labels.takeaway, rate) == (
        "2025年持证就业年龄段残疾人就业率 44.4%（4/9），未达到 60% 目标，还差 2（未知 3 人）"
    )
    assert _in(app, "en", labels.takeaway, rate) == (
        "Employment rate of certified working-age persons, 2025 44.4% (4 of 9), "
        "below the 60% target, 2 short (unknown: 3)"
    )
    met = indicators.rate_indicator("quota_compliance", 2, 3, Decimal("0.6"), 2025)
    assert _in(app, "zh", labels.takeaway, met).endswith("66.7%（2/3），已达到 60% 目标")
    empty = indicators.rate_indicator("startup_survival", 0, 0, None, 2025)
    assert _in(app, "zh", labels.takeaway, empty).endswith("一年存活率：暂无数据")


def test_counts_money_income_and_no_data(app):
    zero = indicators.count_indicator("zero_employment_households", 3, 0, 2025, at_most=True)
    assert _in(app, "zh", labels.takeaway, zero) == "2025年残疾人零就业家庭 3，目标不超过 0，未达到"
    assert _in(app, "en", labels.takeaway, zero).endswith("3, target at most 0, not met")
    times = indicators.count_indicator("training_person_times", 25_000, 20_000, 2025)
    assert (
        _in(app, "zh", labels.takeaway, times) == "2025年职业培训人次 25,000，目标 20,000，已达到"
    )
    levy = indicators.money_indicator("levy_collected", [Decimal("1234.5")], 2025)
    assert _in(app, "zh", labels.takeaway, levy) == "2025年审：已缴纳残保金 1,234.50 元（1 家单位）"
    assert _in(app, "en", labels.takeaway, levy).endswith("CNY 1,234.50 (1 employers)")
    income = indicators.area_indicators(
        indicators.PlanFacts(2025, date(2025, 12, 31)), "330000", indicators.Targets(), None
    )
    by_code = {i.code: i for i in income}
    assert _in(app, "zh", labels.takeaway, by_code["household_income"]).endswith("：暂无录入数据")
    assert _in(app, "en", labels.takeaway, by_code["employment_rate"]).endswith(
        "no data recorded for that year"
    )
    entered = indicators._income(IncomeFigure("330000", Decimal("41234.5"), "省统计局"), 2025)
    assert _in(app, "zh", labels.takeaway, entered).endswith("41,234.50 元（来源：省统计局）")


def test_the_plan_baseline_and_where_a_figure_comes_from(app):
    baseline = indicators._plan_baseline(2020)
    assert _in(app, "zh", labels.takeaway, baseline).endswith(
        "57%（规划所列2020年基数，非本系统计算）"
    )
    assert _in(app, "zh", labels.data_text, baseline) == "规划所列数字"
    snap = indicators.count_indicator("people_trained", 2, None, 2024, as_of=date(2024, 12, 31))
    assert _in(app, "zh", labels.data_text, snap) == "按当前记录计算；截至 2024-12-31"
    assert _in(app, "en", labels.data_text, snap) == "computed from the records; as of 2024-12-31"


def test_the_disregard_reminder_in_both_languages(app):
    args = (date(2028, 3, 15), Decimal("0.75"))
    assert _in(app, "zh", labels.reminder_text, *args) == (
        "2028-03-15 起就业收入豁免比例调整为 75%，请提前告知家庭并核对低保待遇"
    )
    assert _in(app, "en", labels.reminder_text, date(2028, 12, 15), Decimal("0")) == (
        "From 2028-12-15 the earnings disregard becomes 0%; tell the family and review the benefit"
    )
