"""The public calculator through the API: hand-computed cases for each rule, and bad input."""

import pytest

from tests.integration.quota_helpers import CALCULATOR_FORM, calculator_body

URL = "/api/v1/quota/assess"


def post(client, body, lang="zh"):
    return client.post(URL, json=body, headers={"Accept-Language": lang})


def test_worked_check_level_4(client):
    response = post(client, calculator_body())
    assert response.status_code == 200, response.json
    data = response.json
    assert (data["required"], data["arranged"], data["shortfall"]) == ("3.0000", "1.0000", "2.0000")
    assert data["factor"] == "0.90"
    assert data["levy"] == "144000.00"
    assert data["rule_set"] == "CN-ZJ-2024-v1"
    assert [line["step"] for line in data["explanation"]][0] == "headcount"


def test_tier_at_exactly_one_percent_and_severe_double_count(client):
    data = post(client, calculator_body(disabled_employees=[{"level": 2, "months": 12}])).json
    assert data["arranged"] == "2.0000"
    assert data["arranged_ratio"] == "0.010000"
    assert data["factor"] == "0.50"
    assert data["levy"] == "40000.00"


def test_level_taken_from_the_certificate(client):
    from tests.factories import certificate_number

    cert = certificate_number(level=1)
    data = post(
        client, calculator_body(disabled_employees=[{"certificate_no": cert, "months": 12}])
    ).json
    assert data["arranged"] == "2.0000"


def test_cap_at_twice_the_social_average_wage(client):
    # 2022: the all-units (全口径) figure is not shipped: the calculator asks for it, never uses
    # the non-private series (128,825) in its place.
    capped = calculator_body(
        year=2022,
        headcount="100",
        average_wage="300000",
        social_average_wage=None,
        disabled_employees=[],
    )
    answer = post(client, capped)
    assert answer.status_code == 422 and "social_average_wage" in answer.json["errors"]
    from decimal import Decimal

    from quota.services.year_settings import set_year_parameters

    set_year_parameters(2022, {"social_average_wage": Decimal("128825")})  # entered by the admin
    data = post(client, capped).json
    assert data["capped"] is True
    assert data["cap"] == "257650.00"
    assert data["levy"] == "347827.50"  # 1.5 x 257,650 x 0.9


@pytest.mark.parametrize(
    ("unit_type", "levy", "exempt"),
    [
        ("enterprise", "0.00", True),
        ("public_institution_2", "24300.00", False),  # 0.45 x 60,000 x 0.9
    ],
)
def test_exemption_at_thirty_staff_for_enterprises_only(client, unit_type, levy, exempt):
    data = post(
        client,
        calculator_body(
            unit_type=unit_type, headcount="30", average_wage="60000", disabled_employees=[]
        ),
    ).json
    assert data["levy"] == levy
    assert data["exempt"] is exempt


def test_part_year_counts_in_twelfths(client):
    data = post(
        client,
        calculator_body(
            headcount="100", average_wage="50000", disabled_employees=[{"level": 3, "months": 6}]
        ),
    ).json
    assert data["arranged"] == "0.5000"
    assert data["levy"] == "45000.00"  # (1.5 - 0.5) x 50,000 x 0.9


def test_fractional_headcount_rounded_only_at_the_end(client):
    # N = 1201/12; W = 7,000,000 / N; levy = 0.015 x 7,000,000 x 0.9 exactly (a fen off if W were rounded).
    data = post(
        client,
        calculator_body(
            unit_type="public_institution_2",
            headcount=None,
            monthly_headcounts=["100"] * 11 + ["101"],
            average_wage=None,
            wage_total="7000000",
            disabled_employees=[],
        ),
    ).json
    assert data["headcount"] == "100.0833"
    assert data["levy"] == "94500.00"


def test_germany(client):
    data = post(
        client,
        {
            "jurisdiction": "DE",
            "year": 2024,
            "monthly_headcounts": [100] * 12,
            "monthly_disabled": [2] * 12,
        },
    ).json
    assert data["jurisdiction"] == "DE"
    assert data["mandatory"] == "60"
    assert data["unfilled"] == "36.00"
    assert data["rate"] == "245.00"
    assert data["levy"] == "8820.00"


def test_bad_input_answers_422_in_the_users_language(client):
    response = post(client, {"unit_type": "enterprise", "headcount": "abc"}, lang="en")
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "year" in errors and "headcount" in errors
    response = post(client, calculator_body(headcount=None), lang="en")
    assert response.status_code == 422
    assert "either" in response.json["errors"]["headcount"][0]


def test_errors_are_chinese_by_default(client):
    # One language per test: the test app context caches the first request's locale.
    response = post(client, calculator_body(headcount=None), lang="zh")
    assert response.status_code == 422
    assert response.json["errors"]["headcount"] == [
        "请填写年平均职工人数或12个月的职工人数（二者选一）。"
    ]


def test_missing_social_wage_is_asked_for(client):
    response = post(client, calculator_body(social_average_wage=None), lang="en")
    assert response.status_code == 422
    assert "social_average_wage" in response.json["errors"]


def test_unknown_year_and_bad_certificate(client):
    assert post(client, calculator_body(year=2001)).status_code == 422
    response = post(
        client, calculator_body(disabled_employees=[{"certificate_no": "123", "months": 12}])
    )
    assert response.status_code == 422
    assert "disabled_employees" in response.json["errors"]


def test_web_calculator(client):
    page = client.get("/quota/calculator")
    assert page.status_code == 200
    form = CALCULATOR_FORM
    response = client.post("/quota/calculator", data=form)
    assert response.status_code == 200
    assert '<td class="num">144,000.00</td>' in response.get_data(as_text=True)
    bad = client.post("/quota/calculator", data={**form, "headcount": "x"})
    assert bad.status_code == 422
    assert 'class="error-summary"' in bad.get_data(as_text=True)


def test_german_calculator_refuses_more_occupied_places_than_jobs(client):
    answer = post(
        client,
        {
            "jurisdiction": "DE",
            "year": 2024,
            "monthly_headcounts": ["50"] * 12,
            "monthly_disabled": ["3"] * 11 + ["51"],
        },
        lang="en",
    )
    assert answer.status_code == 422
    assert answer.json["errors"]["monthly_disabled"]
    assert "11" in answer.json["errors"]["monthly_disabled"]  # the twelfth month


def test_german_rule_refuses_more_occupied_places_than_jobs():
    from quota.rules.germany import assess_de

    with pytest.raises(ValueError, match=r"monthly_disabled\[3\]"):
        assess_de([20] * 12, [0, 0, 0, 21] + [0] * 8, 2024)
