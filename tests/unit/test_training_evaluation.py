"""Training evaluation: Wilson intervals and the three rates, against hand-computed cases."""

from datetime import date

import pytest

from training.evaluation import (
    EnrolmentRecord,
    add_months,
    compare_to_average,
    evaluate,
    proportion,
    province_average,
    wilson_interval,
)

AS_OF = date(2025, 6, 30)


def _rec(course, provider, status, completed_on=None, **kw):
    return EnrolmentRecord(course, provider, status, completed_on, **kw)


# Course C1 (provider P1): 5 concluded of which 4 completed; 3 of 4 certified; 1 of 3 due employed.
# Course C2 (provider P1): 1 of 2 completed, 0 certified, 1 of 1 employed (started on the check day).
# Course C3 (provider P2): one person still attending, so nothing to measure yet.
RECORDS = [
    _rec(
        "C1",
        "P1",
        "completed",
        date(2024, 10, 15),
        certificate=True,
        employed_since=date(2024, 11, 1),
    ),
    _rec("C1", "P1", "certified", date(2024, 10, 15), employed_since=date(2025, 5, 1)),
    _rec(
        "C1",
        "P1",
        "completed",
        date(2024, 12, 31),
        employed_since=date(2025, 1, 10),
        employment_ended=date(2025, 3, 1),
    ),
    _rec("C1", "P1", "completed", date(2025, 1, 31), certificate=True),  # six months not yet passed
    _rec("C1", "P1", "dropped"),
    _rec("C1", "P1", "attending"),
    _rec("C1", "P1", "applied"),
    _rec("C2", "P1", "dropped"),
    _rec("C2", "P1", "completed", date(2024, 8, 31), employed_since=date(2025, 2, 28)),
    _rec("C3", "P2", "attending"),
]


def _counts(rate):
    return rate.numerator, rate.count


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [
        (8, 10, (0.4902, 0.9433)),
        (1, 2, (0.0945, 0.9055)),
        (0, 10, (0.0, 0.2775)),
        (10, 10, (0.7225, 1.0)),
    ],
)
def test_wilson_interval_matches_hand_computation(successes, n, expected):
    low, high = wilson_interval(successes, n)
    assert (round(low, 4), round(high, 4)) == expected


def test_wilson_interval_is_none_without_observations():
    assert wilson_interval(0, 0) is None


def test_wilson_interval_narrows_with_more_data_and_honours_z():
    small, large = wilson_interval(8, 10), wilson_interval(80, 100)
    assert large[1] - large[0] < small[1] - small[0]
    wide = wilson_interval(8, 10, z=2.576)
    assert wide[0] < small[0] and wide[1] > small[1]


@pytest.mark.parametrize(("successes", "n"), [(11, 10), (-1, 10), (1, -1)])
def test_wilson_interval_rejects_impossible_counts(successes, n):
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


def test_proportion_carries_counts_rate_and_interval():
    rate = proportion(8, 10)
    assert (rate.numerator, rate.count, rate.rate) == (8, 10, 0.8)
    assert rate.interval == wilson_interval(8, 10)
    assert proportion(0, 0).rate is None and proportion(0, 0).interval is None


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 31), 6) == date(2025, 6, 30)


def test_per_course_rates():
    result = evaluate(RECORDS, AS_OF)
    c1, c2, c3 = (result.by_course[k] for k in ("C1", "C2", "C3"))
    assert c1.enrolled == 7
    assert _counts(c1.completion) == (4, 5)
    assert c1.completion.rate == pytest.approx(0.8)
    assert _counts(c1.certificate) == (3, 4)  # status 'certified' counts without the flag
    assert _counts(c1.employment_6m) == (
        1,
        3,
    )  # one job not started yet, one ended before the check
    assert _counts(c2.completion) == (1, 2)
    assert _counts(c2.certificate) == (0, 1)
    assert _counts(c2.employment_6m) == (1, 1)  # employed from the (clamped) check day itself
    assert _counts(c3.completion) == (0, 0)
    assert c3.completion.rate is None and c3.completion.interval is None


def test_per_provider_and_province_pool_the_records():
    result = evaluate(RECORDS, AS_OF)
    p1 = result.by_provider["P1"]
    assert (_counts(p1.completion), _counts(p1.certificate), _counts(p1.employment_6m)) == (
        (5, 7),
        (3, 5),
        (2, 4),
    )
    assert list(result.by_provider) == ["P1", "P2"]
    assert result.province == province_average(RECORDS, AS_OF)
    assert _counts(result.province.employment_6m) == (2, 4)
    assert result.province.key == "province" and result.as_of == AS_OF


def test_the_six_month_window_depends_on_the_evaluation_date():
    early = evaluate(RECORDS, date(2025, 4, 14)).by_course["C1"]
    assert _counts(early.employment_6m) == (0, 0)
    later = evaluate(RECORDS, date(2025, 7, 31)).by_course["C1"]
    assert _counts(later.employment_6m) == (1, 4)


def test_job_ending_on_the_check_day_does_not_count():
    record = _rec(
        "C9",
        "P9",
        "completed",
        date(2025, 1, 1),
        employed_since=date(2025, 1, 5),
        employment_ended=date(2025, 7, 1),
    )
    assert _counts(evaluate([record], AS_OF.replace(month=7, day=1)).province.employment_6m) == (
        0,
        1,
    )


def test_records_validate_status_and_completion_date():
    with pytest.raises(ValueError):
        _rec("C1", "P1", "finished")
    with pytest.raises(ValueError):
        _rec("C1", "P1", "completed")


def test_compare_to_average_uses_the_interval():
    rate = proportion(8, 10)  # (0.4902, 0.9433)
    assert compare_to_average(rate, proportion(3, 10)) == "above"
    assert compare_to_average(rate, proportion(6, 10)) == "similar"
    assert compare_to_average(rate, proportion(96, 100)) == "below"
    assert compare_to_average(proportion(0, 0), proportion(6, 10)) == "unknown"
