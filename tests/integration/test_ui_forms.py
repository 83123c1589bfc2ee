"""Forms that cannot mislead: nothing about a person is preset, and answers come first."""

import re

from sqlalchemy import func, select

from core import identity
from core.extensions import db as _db
from core.models import Employer, Person
from tests import factories
from tests.integration.quota_helpers import CALCULATOR_FORM


def _selected(page: str, name: str) -> list[str]:
    """The values of the selected options of one <select>."""
    start = page.index(f'name="{name}"')
    block = page[start : page.index("</select>", start)]
    return re.findall(r'<option value="([^"]*)"\s+selected', block)


def _person_form(**answers) -> dict:
    """The registration form with the certificate, name, county and consent, and `answers`."""
    return {
        "certificate_no": factories.certificate_number("330106"),
        "name": "周八",
        "county_code": "330106",
        "consent": "1",
        **answers,
    }


def _checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="(\d)" required\s+(?:id="[^"]*")?\s*checked', page)


def test_a_counselor_gets_their_county_and_no_other_fact_preset(client, auth, counselor):
    auth.login(counselor)
    page = client.get("/people/new").get_data(as_text=True)
    assert _selected(page, "county_code") == ["330106"]
    assert _selected(page, "education") == [""]
    assert _selected(page, "employment_type") == [""]
    assert "请选择…" in page
    for name in ("low_income", "wish_to_work", "able_to_work"):
        assert f'name="{name}" value="1"' in page and f'name="{name}" value="0"' in page
        assert _checked(page, name) == [], name


def test_an_admin_chooses_the_county_too(client, auth, admin):
    auth.login(admin)
    page = client.get("/people/new").get_data(as_text=True)
    assert _selected(page, "county_code") == [""]


def test_saving_the_untouched_form_records_nothing_and_says_what_to_choose(client, auth, counselor):
    auth.login(counselor)
    form = _person_form()
    response = client.post("/people/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "请选择该人员的文化程度。",
        "请选择该人员的就业状况。",
        "请选择该人员家庭是否为低保家庭。",
        "请选择该人员是否有就业意愿。",
        "请选择该人员是否有劳动能力。",
    ):
        assert message in page
    assert '<a href="#field-wish_to_work">' in page  # the summary links to the first radio
    assert 'id="field-wish_to_work"' in page
    assert _db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_the_english_errors_are_specific(client, auth, counselor):
    auth.login(counselor)
    response = client.post("/people/new?lang=en", data={"name": "x", "consent": "1"})
    page = response.get_data(as_text=True)
    assert "Choose the person&#39;s employment status." in page
    assert "Choose whether the person wishes to work." in page


def test_chosen_answers_are_recorded_as_chosen(client, auth, counselor):
    auth.login(counselor)
    form = _person_form(
        education="bachelor",
        employment_type="self_employed",  # flexible work is recorded only by recognition
        low_income="1",
        wish_to_work="0",
        able_to_work="1",
    )
    assert client.post("/people/new", data=form).status_code == 302
    person = _db.session.scalar(select(Person))
    assert (person.education, person.employment_type) == ("bachelor", "self_employed")
    assert (person.low_income, person.wish_to_work, person.able_to_work) == (True, False, True)
    edit = client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert _checked(edit, "low_income") == ["1"]
    assert _checked(edit, "wish_to_work") == ["0"]
    assert _selected(edit, "employment_type") == ["self_employed"]


def test_a_yes_no_answer_outside_the_pair_is_refused(client, auth, counselor):
    auth.login(counselor)
    form = _person_form(
        education="bachelor",
        employment_type="flexible",
        low_income="0",
        wish_to_work="maybe",
        able_to_work="1",
    )
    response = client.post("/people/new", data=form)
    assert response.status_code == 422
    assert "请选择该人员是否有就业意愿。" in response.get_data(as_text=True)


def test_the_employer_form_presets_nothing(client, auth, admin):
    auth.login(admin)
    page = client.get("/employers/new").get_data(as_text=True)
    assert _selected(page, "unit_type") == [""]
    assert _selected(page, "county_code") == [""]
    assert _checked(page, "is_lead_unit") == []
    form = {
        "credit_code": identity.make_credit_code("91330106MA0000001"),
        "name": "诚实有限公司",
        "county_code": "330106",
    }
    response = client.post("/employers/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请选择单位类型。" in page
    assert "请选择该单位是否为带头单位。" in page
    assert "credit_code" not in page.split('class="error-summary"')[1].split("</div>")[0]
    assert _db.session.scalar(select(func.count()).select_from(Employer)) == 0
    chosen = {**form, "unit_type": "enterprise", "is_lead_unit": "0"}
    assert client.post("/employers/new", data=chosen).status_code == 302
    assert _db.session.scalar(select(Employer.is_lead_unit)) is False


def test_the_calculator_shows_its_result_first_and_focuses_it(client):
    form = CALCULATOR_FORM
    page = client.post("/quota/calculator", data=form).get_data(as_text=True)
    panel = page.index('class="result-panel"')
    assert panel < page.index('<form method="post"')
    assert page.index("144,000.00") < page.index('<form method="post"')
    tag = page[page.rindex("<section", 0, panel) : page.index(">", panel)]
    for attribute in ('id="result"', 'role="status"', 'tabindex="-1"', "autofocus"):
        assert attribute in tag
    assert 'action="/quota/calculator#result"' in page
    assert "result-panel" not in client.get("/quota/calculator").get_data(as_text=True)


def test_the_error_summary_follows_the_page_order(client, auth, counselor):
    auth.login(counselor)
    page = client.post("/people/new", data={"name": "x"}).get_data(as_text=True)
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    fields = re.findall(r'href="#field-(\w+)"', summary)
    expected = [
        "certificate_no",
        "county_code",
        "education",
        "employment_type",
        "low_income",
        "wish_to_work",
        "able_to_work",
        "consent",
    ]
    assert fields == expected
