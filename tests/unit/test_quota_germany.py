"""Germany's compensatory levy (SGB IX sections 154-160): bands, periods, small employers, rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quota.rules.germany import RATE_PERIODS, assess_de, rate_period_for


def per_month(value, months=12):
    return [value] * months


# 100 jobs a month: J = 1200, M = 60 place-months.
@pytest.mark.parametrize(
    ("year", "occupied_per_month", "rate", "levy"),
    [
        (2014, 3, 115, "2760.00"),  # band 3%: 24 unfilled x 115
        (2014, 1, 290, "13920.00"),  # band 1%: 48 x 290
        (2014, 0, 290, "17400.00"),  # no 0% band before 2024: 60 x 290
        (2018, 2, 220, "7920.00"),  # band 2%: 36 x 220
        (2018, 1, 320, "15360.00"),
        (2022, 3, 140, "3360.00"),
        (2022, 2, 245, "8820.00"),
        (2023, 0, 360, "21600.00"),
        (2024, 1, 360, "17280.00"),
        (2024, 0, 720, "43200.00"),  # the 0% band from 2024
        (2025, 3, 155, "3720.00"),
        (2025, 2, 275, "9900.00"),
        (2025, 1, 405, "19440.00"),
        (2026, 0, 815, "48900.00"),  # 2025 rates continue
    ],
)
def test_bands_by_period(year, occupied_per_month, rate, levy):
    result = assess_de(per_month(100), per_month(occupied_per_month), year)
    assert result.jobs == Decimal("1200.00")
    assert result.mandatory == 60
    assert result.unfilled == Decimal(60 - 12 * occupied_per_month)
    assert result.quota_band == Decimal(occupied_per_month).quantize(Decimal("0.01"))
    assert result.rate == Decimal(rate)
    assert result.levy == Decimal(levy)


def test_quota_met_means_no_levy():
    result = assess_de(per_month(100), per_month(5), 2024)
    assert result.unfilled == 0
    assert result.levy == Decimal("0.00")


def test_mandatory_places_round_half_up():
    half = assess_de([100] * 11 + [110], per_month(0), 2023)  # J = 1210, 5% = 60.5 -> 61
    assert half.mandatory == 61
    assert half.levy == Decimal("21960.00")  # 61 x 360
    below = assess_de([100] * 11 + [108], per_month(0), 2023)  # J = 1208, 5% = 60.4 -> 60
    assert below.mandatory == 60


def test_fewer_than_20_jobs_on_average_is_exempt():
    result = assess_de([20] * 11 + [19], per_month(0), 2024)  # average 19.92
    assert result.exempt is True
    assert result.mandatory == 0
    assert result.levy == Decimal("0.00")


@pytest.mark.parametrize(
    ("year", "jobs", "occupied_per_month", "mandatory", "rate", "levy"),
    [
        (2023, 20, 0, 12, 140, "1680.00"),
        (2024, 20, 0, 12, 210, "2520.00"),  # under 40 at none
        (2024, 39, 0.5, 12, 140, "840.00"),  # under 40, below one: 6 unfilled
        (2025, 30, 0, 12, 235, "2820.00"),
        (2024, 30, 1, 12, 140, "0.00"),  # one place a month meets the obligation
        (2014, 50, 0.5, 24, 200, "3600.00"),  # under 60, below one: 18 x 200
        (2014, 50, 1.5, 24, 115, "690.00"),  # under 60, below two: 6 x 115
        (2021, 50, 0, 24, 245, "5880.00"),
        (2024, 50, 0, 24, 410, "9840.00"),  # under 60 at none
        (2024, 59, 0.5, 24, 245, "4410.00"),
        (2024, 40, 1.5, 24, 140, "840.00"),
        (2025, 50, 0, 24, 465, "11160.00"),
        (2025, 50, 0.5, 24, 275, "4950.00"),
        (2025, 50, 1.5, 24, 155, "930.00"),
    ],
)
def test_small_employers(year, jobs, occupied_per_month, mandatory, rate, levy):
    result = assess_de(per_month(jobs), per_month(Decimal(str(occupied_per_month))), year)
    assert result.exempt is False
    assert result.mandatory == mandatory
    assert result.rate == Decimal(rate)
    assert result.levy == Decimal(levy)


def test_sixty_jobs_uses_the_regular_quota():
    result = assess_de(per_month(60), per_month(0), 2024)
    assert result.size_class == "regular"
    assert result.mandatory == 36
    assert result.levy == Decimal("25920.00")  # 36 x 720


def test_levy_to_the_cent_with_fractional_occupation():
    result = assess_de(per_month(100), [Decimal("2.5")] + [3] * 11, 2024)  # O = 35.5, band 2.96%
    assert result.rate == Decimal(245)
    assert result.levy == Decimal("6002.50")  # 24.5 x 245


def test_explanation_has_chinese_and_english_lines():
    lines = assess_de(per_month(100), per_month(0), 2024).explanation
    assert [line.step for line in lines] == ["jobs", "mandatory", "band", "levy"]
    assert "J = 1200" in lines[0].en and "J = 1200" in lines[0].zh
    assert "60 × EUR 720 = EUR 43200.00" in lines[3].en


def test_rate_periods_cover_2012_on():
    assert rate_period_for(2012).band_3_to_5 == 115
    assert rate_period_for(2099) is RATE_PERIODS[-1]
    with pytest.raises(ValueError, match="year"):
        rate_period_for(2011)


@pytest.mark.parametrize(
    ("jobs", "disabled", "field"),
    [
        ([100] * 11, [0] * 12, "monthly_jobs"),
        ([100] * 12, [0] * 13, "monthly_disabled"),
        ([100] * 12, [-1] + [0] * 11, "monthly_disabled"),
    ],
)
def test_bad_monthly_input_names_the_field(jobs, disabled, field):
    with pytest.raises(ValueError, match=field):
        assess_de(jobs, disabled, 2024)
